// Seed documents: pools, app clients and users with fixed ids, applied idempotently.
// Rule: seeding only adds what is missing. An existing pool, client or user (same id / same
// name) is left exactly as it is, so a second run changes nothing and never undoes what
// happened since (a password changed through NEW_PASSWORD_REQUIRED stays changed).
import type { PoolContext } from '../context.js';
import { CognitoError } from '../api/errors.js';
import { applyMfaPreference, readPoolMfaSettings, withPoolMfaSettings, type MfaPreferenceInput } from './mfa.js';
import type { MfaType, PoolRecord, UserRecord, UserStatus } from '../store/model.js';
import { createCredentialsSync, passwordPolicyViolation } from '../crypto/passwords.js';
import { createClient, createPool, insertUser, planUser } from './provisioning.js';
import { checkPoolFeatures } from './sign-in-policy.js';
import { isBase32Secret } from '../crypto/totp.js';
import { findUser } from './users.js';
import { isPlainObject, type JsonObject } from '../api/validation.js';

export interface SeedUser {
  /** A username, or an email / phone number in pools with UsernameAttributes. */
  username: string;
  /** Permanent password; the user is CONFIRMED unless `status` says otherwise. */
  password?: string;
  /** Shorthand for `password` + status FORCE_CHANGE_PASSWORD (NEW_PASSWORD_REQUIRED at sign-in). */
  temporaryPassword?: string;
  status?: UserStatus;
  /** Default true. */
  enabled?: boolean;
  attributes?: Record<string, string>;
  /** MFA factors turned on for the user (as SetUserMFAPreference would), and the preferred one. */
  mfa?: SeedUserMfa;
  /** Base32 TOTP secret of an authenticator the user already verified (SOFTWARE_TOKEN_MFA works with it). */
  totpSecret?: string;
  /** FRIENDLY_DEVICE_NAME of that authenticator; default "TOTP device". */
  totpDeviceName?: string;
  /** What this user exercises; shown by the CLI and the demo, not stored. */
  description?: string;
}

export interface SeedUserMfa {
  /** Needs a phone_number attribute. */
  sms?: boolean;
  /** Needs totpSecret. */
  totp?: boolean;
  /** Needs an email attribute. */
  email?: boolean;
  preferred?: 'SMS' | 'TOTP' | 'EMAIL';
}

export interface SeedClient {
  /** Fixed app client id (letters, digits, _ and +; real ones are 26 lower-case alphanumerics). */
  id: string;
  name: string;
  /** Fixed client secret (24-64 of [\w+]); omit for a public client. */
  secret?: string;
  /** CreateUserPoolClient members (ExplicitAuthFlows, PreventUserExistenceErrors, AuthSessionValidity ...). */
  settings?: JsonObject;
}

export interface SeedPool {
  /** Fixed user pool id, `<region>_<name>`; the part after "_" is the SRP pool name. */
  id: string;
  name: string;
  /** CreateUserPool members (Policies, Schema, UsernameAttributes, AliasAttributes ...). */
  settings?: JsonObject;
  /**
   * SetUserPoolMfaConfig members (MfaConfiguration, SmsMfaConfiguration, SoftwareTokenMfaConfiguration,
   * EmailMfaConfiguration), applied when the pool is created.
   */
  mfa?: JsonObject;
  clients?: SeedClient[];
  users?: SeedUser[];
}

export interface SeedDocument {
  pools: SeedPool[];
}

export interface SeedOutcome {
  pools: string[];
  clients: string[];
  /** `<poolId>/<username>` */
  users: string[];
}

export interface SeedResult {
  created: SeedOutcome;
  existing: SeedOutcome;
}

const STATUSES: readonly UserStatus[] = ['CONFIRMED', 'UNCONFIRMED', 'FORCE_CHANGE_PASSWORD', 'RESET_REQUIRED'];

class SeedError extends Error {
  constructor(where: string, message: string) {
    super(`seed: ${where}: ${message}`);
    this.name = 'SeedError';
  }
}

function expectString(value: unknown, where: string, field: string): string {
  if (typeof value !== 'string' || value === '') throw new SeedError(where, `"${field}" must be a non-empty string`);
  return value;
}

/** Password and status of a seed user, checked against the pool's password policy. */
function userCredentials(user: SeedUser, where: string): { password: string; status: UserStatus } {
  if (user.password !== undefined && user.temporaryPassword !== undefined) {
    throw new SeedError(where, 'give either "password" or "temporaryPassword", not both');
  }
  const password = user.temporaryPassword ?? user.password;
  if (typeof password !== 'string' || password === '') throw new SeedError(where, '"password" or "temporaryPassword" is required');
  const status = user.temporaryPassword !== undefined ? 'FORCE_CHANGE_PASSWORD' : (user.status ?? 'CONFIRMED');
  if (!STATUSES.includes(status)) throw new SeedError(where, `"status" must be one of ${STATUSES.join(', ')}`);
  return { password, status };
}

