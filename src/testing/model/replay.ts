// Replaying a path against a running chart: each step's state and the view invariants, checked after every step.
import type { AuthEvent } from '../../../machines/auth.types.js';
import type { Auth } from '../../runtime/create-auth.js';
import { selectView } from '../../view.js';
import { parseEvent } from '../synthetic-events.js';
import { activeInvokes, serializeModelState } from './alphabet.js';
import { describeEvent, describePath, stateName } from './describe.js';
import type { ModelPath, ModelSnapshot } from './types.js';

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
    const inFlight = activeInvokes(snapshot).some((site) => !site.node.tags.includes('refreshing') && !site.node.tags.includes('background'));
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
    // a custom challenge's answer and a hosted-UI callback (it carries the code) are secrets like a code
    for (const key of ['password', 'newPassword', 'code', 'answer', 'url'] as const) {
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
