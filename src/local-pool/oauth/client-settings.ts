// The OAuth members of an app client (CreateUserPoolClient / UpdateUserPoolClient): read with the
// service model's constraints, then checked as Cognito checks them. What the endpoints do with them
// is in authorize.ts and token-endpoint.ts.
import type { PoolContext } from '../context.js';
import { CognitoError, Errors } from '../api/errors.js';
import type { ClientConfig } from '../store/model.js';
import type { StringRule, Validator } from '../api/validation.js';
import { oauthStore } from './context.js';
import { resourceServerStoreOf } from './resource-server-store.js';

export const OAUTH_FLOWS = ['code', 'implicit', 'client_credentials'] as const;
export type OAuthFlow = (typeof OAUTH_FLOWS)[number];

/** The scopes Cognito defines itself; others belong to resource servers. */
export const STANDARD_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'] as const;
export const isStandardScope = (scope: string): boolean => (STANDARD_SCOPES as readonly string[]).includes(scope);

const invalidFlow = (message: string) => new CognitoError('InvalidOAuthFlowException', message);

/** Need openid beside them (they say which claims an OIDC answer carries). */
export const OPENID_SCOPES = ['email', 'phone', 'profile'];

/** The local users' own "provider": sign-in with the pool's username and password. */
export const COGNITO_PROVIDER = 'COGNITO';

const redirectUrl: StringRule = { min: 1, max: 1024, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+' };
const scope: StringRule = { min: 1, max: 256, pattern: /^[\x21\x23-\x5B\x5D-\x7E]+$/, patternText: '[\\x21\\x23-\\x5B\\x5D-\\x7E]+' };
const providerName: StringRule = { min: 1, max: 32, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+$/u, patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\p{Z}]+' };

export type OAuthSettings = Pick<
  ClientConfig,
  'AllowedOAuthFlows' | 'AllowedOAuthScopes' | 'CallbackURLs' | 'LogoutURLs' | 'DefaultRedirectURI' | 'SupportedIdentityProviders' | 'AllowedOAuthFlowsUserPoolClient'
>;

/** Loopback host names: http is accepted for them (Cognito itself takes http only for localhost). */
const LOOPBACK = /^(localhost|([a-z0-9-]+\.)+localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export const isLoopbackHost = (hostname: string): boolean => LOOPBACK.test(hostname);

/**
 * Why a callback or sign-out URL cannot be registered, or undefined: an absolute URL without a
 * fragment, https, http on a loopback name, or an app's own scheme (myapp://callback).
 */
export function redirectUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.includes('#')) return 'must not have a fragment';
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) return 'must use https (http only on loopback: localhost, 127.0.0.1, [::1])';
  if (parsed.protocol === 'javascript:' || parsed.protocol === 'data:') return 'has a scheme that cannot be a redirect target';
  return undefined;
}

const distinct = (list: readonly string[] | undefined): string[] | undefined => (list ? [...new Set(list)] : undefined);

/** Reads the OAuth members (format only); checkOAuthSettings then checks how they fit together. */
export function readOAuthSettings(v: Validator): OAuthSettings {
  const flows = v.optionalStringList('AllowedOAuthFlows', { oneOf: OAUTH_FLOWS });
  const scopes = v.optionalStringList('AllowedOAuthScopes', scope);
  const callbacks = v.optionalStringList('CallbackURLs', redirectUrl);
  const logouts = v.optionalStringList('LogoutURLs', redirectUrl);
  const defaultRedirect = v.optionalString('DefaultRedirectURI', redirectUrl);
  const providers = v.optionalStringList('SupportedIdentityProviders', providerName);
  const enabled = v.optionalBoolean('AllowedOAuthFlowsUserPoolClient') ?? false;
  const settings: OAuthSettings = { AllowedOAuthFlowsUserPoolClient: enabled };
  if (flows) settings.AllowedOAuthFlows = distinct(flows)!;
  if (scopes) settings.AllowedOAuthScopes = distinct(scopes)!;
  if (callbacks) settings.CallbackURLs = distinct(callbacks)!;
  if (logouts) settings.LogoutURLs = distinct(logouts)!;
  if (defaultRedirect !== undefined) settings.DefaultRedirectURI = defaultRedirect;
  if (providers) settings.SupportedIdentityProviders = distinct(providers)!;
  return settings;
}

