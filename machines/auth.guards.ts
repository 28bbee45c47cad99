// Pure predicates used by the auth chart (referenced by name, parameterized at the transition).
import { toErrorData } from './auth.actions.js';
import type { AuthErrorCategory, AuthErrorCode } from '../src/cognito/errors.js';
import { isFirstFactor, isPasswordFactor } from '../src/cognito/steps.js';
import type { AuthContext, FirstFactor, MfaType, StepName, StoredSessionStatus } from './auth.types.js';

export function stepIs(context: AuthContext, params: { step: StepName }): boolean {
  return context.step === params.step;
}

// Cognito's own input limits (USERNAME 1-128, PASSWORD 1-256, attribute values up to 2048).
const MAX_USERNAME = 128;
const MAX_PASSWORD = 256;
const MAX_ATTRIBUTE = 2048;
const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.trim() !== '' && value.length <= max;

const isPassword = (value: unknown): value is string => typeof value === 'string' && value !== '' && value.length <= MAX_PASSWORD;

/**
 * A username, and a password where the flow needs one: the password flows always, USER_AUTH only with a preferred
 * PASSWORD / PASSWORD_SRP (a password given without one is kept for the selection). Cognito is not called for input
 * it would reject anyway. `defaultFlow` is the actor's when the event names none.
 */
export function isCredentialInput(params: { username: unknown; password: unknown; authFlow?: unknown; preferredFirstFactor?: unknown; defaultFlow?: unknown }): boolean {
  const flow = params.authFlow === undefined ? (params.defaultFlow ?? 'USER_SRP_AUTH') : params.authFlow;
  if (!isText(params.username, MAX_USERNAME)) return false;
  if (flow === 'USER_SRP_AUTH' || flow === 'USER_PASSWORD_AUTH' || flow === 'CUSTOM_WITH_SRP') return params.preferredFirstFactor === undefined && isPassword(params.password);
  // the custom rounds decide; a password given anyway is not sent
  if (flow === 'CUSTOM_WITHOUT_SRP') return params.preferredFirstFactor === undefined && (params.password === undefined || isPassword(params.password));
  if (flow !== 'USER_AUTH') return false;
  const preferred = params.preferredFirstFactor;
  if (preferred !== undefined && !isFirstFactor(preferred)) return false;
  if (params.password !== undefined && !isPassword(params.password)) return false;
  return preferred === undefined || !isPasswordFactor(preferred) || params.password !== undefined;
}

/** A factor the selection offers; a password factor needs the password (with the choice, or kept from signIn.submit). */
export function isOfferedFactor(context: AuthContext, params: { factor: unknown; password?: unknown }): boolean {
  if (!isFirstFactor(params.factor) || !(context.availableFactors ?? []).includes(params.factor)) return false;
  return params.password === undefined || isPassword(params.password);
}

/** An offered factor that can be answered at once: not a password factor, or the password is at hand. */
export function canAnswerFactor(context: AuthContext, params: { factor: FirstFactor; password?: unknown }): boolean {
  if (!isOfferedFactor(context, params)) return false;
  return !isPasswordFactor(params.factor) || params.password !== undefined || context.secretRef !== null;
}

export function isPasswordInput(params: { password: unknown }): boolean {
  return isPassword(params.password);
}

/** At the passkey step another factor can be asked for (a new USER_AUTH with that preference). */
export function isOtherFactor(params: { factor: unknown; password?: unknown }): boolean {
  if (!isFirstFactor(params.factor) || params.factor === 'WEB_AUTHN') return false;
  return isPasswordFactor(params.factor) ? isPassword(params.password) : params.password === undefined;
}

/** EMAIL_OTP is the first factor (USER_AUTH), not MFA after a password. */
export function isFirstFactorCode(context: AuthContext): boolean {
  return context.authFlow === 'USER_AUTH' && context.firstFactor === 'EMAIL_OTP' && context.step === 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE';
}

/** Any text Cognito can take as ANSWER (the custom challenge decides what is right). */
export function isChallengeAnswer(params: { answer: unknown }): boolean {
  return typeof params.answer === 'string' && params.answer !== '' && params.answer.length <= 2048;
}

/** forgetDevice: this browser's device (no id), or a device key as Cognito writes them (region_uuid). */
export function isDeviceForget(params: { deviceId: unknown }): boolean {
  return params.deviceId === undefined || (typeof params.deviceId === 'string' && params.deviceId.length <= 55 && /^[\w-]+_[0-9a-f-]+$/.test(params.deviceId));
}

