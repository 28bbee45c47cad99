// From a model path to a replay against the local pool: which demo user ("persona") produces each attempt's
// Cognito outcomes, what to type at each user event, and what to do to the pool (lock a user out, revoke their
// tokens, let a session expire) right before the call that must see it. Paths whose outcomes the pool cannot
// produce get a reason instead.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AuthEvent } from '../../machines/auth.types.js';
import type { AuthErrorCode } from '../../src/cognito/errors.js';
import type { SeedDocument, SeedUser } from '../../src/local-pool/index.js';
import { RESULTS, planPath, type ModelPath, type PlannedCall, type ResultName } from '../../src/testing/model/index.js';

export const demoSeed = JSON.parse(readFileSync(join(resolve(__dirname, '../..'), 'seeds/demo.json'), 'utf8')) as SeedDocument;
const demoPool = demoSeed.pools[0]!;
const mfaPool = demoSeed.pools.find((p) => p.mfa?.['MfaConfiguration'] === 'ON')!;

/** Pools the personas live in: the demo's two, plus MFA-required pools that offer one factor to set up. */
export const POOLS = {
  demo: { id: demoPool.id, clientId: demoPool.clients![0]!.id },
  mfaRequired: { id: mfaPool.id, clientId: mfaPool.clients![0]!.id },
  setupTotp: { id: 'us-east-1_modelsetuptotp', clientId: 'modelsetuptotpclient000000' },
  setupEmail: { id: 'us-east-1_modelsetupemail', clientId: 'modelsetupemailclient00000' },
  setupSms: { id: 'us-east-1_modelsetupsms', clientId: 'modelsetupsmsclient0000000' },
} as const;
export type PoolKey = keyof typeof POOLS;
/** An app client of the demo pool without USER_PASSWORD_AUTH (for AuthFlowNotEnabled). */
export const SRP_ONLY_CLIENT = 'modelsrponlyclient00000000';

const setupPool = (key: 'setupTotp' | 'setupEmail' | 'setupSms', mfa: Record<string, unknown>) => ({
  id: POOLS[key].id,
  name: `model-${key}`,
  settings: mfaPool.settings,
  mfa: { MfaConfiguration: 'ON', ...mfa },
  clients: [{ id: POOLS[key].clientId, name: key, settings: mfaPool.clients![0]!.settings }],
});

