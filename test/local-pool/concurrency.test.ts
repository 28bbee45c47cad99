// Parallel requests against one user or one Session: counters and state changes must not get lost
// between a handler's read and its write (the password hash and the SRP proof are awaited in between).
import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  STRONG_PASSWORD,
  answerVerifier,
  createPoolAndClient,
  createUser,
  failure,
  firstFactor,
  lastCode,
  passwordSignIn,
  respond,
  setPoolMfa,
  startPool,
  startSrp,
  type PoolHarness,
  type Setup,
} from './support.js';

let h: PoolHarness;
let setup: Setup;
const WRONG = 'Wr0ng!password';
const PARALLEL = 50;
const now = () => new Date(h.clock.now());
const INCORRECT = 'Incorrect username or password.';
const EXCEEDED = 'Password attempts exceeded';

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk);
});
afterAll(() => h.close());

/** Settles every promise; the rejections' messages (and 'ok' for successes), in order. */
async function outcomes(calls: Array<Promise<unknown>>): Promise<string[]> {
  const settled = await Promise.allSettled(calls);
  return settled.map((s) => (s.status === 'fulfilled' ? 'ok' : (s.reason as Error).message));
}

const count = (list: string[], value: string) => list.filter((v) => v === value).length;

/**
 * Every evaluated wrong password counts: after `failures` of them at one instant, the default policy
 * (5 free, then 1 s doubling up to 900 s) locks for this long.
 */
const lockMs = (failures: number) => Math.min(1000 * 2 ** (failures - 6), 900_000);

/** The user is locked for exactly lockMs(failures): the right password is refused until then. */
async function expectLockedFor(username: string, failures: number): Promise<void> {
  expect(failures).toBeGreaterThanOrEqual(6);
  h.clock.advance(lockMs(failures) - 1);
  expect((await failure(passwordSignIn(h.sdk, setup, username, STRONG_PASSWORD))).message).toBe(EXCEEDED);
  h.clock.advance(1);
  expect((await passwordSignIn(h.sdk, setup, username, STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
}

describe('lockout under parallel wrong passwords', () => {
  it(`counts each of ${PARALLEL} parallel USER_PASSWORD_AUTH failures`, async () => {
    await createUser(h.sdk, setup.poolId, 'pam', STRONG_PASSWORD);
    const answers = await outcomes(Array.from({ length: PARALLEL }, () => passwordSignIn(h.sdk, setup, 'pam', WRONG)));
    // Attempts that arrive once the lock is on are refused unevaluated and uncounted.
    expect(count(answers, INCORRECT) + count(answers, EXCEEDED)).toBe(PARALLEL);
    await expectLockedFor('pam', count(answers, INCORRECT));
  });

  it(`counts each of ${PARALLEL} parallel PASSWORD_VERIFIER failures`, async () => {
    await createUser(h.sdk, setup.poolId, 'sid', STRONG_PASSWORD);
    const started = await Promise.all(Array.from({ length: PARALLEL }, () => startSrp(h.sdk, setup, 'sid')));
    const answers = await outcomes(started.map((s) => answerVerifier(h.sdk, setup, s, STRONG_PASSWORD, now(), { password: WRONG })));
    expect(count(answers, INCORRECT) + count(answers, EXCEEDED)).toBe(PARALLEL);
    await expectLockedFor('sid', count(answers, INCORRECT));
  });
});

/** Resolves once the pool has received `target` requests beyond `before` (they are then in flight). */
async function untilReceived(target: string, before: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (h.pool.requests.filter((r) => r.target.endsWith(`.${target}`)).length > before) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`the pool never received ${target}`);
}
const received = (target: string) => h.pool.requests.filter((r) => r.target.endsWith(`.${target}`)).length;

describe('state changed while a password was being set', () => {
  it('AdminDisableUser during AdminSetUserPassword leaves the user disabled', async () => {
    await createUser(h.sdk, setup.poolId, 'dora', STRONG_PASSWORD);
    for (let round = 0; round < 3; round++) {
      await h.sdk.send(new AdminEnableUserCommand({ UserPoolId: setup.poolId, Username: 'dora' }));
      const before = received('AdminSetUserPassword');
      const setting = h.sdk.send(
        new AdminSetUserPasswordCommand({ UserPoolId: setup.poolId, Username: 'dora', Password: `N3w-Passw0rd!${round}`, Permanent: true }),
      );
      await untilReceived('AdminSetUserPassword', before);
      await h.sdk.send(new AdminDisableUserCommand({ UserPoolId: setup.poolId, Username: 'dora' }));
      await setting;
      const user = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: 'dora' }));
      expect(user.Enabled).toBe(false);
    }
  });
  // A user disabled (or given a new password) between the read and the settle of a sign-in: the
  // check is too quick to land a request inside it over HTTP, so password-check.test.ts drives it.
});

describe('one Session, many answers', () => {
  it('only one of parallel PASSWORD_VERIFIER answers on one Session succeeds', async () => {
    await createUser(h.sdk, setup.poolId, 'una', STRONG_PASSWORD);
    const started = await startSrp(h.sdk, setup, 'una');
    const answers = await outcomes(Array.from({ length: 10 }, () => answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, now())));
    expect(count(answers, 'ok')).toBe(1);
    expect(count(answers, 'Invalid session for the user, session can only be used once.')).toBe(9);
  });

  describe('with SMS MFA', () => {
    let mfa: Setup;
    beforeAll(async () => {
      mfa = await createPoolAndClient(h.sdk, { PoolName: 'mfa' });
      await setPoolMfa(h.sdk, mfa.poolId, 'ON');
    });

    async function smsChallenge(username: string): Promise<{ session: string; code: string }> {
      await createUser(h.sdk, mfa.poolId, username, STRONG_PASSWORD, { attributes: { phone_number: '+15555550123' } });
      const challenge = await firstFactor(h, mfa, username, STRONG_PASSWORD);
      expect(challenge.ChallengeName).toBe('SMS_MFA');
      return { session: challenge.Session!, code: lastCode(h.pool, username) };
    }

    it('only one of parallel right codes on one Session signs in', async () => {
      const { session, code } = await smsChallenge('mo');
      const answers = await outcomes(
        Array.from({ length: 10 }, () => respond(h.sdk, mfa, 'SMS_MFA', session, { USERNAME: 'mo', SMS_MFA_CODE: code })),
      );
      expect(count(answers, 'ok')).toBe(1);
      expect(count(answers, 'Invalid session for the user, session can only be used once.')).toBe(9);
    });

    it('parallel wrong codes end the Session at the third, and the right code then fails too', async () => {
      const { session, code } = await smsChallenge('gus');
      const wrong = code === '000000' ? '111111' : '000000';
      const answers = await outcomes(
        Array.from({ length: 10 }, () => respond(h.sdk, mfa, 'SMS_MFA', session, { USERNAME: 'gus', SMS_MFA_CODE: wrong })),
      );
      expect(count(answers, 'Invalid code or auth state for the user.')).toBe(2);
      expect(count(answers, 'Invalid session for the user.')).toBe(8);
      expect(await failure(respond(h.sdk, mfa, 'SMS_MFA', session, { USERNAME: 'gus', SMS_MFA_CODE: code }))).toEqual({
        name: 'NotAuthorizedException',
        message: 'Invalid session for the user.',
      });
    });
  });
});
