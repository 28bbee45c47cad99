// A browser's part in the hosted-UI tests, over plain HTTP: cookies per host, no redirect followed
// unless asked, forms read from the page's HTML and posted with the page's Origin (as a browser does).
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  location: string | undefined;
  body: string;
  url: string;
}

export interface PageForm {
  action: string;
  fields: Record<string, string>;
}

/** A cookie jar and a way of making requests, one per "browser". */
export class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  /** Requests go to `connectTo` (host:port) whatever the URL's host says, as *.localhost resolves to loopback. */
  constructor(private readonly connectTo?: { host: string; port: number }) {}

  cookies(host: string): Map<string, string> {
    let jar = this.jars.get(host);
    if (!jar) this.jars.set(host, (jar = new Map()));
    return jar;
  }

  send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
    const target = new URL(url);
    const jar = this.cookies(target.host);
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.connectTo?.host ?? target.hostname,
          port: this.connectTo?.port ?? target.port,
          method: init.method ?? 'GET',
          path: `${target.pathname}${target.search}`,
          headers: { host: target.host, ...(cookie ? { cookie } : {}), ...init.headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            for (const line of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
              const [pair, ...attributes] = line.split(';');
              const eq = pair!.indexOf('=');
              const name = pair!.slice(0, eq).trim();
              const value = pair!.slice(eq + 1).trim();
              const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
              if (expired || value === '') jar.delete(name);
              else jar.set(name, value);
            }
            const location = res.headers.location;
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              location: location === undefined ? undefined : new URL(location, url).toString(),
              body: Buffer.concat(chunks).toString('utf8'),
              url,
            });
          });
        },
      );
      req.on('error', reject);
      if (init.body !== undefined) req.write(init.body);
      req.end();
    });
  }

  get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.send(url, { headers });
  }

  /** A form post from a page of `url`'s origin (what the page's own form sends). */
  post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
    return this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin, ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Follows redirects while they stay on hosts of `within` (the pool's, the provider's), up to 10. */
  async follow(answer: Answer, within: (url: URL) => boolean): Promise<Answer> {
    let current = answer;
    for (let i = 0; i < 10 && current.status >= 300 && current.status < 400 && current.location && within(new URL(current.location)); i++) {
      current = await this.get(current.location);
    }
    return current;
  }
}

const decode = (text: string): string =>
  text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The page's forms: action and every input with a name (hidden ones with their values). */
export function forms(html: string, base: string): PageForm[] {
  const found: PageForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const action = /action="([^"]*)"/.exec(match[1]!)?.[1];
    const fields: Record<string, string> = {};
    for (const inputTag of match[2]!.matchAll(/<input\b([^>]*)>/g)) {
      const name = /name="([^"]*)"/.exec(inputTag[1]!)?.[1];
      if (!name) continue;
      fields[decode(name)] = decode(/value="([^"]*)"/.exec(inputTag[1]!)?.[1] ?? '');
    }
    found.push({ action: new URL(decode(action ?? ''), base).toString(), fields });
  }
  return found;
}

/** The first form that has an input named `field`. */
export function formWith(answer: Answer, field: string): PageForm {
  const form = forms(answer.body, answer.url).find((f) => field in f.fields);
  if (!form) throw new Error(`no form with a "${field}" input on ${answer.url} (status ${answer.status}):\n${answer.body.slice(0, 2000)}`);
  return form;
}

export const errorText = (html: string): string | undefined => {
  const match = /<div class="error"[^>]*>([\s\S]*?)<\/div>/.exec(html);
  return match ? decode(match[1]!) : undefined;
};

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

/** A 1x1 PNG, and the first bytes of a JPEG: images the branding operations take. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
export const TINY_JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);

/** An app client of the hosted UI: the code grant with openid, one callback, the pool's own sign-in page. */
export const hostedUiClient = (UserPoolId: string, ClientName: string, callback: string) => ({
  UserPoolId,
  ClientName,
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthFlows: ['code' as const],
  AllowedOAuthScopes: ['openid'],
  CallbackURLs: [callback],
  SupportedIdentityProviders: ['COGNITO'],
});
