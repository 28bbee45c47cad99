// GET|POST /oauth2/userInfo: the user's attributes for an access token from the token endpoint that
// has the openid scope, narrowed by its other scopes as Cognito documents (values as stored: strings).
import type { IncomingMessage } from 'node:http';
import type { PoolContext } from '../context.js';
import { CognitoError } from '../api/errors.js';
import { STANDARD_ATTRIBUTES } from '../pools/config.js';
import { OAuthError } from './client-auth.js';

const PROFILE = [
  'name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website',
  'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at',
];
const EMAIL = ['email', 'email_verified'];
const PHONE = ['phone_number', 'phone_number_verified'];

const bearerError = (error: string, description: string, status: number) =>
  new OAuthError(error, description, status, { 'WWW-Authenticate': `Bearer error="${error}", error_description="${description.replace(/"/g, "'")}"` });

/** The attribute names the scopes reach (openid alone: every attribute the client may read). */
function reachable(scopes: readonly string[], name: string): boolean {
  const narrowing = scopes.filter((scope) => scope === 'profile' || scope === 'email' || scope === 'phone');
  if (narrowing.length === 0) return true;
  if (scopes.includes('profile') && (PROFILE.includes(name) || name.startsWith('custom:') || name === 'identities')) return true;
  if (scopes.includes('email') && EMAIL.includes(name)) return true;
  return scopes.includes('phone') && PHONE.includes(name);
}

export async function userInfo(ctx: PoolContext, req: IncomingMessage): Promise<Record<string, unknown>> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
  if (!match) throw bearerError('invalid_request', 'Send the access token as Authorization: Bearer <token>.', 401);
  let verified;
  try {
    verified = await ctx.tokens.verifyAccessToken(match[1]!, 'openid');
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    if (error.message === 'Access Token does not have required scopes') {
      throw bearerError('insufficient_scope', 'The access token does not have the openid scope (tokens of API sign-ins have none).', 403);
    }
    throw bearerError('invalid_token', error.message, 401);
  }
  const { poolId, claims } = verified;
  const family = ctx.store.getFamily(claims.origin_jti);
  const user = ctx.store.getUserBySub(poolId, claims.sub);
  if (!family || family.revokedAt !== null || !user || !user.enabled) {
    throw bearerError('invalid_token', 'Access token is expired, disabled, or deleted, or the user has globally signed out.', 401);
  }
  const client = ctx.store.getClient(claims.client_id);
  const readable = client?.config.ReadAttributes;
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  const answer: Record<string, unknown> = { sub: user.sub };
  for (const [name, value] of Object.entries(user.attributes)) {
    if (name === 'sub' || (readable && !readable.includes(name) && name !== 'identities')) continue;
    if (!(STANDARD_ATTRIBUTES as readonly string[]).includes(name) && !name.startsWith('custom:') && name !== 'identities') continue;
    if (reachable(scopes, name)) answer[name] = value;
  }
  answer['username'] = user.username;
  return answer;
}
