// Sign-in through an external provider: /oauth2/authorize?identity_provider=NAME sends the browser to
// the provider's authorize endpoint; the provider sends it back to /oauth2/idpresponse with a code,
// which the pool exchanges (client_secret_post, as Cognito does) for the provider's tokens. The ID
// token is checked (signature through the provider's JWKS, iss, aud, exp, nonce), claims are read
// (and the provider's userInfo when it has one), the AttributeMapping is applied, and the user is
// the one a link names, else the provider's own user `<NAME>_<sub>` (made on first sign-in, status
// EXTERNAL_PROVIDER, with the identities attribute; federated-user.ts, with the triggers). Then the
// authorize request is finished as usual.
import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { PoolContext } from '../context.js';
import { sha256Hex } from '../crypto/secrets.js';
import { isBooleanAttribute, isKnownAttribute } from '../pools/config.js';
import { CognitoError } from '../api/errors.js';
import type { UserRecord } from '../store/model.js';
import { readAuthorizeRequest, type AuthorizeRequest } from './authorize-request.js';
import { oauthStore } from './context.js';
import type { DomainRequest } from './domains.js';
import { grantAuthorization, redirectError } from './grant.js';
import { redirect, withParams, type HttpContext } from './http.js';
import { FederatedUserRefused, signInExternalUser } from './federated-user.js';
import { SUBJECT_CLAIM } from './identity-providers.js';
import type { IdentityProviderRecord } from './oauth-store.js';
import { startHostedSession } from '../hosted-ui/session.js';

/** How long the provider may take to send the browser back. */
const FEDERATION_LIFETIME_MS = 10 * 60_000;
/** Every call to the provider (discovery, token, userInfo, keys) gives up after this. */
const UPSTREAM_TIMEOUT_MS = 10_000;

interface UpstreamEndpoints {
  issuer: string | undefined;
  authorize: string;
  token: string;
  userInfo: string | undefined;
  jwks: string | undefined;
}

export class FederationError extends Error {}

const discovered = new Map<string, { at: number; document: Record<string, unknown> }>();
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

