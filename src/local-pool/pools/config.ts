// Pool and app-client settings: from CreateUserPool / CreateUserPoolClient input (also what the
// seed file carries) to the stored shape, and back out as Describe* output.
import { Errors } from '../api/errors.js';
import {
  STORED_POOL_MEMBERS,
  type AdminCreateUserConfig,
  type ClientConfig,
  type ClientRecord,
  type PasswordPolicy,
  type PoolConfig,
  type PoolRecord,
  type RecoveryMechanism,
  type SchemaAttribute,
  type TokenValidityUnit,
  type VerificationMessageTemplate,
} from '../store/model.js';
import { readPoolMfaSettings } from './mfa.js';
import { allowedFirstFactors, checkPoolFeatures, DEFAULT_TIER, poolTier, readSignInPolicy, TIERS } from './sign-in-policy.js';
import { isPlainObject, Validator, type JsonObject, type StringRule } from '../api/validation.js';
import { readLambdaConfig } from '../triggers/lambda-config.js';
import { readOAuthSettings } from '../oauth/client-settings.js';
import { readDeviceConfiguration } from '../devices/config.js';
import { readSchema, STANDARD_ATTRIBUTES } from './schema.js';
import { readTags, userPoolArn } from './tags.js';

export { STANDARD_ATTRIBUTES };

const BOOLEAN_ATTRIBUTES = new Set(['email_verified', 'phone_number_verified']);
/** Attributes no app client may write (the admin API may set the *_verified ones). */
export const CLIENT_READ_ONLY_ATTRIBUTES = new Set(['sub', 'email_verified', 'phone_number_verified']);

export const isBooleanAttribute = (name: string): boolean => BOOLEAN_ATTRIBUTES.has(name);
export const isKnownAttribute = (name: string): boolean =>
  (STANDARD_ATTRIBUTES as readonly string[]).includes(name) || /^custom:[\w-]{1,20}$/.test(name);

const AUTH_FLOWS = [
  'ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_CUSTOM_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH',
  'ALLOW_CLIENT_TOKEN_AUTH',
] as const;
const DEFAULT_AUTH_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];
const UNITS: readonly TokenValidityUnit[] = ['seconds', 'minutes', 'hours', 'days'];
const UNIT_SECONDS: Record<TokenValidityUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

const epochSeconds = (ms: number): number => Math.floor(ms / 1000);

// ---------- pools ----------

function readPasswordPolicy(policies: JsonObject | undefined): PasswordPolicy {
  const input = new Validator(policies ?? {}).optionalObject('PasswordPolicy');
  if (!input) return { ...DEFAULT_PASSWORD_POLICY };
  const v = new Validator(input);
  const policy: PasswordPolicy = {
    MinimumLength: v.optionalInteger('MinimumLength', 6, 99) ?? 8,
    RequireUppercase: v.optionalBoolean('RequireUppercase') ?? false,
    RequireLowercase: v.optionalBoolean('RequireLowercase') ?? false,
    RequireNumbers: v.optionalBoolean('RequireNumbers') ?? false,
    RequireSymbols: v.optionalBoolean('RequireSymbols') ?? false,
    TemporaryPasswordValidityDays: v.optionalInteger('TemporaryPasswordValidityDays', 0, 365) ?? 7,
  };
  v.done();
  return policy;
}

