// The I/O behind the chart's actor slots: Cognito port + token store + SRP + secret vault, by operation family, all
// made at once (tests, hand-made set-ups; createAuth() uses on-demand.ts). Every function is the body of one invoked
// actor; what it returns is free of passwords, codes and tokens.
import { fromPromise, type PromiseActorLogic } from 'xstate';
import { accountActors } from './account.js';
import { deviceActors } from './devices.js';
import { mfaActors } from './mfa.js';
import { passkeyActors } from './passkeys.js';
import { redirectActors } from './redirect.js';
import { sessionActors } from './session.js';
import { initiateAuthBody } from './on-demand.js';
import { restoreActor } from './restore.js';
import { sharedHelpers, type ActorBody, type ActorDeps } from './shared.js';
import { signInActors } from './sign-in.js';

export type { ActorBody, ActorDeps } from './shared.js';

/** One body per actor slot of the chart, bound to one instance's dependencies. */
export function createActorBodies(deps: ActorDeps) {
  const shared = sharedHelpers(deps);
  const signInFamily = signInActors(deps, shared);
  const sessionFamily = sessionActors(deps, shared);
  const { initiatePasswordAuth, initiateWithSession, initiateUserAuth, initiateCustomAuth, ...signIn } = signInFamily;
  const { refreshWithInitiateAuth, ...session } = sessionFamily;
  return {
    loadStoredSession: restoreActor(deps),
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

export type ActorBodies = ReturnType<typeof createActorBodies>;

type LogicOf<Bodies> = { [K in keyof Bodies]: Bodies[K] extends ActorBody<infer Output, infer Input> ? PromiseActorLogic<Output, Input> : never };

/** The bodies as XState promise actors, for `authMachine.provide({ actors })` (tests, hand-made set-ups). */
export function createActorLogic(deps: ActorDeps): LogicOf<ActorBodies> {
  const bodies = createActorBodies(deps) as Record<string, ActorBody<unknown>>;
  const logic = Object.fromEntries(Object.entries(bodies).map(([name, body]) => [name, fromPromise<unknown, unknown>(({ input, signal }) => body({ input, signal }))]));
  return logic as LogicOf<ActorBodies>;
}
