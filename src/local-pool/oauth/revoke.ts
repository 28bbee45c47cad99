// POST /oauth2/revoke: ends a refresh token's family (every token minted from it), as RevokeToken does.
import type { IncomingMessage } from 'node:http';
import type { PoolContext } from '../context.js';
import { familyOf } from '../crypto/refresh-tokens.js';
import { authenticateClient, OAuthError } from './client-auth.js';
import type { DomainRecord } from './oauth-store.js';

export function revokeEndpoint(ctx: PoolContext, domain: DomainRecord, req: IncomingMessage, form: URLSearchParams): void {
  const token = form.get('token');
  if (!token) throw new OAuthError('invalid_request', 'token is required.');
  const client = authenticateClient(ctx, domain, req, form);
  if (!client.config.EnableTokenRevocation) throw new OAuthError('unauthorized_client', 'Token revocation is not enabled for this app client.');
  if (token.split('.').length === 3) throw new OAuthError('unsupported_token_type', 'Only refresh tokens can be revoked.');
  const family = familyOf(ctx, token);
  // An unknown token is as revoked as it gets (RFC 7009: success).
  if (!family) return;
  if (family.clientId !== client.id) throw new OAuthError('invalid_request', 'The token was not issued to this client.');
  ctx.store.revokeFamily(family.originJti, ctx.clock.now());
}
