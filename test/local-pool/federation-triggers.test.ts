// The Lambda triggers of sign-ins through the hosted UI, where Cognito runs them: a federated user's
// first sign-in runs PreSignUp_ExternalProvider and PostConfirmation_ConfirmSignUp, later ones
// PreAuthentication_Authentication and PostAuthentication_Authentication; the token endpoint runs
// PreTokenGeneration as TokenGeneration_HostedAuth (a refresh: TokenGeneration_RefreshTokens); no
// migration, message or custom-challenge trigger runs for them. A function that refuses sends the app
// Cognito's error. A password sign-in on the hosted page runs the API's authentication triggers
// (UserMigration included).
// The provider is the stand-in (oidc-provider) in its own process; the functions run as Lambda's.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminGetUserCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { totpCode } from '../../src/local-pool/index.js';
import { createUser, startPool, type PoolHarness } from './support.js';
import { Browser, form, formWith, pkce, type Answer } from './hosted-ui-support.js';
import { startStandIn, type RunningStandIn } from '../support/stand-in-idp.js';

const FUNCTIONS = join(__dirname, 'functions');
const CALLBACK = 'http://localhost:3000/callback';
const DOMAIN = 'fed-triggers';
const PROVIDER = 'StandIn';
const UPSTREAM = { clientId: 'local-pool', clientSecret: 'stand-in-secret-triggers-0001' };
const PASSWORD = 'Passw0rd!triggers';
const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

const dir = mkdtempSync(join(tmpdir(), 'authchart-fed-triggers-'));
const recordFile = join(dir, 'events.jsonl');
const refuseFile = join(dir, 'refuse.txt');
process.env['TRIGGER_RECORD'] = recordFile;
process.env['TRIGGER_REFUSE'] = refuseFile;

interface Event {
  triggerSource: string;
  userName: string;
  callerContext: { clientId: string };
  request: Record<string, unknown>;
}

let h: PoolHarness;
let idp: RunningStandIn;
let poolId: string;
let clientId: string;
let base: string;

beforeAll(async () => {
  h = await startPool({ functions: FUNCTIONS });
  const federated = arn('federated');
  poolId = (await h.sdk.send(new CreateUserPoolCommand({
    PoolName: 'federated-triggers',
    LambdaConfig: {
      PreSignUp: federated,
      PostConfirmation: federated,
      PreAuthentication: federated,
      PostAuthentication: federated,
      PreTokenGeneration: federated,
      UserMigration: federated,
      CustomMessage: federated,
      DefineAuthChallenge: federated,
    },
  }))).UserPool!.Id!;
  await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: DOMAIN }));
  base = `${h.pool.url}/_domain/${DOMAIN}`;
  idp = await startStandIn({
    clients: [{ ...UPSTREAM, redirectUris: [`${base}/oauth2/idpresponse`] }],
    users: ['gina', 'pete', 'olga'].map((name, i) => ({ username: name, password: `${name}-pass`, sub: `${name[0]}-${i + 1}`, claims: { email: `${name}@example.com`, name } })),
  });
  await h.sdk.send(new CreateIdentityProviderCommand({
    UserPoolId: poolId,
    ProviderName: PROVIDER,
    ProviderType: 'OIDC',
    ProviderDetails: { client_id: UPSTREAM.clientId, client_secret: UPSTREAM.clientSecret, authorize_scopes: 'openid email profile', oidc_issuer: idp.issuer },
    AttributeMapping: { email: 'email', name: 'name' },
  }));
  clientId = (await h.sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId,
    ClientName: 'web',
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'profile'],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ['COGNITO', PROVIDER],
  }))).UserPoolClient!.ClientId!;
}, 90_000);
afterAll(async () => {
  await idp?.stop();
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

const events = (): Event[] =>
  existsSync(recordFile) ? readFileSync(recordFile, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { event: Event }).event) : [];
/** The trigger sources recorded since `mark` events. */
const sourcesSince = (mark: number) => events().slice(mark).map((e) => e.triggerSource);
const refuse = (...sources: string[]) => writeFileSync(refuseFile, sources.join('\n'));
afterEach(() => refuse());

const withinLoopback = (url: URL) => url.origin === h.pool.url || url.origin === idp.issuer;
const authorizeUrl = (challenge: string, extra: Record<string, string> = {}) =>
  `${base}/oauth2/authorize?${form({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid email profile', state: 'st-9', code_challenge: challenge, code_challenge_method: 'S256', ...extra })}`;

/** Through the provider's sign-in page and back: the pool's answer to the app (a code, or an error). */
async function federatedSignIn(username: string, challenge: string): Promise<URLSearchParams> {
  const browser = new Browser();
  const loginPage = await browser.follow(await browser.get(authorizeUrl(challenge, { identity_provider: PROVIDER })), withinLoopback);
  const login = formWith(loginPage, 'password');
  const back: Answer = await browser.follow(await browser.post(login.action, { ...login.fields, username, password: `${username}-pass` }), withinLoopback);
  expect(back.status).toBe(302);
  expect(back.location!.startsWith(`${CALLBACK}?`)).toBe(true);
  return new URL(back.location!).searchParams;
}

async function token(fields: Record<string, string>): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(fields) });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function tokensOf(back: URLSearchParams, verifier: string): Promise<Record<string, unknown>> {
  expect(back.get('error_description')).toBeNull();
  return token({ grant_type: 'authorization_code', client_id: clientId, code: back.get('code')!, redirect_uri: CALLBACK, code_verifier: verifier });
}

