// MFA rules of the local pool: the pool's MFA configuration (SetUserPoolMfaConfig), which factors a
// user can use, user MFA preferences (SetUserMFAPreference), masked destinations and one-time codes.
import { randomInt } from 'node:crypto';
import { Errors } from '../api/errors.js';
import {
  MFA_TYPES,
  type EmailMfaConfig,
  type MfaConfiguration,
  type MfaType,
  type PoolConfig,
  type PoolRecord,
  type SmsMfaConfig,
  type UserMfaState,
  type UserRecord,
  type WebAuthnConfig,
} from '../store/model.js';
import { Validator, type JsonObject, type StringRule } from '../api/validation.js';
import { readWebAuthnConfiguration, webAuthnConfiguration } from './sign-in-policy.js';

// ---------- pool configuration ----------

export const DEFAULT_SMS_MESSAGE = 'Your authentication code is {####}';
export const DEFAULT_EMAIL_SUBJECT = 'Your authentication code';
export const DEFAULT_EMAIL_MESSAGE = 'Your authentication code is {####}';
/** Digits of the codes the pool sends (e-mail codes are 8 digits, as observed from Cognito; SMS_OTP as SMS_MFA). */
export const CODE_DIGITS: Record<'SMS_MFA' | 'EMAIL_OTP' | 'SMS_OTP', number> = { SMS_MFA: 6, EMAIL_OTP: 8, SMS_OTP: 6 };

const CODE_PLACEHOLDER = '{####}';

export interface PoolMfaSettings {
  MfaConfiguration: MfaConfiguration;
  SmsMfaConfiguration?: SmsMfaConfig;
  SoftwareTokenMfaConfiguration: { Enabled: boolean };
  EmailMfaConfiguration?: EmailMfaConfig;
  /** Passkey settings; left out of the request, the stored ones stay (they are not an MFA factor switch). */
  WebAuthnConfiguration?: WebAuthnConfig;
}

function readSmsMfaConfig(input: JsonObject): SmsMfaConfig {
  const v = new Validator(input);
  const message = v.optionalString('SmsAuthenticationMessage', { min: 6, max: 140 });
  const sns = v.optionalObject('SmsConfiguration');
  v.done();
  if (message !== undefined && !message.includes(CODE_PLACEHOLDER)) {
    throw Errors.invalidParameter('SmsAuthenticationMessage must contain {####}.');
  }
  const config: SmsMfaConfig = message === undefined ? {} : { SmsAuthenticationMessage: message };
  if (sns) {
    const s = new Validator(sns);
    const SnsCallerArn = s.requiredString('SnsCallerArn', { min: 20, max: 2048 });
    const ExternalId = s.optionalString('ExternalId');
    const SnsRegion = s.optionalString('SnsRegion', { min: 5, max: 32 });
    s.done();
    config.SmsConfiguration = { SnsCallerArn, ...(ExternalId ? { ExternalId } : {}), ...(SnsRegion ? { SnsRegion } : {}) };
  }
  return config;
}

function readEmailMfaConfig(input: JsonObject): EmailMfaConfig {
  const v = new Validator(input);
  const message = v.optionalString('Message', { min: 6, max: 20000 });
  const subject = v.optionalString('Subject', { min: 1, max: 140 });
  v.done();
  if (message !== undefined && !message.includes(CODE_PLACEHOLDER)) throw Errors.invalidParameter('Message must contain {####}.');
  return { ...(message !== undefined ? { Message: message } : {}), ...(subject !== undefined ? { Subject: subject } : {}) };
}

/**
 * SetUserPoolMfaConfig input (minus UserPoolId). A factor's configuration being present turns it on,
 * absent turns it off; MfaConfiguration left out keeps the current value.
 */
