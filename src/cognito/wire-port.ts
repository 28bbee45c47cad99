// A CognitoPort over any transport that can send one operation's JSON and return the answer's JSON: the mapping
// (wire.ts), the app's ClientMetadata / UserContextData (call-context.ts), the timeout, the caller's AbortSignal and
// the classification of failures are the same for all of them.
import { withCallContext, type CallContextOptions } from './call-context.js';
import { AuthError, toAuthError } from './errors.js';
import type { CognitoPort } from './port.js';
import { lazyChunk } from '../runtime/lazy-chunk.js';
import { PORT_OPERATIONS } from './port-methods.js';
import type { PortMethod, WireClient, WireObject, WireOperation } from './wire.js';
import { SIGN_IN_OPERATIONS } from './wire-sign-in.js';

// The mapping of the steps only some users reach, loaded with import() when one of them is first called.
const loadLaterOperations = lazyChunk(() => import('./wire-later.js').then((module) => module.LATER_OPERATIONS));

const specOf = async (method: PortMethod): Promise<WireOperation<PortMethod>> =>
  ((SIGN_IN_OPERATIONS as Partial<Record<PortMethod, WireOperation<PortMethod>>>)[method] ??
    (await loadLaterOperations() as Record<string, WireOperation<PortMethod>>)[method]) as WireOperation<PortMethod>;

export interface WireTransport {
  /** Resolves when the transport can send (the SDK transport loads the SDK here); not part of the timed call. */
  ready?(): Promise<void>;
  /**
   * Sends one operation and resolves with the answer's JSON. Rejects with what went wrong, for toAuthError: a
   * Cognito error (`name` = exception name, `$metadata.httpStatusCode`), fetch's TypeError, a socket error.
   */
  send(operation: string, input: WireObject, signal: AbortSignal): Promise<WireObject>;
}

export interface WirePortOptions extends WireClient, CallContextOptions {
  readonly userPoolId: string;
  /** A call Cognito has not answered after this long fails as a retryable Network error. Default 30 s. */
  readonly requestTimeoutMs?: number | undefined;
}

export function createWirePort(options: WirePortOptions, transport: WireTransport): CognitoPort {
  const client: WireClient = { clientId: options.clientId, clientSecret: options.clientSecret };
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const context: CallContextOptions = { clientMetadata: options.clientMetadata, userContextData: options.userContextData };
  const ids = { userPoolId: options.userPoolId, clientId: options.clientId };

  const call = async (method: PortMethod, request: never, signal: AbortSignal): Promise<unknown> => {
    const spec = await specOf(method);
    const input = await withCallContext(await spec.input(request, client), spec.accepts, context, { ...ids, operation: spec.operation });
    await transport.ready?.();
    const output = await timed(signal, timeoutMs, spec.once === true, (abortSignal) => transport.send(spec.operation, input, abortSignal));
    return spec.output(output);
  };

  const port: Record<string, unknown> = { userPoolId: options.userPoolId, clientId: options.clientId };
  for (const method of PORT_OPERATIONS) port[method] = (request: never, signal: AbortSignal) => call(method, request, signal);
  return port as unknown as CognitoPort;
}

/**
 * Runs one send, aborted when the caller's signal aborts (the chart left the state) or after timeoutMs.
 * `once`: the operation spends a Session or a code, so a request that was sent and whose answer was lost cannot be
 * repeated: OutcomeUnknown instead of a retryable Network error.
 */
async function timed<T>(signal: AbortSignal, timeoutMs: number, once: boolean, run: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  // No reason passed on: fetch then rejects with an AbortError, whoever aborted.
  const onAbort = () => controller.abort();
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    return await run(controller.signal);
  } catch (error) {
    if (signal.aborted) throw new AuthError('Aborted', 'The request was cancelled.', { cause: error });
    if (timedOut) {
      if (once) throw new AuthError('OutcomeUnknown', `No answer within ${Math.round(timeoutMs / 1000)} s after the request was sent`, { cause: error });
      throw new AuthError('Network', `Cognito did not answer within ${Math.round(timeoutMs / 1000)} s. Check your connection and try again.`, { cause: error });
    }
    const mapped = toAuthError(error);
    if (once && mapped.code === 'Network' && !neverSent(error)) {
      throw new AuthError('OutcomeUnknown', `The connection broke after the request was sent: ${mapped.message}`, { cause: error });
    }
    throw mapped;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/** A failure before the request left (nobody listening, no such host): repeating it is safe. */
function neverSent(error: unknown): boolean {
  const seen: unknown[] = [error];
  for (let i = 0; i < seen.length && i < 8; i++) {
    const e = seen[i] as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown } | null;
    if (!e || typeof e !== 'object') continue;
    if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH/.test(`${String(e.code ?? '')} ${String(e.message ?? '')}`)) return true;
    seen.push(e.cause, ...(Array.isArray(e.errors) ? e.errors : []));
  }
  return false;
}
