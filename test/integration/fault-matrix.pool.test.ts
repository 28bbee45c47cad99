// The fault matrix: Cognito calls the chart makes × faults injected by the local pool (a drop before the answer, a
// reset mid-answer, 500, 503 throttling, an HTML 502, no answer in time). Each cell ends in a defined state with
// the right typed error, and the natural next action works.
import { waitFor, type SnapshotFrom } from 'xstate';
import { createAuth, type Auth, type AuthMachine } from '../../src/index.node.js';
import type { FaultKind } from '../../src/local-pool/index.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';

const PASSWORD = 'Passw0rd!strong';
let env: TestPool;
let clientId: string;
const running: Auth[] = [];

beforeAll(async () => {
  env = await startTestPool({
    poolProperties: { MfaConfiguration: 'OFF' },
  });
  ({ clientId } = await env.createClient());
  await env.createUser('plain', PASSWORD, { attributes: { email: 'plain@example.com' } });
});
afterAll(async () => {
  running.splice(0).forEach((a) => a.stop());
  await env.close();
});
afterEach(() => {
  running.splice(0).forEach((a) => a.stop());
  env.pool.clearFaults();
});

function client() {
  const auth = createAuth({ userPoolId: env.userPoolId, clientId, endpoint: env.pool.url, storage: new MemoryStorage(), authFlow: 'USER_PASSWORD_AUTH', requestTimeoutMs: 400 });
  running.push(auth);
  return auth;
}
const until = (auth: Auth, p: (s: SnapshotFrom<AuthMachine>) => boolean) => waitFor(auth.actor, p, { timeout: 10_000 });
const rest = (auth: Auth) => until(auth, (s) => !s.hasTag('busy') && !s.matches('checkingSession'));
const inject = (operation: string, fault: FaultKind) => env.pool.injectFault({ operation, fault, ...(fault === 'delay' ? { delayMs: 1500 } : {}) });

/** fault -> the error the chart shows for a repeatable call (InitiateAuth, GetTokensFromRefreshToken). */
const REPEATABLE: ReadonlyArray<[FaultKind, string]> = [
  ['drop', 'Network'],
  ['reset', 'Network'],
  ['500', 'ServiceUnavailable'],
  ['503', 'TooManyRequests'],
  ['html502', 'ServiceUnavailable'],
  ['delay', 'Network'],
];

describe.each(REPEATABLE)('InitiateAuth (sign-in) × %s', (fault, code) => {
  it(`signedOut with ${code} (retryable); the same sign-in again works`, async () => {
    const auth = client();
    await rest(auth);
    inject('InitiateAuth', fault);
    auth.actor.send({ type: 'signIn.submit', username: 'plain', password: PASSWORD });
    const failed = await until(auth, (s) => s.matches('signedOut') && s.context.error !== null);
    expect(failed.context.error).toMatchObject({ code, retryable: true });
    auth.actor.send({ type: 'signIn.submit', username: 'plain', password: PASSWORD });
    await until(auth, (s) => s.matches('signedIn'));
  });
});

describe.each(REPEATABLE)('GetTokensFromRefreshToken (session.refresh) × %s', (fault, code) => {
  it(`still signed in with ${code}; the next refresh works`, async () => {
    const auth = client();
    await rest(auth);
    auth.actor.send({ type: 'signIn.submit', username: 'plain', password: PASSWORD });
    await until(auth, (s) => s.matches('signedIn'));
    const before = await auth.getTokens();
    inject('GetTokensFromRefreshToken', fault);
    // the refresh fails; the tokens, still valid, are kept and handed out
    expect((await auth.getTokens({ forceRefresh: true }))?.accessToken).toBe(before?.accessToken);
    const after = auth.actor.getSnapshot();
    expect(after.matches({ signedIn: { tokens: 'active' } })).toBe(true);
    expect(after.context.error).toMatchObject({ code, retryable: true });
    const next = await auth.getTokens({ forceRefresh: true });
    expect(next?.accessToken).not.toBe(before?.accessToken);
  });
});

/** fault -> where an answer to a code step ends (RespondToAuthChallenge spends the Session once it ran). */
const SPENDING: ReadonlyArray<[FaultKind, string, 'step' | 'sessionExpired']> = [
  ['drop', 'OutcomeUnknown', 'sessionExpired'],
  ['reset', 'OutcomeUnknown', 'sessionExpired'],
  ['500', 'ServiceUnavailable', 'step'],
  ['503', 'TooManyRequests', 'step'],
  ['html502', 'ServiceUnavailable', 'step'],
  ['delay', 'OutcomeUnknown', 'sessionExpired'],
];

describe.each(SPENDING)('RespondToAuthChallenge (new password) × %s', (fault, code, where) => {
  it(`${code}, ${where === 'step' ? 'back at the step; the same answer again works' : 'the attempt ends; starting again works'}`, async () => {
    const username = `temp-${fault}`;
    await env.createUser(username, 'Temp0rary!pw', { temporary: true });
    const auth = client();
    await rest(auth);
    auth.actor.send({ type: 'signIn.submit', username, password: 'Temp0rary!pw' });
    await until(auth, (s) => s.matches({ signingIn: 'newPassword' }));
    inject('RespondToAuthChallenge', fault);
    auth.actor.send({ type: 'password.submit', newPassword: PASSWORD });
    const failed = await until(auth, (s) => !s.hasTag('busy') && s.context.error !== null);
    expect(failed.context.error?.code).toBe(code);
    if (where === 'step') {
      expect(failed.matches({ signingIn: 'newPassword' })).toBe(true);
      auth.actor.send({ type: 'password.submit', newPassword: PASSWORD });
      await until(auth, (s) => s.matches('signedIn'));
    } else {
      expect(failed.matches('sessionExpired')).toBe(true);
      expect(failed.context.error?.retryable).toBe(false);
      auth.actor.send({ type: 'flow.restart' });
      await rest(auth);
      if (fault === 'delay') await new Promise((r) => setTimeout(r, 1600)); // the late answer has landed by now
      // the lost answer may have set the password (drop: it did not; reset, delay: it did): either works once
      auth.actor.send({ type: 'signIn.submit', username, password: fault === 'drop' ? 'Temp0rary!pw' : PASSWORD });
      await until(auth, (s) => s.matches('signedIn') || s.matches({ signingIn: 'newPassword' }));
    }
  });
});