async function fetchJson(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS), redirect: 'error' });
  } catch (error) {
    throw new FederationError(`${url} did not answer (${(error as Error).message}).`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new FederationError(`${url} answered ${response.status} with no JSON.`);
  }
  if (!response.ok) {
    const error = (body as { error?: string; error_description?: string }) ?? {};
    throw new FederationError(`${url} answered ${response.status}: ${error.error ?? ''} ${error.error_description ?? ''}`.trim());
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new FederationError(`${url} answered JSON that is not an object.`);
  return body as Record<string, unknown>;
}

/** The provider's endpoints: its ProviderDetails, else its discovery document (cached a minute). */
async function endpointsOf(provider: IdentityProviderRecord): Promise<UpstreamEndpoints> {
  const details = provider.details;
  const issuer = details['oidc_issuer'];
  let document: Record<string, unknown> = {};
  const needsDiscovery = issuer !== undefined && (!details['authorize_url'] || !details['token_url'] || !details['jwks_uri']);
  if (needsDiscovery) {
    const cached = discovered.get(issuer);
    if (cached && Date.now() - cached.at < 60_000) document = cached.document;
    else {
      document = await fetchJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
      if (document['issuer'] !== issuer) throw new FederationError(`The discovery document of ${issuer} names another issuer (${String(document['issuer'])}).`);
      discovered.set(issuer, { at: Date.now(), document });
    }
  }
  const pick = (detail: string, member: string): string | undefined => details[detail] ?? (typeof document[member] === 'string' ? (document[member] as string) : undefined);
  const authorize = pick('authorize_url', 'authorization_endpoint');
  const token = pick('token_url', 'token_endpoint');
  if (!authorize || !token) throw new FederationError(`${provider.name} has no authorize or token endpoint (give oidc_issuer, or authorize_url and token_url).`);
  return { issuer, authorize, token, userInfo: pick('attributes_url', 'userinfo_endpoint'), jwks: pick('jwks_uri', 'jwks_uri') };
}

/** Sends the browser to the provider, remembering the authorize request under a one-time state. */
export async function startFederation(ctx: PoolContext, http: HttpContext, domain: DomainRequest, request: AuthorizeRequest): Promise<void> {
  const provider = oauthStore(ctx).getProvider(request.pool.id, request.identityProvider!);
  if (!provider) return redirectError(http, request, 'invalid_request', `No identity provider ${request.identityProvider}.`);
  if (provider.type === 'SAML') return redirectError(http, request, 'invalid_request', 'SAML identity providers cannot sign in on the local pool.');
  let endpoints: UpstreamEndpoints;
  try {
    endpoints = await endpointsOf(provider);
  } catch (error) {
    ctx.log(`[pool] federation: ${provider.name}: ${(error as Error).message}`);
    return redirectError(http, request, 'invalid_request', `The identity provider ${provider.name} cannot be reached: ${(error as Error).message}`);
  }
  const state = randomBytes(32).toString('base64url');
  const nonce = randomBytes(24).toString('base64url');
  const redirectUri = `${domain.base}/oauth2/idpresponse`;
  const now = ctx.clock.now();
  oauthStore(ctx).insertFederationRequest({
    stateHash: sha256Hex(state),
    poolId: request.pool.id,
    providerName: provider.name,
    request: { params: request.params.toString(), redirectUri, nonce, domain: domain.domain.domain },
    createdAt: now,
    expiresAt: now + FEDERATION_LIFETIME_MS,
    usedAt: null,
  });
  const prompt = request.prompt === 'none' ? undefined : request.prompt;
  redirect(http, withParams(endpoints.authorize, {
    client_id: provider.details['client_id'],
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: provider.details['authorize_scopes'],
    state,
    ...(endpoints.issuer !== undefined ? { nonce } : {}),
    prompt,
    login_hint: request.loginHint,
  }));
}

/** What the provider says about the user: the ID token's claims, with its userInfo's. */
async function upstreamClaims(provider: IdentityProviderRecord, endpoints: UpstreamEndpoints, code: string, redirectUri: string, nonce: string): Promise<Record<string, unknown>> {
  const details = provider.details;
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: details['client_id'] ?? '', client_secret: details['client_secret'] ?? '' });
  const tokens = details['token_request_method'] === 'GET'
    ? await fetchJson(`${endpoints.token}${endpoints.token.includes('?') ? '&' : '?'}${body.toString()}`)
    : await fetchJson(endpoints.token, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body });
  let claims: Record<string, unknown> = {};
  const idToken = tokens['id_token'];
  if (typeof idToken === 'string') {
    if (!endpoints.jwks || !endpoints.issuer) throw new FederationError(`${provider.name} sent an ID token, but has no jwks_uri and oidc_issuer to check it with.`);
    let keys = keySets.get(endpoints.jwks);
    if (!keys) keySets.set(endpoints.jwks, (keys = createRemoteJWKSet(new URL(endpoints.jwks), { timeoutDuration: UPSTREAM_TIMEOUT_MS })));
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, keys, { issuer: endpoints.issuer, audience: details['client_id'] ?? '' }));
    } catch (error) {
      throw new FederationError(`The ID token of ${provider.name} does not verify: ${(error as Error).message}`);
    }
    if (payload['nonce'] !== nonce) throw new FederationError(`The ID token of ${provider.name} has another nonce than the pool sent.`);
    claims = { ...payload };
  }
  const accessToken = tokens['access_token'];
  if (endpoints.userInfo && typeof accessToken === 'string') {
    const post = details['attributes_request_method'] === 'POST';
    const info = await fetchJson(endpoints.userInfo, {
      method: post ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    });
    if (claims['sub'] !== undefined && info['sub'] !== undefined && info['sub'] !== claims['sub']) {
      throw new FederationError(`The userInfo of ${provider.name} is about another user than its ID token.`);
    }
    claims = { ...info, ...claims };
  }
  if (Object.keys(claims).length === 0) throw new FederationError(`${provider.name} gave neither an ID token nor userInfo.`);
  return claims;
}

