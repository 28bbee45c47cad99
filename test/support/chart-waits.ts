// Waiting on a createAuth() chart in integration tests: until a condition holds (saying where the chart is when it
// does not), until it rests (nothing in flight), and its view now.
import { waitFor, type SnapshotFrom } from 'xstate';
import { selectView, type Auth, type AuthMachine } from '../../src/index.node.js';

export type Snap = SnapshotFrom<AuthMachine>;

export const until = (auth: Auth, predicate: (s: Snap) => boolean, timeout = 15_000): Promise<Snap> =>
  waitFor(auth.actor, predicate, { timeout }).catch((error: unknown) => {
    const s = auth.actor.getSnapshot();
    throw new Error(`${String(error)}; the chart is at ${JSON.stringify(s.value)} with error ${JSON.stringify(s.context.error)}`);
  });

/** Nothing in flight: not busy, not checking the session, not refreshing. */
export const rest = (auth: Auth): Promise<Snap> => until(auth, (s) => !s.hasTag('busy') && !s.matches('checkingSession') && !s.hasTag('refreshing'));

export const view = (auth: Auth) => selectView(auth.actor.getSnapshot());
