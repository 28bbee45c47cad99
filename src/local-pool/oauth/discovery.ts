// GET {endpoint}/{poolId}/.well-known/openid-configuration: the pool as an OpenID provider. The issuer
// is the one its tokens carry ({pool url}/{poolId}); the endpoints are those of its domain.
import type { PoolContext } from '../context.js';
import { CognitoError } from '../api/errors.js';
import { oauthStore } from './context.js';
import { domainBaseUrl } from './domains.js';

export function openidConfiguration(ctx: PoolContext, poolId: string): Record<string, unknown> {
  if (!ctx.store.getPool(poolId)) throw new CognitoError('ResourceNotFoundException', `User pool ${poolId} does not exist.`, 404);
  const issuer = ctx.tokens.issuer(poolId);
  const poolUrl = issuer.slice(0, -(poolId.length + 1));
  const domain = oauthStore(ctx).domainsOf(poolId).find((d) => !d.custom) ?? oauthStore(ctx).domainsOf(poolId)[0];
  const base = domain && domainBaseUrl(poolUrl, domain);
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    ...(base
      ? {
          authorization_endpoint: `${base}/oauth2/authorize`,
          token_endpoint: `${base}/oauth2/token`,
          userinfo_endpoint: `${base}/oauth2/userInfo`,
          revocation_endpoint: `${base}/oauth2/revoke`,
          end_session_endpoint: `${base}/logout`,
        }
      : {}),
    response_types_supported: ['code', 'token'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'implicit'],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: ['S256'],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash', 'cognito:username', 'email', 'email_verified', 'phone_number', 'phone_number_verified', 'name', 'identities'],
  };
}
