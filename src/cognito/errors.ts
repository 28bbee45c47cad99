// The AuthError taxonomy. toAuthError() is the only code that knows SDK exception names.

/** What kind of failure it is, which decides where the statechart goes. */
export type AuthErrorCategory =
  | 'credentials' // the user can correct it: wrong password, unknown user
  | 'challenge' // the user can correct it: wrong code, weak new password
  | 'input' // rejected before calling Cognito
  | 'session' // the Cognito sign-in session is dead: start over
  | 'token' // stored tokens are no longer usable
  | 'throttle' // try again later
  | 'network' // try again
  | 'configuration' // the app or pool is set up wrongly
  | 'protocol' // Cognito answered something we do not understand
  | 'aborted';

export const AUTH_ERROR_CODES = {
  IncorrectUsernameOrPassword: 'credentials',
  UserNotFound: 'credentials',
  UserDisabled: 'credentials',
  PasswordAttemptsExceeded: 'throttle',
  UserNotConfirmed: 'credentials',
  PasswordResetRequired: 'credentials',
  InvalidPassword: 'challenge',
  UsernameExists: 'challenge',
  AliasExists: 'challenge',
  CodeDeliveryFailure: 'network',
  LambdaFailed: 'challenge',
  PasswordHistoryPolicyViolation: 'challenge',
  CodeMismatch: 'challenge',
  ExpiredCode: 'challenge',
  MissingAttributes: 'challenge',
  InvalidInput: 'input',
  AlreadySignedIn: 'input',
  ResendUnavailable: 'input',
  SessionExpired: 'session',
  SignInInterrupted: 'session',
  // the connection broke after a request that cannot be repeated was sent: it may or may not have worked
  OutcomeUnknown: 'session',
  TokenRevoked: 'token',
  TokenExpired: 'token',
  InvalidToken: 'token',
  NoStoredSession: 'token',
  RefreshTokenReused: 'token',
  TooManyRequests: 'throttle',
  LimitExceeded: 'throttle',
  TooManyFailedAttempts: 'throttle',
  Network: 'network',
  ServiceUnavailable: 'network',
  // signed out locally; telling Cognito failed (offline): the sign-out itself is done
  SignOutIncomplete: 'network',
  AuthFlowNotEnabled: 'configuration',
  InvalidParameter: 'configuration',
  ResourceNotFound: 'configuration',
  SecretHashMismatch: 'configuration',
  UnsupportedOperation: 'configuration',
  NotProvided: 'configuration',
  MfaSetupUnavailable: 'configuration',
  MfaMethodNotFound: 'configuration',
  NotAuthorized: 'credentials',
  // passkeys: the browser's ceremony (src/webauthn) and Cognito's WebAuthn checks
  PasskeyNotAllowed: 'challenge', // dismissed, timed out, or no passkey for this site on the device
  PasskeyAlreadyRegistered: 'challenge',
  PasskeyRejected: 'challenge', // Cognito refused the credential (origin, relying party, expired challenge)
  PasskeyUnsupported: 'configuration', // no WebAuthn here (Node, an old browser, an insecure context)
  PasskeyFailed: 'configuration', // the browser refused the request itself (e.g. the relying party id)
  PasskeysNotEnabled: 'configuration',
  FeatureUnavailableInTier: 'configuration',
  // hosted-UI redirect sign-in (src/oauth)
  RedirectNotConfigured: 'configuration',
  RedirectStateMismatch: 'session', // tampered, replayed or stale callback; an expired or reused code: start again
  RedirectProviderError: 'credentials', // the hosted UI or the external provider said no (access_denied …)
  IdTokenInvalid: 'protocol',
  UnexpectedChallenge: 'protocol',
  UnexpectedResponse: 'protocol',
  Unknown: 'protocol',
  Aborted: 'aborted',
} as const satisfies Record<string, AuthErrorCategory>;

export type AuthErrorCode = keyof typeof AUTH_ERROR_CODES;

const RETRYABLE: ReadonlySet<AuthErrorCategory> = new Set(['throttle', 'network']);
/** Codes a second try can fix although their category is not transient (another passkey prompt). */
const RETRYABLE_CODES: ReadonlySet<AuthErrorCode> = new Set(['PasskeyNotAllowed']);

/** The input an error is about, so a UI can mark the field. */
export type AuthErrorField =
  | 'username'
  | 'oldPassword'
  | 'attributeName'
  | 'password'
  | 'credentials'
  | 'newPassword'
  | 'attributes'
  | 'code'
  | 'totpCode'
  | 'mfaType'
  | 'email'
  | 'preference'
  | 'factor'
  | 'passkey'
  | 'answer'
  | 'provider'
  | 'device';

/**
 * Plain, serializable shape kept in machine context: codes, never sentences. The words live in the message
 * catalogue (src/messages.ts) and are looked up by the view; `cognitoMessage` is Cognito's own text, as data.
 */
