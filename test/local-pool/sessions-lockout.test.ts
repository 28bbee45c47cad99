// Challenge sessions (single use, expiry, binding to the client) and the lockout schedule,
// driven by a ManualClock.
import { RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterFailure, defaultLockoutPolicy } from '../../src/local-pool/flows/lockout.js';
import { noFailures } from '../../src/local-pool/store/model.js';
import {
  STRONG_PASSWORD,
  answerVerifier,
  createPoolAndClient,
  createUser,
  failure,
  passwordSignIn,
  startPool,
  startSrp,
  type PoolHarness,
  type Setup,
} from './support.js';

let h: PoolHarness;
let setup: Setup;
const WRONG = 'Wr0ng!password';
const now = () => new Date(h.clock.now());
const incorrect = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const exceeded = { name: 'NotAuthorizedException', message: 'Password attempts exceeded' };

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk);
  await createUser(h.sdk, setup.poolId, 'alice', STRONG_PASSWORD);
  await createUser(h.sdk, setup.poolId, 'lou', STRONG_PASSWORD);
});
afterAll(() => h.close());

describe('challenge sessions', () => {
  it('can only be used once', async () => {
    const started = await startSrp(h.sdk, setup, 'alice');
    expect(await failure(answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, now(), { password: WRONG }))).toEqual(incorrect);
    expect(await failure(answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, now()))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session can only be used once.',
    });
  });

  it('expires after AuthSessionValidity (default 3 minutes)', async () => {
    const started = await startSrp(h.sdk, setup, 'alice');
    h.clock.advance(3 * 60_000);
    expect(await failure(answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, now()))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });

  it('lives as long as the client says', async () => {
    const patient = await createPoolAndClient(h.sdk, { PoolName: 'patient' }, { AuthSessionValidity: 10 });
    await createUser(h.sdk, patient.poolId, 'alice', STRONG_PASSWORD);
    const started = await startSrp(h.sdk, patient, 'alice');
    h.clock.advance(9 * 60_000);
    // The TIMESTAMP is made now, so only the session's age is at stake.
    expect((await answerVerifier(h.sdk, patient, started, STRONG_PASSWORD, now())).AuthenticationResult).toBeDefined();
  });

  it('is refused when unknown, garbled, for another client or another challenge', async () => {
    const invalid = { name: 'NotAuthorizedException', message: 'Invalid session for the user.' };
    const started = await startSrp(h.sdk, setup, 'alice');
    expect(await failure(answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, now(), { session: 'x'.repeat(40) }))).toEqual(invalid);
    const other = await createPoolAndClient(h.sdk, { PoolName: 'other' });
    expect(await failure(answerVerifier(h.sdk, { ...setup, clientId: other.clientId }, started, STRONG_PASSWORD, now()))).toEqual(invalid);
    const wrongChallenge = h.sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: setup.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: started.response.Session!,
        ChallengeResponses: { USERNAME: 'alice', NEW_PASSWORD: 'N3w!password' },
      }),
    );
    expect(await failure(wrongChallenge)).toEqual(invalid);
    // None of these used the session up.
    expect((await answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, now())).AuthenticationResult).toBeDefined();
  });
});

describe('lockout schedule', () => {
  it('computes 5 free failures, then 1 s doubling up to 900 s', () => {
    const locks: number[] = [];
    let state = noFailures;
    const t = 1_000_000;
    for (let n = 1; n <= 17; n++) {
      state = afterFailure(state, t, defaultLockoutPolicy);
      locks.push(state.lockedUntil === null ? 0 : (state.lockedUntil - t) / 1000);
    }
    expect(locks).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
  });

  it('resets after 15 quiet minutes', () => {
    let state = noFailures;
    for (let n = 0; n < 7; n++) state = afterFailure(state, 0, defaultLockoutPolicy);
    expect(state.failedAttempts).toBe(7);
    expect(afterFailure(state, 900_000, defaultLockoutPolicy)).toEqual({ failedAttempts: 1, lastFailureAt: 900_000, lockedUntil: null });
  });

  it('is enforced on sign-in: locked attempts are not evaluated or counted, success resets', async () => {
    for (let n = 1; n <= 6; n++) expect(await failure(passwordSignIn(h.sdk, setup, 'lou', WRONG))).toEqual(incorrect);
    // Sixth failure: locked for 1 s. Even the right password is refused, and does not count.
    expect(await failure(passwordSignIn(h.sdk, setup, 'lou', STRONG_PASSWORD))).toEqual(exceeded);
    h.clock.advance(999);
    expect(await failure(passwordSignIn(h.sdk, setup, 'lou', STRONG_PASSWORD))).toEqual(exceeded);
    h.clock.advance(1);
    expect(await failure(passwordSignIn(h.sdk, setup, 'lou', WRONG))).toEqual(incorrect); // 7th: 2 s
    h.clock.advance(1_999);
    const started = await startSrp(h.sdk, setup, 'lou');
    expect(await failure(answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, now()))).toEqual(exceeded);
    h.clock.advance(1);
    expect(await failure(passwordSignIn(h.sdk, setup, 'lou', WRONG))).toEqual(incorrect); // 8th: 4 s
    h.clock.advance(4_000);
    expect((await passwordSignIn(h.sdk, setup, 'lou', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
    // Success cleared the counter: five failures are free again.
    for (let n = 1; n <= 5; n++) expect(await failure(passwordSignIn(h.sdk, setup, 'lou', WRONG))).toEqual(incorrect);
    expect((await passwordSignIn(h.sdk, setup, 'lou', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('takes its constants from the options', async () => {
    const strict = await startPool({ lockout: { freeFailures: 1, firstLockSeconds: 60 } });
    try {
      const s = await createPoolAndClient(strict.sdk);
      await createUser(strict.sdk, s.poolId, 'kim', STRONG_PASSWORD);
      expect(await failure(passwordSignIn(strict.sdk, s, 'kim', WRONG))).toEqual(incorrect);
      expect(await failure(passwordSignIn(strict.sdk, s, 'kim', WRONG))).toEqual(incorrect);
      strict.clock.advance(59_000);
      expect(await failure(passwordSignIn(strict.sdk, s, 'kim', STRONG_PASSWORD))).toEqual(exceeded);
      strict.clock.advance(1_000);
      expect((await passwordSignIn(strict.sdk, s, 'kim', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
    } finally {
      await strict.close();
    }
  });
});
