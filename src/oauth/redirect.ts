// Hosted-UI redirect sign-in (OAuth 2.0 authorization code + PKCE S256, OpenID Connect): its configuration, finding
// the callback, the logout URL. The authorize URL, what must survive the redirect, the code exchange and the id-token
// checks are ./redirect-flow.ts, loaded when a redirect starts or returns (oauth4webapi does the protocol, jose checks
// the id token's signature against the pool's JWKS). src/oauth is the only place that does OAuth.
import { AuthError } from '../cognito/errors.js';
import type { CognitoTokens } from '../cognito/port.js';
import type { KeyValueStorage } from '../session/storage.js';
import { isCallbackUrl, pendingCallbackUrl } from './callback.js';

export interface OAuthOptions {
  /** The hosted UI's base URL: https://<domain>.auth.<region>.amazoncognito.com, a custom domain, or the local pool's. */
  readonly domain: string;
  /** Where the hosted UI sends the browser back (registered exactly in the app client's CallbackURLs). */
  readonly redirectSignIn: string;
  /** Where /logout sends the browser after a hosted-UI sign-out (the app client's LogoutURLs). */
  readonly redirectSignOut?: string;
  /** Default ['openid', 'email', 'profile']. */
  readonly scopes?: readonly string[];
  /** The iss the tokens carry. Default: Cognito's for the user pool, or {endpoint}/{poolId} with a local endpoint. */
  readonly issuer?: string;
  /** Where the pending redirect (state, nonce, PKCE verifier) waits; default sessionStorage in a browser. */
  readonly storage?: KeyValueStorage;
  /** Sends the browser to a URL; default window.location.assign. Other hosts open it their own way. */
  readonly navigate?: (url: string) => void | Promise<void>;
  /** The URL the app was opened at (to find a callback); default window.location.href. */
  readonly currentUrl?: () => string | null;
  /** Removes the callback's parameters from the address bar once handled; default history.replaceState. */
  readonly forgetCallback?: (url: string) => void;
}

/** What redirect.start asks for (a type, not an interface: it is also an event's payload). */
export type RedirectRequest = {
  /** Cognito's name for an identity provider (Google, Facebook, SignInWithApple, LoginWithAmazon, or an OIDC/SAML name). */
  readonly provider?: string;
  /** Handed back after the sign-in (not a secret; not for security decisions). */
  readonly customState?: string;
  readonly scopes?: readonly string[];
  readonly loginHint?: string;
  readonly lang?: string;
  readonly prompt?: string;
};

type RedirectFlow = typeof import('./redirect-flow.js');
type RedirectSetup = import('./redirect-flow.js').RedirectSetup;
let flow: Promise<RedirectFlow> | undefined;
// The authorize URL and the code exchange, with oauth4webapi and jose, load when a redirect starts or returns.
const loadFlow = () => (flow ??= import('./redirect-flow.js'));

export interface HostedUi {
  /** True when `url` carries an authorization response (code or error, and state). */
  isCallback(url: string): boolean;
  /** The URL the app was opened at, if it is a callback. */
  pendingCallback(): string | null;
  /** Builds the authorize URL, keeps state / nonce / verifier for the return, and hands the URL to the host. */
  start(request: RedirectRequest): Promise<void>;
  /** Checks the callback once, exchanges the code, validates the id token; the Cognito tokens and the custom state. */
  finish(callbackUrl: string, signal: AbortSignal): Promise<{ tokens: CognitoTokens; customState: string | null }>;
  /** The /logout URL that ends the hosted UI's own session (null without redirectSignOut). */
  logoutUrl(): string | null;
  navigate(url: string): Promise<void>;
}

export function hostedUi(config: {
  readonly oauth: OAuthOptions;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly endpoint?: string;
  readonly now: () => number;
  /** Fallback storage for the pending redirect (the resume storage, else memory). */
  readonly storage: KeyValueStorage;
}): HostedUi {
  const { oauth, clientId } = config;
  const domain = oauth.domain.replace(/\/+$/, '');
  const region = config.userPoolId.split('_')[0] ?? 'us-east-1';
  const issuer = oauth.issuer ?? (config.endpoint ? `${config.endpoint.replace(/\/+$/, '')}/${config.userPoolId}` : `https://cognito-idp.${region}.amazonaws.com/${config.userPoolId}`);
  const metadata = {
    issuer,
    authorization_endpoint: `${domain}/oauth2/authorize`,
    token_endpoint: `${domain}/oauth2/token`,
    userinfo_endpoint: `${domain}/oauth2/userInfo`,
    revocation_endpoint: `${domain}/oauth2/revoke`,
    end_session_endpoint: `${domain}/logout`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
  };
  const storage = oauth.storage ?? browserSessionStorage() ?? config.storage;
  const key = `authchart.${clientId}.redirect`;

  const navigate = async (url: string) => {
    if (oauth.navigate) return oauth.navigate(url);
    const location = (globalThis as { location?: { assign(url: string): void } }).location;
    if (!location) throw new AuthError('RedirectNotConfigured', 'No way to open the hosted UI here: give createAuth({ oauth: { navigate } })');
    location.assign(url);
  };

  const setup: RedirectSetup = {
    oauth,
    clientId,
    ...(config.clientSecret ? { clientSecret: config.clientSecret } : {}),
    domain,
    issuer,
    metadata,
    storage,
    key,
    now: config.now,
    navigate,
  };

  return {
    isCallback: isCallbackUrl,
    pendingCallback: () => pendingCallbackUrl(oauth),

    start: async (request) => (await loadFlow()).startRedirect(setup, request),
    finish: async (callbackUrl, signal) => (await loadFlow()).finishRedirect(setup, callbackUrl, signal),

    logoutUrl() {
      if (!oauth.redirectSignOut) return null;
      const url = new URL(metadata.end_session_endpoint);
      url.searchParams.set('client_id', clientId);
      url.searchParams.set('logout_uri', oauth.redirectSignOut);
      return url.toString();
    },

    navigate,
  };
}

function browserSessionStorage(): KeyValueStorage | null {
  const store = (globalThis as { sessionStorage?: Storage }).sessionStorage;
  if (!store) return null;
  return { getItem: (k) => store.getItem(k), setItem: (k, v) => store.setItem(k, v), removeItem: (k) => store.removeItem(k) };
}
