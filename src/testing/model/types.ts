// The model's vocabulary: its snapshots, events (the chart's own plus actor outcomes and timers) and paths.
import type { SnapshotFrom } from 'xstate';
import type { AuthMachine } from '../../../machines/auth.machine.js';
import type { AuthEvent } from '../../../machines/auth.types.js';
import type { SyntheticEvent } from '../synthetic-events.js';

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
