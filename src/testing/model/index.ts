// Model-based testing of the sign-in chart with xstate/graph.
//
// createTestModel() rejects machines with `invoke` and `after`, so the chart is traversed with the lower-level
// getShortestPaths / getSimplePaths, and everything the runtime does on its own (actor outcomes, timers) is fed to
// it as explicit synthetic events (spelled in ../synthetic-events.ts only). The alphabet is read off the machine's
// state nodes (through ../chart-reader.ts): the user events a state accepts, the actors it invokes and the delays it
// arms, so a new state is picked up without touching these files. What each actor can answer is a small explicit
// catalogue per actor.
//
// A generated path is then replayed against the real runtime (createAuth + the scripted fake Cognito port):
// every synthetic outcome is turned back into the Cognito answer, exception or storage condition that makes the
// runtime produce it, the user events are sent, and each step is checked against the model.
//
//   types.ts        ModelSnapshot, ModelEvent, ModelPath ...
//   values.ts       the values the model uses (MODEL), one SignInResult per step (RESULTS), one error per category
//   outcomes.ts     what each invoked actor can answer (ACTOR_OUTCOMES)
//   user-events.ts  representative user event payloads (USER_EVENTS)
//   alphabet.ts     the events offered in a snapshot, and the model state
//   coverage.ts     the machine's state nodes and transitions, the transitions a step takes, coverage
//   paths.ts        shortest, transition and loop paths
//   report.ts       path counts and coverage, as data and as text
//   describe.ts     one line per path
//   plan.ts         from a path to the fake port's script and the stores' conditions
//   replay.ts       replaying a path against a running chart (any harness)
//   fake-replay.ts  replaying a path on createAuth() with the fake port
//
// Everything is exported here for the repository's own tests; the public subset is ../index.ts (authchart/testing).
export type { ModelSnapshot, ModelEvent, ModelStep, PathKind, ModelPath } from './types.js';
export { MODEL, RESULTS, ERRORS, type ResultName } from './values.js';
export { ACTOR_OUTCOMES, type InvokeSite, type ActorOutcomes } from './outcomes.js';
export { USER_EVENTS } from './user-events.js';
export { activeInvokes, outcomesAt, modelEvents, serializeModelState } from './alphabet.js';
export { allStateNodes, allTransitions, transitionsTaken, coverageOf, type ModelTransition, type Coverage } from './coverage.js';
export {
  normalizePath,
  shortestPaths,
  transitionPaths,
  LOOP_SCENARIOS,
  loopPaths,
  deduplicate,
  generateModel,
  modelPaths,
  type ModelOptions,
  type LoopScenario,
  type ModelPathsOptions,
  type GeneratedModel,
} from './paths.js';
export { modelReport, formatReport, type ModelReport } from './report.js';
export { stateName, describeEvent, describePath } from './describe.js';
export { planPath, scriptFromPath, type StorageSetup, type Outcome, type PlannedCall, type PathPlan } from './plan.js';
export { replaySignature, replayPath, type Violation, type ReplayHarness, type ReplayOptions } from './replay.js';
export { rememberModelDevice, replayOnFakePort, type FakeReplayOptions, type ReplayResult } from './fake-replay.js';
