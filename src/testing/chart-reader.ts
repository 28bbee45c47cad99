// Reads a statechart's structure through XState's public StateNode API: every state node (id, path,
// description, meta, tags), its transitions (kind, guard, targets), the actors it invokes, the delays it arms
// and the user events it takes. `npm run visualize` (scripts/visualize-lib.ts) draws what this returns, and the
// model (src/testing/model/) builds its alphabet and its coverage from it; neither reads the machine itself.
// XState's own event types are told apart by ./synthetic-events.ts, the only file that spells them.
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition, StateValue } from 'xstate';
import { afterEventsOf, classifyEventType, type AfterEvent } from './synthetic-events.js';

export type TransitionKind = 'event' | 'done' | 'error' | 'after' | 'always' | 'stateDone';

export interface ChartInvoke {
  readonly id: string;
  /** The actor's name in setup({ actors }) (the invoke id when the logic is given inline). */
  readonly src: string;
  /** The invoke's `input` when it is a literal object (e.g. `{ authFlow: 'REFRESH_TOKEN_AUTH' }`), not a function. */
  readonly staticInput: Readonly<Record<string, unknown>> | undefined;
}

/** An `after` timer a state node arms. */
export interface ChartDelay {
  /** As configured: milliseconds, or the name of a delay in setup({ delays }). */
  readonly delay: unknown;
  /** The delay as the event type names it (`challengeSession`, `500`). */
  readonly ref: string;
  /** The event XState schedules for it. */
  readonly event: AfterEvent;
}

export interface ChartTransition {
  readonly sourceId: string;
  /** Empty for a targetless transition (actions only, the state stays). */
  readonly targetIds: readonly string[];
  readonly kind: TransitionKind;
  /** The event type as xstate names it (`''` for eventless transitions). */
  readonly eventType: string;
  /** Its position among the branches for the same event (guarded branches are tried in order). */
  readonly branch: number;
  /** The guard as text (guardLabel), null when unguarded. */
  readonly guard: string | null;
  /** Short label: `signIn.submit`, `done: initiateAuth`, `after: challengeSession`, `always [stepIs: DONE]`. */
  readonly label: string;
  /** No target, no actions (`on: { X: undefined }`): the event is blocked here, ancestors do not get it. */
  readonly forbidden: boolean;
  /** XState's own definition (what the inspection API reports when the transition is taken). */
  readonly definition: AnyTransitionDefinition;
}

export interface ChartState {
  readonly id: string;
  readonly key: string;
  /** Dotted path below the root, as snapshot.matches() takes it ('' for the root). */
  readonly path: string;
  readonly depth: number;
  readonly type: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly meta: unknown;
  readonly parentId: string | null;
  readonly childIds: readonly string[];
  readonly initialId: string | null;
  readonly invokes: readonly ChartInvoke[];
  readonly transitions: readonly ChartTransition[];
  readonly delays: readonly ChartDelay[];
  /** The user event types this node itself takes (a transition that is not forbidden here), in document order. */
  readonly userEvents: readonly string[];
  readonly node: AnyStateNode;
}

export interface Chart {
  readonly rootId: string;
  /** Every state node, document order (a parent before its children). */
  readonly states: readonly ChartState[];
  readonly byId: ReadonlyMap<string, ChartState>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `a`, `a|b` for literal scalars and arrays of them; null for anything else (functions, objects). */
function literal(value: unknown): string | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
    return value.join('|');
  }
  return null;
}

/** `step: DONE` / `DONE` for literal params; null when params are computed (a function) or absent. */
export function literalParams(params: unknown): string | null {
  if (!isRecord(params)) return null;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    const text = literal(value);
    if (text !== null) parts.push(Object.keys(params).length === 1 ? text : `${key} ${text}`);
  }
  return parts.length > 0 ? parts.join(', ') : null;
}

/** A guard as text: `stepIs: DONE`, `isCredentialInput`, `a && !b`. */
export function guardLabel(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (isRecord(guard) && typeof guard['type'] === 'string') {
    const params = literalParams(guard['params']);
    return params === null ? guard['type'] : `${guard['type']}: ${params}`;
  }
  if (typeof guard === 'function') {
    // and() / or() / not() / stateIn() from xstate are functions with a type and their operands.
    const fn = guard as { type?: unknown; guards?: unknown; stateValue?: unknown; name?: string };
    const operands = Array.isArray(fn.guards) ? fn.guards.map((g) => guardLabel(g) ?? 'inline') : [];
    if (fn.type === 'xstate.and') return operands.join(' && ');
    if (fn.type === 'xstate.or') return operands.join(' || ');
    if (fn.type === 'xstate.not') return `!${operands[0] ?? 'inline'}`;
    if (fn.type === 'xstate.stateIn') return `in ${JSON.stringify(fn.stateValue)}`;
    return fn.name && fn.name !== 'guard' ? fn.name : 'inline guard';
  }
  return 'guard';
}

const delayText = (delay: unknown) => (typeof delay === 'number' ? `${delay}ms` : typeof delay === 'string' ? delay : 'delay');

function classify(eventType: string, delays: readonly ChartDelay[]): { kind: TransitionKind; label: string } {
  const event = classifyEventType(eventType);
  switch (event.kind) {
    case 'done':
    case 'error':
      return { kind: event.kind, label: `${event.kind}: ${event.invokeId}` };
    case 'stateDone':
      return { kind: 'stateDone', label: 'done' };
    case 'after':
      return { kind: 'after', label: `after: ${delayText(delays.find((d) => d.event.type === eventType)?.delay)}` };
    default:
      return { kind: 'event', label: eventType };
  }
}

