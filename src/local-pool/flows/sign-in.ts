// Steps shared by the sign-in operations: app client and secret checks, challenge sessions,
// failure accounting, and issuing tokens. What follows a proven password is in challenges/next-step.ts.
import { randomUUID } from 'node:crypto';
import type { PoolContext } from '../context.js';
import { CognitoError, Errors } from '../api/errors.js';
import { afterFailure, isLocked } from './lockout.js';
import { noFailures, type AuthSessionRecord, type ClientRecord, type DeviceRecord, type PoolRecord, type UserRecord } from '../store/model.js';
import { startFamily } from '../crypto/refresh-tokens.js';
import { newSessionString, sha256Hex } from '../crypto/secrets.js';
import { acceptsSecretHash, requireStillProven } from '../pools/client-secrets.js';
import { recordSignInEvent } from '../pools/auth-events.js';
import { findUser } from '../pools/users.js';
import { verifyPassword } from '../crypto/passwords.js';
import type { JsonObject } from '../api/validation.js';
import { postAuthentication } from '../triggers/authentication.js';
import { hasTrigger } from '../triggers/invoke.js';
import { preTokenGeneration, type TokenGenerationSource } from '../triggers/pre-token.js';
import { deviceStepBeforeTokens, newDeviceMetadata } from '../devices/devices.js';
import { openDeviceChallenge } from '../devices/challenge.js';

export interface SignInParties {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  /** The sign-in attempt the Sessions so far belong to (none yet for USER_PASSWORD_AUTH). */
  attemptId?: string | null;
  /** RespondToAuthChallenge's ClientMetadata, for the triggers (InitiateAuth's is not passed on, as in Cognito). */
  clientMetadata?: Record<string, string> | undefined;
  /** The pre token generation triggerSource; default TokenGeneration_Authentication. */
  tokenSource?: TokenGenerationSource;
  /** DEVICE_KEY of the request that proved the first factor; later steps find it by attempt (devices/). */
  deviceKey?: string | undefined;
  /** The device DEVICE_PASSWORD_VERIFIER proved: the tokens are for it, without another device step. */
  provenDevice?: DeviceRecord | undefined;
  /** The sign-in answered an MFA challenge: a device it presented needs no DEVICE_SRP_AUTH after it. */
  mfaPassed?: boolean;
}

export function requireClient(ctx: PoolContext, clientId: string): { client: ClientRecord; pool: PoolRecord } {
  const client = ctx.store.getClient(clientId);
  const pool = client && ctx.store.getPool(client.poolId);
  if (!client || !pool) throw Errors.clientNotFound(clientId);
  return { client, pool };
}

/** The admin operations' UserPoolId + ClientId: the pool, and a client of that pool. */
export function requireClientOfPool(ctx: PoolContext, poolId: string, clientId: string): { client: ClientRecord; pool: PoolRecord } {
  const pool = ctx.store.getPool(poolId);
  if (!pool) throw Errors.poolNotFound(poolId);
  const client = ctx.store.getClient(clientId);
  if (!client || client.poolId !== pool.id) throw Errors.clientNotFound(clientId);
  return { client, pool };
}

/** SECRET_HASH (with any active secret) for clients that have one; clients without one ignore it, like Cognito. */
export function checkSecretHash(client: ClientRecord, username: string, provided: string | undefined): void {
  if (client.secret === null) return;
  if (provided === undefined || provided === '') throw Errors.secretHashNotReceived(client.id);
  if (!acceptsSecretHash(client, username, provided)) throw Errors.secretHashMismatch(client.id);
}

/** PreventUserExistenceErrors ENABLED: nothing about an account is told before its password is proven. */
export const hidesUserExistence = (client: ClientRecord): boolean => client.config.PreventUserExistenceErrors === 'ENABLED';

/** What an unknown user gets, depending on PreventUserExistenceErrors. */
export const unknownUserError = (client: ClientRecord) =>
  hidesUserExistence(client) ? Errors.incorrectCredentials() : Errors.userNotFound();

