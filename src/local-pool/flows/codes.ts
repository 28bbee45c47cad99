// Confirmation codes: sign-up, forgot password and attribute verification. A code is 6 digits, one
// per user and kind (a new one replaces the old), single use, valid 24 hours (1 hour for password
// resets), and takes CODE_ATTEMPTS wrong answers; sending is limited to CODE_SENDS_PER_HOUR per user
// and kind. Everything is counted in SQL, in one synchronous transaction (nothing awaits in between).
import type { PoolContext } from '../context.js';
import { Errors } from '../api/errors.js';
import type { CodeKind, ConfirmationCodeRecord, PoolRecord, UserRecord } from '../store/model.js';
import { safeEqual, sha256Hex } from '../crypto/secrets.js';
import { newCode } from '../pools/mfa.js';
import { codeDeliveryDetails, composeMessage, type Channel, type MessageKind } from '../pools/messages.js';
import type { JsonObject } from '../api/validation.js';
import { customText, type CustomTexts } from '../triggers/custom-message.js';

export const CONFIRMATION_CODE_DIGITS = 6;
const HOUR = 3600_000;
/** How long a code is valid: 24 hours for sign-up and attribute codes, 1 hour for password resets. */
export const CODE_LIFETIME_MS: Record<CodeKind, number> = {
  SIGN_UP: 24 * HOUR,
  'VERIFY:email': 24 * HOUR,
  'VERIFY:phone_number': 24 * HOUR,
  FORGOT_PASSWORD: HOUR,
};
/** Wrong answers one code takes; after that every answer to it is LimitExceededException until a new code is sent. */
export const CODE_ATTEMPTS = 5;
/** Codes of one kind sent to one user within an hour (ResendConfirmationCode, ForgotPassword ...); the next is LimitExceededException. */
export const CODE_SENDS_PER_HOUR = 5;

/** Sends of these share one limit: both attribute codes count together. */
const sendFamily = (kind: CodeKind): string => (kind.startsWith('VERIFY:') ? 'VERIFY' : kind);

export interface CodeToSend {
  pool: PoolRecord;
  user: UserRecord;
  kind: CodeKind;
  channel: Channel;
  /** Outbox purpose: SIGN_UP, FORGOT_PASSWORD, ADMIN_RESET_PASSWORD, VERIFY_ATTRIBUTE. */
  purpose: string;
  /** Counted against CODE_SENDS_PER_HOUR (what a user can trigger); admin operations are not. */
  limited: boolean;
  /** What a CustomMessage function wrote for this message (asked before: sendCode does not wait). */
  texts?: CustomTexts | undefined;
}

/**
 * Stores a new code (replacing the user's previous one of this kind) and "sends" it through the
 * outbox; returns its CodeDeliveryDetails. LimitExceededException when the send limit is reached.
 */
export function sendCode(ctx: PoolContext, send: CodeToSend): JsonObject {
  const { pool, user, kind, channel } = send;
  const now = ctx.clock.now();
  const code = newCode(CONFIRMATION_CODE_DIGITS);
  ctx.store.transaction(() => {
    if (send.limited && !ctx.store.recordCodeSend(pool.id, user.sub, sendFamily(kind), now, HOUR, CODE_SENDS_PER_HOUR)) {
      throw Errors.limitExceeded();
    }
    ctx.store.putCode({
      poolId: pool.id,
      userSub: user.sub,
      kind,
      attribute: channel.attribute,
      destination: channel.destination,
      codeHash: sha256Hex(code),
      createdAt: now,
      expiresAt: now + CODE_LIFETIME_MS[kind],
      failedAttempts: 0,
    });
    const messageKind: MessageKind = kind === 'FORGOT_PASSWORD' ? 'RESET' : 'VERIFICATION';
    ctx.outbox.send({
      userPoolId: pool.id,
      username: user.username,
      medium: channel.medium,
      destination: channel.destination,
      ...composeMessage(pool.config, messageKind, channel.medium, code, '', customText(send.texts, channel.medium)),
      code,
      purpose: send.purpose,
    });
  });
  return codeDeliveryDetails(channel);
}

type CheckOutcome = { ok: true; code: ConfirmationCodeRecord } | { ok: false; error: 'mismatch' | 'expired' | 'limit' };

/**
 * Checks and uses up a code, in one transaction: a right, unexpired code under the attempt limit is
 * deleted (so of parallel right answers one wins); a wrong one adds one to the stored failure count.
 * `destination` (attribute codes): the value the code must have gone to. Returns the code's record;
 * throws CodeMismatchException, ExpiredCodeException or LimitExceededException.
 */
export function useCode(ctx: PoolContext, user: UserRecord, kind: CodeKind, answer: string, destination?: string): ConfirmationCodeRecord {
  const now = ctx.clock.now();
  const outcome = ctx.store.transaction((): CheckOutcome => {
    const stored = ctx.store.getCode(user.poolId, user.sub, kind);
    if (!stored) return { ok: false, error: 'mismatch' };
    if (stored.failedAttempts >= CODE_ATTEMPTS) return { ok: false, error: 'limit' };
    if (now >= stored.expiresAt) return { ok: false, error: 'expired' };
    const right = safeEqual(sha256Hex(answer), stored.codeHash) && (destination === undefined || destination === stored.destination);
    if (!right) {
      ctx.store.countCodeFailure(user.poolId, user.sub, kind, stored.codeHash);
      return { ok: false, error: 'mismatch' };
    }
    if (!ctx.store.consumeCode(user.poolId, user.sub, kind, stored.codeHash, now, CODE_ATTEMPTS)) return { ok: false, error: 'mismatch' };
    return { ok: true, code: stored };
  });
  if (outcome.ok) return outcome.code;
  if (outcome.error === 'limit') throw Errors.limitExceeded();
  if (outcome.error === 'expired') throw Errors.expiredCode();
  throw Errors.verificationCodeMismatch();
}
