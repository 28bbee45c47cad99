// From a model path to a replay against the local pool: which demo user ("persona") produces each attempt's
// Cognito outcomes, what to type at each user event, and what to do to the pool (lock a user out, revoke their
// tokens, let a session expire, use up a code, fail the call on the wire) right before the call that must see it.
// Sign-ups get a fresh name of their own; codes come from the outbox. Paths whose outcomes the pool cannot produce
// get a reason instead.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AuthEvent, SignUpOutput, UpdateAttributesOutput } from '../../machines/auth.types.js';
import type { AuthErrorCode } from '../../src/cognito/errors.js';
import type { PasswordAuthFlow } from '../../src/cognito/port.js';
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
  // never planned: device paths are skipped below (test/integration/devices.pool.test.ts runs them on the pool)
  DEVICE_PROOF: persona('alice', 'demo', 'alice'),
  DONE_NEW_DEVICE: persona('alice', 'demo', 'alice'),
  DONE_DEVICE_PROVED: persona('alice', 'demo', 'alice'),
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
  // choice-based sign-in: never planned here (see unproducible)
  FIRST_FACTOR_SELECTION: persona('alice', 'demo', 'alice'),
  EMAIL_OTP: persona('emma', 'demo', 'emma'),
  SMS_OTP: persona('sam', 'demo', 'sam'),
  PASSKEY: persona('alice', 'demo', 'alice'),
  CUSTOM_CHALLENGE: persona('alice', 'demo', 'alice'),
};
/** nina, whose authenticator is on: NEW_PASSWORD_REQUIRED, then SOFTWARE_TOKEN_MFA. */
const NINA_TOTP = persona('nina with TOTP on', 'demo', 'nina', { totpSecret: AUTHENTICATOR, mfa: { totp: true } });
/** Someone who signs up on the path: no seed (SignUp creates the user), a name and address of its own. */
const NEW_SIGN_UP = persona('a new sign-up', 'demo', '(SignUp)');
const SIGN_UP_PASSWORD = 'S1gn-up-Passw0rd!';

/** A persona's user for one path: a copy of the demo user under a name of its own (no state shared across paths). */
export interface PathUser {
  readonly persona: Persona;
  readonly username: string;
  readonly password: string;
  /** What is seeded (for a sign-up: what it signs up with; nothing is seeded). */
  readonly seed: SeedUser;
  readonly poolId: string;
}

/** The outbox messages a code is taken from: a sign-up's, a password reset's (ForgotPassword or an admin's), an attribute's. */
export type CodePurpose = 'signUp' | 'reset' | 'attribute';
/** The operations with a send limit (5 codes an hour per user and kind). */
export type CodeSender = 'resendConfirmationCode' | 'forgotPassword' | 'getUserAttributeVerificationCode';

/** Something done to the pool (or the clocks) right before a call reaches it, or before a step. */
export type PoolAction =
  | { readonly kind: 'lockout'; readonly user: PathUser }
  | { readonly kind: 'revoke'; readonly user: PathUser }
  | { readonly kind: 'expireSession' }
  /** An administrator sets another password while the attempt waits: the kept one stops working. */
  | { readonly kind: 'changePassword'; readonly user: PathUser }
  /** The code a sign-up would have sent (a seeded UNCONFIRMED user has none): ResendConfirmationCode. */
  | { readonly kind: 'sendSignUpCode'; readonly user: PathUser }
  /** AdminResetUserPassword (the demo's story of RESET_REQUIRED): its code goes to the verified e-mail. */
  | { readonly kind: 'adminReset'; readonly user: PathUser }
  /** GetUserAttributeVerificationCode for the e-mail, with the chart's access token: a code to verify. */
  | { readonly kind: 'sendAttributeCode'; readonly user: PathUser }
  /** Codes asked for until the pool refuses one (LimitExceeded), so that the chart's request is refused too. */
  | { readonly kind: 'exhaustSends'; readonly user: PathUser; readonly operation: CodeSender }
  /** Wrong sign-up codes until the pool refuses the next answer (LimitExceeded). */
  | { readonly kind: 'exhaustCodeAttempts'; readonly user: PathUser }
  /**
   * The call fails on the wire (Network): the pool drops the connection before answering (`operation` as the pool
   * names it), or nobody listens while the call is made (`refused`).
   */
  | { readonly kind: 'networkFailure'; readonly operation: string; readonly how: 'drop' | 'refused' }
  /** The pool answers the call UnsupportedOperationException (as cognito-local does GetTokensFromRefreshToken). */
  | { readonly kind: 'unsupported'; readonly operation: string };

