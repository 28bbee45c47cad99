// An authorize request (/oauth2/authorize, and the same parameters carried on to /login, /signup ...),
// checked as Cognito checks it. What cannot be trusted to redirect (an unknown client, a redirect_uri
// that is not registered exactly) is answered with an error page; everything after that with a redirect
// to the app carrying error, error_description and state.
import type { PoolContext } from '../context.js';
import type { ClientRecord, PoolRecord } from '../store/model.js';
import { allowsFlow, COGNITO_PROVIDER, OPENID_SCOPES } from './client-settings.js';
import type { DomainRecord } from './oauth-store.js';
import { findProviderByIdentifier } from './identity-providers.js';
import { oauthStore } from './context.js';

export type ResponseType = 'code' | 'token';

export interface AuthorizeRequest {
  pool: PoolRecord;
  client: ClientRecord;
  responseType: ResponseType;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  /** The provider to send the browser to (identity_provider, or found by idp_identifier). */
  identityProvider: string | undefined;
  prompt: string | undefined;
  loginHint: string | undefined;
  lang: string | undefined;
  /** The request's own parameters, carried on from page to page. */
  params: URLSearchParams;
}

export type AuthorizeOutcome =
  | { kind: 'ok'; request: AuthorizeRequest }
  /** Nothing may be redirected to: an error page. */
  | { kind: 'page'; error: string; description: string }
  /** The redirect_uri is trusted: the error goes back to the app. */
  | { kind: 'redirect'; redirectUri: string; error: string; description: string; state: string | undefined; responseType: ResponseType };

/** The parameters the local pool understands (others are carried on and ignored). */
export const PROMPTS = ['login', 'none', 'select_account', 'consent'];
/** PKCE verifiers are 43-128 characters of [A-Za-z0-9-._~]; their S256 challenge is 43 of base64url. */
const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function readAuthorizeRequest(ctx: PoolContext, domain: DomainRecord, params: URLSearchParams): AuthorizeOutcome {
  const page = (error: string, description: string): AuthorizeOutcome => ({ kind: 'page', error, description });
  const clientId = params.get('client_id');
  if (!clientId) return page('invalid_request', 'client_id is required.');
  const client = ctx.store.getClient(clientId);
  const pool = client && ctx.store.getPool(client.poolId);
  if (!client || !pool || pool.id !== domain.poolId) return page('invalid_request', `No app client ${clientId} in the user pool of this domain.`);
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) return page('invalid_request', 'redirect_uri is required.');
  // Exactly as registered: no prefix, case or trailing-slash leniency.
  if (!(client.config.CallbackURLs ?? []).includes(redirectUri)) return page('redirect_mismatch', `redirect_uri ${redirectUri} is not one of the client's callback URLs.`);

  const rawType = params.get('response_type');
  const responseType: ResponseType = rawType === 'token' ? 'token' : 'code';
  const state = params.get('state') ?? undefined;
  const back = (error: string, description: string): AuthorizeOutcome => ({ kind: 'redirect', redirectUri, error, description, state, responseType });
  if (rawType !== 'code' && rawType !== 'token') return back('unsupported_response_type', 'response_type must be code or token.');
  if (!allowsFlow(client.config, rawType === 'code' ? 'code' : 'implicit')) {
    return back('unauthorized_client', `The client may not use the ${rawType === 'code' ? 'authorization code' : 'implicit'} grant (AllowedOAuthFlows, AllowedOAuthFlowsUserPoolClient).`);
  }
  const allowed = client.config.AllowedOAuthScopes ?? [];
  const scopeParam = params.get('scope');
  // No scope: every scope the client is allowed (as Cognito does).
  const scopes = scopeParam === null ? [...allowed] : [...new Set(scopeParam.split(/[ +]/).filter(Boolean))];
  const notAllowed = scopes.find((scope) => !allowed.includes(scope));
  if (notAllowed !== undefined) return back('invalid_scope', `The client may not ask for the scope ${notAllowed}.`);
  if (scopes.length === 0) return back('invalid_scope', 'No scope asked for.');
  if (scopes.some((scope) => OPENID_SCOPES.includes(scope)) && !scopes.includes('openid')) {
    return back('invalid_scope', 'The email, phone and profile scopes need the openid scope.');
  }
  let codeChallenge: string | undefined;
  const method = params.get('code_challenge_method');
  const challenge = params.get('code_challenge');
  if (challenge !== null || method !== null) {
    if (method !== 'S256') return back('invalid_request', 'code_challenge_method must be S256.');
    if (challenge === null || !CODE_CHALLENGE.test(challenge)) return back('invalid_request', 'code_challenge must be the base64url SHA-256 of the code verifier.');
    codeChallenge = challenge;
  }
  // A local rule, stricter than Cognito (RFC 9700): a client without a secret must use PKCE.
  if (responseType === 'code' && client.secret === null && codeChallenge === undefined) {
    return back('invalid_request', 'code_challenge (PKCE, S256) is required for app clients without a client secret.');
  }
  const prompt = params.get('prompt') ?? undefined;
  if (prompt !== undefined && !prompt.split(' ').every((p) => PROMPTS.includes(p))) return back('invalid_request', `prompt must be one of ${PROMPTS.join(', ')}.`);

  const supported = client.config.SupportedIdentityProviders ?? [];
  let identityProvider = params.get('identity_provider') ?? undefined;
  const idpIdentifier = params.get('idp_identifier');
  if (identityProvider === undefined && idpIdentifier !== null) {
    identityProvider = findProviderByIdentifier(ctx, pool.id, idpIdentifier)?.name;
    if (identityProvider === undefined) return back('invalid_request', `No identity provider has the identifier ${idpIdentifier}.`);
  }
  if (identityProvider !== undefined) {
    const known = identityProvider === COGNITO_PROVIDER || oauthStore(ctx).getProvider(pool.id, identityProvider) !== undefined;
    if (!known || !supported.includes(identityProvider)) {
      return back('invalid_request', `The client does not support the identity provider ${identityProvider}.`);
    }
    // COGNITO: the pool's own sign-in page.
    if (identityProvider === COGNITO_PROVIDER) identityProvider = undefined;
  } else if (supported.length === 0) {
    return back('unauthorized_client', 'The client supports no identity provider (SupportedIdentityProviders).');
  }
  const lang = params.get('lang') ?? undefined;
  return {
    kind: 'ok',
    request: {
      pool,
      client,
      responseType,
      redirectUri,
      scopes,
      state,
      nonce: params.get('nonce') ?? undefined,
      codeChallenge,
      identityProvider,
      prompt,
      loginHint: params.get('login_hint') ?? undefined,
      lang: lang !== undefined && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang) ? lang : undefined,
      params,
    },
  };
}

/** Whether the request may be answered by the pool's own password page. */
export const offersPasswordSignIn = (request: AuthorizeRequest): boolean =>
  (request.client.config.SupportedIdentityProviders ?? []).includes(COGNITO_PROVIDER);
