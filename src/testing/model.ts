// Model-based testing of the sign-in chart with xstate/graph.
//
// createTestModel() rejects machines with `invoke` and `after`, so the chart is traversed with the lower-level
// getShortestPaths / getSimplePaths, and everything the runtime does on its own (actor outcomes, timers) is fed to
// it as explicit synthetic events (spelled in ./synthetic-events.ts only). The alphabet is read off the machine's
// state nodes: the user events a state accepts, the actors it invokes and the delays it arms, so a new state is
// picked up without touching this file. What each actor can answer is a small explicit catalogue per actor.
//
// A generated path is then replayed against the real runtime (createAuth + the scripted fake Cognito port):
// every synthetic outcome is turned back into the Cognito answer, exception or storage condition that makes the
// runtime produce it, the user events are sent, and each step is checked against the model.
import { createActor, initialTransition, SimulatedClock, transition, type AnyStateNode, type AnyTransitionDefinition, type SnapshotFrom } from 'xstate';
import { getAdjacencyMap, getShortestPaths, getSimplePaths, joinPaths } from 'xstate/graph';
import { authMachine, type AuthMachine } from '../../machines/auth.machine.js';
import type {
  AuthUser,
  MfaPreference,
  MfaType,
  RefreshResult,
  AuthEvent,
  SignInResult,
  SignOutResult,
  StoredSessionStatus,
} from '../../machines/auth.types.js';
import { AuthError, type AuthErrorCode, type AuthErrorData } from '../cognito/errors.js';
import type { CognitoPort, CognitoTokens } from '../cognito/port.js';
import { COGNITO_MFA_NAME } from '../cognito/steps.js';
import type { ModPowEngine } from '../cognito/srp.js';
import { AttemptStore } from '../persist/attempts.js';
import { createAuth, type Auth, type CreateAuthOptions } from '../runtime/create-auth.js';
import { MemoryStorage, type KeyValueStorage } from '../session/storage.js';
import { toStoredTokens, TokenStore } from '../session/tokens.js';
import { selectView } from '../view.js';
import { cognitoAnswerFor, cognitoFailureFor } from './cognito-answers.js';
import { createFakePort, fakeTokens, type FakePort, type FakeScript } from './fake-port.js';
import { actorDone, actorError, afterEventsOf, isSyntheticEventType, parseEvent, type SyntheticEvent } from './synthetic-events.js';

export type ModelSnapshot = SnapshotFrom<AuthMachine>;
/** What a model path is made of: the chart's own events plus actor outcomes and timers. */
export type ModelEvent = AuthEvent | SyntheticEvent;
export interface ModelStep {
  /** The state after `event`. */
  readonly state: ModelSnapshot;
  readonly event: ModelEvent;
}
export type PathKind = 'shortest' | 'transition' | 'loop';
export interface ModelPath {
  /** The state the path ends in. */
  readonly state: ModelSnapshot;
  /** steps[0] is `xstate.init` (the initial state); each later step is an event and the state after it. */
  readonly steps: readonly ModelStep[];
  readonly weight: number;
  /** shortest: to a state; transition: to a transition no shortest path takes; loop: a named scenario. */
  readonly kind: PathKind;
  /** The scenario, for loop paths. */
  readonly scenario?: string;
}

// ---------------------------------------------------------------------------------------------
// Values the model uses. They are what the fake port is scripted with, and what must never leak.
// ---------------------------------------------------------------------------------------------

export const MODEL = {
  userPoolId: 'us-east-1_ModelPool1',
  clientId: 'modelclient',
  username: 'model-user',
  password: 'Model-Passw0rd!',
  newPassword: 'Model-N3w-Passw0rd!',
  /** Valid SMS/e-mail and TOTP code; 8 digits (SMS/e-mail only); malformed. */
  codes: { six: '246813', eight: '97531864', malformed: '12ab' },
  email: 'model.user@example.com',
  totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  /** The simulated clock starts here (2030-03-17T17:46:40Z), so no random time can collide with a code. */
  startTime: 1_900_000_000_000,
  sessionValidityMs: 3 * 60_000,
} as const;

const T0 = MODEL.startTime;
const stamp = {
  session: 'model-session-1',
  sessionIssuedAt: T0,
  sessionExpiresAt: T0 + MODEL.sessionValidityMs,
  username: MODEL.username,
  secretRef: 'model-secret-ref',
} as const;
const modelUser: AuthUser = { username: MODEL.username, userId: `sub-${MODEL.username}`, attributes: {}, tokensExpireAt: T0 + 3_600_000 };

