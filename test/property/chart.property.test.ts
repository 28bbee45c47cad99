// Property-based test (fast-check, with shrinking): random sequences of user events (the model's catalogue of valid
// and invalid payloads, plus hostile garbage) interleaved with random Cognito outcomes for whatever request is in
// flight (answers the model's outcome catalogues and cognito-answers.ts produce, errors from cognitoFailureFor, or
// no answer at all) and with the clock moving on, run through createAuth() on a port whose every call waits for the
// sequence to answer it. After every step:
//   (a) no secret (password, new password, code, TOTP secret, Cognito Session, token) in what an inspector received,
//       nor (Sessions aside, see SECRETS_KEPT_BY_DESIGN) in actor.getPersistedSnapshot();
//   (b) view.busy exactly while a request runs for the user: busy ⇒ a call is pending; not busy ⇒ only a background
//       token refresh (view.refreshing) is; a call whose state was left is aborted;
//   (c) a step causes at most one new Cognito call, and at most one call other than a token refresh is pending;
//   (d) every state outside signedIn / signedOut / checkingSession accepts flow.cancel or flow.restart;
//   (e) selectView never throws, its route is one of AuthView's and its fields decode (test/property/view-contract.ts);
//   and the actor never stops with an error.
// A failure shows the shrunk sequence as a numbered transcript (each step, what it did, where the chart went).
import fc from 'fast-check';
import { SimulatedClock, type InspectionEvent, type SnapshotFrom } from 'xstate';
import { authMachine, type AuthMachine } from '../../machines/auth.machine.js';
import type { AuthEvent, AuthEventType } from '../../machines/auth.types.js';
import type { AuthErrorCode } from '../../src/cognito/errors.js';
import type { CognitoTokens } from '../../src/cognito/port.js';
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';
import { createAuth, type Auth } from '../../src/runtime/create-auth.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { toStoredTokens, TokenStore } from '../../src/session/tokens.js';
import { acceptedEvents, activeStates, readChart } from '../../src/testing/chart-reader.js';
import { cognitoAnswerFor, cognitoFailureFor } from '../../src/testing/cognito-answers.js';
import { createFakePort, fakeTokens, type FakePort, type FakeScript } from '../../src/testing/fake-port.js';
import { activeInvokes, MODEL, outcomesAt, RESULTS, stateName, USER_EVENTS, type ModelSnapshot } from '../../src/testing/model/index.js';
import { selectView } from '../../src/view.js';
import { AUTH_EVENT_TYPES, hostileEvents, VALID, validEvent } from './hostile-input.js';
import { VIEW_ROUTES, viewProblems } from './view-contract.js';

type Snapshot = SnapshotFrom<AuthMachine>;
type Operation = Exclude<keyof FakePort, 'userPoolId' | 'clientId' | 'calls' | 'script' | 'callsOf'>;

const srpEngine = createOpenSslEngine();
const chart = readChart(authMachine);
const SEED = 20_261_201;
const NUM_RUNS = 300;
const MAX_STEPS = 40;
/** What the runs went through (printed after the property). */
const visited = new Set<string>();
let steps = 0;

// ---------- the steps ----------

type Step =
  /**
   * A user event of a type the state takes — one that leaves the flow (cancel, restart, sign-out, a check of the
   * store) only when `leave` — or, `any`, of any type; with a catalogue payload or (`hostile`) garbage.
   */
  | {
      readonly kind: 'user';
      readonly any: boolean;
      readonly leave: boolean;
      readonly hostile: boolean;
      readonly pick: number;
      readonly variant: number;
      /** Hand-written examples name the type instead. */
      readonly type?: AuthEventType;
    }
  /** The answer to one of the calls in flight (`pick`): a success or a failure (`outcome` picks which). */
  | { readonly kind: 'reply'; readonly pick: number; readonly ok: boolean; readonly outcome: number; /** Examples name the answer. */ readonly answer?: string }
  /** Time passes (session expiry, refresh retry, token expiry). */
  | { readonly kind: 'tick'; readonly ms: number };

