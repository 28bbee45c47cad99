// User sessions (ListUserSessions, RevokeUserSession and their admin forms), the pool's and the app
// client's session configuration, and AdminDeleteSoftwareToken, with the AWS SDK over HTTP against one pool.
import {
  AdminDeleteSoftwareTokenCommand,
  AdminListUserSessionsCommand,
  AdminRevokeUserSessionCommand,
  AssociateSoftwareTokenCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolDomainCommand,
  GetUserCommand,
  GetUserPoolClientSessionConfigurationCommand,
  GetUserPoolSessionConfigurationCommand,
  InitiateAuthCommand,
  ListUserSessionsCommand,
  RevokeUserSessionCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolClientSessionConfigurationCommand,
  SetUserPoolSessionConfigurationCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
  type SessionDescriptionType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  STRONG_PASSWORD,
  createPoolAndClient,
  createUser,
  failure,
  passwordSignIn,
  respond,
  setPoolMfa,
  startPool,
  totpAt,
  type PoolHarness,
  type Setup,
} from './support.js';
import { Browser, formWith, pkce, type Answer } from './hosted-ui-support.js';

let h: PoolHarness;
let web: Setup;
let mobile: Setup;

beforeAll(async () => {
  h = await startPool();
  web = await createPoolAndClient(h.sdk);
  const app = await h.sdk.send(
    new CreateUserPoolClientCommand({
      UserPoolId: web.poolId,
      ClientName: 'mobile',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  mobile = { poolId: web.poolId, clientId: app.UserPoolClient!.ClientId! };
});
afterAll(() => h.close());

let users = 0;
/** A new user of the pool: its name. */
async function newUser(setup: Setup = web): Promise<string> {
  const username = `user${++users}`;
  await createUser(h.sdk, setup.poolId, username, STRONG_PASSWORD);
  return username;
}

async function signIn(setup: Setup, username: string): Promise<AuthenticationResultType> {
  return (await passwordSignIn(h.sdk, setup, username, STRONG_PASSWORD)).AuthenticationResult!;
}

const listed = async (accessToken: string, NextToken?: string) => h.sdk.send(new ListUserSessionsCommand({ AccessToken: accessToken, NextToken }));
const adminListed = async (username: string, setup: Setup = web, NextToken?: string) =>
  h.sdk.send(new AdminListUserSessionsCommand({ UserPoolId: setup.poolId, Username: username, NextToken }));
const getUser = (accessToken: string) => h.sdk.send(new GetUserCommand({ AccessToken: accessToken }));
const refresh = (setup: Setup, refreshToken: string) =>
  h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: setup.clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } }));
const byClient = (sessions: SessionDescriptionType[] | undefined, setup: Setup) => sessions!.find((s) => s.ClientId === setup.clientId)!;