function transitionsOf(node: AnyStateNode, delays: readonly ChartDelay[]): ChartTransition[] {
  const result: ChartTransition[] = [];
  const add = (eventType: string, definitions: readonly AnyTransitionDefinition[], always: boolean) => {
    const { kind, label } = always ? { kind: 'always' as const, label: 'always' } : classify(eventType, delays);
    definitions.forEach((definition, branch) => {
      const guard = guardLabel(definition.guard);
      // An unguarded branch after guarded ones is taken only when they all fail.
      const suffix = guard !== null ? ` [${guard}]` : branch > 0 ? ' [else]' : '';
      result.push({
        sourceId: node.id,
        targetIds: (definition.target ?? []).map((t) => t.id),
        kind,
        eventType: always ? '' : eventType,
        branch,
        guard,
        label: label + suffix,
        forbidden: !definition.target?.length && !definition.actions?.length && !definition.reenter,
        definition,
      });
    });
  };
  for (const [eventType, definitions] of node.transitions) add(eventType, definitions, false);
  if (node.always) add('', node.always, true);
  return result;
}

function invokesOf(node: AnyStateNode): ChartInvoke[] {
  return node.invoke.map((invoke) => ({
    id: invoke.id,
    src: typeof invoke.src === 'string' ? invoke.src : invoke.id,
    staticInput: typeof invoke.input === 'object' && invoke.input !== null ? (invoke.input as Record<string, unknown>) : undefined,
  }));
}

function delaysOf(node: AnyStateNode): ChartDelay[] {
  return afterEventsOf(node).map(({ delay, event }, i) => ({ delay: node.after[i]?.delay, ref: delay, event }));
}

function userEventsOf(transitions: readonly ChartTransition[]): string[] {
  const events: string[] = [];
  for (const t of transitions) {
    if (t.kind === 'event' && !t.forbidden && classifyEventType(t.eventType).kind === 'user' && !events.includes(t.eventType)) events.push(t.eventType);
  }
  return events;
}

const charts = new WeakMap<AnyStateMachine, Chart>();

/** Reads the whole chart from a machine (document order, a parent before its children). Cached per machine. */
export function readChart(machine: AnyStateMachine): Chart {
  const cached = charts.get(machine);
  if (cached) return cached;
  const states: ChartState[] = [];
  const walk = (node: AnyStateNode, parent: AnyStateNode | null) => {
    const children = Object.values(node.states);
    const initial = node.initial?.target?.[0];
    const delays = delaysOf(node);
    const transitions = transitionsOf(node, delays);
    states.push({
      id: node.id,
      key: node.key,
      path: node.path.join('.'),
      depth: node.path.length,
      type: node.type,
      description: node.description ?? '',
      tags: [...node.tags],
      meta: node.meta,
      parentId: parent ? parent.id : null,
      childIds: children.map((c) => c.id),
      initialId: node.type === 'compound' && initial ? initial.id : null,
      invokes: invokesOf(node),
      transitions,
      delays,
      userEvents: userEventsOf(transitions),
      node,
    });
    for (const child of children) walk(child, node);
  };
  const root = machine.root as AnyStateNode;
  walk(root, null);
  const chart: Chart = { rootId: root.id, states, byId: new Map(states.map((s) => [s.id, s])) };
  charts.set(machine, chart);
  return chart;
}

/** The state and its ancestors, innermost first. */
export function lineage(chart: Chart, state: ChartState): ChartState[] {
  const result: ChartState[] = [];
  for (let s: ChartState | undefined = state; s; s = s.parentId === null ? undefined : chart.byId.get(s.parentId)) result.push(s);
  return result;
}

/** Event types a UI can send in this state: transitions of the state and its ancestors, none of XState's own. */
export function acceptedEvents(chart: Chart, state: ChartState): string[] {
  const events: string[] = [];
  const seen = new Set<string>();
  for (const s of lineage(chart, state)) {
    for (const t of s.transitions) {
      if (t.kind !== 'event' || classifyEventType(t.eventType).kind !== 'user' || seen.has(t.eventType)) continue;
      // The innermost state that names the event decides; a forbidden transition there blocks it.
      const own = s.transitions.filter((o) => o.eventType === t.eventType);
      seen.add(t.eventType);
      if (own.some((o) => !o.forbidden)) events.push(t.eventType);
    }
  }
  return events;
}

/**
 * Whether the state node at `path` is active in a state value: a string value is a leaf key, an object value's
 * keys are the active children (all regions of a parallel state are keys of one object).
 */
function isActive(value: StateValue, path: readonly string[]): boolean {
  let rest: StateValue | undefined = value;
  for (const key of path) {
    if (rest === undefined) return false;
    if (typeof rest === 'string') {
      if (rest !== key) return false;
      rest = undefined;
    } else {
      if (!Object.prototype.hasOwnProperty.call(rest, key)) return false;
      rest = rest[key];
    }
  }
  return true;
}

/** The state nodes active in a snapshot (the root included), in document order; read from its value. */
export function activeStates(snapshot: { readonly machine: AnyStateMachine; readonly value: StateValue }): ChartState[] {
  return readChart(snapshot.machine).states.filter((state) => isActive(snapshot.value, state.node.path));
}
