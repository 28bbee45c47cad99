// Steps shared by the sign-in operations: app client and secret checks, challenge sessions,
// failure accounting, and what follows a proven password (the place later factors plug in).
import type { PoolContext } from './context.js';
import { requiredAttributes } from './config.js';
import { Errors } from './errors.js';
import { afterFailure, isLocked, noFailures } from './lockout.js';
import type { AuthSessionRecord, ClientRecord, PoolRecord, UserRecord } from './model.js';
import { startFamily } from './refresh-tokens.js';
import { newSessionString, safeEqual, secretHash, sha256Hex } from './secrets.js';
import { findUser } from './users.js';
import type { JsonObject } from './validation.js';

export interface SignInParties {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
}

export function requireClient(ctx: PoolContext, clientId: string): { client: ClientRecord; pool: PoolRecord } {
  const client = ctx.store.getClient(clientId);
  const pool = client && ctx.store.getPool(client.poolId);
  if (!client || !pool) throw Errors.clientNotFound(clientId);
  return { client, pool };
}

/** SECRET_HASH for clients that have a secret; clients without one ignore it, like Cognito. */
export function checkSecretHash(client: ClientRecord, username: string, provided: string | undefined): void {
  if (client.secret === null) return;
  if (provided === undefined || provided === '') throw Errors.secretNotReceived(client.id);
  if (!safeEqual(provided, secretHash(client.secret, username, client.id))) throw Errors.secretHashMismatch(client.id);
}

/** What an unknown user gets, depending on PreventUserExistenceErrors. */
export const unknownUserError = (client: ClientRecord) =>
  client.config.PreventUserExistenceErrors === 'ENABLED' ? Errors.incorrectCredentials() : Errors.userNotFound();

export function requireParameter(parameters: Record<string, string>, name: string): string {
  const value = parameters[name];
  if (value === undefined || value === '') throw Errors.invalidParameter(`Missing required parameter ${name}`);
  return value;
}

// ---------- challenge sessions ----------

export interface ChallengeToOpen {
  client: ClientRecord;
  userSub: string | null;
  username: string;
  challenge: string;
  state: Record<string, unknown>;
  parameters: Record<string, string>;
}

/** Stores a new single-use Session (only its hash) and answers with the challenge. */
export function openChallenge(ctx: PoolContext, open: ChallengeToOpen): JsonObject {
  const session = newSessionString();
  const now = ctx.clock.now();
  const validityMs = open.client.config.AuthSessionValidity * 60_000;
  // Expired sessions are kept for a while so that late use says "expired" rather than "invalid".
  ctx.store.purgeSessionsExpiredBefore(now - 24 * 3600_000);
  ctx.store.insertSession({
    id: sha256Hex(session),
    poolId: open.client.poolId,
    clientId: open.client.id,
    userSub: open.userSub,
    username: open.username,
    challenge: open.challenge,
    state: open.state,
    createdAt: now,
    expiresAt: now + validityMs,
    usedAt: null,
  });
  return { ChallengeName: open.challenge, Session: session, ChallengeParameters: open.parameters };
}

/**
 * The session a RespondToAuthChallenge refers to, if it is still usable by this client. Looked up by
 * hash, so the comparison never touches the secret itself.
 */
export function loadSession(ctx: PoolContext, client: ClientRecord, session: string, challenge: string): AuthSessionRecord {
  const record = ctx.store.getSession(sha256Hex(session));
  if (!record || record.clientId !== client.id || record.challenge !== challenge) throw Errors.invalidSession();
  if (record.usedAt !== null) throw Errors.sessionUsed();
  if (ctx.clock.now() >= record.expiresAt) throw Errors.sessionExpired();
  return record;
}

/** Consumes the session; loses against a concurrent request that consumed it first. */
export function claimSession(ctx: PoolContext, session: AuthSessionRecord): void {
  if (!ctx.store.claimSession(session.id, ctx.clock.now())) throw Errors.sessionUsed();
}

/** ChallengeResponses.USERNAME must name the session's user (canonical name or any of its names). */
export function checkChallengeUsername(ctx: PoolContext, pool: PoolRecord, session: AuthSessionRecord, typed: string): void {
  if (typed.toLowerCase() === session.username.toLowerCase()) return;
  const user = session.userSub === null ? undefined : findUser(ctx.store, pool, typed);
  if (!user || user.sub !== session.userSub) throw Errors.invalidSession();
}

// ---------- password attempts ----------

export function checkNotLocked(ctx: PoolContext, user: UserRecord): void {
  if (isLocked(user.lockout, ctx.clock.now())) throw Errors.passwordAttemptsExceeded();
}

export function recordFailedAttempt(ctx: PoolContext, user: UserRecord): void {
  const now = ctx.clock.now();
  ctx.store.saveUser({ ...user, lockout: afterFailure(user.lockout, now, ctx.lockout) });
}

function recordSuccessfulAttempt(ctx: PoolContext, user: UserRecord): UserRecord {
  if (user.lockout.failedAttempts === 0 && user.lockout.lockedUntil === null) return user;
  const cleared = { ...user, lockout: noFailures };
  ctx.store.saveUser(cleared);
  return cleared;
}

// ---------- after the password ----------

/** Next step once the password is proven: reset required, NEW_PASSWORD_REQUIRED, or tokens. */
export async function continueAfterPassword(ctx: PoolContext, parties: SignInParties): Promise<JsonObject> {
  const user = recordSuccessfulAttempt(ctx, parties.user);
  if (user.status === 'RESET_REQUIRED') throw Errors.passwordResetRequired();
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    const validDays = parties.pool.config.Policies.PasswordPolicy.TemporaryPasswordValidityDays;
    if (validDays > 0 && user.passwordSetAt !== null && ctx.clock.now() > user.passwordSetAt + validDays * 86_400_000) {
      throw Errors.temporaryPasswordExpired();
    }
    return openNewPasswordChallenge(ctx, { ...parties, user });
  }
  return finishSignIn(ctx, { ...parties, user });
}

function openNewPasswordChallenge(ctx: PoolContext, { pool, client, user }: SignInParties): JsonObject {
  const missing = requiredAttributes(pool.config).filter((name) => !user.attributes[name]);
  const { sub: _sub, ...visible } = user.attributes;
  return openChallenge(ctx, {
    client,
    userSub: user.sub,
    username: user.username,
    challenge: 'NEW_PASSWORD_REQUIRED',
    state: {},
    parameters: {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: JSON.stringify(missing.map((name) => `userAttributes.${name}`)),
      userAttributes: JSON.stringify(visible),
    },
  });
}

/** Tokens for a completed sign-in, starting a new refresh-token family. */
export async function finishSignIn(ctx: PoolContext, { client, user }: SignInParties): Promise<JsonObject> {
  const { family, refreshToken } = startFamily(ctx, client, user);
  const tokens = await ctx.tokens.mint(client, user, family);
  return { ChallengeParameters: {}, AuthenticationResult: { ...tokens, RefreshToken: refreshToken } };
}
