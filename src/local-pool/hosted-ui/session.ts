// The hosted UI's own sign-in session: a cookie (its hash stored) that lets /oauth2/authorize answer
// with a code without asking again, for an hour, as Cognito's does. /logout ends it.
import { randomBytes } from 'node:crypto';
import type { PoolContext } from '../context.js';
import { sha256Hex } from '../crypto/secrets.js';
import type { UserRecord } from '../store/model.js';
import { oauthStore } from '../oauth/context.js';
import type { DomainRequest } from '../oauth/domains.js';
import { cookie, parseCookies, type HttpContext } from '../oauth/http.js';

/** Cognito's name for it. */
export const SESSION_COOKIE = 'cognito';
/** Cognito's hosted-UI session lasts an hour, not configurable. */
export const SESSION_SECONDS = 3600;

export interface HostedSession {
  id: string;
  user: UserRecord;
  /** Seconds: when the user signed in. */
  authTime: number;
}

/** Starts a session for a user who just signed in; the Set-Cookie header value. */
export function startHostedSession(ctx: PoolContext, domain: DomainRequest, user: UserRecord, authTime: number): string {
  const value = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  oauthStore(ctx).insertSession({
    id: sha256Hex(value),
    poolId: domain.domain.poolId,
    userSub: user.sub,
    authTime,
    createdAt: now,
    expiresAt: now + SESSION_SECONDS * 1000,
    endedAt: null,
  });
  return cookie(SESSION_COOKIE, value, { path: domain.cookiePath, maxAgeSeconds: SESSION_SECONDS });
}

/** The session the browser's cookie names, while it lasts and its user may still sign in. */
export function currentHostedSession(ctx: PoolContext, domain: DomainRequest, http: HttpContext): HostedSession | undefined {
  const value = parseCookies(http.req).get(SESSION_COOKIE);
  if (!value) return undefined;
  const id = sha256Hex(value);
  const session = oauthStore(ctx).getSession(id);
  if (!session || session.poolId !== domain.domain.poolId || session.endedAt !== null || ctx.clock.now() >= session.expiresAt) return undefined;
  const user = ctx.store.getUserBySub(session.poolId, session.userSub);
  if (!user || !user.enabled) return undefined;
  return { id, user, authTime: session.authTime };
}

/** Ends the browser's session (if any); the Set-Cookie header value that clears the cookie. */
export function endHostedSession(ctx: PoolContext, domain: DomainRequest, http: HttpContext): string {
  const value = parseCookies(http.req).get(SESSION_COOKIE);
  if (value) oauthStore(ctx).endSession(sha256Hex(value), ctx.clock.now());
  return cookie(SESSION_COOKIE, '', { path: domain.cookiePath, maxAgeSeconds: 0 });
}
