// Hosted-UI redirect sign-in (OAuth 2.0 authorization code + PKCE S256, OpenID Connect): the authorize URL, what must
// survive the redirect, the callback, the code exchange and the id-token checks. The only place that does OAuth;
// oauth4webapi does the protocol, jose checks the id token's signature against the pool's JWKS.
import { AuthError } from '../cognito/errors.js';
import type { CognitoTokens } from '../cognito/port.js';
import type { KeyValueStorage } from '../session/storage.js';

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

/** What waits in storage while the browser is away: single-use, expires. */
interface PendingRedirect {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly redirectUri: string;
  readonly customState: string | null;
  readonly createdAt: number;
}

/** A redirect not completed within this long is stale (the hosted UI's own session lasts about as long). */
const PENDING_LIFETIME_MS = 15 * 60_000;

type OAuthLib = typeof import('oauth4webapi');
type JoseLib = typeof import('jose');
let oauthLib: Promise<OAuthLib> | undefined;
let joseLib: Promise<JoseLib> | undefined;
// Loaded when a redirect is started or handled, so apps without the hosted UI do not carry them.
const loadOAuth = () => (oauthLib ??= import('oauth4webapi'));
const loadJose = () => (joseLib ??= import('jose'));

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
  const loopback = (url: string) => /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\//.test(url);

  const navigate = async (url: string) => {
    if (oauth.navigate) return oauth.navigate(url);
    const location = (globalThis as { location?: { assign(url: string): void } }).location;
    if (!location) throw new AuthError('RedirectNotConfigured', 'No way to open the hosted UI here: give createAuth({ oauth: { navigate } })');
    location.assign(url);
  };

  const isCallback = (url: string) => {
    try {
      const params = new URL(url).searchParams;
      return params.has('state') && (params.has('code') || params.has('error'));
    } catch {
      return false;
    }
  };

  return {
    isCallback,
    pendingCallback() {
      const url = oauth.currentUrl ? oauth.currentUrl() : ((globalThis as { location?: { href?: string } }).location?.href ?? null);
      return url && isCallback(url) && url.startsWith(oauth.redirectSignIn.split('?')[0]!) ? url : null;
    },

    async start(request) {
      const lib = await loadOAuth();
      const verifier = lib.generateRandomCodeVerifier();
      const pending: PendingRedirect = {
        state: lib.generateRandomState(),
        nonce: lib.generateRandomNonce(),
        verifier,
        redirectUri: oauth.redirectSignIn,
        customState: request.customState ?? null,
        createdAt: config.now(),
      };
      const url = new URL(metadata.authorization_endpoint);
      const params = url.searchParams;
      params.set('response_type', 'code');
      params.set('client_id', clientId);
      params.set('redirect_uri', pending.redirectUri);
      params.set('scope', [...(request.scopes ?? oauth.scopes ?? ['openid', 'email', 'profile'])].join(' '));
      params.set('state', pending.state);
      params.set('nonce', pending.nonce);
      params.set('code_challenge', await lib.calculatePKCECodeChallenge(verifier));
      params.set('code_challenge_method', 'S256');
      if (request.provider) params.set('identity_provider', request.provider);
      if (request.loginHint) params.set('login_hint', request.loginHint);
      if (request.lang) params.set('lang', request.lang);
      if (request.prompt) params.set('prompt', request.prompt);
      await storage.setItem(key, JSON.stringify(pending));
      await navigate(url.toString());
    },

    async finish(callbackUrl, signal) {
      // Single use: whatever happens next, this redirect's state cannot be used again.
      const raw = await storage.getItem(key);
      await storage.removeItem(key);
      oauth.forgetCallback ? oauth.forgetCallback(callbackUrl) : forgetInAddressBar(callbackUrl);
      const pending = parsePending(raw);
      const url = new URL(callbackUrl);
      const error = url.searchParams.get('error');
      if (!pending) {
        throw new AuthError('RedirectStateMismatch', 'No redirect sign-in is waiting for this callback (replayed, or from another browser)');
      }
      if (config.now() - pending.createdAt > PENDING_LIFETIME_MS) throw new AuthError('RedirectStateMismatch', 'The redirect sign-in is too old');
      if (url.searchParams.get('state') !== pending.state) throw new AuthError('RedirectStateMismatch', 'The callback state is not the one sent');
      if (error) {
        const description = url.searchParams.get('error_description') ?? error;
        throw new AuthError('RedirectProviderError', description, { cognitoName: error, cognitoMessage: description });
      }
      const lib = await loadOAuth();
      const as = metadata as unknown as Parameters<OAuthLib['validateAuthResponse']>[0];
      const client = { client_id: clientId };
      const auth = config.clientSecret ? lib.ClientSecretPost(config.clientSecret) : lib.None();
      const http = loopback(domain) ? { [lib.allowInsecureRequests]: true } : {};
      let tokens;
      try {
        const params = lib.validateAuthResponse(as, client, url, pending.state);
        const response = await lib.authorizationCodeGrantRequest(as, client, auth, params, pending.redirectUri, pending.verifier, { signal, ...http });
        tokens = await lib.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
      } catch (cause) {
        throw exchangeError(cause);
      }
      // oauth4webapi checked iss, aud, exp and the nonce; the signature is checked against the pool's keys here.
      const jose = await loadJose();
      try {
        await jose.jwtVerify(tokens.id_token!, jose.createRemoteJWKSet(new URL(metadata.jwks_uri), { ...(loopback(issuer) ? {} : {}) }), {
          issuer,
          audience: clientId,
          clockTolerance: 5,
          currentDate: new Date(config.now()),
        });
      } catch (cause) {
        throw new AuthError('IdTokenInvalid', `The id token did not verify: ${String((cause as Error).message ?? cause)}`, { cause });
      }
      return {
        tokens: {
          accessToken: tokens.access_token,
          idToken: tokens.id_token!,
          ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
          expiresIn: tokens.expires_in ?? 3600,
          tokenType: tokens.token_type ?? 'Bearer',
        },
        customState: pending.customState,
      };
    },

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

function parsePending(raw: string | null): PendingRedirect | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<PendingRedirect>;
    return typeof value.state === 'string' && typeof value.nonce === 'string' && typeof value.verifier === 'string' && typeof value.redirectUri === 'string'
      ? (value as PendingRedirect)
      : null;
  } catch {
    return null;
  }
}