export function isPasskeyId(params: { credentialId: unknown }): boolean {
  return typeof params.credentialId === 'string' && params.credentialId !== '' && params.credentialId.length <= 1024;
}

/** A new password plus a value for every attribute Cognito said is missing. */
export function isNewPasswordInput(context: AuthContext, params: { newPassword: unknown; attributes: unknown }): boolean {
  if (typeof params.newPassword !== 'string' || params.newPassword === '' || params.newPassword.length > MAX_PASSWORD) return false;
  const attributes = params.attributes ?? {};
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return false;
  const values = attributes as Record<string, unknown>;
  if (!Object.values(values).every((value) => typeof value === 'string' && value.length <= MAX_ATTRIBUTE)) return false;
  const missing = context.newPassword?.missingAttributes ?? [];
  return missing.every((name) => ((values[name] as string | undefined) ?? '').trim() !== '');
}

const PREFERENCE_VALUES: readonly unknown[] = ['ENABLED', 'DISABLED', 'PREFERRED', 'NOT_PREFERRED'];

/** Some of sms / totp / email, each one of SetUserMFAPreference's values, and at most one PREFERRED. */
export function isMfaPreferenceUpdate(params: { preference: unknown }): boolean {
  const preference = params.preference;
  if (typeof preference !== 'object' || preference === null || Array.isArray(preference)) return false;
  const entries = Object.entries(preference);
  return (
    entries.length > 0 &&
    entries.every(([key, value]) => ['sms', 'totp', 'email'].includes(key) && PREFERENCE_VALUES.includes(value)) &&
    entries.filter(([, value]) => value === 'PREFERRED').length <= 1
  );
}

export function errorInCategory(params: { error: unknown; categories: readonly AuthErrorCategory[] }): boolean {
  return params.categories.includes(toErrorData(params.error).category);
}

export function errorIs(params: { error: unknown; code: AuthErrorCode }): boolean {
  return toErrorData(params.error).code === params.code;
}

export function storedSessionIs(params: { output: StoredSessionStatus; status: StoredSessionStatus['status'] }): boolean {
  return params.output.status === params.status;
}

export function hasErrorIn(context: AuthContext, params: { categories: readonly AuthErrorCategory[] }): boolean {
  return context.error !== null && params.categories.includes(context.error.category);
}

/** Spaces people paste into codes are ignored: the one place a code is normalised (the inputs use it too). */
export const normalizeCode = (code: string): string => code.replace(/\s/g, '');

/** SMS and e-mail codes are digits (Cognito sends 6 or 8). */
export function isCodeInput(params: { code: unknown }): boolean {
  return typeof params.code === 'string' && /^\d{4,10}$/.test(normalizeCode(params.code));
}

/** VerifySoftwareToken and SOFTWARE_TOKEN_MFA take exactly 6 digits. */
export function isTotpCodeInput(params: { code: unknown }): boolean {
  return typeof params.code === 'string' && /^\d{6}$/.test(normalizeCode(params.code));
}

/** A code for the code step the user is at: TOTP codes have 6 digits, SMS / e-mail codes 4-10. */
export function isCodeForStep(context: AuthContext, params: { code: unknown }): boolean {
  if (!isAtCodeStep(context)) return false; // e.g. the MFA-type choice takes no code
  return context.step === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' ? isTotpCodeInput(params) : isCodeInput(params);
}

export function isEmailInput(params: { email: unknown }): boolean {
  return isText(params.email, MAX_ATTRIBUTE) && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(params.email.trim());
}

/** The type is one the current step offers. */
export function isOfferedMfaType(context: AuthContext, params: { mfaType: MfaType }): boolean {
  return context.allowedMfaTypes?.includes(params.mfaType) ?? false;
}

export function selectsMfaType(context: AuthContext, params: { mfaType: MfaType; expected: MfaType }): boolean {
  return params.mfaType === params.expected && isOfferedMfaType(context, params);
}

/** MFA_SETUP: which of TOTP / EMAIL Cognito lets this user set up (SMS cannot be set up during sign-in). */
export function setupOffers(context: AuthContext, params: { types: readonly MfaType[] }): boolean {
  if (context.step !== 'MFA_SETUP') return false;
  const offered: readonly MfaType[] = (context.allowedMfaTypes ?? []).filter((t) => t !== 'SMS');
  return params.types.length === offered.length && params.types.every((t) => offered.includes(t));
}

