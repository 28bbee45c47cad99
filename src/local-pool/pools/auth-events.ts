// Auth events (AdminListUserAuthEvents): the pool records the outcome of each password sign-in while
// its threat protection is on. No risk is scored; see docs/local-pool.md, "Threat protection".
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { PoolContext } from '../context.js';
import type { PoolRecord, UserRecord } from '../store/model.js';
import { poolConfigStoreOf, type AuthEventResponse } from './pool-config-store.js';
import { threatProtectionOn } from './risk-configuration.js';

export const hashFeedbackToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Records a sign-in's outcome as an auth event (EventType SignIn) when the pool's threat protection is
 * on: one insert, nothing read back. The feedback token is random and kept only hashed: the pool sends
 * no risk notifications, so no one is given it.
 */
export function recordSignInEvent(ctx: PoolContext, pool: PoolRecord, user: UserRecord, response: AuthEventResponse): void {
  if (!threatProtectionOn(pool)) return;
  poolConfigStoreOf(ctx.store).insertAuthEvent({
    poolId: pool.id,
    userSub: user.sub,
    eventId: randomUUID(),
    eventType: 'SignIn',
    eventResponse: response,
    createdAt: ctx.clock.now(),
    feedbackTokenHash: hashFeedbackToken(randomBytes(32).toString('base64url')),
  });
}