export function readPoolMfaSettings(input: JsonObject, current: MfaConfiguration): PoolMfaSettings {
  const v = new Validator(input);
  const mfa = (v.optionalString('MfaConfiguration', { oneOf: ['OFF', 'ON', 'OPTIONAL'] }) as MfaConfiguration | undefined) ?? current;
  const sms = v.optionalObject('SmsMfaConfiguration');
  const totp = v.optionalObject('SoftwareTokenMfaConfiguration');
  const email = v.optionalObject('EmailMfaConfiguration');
  const webAuthn = v.optionalObject('WebAuthnConfiguration');
  v.done();
  let totpEnabled = false;
  if (totp) {
    const t = new Validator(totp);
    totpEnabled = t.optionalBoolean('Enabled') ?? false;
    t.done();
  }
  const settings: PoolMfaSettings = {
    MfaConfiguration: mfa,
    ...(sms ? { SmsMfaConfiguration: readSmsMfaConfig(sms) } : {}),
    SoftwareTokenMfaConfiguration: { Enabled: totpEnabled },
    ...(email ? { EmailMfaConfiguration: readEmailMfaConfig(email) } : {}),
    ...(webAuthn ? { WebAuthnConfiguration: readWebAuthnConfiguration(webAuthn) } : {}),
  };
  if (mfa !== 'OFF' && poolMfaTypes({ ...settings, MfaConfiguration: 'ON' }).length === 0) {
    throw Errors.invalidParameter("Invalid MFA configuration given, can't turn off all MFAs when MFA is required or optional.");
  }
  return settings;
}

/** The pool settings with the MFA members replaced (factors left out of `settings` end up off). */
export function withPoolMfaSettings(config: PoolConfig, settings: PoolMfaSettings): PoolConfig {
  const { SmsMfaConfiguration: _sms, EmailMfaConfiguration: _email, ...rest } = config;
  return { ...rest, ...settings };
}

/** GetUserPoolMfaConfig / SetUserPoolMfaConfig output. */
export function describePoolMfa(config: PoolConfig): JsonObject {
  return {
    ...(config.SmsMfaConfiguration ? { SmsMfaConfiguration: config.SmsMfaConfiguration } : {}),
    SoftwareTokenMfaConfiguration: config.SoftwareTokenMfaConfiguration,
    ...(config.EmailMfaConfiguration ? { EmailMfaConfiguration: config.EmailMfaConfiguration } : {}),
    MfaConfiguration: config.MfaConfiguration,
    WebAuthnConfiguration: { ...webAuthnConfiguration(config) },
  };
}

/** The factors the pool offers (none when MFA is OFF), in Cognito's order. */
export function poolMfaTypes(config: Pick<PoolConfig, 'MfaConfiguration' | 'SmsMfaConfiguration' | 'SoftwareTokenMfaConfiguration' | 'EmailMfaConfiguration'>): MfaType[] {
  if (config.MfaConfiguration === 'OFF') return [];
  return MFA_TYPES.filter((type) =>
    type === 'SMS_MFA'
      ? config.SmsMfaConfiguration !== undefined
      : type === 'SOFTWARE_TOKEN_MFA'
        ? config.SoftwareTokenMfaConfiguration?.Enabled === true
        : config.EmailMfaConfiguration !== undefined,
  );
}

// ---------- which factor a sign-in uses ----------

/** Whether the user has what the factor needs: a phone number, an e-mail address, a verified authenticator. */
export function hasDelivery(user: UserRecord, type: MfaType): boolean {
  if (type === 'SMS_MFA') return Boolean(user.attributes['phone_number']);
  if (type === 'EMAIL_OTP') return Boolean(user.attributes['email']);
  return user.mfa.totp !== null;
}

/**
 * The factors this user can answer now: the ones the user turned on, that the pool offers and that
 * the user has a destination for. When the pool requires MFA and none of those is left, Cognito uses
 * what the user has anyway (a phone number gets SMS, an address gets e-mail, a verified
 * authenticator gets TOTP), without any user setting (see docs/local-pool.md, "MFA").
 */