// Message texts: the service model's patterns (a {####} placeholder, {username} for invitations).
const CODE_TEXT = /\{####\}/;
const smsText: StringRule = { min: 6, max: 140 };
const emailText: StringRule = { min: 6, max: 20000 };
const subjectText: StringRule = { min: 1, max: 140 };

function requirePlaceholder(member: string, value: string | undefined, placeholder: RegExp, shown: string): void {
  if (value !== undefined && !placeholder.test(value)) throw Errors.invalidParameter(`${member} must contain ${shown}.`);
}

/**
 * VerificationMessageTemplate, with the legacy EmailVerificationMessage / EmailVerificationSubject /
 * SmsVerificationMessage members folded in (the template wins where both are given), as Cognito keeps them.
 */
function readVerificationTemplate(v: Validator): VerificationMessageTemplate {
  const legacyEmail = v.optionalString('EmailVerificationMessage', emailText);
  const legacySubject = v.optionalString('EmailVerificationSubject', subjectText);
  const legacySms = v.optionalString('SmsVerificationMessage', smsText);
  const t = new Validator(v.optionalObject('VerificationMessageTemplate') ?? {});
  const template: VerificationMessageTemplate = {
    DefaultEmailOption: (t.optionalString('DefaultEmailOption', { oneOf: ['CONFIRM_WITH_LINK', 'CONFIRM_WITH_CODE'] }) ??
      'CONFIRM_WITH_CODE') as VerificationMessageTemplate['DefaultEmailOption'],
  };
  const sms = t.optionalString('SmsMessage', smsText) ?? legacySms;
  const email = t.optionalString('EmailMessage', emailText) ?? legacyEmail;
  const subject = t.optionalString('EmailSubject', subjectText) ?? legacySubject;
  const byLink = t.optionalString('EmailMessageByLink', emailText);
  const subjectByLink = t.optionalString('EmailSubjectByLink', subjectText);
  t.done();
  requirePlaceholder('SmsMessage', sms, CODE_TEXT, '{####}');
  requirePlaceholder('EmailMessage', email, CODE_TEXT, '{####}');
  requirePlaceholder('EmailMessageByLink', byLink, /\{##[^#]*##\}/, '{##Verify Email##}');
  if (sms !== undefined) template.SmsMessage = sms;
  if (email !== undefined) template.EmailMessage = email;
  if (subject !== undefined) template.EmailSubject = subject;
  if (byLink !== undefined) template.EmailMessageByLink = byLink;
  if (subjectByLink !== undefined) template.EmailSubjectByLink = subjectByLink;
  return template;
}

const RECOVERY_NAMES = ['verified_email', 'verified_phone_number', 'admin_only'] as const;

function readAccountRecovery(input: JsonObject | undefined): PoolConfig['AccountRecoverySetting'] {
  if (!input) return undefined;
  const v = new Validator(input);
  const raw = input['RecoveryMechanisms'];
  v.done();
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw Errors.serialization('RecoveryMechanisms must be a list');
  const mechanisms = raw.map((entry, index): RecoveryMechanism => {
    if (!isPlainObject(entry)) throw Errors.serialization(`RecoveryMechanisms.${index + 1} must be a structure`);
    const m = new Validator(entry);
    const priority = m.requiredInteger('Priority', 1, 2);
    const name = m.requiredString('Name', { oneOf: RECOVERY_NAMES });
    m.done();
    return { Priority: priority, Name: name as RecoveryMechanism['Name'] };
  });
  if (mechanisms.length < 1 || mechanisms.length > 2) {
    throw Errors.invalidParameter('RecoveryMechanisms must have one or two entries.');
  }
  if (new Set(mechanisms.map((m) => m.Priority)).size !== mechanisms.length || new Set(mechanisms.map((m) => m.Name)).size !== mechanisms.length) {
    throw Errors.invalidParameter('RecoveryMechanisms must not repeat a Name or a Priority.');
  }
  if (mechanisms.length > 1 && mechanisms.some((m) => m.Name === 'admin_only')) {
    throw Errors.invalidParameter('admin_only cannot be combined with another recovery mechanism.');
  }
  return { RecoveryMechanisms: [...mechanisms].sort((a, b) => a.Priority - b.Priority) };
}

function readAdminCreateUserConfig(input: JsonObject | undefined): AdminCreateUserConfig {
  const v = new Validator(input ?? {});
  const config: AdminCreateUserConfig = { AllowAdminCreateUserOnly: v.optionalBoolean('AllowAdminCreateUserOnly') ?? false };
  const unused = v.optionalInteger('UnusedAccountValidityDays', 0, 365);
  const invite = v.optionalObject('InviteMessageTemplate');
  v.done();
  if (unused !== undefined) config.UnusedAccountValidityDays = unused;
  if (invite) {
    const t = new Validator(invite);
    const sms = t.optionalString('SMSMessage', smsText);
    const email = t.optionalString('EmailMessage', emailText);
    const subject = t.optionalString('EmailSubject', subjectText);
    t.done();
    for (const [member, text] of [['SMSMessage', sms], ['EmailMessage', email]] as const) {
      requirePlaceholder(member, text, CODE_TEXT, '{####}');
      requirePlaceholder(member, text, /\{username\}/, '{username}');
    }
    config.InviteMessageTemplate = {
      ...(sms !== undefined ? { SMSMessage: sms } : {}),
      ...(email !== undefined ? { EmailMessage: email } : {}),
      ...(subject !== undefined ? { EmailSubject: subject } : {}),
    };
  }
  return config;
}

/** Members kept as given (e-mail sending settings ...); LambdaConfig and DeviceConfiguration are checked first. */
function readStoredMembers(v: Validator): NonNullable<PoolConfig['Stored']> {
  const stored: NonNullable<PoolConfig['Stored']> = {};
  for (const member of STORED_POOL_MEMBERS) {
    const value = v.optionalObject(member);
    if (value === undefined) continue;
    const read = member === 'LambdaConfig' ? readLambdaConfig(value) : member === 'DeviceConfiguration' ? readDeviceConfiguration(value) : value;
    if (read !== undefined) stored[member] = read;
  }
  return stored;
}

/** CreateUserPool input (minus PoolName) -> stored settings; Cognito's defaults fill the gaps. */
export function readPoolConfig(input: JsonObject): PoolConfig {
  const v = new Validator(input);
  const usernameAttributes = v.optionalStringList('UsernameAttributes', { oneOf: ['email', 'phone_number'] }) ?? [];
  const aliasAttributes =
    v.optionalStringList('AliasAttributes', { oneOf: ['email', 'phone_number', 'preferred_username'] }) ?? [];
  const autoVerified = v.optionalStringList('AutoVerifiedAttributes', { oneOf: ['email', 'phone_number'] }) ?? [];
  const mfa = v.optionalString('MfaConfiguration', { oneOf: ['OFF', 'ON', 'OPTIONAL'] }) ?? 'OFF';
  // CreateUserPool can only turn on SMS MFA (TOTP and e-mail come with SetUserPoolMfaConfig).
  const smsMessage = v.optionalString('SmsAuthenticationMessage', { min: 6, max: 140 });
  const smsConfiguration = v.optionalObject('SmsConfiguration');
  const adminCreate = readAdminCreateUserConfig(v.optionalObject('AdminCreateUserConfig'));
  const deletionProtection = v.optionalString('DeletionProtection', { oneOf: ['ACTIVE', 'INACTIVE'] }) ?? 'INACTIVE';
  const tags = readTags(input['UserPoolTags'], 'userPoolTags') ?? {};
  const usernameConfiguration = new Validator(v.optionalObject('UsernameConfiguration') ?? { CaseSensitive: true });
  // Cognito's default: usernames are case sensitive unless the pool says otherwise.
  const caseSensitive = usernameConfiguration.optionalBoolean('CaseSensitive') ?? true;
  usernameConfiguration.done();
  const verification = readVerificationTemplate(v);
  const recovery = readAccountRecovery(v.optionalObject('AccountRecoverySetting'));
  const updateSettings = new Validator(v.optionalObject('UserAttributeUpdateSettings') ?? {});
  const requireVerification =
    updateSettings.optionalStringList('AttributesRequireVerificationBeforeUpdate', { oneOf: ['email', 'phone_number'] }) ?? [];
  updateSettings.done();
  const stored = readStoredMembers(v);
  const tier = v.optionalString('UserPoolTier', { oneOf: TIERS }) as PoolConfig['UserPoolTier'];
  const policies = v.optionalObject('Policies');
  const config: PoolConfig = {
    Policies: {
      PasswordPolicy: readPasswordPolicy(policies),
      SignInPolicy: readSignInPolicy(new Validator(policies ?? {}).optionalObject('SignInPolicy')),
    },
    UserPoolTier: tier ?? DEFAULT_TIER,
    MfaConfiguration: mfa as PoolConfig['MfaConfiguration'],
    ...(mfa !== 'OFF'
      ? {
          SmsMfaConfiguration: readPoolMfaSettings(
            { SmsMfaConfiguration: { ...(smsMessage ? { SmsAuthenticationMessage: smsMessage } : {}), ...(smsConfiguration ? { SmsConfiguration: smsConfiguration } : {}) } },
            'ON',
          ).SmsMfaConfiguration!,
        }
      : {}),
    SoftwareTokenMfaConfiguration: { Enabled: false },
    UsernameAttributes: usernameAttributes,
    AliasAttributes: aliasAttributes,
    AutoVerifiedAttributes: autoVerified,
    Schema: readSchema(input['Schema']),
    AdminCreateUserConfig: adminCreate,
    UserPoolTags: tags,
    DeletionProtection: deletionProtection as PoolConfig['DeletionProtection'],
    UsernameConfiguration: { CaseSensitive: caseSensitive },
    VerificationMessageTemplate: verification,
    ...(recovery ? { AccountRecoverySetting: recovery } : {}),
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: [...new Set(requireVerification)] },
    ...(Object.keys(stored).length > 0 ? { Stored: stored } : {}),
  };
  v.done();
  if (usernameAttributes.length > 0 && aliasAttributes.length > 0) {
    throw Errors.invalidParameter('UsernameAttributes and AliasAttributes cannot be set at the same time.');
  }
  const unverifiable = requireVerification.filter((name) => !autoVerified.includes(name));
  if (unverifiable.length > 0) {
    throw Errors.invalidParameter(
      `AttributesRequireVerificationBeforeUpdate can only name attributes in AutoVerifiedAttributes (${unverifiable.join(', ')} is not).`,
    );
  }
  return config;
}

/** Members CreateUserPool takes that UpdateUserPool cannot change. */
const CREATION_ONLY = ['UsernameAttributes', 'AliasAttributes', 'Schema', 'UsernameConfiguration', 'PoolName', 'UserPoolId'];

/**
 * UpdateUserPool input -> the pool's new settings. As Cognito documents, every updatable member left
 * out returns to its default; what only CreateUserPool sets (UsernameAttributes, AliasAttributes,
 * Schema, UsernameConfiguration), the MFA factors and passkey settings of SetUserPoolMfaConfig, and
 * the feature plan when UserPoolTier is left out are kept.
 */
export function readPoolUpdate(current: PoolConfig, input: JsonObject): PoolConfig {
  const updatable = Object.fromEntries(Object.entries(input).filter(([name]) => !CREATION_ONLY.includes(name)));
  const next = readPoolConfig(updatable);
  const mfa = next.MfaConfiguration;
  const smsMessage = next.SmsMfaConfiguration?.SmsAuthenticationMessage;
  const smsConfiguration = next.SmsMfaConfiguration?.SmsConfiguration;
  // SMS MFA stays on where SetUserPoolMfaConfig turned it on; MfaConfiguration ON/OPTIONAL with no
  // factor at all turns it on, as CreateUserPool does.
  const keepsSms = current.SmsMfaConfiguration !== undefined;
  const offersOther = current.SoftwareTokenMfaConfiguration.Enabled || current.EmailMfaConfiguration !== undefined;
  const sms = keepsSms || (mfa !== 'OFF' && !offersOther)
    ? {
        SmsMfaConfiguration: {
          ...(smsMessage !== undefined ? { SmsAuthenticationMessage: smsMessage } : {}),
          ...(smsConfiguration !== undefined ? { SmsConfiguration: smsConfiguration } : (current.SmsMfaConfiguration?.SmsConfiguration ? { SmsConfiguration: current.SmsMfaConfiguration.SmsConfiguration } : {})),
        },
      }
    : {};
  const { SmsMfaConfiguration: _sms, ...rest } = next;
  const updated: PoolConfig = {
    ...rest,
    ...sms,
    SoftwareTokenMfaConfiguration: current.SoftwareTokenMfaConfiguration,
    ...(current.EmailMfaConfiguration ? { EmailMfaConfiguration: current.EmailMfaConfiguration } : {}),
    ...(current.WebAuthnConfiguration ? { WebAuthnConfiguration: current.WebAuthnConfiguration } : {}),
    UserPoolTier: input['UserPoolTier'] === undefined || input['UserPoolTier'] === null ? poolTier(current) : poolTier(next),
    UsernameAttributes: current.UsernameAttributes,
    AliasAttributes: current.AliasAttributes,
    Schema: current.Schema,
    UsernameConfiguration: current.UsernameConfiguration ?? { CaseSensitive: false },
  };
  checkPoolFeatures(updated);
  return updated;
}

/** Whether the pool matches usernames (and aliases) only in their exact case. */
export const isCaseSensitive = (config: PoolConfig): boolean => config.UsernameConfiguration?.CaseSensitive === true;

/** The verification template with Cognito's default option filled in (pools stored before it was kept). */
export const verificationTemplate = (config: PoolConfig): VerificationMessageTemplate =>
  config.VerificationMessageTemplate ?? { DefaultEmailOption: 'CONFIRM_WITH_CODE' };

/** email / phone_number whose new values wait for verification. */
export const attributesRequiringVerification = (config: PoolConfig): string[] =>
  config.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];

export const requiredAttributes = (config: PoolConfig): string[] =>
  config.Schema.filter((a) => a.Required).map((a) => a.Name);

function describeSchema(config: PoolConfig): SchemaAttribute[] {
  const declared = new Map(config.Schema.map((a) => [a.Name, a]));
  const standard = STANDARD_ATTRIBUTES.map(
    (name): SchemaAttribute =>
      declared.get(name) ?? {
        Name: name,
        AttributeDataType: isBooleanAttribute(name) ? 'Boolean' : name === 'updated_at' ? 'Number' : 'String',
        Mutable: name !== 'sub',
        Required: name === 'sub',
        DeveloperOnlyAttribute: false,
      },
  );
  return [...standard, ...config.Schema.filter((a) => a.Name.startsWith('custom:'))];
}

export function describePool(pool: PoolRecord, region: string, estimatedUsers: number): JsonObject {
  const c = pool.config;
  const template = verificationTemplate(c);
  return {
    Id: pool.id,
    Name: pool.name,
    Arn: userPoolArn(region, pool.id),
    Policies: { ...c.Policies, SignInPolicy: { AllowedFirstAuthFactors: [...allowedFirstFactors(c)] } },
    UserPoolTier: poolTier(c),
    LambdaConfig: {},
    LastModifiedDate: epochSeconds(pool.updatedAt),
    CreationDate: epochSeconds(pool.createdAt),
    SchemaAttributes: describeSchema(c),
    AutoVerifiedAttributes: c.AutoVerifiedAttributes,
    ...(c.UsernameAttributes.length > 0 ? { UsernameAttributes: c.UsernameAttributes } : {}),
    ...(c.AliasAttributes.length > 0 ? { AliasAttributes: c.AliasAttributes } : {}),
    MfaConfiguration: c.MfaConfiguration,
    ...(c.SmsMfaConfiguration?.SmsAuthenticationMessage ? { SmsAuthenticationMessage: c.SmsMfaConfiguration.SmsAuthenticationMessage } : {}),
    ...(c.SmsMfaConfiguration?.SmsConfiguration ? { SmsConfiguration: c.SmsMfaConfiguration.SmsConfiguration } : {}),
    EstimatedNumberOfUsers: estimatedUsers,
    AdminCreateUserConfig: c.AdminCreateUserConfig,
    UserPoolTags: c.UserPoolTags,
    DeletionProtection: c.DeletionProtection,
    UsernameConfiguration: { CaseSensitive: isCaseSensitive(c) },
    VerificationMessageTemplate: template,
    ...(template.EmailMessage !== undefined ? { EmailVerificationMessage: template.EmailMessage } : {}),
    ...(template.EmailSubject !== undefined ? { EmailVerificationSubject: template.EmailSubject } : {}),
    ...(template.SmsMessage !== undefined ? { SmsVerificationMessage: template.SmsMessage } : {}),
    ...(c.AccountRecoverySetting ? { AccountRecoverySetting: c.AccountRecoverySetting } : {}),
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: attributesRequiringVerification(c) },
    ...(c.Stored ?? {}),
  };
}