/**
 * LEGACY answers a disabled or unconfirmed account before the password is looked at, as Cognito does;
 * ENABLED answers it like a wrong password until the password is right (settlePasswordCheck).
 */
export function refuseClosedAccountEarly(client: ClientRecord, user: UserRecord): void {
  if (hidesUserExistence(client)) return;
  if (!user.enabled) throw Errors.userDisabled();
  if (user.status === 'UNCONFIRMED') throw Errors.userNotConfirmed();
}

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
  /** Continues this attempt; a new attempt starts when absent. */
  attemptId?: string | null;
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
    attemptId: open.attemptId ?? randomUUID(),
    failedAttempts: 0,
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
  const record = findSession(ctx, session, challenge);
  if (record.clientId !== client.id) throw Errors.invalidSession();
  return record;
}

/** Like loadSession, for operations that name no client (AssociateSoftwareToken, VerifySoftwareToken). */
export function findSession(ctx: PoolContext, session: string, challenge: string): AuthSessionRecord {
  const record = ctx.store.getSession(sha256Hex(session));
  if (!record || record.challenge !== challenge) throw Errors.invalidSession();
  // Ended by too many wrong codes: refused like an unknown session.
  if (record.failedAttempts >= ctx.mfaCodeAttempts) throw Errors.invalidSession();
  if (record.usedAt !== null) throw Errors.sessionUsed();
  if (ctx.clock.now() >= record.expiresAt) throw Errors.sessionExpired();
  return record;
}

/**
 * A wrong code on `session`: `mismatch` while attempts are left; the wrong code that uses up the last
 * attempt ends the Session and is answered "Invalid session for the user." instead.
 */
export function wrongCode(ctx: PoolContext, session: AuthSessionRecord, mismatch: () => CognitoError): CognitoError {
  const failures = ctx.store.countSessionFailure(session.id);
  return failures >= ctx.mfaCodeAttempts ? Errors.invalidSession() : mismatch();
}

/** Consumes the session; loses against a concurrent request that consumed it first or ended it with wrong codes. */
export function claimSession(ctx: PoolContext, session: AuthSessionRecord): void {
  if (ctx.store.claimSession(session.id, ctx.clock.now(), ctx.mfaCodeAttempts)) return;
  const now = ctx.store.getSession(session.id);
  throw now && now.usedAt === null ? Errors.invalidSession() : Errors.sessionUsed();
}

/** ChallengeResponses.USERNAME must name the session's user (canonical name or any of its names). */
export function checkChallengeUsername(ctx: PoolContext, pool: PoolRecord, session: AuthSessionRecord, typed: string): void {
  if (typed.toLowerCase() === session.username.toLowerCase()) return;
  // A simulated challenge (no user) also takes the name typed for it, as a user's takes the user's other names.
  const typedForIt = session.state['typed'];
  if (session.userSub === null && typeof typedForIt === 'string' && typed.toLowerCase() === typedForIt.toLowerCase()) return;
  const user = session.userSub === null ? undefined : findUser(ctx.store, pool, typed);
  if (!user || user.sub !== session.userSub) throw Errors.invalidSession();
}

// ---------- password attempts ----------

export function checkNotLocked(ctx: PoolContext, user: UserRecord): void {
  if (isLocked(user.lockout, ctx.clock.now())) throw Errors.passwordAttemptsExceeded();
}

/**
 * The plain-password check, the same work for every name: one without a password (unknown) is checked
 * against a decoy, so its answer takes as long as a wrong password's.
 */
export function passwordMatches(ctx: PoolContext, pool: PoolRecord, user: UserRecord | undefined, password: string): Promise<boolean> {
  return verifyPassword(ctx.srp, pool.id, user?.username ?? '', password, user?.credentials ?? null);
}

/**
 * Settles a password check (plain password or SRP proof) on the user as stored *after* the check's
 * await, in one transaction: `checked` is the copy read before, and while the check ran the user
 * may have been deleted, disabled, given a new password, or locked by a parallel failure.
 * A wrong password (or one checked against credentials replaced meanwhile) counts as a failure on
 * the stored counter, so parallel failures all count; a right one is refused while locked and
 * otherwise clears the counter. A disabled or unconfirmed account is told so (with
 * PreventUserExistenceErrors ENABLED only once the password is right). Returns the current user, or
 * throws what the client is told.
 */
