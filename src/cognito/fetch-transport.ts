// The lean transport's sending half: a POST of wire JSON to Cognito's endpoint and the reading of its answer. A module of
// its own, without the port around it (wire-port.ts), so the chunk that talks to Cognito can load it with import()
// only for instances on the fetch transport.
import type { FetchPortOptions } from './fetch-port.js';
import type { WireObject } from './wire.js';
import type { WireTransport } from './wire-port.js';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

/** Cognito's public endpoint for a region (the partition decides the domain). */
export function cognitoEndpoint(region: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : region.startsWith('eusc-') ? 'amazonaws.eu' : 'amazonaws.com';
  return `https://cognito-idp.${region}.${domain}/`;
}

/** POSTs wire JSON to the endpoint (the region's Cognito by default). */
export function fetchTransport(options: Pick<FetchPortOptions, 'userPoolId' | 'region' | 'endpoint' | 'fetch'>): WireTransport {
  const region = options.region ?? options.userPoolId.split('_')[0] ?? 'us-east-1';
  const url = options.endpoint ?? cognitoEndpoint(region);
  return {
    async send(operation, input, signal) {
      const request: RequestInit = {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': TARGET_PREFIX + operation },
        body: JSON.stringify(input),
        signal,
      };
      const response = await (options.fetch ? options.fetch(url, request) : globalThis.fetch(url, request));
      // Reading the body can fail too (the connection broke mid-answer): that rejects as fetch's TypeError.
      return readAnswer(response.status, response.headers, await response.text());
    },
  };
}

/** A Cognito error as the SDK raises it, so errors.ts reads both the same way. */
export class CognitoWireError extends Error {
  readonly $metadata: { readonly httpStatusCode: number; readonly requestId?: string };
  constructor(name: string, message: string, httpStatusCode: number, requestId: string | null) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode, ...(requestId ? { requestId } : {}) };
  }
}

/**
 * An answer's JSON, or the error it carries. As the SDK reads it: the error name from the body's `__type` (or `code`),
 * else the x-amzn-ErrorType header, without a `namespace#` prefix or a `:...` suffix; the message from `message` /
 * `Message`. A body that is not JSON (a proxy's HTML 502) is an error with the HTTP status, whatever the status.
 */
export function readAnswer(status: number, headers: { get(name: string): string | null }, body: string): WireObject {
  const requestId = headers.get('x-amzn-requestid');
  let json: unknown = {};
  if (body.trim() !== '') {
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
  }
  const object = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as WireObject) : undefined;
  if (!object) {
    const type = headers.get('content-type') ?? 'no content type';
    throw new CognitoWireError('UnexpectedResponse', `HTTP ${status} with a body that is not a JSON object (${type})`, status, requestId);
  }
  if (status >= 200 && status < 300) return object;
  const name = errorName(object['__type']) ?? errorName(object['code']) ?? errorName(headers.get('x-amzn-errortype')) ?? 'Unknown';
  const message = [object['message'], object['Message'], headers.get('x-amzn-errormessage')].find((m): m is string => typeof m === 'string' && m !== '');
  throw new CognitoWireError(name, message ?? 'UnknownError', status, requestId);
}

/** "com.amazonaws.cognito#NotAuthorizedException:http://..." -> "NotAuthorizedException" */
function errorName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const bare = value.split(/[:,]/)[0]!.trim();
  const name = bare.includes('#') ? bare.slice(bare.lastIndexOf('#') + 1) : bare;
  return name === '' ? undefined : name;
}
