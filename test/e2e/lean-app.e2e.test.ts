// bench/bundle-entries/lean.ts, the app the bundle bench and the size budget measure, is a working app: built as
// the bench builds it (esbuild, browser, ESM, code splitting, minified, `authchart` through the package's exports
// to dist/), served from 127.0.0.1 and driven in Chromium against a local pool. Each step it reaches is checked on
// the page, and the network shows it loads what a step needs when the step runs (SRP's math as it starts, the
// default flow being SRP; the QR encoder at TOTP set-up) and never the AWS SDK's chunk (transport 'fetch').
// With the chunk that talks to Cognito, or the later actor families, blocked at the network (page.route), the app
// says so and recovers once it can fetch them; a stored session and a sign-out do not need the Cognito chunk.
//
// lean.ts hard-codes its pool, its client and no endpoint; the build here rewrites exactly those literals (and
// fails if they are not there), so the app under test is the measured one with other constants.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import type { Browser, Page, Route } from 'playwright-core';
import { bundleBuildOptions, SRP_PRIME } from '../../bench/bundle-measure.js';
import { startLocalPool, type LocalPool, type SeedDocument } from '../../src/local-pool/index.js';
import { authenticatorCode } from '../support/authenticator.js';
import { launchChromium } from '../support/browser.js';

const root = resolve(__dirname, '../..');
const ENTRY = 'bench/bundle-entries/lean.ts';
const PASSWORD = 'Passw0rd!lean';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const policy = { PasswordPolicy: { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7 } };
const recovery = { AutoVerifiedAttributes: ['email'], AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] } };
const email = (name: string) => ({ email: `${name}@example.com`, email_verified: 'true' });

// Two pools: Cognito refuses one-time-code first factors in a pool with MFA, so e-mail OTP sign-in has its own.
const seed: SeedDocument = {
  pools: [
    {
      id: 'us-east-1_leanapp',
      name: 'lean-app',
      settings: { Policies: policy, ...recovery },
      mfa: { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } },
      clients: [{ id: 'leanappclient0000000000000', name: 'lean', settings: { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } }],
      users: [
        { username: 'alice', password: PASSWORD, attributes: email('alice') },
        { username: 'tina', password: PASSWORD, attributes: email('tina'), totpSecret: TOTP_SECRET, mfa: { totp: true, preferred: 'TOTP' } },
        { username: 'fern', password: PASSWORD, attributes: email('fern') },
        { username: 'otto', password: PASSWORD, attributes: email('otto') },
        { username: 'lara', password: PASSWORD, attributes: email('lara') },
        { username: 'mia', password: PASSWORD, attributes: email('mia') },
      ],
    },
    {
      id: 'us-east-1_leanotp',
      name: 'lean-otp',
      settings: { Policies: { ...policy, SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } }, UserPoolTier: 'ESSENTIALS', ...recovery },
      mfa: { MfaConfiguration: 'OFF', EmailMfaConfiguration: { Subject: 'Your code', Message: 'Your sign-in code is {####}' } },
      clients: [{ id: 'leanotpclient0000000000000', name: 'lean', settings: { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } }],
      users: [{ username: 'olive', password: PASSWORD, attributes: email('olive') }],
    },
  ],
};

/** Rewrites lean.ts's own configuration literals; each must be there exactly once, or the build fails. */
function configure(literals: ReadonlyArray<readonly [string, string]>): Plugin {
  return {
    name: 'lean-app-config',
    setup(b) {
      b.onLoad({ filter: /bench[\\/]bundle-entries[\\/]lean\.ts$/ }, ({ path }) => {
        let source = readFileSync(path, 'utf8');
        for (const [from, to] of literals) {
          const found = source.split(from).length - 1;
          if (found !== 1) throw new Error(`${ENTRY}: expected ${JSON.stringify(from)} once, found it ${found} times (update this test's configuration)`);
          source = source.replace(from, to);
        }
        return { contents: source, loader: 'ts' };
      });
    },
  };
}

interface Chunk {
  readonly srp: boolean;
  readonly qr: boolean;
  readonly sdk: boolean;
  /** The import() target src/runtime/cognito-chunk.ts (the port and the sign-in actors) was built into. */
  readonly cognito: boolean;
  /** The import() target src/runtime/actors/later-families.ts (MFA set-up, account, sign-up ...) was built into. */
  readonly later: boolean;
}
type ChunkKind = keyof Chunk;

interface App {
  readonly path: string;
  /** Output files by URL path, with what is in them. */
  readonly chunks: ReadonlyMap<string, Chunk>;
}