export function usableMfaTypes(pool: PoolRecord, user: UserRecord): MfaType[] {
  const offered = poolMfaTypes(pool.config);
  const usable = (type: MfaType) => offered.includes(type) && hasDelivery(user, type);
  const chosen = MFA_TYPES.filter((type) => user.mfa.enabled.includes(type) && usable(type));
  if (chosen.length > 0 || pool.config.MfaConfiguration !== 'ON') return chosen;
  return MFA_TYPES.filter(usable);
}

export type MfaStep =
  | { kind: 'none' }
  | { kind: 'challenge'; type: MfaType }
  | { kind: 'select'; choices: MfaType[] }
  | { kind: 'setup'; choices: MfaType[] };

/** What follows the first factor: nothing, one factor, a choice, or MFA_SETUP. */
export function nextMfaStep(pool: PoolRecord, user: UserRecord): MfaStep {
  if (pool.config.MfaConfiguration === 'OFF') return { kind: 'none' };
  const usable = usableMfaTypes(pool, user);
  if (usable.length === 0) {
    return pool.config.MfaConfiguration === 'ON' ? { kind: 'setup', choices: poolMfaTypes(pool.config) } : { kind: 'none' };
  }
  if (user.mfa.preferred !== null && usable.includes(user.mfa.preferred)) return { kind: 'challenge', type: user.mfa.preferred };
  if (usable.length === 1) return { kind: 'challenge', type: usable[0]! };
  return { kind: 'select', choices: usable };
}

// ---------- user preferences ----------

export interface MfaSettingInput {
  Enabled?: boolean;
  PreferredMfa?: boolean;
}

export type MfaPreferenceInput = Partial<Record<MfaType, MfaSettingInput>>;

/** SetUserMFAPreference's three members, read from the request. */
export function readMfaPreferenceInput(v: Validator): MfaPreferenceInput {
  const members: Array<[string, MfaType]> = [
    ['SMSMfaSettings', 'SMS_MFA'],
    ['SoftwareTokenMfaSettings', 'SOFTWARE_TOKEN_MFA'],
    ['EmailMfaSettings', 'EMAIL_OTP'],
  ];
  const input: MfaPreferenceInput = {};
  for (const [member, type] of members) {
    const value = v.optionalObject(member);
    if (!value) continue;
    const s = new Validator(value);
    const setting: MfaSettingInput = {};
    const enabled = s.optionalBoolean('Enabled');
    const preferred = s.optionalBoolean('PreferredMfa');
    s.done();
    if (enabled !== undefined) setting.Enabled = enabled;
    if (preferred !== undefined) setting.PreferredMfa = preferred;
    input[type] = setting;
  }
  v.optionalObject('WebAuthnMfaSettings');
  return input;
}

const FACTOR_NAME: Record<MfaType, string> = { SMS_MFA: 'SMS', SOFTWARE_TOKEN_MFA: 'Software token', EMAIL_OTP: 'Email' };

/**
 * The user's MFA settings after SetUserMFAPreference / AdminSetUserMFAPreference (and seed `mfa`).
 * Settings left out stay as they are; PreferredMfa true also turns the factor on.
 */
