// The chart with the real SDK port, over HTTP, against a local pool started by this test.
import { readFileSync } from 'node:fs';
import { waitFor, type SnapshotFrom } from 'xstate';
import { jwtVerify, createRemoteJWKSet } from 'jose';
import {
  AdminDisableUserCommand,
  AdminResetUserPasswordCommand,
  GetUserCommand,
  RespondToAuthChallengeCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createAuth, type Auth, type AuthMachine } from '../../src/index.node.js';
import { createSdkPort } from '../../src/cognito/sdk-port.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { TokenStore } from '../../src/session/tokens.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';

const PASSWORD = 'Passw0rd!strong';
let env: TestPool;
let clientId: string;
const running: Auth[] = [];

beforeAll(async () => {
  env = await startTestPool({
    poolProperties: { Policies: { PasswordPolicy: { MinimumLength: 8, RequireNumbers: true } }, Schema: [{ Name: 'name', Required: true, AttributeDataType: 'String', Mutable: true }] },
  });
  ({ clientId } = await env.createClient({ PreventUserExistenceErrors: 'LEGACY' }));
  await env.createUser('alice', PASSWORD, { attributes: { email: 'alice@example.com', name: 'Alice' } });
  await env.createUser('bob', PASSWORD, { attributes: { name: 'Bob' } });
});
afterAll(async () => {
  running.splice(0).forEach((a) => a.stop());
  await env.close();
});
afterEach(() => running.splice(0).forEach((a) => a.stop()));

function client(options: { clientId?: string; storage?: MemoryStorage; authFlow?: 'USER_PASSWORD_AUTH'; clientSecret?: string } = {}) {
  const storage = options.storage ?? new MemoryStorage();
  const id = options.clientId ?? clientId;
  const auth = createAuth({
    userPoolId: env.userPoolId,
    clientId: id,
    endpoint: env.pool.url,
    storage,
    ...(options.authFlow ? { authFlow: options.authFlow } : {}),
    ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
  });
  running.push(auth);
  return { auth, storage, tokens: new TokenStore(storage, id) };
}
const until = (auth: Auth, predicate: (s: SnapshotFrom<AuthMachine>) => boolean) => waitFor(auth.actor, predicate, { timeout: 10_000 });
const settledOut = (auth: Auth) => until(auth, (s) => s.matches('signedOut') && !s.hasTag('busy'));
const requestsSince = (mark: number) => env.pool.requests.slice(mark).map((r) => r.target.replace('AWSCognitoIdentityProviderService.', ''));

async function signIn(auth: Auth, username: string, password: string, authFlow?: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH') {
  await settledOut(auth);
  auth.actor.send({ type: 'signIn.submit', username, password, ...(authFlow ? { authFlow } : {}) });
  return until(auth, (s) => !s.hasTag('busy') && !(s.matches('signedOut') && s.context.error === null));
}

