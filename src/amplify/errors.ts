// Amplify Auth v6's errors: `name` is Cognito's exception name (or Amplify's own validation name), `message` is
// Cognito's text. The chart keeps both on its error data (cognitoName / cognitoMessage); errors the chart makes
// itself get the name and words Amplify uses for the same situation.
import type { AuthErrorData } from '../cognito/errors.js';

export class AuthError extends Error {
  override name: string;
  readonly recoverySuggestion: string | undefined;
  readonly underlyingError: unknown;
  /** authchart's code for the same failure (e.g. CodeMismatch), for code that wants the typed taxonomy. */
  readonly code: string | undefined;

  constructor(params: { name: string; message: string; recoverySuggestion?: string; underlyingError?: unknown; code?: string }) {
    super(params.message);
    this.name = params.name;
    this.recoverySuggestion = params.recoverySuggestion;
    this.underlyingError = params.underlyingError;
    this.code = params.code;
    // Amplify's AuthError keeps its prototype for instanceof checks across transpiled classes; so does this one.
    Object.setPrototypeOf(this, AuthError.prototype);
  }
}

/** What the chart cannot do yet answers with this (e.g. devices, signInWithRedirect). */
export class NotSupportedError extends AuthError {
  constructor(api: string, why: string) {
    super({ name: 'NotSupportedException', message: `${api} is not supported by authchart yet: ${why}`, code: 'UnsupportedOperation' });
    Object.setPrototypeOf(this, NotSupportedError.prototype);
  }
}

const SIGN_IN_EXCEPTION =
  'An error occurred during the sign in process. \n\tThis most likely occurred due to: \n\t1. signIn was not called before confirmSignIn. \n\t2. signIn threw an exception. \n\t3. page was refreshed during the sign in flow or session has expired.';

/** The chart's own errors (no Cognito name) as Amplify names the same situation. */
const OWN: Partial<Record<AuthErrorData['code'], { name: string; message: string }>> = {
  AlreadySignedIn: { name: 'UserAlreadyAuthenticatedException', message: 'There is already a signed in user.' },
  // the chart ends a sign-in whose Cognito session ran out; Cognito would answer the late reply like this
  SessionExpired: { name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' },
  SignInInterrupted: { name: 'SignInException', message: SIGN_IN_EXCEPTION },
  Network: { name: 'NetworkError', message: 'A network error has occurred.' },
  ServiceUnavailable: { name: 'NetworkError', message: 'A network error has occurred.' },
  NoStoredSession: { name: 'UserUnAuthenticatedException', message: 'User needs to be authenticated to call this API.' },
  MfaSetupUnavailable: { name: 'SignInException', message: 'Cannot initiate MFA setup from available types: ' },
  PasskeyUnsupported: { name: 'PasskeyNotSupported', message: 'Passkeys may not be supported on this device.' },
  PasskeyNotAllowed: { name: 'PasskeyRegistrationCanceled', message: 'Passkey registration ceremony has been canceled.' },
  // input the chart refuses before any call; Cognito would refuse it with this name
  InvalidInput: { name: 'InvalidParameterException', message: 'Invalid input: the values given cannot be sent to Cognito.' },
};

/** The chart's error data as the error Amplify would throw. */
export function toAmplifyError(error: AuthErrorData): AuthError {
  if (error.cognitoName) {
    return new AuthError({ name: error.cognitoName, message: error.cognitoMessage ?? error.cognitoName, code: error.code, underlyingError: error });
  }
  const own = OWN[error.code];
  return new AuthError({ name: own?.name ?? 'Unknown', message: own?.message ?? 'An unknown error has occurred.', code: error.code, underlyingError: error });
}

export const USER_UNAUTHENTICATED = (): AuthError =>
  new AuthError({ name: 'UserUnAuthenticatedException', message: 'User needs to be authenticated to call this API.', recoverySuggestion: 'Sign in before calling this API again.' });

export const SIGN_IN_NOT_STARTED = (): AuthError =>
  new AuthError({ name: 'SignInException', message: SIGN_IN_EXCEPTION, recoverySuggestion: 'Make sure a new signIn is called before confirmSignIn.' });

/** Amplify's validation errors: thrown before any Cognito call, with Amplify's names and words. */
export function validation(name: string, message: string): AuthError {
  return new AuthError({ name, message, code: 'InvalidInput' });
}

export function assertPresent(value: string | undefined | null, name: string, message: string): asserts value is string {
  if (!value) throw validation(name, message);
}
