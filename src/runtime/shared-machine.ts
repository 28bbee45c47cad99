// One provided machine for every createAuth() instance. machine.provide() rebuilds the whole state-node tree
// (most of what an instance used to cost), so it runs once per process: the actor slots and delays find the
// instance's own dependencies through the actor system they run in. The actor bodies, but for restoring the stored
// session, are in cognito-chunk.ts, loaded with import() (prefetchCognito) so the first load stays small.
import { fromPromise, type ActorSystem } from 'xstate';
import { authMachine } from '../../machines/auth.machine.js';
import type { SignOutResult } from '../../machines/auth.types.js';
import { AuthError, toAuthError } from '../cognito/errors.js';
import { restoreActor } from './actors/restore.js';
import type { ActorBody } from './actors/actor.js';
import type { ActorDeps } from './actors/shared.js';
import type { Completion } from './cognito-chunk.js';
import { loadCognitoChunk as loadCognito } from './cognito-loader.js';
import { REDACTED_INPUT, redactSnapshot } from './redact.js';
import { endLocally, type StoredTokens } from '../session/tokens.js';

/** What one instance brings to the shared machine. */
export interface InstanceServices {
  readonly deps: Omit<ActorDeps, 'port' | 'devices'>;
  /** How its port and device store are made, in the chunk that holds them. */
  readonly completion: Completion;
  readonly refreshRetryMs: number;
}

interface Attached extends InstanceServices {
  readonly restore: ActorBody<unknown>;
  /** Made on the first invoke that needs Cognito, family by family. */
  bodyOf?: (slot: string) => Promise<ActorBody<unknown> | undefined>;
}

// The key is the system's identity; its type parameters do not matter.
type AnyActorSystem = ActorSystem<any>;

const instances = new WeakMap<AnyActorSystem, Attached>();

/** Starts loading the code that talks to Cognito, so the first sign-in does not wait for it. */
export function prefetchCognito(): void {
  loadCognito().catch(() => undefined);
}

/** Starts loading the connection's transport (the AWS SDK, or the fetch transport's sending half) once the chunk is there. */
export function prepareTransport(connection: Completion['connection']): void {
  loadCognito()
    .then((chunk) => chunk.prepareTransport(connection))
    .catch(() => undefined);
}

/** Binds an actor of the shared machine to its instance; before it starts. */
export function attachServices(system: AnyActorSystem, services: InstanceServices): void {
  instances.set(system, { ...services, restore: restoreActor(services.deps) as ActorBody<unknown> });
}

const servicesOf = (system: AnyActorSystem): Attached | undefined => instances.get(system);

const SIGN_OUT_SLOTS: ReadonlySet<string> = new Set(['revokeToken', 'globalSignOut']);

async function bodyOf(system: AnyActorSystem, name: string): Promise<ActorBody<unknown>> {
  const services = servicesOf(system);
  if (!services) throw new AuthError('NotProvided', `The "${name}" actor runs outside createAuth()`);
  if (name === 'loadStoredSession') return services.restore;
  let chunk: Awaited<ReturnType<typeof loadCognito>>;
  try {
    chunk = await loadCognito();
  } catch (error) {
    // Offline before the chunk came: a sign-out still ends the session here (as it does when Cognito cannot be reached).
    if (SIGN_OUT_SLOTS.has(name)) return ({ endedLocally }) => signOutLocally(services, error, endedLocally);
    throw error;
  }
  services.bodyOf ??= chunk.instanceBodies(services.deps, services.completion);
  const body = await services.bodyOf(name);
  if (!body) throw new AuthError('NotProvided', `The "${name}" actor is not provided`);
  return body;
}

async function signOutLocally(services: Attached, error: unknown, endedLocally?: Promise<StoredTokens | null>): Promise<SignOutResult> {
  const stored = await (endedLocally ?? endLocally(services.deps.tokens));
  if (!stored) return { warning: null };
  return { warning: new AuthError('SignOutIncomplete', toAuthError(error).message, { cause: error }).toJSON() };
}

