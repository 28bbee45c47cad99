// The local pool's hosted UI and OAuth 2.0 endpoints over HTTP: domains and the clients' OAuth
// settings through the SDK, discovery, /oauth2/authorize and its errors, the sign-in page (CSRF,
// MFA, new password, sign-up, forgot password), the token endpoint (PKCE, exact redirect_uri,
// single-use and expiring codes, confidential clients), userInfo, revoke, logout, the hosted-UI
// session, the implicit grant, and a domain reached by Host (<prefix>.auth.localhost).
import {
  AdminGetUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolDomainCommand,
  DeleteUserPoolDomainCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  GetUserCommand,
  SetUserPoolMfaConfigCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { createHash } from 'node:crypto';
import { totpCode } from '../../src/local-pool/index.js';
import { createUser, startPool, type PoolHarness } from './support.js';
import { Browser, errorText, form, formWith, pkce, type Answer } from './hosted-ui-support.js';

const PASSWORD = 'Passw0rd!hosted';
const CALLBACK = 'http://localhost:3000/callback';
const SIGNED_OUT = 'http://localhost:3000/signed-out';
const DOMAIN = 'hosted-test';

let h: PoolHarness;
let poolId: string;
let publicClient: string;
let secretClient: { id: string; secret: string };
let base: string;

const oauthClient = (overrides: Partial<CreateUserPoolClientCommandInput> = {}): CreateUserPoolClientCommandInput => ({
  UserPoolId: poolId,
  ClientName: 'web',
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthFlows: ['code', 'implicit'],
  AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
  CallbackURLs: [CALLBACK],
  LogoutURLs: [SIGNED_OUT],
  SupportedIdentityProviders: ['COGNITO'],
  ...overrides,
});

beforeAll(async () => {
  h = await startPool();
  const created = await h.sdk.send(
    new (await import('@aws-sdk/client-cognito-identity-provider')).CreateUserPoolCommand({
      PoolName: 'hosted',
      AutoVerifiedAttributes: ['email'],
      Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
    }),
  );
  poolId = created.UserPool!.Id!;
  await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: DOMAIN }));
  publicClient = (await h.sdk.send(new CreateUserPoolClientCommand(oauthClient()))).UserPoolClient!.ClientId!;
  const withSecret = (await h.sdk.send(new CreateUserPoolClientCommand(oauthClient({ ClientName: 'server', GenerateSecret: true, AllowedOAuthFlows: ['code'] })))).UserPoolClient!;
  secretClient = { id: withSecret.ClientId!, secret: withSecret.ClientSecret! };
  await createUser(h.sdk, poolId, 'alice', PASSWORD, { attributes: { email: 'alice@example.com', email_verified: 'true', name: 'Alice' } });
  base = `${h.pool.url}/_domain/${DOMAIN}`;
}, 60_000);
afterAll(() => h?.close());

interface AuthorizeParams {
  clientId?: string;
  redirectUri?: string;
  scope?: string;
  state?: string;
  nonce?: string;
  challenge?: string | null;
  responseType?: string;
  extra?: Record<string, string>;
}

function authorizeUrl(p: AuthorizeParams = {}): string {
  const params = new URLSearchParams({
    client_id: p.clientId ?? publicClient,
    redirect_uri: p.redirectUri ?? CALLBACK,
    response_type: p.responseType ?? 'code',
    scope: p.scope ?? 'openid email profile',
    state: p.state ?? 'state-123',
    ...(p.nonce ? { nonce: p.nonce } : {}),
    ...(p.challenge === null ? {} : { code_challenge: p.challenge ?? pkce().challenge, code_challenge_method: 'S256' }),
    ...p.extra,
  });
  return `${base}/oauth2/authorize?${params}`;
}

const onPool = (url: URL) => url.origin === h.pool.url;