/** One representative per SignInResult step (and per MFA_SETUP offer, which routes four ways). */
export const RESULTS = {
  PASSWORD_VERIFIER: { ...stamp, step: 'PASSWORD_VERIFIER' },
  NEW_PASSWORD: {
    ...stamp,
    step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED',
    challenge: { missingAttributes: ['name'], userAttributes: { email: MODEL.email } },
  },
  SMS_CODE: { ...stamp, step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDelivery: { deliveryMedium: 'SMS', destination: '+*******0199' } },
  EMAIL_CODE: { ...stamp, step: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDelivery: { deliveryMedium: 'EMAIL', destination: 'm***@e***' } },
  TOTP_CODE: { ...stamp, step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' },
  MFA_SELECTION: { ...stamp, step: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMfaTypes: ['SMS', 'TOTP'] },
  MFA_SETUP_TOTP_EMAIL: { ...stamp, step: 'MFA_SETUP', allowedMfaTypes: ['TOTP', 'EMAIL'] },
  MFA_SETUP_TOTP: { ...stamp, step: 'MFA_SETUP', allowedMfaTypes: ['TOTP'] },
  MFA_SETUP_EMAIL: { ...stamp, step: 'MFA_SETUP', allowedMfaTypes: ['EMAIL'] },
  MFA_SETUP_SMS: { ...stamp, step: 'MFA_SETUP', allowedMfaTypes: ['SMS'] },
  CONFIRM_SIGN_UP: { step: 'CONFIRM_SIGN_UP', username: MODEL.username },
  RESET_PASSWORD: { step: 'RESET_PASSWORD', username: MODEL.username },
  DONE: { step: 'DONE', user: modelUser },
} as const satisfies Record<string, SignInResult>;
export type ResultName = keyof typeof RESULTS;

/** One AuthError per category the chart routes on (plus UnsupportedOperation, which routes by code). */
export const ERRORS = {
  credentials: 'IncorrectUsernameOrPassword',
  challenge: 'CodeMismatch',
  weakPassword: 'InvalidPassword',
  throttle: 'PasswordAttemptsExceeded',
  network: 'Network',
  session: 'SessionExpired',
  token: 'TokenRevoked',
  configuration: 'AuthFlowNotEnabled',
  protocol: 'UnexpectedChallenge',
  unsupported: 'UnsupportedOperation',
  /** The token store failed (no Cognito call): the runtime's own errors surface as Unknown. */
  storage: 'Unknown',
} as const satisfies Record<string, AuthErrorCode>;

// ---------------------------------------------------------------------------------------------
// Actor outcome catalogues: what each actor slot can resolve or reject with, where it is invoked.
// ---------------------------------------------------------------------------------------------

/** Where an actor is invoked: the snapshot, the invoking state node and its invoke definition. */
export interface InvokeSite {
  readonly snapshot: ModelSnapshot;
  readonly node: AnyStateNode;
  readonly invokeId: string;
  readonly src: string;
  /** The invoke's `input` when it is a literal object (e.g. `{ authFlow: 'REFRESH_TOKEN_AUTH' }`). */
  readonly staticInput: Readonly<Record<string, unknown>> | undefined;
}

export interface ActorOutcomes {
  readonly outputs: ReadonlyArray<readonly [label: string, output: unknown]>;
  readonly errors: readonly AuthErrorCode[];
}

const results = (...names: ResultName[]) => names.map((name) => [name, RESULTS[name]] as const);
const duringSignIn = (site: InvokeSite) => site.snapshot.matches('signingIn');
const resultNameOfStep = (step: SignInResult['step'] | null): ResultName | undefined =>
  (Object.keys(RESULTS) as ResultName[]).find((name) => RESULTS[name].step === step);

const FIRST_ANSWERS: ResultName[] = [
  'PASSWORD_VERIFIER', 'NEW_PASSWORD', 'SMS_CODE', 'EMAIL_CODE', 'TOTP_CODE', 'MFA_SELECTION',
  'MFA_SETUP_TOTP_EMAIL', 'MFA_SETUP_TOTP', 'MFA_SETUP_EMAIL', 'MFA_SETUP_SMS', 'CONFIRM_SIGN_UP', 'RESET_PASSWORD', 'DONE',
];

/** What Cognito answers a challenge with, by the step being answered (context.step). */
const NEXT_AFTER: Partial<Record<SignInResult['step'], ResultName[]>> = {
  PASSWORD_VERIFIER: FIRST_ANSWERS.filter((n) => n !== 'PASSWORD_VERIFIER'),
  CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED: ['DONE', 'TOTP_CODE'],
  CONFIRM_SIGN_IN_WITH_SMS_CODE: ['DONE'],
  CONFIRM_SIGN_IN_WITH_EMAIL_CODE: ['DONE'],
  CONFIRM_SIGN_IN_WITH_TOTP_CODE: ['DONE'],
  CONTINUE_SIGN_IN_WITH_MFA_SELECTION: ['SMS_CODE', 'TOTP_CODE', 'EMAIL_CODE'],
  // TOTP setup confirmed -> tokens; e-mail setup -> Cognito mails a code first.
  MFA_SETUP: ['DONE', 'EMAIL_CODE'],
};
const ANSWER_ERRORS: Partial<Record<SignInResult['step'], AuthErrorCode[]>> = {
  PASSWORD_VERIFIER: [ERRORS.credentials, ERRORS.throttle, ERRORS.network, ERRORS.session, ERRORS.protocol],
  CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED: [ERRORS.weakPassword, ERRORS.session, ERRORS.network, ERRORS.protocol],
  CONFIRM_SIGN_IN_WITH_SMS_CODE: [ERRORS.challenge, ERRORS.session, ERRORS.network, ERRORS.protocol],
  CONFIRM_SIGN_IN_WITH_EMAIL_CODE: [ERRORS.challenge, ERRORS.session, ERRORS.network, ERRORS.protocol],
  CONFIRM_SIGN_IN_WITH_TOTP_CODE: [ERRORS.challenge, ERRORS.session, ERRORS.network, ERRORS.protocol],
  CONTINUE_SIGN_IN_WITH_MFA_SELECTION: [ERRORS.session, ERRORS.network, ERRORS.protocol],
  MFA_SETUP: [ERRORS.session, ERRORS.network, ERRORS.configuration],
};

const resumableAttempt = {
  username: MODEL.username,
  challengeUsername: MODEL.username,
  authFlow: 'USER_PASSWORD_AUTH',
  session: stamp.session,
  sessionIssuedAt: stamp.sessionIssuedAt,
  sessionExpiresAt: stamp.sessionExpiresAt,
  step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE',
  newPassword: null,
  codeDelivery: RESULTS.SMS_CODE.codeDelivery,
  allowedMfaTypes: null,
} as const;

/**
 * Per actor slot (the `src` of setup({ actors })): its outcomes at a site. An actor the chart invokes that is
 * missing here makes the alphabet throw, so a new actor cannot go unmodelled.
 */
export const ACTOR_OUTCOMES: Readonly<Record<string, (site: InvokeSite) => ActorOutcomes>> = {
  loadStoredSession: () => ({
    outputs: [
      ['fresh', { status: 'fresh', user: modelUser } satisfies StoredSessionStatus],
      ['stale', { status: 'stale' } satisfies StoredSessionStatus],
      ['none', { status: 'none' } satisfies StoredSessionStatus],
      ['resumable SMS', { status: 'resumable', attempt: resumableAttempt } satisfies StoredSessionStatus],
      [
        'resumable e-mail',
        { status: 'resumable', attempt: { ...resumableAttempt, step: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDelivery: RESULTS.EMAIL_CODE.codeDelivery } } satisfies StoredSessionStatus,
      ],
      ['interrupted', { status: 'interrupted', reason: 'inFlight' } satisfies StoredSessionStatus],
    ],
    errors: [ERRORS.storage],
  }),
  getTokensFromRefreshToken: () => ({
    outputs: [['tokens', { user: modelUser } satisfies RefreshResult]],
    errors: [ERRORS.token, ERRORS.network, ERRORS.unsupported],
  }),
  initiateAuth: (site) => {
    if (site.staticInput?.['authFlow'] === 'REFRESH_TOKEN_AUTH') return { outputs: results('DONE'), errors: [ERRORS.token, ERRORS.network] };
    const current = resultNameOfStep(site.snapshot.context.step);
    // A resend signs in again: SRP asks for the proof first, USER_PASSWORD_AUTH answers with the same step.
    if (current) return { outputs: results('PASSWORD_VERIFIER', current), errors: [ERRORS.credentials, ERRORS.throttle, ERRORS.network, ERRORS.protocol] };
    return { outputs: results(...FIRST_ANSWERS), errors: [ERRORS.credentials, ERRORS.throttle, ERRORS.network, ERRORS.configuration, ERRORS.protocol] };
  },
  respondToAuthChallenge: (site) => {
    const step = site.snapshot.context.step;
    return { outputs: results(...((step && NEXT_AFTER[step]) ?? [])), errors: (step && ANSWER_ERRORS[step]) ?? [] };
  },
  associateSoftwareToken: (site) =>
    duringSignIn(site)
      ? { outputs: [['secret', { session: 'model-session-2', sessionIssuedAt: T0, totpSetup: { sharedSecret: MODEL.totpSecret, setupUri: 'otpauth://totp/model' } }]], errors: [ERRORS.network, ERRORS.session, ERRORS.protocol] }
      : { outputs: [['secret', { totpSetup: { sharedSecret: MODEL.totpSecret, setupUri: 'otpauth://totp/model' } }]], errors: [ERRORS.network, ERRORS.token] },
  verifySoftwareToken: (site) =>
    duringSignIn(site)
      ? { outputs: [['verified', { session: 'model-session-3', sessionIssuedAt: T0 }]], errors: [ERRORS.challenge, ERRORS.session, ERRORS.network, ERRORS.protocol] }
      : { outputs: [['verified', {}]], errors: [ERRORS.challenge, ERRORS.network, ERRORS.token] },
  getUser: () => ({ outputs: [['TOTP preferred', { enabled: ['TOTP'], preferred: 'TOTP' } satisfies MfaPreference]], errors: [ERRORS.network, ERRORS.token] }),
  setUserMfaPreference: () => ({ outputs: [['updated', { totp: 'PREFERRED' }]], errors: [ERRORS.network, ERRORS.token] }),
  revokeToken: () => ({ outputs: signOutOutputs, errors: [ERRORS.storage] }),
  globalSignOut: () => ({ outputs: signOutOutputs, errors: [ERRORS.storage] }),
};
const signOutOutputs: ActorOutcomes['outputs'] = [
  ['ok', { warning: null } satisfies SignOutResult],
  ['offline', { warning: new AuthError('SignOutIncomplete').toJSON() } satisfies SignOutResult],
];

// ---------------------------------------------------------------------------------------------
// User events: representative payloads, valid and invalid for each guard.
// ---------------------------------------------------------------------------------------------

type EventOf<T extends AuthEvent['type']> = Extract<AuthEvent, { type: T }>;
type UserCatalogue = { readonly [T in AuthEvent['type']]?: (snapshot: ModelSnapshot) => ReadonlyArray<readonly [label: string, event: EventOf<T>]> };

export const USER_EVENTS: UserCatalogue = {
  'signIn.submit': () => [
    ['valid', { type: 'signIn.submit', username: MODEL.username, password: MODEL.password }],
    ['blank', { type: 'signIn.submit', username: '  ', password: '' }],
  ],
  'password.submit': (snapshot) => {
    const missing = snapshot.context.newPassword?.missingAttributes ?? [];
    const attributes = Object.fromEntries(missing.map((name) => [name, `Model ${name}`]));
    return [
      ['valid', { type: 'password.submit', newPassword: MODEL.newPassword, attributes }],
      ...(missing.length > 0 ? [['missing attributes', { type: 'password.submit', newPassword: MODEL.newPassword }] as const] : []),
      ['blank', { type: 'password.submit', newPassword: '', attributes }],
    ];
  },
  'code.submit': () => [
    ['valid', { type: 'code.submit', code: MODEL.codes.six }],
    ['8 digits', { type: 'code.submit', code: MODEL.codes.eight }],
    ['malformed', { type: 'code.submit', code: MODEL.codes.malformed }],
  ],
  'mfa.select': () => (['TOTP', 'EMAIL', 'SMS'] as const).map((mfaType) => [mfaType, { type: 'mfa.select', mfaType }] as const),
  'email.submit': () => [
    ['valid', { type: 'email.submit', email: MODEL.email }],
    ['invalid', { type: 'email.submit', email: 'not-an-address' }],
  ],
  'mfa.updatePreference': () => [
    ['TOTP preferred', { type: 'mfa.updatePreference', preference: { totp: 'PREFERRED' } }],
    ['two preferred', { type: 'mfa.updatePreference', preference: { totp: 'PREFERRED', sms: 'PREFERRED' } }],
  ],
  'session.signOut': () => [
    ['this device', { type: 'session.signOut' }],
    ['global', { type: 'session.signOut', global: true }],
  ],
};

// ---------------------------------------------------------------------------------------------
// The alphabet
// ---------------------------------------------------------------------------------------------

/** Labels for describePath, kept beside the events (events stay plain objects). */
const labels = new WeakMap<object, string>();
function labelled<E extends object>(label: string, event: E): E {
  labels.set(event, label);
  return event;
}

const stateNodesOf = (snapshot: ModelSnapshot): AnyStateNode[] => snapshot._nodes as unknown as AnyStateNode[];

/** Every invoke active in a snapshot, with where it is invoked. */
export function activeInvokes(snapshot: ModelSnapshot): InvokeSite[] {
  return stateNodesOf(snapshot).flatMap((node) =>
    node.invoke.map((invoke) => ({
      snapshot,
      node,
      invokeId: invoke.id,
      src: typeof invoke.src === 'string' ? invoke.src : invoke.id,
      staticInput: typeof invoke.input === 'object' && invoke.input !== null ? (invoke.input as Record<string, unknown>) : undefined,
    })),
  );
}

/** The outcome catalogue entry for a site; throws for an actor nobody modelled. */
export function outcomesAt(site: InvokeSite): ActorOutcomes {
  const catalogue = ACTOR_OUTCOMES[site.src];
  if (!catalogue) throw new Error(`model: no outcome catalogue for actor "${site.src}" (invoked as "${site.invokeId}" in ${site.node.id}); add it to ACTOR_OUTCOMES`);
  return catalogue(site);
}

/**
 * The events the model offers in a snapshot: the user events its state nodes accept (with representative
 * payloads), the outcomes of the actors it invokes, and its `after` timers; only those the snapshot can take.
 */
export function modelEvents(snapshot: ModelSnapshot): ModelEvent[] {
  const nodes = stateNodesOf(snapshot);
  const offered: ModelEvent[] = [];
  // signedIn's regions run side by side; the model keeps them one request at a time (as the chart was before it
  // was parallel), so paths stay replayable in order. Their concurrency has its own tests (test/machine/signIn.test.ts).
  const oneAtATime = snapshot.matches('signedIn') && activeInvokes(snapshot).length > 0;
  const userTypes = [...new Set(nodes.flatMap((node) => node.ownEvents))]
    .filter((type) => !isSyntheticEventType(type))
    .filter((type) => !oneAtATime || type === 'session.signOut' || type === 'flow.cancel');
  for (const type of userTypes) {
    const variants = (USER_EVENTS[type as AuthEvent['type']] as ((s: ModelSnapshot) => ReadonlyArray<readonly [string, AuthEvent]>) | undefined)?.(snapshot);
    if (variants) for (const [label, event] of variants) offered.push(labelled(label, event));
    else offered.push({ type } as AuthEvent);
  }
  for (const site of activeInvokes(snapshot)) {
    const { outputs, errors } = outcomesAt(site);
    for (const [label, output] of outputs) offered.push(labelled(label, actorDone(site.invokeId, output)));
    for (const code of errors) offered.push(labelled(code, actorError(site.invokeId, new AuthError(code, `model: ${code}`))));
  }
  for (const node of nodes) for (const { delay, event } of afterEventsOf(node)) offered.push(labelled(delay, event));
  return offered.filter((event) => snapshot.can(event as AuthEvent));
}

/**
 * A state for the traversal: its value, the error's category (hasErrorIn), and during a sign-in the context the
 * routing guards and the actor catalogues read (step, offered MFA types, missing attributes, whether the
 * attempt's secrets are kept). Everything else (times, names, the TOTP secret, the step that led to signedIn)
 * is left out, so the state space stays finite and signedIn is one region however it was reached.
 */
export function serializeModelState(snapshot: ModelSnapshot): string {
  const c = snapshot.context;
  const flow = snapshot.matches('signingIn')
    ? { step: c.step, mfa: c.allowedMfaTypes, missing: c.newPassword?.missingAttributes ?? null, secretRef: c.secretRef !== null }
    : {};
  return JSON.stringify({ value: snapshot.value, ...flow, error: c.error?.category ?? null });
}

const serializeEvent = (event: ModelEvent): string => JSON.stringify(event);

// ---------------------------------------------------------------------------------------------
// The machine's state nodes and transitions
// ---------------------------------------------------------------------------------------------

export function allStateNodes(machine: AuthMachine = authMachine): AnyStateNode[] {
  const nodes: AnyStateNode[] = [];
  const walk = (node: AnyStateNode) => {
    nodes.push(node);
    Object.values(node.states).forEach(walk);
  };
  walk(machine.root as unknown as AnyStateNode);
  return nodes;
}

export interface ModelTransition {
  /** `<source>: <event> #<branch>` — unique. */
  readonly key: string;
  /** Human-readable: source, event, guard and target. */
  readonly label: string;
  readonly source: string;
  readonly definition: AnyTransitionDefinition;
}

function guardLabel(guard: unknown): string {
  if (!guard) return '';
  if (typeof guard === 'string') return ` [${guard}]`;
  if (typeof guard === 'function') return ` [${guard.name || 'inline'}]`;
  const { type, params } = guard as { type?: string; params?: unknown };
  const literal = params && typeof params === 'object' ? ` ${JSON.stringify(params)}` : '';
  return ` [${type ?? 'guard'}${literal}]`;
}

/** Every transition of the machine: on, always, after, invoke onDone/onError; one entry per guarded branch. */
export function allTransitions(machine: AuthMachine = authMachine): ModelTransition[] {
  const out: ModelTransition[] = [];
  for (const node of allStateNodes(machine)) {
    const source = node.id;
    const lists: Array<[string, readonly AnyTransitionDefinition[]]> = [...node.transitions.entries()];
    if (node.always?.length) lists.push(['always', node.always]);
    for (const [eventType, definitions] of lists) {
      definitions.forEach((definition, branch) => {
        const targets = definition.target?.map((t) => t.id).join(', ') ?? '(no target)';
        out.push({
          key: `${source}: ${eventType} #${branch}`,
          label: `${source}: ${eventType}${guardLabel(definition.guard)} → ${targets}`,
          source,
          definition,
        });
      });
    }
  }
  return out;
}

/**
 * The transitions (including eventless ones) the machine takes for `event` in `snapshot`, observed through
 * XState's inspection API (microstep events list the transitions they took).
 */
export function transitionsTaken(snapshot: ModelSnapshot, event: ModelEvent, machine: AuthMachine = authMachine): AnyTransitionDefinition[] {
  const probe = probeFor(machine);
  probe.taken = [];
  machine.transition(snapshot, event as AuthEvent, probe.scope as never);
  return probe.taken;
}

/** An actor scope whose system reports microsteps to us; actions are not executed, actors not started. */
interface Probe {
  readonly scope: object;
  taken: AnyTransitionDefinition[];
}
const probes = new WeakMap<AuthMachine, Probe>();
function probeFor(machine: AuthMachine): Probe {
  let probe = probes.get(machine);
  if (probe) return probe;
  const self = createActor(machine, { input: {} });
  const noop = () => {};
  const created: Probe = { scope: { self, id: '', sessionId: '', logger: noop, defer: noop, emit: noop, system: self.system, stopChild: noop, actionExecutor: noop }, taken: [] };
  self.system.inspect((inspection) => {
    if (inspection.type === '@xstate.microstep') created.taken.push(...(inspection._transitions as AnyTransitionDefinition[]));
  });
  probes.set(machine, created);
  probe = created;
  return probe;
}

export interface Coverage {
  readonly states: { readonly all: string[]; readonly missing: string[] };
  readonly transitions: { readonly all: ModelTransition[]; readonly missing: ModelTransition[] };
}

/** Which state nodes and transitions the paths reach. */
export function coverageOf(paths: readonly ModelPath[], machine: AuthMachine = authMachine): Coverage {
  const nodes = allStateNodes(machine);
  const transitions = allTransitions(machine);
  const byDefinition = new Map(transitions.map((t) => [t.definition, t.key]));
  const reachedNodes = new Set<string>();
  const takenKeys = new Set<string>();
  for (const path of paths) {
    path.steps.forEach((step, i) => {
      for (const node of stateNodesOf(step.state)) reachedNodes.add(node.id);
      if (i === 0) return;
      for (const definition of transitionsTaken(path.steps[i - 1]!.state, step.event, machine)) {
        const key = byDefinition.get(definition);
        if (key) takenKeys.add(key);
        // Transient states (eventless routing) are never in a snapshot: entering them counts.
        for (const entered of definition.target ?? []) {
          for (let node: AnyStateNode | undefined = entered; node; node = node.parent) reachedNodes.add(node.id);
        }
      }
    });
  }
  return {
    states: { all: nodes.map((n) => n.id), missing: nodes.map((n) => n.id).filter((id) => !reachedNodes.has(id)) },
    transitions: { all: transitions, missing: transitions.filter((t) => !takenKeys.has(t.key)) },
  };
}

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

export interface ModelOptions {
  readonly machine?: AuthMachine;
  /** Replace or extend the alphabet (default modelEvents). */
  readonly events?: (snapshot: ModelSnapshot) => ModelEvent[];
  readonly serializeState?: (snapshot: ModelSnapshot) => string;
}

function traversal(options: ModelOptions) {
  return {
    events: (options.events ?? modelEvents) as unknown as (s: ModelSnapshot) => AuthEvent[],
    serializeState: options.serializeState ?? serializeModelState,
    serializeEvent: serializeEvent as (e: AuthEvent) => string,
    input: {},
  };
}

type RawPath = { state: ModelSnapshot; steps: Array<{ state: ModelSnapshot; event: AuthEvent }>; weight: number };
const asModelPath = (path: RawPath, kind: PathKind, scenario?: string): ModelPath => ({
  state: path.state,
  steps: path.steps as ModelStep[],
  weight: path.weight,
  kind,
  ...(scenario ? { scenario } : {}),
});

/**
 * The path with every step's state recomputed from its event. xstate/graph keeps one representative snapshot
 * per serialized state, so a step's snapshot may differ from what its event produced in what serialization
 * leaves out (e.g. which input error); replays compare the real thing.
 */
export function normalizePath(path: ModelPath, machine: AuthMachine = authMachine): ModelPath {
  let [state] = initialTransition(machine, {});
  const steps: ModelStep[] = [{ state, event: path.steps[0]!.event }];
  for (const step of path.steps.slice(1)) {
    [state] = transition(machine, state, step.event as AuthEvent);
    steps.push({ state, event: step.event });
  }
  return { ...path, state, steps };
}

/** One shortest path to every model state (xstate/graph getShortestPaths). */
export function shortestPaths(options: ModelOptions = {}): ModelPath[] {
  const machine = options.machine ?? authMachine;
  return (getShortestPaths(machine, traversal(options)) as unknown as RawPath[]).map((p) => normalizePath(asModelPath(p, 'shortest'), machine));
}

/** A path plus one more event (steps use the "state after" convention of xstate/graph). */
function extend(path: ModelPath, event: ModelEvent, next: ModelSnapshot, kind: PathKind): ModelPath {
  return { state: next, steps: [...path.steps, { state: next, event }], weight: path.weight + 1, kind };
}

/**
 * Shortest paths reach every state but not every transition (a transition back to a state already reached is
 * never on a shortest path), nor every outcome of the catalogues (two outcomes may lead to the same state). For
 * each transition and each alphabet event (by describeEvent: `initiateAuth✗AuthFlowNotEnabled`,
 * `code.submit(8 digits)` ...) no path has yet, add the shortest path to a state that takes it, plus that event.
 */
export function transitionPaths(base: readonly ModelPath[], options: ModelOptions = {}): ModelPath[] {
  const machine = options.machine ?? authMachine;
  const serialize = options.serializeState ?? serializeModelState;
  const covered = new Set<AnyTransitionDefinition>();
  const seenEvents = new Set<string>();
  const take = (path: ModelPath) =>
    path.steps.forEach((step, i) => {
      if (i === 0) return;
      seenEvents.add(describeEvent(step.event));
      transitionsTaken(path.steps[i - 1]!.state, step.event, machine).forEach((t) => covered.add(t));
    });
  base.forEach(take);
  const toState = new Map(base.filter((p) => p.kind === 'shortest').map((p) => [serialize(p.state), p]));
  const adjacency = getAdjacencyMap(machine, traversal(options));
  const added: ModelPath[] = [];
  for (const [serialized, { transitions }] of Object.entries(adjacency)) {
    const prefix = toState.get(serialized);
    if (!prefix) continue;
    for (const { event, state } of Object.values(transitions) as Array<{ event: AuthEvent; state: ModelSnapshot }>) {
      const taken = transitionsTaken(prefix.state, event as ModelEvent, machine);
      const described = describeEvent(event as ModelEvent);
      if (taken.every((t) => covered.has(t)) && seenEvents.has(described)) continue;
      taken.forEach((t) => covered.add(t));
      seenEvents.add(described);
      added.push(normalizePath(extend(prefix, event as ModelEvent, state as ModelSnapshot, 'transition'), machine));
    }
  }
  return added;
}

/** A loop worth seeing as a whole: reach `pivot` by a shortest path, then every simple path to `to` (bounded). */
export interface LoopScenario {
  readonly name: string;
  readonly pivot: (snapshot: ModelSnapshot) => boolean;
  readonly to: (snapshot: ModelSnapshot) => boolean;
  /** Which events the loop may use after the pivot (keeps getSimplePaths small). */
  readonly allow: (snapshot: ModelSnapshot, event: ModelEvent) => boolean;
  /** Keep at most this many paths per pivot (shortest first; default 1). */
  readonly max?: number;
}

const labelOf = (event: object): string | undefined => labels.get(event);
/** Only happy outcomes and valid input: no errors, timers or cancels. */
const happy = (_: ModelSnapshot, event: ModelEvent): boolean => {
  const parsed = parseEvent(event as never);
  if (parsed.kind === 'error' || parsed.kind === 'after') return false;
  if (parsed.kind === 'done') return !['stale', 'resumable', 'interrupted', 'offline'].includes(labelOf(event) ?? '');
  return ['valid', 'this device', 'TOTP'].includes(labelOf(event) ?? '') || event.type === 'code.resend';
};
const signedInActive = (s: ModelSnapshot) => s.matches({ signedIn: { tokens: 'active', account: 'idle' } }) && s.context.error === null;

export const LOOP_SCENARIOS: readonly LoopScenario[] = [
  {
    name: 'wrong code, then the right code',
    pivot: (s) => s.context.error?.code === ERRORS.challenge && !s.hasTag('busy'),
    to: signedInActive,
    allow: (s, e) => happy(s, e) && e.type !== 'code.resend',
  },
  {
    name: 'weak new password, then a good one',
    pivot: (s) => s.context.error?.code === ERRORS.weakPassword,
    to: signedInActive,
    allow: happy,
  },
  {
    name: 'resend, then the code',
    pivot: (s) => s.matches({ signingIn: { mfa: 'resending' } }) && s.context.error === null,
    to: signedInActive,
    allow: (s, e) => happy(s, e) && e.type !== 'code.resend',
    max: 2,
  },
  {
    name: 'refresh, then back to active',
    pivot: (s) => s.matches({ signedIn: { tokens: 'refreshing' } }) && s.context.error === null,
    to: signedInActive,
    allow: (_, e) => parseEvent(e as never).kind === 'done' || labelOf(e) === ERRORS.unsupported,
    max: 2,
  },
  {
    name: 'sign out, then sign in again',
    pivot: (s) => s.matches('signingOut') && s.context.error === null,
    to: signedInActive,
    allow: (s, e) => happy(s, e) && (parseEvent(e as never).kind !== 'done' || ['ok', 'none', 'DONE'].includes(labelOf(e) ?? '')),
  },
  {
    name: 'session expired, then start again',
    pivot: (s) => s.matches('sessionExpired') && s.context.error === null,
    to: signedInActive,
    allow: (s, e) => e.type === 'flow.restart' || (happy(s, e) && (parseEvent(e as never).kind !== 'done' || labelOf(e) === 'DONE')),
  },
];

/** The loop scenarios as paths: xstate/graph getSimplePaths from each pivot, bounded by `allow` and `to`. */
export function loopPaths(base: readonly ModelPath[], options: ModelOptions & { scenarios?: readonly LoopScenario[] } = {}): ModelPath[] {
  const machine = options.machine ?? authMachine;
  const events = options.events ?? modelEvents;
  const out: ModelPath[] = [];
  const seen = new Set<string>();
  for (const scenario of options.scenarios ?? LOOP_SCENARIOS) {
    for (const pivot of base.filter((p) => p.kind === 'shortest' && scenario.pivot(p.state))) {
      const simple = getSimplePaths(machine, {
        ...traversal(options),
        events: ((s: ModelSnapshot) => events(s).filter((e) => scenario.allow(s, e))) as unknown as (s: ModelSnapshot) => AuthEvent[],
        fromState: pivot.state,
        toState: scenario.to as (s: ModelSnapshot) => boolean,
        limit: 5_000,
      }) as unknown as RawPath[];
      simple
        .filter((p) => p.steps.length > 1)
        .sort((a, b) => a.weight - b.weight)
        .map((tail) => normalizePath(asModelPath(joinPaths(pivot as never, tail as never) as unknown as RawPath, 'loop', scenario.name), machine))
        .filter((path) => {
          const key = path.steps.map((st) => serializeEvent(st.event)).join(' ');
          return !seen.has(key) && seen.add(key);
        })
        .slice(0, scenario.max ?? 1)
        .forEach((path) => out.push(path));
    }
  }
  return out;
}

/** Drops every path whose event sequence is a prefix of another path's (xstate/graph's deduplication rule). */
export function deduplicate(paths: readonly ModelPath[]): ModelPath[] {
  const sequences = paths.map((p) => p.steps.slice(1).map((s) => serializeEvent(s.event)));
  const order = paths.map((_, i) => i).sort((a, b) => sequences[b]!.length - sequences[a]!.length);
  const kept: number[] = [];
  for (const i of order) {
    const mine = sequences[i]!;
    const isPrefix = kept.some((k) => mine.every((e, n) => sequences[k]![n] === e));
    if (!isPrefix) kept.push(i);
  }
  return kept.sort((a, b) => a - b).map((i) => paths[i]!);
}

export interface ModelPathsOptions extends ModelOptions {
  /** Drop paths that are prefixes of others (default true). */
  readonly deduplicate?: boolean;
  /** Add paths for transitions shortest paths miss (default true). */
  readonly transitions?: boolean;
  /** Add the loop scenarios (default true). */
  readonly loops?: boolean;
}

export interface GeneratedModel {
  readonly shortest: readonly ModelPath[];
  readonly transitions: readonly ModelPath[];
  readonly loops: readonly ModelPath[];
  /** All of the above, each distinct event sequence once. */
  readonly all: readonly ModelPath[];
  /** `all` without the paths that are a prefix of another. */
  readonly deduplicated: readonly ModelPath[];
}

/** Every kind of path at once (what modelPaths and modelReport are made of). */
export function generateModel(options: ModelPathsOptions = {}): GeneratedModel {
  const shortest = shortestPaths(options);
  const transitions = options.transitions === false ? [] : transitionPaths(shortest, options);
  const loops = options.loops === false ? [] : loopPaths(shortest, options);
  const seen = new Set<string>();
  const all = [...shortest, ...transitions, ...loops].filter((path) => {
    const key = path.steps.map((st) => serializeEvent(st.event)).join(' ');
    return !seen.has(key) && seen.add(key);
  });
  return { shortest, transitions, loops, all, deduplicated: deduplicate(all) };
}

/** The generated paths: shortest paths to every state, transition paths, loop scenarios (deduplicated by default). */
export function modelPaths(options: ModelPathsOptions = {}): ModelPath[] {
  const model = generateModel(options);
  return [...(options.deduplicate === false ? model.all : model.deduplicated)];
}

export interface ModelReport {
  readonly paths: {
    readonly shortest: number;
    readonly transitions: number;
    readonly loops: number;
    /** Distinct paths, without deduplication. */
    readonly all: number;
    /** Without the paths that are a prefix of another (what coverage is computed on). */
    readonly deduplicated: number;
  };
  readonly stateNodes: { readonly total: number; readonly covered: number; readonly missing: readonly string[] };
  readonly transitions: { readonly total: number; readonly covered: number; readonly missing: readonly string[] };
}

/** Path counts (with and without deduplication) and what the deduplicated paths cover. */
export function modelReport(options: ModelPathsOptions = {}, model: GeneratedModel = generateModel(options)): ModelReport {
  const coverage = coverageOf(model.deduplicated, options.machine);
  return {
    paths: {
      shortest: model.shortest.length,
      transitions: model.transitions.length,
      loops: model.loops.length,
      all: model.all.length,
      deduplicated: model.deduplicated.length,
    },
    stateNodes: { total: coverage.states.all.length, covered: coverage.states.all.length - coverage.states.missing.length, missing: coverage.states.missing },
    transitions: {
      total: coverage.transitions.all.length,
      covered: coverage.transitions.all.length - coverage.transitions.missing.length,
      missing: coverage.transitions.missing.map((t) => t.label),
    },
  };
}

export function formatReport(report: ModelReport): string {
  const { paths, stateNodes, transitions } = report;
  return [
    `paths: ${paths.all} without deduplication (${paths.shortest} shortest, ${paths.transitions} for transitions, ${paths.loops} loops; distinct), ${paths.deduplicated} deduplicated`,
    `state nodes: ${stateNodes.covered}/${stateNodes.total}${stateNodes.missing.length ? `; missing: ${stateNodes.missing.join(', ')}` : ''}`,
    `transitions: ${transitions.covered}/${transitions.total}${transitions.missing.length ? `; missing:\n  ${transitions.missing.join('\n  ')}` : ''}`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Describing paths
// ---------------------------------------------------------------------------------------------

/** A state value as `a.b.c`. */
export function stateName(snapshot: ModelSnapshot): string {
  const flatten = (value: unknown): string =>
    typeof value === 'string' ? value : Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}.${flatten(v)}`).join('|');
  return flatten(snapshot.value);
}

export function describeEvent(event: ModelEvent): string {
  const parsed = parseEvent(event as never);
  const label = labelOf(event);
  switch (parsed.kind) {
    case 'done':
      return `${parsed.invokeId}→${label ?? describeOutput(parsed.output)}`;
    case 'error':
      return `${parsed.invokeId}✗${label ?? (parsed.error as AuthErrorData | undefined)?.code ?? 'error'}`;
    case 'after':
      return `after ${parsed.delay}`;
    case 'user':
      return label ? `${event.type}(${label})` : event.type;
  }
}

function describeOutput(output: unknown): string {
  const o = output as { step?: string; status?: string; allowedMfaTypes?: string[] } | undefined;
  if (o?.step) return o.allowedMfaTypes ? `${o.step}[${o.allowedMfaTypes.join(',')}]` : o.step;
  return o?.status ?? 'ok';
}

/** `<end state>{error}: event › event › ...` — one line, unique enough to name a test. */
export function describePath(path: ModelPath): string {
  const error = path.state.context.error ? ` (${path.state.context.error.code})` : '';
  const events = path.steps.slice(1).map((s) => describeEvent(s.event));
  const scenario = path.scenario ? `[${path.scenario}] ` : '';
  return `${scenario}${stateName(path.state)}${error}: ${events.length ? events.join(' › ') : '(start)'}`;
}

// ---------------------------------------------------------------------------------------------
// From a path to what the fake port and the stores must do
// ---------------------------------------------------------------------------------------------

type Operation = Exclude<keyof CognitoPort, 'userPoolId' | 'clientId'>;
const OPERATIONS: ReadonlySet<string> = new Set<Operation>([
  'initiateAuth', 'respondToAuthChallenge', 'getTokensFromRefreshToken', 'getUser', 'associateSoftwareToken',
  'verifySoftwareToken', 'setUserMfaPreference', 'revokeToken', 'globalSignOut',
]);

/** What the token store (and the saved-attempt store) must hold or do for loadStoredSession / sign-out. */
export type StorageSetup =
  | { readonly kind: 'tokens'; readonly fresh: boolean }
  | { readonly kind: 'empty' }
  | { readonly kind: 'attempt'; readonly status: StoredSessionStatus }
  | { readonly kind: 'fail' }
  | { readonly kind: 'hang' };

export type Outcome = { readonly kind: 'done'; readonly output: unknown } | { readonly kind: 'error'; readonly code: AuthErrorCode } | { readonly kind: 'pending' };

/** One actor run on a path: entered at `enteredAt`, settled by the outcome at `settledAt` (or left pending). */
export interface PlannedCall {
  readonly invokeId: string;
  readonly src: string;
  readonly nodeId: string;
  readonly enteredAt: number;
  /** The step whose event the replay applies (user event or timer) that starts this call; 0 = start. */
  readonly trigger: number;
  readonly outcome: Outcome;
  readonly settledAt: number | undefined;
  /** A Cognito call: the operation, the reply, and its position in that operation's queue. */
  readonly port?: { readonly operation: Operation; readonly index: number };
  /** Or a storage condition. */
  readonly storage?: StorageSetup;
}

export interface PathPlan {
  readonly calls: readonly PlannedCall[];
  readonly script: FakeScript;
  /** The replies' tokens (never allowed in a snapshot). */
  readonly tokens: readonly CognitoTokens[];
  /** Whether the path needs SRP (a PASSWORD_VERIFIER answer). */
  readonly srp: boolean;
}

const errorCode = (error: unknown): AuthErrorCode => ((error as AuthErrorData | undefined)?.code ?? 'Unknown') as AuthErrorCode;
const never = () => new Promise<never>(() => {});

/** The Cognito reply for an actor outcome, or a storage setup when the actor's outcome comes from the stores. */
function arrange(src: string, outcome: Outcome, tokens: () => CognitoTokens): { reply?: unknown; storage?: StorageSetup } {
  if (src === 'loadStoredSession') {
    if (outcome.kind === 'pending') return { storage: { kind: 'hang' } };
    if (outcome.kind === 'error') return { storage: { kind: 'fail' } };
    const status = outcome.output as StoredSessionStatus;
    switch (status.status) {
      case 'fresh':
      case 'stale':
        return { storage: { kind: 'tokens', fresh: status.status === 'fresh' } };
      case 'none':
        return { storage: { kind: 'empty' } };
      default:
        return { storage: { kind: 'attempt', status } };
    }
  }
  if ((src === 'revokeToken' || src === 'globalSignOut') && outcome.kind === 'error') return { storage: { kind: 'fail' } };
  if (outcome.kind === 'pending') return { reply: never };
  if (outcome.kind === 'error') {
    if (outcome.code === 'UnexpectedChallenge' && (src === 'initiateAuth' || src === 'respondToAuthChallenge')) {
      return { reply: { challengeName: 'CUSTOM_CHALLENGE', session: 'model-session-x', challengeParameters: {} } };
    }
    return { reply: cognitoFailureFor(outcome.code) };
  }
  const output = outcome.output as Record<string, unknown>;
  switch (src) {
    case 'initiateAuth':
    case 'respondToAuthChallenge':
      return { reply: cognitoAnswerFor(output as unknown as SignInResult, tokens) };
    case 'getTokensFromRefreshToken':
      return { reply: tokens() };
    case 'associateSoftwareToken':
      return { reply: { secretCode: MODEL.totpSecret, ...(output['session'] ? { session: output['session'] } : {}) } };
    case 'verifySoftwareToken':
      return { reply: { status: 'SUCCESS', ...(output['session'] ? { session: output['session'] } : {}) } };
    case 'getUser': {
      const preference = output as unknown as MfaPreference;
      return {
        reply: {
          username: MODEL.username,
          attributes: {},
          mfaSettings: preference.enabled.map((t: MfaType) => COGNITO_MFA_NAME[t]),
          ...(preference.preferred ? { preferredMfa: COGNITO_MFA_NAME[preference.preferred] } : {}),
        },
      };
    }
    case 'setUserMfaPreference':
      return { reply: undefined };
    case 'revokeToken':
    case 'globalSignOut': {
      const warning = (output as unknown as SignOutResult).warning;
      return { reply: warning ? cognitoFailureFor(warning.code) : undefined };
    }
    default:
      throw new Error(`model: cannot script actor "${src}" on the fake port`);
  }
}

/** Which steps apply an event the replay must send (user events and timers). */
const appliedByReplay = (event: ModelEvent) => parseEvent(event as never).kind === 'user' || parseEvent(event as never).kind === 'after';

/** Every actor run on the path, with its outcome, and the FakeScript that produces them in order. */
export function planPath(path: ModelPath, clock: { now: () => number } = { now: () => T0 }): PathPlan {
  const steps = path.steps;
  const issued: CognitoTokens[] = [];
  const tokens = () => {
    const t = fakeTokens({ username: MODEL.username, nowSeconds: Math.floor(clock.now() / 1000) });
    issued.push(t);
    return t;
  };
  type Open = { invokeId: string; src: string; nodeId: string; enteredAt: number; trigger: number };
  const open: Open[] = [];
  const settled: Array<Open & { outcome: Outcome; settledAt: number | undefined }> = [];
  let trigger = 0;
  let previous = new Set<string>();
  steps.forEach((step, i) => {
    if (i > 0 && appliedByReplay(step.event)) trigger = i;
    const parsed = parseEvent(step.event as never);
    if (parsed.kind === 'done' || parsed.kind === 'error') {
      const at = open.findIndex((o) => o.invokeId === parsed.invokeId);
      if (at < 0) throw new Error(`model: step ${i} settles "${parsed.invokeId}", which is not running`);
      const [call] = open.splice(at, 1);
      settled.push({ ...call!, settledAt: i, outcome: parsed.kind === 'done' ? { kind: 'done', output: parsed.output } : { kind: 'error', code: errorCode(parsed.error) } });
    }
    const active = activeInvokes(step.state);
    const keys = new Set(active.map((a) => `${a.node.id}#${a.invokeId}`));
    // Calls whose state was left without an outcome (cancel, sign-out, timer): they stay pending.
    for (let k = open.length - 1; k >= 0; k--) {
      const o = open[k]!;
      if (!keys.has(`${o.nodeId}#${o.invokeId}`)) settled.push({ ...open.splice(k, 1)[0]!, settledAt: undefined, outcome: { kind: 'pending' } });
    }
    for (const site of active) {
      const key = `${site.node.id}#${site.invokeId}`;
      if (!previous.has(key) || (parsed.kind !== 'user' && parsed.kind !== 'after' && 'invokeId' in parsed && parsed.invokeId === site.invokeId)) {
        if (!open.some((o) => `${o.nodeId}#${o.invokeId}` === key)) open.push({ invokeId: site.invokeId, src: site.src, nodeId: site.node.id, enteredAt: i, trigger });
      }
    }
    previous = keys;
  });
  for (const o of open.splice(0)) settled.push({ ...o, settledAt: undefined, outcome: { kind: 'pending' } });
  settled.sort((a, b) => a.enteredAt - b.enteredAt);

  const script: Record<string, unknown[]> = {};
  const calls: PlannedCall[] = settled.map((call) => {
    const arranged = arrange(call.src, call.outcome, tokens);
    if (arranged.storage) return { ...call, storage: arranged.storage };
    if (!OPERATIONS.has(call.src)) throw new Error(`model: actor "${call.src}" is not a Cognito operation`);
    const operation = call.src as Operation;
    const queue = (script[operation] ??= []);
    queue.push(arranged.reply);
    return { ...call, port: { operation, index: queue.length - 1 } };
  });
  const srp = calls.some((c) => c.outcome.kind === 'done' && (c.outcome.output as { step?: string } | undefined)?.step === 'PASSWORD_VERIFIER');
  return { calls, script: script as FakeScript, tokens: issued, srp };
}

