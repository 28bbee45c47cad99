// Tokens: JWTs verified against the served JWKS, refresh (with and without rotation),
// RevokeToken, GlobalSignOut and their effect on GetUser.
import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminUserGlobalSignOutCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  UpdateUserPoolClientCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import {
  STRONG_PASSWORD,
  createPoolAndClient,
  createUser,
  failure,
  passwordSignIn,
  rawCall,
  startPool,
  type PoolHarness,
  type Setup,
} from './support.js';

let h: PoolHarness;
let setup: Setup;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk);
  await createUser(h.sdk, setup.poolId, 'alice', STRONG_PASSWORD, {
    attributes: { email: 'alice@example.com', email_verified: 'true', name: 'Alice' },
  });
});
afterAll(() => h.close());

async function signIn(target: Setup = setup, username = 'alice'): Promise<AuthenticationResultType> {
  return (await passwordSignIn(h.sdk, target, username, STRONG_PASSWORD)).AuthenticationResult!;
}

const refreshViaInitiateAuth = (refreshToken: string, target: Setup = setup) =>
  h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: target.clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } }));
const getTokens = (refreshToken: string, target: Setup = setup) =>
  h.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: target.clientId, RefreshToken: refreshToken }));
const getUser = (accessToken: string) => h.sdk.send(new GetUserCommand({ AccessToken: accessToken }));

describe('JWTs', () => {
  it('verify against /<poolId>/.well-known/jwks.json and carry Cognito claims', async () => {
    const tokens = await signIn();
    const jwksResponse = await rawCall(`${h.pool.url}/${setup.poolId}/.well-known/jwks.json`, { method: 'GET' });
    expect(jwksResponse.status).toBe(200);
    const jwks = jwksResponse.json as JSONWebKeySet;
    expect(jwks.keys).toHaveLength(2);
    for (const key of jwks.keys) expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(JSON.stringify(jwks)).not.toMatch(/"d"|"p"|"q"/);

    const keySet = createLocalJWKSet(jwks);
    const issuer = `${h.pool.url}/${setup.poolId}`;
    const at = new Date(h.clock.now());
    const id = await jwtVerify(tokens.IdToken!, keySet, { issuer, audience: setup.clientId, currentDate: at });
    const access = await jwtVerify(tokens.AccessToken!, keySet, { issuer, currentDate: at });
    expect(decodeProtectedHeader(tokens.IdToken!).kid).not.toBe(decodeProtectedHeader(tokens.AccessToken!).kid);

    const authTime = Math.floor(h.clock.now() / 1000);
    expect(id.payload).toMatchObject({
      aud: setup.clientId,
      iss: issuer,
      token_use: 'id',
      'cognito:username': 'alice',
      email: 'alice@example.com',
      email_verified: true,
      name: 'Alice',
      auth_time: authTime,
      iat: authTime,
      exp: authTime + 3600,
    });
    expect(id.payload.sub).toMatch(UUID);
    for (const claim of ['jti', 'origin_jti', 'event_id']) expect(id.payload[claim]).toMatch(UUID);

    expect(access.payload).toMatchObject({
      sub: id.payload.sub,
      iss: issuer,
      client_id: setup.clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      username: 'alice',
      auth_time: authTime,
      iat: authTime,
      exp: authTime + 3600,
      origin_jti: id.payload['origin_jti'],
      event_id: id.payload['event_id'],
    });
    expect(access.payload.aud).toBeUndefined();
    expect(access.payload.jti).not.toBe(id.payload.jti);
  });

  it('JWKS of an unknown pool is a JSON 404', async () => {
    const res = await rawCall(`${h.pool.url}/us-east-1_missing00/.well-known/jwks.json`, { method: 'GET' });
    expect(res.status).toBe(404);
  });

  it('token lifetimes follow the client settings', async () => {
    const short = await createPoolAndClient(
      h.sdk,
      { PoolName: 'short' },
      { AccessTokenValidity: 10, IdTokenValidity: 20, TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' } },
    );
    await createUser(h.sdk, short.poolId, 'bo', STRONG_PASSWORD);
    const tokens = await signIn(short, 'bo');
    expect(tokens.ExpiresIn).toBe(600);
    const payload = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number; iat: number };
    expect(payload(tokens.AccessToken!).exp - payload(tokens.AccessToken!).iat).toBe(600);
    expect(payload(tokens.IdToken!).exp - payload(tokens.IdToken!).iat).toBe(1200);
  });
});

