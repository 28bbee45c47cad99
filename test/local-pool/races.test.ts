// Two requests racing over one piece of pool state, over HTTP with the AWS SDK: a Lambda function
// (functions/gate.mjs) holds each request inside its await — past its reads, before its writes —
// until the test opens its gate, so the race is decided the same way every run. Each test fails
// when a handler writes from what it read before the await.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddUserPoolClientSecretCommand,
  AdminDisableUserCommand,
  AdminResetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  CompleteWebAuthnRegistrationCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolDomainCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolClientSecretCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUserPoolClientSecretsCommand,
  ListUsersCommand,
  ListWebAuthnCredentialsCommand,
  RevokeTokenCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  StartWebAuthnRegistrationCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolClientCommand,
  VerifyUserAttributeCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { PoolContext } from '../../src/local-pool/context.js';
import { operations } from '../../src/local-pool/api/handlers/index.js';
import { createCredentials } from '../../src/local-pool/crypto/passwords.js';
import { SrpServer, type SrpVerifier } from '../../src/local-pool/crypto/srp-server.js';
import { insertUser, planUser } from '../../src/local-pool/pools/provisioning.js';
import type { ClientRecord, PoolRecord } from '../../src/local-pool/store/model.js';
import { SoftAuthenticator, type CreationOptions, type RequestOptions } from '../support/soft-authenticator.js';
import { Browser, formWith, pkce } from './hosted-ui-support.js';
import {
  STRONG_PASSWORD,
  createPoolAndClient,
  createUser,
  failure,
  firstFactor,
  inProcessPool,
  passwordSignIn,
  respond,
  setPoolMfa,
  startPool,
  type PoolHarness,
  type Setup,
} from './support.js';

const FUNCTIONS = join(__dirname, 'functions');
const arn = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;

const recordDir = mkdtempSync(join(tmpdir(), 'authchart-races-'));
const recordFile = join(recordDir, 'events.jsonl');
process.env['TRIGGER_RECORD'] = recordFile;

let h: PoolHarness;

beforeAll(async () => {
  h = await startPool({ functions: FUNCTIONS, lambdaTimeoutMs: 10_000 });
});
afterAll(async () => {
  await h.close();
  rmSync(recordDir, { recursive: true, force: true });
});
beforeEach(() => {
  for (const name of readdirSync(recordDir)) rmSync(join(recordDir, name));
  writeFileSync(recordFile, '');
});

/** Lets the invocations held under `key` (ClientMetadata.gate, else the triggerSource) answer. */
const open = (key: string) => writeFileSync(`${recordFile}.open-${key}`, '');

