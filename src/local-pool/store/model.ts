// What the local pool stores. Pool and client settings keep Cognito's own member names, so the
// Describe* operations return them as stored and the docs of the real service apply.

export interface PasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  TemporaryPasswordValidityDays: number;
}

export interface SchemaAttribute {
  Name: string;
  AttributeDataType: 'String' | 'Number' | 'DateTime' | 'Boolean';
  Mutable: boolean;
  Required: boolean;
  DeveloperOnlyAttribute: boolean;
  /** As given (Cognito's strings of digits); SignUp and the attribute writes hold a value to them. */
  NumberAttributeConstraints?: { MinValue?: string; MaxValue?: string };
  StringAttributeConstraints?: { MinLength?: string; MaxLength?: string };
}

export type MfaConfiguration = 'OFF' | 'ON' | 'OPTIONAL';

/** Cognito's names for the second factors (UserMFASettingList, MFAS_CAN_CHOOSE, MFAS_CAN_SETUP). */
export type MfaType = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';

/** The order every MFA list is given in. */
export const MFA_TYPES: readonly MfaType[] = ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'];

/** SetUserPoolMfaConfig's SmsMfaConfiguration; its presence means SMS MFA is on. */
export interface SmsMfaConfig {
  SmsAuthenticationMessage?: string;
  SmsConfiguration?: { SnsCallerArn: string; ExternalId?: string; SnsRegion?: string };
}

/** SetUserPoolMfaConfig's EmailMfaConfiguration; its presence means e-mail MFA is on. */
export interface EmailMfaConfig {
  Message?: string;
  Subject?: string;
}

/** The factors choice-based sign-in (USER_AUTH) may start with (SignInPolicyType). */
export type FirstAuthFactor = 'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';

export const FIRST_AUTH_FACTORS: readonly FirstAuthFactor[] = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];

/** The user pool feature plan; choice-based factors other than PASSWORD, e-mail MFA and passkey MFA need ESSENTIALS or PLUS. */
export type UserPoolTier = 'LITE' | 'ESSENTIALS' | 'PLUS';

/** SetUserPoolMfaConfig's WebAuthnConfiguration (passkeys). */
export interface WebAuthnConfig {
  /** The domain passkeys are bound to; passkeys cannot be registered without it (the local pool has no domain to fall back on). */
  RelyingPartyId?: string;
  UserVerification: 'required' | 'preferred';
  FactorConfiguration: 'SINGLE_FACTOR' | 'MULTI_FACTOR_WITH_USER_VERIFICATION';
}

export interface PoolConfig {
  /** SignInPolicy: absent only in pools stored before migration 4 (read as PASSWORD only). */
  Policies: { PasswordPolicy: PasswordPolicy; SignInPolicy?: { AllowedFirstAuthFactors: FirstAuthFactor[] } };
  /** Absent only in pools stored before migration 4 (read as ESSENTIALS, the API's default). */
  UserPoolTier?: UserPoolTier;
  /** Absent until SetUserPoolMfaConfig sets it: user verification preferred, single factor, no relying party. */
  WebAuthnConfiguration?: WebAuthnConfig;
  MfaConfiguration: MfaConfiguration;
  /** Present = SMS MFA enabled (CreateUserPool with MfaConfiguration ON/OPTIONAL, or SetUserPoolMfaConfig). */
  SmsMfaConfiguration?: SmsMfaConfig;
  SoftwareTokenMfaConfiguration: { Enabled: boolean };
  /** Present = e-mail MFA enabled. */
  EmailMfaConfiguration?: EmailMfaConfig;
  /** Attributes that replace the username (email / phone_number); the username is then the sub. */
  UsernameAttributes: string[];
  /** Verified attributes that may be typed instead of the username. */
  AliasAttributes: string[];
  AutoVerifiedAttributes: string[];
  /** Only the attributes declared at creation; standard ones are added when described. */
  Schema: SchemaAttribute[];
  AdminCreateUserConfig: AdminCreateUserConfig;
  UserPoolTags: Record<string, string>;
  DeletionProtection: 'ACTIVE' | 'INACTIVE';
  /**
   * Whether usernames (and the email / preferred_username aliases) match only in their exact case.
   * Absent in pools stored before it was kept: those were always case-insensitive (false).
   */
  UsernameConfiguration?: { CaseSensitive: boolean };
  /** Texts of the sign-up and attribute verification messages (the legacy Email/SmsVerification* members fold into it). */
  VerificationMessageTemplate?: VerificationMessageTemplate;
  /** Which verified channel ForgotPassword uses; absent = Cognito's legacy rule (phone first, then email). */
  AccountRecoverySetting?: { RecoveryMechanisms: RecoveryMechanism[] };
  /** email / phone_number whose new value stays pending (the old one active) until it is verified. */
  UserAttributeUpdateSettings?: { AttributesRequireVerificationBeforeUpdate: string[] };
  /**
   * Settings kept and described in Cognito's shapes: LambdaConfig (the triggers call the pool's
   * functions, triggers/) and DeviceConfiguration (devices/) are acted on; the others are not (no SES /
   * SNS account is used).
   */
  Stored?: Partial<Record<StoredPoolMember, unknown>>;
}

