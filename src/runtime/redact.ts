// What an inspector (Stately Inspector, logs) may see: everything except secrets.
import type { InspectionEvent } from 'xstate';

/** Keys whose values are secrets wherever they appear: events, context, actor input and output. */
const SECRET_KEYS = new Set([
  'password',
  'newPassword',
  'oldPassword',
  'proofSession',
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
  // a passkey assertion / attestation: single-use, but it signs the user in
  'credential',
  'CREDENTIAL',
  // a hosted-UI callback carries the authorization code (as redirect.callback's url)
  'callbackUrl',
  'url',
  // a custom challenge's answer is a code or a secret answer
  'answer',
  'ANSWER',
  // sign-up's data for the PreSignUp function: often a captcha answer
  'validationData',
  'ValidationData',
]);
/** What inspectors see in place of a secret. */
export const REDACTED = '[redacted]';
/** What persisted snapshots hold in place of a secret: an object, so no password can ever look like it. */
export const REDACTED_INPUT = Object.freeze({ 'authchart:redacted': true });

/**
 * Deep copy of plain data with secret values replaced by `marker`. Functions are dropped; class instances
 * (machines, actor logic) become their name, and a repeated object becomes "[repeated]", so a spawn action's
 * logic is not walked.
 */
export function redact(value: unknown, marker: unknown = REDACTED): unknown {
  return copy(value, marker, new WeakSet(), 0, false);
}

function copy(value: unknown, marker: unknown, seen: WeakSet<object>, depth: number, inError: boolean): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[deep]';
  if (seen.has(value)) return '[repeated]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => copy(item, marker, seen, depth + 1, inError));
  if (value instanceof Error) return { name: value.name, message: value.message, ...copyFields(value, marker, seen, depth, true) };
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `[${(proto as { constructor?: { name?: string } }).constructor?.name ?? 'object'}]`;
  if ('transition' in value && 'getInitialSnapshot' in value) return '[actor logic]';
  return copyFields(value, marker, seen, depth, inError);
}

function copyFields(value: object, marker: unknown, seen: WeakSet<object>, depth: number, inError: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === 'function') continue;
    // An error's `code` (e.g. CodeMismatch) is not a secret; a user's `code` is.
    const secret = SECRET_KEYS.has(key) && !(inError && key === 'code');
    out[key] = secret && field !== null && field !== undefined ? marker : copy(field, marker, seen, depth + 1, inError || key === 'error' || key === 'warning');
  }
  return out;
}

/** True when persisted data was redacted (a restored request must not run with it). */
export function containsRedactedInput(value: unknown, depth = 0): boolean {
  if (depth > 12 || value === null || typeof value !== 'object') return false;
  if ((value as Record<string, unknown>)['authchart:redacted'] === true) return true;
  return Object.values(value).some((field) => containsRedactedInput(field, depth + 1));
}

/** A snapshot (machine or promise actor) with context / input / output redacted, methods kept. */
export function redactSnapshot<T>(snapshot: T, marker: unknown = REDACTED): T {
  if (!snapshot || typeof snapshot !== 'object') return snapshot;
  const original = snapshot as unknown as Record<string, unknown>;
  const safe: Record<string, unknown> = Object.create(Object.getPrototypeOf(original));
  Object.assign(safe, original);
  for (const key of ['context', 'input', 'output', 'error']) {
    if (key in original) safe[key] = key === 'error' ? copy(original[key], marker, new WeakSet(), 0, true) : redact(original[key], marker);
  }
  if ('children' in original) safe['children'] = {};
  return safe as T;
}

/**
 * Every inspection event with its data redacted: the triggering event, snapshots, action params (spawnChild
 * carries an invoked actor's input), and the snapshot an inspector reads through `actorRef.getSnapshot()`.
 * Underscored fields (xstate's transition definitions) hold no runtime data and pass through.
 */
export function redactInspectionEvent(event: InspectionEvent): InspectionEvent {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === 'actorRef' || key === 'sourceRef') copy[key] = value === undefined ? value : redactedRef(value as InspectionEvent['actorRef']);
    else if (key.startsWith('_')) copy[key] = value;
    else if (key === 'snapshot') copy[key] = redactSnapshot(value);
    else copy[key] = redact(value);
  }
  return copy as unknown as InspectionEvent;
}

/**
 * An actor ref as inspectors see it: its identity and its logic's definition, its snapshots redacted, and
 * every road to live data closed — the options it was created with (an invoked actor's input holds the
 * password), its parent, its children and the actor system (which reach every other actor).
 */
const refs = new WeakMap<object, InspectionEvent['actorRef']>();
function redactedRef(ref: InspectionEvent['actorRef']): InspectionEvent['actorRef'] {
  const known = refs.get(ref);
  if (known) return known;
  const proxy = new Proxy(ref, {
    get: (target, property, receiver) => {
      switch (property) {
        case 'getSnapshot':
          return () => redactSnapshot(target.getSnapshot());
        case 'getPersistedSnapshot':
          return () => {
            try {
              return redactSnapshot((target as unknown as { getPersistedSnapshot?: () => unknown }).getPersistedSnapshot?.(), REDACTED);
            } catch {
              return undefined; // an actor still being created has no snapshot yet
            }
          };
        case 'options': {
          const options = Reflect.get(target, property, receiver) as Record<string, unknown> | undefined;
          return options && { ...options, input: redact(options['input']), snapshot: undefined, inspect: undefined };
        }
        case '_parent': {
          const parent = Reflect.get(target, property, receiver) as InspectionEvent['actorRef'] | undefined;
          return parent && redactedRef(parent);
        }
        case 'system':
        case '_snapshot':
        case '_processingStatus':
        case '_deferred':
        case 'mailbox':
          return undefined;
        default:
          return Reflect.get(target, property, receiver);
      }
    },
  });
  refs.set(ref, proxy);
  return proxy;
}
