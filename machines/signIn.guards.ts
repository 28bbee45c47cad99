// Pure predicates used by the sign-in chart (referenced by name, parameterized at the transition).
import { toErrorData } from './signIn.actions.js';
import type { AuthErrorCategory, AuthErrorCode } from '../src/cognito/errors.js';
import type { SignInContext, SignInResult, StoredSessionStatus } from './signIn.types.js';

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
