// Scenarios on the chart with the scripted fake Cognito port (no network).
import { createActor, SimulatedClock, waitFor, type SnapshotFrom } from 'xstate';
import vector from '../fixtures/srp-test-vector.json' with { type: 'json' };
import { authMachine, type AuthMachine } from '../../machines/auth.machine.js';
import { createAuth, forgetSecretsOutsideSignIn, type Auth } from '../../src/runtime/create-auth.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { selectView } from '../../src/view.js';
import { TokenStore, toStoredTokens } from '../../src/session/tokens.js';
import { cognitoError, createFakePort, fakeTokens, type FakePort, type FakeScript } from '../../src/testing/fake-port.js';
import { CognitoSrpClient, parseCognitoTimestamp } from '../../src/cognito/srp.js';
import { createActorLogic } from '../../src/runtime/actors/index.js';
import type { FlowSecrets } from '../../src/runtime/attempt-secrets.js';
import { SecretVault } from '../../src/runtime/secret-vault.js';
import type { AuthEvent } from '../../machines/auth.types.js';

const ids = { userPoolId: 'us-east-1_TestPool1', clientId: 'testclient' };
const PASSWORD = 'Corr3ct-Horse!';
const running: Auth[] = [];

function start(script: FakeScript = {}, options: { storage?: MemoryStorage; clock?: SimulatedClock; authFlow?: 'USER_PASSWORD_AUTH' } = {}) {
  const port = createFakePort(script, ids);
  const storage = options.storage ?? new MemoryStorage();
  const auth = createAuth({
    ...ids,
    port,
    storage,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.authFlow ? { authFlow: options.authFlow } : {}),
  });
  running.push(auth);
  return { auth, port, storage, tokens: new TokenStore(storage, ids.clientId) };
}
afterEach(() => running.splice(0).forEach((a) => a.stop()));

const until = (auth: Auth, predicate: (s: SnapshotFrom<AuthMachine>) => boolean) =>
  waitFor(auth.actor, predicate, { timeout: 5000 });
/** The runtime computes SRP before calling the port: wait for the call itself. */
async function untilCalled(port: FakePort, operation: FakePort['calls'][number]['operation'], count = 1) {
  for (let i = 0; i < 500 && port.callsOf(operation).length < count; i++) await new Promise((r) => setTimeout(r, 5));
  expect(port.callsOf(operation)).toHaveLength(count);
}
const settled = (auth: Auth) => until(auth, (s) => !s.hasTag('busy') && !s.hasTag('refreshing'));

const passwordVerifier = (username = 'alice') => ({
  challengeName: 'PASSWORD_VERIFIER',
  session: 'session-after-initiate-auth-xxxxxxxx',
  challengeParameters: {
    SALT: vector.SALT,
    SRP_B: vector.SRP_B,
    SECRET_BLOCK: vector.SECRET_BLOCK,
    USER_ID_FOR_SRP: username,
    USERNAME: username,
  },
});
const newPasswordRequired = (required: string[] = []) => ({
  challengeName: 'NEW_PASSWORD_REQUIRED',
  session: 'session-new-password-required-xxxxxx',
  challengeParameters: {
    USER_ID_FOR_SRP: 'carol',
    requiredAttributes: JSON.stringify(required.map((a) => `userAttributes.${a}`)),
    userAttributes: JSON.stringify({ email: 'carol@example.com', email_verified: 'true' }),
  },
});
const done = (username = 'alice') => ({ challengeParameters: {}, tokens: fakeTokens({ username, attributes: { email: `${username}@example.com` } }) });

async function signedOut(script: FakeScript = {}, options: Parameters<typeof start>[1] = {}) {
  const started = start(script, options);
  await until(started.auth, (s) => s.matches('signedOut'));
  return started;
}