interface Run {
  readonly authFlow: 'USER_PASSWORD_AUTH' | 'USER_SRP_AUTH';
  /** What the token store holds at start. */
  readonly stored: 'none' | 'fresh' | 'stale';
  readonly steps: readonly Step[];
}

const sometimes = (oneIn: number) => fc.nat(oneIn - 1).map((n) => n === 0);
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('user' as const), any: sometimes(8), leave: sometimes(6), hostile: sometimes(4), pick: fc.nat(31), variant: fc.nat(63) }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('reply' as const), pick: fc.nat(3), ok: sometimes(4).map((b) => !b), outcome: fc.nat(31) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.constantFrom(1_000, 30_000, 180_000, 3_600_000) }) },
);
const runArbitrary: fc.Arbitrary<Run> = fc.record({
  authFlow: fc.constantFrom('USER_PASSWORD_AUTH' as const, 'USER_SRP_AUTH' as const),
  stored: fc.constantFrom('none' as const, 'none' as const, 'fresh' as const, 'stale' as const),
  steps: fc.array(stepArbitrary, { minLength: 1, maxLength: MAX_STEPS, size: 'max' }),
});

// ---------- the world: createAuth() on a port whose calls wait for the sequence ----------

interface Call {
  readonly n: number;
  readonly operation: Operation;
  readonly request: unknown;
  state: 'pending' | 'answered' | 'failed' | 'aborted';
  answer(value: unknown): void;
  fail(error: Error): void;
}

/** Secrets that persisted snapshots keep on purpose: the Cognito Session (AuthContext.session, "not a credential") lets a
 * reloaded page resume its step, so it is in context. Inspectors must not see it. */
const SECRETS_KEPT_BY_DESIGN = 'session';

interface World {
  readonly auth: Auth;
  readonly port: FakePort;
  readonly clock: SimulatedClock;
  readonly calls: Call[];
  /** Secret -> its kind; sessions are checked in the inspector stream only. */
  readonly secrets: Map<string, string>;
  readonly inspected: InspectionEvent[];
  readonly crashes: unknown[];
  readonly transcript: string[];
  /** Resolves once the tokens the run starts with are in the store. */
  ready: Promise<unknown>;
  sessions: number;
  tokens(): CognitoTokens;
  session(): string;
}

const REFRESH_OPERATIONS: readonly string[] = ['getTokensFromRefreshToken'];
const isRefreshCall = (call: Call) =>
  REFRESH_OPERATIONS.includes(call.operation) || (call.operation === 'initiateAuth' && (call.request as { authFlow?: string }).authFlow === 'REFRESH_TOKEN_AUTH');

