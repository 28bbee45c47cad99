// createSdkPort / createFetchPort as the package exports them: the port answers at once with its ids, and its code
// (wire mapping, transport) loads with the rest of the Cognito half on the first call, so importing the factories
// from 'authchart' does not put that code into an app's first load.
import type { CognitoPort } from '../cognito/port.js';
import type { FetchPortOptions } from '../cognito/fetch-port.js';
import type { SdkPortOptions } from '../cognito/sdk-port.js';
import { PORT_OPERATIONS } from '../cognito/port-methods.js';
import { loadCognitoChunk } from './cognito-loader.js';
import type * as CognitoChunk from './cognito-chunk.js';

function portLoadedOnFirstCall(ids: { readonly userPoolId: string; readonly clientId: string }, make: (chunk: typeof CognitoChunk) => CognitoPort): CognitoPort {
  let made: CognitoPort | undefined;
  const port: Record<string, unknown> = { userPoolId: ids.userPoolId, clientId: ids.clientId };
  for (const operation of PORT_OPERATIONS) {
    port[operation] = async (request: never, signal: AbortSignal) => {
      made ??= make(await loadCognitoChunk());
      return (made[operation] as (request: never, signal: AbortSignal) => Promise<unknown>)(request, signal);
    };
  }
  return port as unknown as CognitoPort;
}

/** CognitoPort over the AWS SDK v3 (loaded on the first call). */
export function createSdkPort(options: SdkPortOptions): CognitoPort {
  return portLoadedOnFirstCall(options, (chunk) => chunk.createSdkPort(options));
}

/** CognitoPort as AWS JSON 1.1 over fetch: the lean transport, no SDK. */
export function createFetchPort(options: FetchPortOptions): CognitoPort {
  return portLoadedOnFirstCall(options, (chunk) => chunk.createFetchPort(options));
}
