// Cognito exceptions as the local pool raises them. The names and messages are part of the
// wire contract: clients branch on the name, and on the message for NotAuthorized sub-cases.

export class CognitoError extends Error {
  constructor(
    /** Bare exception name, e.g. "NotAuthorizedException". */
    readonly type: string,
    message: string,
    /** 400 for every client fault (as the real service sends), 500 for server faults. */
    readonly status: number = 400,
  ) {
    super(message);
    this.name = type;
  }
}

const notAuthorized = (message: string) => new CognitoError('NotAuthorizedException', message);

export const Errors = {
  incorrectCredentials: () => notAuthorized('Incorrect username or password.'),
  passwordAttemptsExceeded: () => notAuthorized('Password attempts exceeded'),
  userDisabled: () => notAuthorized('User is disabled.'),
  temporaryPasswordExpired: () => notAuthorized('Temporary password has expired and must be reset by an administrator.'),
  invalidSession: () => notAuthorized('Invalid session for the user.'),
  sessionExpired: () => notAuthorized('Invalid session for the user, session is expired.'),
  sessionUsed: () => notAuthorized('Invalid session for the user, session can only be used once.'),
  /** The ClientSecret member left out (GetTokensFromRefreshToken, RevokeToken). */
  secretNotReceived: (clientId: string) =>
    notAuthorized(`Client ${clientId} is configured for secret but secret was not received`),
  /** A SECRET_HASH / SecretHash left out: Cognito's wording since about 2023 (before, the one above). */
  secretHashNotReceived: (clientId: string) =>
    notAuthorized(`Client ${clientId} is configured with secret but SECRET_HASH was not received`),
  secretHashMismatch: (clientId: string) => notAuthorized(`Unable to verify secret hash for client ${clientId}`),
  invalidRefreshToken: () => notAuthorized('Invalid Refresh Token.'),
  refreshTokenRevoked: () => notAuthorized('Refresh Token has been revoked'),
  refreshTokenExpired: () => notAuthorized('Refresh Token has expired'),
  refreshTokenReused: () => new CognitoError('RefreshTokenReuseException', 'Refresh token has already been used.'),
  invalidAccessToken: () => notAuthorized('Invalid Access Token'),
  accessTokenExpired: () => notAuthorized('Access Token has expired'),
  accessTokenRevoked: () => notAuthorized('Access Token has been revoked'),
  missingScope: () => notAuthorized('Access Token does not have required scopes'),
  userNotFound: () => new CognitoError('UserNotFoundException', 'User does not exist.'),
  userNotConfirmed: () => new CognitoError('UserNotConfirmedException', 'User is not confirmed.'),
  passwordResetRequired: () => new CognitoError('PasswordResetRequiredException', 'Password reset required for the user'),
  invalidPassword: (reason: string) =>
    new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${reason}`),
  /** AdminCreateUser's TemporaryPassword: Cognito words this one "with password policy". */
  invalidTemporaryPassword: (reason: string) =>
    new CognitoError('InvalidPasswordException', `Password did not conform with password policy: ${reason}`),
  invalidParameter: (message: string) => new CognitoError('InvalidParameterException', message),
  flowNotEnabled: (flow: string) => new CognitoError('InvalidParameterException', `${flow} flow not enabled for this client`),
  poolNotFound: (poolId: string) => new CognitoError('ResourceNotFoundException', `User pool ${poolId} does not exist.`),
  clientNotFound: (clientId: string) =>
    new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`),
  aliasExists: (attribute = 'email') => new CognitoError('AliasExistsException', `An account with the given ${attribute} already exists.`),
  cannotConfirm: (status: string) => notAuthorized(`User cannot be confirmed. Current status is ${status}`),
  cannotResetPassword: () => notAuthorized('User password cannot be reset in the current state.'),
  usernameExists: () => new CognitoError('UsernameExistsException', 'User account already exists'),
  codeMismatch: () => new CognitoError('CodeMismatchException', 'Invalid code or auth state for the user.'),
  enableSoftwareTokenMfa: () =>
    new CognitoError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA'),
  /** SetUserMFAPreference asking for TOTP: no authenticator at all / one associated but not verified. */
  softwareTokenNotSetUp: () => new CognitoError('InvalidParameterException', 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA'),
  softwareTokenNotVerified: () => new CognitoError('InvalidParameterException', 'User has not verified software token mfa'),
  softwareTokenMfaNotFound: () =>
    new CognitoError('SoftwareTokenMFANotFoundException', 'Software Token MFA does not exist for the user.'),
  mfaMethodNotFound: (method: string) =>
    new CognitoError('MFAMethodNotFoundException', `MFA method ${method} is not available for this user.`),
  // ---------- accounts: sign-up, confirmation codes, password recovery, attributes ----------
  signUpUsernameExists: () => new CognitoError('UsernameExistsException', 'User already exists'),
  /** Unknown user in the account operations with PreventUserExistenceErrors LEGACY. */
  accountNotFound: () => new CognitoError('UserNotFoundException', 'Username/client id combination not found.'),
  verificationCodeMismatch: () => new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.'),
  expiredCode: () => new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.'),
  limitExceeded: () => new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.'),
  noRecoveryChannel: () =>
    new CognitoError('InvalidParameterException', 'Cannot reset password for the user as there is no registered/verified email or phone_number'),
  adminOnlyRecovery: () => notAuthorized('Contact administrator to reset password.'),
  signUpNotPermitted: () => notAuthorized('SignUp is not permitted for this user pool'),
  unauthorizedAttribute: () => notAuthorized('A client attempted to write unauthorized attribute'),
  alreadyConfirmed: () => new CognitoError('InvalidParameterException', 'User is already confirmed.'),
  autoVerificationOff: () => new CognitoError('InvalidParameterException', 'Auto verification not turned on.'),
  /** NEW_PASSWORD_REQUIRED answering a required attribute the user already has. */
  attributeAlreadyProvided: (name: string) => notAuthorized(`Cannot modify an already provided ${name}`),
  requiredAttributes: (names: readonly string[]) =>
    new CognitoError(
      'InvalidParameterException',
      `Attributes did not conform to the schema: ${names.map((name) => `${name}: The attribute is required`).join(', ')}`,
    ),
  // ---------- passwordless sign-in and passkeys ----------
  featureUnavailableInTier: (feature: string) =>
    new CognitoError('FeatureUnavailableInTierException', `${feature} is not available in the LITE feature plan; it needs ESSENTIALS or PLUS.`),
  webAuthnNotEnabled: () => new CognitoError('WebAuthnNotEnabledException', 'Passkeys (WEB_AUTHN) are not an allowed sign-in factor of this user pool.'),
  webAuthnConfigurationMissing: () =>
    new CognitoError('WebAuthnConfigurationMissingException', 'The user pool has no WebAuthn relying party ID (WebAuthnConfiguration.RelyingPartyId) and no domain.'),
  webAuthnChallengeNotFound: () =>
    new CognitoError('WebAuthnChallengeNotFoundException', 'No passkey registration is waiting: call StartWebAuthnRegistration (again).'),
  webAuthnClientMismatch: () =>
    new CognitoError('WebAuthnClientMismatchException', 'The access token is for another app client than the one that started the passkey registration.'),
  webAuthnOriginNotAllowed: () =>
    new CognitoError('WebAuthnOriginNotAllowedException', 'The passkey was created on an origin that does not belong to the relying party ID.'),
  webAuthnRelyingPartyMismatch: () =>
    new CognitoError('WebAuthnRelyingPartyMismatchException', 'The passkey is bound to another relying party ID than the user pool.'),
  /** CompleteWebAuthnRegistration with a credential that cannot be read. */
  webAuthnCredentialInvalid: () => new CognitoError('InvalidParameterException', 'Credential data is not valid'),
  webAuthnCredentialNotSupported: (reason: string) => new CognitoError('WebAuthnCredentialNotSupportedException', reason),
  webAuthnCredentialNotFound: () => new CognitoError('ResourceNotFoundException', 'The passkey credential does not exist.'),
  // ---------- remembered devices ----------
  deviceNotFound: () => new CognitoError('ResourceNotFoundException', 'Device does not exist.'),
  deviceKeyExists: () => new CognitoError('DeviceKeyExistsException', 'Device key already exists.'),
  // ---------- Lambda triggers ----------
  /** The function threw (or answered an error): Cognito's wording, with the function's message. */
  userLambdaValidation: (trigger: string, message: string) =>
    new CognitoError('UserLambdaValidationException', `${trigger} failed with error ${message}.`),
  unexpectedLambda: (message: string) => new CognitoError('UnexpectedLambdaException', message),
  invalidLambdaResponse: (message = 'Unrecognizable lambda output') => new CognitoError('InvalidLambdaResponseException', message),
  customAuthNotConfigured: () => notAuthorized('Custom auth lambda trigger is not configured for the user pool.'),
  unsupportedUserState: (message: string) => new CognitoError('UnsupportedUserStateException', message),
  unsupportedOperation: (message: string) => new CognitoError('UnsupportedOperationException', message),
  serialization: (message: string) => new CognitoError('SerializationException', message),
  unknownOperation: (target: string) =>
    new CognitoError('UnknownOperationException', `Operation ${target || '(none)'} is not supported by the local pool.`),
  internal: () => new CognitoError('InternalErrorException', 'Internal error in the local pool.', 500),
};
