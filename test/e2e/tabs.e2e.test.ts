// Two tabs of one origin in real Chromium, each running createAuth with its tokens in localStorage and the tabs
// option (BroadcastChannel + Web Locks), against a local pool that also serves the page (test/e2e/fixtures/
// tabs-app.ts, bundled here with esbuild). A sign-in or sign-out in one tab reaches the other; stale tokens in
// both make exactly one refresh reach the pool; a sign-in while signed in is the typed AlreadySignedIn.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';
import { tssrp6aWebCrypto } from '../../scripts/esbuild-plugins.mjs';

const PASSWORD = 'Passw0rd!tabs';
const HOURS_2 = 2 * 3600_000;
let dir: string;
let env: TestPool;
let clientId: string;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'authchart-tabs-'));
  await build({
    entryPoints: { app: resolve(__dirname, 'fixtures/tabs-app.ts') },
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'error',
    plugins: [tssrp6aWebCrypto],
  });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>tab</title><script type="module" src="/app.js"></script>');
  // The pool serves the page: one origin for the page, its storage, its channel and its Cognito calls.
  env = await startTestPool({ staticDir: dir });
  ({ clientId } = await env.createClient());
  await env.createUser('tess', PASSWORD);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface TabApi {
  state(): unknown;
  refreshing(): boolean;
  busy(): boolean;
  view(): { route: string; error: { code: string; category: string } | null; user: string | null };
  send(event: unknown): void;
  accessToken(): Promise<string | null>;
  moveClock(ms: number): void;
}

interface Tab {
  page: Page;
  /** The Cognito operations this tab sent (X-Amz-Target), in order. */
  calls: string[];
}

async function openTab(context: BrowserContext): Promise<Tab> {
  const page = await context.newPage();
  const calls: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    const target = request.headers()['x-amz-target'];
    if (target) calls.push(target.replace('AWSCognitoIdentityProviderService.', ''));
  });
  await page.goto(`${env.pool.url}/?userPoolId=${env.userPoolId}&clientId=${clientId}`);
  await page.waitForFunction(() => 'tab' in window);
  await until({ page, calls }, (t) => !t.busy() && ['signIn', 'signedIn'].includes(t.view().route));
  expect(errors).toEqual([]);
  return { page, calls };
}

/** Runs `fn` in the page on its window.tab (`arg` goes as JSON). */
function on<T>(tab: Tab, fn: (t: TabApi, arg: unknown) => T | Promise<T>, arg?: unknown): Promise<T> {
  return tab.page.evaluate(`(${fn.toString()})(window.tab, ${JSON.stringify(arg ?? null)})`) as Promise<T>;
}

/** Waits until `predicate` holds for the tab (checked in the page, every 20 ms). */
async function until(tab: Tab, predicate: (t: TabApi) => boolean, timeout = 15_000): Promise<void> {
  await tab.page.waitForFunction(`(${predicate.toString()})(window.tab)`, undefined, { timeout, polling: 20 });
}

const route = (tab: Tab) => on(tab, (t) => t.view().route);
const storedTokens = (tab: Tab) => on(tab, () => Object.keys(localStorage).filter((k) => k.startsWith('authchart.')).length);

async function signIn(tab: Tab): Promise<void> {
  await on(tab, (t, password) => t.send({ type: 'signIn.submit', username: 'tess', password }), PASSWORD);
  await until(tab, (t) => t.view().route === 'signedIn' && !t.busy());
}

describe('two tabs of one origin (BroadcastChannel, Web Locks, localStorage)', () => {
  let context: BrowserContext;
  let a: Tab;
  let b: Tab;
  beforeAll(async () => {
    context = await browser.newContext();
    a = await openTab(context);
    b = await openTab(context);
  }, 60_000);
  afterAll(() => context?.close());

  it('a sign-in in tab A signs tab B in, without a Cognito call from B', async () => {
    expect([await route(a), await route(b)]).toEqual(['signIn', 'signIn']);
    const before = { a: a.calls.length, b: b.calls.length };
    await signIn(a);
    await until(b, (t) => t.view().route === 'signedIn');
    expect(await on(b, (t) => t.view().user)).toBe('tess');
    expect(a.calls.slice(before.a)).toEqual(['InitiateAuth']);
    expect(b.calls.slice(before.b)).toEqual([]);
  });

  it('a sign-out in tab B signs tab A out, and the shared storage holds no tokens', async () => {
    const before = { a: a.calls.length, b: b.calls.length };
    await on(b, (t) => t.send({ type: 'session.signOut' }));
    await until(b, (t) => t.view().route === 'signIn' && !t.busy());
    await until(a, (t) => t.view().route === 'signIn');
    expect(b.calls.slice(before.b)).toEqual(['RevokeToken']);
    expect(a.calls.slice(before.a)).toEqual([]);
    expect(await storedTokens(a)).toBe(0);
  });

  it('expired access tokens in both tabs: exactly one GetTokensFromRefreshToken reaches the pool, both get its tokens', async () => {
    await signIn(a);
    await until(b, (t) => t.view().route === 'signedIn');
    const first = await on(a, (t) => t.accessToken());
    // Two hours on, for the pool and for both tabs: the access tokens (valid one hour) have expired.
    env.clock.advance(HOURS_2);
    for (const tab of [a, b]) await on(tab, (t, ms) => t.moveClock(ms as number), HOURS_2);
    // The refresh that wins the lock is held at the pool for a while, so the other tab's refresh surely
    // starts while it is in flight (and waits for the lock instead of calling).
    env.pool.injectFault({ operation: 'GetTokensFromRefreshToken', fault: 'delay', delayMs: 1500 });
    const seen = env.pool.requests.length;
    const before = { a: a.calls.length, b: b.calls.length };
    const tokens = Promise.all([on(a, (t) => t.accessToken()), on(b, (t) => t.accessToken())]);
    await until(a, (t) => t.refreshing());
    await until(b, (t) => t.refreshing());
    const [fromA, fromB] = await tokens;

    // The pool's log: one refresh arrived (the one held back by the injected delay).
    const refreshes = env.pool.requests.slice(seen).filter((r) => r.target.endsWith('.GetTokensFromRefreshToken'));
    expect(refreshes.map((r) => r.outcome)).toEqual(['injected delay']);
    const sent = [...a.calls.slice(before.a), ...b.calls.slice(before.b)];
    expect(sent).toEqual(['GetTokensFromRefreshToken']);
    expect(fromA).not.toBe(first);
    expect(fromB).toBe(fromA);
    expect([await route(a), await route(b)]).toEqual(['signedIn', 'signedIn']);
  }, 60_000);

  it('a sign-in submitted in tab B while signed in is the typed AlreadySignedIn, and B calls nothing', async () => {
    await until(b, (t) => t.view().route === 'signedIn' && !t.busy());
    const before = b.calls.length;
    await on(b, (t, password) => t.send({ type: 'signIn.submit', username: 'someone-else', password }), PASSWORD);
    expect(await on(b, (t) => t.view())).toEqual({ route: 'signedIn', error: { code: 'AlreadySignedIn', category: 'input' }, user: 'tess' });
    expect(b.calls.slice(before)).toEqual([]);
    expect(await route(a)).toBe('signedIn');
  });
});
