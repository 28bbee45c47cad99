// The generated model paths replayed over HTTP against the local pool, with the real SDK port: each path is
// mapped to personas (copies of the demo users, or a fresh sign-up) and inputs (right or wrong password and code,
// from the outbox or the TOTP helper), and the pool is set up for the outcomes it must produce (lockout, revoked
// tokens, an expired session, codes used up, a call failed on the wire). Paths no pool can produce are listed with
// the reason.
import {
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { SimulatedClock } from 'xstate';
import type { AuthEvent } from '../../machines/auth.types.js';
import type { CognitoPort } from '../../src/cognito/port.js';
import { createSdkPort } from '../../src/cognito/sdk-port.js';
import { createAuth } from '../../src/index.node.js';
import { ManualClock, startLocalPool, type LocalPool } from '../../src/local-pool/index.js';
import { AttemptStore } from '../../src/persist/attempts.js';
import { MemoryStorage, type KeyValueStorage } from '../../src/session/storage.js';
import { toStoredTokens, TokenStore } from '../../src/session/tokens.js';
import { describePath, generateModel, replayPath, type ModelPath } from '../../src/testing/index.js';
import { startNetworkSwitch, type NetworkSwitch } from '../support/network-switch.js';
import { adminClient } from '../support/sdk.js';
import { demoSeed, extraSeed, planOnPool, POOLS, Unproducible, type CodePurpose, type CodeSender, type PathUser, type PoolAction, type PoolPlan } from '../support/pool-plan.js';

/**
 * At least this many paths (and this share of them) must run on the pool, so that coverage cannot quietly collapse.
 * The share leaves out what has its own pool tests: choice-based sign-in, passkeys and autofill (about a quarter of
 * the paths; test/integration/user-auth.pool.test.ts, test/e2e/passkeys.e2e.test.ts) and custom challenges.
 */
const FLOOR = 305;
const FLOOR_SHARE = 0.55;
const VALIDITY_MS = 3 * 60_000 + 1000;
const WRONG_PASSWORD = 'Wr0ng-Passw0rd!';
/** Fails the demo pool's policy (no upper case, digit or symbol). */
const WEAK_PASSWORD = 'weakpass';
/** The outbox purposes of each kind of account code. */
const PURPOSES: Record<CodePurpose, readonly string[]> = { signUp: ['SIGN_UP'], reset: ['FORGOT_PASSWORD', 'ADMIN_RESET_PASSWORD'], attribute: ['VERIFY_ATTRIBUTE'] };

const paths = generateModel().all;
const planned = paths.map((path, n) => {
  try {
    return { path, plan: planOnPool(path, n) };
  } catch (error) {
    if (error instanceof Unproducible) return { path, skip: error.message };
    throw error;
  }
});
const runnable = planned.filter((p): p is { path: ModelPath; plan: PoolPlan } => 'plan' in p && p.plan !== undefined);
const skipped = planned.filter((p): p is { path: ModelPath; skip: string } => 'skip' in p);

let pool: LocalPool;
const switches: NetworkSwitch[] = [];
let poolClock: ManualClock;
let admin: CognitoIdentityProviderClient;
const poolNames = new Map([...demoSeed.pools, ...extraSeed.pools].map((p) => [p.id, p.name]));

beforeAll(async () => {
  poolClock = new ManualClock(Date.now());
  pool = await startLocalPool({ port: 0, clock: poolClock, seed: demoSeed });
  pool.seed(extraSeed);
  admin = adminClient(pool.url);
});
afterEach(() => Promise.all(switches.splice(0).map((s) => s.close())));
afterAll(async () => {
  admin?.destroy();
  await pool?.close();
});

/** Records every token the store is given (they must never show up in a snapshot). */
class WatchedStorage implements KeyValueStorage {
  readonly items = new MemoryStorage();
  readonly seen = new Set<string>();
  reads = 0;
  hang = false;
  getItem(key: string) {
    this.reads++;
    if (this.hang) return new Promise<string | null>(() => {});
    return this.items.getItem(key);
  }
  setItem(key: string, value: string) {
    // one entry per token (TokenStore.keys): remember every token value written
    if (/\.(accessToken|idToken|refreshToken)$/.test(key)) this.seen.add(value);
    this.items.setItem(key, value);
  }
  removeItem(key: string) {
    this.items.removeItem(key);
  }
}

async function passwordSignIn(user: PathUser, clientId: string, password = user.password) {
  return admin.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: user.username, PASSWORD: password } }));
}

