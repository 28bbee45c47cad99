// Pure context updaters for the sign-in chart: (context, params) -> partial context.
import { AuthError, isAuthError, type AuthErrorData, type AuthErrorCode } from '../src/cognito/errors.js';
import type { AuthUser, PasswordAuthFlow, SignInContext, SignInResult } from './signIn.types.js';

export const initialContext = (authFlow: PasswordAuthFlow = 'USER_SRP_AUTH'): SignInContext => ({
  username: null,
  challengeUsername: null,
  authFlow,
  session: null,
  sessionIssuedAt: null,
  sessionExpiresAt: null,
  secretRef: null,
  step: null,
  newPassword: null,
  user: null,
  error: null,
});

/** Anything an actor rejected with, as the plain data kept in context. */
export function toErrorData(error: unknown): AuthErrorData {
  if (isAuthError(error)) return (error as AuthError).toJSON();
  if (typeof error === 'object' && error !== null && 'code' in error && 'category' in error && 'message' in error) {
    return error as AuthErrorData;
  }
  return new AuthError('Unknown', error instanceof Error ? error.message : String(error)).toJSON();
}

export function inputError(code: AuthErrorCode, message: string): Partial<SignInContext> {
  return { error: new AuthError(code, message).toJSON() };
}

export function startSignIn(params: { username: string; authFlow: PasswordAuthFlow }): Partial<SignInContext> {
  return { ...clearFlow(), username: params.username.trim(), authFlow: params.authFlow, error: null };
}

/** Drops everything that belongs to an in-progress sign-in. */
export function clearFlow(): Partial<SignInContext> {
  return {
    challengeUsername: null,
    session: null,
    sessionIssuedAt: null,
    sessionExpiresAt: null,
    secretRef: null,
    step: null,
    newPassword: null,
  };
}

export function storeResult(params: { result: SignInResult }): Partial<SignInContext> {
  const { result } = params;
  switch (result.step) {
    case 'PASSWORD_VERIFIER':
      return {
        step: result.step,
        challengeUsername: result.username,
        session: result.session,
        sessionIssuedAt: result.sessionIssuedAt,
        sessionExpiresAt: result.sessionExpiresAt,
        secretRef: result.secretRef,
        error: null,
      };
    case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED':
      return {
        step: result.step,
        challengeUsername: result.username,
        session: result.session,
        sessionIssuedAt: result.sessionIssuedAt,
        sessionExpiresAt: result.sessionExpiresAt,
        secretRef: null,
        newPassword: result.challenge,
        error: null,
      };
    case 'CONFIRM_SIGN_UP':
    case 'RESET_PASSWORD':
      return { ...clearFlow(), step: result.step, challengeUsername: result.username, error: null };
    case 'DONE':
      return { ...clearFlow(), step: result.step, user: result.user, error: null };
  }
}

export function storeUser(params: { user: AuthUser | null }): Partial<SignInContext> {
  return { user: params.user, error: null };
}

export function storeError(params: { error: unknown }): Partial<SignInContext> {
  return { error: toErrorData(params.error) };
}
