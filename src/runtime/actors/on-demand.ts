// The actor bodies as createAuth() instances use them: each family made when one of its slots is first invoked, and
// the families of steps only some users reach (later-families.ts) loaded with import() then. An instance at rest
// (restored or signed out) holds no closures it may never call, and a password sign-in loads no sign-up code.
import type { CustomAuthFlow, InitiateAuthInput, SignInResult } from '../../../machines/auth.types.js';
import { lazyChunk } from '../lazy-chunk.js';
import { restoreActor } from './restore.js';
import { sessionActors } from './session.js';
import { actor, sharedHelpers, type ActorBody, type ActorDeps } from './shared.js';
import { signInActors } from './sign-in.js';

type SignInFamily = ReturnType<typeof signInActors>;
type SessionFamily = ReturnType<typeof sessionActors>;

/** One slot for every InitiateAuth use: a password sign-in (or its resend), USER_AUTH, CUSTOM_AUTH, and the REFRESH_TOKEN_AUTH fallback. */
export function initiateAuthBody(signIn: SignInFamily, session: SessionFamily) {
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

const isCustom = (input: InitiateAuthInput): input is Extract<InitiateAuthInput, { authFlow: CustomAuthFlow }> =>
  input.authFlow === 'CUSTOM_WITHOUT_SRP' || input.authFlow === 'CUSTOM_WITH_SRP';

const loadLaterFamilies = lazyChunk(() => import('./later-families.js'));

type Family = Readonly<Record<string, ActorBody<unknown> | undefined>>;

/** Looks a slot's body up, making (and if need be loading) its family on first use. */
export function actorBodiesOnDemand(deps: ActorDeps): (slot: string) => Promise<ActorBody<unknown> | undefined> {
  const once = <T>(make: () => T): (() => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  const shared = once(() => sharedHelpers(deps));
  const session = once(() => sessionActors(deps, shared()));
  const signIn = once(() => signInActors(deps, shared()));
  // The module's load is lazyChunk's (a failed one is tried again); the families are made once it has come.
  let laterMade: object | undefined;
  const later = async () => {
    const families = await loadLaterFamilies();
    const helpers = shared();
    return (laterMade ??= {
      ...families.mfaActors(deps, helpers),
      ...families.accountActors(deps, helpers),
      ...families.passkeyActors(deps, helpers),
      ...families.redirectActors(deps, helpers),
      ...families.deviceActors(deps, helpers),
    });
  };
  // In the order they are usually needed; a slot's lookup makes the families before its own.
  const families: Array<() => object> = [
    once(() => ({ loadStoredSession: restoreActor(deps) })),
    session,
    signIn,
    once(() => ({ initiateAuth: initiateAuthBody(signIn(), session()) })),
    later,
  ];
  const found = new Map<string, ActorBody<unknown>>();
  return async (slot) => {
    const known = found.get(slot);
    if (known) return known;
    for (const family of families) {
      const bodies = (await family()) as Family;
      const body = Object.hasOwn(bodies, slot) ? bodies[slot] : undefined;
      if (body) {
        found.set(slot, body);
        return body;
      }
    }
    return undefined;
  };
}