/** Every operation of the port (a new one fails to compile until it is listed). */
const PORT_OPERATIONS: Record<Exclude<keyof CognitoPort, 'userPoolId' | 'clientId'>, true> = {
  initiateAuth: true, respondToAuthChallenge: true, getTokensFromRefreshToken: true, getUser: true, associateSoftwareToken: true,
  verifySoftwareToken: true, setUserMfaPreference: true, revokeToken: true, globalSignOut: true, signUp: true, confirmSignUp: true,
  resendConfirmationCode: true, forgotPassword: true, confirmForgotPassword: true, changePassword: true, updateUserAttributes: true,
  getUserAttributeVerificationCode: true, verifyUserAttribute: true, deleteUserAttributes: true, deleteUser: true, getUserAuthFactors: true,
  startWebAuthnRegistration: true, completeWebAuthnRegistration: true, listWebAuthnCredentials: true, deleteWebAuthnCredential: true,
  confirmDevice: true, updateDeviceStatus: true, listDevices: true, forgetDevice: true,
};

/** Sends until the pool answers LimitExceededException (other refusals on the way are the caller's to swallow). */
async function untilLimit(send: () => Promise<unknown>) {
  for (let i = 0; i < 12; i++) {
    try {
      await send();
    } catch (error) {
      if ((error as Error).name === 'LimitExceededException') return;
      throw error;
    }
  }
  throw new Error('the pool never answered LimitExceededException');
}

/** Something undone once the call it was done for has settled (the network back on). */
type Undo = () => Promise<void>;

/** The SDK port, with the plan's actions run before the calls that must see them, and held calls kept in flight. */
function instrumented(base: CognitoPort, plan: PoolPlan, run: (action: PoolAction) => Promise<void | Undo>) {
  const counts = new Map<string, number>();
  const wrap = <K extends keyof CognitoPort>(op: K) =>
    (async (request: never, signal: AbortSignal) => {
      const index = counts.get(op) ?? 0;
      counts.set(op, index + 1);
      const key = `${op}#${index}`;
      const undo: Undo[] = [];
      for (const action of plan.beforeCall.get(key) ?? []) {
        const done = await run(action);
        if (done) undo.push(done);
      }
      if (plan.held.has(key)) return new Promise(() => {});
      try {
        return await (base[op] as (r: never, s: AbortSignal) => Promise<unknown>)(request, signal);
      } finally {
        for (const done of undo) await done();
      }
    }) as CognitoPort[K];
  const port = { userPoolId: base.userPoolId, clientId: base.clientId } as Record<string, unknown>;
  for (const op of Object.keys(PORT_OPERATIONS) as Array<keyof typeof PORT_OPERATIONS>) port[op] = wrap(op);
  return { port: port as unknown as CognitoPort, made: (op: string) => counts.get(op) ?? 0 };
}

const differentCode = (code: string) => code.slice(0, -1) + ((Number(code.at(-1)) + 1) % 10);
/** The latest code of that purpose the user was sent. */
const latestCode = (user: PathUser, purpose: CodePurpose) =>
  pool.outbox({ userPoolId: user.poolId, username: user.username }).filter((m) => PURPOSES[purpose].includes(m.purpose)).at(-1)?.code;
/** The right code (which must have been sent), or another one. */
function accountCode(user: PathUser, purpose: CodePurpose, wrong: boolean): string {
  const right = latestCode(user, purpose);
  if (wrong) return right ? differentCode(right) : '000000';
  if (!right) throw new Error(`no ${purpose} code for ${user.username}`);
  return right;
}

