// User enumeration with PreventUserExistenceErrors ENABLED: to a wrong password, an unknown user, an
// unconfirmed one, one with a temporary password, a disabled one and a confirmed one get the same
// answer (status, __type, message) in indistinguishable time, over USER_PASSWORD_AUTH and USER_SRP_AUTH;
// ForgotPassword and ResendConfirmationCode answer an unknown name as they answer a real one. What
// Cognito itself discloses (a lockout, a disabled or unconfirmed account once the password is right)
// is asserted as such.
//
// Timing: each round tries every kind once, in a shuffled order, so load from other processes falls on
// all kinds alike; the medians of many rounds are compared. A kind that skips the password work (the
// hash, or the SRP proof) answers in a fraction of the time of the others, which the tolerance catches;
// noise moves all medians together and does not.
import { performance } from 'node:perf_hooks';
import { cognitoTimestamp, CognitoSrpClient, type SrpEphemeral } from '../../src/cognito/srp.js';
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';
import {
  STRONG_PASSWORD,
  createPoolAndClient,
  rawCall,
  signClaim,
  startPool,
  type PoolHarness,
  type Setup,
} from './support.js';

const WRONG = 'Wr0ng!password';
const KINDS = ['confirmed', 'unknown', 'unconfirmed', 'temporary', 'disabled'] as const;
type Kind = (typeof KINDS)[number];
const USERNAME: Record<Kind, string> = {
  confirmed: 'carla',
  unknown: 'nobody',
  unconfirmed: 'uli',
  temporary: 'tim',
  disabled: 'dina',
};
const INCORRECT = { status: 400, type: 'NotAuthorizedException', message: 'Incorrect username or password.' };

let h: PoolHarness;
let setup: Setup;
const engine = createOpenSslEngine();

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(
    h.sdk,
    {
      PoolName: 'enumeration',
      AutoVerifiedAttributes: ['email'],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    },
    { PreventUserExistenceErrors: 'ENABLED' },
  );
  const email = (name: string) => ({ email: `${name}@example.com`, email_verified: 'true' });
  h.pool.seed({
    pools: [
      {
        id: setup.poolId,
        name: 'enumeration',
        users: [
          { username: USERNAME.confirmed, password: STRONG_PASSWORD, attributes: email(USERNAME.confirmed) },
          { username: USERNAME.unconfirmed, password: STRONG_PASSWORD, status: 'UNCONFIRMED', attributes: email(USERNAME.unconfirmed) },
          { username: USERNAME.temporary, temporaryPassword: STRONG_PASSWORD, attributes: email(USERNAME.temporary) },
          { username: USERNAME.disabled, password: STRONG_PASSWORD, enabled: false, attributes: email(USERNAME.disabled) },
        ],
      },
    ],
  });
}, 60_000);
afterAll(() => h.close());

// ---------- the wire, timed ----------

interface Answer {
  status: number;
  type: string | undefined;
  message: string | undefined;
  body: Record<string, unknown>;
  ms: number;
}

async function call(operation: string, body: Record<string, unknown>): Promise<Answer> {
  const started = performance.now();
  const response = await rawCall(h.pool.url, { target: `AWSCognitoIdentityProviderService.${operation}`, body: JSON.stringify(body) });
  const ms = performance.now() - started;
  const json = (response.json ?? {}) as Record<string, unknown>;
  return { status: response.status, type: json['__type'] as string | undefined, message: json['message'] as string | undefined, body: json, ms };
}

const outcome = ({ status, type, message }: Answer) => ({ status, type, message });