export interface AuthErrorData {
  readonly code: AuthErrorCode;
  readonly category: AuthErrorCategory;
  readonly retryable: boolean;
  readonly field?: AuthErrorField;
  /** Cognito's exception name, when the error came from Cognito. */
  readonly cognitoName?: string;
  /** Cognito's message (e.g. which password rule failed), when the error came from Cognito. */
  readonly cognitoMessage?: string;
}

/** The field a Cognito error is about, when the code alone says it. */
const FIELD_OF_CODE: Partial<Record<AuthErrorCode, AuthErrorField>> = {
  IncorrectUsernameOrPassword: 'credentials',
  UserNotFound: 'username',
  UsernameExists: 'username',
  AliasExists: 'attributes',
  InvalidPassword: 'password',
  PasswordHistoryPolicyViolation: 'password',
  CodeMismatch: 'code',
  ExpiredCode: 'code',
  MissingAttributes: 'attributes',
};

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly code: AuthErrorCode;
  readonly category: AuthErrorCategory;
  readonly retryable: boolean;
  readonly field: AuthErrorField | undefined;
  readonly cognitoName: string | undefined;
  readonly cognitoMessage: string | undefined;

  /** `detail` is for developers (logs, stack traces); users see the catalogue's words for `code`. */
  constructor(
    code: AuthErrorCode,
    detail: string = code,
    options: { cause?: unknown; cognitoName?: string; cognitoMessage?: string; field?: AuthErrorField } = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.category = AUTH_ERROR_CODES[code];
    this.retryable = RETRYABLE.has(this.category) || RETRYABLE_CODES.has(code);
    this.field = options.field ?? FIELD_OF_CODE[code];
    this.cognitoName = options.cognitoName;
    this.cognitoMessage = options.cognitoMessage;
  }

  toJSON(): AuthErrorData {
    return {
      code: this.code,
      category: this.category,
      retryable: this.retryable,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.cognitoName === undefined ? {} : { cognitoName: this.cognitoName }),
      ...(this.cognitoMessage === undefined ? {} : { cognitoMessage: this.cognitoMessage }),
    };
  }
}

/** An error kept in context, as an AuthError again (e.g. to reject a promise with it). */
export const fromErrorData = (data: AuthErrorData): AuthError =>
  new AuthError(data.code, data.cognitoMessage ?? data.code, {
    ...(data.field ? { field: data.field } : {}),
    ...(data.cognitoName ? { cognitoName: data.cognitoName } : {}),
    ...(data.cognitoMessage ? { cognitoMessage: data.cognitoMessage } : {}),
  });

export function isAuthError(value: unknown): value is AuthError {
  return value instanceof AuthError || (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'AuthError' && typeof (value as { code?: unknown }).code === 'string' && (value as { code: string }).code in AUTH_ERROR_CODES);
}

/** Cognito's NotAuthorizedException covers several cases; only its message tells them apart. */
const NOT_AUTHORIZED_MESSAGES: ReadonlyArray<readonly [RegExp, AuthErrorCode]> = [
  [/Password attempts exceeded/i, 'PasswordAttemptsExceeded'],
  [/Invalid session for the user/i, 'SessionExpired'],
  [/User is disabled/i, 'UserDisabled'],
  [/has been revoked/i, 'TokenRevoked'],
  [/(Access|Refresh) Token has expired/i, 'TokenExpired'],
  [/Invalid (Access|Refresh) Token|Invalid token/i, 'InvalidToken'],
  [/secret hash|SECRET_HASH|configured for secret/i, 'SecretHashMismatch'],
  [/Incorrect username or password/i, 'IncorrectUsernameOrPassword'],
  [/Temporary password has expired/i, 'PasswordResetRequired'],
];