const held = (triggerSource: string): number =>
  readFileSync(recordFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .filter((line) => (JSON.parse(line) as { event: { triggerSource: string } }).event.triggerSource === triggerSource).length;

/** Resolves once `count` invocations of `triggerSource` are held at the gate. */
async function untilHeld(triggerSource: string, count: number): Promise<void> {
  const until = Date.now() + 10_000;
  while (held(triggerSource) < count) {
    if (Date.now() > until) throw new Error(`only ${held(triggerSource)} of ${count} ${triggerSource} invocations arrived`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** 'ok', or the error's name, for each call in order. */
async function outcomes(calls: Array<Promise<unknown>>): Promise<string[]> {
  const settled = await Promise.allSettled(calls);
  return settled.map((s) => (s.status === 'fulfilled' ? 'ok' : (s.reason as Error).name));
}

async function gatedPool(
  lambda: Partial<Record<keyof LambdaConfigType, string>>,
  pool: Partial<CreateUserPoolCommandInput> = {},
  client: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<Setup> {
  const LambdaConfig = Object.fromEntries(Object.entries(lambda).map(([trigger, name]) => [trigger, arn(name!)]));
  return createPoolAndClient(h.sdk, { LambdaConfig, ...pool }, client);
}

const signedIn = async (setup: Setup, username: string) => (await passwordSignIn(h.sdk, setup, username, STRONG_PASSWORD)).AuthenticationResult!;

describe('refresh tokens', () => {
  const NO_GRACE = { RefreshTokenRotation: { Feature: 'ENABLED' as const, RetryGracePeriodSeconds: 0 } };

  it('of two GetTokensFromRefreshToken of one token while PreTokenGeneration runs (rotation, no grace period), exactly one gets tokens', async () => {
    const setup = await gatedPool({ PreTokenGeneration: 'gate' }, {}, NO_GRACE);
    await createUser(h.sdk, setup.poolId, 'rita', STRONG_PASSWORD);
    open('TokenGeneration_Authentication');
    const { RefreshToken } = await signedIn(setup, 'rita');
    const refresh = () => h.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: setup.clientId, RefreshToken }));
    const racing = outcomes([refresh(), refresh()]);
    await untilHeld('TokenGeneration_RefreshTokens', 2);
    open('TokenGeneration_RefreshTokens');
    expect((await racing).sort()).toEqual(['RefreshTokenReuseException', 'ok']);
  });

  it('a refresh token revoked while PreTokenGeneration runs gives no tokens (REFRESH_TOKEN_AUTH)', async () => {
    const setup = await gatedPool({ PreTokenGeneration: 'gate' });
    await createUser(h.sdk, setup.poolId, 'rolf', STRONG_PASSWORD);
    open('TokenGeneration_Authentication');
    const { RefreshToken } = await signedIn(setup, 'rolf');
    const refreshing = failure(
      h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: setup.clientId, AuthParameters: { REFRESH_TOKEN: RefreshToken! } })),
    );
    await untilHeld('TokenGeneration_RefreshTokens', 1);
    await h.sdk.send(new RevokeTokenCommand({ ClientId: setup.clientId, Token: RefreshToken }));
    open('TokenGeneration_RefreshTokens');
    expect(await refreshing).toEqual({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
  });

  it('with no grace period a rotated token stops at once, also in the same instant (the pool clock stands still here)', async () => {
    const setup = await createPoolAndClient(h.sdk, {}, NO_GRACE);
    await createUser(h.sdk, setup.poolId, 'ravi', STRONG_PASSWORD);
    const { RefreshToken } = await signedIn(setup, 'ravi');
    const refresh = (token: string) => h.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: setup.clientId, RefreshToken: token }));
    const next = (await refresh(RefreshToken!)).AuthenticationResult!.RefreshToken!;
    expect(await failure(refresh(RefreshToken!))).toEqual({ name: 'RefreshTokenReuseException', message: 'Refresh token has already been used.' });
    expect((await refresh(next)).AuthenticationResult?.RefreshToken).toBeDefined();
  });

  it('of two refresh_token grants of one token at /oauth2/token while PreTokenGeneration runs (rotation, no grace period), exactly one gets tokens', async () => {
    const setup = await gatedPool({ PreTokenGeneration: 'gate' }, {}, NO_GRACE);
    await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: setup.poolId, Domain: 'racing-refresh' }));
    await createUser(h.sdk, setup.poolId, 'rosa', STRONG_PASSWORD);
    open('TokenGeneration_Authentication');
    const { RefreshToken } = await signedIn(setup, 'rosa');
    const grant = async () => {
      const response = await fetch(`${h.pool.url}/_domain/racing-refresh/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: setup.clientId, refresh_token: RefreshToken! }).toString(),
      });
      const body = (await response.json()) as { error?: string; refresh_token?: string };
      return body.error ?? (response.status === 200 && body.refresh_token ? 'ok' : `status ${response.status}`);
    };
    const racing = Promise.all([grant(), grant()]);
    await untilHeld('TokenGeneration_RefreshTokens', 2);
    open('TokenGeneration_RefreshTokens');
    expect((await racing).sort()).toEqual(['invalid_grant', 'ok']);
  });
});

describe('app clients', () => {
  it('a client deleted while PreTokenGeneration runs for its sign-in gives no tokens: the sign-in went with the client', async () => {
    const setup = await gatedPool({ PreTokenGeneration: 'gate' });
    await createUser(h.sdk, setup.poolId, 'cleo', STRONG_PASSWORD);
    const signingIn = failure(passwordSignIn(h.sdk, setup, 'cleo', STRONG_PASSWORD));
    await untilHeld('TokenGeneration_Authentication', 1);
    await h.sdk.send(new DeleteUserPoolClientCommand({ UserPoolId: setup.poolId, ClientId: setup.clientId }));
    open('TokenGeneration_Authentication');
    expect(await signingIn).toEqual({ name: 'ResourceNotFoundException', message: `User pool client ${setup.clientId} does not exist.` });
  });

  /** A gated pool whose client has two secrets: the one made with it (`first`, which setup.clientSecret is) and `second`. */
  async function rotatingClient(): Promise<{ setup: Setup; first: string; second: { id: string; value: string } }> {
    const setup = await gatedPool({ PreTokenGeneration: 'gate' }, {}, { GenerateSecret: true });
    const { ClientSecretDescriptor: added } = await h.sdk.send(new AddUserPoolClientSecretCommand({ UserPoolId: setup.poolId, ClientId: setup.clientId }));
    const { ClientSecrets } = await h.sdk.send(new ListUserPoolClientSecretsCommand({ UserPoolId: setup.poolId, ClientId: setup.clientId }));
    const first = ClientSecrets!.find((secret) => secret.ClientSecretId !== added!.ClientSecretId)!.ClientSecretId!;
    return { setup, first, second: { id: added!.ClientSecretId!, value: added!.ClientSecretValue! } };
  }
  const deleteSecret = (setup: Setup, secretId: string) =>
    h.sdk.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: setup.poolId, ClientId: setup.clientId, ClientSecretId: secretId }));

  it('a client secret deleted while PreTokenGeneration runs for a sign-in made with it gives no tokens; deleting the other one changes nothing', async () => {
    const { setup, first, second } = await rotatingClient();
    await createUser(h.sdk, setup.poolId, 'sela', STRONG_PASSWORD);
    const signingIn = failure(passwordSignIn(h.sdk, setup, 'sela', STRONG_PASSWORD));
    await untilHeld('TokenGeneration_Authentication', 1);
    await deleteSecret(setup, first);
    open('TokenGeneration_Authentication');
    expect(await signingIn).toEqual({ name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${setup.clientId}` });

    rmSync(`${recordFile}.open-TokenGeneration_Authentication`);
    const other = await rotatingClient();
    await createUser(h.sdk, other.setup.poolId, 'sela', STRONG_PASSWORD);
    const signingInToo = passwordSignIn(h.sdk, other.setup, 'sela', STRONG_PASSWORD);
    await untilHeld('TokenGeneration_Authentication', 2);
    await deleteSecret(other.setup, other.second.id);
    open('TokenGeneration_Authentication');
    expect((await signingInToo).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('a client secret deleted while PreTokenGeneration runs for a GetTokensFromRefreshToken made with it gives no tokens, and the token is not rotated', async () => {
    const { setup, first, second } = await rotatingClient();
    await h.sdk.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: setup.poolId,
        ClientId: setup.clientId,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
      }),
    );
    await createUser(h.sdk, setup.poolId, 'seth', STRONG_PASSWORD);
    open('TokenGeneration_Authentication');
    const { RefreshToken } = await signedIn(setup, 'seth');
    const refresh = (ClientSecret: string) => h.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: setup.clientId, ClientSecret, RefreshToken }));
    const refreshing = failure(refresh(setup.clientSecret!));
    await untilHeld('TokenGeneration_RefreshTokens', 1);
    await deleteSecret(setup, first);
    open('TokenGeneration_RefreshTokens');
    expect(await refreshing).toEqual({ name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${setup.clientId}` });
    // Not rotated (no grace period): the token still refreshes, with the secret that is left.
    expect((await refresh(second.value)).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('a client secret deleted while PreTokenGeneration runs for a refresh_token grant made with it: invalid_client (401 for Basic), no tokens', async () => {
    const { setup, first, second } = await rotatingClient();
    await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: setup.poolId, Domain: 'rotating-refresh' }));
    await createUser(h.sdk, setup.poolId, 'sami', STRONG_PASSWORD);
    open('TokenGeneration_Authentication');
    const { RefreshToken } = await signedIn(setup, 'sami');
    const grant = async (secret: string) => {
      const response = await fetch(`${h.pool.url}/_domain/rotating-refresh/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${setup.clientId}:${secret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: RefreshToken! }).toString(),
      });
      return { status: response.status, body: (await response.json()) as { error?: string; access_token?: string } };
    };
    const granting = grant(setup.clientSecret!);
    await untilHeld('TokenGeneration_RefreshTokens', 1);
    await deleteSecret(setup, first);
    open('TokenGeneration_RefreshTokens');
    expect(await granting).toEqual({ status: 401, body: { error: 'invalid_client' } });
    const again = await grant(second.value);
    expect(again.status).toBe(200);
    expect(again.body.access_token).toBeDefined();
  });
});