describe('checkingSession', () => {
  it('goes to signedOut when nothing is stored, calling nothing', async () => {
    const { auth, port } = start();
    const snap = await until(auth, (s) => !s.matches('checkingSession'));
    expect(snap.value).toBe('signedOut');
    expect(port.calls).toHaveLength(0);
  });

  it('restores fresh stored tokens without calling Cognito', async () => {
    const storage = new MemoryStorage();
    await new TokenStore(storage, ids.clientId).save(toStoredTokens(fakeTokens({ username: 'alice' }), Date.now(), { loginId: 'alice' }));
    const { auth, port } = start({}, { storage });
    const snap = await until(auth, (s) => !s.matches('checkingSession'));
    expect(snap.value).toEqual({ signedIn: { tokens: 'active', account: 'idle' } });
    expect(snap.context.user).toMatchObject({ username: 'alice', userId: 'sub-alice', attributes: {} });
    expect(port.calls).toHaveLength(0);
  });

  it('refreshes stale tokens with GetTokensFromRefreshToken and keeps the refresh token Cognito did not rotate', async () => {
    const storage = new MemoryStorage();
    const tokens = new TokenStore(storage, ids.clientId);
    const stale = fakeTokens({ username: 'alice', nowSeconds: Math.floor(Date.now() / 1000) - 7200, refreshToken: 'the-refresh-token' });
    await tokens.save(toStoredTokens(stale, Date.now(), {}));
    const { auth, port } = start({ getTokensFromRefreshToken: [fakeTokens({ username: 'alice', refreshToken: null })] }, { storage });
    const snap = await until(auth, (s) => s.matches('signedIn'));
    expect(port.callsOf('getTokensFromRefreshToken')[0]?.request).toEqual({ refreshToken: 'the-refresh-token' });
    expect((await tokens.load())?.refreshToken).toBe('the-refresh-token');
    expect(snap.context.user?.tokensExpireAt).toBeGreaterThan(Date.now());
  });

  it('falls back to REFRESH_TOKEN_AUTH when GetTokensFromRefreshToken is not supported', async () => {
    const storage = new MemoryStorage();
    const stale = fakeTokens({ username: 'alice', nowSeconds: Math.floor(Date.now() / 1000) - 7200, refreshToken: 'rt-1' });
    await new TokenStore(storage, ids.clientId).save(toStoredTokens(stale, Date.now(), {}));
    const { auth, port } = start(
      {
        getTokensFromRefreshToken: [cognitoError('Unsupported', 'Cognito Local unsupported feature')],
        initiateAuth: [done()],
      },
      { storage },
    );
    await until(auth, (s) => s.matches('signedIn'));
    expect(port.callsOf('initiateAuth')[0]?.request).toEqual({
      authFlow: 'REFRESH_TOKEN_AUTH',
      parameters: { REFRESH_TOKEN: 'rt-1' },
      secretHashUsername: 'alice',
    });
  });

  it('forgets a revoked stored session and signs out', async () => {
    const storage = new MemoryStorage();
    const tokens = new TokenStore(storage, ids.clientId);
    const stale = fakeTokens({ username: 'alice', nowSeconds: Math.floor(Date.now() / 1000) - 7200 });
    await tokens.save(toStoredTokens(stale, Date.now(), {}));
    const { auth } = start({ getTokensFromRefreshToken: [cognitoError('NotAuthorizedException', 'Refresh Token has been revoked')] }, { storage });
    const snap = await until(auth, (s) => s.matches('signedOut'));
    expect(snap.context.error).toMatchObject({ code: 'TokenRevoked', category: 'token' });
    expect(await tokens.load()).toBeNull();
  });

  it('keeps stored tokens when the refresh fails for lack of network', async () => {
    const storage = new MemoryStorage();
    const tokens = new TokenStore(storage, ids.clientId);
    await tokens.save(toStoredTokens(fakeTokens({ username: 'alice', nowSeconds: Math.floor(Date.now() / 1000) - 7200 }), Date.now(), {}));
    const offline = Object.assign(new TypeError('fetch failed'), { name: 'TypeError' });
    const clock = new SimulatedClock();
    clock.set(Date.now());
    const { auth, port } = start({ getTokensFromRefreshToken: [offline, offline, fakeTokens({ username: 'alice' })] }, { storage, clock });
    // Signed in on the stale tokens, with the error and the flag: the session is not lost for being offline.
    const stale = await until(auth, (s) => s.matches({ signedIn: { tokens: 'waitingToRetry' } }));
    expect(stale.context.error).toMatchObject({ code: 'Network', retryable: true });
    expect(selectView(stale)).toMatchObject({ route: 'signedIn', tokensStale: true, user: expect.objectContaining({ username: 'alice' }) });
    expect(await tokens.load()).not.toBeNull();
    // Retried after refreshRetryMs (30 s by default), and again while it still fails.
    clock.increment(30_000);
    await until(auth, (s) => port.callsOf('getTokensFromRefreshToken').length === 2 && s.matches({ signedIn: { tokens: 'waitingToRetry' } }));
    clock.increment(30_000);
    const fresh = await until(auth, (s) => s.matches({ signedIn: { tokens: 'active' } }));
    expect(fresh.context).toMatchObject({ tokensStale: false, error: null });
  });
});

