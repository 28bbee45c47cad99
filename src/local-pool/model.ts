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
}

export type MfaConfiguration = 'OFF' | 'ON' | 'OPTIONAL';

export interface PoolConfig {
  Policies: { PasswordPolicy: PasswordPolicy };
  MfaConfiguration: MfaConfiguration;
  /** Attributes that replace the username (email / phone_number); the username is then the sub. */
  UsernameAttributes: string[];
  /** Verified attributes that may be typed instead of the username. */
  AliasAttributes: string[];
  AutoVerifiedAttributes: string[];
  /** Only the attributes declared at creation; standard ones are added when described. */
  Schema: SchemaAttribute[];
  AdminCreateUserConfig: { AllowAdminCreateUserOnly: boolean };
  UserPoolTags: Record<string, string>;
  DeletionProtection: 'ACTIVE' | 'INACTIVE';
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
}

export interface PoolRecord {
  id: string;
  name: string;
  config: PoolConfig;
  createdAt: number;
  updatedAt: number;
}

export interface ClientRecord {
  id: string;
  poolId: string;
  name: string;
  secret: string | null;
  config: ClientConfig;
  createdAt: number;
  updatedAt: number;
}

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

/** What is kept of a password: an SRP verifier for USER_SRP_AUTH and a scrypt hash for the rest. */
export interface PasswordCredentials {
  srpSalt: string;
  srpVerifier: string;
  passwordHash: string;
}

export interface LockoutState {
  failedAttempts: number;
  lastFailureAt: number | null;
  lockedUntil: number | null;
}

export interface UserRecord {
  poolId: string;
  sub: string;
  /** Canonical name: USER_ID_FOR_SRP, cognito:username (the sub in email-as-username pools). */
  username: string;
  status: UserStatus;
  enabled: boolean;
  attributes: Record<string, string>;
  credentials: PasswordCredentials | null;
  passwordSetAt: number | null;
  lockout: LockoutState;
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
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
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
