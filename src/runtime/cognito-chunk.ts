// The half of the runtime that talks to Cognito: the port (wire mapping, both transports) and the actor bodies. It is
// loaded with import() when createAuth() starts, in parallel with the page, so the first load is the chart, the view
// and the session restore only; an instance restoring fresh tokens is signed in before this arrives.
import type { CognitoPort } from '../cognito/port.js';
import type { FetchPortOptions } from '../cognito/fetch-port.js';
import { createSdkPort, sdkTransport } from '../cognito/sdk-port.js';
import { createWirePort, type WireTransport } from '../cognito/wire-port.js';
import { DeviceStore } from '../session/device-store.js';
import type { KeyValueStorage } from '../session/storage.js';
import { actorBodiesOnDemand } from './actors/on-demand.js';
import type { CreateAuthOptions } from './create-auth.js';
import type { ActorBody, ActorDeps } from './actors/shared.js';
import { lazyTransport } from './lazy-transport.js';
import { sharedTransport } from './shared-transports.js';

export { createSdkPort };

/** The lean transport, loaded on its first call: the SDK transport's instances (the default) never load it. */
const fetchTransport = (options: Pick<FetchPortOptions, 'userPoolId' | 'region' | 'endpoint' | 'fetch'>): WireTransport =>
  lazyTransport(() => import('../cognito/fetch-transport.js').then((module) => module.fetchTransport(options)));

/** createFetchPort (fetch-port.ts) with its transport loaded on the first call. */
export function createFetchPort(options: FetchPortOptions): CognitoPort {
  return createWirePort(options, fetchTransport(options));
}

/** How an instance reaches Cognito: createAuth's connection options (the transport decided), or the app's own port. */
export type Connection = Pick<
  CreateAuthOptions,
  'userPoolId' | 'clientId' | 'clientSecret' | 'region' | 'endpoint' | 'requestTimeoutMs' | 'clientMetadata' | 'userContextData' | 'port'
> & { readonly transport: 'sdk' | 'fetch' };

/** What an instance's actors use, apart from what createAuth() makes itself. */
export interface Completion {
  readonly connection: Connection;
  /** The token storage, where remembered devices' secrets are kept too. */
  readonly tokenStorage: KeyValueStorage;
}

/** The connection's transport, one per way of reaching Cognito. */
function transportFor(connection: Connection): WireTransport {
  const { transport, userPoolId, region, endpoint } = connection;
  return sharedTransport({ transport, userPoolId, region, endpoint }, () => (transport === 'fetch' ? fetchTransport(connection) : sdkTransport(connection)));
}

/**
 * Starts loading the transport's code (the AWS SDK, or the fetch transport's sending half) while a sign-in may come,
 * so the first call does not wait for it after the user pressed the button. An app's own port has nothing to load.
 */
export function prepareTransport(connection: Connection): void {
  if (connection.port) return;
  transportFor(connection).ready?.().catch(() => undefined);
}

function portFor(connection: Connection): CognitoPort {
  if (connection.port) return connection.port;
  const { transport, clientMetadata, userContextData, port: _port, ...ids } = connection;
  const wirePort = () =>
    createWirePort(
      { ...ids, ...(clientMetadata === undefined ? {} : { clientMetadata }), ...(userContextData === undefined ? {} : { userContextData }) },
      transportFor(connection),
    );
  // Without providers of its own an instance's port is the same as every other's on this connection: shared too.
  const ownContext = clientMetadata !== undefined || userContextData !== undefined;
  return ownContext ? wirePort() : sharedTransport({ port: transport, ...ids }, wirePort);
}

/** One instance's actor bodies, made family by family as its slots are first invoked. */
export function instanceBodies(
  deps: Omit<ActorDeps, 'port' | 'devices'>,
  completion: Completion,
): (slot: string) => Promise<ActorBody<unknown> | undefined> {
  return actorBodiesOnDemand({
    ...deps,
    port: portFor(completion.connection),
    devices: new DeviceStore(completion.tokenStorage, completion.connection.clientId),
  });
}