async function replayOnPool(path: ModelPath, plan: PoolPlan) {
  const { id: userPoolId } = POOLS[plan.pool];
  const byPool = new Map<string, PathUser[]>();
  for (const user of plan.users) byPool.set(user.poolId, [...(byPool.get(user.poolId) ?? []), user]);
  pool.seed({ pools: [...byPool].map(([id, users]) => ({ id, name: poolNames.get(id)!, users: users.map((u) => u.seed) })) });

  const chartClock = new SimulatedClock();
  chartClock.set(poolClock.now());
  const advanceBoth = (ms: number) => {
    poolClock.advance(ms);
    chartClock.increment(ms);
  };
  const storage = new WatchedStorage();
  const resume = new MemoryStorage();
  const accessToken = async () => (await new TokenStore(storage.items, plan.clientId).load())?.accessToken ?? '';
  const caller = (user: PathUser) => ({ ClientId: plan.clientId, Username: user.username });
  /** The calls that send a code (counted against the pool's limit of 5 an hour). */
  const send: Record<CodeSender, (user: PathUser) => Promise<unknown>> = {
    resendConfirmationCode: (user) => admin.send(new ResendConfirmationCodeCommand(caller(user))),
    forgotPassword: (user) => admin.send(new ForgotPasswordCommand(caller(user))),
    getUserAttributeVerificationCode: async () => admin.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: await accessToken(), AttributeName: 'email' })),
  };
  // A network that can be cut, only for the paths that need a refused connection.
  const refuses = [...plan.beforeCall.values()].flat().some((a) => a.kind === 'networkFailure' && a.how === 'refused');
  const net: NetworkSwitch | undefined = refuses ? await startNetworkSwitch(pool.url) : undefined;
  if (net) switches.push(net);
  const run = async (action: PoolAction): Promise<void | Undo> => {
    switch (action.kind) {
      case 'unsupported':
        return void pool.injectFault({ operation: action.operation, fault: 'unsupported' });
      case 'networkFailure':
        if (action.how === 'drop') return void pool.injectFault({ operation: action.operation, fault: 'drop' });
        net!.off();
        return () => net!.on();
      case 'expireSession':
        poolClock.advance(VALIDITY_MS); // the pool's clock only: the chart still believes the session is alive
        return;
      case 'revoke':
        await admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: action.user.poolId, Username: action.user.username }));
        return;
      case 'lockout':
        for (let i = 0; i < 6; i++) await expect(passwordSignIn(action.user, POOLS[action.user.persona.pool].clientId, WRONG_PASSWORD)).rejects.toThrow();
        return;
      case 'changePassword':
        await admin.send(
          new AdminSetUserPasswordCommand({ UserPoolId: action.user.poolId, Username: action.user.username, Password: 'Ch4nged-by-an-admin!', Permanent: true }),
        );
        return;
      case 'sendSignUpCode':
        await send.resendConfirmationCode(action.user);
        return;
      case 'adminReset':
        await admin.send(new AdminResetUserPasswordCommand({ UserPoolId: action.user.poolId, Username: action.user.username }));
        return;
      case 'sendAttributeCode':
        await send.getUserAttributeVerificationCode(action.user);
        return;
      case 'exhaustSends':
        await untilLimit(() => send[action.operation](action.user));
        return;
      case 'exhaustCodeAttempts': {
        const wrong = accountCode(action.user, 'signUp', true);
        const refused = (error: Error) => (error.name === 'CodeMismatchException' ? undefined : Promise.reject(error));
        await untilLimit(() => admin.send(new ConfirmSignUpCommand({ ...caller(action.user), ConfirmationCode: wrong })).catch(refused));
        return;
      }
    }
  };
  const base = createSdkPort({ userPoolId, clientId: plan.clientId, endpoint: net?.url ?? pool.url });
  const port = instrumented(base, plan, run);
  const auth = createAuth({
    userPoolId,
    clientId: plan.clientId,
    // The SDK port, instrumented only when the plan holds calls back or acts before one.
    ...(plan.held.size > 0 || plan.beforeCall.size > 0 ? { port: port.port } : { endpoint: pool.url }),
    ...(plan.authFlow ? { authFlow: plan.authFlow } : {}),
    storage,
    resume,
    clock: chartClock,
    autoStart: false,
  });

  await replayPath(
    path,
    {
      auth,
      async before(i) {
        if (i === plan.hangAt) storage.hang = true;
        for (const action of plan.beforeStep.get(i) ?? []) await run(action);
        if (i > 0) return;
        const setup = plan.start;
        switch (setup.kind) {
          case 'hang':
            storage.hang = true;
            return;
          case 'tokens': {
            const result = (await passwordSignIn(setup.user, plan.clientId)).AuthenticationResult!;
            const tokens = { accessToken: result.AccessToken!, idToken: result.IdToken!, refreshToken: result.RefreshToken!, expiresIn: result.ExpiresIn!, tokenType: 'Bearer' };
            await new TokenStore(storage, plan.clientId).save(toStoredTokens(tokens, chartClock.now(), { loginId: setup.user.username, authFlowType: 'USER_PASSWORD_AUTH' }));
            if (setup.stale) advanceBoth(2 * 3_600_000);
            return;
          }
          case 'resumable': {
            const challenge = await passwordSignIn(setup.user, plan.clientId);
            const p = challenge.ChallengeParameters!;
            const now = chartClock.now();
            await new AttemptStore(resume, plan.clientId).follow(
              {
                kind: 'waiting',
                attempt: {
                  username: setup.user.username,
                  challengeUsername: p['USER_ID_FOR_SRP'] ?? setup.user.username,
                  authFlow: 'USER_PASSWORD_AUTH',
                  session: challenge.Session!,
                  sessionIssuedAt: now,
                  sessionExpiresAt: now + 3 * 60_000,
                  step: setup.step === 'SMS_CODE' ? 'CONFIRM_SIGN_IN_WITH_SMS_CODE' : 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
                  newPassword: null,
                  codeDelivery: { deliveryMedium: p['CODE_DELIVERY_DELIVERY_MEDIUM'] === 'EMAIL' ? 'EMAIL' : 'SMS', destination: p['CODE_DELIVERY_DESTINATION'] ?? '' },
                  allowedMfaTypes: null,
                },
              },
              now,
            );
            return;
          }
          case 'interrupted': {
            const store = new AttemptStore(resume, plan.clientId);
            const now = chartClock.now();
            const attempt = { username: 'someone', challengeUsername: 'someone', authFlow: 'USER_PASSWORD_AUTH', session: 'a-session-of-another-page', sessionIssuedAt: now, sessionExpiresAt: now + 180_000, step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', newPassword: null, codeDelivery: null, allowedMfaTypes: null } as const;
            await store.follow({ kind: 'waiting', attempt }, now);
            await store.follow({ kind: 'inFlight' }, now);
            return;
          }
        }
      },
      eventFor(i, event) {
        const s = plan.substitutions.get(i);
        if (!s) return event;
        switch (s.kind) {
          case 'signIn':
            if (poolClock.now() > chartClock.now()) chartClock.set(poolClock.now()); // SRP TIMESTAMPs must be near the pool's time
            return { type: 'signIn.submit', username: s.user.username, password: s.wrongPassword ? WRONG_PASSWORD : s.user.password, authFlow: s.authFlow };
          case 'newPassword':
            return s.weak ? { ...(event as Extract<AuthEvent, { type: 'password.submit' }>), newPassword: WEAK_PASSWORD } : event;
          case 'email':
            return { type: 'email.submit', email: `${s.user.username}@example.com` };
          case 'code': {
            const right =
              s.source === 'outbox'
                ? pool.outbox({ username: s.user.username }).at(-1)?.code
                : pool.totpCode(s.user.poolId, s.user.username, { pending: s.source === 'pendingTotp' });
            if (!right) throw new Error(`no code for ${s.user.username}`);
            return { type: 'code.submit', code: s.wrong ? differentCode(right) : right };
          }
          case 'signUp': {
            const { user } = s;
            const password = s.weak ? WEAK_PASSWORD : user.password;
            return { ...(event as Extract<AuthEvent, { type: 'signUp.submit' }>), username: s.username, password, attributes: user.seed.attributes ?? {} };
          }
          case 'forgotPassword':
            return { type: 'password.forgot', username: s.user.username };
          case 'accountCode': {
            const code = accountCode(s.user, s.purpose, s.wrong);
            return { ...(event as Extract<AuthEvent, { code: string }>), code, ...(s.weakPassword ? { newPassword: WEAK_PASSWORD } : {}) } as AuthEvent;
          }
          case 'changePassword': {
            const typed = event as Extract<AuthEvent, { type: 'password.change' }>;
            return { ...typed, oldPassword: s.wrongOld ? WRONG_PASSWORD : s.oldPassword, newPassword: s.weak ? WEAK_PASSWORD : typed.newPassword };
          }
          case 'attributes':
            return { type: 'attributes.update', attributes: s.attributes };
        }
      },
      fireTimer: () => advanceBoth(VALIDITY_MS),
      callsMade: (i) =>
        plan.calls
          .filter((c) => c.enteredAt < i && c.outcome.kind === 'pending' && (c.settledAt === undefined || c.settledAt >= i))
          .every((c) => (c.port ? port.made(c.port.operation) > c.port.index : c.storage?.kind === 'hang' ? storage.reads > 0 : true)),
      secrets: () => storage.seen,
      resumeContent: () => resume.getItem(`authchart.${plan.clientId}.attempt`),
    },
    { timeoutMs: 8000 },
  );
}

