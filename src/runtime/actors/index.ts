// The I/O behind the chart's actor slots: Cognito port + token store + SRP + secret vault, by operation family.
// Every function is the body of one invoked actor; what it returns is free of passwords, codes and tokens.
import { fromPromise, type PromiseActorLogic } from 'xstate';
import type { CustomAuthFlow, InitiateAuthInput, SignInResult } from '../../../machines/auth.types.js';
import { accountActors } from './account.js';
import { mfaActors } from './mfa.js';
import { passkeyActors } from './passkeys.js';
import { redirectActors } from './redirect.js';
import { sessionActors } from './session.js';
import { actor, sharedHelpers, type ActorBody, type ActorDeps } from './shared.js';
import { signInActors } from './sign-in.js';

export type { ActorBody, ActorDeps } from './shared.js';

/** One body per actor slot of the chart, bound to one instance's dependencies. */
export function createActorBodies(deps: ActorDeps) {
  const shared = sharedHelpers(deps);
  const { initiatePasswordAuth, initiateWithSession, initiateUserAuth, initiateCustomAuth, ...signIn } = signInActors(deps, shared);
  const { refreshWithInitiateAuth, ...session } = sessionActors(deps, shared);
  return {
    ...signIn,
    ...session,
    ...mfaActors(deps, shared),
    ...accountActors(deps, shared),
    ...passkeyActors(deps, shared),
    ...redirectActors(deps, shared),
    // One slot for both InitiateAuth uses: a password sign-in (or its resend) and the REFRESH_TOKEN_AUTH fallback.
    initiateAuth: actor<SignInResult, InitiateAuthInput>(async ({ input, signal }) =>
      input.authFlow === 'REFRESH_TOKEN_AUTH'
        ? refreshWithInitiateAuth(signal)
        : input.authFlow === 'USER_AUTH'
          ? 'session' in input
            ? initiateWithSession(input, signal)
            : initiateUserAuth(input, signal)
          : isCustom(input)
            ? initiateCustomAuth(input, signal)
            : initiatePasswordAuth(input, signal),
    ),
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