describe('password sign-in', () => {
  it('USER_SRP_AUTH: two Cognito calls, verifiable tokens, nothing secret in context', async () => {
    const { auth, tokens } = client();
    await settledOut(auth);
    const mark = env.pool.requests.length;
    const snap = await signIn(auth, 'alice', PASSWORD);
    expect(snap.value).toEqual({ signedIn: { tokens: 'active', account: 'idle' } });
    expect(requestsSince(mark)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    expect(snap.context.user).toMatchObject({ username: 'alice', attributes: { email: 'alice@example.com', name: 'Alice' } });

    const stored = (await tokens.load())!;
    const jwks = createRemoteJWKSet(new URL(`${env.pool.url}/${env.userPoolId}/.well-known/jwks.json`));
    const { payload: id } = await jwtVerify(stored.idToken, jwks, { audience: clientId });
    expect(id).toMatchObject({ token_use: 'id', 'cognito:username': 'alice', sub: snap.context.user!.userId });
    const { payload: access } = await jwtVerify(stored.accessToken, jwks);
    expect(access).toMatchObject({ token_use: 'access', client_id: clientId, username: 'alice' });

    const serialized = JSON.stringify(auth.actor.getPersistedSnapshot());
    for (const secret of [PASSWORD, stored.accessToken, stored.idToken, stored.refreshToken!]) expect(serialized).not.toContain(secret);
  });

  it('USER_PASSWORD_AUTH: one Cognito call', async () => {
    const { auth } = client({ authFlow: 'USER_PASSWORD_AUTH' });
    await settledOut(auth);
    const mark = env.pool.requests.length;
    const snap = await signIn(auth, 'bob', PASSWORD);
    expect(snap.matches('signedIn')).toBe(true);
    expect(requestsSince(mark)).toEqual(['InitiateAuth']);
    expect(snap.context.user?.signInDetails).toEqual({ loginId: 'bob', authFlowType: 'USER_PASSWORD_AUTH' });
  });

  it.each(['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] as const)('%s with a wrong password: signedOut, IncorrectUsernameOrPassword', async (flow) => {
    const { auth } = client();
    const snap = await signIn(auth, 'bob', 'Wr0ng-password', flow);
    expect(snap.value).toBe('signedOut');
    expect(snap.context.error).toMatchObject({ code: 'IncorrectUsernameOrPassword', retryable: false });
    // the user can try again with the right password on the same actor
    auth.actor.send({ type: 'signIn.submit', username: 'bob', password: PASSWORD, authFlow: flow });
    await until(auth, (s) => s.matches('signedIn'));
  });

  it('a client with a secret: SECRET_HASH on every call', async () => {
    const secretClient = await env.createClient({ GenerateSecret: true, ClientName: 'server' });
    const { auth } = client({ clientId: secretClient.clientId, clientSecret: secretClient.clientSecret! });
    expect((await signIn(auth, 'alice', PASSWORD)).matches('signedIn')).toBe(true);
    const { auth: withoutSecret } = client({ clientId: secretClient.clientId });
    const failed = await signIn(withoutSecret, 'alice', PASSWORD);
    expect(failed.value).toBe('failed');
    expect(failed.context.error?.code).toBe('SecretHashMismatch');
  });

  it('a flow the app client does not allow is a configuration failure', async () => {
    const srpOnly = await env.createClient({ ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], ClientName: 'srp-only' });
    const { auth } = client({ clientId: srpOnly.clientId });
    const snap = await signIn(auth, 'alice', PASSWORD, 'USER_PASSWORD_AUTH');
    expect(snap.value).toBe('failed');
    expect(snap.context.error?.code).toBe('AuthFlowNotEnabled');
  });
});

describe('unknown users', () => {
  it('LEGACY: UserNotFound, for SRP and for plain password', async () => {
    for (const flow of ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] as const) {
      const { auth } = client();
      const snap = await signIn(auth, 'nobody', PASSWORD, flow);
      expect(snap.context.error).toMatchObject({ code: 'UserNotFound', cognitoMessage: 'User does not exist.' });
    }
  });

  it('PreventUserExistenceErrors ENABLED: the same error as a wrong password, after a plausible SRP challenge', async () => {
    const hidden = await env.createClient({ PreventUserExistenceErrors: 'ENABLED', ClientName: 'hidden' });
    for (const flow of ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] as const) {
      const { auth } = client({ clientId: hidden.clientId });
      await settledOut(auth);
      const mark = env.pool.requests.length;
      const unknown = await signIn(auth, 'nobody', PASSWORD, flow);
      expect(unknown.context.error).toMatchObject({ code: 'IncorrectUsernameOrPassword', cognitoMessage: 'Incorrect username or password.' });
      expect(requestsSince(mark)).toEqual(flow === 'USER_SRP_AUTH' ? ['InitiateAuth', 'RespondToAuthChallenge'] : ['InitiateAuth']);
      const { auth: known } = client({ clientId: hidden.clientId });
      const wrong = await signIn(known, 'alice', 'Wr0ng-password', flow);
      expect(wrong.context.error).toEqual(unknown.context.error);
    }
  });
});