export function summarizePool(pool: PoolRecord): JsonObject {
  return {
    Id: pool.id,
    Name: pool.name,
    LambdaConfig: pool.config.Stored?.LambdaConfig ?? {},
    LastModifiedDate: epochSeconds(pool.updatedAt),
    CreationDate: epochSeconds(pool.createdAt),
  };
}

// ---------- app clients ----------

function readValidityUnits(input: JsonObject | undefined): ClientConfig['TokenValidityUnits'] {
  const v = new Validator(input ?? {});
  const unit = (name: string, fallback: TokenValidityUnit) =>
    (v.optionalString(name, { oneOf: UNITS }) as TokenValidityUnit | undefined) ?? fallback;
  const units = { AccessToken: unit('AccessToken', 'hours'), IdToken: unit('IdToken', 'hours'), RefreshToken: unit('RefreshToken', 'days') };
  v.done();
  return units;
}

export const validitySeconds = (value: number, unit: TokenValidityUnit): number => value * UNIT_SECONDS[unit];

/**
 * CreateUserPoolClient / UpdateUserPoolClient input (minus ids, name and GenerateSecret) -> stored
 * settings. Like Cognito's Update, anything not given goes back to its default.
 */
export function readClientConfig(input: JsonObject): ClientConfig {
  const v = new Validator(input);
  const flows = v.optionalStringList('ExplicitAuthFlows', { oneOf: AUTH_FLOWS }) ?? [];
  const units = readValidityUnits(v.optionalObject('TokenValidityUnits'));
  const access = v.optionalInteger('AccessTokenValidity', 1, 86400);
  const id = v.optionalInteger('IdTokenValidity', 1, 86400);
  const refresh = v.optionalInteger('RefreshTokenValidity', 0, 315360000);
  const rotationInput = new Validator(v.optionalObject('RefreshTokenRotation') ?? {});
  const rotation = {
    Feature: (rotationInput.optionalString('Feature', { oneOf: ['ENABLED', 'DISABLED'] }) ?? 'DISABLED') as 'ENABLED' | 'DISABLED',
    RetryGracePeriodSeconds: rotationInput.optionalInteger('RetryGracePeriodSeconds', 0, 60) ?? 0,
  };
  rotationInput.done();
  const readAttributes = v.optionalStringList('ReadAttributes', { min: 1, max: 32 });
  const writeAttributes = v.optionalStringList('WriteAttributes', { min: 1, max: 32 });
  const config: ClientConfig = {
    ExplicitAuthFlows: flows.length > 0 ? [...new Set(flows)] : [...DEFAULT_AUTH_FLOWS],
    PreventUserExistenceErrors: (v.optionalString('PreventUserExistenceErrors', { oneOf: ['LEGACY', 'ENABLED'] }) ??
      'LEGACY') as ClientConfig['PreventUserExistenceErrors'],
    EnableTokenRevocation: v.optionalBoolean('EnableTokenRevocation') ?? true,
    AuthSessionValidity: v.optionalInteger('AuthSessionValidity', 3, 15) ?? 3,
    // A validity left out is Cognito's default (60 minutes / 60 minutes / 30 days), whatever the units say.
    AccessTokenValidity: access ?? 60,
    IdTokenValidity: id ?? 60,
    RefreshTokenValidity: refresh ?? 30,
    TokenValidityUnits: {
      AccessToken: access === undefined ? 'minutes' : units.AccessToken,
      IdToken: id === undefined ? 'minutes' : units.IdToken,
      RefreshToken: refresh === undefined ? 'days' : units.RefreshToken,
    },
    RefreshTokenRotation: rotation,
    ...(readAttributes ? { ReadAttributes: readAttributes } : {}),
    ...(writeAttributes ? { WriteAttributes: writeAttributes } : {}),
    ...readOAuthSettings(v),
  };
  v.done();
  checkClientConfig(config);
  return config;
}

