// The inverse of src/cognito/steps.ts and errors.ts, for tests: what Cognito must answer (or throw) so that the
// runtime hands the chart a given SignInResult or AuthError. It reads the step table backwards (each entry's
// `parameters` is the inverse of its `decode`), so a new table entry is picked up here without a copy.
import type { AuthErrorCode } from '../cognito/errors.js';
import { AuthError } from '../cognito/errors.js';
import type { CognitoAuthResponse, CognitoTokens } from '../cognito/port.js';
import { availableChallengesOf, challengeOfStep, challengeParameters, isChallengeStep, STEP_EXCEPTIONS, type ExceptionName } from '../cognito/steps.js';
import type { SignInResult } from '../../machines/auth.types.js';
import { cognitoError } from './fake-port.js';

/** SRP parameters a fake PASSWORD_VERIFIER challenge carries (the fake port does not check the proof). */
export const FAKE_SRP_CHALLENGE = {
  SALT: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  SRP_B: `${'7d2f'.repeat(190)}abcd1234`,
  SECRET_BLOCK: btoa('fake secret block for the model-based tests'.repeat(3)),
} as const;

/** What Cognito says in the exceptions that are steps. */
const EXCEPTION_MESSAGES: Readonly<Record<ExceptionName, string>> = {
  UserNotConfirmedException: 'User is not confirmed.',
  PasswordResetRequiredException: 'Password reset required for the user',
};

/**
 * What InitiateAuth / RespondToAuthChallenge answer for the runtime to produce `result`.
 * The exception steps are exceptions in Cognito; DONE needs the tokens to hand out.
 */
export function cognitoAnswerFor(result: SignInResult, tokens: () => CognitoTokens): CognitoAuthResponse | Error {
  if (result.step === 'DONE') return { challengeParameters: {}, tokens: tokens() };
  if (!isChallengeStep(result.step)) {
    const name = (Object.keys(STEP_EXCEPTIONS) as ExceptionName[]).find((n) => STEP_EXCEPTIONS[n].step === result.step)!;
    return cognitoError(name, EXCEPTION_MESSAGES[name]);
  }
  const stamped = result as Extract<SignInResult, { session: string }>;
  const challengeName = challengeOfStep(stamped.step);
  const parameters = challengeName === 'PASSWORD_VERIFIER' ? FAKE_SRP_CHALLENGE : challengeParameters(challengeName, stamped as never);
  const available = availableChallengesOf(challengeName, stamped as never);
  return {
    challengeName,
    session: stamped.session,
    challengeParameters: { USERNAME: stamped.username, USER_ID_FOR_SRP: stamped.username, ...parameters },
    ...(available ? { availableChallenges: available } : {}),
  };
}

/**
 * A Cognito exception (or transport failure) that toAuthError() maps to `code`. Codes Cognito has no
 * exception for (UnexpectedChallenge, Unknown ...) are thrown as the AuthError itself, which the runtime passes on.
 */
export function cognitoFailureFor(code: AuthErrorCode, message?: string): Error {
  switch (code) {
    case 'IncorrectUsernameOrPassword':
      return cognitoError('NotAuthorizedException', 'Incorrect username or password.');
    case 'PasswordAttemptsExceeded':
      return cognitoError('NotAuthorizedException', 'Password attempts exceeded');
    case 'UserDisabled':
      return cognitoError('NotAuthorizedException', 'User is disabled.');
    case 'SessionExpired':
      return cognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    case 'TokenRevoked':
      return cognitoError('NotAuthorizedException', 'Refresh Token has been revoked');
    case 'TokenExpired':
      return cognitoError('NotAuthorizedException', 'Access Token has expired');
    case 'InvalidToken':
      return cognitoError('NotAuthorizedException', 'Invalid Refresh Token.');
    case 'SecretHashMismatch':
      return cognitoError('NotAuthorizedException', 'Unable to verify secret hash for client fakeclient');
    case 'UserNotFound':
      return cognitoError('UserNotFoundException', 'User does not exist.');
    case 'UsernameExists':
      return cognitoError('UsernameExistsException', 'User already exists');
    case 'AliasExists':
      return cognitoError('AliasExistsException', 'An account with the given email already exists.');
    case 'CodeMismatch':
      return cognitoError('CodeMismatchException', 'Invalid code or auth state for the user.');
    case 'ExpiredCode':
      return cognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
    case 'InvalidPassword':
      return cognitoError('InvalidPasswordException', 'Password did not conform with policy: Password not long enough');
    case 'MissingAttributes':
      return cognitoError('InvalidParameterException', 'Invalid attributes given, name is missing');
    case 'AuthFlowNotEnabled':
      return cognitoError('InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client');
    case 'InvalidParameter':
      return cognitoError('InvalidParameterException', '1 validation error detected');
    case 'TooManyRequests':
      return cognitoError('TooManyRequestsException', 'Rate exceeded');
    case 'LimitExceeded':
      return cognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    case 'TooManyFailedAttempts':
      return cognitoError('TooManyFailedAttemptsException', 'Too many failed attempts.');
    case 'UnsupportedOperation':
      return cognitoError('UnsupportedOperationException', 'This operation is not supported.');
    case 'ResourceNotFound':
      return cognitoError('ResourceNotFoundException', 'User pool client does not exist.');
    case 'MfaMethodNotFound':
      return cognitoError('SoftwareTokenMFANotFoundException', 'Software Token MFA has not been enabled by the user.');
    case 'ServiceUnavailable':
      return cognitoError('InternalErrorException', 'Internal error');
    case 'Network':
      return new TypeError('fetch failed');
    default:
      return new AuthError(code, message ?? code);
  }
}
