// User sessions: ListUserSessions / RevokeUserSession with the user's access token, their Admin* forms,
// and the pool's and the app client's session configuration. The rules are in pools/user-sessions.ts.
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import { Errors } from '../errors.js';
import { Rules, Validator, type JsonObject } from '../validation.js';
import { requireClientOfPool } from '../../flows/sign-in.js';
import { poolTier } from '../../pools/sign-in-policy.js';
import type { PoolRecord, UserRecord } from '../../store/model.js';
import {
  SESSION_ID,
  listUserSessions,
  revokeUserSession,
  sessionStore,
  type PoolSessionConfiguration,
} from '../../pools/user-sessions.js';
import { target } from './admin-users.js';
import { requirePool } from './pools.js';
import { authenticateWithClient } from './user.js';

const REVOKE_ASSOCIATED = { oneOf: ['NONE', 'LINKED'] };
const TRACKING = { oneOf: ['ENABLED', 'DISABLED'] };
/** ClientSSOSessionConfigType.MaxValidityMinutes: up to 90 days. */
const MAX_SSO_VALIDITY_MINUTES = 129_600;

/** Session tracking is a feature of the Essentials and Plus plans. */
function checkTier(pool: PoolRecord): void {
  if (poolTier(pool.config) === 'LITE') throw Errors.featureUnavailableInTier('Session tracking');
}

// ---------- sessions ----------

/** The user of a valid, unrevoked access token, and the token family (session) it belongs to. */
async function caller(ctx: PoolContext, accessToken: string): Promise<{ user: UserRecord; originJti: string }> {
  const { user } = await authenticateWithClient(ctx, accessToken);
  // Verified just now: its payload is the pool's own.
  const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { origin_jti: string };
  return { user, originJti: claims.origin_jti };
}

const listUserSessionsHandler: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const token = v.requiredString('AccessToken', Rules.token);
  const nextToken = v.optionalString('NextToken', Rules.paginationKey);
  v.done();
  const { user, originJti } = await caller(ctx, token);
  return listUserSessions(ctx, user.poolId, user.sub, nextToken, originJti);
};

const adminListUserSessions: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  const nextToken = v.optionalString('NextToken', Rules.paginationKey);
  v.done();
  const { pool, user } = resolve();
  return listUserSessions(ctx, pool.id, user.sub, nextToken, undefined);
};

const revokeUserSessionHandler: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const token = v.requiredString('AccessToken', Rules.token);
  const sessionId = v.requiredString('SessionId', SESSION_ID);
  const associated = v.optionalString('RevokeAssociatedSessions', REVOKE_ASSOCIATED);
  v.done();
  const { user, originJti } = await caller(ctx, token);
  revokeUserSession(ctx, user.poolId, user.sub, sessionId, associated === 'LINKED', originJti);
  return {};
};

const adminRevokeUserSession: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = target(ctx, v);
  const sessionId = v.requiredString('SessionId', SESSION_ID);
  const associated = v.optionalString('RevokeAssociatedSessions', REVOKE_ASSOCIATED);
  v.done();
  const { pool, user } = resolve();
  revokeUserSession(ctx, pool.id, user.sub, sessionId, associated === 'LINKED');
  return {};
};

// ---------- configuration ----------

const describePoolConfiguration = (poolId: string, config: PoolSessionConfiguration): JsonObject => ({
  UserPoolId: poolId,
  UserSessionTracking: config.tracking,
  TokenSession: { MaxPerUser: config.maxPerUser },
});

const getUserPoolSessionConfiguration: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  v.done();
  const pool = requirePool(ctx, poolId);
  return describePoolConfiguration(pool.id, sessionStore(ctx).poolConfiguration(pool.id));
};

/** A full replacement: every member is required. */
const setUserPoolSessionConfiguration: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const tracking = v.requiredString('UserSessionTracking', TRACKING) as PoolSessionConfiguration['tracking'];
  const tokenSession = v.optionalObject('TokenSession');
  if (tokenSession === undefined) v.requiredString('TokenSession');
  v.done();
  const t = new Validator(tokenSession ?? {});
  const maxPerUser = t.requiredInteger('MaxPerUser', 1, 100);
  t.done();
  const pool = requirePool(ctx, poolId);
  checkTier(pool);
  const config = { tracking, maxPerUser };
  sessionStore(ctx).setPoolConfiguration(pool.id, config);
  return describePoolConfiguration(pool.id, config);
};

const describeClientConfiguration = (poolId: string, clientId: string, minutes: number): JsonObject => ({
  UserPoolId: poolId,
  ClientId: clientId,
  SSOSession: { MaxValidityMinutes: minutes },
});

function readClient(ctx: PoolContext, v: Validator) {
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const clientId = v.requiredString('ClientId', Rules.clientId);
  return () => requireClientOfPool(ctx, poolId, clientId);
}

const getUserPoolClientSessionConfiguration: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = readClient(ctx, v);
  v.done();
  const { pool, client } = resolve();
  return describeClientConfiguration(pool.id, client.id, sessionStore(ctx).clientMaxValidityMinutes(client.id));
};

const setUserPoolClientSessionConfiguration: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const resolve = readClient(ctx, v);
  const sso = v.optionalObject('SSOSession');
  if (sso === undefined) v.requiredString('SSOSession');
  v.done();
  const s = new Validator(sso ?? {});
  const minutes = s.requiredInteger('MaxValidityMinutes', 0, MAX_SSO_VALIDITY_MINUTES);
  s.done();
  const { pool, client } = resolve();
  checkTier(pool);
  const store = sessionStore(ctx);
  ctx.store.transaction(() => {
    if (store.poolConfiguration(pool.id).tracking !== 'ENABLED') {
      throw Errors.invalidParameter('Session tracking is not enabled for the user pool (SetUserPoolSessionConfiguration).');
    }
    store.setClientMaxValidityMinutes(client.id, minutes);
  });
  return describeClientConfiguration(pool.id, client.id, minutes);
};

export const sessionHandlers: HandlerRegistry = {
  ListUserSessions: listUserSessionsHandler,
  AdminListUserSessions: adminListUserSessions,
  RevokeUserSession: revokeUserSessionHandler,
  AdminRevokeUserSession: adminRevokeUserSession,
  GetUserPoolSessionConfiguration: getUserPoolSessionConfiguration,
  SetUserPoolSessionConfiguration: setUserPoolSessionConfiguration,
  GetUserPoolClientSessionConfiguration: getUserPoolClientSessionConfiguration,
  SetUserPoolClientSessionConfiguration: setUserPoolClientSessionConfiguration,
};
