// The plain HTTP of the hosted UI and the OAuth endpoints: form bodies, cookies, redirects, JSON and
// HTML answers. (The Cognito API's AWS JSON 1.1 is in api/server.ts.)
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the endpoints answer with: a redirect, a page, or JSON. */
export interface HttpContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** CORS headers for the request's Origin, when the pool lets that origin read answers (token, userInfo, revoke). */
  cors: () => Record<string, string>;
}

const MAX_FORM_BYTES = 64 * 1024;

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** An application/x-www-form-urlencoded body (at most 64 KiB). */
export function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_FORM_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_FORM_BYTES) return reject(new HttpError(413, 'The form is larger than 64 KiB.'));
      if (type !== 'application/x-www-form-urlencoded' && !(type === '' && size === 0)) {
        return reject(new HttpError(415, 'Send the form as application/x-www-form-urlencoded.'));
      }
      resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', reject);
  });
}

export function parseCookies(req: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

/** A Set-Cookie value: HttpOnly and SameSite=Lax always (the pages need no script, other sites no cookie). */
export function cookie(name: string, value: string, options: { path: string; maxAgeSeconds?: number }): string {
  const age = options.maxAgeSeconds === undefined ? '' : `; Max-Age=${options.maxAgeSeconds}`;
  return `${name}=${value}; Path=${options.path}; HttpOnly; SameSite=Lax${age}`;
}

/** Headers of every hosted-UI page: no framing by other sites (clickjacking), no script, nothing cached. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data: 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on the page's own form posts,
  // which the CSRF check (rightly) refuses; other sites still get no referrer
  'Referrer-Policy': 'same-origin',
};

export function sendHtml(http: HttpContext, status: number, html: string, cookies: string[] = []): void {
  http.res.writeHead(status, { ...PAGE_HEADERS, 'Content-Length': String(Buffer.byteLength(html)), ...(cookies.length ? { 'Set-Cookie': cookies } : {}) });
  http.res.end(html);
}

export function redirect(http: HttpContext, location: string, cookies: string[] = []): void {
  http.res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', ...(cookies.length ? { 'Set-Cookie': cookies } : {}) });
  http.res.end();
}

export function sendJson(http: HttpContext, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  http.res.writeHead(status, {
    ...http.cors(),
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    ...headers,
  });
  http.res.end(text);
}

/** `url` with `params` added to its query (or, for the implicit flow, its fragment). */
export function withParams(url: string, params: Record<string, string | undefined>, where: 'query' | 'fragment' = 'query'): string {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  if (where === 'fragment') return `${url}#${new URLSearchParams(entries).toString()}`;
  const target = new URL(url);
  for (const [name, value] of entries) target.searchParams.set(name, value);
  return target.toString();
}