function createWorld(run: Run): World {
  const clock = new SimulatedClock();
  clock.set(MODEL.startTime);
  const calls: Call[] = [];
  const secrets = new Map<string, string>();
  for (const [kind, value] of [
    ['password', MODEL.password],
    ['new password', MODEL.newPassword],
    ['code', MODEL.codes.six],
    ['code', MODEL.codes.eight],
    ['password', VALID.password],
    ['new password', VALID.newPassword],
    ['password', VALID.unicodePassword],
    ['TOTP secret', MODEL.totpSecret],
  ] as const) {
    secrets.set(value, kind);
  }
  const port = createFakePort({}, { userPoolId: MODEL.userPoolId, clientId: MODEL.clientId });
  const operations = Object.keys(port).filter((key) => typeof port[key as keyof FakePort] === 'function' && key !== 'script' && key !== 'callsOf') as Operation[];
  const waiting = (operation: Operation) => (request: unknown, signal: AbortSignal) =>
    new Promise((resolve, reject) => {
      const call: Call = {
        n: calls.length + 1,
        operation,
        request,
        state: 'pending',
        answer: (value) => {
          call.state = 'answered';
          resolve(value);
        },
        fail: (error) => {
          call.state = 'failed';
          reject(error);
        },
      };
      calls.push(call);
      const abort = () => {
        if (call.state !== 'pending') return;
        call.state = 'aborted';
        reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      };
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
    });
  // More replies than a sequence has steps: every call reaches `waiting`.
  port.script(Object.fromEntries(operations.map((operation) => [operation, Array.from({ length: MAX_STEPS + 8 }, () => waiting(operation))])) as FakeScript);

  const inspected: InspectionEvent[] = [];
  const storage = new MemoryStorage();
  const world: World = {
    auth: createAuth({
      userPoolId: MODEL.userPoolId,
      clientId: MODEL.clientId,
      port,
      storage,
      clock,
      srpEngine,
      authFlow: run.authFlow,
      authSessionValidityMinutes: MODEL.sessionValidityMs / 60_000,
      inspect: (event) => void inspected.push(event),
      autoStart: false,
    }),
    port,
    clock,
    calls,
    secrets,
    inspected,
    crashes: [],
    transcript: [],
    ready: Promise.resolve(),
    sessions: 0,
    tokens() {
      const tokens = fakeTokens({ username: MODEL.username, nowSeconds: Math.floor(clock.now() / 1000) });
      for (const token of [tokens.accessToken, tokens.idToken, tokens.refreshToken]) if (token) secrets.set(token, 'token');
      return tokens;
    },
    session() {
      const session = `cognito-session-${++world.sessions}-that-must-not-leak`;
      secrets.set(session, SECRETS_KEPT_BY_DESIGN);
      return session;
    },
  };
  world.auth.actor.subscribe({ error: (error) => world.crashes.push(error) });
  if (run.stored === 'none') return world;
  const age = run.stored === 'fresh' ? 0 : 2 * 3_600_000;
  const tokens = fakeTokens({ username: MODEL.username, nowSeconds: Math.floor((clock.now() - age) / 1000) });
  for (const token of [tokens.accessToken, tokens.idToken, tokens.refreshToken]) if (token) secrets.set(token, 'token');
  world.ready = new TokenStore(storage, MODEL.clientId).save(toStoredTokens(tokens, clock.now(), { loginId: MODEL.username }));
  return world;
}

/**
 * Lets the runtime do what it does without an answer: promise chains, then — while a state's actor has not reached
 * the port yet (the SRP ephemeral waits for a 0 ms timer, the proof for WebCrypto) — up to a second more.
 */