const CODE_STEPS: readonly unknown[] = ['CONFIRM_SIGN_IN_WITH_SMS_CODE', 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', 'SMS_OTP'];
const RESENDABLE_STEPS: readonly unknown[] = ['CONFIRM_SIGN_IN_WITH_SMS_CODE', 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE'];

/** The user is at a step that takes a code. */
export function isAtCodeStep(context: AuthContext): boolean {
  return CODE_STEPS.includes(context.step);
}

/** An SMS or e-mail code step: Cognito's code can be replaced by signing in again. */
export function isAtResendableStep(context: AuthContext): boolean {
  return RESENDABLE_STEPS.includes(context.step);
}

/** A new SMS / e-mail code can be had: the attempt's password is still kept (not after a reload). */
export function canResendCode(context: AuthContext): boolean {
  return isAtResendableStep(context) && context.secretRef !== null;
}

export function hasSecretRef(context: AuthContext): boolean {
  return context.secretRef !== null;
}

const isAttributeMap = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.entries(value).every(([name, v]) => name.length > 0 && name.length <= 32 + 7 && typeof v === 'string' && v.length <= MAX_ATTRIBUTE);

/** SignUp: a username and a password Cognito could take, and attributes as name -> string (standard or custom:*). */
export function isSignUpInput(params: { username: unknown; password: unknown; attributes: unknown; validationData?: unknown; authFlow?: unknown }): boolean {
  return (
    isText(params.username, MAX_USERNAME) &&
    typeof params.password === 'string' &&
    params.password !== '' &&
    params.password.length <= MAX_PASSWORD &&
    (params.attributes === undefined || isAttributeMap(params.attributes)) &&
    (params.validationData === undefined || isAttributeMap(params.validationData)) &&
    (params.authFlow === undefined || params.authFlow === 'USER_SRP_AUTH' || params.authFlow === 'USER_PASSWORD_AUTH' || params.authFlow === 'USER_AUTH')
  );
}

export function isUsernameInput(params: { username: unknown }): boolean {
  return isText(params.username, MAX_USERNAME);
}

/** ConfirmForgotPassword: the code (digits) and a new password. */
export function isPasswordResetInput(params: { code: unknown; newPassword: unknown }): boolean {
  return isCodeInput({ code: params.code }) && typeof params.newPassword === 'string' && params.newPassword !== '' && params.newPassword.length <= MAX_PASSWORD;
}

export function isPasswordChangeInput(params: { oldPassword: unknown; newPassword: unknown }): boolean {
  const ok = (p: unknown) => typeof p === 'string' && p !== '' && p.length <= MAX_PASSWORD;
  return ok(params.oldPassword) && ok(params.newPassword);
}

export function isAttributeUpdate(params: { attributes: unknown }): boolean {
  return isAttributeMap(params.attributes) && Object.keys(params.attributes).length > 0;
}

/**
 * DeleteUserAttributes: at least one name, each as Cognito's API takes it (1 to 32 characters, `custom:` included).
 * Which names may go (not sub, not a required one, duplicates) is the pool's to say, as it is for Amplify's call.
 */
export function isAttributeDeletion(params: { names: unknown }): boolean {
  const names = params.names;
  return Array.isArray(names) && names.length > 0 && names.every((name) => typeof name === 'string' && /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,32}$/u.test(name));
}

/** Cognito verifies e-mail addresses and phone numbers. */
export function isVerifiableAttribute(params: { name: unknown }): boolean {
  return params.name === 'email' || params.name === 'phone_number';
}

const isOptionalText = (value: unknown, max: number) => value === undefined || (typeof value === 'string' && value.length <= max);

/** redirect.start: every field optional; a provider is Cognito's name for one (1-40 characters, as Cognito). */
export function isRedirectInput(params: { provider?: unknown; customState?: unknown; scopes?: unknown; loginHint?: unknown; lang?: unknown; prompt?: unknown }): boolean {
  if (params.provider !== undefined && !(typeof params.provider === 'string' && params.provider.trim() !== '' && params.provider.length <= 40)) return false;
  const scopesOk = params.scopes === undefined || (Array.isArray(params.scopes) && params.scopes.length <= 25 && params.scopes.every((s) => typeof s === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]{1,256}$/.test(s)));
  return scopesOk && isOptionalText(params.customState, 2048) && isOptionalText(params.loginHint, 256) && isOptionalText(params.lang, 16) && isOptionalText(params.prompt, 64);
}

export function isCallbackInput(params: { url: unknown }): boolean {
  if (typeof params.url !== 'string' || params.url.length > 8192) return false;
  try {
    const query = new URL(params.url).searchParams;
    return query.has('state') && (query.has('code') || query.has('error'));
  } catch {
    return false;
  }
}