/** The UpdateUserPool / CreateUserPool members kept as given and only described. */
export const STORED_POOL_MEMBERS = [
  'LambdaConfig', 'DeviceConfiguration', 'EmailConfiguration', 'UserPoolAddOns',
] as const;
export type StoredPoolMember = (typeof STORED_POOL_MEMBERS)[number];

export interface AdminCreateUserConfig {
  AllowAdminCreateUserOnly: boolean;
  /** Days a temporary password is valid when the policy does not say (Cognito's legacy member). */
  UnusedAccountValidityDays?: number;
  /** Texts of AdminCreateUser's invitation: {username} and {####} (the temporary password). */
  InviteMessageTemplate?: { SMSMessage?: string; EmailMessage?: string; EmailSubject?: string };
}

export interface VerificationMessageTemplate {
  SmsMessage?: string;
  EmailMessage?: string;
  EmailSubject?: string;
  EmailMessageByLink?: string;
  EmailSubjectByLink?: string;
  DefaultEmailOption: 'CONFIRM_WITH_LINK' | 'CONFIRM_WITH_CODE';
}

export interface RecoveryMechanism {
  Priority: number;
  Name: 'verified_email' | 'verified_phone_number' | 'admin_only';
}

export type TokenValidityUnit = 'seconds' | 'minutes' | 'hours' | 'days';

export interface ClientConfig {
  ExplicitAuthFlows: string[];
  PreventUserExistenceErrors: 'LEGACY' | 'ENABLED';
  EnableTokenRevocation: boolean;
  /** Minutes a challenge Session lives (3-15). */
  AuthSessionValidity: number;
  AccessTokenValidity: number;
  IdTokenValidity: number;
  RefreshTokenValidity: number;
  TokenValidityUnits: { AccessToken: TokenValidityUnit; IdToken: TokenValidityUnit; RefreshToken: TokenValidityUnit };
  RefreshTokenRotation: { Feature: 'ENABLED' | 'DISABLED'; RetryGracePeriodSeconds: number };
  ReadAttributes?: string[];
  WriteAttributes?: string[];
  /** The hosted UI's OAuth settings (oauth/client-settings.ts); absent in clients stored before they were kept. */
  AllowedOAuthFlows?: string[];
  AllowedOAuthScopes?: string[];
  CallbackURLs?: string[];
  LogoutURLs?: string[];
  DefaultRedirectURI?: string;
  SupportedIdentityProviders?: string[];
  AllowedOAuthFlowsUserPoolClient?: boolean;
}

export interface PoolRecord {
  id: string;
  name: string;
  config: PoolConfig;
  createdAt: number;
  updatedAt: number;
}