async function settle(world: World): Promise<void> {
  const snapshot = () => world.auth.actor.getSnapshot();
  const signature = () => `${world.calls.length}/${world.calls.filter((c) => c.state === 'pending').length}/${JSON.stringify(snapshot().value)}`;
  const calling = () => activeInvokes(snapshot() as ModelSnapshot).filter((site) => site.src !== 'loadStoredSession').length;
  const pending = () => world.calls.filter((c) => c.state === 'pending').length;
  const deadline = Date.now() + 1_000;
  for (;;) {
    let last = signature();
    for (let stable = 0; stable < 3; ) {
      await new Promise((resolve) => setImmediate(resolve));
      const now = signature();
      stable = now === last ? stable + 1 : 0;
      last = now;
    }
    if (calling() <= pending() || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

// ---------- applying a step ----------

const sites = (snapshot: Snapshot, operation: Operation) => activeInvokes(snapshot as ModelSnapshot).filter((site) => site.src === operation);

/** What Cognito can answer a call with, as the model's catalogues say for the state that made it. */
function successes(world: World, call: Call, snapshot: Snapshot): Array<readonly [string, () => unknown]> {
  const delivery = { deliveryMedium: 'EMAIL', destination: 'm***@e***' } as const;
  switch (call.operation) {
    case 'initiateAuth':
    case 'respondToAuthChallenge': {
      const site = sites(snapshot, call.operation)[0];
      const results = site ? outcomesAt(site).outputs.map(([label, output]) => [label, output] as const) : Object.entries(RESULTS);
      return results.map(([label, result]) => [
        label,
        () => {
          const answer = cognitoAnswerFor(result as never, () => world.tokens());
          return answer instanceof Error || !answer.session ? answer : { ...answer, session: world.session() };
        },
      ]);
    }
    case 'getTokensFromRefreshToken':
      return [['tokens', () => world.tokens()]];
    case 'associateSoftwareToken':
      return [['secret', () => ({ secretCode: MODEL.totpSecret, session: world.session() })]];
    case 'verifySoftwareToken':
      return [
        ['SUCCESS', () => ({ status: 'SUCCESS', session: world.session() })],
        ['ERROR', () => ({ status: 'ERROR' })],
      ];
    case 'getUser':
      return [['profile', () => ({ username: MODEL.username, attributes: { email: MODEL.email, email_verified: 'false' }, mfaSettings: ['SOFTWARE_TOKEN_MFA'], preferredMfa: 'SOFTWARE_TOKEN_MFA' })]];
    case 'signUp':
      return [
        ['unconfirmed', () => ({ userConfirmed: false, userSub: 'sub-model-user', codeDelivery: delivery })],
        ['confirmed', () => ({ userConfirmed: true, userSub: 'sub-model-user' })],
      ];
    case 'confirmSignUp':
      return [['confirmed', () => ({})]];
    case 'resendConfirmationCode':
    case 'forgotPassword':
      return [['sent', () => ({ codeDelivery: delivery })]];
    case 'getUserAttributeVerificationCode':
      return [['sent', () => ({ codeDelivery: { ...delivery, attributeName: 'email' } })]];
    case 'updateUserAttributes':
      return [
        ['code sent', () => ({ codeDeliveries: [{ ...delivery, attributeName: 'email' }] })],
        ['no code', () => ({ codeDeliveries: [] })],
      ];
    default:
      return [['ok', () => undefined]];
  }
}

const FAILURES: readonly AuthErrorCode[] = [
  'Network',
  'TooManyRequests',
  'ServiceUnavailable',
  'SessionExpired',
  'TokenRevoked',
  'IncorrectUsernameOrPassword',
  'CodeMismatch',
  'ExpiredCode',
  'InvalidPassword',
  'LimitExceeded',
  'UnsupportedOperation',
  'ResourceNotFound',
  'UnexpectedChallenge',
];
function failures(call: Call, snapshot: Snapshot): readonly AuthErrorCode[] {
  const site = sites(snapshot, call.operation)[0];
  return [...new Set([...(site ? outcomesAt(site).errors : []), ...FAILURES])];
}

const LEAVING: readonly AuthEventType[] = ['flow.cancel', 'flow.restart', 'session.signOut', 'session.check', 'session.changedElsewhere'];

/** The event types the active states take (by the chart) that go on with the flow (or leave it), or all of them. */
function typesFor(snapshot: Snapshot, step: Extract<Step, { kind: 'user' }>): readonly AuthEventType[] {
  if (step.any) return AUTH_EVENT_TYPES;
  const taken = new Set(activeStates(snapshot).filter((s) => s.childIds.length === 0).flatMap((s) => acceptedEvents(chart, s)));
  const types = AUTH_EVENT_TYPES.filter((type) => taken.has(type));
  const chosen = types.filter((type) => LEAVING.includes(type) === step.leave);
  return chosen.length > 0 ? chosen : types.length > 0 ? types : AUTH_EVENT_TYPES;
}

function userEvent(snapshot: Snapshot, step: Extract<Step, { kind: 'user' }>): readonly [string, unknown] {
  const types = typesFor(snapshot, step);
  const type = step.type ?? types[step.pick % types.length]!;
  if (step.hostile) {
    const garbage = hostileEvents(type, snapshot.context);
    const chosen = garbage[step.variant % garbage.length]!;
    return [`${chosen.label} [${chosen.expect}]`, chosen.event];
  }
  const catalogue = (USER_EVENTS[type] as ((s: ModelSnapshot) => ReadonlyArray<readonly [string, AuthEvent]>) | undefined)?.(snapshot as ModelSnapshot) ?? [];
  const variants: ReadonlyArray<readonly [string, AuthEvent]> = [...catalogue, ['valid', validEvent(type, snapshot.context)]];
  const [label, event] = variants[step.variant % variants.length]!;
  return [`${type}(${label})`, event];
}

async function apply(world: World, step: Step): Promise<string> {
  const snapshot = world.auth.actor.getSnapshot();
  switch (step.kind) {
    case 'user': {
      const [label, event] = userEvent(snapshot, step);
      for (const key of ['password', 'newPassword', 'oldPassword', 'code', 'answer', 'url'] as const) {
        const value = (event as Record<string, unknown>)[key];
            const secret = typeof value === 'string' && key === 'code' ? value.replace(/\s/g, '') : value;
        if (typeof secret === 'string' && secret.trim().length >= 6 && secret.length < 300 && !world.secrets.has(secret)) world.secrets.set(secret, key);
      }
      world.auth.actor.send(event as AuthEvent);
      return `send ${label}`;
    }
    case 'reply': {
      const pending = world.calls.filter((c) => c.state === 'pending');
      if (pending.length === 0) return 'reply: nothing in flight';
      const call = pending[step.pick % pending.length]!;
      if (step.ok) {
        const options = successes(world, call, snapshot);
        const named = options.findIndex(([label]) => label === step.answer);
        const [label, make] = options[named >= 0 ? named : step.outcome % options.length]!;
        const value = make();
        if (value instanceof Error) call.fail(value);
        else call.answer(value);
        return `#${call.n} ${call.operation} answers ${label}`;
      }
      const codes = failures(call, snapshot);
      const code = codes[step.outcome % codes.length]!;
      call.fail(cognitoFailureFor(code));
      return `#${call.n} ${call.operation} fails with ${code}`;
    }
    case 'tick':
      world.clock.increment(step.ms);
      return `${step.ms / 1000} s pass`;
  }
}

// ---------- the invariants ----------

/** What an inspector observer got, as text: the events (refs and xstate's own definitions aside) and the refs' snapshots. */
function inspectorText(events: readonly InspectionEvent[], hidden: ReadonlySet<string>): string {
  const text = jsonOf(events, hidden, (key) => key === 'actorRef' || key === 'sourceRef' || key.startsWith('_'));
  const refs = new Set(events.flatMap((e) => [e.actorRef, (e as { sourceRef?: InspectionEvent['actorRef'] }).sourceRef]).filter((r) => r !== undefined));
  const snapshots = [...refs].map((ref) => {
    try {
      return jsonOf([ref.getSnapshot(), (ref as { options?: { input?: unknown } }).options?.input], hidden);
    } catch {
      return '';
    }
  });
  return [text, ...snapshots].join('\n');
}

/**
 * Bugs this property found. The main property leaves each one out (its `exempt` part); one property per bug, marked
 * it.failing, checks it strictly — it starts to pass (and so fails) once the bug is fixed: then drop the entry.
 */
interface KnownBug {
  readonly name: string;
  /** Fields whose value leaks in clear: this bug (their values are left out of the secret check). */
  readonly leaks?: readonly string[];
  /** States whose missing way out (d) is this bug. */
  readonly stuck?: (snapshot: Snapshot) => boolean;
}
const KNOWN_BUGS: readonly KnownBug[] = [
  // (none known: the four this test found are fixed; their checks now run like the others)
];

interface Rules {
  /** Fields whose values are left out of the secret check (known leaks). */
  readonly hidden: ReadonlySet<string>;
  readonly stuckAllowed: (snapshot: Snapshot) => boolean;
}
const rulesExempting = (bugs: readonly KnownBug[]): Rules => ({
  hidden: new Set(bugs.flatMap((bug) => bug.leaks ?? [])),
  stuckAllowed: (snapshot) => bugs.some((bug) => bug.stuck?.(snapshot) ?? false),
});

/** JSON of anything: bigints (hostile events carry them) as text, the hidden fields' values left out. */
const jsonOf = (value: unknown, hidden: ReadonlySet<string>, skip: (key: string) => boolean = () => false): string =>
  JSON.stringify(value, (key, field: unknown) => (skip(key) ? undefined : hidden.has(key) ? '(known bug)' : typeof field === 'bigint' ? `${field}n` : field));

function violations(world: World, newCalls: number, inspectedFrom: number, rules: Rules): string[] {
  const out: string[] = [];
  const snapshot = world.auth.actor.getSnapshot();
  if (snapshot.status !== 'active' || world.crashes.length > 0) out.push(`the actor is ${snapshot.status}: ${String(world.crashes[0] ?? snapshot.error)}`);

  // (a) secrets
  const persisted = jsonOf(world.auth.actor.getPersistedSnapshot(), rules.hidden);
  const inspector = inspectorText(world.inspected.slice(inspectedFrom), rules.hidden);
  for (const [secret, kind] of world.secrets) {
    if (inspector.includes(secret)) out.push(`(a) a ${kind} (${secret.slice(0, 24)}…) reached the inspector`);
    if (kind !== SECRETS_KEPT_BY_DESIGN && persisted.includes(secret)) out.push(`(a) a ${kind} (${secret.slice(0, 24)}…) is in the persisted snapshot`);
  }

  // (e) the view
  let busy = snapshot.hasTag('busy');
  try {
    const view = selectView(snapshot);
    busy = view.busy;
    if (!VIEW_ROUTES.includes(view.route)) out.push(`(e) unknown route ${String(view.route)}`);
    out.push(...viewProblems(view).map((p) => `(e) ${p}`));
  } catch (error) {
    out.push(`(e) selectView threw ${String(error)}`);
  }

  // (b) busy exactly while a request runs for the user
  const pending = world.calls.filter((c) => c.state === 'pending');
  const foreground = pending.filter((c) => !(isRefreshCall(c) && snapshot.hasTag('refreshing')));
  if (busy && pending.length === 0) out.push(`(b) busy in ${stateName(snapshot)} with no request in flight`);
  if (!busy && foreground.length > 0) out.push(`(b) not busy in ${stateName(snapshot)} but ${foreground.map((c) => `#${c.n} ${c.operation}`).join(', ')} in flight`);
  if (snapshot.hasTag('refreshing') && !pending.some(isRefreshCall)) out.push(`(b) refreshing in ${stateName(snapshot)} with no refresh in flight`);

  // (c) one request per step, one at a time
  if (newCalls > 1) out.push(`(c) ${newCalls} Cognito calls for one step`);
  const nonRefresh = pending.filter((c) => !isRefreshCall(c));
  if (nonRefresh.length > 1) out.push(`(c) ${nonRefresh.map((c) => `#${c.n} ${c.operation}`).join(' and ')} in flight together`);

  // (d) a way out
  const settledPhase = snapshot.matches('signedIn') || snapshot.matches('signedOut') || snapshot.matches('checkingSession');
  if (!settledPhase && !rules.stuckAllowed(snapshot) && !snapshot.can({ type: 'flow.cancel' }) && !snapshot.can({ type: 'flow.restart' })) {
    out.push(`(d) no way out of ${stateName(snapshot)}: neither flow.cancel nor flow.restart is taken`);
  }
  return out;
}

const describeState = (snapshot: Snapshot) => `${stateName(snapshot)}${snapshot.context.error ? ` (${snapshot.context.error.code})` : ''}`;

async function check(run: Run, rules: Rules): Promise<void> {
  const world = createWorld(run);
  world.transcript.push(`${run.authFlow}, stored tokens: ${run.stored}`);
  const fail = (problems: string[]) => {
    throw new Error(`${problems.join('\n')}\n${world.transcript.join('\n')}`);
  };
  try {
    await world.ready;
    world.auth.start();
    await settle(world);
    world.transcript.push(`0. start → ${describeState(world.auth.actor.getSnapshot())}`);
    let inspectedFrom = 0;
    const start = violations(world, 0, inspectedFrom, rules);
    if (start.length > 0) fail(start);
    for (const [i, step] of run.steps.entries()) {
      const callsBefore = world.calls.length;
      inspectedFrom = world.inspected.length;
      const label = await apply(world, step);
      await settle(world);
      const made = world.calls.slice(callsBefore).map((c) => `#${c.n} ${c.operation}`);
      world.transcript.push(`${i + 1}. ${label} → ${describeState(world.auth.actor.getSnapshot())}${made.length ? `, calls ${made.join(', ')}` : ''}`);
      for (const state of activeStates(world.auth.actor.getSnapshot())) visited.add(state.id);
      steps++;
      const problems = violations(world, world.calls.length - callsBefore, inspectedFrom, rules);
      if (problems.length > 0) fail(problems);
    }
  } finally {
    world.auth.stop();
  }
}

// ---------- the properties ----------

const property = (rules: Rules) => fc.asyncProperty(runArbitrary, (run) => check(run, rules));

// Corners random runs rarely reach, run first (fc.assert's `examples`).
const user = (type: AuthEventType, variant = 0): Step => ({ kind: 'user', any: false, leave: false, hostile: false, pick: 0, variant, type });
const answer = (name: string): Step => ({ kind: 'reply', pick: 0, ok: true, outcome: 0, answer: name });
const EXAMPLES: Array<[Run]> = [
  // A resend of an SMS code with SRP: the resend's own PASSWORD_VERIFIER Session (context.proofSession).
  [{ authFlow: 'USER_SRP_AUTH', stored: 'none', steps: [user('signIn.submit'), answer('SMS_CODE'), user('code.resend'), answer('PASSWORD_VERIFIER'), answer('SMS_CODE')] }],
  // TOTP set up during sign-in (MFA_SETUP): the secret, the code, the Session handed on.
  [{ authFlow: 'USER_SRP_AUTH', stored: 'none', steps: [user('signIn.submit'), answer('PASSWORD_VERIFIER'), answer('MFA_SETUP_TOTP_EMAIL'), user('mfa.select'), answer('secret'), user('code.submit'), answer('SUCCESS'), answer('DONE')] }],
  // A new password, then an SMS code, then signed in; password changed; signed out.
  [{ authFlow: 'USER_PASSWORD_AUTH', stored: 'none', steps: [user('signIn.submit'), answer('NEW_PASSWORD'), user('password.submit'), answer('DONE'), user('password.change'), answer('ok'), user('session.signOut'), answer('ok')] }],
];

const options = { seed: SEED, numRuns: NUM_RUNS, examples: EXAMPLES };

it('random user events, Cognito answers, failures, silences and time: the invariants hold after every step', async () => {
  await fc.assert(property(rulesExempting(KNOWN_BUGS)), options);
  const all = chart.states.map((state) => state.id);
  console.log(
    `property: ${NUM_RUNS} runs + ${EXAMPLES.length} examples (seed ${SEED}), ${steps} steps; ${all.filter((id) => visited.has(id)).length} of ${all.length} ` +
      `state nodes visited; not: ${all.filter((id) => !visited.has(id)).join(', ')}`,
  );
}, 120_000);

// A known bug's entry keeps the property honest about it: it must still find it (it.failing) until it is fixed.
for (const bug of KNOWN_BUGS) {
  describe(`known bug: ${bug.name}`, () => {
    it.failing('the property finds it', async () => {
      await fc.assert(property(rulesExempting(KNOWN_BUGS.filter((other) => other !== bug))), options);
    }, 120_000);
  });
}