/** The extra pools and client (added to the demo seed's, which stay as they are). */
export const extraSeed = {
  pools: [
    {
      id: demoPool.id,
      name: demoPool.name,
      clients: [{ id: SRP_ONLY_CLIENT, name: 'srp-only', settings: { ...demoPool.clients![0]!.settings, ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } }],
    },
    setupPool('setupTotp', { SoftwareTokenMfaConfiguration: { Enabled: true } }),
    setupPool('setupEmail', { EmailMfaConfiguration: mfaPool.mfa!['EmailMfaConfiguration'] }),
    setupPool('setupSms', { SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your authentication code is {####}' } }),
  ],
} as unknown as SeedDocument;

const demoUser = (username: string): SeedUser => {
  const user = [...(demoPool.users ?? []), ...(mfaPool.users ?? [])].find((u) => u.username === username);
  if (!user) throw new Error(`seeds/demo.json has no user ${username}`);
  return user;
};

/** A verified authenticator that is not turned on: the user signs in without MFA but may prefer TOTP later. */
const AUTHENTICATOR = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

export interface Persona {
  readonly name: string;
  readonly pool: PoolKey;
  /** The demo user this persona is a copy of, and what it adds. */
  readonly from: string;
  readonly extra?: Partial<SeedUser>;
}

const persona = (name: string, pool: PoolKey, from: string, extra?: Partial<SeedUser>): Persona => ({ name, pool, from, ...(extra ? { extra } : {}) });

/** Who answers the password with each model result. */
export const PERSONA_FOR: Record<ResultName, Persona> = {
  DONE: persona('alice', 'demo', 'alice', { totpSecret: AUTHENTICATOR }),
  PASSWORD_VERIFIER: persona('alice', 'demo', 'alice', { totpSecret: AUTHENTICATOR }),
  NEW_PASSWORD: persona('nina', 'demo', 'nina'),
  SMS_CODE: persona('sam', 'demo', 'sam', { totpSecret: AUTHENTICATOR }),
  EMAIL_CODE: persona('emma', 'demo', 'emma', { totpSecret: AUTHENTICATOR }),
  TOTP_CODE: persona('tina', 'demo', 'tina'),
  MFA_SELECTION: persona('max', 'demo', 'max'),
  MFA_SETUP_TOTP_EMAIL: persona('otto', 'mfaRequired', 'otto'),
  MFA_SETUP_TOTP: persona('otto (TOTP-only pool)', 'setupTotp', 'otto'),
  MFA_SETUP_EMAIL: persona('otto (e-mail-only pool)', 'setupEmail', 'otto'),
  MFA_SETUP_SMS: persona('otto (SMS-only pool)', 'setupSms', 'otto'),
  CONFIRM_SIGN_UP: persona('uma', 'demo', 'uma'),
  RESET_PASSWORD: persona('rita', 'demo', 'rita'),
};
/** nina, whose authenticator is on: NEW_PASSWORD_REQUIRED, then SOFTWARE_TOKEN_MFA. */
const NINA_TOTP = persona('nina with TOTP on', 'demo', 'nina', { totpSecret: AUTHENTICATOR, mfa: { totp: true } });

/** A persona's user for one path: a copy of the demo user under a name of its own (no state shared across paths). */
export interface PathUser {
  readonly persona: Persona;
  readonly username: string;
  readonly password: string;
  readonly seed: SeedUser;
  readonly poolId: string;
}

/** Something done to the pool (or the clocks) right before a call reaches it. */
export type PoolAction =
  | { readonly kind: 'lockout'; readonly user: PathUser }
  | { readonly kind: 'revoke'; readonly user: PathUser }
  | { readonly kind: 'expireSession' }
  /** An administrator sets another password while the attempt waits: the kept one stops working. */
  | { readonly kind: 'changePassword'; readonly user: PathUser };

/** What the replay types for a user event. */
export type Substitution =
  | { readonly kind: 'signIn'; readonly user: PathUser; readonly wrongPassword: boolean; readonly authFlow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' }
  | { readonly kind: 'code'; readonly user: PathUser; readonly source: 'outbox' | 'totp' | 'pendingTotp'; readonly wrong: boolean }
  | { readonly kind: 'newPassword'; readonly weak: boolean }
  | { readonly kind: 'email'; readonly user: PathUser };

export type StartSetup =
  | { readonly kind: 'none' }
  | { readonly kind: 'tokens'; readonly user: PathUser; readonly stale: boolean }
  | { readonly kind: 'resumable'; readonly user: PathUser; readonly step: 'SMS_CODE' | 'EMAIL_CODE' }
  | { readonly kind: 'interrupted' }
  | { readonly kind: 'hang' };

export interface PoolPlan {
  readonly pool: PoolKey;
  readonly clientId: string;
  readonly users: readonly PathUser[];
  readonly start: StartSetup;
  /** Before this step the token store stops answering (a stored-session check held in flight). */
  readonly hangAt: number | undefined;
  /** Keyed `operation#index` (the index-th call of that operation). */
  readonly beforeCall: ReadonlyMap<string, readonly PoolAction[]>;
  /** Calls that stay in flight (held back from the pool). */
  readonly held: ReadonlySet<string>;
  readonly substitutions: ReadonlyMap<number, Substitution>;
  /** The persona behind each attempt, for the test output. */
  readonly personas: readonly string[];
  readonly calls: readonly PlannedCall[];
}

export class Unproducible extends Error {}
const skip = (reason: string): never => {
  throw new Unproducible(reason);
};

const resultName = (output: unknown): ResultName | undefined => (Object.keys(RESULTS) as ResultName[]).find((n) => RESULTS[n] === output);
const codeOf = (call: PlannedCall): AuthErrorCode | undefined => (call.outcome.kind === 'error' ? call.outcome.code : undefined);
const keyOf = (call: PlannedCall) => (call.port ? `${call.port.operation}#${call.port.index}` : undefined);

/** Outcomes no local pool can produce, whatever the persona. */
function unproducible(call: PlannedCall): string | undefined {
  const code = codeOf(call);
  if (call.storage && (call.storage.kind === 'fail' || call.outcome.kind === 'error')) return 'a token-store failure is client-side (the fake-port replay covers it)';
  if (code === 'Network') return 'network failure (the pool always answers)';
  if (code === 'UnexpectedChallenge') return 'protocol error (the pool only sends challenges the chart knows)';
  if (code === 'UnsupportedOperation') return 'the local pool implements GetTokensFromRefreshToken (UnsupportedOperation is cognito-local; see test/interop)';
  if (call.outcome.kind === 'done' && (call.outcome.output as { warning?: unknown } | undefined)?.warning) return 'an offline sign-out needs a network failure';
  if (ACCOUNT_ACTORS.has(call.src)) return `${call.src}: account flows run on the pool in test/integration/accounts.pool.test.ts (this planner has no sign-up personas)`;
  return undefined;
}

/** Actors of the account flows (sign-up, reset, the signed-in account) this planner does not script on the pool. */
const ACCOUNT_ACTORS: ReadonlySet<string> = new Set([
  'signUp', 'confirmSignUp', 'resendConfirmationCode', 'forgotPassword', 'confirmForgotPassword', 'changePassword',
  'updateUserAttributes', 'getUserAttributeVerificationCode', 'verifyUserAttribute', 'deleteUser',
]);

/**
 * Plans the replay of `path` on the pool, or throws Unproducible. `n` makes the usernames unique.
 */
export function planOnPool(path: ModelPath, n: number): PoolPlan {
  const calls = planPath(path).calls;
  for (const call of calls) {
    const reason = unproducible(call);
    if (reason) skip(reason);
  }
  const stateAt = (i: number) => path.steps[i]!.state;
  const users: PathUser[] = [];
  const newUser = (p: Persona): PathUser => {
    const template = demoUser(p.from);
    const username = `${p.from}-m${n}-${users.length}`;
    const seed: SeedUser = { ...template, ...p.extra, username, description: `model path ${n}: ${p.name}` };
    const user: PathUser = { persona: p, username, password: seed.password ?? seed.temporaryPassword!, seed, poolId: POOLS[p.pool].id };
    users.push(user);
    return user;
  };
  const beforeCall = new Map<string, PoolAction[]>();
  const act = (call: PlannedCall, action: PoolAction) => {
    const key = keyOf(call) ?? skip(`cannot act before ${call.src}`);
    beforeCall.set(key, [...(beforeCall.get(key) ?? []), action]);
  };
  const held = new Set(calls.filter((c) => c.outcome.kind === 'pending' && c.port).map((c) => keyOf(c)!));
  const substitutions = new Map<number, Substitution>();
  const personas: string[] = [];
  let pool: PoolKey | undefined;
  let clientId: string | undefined;
  const usePool = (key: PoolKey) => {
    if (pool && pool !== key) skip(`needs two user pools (${pool}, ${key}): one chart talks to one app client`);
    pool = key;
  };
  const useClient = (id: string) => {
    if (clientId && clientId !== id) skip('needs two app clients (one with USER_PASSWORD_AUTH, one without)');
    clientId = id;
  };

  // ---- the start: stored tokens or a saved attempt
  let start: StartSetup = { kind: 'none' };
  let session: PathUser | undefined; // who is signed in
  let resumed: PathUser | undefined;
  const load = calls.find((c) => c.src === 'loadStoredSession' && c.enteredAt === 0);
  if (load?.outcome.kind === 'pending') start = { kind: 'hang' };
  if (load?.outcome.kind === 'done') {
    const status = (load.outcome.output as { status: string; attempt?: { step: string } }).status;
    if (status === 'fresh' || status === 'stale') {
      session = newUser(PERSONA_FOR.DONE);
      usePool('demo');
      personas.push(`${session.persona.name} (stored tokens, ${status})`);
      start = { kind: 'tokens', user: session, stale: status === 'stale' };
    } else if (status === 'resumable') {
      const step = (load.outcome.output as { attempt: { step: string } }).attempt.step === 'CONFIRM_SIGN_IN_WITH_SMS_CODE' ? 'SMS_CODE' : 'EMAIL_CODE';
      resumed = newUser(PERSONA_FOR[step]);
      usePool('demo');
      personas.push(`${resumed.persona.name} (saved attempt)`);
      start = { kind: 'resumable', user: resumed, step };
    } else if (status === 'interrupted') start = { kind: 'interrupted' };
  }
  // A later check (session.check): nothing is stored by then, unless another page wrote it.
  const later = calls.filter((c) => c.src === 'loadStoredSession' && c.enteredAt > 0);
  if (later.some((c) => c.outcome.kind === 'done' && (c.outcome.output as { status?: string }).status !== 'none')) {
    skip('a second stored-session check that finds something needs another page to have written it');
  }
  const hangAt = later.find((c) => c.outcome.kind === 'pending')?.trigger;

  // ---- attempts: from each InitiateAuth at signingIn.initiating to the next one
  const firsts = calls.filter((c) => c.nodeId === 'auth.signingIn.initiating');
  const attemptOf = (call: PlannedCall): number => {
    let index = -1;
    firsts.forEach((f, k) => f.enteredAt <= call.enteredAt && (index = k));
    return index;
  };
  interface Attempt {
    user: PathUser;
    flow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
    result: ResultName | AuthErrorCode | undefined;
  }
  const attempts: Attempt[] = firsts.map((first, k) => {
    const next = firsts[k + 1]?.enteredAt ?? Infinity;
    const mine = calls.filter((c) => c.enteredAt >= first.enteredAt && c.enteredAt < next && c.nodeId.startsWith('auth.signingIn'));
    const firstAnswer = first.outcome.kind === 'done' ? resultName(first.outcome.output) : codeOf(first);
    const srp = firstAnswer === 'PASSWORD_VERIFIER';
    const proof = mine.find((c) => c.nodeId === 'auth.signingIn.verifyingPassword');
    const result = srp ? (proof?.outcome.kind === 'done' ? resultName(proof.outcome.output) : proof ? codeOf(proof) : undefined) : firstAnswer;
    let p: Persona = typeof result === 'string' && result in PERSONA_FOR ? PERSONA_FOR[result as ResultName] : PERSONA_FOR.DONE;
    if (result === 'NEW_PASSWORD') {
      const answer = mine.find((c) => c.nodeId === 'auth.signingIn.answering' && c.outcome.kind === 'done');
      if (answer && resultName((answer.outcome as { output: unknown }).output) === 'TOTP_CODE') p = NINA_TOTP;
    }
    if (srp && result === 'CONFIRM_SIGN_UP') skip('the pool answers UserNotConfirmed at InitiateAuth, before the SRP proof');
    usePool(p.pool);
    const user = newUser(p);
    const flow = srp ? 'USER_SRP_AUTH' : 'USER_PASSWORD_AUTH';
    if (result === 'AuthFlowNotEnabled') useClient(SRP_ONLY_CLIENT);
    personas.push(`${p.name}${result && !(result in PERSONA_FOR) ? ` (${result})` : ''}, ${flow === 'USER_SRP_AUTH' ? 'SRP' : 'password'}`);
    substitutions.set(first.trigger, { kind: 'signIn', user, wrongPassword: result === 'IncorrectUsernameOrPassword', authFlow: flow });
    return { user, flow, result };
  });
  if (pool === undefined) usePool('demo');
  clientId ??= POOLS[pool!].clientId;

  // ---- every call's outcome, and what it takes
  for (const call of calls) {
    if (call.src === 'loadStoredSession') continue;
    const at = stateAt(call.enteredAt);
    const k = attemptOf(call);
    const inSignIn = call.nodeId.startsWith('auth.signingIn');
    const attempt = inSignIn ? (k >= 0 ? attempts[k] : undefined) : undefined;
    // During a sign-in: the attempt's user; once signed in: whoever signed in last (an attempt, or the stored tokens).
    const latest = k >= 0 ? attempts[k]!.user : (resumed ?? session);
    const user = (inSignIn ? (attempt?.user ?? resumed) : latest) ?? skip(`no user for ${call.src}`);
    const code = codeOf(call);
    const out = call.outcome.kind === 'done' ? call.outcome.output : undefined;
    const step = at.context.step;
    const trigger = path.steps[call.trigger]?.event as AuthEvent | undefined;

    if (code === 'TokenRevoked') act(call, { kind: 'revoke', user });
    if (code === 'SessionExpired') act(call, { kind: 'expireSession' });
    if (code === 'PasswordAttemptsExceeded') {
      if (call.src === 'initiateAuth' && attempt?.flow === 'USER_SRP_AUTH') skip('an SRP sign-in is locked out at the proof, not at InitiateAuth');
      act(call, { kind: 'lockout', user });
    }
    switch (call.src) {
      case 'initiateAuth': {
        if (call.nodeId === 'auth.signingIn.initiating') break;
        // a resend: signs in again in the attempt's flow, with the password it kept
        if (code === 'IncorrectUsernameOrPassword') act(call, { kind: 'changePassword', user });
        const answer = out ? resultName(out) : undefined;
        if (answer === 'PASSWORD_VERIFIER' && attempt?.flow !== 'USER_SRP_AUTH') skip('a resend answers like the first sign-in: PASSWORD_VERIFIER only in an SRP attempt');
        if (answer && answer !== 'PASSWORD_VERIFIER' && attempt?.flow !== 'USER_PASSWORD_AUTH') skip('a resend answers like the first sign-in: the code step directly only with USER_PASSWORD_AUTH');
        break;
      }
      case 'respondToAuthChallenge': {
        const answer = out ? resultName(out) : undefined;
        if (step === 'PASSWORD_VERIFIER' && answer && attempt?.result !== answer) skip(`the second SRP proof of an attempt answers like the first (${String(attempt?.result)}), not ${answer}`);
        if (step === 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION' && answer) {
          const chosen = (trigger as { mfaType?: string } | undefined)?.mfaType;
          if (`${chosen}_CODE` !== answer) skip(`SELECT_MFA_TYPE answers with the chosen factor (${chosen}), not ${answer}`);
        }
        if (step === 'MFA_SETUP') {
          const viaEmail = at.matches({ signingIn: { enrolment: 'emailSetup' } });
          if (answer && (answer === 'EMAIL_CODE') !== viaEmail) skip(viaEmail ? 'an e-mail set up is confirmed with an EMAIL_OTP code first' : 'a TOTP set up ends with tokens, not an e-mail code');
          if (code === 'AuthFlowNotEnabled') skip('a configuration error at MFA_SETUP (the pool accepts any address the chart accepts)');
        }
        if (step === 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' && call.trigger > 0) {
          substitutions.set(call.trigger, { kind: 'newPassword', weak: code === 'InvalidPassword' });
        }
        if ((step === 'CONFIRM_SIGN_IN_WITH_SMS_CODE' || step === 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' || step === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE') && trigger?.type === 'code.submit') {
          const source = step === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' ? 'totp' : 'outbox';
          substitutions.set(call.trigger, { kind: 'code', user, source, wrong: code === 'CodeMismatch' });
        }
        if (trigger?.type === 'email.submit') substitutions.set(call.trigger, { kind: 'email', user });
        break;
      }
      case 'verifySoftwareToken':
        if (trigger?.type === 'code.submit') substitutions.set(call.trigger, { kind: 'code', user, source: 'pendingTotp', wrong: code === 'CodeMismatch' });
        break;
      case 'setUserMfaPreference':
        if (!user.seed.totpSecret && call.outcome.kind === 'done') skip(`${user.persona.name} has no authenticator to prefer`);
        break;
    }
  }
  return { pool: pool!, clientId, users, start, hangAt, beforeCall, held, substitutions, personas, calls };
}
