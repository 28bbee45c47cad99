// CognitoPort: the Cognito operations the statechart's actors use, in our own types.
// Implementations: wire.ts maps each operation to Cognito's JSON once; sdk-port.ts (AWS SDK v3) and fetch-port.ts
// (AWS JSON 1.1 over fetch) send it, to real Cognito or the local pool. The fake port (src/testing) is for tests.

export type PasswordAuthFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
export type AuthFlow = PasswordAuthFlow | 'REFRESH_TOKEN_AUTH' | 'USER_AUTH' | 'CUSTOM_AUTH';

export interface CognitoTokens {
  readonly accessToken: string;
  readonly idToken: string;
  /** Absent on refresh unless the client rotates refresh tokens. */
  readonly refreshToken?: string;
  readonly expiresIn: number;
  readonly tokenType: string;
  /** AuthenticationResult.NewDeviceMetadata: a device Cognito wants confirmed (ConfirmDevice) before it is tracked. */
  readonly newDevice?: NewDeviceMetadata;
}

export interface NewDeviceMetadata {
  readonly deviceKey: string;
  readonly deviceGroupKey: string;
}

/** ConfirmDevice's DeviceSecretVerifierConfig: base64 of the padded-hex salt and verifier bytes. */
export interface DeviceVerifier {
  readonly passwordVerifier: string;
  readonly salt: string;
}

export type DeviceRememberedStatus = 'remembered' | 'not_remembered';

/** A device as ListDevices describes it. */
export interface CognitoDevice {
  readonly deviceKey: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** device_name from the attributes, when set. */
  readonly name?: string;
  readonly createdAt: Date;
  readonly lastModifiedAt: Date;
  readonly lastAuthenticatedAt?: Date;
}

/** InitiateAuth and RespondToAuthChallenge answer with either a challenge or tokens. */
export interface CognitoAuthResponse {
  readonly challengeName?: string;
  readonly session?: string;
  readonly challengeParameters: Readonly<Record<string, string>>;
  readonly availableChallenges?: readonly string[];
  readonly tokens?: CognitoTokens;
}

export interface InitiateAuthRequest {
  readonly authFlow: AuthFlow;
  readonly parameters: Readonly<Record<string, string>>;
  /** The user name SECRET_HASH is computed with, when the client has a secret. */
  readonly secretHashUsername?: string;
  /** USER_AUTH right after sign-up: the Session ConfirmSignUp answered with (InitiateAuth's top-level Session). */
  readonly session?: string;
}

export interface RespondToAuthChallengeRequest {
  readonly challengeName: string;
  readonly session: string;
  /** Must include USERNAME (the canonical name) for SECRET_HASH. */
  readonly responses: Readonly<Record<string, string>>;
}

export interface CognitoUserInfo {
  readonly username: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Cognito names: SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP */
  readonly mfaSettings: readonly string[];
  readonly preferredMfa?: string;
}

/** During sign-in (MFA_SETUP) with the challenge Session; afterwards with the user's access token. */
export type SoftwareTokenAuth = { readonly session: string } | { readonly accessToken: string };

export interface MfaSetting {
  readonly enabled: boolean;
  readonly preferred: boolean;
}

export interface SetUserMfaPreferenceRequest {
  readonly accessToken: string;
  readonly sms?: MfaSetting;
  readonly totp?: MfaSetting;
  readonly email?: MfaSetting;
}

/** Where Cognito sent a code (masked destination), and for which attribute. */
export interface CodeDeliveryDetails {
  readonly deliveryMedium: 'SMS' | 'EMAIL';
  readonly destination: string;
  readonly attributeName?: string;
}

export interface SignUpRequest {
  readonly username: string;
  readonly password: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** ValidationData: for the PreSignUp function only. */
  readonly validationData?: Readonly<Record<string, string>>;
}

export interface SignUpResponse {
  readonly userConfirmed: boolean;
  readonly userSub: string;
  readonly codeDelivery?: CodeDeliveryDetails;
  /** Cognito's sign-up Session (for USER_AUTH auto sign-in), when it sends one. */
  readonly session?: string;
}

export interface UserAuthFactors {
  readonly username: string;
  readonly preferredMfa?: string;
  /** Cognito names: SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP */
  readonly mfaSettings: readonly string[];
  /** What USER_AUTH sign-in can offer this user: PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN, SOFTWARE_TOKEN (MFA only). */
  readonly configuredFactors: readonly string[];
}

/** A registered passkey, as ListWebAuthnCredentials describes it. */
export interface PasskeyCredential {
  readonly credentialId: string;
  readonly friendlyName: string;
  readonly relyingPartyId: string;
  /** "platform" or "cross-platform", when the authenticator said. */
  readonly authenticatorAttachment?: string;
  /** e.g. internal, hybrid, usb, nfc, ble */
  readonly transports?: readonly string[];
  readonly createdAt: Date;
}