describe('NEW_PASSWORD_REQUIRED', () => {
  it('asks for the new password and the missing required attribute, then signs in; the temporary password stops working', async () => {
    await env.createUser('carol', 'Temp0rary!pw', { attributes: { email: 'carol@example.com' }, temporary: true });
    const { auth } = client();
    const step = await signIn(auth, 'carol', 'Temp0rary!pw');
    expect(step.matches({ signingIn: 'newPassword' })).toBe(true);
    expect(step.context.newPassword?.missingAttributes).toEqual(['name']);
    expect(step.context.newPassword?.userAttributes).toMatchObject({ email: 'carol@example.com' });

    auth.actor.send({ type: 'password.submit', newPassword: 'weak' });
    expect(auth.actor.getSnapshot().context.error?.code).toBe('InvalidInput'); // missing name: refused locally

    auth.actor.send({ type: 'password.submit', newPassword: 'weak', attributes: { name: 'Carol' } });
    const weak = await until(auth, (s) => s.matches({ signingIn: 'newPassword' }) && s.context.error !== null);
    expect(weak.context.error).toMatchObject({ code: 'InvalidPassword', category: 'challenge' });

    auth.actor.send({ type: 'password.submit', newPassword: 'N3w-Passw0rd!', attributes: { name: 'Carol' } });
    const done = await until(auth, (s) => s.matches('signedIn'));
    expect(done.context.user?.attributes).toMatchObject({ name: 'Carol' });

    const { auth: again } = client();
    expect((await signIn(again, 'carol', 'Temp0rary!pw')).context.error?.code).toBe('IncorrectUsernameOrPassword');
    const { auth: withNew } = client();
    expect((await signIn(withNew, 'carol', 'N3w-Passw0rd!')).matches('signedIn')).toBe(true);
  });

  it('changing an attribute the user already has is refused by Cognito (NotAuthorizedException): InvalidParameter on the attributes, not bad credentials', async () => {
    await env.createUser('greta', 'Temp0rary!pw', { attributes: { name: 'Greta' }, temporary: true });
    const { auth } = client({ authFlow: 'USER_PASSWORD_AUTH' });
    expect((await signIn(auth, 'greta', 'Temp0rary!pw')).matches({ signingIn: 'newPassword' })).toBe(true);
    const mark = env.pool.requests.length;
    auth.actor.send({ type: 'password.submit', newPassword: 'N3w-Passw0rd!', attributes: { name: 'Someone Else' } });
    const refused = await until(auth, (s) => !s.hasTag('busy') && s.context.error !== null);
    expect(requestsSince(mark)).toEqual(['RespondToAuthChallenge']);
    expect(refused.context.error).toMatchObject({ code: 'InvalidParameter', field: 'attributes', cognitoName: 'NotAuthorizedException' });
    // an app sending what the form does not ask for: a configuration fault, not a wrong password
    expect(refused.matches('failed')).toBe(true);
  });

  it('an expired Cognito session lands in sessionExpired; flow.restart starts over', async () => {
    await env.createUser('dan', 'Temp0rary!pw', { attributes: { name: 'Dan' }, temporary: true });
    const { auth } = client({ authFlow: 'USER_PASSWORD_AUTH' });
    await signIn(auth, 'dan', 'Temp0rary!pw');
    env.clock.advance(3 * 60_000 + 1000); // past AuthSessionValidity (3 min) on the pool's clock
    auth.actor.send({ type: 'password.submit', newPassword: 'N3w-Passw0rd!' });
    const expired = await until(auth, (s) => s.matches('sessionExpired'));
    expect(expired.context.error).toMatchObject({ code: 'SessionExpired', category: 'session' });
    auth.actor.send({ type: 'flow.restart' });
    expect((await signIn(auth, 'dan', 'Temp0rary!pw')).matches({ signingIn: 'newPassword' })).toBe(true);
  });

  it('a session already used elsewhere (another tab answered) lands in sessionExpired', async () => {
    await env.createUser('erin', 'Temp0rary!pw', { attributes: { name: 'Erin' }, temporary: true });
    const { auth } = client({ authFlow: 'USER_PASSWORD_AUTH' });
    const step = await signIn(auth, 'erin', 'Temp0rary!pw');
    await env.admin.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: step.context.session!,
        ChallengeResponses: { USERNAME: 'erin', NEW_PASSWORD: 'Other-Passw0rd!' },
      }),
    );
    auth.actor.send({ type: 'password.submit', newPassword: 'N3w-Passw0rd!' });
    const reused = await until(auth, (s) => s.matches('sessionExpired'));
    expect(reused.context.error?.code).toBe('SessionExpired');
  });
});