/** The FakeScript that makes the runtime produce the path's actor outcomes (Cognito replies, in call order). */
export function scriptFromPath(path: ModelPath): FakeScript {
  return planPath(path).script;
}

// ---------------------------------------------------------------------------------------------
// Replaying a path against a running chart
// ---------------------------------------------------------------------------------------------

export interface Violation {
  readonly step: number;
  readonly kind: 'busy' | 'error-not-cleared' | 'secret-in-snapshot';
  /** For secrets: `context`, `children.<id>` (an invoked actor's snapshot, input included) or `resume`. */
  readonly where: string;
  readonly message: string;
}

/**
 * What a replay drives: an Auth created with `autoStart: false`, and how to make the world produce the path's
 * outcomes (a scripted fake port, or a real pool set up for them).
 */
export interface ReplayHarness {
  readonly auth: Auth;
  /** Runs before the replay applies step `i` (a user event or a timer); `i = 0` is before the actor starts. */
  before?(i: number): Promise<void> | void;
  /** The concrete event to send for user step `i` (default: the path's own event). */
  eventFor?(i: number, event: AuthEvent): AuthEvent | Promise<AuthEvent>;
  /** Applies user step `i` (default: `auth.actor.send(event)`); a UI test clicks and types here instead. */
  send?(i: number, event: AuthEvent): void | Promise<void>;
  /** Called once step `i`'s state is verified (a UI test asserts what its screen shows here). */
  onStep?(i: number, snapshot: ModelSnapshot): void | Promise<void>;
  /** Fires the `after` timer the path's step `i` stands for. */
  fireTimer(i: number): void | Promise<void>;
  /** Before step `i` is applied: have the calls still running reached Cognito (or the store)? Default: yes. */
  callsMade?(i: number): boolean;
  /** Secrets besides the typed passwords and codes (e.g. the tokens handed out). */
  secrets?(): Iterable<string>;
  /** The saved-attempt store's content, checked for secrets too. */
  resumeContent?(): string | null;
  /** What must match between the model's step and the runtime (default: model state + error code). */
  signature?(snapshot: ModelSnapshot): string;
  /** Checks once the path is done (e.g. every scripted reply was used). */
  finish?(): Promise<void> | void;
}