/** authorize -> login page -> password: the answer that goes back to the app. */
async function signIn(browser: Browser, p: AuthorizeParams = {}, username = 'alice', password = PASSWORD): Promise<Answer> {
  const loginPage = await browser.follow(await browser.get(authorizeUrl(p)), onPool);
  expect(loginPage.status).toBe(200);
  const login = formWith(loginPage, 'password');
  return browser.post(login.action, { ...login.fields, username, password });
}

function callbackParams(answer: Answer): URLSearchParams {
  expect(answer.status).toBe(302);
  expect(answer.location!.startsWith(`${CALLBACK}?`)).toBe(true);
  return new URL(answer.location!).searchParams;
}

async function token(fields: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: form(fields),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

async function codeFor(p: AuthorizeParams & { verifier?: string } = {}): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const answer = await signIn(new Browser(), { ...p, challenge });
  return { code: callbackParams(answer).get('code')!, verifier };
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function jwks(): Promise<JSONWebKeySet> {
  return (await (await fetch(`${h.pool.url}/${poolId}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
}

describe('domains (CreateUserPoolDomain / DescribeUserPoolDomain / DeleteUserPoolDomain)', () => {
  it('describes the domain, shows it on the pool, and refuses a second one, a taken one and reserved words', async () => {
    const described = await h.sdk.send(new DescribeUserPoolDomainCommand({ Domain: DOMAIN }));
    expect(described.DomainDescription).toMatchObject({ UserPoolId: poolId, Domain: DOMAIN, Status: 'ACTIVE', CloudFrontDistribution: `${DOMAIN}.auth.localhost` });
    expect((await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.Domain).toBe(DOMAIN);
    await expect(h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'another-one' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: DOMAIN }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'my-cognito-app' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'Upper_Case' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect((await h.sdk.send(new DescribeUserPoolDomainCommand({ Domain: 'nobody-has-it' }))).DomainDescription).toEqual({});
  });

  it('deletes a domain; its endpoints then answer 404', async () => {
    const other = (await h.sdk.send(new (await import('@aws-sdk/client-cognito-identity-provider')).CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
    await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: other, Domain: 'short-lived' }));
    expect((await fetch(`${h.pool.url}/_domain/short-lived/oauth2/authorize`)).status).toBe(400);
    await expect(h.sdk.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'short-lived' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await h.sdk.send(new DeleteUserPoolDomainCommand({ UserPoolId: other, Domain: 'short-lived' }));
    expect((await fetch(`${h.pool.url}/_domain/short-lived/oauth2/authorize`)).status).toBe(404);
  });
});

describe("the app clients' OAuth settings", () => {
  it('are kept and described', async () => {
    const described = await h.sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: publicClient }));
    expect(described.UserPoolClient).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code', 'implicit'],
      AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
      CallbackURLs: [CALLBACK],
      LogoutURLs: [SIGNED_OUT],
      SupportedIdentityProviders: ['COGNITO'],
    });
  });

  it.each([
    ['an http callback off loopback', { CallbackURLs: ['http://app.example.com/cb'] }],
    ['a callback with a fragment', { CallbackURLs: ['https://app.example.com/cb#x'] }],
    ['a relative callback', { CallbackURLs: ['/cb'] }],
    ['a DefaultRedirectURI that is no callback', { DefaultRedirectURI: 'https://elsewhere.example.com/' }],
    ['a provider the pool does not have', { SupportedIdentityProviders: ['COGNITO', 'Nowhere'] }],
    ['email without openid', { AllowedOAuthScopes: ['email'] }],
    ['no flows while OAuth is on', { AllowedOAuthFlows: [] }],
    ['an unknown flow', { AllowedOAuthFlows: ['password'] }],
  ])('refuse %s', async (_what, overrides) => {
    await expect(h.sdk.send(new CreateUserPoolClientCommand(oauthClient(overrides as Partial<CreateUserPoolClientCommandInput>)))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  // The other client_credentials rules (secret, custom scopes only): test/local-pool/resource-servers.test.ts.
  it.each([
    ['client_credentials without a secret', { AllowedOAuthFlows: ['client_credentials'] }],
    ['client_credentials with code', { AllowedOAuthFlows: ['client_credentials', 'code'] }],
  ])('refuse %s (InvalidOAuthFlowException)', async (_what, overrides) => {
    await expect(h.sdk.send(new CreateUserPoolClientCommand(oauthClient(overrides as Partial<CreateUserPoolClientCommandInput>)))).rejects.toMatchObject({ name: 'InvalidOAuthFlowException' });
  });

  it('accept https, loopback http and app schemes', async () => {
    const created = await h.sdk.send(new CreateUserPoolClientCommand(oauthClient({ CallbackURLs: ['https://app.example.com/cb', 'http://127.0.0.1:8080/cb', 'myapp://callback'] })));
    expect(created.UserPoolClient?.CallbackURLs).toEqual(['https://app.example.com/cb', 'http://127.0.0.1:8080/cb', 'myapp://callback']);
  });
});

describe('discovery', () => {
  it('names the issuer the tokens carry, the domain endpoints and the JWKS', async () => {
    const response = await fetch(`${h.pool.url}/${poolId}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as Record<string, unknown>;
    expect(document).toMatchObject({
      issuer: `${h.pool.url}/${poolId}`,
      jwks_uri: `${h.pool.url}/${poolId}/.well-known/jwks.json`,
      authorization_endpoint: `${base}/oauth2/authorize`,
      token_endpoint: `${base}/oauth2/token`,
      userinfo_endpoint: `${base}/oauth2/userInfo`,
      revocation_endpoint: `${base}/oauth2/revoke`,
      end_session_endpoint: `${base}/logout`,
      code_challenge_methods_supported: ['S256'],
    });
    expect((await fetch(`${h.pool.url}/us-east-1_nothere/.well-known/openid-configuration`)).status).toBe(404);
  });
});

describe('/oauth2/authorize', () => {
  const browser = new Browser();

  it('answers an unknown client and a redirect_uri that is not exactly registered with an error page, never a redirect', async () => {
    for (const url of [
      authorizeUrl({ clientId: 'nosuchclient' }),
      authorizeUrl({ redirectUri: `${CALLBACK}/` }),
      authorizeUrl({ redirectUri: CALLBACK.toUpperCase() }),
      authorizeUrl({ redirectUri: `${CALLBACK}?x=1` }),
      authorizeUrl({ redirectUri: 'https://evil.example.com/callback' }),
    ]) {
      const answer = await browser.get(url);
      expect(answer.status).toBe(400);
      expect(answer.location).toBeUndefined();
    }
    expect((await browser.get(authorizeUrl({ redirectUri: 'https://evil.example.com/callback' }))).body).toContain('redirect_mismatch');
  });

  it.each([
    ['an unknown response_type', { responseType: 'id_token' }, 'unsupported_response_type'],
    ['a scope the client may not ask for', { scope: 'openid phone' }, 'invalid_scope'],
    ['email without openid', { scope: 'email' }, 'invalid_scope'],
    ['no PKCE from a client without a secret (a local rule)', { challenge: null }, 'invalid_request'],
    ['a plain PKCE method', { extra: { code_challenge_method: 'plain' } }, 'invalid_request'],
    ['an unknown identity provider', { extra: { identity_provider: 'Google' } }, 'invalid_request'],
    ['prompt=none without a session', { extra: { prompt: 'none' } }, 'login_required'],
  ])('sends %s back to the app as an error, with the state', async (_what, params, error) => {
    const answer = await browser.get(authorizeUrl(params as AuthorizeParams));
    const back = callbackParams(answer);
    expect(back.get('error')).toBe(error);
    expect(back.get('state')).toBe('state-123');
    expect(back.get('code')).toBeNull();
  });

  it('refuses a client that may not use the code grant', async () => {
    const implicitOnly = (await h.sdk.send(new CreateUserPoolClientCommand(oauthClient({ AllowedOAuthFlows: ['implicit'] })))).UserPoolClient!.ClientId!;
    expect(callbackParams(await browser.get(authorizeUrl({ clientId: implicitOnly }))).get('error')).toBe('unauthorized_client');
    const off = (await h.sdk.send(new CreateUserPoolClientCommand(oauthClient({ AllowedOAuthFlowsUserPoolClient: false })))).UserPoolClient!.ClientId!;
    expect(callbackParams(await browser.get(authorizeUrl({ clientId: off }))).get('error')).toBe('unauthorized_client');
  });

  it('shows the sign-in page: username and password inputs, sign-up and forgot-password links, login_hint filled in', async () => {
    const answer = await browser.follow(await browser.get(authorizeUrl({ extra: { login_hint: 'alice', lang: 'fr' } })), onPool);
    expect(answer.status).toBe(200);
    expect(new URL(answer.url).pathname).toBe(`/_domain/${DOMAIN}/login`);
    expect(answer.body).toMatch(/<input type="text" id="field-username" name="username" value="alice"/);
    expect(answer.body).toMatch(/<input type="password" id="field-password" name="password"/);
    expect(answer.body).toMatch(/href="[^"]*\/signup\?[^"]*"/);
    expect(answer.body).toMatch(/href="[^"]*\/forgotPassword\?[^"]*"/);
    expect(answer.body).toContain('<html lang="fr">');
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(String(answer.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  });
});

describe('the sign-in page and the code grant', () => {
  it('signs in with username and password: a code and the state go back; the code gives tokens that verify', async () => {
    const { verifier, challenge } = pkce();
    const answer = await signIn(new Browser(), { challenge, nonce: 'nonce-abc', state: 'xyz' });
    const back = callbackParams(answer);
    expect(back.get('state')).toBe('xyz');
    const code = back.get('code')!;
    expect(code).toMatch(/^[0-9a-f-]{36}$/);
    const exchanged = await token({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: CALLBACK, code_verifier: verifier });
    expect(exchanged.status).toBe(200);
    expect(exchanged.headers.get('cache-control')).toBe('no-store');
    expect(exchanged.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const keys = createLocalJWKSet(await jwks());
    const issuer = `${h.pool.url}/${poolId}`;
    const id = await jwtVerify(String(exchanged.body['id_token']), keys, { issuer, audience: publicClient, currentDate: new Date(h.clock.now()) });
    expect(id.payload).toMatchObject({ token_use: 'id', nonce: 'nonce-abc', 'cognito:username': 'alice', email: 'alice@example.com', email_verified: true });
    const accessToken = String(exchanged.body['access_token']);
    expect(id.payload['at_hash']).toBe(createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url'));
    const access = await jwtVerify(accessToken, keys, { issuer, currentDate: new Date(h.clock.now()) });
    expect(access.payload).toMatchObject({ token_use: 'access', client_id: publicClient, username: 'alice', scope: 'openid email profile' });
    expect(typeof exchanged.body['refresh_token']).toBe('string');
  });

  it('refuses the API with tokens that lack aws.cognito.signin.user.admin, and allows it with that scope', async () => {
    const without = await codeFor();
    const tokens = await token({ grant_type: 'authorization_code', client_id: publicClient, code: without.code, redirect_uri: CALLBACK, code_verifier: without.verifier });
    await expect(h.sdk.send(new GetUserCommand({ AccessToken: String(tokens.body['access_token']) }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const withAdmin = await codeFor({ scope: 'openid aws.cognito.signin.user.admin' });
    const adminTokens = await token({ grant_type: 'authorization_code', client_id: publicClient, code: withAdmin.code, redirect_uri: CALLBACK, code_verifier: withAdmin.verifier });
    expect((await h.sdk.send(new GetUserCommand({ AccessToken: String(adminTokens.body['access_token']) }))).Username).toBe('alice');
  });

  it('shows a wrong password on the page, with no code', async () => {
    const answer = await signIn(new Browser(), {}, 'alice', 'Wrong!password1');
    expect(answer.status).toBe(400);
    expect(errorText(answer.body)).toBe('Incorrect username or password.');
    expect(answer.location).toBeUndefined();
  });

  it('takes a code once: a second exchange is invalid_grant, and the tokens of the first are revoked', async () => {
    const { code, verifier } = await codeFor();
    const first = await token({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: CALLBACK, code_verifier: verifier });
    expect(first.status).toBe(200);
    const second = await token({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: CALLBACK, code_verifier: verifier });
    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const refreshed = await token({ grant_type: 'refresh_token', client_id: publicClient, refresh_token: String(first.body['refresh_token']) });
    expect(refreshed).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('lets a code expire after five minutes', async () => {
    const { code, verifier } = await codeFor();
    h.clock.advance(5 * 60_000 + 1000);
    const answer = await token({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: CALLBACK, code_verifier: verifier });
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuses a wrong or missing verifier, another redirect_uri, another client and an unknown code', async () => {
    const wrong = await codeFor();
    expect(await token({ grant_type: 'authorization_code', client_id: publicClient, code: wrong.code, redirect_uri: CALLBACK, code_verifier: pkce().verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const missing = await codeFor();
    expect(await token({ grant_type: 'authorization_code', client_id: publicClient, code: missing.code, redirect_uri: CALLBACK })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const redirect = await codeFor();
    expect(await token({ grant_type: 'authorization_code', client_id: publicClient, code: redirect.code, redirect_uri: `${CALLBACK}/`, code_verifier: redirect.verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const other = await codeFor();
    expect(await token({ grant_type: 'authorization_code', client_id: secretClient.id, client_secret: secretClient.secret, code: other.code, redirect_uri: CALLBACK, code_verifier: other.verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await token({ grant_type: 'authorization_code', client_id: publicClient, code: '00000000-0000-4000-8000-000000000000', redirect_uri: CALLBACK, code_verifier: other.verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await token({ grant_type: 'password', client_id: publicClient })).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(await token({ client_id: publicClient })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('refreshes with refresh_token: new tokens of the same scopes, no new refresh token', async () => {
    const { code, verifier } = await codeFor({ scope: 'openid email' });
    const first = await token({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: CALLBACK, code_verifier: verifier });
    const refreshed = await token({ grant_type: 'refresh_token', client_id: publicClient, refresh_token: String(first.body['refresh_token']) });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body['refresh_token']).toBeUndefined();
    expect(decodeJwt(String(refreshed.body['access_token']))['scope']).toBe('openid email');
    expect(decodeJwt(String(refreshed.body['id_token']))['auth_time']).toBe(decodeJwt(String(first.body['id_token']))['auth_time']);
  });

  it('gives no ID token without the openid scope', async () => {
    const { code, verifier } = await codeFor({ scope: 'aws.cognito.signin.user.admin' });
    const answer = await token({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: CALLBACK, code_verifier: verifier });
    expect(answer.status).toBe(200);
    expect(answer.body['id_token']).toBeUndefined();
  });
});

describe('confidential clients', () => {
  const exchange = async (fields: Record<string, string>, headers: Record<string, string> = {}) => {
    const answer = await signIn(new Browser(), { clientId: secretClient.id, challenge: null });
    const code = callbackParams(answer).get('code')!;
    return token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...fields }, headers);
  };

  it('authenticate with client_secret_basic or client_secret_post (PKCE optional)', async () => {
    expect((await exchange({}, { authorization: basic(secretClient.id, secretClient.secret) })).status).toBe(200);
    expect((await exchange({ client_id: secretClient.id, client_secret: secretClient.secret })).status).toBe(200);
  });

  it('refuse a wrong secret, no secret, and two methods at once', async () => {
    const wrong = await exchange({}, { authorization: basic(secretClient.id, 'not-the-secret-at-all-000') });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(wrong.headers.get('www-authenticate')).toBe('Basic');
    expect(await exchange({ client_id: secretClient.id })).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
    expect(await exchange({ client_secret: secretClient.secret }, { authorization: basic(secretClient.id, secretClient.secret) })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });
});

describe('/oauth2/userInfo and /oauth2/revoke', () => {
  let tokens: Record<string, unknown>;
  beforeAll(async () => {
    const { code, verifier } = await codeFor({ scope: 'openid email' });
    tokens = (await token({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: CALLBACK, code_verifier: verifier })).body;
  });

  it('answers the attributes the scopes reach (email: email and email_verified)', async () => {
    const response = await fetch(`${base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${String(tokens['access_token'])}` } });
    expect(response.status).toBe(200);
    const info = (await response.json()) as Record<string, unknown>;
    expect(info).toEqual({ sub: expect.any(String), email: 'alice@example.com', email_verified: 'true', username: 'alice' });
  });

  it('refuses no token, a token of an API sign-in (no openid scope), and a revoked one', async () => {
    expect((await fetch(`${base}/oauth2/userInfo`)).status).toBe(401);
    const { InitiateAuthCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    const apiClient = (await h.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'api', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }))).UserPoolClient!.ClientId!;
    const api = await h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: apiClient, AuthParameters: { USERNAME: 'alice', PASSWORD } }));
    const insufficient = await fetch(`${base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${api.AuthenticationResult!.AccessToken}` } });
    expect(insufficient.status).toBe(403);
    expect(insufficient.headers.get('www-authenticate')).toContain('insufficient_scope');

    const revoke = await fetch(`${base}/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ token: String(tokens['refresh_token']), client_id: publicClient }) });
    expect(revoke.status).toBe(200);
    const after = await fetch(`${base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${String(tokens['access_token'])}` } });
    expect(after.status).toBe(401);
    expect(await token({ grant_type: 'refresh_token', client_id: publicClient, refresh_token: String(tokens['refresh_token']) })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('revoke refuses an access token and another client', async () => {
    const notRefresh = await fetch(`${base}/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ token: String(tokens['access_token']), client_id: publicClient }) });
    expect(notRefresh.status).toBe(400);
    expect(await notRefresh.json()).toEqual({ error: 'unsupported_token_type' });
  });
});

describe('the form guards (CSRF)', () => {
  it('refuses a post without the page token, with another token, or from another origin', async () => {
    const browser = new Browser();
    const page = await browser.follow(await browser.get(authorizeUrl()), onPool);
    const login = formWith(page, 'password');
    const fields = { ...login.fields, username: 'alice', password: PASSWORD };
    const { _csrf: _dropped, ...withoutToken } = fields as Record<string, string>;
    expect((await browser.post(login.action, withoutToken)).status).toBe(403);
    expect((await browser.post(login.action, { ...fields, _csrf: 'A'.repeat(43) })).status).toBe(403);
    expect((await browser.post(login.action, fields, { origin: 'http://localhost:4000' })).status).toBe(403);
    expect((await new Browser().post(login.action, fields)).status).toBe(403);
    // The page's own post goes through.
    expect(callbackParams(await browser.post(login.action, fields)).get('code')).toBeTruthy();
  });
});

describe('the hosted-UI session and /logout', () => {
  it('answers a second authorize with a code at once; prompt=login asks again; logout ends it', async () => {
    const browser = new Browser();
    callbackParams(await signIn(browser));
    const again = await browser.get(authorizeUrl());
    expect(callbackParams(again).get('code')).toBeTruthy();
    const forced = await browser.follow(await browser.get(authorizeUrl({ extra: { prompt: 'login' } })), onPool);
    expect(forced.status).toBe(200);
    expect(formWith(forced, 'password')).toBeTruthy();

    const logout = await browser.get(`${base}/logout?${form({ client_id: publicClient, logout_uri: SIGNED_OUT })}`);
    expect(logout.status).toBe(302);
    expect(logout.location).toBe(SIGNED_OUT);
    const afterLogout = await browser.follow(await browser.get(authorizeUrl()), onPool);
    expect(afterLogout.status).toBe(200);
    expect(formWith(afterLogout, 'password')).toBeTruthy();
  });

  it('logout with redirect_uri and response_type goes to the sign-in page; an unregistered logout_uri is an error page', async () => {
    const browser = new Browser();
    const back = await browser.get(`${base}/logout?${form({ client_id: publicClient, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', code_challenge: pkce().challenge, code_challenge_method: 'S256' })}`);
    expect(back.status).toBe(302);
    expect(new URL(back.location!).pathname).toBe(`/_domain/${DOMAIN}/login`);
    const page = await browser.get(back.location!);
    expect(page.status).toBe(200);
    // Signing in there finishes that authorize request: a code for the redirect_uri.
    const login = formWith(page, 'password');
    expect(callbackParams(await browser.post(login.action, { ...login.fields, username: 'alice', password: PASSWORD })).get('code')).toBeTruthy();
    const wrong = await browser.get(`${base}/logout?${form({ client_id: publicClient, logout_uri: 'http://localhost:3000/elsewhere' })}`);
    expect(wrong.status).toBe(400);
    expect(wrong.location).toBeUndefined();
    expect((await browser.get(`${base}/logout?${form({ logout_uri: SIGNED_OUT })}`)).status).toBe(400);
  });
});

describe('the implicit grant', () => {
  it('sends tokens in the fragment', async () => {
    const answer = await signIn(new Browser(), { responseType: 'token', challenge: null, nonce: 'n-1' });
    expect(answer.status).toBe(302);
    const fragment = new URLSearchParams(new URL(answer.location!).hash.slice(1));
    expect(fragment.get('token_type')).toBe('Bearer');
    expect(fragment.get('state')).toBe('state-123');
    expect(decodeJwt(fragment.get('id_token')!)['nonce']).toBe('n-1');
    expect(decodeJwt(fragment.get('access_token')!)['client_id']).toBe(publicClient);
  });
});

describe('a domain reached by Host', () => {
  it('serves <prefix>.auth.localhost at the root, with cookies of its own', async () => {
    const browser = new Browser({ host: '127.0.0.1', port: h.pool.port });
    const hostBase = `http://${DOMAIN}.auth.localhost:${h.pool.port}`;
    const url = authorizeUrl().replace(base, hostBase);
    const page = await browser.follow(await browser.get(url), (u) => u.host === new URL(hostBase).host);
    expect(page.status).toBe(200);
    expect(new URL(page.url).pathname).toBe('/login');
    const login = formWith(page, 'password');
    expect(login.action.startsWith(`${hostBase}/login?`)).toBe(true);
    const answer = await browser.post(login.action, { ...login.fields, username: 'alice', password: PASSWORD });
    expect(callbackParams(answer).get('code')).toBeTruthy();
    expect(browser.cookies(new URL(hostBase).host).has('cognito')).toBe(true);
  });
});

describe('challenges on the sign-in page', () => {
  beforeAll(async () => {
    await h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    h.pool.seed({
      pools: [{
        id: poolId,
        name: 'hosted',
        users: [{ username: 'tom', password: PASSWORD, attributes: { email: 'tom@example.com', email_verified: 'true' }, totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', mfa: { totp: true, preferred: 'TOTP' } }],
      }],
    });
  });

  it('asks a TOTP user for the code: a wrong one stays on the page, the right one signs in', async () => {
    const browser = new Browser();
    const challenge = await signIn(browser, {}, 'tom');
    expect(challenge.status).toBe(200);
    const page = formWith(challenge, 'code');
    expect(page.fields['challenge']).toBe('SOFTWARE_TOKEN_MFA');
    const wrong = await browser.post(page.action, { ...page.fields, code: '000000' });
    expect(wrong.status).toBe(400);
    expect(errorText(wrong.body)).toBeTruthy();
    const retry = formWith(wrong, 'code');
    const right = await browser.post(retry.action, { ...retry.fields, code: totpCode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', h.clock.now()) });
    expect(callbackParams(right).get('code')).toBeTruthy();
  });

  it('asks an admin-created user for a new password, then signs in', async () => {
    await createUser(h.sdk, poolId, 'nina', 'Temp0rary!pass', { attributes: { email: 'nina@example.com' }, temporary: true });
    const browser = new Browser();
    const challenge = await signIn(browser, {}, 'nina', 'Temp0rary!pass');
    const page = formWith(challenge, 'new_password');
    expect(page.fields['challenge']).toBe('NEW_PASSWORD_REQUIRED');
    const weak = await browser.post(page.action, { ...page.fields, new_password: 'short' });
    expect(weak.status).toBe(400);
    const done = await browser.post(page.action, { ...page.fields, new_password: 'N3w!Passw0rd' });
    expect(callbackParams(done).get('code')).toBeTruthy();
    expect((await h.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'nina' }))).UserStatus).toBe('CONFIRMED');
  });
});

describe('sign-up and forgot password', () => {
  const outboxCode = (to: string): string => {
    const message = h.pool.outbox({ recipient: to }).at(-1);
    if (!message?.code) throw new Error(`no code for ${to}`);
    return message.code;
  };

  it('signs up, confirms with the e-mailed code, then signs in', async () => {
    const browser = new Browser();
    const login = await browser.follow(await browser.get(authorizeUrl()), onPool);
    const signUpLink = /href="([^"]*\/signup\?[^"]*)"/.exec(login.body)![1]!.replace(/&amp;/g, '&');
    const signUpPage = await browser.get(signUpLink);
    const signUp = formWith(signUpPage, 'attribute.email');
    const confirmPage = await browser.post(signUp.action, { ...signUp.fields, username: 'sue', password: PASSWORD, 'attribute.email': 'sue@example.com' });
    expect(confirmPage.status).toBe(200);
    const confirm = formWith(confirmPage, 'code');
    const wrong = await browser.post(confirm.action, { ...confirm.fields, code: '000000' });
    expect(wrong.status).toBe(400);
    const confirmed = await browser.post(confirm.action, { ...confirm.fields, code: outboxCode('sue@example.com') });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toContain('Your account is confirmed. Sign in.');
    const signInForm = formWith(confirmed, 'password');
    expect(signInForm.fields['username']).toBe('sue');
    expect(callbackParams(await browser.post(signInForm.action, { ...signInForm.fields, password: PASSWORD })).get('code')).toBeTruthy();
  });

  it('resets a forgotten password with the e-mailed code', async () => {
    const browser = new Browser();
    const login = await browser.follow(await browser.get(authorizeUrl()), onPool);
    const forgotLink = /href="([^"]*\/forgotPassword\?[^"]*)"/.exec(login.body)![1]!.replace(/&amp;/g, '&');
    const forgot = formWith(await browser.get(forgotLink), 'username');
    const codePage = await browser.post(forgot.action, { ...forgot.fields, username: 'alice' });
    const confirm = formWith(codePage, 'code');
    const done = await browser.post(confirm.action, { ...confirm.fields, code: outboxCode('alice@example.com'), password: 'Br4nd!NewPass' });
    expect(done.body).toContain('Your password is changed');
    const signInForm = formWith(done, 'password');
    expect(callbackParams(await browser.post(signInForm.action, { ...signInForm.fields, password: 'Br4nd!NewPass' })).get('code')).toBeTruthy();
  });
});