function checkClientConfig(config: ClientConfig): void {
  const legacy = config.ExplicitAuthFlows.filter((f) => !f.startsWith('ALLOW_'));
  if (legacy.length > 0 && legacy.length < config.ExplicitAuthFlows.length) {
    throw Errors.invalidParameter('ExplicitAuthFlows cannot mix legacy values with ALLOW_ values.');
  }
  const units = config.TokenValidityUnits;
  const within = (seconds: number, min: number, max: number) => seconds >= min && seconds <= max;
  if (!within(validitySeconds(config.AccessTokenValidity, units.AccessToken), 300, 86400)) {
    throw Errors.invalidParameter('Access token validity must be between 5 minutes and 1 day.');
  }
  if (!within(validitySeconds(config.IdTokenValidity, units.IdToken), 300, 86400)) {
    throw Errors.invalidParameter('Id token validity must be between 5 minutes and 1 day.');
  }
  if (!within(validitySeconds(config.RefreshTokenValidity, units.RefreshToken), 3600, 3650 * 86400)) {
    throw Errors.invalidParameter('Refresh token validity must be between 60 minutes and 3650 days.');
  }
}

export function describeClient(client: ClientRecord): JsonObject {
  return {
    UserPoolId: client.poolId,
    ClientName: client.name,
    ClientId: client.id,
    ...(client.secret !== null ? { ClientSecret: client.secret } : {}),
    LastModifiedDate: epochSeconds(client.updatedAt),
    CreationDate: epochSeconds(client.createdAt),
    ...client.config,
    AllowedOAuthFlowsUserPoolClient: client.config.AllowedOAuthFlowsUserPoolClient === true,
  };
}