const userStatus = async (username: string) => (await h.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;

describe('a federated user', () => {
  it('first sign-in: PreSignUp_ExternalProvider before the user is made, PostConfirmation_ConfirmSignUp after, HostedAuth at the token endpoint', async () => {
    const mark = events().length;
    const { verifier, challenge } = pkce();
    const back = await federatedSignIn('gina', challenge);
    expect(sourcesSince(mark)).toEqual(['PreSignUp_ExternalProvider', 'PostConfirmation_ConfirmSignUp']);
    const [preSignUp, postConfirmation] = events().slice(mark);
    expect(preSignUp).toMatchObject({ userName: `${PROVIDER}_g-1`, callerContext: { clientId }, request: { userAttributes: { email: 'gina@example.com', name: 'gina' }, validationData: null } });
    // PostConfirmation sees the stored user: EXTERNAL_PROVIDER, the identity, PreSignUp's autoVerifyEmail applied.
    expect(postConfirmation!.request['userAttributes']).toMatchObject({ 'cognito:user_status': 'EXTERNAL_PROVIDER', email_verified: 'true', sub: expect.any(String) });
    expect(JSON.parse(String((postConfirmation!.request['userAttributes'] as Record<string, string>)['identities']))).toEqual([expect.objectContaining({ userId: 'g-1', providerName: PROVIDER })]);

    const tokens = await tokensOf(back, verifier);
    expect(sourcesSince(mark).slice(2)).toEqual(['TokenGeneration_HostedAuth']);
    expect(decodeJwt(String(tokens['id_token']))).toMatchObject({ 'cognito:username': `${PROVIDER}_g-1`, email_verified: true, signed_in_by: 'TokenGeneration_HostedAuth' });
    expect(await userStatus(`${PROVIDER}_g-1`)).toBe('EXTERNAL_PROVIDER');

    // A refresh at the token endpoint is TokenGeneration_RefreshTokens.
    const refreshMark = events().length;
    const refreshed = await token({ grant_type: 'refresh_token', client_id: clientId, refresh_token: String(tokens['refresh_token']) });
    expect(sourcesSince(refreshMark)).toEqual(['TokenGeneration_RefreshTokens']);
    expect(decodeJwt(String(refreshed['id_token']))['signed_in_by']).toBe('TokenGeneration_RefreshTokens');
  }, 60_000);

  it('later sign-ins: PreAuthentication and PostAuthentication, no sign-up triggers; no migration, message or challenge trigger ever', async () => {
    const mark = events().length;
    const { verifier, challenge } = pkce();
    const back = await federatedSignIn('gina', challenge);
    expect(sourcesSince(mark)).toEqual(['PreAuthentication_Authentication', 'PostAuthentication_Authentication']);
    expect(events().slice(mark).map((e) => e.userName)).toEqual([`${PROVIDER}_g-1`, `${PROVIDER}_g-1`]);
    await tokensOf(back, verifier);
    expect(sourcesSince(mark)).toEqual(['PreAuthentication_Authentication', 'PostAuthentication_Authentication', 'TokenGeneration_HostedAuth']);
    expect(events().map((e) => e.triggerSource).filter((s) => /^(UserMigration|CustomMessage|DefineAuthChallenge)/.test(s))).toEqual([]);
  }, 60_000);

  it('a PreSignUp that refuses: the app gets the error, and no user is made', async () => {
    refuse('PreSignUp_ExternalProvider');
    const back = await federatedSignIn('pete', pkce().challenge);
    expect(back.get('error')).toBe('invalid_request');
    expect(back.get('error_description')).toBe(`PreSignUp failed with error PreSignUp_ExternalProvider says no to ${PROVIDER}_p-2.`);
    expect(back.get('state')).toBe('st-9');
    expect(back.get('code')).toBeNull();
    await expect(h.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: `${PROVIDER}_p-2` }))).rejects.toMatchObject({ name: 'UserNotFoundException' });
  }, 60_000);

  it('a PreSignUp that links the identity to an existing user (AdminLinkProviderForUser): that user signs in, no user of its own, no PostConfirmation', async () => {
    await createUser(h.sdk, poolId, 'petra', PASSWORD, { attributes: { email: 'pete@example.com' } });
    writeFileSync(`${refuseFile}.link`, JSON.stringify({ endpoint: h.pool.url, destination: 'petra' }));
    try {
      const mark = events().length;
      const { verifier, challenge } = pkce();
      const tokens = await tokensOf(await federatedSignIn('pete', challenge), verifier);
      expect(sourcesSince(mark)).toEqual(['PreSignUp_ExternalProvider', 'TokenGeneration_HostedAuth']);
      expect(decodeJwt(String(tokens['id_token']))).toMatchObject({ 'cognito:username': 'petra', identities: [expect.objectContaining({ userId: 'p-2', providerName: PROVIDER })] });
      await expect(h.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: `${PROVIDER}_p-2` }))).rejects.toMatchObject({ name: 'UserNotFoundException' });
    } finally {
      rmSync(`${refuseFile}.link`, { force: true });
    }
  }, 60_000);

  it('a PreAuthentication that refuses a later sign-in: the app gets the error and no code', async () => {
    refuse('PreAuthentication_Authentication');
    const mark = events().length;
    const back = await federatedSignIn('gina', pkce().challenge);
    expect(back.get('error_description')).toBe(`PreAuthentication failed with error PreAuthentication_Authentication says no to ${PROVIDER}_g-1.`);
    expect(back.get('code')).toBeNull();
    expect(sourcesSince(mark)).toEqual(['PreAuthentication_Authentication']);
  }, 60_000);

  it('a PostConfirmation that refuses: the app gets the error, the user stays, and the next sign-in is a later one', async () => {
    refuse('PostConfirmation_ConfirmSignUp');
    const back = await federatedSignIn('olga', pkce().challenge);
    expect(back.get('error_description')).toBe(`PostConfirmation failed with error PostConfirmation_ConfirmSignUp says no to ${PROVIDER}_o-3.`);
    expect(await userStatus(`${PROVIDER}_o-3`)).toBe('EXTERNAL_PROVIDER');
    refuse();
    const mark = events().length;
    const { verifier, challenge } = pkce();
    await tokensOf(await federatedSignIn('olga', challenge), verifier);
    expect(sourcesSince(mark)).toEqual(['PreAuthentication_Authentication', 'PostAuthentication_Authentication', 'TokenGeneration_HostedAuth']);
  }, 60_000);
});

