// Users: look-up by username or alias, attribute rules, and the UserType shape of admin output.
import { randomUUID } from 'node:crypto';
import { CLIENT_READ_ONLY_ATTRIBUTES, STANDARD_ATTRIBUTES, isBooleanAttribute } from './config.js';
import { checkCustomValue } from './schema.js';
import { CognitoError, Errors } from '../api/errors.js';
import { noFailures, noMfa, type PasswordCredentials, type PoolRecord, type UserRecord, type UserStatus } from '../store/model.js';
import type { Store } from '../store/store.js';
import type { JsonObject } from '../api/validation.js';
import { describeMfaOptions } from './mfa.js';

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+[0-9]{4,15}$/;
const VERIFIED_FLAG: Record<string, string> = { email: 'email_verified', phone_number: 'phone_number_verified' };

/**
 * The user a typed name refers to: the username (case-insensitive), else an attribute that replaces
 * the username (UsernameAttributes), else a *verified* alias (AliasAttributes).
 */
export function findUser(store: Store, pool: PoolRecord, name: string): UserRecord | undefined {
  const direct = store.getUserByUsername(pool.id, name);
  if (direct) return direct;
  for (const attribute of pool.config.UsernameAttributes) {
    const [match] = store.findUsersByAttribute(pool.id, attribute, name);
    if (match) return match;
  }
  for (const attribute of pool.config.AliasAttributes) {
    const flag = VERIFIED_FLAG[attribute];
    const match = store
      .findUsersByAttribute(pool.id, attribute, name)
      .find((user) => flag === undefined || user.attributes[flag] === 'true');
    if (match) return match;
  }
  return undefined;
}

export function requireUser(store: Store, pool: PoolRecord, name: string): UserRecord {
  const user = findUser(store, pool, name);
  if (!user) throw Errors.userNotFound();
  return user;
}

function schemaError(detail: string): CognitoError {
  return Errors.invalidParameter(`Attributes did not conform to the schema: ${detail}`);
}

/**
 * Checks attributes written through the admin API or the seed; returns them as a map.
 * `sub` is never writable; custom attributes must be declared in the pool schema, their values fit its
 * type and constraints.
 */
export function readAttributeUpdates(pool: PoolRecord, list: Array<{ Name: string; Value: string }>): Record<string, string> {
  const updates: Record<string, string> = {};
  for (const { Name, Value } of list) {
    const custom = Name.startsWith('custom:') ? pool.config.Schema.find((a) => a.Name === Name) : undefined;
    const known = custom !== undefined || (STANDARD_ATTRIBUTES as readonly string[]).includes(Name);
    if (!known) throw schemaError(`Type for attribute {${Name}} could not be determined`);
    if (custom) checkCustomValue(custom, Value);
    if (Name === 'sub') throw schemaError('sub: Attribute cannot be updated. (changing an immutable attribute)');
    if (isBooleanAttribute(Name) && Value !== 'true' && Value !== 'false') {
      throw schemaError(`${Name}: Attribute value must be 'true' or 'false'`);
    }
    if (Name === 'email' && !EMAIL.test(Value)) throw Errors.invalidParameter('Invalid email address format.');
    if (Name === 'phone_number' && !PHONE.test(Value)) throw Errors.invalidParameter('Invalid phone number format.');
    updates[Name] = Value;
  }
  return updates;
}

/** Attributes an app client may write (NEW_PASSWORD_REQUIRED); throws for the others. */
export function checkClientWritable(name: string, writeAttributes: string[] | undefined): void {
  if (CLIENT_READ_ONLY_ATTRIBUTES.has(name) || (writeAttributes && !writeAttributes.includes(name))) {
    throw Errors.invalidParameter(`Invalid attributes given, ${name} is not writable by this client`);
  }
}

/** Applies attribute updates; a changed email or phone number is no longer verified unless stated. */
export function applyAttributeUpdates(current: Record<string, string>, updates: Record<string, string>): Record<string, string> {
  const next = { ...current, ...updates };
  for (const [attribute, flag] of Object.entries(VERIFIED_FLAG)) {
    if (attribute in updates && updates[attribute] !== current[attribute] && !(flag in updates)) next[flag] = 'false';
  }
  return next;
}

/**
 * The canonical username and initial attributes of a new user. In pools with UsernameAttributes the
 * typed name is an email or phone number that becomes an attribute, and the username is the sub.
 */
export function newUserIdentity(
  store: Store,
  pool: PoolRecord,
  typedName: string,
  attributes: Record<string, string>,
  sub: string = randomUUID(),
): { sub: string; username: string; attributes: Record<string, string> } {
  const usernameAttributes = pool.config.UsernameAttributes;
  if (usernameAttributes.length === 0) {
    if (pool.config.AliasAttributes.includes('email') && EMAIL.test(typedName)) {
      throw Errors.invalidParameter('Username cannot be of email format, since user pool is configured for email alias.');
    }
    if (store.getUserByUsername(pool.id, typedName)) throw Errors.usernameExists();
    return { sub, username: typedName, attributes: { ...attributes, sub } };
  }
  const attribute = EMAIL.test(typedName) ? 'email' : PHONE.test(typedName) ? 'phone_number' : undefined;
  if (!attribute || !usernameAttributes.includes(attribute)) {
    throw Errors.invalidParameter(
      usernameAttributes.length === 2
        ? 'Username should be either an email or a phone number.'
        : `Username should be ${usernameAttributes[0] === 'email' ? 'an email' : 'a phone number'}.`,
    );
  }
  if (store.findUsersByAttribute(pool.id, attribute, typedName).length > 0) {
    throw new CognitoError(
      'UsernameExistsException',
      `An account with the given ${attribute === 'email' ? 'email' : 'phone_number'} already exists.`,
    );
  }
  return { sub, username: sub, attributes: { ...attributes, [attribute]: typedName, sub } };
}

export function createUserRecord(input: {
  pool: PoolRecord;
  sub: string;
  username: string;
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  credentials: PasswordCredentials | null;
  now: number;
}): UserRecord {
  return {
    poolId: input.pool.id,
    sub: input.sub,
    username: input.username,
    status: input.status,
    enabled: input.enabled,
    attributes: input.attributes,
    pendingAttributes: {},
    credentials: input.credentials,
    passwordSetAt: input.credentials ? input.now : null,
    lockout: noFailures,
    mfa: noMfa(),
    createdAt: input.now,
    updatedAt: input.now,
  };
}

/** [{Name, Value}] with sub first, as Cognito lists them. */
export function attributeList(user: UserRecord, only?: readonly string[]): Array<{ Name: string; Value: string }> {
  const names = Object.keys(user.attributes).sort((a, b) => (a === 'sub' ? -1 : b === 'sub' ? 1 : a.localeCompare(b)));
  return names
    .filter((name) => !only || only.includes(name))
    .map((name) => ({ Name: name, Value: user.attributes[name]! }));
}

/** Cognito's UserType (AdminCreateUser, ListUsers). */
export function describeUser(user: UserRecord, only?: readonly string[]): JsonObject {
  return {
    Username: user.username,
    Attributes: attributeList(user, only),
    UserCreateDate: Math.floor(user.createdAt / 1000),
    UserLastModifiedDate: Math.floor(user.updatedAt / 1000),
    Enabled: user.enabled,
    UserStatus: user.status,
    ...describeMfaOptions(user),
  };
}