export const summarizeClient = (client: ClientRecord): JsonObject => ({
  ClientId: client.id,
  UserPoolId: client.poolId,
  ClientName: client.name,
});

/** Which ExplicitAuthFlows value admits an (Admin)InitiateAuth flow. */
export function isFlowEnabled(
  config: ClientConfig,
  flow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'ADMIN_USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH' | 'USER_AUTH' | 'CUSTOM_AUTH',
): boolean {
  const flows = config.ExplicitAuthFlows;
  // USER_AUTH has no legacy name: only ALLOW_USER_AUTH admits it.
  if (flow === 'USER_AUTH') return flows.includes('ALLOW_USER_AUTH');
  const legacy = flows.some((f) => !f.startsWith('ALLOW_'));
  if (legacy) {
    // Legacy clients always allow refresh and custom auth, allow SRP unless custom-only, and name the password flows.
    if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'CUSTOM_AUTH') return true;
    if (flow === 'USER_PASSWORD_AUTH') return flows.includes('USER_PASSWORD_AUTH');
    if (flow === 'ADMIN_USER_PASSWORD_AUTH') return flows.includes('ADMIN_NO_SRP_AUTH');
    return !flows.includes('CUSTOM_AUTH_FLOW_ONLY');
  }
  return flows.includes(`ALLOW_${flow}`);
}
