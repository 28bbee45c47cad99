// Where tokens live between page loads: memory, Web Storage, or cookies. All share one small interface.

export interface KeyValueStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

/** Default: tokens die with the page, nothing reaches disk. */
export class MemoryStorage implements KeyValueStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** sessionStorage (per tab) or localStorage (shared, survives restarts: readable by any script on the origin). */
export function webStorage(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>): KeyValueStorage {
  return {
    getItem: (key) => storage.getItem(key),
    setItem: (key, value) => storage.setItem(key, value),
    removeItem: (key) => storage.removeItem(key),
  };
}

export interface CookieOptions {
  readonly path?: string;
  readonly domain?: string;
  /** Default true; only turn off for http://localhost development. */
  readonly secure?: boolean;
  readonly sameSite?: 'strict' | 'lax' | 'none';
  /** Lifetime in seconds; default: a session cookie. */
  readonly maxAgeSeconds?: number;
  /** Anything with a `cookie` property that behaves like document.cookie (SSR adapters can pass their own). */
  readonly document?: { cookie: string };
}

/** Cookie-backed storage (as Amplify's CookieStorage). Values are URI-encoded; one cookie per key. */
export class CookieStorage implements KeyValueStorage {
  constructor(private readonly options: CookieOptions = {}) {}

  private get doc(): { cookie: string } {
    const doc = this.options.document ?? (globalThis as { document?: { cookie: string } }).document;
    if (!doc) throw new Error('CookieStorage needs document.cookie or options.document');
    return doc;
  }

  getItem(key: string): string | null {
    const name = encodeURIComponent(key);
    for (const part of this.doc.cookie.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
    }
    return null;
  }

  setItem(key: string, value: string): void {
    this.doc.cookie = this.serialize(key, encodeURIComponent(value), this.options.maxAgeSeconds);
  }

  removeItem(key: string): void {
    this.doc.cookie = this.serialize(key, '', 0);
  }

  private serialize(key: string, value: string, maxAge: number | undefined): string {
    const { path = '/', domain, secure = true, sameSite = 'lax' } = this.options;
    const parts = [`${encodeURIComponent(key)}=${value}`, `Path=${path}`, `SameSite=${sameSite}`];
    if (domain) parts.push(`Domain=${domain}`);
    if (maxAge !== undefined) parts.push(`Max-Age=${maxAge}`);
    if (secure) parts.push('Secure');
    return parts.join('; ');
  }
}