/** An active secret of a confidential app client (AddUserPoolClientSecret keeps up to two). */
export interface ClientSecretRecord {
  /** `<client id>--<creation time, epoch ms>` */
  id: string;
  secret: string;
  createdAt: number;
}

export interface ClientRecord {
  id: string;
  poolId: string;
  name: string;
  /** The oldest active secret (what DescribeUserPoolClient shows); null for a public client. */
  secret: string | null;
  /** Every active secret, oldest first: each one is accepted wherever the client's secret is checked. */
  secrets: readonly ClientSecretRecord[];
  config: ClientConfig;
  createdAt: number;
  updatedAt: number;
}

/** EXTERNAL_PROVIDER: a user made by federation (oauth/federation.ts), who has no password. */
export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED' | 'EXTERNAL_PROVIDER';

/**
 * What is kept of a password: its SRP verifier. USER_SRP_AUTH proves knowledge of it; a plain
 * password (USER_PASSWORD_AUTH, ChangePassword) is checked by recomputing it.
 */
export interface PasswordCredentials {
  /** hex, as sent in SALT */
  srpSalt: string;
  /** hex of g^x mod N */
  srpVerifier: string;
}

export interface LockoutState {
  failedAttempts: number;
  lastFailureAt: number | null;
  lockedUntil: number | null;
}

export const noFailures: LockoutState = { failedAttempts: 0, lastFailureAt: null, lockedUntil: null };

/** A verified TOTP authenticator. */
export interface TotpDevice {
  /** Base32 secret, kept readable: every code is computed from it. */
  secret: string;
  /** FriendlyDeviceName given at VerifySoftwareToken (FRIENDLY_DEVICE_NAME of the challenge). */
  deviceName: string | null;
  /** Time step of the last code accepted for sign-in; that step and older ones are refused (replay). */
  lastStep: number | null;
}

export interface UserMfaState {
  /** UserMFASettingList: the factors the user (or an admin, or MFA_SETUP) turned on. */
  enabled: MfaType[];
  /** PreferredMfaSetting; always one of `enabled`. */
  preferred: MfaType | null;
  totp: TotpDevice | null;
  /** AssociateSoftwareToken's secret until VerifySoftwareToken accepts a code for it. */
  pendingTotpSecret: string | null;
}

export const noMfa = (): UserMfaState => ({ enabled: [], preferred: null, totp: null, pendingTotpSecret: null });

export interface UserRecord {
  poolId: string;
  sub: string;
  /** Canonical name: USER_ID_FOR_SRP, cognito:username (the sub in email-as-username pools). */
  username: string;
  status: UserStatus;
  enabled: boolean;
  attributes: Record<string, string>;
  /**
   * New email / phone_number values waiting for VerifyUserAttribute (pools whose
   * UserAttributeUpdateSettings keep the old value until the new one is verified).
   */
  pendingAttributes: Record<string, string>;
  credentials: PasswordCredentials | null;
  passwordSetAt: number | null;
  lockout: LockoutState;
  mfa: UserMfaState;
  createdAt: number;
  updatedAt: number;
}