describe('GetUser', () => {
  it('returns the user for a valid access token', async () => {
    const user = await getUser((await signIn()).AccessToken!);
    expect(user.Username).toBe('alice');
    expect(user.UserAttributes![0]!.Name).toBe('sub');
    expect(user.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'email', Value: 'alice@example.com' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Alice' },
      ]),
    );
  });

  it('refuses tampered, ID and expired tokens', async () => {
    const tokens = await signIn();
    const [header, payload, signature] = tokens.AccessToken!.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, username: 'admin' })).toString('base64url')}.${signature}`;
    const invalid = { name: 'NotAuthorizedException', message: 'Invalid Access Token' };
    expect(await failure(getUser(forged))).toEqual(invalid);
    expect(await failure(getUser(tokens.IdToken!))).toEqual(invalid);
    expect(await failure(getUser('not-a-jwt'))).toEqual(invalid);
    h.clock.advance(3600_000);
    expect(await failure(getUser(tokens.AccessToken!))).toEqual({ name: 'NotAuthorizedException', message: 'Access Token has expired' });
  });
});

describe('refresh', () => {
  it('REFRESH_TOKEN_AUTH gives new ID and access tokens but no refresh token, keeping auth_time', async () => {
    const first = await signIn();
    h.clock.advance(60_000);
    const refreshed = await refreshViaInitiateAuth(first.RefreshToken!);
    const result = refreshed.AuthenticationResult!;
    expect(result.RefreshToken).toBeUndefined();
    expect(result).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
    expect(result.AccessToken).not.toBe(first.AccessToken);
    const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(claims(result.IdToken!).auth_time).toBe(claims(first.IdToken!).auth_time);
    expect(claims(result.IdToken!).iat).toBe(claims(first.IdToken!).iat + 60);
    expect((await getUser(result.AccessToken!)).Username).toBe('alice');
    const synonym = await h.sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN', ClientId: setup.clientId, AuthParameters: { REFRESH_TOKEN: first.RefreshToken! } }),
    );
    expect(synonym.AuthenticationResult?.AccessToken).toBeDefined();
    expect((await getTokens(first.RefreshToken!)).AuthenticationResult?.RefreshToken).toBeUndefined();
  });

  it('refuses garbage, other clients and expired refresh tokens', async () => {
    const first = await signIn();
    const invalid = { name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' };
    expect(await failure(refreshViaInitiateAuth('garbage-token'))).toEqual(invalid);
    const other = await createPoolAndClient(h.sdk, { PoolName: 'other' });
    expect(await failure(refreshViaInitiateAuth(first.RefreshToken!, other))).toEqual(invalid);
    h.clock.advance(30 * 86_400_000);
    expect(await failure(refreshViaInitiateAuth(first.RefreshToken!))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Refresh Token has expired',
    });
  });

  it('GetTokensFromRefreshToken rotates when the client asks for it, with a grace period', async () => {
    const rotating = await createPoolAndClient(
      h.sdk,
      { PoolName: 'rotating' },
      { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 } },
    );
    await createUser(h.sdk, rotating.poolId, 'rui', STRONG_PASSWORD);
    const first = await signIn(rotating, 'rui');
    const second = (await getTokens(first.RefreshToken!, rotating)).AuthenticationResult!;
    expect(second.RefreshToken).toBeDefined();
    expect(second.RefreshToken).not.toBe(first.RefreshToken);
    h.clock.advance(10_000);
    expect((await getTokens(first.RefreshToken!, rotating)).AuthenticationResult?.AccessToken).toBeDefined(); // within grace
    h.clock.advance(1);
    expect(await failure(getTokens(first.RefreshToken!, rotating))).toEqual({
      name: 'RefreshTokenReuseException',
      message: 'Refresh token has already been used.',
    });
    expect((await getTokens(second.RefreshToken!, rotating)).AuthenticationResult?.RefreshToken).toBeDefined();
    expect(await failure(refreshViaInitiateAuth(second.RefreshToken!, rotating))).toEqual({
      name: 'InvalidParameterException',
      message: 'Refresh token rotation is enabled for this client; use GetTokensFromRefreshToken.',
    });
  });

  it('GetTokensFromRefreshToken checks the client secret', async () => {
    const secret = await createPoolAndClient(h.sdk, { PoolName: 'secret' }, { GenerateSecret: true });
    await createUser(h.sdk, secret.poolId, 'sid', STRONG_PASSWORD);
    const tokens = await signIn(secret, 'sid');
    const send = (ClientSecret?: string) =>
      h.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: secret.clientId, RefreshToken: tokens.RefreshToken!, ...(ClientSecret ? { ClientSecret } : {}) }));
    expect((await failure(send())).message).toBe(`Client ${secret.clientId} is configured for secret but secret was not received`);
    expect((await failure(send('x'.repeat(52)))).message).toBe(`Unable to verify secret hash for client ${secret.clientId}`);
    expect((await send(secret.clientSecret)).AuthenticationResult?.AccessToken).toBeDefined();
  });
});

describe('revocation', () => {
  const revoked = { name: 'NotAuthorizedException', message: 'Access Token has been revoked' };
  const refreshRevoked = { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' };

  it('RevokeToken revokes the refresh token and the access tokens minted from it, not other sessions', async () => {
    const mine = await signIn();
    const others = await signIn();
    const refreshedAccess = (await refreshViaInitiateAuth(mine.RefreshToken!)).AuthenticationResult!.AccessToken!;
    await h.sdk.send(new RevokeTokenCommand({ ClientId: setup.clientId, Token: mine.RefreshToken! }));
    expect(await failure(getUser(mine.AccessToken!))).toEqual(revoked);
    expect(await failure(getUser(refreshedAccess))).toEqual(revoked);
    expect(await failure(refreshViaInitiateAuth(mine.RefreshToken!))).toEqual(refreshRevoked);
    expect((await getUser(others.AccessToken!)).Username).toBe('alice');
    // Revoking again, or an unknown token, is not an error.
    await h.sdk.send(new RevokeTokenCommand({ ClientId: setup.clientId, Token: mine.RefreshToken! }));
    await h.sdk.send(new RevokeTokenCommand({ ClientId: setup.clientId, Token: 'unknown-token' }));
    expect((await failure(h.sdk.send(new RevokeTokenCommand({ ClientId: setup.clientId, Token: others.AccessToken! })))).name).toBe(
      'UnsupportedTokenTypeException',
    );
  });

  it('RevokeToken is refused when the client disabled revocation', async () => {
    const tokens = await signIn();
    await h.sdk.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: setup.poolId,
        ClientId: setup.clientId,
        EnableTokenRevocation: false,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    try {
      expect(await failure(h.sdk.send(new RevokeTokenCommand({ ClientId: setup.clientId, Token: tokens.RefreshToken! })))).toEqual({
        name: 'UnsupportedOperationException',
        message: 'Token revocation is not enabled for this app client.',
      });
    } finally {
      await h.sdk.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: setup.poolId,
          ClientId: setup.clientId,
          ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      );
    }
  });

  it('GlobalSignOut revokes every session of the user', async () => {
    const a = await signIn();
    const b = await signIn();
    await h.sdk.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken! }));
    expect(await failure(getUser(a.AccessToken!))).toEqual(revoked);
    expect(await failure(getUser(b.AccessToken!))).toEqual(revoked);
    expect(await failure(refreshViaInitiateAuth(b.RefreshToken!))).toEqual(refreshRevoked);
    expect(await failure(h.sdk.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken! })))).toEqual(revoked);
    expect((await getUser((await signIn()).AccessToken!)).Username).toBe('alice');
  });

  it('AdminUserGlobalSignOut and AdminDisableUser revoke too', async () => {
    const a = await signIn();
    await h.sdk.send(new AdminUserGlobalSignOutCommand({ UserPoolId: setup.poolId, Username: 'alice' }));
    expect(await failure(getUser(a.AccessToken!))).toEqual(revoked);
    const b = await signIn();
    await h.sdk.send(new AdminDisableUserCommand({ UserPoolId: setup.poolId, Username: 'alice' }));
    expect(await failure(getUser(b.AccessToken!))).toEqual(revoked);
    await h.sdk.send(new AdminEnableUserCommand({ UserPoolId: setup.poolId, Username: 'alice' }));
    expect(await failure(getUser(b.AccessToken!))).toEqual(revoked);
  });
});
