// Temporary lockout after failed sign-ins: a few free failures,
// then locks that double per failure up to a cap; attempts during a lock are neither evaluated
// nor counted; a long enough quiet period or a success clears the counter.
import type { LockoutState } from '../store/model.js';

export interface LockoutPolicy {
  /** Failures allowed before the first lock. */
  freeFailures: number;
  /** Length of the first lock; each further failure doubles it. */
  firstLockSeconds: number;
  maxLockSeconds: number;
  /** Quiet time after the last failure that resets the counter. */
  idleResetSeconds: number;
}

export const defaultLockoutPolicy: LockoutPolicy = {
  freeFailures: 5,
  firstLockSeconds: 1,
  maxLockSeconds: 900,
  idleResetSeconds: 900,
};

export function isLocked(state: LockoutState, now: number): boolean {
  return state.lockedUntil !== null && now < state.lockedUntil;
}

/** The state after one more failed attempt at `now` (made while not locked). */
export function afterFailure(state: LockoutState, now: number, policy: LockoutPolicy): LockoutState {
  const idle = state.lastFailureAt !== null && now - state.lastFailureAt >= policy.idleResetSeconds * 1000;
  const failedAttempts = (idle ? 0 : state.failedAttempts) + 1;
  const beyondFree = failedAttempts - policy.freeFailures;
  const lockSeconds =
    beyondFree > 0 ? Math.min(policy.firstLockSeconds * 2 ** (beyondFree - 1), policy.maxLockSeconds) : 0;
  return { failedAttempts, lastFailureAt: now, lockedUntil: lockSeconds > 0 ? now + lockSeconds * 1000 : null };
}