const passwordAuth = (username: string, password: string) =>
  call('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: username, PASSWORD: password } });

interface SrpAttempt {
  step1: Answer;
  step2?: Answer;
}

/** Both SRP steps, each timed on its own; the client's math runs between them, outside the timing. */
async function srpAuth(username: string, password: string): Promise<SrpAttempt> {
  const srp = new CognitoSrpClient(setup.poolId, engine);
  const ephemeral: SrpEphemeral = srp.createEphemeral();
  const step1 = await call('InitiateAuth', {
    AuthFlow: 'USER_SRP_AUTH',
    ClientId: setup.clientId,
    AuthParameters: { USERNAME: username, SRP_A: ephemeral.A.toString(16) },
  });
  if (step1.status !== 200) return { step1 };
  const parameters = step1.body['ChallengeParameters'] as Record<string, string>;
  const timestamp = cognitoTimestamp(new Date(h.clock.now()));
  const signature = await signClaim(srp, ephemeral, parameters, password, timestamp);
  const step2 = await call('RespondToAuthChallenge', {
    ClientId: setup.clientId,
    ChallengeName: 'PASSWORD_VERIFIER',
    Session: step1.body['Session'],
    ChallengeResponses: {
      USERNAME: parameters['USER_ID_FOR_SRP'],
      PASSWORD_CLAIM_SECRET_BLOCK: parameters['SECRET_BLOCK'],
      PASSWORD_CLAIM_SIGNATURE: signature,
      TIMESTAMP: timestamp,
    },
  });
  return { step1, step2 };
}

/** What a value looks like, not what it is: hex of some length, base64, a UUID, a plain name. */
function shapeOf(value: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) return 'uuid';
  if (/^[0-9a-f]+$/.test(value)) return `hex(${value.length > 64 ? 'long' : value.length})`;
  if (/^[A-Za-z0-9_-]+$/.test(value) && value.length > 64) return `base64url(${value.length})`;
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length > 64) return `base64(${value.length})`;
  return 'text';
}

// ---------- timing ----------

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The kinds, plus a request answered just before the password work would start (the baseline). */
type Timed = Kind | 'noWork';
const TIMED: readonly Timed[] = [...KINDS, 'noWork'];

/**
 * Runs `attempt` for every kind and the baseline in each of `rounds` rounds (after `warmUp`
 * unrecorded ones), shuffled per round; returns the durations per kind and per measured part.
 */
async function measure<Part extends string>(
  rounds: number,
  attempt: (kind: Timed) => Promise<Record<Part, number>>,
  warmUp = 3,
): Promise<Record<Timed, Record<Part, number[]>>> {
  const times = Object.fromEntries(TIMED.map((k) => [k, {}])) as Record<Timed, Record<Part, number[]>>;
  for (let round = 0; round < warmUp + rounds; round++) {
    // The lockout forgets failures after 15 quiet minutes: one wrong password per user and round never locks.
    h.clock.advance(16 * 60_000);
    for (const kind of shuffled(TIMED, round + 1)) {
      const parts = await attempt(kind);
      if (round < warmUp) continue;
      for (const [part, ms] of Object.entries(parts) as Array<[Part, number]>) (times[kind][part] ??= []).push(ms);
    }
  }
  return times;
}

/**
 * Each kind against the confirmed user with a wrong password, round by round (the two ran moments
 * apart, under the same load): the median of those differences must stay within 40 % of the password
 * work itself (the confirmed user's time over the baseline's, measured the same way), or 0.35 ms when
 * that is more. What the bound admits: an HTTP round trip's jitter, and bookkeeping only a real account
 * has (its failure count is written; about a quarter of the work with today's check). A kind that
 * skips the check is faster by most of the work, however fast the check gets; noise moves every kind
 * alike.
 */
function judge<Part extends string>(times: Record<Timed, Record<Part, number[]>>, part: Part) {
  const reference = times.confirmed[part];
  const shiftOf = (kind: Timed) => median(times[kind][part].map((ms, round) => ms - reference[round]!));
  const work = -shiftOf('noWork');
  const tolerance = Math.max(0.35, 0.4 * work);
  const shifts = Object.fromEntries(KINDS.map((kind) => [kind, Number(shiftOf(kind).toFixed(2))])) as Record<Kind, number>;
  const outliers = KINDS.filter((kind) => Math.abs(shifts[kind]) > tolerance);
  return { part, passwordWorkMs: Number(work.toFixed(2)), toleranceMs: Number(tolerance.toFixed(2)), shifts, outliers };
}

/**
 * Measures, and judges each part. A kind out of bounds is measured again with fresh rounds, and only a kind out of
 * bounds both times fails: a kind that skips (or adds) work is off every time, while the other jest worker's load can
 * push one measurement's median past the bound (CI saw it once in a few runs).
 */
async function expectIndistinguishable<Part extends string>(measureOnce: () => Promise<Record<Timed, Record<Part, number[]>>>, parts: readonly Part[]): Promise<void> {
  const first = await measureOnce();
  const firstReports = parts.map((part) => judge(first, part));
  if (firstReports.every((report) => report.outliers.length === 0)) return;
  const again = await measureOnce();
  for (const [index, part] of parts.entries()) {
    const report = judge(again, part);
    const both = report.outliers.filter((kind) => firstReports[index]!.outliers.includes(kind));
    expect({ ...report, first: firstReports[index], outliers: both }).toEqual({ ...report, first: firstReports[index], outliers: [] });
  }
}

