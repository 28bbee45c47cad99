// Operations a signed-in user calls with its own tokens: GetUser, GlobalSignOut, RevokeToken,
// ChangePassword, the attribute operations and DeleteUser (the MFA ones are in mfa.ts).
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import { CognitoError, Errors } from '../errors.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../../store/model.js';
import { describeMfaOptions, describeUserMfa } from '../../pools/mfa.js';
import { familyOf } from '../../crypto/refresh-tokens.js';
import { checkClientSecret } from '../../pools/client-secrets.js';
import { requireClient } from '../../flows/sign-in.js';
import { attributeList, readAttributeUpdates } from '../../pools/users.js';
import { changePassword, checkClientMayWrite } from '../../flows/accounts.js';
import { deleteAttributes, sendVerificationCode, updateAttributes, verifyAttribute } from '../../flows/attributes.js';
import { configuredAuthFactors } from '../../flows/user-auth.js';
import { Rules, Validator, type JsonObject } from '../validation.js';
import { NO_CLIENT } from '../../triggers/invoke.js';
import { requirePool } from './pools.js';

/** The user behind a valid, unrevoked access token. */
export async function authenticate(ctx: PoolContext, accessToken: string): Promise<UserRecord> {
  return (await authenticateWithClient(ctx, accessToken)).user;
}

/** authenticate, with the user's pool and the app client the token was issued to. */
export async function authenticateWithClient(ctx: PoolContext, accessToken: string): Promise<{ user: UserRecord; pool: PoolRecord; client: ClientRecord | undefined }> {
  const { poolId, claims } = await ctx.tokens.verifyAccessToken(accessToken);
  const user = ctx.store.getUserBySub(poolId, claims.sub);
  if (!user) throw Errors.userNotFound();
  const family = ctx.store.getFamily(claims.origin_jti);
  if (!family || family.revokedAt !== null) throw Errors.accessTokenRevoked();
  if (!user.enabled) throw Errors.userDisabled();
  if (user.status === 'RESET_REQUIRED') throw Errors.passwordResetRequired();
  const client = ctx.store.getClient(claims.client_id);
  return { user, pool: requirePool(ctx, poolId), client: client?.poolId === poolId ? client : undefined };
}

function readAccessToken(input: Record<string, unknown>): string {
  const v = new Validator(input);
  const token = v.requiredString('AccessToken', Rules.token);
  v.done();
  return token;
}

const getUser: Handler = async (input, ctx) => {
  const user = await authenticate(ctx, readAccessToken(input));
  return { Username: user.username, UserAttributes: attributeList(user), ...describeMfaOptions(user), ...describeUserMfa(user) };
};

/** GetUserAuthFactors / AdminGetUserAuthFactors: the MFA settings and what the user can sign in with. */
export function describeAuthFactors(ctx: PoolContext, pool: PoolRecord, user: UserRecord): JsonObject {
  return { Username: user.username, ...describeUserMfa(user), ConfiguredUserAuthFactors: configuredAuthFactors(ctx, pool, user) };
}

const getUserAuthFactors: Handler = async (input, ctx) => {
  const { user, pool } = await authenticateWithClient(ctx, readAccessToken(input));
  return describeAuthFactors(ctx, pool, user);
};

const globalSignOut: Handler = async (input, ctx) => {
  const user = await authenticate(ctx, readAccessToken(input));
  ctx.store.revokeUserFamilies(user.poolId, user.sub, ctx.clock.now());
  return {};
};

const revokeToken: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const token = v.requiredString('Token', Rules.token);
  const clientId = v.requiredString('ClientId', Rules.clientId);
  const clientSecret = v.optionalString('ClientSecret', Rules.clientSecret);
  v.done();
  const { client } = requireClient(ctx, clientId);
  checkClientSecret(client, clientSecret);
  if (!client.config.EnableTokenRevocation) {
    throw Errors.unsupportedOperation('Token revocation is not enabled for this app client.');
  }
  if (token.split('.').length === 3) throw new CognitoError('UnsupportedTokenTypeException', 'Only refresh tokens can be revoked.');
  const family = familyOf(ctx, token);
  // An unknown token is already as revoked as it gets (RFC 7009 answers success too).
  if (!family) return {};
  if (family.clientId !== client.id) throw new CognitoError('UnauthorizedException', 'The token was not issued to this client.');
  ctx.store.revokeFamily(family.originJti, ctx.clock.now());
  return {};
};

const changePasswordHandler: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const previous = v.optionalString('PreviousPassword', Rules.password);
  const proposed = v.requiredString('ProposedPassword', Rules.password);
  const token = v.requiredString('AccessToken', Rules.token);
  v.done();
  const { user, pool } = await authenticateWithClient(ctx, token);
  await changePassword(ctx, pool, user, previous, proposed);
  return {};
};

const ATTRIBUTE_NAME = { min: 1, max: 32, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+' };

const getUserAttributeVerificationCode: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const token = v.requiredString('AccessToken', Rules.token);
  const name = v.requiredString('AttributeName', ATTRIBUTE_NAME);
  const clientMetadata = v.optionalMap('ClientMetadata');
  v.done();
  const { user, pool, client } = await authenticateWithClient(ctx, token);
  return { CodeDeliveryDetails: await sendVerificationCode(ctx, pool, user, name, { clientId: client?.id ?? NO_CLIENT, clientMetadata }) };
};

const verifyUserAttribute: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const token = v.requiredString('AccessToken', Rules.token);
  const name = v.requiredString('AttributeName', ATTRIBUTE_NAME);
  const code = v.requiredString('Code', { min: 1, max: 2048, pattern: /^\S+$/, patternText: '[\\S]+' });
  v.done();
  const { user, pool } = await authenticateWithClient(ctx, token);
  verifyAttribute(ctx, pool, user, name, code);
  return {};
};

const updateUserAttributes: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const list = v.requiredAttributes('UserAttributes');
  const token = v.requiredString('AccessToken', Rules.token);
  const clientMetadata = v.optionalMap('ClientMetadata');
  v.done();
  const { user, pool, client } = await authenticateWithClient(ctx, token);
  checkClientMayWrite(client, list.map((a) => a.Name));
  const sent = await updateAttributes(ctx, pool, user, readAttributeUpdates(pool, list), 'user', { clientId: client?.id ?? NO_CLIENT, clientMetadata });
  return sent.length > 0 ? { CodeDeliveryDetailsList: sent } : {};
};

const deleteUserAttributes: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const names = v.optionalStringList('UserAttributeNames', ATTRIBUTE_NAME);
  const token = v.requiredString('AccessToken', Rules.token);
  if (names === undefined) v.requiredString('UserAttributeNames');
  v.done();
  const { user, pool, client } = await authenticateWithClient(ctx, token);
  checkClientMayWrite(client, names ?? []);
  deleteAttributes(ctx, pool, user, names ?? []);
  return {};
};

/** The user and everything of it: its tokens stop working at once. */
const deleteUser: Handler = async (input, ctx) => {
  const user = await authenticate(ctx, readAccessToken(input));
  ctx.store.transaction(() => ctx.store.deleteUser(user.poolId, user.sub));
  return {};
};

export const userHandlers: HandlerRegistry = {
  GetUser: getUser,
  GetUserAuthFactors: getUserAuthFactors,
  GlobalSignOut: globalSignOut,
  RevokeToken: revokeToken,
  ChangePassword: changePasswordHandler,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  VerifyUserAttribute: verifyUserAttribute,
  UpdateUserAttributes: updateUserAttributes,
  DeleteUserAttributes: deleteUserAttributes,
  DeleteUser: deleteUser,
};