describe('ListUserSessions / AdminListUserSessions', () => {
  it('list two sign-ins on two clients as two token sessions; IsCurrentSession marks the caller’s own', async () => {
    const username = await newUser();
    const started = h.clock.now();
    const first = await signIn(web, username);
    h.clock.advance(1000);
    const second = await signIn(mobile, username);

    const { Sessions, NextToken } = await listed(first.AccessToken!);
    expect(NextToken).toBeUndefined();
    expect(Sessions).toHaveLength(2);
    expect(Sessions!.map((s) => [s.SessionType, s.ClientId, s.IsCurrentSession])).toEqual([
      ['TOKEN', web.clientId, true],
      ['TOKEN', mobile.clientId, false],
    ]);
    for (const session of Sessions!) expect(session.SessionId).toMatch(/^tkn[a-z0-9]{25}$/);
    expect(new Set(Sessions!.map((s) => s.SessionId)).size).toBe(2);
    expect(Sessions!.map((s) => s.CreateDate!.getTime())).toEqual([started, started + 1000]);
    expect(Sessions!.map((s) => s.LastActiveDate!.getTime())).toEqual([started, started + 1000]);

    // The other token sees the same ids (stable), itself as current; the admin form never has a current one.
    const fromMobile = await listed(second.AccessToken!);
    expect(fromMobile.Sessions!.map((s) => [s.SessionId, s.IsCurrentSession])).toEqual([
      [Sessions![0]!.SessionId, false],
      [Sessions![1]!.SessionId, true],
    ]);
    const admin = await adminListed(username);
    expect(admin.Sessions!.map((s) => [s.SessionId, s.IsCurrentSession])).toEqual(Sessions!.map((s) => [s.SessionId, false]));
  });

  it('show a refresh as LastActiveDate, and no longer list sessions signed out or expired', async () => {
    const username = await newUser();
    const first = await signIn(web, username);
    const created = h.clock.now();
    h.clock.advance(60_000);
    await refresh(web, first.RefreshToken!);
    const session = byClient((await adminListed(username)).Sessions, web);
    expect([session.CreateDate!.getTime(), session.LastActiveDate!.getTime()]).toEqual([created, created + 60_000]);

    const other = await signIn(mobile, username);
    await h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: mobile.clientId, AuthParameters: { REFRESH_TOKEN: other.RefreshToken! } }));
    expect((await adminListed(username)).Sessions).toHaveLength(2);
    // Refresh tokens last 30 days by default: past that, neither is a session any more.
    h.clock.advance(31 * 24 * 3600_000);
    expect((await adminListed(username)).Sessions).toEqual([]);
  });

  it('answer 125 sessions a page, then a NextToken for the rest', async () => {
    const username = await newUser();
    const tokens: string[] = [];
    for (let i = 0; i < 127; i++) {
      tokens.push((await signIn(web, username)).AccessToken!);
      h.clock.advance(1);
    }
    const first = await listed(tokens[0]!);
    expect([first.Sessions!.length, typeof first.NextToken]).toEqual([125, 'string']);
    expect(first.Sessions![0]!.IsCurrentSession).toBe(true);
    const second = await listed(tokens[0]!, first.NextToken);
    expect([second.Sessions!.length, second.NextToken]).toEqual([2, undefined]);
    const ids = [...first.Sessions!, ...second.Sessions!].map((s) => s.SessionId);
    expect(new Set(ids).size).toBe(127);
    expect((await adminListed(username, web, first.NextToken)).Sessions!.map((s) => s.SessionId)).toEqual(second.Sessions!.map((s) => s.SessionId));
    expect(await failure(listed(tokens[0]!, 'bm90IGEgdG9rZW4'))).toEqual({ name: 'InvalidParameterException', message: 'Invalid NextToken.' });
  });

  it('refuse a revoked access token, an unknown user and an unknown pool', async () => {
    const username = await newUser();
    const tokens = await signIn(web, username);
    await refresh(web, tokens.RefreshToken!);
    expect(await failure(adminListed('nobody'))).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
    expect(await failure(adminListed(username, { poolId: 'us-east-1_nosuchpool', clientId: 'x' }))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'User pool us-east-1_nosuchpool does not exist.',
    });
    await h.sdk.send(new AdminRevokeUserSessionCommand({ UserPoolId: web.poolId, Username: username, SessionId: (await listed(tokens.AccessToken!)).Sessions![0]!.SessionId }));
    expect(await failure(listed(tokens.AccessToken!))).toEqual({ name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
  });
});

