// authchart/testing: what you need to model-test a UI of your own against the sign-in chart — the scripted fake
// Cognito port, the generated paths, their replay (on the fake port, or on a harness of yours), their description
// and their coverage. The catalogues the model is built from (values, actor outcomes, user event payloads, loop
// scenarios) stay internal: this repository's tests import them from ./model/index.ts.
export { createFakePort, cognitoError, fakeTokens, type FakePort, type FakeScript, type FakeReply, type FakeCall } from './fake-port.js';
export { createFakePasskeys, type FakePasskeys, type FakePasskeyScript, type FakePasskeyReply } from './fake-passkeys.js';
export { createFakeHostedUi, type FakeHostedUi, type FakeHostedUiScript, type FakeHostedUiReply } from './fake-hosted-ui.js';
export {
  // Paths
  modelPaths,
  generateModel,
  shortestPaths,
  transitionPaths,
  loopPaths,
  deduplicate,
  normalizePath,
  modelEvents,
  serializeModelState,
  // Replay
  replayOnFakePort,
  replayPath,
  replaySignature,
  scriptFromPath,
  planPath,
  // Describing paths
  describePath,
  describeEvent,
  stateName,
  // Coverage
  coverageOf,
  modelReport,
  formatReport,
  type ModelSnapshot,
  type ModelEvent,
  type ModelStep,
  type ModelPath,
  type PathKind,
  type ModelOptions,
  type ModelPathsOptions,
  type GeneratedModel,
  type LoopScenario,
  type ReplayHarness,
  type ReplayOptions,
  type FakeReplayOptions,
  type ReplayResult,
  type Violation,
  type PathPlan,
  type PlannedCall,
  type Outcome,
  type StorageSetup,
  type Coverage,
  type ModelTransition,
  type ModelReport,
} from './model/index.js';
export { parseEvent, type SyntheticEvent, type ActorDoneEvent, type ActorErrorEvent, type AfterEvent, type ParsedEvent } from './synthetic-events.js';
