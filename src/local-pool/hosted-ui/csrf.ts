// The hosted UI's forms answer only themselves: every POST carries the token of its page (a hidden
// _csrf field matching the XSRF-TOKEN cookie, as Cognito's hosted UI does), and a browser that says
// where the form came from (Origin, Sec-Fetch-Site) must say it came from this origin.
import { randomBytes } from 'node:crypto';
import { safeEqual } from '../crypto/secrets.js';
import type { DomainRequest } from '../oauth/domains.js';
import { cookie, HttpError, parseCookies, type HttpContext } from '../oauth/http.js';

export const CSRF_COOKIE = 'XSRF-TOKEN';
export const CSRF_FIELD = '_csrf';

/** The page's token: the browser's cookie, or a new one (with the Set-Cookie to send). */
export function csrfToken(domain: DomainRequest, http: HttpContext): { token: string; cookies: string[] } {
  const current = parseCookies(http.req).get(CSRF_COOKIE);
  if (current && /^[A-Za-z0-9_-]{43}$/.test(current)) return { token: current, cookies: [] };
  const token = randomBytes(32).toString('base64url');
  return { token, cookies: [cookie(CSRF_COOKIE, token, { path: domain.cookiePath })] };
}

/** Refuses (403) a form POST that another origin's page could have made. */
export function checkFormPost(domain: DomainRequest, http: HttpContext, form: URLSearchParams): void {
  const origin = http.req.headers.origin;
  const expected = new URL(domain.base).origin;
  if (origin !== undefined && origin !== expected) throw new HttpError(403, `A form of ${origin} may not post to this page.`);
  const site = http.req.headers['sec-fetch-site'];
  if (origin === undefined && site !== undefined && site !== 'same-origin' && site !== 'none') throw new HttpError(403, 'A form of another site may not post to this page.');
  const sent = form.get(CSRF_FIELD);
  const held = parseCookies(http.req).get(CSRF_COOKIE);
  if (!sent || !held || !safeEqual(sent, held)) throw new HttpError(403, 'The form has expired or did not come from this page; reload it and try again.');
}