export interface AuthSessionRecord {
  id: string;
  poolId: string;
  clientId: string;
  /** null for the simulated challenge of an unknown user. */
  userSub: string | null;
  username: string;
  challenge: string;
  state: Record<string, unknown>;
  /** Shared by every Session of one sign-in attempt; all of them end when it issues tokens. */
  attemptId: string | null;
  /** Wrong codes answered on this Session (MFA codes, VerifySoftwareToken). */
  failedAttempts: number;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export type DeliveryMedium = 'SMS' | 'EMAIL';

/** One message the pool "sent" (it sends nothing: the outbox is where they go). */
export interface OutboxMessage {
  id: number;
  userPoolId: string;
  username: string;
  medium: DeliveryMedium;
  /** Full phone number or e-mail address (challenges show it masked). */
  destination: string;
  subject: string | null;
  message: string;
  code: string | null;
  /**
   * What the message is for: MFA (sign-in code), SIGN_IN (a passwordless first factor's code, USER_AUTH),
   * MFA_SETUP (e-mail MFA setup), SIGN_UP, FORGOT_PASSWORD,
   * ADMIN_RESET_PASSWORD, VERIFY_ATTRIBUTE (codes), INVITATION (AdminCreateUser's temporary password, in `code`),
   * LAMBDA (sent by a trigger's function through authchartLocalPool.sendMessage).
   */
  purpose: string;
  /** ms since the epoch, pool clock. */
  createdAt: number;
}

/**
 * What a confirmation code confirms. One code of each kind per user: a new one replaces the old.
 * Attribute verification codes are per attribute.
 */
export type CodeKind = 'SIGN_UP' | 'FORGOT_PASSWORD' | 'VERIFY:email' | 'VERIFY:phone_number';

/** A confirmation code that was sent (sign-up, forgot password, attribute verification). */
export interface ConfirmationCodeRecord {
  poolId: string;
  userSub: string;
  kind: CodeKind;
  /** email | phone_number: the attribute whose value the code went to. */
  attribute: string;
  /** The unmasked value it went to; a code for a value the user no longer has does not verify it. */
  destination: string;
  /** SHA-256 of the code; the code itself is only in the outbox. */
  codeHash: string;
  createdAt: number;
  expiresAt: number;
  /** Wrong codes entered against it. */
  failedAttempts: number;
}

export interface TokenFamilyRecord {
  originJti: string;
  poolId: string;
  clientId: string;
  userSub: string;
  /** Seconds since the epoch of the sign-in that started the family. */
  authTime: number;
  createdAt: number;
  revokedAt: number | null;
  /**
   * The device the sign-in was made on: the remembered device it proved, or the one it was given
   * (NewDeviceMetadata). Access tokens of the family carry it as device_key. null without device tracking.
   */
  deviceKey: string | null;
  deviceGroupKey: string | null;
}

/** A device confirmed with ConfirmDevice: what DEVICE_SRP_AUTH proves knowledge of. */
export interface DeviceRecord {
  poolId: string;
  userSub: string;
  deviceKey: string;
  /** DeviceGroupKey: takes the pool name's place in the device's SRP. */
  groupKey: string;
  name: string | null;
  /** hex of the salt bytes ConfirmDevice sent; returned as SALT. */
  salt: string;
  /** hex of the verifier bytes ConfirmDevice sent. */
  verifier: string;
  /** dev:device_remembered_status: remembered (true) or not_remembered. */
  remembered: boolean;
  createdAt: number;
  updatedAt: number;
  lastAuthenticatedAt: number;
}

export interface RefreshTokenRecord {
  tokenHash: string;
  originJti: string;
  createdAt: number;
  expiresAt: number;
  supersededAt: number | null;
}

export interface SigningKeyRecord {
  kid: string;
  poolId: string;
  tokenUse: 'id' | 'access';
  privatePem: string;
  publicJwk: Record<string, unknown>;
  createdAt: number;
}

/** A registered passkey (CompleteWebAuthnRegistration). */
export interface WebAuthnCredentialRecord {
  poolId: string;
  userSub: string;
  /** base64url, as the browser reports it. */
  credentialId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  /** Signature counter last seen; 0 for authenticators that do not count. */
  signCount: number;
  transports: string[];
  authenticatorAttachment: string | null;
  friendlyName: string;
  relyingPartyId: string;
  createdAt: number;
}

/** A StartWebAuthnRegistration waiting for its CompleteWebAuthnRegistration (one per user, single use). */
export interface WebAuthnRegistrationRecord {
  poolId: string;
  userSub: string;
  clientId: string | null;
  /** base64url challenge of the creation options. */
  challenge: string;
  relyingPartyId: string;
  userVerification: WebAuthnConfig['UserVerification'];
  createdAt: number;
  expiresAt: number;
}
