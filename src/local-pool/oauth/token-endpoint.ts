// POST /oauth2/token: authorization_code (PKCE S256), refresh_token and client_credentials grants; client_secret_basic
// or client_secret_post for clients with a secret. Answers and errors as Cognito's: JSON with
// access_token / id_token / refresh_token, or {"error": "..."} (why, in the pool's log).
import { createHash } from 'node:crypto';
import type { PoolContext } from '../context.js';
import { CognitoError } from '../api/errors.js';
import { redeem, settleRefresh } from '../crypto/refresh-tokens.js';
import { safeEqual, sha256Hex } from '../crypto/secrets.js';
import type { ClientRecord } from '../store/model.js';
import { authenticateClient, OAuthError } from './client-auth.js';
import { allowsFlow, isStandardScope } from './client-settings.js';
import { resourceServerStoreOf } from './resource-server-store.js';
import { oauthStore } from './context.js';
import type { DomainRecord } from './oauth-store.js';
import { mintOAuthTokens, startOAuthFamily } from './grant.js';
import { machineTokenGeneration, preTokenGeneration } from '../triggers/pre-token.js';
import { isPlainObject } from '../api/validation.js';
import type { IssuedTokens } from '../crypto/tokens.js';

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

const invalidGrant = (why: string) => new OAuthError('invalid_grant', why);

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === '') throw new OAuthError('invalid_request', `${name} is required.`);
  return value;
}

function tokenAnswer(tokens: IssuedTokens, scopes: readonly string[], refreshToken: string | undefined): Record<string, unknown> {
  return {
    ...(scopes.includes('openid') ? { id_token: tokens.IdToken } : {}),
    access_token: tokens.AccessToken,
    ...(refreshToken !== undefined ? { refresh_token: refreshToken } : {}),
    expires_in: tokens.ExpiresIn,
    token_type: 'Bearer',
  };
}

async function authorizationCodeGrant(
  ctx: PoolContext,
  client: ClientRecord,
  form: URLSearchParams,
  authenticateAgain: () => ClientRecord,
): Promise<Record<string, unknown>> {
  if (!allowsFlow(client.config, 'code')) throw new OAuthError('unauthorized_client', 'The client may not use the authorization code grant.');
  const code = required(form, 'code');
  const redirectUri = required(form, 'redirect_uri');
  const verifier = form.get('code_verifier');
  const store = oauthStore(ctx);
  const codeHash = sha256Hex(code);
  const record = store.getCode(codeHash);
  if (!record || record.clientId !== client.id) throw invalidGrant('The authorization code does not exist (or was issued to another client).');
  const now = ctx.clock.now();
  // One attempt per code: whatever is wrong below, the code is spent.
  if (!store.claimCode(codeHash, now)) {
    // A replayed code: the tokens it gave are revoked too (RFC 6749 4.1.2).
    const used = store.getCode(codeHash);
    if (used?.originJti) ctx.store.revokeFamily(used.originJti, now);
    throw invalidGrant('The authorization code has already been used.');
  }
  if (now >= record.expiresAt) throw invalidGrant('The authorization code has expired (codes live five minutes).');
  if (redirectUri !== record.redirectUri) throw invalidGrant('redirect_uri differs from the one of the authorize request.');
  if (record.codeChallenge !== null) {
    if (verifier === null) throw new OAuthError('invalid_request', 'code_verifier is required: the authorize request had a code_challenge.');
    if (!VERIFIER.test(verifier)) throw invalidGrant('code_verifier must be 43-128 characters of [A-Za-z0-9-._~].');
    const expected = createHash('sha256').update(verifier, 'ascii').digest('base64url');
    if (!safeEqual(expected, record.codeChallenge)) throw invalidGrant('code_verifier does not match the code_challenge.');
  } else if (verifier !== null) {
    throw invalidGrant('code_verifier given, but the authorize request had no code_challenge.');
  }
  const user = ctx.store.getUserBySub(record.poolId, record.userSub);
  if (!user || !user.enabled) throw invalidGrant('The user no longer exists or is disabled.');
  const { family, refreshToken } = startOAuthFamily(ctx, client, user, record.scopes, record.authTime);
  store.recordCodeFamily(codeHash, family.originJti);
  // PreTokenGeneration is an await: the client must still take the secret it called with (a rotation may have
  // deleted it), as for a new request: invalid_client, and the family started for the code is revoked.
  const stillAuthenticated = () => {
    try {
      authenticateAgain();
    } catch (error) {
      ctx.store.revokeFamily(family.originJti, ctx.clock.now());
      throw error;
    }
  };
  const tokens = await mintOAuthTokens(ctx, client, user, family, record.scopes, record.nonce, stillAuthenticated);
  return tokenAnswer(tokens, record.scopes, refreshToken);
}

