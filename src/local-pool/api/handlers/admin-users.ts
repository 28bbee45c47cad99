// User administration through Cognito's Admin* API (and ListUsers). AdminSetUserMFAPreference and
// AdminSetUserSettings are in mfa.ts.
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import { Errors } from '../errors.js';
import { describeUserMfa } from '../../pools/mfa.js';
import { noFailures, type PoolRecord, type UserRecord } from '../../store/model.js';
import { createCredentials, generateTemporaryPassword, passwordPolicyViolation } from '../../crypto/passwords.js';
import { insertUser, planUser } from '../../pools/provisioning.js';
import { describeUser, readAttributeUpdates, requireUser } from '../../pools/users.js';
import { channelOf, composeMessage, type Channel } from '../../pools/messages.js';
import { adminResetPassword, checkPolicy } from '../../flows/accounts.js';
import { deleteAttributes, updateAttributes } from '../../flows/attributes.js';
import { Rules, Validator, type JsonObject } from '../validation.js';
import { page, requirePool } from './pools.js';
import { describeAuthFactors } from './user.js';
import { customMessageTexts, customText, type CustomTexts } from '../../triggers/custom-message.js';
import { NO_CLIENT } from '../../triggers/invoke.js';
import { postConfirmation, preSignUp } from '../../triggers/sign-up.js';

/** UserPoolId + Username, the two members every Admin* user operation starts with. */
export function target(ctx: PoolContext, v: Validator): () => { pool: PoolRecord; user: UserRecord } {
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const username = v.requiredString('Username', Rules.username);
  return () => {
    const pool = requirePool(ctx, poolId);
    return { pool, user: requireUser(ctx.store, pool, username) };
  };
}

/** Applies `changes` to the user as stored now (not to the copy read earlier). */
function save(ctx: PoolContext, user: UserRecord, changes: Partial<UserRecord>): UserRecord {
  const updated = ctx.store.updateUser(user.poolId, user.sub, (current) => ({ ...current, ...changes, updatedAt: ctx.clock.now() }));
  if (!updated) throw Errors.userNotFound();
  return updated;
}

/**
 * Where AdminCreateUser's invitation goes: each of DesiredDeliveryMediums the user has an address for;
 * without DesiredDeliveryMediums, SMS when the user has a phone number, else e-mail.
 */
function invitationChannels(user: UserRecord, mediums: string[] | undefined): Channel[] {
  const phone = user.attributes['phone_number'];
  const email = user.attributes['email'];
  const wanted = mediums && mediums.length > 0 ? [...new Set(mediums)] : [phone ? 'SMS' : 'EMAIL'];
  return wanted.flatMap((medium) =>
    medium === 'SMS' ? (phone ? [channelOf('phone_number', phone)] : []) : email ? [channelOf('email', email)] : [],
  );
}

/** The invitation with the temporary password ({####}) and the name the user signs in with ({username}). */
function sendInvitation(
  ctx: PoolContext,
  pool: PoolRecord,
  user: UserRecord,
  invitation: { typedName: string; password: string; mediums: string[] | undefined; texts: CustomTexts | undefined },
): void {
  const { typedName, password, mediums, texts } = invitation;
  for (const channel of invitationChannels(user, mediums)) {
    ctx.outbox.send({
      userPoolId: pool.id,
      username: user.username,
      medium: channel.medium,
      destination: channel.destination,
      ...composeMessage(pool.config, 'INVITATION', channel.medium, password, typedName, customText(texts, channel.medium)),
      code: password,
      purpose: 'INVITATION',
    });
  }
}

