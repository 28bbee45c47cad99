// User administration through Cognito's Admin* API (and ListUsers). AdminSetUserMFAPreference is in mfa.ts.
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import { Errors } from '../errors.js';
import { describeUserMfa } from '../../pools/mfa.js';
import { noFailures, type PoolRecord, type UserRecord } from '../../store/model.js';
import { createCredentials, generateTemporaryPassword, passwordPolicyViolation } from '../../crypto/passwords.js';
import { insertUser, planUser } from '../../pools/provisioning.js';
import { applyAttributeUpdates, describeUser, readAttributeUpdates, requireUser } from '../../pools/users.js';
import { Rules, Validator, type JsonObject } from '../validation.js';
import { page, requirePool } from './pools.js';

/** UserPoolId + Username, the two members every Admin* user operation starts with. */
export function target(ctx: PoolContext, v: Validator): () => { pool: PoolRecord; user: UserRecord } {
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const username = v.requiredString('Username', Rules.username);
  return () => {
    const pool = requirePool(ctx, poolId);
    return { pool, user: requireUser(ctx.store, pool, username) };
  };
}

function checkPolicy(pool: PoolRecord, password: string): void {
  const violation = passwordPolicyViolation(password, pool.config.Policies.PasswordPolicy);
  if (violation) throw Errors.invalidPassword(violation);
}

/** Applies `changes` to the user as stored now (not to the copy read earlier). */
function save(ctx: PoolContext, user: UserRecord, changes: Partial<UserRecord>): UserRecord {
  const updated = ctx.store.updateUser(user.poolId, user.sub, (current) => ({ ...current, ...changes, updatedAt: ctx.clock.now() }));
  if (!updated) throw Errors.userNotFound();
  return updated;
}

const adminCreateUser: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const username = v.requiredString('Username', Rules.username);
  const attributes = v.optionalAttributes('UserAttributes') ?? [];
  v.optionalAttributes('ValidationData');
  const temporaryPassword = v.optionalString('TemporaryPassword', Rules.password);
  const messageAction = v.optionalString('MessageAction', { oneOf: ['RESEND', 'SUPPRESS'] });
  v.optionalStringList('DesiredDeliveryMediums', { oneOf: ['SMS', 'EMAIL'] });
  v.optionalBoolean('ForceAliasCreation');
  v.optionalMap('ClientMetadata');
  v.done();
  const pool = requirePool(ctx, poolId);
  // No message is ever sent, so RESEND just confirms the user exists.
  if (messageAction === 'RESEND') return { User: describeUser(requireUser(ctx.store, pool, username)) };

  const planned = planUser(ctx, pool, username, attributes);
  const password = temporaryPassword ?? generateTemporaryPassword(pool.config.Policies.PasswordPolicy);
  checkPolicy(pool, password);
  const user = insertUser(ctx, planned, {
    status: 'FORCE_CHANGE_PASSWORD',
    enabled: true,
    credentials: await createCredentials(ctx.srp, pool.id, planned.username, password),
  });
  return { User: describeUser(user) };
};

const adminSetUserPassword: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  const password = v.requiredString('Password', Rules.password);
  const permanent = v.optionalBoolean('Permanent') ?? false;
  v.done();
  const { pool, user } = resolve();
  checkPolicy(pool, password);
  const credentials = await createCredentials(ctx.srp, pool.id, user.username, password);
  // Only these fields change: an AdminDisableUser that ran during the hash stays in force.
  save(ctx, user, {
    status: permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD',
    credentials,
    passwordSetAt: ctx.clock.now(),
    lockout: noFailures,
  });
  return {};
};

const adminGetUser: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  v.done();
  const { user } = resolve();
  const { Attributes, ...rest } = describeUser(user);
  return { ...rest, UserAttributes: Attributes, ...describeUserMfa(user) };
};

const adminDeleteUser: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  v.done();
  const { pool, user } = resolve();
  ctx.store.transaction(() => ctx.store.deleteUser(pool.id, user.sub));
  return {};
};

/** Disabling also revokes the user's tokens, as Cognito documents for AdminDisableUser. */
const adminDisableUser: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  v.done();
  const { pool, user } = resolve();
  ctx.store.transaction(() => {
    save(ctx, user, { enabled: false });
    ctx.store.revokeUserFamilies(pool.id, user.sub, ctx.clock.now());
  });
  return {};
};

