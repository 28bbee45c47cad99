// The words users see for each error code. The chart carries codes (and the field at fault); the view
// looks the words up here. Replace or translate them with createAuth's / selectView's `messages`.
import type { AuthErrorCode, AuthErrorData, AuthErrorField } from './cognito/errors.js';

/**
 * A catalogue: by error code, optionally refined by field (`"InvalidInput.code"`) or by the step the
 * user is at (`"InvalidInput.code@smsCode"`). Lookup goes from the most specific key to the code alone.
 */
export type MessageCatalogue = Readonly<Partial<Record<AuthErrorCode | `${AuthErrorCode}.${AuthErrorField}` | `${AuthErrorCode}.${AuthErrorField}@${string}`, string>>>;

export const ENGLISH = {
  IncorrectUsernameOrPassword: 'Incorrect username or password.',
  UserNotFound: 'Incorrect username or password.',
  UserDisabled: 'This account is disabled.',
  PasswordAttemptsExceeded: 'Too many failed attempts. Wait a moment and try again.',
  UserNotConfirmed: 'This account is not confirmed yet.',
  PasswordResetRequired: 'The password must be reset before you can sign in.',
  InvalidPassword: 'The password does not meet the requirements.',
  UsernameExists: 'An account with this username already exists.',
  AliasExists: 'An account with this e-mail address or phone number already exists.',
  CodeDeliveryFailure: 'The code could not be sent. Check the address or number and try again.',
  LambdaFailed: 'The request was refused.',
  'InvalidInput.username': 'Enter a username.',
  'InvalidInput.password': 'Enter a password.',
  'InvalidInput.oldPassword': 'Enter your current password.',
  'InvalidInput.attributes': 'Check the details you entered.',
  'InvalidInput.attributeName': 'Choose which detail to verify.',
  'InvalidInput.code@confirmSignUp': 'Enter the confirmation code we sent you.',
  'InvalidInput.code@resetPassword': 'Enter the code we sent you and a new password.',
  PasswordHistoryPolicyViolation: 'Choose a password you have not used before.',
  CodeMismatch: 'The code is not right. Check it and try again.',
  ExpiredCode: 'The code has expired. Ask for a new one.',
  MissingAttributes: 'Some required details are missing.',
  InvalidInput: 'Check what you entered and try again.',
  AlreadySignedIn: 'You are already signed in. Sign out first to sign in as someone else.',
  'InvalidInput.credentials': 'Enter your username and password.',
  'InvalidInput.newPassword': 'Enter a new password and every required attribute.',
  'InvalidInput.code': 'Enter the code you received.',
  'InvalidInput.code@smsCode': 'Enter the code from the text message.',
  'InvalidInput.code@emailCode': 'Enter the code from the e-mail.',
  'InvalidInput.totpCode': 'Enter the 6-digit code from your authenticator app.',
  'InvalidInput.mfaType': 'Choose one of the offered MFA types.',
  'InvalidInput.mfaType@mfaSetupSelection': 'Choose TOTP or EMAIL.',
  'InvalidInput.email': 'Enter a valid e-mail address.',
  'InvalidInput.preference': 'Give sms, totp or email as ENABLED, DISABLED, PREFERRED or NOT_PREFERRED (one PREFERRED at most).',
  ResendUnavailable: 'A new code needs your password again: please sign in again.',
  SessionExpired: 'This sign-in attempt has expired. Please start again.',
  SignInInterrupted: 'The page was left while a sign-in request was in progress. Please start again.',
  OutcomeUnknown: 'The connection broke after the request was sent, so it may or may not have gone through. Please check, or start again.',
  TokenRevoked: 'Your session has ended. Please sign in again.',
  TokenExpired: 'Your session has expired. Please sign in again.',
  InvalidToken: 'Your session is no longer valid. Please sign in again.',
  NoStoredSession: 'You are not signed in.',
  RefreshTokenReused: 'Your session has ended. Please sign in again.',
  TooManyRequests: 'Too many requests. Wait a moment and try again.',
  LimitExceeded: 'Too many attempts. Wait a while and try again.',
  TooManyFailedAttempts: 'Too many failed attempts. Please start again.',
  Network: 'Cannot reach the sign-in service. Check your connection and try again.',
  ServiceUnavailable: 'The sign-in service is unavailable. Try again shortly.',
  SignOutIncomplete: 'Signed out on this device, but the sign-in service could not be told.',
  AuthFlowNotEnabled: 'This sign-in method is not enabled for the app.',
  InvalidParameter: 'The sign-in service refused the request.',
  'InvalidParameter.attributes': 'These details cannot be changed or removed.',
  // signed in, Cognito says this of a required attribute removed or emptied, not of a form left incomplete
  'MissingAttributes.attributes@signedIn': 'A required detail cannot be removed or left empty.',
  ResourceNotFound: 'The app is not set up correctly (unknown user pool or app client).',
  SecretHashMismatch: 'The app is not set up correctly (client secret).',
  UnsupportedOperation: 'The sign-in service does not support this.',
  NotProvided: 'The app is not set up correctly.',
  MfaSetupUnavailable:
    'This account must set up MFA, but only SMS is allowed and SMS cannot be set up while signing in. Ask an administrator to add a phone number.',
  MfaMethodNotFound: 'This MFA method is not set up for the account.',
  'MfaMethodNotFound.preference': 'Set this MFA method up first: verify an authenticator app, or add a phone number or e-mail address.',
  NotAuthorized: 'Not authorised.',
  PasskeyNotAllowed: 'The passkey prompt was closed or timed out, or this device has no passkey for this site. Try again or choose another way to sign in.',
  PasskeyAlreadyRegistered: 'This device already has a passkey for your account.',
  PasskeyRejected: 'The sign-in service did not accept this passkey. Try again or choose another way to sign in.',
  PasskeyUnsupported: 'Passkeys are not available here (this browser, or a page that is not served securely). Choose another way to sign in.',
  PasskeyFailed: 'The browser refused the passkey request for this site.',
  PasskeysNotEnabled: 'Passkeys are not enabled for this app.',
  FeatureUnavailableInTier: 'This sign-in method needs a higher feature plan of the user pool.',
  'InvalidInput.factor': 'Choose one of the offered ways to sign in.',
  RedirectNotConfigured: 'Signing in through the hosted page is not set up for this app.',
  RedirectStateMismatch: 'This sign-in link is not valid any more. Please sign in again.',
  RedirectProviderError: 'The sign-in was not completed.',
  IdTokenInvalid: 'The sign-in service answered something that could not be verified.',
  'InvalidInput.passkey': 'Choose one of your passkeys.',
  'InvalidInput.answer': 'Enter your answer.',
  'InvalidInput.provider': 'Choose one of the offered sign-in providers.',
  UnexpectedChallenge: 'The sign-in service asked for a step this app cannot do.',
  UnexpectedResponse: 'The sign-in service answered something unexpected.',
  Unknown: 'Something went wrong. Please try again.',
  Aborted: 'Cancelled.',
} as const satisfies MessageCatalogue & Record<AuthErrorCode, string>;

/** The words for an error: the catalogue's most specific entry, then English's, then the code itself. */
export function messageFor(error: Pick<AuthErrorData, 'code' | 'field'>, catalogue: MessageCatalogue = ENGLISH, route?: string): string {
  const keys = [
    ...(error.field && route ? [`${error.code}.${error.field}@${route}`] : []),
    ...(error.field ? [`${error.code}.${error.field}`] : []),
    error.code,
  ];
  const sources: ReadonlyArray<Readonly<Record<string, string | undefined>>> = catalogue === ENGLISH ? [ENGLISH] : [catalogue, ENGLISH];
  for (const source of sources) {
    for (const key of keys) {
      const text = source[key];
      if (text !== undefined) return text;
    }
  }
  return error.code;
}
