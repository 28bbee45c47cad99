// The machine's state nodes and transitions (read by ../chart-reader.ts), the transitions a step takes, and which
// of them a set of paths covers.
import { createActor, type AnyStateNode, type AnyTransitionDefinition } from 'xstate';
import { authMachine, type AuthMachine } from '../../../machines/auth.machine.js';
import type { AuthEvent } from '../../../machines/auth.types.js';
import { activeStates, readChart } from '../chart-reader.js';
import type { ModelEvent, ModelPath, ModelSnapshot } from './types.js';

/** Every state node of the machine, document order. */
export function allStateNodes(machine: AuthMachine = authMachine): AnyStateNode[] {
  return readChart(machine).states.map((state) => state.node);
}

export interface ModelTransition {
  /** `<source>: <event> #<branch>` — unique. */
  readonly key: string;
  /** Human-readable: source, event, guard and target. */
  readonly label: string;
  readonly source: string;
  readonly definition: AnyTransitionDefinition;
}

/** Every transition of the machine: on, always, after, invoke onDone/onError; one entry per guarded branch. */
export function allTransitions(machine: AuthMachine = authMachine): ModelTransition[] {
  return readChart(machine).states.flatMap((state) =>
    state.transitions.map((t) => {
      const eventType = t.kind === 'always' ? 'always' : t.eventType;
      const targets = t.targetIds.length > 0 ? t.targetIds.join(', ') : '(no target)';
      return {
        key: `${t.sourceId}: ${eventType} #${t.branch}`,
        label: `${t.sourceId}: ${eventType}${t.guard === null ? '' : ` [${t.guard}]`} → ${targets}`,
        source: t.sourceId,
        definition: t.definition,
      };
    }),
  );
}

/**
 * The transitions (including eventless ones) the machine takes for `event` in `snapshot`, observed through
 * XState's inspection API (microstep events list the transitions they took).
 *
 * This calls `machine.transition(snapshot, event, scope)` with an actor scope made here, because the public
 * `transition()` / `initialTransition()` / `getMicrosteps()` from 'xstate' cannot report them: each builds its own
 * inert scope on a fresh actor system that no inspector can be attached to, and returns snapshots and actions only.
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
      for (const state of activeStates(step.state)) reachedNodes.add(state.id);
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
