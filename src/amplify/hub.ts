// A Hub with Amplify's listen/dispatch shape; the 'auth' channel is fed from the chart's snapshots.
import type { SnapshotFrom } from 'xstate';
import type { AuthMachine } from '../../machines/auth.machine.js';
import type { Auth } from '../runtime/create-auth.js';
import { toAmplifyError } from './errors.js';
import { amplifyUser } from './outputs.js';

export interface HubPayload<Event extends string = string, Data = unknown> {
  readonly event: Event;
  readonly data?: Data;
  readonly message?: string;
}

export interface HubCapsule<Channel extends string = string, Payload extends HubPayload = HubPayload> {
  readonly channel: Channel;
  readonly payload: Payload;
  readonly source?: string;
}

export type AuthHubEvent =
  | 'signedIn'
  | 'signedOut'
  | 'tokenRefresh'
  | 'tokenRefresh_failure'
  | 'signInWithRedirect'
  | 'signInWithRedirect_failure'
  | 'customOAuthState';

type Listener = (capsule: HubCapsule) => void;

class HubClass {
  readonly #listeners = new Map<string, Set<Listener>>();

  /** Calls `callback` for every dispatch on `channel`; returns the function that stops listening. */
  listen<Channel extends string>(channel: Channel, callback: (capsule: HubCapsule<Channel, HubPayload<Channel extends 'auth' ? AuthHubEvent : string>>) => void): () => void {
    const set = this.#listeners.get(channel) ?? new Set<Listener>();
    this.#listeners.set(channel, set);
    const listener = callback as Listener;
    set.add(listener);
    return () => set.delete(listener);
  }

  dispatch(channel: string, payload: HubPayload, source?: string): void {
    const capsule: HubCapsule = { channel, payload, ...(source ? { source } : {}) };
    for (const listener of [...(this.#listeners.get(channel) ?? [])]) {
      try {
        listener(capsule);
      } catch {
        // one listener's bug does not stop the others (Amplify logs and goes on, too)
      }
    }
  }
}

export const Hub = new HubClass();

type Snapshot = SnapshotFrom<AuthMachine>;

/** The Hub events one snapshot change means. */
export function hubEvents(previous: Snapshot, next: Snapshot): HubPayload<AuthHubEvent>[] {
  const wasIn = previous.matches('signedIn');
  const isIn = next.matches('signedIn');
  const events: HubPayload<AuthHubEvent>[] = [];
  const fromRedirect = previous.matches({ checkingSession: 'exchangingCode' });
  if (fromRedirect && !next.matches('checkingSession')) {
    if (isIn && next.context.redirectState) events.push({ event: 'customOAuthState', data: next.context.redirectState });
    events.push(isIn ? { event: 'signInWithRedirect' } : { event: 'signInWithRedirect_failure', data: next.context.error ? { error: toAmplifyError(next.context.error) } : {} });
  }
  // A session restored at start is not a sign-in (Amplify says nothing then either); a redirect's callback is.
  if (!wasIn && isIn && (fromRedirect || !previous.matches('checkingSession')) && next.context.user) {
    events.push({ event: 'signedIn', data: amplifyUser(next.context.user) });
  }
  if (previous.hasTag('refreshing') && !next.hasTag('refreshing') && wasIn) {
    const failed = next.context.error && next.context.error !== previous.context.error;
    events.push(failed ? { event: 'tokenRefresh_failure', data: { error: toAmplifyError(next.context.error!) } } : { event: 'tokenRefresh' });
  }
  if ((wasIn || previous.matches('signingOut')) && next.matches('signedOut')) events.push({ event: 'signedOut' });
  return events;
}

/** Dispatches the chart's sign-ins, sign-outs and refreshes on the 'auth' channel; returns the unsubscribe. */
export function followHub(auth: Auth): () => void {
  let previous = auth.actor.getSnapshot();
  const subscription = auth.actor.subscribe((next) => {
    const events = hubEvents(previous, next);
    previous = next;
    for (const payload of events) Hub.dispatch('auth', payload, 'Auth');
  });
  return () => subscription.unsubscribe();
}
