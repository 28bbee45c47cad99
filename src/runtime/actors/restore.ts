// Restoring the stored session at start: no Cognito call, so it is in the first load and a page with fresh stored
// tokens is signed in without waiting for the code that talks to Cognito (cognito-chunk.ts).
import type { StoredSessionStatus } from '../../../machines/auth.types.js';
import { isFresh, userFromTokens } from '../../session/tokens.js';
import { actor, type ActorBody } from './actor.js';
import type { ActorDeps } from './shared.js';

export type RestoreDeps = Pick<ActorDeps, 'tokens' | 'now' | 'attempts' | 'pendingCallback'>;

export function restoreActor(deps: RestoreDeps): ActorBody<StoredSessionStatus> {
  const { tokens, now } = deps;
  return actor<StoredSessionStatus>(async () => {
    // Opened at the hosted UI's callback: that sign-in comes first.
    const callbackUrl = deps.pendingCallback?.();
    if (callbackUrl) return { status: 'redirectCallback', callbackUrl };
    const stored = await tokens.load();
    if (!stored) return deps.attempts ? deps.attempts.status(now()) : { status: 'none' };
    // Signed in: an older attempt is moot. Cleared in the background, so stored tokens never wait for the attempts'
    // code (loaded with import()) or a slow storage.
    deps.attempts?.clear().catch(() => undefined);
    if (isFresh(stored, now())) return { status: 'fresh', user: userFromTokens(stored) };
    if (stored.refreshToken) return { status: 'stale', user: userFromTokens(stored) };
    await tokens.clear();
    return { status: 'none' };
  });
}