/** What the replay types for a user event. */
export type Substitution =
  | { readonly kind: 'signIn'; readonly user: PathUser; readonly wrongPassword: boolean; readonly authFlow: PasswordAuthFlow }
  | { readonly kind: 'code'; readonly user: PathUser; readonly source: 'outbox' | 'totp' | 'pendingTotp'; readonly wrong: boolean }
  | { readonly kind: 'newPassword'; readonly weak: boolean }
  | { readonly kind: 'email'; readonly user: PathUser }
  /** signUp.submit: `username` (someone else's for UsernameExists), the user's password (or a weak one) and attributes. */
  | { readonly kind: 'signUp'; readonly user: PathUser; readonly username: string; readonly weak: boolean }
  | { readonly kind: 'forgotPassword'; readonly user: PathUser }
  /** code.submit (sign-up), attribute.verify and password.reset: the outbox's latest code of that purpose, or another. */
  | { readonly kind: 'accountCode'; readonly user: PathUser; readonly purpose: CodePurpose; readonly wrong: boolean; readonly weakPassword: boolean }
  | { readonly kind: 'changePassword'; readonly oldPassword: string; readonly wrongOld: boolean; readonly weak: boolean }
  | { readonly kind: 'attributes'; readonly attributes: Readonly<Record<string, string>> };

export type StartSetup =
  | { readonly kind: 'none' }
  | { readonly kind: 'tokens'; readonly user: PathUser; readonly stale: boolean }
  | { readonly kind: 'resumable'; readonly user: PathUser; readonly step: 'SMS_CODE' | 'EMAIL_CODE' }
  | { readonly kind: 'interrupted' }
  | { readonly kind: 'hang' };

