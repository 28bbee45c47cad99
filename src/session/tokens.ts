// Token persistence and what the client may read from tokens (decoded, never trusted: Cognito verifies them).
import { decodeJwt, type JWTPayload } from 'jose';
import type { CognitoTokens } from '../cognito/port.js';
import type { AuthUser } from '../../machines/signIn.types.js';
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

export function decodeClaims(token: string): JWTPayload {
  return decodeJwt(token);
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

/** One JSON entry per app client in a KeyValueStorage. */
export class TokenStore {
  readonly key: string;

  constructor(private readonly storage: KeyValueStorage, clientId: string) {
    this.key = `authchart.${clientId}.tokens`;
  }

  async load(): Promise<StoredTokens | null> {
    const text = await this.storage.getItem(this.key);
    if (!text) return null;
    try {
      const value = JSON.parse(text) as Partial<StoredTokens>;
      if (typeof value.accessToken === 'string' && typeof value.idToken === 'string' && typeof value.expiresAt === 'number') {
        return value as StoredTokens;
      }
    } catch {
      // fall through: unreadable entries are dropped
    }
    await this.clear();
    return null;
  }

  async save(tokens: StoredTokens): Promise<void> {
    await this.storage.setItem(this.key, JSON.stringify(tokens));
  }

  async clear(): Promise<void> {
    await this.storage.removeItem(this.key);
  }
}
