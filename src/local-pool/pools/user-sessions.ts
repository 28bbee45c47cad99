// A user's sessions (ListUserSessions, RevokeUserSession and their admin forms) and the session
// configurations (tables of migration 11). A token session is a token family: one sign-in on one app
// client, alive while it is not revoked and its newest refresh token has not expired. An SSO session is
// a hosted-UI sign-in session (hosted-ui/session.ts). Ids are derived from the row's key with a hash:
// stable, of Cognito's form, and no token (knowing one lets nobody sign in).
import type { PoolContext } from '../context.js';
import { Errors, CognitoError } from '../api/errors.js';
import { sha256Hex } from '../crypto/secrets.js';
import type { Store } from '../store/store.js';

type Row = Record<string, unknown>;

export type SessionType = 'TOKEN' | 'SSO';
export type SessionTracking = 'ENABLED' | 'DISABLED';

/** SessionIdType: `tkn` or `sso` and 25 lower-case letters and digits. */
export const SESSION_ID = { min: 28, max: 28, pattern: /^(tkn|sso)[a-z0-9]{25}$/, patternText: '(tkn|sso)[a-z0-9]{25}' };

export interface UserSession {
  id: string;
  type: SessionType;
  /** The app client of a token session; an SSO session has none (the hosted UI serves every client). */
  clientId: string | undefined;
  createdAt: number;
  lastActiveAt: number;
  /** The remembered device's name, when the sign-in was made on one. */
  deviceType: string | undefined;
  /** The SSO session a token session came through. */
  originSessionId: string | undefined;
  /** The token family (TOKEN) or hosted-UI session (SSO) behind it. */
  key: string;
}

export interface PoolSessionConfiguration {
  tracking: SessionTracking;
  maxPerUser: number;
}

/** What Cognito answers before SetUserPoolSessionConfiguration / SetUserPoolClientSessionConfiguration. */
export const DEFAULT_POOL_SESSION_CONFIGURATION: PoolSessionConfiguration = { tracking: 'DISABLED', maxPerUser: 20 };
export const DEFAULT_SSO_MAX_VALIDITY_MINUTES = 60;
/** Cognito answers all of a user's sessions in one page of up to 125. */
export const SESSIONS_PER_PAGE = 125;

export const tokenSessionId = (originJti: string): string => `tkn${sha256Hex(`token-session:${originJti}`).slice(0, 25)}`;
export const ssoSessionId = (hostedSessionId: string): string => `sso${sha256Hex(`sso-session:${hostedSessionId}`).slice(0, 25)}`;

const optionalText = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The SQL of this part, against the Store's file. */
class SessionStore {
  constructor(private readonly store: Store) {}

  /** Live token families; an OAuth one (it has a grant) with its auth_time, to find the SSO session it came through. */
  tokenSessions(poolId: string, userSub: string, now: number): Row[] {
    return this.store
      .prepare(
        `SELECT f.origin_jti, f.client_id, f.auth_time, f.created_at, f.last_active_at, d.name AS device_name,
                EXISTS (SELECT 1 FROM oauth_grants g WHERE g.origin_jti = f.origin_jti) AS oauth
         FROM token_families f
         LEFT JOIN devices d ON d.pool_id = f.pool_id AND d.device_key = f.device_key
         WHERE f.pool_id = ? AND f.user_sub = ? AND f.revoked_at IS NULL
           AND (SELECT max(r.expires_at) FROM refresh_tokens r WHERE r.origin_jti = f.origin_jti) > ?`,
      )
      .all(poolId, userSub, now) as Row[];
  }

  /** Hosted-UI sessions of the user still stored (ended or expired ones too, for OriginSessionId). */
  hostedSessions(poolId: string, userSub: string): Row[] {
    return this.store.prepare('SELECT * FROM hosted_sessions WHERE pool_id = ? AND user_sub = ?').all(poolId, userSub) as Row[];
  }

  revokeFamily(originJti: string, now: number): void {
    this.store.prepare('UPDATE token_families SET revoked_at = ? WHERE origin_jti = ? AND revoked_at IS NULL').run(now, originJti);
  }