describe('model paths replayed on the local pool (real SDK port, HTTP)', () => {
  it.each(runnable.map((r) => [`${describePath(r.path)}  {${r.plan.personas.join('; ') || 'no sign-in'}}`, r] as const))('%s', async (_, r) => {
    await replayOnPool(r.path, r.plan);
  });
});

describe('what the pool cannot produce', () => {
  it(`runs at least ${FLOOR} paths (${FLOOR_SHARE * 100}%) on the pool, and lists the rest with the reason`, () => {
    const reasons = new Map<string, number>();
    for (const s of skipped) reasons.set(s.skip, (reasons.get(s.skip) ?? 0) + 1);
    console.log(
      `pool replay: ${runnable.length} of ${paths.length} paths run on the local pool; ${skipped.length} skipped:\n` +
        [...reasons].map(([reason, count]) => `  ${String(count).padStart(3)} × ${reason}`).join('\n') +
        `\nskipped paths:\n${skipped.map((s) => `  - ${describePath(s.path)}\n      ${s.skip}`).join('\n')}`,
    );
    expect(runnable.length).toBeGreaterThanOrEqual(FLOOR);
    expect(runnable.length / paths.length).toBeGreaterThanOrEqual(FLOOR_SHARE);
    expect(runnable.length + skipped.length).toBe(paths.length);
  });
});
