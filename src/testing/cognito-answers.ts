// The inverse of src/cognito/steps.ts and errors.ts, for tests: what Cognito must answer (or throw) so that the
// runtime hands the chart a given SignInResult or AuthError. Used to script the fake port from model paths.
import type { AuthErrorCode } from '../cognito/errors.js';
import { AuthError } from '../cognito/errors.js';
import type { CognitoAuthResponse, CognitoTokens } from '../cognito/port.js';
import { COGNITO_MFA_NAME, type MfaType } from '../cognito/steps.js';
import type { SignInResult } from '../../machines/signIn.types.js';
import { cognitoError } from './fake-port.js';

/** SRP parameters a fake PASSWORD_VERIFIER challenge carries (the fake port does not check the proof). */
export const FAKE_SRP_CHALLENGE = {
  SALT: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  SRP_B: `${'7d2f'.repeat(190)}abcd1234`,
  SECRET_BLOCK: btoa('fake secret block for the model-based tests'.repeat(3)),
} as const;

const mfaNames = (types: readonly MfaType[]) => JSON.stringify(types.map((t) => COGNITO_MFA_NAME[t]));

/**
 * What InitiateAuth / RespondToAuthChallenge answer for the runtime to produce `result`.
 * CONFIRM_SIGN_UP and RESET_PASSWORD are exceptions in Cognito; DONE needs the tokens to hand out.
 */
export function cognitoAnswerFor(result: SignInResult, tokens: () => CognitoTokens): CognitoAuthResponse | Error {
  const challenge = (challengeName: string, parameters: Record<string, string>): CognitoAuthResponse => {
    const session = 'session' in result ? result.session : 'fake-session';
    const username = 'username' in result ? result.username : 'fake-user';
    return { challengeName, session, challengeParameters: { USERNAME: username, USER_ID_FOR_SRP: username, ...parameters } };
  };
  switch (result.step) {
    case 'DONE':
      return { challengeParameters: {}, tokens: tokens() };
    case 'CONFIRM_SIGN_UP':
      return cognitoError('UserNotConfirmedException', 'User is not confirmed.');
    case 'RESET_PASSWORD':
      return cognitoError('PasswordResetRequiredException', 'Password reset required for the user');
    case 'PASSWORD_VERIFIER':
      return challenge('PASSWORD_VERIFIER', { ...FAKE_SRP_CHALLENGE });
    case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED':
      return challenge('NEW_PASSWORD_REQUIRED', {
        requiredAttributes: JSON.stringify(result.challenge.missingAttributes.map((a) => `userAttributes.${a}`)),
        userAttributes: JSON.stringify(result.challenge.userAttributes),
      });
    case 'CONFIRM_SIGN_IN_WITH_SMS_CODE':
    case 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE':
      return challenge(result.step === 'CONFIRM_SIGN_IN_WITH_SMS_CODE' ? 'SMS_MFA' : 'EMAIL_OTP', {
        CODE_DELIVERY_DELIVERY_MEDIUM: result.codeDelivery.deliveryMedium,
        CODE_DELIVERY_DESTINATION: result.codeDelivery.destination,
      });
    case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
      return challenge('SOFTWARE_TOKEN_MFA', {});
    case 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION':
      return challenge('SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: mfaNames(result.allowedMfaTypes) });
    case 'MFA_SETUP':
      return challenge('MFA_SETUP', { MFAS_CAN_SETUP: mfaNames(result.allowedMfaTypes) });
  }
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