describe('RevokeUserSession / AdminRevokeUserSession', () => {
  it('revoke one session: its refresh and access tokens stop, the other session keeps working', async () => {
    const username = await newUser();
    const kept = await signIn(web, username);
    const gone = await signIn(mobile, username);
    const target = byClient((await listed(kept.AccessToken!)).Sessions, mobile);

    await h.sdk.send(new RevokeUserSessionCommand({ AccessToken: kept.AccessToken!, SessionId: target.SessionId! }));

    expect(await failure(getUser(gone.AccessToken!))).toEqual({ name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    expect(await failure(refresh(mobile, gone.RefreshToken!))).toEqual({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    expect((await getUser(kept.AccessToken!)).Username).toBe(username);
    expect((await refresh(web, kept.RefreshToken!)).AuthenticationResult!.AccessToken).toBeDefined();
    expect((await listed(kept.AccessToken!)).Sessions!.map((s) => s.ClientId)).toEqual([web.clientId]);

    // Gone is gone: the same id again, and an id of another user's session, are not found.
    const notFound = { name: 'ResourceNotFoundException', message: 'Session not found.' };
    expect(await failure(h.sdk.send(new RevokeUserSessionCommand({ AccessToken: kept.AccessToken!, SessionId: target.SessionId! })))).toEqual(notFound);
    const stranger = await signIn(web, await newUser());
    const strangers = (await listed(stranger.AccessToken!)).Sessions![0]!.SessionId!;
    expect(await failure(h.sdk.send(new RevokeUserSessionCommand({ AccessToken: kept.AccessToken!, SessionId: strangers })))).toEqual(notFound);
    expect((await getUser(stranger.AccessToken!)).Username).toBeDefined();
  });

  it('refuses the caller’s own session, a malformed id and RevokeAssociatedSessions outside NONE / LINKED', async () => {
    const username = await newUser();
    const tokens = await signIn(web, username);
    const own = (await listed(tokens.AccessToken!)).Sessions![0]!.SessionId!;
    expect(await failure(h.sdk.send(new RevokeUserSessionCommand({ AccessToken: tokens.AccessToken!, SessionId: own })))).toEqual({
      name: 'InvalidParameterException',
      message: 'The current session cannot be revoked; use GlobalSignOut or RevokeToken.',
    });
    expect(await failure(h.sdk.send(new RevokeUserSessionCommand({ AccessToken: tokens.AccessToken!, SessionId: 'tkn123' })))).toEqual({
      name: 'InvalidParameterException',
      message:
        "2 validation errors detected: Value at 'sessionId' failed to satisfy constraint: Member must have length greater than or equal to 28; " +
        "Value at 'sessionId' failed to satisfy constraint: Member must satisfy regular expression pattern: (tkn|sso)[a-z0-9]{25}",
    });
    const wrongMode = await failure(
      h.sdk.send(new AdminRevokeUserSessionCommand({ UserPoolId: web.poolId, Username: username, SessionId: own, RevokeAssociatedSessions: 'ALL' as 'LINKED' })),
    );
    expect(wrongMode.name).toBe('InvalidParameterException');
    expect((await getUser(tokens.AccessToken!)).Username).toBe(username);
  });

  it('AdminRevokeUserSession revokes any session of the named user, only of that user', async () => {
    const username = await newUser();
    const other = await newUser();
    const tokens = await signIn(mobile, username);
    const id = (await adminListed(username)).Sessions![0]!.SessionId!;
    expect(await failure(h.sdk.send(new AdminRevokeUserSessionCommand({ UserPoolId: web.poolId, Username: other, SessionId: id })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Session not found.',
    });
    expect(await failure(h.sdk.send(new AdminRevokeUserSessionCommand({ UserPoolId: web.poolId, Username: 'nobody', SessionId: id })))).toEqual({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    expect((await getUser(tokens.AccessToken!)).Username).toBe(username);
    await h.sdk.send(new AdminRevokeUserSessionCommand({ UserPoolId: web.poolId, Username: username, SessionId: id, RevokeAssociatedSessions: 'LINKED' }));
    expect(await failure(getUser(tokens.AccessToken!))).toEqual({ name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    expect(await failure(refresh(mobile, tokens.RefreshToken!))).toEqual({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    expect((await adminListed(username)).Sessions).toEqual([]);
  });

  it('are open to browser pages of allowed origins for the token form only', async () => {
    const username = await newUser();
    const tokens = await signIn(web, username);
    const call = (operation: string, body: object) =>
      fetch(h.pool.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`, Origin: 'http://localhost:5173' },
        body: JSON.stringify(body),
      });
    const own = await call('ListUserSessions', { AccessToken: tokens.AccessToken });
    expect([own.status, own.headers.get('access-control-allow-origin')]).toEqual([200, 'http://localhost:5173']);
    const admin = await call('AdminListUserSessions', { UserPoolId: web.poolId, Username: username });
    expect([admin.status, ((await admin.json()) as { __type: string }).__type]).toEqual([403, 'ForbiddenException']);
  });
});

describe('SSO sessions (the hosted UI)', () => {
  const CALLBACK = 'http://localhost:3000/callback';
  let oauth: Setup;
  let base: string;

  beforeAll(async () => {
    oauth = await createPoolAndClient(
      h.sdk,
      {},
      {
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'aws.cognito.signin.user.admin'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
      },
    );
    await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: oauth.poolId, Domain: 'sessions-test' }));
    base = `${h.pool.url}/_domain/sessions-test`;
  });

  /** /oauth2/authorize in `browser`: the login page, or (with its SSO session) the redirect back with a code. */
  async function authorize(browser: Browser, challenge: string, clientId = oauth.clientId): Promise<Answer> {
    const params = new URLSearchParams({
      client_id: clientId,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid aws.cognito.signin.user.admin',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    return browser.follow(await browser.get(`${base}/oauth2/authorize?${params}`), (url) => url.origin === h.pool.url);
  }

  async function exchange(answer: Answer, verifier: string, clientId = oauth.clientId): Promise<{ access_token: string; refresh_token: string }> {
    expect(answer.status).toBe(302);
    const code = new URL(answer.location!).searchParams.get('code')!;
    const response = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: CALLBACK, code_verifier: verifier }).toString(),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { access_token: string; refresh_token: string };
  }

  /** A new user signs in on the hosted UI's login page in a fresh browser: its SSO cookie and the code's tokens. */
  async function hostedSignIn(): Promise<{ username: string; browser: Browser; hosted: { access_token: string; refresh_token: string } }> {
    const username = await newUser(oauth);
    const browser = new Browser();
    const first = pkce();
    const fields = formWith(await authorize(browser, first.challenge), 'password');
    const hosted = await exchange(await browser.post(fields.action, { ...fields.fields, username, password: STRONG_PASSWORD }), first.verifier);
    return { username, browser, hosted };
  }

  it('list the hosted-UI session as SSO, the code’s tokens as a token session that came through it; LINKED revokes both', async () => {
    const { username, browser, hosted } = await hostedSignIn();
    h.clock.advance(1000);
    const api = await signIn(oauth, username);

    const { Sessions } = await listed(hosted.access_token);
    const sso = Sessions!.find((s) => s.SessionType === 'SSO')!;
    expect(sso.SessionId).toMatch(/^sso[a-z0-9]{25}$/);
    expect([sso.ClientId, sso.IsCurrentSession]).toEqual([undefined, false]);
    const tokenSessions = Sessions!.filter((s) => s.SessionType === 'TOKEN');
    expect(tokenSessions.map((s) => [s.IsCurrentSession, s.OriginSessionId])).toEqual([
      [true, sso.SessionId],
      [false, undefined],
    ]);

    // Revoking only the SSO session ends the cookie's silent sign-in, not the tokens it gave.
    const second = pkce();
    const again = await exchange(await authorize(browser, second.challenge), second.verifier);
    expect((await listed(api.AccessToken!)).Sessions!.filter((s) => s.OriginSessionId === sso.SessionId)).toHaveLength(2);
    await h.sdk.send(new AdminRevokeUserSessionCommand({ UserPoolId: oauth.poolId, Username: username, SessionId: sso.SessionId!, RevokeAssociatedSessions: 'LINKED' }));

    for (const token of [hosted.access_token, again.access_token]) {
      expect(await failure(getUser(token))).toEqual({ name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    }
    expect(await failure(refresh(oauth, hosted.refresh_token))).toEqual({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    expect((await listed(api.AccessToken!)).Sessions!.map((s) => [s.SessionType, s.IsCurrentSession])).toEqual([['TOKEN', true]]);
    // The browser's cookie no longer signs in: the login page again.
    const third = await authorize(browser, pkce().challenge);
    expect(third.status).toBe(200);
    expect(formWith(third, 'password').action).toContain('/login');
  });

  it('RevokeUserSession of a hosted-UI token session with LINKED also ends the SSO session it came through', async () => {
    const { username, browser, hosted } = await hostedSignIn();
    const api = await signIn(oauth, username);
    const session = (await listed(api.AccessToken!)).Sessions!.find((s) => s.OriginSessionId !== undefined)!;
    await h.sdk.send(new RevokeUserSessionCommand({ AccessToken: api.AccessToken!, SessionId: session.SessionId!, RevokeAssociatedSessions: 'LINKED' }));
    expect(await failure(getUser(hosted.access_token))).toEqual({ name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    expect((await listed(api.AccessToken!)).Sessions!.map((s) => s.SessionType)).toEqual(['TOKEN']);
    const next = await authorize(browser, pkce().challenge);
    expect(next.status).toBe(200);
    expect(formWith(next, 'password').action).toContain('/login');
  });

  it('RevokeUserSession of the SSO session alone leaves its token sessions working', async () => {
    const { username, browser, hosted } = await hostedSignIn();
    const sso = (await listed(hosted.access_token)).Sessions!.find((s) => s.SessionType === 'SSO')!;
    await h.sdk.send(new RevokeUserSessionCommand({ AccessToken: hosted.access_token, SessionId: sso.SessionId! }));
    expect((await getUser(hosted.access_token)).Username).toBe(username);
    expect((await listed(hosted.access_token)).Sessions!.map((s) => s.SessionType)).toEqual(['TOKEN']);
    const next = await authorize(browser, pkce().challenge);
    expect(next.status).toBe(200);
    expect(formWith(next, 'password').action).toContain('/login');
  });

  it('honour a client’s MaxValidityMinutes while the pool tracks sessions: past it, the client gets the login page again', async () => {
    const strict = await h.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: oauth.poolId,
        ClientName: 'strict',
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'aws.cognito.signin.user.admin'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
      }),
    );
    const strictId = strict.UserPoolClient!.ClientId!;
    const tracking = (UserSessionTracking: 'ENABLED' | 'DISABLED') =>
      h.sdk.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: oauth.poolId, UserSessionTracking, TokenSession: { MaxPerUser: 20 } }));
    const validity = (ClientId: string, MaxValidityMinutes: number) =>
      h.sdk.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: oauth.poolId, ClientId, SSOSession: { MaxValidityMinutes } }));
    const isLoginPage = (answer: Answer) => answer.status === 200 && formWith(answer, 'password').action.includes('/login');
    const silent = (answer: Answer) => answer.status === 302 && new URL(answer.location!).searchParams.has('code');
    await tracking('ENABLED');
    try {
      await validity(strictId, 0);
      const username = await newUser(oauth);
      const browser = new Browser();
      const login = formWith(await authorize(browser, pkce().challenge), 'password');
      expect(silent(await browser.post(login.action, { ...login.fields, username, password: STRONG_PASSWORD }))).toBe(true);

      expect(isLoginPage(await authorize(browser, pkce().challenge, strictId))).toBe(true); // 0: never silently
      expect(silent(await authorize(browser, pkce().challenge))).toBe(true); // the default 60 minutes
      h.clock.advance(30 * 60_000);
      await validity(oauth.clientId, 20);
      expect(isLoginPage(await authorize(browser, pkce().challenge))).toBe(true);
      await validity(oauth.clientId, 31);
      expect(silent(await authorize(browser, pkce().challenge))).toBe(true);

      // Tracking off: the client settings are dormant, the hosted UI reuses its session for its hour.
      await tracking('DISABLED');
      expect(silent(await authorize(browser, pkce().challenge, strictId))).toBe(true);
    } finally {
      await tracking('DISABLED');
    }
  });
});

describe('session configuration', () => {
  it('round trips the pool’s configuration, with the defaults before any Set and the model’s limits', async () => {
    const pool = await createPoolAndClient(h.sdk);
    const get = () => h.sdk.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: pool.poolId }));
    const { $metadata: _, ...defaults } = await get();
    expect(defaults).toEqual({ UserPoolId: pool.poolId, UserSessionTracking: 'DISABLED', TokenSession: { MaxPerUser: 20 } });

    const set = (UserSessionTracking: 'ENABLED' | 'DISABLED', MaxPerUser: number) =>
      h.sdk.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: pool.poolId, UserSessionTracking, TokenSession: { MaxPerUser } }));
    const { $metadata: __, ...answer } = await set('ENABLED', 100);
    const expected = { UserPoolId: pool.poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser: 100 } };
    expect(answer).toEqual(expected);
    expect(await get()).toMatchObject(expected);

    expect(await failure(set('ENABLED', 0))).toEqual({
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value at 'maxPerUser' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
    expect((await failure(set('ENABLED', 101))).name).toBe('InvalidParameterException');
    expect((await failure(h.sdk.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: pool.poolId, UserSessionTracking: 'ENABLED', TokenSession: undefined })))).name).toBe(
      'InvalidParameterException',
    );
    expect(await get()).toMatchObject(expected);

    const lite = await createPoolAndClient(h.sdk, { UserPoolTier: 'LITE' });
    expect(
      (await failure(h.sdk.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: lite.poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser: 5 } })))).name,
    ).toBe('FeatureUnavailableInTierException');
  });

  it('round trips a client’s SSO session validity once the pool tracks sessions', async () => {
    const pool = await createPoolAndClient(h.sdk);
    const get = () => h.sdk.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: pool.poolId, ClientId: pool.clientId }));
    const set = (MaxValidityMinutes: number, ClientId = pool.clientId) =>
      h.sdk.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: pool.poolId, ClientId, SSOSession: { MaxValidityMinutes } }));
    const { $metadata: _, ...defaults } = await get();
    expect(defaults).toEqual({ UserPoolId: pool.poolId, ClientId: pool.clientId, SSOSession: { MaxValidityMinutes: 60 } });

    expect(await failure(set(30))).toEqual({
      name: 'InvalidParameterException',
      message: 'Session tracking is not enabled for the user pool (SetUserPoolSessionConfiguration).',
    });
    await h.sdk.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: pool.poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser: 20 } }));
    expect(await set(0)).toMatchObject({ ClientId: pool.clientId, SSOSession: { MaxValidityMinutes: 0 } });
    expect(await get()).toMatchObject({ SSOSession: { MaxValidityMinutes: 0 } });
    await set(129_600);
    expect(await get()).toMatchObject({ SSOSession: { MaxValidityMinutes: 129_600 } });
    expect((await failure(set(129_601))).name).toBe('InvalidParameterException');
    expect(await get()).toMatchObject({ SSOSession: { MaxValidityMinutes: 129_600 } });
    expect((await failure(set(5, 'nosuchclient'))).name).toBe('ResourceNotFoundException');
    expect((await failure(h.sdk.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: pool.poolId, ClientId: 'nosuchclient' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });

  it('with tracking ENABLED, a sign-in past MaxPerUser evicts the least recently used session (its tokens revoked)', async () => {
    const pool = await createPoolAndClient(h.sdk);
    await h.sdk.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: pool.poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser: 2 } }));
    const username = await newUser(pool);
    const oldest = await signIn(pool, username);
    h.clock.advance(1000);
    const middle = await signIn(pool, username);
    h.clock.advance(1000);
    await refresh(pool, oldest.RefreshToken!); // the oldest is now the most recently used
    h.clock.advance(1000);
    const newest = await signIn(pool, username);

    expect(await failure(getUser(middle.AccessToken!))).toEqual({ name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    expect(await failure(refresh(pool, middle.RefreshToken!))).toEqual({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    expect((await getUser(oldest.AccessToken!)).Username).toBe(username);
    expect((await getUser(newest.AccessToken!)).Username).toBe(username);
    expect((await listed(newest.AccessToken!)).Sessions).toHaveLength(2);

    // DISABLED again: no limit.
    await h.sdk.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: pool.poolId, UserSessionTracking: 'DISABLED', TokenSession: { MaxPerUser: 2 } }));
    await signIn(pool, username);
    expect((await listed(newest.AccessToken!)).Sessions).toHaveLength(3);
  });
});

describe('AdminDeleteSoftwareToken', () => {
  /** A user of `setup` with a verified authenticator, TOTP on and preferred: the secret. */
  async function withAuthenticator(setup: Setup, username: string): Promise<void> {
    const tokens = await signIn(setup, username);
    const { SecretCode } = await h.sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: tokens.AccessToken! }));
    await h.sdk.send(new VerifySoftwareTokenCommand({ AccessToken: tokens.AccessToken!, UserCode: totpAt(SecretCode!, h) }));
    await h.sdk.send(
      new SetUserMFAPreferenceCommand({ AccessToken: tokens.AccessToken!, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
  }
  const deleteToken = (setup: Setup, Username: string) => h.sdk.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: setup.poolId, Username }));

  it('removes the TOTP factor: the next sign-in has no SOFTWARE_TOKEN_MFA challenge, and a new one can be associated', async () => {
    const pool = await createPoolAndClient(h.sdk);
    await setPoolMfa(h.sdk, pool.poolId, 'OPTIONAL', { SoftwareTokenMfaConfiguration: { Enabled: true } });
    const username = await newUser(pool);
    await withAuthenticator(pool, username);
    expect((await passwordSignIn(h.sdk, pool, username, STRONG_PASSWORD)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');

    await deleteToken(pool, username);

    const next = await passwordSignIn(h.sdk, pool, username, STRONG_PASSWORD);
    expect([next.ChallengeName, typeof next.AuthenticationResult?.AccessToken]).toEqual([undefined, 'string']);
    const user = await getUser(next.AuthenticationResult!.AccessToken!);
    expect([user.UserMFASettingList ?? [], user.PreferredMfaSetting]).toEqual([[], undefined]);
    const again = await h.sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: next.AuthenticationResult!.AccessToken! }));
    expect(again.SecretCode).toMatch(/^[A-Z2-7]{32}$/);
  });

  it('on a pool with MFA ON and TOTP only, the next sign-in asks MFA_SETUP, as for a user who never had one', async () => {
    const pool = await createPoolAndClient(h.sdk);
    const username = await newUser(pool);
    await setPoolMfa(h.sdk, pool.poolId, 'OPTIONAL', { SoftwareTokenMfaConfiguration: { Enabled: true } });
    await withAuthenticator(pool, username);
    await setPoolMfa(h.sdk, pool.poolId, 'ON', { SoftwareTokenMfaConfiguration: { Enabled: true } });
    const challenged = await passwordSignIn(h.sdk, pool, username, STRONG_PASSWORD);
    expect(challenged.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');

    await deleteToken(pool, username);
    // The challenge opened before the deletion has nothing left to check a code against.
    expect(await failure(respond(h.sdk, pool, 'SOFTWARE_TOKEN_MFA', challenged.Session, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: '123456' }))).toEqual({
      name: 'SoftwareTokenMFANotFoundException',
      message: 'Software Token MFA does not exist for the user.',
    });
    const next = await passwordSignIn(h.sdk, pool, username, STRONG_PASSWORD);
    expect(next.ChallengeName).toBe('MFA_SETUP');
    expect(JSON.parse(next.ChallengeParameters!['MFAS_CAN_SETUP']!)).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  it('answers a user without a software token, an unknown user and an unknown pool with the model’s errors', async () => {
    const username = await newUser();
    expect(await failure(deleteToken(web, username))).toEqual({ name: 'ResourceNotFoundException', message: 'Software token MFA is not set up for the user.' });
    expect(await failure(deleteToken(web, 'nobody'))).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
    expect((await failure(deleteToken({ poolId: 'us-east-1_nosuchpool', clientId: 'x' }, username))).name).toBe('ResourceNotFoundException');
  });
});
