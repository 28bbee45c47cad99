// The alphabet: the events the model offers in a snapshot, read off its active state nodes (the user events they
// accept, the actors they invoke, the delays they arm), and what makes two snapshots the same model state.
import type { AuthEvent } from '../../../machines/auth.types.js';
import { AuthError } from '../../cognito/errors.js';
import { activeStates } from '../chart-reader.js';
import { actorDone, actorError } from '../synthetic-events.js';
import { ACTOR_OUTCOMES, type ActorOutcomes, type InvokeSite } from './outcomes.js';
import type { ModelEvent, ModelSnapshot } from './types.js';
import { USER_EVENTS } from './user-events.js';

/** Labels for describePath, kept beside the events (events stay plain objects). */
const labels = new WeakMap<object, string>();
export function labelled<E extends object>(label: string, event: E): E {
  labels.set(event, label);
  return event;
}
export const labelOf = (event: object): string | undefined => labels.get(event);

/** Every invoke active in a snapshot, with where it is invoked. */
export function activeInvokes(snapshot: ModelSnapshot): InvokeSite[] {
  return activeStates(snapshot).flatMap((state) =>
    state.invokes.map((invoke) => ({ snapshot, node: state.node, invokeId: invoke.id, src: invoke.src, staticInput: invoke.staticInput })),
  );
}

/** The outcome catalogue entry for a site; throws for an actor nobody modelled. */
export function outcomesAt(site: InvokeSite): ActorOutcomes {
  const catalogue = ACTOR_OUTCOMES[site.src];
  if (!catalogue) throw new Error(`model: no outcome catalogue for actor "${site.src}" (invoked as "${site.invokeId}" in ${site.node.id}); add it to ACTOR_OUTCOMES`);
  return catalogue(site);
}

/**
 * The events the model offers in a snapshot: the user events its state nodes accept (with representative
 * payloads), the outcomes of the actors it invokes, and its `after` timers; only those the snapshot can take.
 */
export function modelEvents(snapshot: ModelSnapshot): ModelEvent[] {
  const states = activeStates(snapshot);
  const offered: ModelEvent[] = [];
  // signedIn's regions run side by side; the model keeps them one request at a time (as the chart was before it
  // was parallel), so paths stay replayable in order. Their concurrency has its own tests (test/machine/signIn.test.ts).
  // Likewise, with stale tokens (waitingToRetry) only the tokens are dealt with: an account call would refresh first.
  const oneAtATime = snapshot.matches('signedIn') && activeInvokes(snapshot).length > 0;
  const tokensOnly = snapshot.matches({ signedIn: { tokens: 'waitingToRetry' } });
  const userTypes = [...new Set(states.flatMap((state) => state.userEvents))]
    .filter((type) => !oneAtATime || type === 'session.signOut' || type === 'flow.cancel')
    .filter((type) => !tokensOnly || type === 'session.signOut' || type === 'session.refresh');
  for (const type of userTypes) {
    const variants = (USER_EVENTS[type as AuthEvent['type']] as ((s: ModelSnapshot) => ReadonlyArray<readonly [string, AuthEvent]>) | undefined)?.(snapshot);
    if (variants) for (const [label, event] of variants) offered.push(labelled(label, event));
    else offered.push({ type } as AuthEvent);
  }
  for (const site of activeInvokes(snapshot)) {
    const { outputs, errors } = outcomesAt(site);
    for (const [label, output] of outputs) offered.push(labelled(label, actorDone(site.invokeId, output)));
    for (const code of errors) offered.push(labelled(code, actorError(site.invokeId, new AuthError(code, `model: ${code}`))));
  }
  for (const state of states) for (const { ref, event } of state.delays) offered.push(labelled(ref, event));
  return offered.filter((event) => snapshot.can(event as AuthEvent));
}

/**
 * A state for the traversal: its value, the error's category (hasErrorIn), and during a sign-in the context the
 * routing guards and the actor catalogues read (step, offered MFA types, missing attributes, whether the
 * attempt's secrets are kept). Everything else (times, names, the TOTP secret, the step that led to signedIn)
 * is left out, so the state space stays finite and signedIn is one region however it was reached.
 */
export function serializeModelState(snapshot: ModelSnapshot): string {
  const c = snapshot.context;
  const inFlow = snapshot.matches('signingIn') || snapshot.matches('signingUp') || snapshot.matches('resettingPassword');
  const flow = inFlow
    ? {
        step: c.step,
        mfa: c.allowedMfaTypes,
        missing: c.newPassword?.missingAttributes ?? null,
        secretRef: c.secretRef !== null,
        delivery: c.codeDelivery !== null,
        autoSignIn: c.autoSignIn,
        session: c.session !== null,
        flowName: c.authFlow === 'USER_AUTH' || c.authFlow === 'CUSTOM_WITHOUT_SRP' || c.authFlow === 'CUSTOM_WITH_SRP' ? c.authFlow : 'password',
        firstFactor: c.firstFactor,
        autofill: c.autofill,
        factors: c.availableFactors,
      }
    : snapshot.matches('signedIn')
      ? { passkeysListed: c.passkeys !== null }
      : {};
  return JSON.stringify({ value: snapshot.value, ...flow, error: c.error?.category ?? null });
}

export const serializeEvent = (event: ModelEvent): string => JSON.stringify(event);