describe('a password sign-in on the hosted page', () => {
  it("runs the API's authentication triggers, and PreTokenGeneration once, HostedAuth at the token endpoint; a refusing PreAuthentication shows its message on the page", async () => {
    await createUser(h.sdk, poolId, 'nora', PASSWORD);
    const signIn = async () => {
      const browser = new Browser();
      const { verifier, challenge } = pkce();
      const page = await browser.follow(await browser.get(authorizeUrl(challenge)), (url) => url.origin === h.pool.url);
      const login = formWith(page, 'password');
      return { answer: await browser.post(login.action, { ...login.fields, username: 'nora', password: PASSWORD }), verifier };
    };
    const mark = events().length;
    const { answer, verifier } = await signIn();
    expect(answer.status).toBe(302);
    // The flow's own tokens are thrown away: no PreTokenGeneration for them, one at the exchange.
    expect(sourcesSince(mark)).toEqual(['PreAuthentication_Authentication', 'PostAuthentication_Authentication']);
    const tokens = await tokensOf(new URL(answer.location!).searchParams, verifier);
    expect(sourcesSince(mark)).toEqual(['PreAuthentication_Authentication', 'PostAuthentication_Authentication', 'TokenGeneration_HostedAuth']);
    expect(decodeJwt(String(tokens['id_token']))['signed_in_by']).toBe('TokenGeneration_HostedAuth');

    refuse('PreAuthentication_Authentication');
    const refused = (await signIn()).answer;
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('PreAuthentication failed with error PreAuthentication_Authentication says no to nora.');
  }, 60_000);

  it('a TOTP user: the answered challenge ends the flow (PostAuthentication), PreTokenGeneration runs only at the exchange', async () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    h.pool.seed({ pools: [{ id: poolId, name: 'federated-triggers', users: [{ username: 'tess', password: PASSWORD, totpSecret: secret, mfa: { totp: true, preferred: 'TOTP' } }] }] });
    const browser = new Browser();
    const { verifier, challenge } = pkce();
    const page = await browser.follow(await browser.get(authorizeUrl(challenge)), (url) => url.origin === h.pool.url);
    const login = formWith(page, 'password');
    const mark = events().length;
    const codePage = await browser.post(login.action, { ...login.fields, username: 'tess', password: PASSWORD });
    const codeForm = formWith(codePage, 'code');
    const answer = await browser.post(codeForm.action, { ...codeForm.fields, code: totpCode(secret, h.clock.now()) });
    expect(answer.status).toBe(302);
    await tokensOf(new URL(answer.location!).searchParams, verifier);
    expect(sourcesSince(mark)).toEqual(['PreAuthentication_Authentication', 'PostAuthentication_Authentication', 'TokenGeneration_HostedAuth']);
  }, 60_000);

  it("an API sign-in's refresh token at the token endpoint: TokenGeneration_RefreshTokens; a refusing function is invalid_request and leaves the token usable", async () => {
    // Rotating with no grace period: a refusal that rotated the token anyway would leave it unusable.
    const api = (await h.sdk.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'api',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
    }))).UserPoolClient!.ClientId!;
    const signedIn = await h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: api, AuthParameters: { USERNAME: 'nora', PASSWORD } }));
    const refresh = () => fetch(`${base}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ grant_type: 'refresh_token', client_id: api, refresh_token: signedIn.AuthenticationResult!.RefreshToken! }) });
    refuse('TokenGeneration_RefreshTokens');
    const refused = await refresh();
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'invalid_request' });
    refuse();
    const mark = events().length;
    const answer = await refresh();
    expect(answer.status).toBe(200);
    expect(sourcesSince(mark)).toEqual(['TokenGeneration_RefreshTokens']);
    expect(decodeJwt(String(((await answer.json()) as Record<string, unknown>)['id_token']))['signed_in_by']).toBe('TokenGeneration_RefreshTokens');
  }, 60_000);

  it('brings a user of the legacy directory in through UserMigration_Authentication, as InitiateAuth does', async () => {
    const migrating = (await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'migrating', LambdaConfig: { UserMigration: arn('migrate') } }))).UserPool!.Id!;
    await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: migrating, Domain: 'fed-triggers-migrate' }));
    const web = (await h.sdk.send(new CreateUserPoolClientCommand({
      UserPoolId: migrating, ClientName: 'web', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'],
    }))).UserPoolClient!.ClientId!;
    const browser = new Browser();
    const url = `${h.pool.url}/_domain/fed-triggers-migrate/oauth2/authorize?${form({ client_id: web, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256' })}`;
    const page = await browser.follow(await browser.get(url), (u) => u.origin === h.pool.url);
    const login = formWith(page, 'password');
    const mark = events().length;
    const answer = await browser.post(login.action, { ...login.fields, username: 'legacy-lee', password: 'Legacy!pass1' });
    expect(answer.status).toBe(302);
    expect(new URL(answer.location!).searchParams.get('code')).toBeTruthy();
    expect(sourcesSince(mark)).toEqual(['UserMigration_Authentication']);
    expect((await h.sdk.send(new AdminGetUserCommand({ UserPoolId: migrating, Username: 'legacy-lee' }))).UserStatus).toBe('CONFIRMED');
  }, 60_000);
});