export function settlePasswordCheck(ctx: PoolContext, pool: PoolRecord, client: ClientRecord, checked: UserRecord, proven: boolean): UserRecord {
  const now = ctx.clock.now();
  let refusal: CognitoError | undefined;
  let wrongPassword = false;
  const user = ctx.store.updateUser(checked.poolId, checked.sub, (current) => {
    if (!current.credentials) {
      refusal = unknownUserError(client);
      return current;
    }
    if (!current.enabled && !hidesUserExistence(client)) {
      refusal = Errors.userDisabled();
      return current;
    }
    if (!proven || current.credentials.srpVerifier !== checked.credentials?.srpVerifier) {
      refusal = Errors.incorrectCredentials();
      wrongPassword = true;
      return { ...current, lockout: afterFailure(current.lockout, now, ctx.lockout) };
    }
    if (isLocked(current.lockout, now)) {
      refusal = Errors.passwordAttemptsExceeded();
      return current;
    }
    if (!current.enabled) {
      refusal = Errors.userDisabled();
      return current;
    }
    if (current.status === 'UNCONFIRMED') {
      refusal = Errors.userNotConfirmed();
      return current;
    }
    return { ...current, lockout: noFailures };
  });
  if (!user) throw unknownUserError(client);
  if (refusal) {
    // The pool in hand, not read again: a known name's wrong password must cost what an unknown name's does.
    if (wrongPassword) recordSignInEvent(ctx, pool, user, 'Fail');
    throw refusal;
  }
  return user;
}

// ---------- tokens ----------

/**
 * Tokens for a completed sign-in, starting a new refresh-token family; ends the attempt's Sessions.
 * A sign-in that presented a confirmed device proves it first (DEVICE_SRP_AUTH); one without gets a
 * new device (NewDeviceMetadata) where the pool tracks devices. The PostAuthentication and
 * PreTokenGeneration triggers run then (either may refuse the sign-in); what is stored then is
 * written for the user as stored after them.
 */
export async function finishSignIn(ctx: PoolContext, parties: SignInParties): Promise<JsonObject> {
  const { pool, client, attemptId } = parties;
  const device = deviceStepBeforeTokens(ctx, parties);
  if (device.kind === 'prove') return openDeviceChallenge(ctx, parties, device.device);
  let user = parties.user;
  const triggered = hasTrigger(pool, 'PostAuthentication') || hasTrigger(pool, 'PreTokenGeneration');
  await postAuthentication(ctx, { pool, client, user, clientMetadata: parties.clientMetadata });
  const customization = await preTokenGeneration(ctx, {
    pool,
    client,
    user,
    source: parties.tokenSource ?? 'TokenGeneration_Authentication',
    clientMetadata: parties.clientMetadata,
  });
  if (triggered) {
    // The triggers are awaits: the user may have been deleted or disabled meanwhile.
    const current = ctx.store.getUserBySub(pool.id, user.sub);
    if (!current) throw unknownUserError(client);
    if (!current.enabled) throw Errors.userDisabled();
    user = current;
  }
  requireStillProven(ctx.store, client);
  if (attemptId) {
    ctx.store.endAttempt(attemptId, ctx.clock.now());
    ctx.store.clearAttemptDevice(attemptId);
  }
  if (device.device && !device.isNew) ctx.store.touchDevice(pool.id, device.device.deviceKey, ctx.clock.now());
  const { family, refreshToken } = startFamily(ctx, client, user, device.device);
  const tokens = await ctx.tokens.mint(client, user, family, customization);
  recordSignInEvent(ctx, pool, user, 'Pass');
  return { ChallengeParameters: {}, AuthenticationResult: { ...tokens, RefreshToken: refreshToken, ...newDeviceMetadata(device) } };
}