describe('verification codes sent after CustomMessage', () => {
  const autoVerified = { AutoVerifiedAttributes: ['email' as const] };

  it('a code for an address changed again while CustomMessage ran is not sent: the later address keeps its code', async () => {
    const setup = await gatedPool({ CustomMessage: 'gate' }, autoVerified);
    await createUser(h.sdk, setup.poolId, 'uma', STRONG_PASSWORD, { attributes: { email: 'uma@example.com', email_verified: 'true' } });
    const { AccessToken } = await signedIn(setup, 'uma');
    const update = (email: string, gate: string) =>
      h.sdk.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: email }], ClientMetadata: { gate } }));
    const first = update('first@example.com', 'first');
    await untilHeld('CustomMessage_UpdateUserAttribute', 1);
    const second = update('second@example.com', 'second');
    await untilHeld('CustomMessage_UpdateUserAttribute', 2);
    open('second');
    await second;
    open('first');
    await first;
    const sent = h.pool.outbox({ username: 'uma' });
    expect(sent.filter((m) => m.destination === 'first@example.com')).toEqual([]);
    const code = sent.filter((m) => m.destination === 'second@example.com').at(-1)!.code!;
    await h.sdk.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: code }));
    const attributes = Object.fromEntries((await h.sdk.send(new GetUserCommand({ AccessToken }))).UserAttributes!.map((a) => [a.Name, a.Value]));
    expect(attributes).toMatchObject({ email: 'second@example.com', email_verified: 'true' });
  });

  it('GetUserAttributeVerificationCode sends to the address the user has once CustomMessage answered', async () => {
    const setup = await gatedPool({ CustomMessage: 'gate' }, autoVerified);
    await createUser(h.sdk, setup.poolId, 'vic', STRONG_PASSWORD, { attributes: { email: 'vic@example.com' } });
    const { AccessToken } = await signedIn(setup, 'vic');
    open('update');
    const asking = h.sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email', ClientMetadata: { gate: 'ask' } }));
    await untilHeld('CustomMessage_VerifyUserAttribute', 1);
    await h.sdk.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: 'new-vic@example.com' }], ClientMetadata: { gate: 'update' } }));
    open('ask');
    expect((await asking).CodeDeliveryDetails?.Destination).toBe('n***@e***');
    const last = h.pool.outbox({ username: 'vic' }).at(-1)!;
    expect(last.destination).toBe('new-vic@example.com');
    await h.sdk.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: last.code! }));
  });

  it('AdminResetUserPassword sends its code to the address verified while CustomMessage ran', async () => {
    const setup = await gatedPool({ CustomMessage: 'gate' }, autoVerified);
    await createUser(h.sdk, setup.poolId, 'wes', STRONG_PASSWORD, { attributes: { email: 'wes@example.com', email_verified: 'true' } });
    const resetting = h.sdk.send(new AdminResetUserPasswordCommand({ UserPoolId: setup.poolId, Username: 'wes', ClientMetadata: { gate: 'reset' } }));
    await untilHeld('CustomMessage_ForgotPassword', 1);
    await h.sdk.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: setup.poolId,
        Username: 'wes',
        UserAttributes: [{ Name: 'email', Value: 'new-wes@example.com' }, { Name: 'email_verified', Value: 'true' }],
      }),
    );
    open('reset');
    await resetting;
    const resets = h.pool.outbox({ username: 'wes' }).filter((m) => m.purpose === 'ADMIN_RESET_PASSWORD');
    expect(resets.map((m) => m.destination)).toEqual(['new-wes@example.com']);
  });
});

