// One provided machine for every createAuth() instance. machine.provide() rebuilds the whole state-node tree
// (most of what an instance used to cost), so it runs once per process: the actor slots and delays find the
// instance's own dependencies through the actor system they run in.
import { fromPromise, type ActorSystem } from 'xstate';
import { authMachine } from '../../machines/auth.machine.js';
import { AuthError } from '../cognito/errors.js';
import { actorBodiesOnDemand, type ActorBody, type ActorDeps } from './actors/index.js';
import { REDACTED_INPUT, redactSnapshot } from './redact.js';

/** What one instance brings to the shared machine. */
export interface InstanceServices {
  readonly deps: ActorDeps;
  readonly refreshRetryMs: number;
}

interface Attached extends InstanceServices {
  /** Made on the first invoke, family by family (actorBodiesOnDemand). */
  bodyOf?: (slot: string) => ActorBody<unknown> | undefined;
}

// The key is the system's identity; its type parameters do not matter.
type AnyActorSystem = ActorSystem<any>;

const instances = new WeakMap<AnyActorSystem, Attached>();

/** Binds an actor of the shared machine to its instance; before it starts. */
export function attachServices(system: AnyActorSystem, services: InstanceServices): void {
  instances.set(system, { ...services });
}

const servicesOf = (system: AnyActorSystem): Attached | undefined => instances.get(system);

function bodyOf(system: AnyActorSystem, name: string): ActorBody<unknown> {
  const services = servicesOf(system);
  if (!services) throw new AuthError('NotProvided', `The "${name}" actor runs outside createAuth()`);
  services.bodyOf ??= actorBodiesOnDemand(services.deps);
  const body = services.bodyOf(name);
  if (!body) throw new AuthError('NotProvided', `The "${name}" actor is not provided`);
  return body;
}

type Implementations = Parameters<typeof authMachine.provide>[0];
type ActorImplementations = NonNullable<Implementations['actors']>;

function provideOnce() {
  const actors = Object.fromEntries(
    Object.keys(authMachine.implementations.actors).map((name) => [
      name,
      fromPromise<unknown, unknown>(({ input, signal, system }) => bodyOf(system, name)({ input, signal })),
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
