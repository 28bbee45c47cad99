// Finding a hosted-UI callback in the URL the app was opened at. Its own module: restoring the session at start
// (first load) checks for a callback, while the rest of the hosted UI (redirect.ts) loads when a redirect is used.
import type { OAuthOptions } from './redirect.js';

/** True when `url` carries an authorization response (code or error, and state). */
export function isCallbackUrl(url: string): boolean {
  try {
    const params = new URL(url).searchParams;
    return params.has('state') && (params.has('code') || params.has('error'));
  } catch {
    return false;
  }
}

/** The URL the app was opened at, if it is a callback to `redirectSignIn`. */
export function pendingCallbackUrl(oauth: Pick<OAuthOptions, 'currentUrl' | 'redirectSignIn'>): string | null {
  const url = oauth.currentUrl ? oauth.currentUrl() : ((globalThis as { location?: { href?: string } }).location?.href ?? null);
  return url && isCallbackUrl(url) && url.startsWith(oauth.redirectSignIn.split('?')[0]!) ? url : null;
}