describe('hosted-UI authorization codes', () => {
  const CALLBACK = 'http://localhost:3000/callback';
  let setup: Setup;
  let clientId: string;
  let base: string;

  /** A code-grant client of the pool, PKCE, openid. */
  const hostedClientWith = async (extra: Partial<CreateUserPoolClientCommandInput> = {}) =>
    (
      await h.sdk.send(
        new CreateUserPoolClientCommand({
          UserPoolId: setup.poolId,
          ClientName: 'hosted',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid'],
          CallbackURLs: [CALLBACK],
          SupportedIdentityProviders: ['COGNITO'],
          ...extra,
        }),
      )
    ).UserPoolClient!;
  const hostedClient = async () => (await hostedClientWith()).ClientId!;

  beforeAll(async () => {
    setup = await gatedPool({ PreTokenGeneration: 'gate' });
    await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: setup.poolId, Domain: 'racing-codes' }));
    clientId = await hostedClient();
    base = `${h.pool.url}/_domain/racing-codes`;
  });

  /** Signs `username` in at the hosted UI: the code the app gets, and its PKCE verifier. */
  async function codeFor(username: string, client = clientId): Promise<{ code: string; verifier: string }> {
    open('TokenGeneration_Authentication');
    const { verifier, challenge } = pkce();
    const browser = new Browser();
    const query = new URLSearchParams({ client_id: client, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' });
    const loginPage = await browser.follow(await browser.get(`${base}/oauth2/authorize?${query}`), (url) => url.origin === h.pool.url);
    const login = formWith(loginPage, 'password');
    const answer = await browser.post(login.action, { ...login.fields, username, password: STRONG_PASSWORD });
    expect(answer.location?.startsWith(`${CALLBACK}?`)).toBe(true);
    return { code: new URL(answer.location!).searchParams.get('code')!, verifier };
  }

  const exchange = async ({ code, verifier }: { code: string; verifier: string }, client = clientId): Promise<string> => {
    const response = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: client, code, redirect_uri: CALLBACK, code_verifier: verifier }).toString(),
    });
    const body = (await response.json()) as { error?: string; access_token?: string };
    return body.error ?? (response.status === 200 && body.access_token ? 'ok' : `status ${response.status}`);
  };

  it('of one code exchanged twice at once neither gets tokens: the replay is refused at once and revokes what the first was making', async () => {
    await createUser(h.sdk, setup.poolId, 'cara', STRONG_PASSWORD);
    const code = await codeFor('cara');
    const exchanges = [exchange(code), exchange(code)];
    await untilHeld('TokenGeneration_HostedAuth', 1);
    // The code is spent before the function's await: the second does not wait for the first.
    expect(await Promise.race(exchanges)).toBe('invalid_grant');
    open('TokenGeneration_HostedAuth');
    // A replayed code revokes the tokens it gave (RFC 6749 4.1.2), also those still being made.
    expect(await Promise.all(exchanges)).toEqual(['invalid_grant', 'invalid_grant']);
    expect(held('TokenGeneration_HostedAuth')).toBe(1);
  });

  it('a global sign-out while PreTokenGeneration runs for the exchange gives no tokens; the next sign-in does', async () => {
    await createUser(h.sdk, setup.poolId, 'erin', STRONG_PASSWORD);
    const code = await codeFor('erin');
    const exchanging = exchange(code);
    await untilHeld('TokenGeneration_HostedAuth', 1);
    await h.sdk.send(new AdminUserGlobalSignOutCommand({ UserPoolId: setup.poolId, Username: 'erin' }));
    open('TokenGeneration_HostedAuth');
    expect(await exchanging).toBe('invalid_grant');
    expect(await exchange(await codeFor('erin'))).toBe('ok');
  });

  it('a client deleted while PreTokenGeneration runs for the exchange gives no tokens', async () => {
    const doomed = await hostedClient();
    await createUser(h.sdk, setup.poolId, 'dora', STRONG_PASSWORD);
    const exchanging = exchange(await codeFor('dora', doomed), doomed);
    await untilHeld('TokenGeneration_HostedAuth', 1);
    await h.sdk.send(new DeleteUserPoolClientCommand({ UserPoolId: setup.poolId, ClientId: doomed }));
    open('TokenGeneration_HostedAuth');
    expect(await exchanging).toBe('invalid_grant');
  });

  it('a client secret deleted while PreTokenGeneration runs for an exchange made with it: invalid_client (401 for Basic), no tokens', async () => {
    const confidential = await hostedClientWith({ GenerateSecret: true });
    const id = confidential.ClientId!;
    const { ClientSecretDescriptor: added } = await h.sdk.send(new AddUserPoolClientSecretCommand({ UserPoolId: setup.poolId, ClientId: id }));
    const { ClientSecrets } = await h.sdk.send(new ListUserPoolClientSecretsCommand({ UserPoolId: setup.poolId, ClientId: id }));
    const firstId = ClientSecrets!.find((secret) => secret.ClientSecretId !== added!.ClientSecretId)!.ClientSecretId!;
    const exchangeWith = async ({ code, verifier }: { code: string; verifier: string }, secret: string) => {
      const response = await fetch(`${base}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier }).toString(),
      });
      return { status: response.status, body: (await response.json()) as { error?: string; access_token?: string; refresh_token?: string } };
    };
    await createUser(h.sdk, setup.poolId, 'cyra', STRONG_PASSWORD);
    const exchanging = exchangeWith(await codeFor('cyra', id), confidential.ClientSecret!);
    await untilHeld('TokenGeneration_HostedAuth', 1);
    await h.sdk.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: setup.poolId, ClientId: id, ClientSecretId: firstId }));
    open('TokenGeneration_HostedAuth');
    expect(await exchanging).toEqual({ status: 401, body: { error: 'invalid_client' } });
    // The secret that is left still exchanges a new code.
    const again = await exchangeWith(await codeFor('cyra', id), added!.ClientSecretValue!);
    expect(again.status).toBe(200);
    expect(again.body.access_token).toBeDefined();
  });

  it('a rotation deleting the oldest secret while a hosted-UI sign-in awaits PostAuthentication does not refuse it (the pool\'s page is the client)', async () => {
    const gated = await gatedPool({ PostAuthentication: 'gate' });
    await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: gated.poolId, Domain: 'racing-rotation' }));
    const confidential = (
      await h.sdk.send(
        new CreateUserPoolClientCommand({
          UserPoolId: gated.poolId, ClientName: 'hosted', GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid'], CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'],
        }),
      )
    ).UserPoolClient!;
    const id = confidential.ClientId!;
    const { ClientSecretDescriptor: added } = await h.sdk.send(new AddUserPoolClientSecretCommand({ UserPoolId: gated.poolId, ClientId: id }));
    const { ClientSecrets } = await h.sdk.send(new ListUserPoolClientSecretsCommand({ UserPoolId: gated.poolId, ClientId: id }));
    const firstId = ClientSecrets!.find((secret) => secret.ClientSecretId !== added!.ClientSecretId)!.ClientSecretId!;
    await createUser(h.sdk, gated.poolId, 'hana', STRONG_PASSWORD);
    const { challenge } = pkce();
    const browser = new Browser();
    const query = new URLSearchParams({ client_id: id, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' });
    const authorize = `${h.pool.url}/_domain/racing-rotation/oauth2/authorize?${query}`;
    const login = formWith(await browser.follow(await browser.get(authorize), (url) => url.origin === h.pool.url), 'password');
    const answering = browser.post(login.action, { ...login.fields, username: 'hana', password: STRONG_PASSWORD });
    await untilHeld('PostAuthentication_Authentication', 1);
    // The oldest secret: the one the page computed its SECRET_HASH with.
    await h.sdk.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: gated.poolId, ClientId: id, ClientSecretId: firstId }));
    open('PostAuthentication_Authentication');
    const answer = await answering;
    expect(answer.body).not.toContain('Unable to verify secret hash');
    expect(answer.location?.startsWith(`${CALLBACK}?`)).toBe(true);
    expect(new URL(answer.location!).searchParams.get('code')).toBeTruthy();
  });

  it('a user disabled while PreTokenGeneration runs for the exchange gets no tokens', async () => {
    await createUser(h.sdk, setup.poolId, 'dirk', STRONG_PASSWORD);
    const code = await codeFor('dirk');
    const exchanging = exchange(code);
    await untilHeld('TokenGeneration_HostedAuth', 1);
    await h.sdk.send(new AdminDisableUserCommand({ UserPoolId: setup.poolId, Username: 'dirk' }));
    open('TokenGeneration_HostedAuth');
    expect(await exchanging).toBe('invalid_grant');
  });
});

describe('confirmation codes used twice at once', () => {
  it('one sign-up code sent twice at once confirms once; the other finds the user confirmed', async () => {
    const setup = await createPoolAndClient(h.sdk, { AutoVerifiedAttributes: ['email'] });
    await h.sdk.send(
      new SignUpCommand({ ClientId: setup.clientId, Username: 'sam', Password: STRONG_PASSWORD, UserAttributes: [{ Name: 'email', Value: 'sam@example.com' }] }),
    );
    const code = h.pool.outbox({ username: 'sam' }).at(-1)!.code!;
    const confirm = () => h.sdk.send(new ConfirmSignUpCommand({ ClientId: setup.clientId, Username: 'sam', ConfirmationCode: code }));
    expect((await outcomes([confirm(), confirm()])).sort()).toEqual(['NotAuthorizedException', 'ok']);
  });
});

describe('passkey challenges used twice at once', () => {
  const ORIGIN = 'http://localhost:5173';
  let setup: Setup;
  beforeAll(async () => {
    setup = await createPoolAndClient(
      h.sdk,
      { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } },
      { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH'] },
    );
    await h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: setup.poolId, WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'preferred' } }));
  });

  const startRegistration = async (AccessToken: string) =>
    (await h.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken }))).CredentialCreationOptions as unknown as CreationOptions;
  const completeRegistration = (AccessToken: string, credential: object) =>
    h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: credential as never }));

  it('one registration challenge completed by two passkeys at once registers exactly one', async () => {
    await createUser(h.sdk, setup.poolId, 'pia', STRONG_PASSWORD);
    const { AccessToken } = await signedIn(setup, 'pia');
    const options = await startRegistration(AccessToken!);
    const both = [new SoftAuthenticator({ origin: ORIGIN }), new SoftAuthenticator({ origin: ORIGIN })].map((a) => a.create(options));
    expect((await outcomes(both.map((credential) => completeRegistration(AccessToken!, credential)))).sort()).toEqual(['WebAuthnChallengeNotFoundException', 'ok']);
    expect((await h.sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken }))).Credentials).toHaveLength(1);
  });

  it('one WEB_AUTHN Session answered twice at once signs in once', async () => {
    await createUser(h.sdk, setup.poolId, 'quin', STRONG_PASSWORD);
    const { AccessToken } = await signedIn(setup, 'quin');
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    await completeRegistration(AccessToken!, authenticator.create(await startRegistration(AccessToken!)));
    const challenge = await h.sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: 'quin', PREFERRED_CHALLENGE: 'WEB_AUTHN' } }),
    );
    const options = JSON.parse(challenge.ChallengeParameters!['CREDENTIAL_REQUEST_OPTIONS']!) as RequestOptions;
    const answers = [1, 2].map((counter) =>
      respond(h.sdk, setup, 'WEB_AUTHN', challenge.Session, { USERNAME: 'quin', CREDENTIAL: JSON.stringify(authenticator.get(options, { counter })) }),
    );
    const settled = await Promise.allSettled(answers);
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    expect(settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as Error).message] : []))).toEqual(['Invalid session for the user, session can only be used once.']);
  });
});

describe('an address MFA_SETUP sets up', () => {
  it('taken by another user between MFA_SETUP and the EMAIL_OTP answer: AliasExistsException, and the address stays the other user\'s', async () => {
    const setup = await createPoolAndClient(h.sdk, { AliasAttributes: ['email'] });
    await setPoolMfa(h.sdk, setup.poolId, 'ON', { EmailMfaConfiguration: {} });
    await createUser(h.sdk, setup.poolId, 'nell', STRONG_PASSWORD);
    await createUser(h.sdk, setup.poolId, 'owen', STRONG_PASSWORD);
    const choosing = await firstFactor(h, setup, 'nell', STRONG_PASSWORD);
    expect(choosing.ChallengeName).toBe('MFA_SETUP');
    const otp = await respond(h.sdk, setup, 'MFA_SETUP', choosing.Session, { USERNAME: 'nell', EMAIL: 'shared@example.com' });
    expect(otp.ChallengeName).toBe('EMAIL_OTP');
    const code = h.pool.outbox({ username: 'nell' }).at(-1)!.code!;
    await h.sdk.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: setup.poolId,
        Username: 'owen',
        UserAttributes: [{ Name: 'email', Value: 'shared@example.com' }, { Name: 'email_verified', Value: 'true' }],
      }),
    );
    expect(await failure(respond(h.sdk, setup, 'EMAIL_OTP', otp.Session, { USERNAME: 'nell', EMAIL_OTP_CODE: code }))).toEqual({
      name: 'AliasExistsException',
      message: 'An account with the given email already exists.',
    });
    const holders = await h.sdk.send(new ListUsersCommand({ UserPoolId: setup.poolId, Filter: 'email = "shared@example.com"' }));
    expect(holders.Users?.map((u) => u.Username)).toEqual(['owen']);
  });
});

// The new password's verifier is made in a worker thread in well under a millisecond: too quick to
// land a request inside it over HTTP. So this drives the pool's own handlers in process, with the
// hash paused until the other request is done.
describe('NEW_PASSWORD_REQUIRED while the new password is hashed (the hash paused, in process)', () => {
  /** SrpServer whose next verifier waits until released. */
  class PausedHash extends SrpServer {
    private pauses = 0;
    private readonly held: Array<() => void> = [];
    pauseNext(): void {
      this.pauses += 1;
    }
    isHolding(): boolean {
      return this.held.length > 0;
    }
    release(): void {
      for (const go of this.held.splice(0)) go();
    }
    override async deriveVerifier(poolId: string, username: string, password: string): Promise<SrpVerifier> {
      if (this.pauses > 0) {
        this.pauses -= 1;
        await new Promise<void>((resolve) => this.held.push(resolve));
      }
      return super.deriveVerifier(poolId, username, password);
    }
  }

  let ctx: PoolContext;
  let srp: PausedHash;
  let pool: PoolRecord;
  let client: ClientRecord;
  const TEMPORARY = 'Temp0rary!pass';
  const CHOSEN = 'Ch0sen!password';

  beforeEach(() => {
    srp = new PausedHash();
    ({ ctx, pool, client } = inProcessPool(srp));
  });
  afterEach(() => ctx.store.close());

  const call = (operation: string, input: Record<string, unknown>) => operations[operation]!(input as never, ctx);
  const signIn = (username: string, password: string) =>
    call('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: client.id, AuthParameters: { USERNAME: username, PASSWORD: password } });

  /** A user with a temporary password, its NEW_PASSWORD_REQUIRED answered, held in the new password's hash. */
  async function answerHeldInHash(username: string): Promise<{ answering: Promise<unknown> }> {
    const planned = planUser(ctx, pool, username, []);
    insertUser(ctx, planned, { status: 'FORCE_CHANGE_PASSWORD', enabled: true, credentials: await createCredentials(ctx.srp, pool.id, planned.username, TEMPORARY) });
    const challenge = await signIn(username, TEMPORARY);
    expect(challenge['ChallengeName']).toBe('NEW_PASSWORD_REQUIRED');
    srp.pauseNext();
    const answering = call('RespondToAuthChallenge', {
      ClientId: client.id,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: challenge['Session'],
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: CHOSEN },
    });
    answering.catch(() => undefined);
    const settled = answering.then(() => 'answered', (e: Error) => `refused: ${e.message}`);
    while (!srp.isHolding()) {
      const early = await Promise.race([settled, new Promise((resolve) => setImmediate(() => resolve(undefined)))]);
      if (early) throw new Error(`the answer was not held in the hash: ${String(early)}`);
    }
    // In an object: an async function returning the promise itself would wait for it.
    return { answering };
  }

  it('an AdminResetUserPassword meanwhile stays: the answer is PasswordResetRequiredException, the user RESET_REQUIRED', async () => {
    const { answering } = await answerHeldInHash('nina');
    await call('AdminResetUserPassword', { UserPoolId: pool.id, Username: 'nina' });
    srp.release();
    await expect(answering).rejects.toMatchObject({ type: 'PasswordResetRequiredException' });
    expect(ctx.store.getUserByUsername(pool.id, 'nina')?.status).toBe('RESET_REQUIRED');
  });

  it('a password an admin set meanwhile stays: the answer is "Incorrect username or password.", the admin\'s password signs in', async () => {
    const { answering } = await answerHeldInHash('noel');
    const ADMIN_SET = 'Adm1n!setpassword';
    await call('AdminSetUserPassword', { UserPoolId: pool.id, Username: 'noel', Password: ADMIN_SET, Permanent: true });
    srp.release();
    await expect(answering).rejects.toMatchObject({ type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect((await signIn('noel', ADMIN_SET))['AuthenticationResult']).toBeDefined();
  });
});