const adminEnableUser: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  v.done();
  save(ctx, resolve().user, { enabled: true });
  return {};
};

/** The old password keeps working only to be told "Password reset required for the user". */
const adminResetUserPassword: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  v.optionalMap('ClientMetadata');
  v.done();
  const { user } = resolve();
  if (user.status === 'UNCONFIRMED') throw Errors.cannotResetPassword();
  save(ctx, user, { status: 'RESET_REQUIRED' });
  return {};
};

const adminUpdateUserAttributes: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  const list = v.requiredAttributes('UserAttributes');
  v.optionalMap('ClientMetadata');
  v.done();
  const { pool, user } = resolve();
  const updates = readAttributeUpdates(pool, list);
  for (const attribute of pool.config.UsernameAttributes) {
    const value = updates[attribute];
    if (value !== undefined && ctx.store.findUsersByAttribute(pool.id, attribute, value).some((u) => u.sub !== user.sub)) {
      throw Errors.aliasExists();
    }
  }
  save(ctx, user, { attributes: applyAttributeUpdates(user.attributes, updates) });
  return {};
};

const adminConfirmSignUp: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  v.optionalMap('ClientMetadata');
  v.done();
  const { user } = resolve();
  if (user.status !== 'UNCONFIRMED') throw Errors.cannotConfirm(user.status);
  save(ctx, user, { status: 'CONFIRMED' });
  return {};
};

const adminUserGlobalSignOut: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  v.done();
  const { pool, user } = resolve();
  ctx.store.revokeUserFamilies(pool.id, user.sub, ctx.clock.now());
  return {};
};

// ListUsers Filter: `attribute = "value"` (exact) or `attribute ^= "value"` (prefix).
const FILTER = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/;
const FILTERABLE = new Set([
  'username', 'email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username',
  'cognito:user_status', 'status', 'sub',
]);

function userFilter(filter: string | undefined): (user: UserRecord) => boolean {
  if (filter === undefined || filter.trim() === '') return () => true;
  const match = FILTER.exec(filter);
  if (!match || !FILTERABLE.has(match[1]!)) throw Errors.invalidParameter('Invalid search filter.');
  const [, attribute, operator, quoted] = match as unknown as [string, string, string, string];
  const wanted = quoted.replace(/\\(.)/g, '$1');
  const valueOf = (user: UserRecord): string | undefined => {
    if (attribute === 'username') return user.username;
    if (attribute === 'cognito:user_status') return user.status;
    if (attribute === 'status') return user.enabled ? 'Enabled' : 'Disabled';
    return user.attributes[attribute];
  };
  return (user) => {
    const value = valueOf(user);
    if (value === undefined) return false;
    return operator === '=' ? value.toLowerCase() === wanted.toLowerCase() : value.toLowerCase().startsWith(wanted.toLowerCase());
  };
}

const listUsers: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const attributesToGet = v.optionalStringList('AttributesToGet', { min: 1, max: 32 });
  const limit = v.optionalInteger('Limit', 0, 60) ?? 60;
  const token = v.optionalString('PaginationToken', { min: 1 });
  const filter = v.optionalString('Filter', { max: 256 });
  v.done();
  const pool = requirePool(ctx, poolId);
  const matches = ctx.store.listUsers(pool.id).filter(userFilter(filter));
  const { items, next } = page((offset, count) => matches.slice(offset, offset + count), token, limit || 60);
  const result: JsonObject = { Users: items.map((user) => describeUser(user, attributesToGet)) };
  if (next) result['PaginationToken'] = next;
  return result;
};

export const adminUserHandlers: HandlerRegistry = {
  AdminCreateUser: adminCreateUser,
  AdminSetUserPassword: adminSetUserPassword,
  AdminGetUser: adminGetUser,
  AdminDeleteUser: adminDeleteUser,
  AdminDisableUser: adminDisableUser,
  AdminEnableUser: adminEnableUser,
  AdminResetUserPassword: adminResetUserPassword,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  AdminConfirmSignUp: adminConfirmSignUp,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  ListUsers: listUsers,
};
