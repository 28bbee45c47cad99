import { CookieStorage, MemoryStorage, webStorage } from '../../src/session/storage.js';
import { TokenStore, isFresh, toStoredTokens, userFromTokens, EXPIRY_MARGIN_MS } from '../../src/session/tokens.js';
import { computeSecretHash } from '../../src/cognito/port.js';
import { secretHash as poolSecretHash } from '../../src/local-pool/crypto/secrets.js';
import { fakeTokens } from '../../src/testing/fake-port.js';

/** A document.cookie that behaves like a browser's: assignments set one cookie, reads list name=value pairs. */
function cookieJar() {
  const jar = new Map<string, string>();
  const written: string[] = [];
  return {
    written,
    get cookie() {
      return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    },
    set cookie(line: string) {
      written.push(line);
      const [pair, ...attrs] = line.split(';').map((p) => p.trim());
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (attrs.some((a) => a === 'Max-Age=0')) jar.delete(name);
      else jar.set(name, value);
    },
  };
}

describe('storages', () => {
  const backends = {
    memory: () => new MemoryStorage(),
    webStorage: () => {
      const map = new Map<string, string>();
      return webStorage({ getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) });
    },
    cookie: () => new CookieStorage({ document: cookieJar() }),
  };
  it.each(Object.entries(backends))('%s round-trips tokens and clears them', async (_name, make) => {
    const store = new TokenStore(make(), 'client1');
    expect(await store.load()).toBeNull();
    const stored = toStoredTokens(fakeTokens({ username: 'alice' }), Date.now(), { loginId: 'alice@example.com', authFlowType: 'USER_SRP_AUTH' });
    await store.save(stored);
    expect(await store.load()).toEqual(stored);
    await store.clear();
    expect(await store.load()).toBeNull();
  });

  it('cookie storage writes secure, path-scoped cookies and encodes values', () => {
    const doc = cookieJar();
    const storage = new CookieStorage({ document: doc, domain: 'example.com', maxAgeSeconds: 3600 });
    storage.setItem('a.key', 'v;=x');
    expect(doc.written[0]).toBe('a.key=v%3B%3Dx; Path=/; SameSite=lax; Domain=example.com; Max-Age=3600; Secure');
    expect(storage.getItem('a.key')).toBe('v;=x');
    storage.removeItem('a.key');
    expect(storage.getItem('a.key')).toBeNull();
  });

  it('drops unreadable entries instead of failing', async () => {
    const memory = new MemoryStorage();
    const store = new TokenStore(memory, 'client1');
    memory.setItem(store.keys.accessToken, 'a.b.c');
    memory.setItem(store.keys.idToken, 'a.b.c');
    memory.setItem(store.keys.details, '{not json');
    expect(await store.load()).toBeNull();
    expect(memory.getItem(store.keys.accessToken)).toBeNull();
    expect(memory.getItem(store.keys.details)).toBeNull();
  });

  it('leaves a partial set of entries alone: another tab may be half-way through writing or removing them', async () => {
    const memory = new MemoryStorage();
    const store = new TokenStore(memory, 'client1');
    const tokens = toStoredTokens(fakeTokens({ username: 'alice' }), Date.now(), {});
    memory.setItem(store.keys.accessToken, tokens.accessToken); // the first key of another tab's save
    expect(await store.load()).toBeNull();
    expect(memory.getItem(store.keys.accessToken)).toBe(tokens.accessToken);
    memory.setItem(store.keys.refreshToken, 'refresh-only');
    memory.removeItem(store.keys.accessToken);
    expect(await store.load()).toBeNull();
    expect(memory.getItem(store.keys.refreshToken)).toBe('refresh-only');
  });

  it('keeps each token in its own entry (cookies hold ~4 KB each)', async () => {
    const doc = cookieJar();
    const store = new TokenStore(new CookieStorage({ document: doc }), 'client1');
    const big = { ...fakeTokens({ username: 'alice' }), refreshToken: 'r'.repeat(1800) };
    await store.save(toStoredTokens(big, Date.now(), {}));
    expect(doc.written.length).toBeGreaterThanOrEqual(4);
    for (const line of doc.written) expect(line.length).toBeLessThan(4000);
    expect((await store.load())?.refreshToken).toHaveLength(1800);
  });

  it('a save that started before clear() is dropped', async () => {
    const store = new TokenStore(new MemoryStorage(), 'client1');
    const generation = store.generation; // e.g. a refresh starts...
    await store.clear(); // ...the user signs out...
    expect(await store.save(toStoredTokens(fakeTokens({ username: 'alice' }), Date.now(), {}), generation)).toBe(false); // ...the refresh answers
    expect(await store.load()).toBeNull();
    expect(await store.save(toStoredTokens(fakeTokens({ username: 'alice' }), Date.now(), {}))).toBe(true);
  });
});

describe('tokens are decoded, not trusted', () => {
  const now = 1_800_000_000_000;
  const tokens = fakeTokens({ username: 'alice', sub: 'uuid-a', nowSeconds: now / 1000, expiresInSeconds: 3600, attributes: { email: 'a@x.io', email_verified: true } });

  it('expiry comes from the access token exp', () => {
    const stored = toStoredTokens(tokens, now, {});
    expect(stored.expiresAt).toBe(now + 3_600_000);
    expect(isFresh(stored, now)).toBe(true);
    expect(isFresh(stored, now + 3_600_000 - EXPIRY_MARGIN_MS)).toBe(false);
  });

  it('keeps the previous refresh token when Cognito does not rotate it', () => {
    const { refreshToken: _drop, ...withoutRefresh } = tokens;
    expect(toStoredTokens(withoutRefresh, now, { previousRefreshToken: 'old' }).refreshToken).toBe('old');
    expect(toStoredTokens(tokens, now, { previousRefreshToken: 'old' }).refreshToken).toBe(tokens.refreshToken);
  });

  it('the user comes from ID token claims, without registered claims', () => {
    const user = userFromTokens(toStoredTokens(tokens, now, { loginId: 'a@x.io', authFlowType: 'USER_PASSWORD_AUTH' }));
    expect(user).toEqual({
      username: 'alice',
      userId: 'uuid-a',
      attributes: { email: 'a@x.io', email_verified: 'true' },
      signInDetails: { loginId: 'a@x.io', authFlowType: 'USER_PASSWORD_AUTH' },
      tokensExpireAt: now + 3_600_000,
    });
  });
});

describe('SECRET_HASH', () => {
  it('matches the reference check value', async () => {
    expect(await computeSecretHash('example-client-secret', 'alice', 'exampleclientid123')).toBe('yf+sLJVXDxwUHzmSjwnHAgeQ3ZBxZjk7Vi8DlhG3+OQ=');
    // the local pool checks it with its own (node:crypto) implementation, against the same reference value
    expect(poolSecretHash('example-client-secret', 'alice', 'exampleclientid123')).toBe('yf+sLJVXDxwUHzmSjwnHAgeQ3ZBxZjk7Vi8DlhG3+OQ=');
  });
});