/** oauth4webapi's errors as ours: the token endpoint's OAuth error (invalid_grant …), or no answer. */
function exchangeError(cause: unknown): AuthError {
  const e = cause as { name?: string; error?: string; error_description?: string; message?: string; code?: string };
  if (e?.name === 'AbortError') return new AuthError('Aborted', 'The code exchange was cancelled', { cause });
  if (typeof e?.error === 'string') {
    const description = e.error_description ?? e.error;
    return new AuthError(e.error === 'invalid_grant' ? 'RedirectStateMismatch' : 'RedirectProviderError', description, { cause, cognitoName: e.error, cognitoMessage: description });
  }
  if (e?.name === 'TypeError' || /fetch failed|Failed to fetch|ECONNREFUSED/i.test(String(e?.message))) return new AuthError('Network', String(e?.message), { cause });
  return new AuthError('IdTokenInvalid', String(e?.message ?? cause), { cause });
}

function browserSessionStorage(): KeyValueStorage | null {
  const store = (globalThis as { sessionStorage?: Storage }).sessionStorage;
  if (!store) return null;
  return { getItem: (k) => store.getItem(k), setItem: (k, v) => store.setItem(k, v), removeItem: (k) => store.removeItem(k) };
}

function forgetInAddressBar(callbackUrl: string): void {
  const history = (globalThis as { history?: History; location?: Location }).history;
  const location = (globalThis as { location?: Location }).location;
  if (!history || !location || location.href !== callbackUrl) return;
  const clean = new URL(callbackUrl);
  for (const name of ['code', 'state', 'error', 'error_description', 'error_uri']) clean.searchParams.delete(name);
  history.replaceState(history.state, '', clean.toString());
}