describe('USER_SRP_AUTH', () => {
  it('answers PASSWORD_VERIFIER itself and signs in, with nothing secret left in context', async () => {
    const { auth, port, tokens } = await signedOut({ initiateAuth: [passwordVerifier('alice-canonical')], respondToAuthChallenge: [done('alice-canonical')] });
    auth.actor.send({ type: 'signIn.submit', username: ' alice ', password: PASSWORD });
    const snap = await until(auth, (s) => s.matches('signedIn'));

    const initiate = port.callsOf('initiateAuth')[0]?.request as { authFlow: string; parameters: Record<string, string> };
    expect(initiate.authFlow).toBe('USER_SRP_AUTH');
    expect(initiate.parameters['USERNAME']).toBe('alice');
    expect(initiate.parameters['SRP_A']).toMatch(/^[0-9a-f]{700,}$/);
    expect(initiate.parameters).not.toHaveProperty('PASSWORD');

    const respond = port.callsOf('respondToAuthChallenge')[0]?.request as { challengeName: string; session: string; responses: Record<string, string> };
    expect(respond.challengeName).toBe('PASSWORD_VERIFIER');
    expect(respond.session).toBe('session-after-initiate-auth-xxxxxxxx');
    expect(respond.responses['USERNAME']).toBe('alice-canonical');
    expect(respond.responses['PASSWORD_CLAIM_SECRET_BLOCK']).toBe(vector.SECRET_BLOCK);
    expect(respond.responses['PASSWORD_CLAIM_SIGNATURE']).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(parseCognitoTimestamp(respond.responses['TIMESTAMP'] ?? '')).toBeInstanceOf(Date);

    expect(snap.context.user).toMatchObject({
      username: 'alice-canonical',
      signInDetails: { loginId: 'alice', authFlowType: 'USER_SRP_AUTH' },
      attributes: { email: 'alice-canonical@example.com' },
    });
    expect(snap.context.session).toBeNull();
    expect(snap.context.secretRef).toBeNull();
    expect((await tokens.load())?.refreshToken).toMatch(/^refresh-alice-canonical/);
    const persisted = JSON.stringify(auth.actor.getPersistedSnapshot());
    expect(persisted).not.toContain(PASSWORD);
    expect(JSON.stringify(snap.context)).not.toContain((await tokens.load())!.accessToken);
  });

  it('passes through verifyingPassword, visibly busy', async () => {
    let release!: (r: ReturnType<typeof done>) => void;
    const { auth, port } = await signedOut({
      initiateAuth: [passwordVerifier()],
      respondToAuthChallenge: [() => new Promise((resolve) => (release = resolve))],
    });
    auth.actor.send({ type: 'signIn.submit', username: 'alice', password: PASSWORD });
    const busy = await until(auth, (s) => s.matches({ signingIn: 'verifyingPassword' }));
    expect(busy.hasTag('busy')).toBe(true);
    expect(busy.context.secretRef).toMatch(/^secret-/);
    expect(JSON.stringify(busy.context)).not.toContain(PASSWORD);
    await untilCalled(port, 'respondToAuthChallenge');
    release(done());
    await until(auth, (s) => s.matches('signedIn'));
  });

  it('a wrong password returns to signedOut with a typed, non-retryable error', async () => {
    const { auth } = await signedOut({
      initiateAuth: [passwordVerifier()],
      respondToAuthChallenge: [cognitoError('NotAuthorizedException', 'Incorrect username or password.')],
    });
    auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'wrong' });
    const snap = await until(auth, (s) => s.matches('signedOut') && s.context.error !== null);
    expect(snap.context.error).toEqual({
      code: 'IncorrectUsernameOrPassword',
      category: 'credentials',
      field: 'credentials',
      cognitoMessage: 'Incorrect username or password.',
      retryable: false,
      cognitoName: 'NotAuthorizedException',
    });
    expect(snap.context.session).toBeNull();
  });

  it('an unknown user is reported as such (LEGACY pools) and a lockout as retryable', async () => {
    const { auth } = await signedOut({
      initiateAuth: [cognitoError('UserNotFoundException', 'User does not exist.'), cognitoError('NotAuthorizedException', 'Password attempts exceeded')],
    });
    auth.actor.send({ type: 'signIn.submit', username: 'nobody', password: 'x' });
    expect((await until(auth, (s) => s.context.error !== null)).context.error?.code).toBe('UserNotFound');
    auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'x' });
    const locked = await until(auth, (s) => s.context.error?.code === 'PasswordAttemptsExceeded');
    expect(locked.context.error?.retryable).toBe(true);
    expect(locked.value).toBe('signedOut');
  });
});

