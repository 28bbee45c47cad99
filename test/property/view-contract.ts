// What a UI may rely on in selectView()'s result, as a decoder: every route of the AuthView union with the type of
// each of its fields. Shared by the property test and test/machine/malformed.test.ts; returns the problems found.
import type { SnapshotFrom } from 'xstate';
import type { AuthMachine } from '../../machines/auth.machine.js';
import { activeStates } from '../../src/testing/chart-reader.js';
import type { AuthView } from '../../src/view.js';

type Route = AuthView['route'];

/** Every route, with the fields its member of the union adds to the common ones. */
const FIELDS = {
  checkingSession: {},
  signIn: { username: 'string?', passkeyAutofill: 'boolean' },
  firstFactorSelection: { username: 'string?', availableFactors: 'factors' },
  customChallenge: { parameters: 'record' },
  redirecting: {},
  password: { username: 'string?', factor: 'factor?' },
  passkey: { username: 'string?', prompting: 'boolean' },
  newPassword: { missingAttributes: 'strings', userAttributes: 'record' },
  smsCode: { codeDelivery: 'delivery?', canResend: 'boolean' },
  emailCode: { codeDelivery: 'delivery?', canResend: 'boolean' },
  totpCode: {},
  mfaSelection: { allowedMfaTypes: 'mfaTypes' },
  mfaSetupSelection: { allowedMfaTypes: 'mfaTypes' },
  totpSetup: { totpSetup: 'totpSetup?', canRetry: 'boolean', duringSignIn: 'boolean' },
  emailMfaSetup: {},
  signUp: { username: 'string?' },
  confirmSignUp: { username: 'string?', codeDelivery: 'delivery?', canResend: 'boolean' },
  resetPassword: { username: 'string?', codeDelivery: 'delivery?', canResend: 'boolean' },
  signedIn: {
    user: 'user?',
    mfaPreference: 'mfaPreference?',
    userAttributes: 'record?',
    attributeDelivery: 'delivery?',
    refreshing: 'boolean',
    tokensStale: 'boolean',
    passkeys: 'passkeys?',
    passkeysNextToken: 'string?',
    deviceStatus: 'deviceStatus?',
    devices: 'devices?',
    devicesNextToken: 'string?',
    redirectState: 'string?',
  },
  signingOut: {},
  sessionExpired: {},
  failed: {},
} as const satisfies { readonly [R in Route]: Readonly<Record<string, string>> };

export const VIEW_ROUTES = Object.keys(FIELDS) as Route[];

const MFA_TYPES: readonly unknown[] = ['SMS', 'TOTP', 'EMAIL'];
const FIRST_FACTORS: readonly unknown[] = ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringRecord = (v: unknown) => isRecord(v) && Object.values(v).every((x) => typeof x === 'string');

const KINDS: Readonly<Record<string, (v: unknown) => boolean>> = {
  boolean: (v) => typeof v === 'boolean',
  string: (v) => typeof v === 'string',
  strings: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  record: isStringRecord,
  mfaTypes: (v) => Array.isArray(v) && v.every((x) => MFA_TYPES.includes(x)),
  factor: (v) => FIRST_FACTORS.includes(v),
  factors: (v) => Array.isArray(v) && v.every((x) => FIRST_FACTORS.includes(x)),
  passkeys: (v) =>
    Array.isArray(v) &&
    v.every((p) => isRecord(p) && typeof p['credentialId'] === 'string' && typeof p['relyingPartyId'] === 'string' && typeof p['createdAt'] === 'number'),
  deviceStatus: (v) => v === 'remembered' || v === 'notRemembered',
  devices: (v) =>
    Array.isArray(v) &&
    v.every((d) => isRecord(d) && typeof d['id'] === 'string' && typeof d['current'] === 'boolean' && isStringRecord(d['attributes']) && typeof d['createdAt'] === 'number'),
  delivery: (v) =>
    isRecord(v) &&
    (v['deliveryMedium'] === 'SMS' || v['deliveryMedium'] === 'EMAIL') &&
    typeof v['destination'] === 'string' &&
    (v['attributeName'] === undefined || typeof v['attributeName'] === 'string'),
  totpSetup: (v) => isRecord(v) && typeof v['sharedSecret'] === 'string' && typeof v['setupUri'] === 'string' && typeof v['qrCodeSvg'] === 'string',
  user: (v) =>
    isRecord(v) && typeof v['username'] === 'string' && typeof v['userId'] === 'string' && isStringRecord(v['attributes']) && typeof v['tokensExpireAt'] === 'number',
  mfaPreference: (v) => isRecord(v) && KINDS['mfaTypes']!(v['enabled']) && (v['preferred'] === null || MFA_TYPES.includes(v['preferred'])),
};

function fieldProblem(name: string, kind: string, value: unknown): string | null {
  const optional = kind.endsWith('?');
  if (optional && value === null) return null;
  const check = KINDS[optional ? kind.slice(0, -1) : kind]!;
  return check(value) ? null : `${name} is not ${kind}: ${describe(value)}`;
}

const describe = (value: unknown): string => {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 80)}… (${text.length} chars)` : text;
  } catch {
    return typeof value;
  }
};

/** The problems with a view: unknown route, a field of the wrong type, extra fields, or not plain JSON data. */
export function viewProblems(view: unknown): string[] {
  if (!isRecord(view)) return [`the view is not an object: ${describe(view)}`];
  const route = view['route'];
  if (typeof route !== 'string' || !Object.prototype.hasOwnProperty.call(FIELDS, route)) return [`unknown route ${describe(route)}`];
  const own = FIELDS[route as Route] as Readonly<Record<string, string>>;
  const problems: string[] = [];
  const common: Record<string, string> = { busy: 'boolean', canCancel: 'boolean', signInStep: 'string?' };
  for (const [name, kind] of Object.entries({ ...common, ...own })) {
    const problem = fieldProblem(name, kind, view[name]);
    if (problem) problems.push(`${route}: ${problem}`);
  }
  const error = view['error'];
  if (error !== null) {
    if (!isRecord(error) || typeof error['code'] !== 'string' || typeof error['category'] !== 'string' || typeof error['retryable'] !== 'boolean') {
      problems.push(`${route}: error is not AuthErrorData: ${describe(error)}`);
    } else if (typeof error['message'] !== 'string' || error['message'] === '') problems.push(`${route}: error ${error['code']} has no message`);
  }
  const known = new Set(['route', 'error', ...Object.keys(common), ...Object.keys(own)]);
  for (const key of Object.keys(view)) if (!known.has(key)) problems.push(`${route}: unexpected field ${key}`);
  try {
    const json = JSON.stringify(view);
    if (json.length > 200_000) problems.push(`${route}: the view is ${json.length} characters of JSON`);
  } catch (error) {
    problems.push(`${route}: the view is not JSON data (${(error as Error).message})`);
  }
  return problems;
}

type Snapshot = SnapshotFrom<AuthMachine>;

/**
 * An invoked actor (a Cognito call or the token store) runs for the user: what `busy` stands for. Background token
 * refreshes (tag `refreshing`) are shown as view.refreshing instead.
 */
export function foregroundRequestInFlight(snapshot: Snapshot): boolean {
  return activeStates(snapshot).some((state) => state.invokes.length > 0 && !state.tags.includes('refreshing') && !state.tags.includes('background'));
}

/** Where a snapshot rests: the dotted paths of its active leaf state nodes. */
export function leafPaths(snapshot: Snapshot): string[] {
  return activeStates(snapshot)
    .filter((state) => state.childIds.length === 0)
    .map((state) => state.path);
}