const claimText = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** The user pool attributes the provider's claims give (AttributeMapping; username apart). */
function mappedAttributes(provider: IdentityProviderRecord, claims: Record<string, unknown>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [attribute, claim] of Object.entries(provider.attributeMapping)) {
    if (attribute === 'username' || !isKnownAttribute(attribute)) continue;
    const value = claimText(claims[claim]);
    if (value === undefined) continue;
    attributes[attribute] = isBooleanAttribute(attribute) ? String(value === 'true') : value;
  }
  return attributes;
}

/** GET /oauth2/idpresponse: the provider's answer. */
export async function finishFederation(ctx: PoolContext, http: HttpContext, domain: DomainRequest, query: URLSearchParams): Promise<{ error: string; description: string } | undefined> {
  const state = query.get('state');
  if (!state) return { error: 'invalid_request', description: 'The identity provider sent no state.' };
  const store = oauthStore(ctx);
  const stateHash = sha256Hex(state);
  const pending = store.getFederationRequest(stateHash);
  if (!pending || pending.request['domain'] !== domain.domain.domain) return { error: 'invalid_request', description: 'The state is unknown: the sign-in did not start here.' };
  const now = ctx.clock.now();
  if (!store.claimFederationRequest(stateHash, now)) return { error: 'invalid_request', description: 'The state was used already.' };
  if (now >= pending.expiresAt) return { error: 'invalid_request', description: 'The sign-in with the identity provider took too long; start it again.' };
  const outcome = readAuthorizeRequest(ctx, domain.domain, new URLSearchParams(String(pending.request['params'])));
  if (outcome.kind === 'page') return { error: outcome.error, description: outcome.description };
  if (outcome.kind === 'redirect') return void redirectError(http, outcome, outcome.error, outcome.description);
  const request = outcome.request;
  const upstreamError = query.get('error');
  if (upstreamError) return void redirectError(http, request, upstreamError, query.get('error_description') ?? `The identity provider answered ${upstreamError}.`);
  const code = query.get('code');
  if (!code) return void redirectError(http, request, 'invalid_request', 'The identity provider sent no code.');
  const provider = store.getProvider(request.pool.id, pending.providerName);
  if (!provider) return void redirectError(http, request, 'invalid_request', `The identity provider ${pending.providerName} was deleted.`);
  let user: UserRecord;
  try {
    const endpoints = await endpointsOf(provider);
    const claims = await upstreamClaims(provider, endpoints, code, String(pending.request['redirectUri']), String(pending.request['nonce']));
    const userId = claimText(claims[provider.attributeMapping['username'] ?? SUBJECT_CLAIM[provider.type]]);
    if (!userId) throw new FederationError(`${provider.name} sent no ${provider.attributeMapping['username'] ?? SUBJECT_CLAIM[provider.type]} claim to name the user by.`);
    user = await signInExternalUser(ctx, { client: request.client, provider, userId, attributes: mappedAttributes(provider, claims) });
  } catch (error) {
    // A trigger's refusal reaches the app as Cognito's hosted UI sends it: its message as error_description.
    if (!(error instanceof FederationError || error instanceof FederatedUserRefused || error instanceof CognitoError)) throw error;
    ctx.log(`[pool] federation: ${provider.name}: ${error.message}`);
    return void redirectError(http, request, 'invalid_request', error.message);
  }
  const authTime = Math.floor(now / 1000);
  await grantAuthorization(ctx, http, request, { user, authTime }, [startHostedSession(ctx, domain, user, authTime)]);
  return undefined;
}
