// Values the model uses. They are what the fake port is scripted with, and what must never leak.
import type { AuthUser, SignInResult } from '../../../machines/auth.types.js';
import type { AuthErrorCode } from '../../cognito/errors.js';

export const MODEL = {
  userPoolId: 'us-east-1_ModelPool1',
  clientId: 'modelclient',
  username: 'model-user',
  password: 'Model-Passw0rd!',
  newPassword: 'Model-N3w-Passw0rd!',
  /** Valid SMS/e-mail and TOTP code; 8 digits (SMS/e-mail only); malformed. */
  codes: { six: '246813', eight: '97531864', malformed: '12ab' },
  email: 'model.user@example.com',
  totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  passkeyId: 'bW9kZWwtcGFzc2tleQ',
  callbackUrl: 'https://app.example/callback?code=model-code&state=model-state',
  /** The remembered device (its key; the device secret is the runtime's). */
  deviceKey: 'us-east-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  deviceGroupKey: '-model-group',
  /** The remembered device's secret in the token storage (never allowed in a snapshot). */
  devicePassword: 'bW9kZWwtZGV2aWNlLXBhc3N3b3JkLW1vZGVsLWRldmljZS1wYXNzd29yZA==',
  /** The simulated clock starts here (2030-03-17T17:46:40Z), so no random time can collide with a code. */
  startTime: 1_900_000_000_000,
  sessionValidityMs: 3 * 60_000,
} as const;

export const T0 = MODEL.startTime;
export const stamp = {
  session: 'model-session-1',
  sessionIssuedAt: T0,
  sessionExpiresAt: T0 + MODEL.sessionValidityMs,
  username: MODEL.username,
  secretRef: 'model-secret-ref',
} as const;
export const modelUser: AuthUser = { username: MODEL.username, userId: `sub-${MODEL.username}`, attributes: {}, tokensExpireAt: T0 + 3_600_000 };

/** One representative per SignInResult step (and per MFA_SETUP offer, which routes four ways). */
export const RESULTS = {
  PASSWORD_VERIFIER: { ...stamp, step: 'PASSWORD_VERIFIER' },
  NEW_PASSWORD: {
    ...stamp,
    step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED',
    challenge: { missingAttributes: ['name'], userAttributes: { email: MODEL.email } },
  },
  SMS_CODE: { ...stamp, step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDelivery: { deliveryMedium: 'SMS', destination: '+*******0199' } },
  EMAIL_CODE: { ...stamp, step: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDelivery: { deliveryMedium: 'EMAIL', destination: 'm***@e***' } },
  TOTP_CODE: { ...stamp, step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' },
  MFA_SELECTION: { ...stamp, step: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMfaTypes: ['SMS', 'TOTP'] },
  MFA_SETUP_TOTP_EMAIL: { ...stamp, step: 'MFA_SETUP', allowedMfaTypes: ['TOTP', 'EMAIL'] },
  MFA_SETUP_TOTP: { ...stamp, step: 'MFA_SETUP', allowedMfaTypes: ['TOTP'] },
  MFA_SETUP_EMAIL: { ...stamp, step: 'MFA_SETUP', allowedMfaTypes: ['EMAIL'] },
  MFA_SETUP_SMS: { ...stamp, step: 'MFA_SETUP', allowedMfaTypes: ['SMS'] },
  // USER_AUTH: nothing kept unless a password came with the sign-in
  FIRST_FACTOR_SELECTION: { ...stamp, secretRef: null, step: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', availableFactors: ['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN'] },
  SMS_OTP: { ...stamp, secretRef: null, step: 'SMS_OTP', codeDelivery: { deliveryMedium: 'SMS', destination: '+*******0199' } },
  EMAIL_OTP: { ...stamp, secretRef: null, step: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDelivery: { deliveryMedium: 'EMAIL', destination: 'm***@e***' } },
  CUSTOM_CHALLENGE: { ...stamp, secretRef: null, step: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', customParameters: { question: 'model question?' } },
  PASSKEY: { ...stamp, secretRef: null, step: 'WEB_AUTHN', passkeyRequest: { challenge: 'bW9kZWwtY2hhbGxlbmdl', rpId: 'localhost', userVerification: 'preferred' } },
  // The attempt's password stays kept for signing in after the confirmation / reset.
  CONFIRM_SIGN_UP: { step: 'CONFIRM_SIGN_UP', username: MODEL.username, secretRef: stamp.secretRef },
  RESET_PASSWORD: { step: 'RESET_PASSWORD', username: MODEL.username, secretRef: stamp.secretRef },
  // A remembered device proves itself (answered by the runtime), instead of MFA.
  DEVICE_PROOF: { ...stamp, step: 'DEVICE_SRP_AUTH' },
  DONE: { step: 'DONE', user: modelUser },
  // The remembered device proved itself: signed in, the device known to be remembered.
  DONE_DEVICE_PROVED: { step: 'DONE', user: modelUser, deviceProved: true },
  // Tokens with NewDeviceMetadata: the account region confirms the device.
  DONE_NEW_DEVICE: { step: 'DONE', user: modelUser, newDevice: true },
} as const satisfies Record<string, SignInResult>;
export type ResultName = keyof typeof RESULTS;

/** One AuthError per category the chart routes on (plus UnsupportedOperation, which routes by code). */
export const ERRORS = {
  credentials: 'IncorrectUsernameOrPassword',
  challenge: 'CodeMismatch',
  weakPassword: 'InvalidPassword',
  throttle: 'PasswordAttemptsExceeded',
  network: 'Network',
  session: 'SessionExpired',
  token: 'TokenRevoked',
  configuration: 'AuthFlowNotEnabled',
  protocol: 'UnexpectedChallenge',
  unsupported: 'UnsupportedOperation',
  taken: 'UsernameExists',
  limit: 'LimitExceeded',
  passkeyNotAllowed: 'PasskeyNotAllowed',
  redirectState: 'RedirectStateMismatch',
  redirectProvider: 'RedirectProviderError',
  redirectSetup: 'RedirectNotConfigured',
  /** The browser closed the prompt itself (another prompt started elsewhere). */
  aborted: 'Aborted',
  passkeyUnsupported: 'PasskeyUnsupported',
  passkeyRejected: 'PasskeyRejected',
  /** The token store failed (no Cognito call): the runtime's own errors surface as Unknown. */
  storage: 'Unknown',
} as const satisfies Record<string, AuthErrorCode>;
