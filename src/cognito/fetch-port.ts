// The lean transport: CognitoPort as AWS JSON 1.1 over fetch, without the AWS SDK. The user-pool operations the port
// uses are unsigned, so a request is a POST with two headers; an error is Cognito's `__type` and message, mapped by
// errors.ts like the SDK's exceptions. Mapping, timeout and failure classification are wire-port.ts's, as for the SDK.
import type { CallContextOptions } from './call-context.js';
import type { CognitoPort } from './port.js';
import { createWirePort } from './wire-port.js';
import { fetchTransport } from './fetch-transport.js';

export { CognitoWireError, cognitoEndpoint, fetchTransport, readAnswer } from './fetch-transport.js';

export interface FetchPortOptions extends CallContextOptions {
  readonly userPoolId: string;
  readonly clientId: string;
  /** Only for confidential clients (servers); never ship a secret to a browser. */
  readonly clientSecret?: string;
  /** Defaults to the region in the user pool id. */
  readonly region?: string;
  /** e.g. the local pool's URL. Default: Cognito's endpoint for the region. */
  readonly endpoint?: string;
  /** A call Cognito has not answered after this long fails as a retryable Network error. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Default: the global fetch, looked up at each call. */
  readonly fetch?: typeof globalThis.fetch;
}

export function createFetchPort(options: FetchPortOptions): CognitoPort {
  return createWirePort(options, fetchTransport(options));
}
