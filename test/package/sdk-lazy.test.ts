// The built core entry does not load the AWS SDK when the caller passes its own port or chooses the fetch transport
// (and does with the default SDK transport): in Node, and in a browser build (esbuild, code splitting) in Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';

const root = resolve(__dirname, '../..');
// A resolve hook in the child reports every module it resolves that belongs to the AWS SDK.
const HOOK = `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (/@aws-sdk|@smithy/.test(result.url)) process.stderr.write('SDK ' + result.url + '\\n');
  return result;
}`;

function run(mode: 'port' | 'fetch' | 'sdk', idle = false): { sdkModules: string[]; out: string } {
  if (!existsSync(resolve(root, 'dist/esm/index.node.js'))) throw new Error('dist/ is missing: npm test builds it first (npm run build)');
  const script = `
    import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));
    const { createAuth } = await import(${JSON.stringify(resolve(root, 'dist/esm/index.node.js'))});
    const { createFakePort, cognitoError } = await import(${JSON.stringify(resolve(root, 'dist/esm/testing.js'))});
    const ids = { userPoolId: 'us-east-1_Lazy1', clientId: 'lazyclient' };
    const port = ${mode === 'port'} ? createFakePort({ initiateAuth: [cognitoError('NotAuthorizedException', 'Incorrect username or password.')] }, ids) : undefined;
    const auth = createAuth({ ...ids, authFlow: 'USER_PASSWORD_AUTH', endpoint: 'http://127.0.0.1:9', requestTimeoutMs: 2000, ...(port ? { port } : {}), ...(${mode === 'fetch'} ? { transport: 'fetch' } : {}) });
    await new Promise((r) => auth.actor.subscribe((s) => s.matches('signedOut') && r()));
    if (${idle}) {
      // the sign-in form on screen, nobody pressed anything yet
      await new Promise((r) => setTimeout(r, 1500));
      console.log('idle');
      process.exit(0);
    }
    auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'pw' });
    await new Promise((r) => auth.actor.subscribe((s) => s.matches('signedOut') && s.context.error && r()));
    console.log(auth.actor.getSnapshot().context.error.code);
    auth.stop();
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 20_000 });
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  return { sdkModules: child.stderr.split('\n').filter((l) => l.startsWith('SDK ')), out: child.stdout.trim() };
}

describe('the AWS SDK is loaded only when the SDK port is used', () => {
  it('with the caller’s own port: signs in (and fails as scripted) without loading a single SDK module', () => {
    const { sdkModules, out } = run('port');
    expect(out).toBe('IncorrectUsernameOrPassword');
    expect(sdkModules).toEqual([]);
  });

  it('with transport: "fetch": the call goes out (and finds nobody) without loading a single SDK module', () => {
    const { sdkModules, out } = run('fetch');
    expect(out).toBe('Network');
    expect(sdkModules).toEqual([]);
  });

  it('without a port: the SDK loads while the sign-in form is on screen, before any call, so the first one does not wait for it', () => {
    const { sdkModules, out } = run('sdk', true);
    expect(out).toBe('idle');
    expect(sdkModules.length).toBeGreaterThan(0);
    // with its own port an app has nothing to load
    expect(run('port', true).sdkModules).toEqual([]);
  });

  it('without a port: the SDK port loads the SDK on its first call (the detector sees it)', () => {
    const { sdkModules, out } = run('sdk');
    expect(out).toBe('Network');
    expect(sdkModules.length).toBeGreaterThan(0);
  });
});

// A browser sign-in app, as an app's bundler builds it: the package by its public name (the repo's dist), esbuild with
// code splitting (as Vite, webpack and Rollup split dynamic imports). One page per transport, opened in Chromium,
// signs in against the local pool; what the page fetched is mapped back to the modules in it through the metafile.
describe('a browser build of a sign-in app (esbuild, code splitting) in Chromium', () => {
  const APP = (transport: string) => `
    import { createAuth, selectView } from 'authchart';
    window.signIn = async (config, username, password) => {
      const auth = createAuth({ ...config, authFlow: 'USER_PASSWORD_AUTH'${transport} });
      const settled = (p) => new Promise((ok) => { const check = (s) => p(s) && ok(selectView(s)); check(auth.actor.getSnapshot()); auth.actor.subscribe(check); });
      await settled((s) => s.matches('signedOut'));
      auth.actor.send({ type: 'signIn.submit', username, password });
      const view = await settled((s) => s.matches('signedIn') || (s.matches('signedOut') && s.context.error));
      auth.stop();
      return { route: view.route, error: view.error?.code ?? null };
    };`;
  let dir: string;
  let metafile: Metafile;
  let site: Server;
  let siteUrl: string;
  let env: TestPool;
  let config: { userPoolId: string; clientId: string; endpoint: string };
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(resolve(root, 'dist/esm/index.js'))) throw new Error('dist/ is missing: npm test builds it first (npm run build)');
    dir = mkdtempSync(join(tmpdir(), 'authchart-bundle-'));
    writeFileSync(join(dir, 'lean.js'), APP(", transport: 'fetch'"));
    writeFileSync(join(dir, 'sdk.js'), APP(''));
    for (const page of ['lean', 'sdk']) writeFileSync(join(dir, `${page}.html`), `<!doctype html><script type="module" src="out/${page}.js"></script>`);
    const result = await build({
      entryPoints: { lean: join(dir, 'lean.js'), sdk: join(dir, 'sdk.js') },
      outdir: join(dir, 'out'),
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      minify: true,
      metafile: true,
      logLevel: 'error',
      plugins: [{ name: 'authchart-by-name', setup: (b) => b.onResolve({ filter: /^authchart$/ }, () => ({ path: resolve(root, 'dist/esm/index.js') })) }],
    });
    metafile = result.metafile;
    site = createServer((req, res) => {
      const file = join(dir, (req.url ?? '/').split('?')[0]!);
      if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': extname(file) === '.html' ? 'text/html' : 'text/javascript' }).end(readFileSync(file));
    });
    await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    env = await startTestPool();
    const { clientId } = await env.createClient();
    await env.createUser('bundled', 'Passw0rd!strong');
    config = { userPoolId: env.userPoolId, clientId, endpoint: env.pool.url };
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await env?.close();
    await new Promise((ok) => (site ? site.close(ok) : ok(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  const isSdk = (input: string) => /node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//.test(input);
  /** The modules bundled into an output file, by its path relative to the build's working directory. */
  const modulesIn = (outputFile: string) => Object.keys(metafile.outputs[outputFile]?.inputs ?? {});
  const outputOf = (url: string) => Object.keys(metafile.outputs).find((o) => !o.endsWith('.map') && url.endsWith(o.slice(o.lastIndexOf('/out/'))));

  /** The page signs in; what it loaded: the output files and the SDK modules in them. */
  async function signInOn(page: 'lean' | 'sdk') {
    const tab = await browser.newPage();
    const loaded: string[] = [];
    tab.on('request', (request) => {
      const output = outputOf(request.url());
      if (output) loaded.push(output);
    });
    try {
      await tab.goto(`${siteUrl}/${page}.html`);
      await tab.waitForFunction(() => typeof (window as unknown as { signIn?: unknown }).signIn === 'function');
      const result = await tab.evaluate(([c, u, p]) => (window as unknown as { signIn: (...a: unknown[]) => Promise<unknown> }).signIn(c, u, p), [config, 'bundled', 'Passw0rd!strong'] as const);
      return { result, loaded, sdkModules: loaded.flatMap(modulesIn).filter(isSdk) };
    } finally {
      await tab.close();
    }
  }

  it('the SDK is not in the lean entry nor in any chunk it imports statically: only behind a dynamic import', () => {
    const statically = (file: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(file)) return seen;
      seen.add(file);
      for (const i of metafile.outputs[file]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) statically(i.path, seen);
      return seen;
    };
    const lean = Object.keys(metafile.outputs).find((o) => metafile.outputs[o]!.entryPoint?.endsWith('lean.js'))!;
    expect([...statically(lean)].flatMap(modulesIn).filter(isSdk)).toEqual([]);
    // ... while the build holds it, in a chunk of its own (so the check above looks at the right files)
    expect(Object.keys(metafile.outputs).filter((o) => modulesIn(o).some(isSdk)).length).toBeGreaterThan(0);
  });

  it('transport: "fetch": signed in against the local pool; the page never fetched a file with an SDK module in it', async () => {
    const { result, loaded, sdkModules } = await signInOn('lean');
    expect(result).toEqual({ route: 'signedIn', error: null });
    expect(loaded.length).toBeGreaterThan(0);
    expect(sdkModules).toEqual([]);
  }, 30_000);

  it('the default (SDK) transport: signed in too, and the page fetched the SDK chunk (the detector sees it)', async () => {
    const { result, sdkModules } = await signInOn('sdk');
    expect(result).toEqual({ route: 'signedIn', error: null });
    expect(sdkModules.length).toBeGreaterThan(0);
  }, 30_000);
});