const limit = (name: string, list: readonly string[] | undefined, max: number): void => {
  if (list && list.length > max) throw Errors.invalidParameter(`${name} can have at most ${max} entries.`);
};

/** How the OAuth members fit together and with the pool (its identity providers) and the client (its secret). */
export function checkOAuthSettings(ctx: PoolContext, poolId: string, config: OAuthSettings, hasSecret: boolean): void {
  const flows = config.AllowedOAuthFlows ?? [];
  const scopes = config.AllowedOAuthScopes ?? [];
  limit('AllowedOAuthFlows', config.AllowedOAuthFlows, 3);
  limit('AllowedOAuthScopes', config.AllowedOAuthScopes, 50);
  limit('CallbackURLs', config.CallbackURLs, 100);
  limit('LogoutURLs', config.LogoutURLs, 100);
  for (const [member, urls] of [['CallbackURLs', config.CallbackURLs ?? []], ['LogoutURLs', config.LogoutURLs ?? []]] as const) {
    for (const url of urls) {
      const problem = redirectUrlProblem(url);
      if (problem) throw Errors.invalidParameter(`${member}: ${url} ${problem}.`);
    }
  }
  if (config.DefaultRedirectURI !== undefined && !(config.CallbackURLs ?? []).includes(config.DefaultRedirectURI)) {
    throw Errors.invalidParameter('DefaultRedirectURI must be one of the CallbackURLs.');
  }
  const servers = resourceServerStoreOf(ctx.store);
  for (const name of scopes) {
    if (!isStandardScope(name) && !servers.hasScope(poolId, name)) throw new CognitoError('ScopeDoesNotExistException', `Invalid scope requested: ${name}`);
  }
  if (flows.includes('client_credentials')) {
    // Cognito's rules (and type) for a machine-to-machine client: alone, with a secret, custom scopes only.
    if (flows.length > 1) throw invalidFlow('client_credentials flow can not be selected along with code flow or implicit flow.');
    if (!hasSecret) throw invalidFlow('client_credentials flow can not be selected if client does not have a client secret.');
    const standard = scopes.find(isStandardScope);
    if (standard !== undefined) throw invalidFlow(`${standard} is not supported with client_credentials flow`);
  }
  if (scopes.some((name) => OPENID_SCOPES.includes(name)) && !scopes.includes('openid')) {
    throw Errors.invalidParameter('The email, phone and profile scopes require the openid scope.');
  }
  for (const name of config.SupportedIdentityProviders ?? []) {
    if (name !== COGNITO_PROVIDER && !oauthStore(ctx).getProvider(poolId, name)) {
      throw Errors.invalidParameter(`The provider ${name} does not exist for User Pool ${poolId}`);
    }
  }
  if (!config.AllowedOAuthFlowsUserPoolClient) return;
  if (flows.length === 0) throw Errors.invalidParameter('AllowedOAuthFlows must be given when AllowedOAuthFlowsUserPoolClient is true.');
  if (scopes.length === 0) throw Errors.invalidParameter('AllowedOAuthScopes must be given when AllowedOAuthFlowsUserPoolClient is true.');
  if (!flows.includes('client_credentials') && (config.CallbackURLs ?? []).length === 0) {
    throw Errors.invalidParameter('CallbackURLs must be given when the code or implicit flow is allowed.');
  }
}

/** Whether the client may use an OAuth flow at the hosted UI's endpoints. */
export const allowsFlow = (config: ClientConfig, flow: OAuthFlow): boolean =>
  config.AllowedOAuthFlowsUserPoolClient === true && (config.AllowedOAuthFlows ?? []).includes(flow);