// ---------- the tests ----------

describe('a wrong password, every kind of account (PreventUserExistenceErrors ENABLED)', () => {
  it('USER_PASSWORD_AUTH: the same status, __type and message', async () => {
    for (const kind of KINDS) {
      expect({ kind, ...outcome(await passwordAuth(USERNAME[kind], WRONG)) }).toEqual({ kind, ...INCORRECT });
    }
  });

  it('USER_SRP_AUTH: a PASSWORD_VERIFIER challenge of the same shape, then the same failure', async () => {
    const attempts = new Map<Kind, SrpAttempt>();
    for (const kind of KINDS) attempts.set(kind, await srpAuth(USERNAME[kind], WRONG));
    const shapeOfChallenge = (a: SrpAttempt) => {
      const parameters = a.step1.body['ChallengeParameters'] as Record<string, string>;
      return {
        status: a.step1.status,
        keys: Object.keys(a.step1.body).sort(),
        challenge: a.step1.body['ChallengeName'],
        parameters: Object.fromEntries(Object.entries(parameters).sort().map(([name, value]) => [name, shapeOf(value)])),
        session: shapeOf(String(a.step1.body['Session'])),
      };
    };
    const reference = shapeOfChallenge(attempts.get('confirmed')!);
    expect(reference).toMatchObject({ status: 200, challenge: 'PASSWORD_VERIFIER' });
    expect(Object.keys(reference.parameters)).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
    for (const kind of KINDS) {
      const attempt = attempts.get(kind)!;
      expect({ kind, challenge: shapeOfChallenge(attempt) }).toEqual({ kind, challenge: reference });
      // USER_ID_FOR_SRP is what a user of this pool would have: the name typed (usernames here are not UUIDs).
      expect((attempt.step1.body['ChallengeParameters'] as Record<string, string>)['USER_ID_FOR_SRP']).toBe(USERNAME[kind]);
      expect({ kind, ...outcome(attempt.step2!) }).toEqual({ kind, ...INCORRECT });
    }
  });

  it("USER_SRP_AUTH: an unknown name's USER_ID_FOR_SRP looks like a real user's in pools of e-mail usernames and of aliases too", async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const userIdOf = async (pool: Setup, username: string) => {
      const srp = new CognitoSrpClient(pool.poolId, engine);
      const answer = await call('InitiateAuth', {
        AuthFlow: 'USER_SRP_AUTH',
        ClientId: pool.clientId,
        AuthParameters: { USERNAME: username, SRP_A: srp.createEphemeral().A.toString(16) },
      });
      return (answer.body['ChallengeParameters'] as Record<string, string>)['USER_ID_FOR_SRP'];
    };
    const hidden = { PreventUserExistenceErrors: 'ENABLED' } as const;
    // UsernameAttributes: every user's username is its sub.
    const byEmail = await createPoolAndClient(h.sdk, { PoolName: 'by-email', UsernameAttributes: ['email'] }, hidden);
    h.pool.seed({ pools: [{ id: byEmail.poolId, name: 'by-email', users: [{ username: 'erin@example.com', password: STRONG_PASSWORD }] }] });
    expect(await userIdOf(byEmail, 'erin@example.com')).toMatch(uuid);
    expect(await userIdOf(byEmail, 'ghost@example.com')).toMatch(uuid);
    // AliasAttributes: an address typed is never the username, so it cannot come back as one.
    const byAlias = await createPoolAndClient(h.sdk, { PoolName: 'by-alias', AliasAttributes: ['email'] }, hidden);
    expect(await userIdOf(byAlias, 'ghost@example.com')).toMatch(uuid);
    expect(await userIdOf(byAlias, 'ghost')).toBe('ghost');
  });

  it('USER_PASSWORD_AUTH: indistinguishable time', async () => {
    const measureOnce = () => measure(40, async (kind) => {
      if (kind === 'noWork') {
        // Refused for the missing PASSWORD, just before the user is looked up and the password checked.
        const refused = await call('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: USERNAME.confirmed } });
        expect(refused.type).toBe('InvalidParameterException');
        return { initiateAuth: refused.ms };
      }
      const answer = await passwordAuth(USERNAME[kind], WRONG);
      expect(outcome(answer)).toEqual(INCORRECT);
      return { initiateAuth: answer.ms };
    });
    await expectIndistinguishable(measureOnce, ['initiateAuth']);
  }, 180_000);

  it('USER_SRP_AUTH: indistinguishable time in each step', async () => {
    const measureOnce = () => measure(40, async (kind) => {
      if (kind === 'noWork') return srpWithoutWork();
      const { step1, step2 } = await srpAuth(USERNAME[kind], WRONG);
      expect(outcome(step2!)).toEqual(INCORRECT);
      return { initiateAuth: step1.ms, respondToAuthChallenge: step2!.ms };
    });
    await expectIndistinguishable(measureOnce, ['initiateAuth', 'respondToAuthChallenge']);
  }, 180_000);
});