const REFRESH_SLOT = 'getTokensFromRefreshToken';

function accessTokenOf(system: AnyActorSystem): Promise<string | undefined> | undefined {
  const read = servicesOf(system)?.deps.tokens.load().then((stored) => stored?.accessToken);
  read?.catch(() => undefined); // a body that never runs (left, or its code not loaded) leaves no unhandled rejection
  return read;
}

function endedOnDevice(system: AnyActorSystem): Promise<StoredTokens | null> | undefined {
  const tokens = servicesOf(system)?.deps.tokens;
  const ended = tokens && endLocally(tokens);
  ended?.catch(() => undefined); // read by the body; one that never runs leaves no unhandled rejection
  return ended;
}

type Implementations = Parameters<typeof authMachine.provide>[0];
type ActorImplementations = NonNullable<Implementations['actors']>;

function provideOnce() {
  const actors = Object.fromEntries(
    Object.keys(authMachine.implementations.actors).map((name) => [
      name,
      fromPromise<unknown, unknown>(async ({ input, signal, system }) => {
        // Read before the code loads: another tab's refresh in the meantime is then this one's answer, not a reason to refresh again.
        const accessTokenAtInvoke = name === REFRESH_SLOT ? accessTokenOf(system) : undefined;
        // A sign-out ends the session on the device now: the tab may close before the code that tells Cognito comes.
        const endedLocally = SIGN_OUT_SLOTS.has(name) ? endedOnDevice(system) : undefined;
        const body = await bodyOf(system, name);
        // Left (cancelled, signed out) while its code was loading: nothing is sent.
        if (signal.aborted) throw new AuthError('Aborted', `"${name}" was left before it ran`);
        return body({ input, signal, ...(accessTokenAtInvoke ? { accessTokenAtInvoke } : {}), ...(endedLocally ? { endedLocally } : {}) });
      }),
    ]),
  ) as ActorImplementations;
  const machine = authMachine.provide({
    actors,
    delays: {
      // Outside an instance (pure transition() on a snapshot) the instance clock is unknown: the full lifetime, as the chart's own.
      challengeSession: ({ context, system }) => {
        const now = servicesOf(system)?.deps.now() ?? context.sessionIssuedAt ?? 0;
        return Math.max(0, (context.sessionExpiresAt ?? 0) - now);
      },
      refreshRetry: ({ system }) => servicesOf(system)?.refreshRetryMs ?? 30_000,
    },
  });
  return withoutSecretsWhenPersisted(machine);
}

let shared: ReturnType<typeof provideOnce> | undefined;

/** The machine every createAuth() instance runs. */
export function sharedAuthMachine(): ReturnType<typeof provideOnce> {
  return (shared ??= provideOnce());
}

/**
 * The same machine, whose persisted snapshots (actor.getPersistedSnapshot()) hold no secret: the TOTP secret is
 * dropped from context and in-flight requests' input (password, code) is redacted. A request restored from such a
 * snapshot refuses to run (see actors/shared.ts), so a used Session is never resent.
 */
function withoutSecretsWhenPersisted<T extends typeof authMachine>(machine: T): T {
  return Object.create(machine, {
    getPersistedSnapshot: {
      value: (snapshot: Parameters<T['getPersistedSnapshot']>[0], options?: Parameters<T['getPersistedSnapshot']>[1]) => {
        const persisted = machine.getPersistedSnapshot(snapshot, options) as unknown as {
          context: Record<string, unknown>;
          children: Record<string, { snapshot: unknown }>;
        };
        const children = Object.fromEntries(
          Object.entries(persisted.children ?? {}).map(([id, child]) => [id, { ...child, snapshot: redactSnapshot(child.snapshot, REDACTED_INPUT) }]),
        );
        return { ...persisted, context: { ...persisted.context, totpSetup: null }, children };
      },
    },
  }) as T;
}