  endHostedSession(id: string, now: number): void {
    this.store.prepare('UPDATE hosted_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(now, id);
  }

  touchFamily(originJti: string, now: number): void {
    this.store.prepare('UPDATE token_families SET last_active_at = ? WHERE origin_jti = ?').run(now, originJti);
  }

  /** Live token families of the user, least recently used first. */
  leastRecentlyUsed(poolId: string, userSub: string, now: number): string[] {
    return (
      this.store
        .prepare(
          `SELECT f.origin_jti FROM token_families f
           WHERE f.pool_id = ? AND f.user_sub = ? AND f.revoked_at IS NULL
             AND (SELECT max(r.expires_at) FROM refresh_tokens r WHERE r.origin_jti = f.origin_jti) > ?
           ORDER BY coalesce(f.last_active_at, f.created_at), f.created_at, f.origin_jti`,
        )
        .all(poolId, userSub, now) as Row[]
    ).map((row) => row['origin_jti'] as string);
  }

  poolConfiguration(poolId: string): PoolSessionConfiguration {
    const row = this.store.prepare('SELECT * FROM pool_session_configurations WHERE pool_id = ?').get(poolId) as Row | undefined;
    return row ? { tracking: row['tracking'] as SessionTracking, maxPerUser: row['max_per_user'] as number } : DEFAULT_POOL_SESSION_CONFIGURATION;
  }

  setPoolConfiguration(poolId: string, config: PoolSessionConfiguration): void {
    this.store
      .prepare(
        `INSERT INTO pool_session_configurations (pool_id, tracking, max_per_user) VALUES (?, ?, ?)
         ON CONFLICT (pool_id) DO UPDATE SET tracking = excluded.tracking, max_per_user = excluded.max_per_user`,
      )
      .run(poolId, config.tracking, config.maxPerUser);
  }

  clientMaxValidityMinutes(clientId: string): number {
    const row = this.store.prepare('SELECT max_validity_minutes FROM client_session_configurations WHERE client_id = ?').get(clientId) as Row | undefined;
    return row ? (row['max_validity_minutes'] as number) : DEFAULT_SSO_MAX_VALIDITY_MINUTES;
  }

  setClientMaxValidityMinutes(clientId: string, minutes: number): void {
    this.store
      .prepare(
        `INSERT INTO client_session_configurations (client_id, max_validity_minutes) VALUES (?, ?)
         ON CONFLICT (client_id) DO UPDATE SET max_validity_minutes = excluded.max_validity_minutes`,
      )
      .run(clientId, minutes);
  }
}

const stores = new WeakMap<Store, SessionStore>();
export function sessionStore(ctx: PoolContext): SessionStore {
  let store = stores.get(ctx.store);
  if (!store) stores.set(ctx.store, (store = new SessionStore(ctx.store)));
  return store;
}

/**
 * The user's live sessions, oldest first. A token session of an OAuth sign-in came through the SSO
 * session of the same user whose sign-in time it carries (auth_time), started before it.
 */
export function userSessions(ctx: PoolContext, poolId: string, userSub: string): UserSession[] {
  const store = sessionStore(ctx);
  const now = ctx.clock.now();
  const hosted = store.hostedSessions(poolId, userSub);
  const originOf = (row: Row): string | undefined => {
    if (row['oauth'] !== 1) return undefined;
    const origin = hosted
      .filter((h) => h['auth_time'] === row['auth_time'] && (h['created_at'] as number) <= (row['created_at'] as number))
      .sort((a, b) => (b['created_at'] as number) - (a['created_at'] as number))[0];
    return origin && ssoSessionId(origin['id'] as string);
  };
  const tokens = store.tokenSessions(poolId, userSub, now).map(
    (row): UserSession => ({
      id: tokenSessionId(row['origin_jti'] as string),
      type: 'TOKEN',
      clientId: row['client_id'] as string,
      createdAt: row['created_at'] as number,
      lastActiveAt: (row['last_active_at'] as number | null) ?? (row['created_at'] as number),
      deviceType: optionalText(row['device_name']),
      originSessionId: originOf(row),
      key: row['origin_jti'] as string,
    }),
  );
  const sso = hosted
    .filter((h) => h['ended_at'] === null && (h['expires_at'] as number) > now)
    .map(
      (h): UserSession => ({
        id: ssoSessionId(h['id'] as string),
        type: 'SSO',
        clientId: undefined,
        createdAt: h['created_at'] as number,
        lastActiveAt: h['created_at'] as number,
        deviceType: undefined,
        originSessionId: undefined,
        key: h['id'] as string,
      }),
    );
  return [...tokens, ...sso].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** NextToken: the last session of the previous page (keyset: a session revoked meanwhile shifts nothing). */
const pageAfter = {
  encode: (last: UserSession): string => Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url'),
  decode(token: string): { createdAt: number; id: string } {
    try {
      const [createdAt, id] = JSON.parse(Buffer.from(token, 'base64url').toString()) as unknown[];
      if (typeof createdAt === 'number' && typeof id === 'string') return { createdAt, id };
    } catch {
      // reported below
    }
    throw Errors.invalidParameter('Invalid NextToken.');
  },
};

const seconds = (ms: number): number => ms / 1000;

/** One page of ListUserSessions / AdminListUserSessions; `currentOriginJti`: the calling access token's family. */
export function listUserSessions(
  ctx: PoolContext,
  poolId: string,
  userSub: string,
  nextToken: string | undefined,
  currentOriginJti: string | undefined,
): { Sessions: Array<Record<string, unknown>>; NextToken?: string } {
  const after = nextToken === undefined ? undefined : pageAfter.decode(nextToken);
  const all = userSessions(ctx, poolId, userSub);
  const rest = after ? all.filter((s) => s.createdAt > after.createdAt || (s.createdAt === after.createdAt && s.id > after.id)) : all;
  const page = rest.slice(0, SESSIONS_PER_PAGE);
  return {
    Sessions: page.map((s) => ({
      SessionId: s.id,
      SessionType: s.type,
      ...(s.clientId !== undefined ? { ClientId: s.clientId } : {}),
      CreateDate: seconds(s.createdAt),
      LastActiveDate: seconds(s.lastActiveAt),
      ...(s.deviceType !== undefined ? { DeviceType: s.deviceType } : {}),
      ...(s.originSessionId !== undefined ? { OriginSessionId: s.originSessionId } : {}),
      IsCurrentSession: s.type === 'TOKEN' && s.key === currentOriginJti,
    })),
    ...(rest.length > SESSIONS_PER_PAGE ? { NextToken: pageAfter.encode(page.at(-1)!) } : {}),
  };
}

export const sessionNotFound = (): CognitoError => new CognitoError('ResourceNotFoundException', 'Session not found.');

/**
 * Revokes one session of the user, and with `linked` the sessions linked to it (a token session's SSO
 * session; an SSO session's token sessions), in one transaction: a token session's refresh token and
 * access tokens stop at once (its family is revoked, as RevokeToken does); an SSO session's cookie no
 * longer signs in. `currentOriginJti`: the caller's own session, which RevokeUserSession may not name.
 */
export function revokeUserSession(
  ctx: PoolContext,
  poolId: string,
  userSub: string,
  sessionId: string,
  linked: boolean,
  currentOriginJti?: string,
): void {
  const store = sessionStore(ctx);
  ctx.store.transaction(() => {
    const now = ctx.clock.now();
    const sessions = userSessions(ctx, poolId, userSub);
    const target = sessions.find((s) => s.id === sessionId);
    if (!target) throw sessionNotFound();
    if (target.type === 'TOKEN' && target.key === currentOriginJti) {
      throw Errors.invalidParameter('The current session cannot be revoked; use GlobalSignOut or RevokeToken.');
    }
    const revoked = [target];
    if (linked) {
      if (target.type === 'TOKEN') revoked.push(...sessions.filter((s) => s.id === target.originSessionId));
      else revoked.push(...sessions.filter((s) => s.originSessionId === target.id));
    }
    for (const session of revoked) {
      if (session.type === 'TOKEN') store.revokeFamily(session.key, now);
      else store.endHostedSession(session.key, now);
    }
  });
}

/**
 * Before a new token session of the user starts (inside its transaction): with session tracking
 * ENABLED, the least recently used ones go until the new one fits MaxPerUser.
 */
export function makeRoomForTokenSession(ctx: PoolContext, poolId: string, userSub: string): void {
  const store = sessionStore(ctx);
  const config = store.poolConfiguration(poolId);
  if (config.tracking !== 'ENABLED') return;
  const now = ctx.clock.now();
  const live = store.leastRecentlyUsed(poolId, userSub, now);
  for (const originJti of live.slice(0, Math.max(0, live.length - config.maxPerUser + 1))) store.revokeFamily(originJti, now);
}

/**
 * Whether /oauth2/authorize may answer this client silently from an SSO session of `authTime` (seconds):
 * while the pool tracks sessions, only within the client's MaxValidityMinutes of that sign-in (0: never).
 */
export function ssoSessionReusable(ctx: PoolContext, poolId: string, clientId: string, authTime: number): boolean {
  const store = sessionStore(ctx);
  if (store.poolConfiguration(poolId).tracking !== 'ENABLED') return true;
  return ctx.clock.now() - authTime * 1000 < store.clientMaxValidityMinutes(clientId) * 60_000;
}

/** A refresh used the token session (LastActiveDate). */
export function touchTokenSession(ctx: PoolContext, originJti: string): void {
  sessionStore(ctx).touchFamily(originJti, ctx.clock.now());
}