export function applyMfaPreference(pool: PoolRecord, user: UserRecord, input: MfaPreferenceInput): UserMfaState {
  const wantsPreferred = MFA_TYPES.filter((type) => input[type]?.PreferredMfa === true);
  if (wantsPreferred.length > 1) throw Errors.invalidParameter('Only one MFA method can be set as preferred.');
  const offered = poolMfaTypes(pool.config);
  const enabled = new Set(user.mfa.enabled);
  let preferred = user.mfa.preferred;
  for (const type of MFA_TYPES) {
    const setting = input[type];
    if (!setting) continue;
    if (setting.Enabled === false && setting.PreferredMfa === true) {
      throw Errors.invalidParameter(`${FACTOR_NAME[type]} MFA cannot be preferred while it is disabled.`);
    }
    const turnOn = setting.Enabled === true || setting.PreferredMfa === true;
    if (turnOn && !enabled.has(type)) {
      if (!offered.includes(type)) throw Errors.invalidParameter(`${FACTOR_NAME[type]} MFA is not enabled for this user pool.`);
      if (type === 'SOFTWARE_TOKEN_MFA' && user.mfa.totp === null) {
        throw user.mfa.pendingTotpSecret === null ? Errors.softwareTokenNotSetUp() : Errors.softwareTokenNotVerified();
      }
      if (type === 'SMS_MFA' && !hasDelivery(user, type)) throw Errors.invalidParameter('User does not have a phone_number set to turn on SMS MFA');
      if (type === 'EMAIL_OTP' && !hasDelivery(user, type)) throw Errors.invalidParameter('User does not have an email set to turn on email MFA');
    }
    if (turnOn) enabled.add(type);
    if (setting.Enabled === false) enabled.delete(type);
    if (setting.PreferredMfa === true) preferred = type;
    if ((setting.PreferredMfa === false || setting.Enabled === false) && preferred === type) preferred = null;
  }
  const list = MFA_TYPES.filter((type) => enabled.has(type));
  if (pool.config.MfaConfiguration === 'ON' && user.mfa.enabled.length > 0 && list.length === 0) {
    throw Errors.invalidParameter('MFA is required in this user pool: at least one MFA method must stay enabled.');
  }
  return { ...user.mfa, enabled: list, preferred };
}

// ---------- legacy MFAOptions (SetUserSettings / AdminSetUserSettings) ----------

/** MFAOptionType's members as Cognito's model constrains them. */
export const MFA_OPTION_MEMBERS: Readonly<Record<string, StringRule>> = {
  DeliveryMedium: { oneOf: ['SMS', 'EMAIL'] },
  AttributeName: { min: 1, max: 32, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+' },
};

const SMS_OPTION = { DeliveryMedium: 'SMS', AttributeName: 'phone_number' } as const;

/**
 * MFAOptions as a change of the SMS factor: the list is the user's whole legacy setting, so SMS MFA is
 * on when an entry names SMS for phone_number and off otherwise (an empty list, or phone_number with no
 * DeliveryMedium, which is how the old API removed an option). Only SMS exists in this API.
 */
export function readMfaOptions(options: readonly JsonObject[]): MfaPreferenceInput {
  let sms = false;
  for (const option of options) {
    const medium = option['DeliveryMedium'] ?? undefined;
    const attribute = option['AttributeName'] ?? undefined;
    if (medium === 'EMAIL') throw Errors.invalidParameter('Only SMS can be set as an MFA option here; use SetUserMFAPreference for email MFA.');
    if (attribute !== 'phone_number') throw Errors.invalidParameter('The MFA option must name the phone_number attribute.');
    if (medium === 'SMS') sms = true;
  }
  return { SMS_MFA: { Enabled: sms } };
}

/** MFAOptions of GetUser / AdminGetUser / ListUsers: the SMS option while SMS MFA is on, else left out. */
export function describeMfaOptions(user: UserRecord): JsonObject {
  return user.mfa.enabled.includes('SMS_MFA') ? { MFAOptions: [{ ...SMS_OPTION }] } : {};
}

/** GetUser / AdminGetUser members; both are left out while not set (Amplify then reports nothing enabled). */
export function describeUserMfa(user: UserRecord): JsonObject {
  return {
    ...(user.mfa.enabled.length > 0 ? { UserMFASettingList: [...user.mfa.enabled] } : {}),
    ...(user.mfa.preferred !== null ? { PreferredMfaSetting: user.mfa.preferred } : {}),
  };
}

// ---------- codes and destinations ----------

/** A random code of `digits` digits (node:crypto). */
export function newCode(digits: number): string {
  return String(randomInt(0, 10 ** digits)).padStart(digits, '0');
}

/** "+15555550100" -> "+*******0100": every digit but the last four hidden, as Cognito shows it. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+/, '');
  return `+${'*'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
}

/** "alice@example.com" -> "a***@e***": first letter of each side, as Cognito shows it. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***@${email[at + 1] ?? ''}***`;
}

/** The message text with the code in place of {####}. */
export const fillTemplate = (template: string, code: string): string => template.split(CODE_PLACEHOLDER).join(code);