/**
 * Both SRP steps refused just before their work: step 1 for an SRP_A that is 0 mod N (before the user
 * is looked up and B made), step 2 for a TIMESTAMP of the wrong shape (before the Session is spent and
 * the proof checked; the Session comes from an untimed step 1).
 */
async function srpWithoutWork(): Promise<{ initiateAuth: number; respondToAuthChallenge: number }> {
  const refused1 = await call('InitiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: USERNAME.confirmed, SRP_A: '0' } });
  expect(refused1.type).toBe('InvalidParameterException');
  const srp = new CognitoSrpClient(setup.poolId, engine);
  const started = await call('InitiateAuth', {
    AuthFlow: 'USER_SRP_AUTH',
    ClientId: setup.clientId,
    AuthParameters: { USERNAME: USERNAME.confirmed, SRP_A: srp.createEphemeral().A.toString(16) },
  });
  const parameters = started.body['ChallengeParameters'] as Record<string, string>;
  const refused2 = await call('RespondToAuthChallenge', {
    ClientId: setup.clientId,
    ChallengeName: 'PASSWORD_VERIFIER',
    Session: started.body['Session'],
    ChallengeResponses: {
      USERNAME: parameters['USER_ID_FOR_SRP'],
      PASSWORD_CLAIM_SECRET_BLOCK: parameters['SECRET_BLOCK'],
      PASSWORD_CLAIM_SIGNATURE: 'c2lnbmF0dXJl',
      TIMESTAMP: 'yesterday',
    },
  });
  expect(refused2.type).toBe('InvalidParameterException');
  return { initiateAuth: refused1.ms, respondToAuthChallenge: refused2.ms };
}

describe('what Cognito itself discloses (PreventUserExistenceErrors ENABLED)', () => {
  const rightPassword = async (username: string) => ({
    plain: outcome(await passwordAuth(username, STRONG_PASSWORD)),
    srp: await srpAuth(username, STRONG_PASSWORD),
  });

  it('the right password tells an unconfirmed or disabled account so (SRP: at the proof), a temporary one asks for a new password', async () => {
    const notConfirmed = { status: 400, type: 'UserNotConfirmedException', message: 'User is not confirmed.' };
    const disabled = { status: 400, type: 'NotAuthorizedException', message: 'User is disabled.' };
    const uli = await rightPassword(USERNAME.unconfirmed);
    expect(uli.plain).toEqual(notConfirmed);
    expect(uli.srp.step1.body['ChallengeName']).toBe('PASSWORD_VERIFIER');
    expect(outcome(uli.srp.step2!)).toEqual(notConfirmed);
    const dina = await rightPassword(USERNAME.disabled);
    expect(dina.plain).toEqual(disabled);
    expect(outcome(dina.srp.step2!)).toEqual(disabled);
    const tim = await rightPassword(USERNAME.temporary);
    expect(tim.srp.step2!.body['ChallengeName']).toBe('NEW_PASSWORD_REQUIRED');
    const carla = await rightPassword(USERNAME.confirmed);
    expect(carla.srp.step2!.body['AuthenticationResult']).toBeDefined();
  });

  it('a lockout: "Password attempts exceeded" for a real account, never for an unknown name', async () => {
    h.clock.advance(16 * 60_000);
    const exceeded = { status: 400, type: 'NotAuthorizedException', message: 'Password attempts exceeded' };
    // Five failures are free; the sixth locks for a second, and while locked even the right password is refused.
    for (let attempt = 1; attempt <= 6; attempt++) {
      expect(outcome(await passwordAuth(USERNAME.confirmed, WRONG))).toEqual(INCORRECT);
      expect(outcome(await passwordAuth(USERNAME.unknown, WRONG))).toEqual(INCORRECT);
    }
    expect(outcome(await passwordAuth(USERNAME.confirmed, STRONG_PASSWORD))).toEqual(exceeded);
    expect(outcome((await srpAuth(USERNAME.confirmed, STRONG_PASSWORD)).step2!)).toEqual(exceeded);
    expect(outcome(await passwordAuth(USERNAME.unknown, WRONG))).toEqual(INCORRECT);
    expect(outcome((await srpAuth(USERNAME.unknown, WRONG)).step2!)).toEqual(INCORRECT);
    h.clock.advance(16 * 60_000);
    expect(outcome(await passwordAuth(USERNAME.confirmed, STRONG_PASSWORD))).toEqual({ status: 200, type: undefined, message: undefined });
  });
});

describe('codes for an unknown name (PreventUserExistenceErrors ENABLED)', () => {
  const deliveryShape = (answer: Answer) => {
    const details = answer.body['CodeDeliveryDetails'] as Record<string, string> | undefined;
    return {
      status: answer.status,
      keys: Object.keys(answer.body),
      medium: details?.['DeliveryMedium'],
      attribute: details?.['AttributeName'],
      destination: /^[^*@]\*\*\*@[^*@]\*\*\*$/.test(details?.['Destination'] ?? '') ? 'masked address' : details?.['Destination'],
    };
  };
  const sentTo = (username: string) => h.pool.outbox({ username }).length;

  it('ForgotPassword: the same shape of CodeDeliveryDetails as a real account (also a disabled one), nothing sent, the same every time', async () => {
    const forgot = (username: string) => call('ForgotPassword', { ClientId: setup.clientId, Username: username });
    const before = { ghost: sentTo(USERNAME.unknown), dina: sentTo(USERNAME.disabled), carla: sentTo(USERNAME.confirmed) };
    const real = await forgot(USERNAME.confirmed);
    expect(deliveryShape(real)).toEqual({ status: 200, keys: ['CodeDeliveryDetails'], medium: 'EMAIL', attribute: 'email', destination: 'masked address' });
    expect(sentTo(USERNAME.confirmed)).toBe(before.carla + 1);
    const unknown = await forgot(USERNAME.unknown);
    expect(deliveryShape(unknown)).toEqual(deliveryShape(real));
    expect((await forgot(USERNAME.unknown)).body).toEqual(unknown.body);
    expect(deliveryShape(await forgot(USERNAME.disabled))).toEqual(deliveryShape(real));
    expect({ ghost: sentTo(USERNAME.unknown), dina: sentTo(USERNAME.disabled) }).toEqual({ ghost: before.ghost, dina: before.dina });
    // Confirming a code for either is the wrong-code answer.
    const confirm = (username: string) =>
      call('ConfirmForgotPassword', { ClientId: setup.clientId, Username: username, ConfirmationCode: '123456', Password: 'N3w!password' });
    const mismatch = { status: 400, type: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' };
    expect(outcome(await confirm(USERNAME.unknown))).toEqual(mismatch);
    expect(outcome(await confirm(USERNAME.disabled))).toEqual(mismatch);
  });

  it('ResendConfirmationCode: the same shape as for an unconfirmed account, nothing sent', async () => {
    const resend = (username: string) => call('ResendConfirmationCode', { ClientId: setup.clientId, Username: username });
    const before = sentTo(USERNAME.unknown);
    const real = await resend(USERNAME.unconfirmed);
    expect(deliveryShape(real)).toEqual({ status: 200, keys: ['CodeDeliveryDetails'], medium: 'EMAIL', attribute: 'email', destination: 'masked address' });
    const unknown = await resend(USERNAME.unknown);
    expect(deliveryShape(unknown)).toEqual(deliveryShape(real));
    expect(sentTo(USERNAME.unknown)).toBe(before);
    // Cognito tells a confirmed account apart here, whatever the client's setting.
    expect(outcome(await resend(USERNAME.confirmed))).toEqual({ status: 400, type: 'InvalidParameterException', message: 'User is already confirmed.' });
  });
});
