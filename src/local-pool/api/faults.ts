// Faults on demand: the next N calls of an operation fail the way real networks and services do, so tests and
// users can reproduce outages (POST /_local/faults, pool.injectFault()). Nothing is injected unless asked for.
import { CognitoError, Errors } from './errors.js';

export type FaultKind =
  /** The connection is cut before the operation runs: nothing happened. */
  | 'drop'
  /** The operation runs, then the connection is cut mid-answer: it happened, the client cannot know. */
  | 'reset'
  /** InternalErrorException, HTTP 500, before the operation runs. */
  | '500'
  /** Throttled: HTTP 503 with TooManyRequestsException, before the operation runs. */
  | '503'
  /** A proxy's HTML error page, HTTP 502, before the operation runs. */
  | 'html502'
  /** The answer comes after `delayMs`. */
  | 'delay'
  /** UnsupportedOperationException, HTTP 400, before the operation runs: a server without the operation (as cognito-local). */
  | 'unsupported';

export interface Fault {
  /** Cognito operation name (InitiateAuth ...), or "*" for any. */
  readonly operation: string;
  readonly fault: FaultKind;
  /** How many calls it hits (default 1). */
  readonly count?: number;
  readonly delayMs?: number;
}

const KINDS: ReadonlySet<string> = new Set(['drop', 'reset', '500', '503', 'html502', 'delay', 'unsupported']);

export class FaultPlan {
  private readonly pending: Array<{ operation: string; fault: FaultKind; left: number; delayMs: number }> = [];

  add(fault: Fault): void {
    if (typeof fault.operation !== 'string' || fault.operation === '') throw Errors.invalidParameter('operation is required ("*" for any).');
    if (!KINDS.has(fault.fault)) throw Errors.invalidParameter(`fault must be one of ${[...KINDS].join(', ')}.`);
    const count = fault.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 1000) throw Errors.invalidParameter('count must be a whole number from 1 to 1000.');
    const delayMs = fault.delayMs ?? 0;
    if (!Number.isFinite(delayMs) || delayMs < 0 || delayMs > 120_000) throw Errors.invalidParameter('delayMs must be from 0 to 120000.');
    this.pending.push({ operation: fault.operation, fault: fault.fault, left: count, delayMs });
  }

  clear(): void {
    this.pending.splice(0);
  }

  /** The fault this call of `operation` gets (one use taken), if any. */
  take(operation: string): { fault: FaultKind; delayMs: number } | undefined {
    const at = this.pending.findIndex((p) => p.operation === operation || p.operation === '*');
    if (at < 0) return undefined;
    const entry = this.pending[at]!;
    entry.left -= 1;
    if (entry.left === 0) this.pending.splice(at, 1);
    return { fault: entry.fault, delayMs: entry.delayMs };
  }
}

/** The Cognito error an injected 500 / 503 / unsupported answers with. */
export const injectedError = (fault: '500' | '503' | 'unsupported'): CognitoError =>
  fault === '500'
    ? new CognitoError('InternalErrorException', 'Internal error (injected fault).', 500)
    : fault === '503'
      ? new CognitoError('TooManyRequestsException', 'Rate exceeded (injected fault).', 503)
      : new CognitoError('UnsupportedOperationException', 'This operation is not supported (injected fault).', 400);