const BY_EXCEPTION: Readonly<Record<string, AuthErrorCode>> = {
  UserNotFoundException: 'UserNotFound',
  UsernameExistsException: 'UsernameExists',
  AliasExistsException: 'AliasExists',
  CodeDeliveryFailureException: 'CodeDeliveryFailure',
  InvalidLambdaResponseException: 'LambdaFailed',
  UserLambdaValidationException: 'LambdaFailed',
  UnexpectedLambdaException: 'LambdaFailed',
  UserNotConfirmedException: 'UserNotConfirmed',
  PasswordResetRequiredException: 'PasswordResetRequired',
  InvalidPasswordException: 'InvalidPassword',
  PasswordHistoryPolicyViolationException: 'PasswordHistoryPolicyViolation',
  CodeMismatchException: 'CodeMismatch',
  // VerifySoftwareToken's answer to a wrong code
  EnableSoftwareTokenMFAException: 'CodeMismatch',
  SoftwareTokenMFANotFoundException: 'MfaMethodNotFound',
  // a rotated refresh token used again after the grace period: the session is over
  RefreshTokenReuseException: 'RefreshTokenReused',
  MFAMethodNotFoundException: 'MfaMethodNotFound',
  ExpiredCodeException: 'ExpiredCode',
  TooManyRequestsException: 'TooManyRequests',
  LimitExceededException: 'LimitExceeded',
  TooManyFailedAttemptsException: 'TooManyFailedAttempts',
  ResourceNotFoundException: 'ResourceNotFound',
  UnsupportedOperationException: 'UnsupportedOperation',
  UnknownOperationException: 'UnsupportedOperation',
  // cognito-local answers operations it lacks with "CognitoLocal#Unsupported"
  Unsupported: 'UnsupportedOperation',
  WebAuthnNotEnabledException: 'PasskeysNotEnabled',
  WebAuthnConfigurationMissingException: 'PasskeysNotEnabled',
  WebAuthnChallengeNotFoundException: 'PasskeyRejected',
  WebAuthnOriginNotAllowedException: 'PasskeyRejected',
  WebAuthnRelyingPartyMismatchException: 'PasskeyRejected',
  WebAuthnClientMismatchException: 'PasskeyRejected',
  WebAuthnCredentialNotSupportedException: 'PasskeyRejected',
  FeatureUnavailableInTierException: 'FeatureUnavailableInTier',
  InternalErrorException: 'ServiceUnavailable',
  InternalServerException: 'ServiceUnavailable',
};

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** Maps anything thrown by the SDK, fetch or our own code to an AuthError. */
export function toAuthError(error: unknown): AuthError {
  if (isAuthError(error)) return error as AuthError;
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const raw = typeof e.message === 'string' ? e.message : String(error);

  // Only an abort of the caller's own signal is "cancelled"; the SDK's Node handler names a dropped
  // connection TimeoutError, which is a network failure like any other.
  if (name === 'AbortError') return new AuthError('Aborted', 'The request was cancelled.', { cause: error });

  const cognito = { cause: error, cognitoName: name, cognitoMessage: raw };
  // NEW_PASSWORD_REQUIRED given an attribute the user already has: the app sent what the form should not ask.
  if (name === 'NotAuthorizedException' && /Cannot modify an already provided/i.test(raw)) {
    return new AuthError('InvalidParameter', raw, { ...cognito, field: 'attributes' });
  }
  if (name === 'NotAuthorizedException') {
    const match = NOT_AUTHORIZED_MESSAGES.find(([pattern]) => pattern.test(raw));
    return new AuthError(match?.[1] ?? 'NotAuthorized', raw, cognito);
  }
  // SetUserMFAPreference turning on a factor the user has not set up (no verified authenticator, no phone
  // number, no e-mail address): the user can set it up, so it is not "the service refused the request".
  if (name === 'InvalidParameterException' && /set to turn on|has not (verified|set up) software token/i.test(raw)) {
    return new AuthError('MfaMethodNotFound', raw, { ...cognito, field: 'preference' });
  }
  if (name === 'InvalidParameterException' && /flow not enabled|flow is not enabled/i.test(raw)) {
    return new AuthError('AuthFlowNotEnabled', raw, cognito);
  }
  if (name === 'InvalidParameterException' && /is missing|is required/i.test(raw)) {
    return new AuthError('MissingAttributes', raw, cognito);
  }
  // The schema refuses an attribute (unknown, immutable, a bad value, one that cannot be deleted): about the attributes.
  if (name === 'InvalidParameterException' && /attribute/i.test(raw)) {
    return new AuthError('InvalidParameter', raw, { ...cognito, field: 'attributes' });
  }
  if (name === 'InvalidParameterException') return new AuthError('InvalidParameter', raw, cognito);

  const mapped = BY_EXCEPTION[name];
  if (mapped) return new AuthError(mapped, raw, cognito);

  if (name.endsWith('Exception')) return new AuthError('Unknown', raw, cognito);

  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) {
    return new AuthError('ServiceUnavailable', `HTTP ${status}: ${raw}`, { cause: error });
  }
  // No Cognito answer at all: fetch rejects with a TypeError ("fetch failed" in Node, "Failed to fetch" in
  // Chromium, "Load failed" in Safari, "NetworkError when attempting to fetch resource." in Firefox), sockets fail.
  const noAnswer =
    name === 'TimeoutError' ||
    (name === 'TypeError' && status === undefined) ||
    /fetch failed|Failed to fetch|Load failed|NetworkError|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|socket hang up/i.test(`${raw} ${String((e as { code?: unknown }).code ?? '')}`);
  if (noAnswer) return new AuthError('Network', raw, { cause: error });
  return new AuthError('Unknown', raw || 'Unknown error', { cause: error });
}
