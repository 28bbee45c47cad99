// The one way the promise API talks to the chart: send an event, wait until the chart next waits for the user,
// and throw the error that event caused (as Amplify's). No flow logic here: the chart decides what happens.
import { waitFor, type SnapshotFrom } from 'xstate';
import type { AuthMachine } from '../../machines/auth.machine.js';
import type { AuthEvent } from '../../machines/auth.types.js';
import type { Auth } from '../runtime/create-auth.js';
import { isResting, sendAndSettle, type AuthView } from '../view.js';
import { withCallMetadata, type MetadataByOperation } from './call-metadata.js';
import { currentAuth } from './configure.js';
import { toAmplifyError, USER_UNAUTHENTICATED } from './errors.js';

export type Snapshot = SnapshotFrom<AuthMachine>;

/** The configured auth, once the chart has finished looking at the stored session (and any other call's request). */
export async function settled(): Promise<Auth> {
  const auth = currentAuth();
  await waitFor(auth.actor, isResting);
  return auth;
}

/** Sends `event`, resolves with the resting view; rejects with the Amplify error when the event caused one. */
export async function run(auth: Auth, event: AuthEvent): Promise<AuthView> {
  const before = auth.actor.getSnapshot().context.error;
  const view = await sendAndSettle(auth.actor, event);
  const error = auth.actor.getSnapshot().context.error;
  if (error && error !== before) throw toAmplifyError(error);
  return view;
}

/**
 * For the signed-in user's operations: waits while another account operation of this user runs (Amplify lets
 * callers run them side by side; the chart takes one at a time), then runs `event` — with this call's ClientMetadata
 * from then on only, so a call still waiting does not lend its metadata to the one running.
 */
export function runSignedIn(event: AuthEvent, metadata: MetadataByOperation = {}): Promise<AuthView> {
  // One at a time, in call order: two callers woken by the same snapshot would otherwise both send, and the chart,
  // busy with the first, would drop the second.
  const turn = signedInTurns.then(() => runWhenSignedInRests(event, metadata));
  signedInTurns = turn.catch(() => undefined);
  return turn;
}

let signedInTurns: Promise<unknown> = Promise.resolve();

async function runWhenSignedInRests(event: AuthEvent, metadata: MetadataByOperation): Promise<AuthView> {
  const auth = await settled();
  const ready = await waitFor(auth.actor, (s) => !s.matches('signedIn') || (isResting(s) && s.can(event)));
  if (!ready.matches('signedIn')) throw USER_UNAUTHENTICATED();
  return withCallMetadata(metadata, () => run(auth, event));
}

/** Leaves an unfinished flow (or an expired / failed one) so a new one can start, as a new Amplify call would. */
export async function leaveUnfinishedFlow(auth: Auth): Promise<void> {
  const snapshot = auth.actor.getSnapshot();
  if (snapshot.matches('sessionExpired') || snapshot.matches('failed')) await sendAndSettle(auth.actor, { type: 'flow.restart' });
  else if (snapshot.matches('signingIn') || snapshot.matches('signingUp') || snapshot.matches('resettingPassword')) {
    await sendAndSettle(auth.actor, { type: 'flow.cancel' });
  }
}