async function buildApp(dir: string, name: string, pool: { id: string; clientId: string }, endpoint: string): Promise<App> {
  const outdir = join(dir, name);
  const result = await build({
    ...bundleBuildOptions(root, ENTRY),
    outdir,
    write: true,
    plugins: [
      configure([
        ["userPoolId: 'us-east-1_example'", `userPoolId: '${pool.id}'`],
        ["clientId: 'exampleclient000000000000'", `clientId: '${pool.clientId}'`],
        ["transport: 'fetch',", `transport: 'fetch', endpoint: '${endpoint}',`],
      ]),
    ],
  });
  writeFileSync(join(outdir, 'index.html'), '<!doctype html><title>lean app</title><main id="app"></main><script type="module" src="lean.js"></script>');
  const outputs: Metafile['outputs'] = result.metafile.outputs;
  const chunks = new Map<string, Chunk>();
  for (const [file, output] of Object.entries(outputs)) {
    if (!file.endsWith('.js')) continue;
    const inputs = Object.keys(output.inputs);
    chunks.set(`/${relative(dir, resolve(root, file)).split('\\').join('/')}`, {
      srp: SRP_PRIME.test(readFileSync(resolve(root, file), 'utf8')),
      qr: inputs.some((input) => input.includes('node_modules/uqr/')),
      sdk: inputs.some((input) => /node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//.test(input)),
      // the import() targets, named after the library build's chunks: <outdir>/cognito-chunk-<its hash>-<hash>.js
      cognito: /^dist\/esm\/chunks\/cognito-chunk-\w+\.js$/.test(output.entryPoint ?? '') && /\/cognito-chunk-[\w-]+\.js$/.test(file),
      later: /^dist\/esm\/chunks\/later-families-\w+\.js$/.test(output.entryPoint ?? '') && /\/later-families-[\w-]+\.js$/.test(file),
    });
  }
  // `authchart` came from the package's build, by its public name
  expect(Object.values(outputs).some((output) => Object.keys(output.inputs).some((input) => input.startsWith('dist/esm/')))).toBe(true);
  return { path: `/${name}/`, chunks };
}

let dir: string;
let pool: LocalPool;
let site: Server;
let siteUrl: string;
let browser: Browser;
let main: App;
let otp: App;

beforeAll(async () => {
  if (!existsSync(resolve(root, 'dist/esm/index.js'))) throw new Error('dist/ is missing: npm test builds it first (npm run build)');
  dir = mkdtempSync(join(tmpdir(), 'authchart-lean-app-'));
  pool = await startLocalPool({ port: 0, seed });
  [main, otp] = await Promise.all([
    buildApp(dir, 'main', { id: 'us-east-1_leanapp', clientId: 'leanappclient0000000000000' }, pool.url),
    buildApp(dir, 'otp', { id: 'us-east-1_leanotp', clientId: 'leanotpclient0000000000000' }, pool.url),
  ]);
  site = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': extname(file) === '.html' ? 'text/html' : 'text/javascript' }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((ok) => (site ? site.close(ok) : ok(undefined)));
  await pool?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Tab {
  readonly page: Page;
  /** URL paths of the app's chunks the page asked for, in order (blocked ones too). */
  readonly fetched: string[];
  /** URL paths of the app's chunks the page received, in order. */
  readonly loaded: string[];
  readonly errors: string[];
}

/** The app in a fresh context (its own localStorage), showing the sign-in form; `beforeLoad` runs before it opens. */
async function open(app: App, beforeLoad?: (page: Page) => Promise<void>): Promise<Tab> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const fetched: string[] = [];
  const loaded: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (app.chunks.has(path)) fetched.push(path);
  });
  page.on('requestfinished', (request) => {
    const path = new URL(request.url()).pathname;
    if (app.chunks.has(path)) loaded.push(path);
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await beforeLoad?.(page);
  await page.goto(siteUrl + app.path);
  await page.locator('input[name=password]').waitFor();
  return { page, fetched, loaded, errors };
}

const fetchedWith = (app: App, tab: Tab, kind: ChunkKind) => tab.fetched.filter((path) => app.chunks.get(path)![kind]);
const loadedWith = (app: App, tab: Tab, kind: ChunkKind) => tab.loaded.filter((path) => app.chunks.get(path)![kind]);
const see = (page: Page, selector: string) => page.locator(selector).first().waitFor({ timeout: 15_000 });
const signedInAs = (page: Page, username: string) => see(page, `section:has(button:text-is("Sign out")):has-text("${username}")`);
const alert = (page: Page) => page.getByRole('alert').textContent();

async function submit(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(fields)) await page.fill(`input[name=${name}]`, value);
  await page.click('button:text-is("OK")');
}

async function signOut(tab: Tab): Promise<void> {
  await tab.page.click('button:text-is("Sign out")');
  await see(tab.page, 'input[name=password]');
}

/** Resolves once `done()` holds; fails after 10 s. */
async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The code of the latest message to `recipient` once there are more than `before`. */
async function nextCode(recipient: string, before: number): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const messages = pool.outbox({ recipient });
    if (messages.length > before && messages.at(-1)!.code) return messages.at(-1)!.code!;
    if (Date.now() > deadline) throw new Error(`no code for ${recipient} in the outbox`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('the build holds the lazy chunks the checks look for: SRP, the QR encoder, the AWS SDK, Cognito, the later families, none in the first load', () => {
  const kinds = [...main.chunks.values()];
  for (const kind of ['srp', 'qr', 'sdk'] as const) expect(kinds.filter((chunk) => chunk[kind]).length).toBeGreaterThan(0);
  // one file each: blocking it blocks all of that code
  for (const kind of ['cognito', 'later'] as const) expect(kinds.filter((chunk) => chunk[kind])).toHaveLength(1);
  expect(main.chunks.get('/main/lean.js')).toEqual({ srp: false, qr: false, sdk: false, cognito: false, later: false });
});

it('alice: SRP sign-in (its chunk loaded at start), TOTP set-up (the QR chunk loads for it, the QR code shows), sign-out', async () => {
  const tab = await open(main);
  const { page } = tab;
  const calls = pool.requests.length;
  // SRP is the default flow: its chunk loads as the app starts, before anyone signs in
  await until('the SRP chunk', () => fetchedWith(main, tab, 'srp').length > 0);
  expect(pool.requests.length).toBe(calls);
  expect(fetchedWith(main, tab, 'qr')).toEqual([]);
  await submit(page, { username: 'alice', password: PASSWORD });
  await signedInAs(page, 'alice');
  expect(pool.requests.slice(calls).map((r) => [r.target.split('.').pop(), r.outcome])).toEqual([
    ['InitiateAuth', 'ok'],
    ['RespondToAuthChallenge', 'ok'],
  ]);
  expect(fetchedWith(main, tab, 'qr')).toEqual([]);

  await page.click('button:text-is("Add an authenticator app")');
  await see(page, 'form svg');
  expect(fetchedWith(main, tab, 'qr').length).toBeGreaterThan(0);
  // the shared secret is the form's own text (beside the fields, the QR code and the buttons)
  const secret = await page.locator('form').evaluate((form) => [...form.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent).join(''));
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await submit(page, { code: authenticatorCode(secret, Date.now()) });
  await signedInAs(page, 'alice');
  expect(pool.requests.filter((r) => r.target.endsWith('.VerifySoftwareToken')).map((r) => r.outcome)).toEqual(['ok']);

  await signOut(tab);
  expect(await alert(page)).toBe('');
  expect(fetchedWith(main, tab, 'sdk')).toEqual([]);
  expect(tab.errors).toEqual([]);
  await page.context().close();
});

it('tina: password, then the code from her authenticator app (TOTP MFA); a wrong code first shows the error', async () => {
  const tab = await open(main);
  const { page } = tab;
  await submit(page, { username: 'tina', password: PASSWORD });
  await see(page, 'input[name=code]');
  await submit(page, { code: '000000' });
  await see(page, '[role=alert]:text-is("The code is not right. Check it and try again.")');
  await submit(page, { code: authenticatorCode(TOTP_SECRET, Date.now()) });
  await signedInAs(page, 'tina');
  await signOut(tab);
  expect(fetchedWith(main, tab, 'sdk')).toEqual([]);
  expect(tab.errors).toEqual([]);
  await page.context().close();
});

it('sign-up: the form, the confirmation code from the outbox, signed in as the new user', async () => {
  const tab = await open(main);
  const { page } = tab;
  await page.click('button:text-is("Create an account")');
  await see(page, 'input[name=email]');
  const before = pool.outbox({ recipient: 'sue@example.com' }).length;
  await submit(page, { username: 'sue', password: PASSWORD, email: 'sue@example.com' });
  await see(page, 'button:text-is("Send a new code")');
  await submit(page, { code: await nextCode('sue@example.com', before) });
  await signedInAs(page, 'sue');
  await signOut(tab);
  expect(fetchedWith(main, tab, 'sdk')).toEqual([]);
  expect(tab.errors).toEqual([]);
  await page.context().close();
});

it('forgotten password: the code from the outbox and a new password sign fern in; the new password works', async () => {
  const tab = await open(main);
  const { page } = tab;
  const before = pool.outbox({ recipient: 'fern@example.com' }).length;
  await page.fill('input[name=username]', 'fern');
  await page.click('button:text-is("Forgot password?")');
  await see(page, 'input[name=newPassword]');
  await submit(page, { code: await nextCode('fern@example.com', before), newPassword: 'Fern-N3w-pass!x' });
  await signedInAs(page, 'fern');
  await signOut(tab);
  await submit(page, { username: 'fern', password: 'Fern-N3w-pass!x' });
  await signedInAs(page, 'fern');
  expect(fetchedWith(main, tab, 'sdk')).toEqual([]);
  expect(tab.errors).toEqual([]);
  await page.context().close();
});

it('olive: choice-based sign-in without a password, the e-mailed code as first factor', async () => {
  const tab = await open(otp);
  const { page } = tab;
  const before = pool.outbox({ recipient: 'olive@example.com' }).length;
  await page.fill('input[name=username]', 'olive');
  await page.click('button:text-is("OK")');
  await page.click('button:text-is("EMAIL_OTP")', { timeout: 15_000 });
  await see(page, 'input[name=code]');
  await submit(page, { code: await nextCode('olive@example.com', before) });
  await signedInAs(page, 'olive');
  expect(fetchedWith(otp, tab, 'sdk')).toEqual([]);
  expect(tab.errors).toEqual([]);
  await page.context().close();
});

// The chart's words for the errors these cases end in (src/messages.ts).
const NETWORK = 'Cannot reach the sign-in service. Check your connection and try again.';
const SIGN_OUT_INCOMPLETE = 'Signed out on this device, but the sign-in service could not be told.';
const TOKEN_KEYS = ['accessToken', 'idToken', 'refreshToken'].map((name) => `authchart.leanappclient0000000000000.${name}`);

interface Blocked {
  /** URL paths of the requests refused so far. */
  readonly refused: string[];
  unblock(): Promise<void>;
}

/** Fails the page's requests for the app's chunk of `kind` at the network, as when the connection is gone, until unblock(). */
async function block(page: Page, app: App, kind: 'cognito' | 'later'): Promise<Blocked> {
  const refused: string[] = [];
  const matches = (url: URL) => app.chunks.get(url.pathname)?.[kind] === true;
  const refuse = (route: Route) => {
    refused.push(new URL(route.request().url()).pathname);
    return route.abort('internetdisconnected');
  };
  await page.route(matches, refuse);
  return { refused, unblock: () => page.unroute(matches, refuse) };
}

const storedTokens = (page: Page) => page.evaluate((keys) => keys.filter((key) => localStorage.getItem(key) !== null), TOKEN_KEYS);
const callsSince = (from: number) => pool.requests.slice(from).map((r) => [r.target.split('.').pop(), r.outcome]);

it('otto with the Cognito chunk blocked: a sign-in shows the Network error and sends nothing; unblocked, the next one fetches it and signs in', async () => {
  let cognito!: Blocked;
  const tab = await open(main, async (page) => void (cognito = await block(page, main, 'cognito')));
  const { page } = tab;
  // createAuth asks for it as it starts
  await until('the Cognito chunk asked for', () => cognito.refused.length > 0);
  const calls = pool.requests.length;
  await submit(page, { username: 'otto', password: PASSWORD });
  await see(page, `[role=alert]:text-is("${NETWORK}")`);
  await see(page, 'input[name=password]');
  expect(callsSince(calls)).toEqual([]);
  expect(loadedWith(main, tab, 'cognito')).toEqual([]);

  await cognito.unblock();
  await submit(page, { username: 'otto', password: PASSWORD });
  await signedInAs(page, 'otto');
  expect(loadedWith(main, tab, 'cognito')).toHaveLength(1);
  expect(callsSince(calls)).toEqual([
    ['InitiateAuth', 'ok'],
    ['RespondToAuthChallenge', 'ok'],
  ]);
  expect(await alert(page)).toBe('');
  expect(tab.errors).toEqual([]);
  await page.context().close();
});

it('otto reloaded with the Cognito chunk blocked: signed in from the stored tokens; a sign-out ends the session on the device', async () => {
  const tab = await open(main);
  const { page } = tab;
  await submit(page, { username: 'otto', password: PASSWORD });
  await signedInAs(page, 'otto');
  expect(await storedTokens(page)).toEqual(TOKEN_KEYS);

  const cognito = await block(page, main, 'cognito');
  const calls = pool.requests.length;
  await page.reload();
  await signedInAs(page, 'otto');
  await until('the Cognito chunk asked for after the reload', () => cognito.refused.length > 0);
  // fresh tokens: nothing to ask Cognito
  expect(callsSince(calls)).toEqual([]);

  await signOut(tab);
  expect(await alert(page)).toBe(SIGN_OUT_INCOMPLETE);
  expect(await storedTokens(page)).toEqual([]);
  // RevokeToken could not be sent: the chunk that sends it never came
  expect(callsSince(calls)).toEqual([]);
  // the session is gone on this device: a new page load starts signed out
  await page.reload();
  await see(page, 'input[name=password]');
  expect(await page.locator('button:text-is("Sign out")').count()).toBe(0);
  expect(tab.errors).toEqual([]);
  await page.context().close();
});

/** lara signed in with the later actor families blocked, after an "Add an authenticator app" that could not load them. */
async function totpSetUpBlocked(): Promise<{ tab: Tab; later: Blocked; calls: number }> {
  let later!: Blocked;
  const tab = await open(main, async (page) => void (later = await block(page, main, 'later')));
  const { page } = tab;
  await submit(page, { username: 'lara', password: PASSWORD });
  await signedInAs(page, 'lara');
  // a password sign-in does not load them
  expect(later.refused).toEqual([]);
  const calls = pool.requests.length;
  await page.click('button:text-is("Add an authenticator app")');
  await see(page, `[role=alert]:text-is("${NETWORK}")`);
  // from the account screen the set-up fails back to it (signedIn.account.refused): trying again is the same button
  await signedInAs(page, 'lara');
  expect(later.refused.length).toBeGreaterThan(0);
  expect(callsSince(calls)).toEqual([]);
  expect(tab.errors).toEqual([]);
  return { tab, later, calls };
}

it('lara with the later actor families blocked: signed in without them; TOTP set-up shows the Network error, sends nothing, she stays signed in', async () => {
  const { tab } = await totpSetUpBlocked();
  await tab.page.context().close();
});

it('lara, later families blocked then unblocked: trying the TOTP set-up again fetches them and sets it up', async () => {
  const { tab, later, calls } = await totpSetUpBlocked();
  const { page } = tab;
  try {
    await later.unblock();
    await page.click('button:text-is("Add an authenticator app")');
    // whichever comes first: the QR code, or the same error again (without waiting out the timeout)
    await see(page, `form svg, [role=alert]:text-is("${NETWORK}")`);
    expect(await alert(page)).toBe('');
    await see(page, 'form svg');
    expect(loadedWith(main, tab, 'later')).toHaveLength(1);
    const secret = await page.locator('form').evaluate((form) => [...form.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent).join(''));
    await submit(page, { code: authenticatorCode(secret, Date.now()) });
    await signedInAs(page, 'lara');
    expect(callsSince(calls)).toEqual([
      ['AssociateSoftwareToken', 'ok'],
      ['VerifySoftwareToken', 'ok'],
    ]);
    expect(await alert(page)).toBe('');
    expect(tab.errors).toEqual([]);
  } finally {
    await page.context().close();
  }
});

it('mia: a TOTP set-up cancelled while the later families are still loading sends nothing once they arrive', async () => {
  const tab = await open(main);
  const { page } = tab;
  await submit(page, { username: 'mia', password: PASSWORD });
  await signedInAs(page, 'mia');
  // hold the chunk's request until the set-up has been left
  const held: Route[] = [];
  const matches = (url: URL) => main.chunks.get(url.pathname)?.later === true;
  await page.route(matches, (route) => void held.push(route));
  const calls = pool.requests.length;
  await page.click('button:text-is("Add an authenticator app")');
  await until('the later families asked for', () => held.length > 0);
  await page.click('button:text-is("Cancel")');
  await signedInAs(page, 'mia');
  await held[0]!.continue();
  await page.unroute(matches);
  await until('the later families loaded', () => loadedWith(main, tab, 'later').length > 0);
  // anything the left set-up sent would reach the pool before the GetUser this sends (one page, one connection order)
  await page.click('button:text-is("MFA settings")');
  await until('GetUser answered', () => callsSince(calls).length > 0);
  expect(callsSince(calls)).toEqual([['GetUser', 'ok']]);
  expect(await alert(page)).toBe('');
  expect(tab.errors).toEqual([]);
  await page.context().close();
});