export interface CognitoPort {
  readonly userPoolId: string;
  readonly clientId: string;
  initiateAuth(request: InitiateAuthRequest, signal: AbortSignal): Promise<CognitoAuthResponse>;
  respondToAuthChallenge(request: RespondToAuthChallengeRequest, signal: AbortSignal): Promise<CognitoAuthResponse>;
  /** deviceKey: the remembered device the refresh token was issued to (Cognito refuses the token without it). */
  getTokensFromRefreshToken(request: { readonly refreshToken: string; readonly deviceKey?: string }, signal: AbortSignal): Promise<CognitoTokens>;
  getUser(request: { readonly accessToken: string }, signal: AbortSignal): Promise<CognitoUserInfo>;
  associateSoftwareToken(request: SoftwareTokenAuth, signal: AbortSignal): Promise<{ readonly secretCode: string; readonly session?: string }>;
  verifySoftwareToken(
    request: SoftwareTokenAuth & { readonly userCode: string; readonly friendlyDeviceName?: string },
    signal: AbortSignal,
  ): Promise<{ readonly status: 'SUCCESS' | 'ERROR'; readonly session?: string }>;
  setUserMfaPreference(request: SetUserMfaPreferenceRequest, signal: AbortSignal): Promise<void>;
  revokeToken(request: { readonly refreshToken: string }, signal: AbortSignal): Promise<void>;
  globalSignOut(request: { readonly accessToken: string }, signal: AbortSignal): Promise<void>;
  // accounts: sign-up, confirmation, password reset, the signed-in user's own account
  signUp(request: SignUpRequest, signal: AbortSignal): Promise<SignUpResponse>;
  confirmSignUp(request: { readonly username: string; readonly code: string; readonly session?: string }, signal: AbortSignal): Promise<{ readonly session?: string }>;
  resendConfirmationCode(request: { readonly username: string }, signal: AbortSignal): Promise<{ readonly codeDelivery?: CodeDeliveryDetails }>;
  forgotPassword(request: { readonly username: string }, signal: AbortSignal): Promise<{ readonly codeDelivery?: CodeDeliveryDetails }>;
  confirmForgotPassword(request: { readonly username: string; readonly code: string; readonly password: string }, signal: AbortSignal): Promise<void>;
  changePassword(request: { readonly accessToken: string; readonly previousPassword: string; readonly proposedPassword: string }, signal: AbortSignal): Promise<void>;
  updateUserAttributes(
    request: { readonly accessToken: string; readonly attributes: Readonly<Record<string, string>> },
    signal: AbortSignal,
  ): Promise<{ readonly codeDeliveries: readonly CodeDeliveryDetails[] }>;
  getUserAttributeVerificationCode(
    request: { readonly accessToken: string; readonly attributeName: string },
    signal: AbortSignal,
  ): Promise<{ readonly codeDelivery?: CodeDeliveryDetails }>;
  verifyUserAttribute(request: { readonly accessToken: string; readonly attributeName: string; readonly code: string }, signal: AbortSignal): Promise<void>;
  deleteUserAttributes(request: { readonly accessToken: string; readonly attributeNames: readonly string[] }, signal: AbortSignal): Promise<void>;
  deleteUser(request: { readonly accessToken: string }, signal: AbortSignal): Promise<void>;
  // passkeys and passwordless: the signed-in user's factors and WebAuthn credentials
  getUserAuthFactors(request: { readonly accessToken: string }, signal: AbortSignal): Promise<UserAuthFactors>;
  /** PublicKeyCredentialCreationOptionsJSON, to hand to the browser's WebAuthn ceremony. */
  startWebAuthnRegistration(request: { readonly accessToken: string }, signal: AbortSignal): Promise<{ readonly credentialCreationOptions: Readonly<Record<string, unknown>> }>;
  /** `credential`: the browser's RegistrationResponseJSON. */
  completeWebAuthnRegistration(request: { readonly accessToken: string; readonly credential: Readonly<Record<string, unknown>> }, signal: AbortSignal): Promise<void>;
  listWebAuthnCredentials(
    request: { readonly accessToken: string; readonly nextToken?: string; readonly maxResults?: number },
    signal: AbortSignal,
  ): Promise<{ readonly credentials: readonly PasskeyCredential[]; readonly nextToken?: string }>;
  deleteWebAuthnCredential(request: { readonly accessToken: string; readonly credentialId: string }, signal: AbortSignal): Promise<void>;
  // remembered devices: the signed-in user's tracked devices
  confirmDevice(
    request: { readonly accessToken: string; readonly deviceKey: string; readonly verifier: DeviceVerifier; readonly deviceName?: string },
    signal: AbortSignal,
  ): Promise<{ readonly userConfirmationNecessary: boolean }>;
  updateDeviceStatus(request: { readonly accessToken: string; readonly deviceKey: string; readonly status: DeviceRememberedStatus }, signal: AbortSignal): Promise<void>;
  listDevices(
    request: { readonly accessToken: string; readonly limit?: number; readonly paginationToken?: string },
    signal: AbortSignal,
  ): Promise<{ readonly devices: readonly CognitoDevice[]; readonly paginationToken?: string }>;
  forgetDevice(request: { readonly accessToken: string; readonly deviceKey: string }, signal: AbortSignal): Promise<void>;
}

/** SECRET_HASH = base64(HMAC-SHA256(clientSecret, username + clientId)), with WebCrypto. */
export async function computeSecretHash(clientSecret: string, username: string, clientId: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await globalThis.crypto.subtle.importKey('raw', encoder.encode(clientSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(username + clientId)));
  let binary = '';
  for (const byte of mac) binary += String.fromCharCode(byte);
  return btoa(binary);
}