describe('next steps Cognito signals with exceptions', () => {
  it('UNCONFIRMED -> confirmSignUp; RESET_REQUIRED -> resetPassword; disabled -> UserDisabled', async () => {
    await env.createUser('frank', PASSWORD);
    await env.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: env.userPoolId, Username: 'frank' }));
    const { auth } = client();
    expect((await signIn(auth, 'frank', PASSWORD)).matches({ resettingPassword: 'confirming' })).toBe(true);

    env.pool.seed({
      pools: [{ id: env.userPoolId, name: 'test', users: [{ username: 'gina', password: PASSWORD, status: 'UNCONFIRMED', attributes: { name: 'Gina' } }] }],
    });
    const { auth: unconfirmed } = client({ authFlow: 'USER_PASSWORD_AUTH' });
    expect((await signIn(unconfirmed, 'gina', 'any-Wr0ng-password')).matches({ signingUp: 'confirming' })).toBe(true);

    await env.createUser('hank', PASSWORD, { attributes: { name: 'Hank' } });
    await env.admin.send(new AdminDisableUserCommand({ UserPoolId: env.userPoolId, Username: 'hank' }));
    const { auth: disabled } = client();
    expect((await signIn(disabled, 'hank', PASSWORD)).context.error?.code).toBe('UserDisabled');
  });
});

describe('lockout', () => {
  it('after five failures attempts are refused, even with the right password, until the lock passes', async () => {
    await env.createUser('ivan', PASSWORD, { attributes: { name: 'Ivan' } });
    const { auth } = client({ authFlow: 'USER_PASSWORD_AUTH' });
    for (let i = 1; i <= 6; i++) {
      const snap = await signIn(auth, 'ivan', `Wr0ng-${i}`);
      expect(snap.context.error?.code).toBe('IncorrectUsernameOrPassword');
    }
    const locked = await signIn(auth, 'ivan', PASSWORD);
    expect(locked.context.error).toMatchObject({ code: 'PasswordAttemptsExceeded', retryable: true });
    env.clock.advance(1_100);
    expect((await signIn(auth, 'ivan', PASSWORD)).matches('signedIn')).toBe(true);
  });
});

