// Token persistence and what the client may read from tokens (decoded, never trusted: Cognito verifies them).
import type { CognitoTokens } from '../cognito/port.js';
import type { AuthUser } from '../../machines/auth.types.js';
import type { KeyValueStorage } from './storage.js';

export interface StoredTokens {
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken?: string;
  /** Access token expiry, ms since epoch, from the token's own `exp`. */
  readonly expiresAt: number;
  readonly loginId?: string;
  readonly authFlowType?: string;
}

/** Refresh this long before `exp`, so a token is never sent seconds before it dies. */
export const EXPIRY_MARGIN_MS = 60_000;

/** Registered and Cognito-internal claims that are not user attributes. */
const NON_ATTRIBUTE_CLAIMS = new Set([
  'sub', 'aud', 'iss', 'exp', 'iat', 'nbf', 'jti', 'auth_time', 'token_use', 'event_id', 'origin_jti',
  'cognito:username', 'cognito:groups', 'cognito:roles', 'cognito:preferred_role', 'nonce', 'at_hash', 'identities',
]);

/** The claims of a JWT as JSON (registered claims typed, the rest unknown). */
export interface JwtClaims {
  readonly [claim: string]: unknown;
  readonly sub?: string;
  readonly exp?: number;
  readonly iat?: number;
}

const utf8 = new TextDecoder();

/**
 * A base64url segment (padding optional) as text, read as UTF-8; atob throws on anything else. Here, not shared, so
 * SRP's math stays out. An ASCII payload (most tokens) is its own UTF-8: it is parsed as it comes, without a byte copy.
 */
function base64UrlText(segment: string): string {
  const binary = atob(segment.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (segment.length % 4)) % 4));
  if (!/[\x80-\xff]/.test(binary)) return binary;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return utf8.decode(bytes);
}

/** A JWT's payload, unverified (a few lines instead of a JOSE library in browser bundles). */
export function decodeClaims(token: string): JwtClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TypeError('Invalid JWT: expected three dot-separated parts');
  let claims: unknown;
  try {
    claims = JSON.parse(base64UrlText(parts[1]!));
  } catch (cause) {
    throw new TypeError('Invalid JWT: the payload is not base64url JSON', { cause });
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new TypeError('Invalid JWT: the payload is not a JSON object');
  return claims as JwtClaims;
}

export function toStoredTokens(
  tokens: CognitoTokens,
  now: number,
  details: { loginId?: string | undefined; authFlowType?: string | undefined; previousRefreshToken?: string | undefined },
): StoredTokens {
  const exp = decodeClaims(tokens.accessToken).exp;
  const refreshToken = tokens.refreshToken ?? details.previousRefreshToken;
  return {
    accessToken: tokens.accessToken,
    idToken: tokens.idToken,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: typeof exp === 'number' ? exp * 1000 : now + tokens.expiresIn * 1000,
    ...(details.loginId ? { loginId: details.loginId } : {}),
    ...(details.authFlowType ? { authFlowType: details.authFlowType } : {}),
  };
}

export function isFresh(tokens: StoredTokens, now: number): boolean {
  return tokens.expiresAt - EXPIRY_MARGIN_MS > now;
}

export function userFromTokens(tokens: StoredTokens): AuthUser {
  const claims = decodeClaims(tokens.idToken);
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (NON_ATTRIBUTE_CLAIMS.has(name)) continue;
    if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') attributes[name] = String(value);
  }
  const username = typeof claims['cognito:username'] === 'string' ? claims['cognito:username'] : (claims.sub ?? '');
  return {
    username,
    userId: claims.sub ?? '',
    attributes,
    ...(tokens.loginId ? { signInDetails: { loginId: tokens.loginId, authFlowType: tokens.authFlowType ?? 'USER_SRP_AUTH' } } : {}),
    tokensExpireAt: tokens.expiresAt,
  };
}

/**
 * Tokens of one app client in a KeyValueStorage, one entry per token (a cookie holds ~4 KB: Cognito's
 * refresh token alone is ~1.8 KB) plus one for the details. `clear()` starts a new generation: a save that
 * began before it (a refresh still answering while the user signs out) is dropped instead of bringing
 * the tokens back.
 */
export class TokenStore {
  readonly keys: { readonly accessToken: string; readonly idToken: string; readonly refreshToken: string; readonly details: string };
  private currentGeneration = 0;

  constructor(private readonly storage: KeyValueStorage, clientId: string) {
    const prefix = `authchart.${clientId}`;
    this.keys = {
      accessToken: `${prefix}.accessToken`,
      idToken: `${prefix}.idToken`,
      refreshToken: `${prefix}.refreshToken`,
      details: `${prefix}.tokenDetails`,
    };
  }

  /** Take it before a call whose answer will be saved; pass it to save(). */
  get generation(): number {
    return this.currentGeneration;
  }

  async load(): Promise<StoredTokens | null> {
    const [accessToken, idToken, refreshToken, details] = await Promise.all([
      this.storage.getItem(this.keys.accessToken),
      this.storage.getItem(this.keys.idToken),
      this.storage.getItem(this.keys.refreshToken),
      this.storage.getItem(this.keys.details),
    ]);
    if (!accessToken && !idToken && !refreshToken && !details) return null;
    // Some entries only: another tab is writing or removing them (browsers pass localStorage changes
    // between tabs key by key). Not a session yet, and not this tab's to delete.
    if (!accessToken || !idToken || !details) return null;
    try {
      const parsed = JSON.parse(details ?? 'null') as { expiresAt?: unknown; loginId?: unknown; authFlowType?: unknown } | null;
      if (accessToken && idToken && typeof parsed?.expiresAt === 'number') {
        return {
          accessToken,
          idToken,
          ...(refreshToken ? { refreshToken } : {}),
          expiresAt: parsed.expiresAt,
          ...(typeof parsed.loginId === 'string' ? { loginId: parsed.loginId } : {}),
          ...(typeof parsed.authFlowType === 'string' ? { authFlowType: parsed.authFlowType } : {}),
        };
      }
    } catch {
      // fall through: unreadable entries are dropped
    }
    await this.clear();
    return null;
  }

  /** Saves, unless the store was cleared since `generation` was taken. Returns whether it saved. */
  async save(tokens: StoredTokens, generation: number = this.currentGeneration): Promise<boolean> {
    if (generation !== this.currentGeneration) return false;
    const details = JSON.stringify({ expiresAt: tokens.expiresAt, loginId: tokens.loginId, authFlowType: tokens.authFlowType });
    await Promise.all([
      this.storage.setItem(this.keys.accessToken, tokens.accessToken),
      this.storage.setItem(this.keys.idToken, tokens.idToken),
      tokens.refreshToken ? this.storage.setItem(this.keys.refreshToken, tokens.refreshToken) : this.storage.removeItem(this.keys.refreshToken),
      this.storage.setItem(this.keys.details, details),
    ]);
    return true;
  }

  async clear(): Promise<void> {
    this.currentGeneration++;
    await Promise.all(Object.values(this.keys).map((key) => this.storage.removeItem(key)));
  }
}

/** A sign-out's local part: the stored tokens (to revoke), gone from the store. */
export async function endLocally(tokens: Pick<TokenStore, 'load' | 'clear'>): Promise<StoredTokens | null> {
  const stored = await tokens.load();
  await tokens.clear();
  return stored;
}
