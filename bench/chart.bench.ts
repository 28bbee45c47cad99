// Chart speed: one password sign-in (signIn.submit -> signedIn) through the chart alone and through the whole
// runtime, with Cognito answering at once, beside the Amplify UI authenticator machine with instant services.
//
//   npm run bench                      # builds first; this bench is one part of it
//   node dist/bench/chart.bench.js     # after npm run build; --rounds N, --warmup N, --runs N, --only ID, --no-docs
//
// Method (docs/benchmarks.md, "Chart speed"):
// - Each sample is one sign-in on a fresh actor / instance made and brought to signedOut before the clock starts:
//   the timed part is from sending signIn.submit to the snapshot that matches signedIn (with the MFA flow, the code
//   is sent as soon as the code step is reached). Every sign-in must end in signedIn with the expected user and the
//   expected calls, or the run aborts (exit code 1).
// - Each kind runs in processes of its own (3 by default, kinds interleaved), 200 warm-up + 1,000 measured sign-ins
//   each; the samples are pooled: min / median / p90 / p99 in ms, goals judged on the median.
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import vector from '../test/fixtures/srp-test-vector.json' with { type: 'json' };
import type { AuthUser, SignInResult } from '../machines/auth.types.js';
import type { ModPowEngine } from '../src/cognito/srp.js';
import { machineDescription, progress, progressDone, table, versionOf, writeDocsSection } from './bundle-report.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

// ---------------------------------------------------------------- options

const USAGE = `usage: node dist/bench/chart.bench.js [--rounds N] [--warmup N] [--runs N] [--only ID] [--no-docs]
  --rounds N   measured sign-ins per process (default 1000)
  --warmup N   warm-up sign-ins per process, not recorded (default 200)
  --runs N     processes per kind, interleaved; their samples are pooled (default 3)
  --only ID    only the kinds whose id starts with ID (e.g. runtime-password); implies --no-docs
  --no-docs    print only; leave docs/benchmarks.md alone`;

interface Options {
  rounds: number;
  warmup: number;
  runs: number;
  docs: boolean;
  only: string | null;
  /** Set in a child process: the one kind it runs. */
  child: string | null;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { rounds: 1000, warmup: 200, runs: 3, docs: true, only: null, child: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (arg === '--no-docs') {
      options.docs = false;
      continue;
    }
    if (arg === '--only' || arg === '--child') {
      const value = argv[++i];
      if (!value) {
        console.error(`${arg} expects a kind id\n${USAGE}`);
        process.exit(64);
      }
      if (arg === '--only') options.only = value;
      else options.child = value;
      options.docs = false;
      continue;
    }
    const m = /^--(rounds|warmup|runs)(?:=(.*))?$/.exec(arg);
    const raw = m ? (m[2] ?? argv[++i]) : undefined;
    const value = Number(raw);
    if (!m || raw === undefined || !Number.isInteger(value) || value < (m[1] === 'warmup' ? 0 : 1)) {
      console.error(`bad argument: ${arg}\n${USAGE}`);
      process.exit(64);
    }
    options[m[1] as 'rounds' | 'warmup' | 'runs'] = value;
  }
  return options;
}
const options = parseOptions(process.argv.slice(2));