export interface ReplayOptions {
  /** Per wait, in ms (default 3000). */
  readonly timeoutMs?: number;
  /** Violations to tolerate (known issues); the rest fail the replay. */
  readonly tolerate?: (violation: Violation) => boolean;
}

/** What the replay compares by default: the model state plus the error code. */
export const replaySignature = (snapshot: ModelSnapshot): string => `${serializeModelState(snapshot)} ${snapshot.context.error?.code ?? ''}`;

/**
 * Replays a model path against a running chart: applies its user events and timers, waits for the outcomes the
 * runtime produces itself, and checks after every step that the chart is in the step's state, plus the view
 * invariants: busy ⇔ an actor (a Cognito call or the store) is in flight, except background refreshes; a user
 * event that starts a call clears the error; no password, code or token in `getPersistedSnapshot()`.
 */
export async function replayPath(path: ModelPath, harness: ReplayHarness, options: ReplayOptions = {}): Promise<{ tolerated: Violation[] }> {
  const timeout = options.timeoutMs ?? 3000;
  const { auth } = harness;
  const signature = harness.signature ?? replaySignature;
  const secrets = new Set<string>();
  const violations: Violation[] = [];
  const tolerated: Violation[] = [];
  const issue = (violation: Violation) => (options.tolerate?.(violation) ? tolerated : violations).push(violation);
  const history: ModelSnapshot[] = [];
  let wake: (() => void) | undefined;

  const fail = (i: number, message: string): never => {
    throw new Error(`step ${i} (${i === 0 ? 'start' : describeEvent(path.steps[Math.min(i, path.steps.length - 1)]!.event)}): ${message}\n  path: ${describePath(path)}`);
  };
  const waitUntil = async (i: number, what: string, done: () => boolean) => {
    const deadline = Date.now() + timeout;
    while (!done()) {
      if (Date.now() > deadline) fail(i, `timed out waiting for ${what}; the chart is in ${signature(auth.actor.getSnapshot())}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };
  const expectState = (i: number, actual: ModelSnapshot) => {
    const expected = path.steps[i]!.state;
    if (signature(actual) !== signature(expected)) fail(i, `expected ${signature(expected)}\n  got      ${signature(actual)}`);
  };
  const checkInvariants = (i: number, snapshot: ModelSnapshot) => {
    const view = selectView(snapshot);
    const inFlight = activeInvokes(snapshot).some((site) => !site.node.tags.includes('refreshing'));
    if (view.busy !== inFlight) issue({ step: i, kind: 'busy', where: stateName(snapshot), message: `view.busy is ${view.busy} but an actor is ${inFlight ? '' : 'not '}in flight` });
    const event = path.steps[i]!.event;
    if (i > 0 && parseEvent(event as never).kind === 'user' && view.busy && view.error !== null) {
      issue({ step: i, kind: 'error-not-cleared', where: stateName(snapshot), message: `${event.type} started a call but the view still shows ${view.error.code}` });
    }
    for (const secret of harness.secrets?.() ?? []) if (secret) secrets.add(secret);
    const persisted = auth.actor.logic.getPersistedSnapshot(snapshot) as unknown as { context: unknown; children: Record<string, unknown> };
    const places: Array<[string, string]> = [
      ['context', JSON.stringify(persisted.context)],
      ...Object.entries(persisted.children).map(([id, child]) => [`children.${id}`, JSON.stringify(child)] as [string, string]),
      ['resume', harness.resumeContent?.() ?? ''],
    ];
    for (const [where, text] of places) {
      for (const secret of secrets) {
        if (text.includes(secret)) issue({ step: i, kind: 'secret-in-snapshot', where, message: `"${secret.slice(0, 12)}…" is in the persisted snapshot (${where})` });
      }
    }
  };
  const remember = (event: AuthEvent) => {
    for (const key of ['password', 'newPassword', 'code'] as const) {
      const value = (event as Record<string, unknown>)[key];
      if (typeof value === 'string' && value.length >= 4) secrets.add(value);
    }
  };
  const callsMade = (i: number) => () => harness.callsMade?.(i) ?? true;

  const subscription = auth.actor.subscribe({
    next: (snapshot) => {
      history.push(snapshot);
      wake?.();
    },
    error: () => wake?.(),
  });
  try {
    await harness.before?.(0);
    auth.start();
    let cursor = 0;
    await waitUntil(0, 'the first snapshot', () => history.length > 0);
    expectState(0, history[0]!);
    checkInvariants(0, history[0]!);
    await harness.onStep?.(0, history[0]!);
    for (let i = 1; i < path.steps.length; i++) {
      const { event } = path.steps[i]!;
      const parsed = parseEvent(event as never);
      if (parsed.kind === 'done' || parsed.kind === 'error') {
        // The runtime produces this one: the next snapshot that differs from the last must be the step's state.
        let found: ModelSnapshot | undefined;
        await waitUntil(i, `${describeEvent(event)} to reach ${stateName(path.steps[i]!.state)}`, () => {
          while (cursor + 1 < history.length) {
            const next = history[++cursor]!;
            if (signature(next) !== signature(history[cursor - 1]!)) {
              found = next;
              return true;
            }
          }
          return false;
        });
        expectState(i, found!);
        checkInvariants(i, found!);
        await harness.onStep?.(i, found!);
        continue;
      }
      await waitUntil(i, 'the calls in flight to reach Cognito', callsMade(i));
      expectState(i - 1, auth.actor.getSnapshot());
      await harness.before?.(i);
      if (parsed.kind === 'after') await harness.fireTimer(i);
      else {
        const concrete = (await harness.eventFor?.(i, event as AuthEvent)) ?? (event as AuthEvent);
        remember(concrete);
        if (harness.send) await harness.send(i, concrete);
        else auth.actor.send(concrete);
      }
      const now = auth.actor.getSnapshot();
      cursor = history.length - 1; // before any await: outcomes that arrive from here on are the next steps
      expectState(i, now);
      checkInvariants(i, now);
      await harness.onStep?.(i, now);
    }
    await waitUntil(path.steps.length, 'the calls in flight to reach Cognito', callsMade(path.steps.length));
    expectState(path.steps.length - 1, auth.actor.getSnapshot());
    await harness.finish?.();
    if (violations.length > 0) {
      throw new Error(`${violations.length} invariant violation(s):\n${violations.map((v) => `  step ${v.step} ${v.kind} (${v.where}): ${v.message}`).join('\n')}\n  path: ${describePath(path)}`);
    }
    return { tolerated };
  } finally {
    subscription.unsubscribe();
    auth.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Replay against the runtime with the fake port
// ---------------------------------------------------------------------------------------------

export interface FakeReplayOptions extends ReplayOptions {
  /** SRP modular exponentiation (the Node entry's OpenSSL engine is faster). */
  readonly srpEngine?: ModPowEngine;
  /** Extra createAuth options (e.g. another port, to see a replay fail). */
  readonly auth?: Partial<CreateAuthOptions>;
  /** Drive your own UI instead of sending events to the actor, and check what it shows at every step. */
  readonly ui?: {
    /** Called with the Auth before it starts: render your UI on it. */
    mount?(auth: Auth): void | Promise<void>;
    /** Perform the user event through the UI (type, click); it must reach the actor before this resolves. */
    send?(event: AuthEvent, step: number): void | Promise<void>;
    /** Assert what the UI shows, at each step the chart rests in (verified to be the step's state). */
    check?(snapshot: ModelSnapshot, step: number): void | Promise<void>;
    unmount?(): void | Promise<void>;
  };
}

export interface ReplayResult {
  readonly steps: number;
  readonly port: FakePort;
  /** Violations that were tolerated. */
  readonly tolerated: readonly Violation[];
}

/** A token store that can be told to fail or hang on its next read. */
class ScriptedStorage implements KeyValueStorage {
  readonly items = new MemoryStorage();
  reads = 0;
  private readonly next: Array<'fail' | 'hang'> = [];
  arm(mode: 'fail' | 'hang') {
    this.next.push(mode);
  }
  getItem(key: string) {
    this.reads++;
    const mode = this.next.shift();
    if (mode === 'fail') throw new Error('model: the token store is unavailable');
    if (mode === 'hang') return never();
    return this.items.getItem(key);
  }
  setItem(key: string, value: string) {
    this.items.setItem(key, value);
  }
  removeItem(key: string) {
    this.items.removeItem(key);
  }
}

/**
 * Replays a model path against createAuth() with the fake port scripted from the path (scriptFromPath), the
 * token store and the saved-attempt store set up for the path's stored-session outcomes, and a simulated clock
 * for its timers. See replayPath for what is checked.
 */
export async function replayOnFakePort(path: ModelPath, options: FakeReplayOptions = {}): Promise<ReplayResult> {
  const clock = new SimulatedClock();
  clock.set(T0);
  const plan = planPath(path, clock);
  const port = createFakePort(plan.script, { userPoolId: MODEL.userPoolId, clientId: MODEL.clientId });
  const storage = new ScriptedStorage();
  const resume = new MemoryStorage();
  const tokenStore = new TokenStore(storage.items, MODEL.clientId);
  const attempts = new AttemptStore(resume, MODEL.clientId);
  const issued = [...plan.tokens];

  const prepareStorage = async (setup: StorageSetup) => {
    switch (setup.kind) {
      case 'fail':
      case 'hang':
        storage.arm(setup.kind);
        return;
      case 'empty':
        await tokenStore.clear();
        await attempts.clear();
        return;
      case 'tokens': {
        const now = clock.now();
        const age = setup.fresh ? 0 : 2 * 3_600_000;
        const tokens = fakeTokens({ username: MODEL.username, nowSeconds: Math.floor((now - age) / 1000) });
        issued.push(tokens);
        await tokenStore.save(toStoredTokens(tokens, now, { loginId: MODEL.username }));
        return;
      }
      case 'attempt': {
        // A saved attempt (what another page left behind), re-timed to now; interrupted = saved mid-request.
        await tokenStore.clear();
        const now = clock.now();
        const saved = setup.status.status === 'resumable' ? setup.status.attempt : resumableAttempt;
        const attempt = { ...saved, sessionIssuedAt: now, sessionExpiresAt: now + MODEL.sessionValidityMs };
        await attempts.follow({ kind: 'waiting', attempt }, now);
        if (setup.status.status === 'interrupted') await attempts.follow({ kind: 'inFlight' }, now);
        return;
      }
    }
  };

  const auth = createAuth({
    userPoolId: MODEL.userPoolId,
    clientId: MODEL.clientId,
    port,
    storage,
    resume,
    clock,
    authSessionValidityMinutes: MODEL.sessionValidityMs / 60_000,
    authFlow: plan.srp ? 'USER_SRP_AUTH' : 'USER_PASSWORD_AUTH',
    autoStart: false,
    ...(options.srpEngine ? { srpEngine: options.srpEngine } : {}),
    ...options.auth,
  });
  const { tolerated } = await replayPath(
    path,
    {
      auth,
      async before(i) {
        for (const call of plan.calls) if (call.trigger === i && call.storage) await prepareStorage(call.storage);
        if (i === 0) await options.ui?.mount?.(auth);
      },
      ...(options.ui?.send ? { send: (i: number, event: AuthEvent) => options.ui!.send!(event, i) } : {}),
      ...(options.ui?.check
        ? { onStep: (i: number, snapshot: ModelSnapshot) => (auth.actor.getSnapshot() === snapshot ? options.ui!.check!(snapshot, i) : undefined) }
        : {}),
      fireTimer: () => clock.increment(MODEL.sessionValidityMs),
      // The calls still running when the replay applies step i have reached the port (or the store).
      callsMade: (i) =>
        plan.calls
          .filter((c) => c.enteredAt < i && (c.settledAt === undefined || c.settledAt >= i))
          .every((c) => (c.port ? port.callsOf(c.port.operation).length > c.port.index : c.storage?.kind === 'hang' ? storage.reads > 0 : true)),
      secrets: () => issued.flatMap((t) => [t.accessToken, t.idToken, t.refreshToken ?? '']),
      resumeContent: () => resume.getItem(`authchart.${MODEL.clientId}.attempt`),
      async finish() {
        await options.ui?.unmount?.();
        for (const [operation, replies] of Object.entries(plan.script)) {
          const made = port.callsOf(operation as Operation).length;
          if (made !== (replies as unknown[]).length) throw new Error(`${operation}: ${made} call(s), ${(replies as unknown[]).length} scripted\n  path: ${describePath(path)}`);
        }
      },
    },
    options,
  );
  return { steps: path.steps.length, port, tolerated };
}
