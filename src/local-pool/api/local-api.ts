// The /_local endpoints that only a local pool has: the outbox and the current TOTP code of a user.
// They exist for development, demos and end-to-end tests; real Cognito has nothing like them.
import type { PoolContext } from '../context.js';
import { CognitoError, Errors } from './errors.js';
import type { OutboxFilter } from '../outbox/outbox.js';
import { totpCode, totpSecondsLeft } from '../crypto/totp.js';
import { findUser } from '../pools/users.js';

export interface CurrentTotpCode {
  userPoolId: string;
  /** Canonical username. */
  username: string;
  code: string;
  /** Which secret the code is for: the verified authenticator, or one associated but not yet verified. */
  secret: 'verified' | 'pending';
  /** Seconds until the code changes (pool clock). */
  expiresInSeconds: number;
}

/**
 * The code an authenticator app would show now for the user's TOTP secret: the verified one, or the
 * pending one (after AssociateSoftwareToken) when there is no verified one or `pending` is asked for.
 */
export function currentTotpCode(ctx: PoolContext, userPoolId: string, username: string, pending = false): CurrentTotpCode {
  const pool = ctx.store.getPool(userPoolId);
  if (!pool) throw Errors.poolNotFound(userPoolId);
  const user = findUser(ctx.store, pool, username);
  if (!user) throw Errors.userNotFound();
  const verified = user.mfa.totp?.secret ?? null;
  const secret = pending || verified === null ? user.mfa.pendingTotpSecret : verified;
  if (secret === null) throw Errors.softwareTokenMfaNotFound();
  const now = ctx.clock.now();
  return {
    userPoolId,
    username: user.username,
    code: totpCode(secret, now),
    secret: secret === verified ? 'verified' : 'pending',
    expiresInSeconds: totpSecondsLeft(now),
  };
}

/** ?to= (or ?recipient=)&username=&userPoolId=&since= (ms) as an outbox filter. */
export function outboxFilterFrom(query: URLSearchParams): OutboxFilter {
  const filter: OutboxFilter = {};
  const to = query.get('to');
  if (to !== null && to !== '') filter.recipient = to;
  const text = (name: 'recipient' | 'username' | 'userPoolId') => {
    const value = query.get(name);
    if (value !== null && value !== '') filter[name] = value;
  };
  text('recipient');
  text('username');
  text('userPoolId');
  const since = query.get('since');
  if (since !== null && since !== '') {
    const ms = Number(since);
    if (!Number.isFinite(ms)) throw new CognitoError('InvalidParameterException', 'since must be a time in ms since the epoch.');
    filter.since = ms;
  }
  return filter;
}