describe('session lifetime', () => {
  it('restores a stored session at start without calling Cognito, refreshes when stale, signs out with RevokeToken', async () => {
    const storage = new MemoryStorage();
    const first = client({ storage });
    await signIn(first.auth, 'alice', PASSWORD);
    first.auth.stop();

    let mark = env.pool.requests.length;
    const second = client({ storage });
    expect((await until(second.auth, (s) => !s.matches('checkingSession'))).matches('signedIn')).toBe(true);
    expect(requestsSince(mark)).toEqual([]);

    const stored = (await second.tokens.load())!;
    await second.tokens.save({ ...stored, expiresAt: Date.now() - 1 }); // as if an hour had passed
    mark = env.pool.requests.length;
    const third = client({ storage });
    const restored = await until(third.auth, (s) => !s.matches('checkingSession'));
    expect(restored.matches('signedIn')).toBe(true);
    expect(requestsSince(mark)).toEqual(['GetTokensFromRefreshToken']);
    const refreshed = (await third.tokens.load())!;
    expect(refreshed.accessToken).not.toBe(stored.accessToken);
    expect(refreshed.refreshToken).toBe(stored.refreshToken);

    const forced = await third.auth.getTokens({ forceRefresh: true });
    expect(forced?.accessToken).not.toBe(refreshed.accessToken);

    mark = env.pool.requests.length;
    third.auth.actor.send({ type: 'session.signOut' });
    const out = await until(third.auth, (s) => s.matches('signedOut'));
    expect(out.context.error).toBeNull();
    expect(requestsSince(mark)).toEqual(['RevokeToken']);
    expect(await third.tokens.load()).toBeNull();
    // The revoked refresh token and the access tokens minted from it are dead at Cognito too.
    await expect(env.admin.send(new GetUserCommand({ AccessToken: forced!.accessToken }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await third.tokens.save({ ...refreshed, expiresAt: Date.now() - 1 });
    const fourth = client({ storage });
    const dead = await until(fourth.auth, (s) => !s.matches('checkingSession'));
    expect(dead.value).toBe('signedOut');
    expect(dead.context.error?.category).toBe('token');
  });

  it('global sign-out revokes every session of the user', async () => {
    const a = client();
    const b = client();
    await signIn(a.auth, 'bob', PASSWORD);
    await signIn(b.auth, 'bob', PASSWORD);
    const otherDevice = (await b.tokens.load())!;
    a.auth.actor.send({ type: 'session.signOut', global: true });
    expect((await until(a.auth, (s) => s.matches('signedOut'))).context.error).toBeNull();
    await expect(env.admin.send(new GetUserCommand({ AccessToken: otherDevice.accessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
    expect(await b.auth.getTokens({ forceRefresh: true })).toBeNull();
    expect(b.auth.actor.getSnapshot().value).toBe('signedOut');
  });

  it('falls back to REFRESH_TOKEN_AUTH where GetTokensFromRefreshToken is unsupported (e.g. cognito-local)', async () => {
    // The local pool supports both; rotation makes GetTokensFromRefreshToken the only way on real Cognito,
    // so here we check the fallback keeps working by refreshing via InitiateAuth on the same pool.
    const storage = new MemoryStorage();
    const first = client({ storage, authFlow: 'USER_PASSWORD_AUTH' });
    await signIn(first.auth, 'alice', PASSWORD);
    const stored = (await first.tokens.load())!;
    first.auth.stop();
    await first.tokens.save({ ...stored, expiresAt: Date.now() - 1 });
    const mark = env.pool.requests.length;
    const port = createSdkPort({ userPoolId: env.userPoolId, clientId, endpoint: env.pool.url });
    const unsupported = Object.assign(new Error('Cognito Local unsupported feature'), { name: 'Unsupported' });
    const auth = createAuth({
      userPoolId: env.userPoolId,
      clientId,
      storage,
      port: { ...port, getTokensFromRefreshToken: async () => Promise.reject(unsupported) },
    });
    running.push(auth);
    expect((await until(auth, (s) => !s.matches('checkingSession'))).matches('signedIn')).toBe(true);
    expect(requestsSince(mark)).toEqual(['InitiateAuth']);
    expect((await new TokenStore(storage, clientId).load())?.refreshToken).toBe(stored.refreshToken);
  });
});

describe('the pool is durable', () => {
  it('a restarted pool keeps users, passwords, and signing keys', async () => {
    const storage = new MemoryStorage();
    const before = client({ storage });
    await signIn(before.auth, 'alice', PASSWORD);
    const oldTokens = (await before.tokens.load())!;
    env = await env.restart();
    // old tokens still verify against the restarted pool's JWKS
    const jwks = createRemoteJWKSet(new URL(`${env.pool.url}/${env.userPoolId}/.well-known/jwks.json`));
    await expect(jwtVerify(oldTokens.idToken, jwks)).resolves.toBeDefined();
    const after = client();
    expect((await signIn(after.auth, 'alice', PASSWORD)).matches('signedIn')).toBe(true);
    // and no password is stored in plain text
    expect(readFileSync(env.dataFile).includes(Buffer.from(PASSWORD))).toBe(false);
  });

  it('reconfiguring the client through UpdateUserPoolClient takes effect', async () => {
    await env.admin.send(
      new UpdateUserPoolClientCommand({ UserPoolId: env.userPoolId, ClientId: clientId, ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], PreventUserExistenceErrors: 'LEGACY' }),
    );
    const { auth } = client({ authFlow: 'USER_PASSWORD_AUTH' });
    expect((await signIn(auth, 'alice', PASSWORD)).context.error?.code).toBe('AuthFlowNotEnabled');
  });
});