async function refreshTokenGrant(
  ctx: PoolContext,
  client: ClientRecord,
  form: URLSearchParams,
  authenticateAgain: () => ClientRecord,
): Promise<Record<string, unknown>> {
  const token = required(form, 'refresh_token');
  const rotating = client.config.RefreshTokenRotation.Feature === 'ENABLED';
  const refused = (error: unknown) => (error instanceof CognitoError ? invalidGrant(error.message) : error);
  let checked;
  try {
    checked = redeem(ctx, client, token);
  } catch (error) {
    throw refused(error);
  }
  const scopes = oauthStore(ctx).grantedScopes(checked.family.originJti);
  // The trigger first, as for REFRESH_TOKEN_AUTH: a refused refresh leaves the token as it was (not rotated).
  const pool = ctx.store.getPool(client.poolId)!;
  const customization = await preTokenGeneration(ctx, { pool, client, user: checked.user, source: 'TokenGeneration_RefreshTokens', ...(scopes ? { scopes } : {}) });
  // The trigger is an await: the client must still exist and take the secret it called with (a rotation
  // may have deleted it), as for a new request: invalid_client, before anything is rotated.
  authenticateAgain();
  let settled;
  try {
    settled = settleRefresh(ctx, client, token, rotating);
  } catch (error) {
    throw refused(error);
  }
  const { redeemed, refreshToken: next } = settled;
  // Settled after the trigger (an await): the token, the family and the user as they are now.
  const tokens = await ctx.tokens.mint(client, redeemed.user, redeemed.family, customization, scopes ? { nonce: null } : undefined);
  // An API sign-in's refresh token works here too; its ID token is always given.
  return tokenAnswer(tokens, scopes ?? ['openid'], next);
}

/**
 * aws_client_metadata: a JSON object of strings, URL-encoded, for a V3_0 pre token generation function
 * (request.clientMetadata); anything else is invalid_request.
 */
function clientMetadataOf(form: URLSearchParams): Record<string, string> | undefined {
  const text = form.get('aws_client_metadata');
  if (text === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OAuthError('invalid_request', 'aws_client_metadata is not JSON.');
  }
  if (!isPlainObject(value) || Object.values(value).some((entry) => typeof entry !== 'string')) {
    throw new OAuthError('invalid_request', 'aws_client_metadata must be a JSON object of strings.');
  }
  return value as Record<string, string>;
}

/**
 * A machine-to-machine access token: the client's own, no user, no ID or refresh token. `scope` names
 * custom scopes the client is allowed (none given: all of them that exist). A V3_0 pre token generation
 * function shapes it (TokenGeneration_ClientCredentials, with aws_client_metadata).
 */
async function clientCredentialsGrant(
  ctx: PoolContext,
  client: ClientRecord,
  form: URLSearchParams,
  authenticateAgain: () => ClientRecord,
): Promise<Record<string, unknown>> {
  const asked = form.get('scope');
  const scopes = grantableScopes(ctx, client, asked);
  const clientMetadata = clientMetadataOf(form);
  const pool = ctx.store.getPool(client.poolId)!;
  const customization = await machineTokenGeneration(ctx, { pool, client, scopes, clientMetadata });
  const token = await ctx.tokens.mintClientAccessToken(client, scopes, customization);
  // The function and signing are awaits: the client as stored now must still exist, still take the secret it was
  // called with (a rotation may have deleted it meanwhile) and allow these scopes.
  grantableScopes(ctx, authenticateAgain(), scopes.join(' '));
  return { access_token: token.AccessToken, expires_in: token.ExpiresIn, token_type: 'Bearer' };
}

/** The custom scopes of the client's AllowedOAuthScopes that exist: what a machine token may carry (also GetClientToken's). */
export function allowedCustomScopes(ctx: PoolContext, client: ClientRecord): string[] {
  const servers = resourceServerStoreOf(ctx.store);
  return (client.config.AllowedOAuthScopes ?? []).filter((scope) => !isStandardScope(scope) && servers.hasScope(client.poolId, scope));
}

/** The custom scopes a client_credentials request gets: those asked for (none: all the client may have), or an OAuthError. */
function grantableScopes(ctx: PoolContext, client: ClientRecord, asked: string | null): string[] {
  if (!allowsFlow(client.config, 'client_credentials')) throw new OAuthError('unauthorized_client', 'The client may not use the client_credentials grant.');
  if (client.secret === null) throw new OAuthError('invalid_client', 'The client_credentials grant needs a client with a secret.');
  const allowed = allowedCustomScopes(ctx, client);
  const scopes = asked === null || asked.trim() === '' ? allowed : [...new Set(asked.split(/[ +]/).filter(Boolean))];
  const refused = scopes.find((scope) => !allowed.includes(scope));
  if (refused !== undefined) throw new OAuthError('invalid_scope', `The client may not ask for the scope ${refused}.`);
  if (scopes.length === 0) throw new OAuthError('invalid_scope', 'The client is allowed no custom scope that exists.');
  return scopes;
}

const LAMBDA_FAILURES = new Set(['UserLambdaValidationException', 'UnexpectedLambdaException', 'InvalidLambdaResponseException']);

/** The token endpoint's answer for a form, or an OAuthError. */
export async function tokenEndpoint(ctx: PoolContext, domain: DomainRecord, req: import('node:http').IncomingMessage, form: URLSearchParams): Promise<Record<string, unknown>> {
  const grantType = form.get('grant_type');
  if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required.');
  const client = authenticateClient(ctx, domain, req, form);
  try {
    if (grantType === 'authorization_code') return await authorizationCodeGrant(ctx, client, form, () => authenticateClient(ctx, domain, req, form));
    if (grantType === 'refresh_token') return await refreshTokenGrant(ctx, client, form, () => authenticateClient(ctx, domain, req, form));
    if (grantType === 'client_credentials') return await clientCredentialsGrant(ctx, client, form, () => authenticateClient(ctx, domain, req, form));
  } catch (error) {
    // A PreTokenGeneration function that failed (any grant): an OAuth error with its message (in the pool's log), not a 500.
    if (error instanceof CognitoError && LAMBDA_FAILURES.has(error.type)) throw new OAuthError('invalid_request', error.message);
    throw error;
  }
  throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported.`);
}
