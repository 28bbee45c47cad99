// The only place that spells XState v5's internal event types. Model-based tests feed actor outcomes and
// timers to the chart as these events; XState v6 renames them, and then only this file changes.
import type { AnyStateNode } from 'xstate';

/** An invoked actor resolved: `{ type: 'xstate.done.actor.<invokeId>', output }`. */
export interface ActorDoneEvent<Output = unknown> {
  readonly type: `xstate.done.actor.${string}`;
  readonly output: Output;
}

/** An invoked actor rejected: `{ type: 'xstate.error.actor.<invokeId>', error }`. */
export interface ActorErrorEvent<E = unknown> {
  readonly type: `xstate.error.actor.${string}`;
  readonly error: E;
}

/** A delayed (`after`) transition fired: `xstate.after.<delay>.<stateNodeId>`. */
export interface AfterEvent {
  readonly type: `xstate.after.${string}`;
}

export type SyntheticEvent = ActorDoneEvent | ActorErrorEvent | AfterEvent;

const DONE = 'xstate.done.actor.';
const ERROR = 'xstate.error.actor.';
const AFTER = 'xstate.after.';
const STATE_DONE = 'xstate.done.state.';
const XSTATE = 'xstate.';

export const actorDone = <Output>(invokeId: string, output: Output): ActorDoneEvent<Output> => ({ type: `${DONE}${invokeId}`, output });

export const actorError = <E>(invokeId: string, error: E): ActorErrorEvent<E> => ({ type: `${ERROR}${invokeId}`, error });

/**
 * The `after` events a state node listens to, read from the node (so a new delay or state is picked up):
 * the delay reference (e.g. `challengeSession`) and the event type XState schedules for it.
 */
export function afterEventsOf(node: AnyStateNode): Array<{ readonly delay: string; readonly event: AfterEvent }> {
  return node.after.map((transition) => {
    const type = transition.eventType;
    const delay = type.slice(AFTER.length, type.length - node.id.length - 1);
    return { delay, event: { type: type as AfterEvent['type'] } };
  });
}

export type ParsedEvent =
  | { readonly kind: 'done'; readonly invokeId: string; readonly output: unknown }
  | { readonly kind: 'error'; readonly invokeId: string; readonly error: unknown }
  | { readonly kind: 'after'; readonly delay: string; readonly stateId: string }
  | { readonly kind: 'user'; readonly type: string };

/**
 * What an event of a path stands for. `stateIds` are the machine's state node ids, to split
 * `xstate.after.<delay>.<stateNodeId>` (both parts may contain dots).
 */
export function parseEvent(event: { readonly type: string } & Record<string, unknown>, stateIds?: Iterable<string>): ParsedEvent {
  const { type } = event;
  if (type.startsWith(DONE)) return { kind: 'done', invokeId: type.slice(DONE.length), output: event['output'] };
  if (type.startsWith(ERROR)) return { kind: 'error', invokeId: type.slice(ERROR.length), error: event['error'] };
  if (type.startsWith(AFTER)) {
    const rest = type.slice(AFTER.length);
    for (const id of stateIds ?? []) {
      if (rest.endsWith(`.${id}`)) return { kind: 'after', delay: rest.slice(0, rest.length - id.length - 1), stateId: id };
    }
    const dot = rest.indexOf('.');
    return { kind: 'after', delay: dot < 0 ? rest : rest.slice(0, dot), stateId: dot < 0 ? '' : rest.slice(dot + 1) };
  }
  return { kind: 'user', type };
}

/** True for events the runtime produces itself (actor outcomes, timers), false for what a user sends. */
export const isSyntheticEventType = (type: string): boolean => type.startsWith(DONE) || type.startsWith(ERROR) || type.startsWith(AFTER);

/**
 * What an event type a state node listens to names: an invoked actor's outcome (`done` / `error`, with the
 * invoke id), an `after` timer, a compound state reaching its final state (`stateDone`), another event of
 * XState's own (`xstate`), or an event a user sends (`user`).
 */
export type EventTypeClass =
  | { readonly kind: 'done' | 'error'; readonly invokeId: string }
  | { readonly kind: 'after' }
  | { readonly kind: 'stateDone' }
  | { readonly kind: 'xstate' }
  | { readonly kind: 'user' };

export function classifyEventType(type: string): EventTypeClass {
  if (type.startsWith(DONE)) return { kind: 'done', invokeId: type.slice(DONE.length) };
  if (type.startsWith(ERROR)) return { kind: 'error', invokeId: type.slice(ERROR.length) };
  if (type.startsWith(AFTER)) return { kind: 'after' };
  if (type.startsWith(STATE_DONE)) return { kind: 'stateDone' };
  if (type.startsWith(XSTATE)) return { kind: 'xstate' };
  return { kind: 'user' };
}
