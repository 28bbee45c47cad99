// The two halves of a hosted-UI redirect sign-in that need OAuth: the authorize URL (with what must survive the
// redirect) and the callback's code exchange with the id-token checks. Loaded with import() by ./redirect.ts when a
// redirect starts or returns, with oauth4webapi and jose, so a page that never redirects does not carry any of it:
// import it statically nowhere (see docs/benchmarks.md, the esbuild caveat).
import * as lib from 'oauth4webapi';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { AuthError } from '../cognito/errors.js';
import type { CognitoTokens } from '../cognito/port.js';
import type { KeyValueStorage } from '../session/storage.js';
import type { OAuthOptions, RedirectRequest } from './redirect.js';

/** What hostedUi() worked out once from its configuration. */
export interface RedirectSetup {
  readonly oauth: OAuthOptions;
  readonly clientId: string;
  readonly clientSecret?: string;
  /** The hosted UI's base URL without a trailing slash. */
  readonly domain: string;
  readonly issuer: string;
  readonly metadata: { readonly authorization_endpoint: string; readonly jwks_uri: string } & Record<string, string>;
  readonly storage: KeyValueStorage;
  /** Where the pending redirect waits in `storage`. */
  readonly key: string;
  readonly now: () => number;
  readonly navigate: (url: string) => Promise<void>;
}

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

const loopback = (url: string) => /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\//.test(url);

/** Builds the authorize URL, keeps state / nonce / verifier for the return, and hands the URL to the host. */
export async function startRedirect(setup: RedirectSetup, request: RedirectRequest): Promise<void> {
  const { oauth } = setup;
  const verifier = lib.generateRandomCodeVerifier();
  const pending: PendingRedirect = {
    state: lib.generateRandomState(),
    nonce: lib.generateRandomNonce(),
    verifier,
    redirectUri: oauth.redirectSignIn,
    customState: request.customState ?? null,
    createdAt: setup.now(),
  };
  const url = new URL(setup.metadata.authorization_endpoint);
  const params = url.searchParams;
  params.set('response_type', 'code');
  params.set('client_id', setup.clientId);
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
  await setup.storage.setItem(setup.key, JSON.stringify(pending));
  await setup.navigate(url.toString());
}

/** Checks the callback once, exchanges the code, validates the id token; the Cognito tokens and the custom state. */
export async function finishRedirect(
  setup: RedirectSetup,
  callbackUrl: string,
  signal: AbortSignal,
): Promise<{ tokens: CognitoTokens; customState: string | null }> {
  const { oauth, clientId, issuer } = setup;
  // Single use: whatever happens next, this redirect's state cannot be used again.
  const raw = await setup.storage.getItem(setup.key);
  await setup.storage.removeItem(setup.key);
  oauth.forgetCallback ? oauth.forgetCallback(callbackUrl) : forgetInAddressBar(callbackUrl);
  const pending = parsePending(raw);
  const url = new URL(callbackUrl);
  const error = url.searchParams.get('error');
  if (!pending) {
    throw new AuthError('RedirectStateMismatch', 'No redirect sign-in is waiting for this callback (replayed, or from another browser)');
  }
  if (setup.now() - pending.createdAt > PENDING_LIFETIME_MS) throw new AuthError('RedirectStateMismatch', 'The redirect sign-in is too old');
  if (url.searchParams.get('state') !== pending.state) throw new AuthError('RedirectStateMismatch', 'The callback state is not the one sent');
  if (error) {
    const description = url.searchParams.get('error_description') ?? error;
    throw new AuthError('RedirectProviderError', description, { cognitoName: error, cognitoMessage: description });
  }
  const as = setup.metadata as unknown as Parameters<typeof lib.validateAuthResponse>[0];
  const client = { client_id: clientId };
  const auth = setup.clientSecret ? lib.ClientSecretPost(setup.clientSecret) : lib.None();
  const http = loopback(setup.domain) ? { [lib.allowInsecureRequests]: true } : {};
  let tokens;
  try {
    const params = lib.validateAuthResponse(as, client, url, pending.state);
    const response = await lib.authorizationCodeGrantRequest(as, client, auth, params, pending.redirectUri, pending.verifier, { signal, ...http });
    tokens = await lib.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
  } catch (cause) {
    throw exchangeError(cause);
  }
  // oauth4webapi checked iss, aud, exp and the nonce; the signature is checked against the pool's keys here.
  try {
    await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(setup.metadata.jwks_uri)), {
      issuer,
      audience: clientId,
      clockTolerance: 5,
      currentDate: new Date(setup.now()),
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

function forgetInAddressBar(callbackUrl: string): void {
  const history = (globalThis as { history?: History; location?: Location }).history;
  const location = (globalThis as { location?: Location }).location;
  if (!history || !location || location.href !== callbackUrl) return;
  const clean = new URL(callbackUrl);
  for (const name of ['code', 'state', 'error', 'error_description', 'error_uri']) clean.searchParams.delete(name);
  history.replaceState(history.state, '', clean.toString());
}