const adminCreateUser: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const username = v.requiredString('Username', Rules.username);
  const attributes = v.optionalAttributes('UserAttributes') ?? [];
  const validationData = v.optionalAttributes('ValidationData');
  const temporaryPassword = v.optionalString('TemporaryPassword', Rules.password);
  const messageAction = v.optionalString('MessageAction', { oneOf: ['RESEND', 'SUPPRESS'] });
  const mediums = v.optionalStringList('DesiredDeliveryMediums', { oneOf: ['SMS', 'EMAIL'] });
  v.optionalBoolean('ForceAliasCreation');
  const clientMetadata = v.optionalMap('ClientMetadata');
  v.done();
  const pool = requirePool(ctx, poolId);
  const password = temporaryPassword ?? generateTemporaryPassword(pool.config.Policies.PasswordPolicy);
  const weakness = passwordPolicyViolation(password, pool.config.Policies.PasswordPolicy);
  if (weakness) throw Errors.invalidTemporaryPassword(weakness);
  const invitationTexts = (user: { username: string; attributes: Record<string, string> }) =>
    messageAction === 'SUPPRESS'
      ? Promise.resolve(undefined)
      : customMessageTexts(ctx, { pool, clientId: NO_CLIENT, source: 'CustomMessage_AdminCreateUser', user: { ...user, status: 'FORCE_CHANGE_PASSWORD' }, clientMetadata });

  if (messageAction === 'RESEND') {
    // A new temporary password (the old one is not kept readable), sent again; the validity starts over.
    const existing = requireUser(ctx.store, pool, username);
    if (existing.status !== 'FORCE_CHANGE_PASSWORD') {
      throw Errors.unsupportedUserState(`Resend not possible. ${existing.username} status is not FORCE_CHANGE_PASSWORD.`);
    }
    const texts = await invitationTexts(existing);
    const credentials = await createCredentials(ctx.srp, pool.id, existing.username, password);
    const user = ctx.store.transaction(() => {
      const updated = ctx.store.updateUser(pool.id, existing.sub, (current) => {
        if (current.status !== 'FORCE_CHANGE_PASSWORD') {
          throw Errors.unsupportedUserState(`Resend not possible. ${current.username} status is not FORCE_CHANGE_PASSWORD.`);
        }
        return { ...current, credentials, passwordSetAt: ctx.clock.now(), lockout: noFailures, updatedAt: ctx.clock.now() };
      });
      if (!updated) throw Errors.userNotFound();
      sendInvitation(ctx, pool, updated, { typedName: username, password, mediums, texts });
      return updated;
    });
    return { User: describeUser(user) };
  }

  const planned = planUser(ctx, pool, username, attributes);
  // PreSignUp may refuse the user; its auto-confirm answers do not apply here (as in Cognito).
  await preSignUp(ctx, {
    pool,
    clientId: NO_CLIENT,
    source: 'PreSignUp_AdminCreateUser',
    userName: planned.username,
    attributes: planned.attributes,
    validationData: validationData && Object.fromEntries(validationData.map((a) => [a.Name, a.Value])),
    clientMetadata,
  });
  const texts = await invitationTexts(planned);
  const credentials = await createCredentials(ctx.srp, pool.id, planned.username, password);
  const user = ctx.store.transaction(() => {
    // The email / phone number may have been taken while the triggers ran and the password was hashed.
    planUser(ctx, pool, username, attributes);
    const created = insertUser(ctx, planned, { status: 'FORCE_CHANGE_PASSWORD', enabled: true, credentials });
    if (messageAction !== 'SUPPRESS') sendInvitation(ctx, pool, created, { typedName: username, password, mediums, texts });
    return created;
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

/** GetUserAuthFactors for an administrator: the same answer, for any user of the pool. */
const adminGetUserAuthFactors: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  v.done();
  const { pool, user } = resolve();
  return describeAuthFactors(ctx, pool, user);
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

/**
 * The old password keeps working only to be told "Password reset required for the user"; a reset code
 * goes to the user's verified email or phone number (ConfirmForgotPassword takes it).
 */
const adminResetUserPassword: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  const clientMetadata = v.optionalMap('ClientMetadata');
  v.done();
  const { pool, user } = resolve();
  await adminResetPassword(ctx, pool, user, clientMetadata);
  return {};
};

/** Admins may set *_verified; a changed email / phone number gets a code where the pool auto-verifies it. */
const adminUpdateUserAttributes: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  const list = v.requiredAttributes('UserAttributes');
  const clientMetadata = v.optionalMap('ClientMetadata');
  v.done();
  const { pool, user } = resolve();
  await updateAttributes(ctx, pool, user, readAttributeUpdates(pool, list), 'admin', { clientId: NO_CLIENT, clientMetadata });
  return {};
};

const adminDeleteUserAttributes: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  const names = v.optionalStringList('UserAttributeNames', { min: 1, max: 32 });
  if (names === undefined) v.requiredString('UserAttributeNames');
  v.done();
  const { pool, user } = resolve();
  deleteAttributes(ctx, pool, user, names ?? []);
  return {};
};

const adminConfirmSignUp: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  const clientMetadata = v.optionalMap('ClientMetadata');
  v.done();
  const { pool, user } = resolve();
  if (user.status !== 'UNCONFIRMED') throw Errors.cannotConfirm(user.status);
  const confirmed = ctx.store.transaction(() => {
    const saved = save(ctx, user, { status: 'CONFIRMED' });
    ctx.store.deleteCodes(pool.id, user.sub, ['SIGN_UP']);
    return saved;
  });
  await postConfirmation(ctx, { pool, clientId: NO_CLIENT, user: confirmed, source: 'PostConfirmation_ConfirmSignUp', clientMetadata });
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
  AdminGetUserAuthFactors: adminGetUserAuthFactors,
  AdminDeleteUser: adminDeleteUser,
  AdminDisableUser: adminDisableUser,
  AdminEnableUser: adminEnableUser,
  AdminResetUserPassword: adminResetUserPassword,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  AdminDeleteUserAttributes: adminDeleteUserAttributes,
  AdminConfirmSignUp: adminConfirmSignUp,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  ListUsers: listUsers,
};
