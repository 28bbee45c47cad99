// The end of an authorize request: the user is known (signed in just now, by a hosted-UI session, or
// through a provider), so the app gets an authorization code (or, implicit grant, tokens) at its
// redirect_uri. Codes are single-use and live five minutes, as Cognito's.
import { randomUUID } from 'node:crypto';
import type { PoolContext } from '../context.js';
import { sha256Hex } from '../crypto/secrets.js';
import { startFamily } from '../crypto/refresh-tokens.js';
import type { ClientRecord, TokenFamilyRecord, UserRecord } from '../store/model.js';
import { preTokenGeneration } from '../triggers/pre-token.js';
import type { IssuedTokens } from '../crypto/tokens.js';
import type { AuthorizeRequest } from './authorize-request.js';
import { oauthStore } from './context.js';
import { OAuthError } from './client-auth.js';
import { redirect, withParams, type HttpContext } from './http.js';

/** Cognito's authorization codes are valid for five minutes. */
export const CODE_LIFETIME_MS = 5 * 60_000;

export interface SignedInUser {
  user: UserRecord;
  /** Seconds: when the user signed in (auth_time). */
  authTime: number;
}

/** A new authorization code for the request (only its hash is stored). */
export function issueCode(ctx: PoolContext, request: AuthorizeRequest, who: SignedInUser): string {
  const code = randomUUID();
  const now = ctx.clock.now();
  oauthStore(ctx).insertCode({
    codeHash: sha256Hex(code),
    poolId: request.pool.id,
    clientId: request.client.id,
    userSub: who.user.sub,
    redirectUri: request.redirectUri,
    scopes: request.scopes,
    codeChallenge: request.codeChallenge ?? null,
    nonce: request.nonce ?? null,
    authTime: who.authTime,
    createdAt: now,
    expiresAt: now + CODE_LIFETIME_MS,
    usedAt: null,
    originJti: null,
  });
  return code;
}

/** A token family for OAuth tokens: its scopes kept (refreshes keep them), auth_time the sign-in's. */
export function startOAuthFamily(
  ctx: PoolContext,
  client: ClientRecord,
  user: UserRecord,
  scopes: readonly string[],
  authTime: number,
): { family: TokenFamilyRecord; refreshToken: string } {
  const store = oauthStore(ctx);
  return ctx.store.transaction(() => {
    const started = startFamily(ctx, client, user);
    store.setFamilyAuthTime(started.family.originJti, authTime);
    store.insertGrant(started.family.originJti, scopes);
    return { family: { ...started.family, authTime }, refreshToken: started.refreshToken };
  });
}

/**
 * Tokens of an OAuth family, after the pre token generation trigger (source TokenGeneration_HostedAuth).
 * `stillAllowed`: the caller's own check after the trigger's await (the token endpoint authenticates the client again).
 */
export async function mintOAuthTokens(
  ctx: PoolContext,
  client: ClientRecord,
  user: UserRecord,
  family: TokenFamilyRecord,
  scopes: readonly string[],
  nonce: string | null,
  stillAllowed?: () => void,
): Promise<IssuedTokens> {
  const pool = ctx.store.getPool(client.poolId)!;
  const customization = await preTokenGeneration(ctx, { pool, client, user, source: 'TokenGeneration_HostedAuth', scopes });
  // The function is an await: the user and the family as stored now. A user deleted or disabled meanwhile, or a
  // family revoked (a replayed code, a global sign-out), gets no tokens.
  const current = ctx.store.getUserBySub(pool.id, user.sub);
  if (!current || !current.enabled) throw new OAuthError('invalid_grant', 'The user no longer exists or is disabled.');
  if (ctx.store.getFamily(family.originJti)?.revokedAt !== null) throw new OAuthError('invalid_grant', 'The sign-in was revoked while its tokens were made.');
  stillAllowed?.();
  return ctx.tokens.mint(client, current, family, customization, { nonce });
}

/** Sends the browser back to the app: a code (or the implicit grant's tokens) and the request's state. */
export async function grantAuthorization(ctx: PoolContext, http: HttpContext, request: AuthorizeRequest, who: SignedInUser, cookies: string[] = []): Promise<void> {
  if (request.responseType === 'code') {
    const code = issueCode(ctx, request, who);
    return redirect(http, withParams(request.redirectUri, { code, state: request.state }), cookies);
  }
  const { family } = startOAuthFamily(ctx, request.client, who.user, request.scopes, who.authTime);
  let tokens: IssuedTokens;
  try {
    tokens = await mintOAuthTokens(ctx, request.client, who.user, family, request.scopes, request.nonce ?? null);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return redirectError(http, request, 'invalid_request', error.description, cookies);
  }
  const fragment = {
    ...(request.scopes.includes('openid') ? { id_token: tokens.IdToken } : {}),
    access_token: tokens.AccessToken,
    token_type: 'Bearer',
    expires_in: String(tokens.ExpiresIn),
    state: request.state,
  };
  redirect(http, withParams(request.redirectUri, fragment, 'fragment'), cookies);
}

/** An error back to the app's redirect_uri (query, or fragment for the implicit grant). */
export function redirectError(
  http: HttpContext,
  target: { redirectUri: string; state: string | undefined; responseType: 'code' | 'token' },
  error: string,
  description: string,
  cookies: string[] = [],
): void {
  const params = { error, error_description: description, state: target.state };
  redirect(http, withParams(target.redirectUri, params, target.responseType === 'token' ? 'fragment' : 'query'), cookies);
}
