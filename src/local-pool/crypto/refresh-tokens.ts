// Refresh tokens: opaque random strings stored only as hashes, grouped in families (one per
// sign-in) so that revoking one revokes the access tokens minted from it.
import { randomUUID } from 'node:crypto';
import type { PoolContext } from '../context.js';
import { validitySeconds } from '../pools/config.js';
import { Errors } from '../api/errors.js';
import type { ClientRecord, RefreshTokenRecord, TokenFamilyRecord, UserRecord } from '../store/model.js';
import { newRefreshToken, sha256Hex } from './secrets.js';
import { requireStillProven } from '../pools/client-secrets.js';
import { makeRoomForTokenSession, touchTokenSession } from '../pools/user-sessions.js';

function issue(ctx: PoolContext, client: ClientRecord, originJti: string): string {
  const token = newRefreshToken();
  const now = ctx.clock.now();
  const config = client.config;
  ctx.store.insertRefreshToken({
    tokenHash: sha256Hex(token),
    originJti,
    createdAt: now,
    expiresAt: now + validitySeconds(config.RefreshTokenValidity, config.TokenValidityUnits.RefreshToken) * 1000,
    supersededAt: null,
  });
  return token;
}

/** `device`: the device the sign-in was made on (devices/); its tokens carry the key as device_key. */
export function startFamily(
  ctx: PoolContext,
  client: ClientRecord,
  user: UserRecord,
  device?: { deviceKey: string; groupKey: string },
): { family: TokenFamilyRecord; refreshToken: string } {
  const now = ctx.clock.now();
  const family: TokenFamilyRecord = {
    originJti: randomUUID(),
    poolId: client.poolId,
    clientId: client.id,
    userSub: user.sub,
    authTime: Math.floor(now / 1000),
    createdAt: now,
    revokedAt: null,
    deviceKey: device?.deviceKey ?? null,
    deviceGroupKey: device?.groupKey ?? null,
  };
  return ctx.store.transaction(() => {
    // The sign-in may have awaited (a hash, a trigger) since it read its client: a client deleted
    // meanwhile took its sign-ins with it (DeleteUserPoolClient), so this one gets none either.
    if (!ctx.store.getClient(client.id)) throw Errors.clientNotFound(client.id);
    makeRoomForTokenSession(ctx, client.poolId, user.sub);
    ctx.store.insertFamily(family);
    return { family, refreshToken: issue(ctx, client, family.originJti) };
  });
}

export interface RedeemedToken {
  record: RefreshTokenRecord;
  family: TokenFamilyRecord;
  user: UserRecord;
}

/** The family and user behind a refresh token presented by this client, or the matching error. */
export function redeem(ctx: PoolContext, client: ClientRecord, token: string): RedeemedToken {
  const now = ctx.clock.now();
  const record = ctx.store.getRefreshToken(sha256Hex(token));
  const family = record && ctx.store.getFamily(record.originJti);
  if (!record || !family || family.clientId !== client.id) throw Errors.invalidRefreshToken();
  if (family.revokedAt !== null) throw Errors.refreshTokenRevoked();
  if (now >= record.expiresAt) throw Errors.refreshTokenExpired();
  // A rotated token works for the grace period; with none (0) it stops at once, also in the same millisecond.
  const grace = client.config.RefreshTokenRotation.RetryGracePeriodSeconds * 1000;
  if (record.supersededAt !== null && (grace === 0 || now > record.supersededAt + grace)) throw Errors.refreshTokenReused();
  const user = ctx.store.getUserBySub(family.poolId, family.userSub);
  if (!user) throw Errors.invalidRefreshToken();
  if (!user.enabled) throw Errors.userDisabled();
  return { record, family, user };
}

/**
 * The refresh token as stored now, redeemed again after an await (a trigger) and, when `rotating`,
 * superseded by a new one in the same transaction: a parallel refresh that rotated it, a sign-out that
 * revoked it or an admin who disabled the user meanwhile refuses this one, so of parallel refreshes of
 * one token without a grace period exactly one gets tokens.
 */
export function settleRefresh(ctx: PoolContext, client: ClientRecord, token: string, rotating: boolean): { redeemed: RedeemedToken; refreshToken: string | undefined } {
  return ctx.store.transaction(() => {
    requireStillProven(ctx.store, client);
    const redeemed = redeem(ctx, client, token);
    touchTokenSession(ctx, redeemed.family.originJti);
    if (!rotating) return { redeemed, refreshToken: undefined };
    // The presented one stays usable for the grace period only.
    ctx.store.supersedeRefreshToken(redeemed.record.tokenHash, ctx.clock.now());
    return { redeemed, refreshToken: issue(ctx, client, redeemed.family.originJti) };
  });
}

/** The family of a refresh token, if it exists (RevokeToken). */
export function familyOf(ctx: PoolContext, token: string): TokenFamilyRecord | undefined {
  const record = ctx.store.getRefreshToken(sha256Hex(token));
  return record && ctx.store.getFamily(record.originJti);
}
