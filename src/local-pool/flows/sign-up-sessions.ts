// Sign-in straight from sign-up (USER_AUTH clients): SignUp answers a sign-up Session, ConfirmSignUp
// a sign-in Session, and InitiateAuth USER_AUTH with that Session signs the user in. Both are stored
// in auth_sessions like challenge Sessions (only their hash, single use, the client's AuthSessionValidity),
// under challenge names RespondToAuthChallenge never accepts.
import { randomUUID } from 'node:crypto';
import type { PoolContext } from '../context.js';
import { Errors } from '../api/errors.js';
import { isFlowEnabled } from '../pools/config.js';
import { newSessionString, sha256Hex } from '../crypto/secrets.js';
import type { ClientRecord, UserRecord } from '../store/model.js';

export const SIGN_UP_SESSION = 'SIGN_UP';
export const CONFIRMED_SIGN_UP_SESSION = 'CONFIRMED_SIGN_UP';
type Kind = typeof SIGN_UP_SESSION | typeof CONFIRMED_SIGN_UP_SESSION;

export const offersSignUpSessions = (client: ClientRecord): boolean => isFlowEnabled(client.config, 'USER_AUTH');

/** Stores a new single-use Session of `kind` for the user and returns it. */
export function issueSignUpSession(ctx: PoolContext, client: ClientRecord, user: UserRecord, kind: Kind): string {
  const session = newSessionString();
  const now = ctx.clock.now();
  ctx.store.purgeSessionsExpiredBefore(now - 24 * 3600_000);
  ctx.store.insertSession({
    id: sha256Hex(session),
    poolId: client.poolId,
    clientId: client.id,
    userSub: user.sub,
    username: user.username,
    challenge: kind,
    state: {},
    attemptId: randomUUID(),
    failedAttempts: 0,
    createdAt: now,
    expiresAt: now + client.config.AuthSessionValidity * 60_000,
    usedAt: null,
  });
  return session;
}

/** Whether `session` is an unused, unexpired Session of `kind` of this client for this user (does not consume it). */
export function isUsableSignUpSession(ctx: PoolContext, client: ClientRecord, user: UserRecord, session: string, kind: Kind): boolean {
  const record = ctx.store.getSession(sha256Hex(session));
  return (
    !!record && record.challenge === kind && record.clientId === client.id && record.userSub === user.sub &&
    record.usedAt === null && ctx.clock.now() < record.expiresAt
  );
}

/**
 * Consumes `session` (one statement: a parallel second use loses); anything but an unused, unexpired
 * Session of `kind` of this client for this user is "Invalid session for the user.". Returns its attempt id.
 */
export function claimSignUpSession(ctx: PoolContext, client: ClientRecord, user: UserRecord, session: string, kind: Kind): string | null {
  const id = sha256Hex(session);
  if (!ctx.store.claimSessionFor(id, kind, client.id, user.sub, ctx.clock.now())) throw Errors.invalidSession();
  return ctx.store.getSession(id)?.attemptId ?? null;
}