function fail(message: string): never {
  progressDone();
  console.error(`\nBENCHMARK ABORTED: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------- what is measured, as built

// The Node entry (the types name the browser one, which has no OpenSSL engine).
const { createAuth, createOpenSslEngine } = (await import('authchart')) as typeof import('../src/index.node.js');
const { authMachine } = await import('authchart/machine');
const { createFakePort, fakeTokens } = await import('authchart/testing');
const xstate = await import('xstate');
const { createActor, fromPromise, initialTransition, transition } = xstate;

/** The goals of issue 14, per sign-in. */
const GOAL_CHART_MS = 0.1;
const GOAL_RUNTIME_MS = 0.2;

const ids = { userPoolId: 'us-east-1_ChartBench', clientId: 'chartbenchclient000000000' };
const USERNAME = 'alice';
const PASSWORD = 'Corr3ct-Horse-Battery!';
const CODE = '123456';
const T0 = Date.now();
const user: AuthUser = { username: USERNAME, userId: 'sub-alice', attributes: {}, tokensExpireAt: T0 + 3_600_000 };
const stamp = { session: 'S'.repeat(64), sessionIssuedAt: T0, sessionExpiresAt: T0 + 180_000, username: USERNAME, secretRef: 'ref-1' } as const;

type Flow = 'srp' | 'password' | 'mfa';
const FLOWS: Record<Flow, string> = {
  srp: 'USER_SRP_AUTH (InitiateAuth, PASSWORD_VERIFIER)',
  password: 'USER_PASSWORD_AUTH (InitiateAuth)',
  mfa: 'USER_PASSWORD_AUTH + TOTP code (InitiateAuth, SOFTWARE_TOKEN_MFA)',
};
const authFlowOf = (flow: Flow) => (flow === 'srp' ? 'USER_SRP_AUTH' : 'USER_PASSWORD_AUTH') as 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';

/** What the sign-in actors answer the chart, call by call, for each flow. */
const chartAnswers: Record<Flow, { initiateAuth: SignInResult; respondToAuthChallenge: SignInResult | null }> = {
  srp: { initiateAuth: { ...stamp, step: 'PASSWORD_VERIFIER' } as SignInResult, respondToAuthChallenge: { step: 'DONE', user } },
  password: { initiateAuth: { step: 'DONE', user }, respondToAuthChallenge: null },
  mfa: { initiateAuth: { ...stamp, step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } as SignInResult, respondToAuthChallenge: { step: 'DONE', user } },
};

type Snapshot = ReturnType<ReturnType<typeof createActor<typeof authMachine>>['getSnapshot']>;
/** What reach() needs of an actor: xstate 5's and xstate 4's both have it. */
interface Watched {
  getSnapshot(): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the snapshot type is each caller's
  subscribe(listener: (snapshot: any) => void): { unsubscribe(): void };
}

/** Resolves with the first snapshot (the current one included) that matches `state`. */
function reach<S>(actor: Watched, matches: (s: S) => boolean): Promise<S> {
  const now = actor.getSnapshot() as unknown as S;
  if (matches(now)) return Promise.resolve(now);
  return new Promise((resolveReached) => {
    const subscription = actor.subscribe(((s: S) => {
      if (!matches(s)) return;
      subscription.unsubscribe();
      resolveReached(s);
    }) as never);
  });
}
const isSignedIn = (s: Snapshot) => s.matches('signedIn');
const isSignedOut = (s: Snapshot) => s.matches('signedOut');
const isTotpStep = (s: Snapshot) => s.matches({ signingIn: { mfa: 'totpCode' } });
const flushMacrotasks = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
/** Two macrotasks with nothing to do: what the event loop does between a user's clicks. */
const idle = async (): Promise<void> => {
  await flushMacrotasks();
  await flushMacrotasks();
};
/** Made on first use: a process makes only what its own kind needs (see the parent below). */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** One timed sign-in on an actor at signedOut: submit, the code when asked, until signedIn. */
async function signIn(actor: { send(event: never): void } & Watched, flow: Flow): Promise<{ ms: number; end: Snapshot }> {
  const t0 = performance.now();
  actor.send({ type: 'signIn.submit', username: USERNAME, password: PASSWORD } as never);
  if (flow === 'mfa') {
    await reach<Snapshot>(actor, (s) => isTotpStep(s) || !s.hasTag('busy'));
    actor.send({ type: 'code.submit', code: CODE } as never);
  }
  const end = await reach<Snapshot>(actor, (s) => isSignedIn(s) || !s.hasTag('busy'));
  return { ms: performance.now() - t0, end };
}

function checkSignedIn(label: string, end: Snapshot): void {
  if (!end.matches('signedIn')) fail(`${label}: the sign-in ended in ${JSON.stringify(end.value)}, not signedIn (error ${JSON.stringify(end.context.error)})`);
  if (end.context.user?.username !== USERNAME) fail(`${label}: signed in as ${end.context.user?.username}, not ${USERNAME}`);
}

interface Kind {
  readonly id: string;
  readonly layer: 'chart' | 'runtime' | 'peer';
  readonly flow: Flow | 'peer-password' | 'peer-mfa';
  readonly label: string;
  /** The goal the row is judged against, if any. */
  readonly goalMs?: number;
  /** One sign-in: untimed setup, the timed part, untimed checks. Returns the timed ms. */
  run(): Promise<number>;
}

// ---------------------------------------------------------------- 1. the chart alone

/** The chart as an actor, its sign-in actors answering at once (fromPromise resolving with the chart's SignInResult). */
function chartActorKind(flow: Flow, afterIdle = false): Kind {
  const answers = chartAnswers[flow];
  const calls = { initiateAuth: 0, respondToAuthChallenge: 0 };
  const machine = once(() => authMachine.provide({
    actors: {
      loadStoredSession: fromPromise(async () => ({ status: 'none' as const })),
      initiateAuth: fromPromise(async ({ input }: { input: { username?: string; password?: string } }) => {
        calls.initiateAuth++;
        if (input.username !== USERNAME || input.password !== PASSWORD) fail(`chart actor: initiateAuth got ${JSON.stringify(input)}`);
        return answers.initiateAuth;
      }),
      respondToAuthChallenge: fromPromise(async () => {
        calls.respondToAuthChallenge++;
        return answers.respondToAuthChallenge ?? fail('chart actor: respondToAuthChallenge was not expected');
      }),
    } as never,
  }));
  const expectedResponds = answers.respondToAuthChallenge ? 1 : 0;
  return {
    id: `chart-actor-${flow}${afterIdle ? '-after-idle' : ''}`,
    layer: 'chart',
    flow,
    label: afterIdle ? 'chart as an actor, instant actors, the clock started right after the event loop sat idle' : 'chart as an actor, instant actors',
    ...(afterIdle ? {} : { goalMs: GOAL_CHART_MS }),
    async run() {
      const actor = createActor(machine(), { input: { authFlow: authFlowOf(flow) } }).start();
      await reach(actor, isSignedOut);
      if (afterIdle) await idle();
      calls.initiateAuth = calls.respondToAuthChallenge = 0;
      const { ms, end } = await signIn(actor, flow);
      checkSignedIn(this.id, end);
      if (calls.initiateAuth !== 1 || calls.respondToAuthChallenge !== expectedResponds) fail(`${this.id}: calls ${JSON.stringify(calls)}`);
      actor.stop();
      return ms;
    },
  };
}

/**
 * The chart's transitions alone: xstate's pure transition() on snapshots, fed the done events the invoked actors
 * would send. No actor runs: this is what the chart's own decisions (guards, context updates, routing) cost.
 */
function chartTransitionsKind(flow: Flow): Kind {
  const answers = chartAnswers[flow];
  const done = (id: string, output: unknown) => ({ type: `xstate.done.actor.${id}`, output }) as never;
  const signedOut = once(() => {
    const [initial] = initialTransition(authMachine, { authFlow: authFlowOf(flow) });
    const [at] = transition(authMachine, initial, done('loadStoredSession', { status: 'none' }));
    if (!at.matches('signedOut')) fail(`chart transitions: after loadStoredSession at ${JSON.stringify(at.value)}`);
    return at;
  });
  return {
    id: `chart-transitions-${flow}`,
    layer: 'chart',
    flow,
    label: 'chart transitions alone, transition()',
    async run() {
      const from = signedOut();
      const t0 = performance.now();
      let [s] = transition(authMachine, from, { type: 'signIn.submit', username: USERNAME, password: PASSWORD });
      [s] = transition(authMachine, s, done('initiateAuth', answers.initiateAuth));
      if (flow === 'mfa') [s] = transition(authMachine, s, { type: 'code.submit', code: CODE });
      if (answers.respondToAuthChallenge) [s] = transition(authMachine, s, done('respondToAuthChallenge', answers.respondToAuthChallenge));
      const ms = performance.now() - t0;
      checkSignedIn(this.id, s as Snapshot);
      return ms;
    },
  };
}

// ---------------------------------------------------------------- 2. the whole runtime

/** A modexp that costs nothing: the SRP math's cost is the SRP bench's; the fake port does not check the proof. */
const freeModPow: ModPowEngine = { name: 'free (bench only)', powG: () => 5n, modPow: () => 7n };

/** What the OpenSSL modexps cost inside the timed window of each sign-in (the SRP row says how much of it is SRP math). */
const modexp = { inWindow: false, ms: 0, powG: 0, perSignIn: [] as number[], powGPerSignIn: [] as number[] };
function timedEngine(engine: ModPowEngine): ModPowEngine {
  const timed = <A extends unknown[]>(f: (...args: A) => bigint, isPowG: boolean) => (...args: A): bigint => {
    const t0 = performance.now();
    const result = f(...args);
    if (modexp.inWindow) {
      modexp.ms += performance.now() - t0;
      if (isPowG) modexp.powG++;
    }
    return result;
  };
  return { name: engine.name, powG: timed((e: bigint) => engine.powG(e), true), modPow: timed((b: bigint, e: bigint) => engine.modPow(b, e), false) };
}

/**
 * createAuth() on the fake port of authchart/testing, scripted with what Cognito answers for the flow. The port
 * answers at once (a resolved promise); everything else is the runtime's own: the vault, the SRP client and the
 * request building, the step table, tokens decoded and stored, the redaction, the devices store, the subscriptions.
 */
function runtimeKind(flow: Flow, srp: 'openssl' | 'free' = 'openssl', afterIdle = false): Kind {
  const authFlow = authFlowOf(flow);
  const challenge = (challengeName: string, parameters: Record<string, string>) => ({
    challengeName,
    session: 'S'.repeat(64),
    challengeParameters: { USERNAME, USER_ID_FOR_SRP: USERNAME, ...parameters },
  });
  const passwordVerifier = challenge('PASSWORD_VERIFIER', { SALT: vector.SALT, SRP_B: vector.SRP_B, SECRET_BLOCK: vector.SECRET_BLOCK });
  const totp = challenge('SOFTWARE_TOKEN_MFA', {});
  const expected = flow === 'password' ? { initiateAuth: 1, respondToAuthChallenge: 0 } : { initiateAuth: 1, respondToAuthChallenge: 1 };
  /** A new instance at signedOut, its SRP ephemeral (g^a) prepared: as in an app whose sign-in form has been on screen for more than a moment. */
  async function makeInstance() {
    // Tokens are made before the clock starts: the fake's JWTs are not the runtime's work.
    const tokens = { challengeParameters: {}, tokens: fakeTokens({ username: USERNAME, sub: user.userId }) };
    const port = createFakePort(
      flow === 'password'
        ? { initiateAuth: [tokens] }
        : { initiateAuth: [flow === 'srp' ? passwordVerifier : totp], respondToAuthChallenge: [tokens] },
      ids,
    );
    // The Node entry's own engine (OpenSSL), timed; or none at all.
    const srpEngine = srp === 'free' ? freeModPow : timedEngine(createOpenSslEngine());
    const auth = createAuth({ ...ids, port, authFlow, srpEngine });
    await reach(auth.actor, isSignedOut);
    return { auth, port, tokens };
  }
  /**
   * The clock must not start right after the event loop sat idle (the macrotasks that let start() prepare g^a): the
   * first work after idling costs several times more than the same work back to back (0.07 against 0.22 ms for a
   * password sign-in here), and the chart rows have no such gap. So instances are made ahead, a batch at a time,
   * and one untimed sign-in runs after each batch's wait. The SRP rows keep the wait before every sample, so that what
   * their instance computes at its start (g^a) stays out of the window whatever the order of timers.
   */
  const ready: Array<Awaited<ReturnType<typeof makeInstance>>> = [];
  async function nextInstance() {
    if (flow === 'srp' || afterIdle) {
      const made = await makeInstance();
      await idle();
      return made;
    }
    if (ready.length === 0) {
      for (let i = 0; i < 50; i++) ready.push(await makeInstance());
      await idle();
      const wake = ready.pop()!;
      const { end } = await signIn(wake.auth.actor, flow);
      checkSignedIn(`${flow} (untimed)`, end);
      wake.auth.stop();
    }
    return ready.shift()!;
  }
  return {
    id: `runtime-${flow}${srp === 'free' ? '-free-modexp' : ''}${afterIdle ? '-after-idle' : ''}`,
    layer: 'runtime',
    flow,
    label:
      flow === 'srp'
        ? srp === 'free'
          ? 'createAuth on the fake port, SRP modexp stubbed out'
          : 'createAuth on the fake port, SRP with OpenSSL (Node entry)'
        : afterIdle
          ? 'createAuth on the fake port, the clock started right after the event loop sat idle'
          : 'createAuth on the fake port',
    ...(flow === 'srp' || afterIdle ? {} : { goalMs: GOAL_RUNTIME_MS }),
    async run() {
      const { auth, port, tokens } = await nextInstance();
      Object.assign(modexp, { inWindow: true, ms: 0, powG: 0 });
      const { ms, end } = await signIn(auth.actor, flow);
      modexp.inWindow = false;
      if (flow === 'srp' && srp === 'openssl') {
        modexp.perSignIn.push(modexp.ms);
        modexp.powGPerSignIn.push(modexp.powG);
      }
      checkSignedIn(this.id, end);
      for (const [operation, count] of Object.entries(expected)) {
        if (port.callsOf(operation as 'initiateAuth').length !== count) fail(`${this.id}: ${port.callsOf(operation as 'initiateAuth').length} ${operation} calls, expected ${count}`);
      }
      const request = port.callsOf('initiateAuth')[0]!.request as { authFlow: string; parameters: Record<string, string> };
      if (request.authFlow !== authFlow || request.parameters['USERNAME'] !== USERNAME) fail(`${this.id}: InitiateAuth sent ${JSON.stringify(request)}`);
      if (flow === 'srp' && !request.parameters['SRP_A']) fail(`${this.id}: InitiateAuth without SRP_A`);
      if (flow === 'mfa') {
        const answer = port.callsOf('respondToAuthChallenge')[0]!.request as { responses: Record<string, string> };
        if (answer.responses['SOFTWARE_TOKEN_MFA_CODE'] !== CODE) fail(`${this.id}: the TOTP answer was ${JSON.stringify(answer)}`);
      }
      const stored = await auth.getTokens();
      if (stored?.accessToken !== tokens.tokens.accessToken) fail(`${this.id}: the tokens Cognito gave are not the ones stored`);
      auth.stop();
      return ms;
    },
  };
}

// ---------------------------------------------------------------- 3. the peer: Amplify UI's authenticator machine

const peersDir = resolve(root, 'bench/peers/node_modules');
const peerAvailable = (() => {
  try {
    createRequire(resolve(peersDir, '@aws-amplify/ui/package.json'));
    return versionOf(peersDir, '@aws-amplify/ui') !== '?' && versionOf(peersDir, 'xstate') !== '?';
  } catch {
    return false;
  }
})();

interface V4Service {
  start(): V4Service;
  stop(): void;
  send(event: Record<string, unknown>): void;
  getSnapshot(): { matches(state: string): boolean };
  subscribe(listener: (state: { matches(state: string): boolean }) => void): { unsubscribe(): void };
  state: { matches(state: string): boolean; context: { user?: { username?: string }; actorRef?: { getSnapshot(): { matches(s: string): boolean } } } };
}

/**
 * The Amplify UI authenticator machine (xstate 4), as its React component drives it, with instant services:
 * handleSignIn / handleConfirmSignIn / getCurrentUser / getAmplifyConfig resolve at once with what Amplify's signIn,
 * confirmSignIn and getCurrentUser would return. Its sign-in actor calls Amplify's own fetchUserAttributes() (not a
 * service it lets an app replace): unconfigured, that rejects at once and the machine goes on, as it does when
 * the call fails. Timed: from SUBMIT to the `authenticated` state.
 */
function peerKinds(): Kind[] {
  if (!peerAvailable) return [];
  const uiEntry = resolve(peersDir, '@aws-amplify/ui/dist/esm/index.mjs');
  const loaded = once(async () => ({
    ui: (await import(pathToFileURL(uiEntry).href)) as { createAuthenticatorMachine(options: Record<string, unknown>): unknown },
    // The xstate 4 the machine was made with (as Node resolves it from @aws-amplify/ui), not another copy of it.
    xstate4: createRequire(uiEntry)('xstate') as { interpret(machine: unknown): V4Service },
  }));
  const kind = (flow: 'peer-password' | 'peer-mfa', afterIdle = false): Kind => {
    let signIns = 0;
    let confirms = 0;
    const done = { isSignedIn: true, nextStep: { signInStep: 'DONE' } };
    const machineOf = (ui: { createAuthenticatorMachine(options: Record<string, unknown>): unknown }) => ui.createAuthenticatorMachine({
      useNextWaitConfig: true,
      services: {
        getAmplifyConfig: async () => ({ loginMechanisms: ['username'], passwordlessCapabilities: {} }),
        getCurrentUser: async () => ({ username: USERNAME, userId: user.userId }),
        handleSignIn: async (input: { username: string; password: string }) => {
          signIns++;
          if (input.username !== USERNAME || input.password !== PASSWORD) fail(`Amplify UI: handleSignIn got ${JSON.stringify(input)}`);
          return flow === 'peer-mfa' ? { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } } : done;
        },
        handleConfirmSignIn: async (input: { challengeResponse: string }) => {
          confirms++;
          if (input.challengeResponse !== CODE) fail(`Amplify UI: handleConfirmSignIn got ${JSON.stringify(input)}`);
          return done;
        },
      },
    });
    let machine: unknown;
    const childIn = (service: V4Service, state: string) => service.state.context.actorRef?.getSnapshot().matches(state) === true;
    return {
      id: `${flow}${afterIdle ? '-after-idle' : ''}`,
      layer: 'peer',
      flow,
      label: `Amplify UI authenticator machine (@aws-amplify/ui ${versionOf(peersDir, '@aws-amplify/ui')}, xstate ${versionOf(peersDir, 'xstate')}), instant services${afterIdle ? ', the clock started right after the event loop sat idle' : ''}`,
      async run() {
        const { ui, xstate4 } = await loaded();
        machine ??= machineOf(ui);
        const service = xstate4.interpret(machine).start();
        // Its first getCurrentUser runs before the services are configured (Amplify's own, unconfigured: rejects).
        await reach(service as unknown as Watched, () => childIn(service, 'signIn.edit'));
        if (afterIdle) await idle();
        signIns = confirms = 0;
        const t0 = performance.now();
        service.send({ type: 'SUBMIT', data: { username: USERNAME, password: PASSWORD } });
        if (flow === 'peer-mfa') {
          await reach(service as unknown as Watched, () => childIn(service, 'confirmSignIn.edit'));
          service.send({ type: 'SUBMIT', data: { confirmation_code: CODE } });
        }
        await reach(service as unknown as Watched, (s: { matches(state: string): boolean }) => s.matches('authenticated'));
        const ms = performance.now() - t0;
        if (service.state.context.user?.username !== USERNAME) fail(`${this.id}: authenticated as ${service.state.context.user?.username}`);
        if (signIns !== 1 || confirms !== (flow === 'peer-mfa' ? 1 : 0)) fail(`${this.id}: ${signIns} sign-ins, ${confirms} confirmations`);
        service.stop();
        return ms;
      },
    };
  };
  return [kind('peer-password'), kind('peer-mfa'), kind('peer-password', true)];
}

// ---------------------------------------------------------------- run

interface Stats {
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly p90: number;
  readonly p99: number;
}
function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  const mid = s.length >> 1;
  return { n: s.length, min: s[0]!, median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, p90: at(0.9), p99: at(0.99) };
}
const ms = (v: number): string => (v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));

const flows: Flow[] = ['password', 'srp', 'mfa'];
const kinds: Kind[] = [
  ...flows.map((flow) => chartActorKind(flow)),
  chartActorKind('password', true),
  ...flows.map(chartTransitionsKind),
  ...flows.map((flow) => runtimeKind(flow)),
  runtimeKind('srp', 'free'),
  runtimeKind('password', 'openssl', true),
  ...peerKinds(),
].filter((kind) => options.only === null || kind.id.startsWith(options.only));
if (kinds.length === 0) fail(`no kind's id starts with ${options.only}`);

interface ChildOutput {
  readonly samples: number[];
  /** Per sign-in of the OpenSSL SRP row: ms spent in modexps inside the window, and how many g^e were among them. */
  readonly modexpMs: number[];
  readonly powGCalls: number[];
}

/** In a child process: warm-up, then the measured sign-ins of one kind, the samples as JSON on stdout. */
async function runChild(id: string): Promise<void> {
  const kind = kinds.find((k) => k.id === id) ?? fail(`no kind ${id}`);
  for (let i = 0; i < options.warmup; i++) await kind.run();
  modexp.perSignIn.length = modexp.powGPerSignIn.length = 0;
  const measured: number[] = [];
  for (let i = 0; i < options.rounds; i++) measured.push(await kind.run());
  const output: ChildOutput = { samples: measured, modexpMs: modexp.perSignIn, powGCalls: modexp.powGPerSignIn };
  process.stdout.write(JSON.stringify(output));
}
if (options.child !== null) {
  await runChild(options.child);
  process.exit(0);
}

// Each kind runs in processes of its own, as an app runs one chart: in one process, xstate's code would see every
// kind's machine and the peer's, and each would pay for the others' shapes. Kinds interleave run by run.
const started = performance.now();
const loadAtStart = os.loadavg()[0]!;
const samples = new Map<string, number[]>(kinds.map((k) => [k.id, []]));
const modexpMs: number[] = [];
const powGCalls: number[] = [];
let spawned = 0;
for (let run = 0; run < options.runs; run++) {
  for (let j = 0; j < kinds.length; j++) {
    const kind = kinds[(run + j) % kinds.length]!;
    const elapsed = (performance.now() - started) / 1000;
    const left = spawned > 0 ? ` · about ${Math.ceil((elapsed / spawned) * (options.runs * kinds.length - spawned))} s left` : '';
    progress(`[chart] ${++spawned}/${options.runs * kinds.length}: ${options.warmup} + ${options.rounds} × ${kind.id}${left}`);
    const out = (() => {
      try {
        return execFileSync(
          process.execPath,
          [fileURLToPath(import.meta.url), '--child', kind.id, '--rounds', String(options.rounds), '--warmup', String(options.warmup)],
          { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
        );
      } catch {
        return fail(`the ${kind.id} process failed (its message is above)`);
      }
    })();
    const child = JSON.parse(out) as ChildOutput;
    samples.get(kind.id)!.push(...child.samples);
    modexpMs.push(...child.modexpMs);
    powGCalls.push(...child.powGCalls);
  }
}
progressDone();
const seconds = (performance.now() - started) / 1000;
process.stderr.write(`[chart] ${options.runs} processes × ${kinds.length} kinds × ${options.rounds} sign-ins in ${seconds.toFixed(1)} s\n`);

const statsOf = (kind: Kind) => stats(samples.get(kind.id)!);
const flowName = (kind: Kind) =>
  kind.flow === 'peer-password' ? 'password, no challenge' : kind.flow === 'peer-mfa' ? 'password + TOTP code' : FLOWS[kind.flow];
// The median with one more digit than the table, so that a row at the edge says which side it is on.
const verdict = (kind: Kind) => {
  if (kind.goalMs === undefined) return '—';
  const median = statsOf(kind).median;
  return `${median < kind.goalMs ? 'PASS' : 'FAIL'} (${median.toFixed(4)} ${median < kind.goalMs ? '<' : '≥'} ${kind.goalMs})`;
};
const rowOf = (kind: Kind) => {
  const s = statsOf(kind);
  return [kind.label, flowName(kind), ms(s.min), ms(s.median), ms(s.p90), ms(s.p99), verdict(kind)];
};
const header = ['what runs', 'sign-in', 'min ms:', 'median ms:', 'p90 ms:', 'p99 ms:', 'goal (median)'];
const byLayer = (layer: Kind['layer']) => kinds.filter((k) => k.layer === layer);

if (options.only !== null) {
  console.log(table(header, kinds.map(rowOf)));
  process.exit(0);
}

const peerFor = (flow: Flow) => kinds.find((k) => k.flow === (flow === 'mfa' ? 'peer-mfa' : 'peer-password'));
const sideBySide = flows.map((flow) => {
  const chart = statsOf(kinds.find((k) => k.id === `chart-actor-${flow}`)!);
  const runtime = statsOf(kinds.find((k) => k.id === `runtime-${flow}`)!);
  const peer = peerFor(flow);
  const peerMedian = peer ? statsOf(peer).median : undefined;
  return [
    FLOWS[flow],
    ms(chart.median),
    ms(runtime.median),
    peerMedian === undefined ? '—' : ms(peerMedian),
    peerMedian === undefined ? '—' : `${(peerMedian / chart.median).toFixed(1)}×`,
  ];
});

let commit = '?';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {
  // not a checkout
}
const load = `${loadAtStart.toFixed(2)} at the start, ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')} (1 / 5 / 15 min) at the end`;
const missed = kinds.filter((k) => k.goalMs !== undefined && statsOf(k).median >= k.goalMs).length;

const srpKind = kinds.find((k) => k.id === 'runtime-srp');
const srpNote =
  srpKind && modexpMs.length > 0
    ? `
The SRP row with OpenSSL spends a median ${ms(stats(modexpMs).median)} ms of its ${ms(statsOf(srpKind).median)} ms in modular exponentiations (the SRP bench's
business). ${((100 * powGCalls.filter((n) => n === 1).length) / powGCalls.length).toFixed(0)} % of these sign-ins ran one g^e inside the window, the signature's g^x
(the runtime prepares the next attempt's g^a only once signed out again). The row with the modexp stubbed out is the
rest of the SRP step (hashes, HKDF, HMAC, base64, the PASSWORD_VERIFIER round).`
    : '';

const report = `One sign-in per sample (signIn.submit → signedIn), on an actor / instance made and brought to signedOut before the clock
starts. Each kind ran in ${options.runs} processes of its own (kinds interleaved), ${options.warmup.toLocaleString('en')} warm-up + ${options.rounds.toLocaleString('en')} measured sign-ins each:
${(options.runs * options.rounds).toLocaleString('en')} samples per row. Every sign-in ended in signedIn with the expected user and calls (checked each time). Goals (issue 14): < ${GOAL_CHART_MS} ms the chart, < ${GOAL_RUNTIME_MS} ms the runtime, per
password sign-in with instant actors, judged on the median.

**The chart alone**

${table(header, byLayer('chart').map(rowOf))}

**The whole runtime (createAuth)**

${table(header, byLayer('runtime').map(rowOf))}
${srpNote}

${
  peerAvailable
    ? `**The peer**

${table(header, byLayer('peer').map(rowOf))}

**Side by side (medians, ms)**

${table(['sign-in', 'authchart chart:', 'authchart runtime:', 'Amplify UI machine:', 'Amplify UI ÷ authchart chart:'], sideBySide)}

The Amplify UI machine has one password sign-in (the flow is Amplify signIn's business, inside its service): its
"password, no challenge" row stands beside both authchart password flows, its TOTP row beside the TOTP one.`
    : '_The Amplify UI peer is not installed (bench/peers: `npm run bench` installs it with the bundle bench); no peer rows._'
}`;

console.log(`## Chart speed: a password sign-in with instant actors\n\n${report}\n`);
console.log(`Goals: ${missed === 0 ? 'all met' : `${missed} row(s) missed`}. Load average ${load}; commit ${commit}.`);

if (options.docs) {
  const file = writeDocsSection(
    root,
    'chart-bench',
    `### Results on this machine

Generated by \`node dist/bench/chart.bench.js\` (part of \`npm run bench\`) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit}, on
${machineDescription()}; load average ${load}; xstate ${versionOf(resolve(root, 'node_modules'), 'xstate')}.

${report}`,
  );
  process.stderr.write(`[chart] wrote the results into ${file}\n`);
}
