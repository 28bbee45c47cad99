// What an inspector (Stately Inspector, logs) may see: everything except secrets.
import type { InspectionEvent } from 'xstate';

/** Keys whose values are secrets wherever they appear: events, context, actor input and output. */
const SECRET_KEYS = new Set([
  'password',
  'newPassword',
  'code',
  'session',
  'sharedSecret',
  'setupUri',
  'qrCodeSvg',
  'accessToken',
  'idToken',
  'refreshToken',
  'secretCode',
  'PASSWORD',
  'NEW_PASSWORD',
  'SRP_A',
  'SESSION',
]);
export const REDACTED = '[redacted]';

/** Deep copy of plain data with secret values replaced; functions are dropped. */
export function redact(value: unknown, depth = 0, inError = false): unknown {
  if (depth > 12 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, inError));
  if (value instanceof Error) return { name: value.name, message: value.message, ...redactFields(value, depth, true) };
  return redactFields(value, depth, inError);
}

function redactFields(value: object, depth: number, inError: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === 'function') continue;
    // An error's `code` (e.g. CodeMismatch) is not a secret; a user's `code` is.
    const secret = SECRET_KEYS.has(key) && !(inError && key === 'code');
    out[key] = secret && field !== null && field !== undefined ? REDACTED : redact(field, depth + 1, inError || key === 'error' || key === 'warning');
  }
  return out;
}

/** A snapshot (machine or promise actor) with context / input / output redacted, methods kept. */
export function redactSnapshot<T>(snapshot: T): T {
  if (!snapshot || typeof snapshot !== 'object') return snapshot;
  const original = snapshot as unknown as Record<string, unknown>;
  const safe: Record<string, unknown> = Object.create(Object.getPrototypeOf(original));
  Object.assign(safe, original);
  for (const key of ['context', 'input', 'output', 'error']) {
    if (key in original) safe[key] = redact(original[key], 0, key === 'error');
  }
  if ('children' in original) safe['children'] = {};
  return safe as T;
}

/**
 * Same event, with the triggering event and every snapshot redacted. Inspectors also read a new actor's snapshot
 * through `actorRef.getSnapshot()`, so the actor ref is wrapped too.
 */
export function redactInspectionEvent(event: InspectionEvent): InspectionEvent {
  const copy: Record<string, unknown> = { ...event };
  if ('event' in event) copy['event'] = redact(event.event);
  if ('snapshot' in event) copy['snapshot'] = redactSnapshot(event.snapshot);
  if (event.type === '@xstate.actor') {
    const ref = event.actorRef;
    copy['actorRef'] = new Proxy(ref, {
      get: (target, property, receiver) =>
        property === 'getSnapshot' ? () => redactSnapshot(target.getSnapshot()) : Reflect.get(target, property, receiver),
    });
  }
  return copy as unknown as InspectionEvent;
}
