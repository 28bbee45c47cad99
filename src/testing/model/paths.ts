// Path generation with xstate/graph: shortest paths to every model state, paths for the transitions and alphabet
// events those miss, and named loop scenarios.
import { initialTransition, transition, type AnyTransitionDefinition } from 'xstate';
import { getAdjacencyMap, getShortestPaths, getSimplePaths, joinPaths } from 'xstate/graph';
import { authMachine, type AuthMachine } from '../../../machines/auth.machine.js';
import type { AuthEvent } from '../../../machines/auth.types.js';
import { parseEvent } from '../synthetic-events.js';
import { labelOf, modelEvents, serializeEvent, serializeModelState } from './alphabet.js';
import { transitionsTaken } from './coverage.js';
import { describeEvent } from './describe.js';
import type { ModelEvent, ModelPath, ModelSnapshot, ModelStep, PathKind } from './types.js';
import { ERRORS } from './values.js';

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
