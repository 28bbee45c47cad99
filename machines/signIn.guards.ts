// Pure predicates used by the sign-in chart (referenced by name, parameterized at the transition).
import { toErrorData } from './signIn.actions.js';
import type { AuthErrorCategory, AuthErrorCode } from '../src/cognito/errors.js';
import type { MfaType, SignInContext, SignInResult, StoredSessionStatus } from './signIn.types.js';

export function stepIs(context: SignInContext, params: { step: SignInResult['step'] }): boolean {
  return context.step === params.step;
}

/** Both fields present; Cognito is not called for input it would reject anyway. */
export function isCredentialInput(params: { username: string; password: string }): boolean {
  return typeof params.username === 'string' && params.username.trim() !== '' && typeof params.password === 'string' && params.password !== '';
}

/** A new password plus a value for every attribute Cognito said is missing. */
export function isNewPasswordInput(
  context: SignInContext,
  params: { newPassword: string; attributes: Readonly<Record<string, string>> | undefined },
): boolean {
  if (typeof params.newPassword !== 'string' || params.newPassword === '') return false;
  const missing = context.newPassword?.missingAttributes ?? [];
  return missing.every((name) => (params.attributes?.[name] ?? '').trim() !== '');
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

export function hasErrorIn(context: SignInContext, params: { categories: readonly AuthErrorCategory[] }): boolean {
  return context.error !== null && params.categories.includes(context.error.category);
}

/** SMS and e-mail codes are digits (Cognito sends 6 or 8); spaces people paste are ignored. */
export function isCodeInput(params: { code: string }): boolean {
  return typeof params.code === 'string' && /^\d{4,10}$/.test(params.code.replace(/\s/g, ''));
}

/** VerifySoftwareToken and SOFTWARE_TOKEN_MFA take exactly 6 digits. */
export function isTotpCodeInput(params: { code: string }): boolean {
  return typeof params.code === 'string' && /^\d{6}$/.test(params.code.replace(/\s/g, ''));
}

export function isEmailInput(params: { email: string }): boolean {
  return typeof params.email === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(params.email.trim());
}

/** The type is one the current step offers. */
export function isOfferedMfaType(context: SignInContext, params: { mfaType: MfaType }): boolean {
  return context.allowedMfaTypes?.includes(params.mfaType) ?? false;
}

export function selectsMfaType(context: SignInContext, params: { mfaType: MfaType; expected: MfaType }): boolean {
  return params.mfaType === params.expected && isOfferedMfaType(context, params);
}

/** MFA_SETUP: which of TOTP / EMAIL Cognito lets this user set up (SMS cannot be set up during sign-in). */
export function setupOffers(context: SignInContext, params: { types: readonly MfaType[] }): boolean {
  if (context.step !== 'MFA_SETUP') return false;
  const offered: readonly MfaType[] = (context.allowedMfaTypes ?? []).filter((t) => t !== 'SMS');
  return params.types.length === offered.length && params.types.every((t) => offered.includes(t));
}

export function hasSecretRef(context: SignInContext): boolean {
  return context.secretRef !== null;
}