function seedPool(ctx: PoolContext, seed: SeedPool, where: string, result: SeedResult): void {
  const id = expectString(seed.id, where, 'id');
  const name = expectString(seed.name, where, 'name');
  let pool = ctx.store.getPool(id);
  if (pool) {
    result.existing.pools.push(id);
  } else {
    pool = createPool(ctx, { id, name, settings: seed.settings ?? {} });
    if (seed.mfa !== undefined) {
      if (!isPlainObject(seed.mfa)) throw new SeedError(where, '"mfa" must be an object of SetUserPoolMfaConfig members');
      pool = { ...pool, config: withPoolMfaSettings(pool.config, readPoolMfaSettings(seed.mfa, pool.config.MfaConfiguration)) };
      checkPoolFeatures(pool.config);
      ctx.store.updatePool(pool);
    }
    result.created.pools.push(id);
  }

  (seed.clients ?? []).forEach((client, index) => {
    const at = `${where}.clients[${index}]`;
    const clientId = expectString(client.id, at, 'id');
    const existing = ctx.store.getClient(clientId);
    if (existing) {
      if (existing.poolId !== pool.id) throw new SeedError(at, `client ${clientId} already belongs to pool ${existing.poolId}`);
      result.existing.clients.push(clientId);
      return;
    }
    const secret = client.secret === undefined ? null : expectString(client.secret, at, 'secret');
    createClient(ctx, { pool, id: clientId, name: expectString(client.name, at, 'name'), secret, settings: client.settings ?? {} });
    result.created.clients.push(clientId);
  });

  (seed.users ?? []).forEach((user, index) => {
    const at = `${where}.users[${index}]`;
    const username = expectString(user.username, at, 'username');
    const key = `${pool.id}/${username}`;
    if (findUser(ctx.store, pool, username)) {
      result.existing.users.push(key);
      return;
    }
    const { password, status } = userCredentials(user, `${at} (${username})`);
    const violation = passwordPolicyViolation(password, pool.config.Policies.PasswordPolicy);
    if (violation) throw new SeedError(`${at} (${username})`, `password does not meet the pool's policy: ${violation}`);
    const attributes = Object.entries(user.attributes ?? {}).map(([Name, Value]) => ({ Name, Value: String(Value) }));
    const planned = planUser(ctx, pool, username, attributes);
    const inserted = insertUser(ctx, planned, {
      status,
      enabled: user.enabled ?? true,
      credentials: createCredentialsSync(ctx.srp, pool.id, planned.username, password),
    });
    seedUserMfa(ctx, pool, inserted, user, `${at} (${username})`);
    result.created.users.push(key);
  });
}

const PREFERRED: Record<string, MfaType> = { SMS: 'SMS_MFA', TOTP: 'SOFTWARE_TOKEN_MFA', EMAIL: 'EMAIL_OTP' };

/** `totpSecret` (a verified authenticator) and `mfa` (factors on, preferred), with SetUserMFAPreference's checks. */
function seedUserMfa(ctx: PoolContext, pool: PoolRecord, user: UserRecord, seed: SeedUser, where: string): void {
  if (seed.totpSecret === undefined && seed.mfa === undefined) return;
  let mfa = user.mfa;
  if (seed.totpSecret !== undefined) {
    if (typeof seed.totpSecret !== 'string' || !isBase32Secret(seed.totpSecret)) {
      throw new SeedError(where, '"totpSecret" must be a base32 secret of at least 16 characters');
    }
    const secret = seed.totpSecret.replace(/[\s=]/g, '').toUpperCase();
    mfa = { ...mfa, totp: { secret, deviceName: seed.totpDeviceName ?? null, lastStep: null } };
  }
  if (seed.mfa !== undefined) {
    const { sms, totp, email, preferred, ...unknown } = seed.mfa;
    if (!isPlainObject(seed.mfa) || Object.keys(unknown).length > 0) {
      throw new SeedError(where, '"mfa" takes only sms, totp, email (booleans) and preferred');
    }
    if (preferred !== undefined && !Object.hasOwn(PREFERRED, preferred)) throw new SeedError(where, '"mfa.preferred" must be SMS, TOTP or EMAIL');
    if (totp && seed.totpSecret === undefined) throw new SeedError(where, '"mfa.totp" needs "totpSecret"');
    const input: MfaPreferenceInput = {};
    const flags: Array<[boolean | undefined, MfaType]> = [[sms, 'SMS_MFA'], [totp, 'SOFTWARE_TOKEN_MFA'], [email, 'EMAIL_OTP']];
    for (const [on, type] of flags) if (on !== undefined) input[type] = { Enabled: on };
    if (preferred !== undefined) input[PREFERRED[preferred]!] = { ...input[PREFERRED[preferred]!], PreferredMfa: true };
    try {
      mfa = applyMfaPreference(pool, { ...user, mfa }, input);
    } catch (error) {
      throw error instanceof CognitoError ? new SeedError(where, `${error.type}: ${error.message}`) : error;
    }
  }
  ctx.store.saveUser({ ...user, mfa });
}

/** Applies a seed document in one transaction: on any error nothing of it is kept. */
export function applySeed(ctx: PoolContext, doc: SeedDocument): SeedResult {
  if (!isPlainObject(doc) || !Array.isArray(doc.pools)) throw new SeedError('document', '"pools" must be a list');
  const empty = (): SeedOutcome => ({ pools: [], clients: [], users: [] });
  const result: SeedResult = { created: empty(), existing: empty() };
  ctx.store.transaction(() =>
    doc.pools.forEach((pool, index) => {
      const where = `pools[${index}]`;
      try {
        seedPool(ctx, pool, where, result);
      } catch (error) {
        throw error instanceof CognitoError ? new SeedError(where, `${error.type}: ${error.message}`) : error;
      }
    }),
  );
  return result;
}
