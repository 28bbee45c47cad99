// The I/O behind the chart's actor slots: Cognito port + token store + SRP + secret vault, by operation family.
// Every function is the body of one invoked actor; what it returns is free of passwords, codes and tokens.
import { fromPromise, type PromiseActorLogic } from 'xstate';
import type { CustomAuthFlow, InitiateAuthInput, SignInResult } from '../../../machines/auth.types.js';
import { accountActors } from './account.js';
import { deviceActors } from './devices.js';
import { mfaActors } from './mfa.js';
import { passkeyActors } from './passkeys.js';
import { redirectActors } from './redirect.js';
import { sessionActors } from './session.js';
import { actor, sharedHelpers, type ActorBody, type ActorDeps } from './shared.js';
import { signInActors } from './sign-in.js';

export type { ActorBody, ActorDeps } from './shared.js';

type SignInFamily = ReturnType<typeof signInActors>;
type SessionFamily = ReturnType<typeof sessionActors>;

/** One slot for every InitiateAuth use: a password sign-in (or its resend), USER_AUTH, CUSTOM_AUTH, and the REFRESH_TOKEN_AUTH fallback. */
function initiateAuthBody(signIn: SignInFamily, session: SessionFamily) {
  return actor<SignInResult, InitiateAuthInput>(async ({ input, signal }) =>
    input.authFlow === 'REFRESH_TOKEN_AUTH'
      ? session.refreshWithInitiateAuth(signal)
      : input.authFlow === 'USER_AUTH'
        ? 'session' in input
          ? signIn.initiateWithSession(input, signal)
          : signIn.initiateUserAuth(input, signal)
        : isCustom(input)
          ? signIn.initiateCustomAuth(input, signal)
          : signIn.initiatePasswordAuth(input, signal),
  );
}

/** One body per actor slot of the chart, bound to one instance's dependencies. */
export function createActorBodies(deps: ActorDeps) {
  const shared = sharedHelpers(deps);
  const signInFamily = signInActors(deps, shared);
  const sessionFamily = sessionActors(deps, shared);
  const { initiatePasswordAuth, initiateWithSession, initiateUserAuth, initiateCustomAuth, ...signIn } = signInFamily;
  const { refreshWithInitiateAuth, ...session } = sessionFamily;
  return {
    ...signIn,
    ...session,
    ...mfaActors(deps, shared),
    ...accountActors(deps, shared),
    ...passkeyActors(deps, shared),
    ...redirectActors(deps, shared),
    ...deviceActors(deps, shared),
    initiateAuth: initiateAuthBody(signInFamily, sessionFamily),
  };
}

/**
 * The same bodies, each family made when one of its slots is first invoked: an instance at rest (restored or
 * signed out) holds the session family only, not ~40 closures it may never call (createAuth uses this).
 */
export function actorBodiesOnDemand(deps: ActorDeps): (slot: string) => ActorBody<unknown> | undefined {
  const once = <T>(make: () => T): (() => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  const shared = once(() => sharedHelpers(deps));
  const session = once(() => sessionActors(deps, shared()));
  const signIn = once(() => signInActors(deps, shared()));
  // In the order they are usually needed; a slot's lookup makes the families before its own.
  const families: Array<() => object> = [
    session,
    signIn,
    once(() => ({ initiateAuth: initiateAuthBody(signIn(), session()) })),
    once(() => mfaActors(deps, shared())),
    once(() => accountActors(deps, shared())),
    once(() => passkeyActors(deps, shared())),
    once(() => redirectActors(deps, shared())),
    once(() => deviceActors(deps, shared())),
    // A family added to createActorBodies only is still found (all of it made at once).
    once(() => createActorBodies(deps)),
  ];
  const found = new Map<string, ActorBody<unknown>>();
  return (slot) => {
    const known = found.get(slot);
    if (known) return known;
    for (const family of families) {
      const bodies = family() as Record<string, ActorBody<unknown> | undefined>;
      const body = Object.hasOwn(bodies, slot) ? bodies[slot] : undefined;
      if (body) {
        found.set(slot, body);
        return body;
      }
    }
    return undefined;
  };
}

const isCustom = (input: InitiateAuthInput): input is Extract<InitiateAuthInput, { authFlow: CustomAuthFlow }> =>
  input.authFlow === 'CUSTOM_WITHOUT_SRP' || input.authFlow === 'CUSTOM_WITH_SRP';

export type ActorBodies = ReturnType<typeof createActorBodies>;

type LogicOf<Bodies> = { [K in keyof Bodies]: Bodies[K] extends ActorBody<infer Output, infer Input> ? PromiseActorLogic<Output, Input> : never };

/** The bodies as XState promise actors, for `authMachine.provide({ actors })` (tests, hand-made set-ups). */
export function createActorLogic(deps: ActorDeps): LogicOf<ActorBodies> {
  const bodies = createActorBodies(deps) as Record<string, ActorBody<unknown>>;
  const logic = Object.fromEntries(Object.entries(bodies).map(([name, body]) => [name, fromPromise<unknown, unknown>(({ input, signal }) => body({ input, signal }))]));
  return logic as LogicOf<ActorBodies>;
}