export interface PoolPlan {
  readonly pool: PoolKey;
  readonly clientId: string;
  /** createAuth's flow, when the path needs one (an auto sign-in with nothing typed before it); else its default. */
  readonly authFlow: PasswordAuthFlow | undefined;
  readonly users: readonly PathUser[];
  readonly start: StartSetup;
  /** Done before the replay applies a step (0: once the users are seeded, before the chart starts). */
  readonly beforeStep: ReadonlyMap<number, readonly PoolAction[]>;
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
const outputOf = <T>(call: PlannedCall): T | undefined => (call.outcome.kind === 'done' ? (call.outcome.output as T) : undefined);

/** Account operations that take no auth flow: the model's configuration error for them is InitiateAuth's. */
const NO_AUTH_FLOW: ReadonlySet<string> = new Set(['signUp', 'confirmSignUp', 'resendConfirmationCode', 'forgotPassword', 'confirmForgotPassword']);

const USER_AUTH_ACTORS: ReadonlySet<string> = new Set([
  'getPasskeyCredential', 'startWebAuthnRegistration', 'createPasskey', 'completeWebAuthnRegistration', 'listWebAuthnCredentials', 'deleteWebAuthnCredential',
]);

/** Outcomes no local pool can produce, whatever the persona. */
function unproducible(call: PlannedCall): string | undefined {
  const code = codeOf(call);
  if (USER_AUTH_ACTORS.has(call.src)) {
    return 'choice-based sign-in (USER_AUTH) and passkeys: their paths run on the pool in test/integration/user-auth.pool.test.ts and in Chromium (test/e2e/passkeys.e2e.test.ts)';
  }
  if (call.storage && (call.storage.kind === 'fail' || call.outcome.kind === 'error')) return 'a token-store failure is client-side (the fake-port replay covers it)';
  if (code === 'UnexpectedChallenge') return 'protocol error (the pool only sends challenges the chart knows)';
  if (call.src === 'signUp' && outputOf<SignUpOutput>(call)?.session) {
    return 'a sign-up Session (auto sign-in through USER_AUTH) needs an app client with ALLOW_USER_AUTH; the planner uses the demo client (test/integration/accounts.pool.test.ts covers it)';
  }
  if (call.src === 'signUp' && outputOf<SignUpOutput>(call)?.userConfirmed) {
    return 'SignUp answers UserConfirmed only with a PreSignUp trigger that auto-confirms (the local pool has no Lambda triggers yet)';
  }
  if (code === 'AuthFlowNotEnabled' && NO_AUTH_FLOW.has(call.src)) {
    return 'AuthFlowNotEnabled from an account operation (SignUp, ConfirmSignUp, resend, ForgotPassword, ConfirmForgotPassword): only InitiateAuth checks the auth flows, and their configuration errors have other codes';
  }
  return undefined;
}

/**
 * Calls that cannot be repeated (they spend a Session or a code, or create the user): once sent, a lost answer is
 * OutcomeUnknown, so the model's Network error (nothing was sent) needs a connection that never opened; the others
 * get the pool's drop.
 */
const NOT_REPEATABLE: ReadonlySet<string> = new Set([
  'respondToAuthChallenge', 'verifySoftwareToken', 'signUp', 'confirmSignUp', 'confirmForgotPassword', 'changePassword', 'verifyUserAttribute', 'deleteUser',
]);
/** The Cognito operation behind a port method, as the pool names it. */
const cognitoName = (operation: string) => (operation === 'setUserMfaPreference' ? 'SetUserMFAPreference' : operation[0]!.toUpperCase() + operation.slice(1));
const networkFailure = (call: PlannedCall): PoolAction => ({
  kind: 'networkFailure',
  operation: cognitoName(call.port!.operation),
  how: NOT_REPEATABLE.has(call.port!.operation) ? 'refused' : 'drop',
});

const SIGN_IN = 'auth.signingIn.initiating';
const AUTO_SIGN_IN = 'auth.signingIn.autoSignIn';
type PhaseKind = 'signIn' | 'autoSignIn' | 'signUp' | 'forgotPassword';
/** A part of the path that is about one user: a sign-in attempt (typed or automatic), a sign-up, a forgotten password. */
interface Phase {
  readonly at: number;
  readonly kind: PhaseKind;
  readonly user: PathUser;
  readonly flow?: PasswordAuthFlow;
  readonly result?: ResultName | AuthErrorCode | undefined;
}

/**
 * Who resets a forgotten password: the persona whose sign-in answers what the auto sign-in after the reset
 * answers (else alice). ForgotPassword needs a verified e-mail or phone; a reset password is never temporary.
 */
function resetPersona(autoSignInResult: ResultName | AuthErrorCode | undefined): Persona {
  if (autoSignInResult === undefined || !(autoSignInResult in PERSONA_FOR)) return PERSONA_FOR.DONE;
  const p = PERSONA_FOR[autoSignInResult as ResultName];
  const seed = { ...demoUser(p.from), ...p.extra };
  if (seed.temporaryPassword !== undefined) skip(`a reset password is permanent: the sign-in after it is not ${autoSignInResult}`);
  const verified = seed.attributes?.['email_verified'] === 'true' || seed.attributes?.['phone_number_verified'] === 'true';
  if (!verified) skip(`${p.name} (${autoSignInResult} after a reset) has no verified e-mail or phone: ForgotPassword cannot send a code`);
  return p;
}

/**
 * Plans the replay of `path` on the pool, or throws Unproducible. `n` makes the usernames unique.
 */
export function planOnPool(path: ModelPath, n: number): PoolPlan {
  if (path.steps.some((step) => step.state.context.authFlow === 'CUSTOM_WITHOUT_SRP' || step.state.context.authFlow === 'CUSTOM_WITH_SRP')) {
    skip('custom authentication needs the pool\'s Lambda triggers: test/integration/custom-auth.pool.test.ts runs it');
  }
  if (path.steps.some((step) => step.state.matches('redirecting') || step.state.matches({ checkingSession: 'exchangingCode' }))) {
    skip('the hosted UI needs a browser: test/e2e/hosted-ui.e2e.test.ts signs in through it');
  }
  if (path.steps.some((step) => step.state.context.authFlow === 'USER_AUTH' || step.state.context.autofill)) {
    skip('choice-based sign-in (USER_AUTH) and passkeys: their paths run on the pool in test/integration/user-auth.pool.test.ts and in Chromium (test/e2e/passkeys.e2e.test.ts)');
  }
  const planned = planPath(path);
  if (planned.device || planned.calls.some((c) => c.src === 'confirmDevice' || c.src === 'listDevices')) {
    skip('remembered devices need a pool that tracks them: test/integration/devices.pool.test.ts runs them through the chart');
  }
  const calls = planned.calls;
  for (const call of calls) {
    const reason = unproducible(call);
    if (reason) skip(reason);
  }
  const stateAt = (i: number) => path.steps[i]!.state;
  const eventAt = (i: number) => path.steps[i]?.event as AuthEvent | undefined;
  const users: PathUser[] = [];
  let signUps = 0;
  const newUser = (p: Persona): PathUser => {
    const template = demoUser(p.from);
    const username = `${p.from}-m${n}-${users.length}`;
    const seed: SeedUser = { ...template, ...p.extra, username, description: `model path ${n}: ${p.name}` };
    const user: PathUser = { persona: p, username, password: seed.password ?? seed.temporaryPassword!, seed, poolId: POOLS[p.pool].id };
    users.push(user);
    return user;
  };
  /** Not seeded: SignUp creates it. */
  const newSignUp = (): PathUser => {
    const username = `signup-m${n}-${signUps++}`;
    const attributes = { email: `${username}@example.com`, name: `Sign-up ${n}` };
    return { persona: NEW_SIGN_UP, username, password: SIGN_UP_PASSWORD, seed: { username, password: SIGN_UP_PASSWORD, attributes }, poolId: POOLS.demo.id };
  };
  const beforeCall = new Map<string, PoolAction[]>();
  const act = (call: PlannedCall, action: PoolAction) => {
    const key = keyOf(call) ?? skip(`cannot act before ${call.src}`);
    beforeCall.set(key, [...(beforeCall.get(key) ?? []), action]);
  };
  const beforeStep = new Map<number, PoolAction[]>();
  const actAt = (step: number, action: PoolAction) => beforeStep.set(step, [...(beforeStep.get(step) ?? []), action]);
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

  // ---- phases: sign-in attempts (from each InitiateAuth at signingIn.initiating or .autoSignIn), sign-ups and
  // forgotten passwords, each up to the next one; every call belongs to the phase it starts in.
  const starts = [
    ...calls.filter((c) => c.nodeId === SIGN_IN || c.nodeId === AUTO_SIGN_IN).map((call) => ({ at: call.enteredAt, kind: (call.nodeId === SIGN_IN ? 'signIn' : 'autoSignIn') as PhaseKind, call })),
    ...path.steps.flatMap((step, i) => {
      const type = i > 0 ? eventAt(i)?.type : undefined;
      if (type === 'signUp.start' && step.state.matches('signingUp')) return [{ at: i, kind: 'signUp' as PhaseKind, call: undefined }];
      if (type === 'password.forgot' && step.state.matches('resettingPassword')) return [{ at: i, kind: 'forgotPassword' as PhaseKind, call: undefined }];
      return [];
    }),
  ].sort((a, b) => a.at - b.at);
  /** What a sign-in attempt starting with `first` answers: the first answer, and after an SRP proof the proof's. */
  const answerOf = (first: PlannedCall, until: number) => {
    const mine = calls.filter((c) => c.enteredAt >= first.enteredAt && c.enteredAt < until && c.nodeId.startsWith('auth.signingIn'));
    const firstAnswer = first.outcome.kind === 'done' ? resultName(first.outcome.output) : codeOf(first);
    const srp = firstAnswer === 'PASSWORD_VERIFIER';
    const proof = mine.find((c) => c.nodeId === 'auth.signingIn.verifyingPassword');
    const result = srp ? (proof?.outcome.kind === 'done' ? resultName(proof.outcome.output) : proof ? codeOf(proof) : undefined) : firstAnswer;
    return { mine, firstAnswer, srp, result };
  };
  const phases: Phase[] = [];
  // The flow the chart signs in with: the last signIn.submit's, else createAuth's (chosen by the first auto sign-in).
  let flowInContext: PasswordAuthFlow | undefined;
  let authFlow: PasswordAuthFlow | undefined;
  starts.forEach((s, k) => {
    const until = starts[k + 1]?.at ?? Infinity;
    switch (s.kind) {
      case 'signIn': {
        const { mine, srp, result } = answerOf(s.call!, until);
        let p: Persona = typeof result === 'string' && result in PERSONA_FOR ? PERSONA_FOR[result as ResultName] : PERSONA_FOR.DONE;
        if (result === 'NEW_PASSWORD') {
          const answer = mine.find((c) => c.nodeId === 'auth.signingIn.answering' && c.outcome.kind === 'done');
          if (answer && resultName((answer.outcome as { output: unknown }).output) === 'TOTP_CODE') p = NINA_TOTP;
        }
        usePool(p.pool);
        const user = newUser(p);
        // The demo client hides whether an account exists (PreventUserExistenceErrors ENABLED): UserNotConfirmed and
        // PasswordResetRequired come once the password is proven, at InitiateAuth with USER_PASSWORD_AUTH, after the
        // proof with SRP. The auto sign-in after the confirmation or reset signs in with the flow it was kept in.
        const later = starts.slice(k + 1).findIndex((x) => x.kind === 'autoSignIn');
        const auto = later < 0 ? undefined : starts[k + 1 + later];
        const autoSrp = (result === 'CONFIRM_SIGN_UP' || result === 'RESET_PASSWORD') && auto ? answerOf(auto.call!, starts[k + 2 + later]?.at ?? Infinity).srp : false;
        if (!srp && autoSrp) skip(`${result} straight from InitiateAuth needs USER_PASSWORD_AUTH (SRP answers it after the proof), and the auto sign-in keeps that flow: no SRP proof`);
        const flow = srp ? 'USER_SRP_AUTH' : 'USER_PASSWORD_AUTH';
        if (result === 'AuthFlowNotEnabled') useClient(SRP_ONLY_CLIENT);
        if (result === 'CONFIRM_SIGN_UP') actAt(0, { kind: 'sendSignUpCode', user });
        if (result === 'RESET_PASSWORD') actAt(0, { kind: 'adminReset', user });
        personas.push(`${p.name}${result && !(result in PERSONA_FOR) ? ` (${result})` : ''}, ${flow === 'USER_SRP_AUTH' ? 'SRP' : 'password'}`);
        substitutions.set(s.call!.trigger, { kind: 'signIn', user, wrongPassword: result === 'IncorrectUsernameOrPassword', authFlow: flow });
        flowInContext = flow;
        phases.push({ at: s.at, kind: 'signIn', user, flow, result });
        return;
      }
      case 'autoSignIn': {
        // After a confirmation or a reset: the same user, with the password the runtime kept, in the flow it was kept in.
        const before = phases.at(-1) ?? skip('an auto sign-in with no sign-up or reset before it');
        const { firstAnswer, srp, result } = answerOf(s.call!, until);
        const needs = firstAnswer === undefined ? undefined : srp ? 'USER_SRP_AUTH' : 'USER_PASSWORD_AUTH';
        if (needs && !flowInContext) authFlow = flowInContext = needs;
        if (needs && flowInContext !== needs) skip(`the auto sign-in keeps the flow of the sign-in before it (${flowInContext}): ${firstAnswer} needs ${needs}`);
        // A reset's persona was chosen for what this sign-in answers; a sign-up, uma and rita have no MFA.
        if (before.kind !== 'forgotPassword' && result !== undefined && result !== 'DONE' && result in PERSONA_FOR) {
          skip(
            before.kind === 'signUp'
              ? `a new sign-up in the demo pool signs in straight to tokens (no MFA, no temporary password), not ${result}`
              : `after ${before.result === 'CONFIRM_SIGN_UP' ? 'the confirmation' : 'the reset'}, ${before.user.persona.name} signs in straight to tokens, not ${result}`,
          );
        }
        if (result === 'AuthFlowNotEnabled') useClient(SRP_ONLY_CLIENT);
        personas.push(`${before.user.persona.name} signed in automatically${result && !(result in PERSONA_FOR) ? ` (${result})` : ''}`);
        phases.push({ at: s.at, kind: 'autoSignIn', user: before.user, flow: flowInContext ?? 'USER_SRP_AUTH', result });
        return;
      }
      case 'signUp':
        usePool('demo');
        personas.push(NEW_SIGN_UP.name);
        phases.push({ at: s.at, kind: 'signUp', user: newSignUp() });
        return;
      case 'forgotPassword': {
        const next = starts[k + 1];
        const autoSignIn = next?.kind === 'autoSignIn' ? answerOf(next.call!, starts[k + 2]?.at ?? Infinity).result : undefined;
        const p = resetPersona(autoSignIn);
        usePool(p.pool);
        const user = newUser(p);
        personas.push(`${p.name} (forgot the password)`);
        substitutions.set(s.at, { kind: 'forgotPassword', user });
        phases.push({ at: s.at, kind: 'forgotPassword', user });
        return;
      }
    }
  });
  if (pool === undefined) usePool('demo');
  clientId ??= POOLS[pool!].clientId;
  const phaseOf = (call: PlannedCall) => phases.filter((p) => p.at <= call.enteredAt).at(-1);

  // ---- every call's outcome, and what it takes
  const passwords = new Map<PathUser, string>(); // a password changed on the path (reset, ChangePassword)
  const attributeCodeSent = new Set<PathUser>();
  for (const call of calls) {
    if (call.src === 'loadStoredSession') continue;
    const at = stateAt(call.enteredAt);
    const phase = phaseOf(call);
    const inSignIn = call.nodeId.startsWith('auth.signingIn');
    const attempt = inSignIn && (phase?.kind === 'signIn' || phase?.kind === 'autoSignIn') ? phase : undefined;
    // During a sign-in: the attempt's user; otherwise the phase's (a sign-up, a reset) or whoever signed in last.
    const user = (inSignIn ? (attempt?.user ?? resumed) : (phase?.user ?? resumed ?? session)) ?? skip(`no user for ${call.src}`);
    const code = codeOf(call);
    const out = call.outcome.kind === 'done' ? call.outcome.output : undefined;
    const step = at.context.step;
    const trigger = eventAt(call.trigger);

    if (code === 'TokenRevoked') act(call, { kind: 'revoke', user });
    // offline: the call fails on the wire; a sign-out is done locally all the same (its warning)
    if (code === 'Network' || (out as { warning?: unknown } | undefined)?.warning) act(call, networkFailure(call));
    if (code === 'UnsupportedOperation') act(call, { kind: 'unsupported', operation: cognitoName(call.port!.operation) });
    if (code === 'SessionExpired') act(call, { kind: 'expireSession' });
    if (code === 'PasswordAttemptsExceeded') {
      if (call.src === 'initiateAuth' && attempt?.flow === 'USER_SRP_AUTH') skip('an SRP sign-in is locked out at the proof, not at InitiateAuth');
      act(call, { kind: 'lockout', user });
    }
    if (code === 'LimitExceeded') {
      if (call.src === 'confirmSignUp') act(call, { kind: 'exhaustCodeAttempts', user });
      else act(call, { kind: 'exhaustSends', user, operation: call.src as CodeSender });
    }
    switch (call.src) {
      case 'initiateAuth': {
        if (call.nodeId === SIGN_IN) break;
        // a resend or an auto sign-in: signs in again with the password it kept
        if (code === 'IncorrectUsernameOrPassword') act(call, { kind: 'changePassword', user });
        if (call.nodeId === AUTO_SIGN_IN) break;
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
      // ---- sign-up and reset: the phase's user; codes from the outbox
      case 'signUp': {
        if (phase?.kind !== 'signUp') skip('SignUp outside a sign-up');
        // UsernameExists: the name of someone in the pool (a copy of alice, seeded for it)
        const username = code === 'UsernameExists' ? newUser(PERSONA_FOR.DONE).username : user.username;
        substitutions.set(call.trigger, { kind: 'signUp', user, username, weak: code === 'InvalidPassword' });
        break;
      }
      case 'confirmSignUp':
        substitutions.set(call.trigger, { kind: 'accountCode', user, purpose: 'signUp', wrong: code === 'CodeMismatch', weakPassword: false });
        break;
      case 'confirmForgotPassword': {
        substitutions.set(call.trigger, { kind: 'accountCode', user, purpose: 'reset', wrong: code === 'CodeMismatch', weakPassword: code === 'InvalidPassword' });
        const typed = (trigger as { newPassword?: string } | undefined)?.newPassword;
        if (call.outcome.kind === 'done' && typed) passwords.set(user, typed);
        break;
      }
      // ---- the signed-in user's account
      case 'updateUserAttributes': {
        // a new address gets a code (the pool auto-verifies e-mail); a new name gets none
        const sent = (outputOf<UpdateAttributesOutput>(call)?.codeDeliveries.length ?? 1) > 0;
        substitutions.set(call.trigger, { kind: 'attributes', attributes: sent ? { email: `${user.username}.new@example.com` } : { name: `${user.persona.name} renamed` } });
        if (sent && call.outcome.kind === 'done') attributeCodeSent.add(user);
        break;
      }
      case 'getUserAttributeVerificationCode':
        if (!user.seed.attributes?.['email']) skip(`${user.persona.name} has no e-mail to verify`);
        if (call.outcome.kind === 'done') attributeCodeSent.add(user);
        break;
      case 'verifyUserAttribute':
        // no code sent on the path yet: one is sent before the code is typed (a wrong one differs from it)
        if (!attributeCodeSent.has(user)) {
          actAt(call.trigger, { kind: 'sendAttributeCode', user });
          attributeCodeSent.add(user);
        }
        substitutions.set(call.trigger, { kind: 'accountCode', user, purpose: 'attribute', wrong: code === 'CodeMismatch', weakPassword: false });
        break;
      case 'changePassword': {
        const oldPassword = passwords.get(user) ?? user.password;
        substitutions.set(call.trigger, { kind: 'changePassword', oldPassword, wrongOld: code === 'IncorrectUsernameOrPassword', weak: code === 'InvalidPassword' });
        const typed = (trigger as { newPassword?: string } | undefined)?.newPassword;
        if (call.outcome.kind === 'done' && typed) passwords.set(user, typed);
        break;
      }
    }
  }
  return { pool: pool!, clientId, authFlow, users, start, beforeStep, hangAt, beforeCall, held, substitutions, personas, calls };
}