describe('USER_PASSWORD_AUTH', () => {
  it('signs in with one InitiateAuth', async () => {
    const { auth, port } = await signedOut({ initiateAuth: [done('bob')] });
    auth.actor.send({ type: 'signIn.submit', username: 'bob', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' });
    await until(auth, (s) => s.matches('signedIn'));
    expect(port.calls).toHaveLength(1);
    expect(port.calls[0]?.request).toEqual({ authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: 'bob', PASSWORD } });
  });

  it('any password works, even one that looks like a redaction marker', async () => {
    const { auth, port } = await signedOut({ initiateAuth: [done('bob')] });
    auth.actor.send({ type: 'signIn.submit', username: 'bob', password: '[redacted]', authFlow: 'USER_PASSWORD_AUTH' });
    await until(auth, (s) => s.matches('signedIn'));
    expect(port.calls[0]?.request).toMatchObject({ parameters: { PASSWORD: '[redacted]' } });
  });

  it('uses the flow chosen at creation', async () => {
    const { auth, port } = await signedOut({ initiateAuth: [done('bob')] }, { authFlow: 'USER_PASSWORD_AUTH' });
    auth.actor.send({ type: 'signIn.submit', username: 'bob', password: PASSWORD });
    await until(auth, (s) => s.matches('signedIn'));
    expect((port.calls[0]?.request as { authFlow: string }).authFlow).toBe('USER_PASSWORD_AUTH');
  });
});

describe('input validation', () => {
  it.each([
    ['empty username', { username: '  ', password: 'x' }],
    ['empty password', { username: 'alice', password: '' }],
  ])('%s: typed error, no Cognito call, still signedOut', async (_label, credentials) => {
    const { auth, port } = await signedOut();
    auth.actor.send({ type: 'signIn.submit', ...credentials });
    const snap = auth.actor.getSnapshot();
    expect(snap.value).toBe('signedOut');
    expect(snap.context.error).toMatchObject({ code: 'InvalidInput', category: 'input' });
    expect(port.calls).toHaveLength(0);
  });
});

describe('NEW_PASSWORD_REQUIRED', () => {
  async function atNewPassword(more: FakeScript = {}, required = ['name']) {
    const started = await signedOut({ initiateAuth: [newPasswordRequired(required)], ...more });
    started.auth.actor.send({ type: 'signIn.submit', username: 'carol@example.com', password: 'Temp0rary!', authFlow: 'USER_PASSWORD_AUTH' });
    const snap = await until(started.auth, (s) => s.matches({ signingIn: 'newPassword' }));
    return { ...started, snap };
  }

  it('shows the missing attributes and refuses a submit without them, without calling Cognito', async () => {
    const { auth, port, snap } = await atNewPassword();
    expect(snap.context.newPassword).toEqual({
      missingAttributes: ['name'],
      userAttributes: { email: 'carol@example.com', email_verified: 'true' },
    });
    expect(snap.context.challengeUsername).toBe('carol');
    auth.actor.send({ type: 'password.submit', newPassword: 'N3w-Passw0rd!' });
    expect(auth.actor.getSnapshot().context.error?.code).toBe('InvalidInput');
    expect(auth.actor.getSnapshot().matches({ signingIn: 'newPassword' })).toBe(true);
    expect(port.callsOf('respondToAuthChallenge')).toHaveLength(0);
  });

  it('sends the new password with the attributes under the canonical user name, then signs in', async () => {
    const { auth, port } = await atNewPassword({ respondToAuthChallenge: [done('carol')] });
    auth.actor.send({ type: 'password.submit', newPassword: 'N3w-Passw0rd!', attributes: { name: 'Carol' } });
    await until(auth, (s) => s.matches('signedIn'));
    expect(port.callsOf('respondToAuthChallenge')[0]?.request).toEqual({
      challengeName: 'NEW_PASSWORD_REQUIRED',
      session: 'session-new-password-required-xxxxxx',
      responses: { USERNAME: 'carol', NEW_PASSWORD: 'N3w-Passw0rd!', 'userAttributes.name': 'Carol' },
    });
  });

  it('a weak password stays on the step with a typed error; the next try succeeds', async () => {
    const { auth } = await atNewPassword({
      respondToAuthChallenge: [cognitoError('InvalidPasswordException', 'Password did not conform with policy: Password not long enough'), done('carol')],
    }, []);
    auth.actor.send({ type: 'password.submit', newPassword: 'short' });
    const failed = await until(auth, (s) => s.matches({ signingIn: 'newPassword' }) && s.context.error !== null);
    expect(failed.context.error).toMatchObject({ code: 'InvalidPassword', category: 'challenge' });
    expect(failed.context.session).toBe('session-new-password-required-xxxxxx');
    auth.actor.send({ type: 'password.submit', newPassword: 'L0nger-Passw0rd!' });
    const ok = await until(auth, (s) => s.matches('signedIn'));
    expect(ok.context.error).toBeNull();
  });

  it('an expired or reused Cognito session lands in sessionExpired, and flow.restart goes back to sign-in', async () => {
    const { auth } = await atNewPassword({
      respondToAuthChallenge: [cognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.')],
    }, []);
    auth.actor.send({ type: 'password.submit', newPassword: 'N3w-Passw0rd!' });
    const expired = await until(auth, (s) => s.matches('sessionExpired'));
    expect(expired.context.error?.code).toBe('SessionExpired');
    expect(expired.context.session).toBeNull();
    auth.actor.send({ type: 'flow.restart' });
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    expect(auth.actor.getSnapshot().context.error).toBeNull();
  });

  it('expires on the client when AuthSessionValidity passes, without a Cognito call', async () => {
    const clock = new SimulatedClock();
    clock.set(Date.now());
    const started = start({ initiateAuth: [newPasswordRequired()] }, { clock });
    await until(started.auth, (s) => s.matches('signedOut'));
    started.auth.actor.send({ type: 'signIn.submit', username: 'carol', password: 'Temp0rary!' });
    await until(started.auth, (s) => s.matches({ signingIn: 'newPassword' }));
    clock.increment(3 * 60_000 - 1);
    expect(started.auth.actor.getSnapshot().matches({ signingIn: 'newPassword' })).toBe(true);
    clock.increment(1);
    expect(started.auth.actor.getSnapshot().value).toBe('sessionExpired');
    expect(started.port.callsOf('respondToAuthChallenge')).toHaveLength(0);
  });
});

describe('next steps signalled by exceptions', () => {
  it.each([
    ['UserNotConfirmedException', 'User is not confirmed.', 'signingUp', 'confirmSignUp'],
    ['PasswordResetRequiredException', 'Password reset required for the user', 'resettingPassword', 'resetPassword'],
  ] as const)('%s -> %s, and flow.cancel returns to sign-in', async (name, message, phase, route) => {
    const { auth } = await signedOut({ initiateAuth: [cognitoError(name, message)] });
    auth.actor.send({ type: 'signIn.submit', username: 'dave', password: 'x', authFlow: 'USER_PASSWORD_AUTH' });
    const snap = await until(auth, (s) => s.matches({ [phase]: 'confirming' } as never));
    expect(snap.context.challengeUsername).toBe('dave');
    expect(snap.getMeta()[`auth.${phase}.confirming` as const]).toMatchObject({ route });
    // the password stays kept (memory only) so that confirming or resetting can sign in without asking again
    expect(snap.context.secretRef).not.toBeNull();
    auth.actor.send({ type: 'flow.cancel' });
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
  });

  it('RESET_PASSWORD reported after the SRP proof is a step too', async () => {
    const { auth } = await signedOut({
      initiateAuth: [passwordVerifier()],
      respondToAuthChallenge: [cognitoError('PasswordResetRequiredException', 'Password reset required for the user')],
    });
    auth.actor.send({ type: 'signIn.submit', username: 'alice', password: PASSWORD });
    await until(auth, (s) => s.matches({ resettingPassword: 'confirming' }));
  });
});

describe('faults leave the machine in a defined state', () => {
  it('a challenge this version cannot answer goes to failed; flow.restart recovers', async () => {
    const { auth } = await signedOut({ initiateAuth: [{ challengeName: 'FUTURE_CHALLENGE', session: 'x'.repeat(30), challengeParameters: {} }] });
    auth.actor.send({ type: 'signIn.submit', username: 'alice', password: PASSWORD });
    const snap = await until(auth, (s) => s.matches('failed'));
    expect(snap.context.error).toMatchObject({ code: 'UnexpectedChallenge', category: 'protocol' });
    auth.actor.send({ type: 'flow.restart' });
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
  });

  it('a flow not enabled for the client is a configuration failure', async () => {
    const { auth } = await signedOut({ initiateAuth: [cognitoError('InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client')] });
    auth.actor.send({ type: 'signIn.submit', username: 'alice', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' });
    expect((await until(auth, (s) => s.matches('failed'))).context.error?.code).toBe('AuthFlowNotEnabled');
  });

  it('no network: back to signedOut with a retryable error', async () => {
    const { auth } = await signedOut({ initiateAuth: [Object.assign(new TypeError('fetch failed'))] });
    auth.actor.send({ type: 'signIn.submit', username: 'alice', password: PASSWORD });
    const snap = await until(auth, (s) => s.matches('signedOut') && s.context.error !== null);
    expect(snap.context.error).toMatchObject({ code: 'Network', retryable: true });
  });

  it('flow.cancel while InitiateAuth is in flight aborts the request', async () => {
    const { auth, port } = await signedOut({ initiateAuth: [() => new Promise(() => {})] });
    auth.actor.send({ type: 'signIn.submit', username: 'alice', password: PASSWORD });
    await until(auth, (s) => s.matches({ signingIn: 'initiating' }));
    await new Promise((r) => setTimeout(r, 20)); // let the ephemeral be taken and the call made
    const signal = port.callsOf('initiateAuth')[0]?.signal;
    expect(signal?.aborted).toBe(false);
    auth.actor.send({ type: 'flow.cancel' });
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    expect(signal?.aborted).toBe(true);
  });

  it('a PASSWORD_VERIFIER whose secrets are gone (a restored snapshot) is a dead session, not a crash', async () => {
    const { auth, port } = await signedOut({ initiateAuth: [passwordVerifier()], respondToAuthChallenge: [() => new Promise(() => {})] });
    auth.actor.send({ type: 'signIn.submit', username: 'alice', password: PASSWORD });
    await until(auth, (s) => s.matches({ signingIn: 'verifyingPassword' }));
    await untilCalled(port, 'respondToAuthChallenge');
    const logic = createActorLogic({
      port,
      tokens: new TokenStore(new MemoryStorage(), ids.clientId),
      srp: new CognitoSrpClient(ids.userPoolId),
      vault: new SecretVault(), // another page: the vault is empty
      now: Date.now,
      authSessionValidityMs: 180_000,
      totpIssuer: 'test',
    });
    const restored = createActor(authMachine.provide({ actors: logic }), {
      snapshot: auth.actor.getPersistedSnapshot(),
      input: {},
    }).start();
    const after = await waitFor(restored, (s) => s.matches('signedOut'), { timeout: 5000 });
    expect(after.context.error?.code).toBe('SignInInterrupted');
    expect(port.callsOf('respondToAuthChallenge')).toHaveLength(1); // only the original actor's call
    restored.stop();
  });
});

describe('signedIn', () => {
  async function signedIn(script: FakeScript = {}) {
    const started = await signedOut({ initiateAuth: [done()], ...script });
    started.auth.actor.send({ type: 'signIn.submit', username: 'alice', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' });
    await until(started.auth, (s) => s.matches('signedIn'));
    return started;
  }

  it('sign-out revokes the refresh token and clears the store', async () => {
    const { auth, port, tokens } = await signedIn({ revokeToken: [undefined] });
    const refreshToken = (await tokens.load())?.refreshToken;
    auth.actor.send({ type: 'session.signOut' });
    const snap = await settled(auth);
    expect(snap.value).toBe('signedOut');
    expect(snap.context.user).toBeNull();
    expect(snap.context.error).toBeNull();
    expect(port.callsOf('revokeToken')[0]?.request).toEqual({ refreshToken });
    expect(await tokens.load()).toBeNull();
  });

  it('global sign-out calls GlobalSignOut with the access token', async () => {
    const { auth, port, tokens } = await signedIn({ globalSignOut: [undefined] });
    const accessToken = (await tokens.load())?.accessToken;
    auth.actor.send({ type: 'session.signOut', global: true });
    await until(auth, (s) => s.matches('signedOut'));
    expect(port.callsOf('globalSignOut')[0]?.request).toEqual({ accessToken });
    expect(port.callsOf('revokeToken')).toHaveLength(0);
  });

  it('signing out offline still signs out locally and says Cognito was not told', async () => {
    const { auth, tokens } = await signedIn({ revokeToken: [new TypeError('fetch failed')] });
    auth.actor.send({ type: 'session.signOut' });
    const snap = await until(auth, (s) => s.matches('signedOut'));
    expect(snap.context.error).toMatchObject({ code: 'SignOutIncomplete', category: 'network' });
    expect(selectView(snap).error?.message).toMatch(/Signed out on this device/);
    expect(await tokens.load()).toBeNull();
  });

  it('getTokens() refreshes once for concurrent callers', async () => {
    const { auth, port, tokens } = await signedIn();
    const stored = (await tokens.load())!;
    await tokens.save({ ...stored, expiresAt: Date.now() - 1000 });
    let resolveRefresh!: (t: ReturnType<typeof fakeTokens>) => void;
    port.script({ getTokensFromRefreshToken: [() => new Promise((r) => (resolveRefresh = r))] });
    const results = Promise.all([auth.getTokens(), auth.getTokens(), auth.getTokens()]);
    await until(auth, (s) => s.hasTag('refreshing'));
    await untilCalled(port, 'getTokensFromRefreshToken');
    resolveRefresh(fakeTokens({ username: 'alice', refreshToken: null }));
    const [a, b, c] = await results;
    expect(port.callsOf('getTokensFromRefreshToken')).toHaveLength(1);
    expect(a?.accessToken).toBeDefined();
    expect(a?.accessToken).toBe(b?.accessToken);
    expect(b?.accessToken).toBe(c?.accessToken);
    expect(a?.expiresAt).toBeGreaterThan(Date.now());
  });

  it('getTokens() returns fresh tokens without calling Cognito, and null when signed out', async () => {
    const { auth, port } = await signedIn({ revokeToken: [undefined] });
    expect(await auth.getTokens()).not.toBeNull();
    expect(port.callsOf('getTokensFromRefreshToken')).toHaveLength(0);
    auth.actor.send({ type: 'session.signOut' });
    await until(auth, (s) => s.matches('signedOut'));
    expect(await auth.getTokens()).toBeNull();
  });

  it('getTokens() at start waits for the stored session to be restored instead of answering null', async () => {
    const storage = new MemoryStorage();
    const stale = fakeTokens({ username: 'alice', nowSeconds: Math.floor(Date.now() / 1000) - 7200 });
    await new TokenStore(storage, ids.clientId).save(toStoredTokens(stale, Date.now(), {}));
    const { auth } = start({ getTokensFromRefreshToken: [fakeTokens({ username: 'alice' })] }, { storage });
    const tokens = await auth.getTokens(); // called while checkingSession is still refreshing
    expect(tokens?.expiresAt).toBeGreaterThan(Date.now());
  });

  it('getTokens() rejects with a retryable Network error when offline, rather than handing out a dead token', async () => {
    const { auth, port, tokens } = await signedIn();
    const stored = (await tokens.load())!;
    await tokens.save({ ...stored, expiresAt: Date.now() - 1000 });
    port.script({ getTokensFromRefreshToken: [new TypeError('Failed to fetch')] });
    await expect(auth.getTokens()).rejects.toMatchObject({ name: 'AuthError', code: 'Network', retryable: true });
    expect(auth.actor.getSnapshot().matches('signedIn')).toBe(true); // still signed in: it can work again later
  });

  it('a refresh that answers after the user signed out does not bring the tokens back', async () => {
    const { auth, port, tokens, storage } = await signedIn({ revokeToken: [undefined] });
    let answer!: (t: ReturnType<typeof fakeTokens>) => void;
    port.script({ getTokensFromRefreshToken: [() => new Promise((r) => (answer = r))] });
    auth.actor.send({ type: 'session.refresh' });
    await untilCalled(port, 'getTokensFromRefreshToken');
    auth.actor.send({ type: 'session.signOut' });
    await until(auth, (s) => s.matches('signedOut'));
    answer(fakeTokens({ username: 'alice' }));
    await new Promise((r) => setTimeout(r, 20));
    expect(await tokens.load()).toBeNull();
    const nextPage = start({}, { storage });
    expect((await until(nextPage.auth, (s) => !s.matches('checkingSession'))).value).toBe('signedOut');
  });

  it('a forced refresh that Cognito refuses says why instead of handing out the old token', async () => {
    const { auth, port } = await signedIn();
    port.script({ getTokensFromRefreshToken: [new TypeError('fetch failed')] });
    await expect(auth.getTokens({ forceRefresh: true })).rejects.toMatchObject({ code: 'Network' });
    // still signed in on the old, fresh tokens: an ordinary call gets them
    expect(auth.actor.getSnapshot().matches('signedIn')).toBe(true);
    port.script({ getTokensFromRefreshToken: [] });
    expect(await auth.getTokens()).toMatchObject({ accessToken: expect.any(String) });
  });

  it('a revoked refresh token during a refresh signs the user out', async () => {
    const { auth, port, tokens } = await signedIn();
    port.script({ getTokensFromRefreshToken: [cognitoError('NotAuthorizedException', 'Refresh Token has been revoked')] });
    expect(await auth.getTokens({ forceRefresh: true })).toBeNull();
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    expect(await tokens.load()).toBeNull();
  });
});

describe('events a state does not accept change nothing', () => {
  const probe: AuthEvent[] = [
    { type: 'signIn.submit', username: 'x', password: 'y' },
    { type: 'password.submit', newPassword: 'N3w-Passw0rd!' },
    { type: 'flow.cancel' },
    { type: 'flow.restart' },
    { type: 'session.check' },
    { type: 'session.refresh' },
    { type: 'session.signOut' },
  ];

  async function reach(state: 'signedOut' | 'newPassword' | 'signedIn' | 'sessionExpired' | 'confirmSignUp') {
    const script: FakeScript = {
      newPassword: { initiateAuth: [newPasswordRequired()] },
      signedIn: { initiateAuth: [done()] },
      sessionExpired: { initiateAuth: [newPasswordRequired([])], respondToAuthChallenge: [cognitoError('NotAuthorizedException', 'Invalid session for the user, session can only be used once.')] },
      confirmSignUp: { initiateAuth: [cognitoError('UserNotConfirmedException', 'User is not confirmed.')] },
      signedOut: {},
    }[state];
    const started = await signedOut(script);
    const { auth } = started;
    if (state !== 'signedOut') auth.actor.send({ type: 'signIn.submit', username: 'u', password: 'p' });
    if (state === 'sessionExpired') {
      await until(auth, (s) => s.matches({ signingIn: 'newPassword' }));
      auth.actor.send({ type: 'password.submit', newPassword: 'N3w-Passw0rd!' });
    }
    await until(auth, (s) => !s.hasTag('busy') && (state === 'signedOut' || !s.matches('signedOut')));
    return started;
  }

  const accepted: Record<string, string[]> = {
    signedOut: ['signIn.submit', 'session.check'],
    newPassword: ['password.submit', 'flow.cancel'],
    // (signIn.submit while signed in is accepted: it answers AlreadySignedIn)
    signedIn: ['signIn.submit', 'session.refresh', 'session.signOut'],
    sessionExpired: ['flow.restart'],
    confirmSignUp: ['flow.cancel'],
  };

  it.each(Object.keys(accepted))('%s', async (state) => {
    const { auth, port } = await reach(state as never);
    const before = auth.actor.getSnapshot();
    const callsBefore = port.calls.length;
    for (const event of probe) {
      expect(before.can(event)).toBe(accepted[state]!.includes(event.type));
      if (accepted[state]!.includes(event.type)) continue;
      auth.actor.send(event);
      const after = auth.actor.getSnapshot();
      expect(after.value).toEqual(before.value);
      expect(after.context).toEqual(before.context);
    }
    expect(port.calls.length).toBe(callsBefore);
  });
});

describe('the kept password', () => {
  it('is forgotten as soon as the sign-in is cancelled, not when its timer runs out', async () => {
    const port = createFakePort({ initiateAuth: [{ challengeName: 'SMS_MFA', session: 'session-sms-xxxxxxxxxxxxxxxx', challengeParameters: { CODE_DELIVERY_DESTINATION: '+*1' } }] }, ids);
    const vault = new SecretVault<FlowSecrets>();
    const logic = createActorLogic({ port, tokens: new TokenStore(new MemoryStorage(), ids.clientId), srp: new CognitoSrpClient(ids.userPoolId), vault, now: Date.now, authSessionValidityMs: 180_000, totpIssuer: 't' });
    const actor = createActor(authMachine.provide({ actors: logic }), { input: { authFlow: 'USER_PASSWORD_AUTH' } });
    forgetSecretsOutsideSignIn(actor, vault);
    actor.start();
    await waitFor(actor, (s) => s.matches('signedOut'));
    actor.send({ type: 'signIn.submit', username: 'sam', password: PASSWORD });
    await waitFor(actor, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
    expect(vault.size).toBe(1); // kept for code.resend
    actor.send({ type: 'flow.cancel' });
    expect(vault.size).toBe(0);
    actor.stop();
  });
});

describe('several actors at once share nothing', () => {
  it('two users on two pools sign in independently', async () => {
    const a = await signedOut({ initiateAuth: [passwordVerifier('alice')], respondToAuthChallenge: [done('alice')] });
    const portB = createFakePort({ initiateAuth: [done('bob')] }, { userPoolId: 'eu-west-1_OtherPool', clientId: 'other' });
    const b = createAuth({ userPoolId: 'eu-west-1_OtherPool', clientId: 'other', port: portB });
    running.push(b);
    await until(b, (s) => s.matches('signedOut'));
    a.auth.actor.send({ type: 'signIn.submit', username: 'alice', password: PASSWORD });
    b.actor.send({ type: 'signIn.submit', username: 'bob', password: 'other', authFlow: 'USER_PASSWORD_AUTH' });
    const [sa, sb] = await Promise.all([until(a.auth, (s) => s.matches('signedIn')), until(b, (s) => s.matches('signedIn'))]);
    expect(sa.context.user?.username).toBe('alice');
    expect(sb.context.user?.username).toBe('bob');
    expect(portB.callsOf('respondToAuthChallenge')).toHaveLength(0);
  });
});
