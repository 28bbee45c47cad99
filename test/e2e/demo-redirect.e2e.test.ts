// The demo page's "Continue with …" buttons in real Chromium, on the page `authchart pool --demo` serves
// (the built CLI in a child process, on a free port, the packaged demo seed): the CLI registers the
// page's callback on the port it listens on and runs the stand-in Google on a free port, pointing the
// pool's Google provider at it. "Continue with the hosted UI" signs alice in on the pool's hosted page;
// "Continue with Google (stand-in)" signs gwen in at the stand-in (oidc-provider). Both end signed in on
// the demo page, and sign-out returns there through the hosted UI's /logout.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';

const ROOT = resolve(__dirname, '../..');
const CLI = resolve(ROOT, 'dist/cli/authchart.js');
let cli: ChildProcess;
let output = '';
let demo: string;
let standIn: string;
let browser: Browser;

async function printed(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(output);
    if (match) return match;
    if (cli.exitCode !== null || Date.now() > deadline) throw new Error(`authchart pool never printed ${pattern}:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  if (!existsSync(CLI) || !existsSync(resolve(ROOT, 'dist/demo/index.html'))) throw new Error('dist is missing: run `npm run build` (npm test does it first)');
  cli = spawn(process.execPath, [CLI, 'pool', '--demo', '--port', '0', '--data', ':memory:'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  cli.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  cli.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  [, demo] = (await printed(/demo page\s+(http:\/\/127\.0\.0\.1:\d+)\//)) as [string, string];
  [, standIn] = (await printed(/stand-in\s+Google at (http:\/\/127\.0\.0\.1:\d+)/)) as [string, string];
  await printed(/\[pool\] ready/);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  if (cli && cli.exitCode === null) {
    const exited = new Promise((done) => cli.once('exit', done));
    cli.kill('SIGTERM');
    await exited;
  }
});

async function route(page: Page, name: string): Promise<void> {
  await page.locator(`[data-route="${name}"]`).waitFor({ timeout: 20_000 });
}

it('the CLI on a free port registered the page there and moved the stand-in off 9230', () => {
  expect(new URL(demo).port).not.toBe('9229');
  expect(new URL(standIn).port).not.toBe('9230');
  expect(output).toContain(`registering the demo page's callback at ${demo}/ … done, authchart-demo-web`);
});

it('"Continue with the hosted UI", then "Continue with Google (stand-in)": each ends signed in on the demo page', async () => {
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // the authorization codes the browser is sent back with, to look for in the CLI's log after
  const codes: string[] = [];
  page.on('framenavigated', (frame) => {
    const code = new URL(frame.url()).searchParams.get('code');
    if (code) codes.push(code);
  });
  await page.goto(`${demo}/`);
  await route(page, 'signIn');

  await Promise.all([
    page.waitForURL((url) => url.origin === demo && url.pathname === '/_domain/authchart-demo/login'),
    page.getByRole('button', { name: 'Continue with the hosted UI' }).click(),
  ]);
  await page.fill('input[name="username"]', 'alice');
  await page.fill('input[name="password"]', 'Passw0rd!demo');
  await Promise.all([page.waitForURL((url) => url.origin === demo && url.pathname === '/'), page.click('button[type="submit"]')]);
  await route(page, 'signedIn');
  expect(await page.getByTestId('signed-in-user').textContent()).toBe('alice');
  expect(page.url()).not.toContain('code=');

  // Sign-out ends the hosted-UI session at /logout, which sends the browser back to the page.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await route(page, 'signIn');
  expect(new URL(page.url()).origin).toBe(demo);

  await Promise.all([
    page.waitForURL((url) => url.origin === standIn),
    page.getByRole('button', { name: 'Continue with Google (stand-in)' }).click(),
  ]);
  await page.fill('#username', 'gwen');
  await page.fill('#password', 'gwen-google');
  await Promise.all([page.waitForURL((url) => url.origin === demo && url.pathname === '/'), page.click('form[action$="/login"] button[type="submit"]')]);
  await route(page, 'signedIn');
  expect(await page.getByTestId('signed-in-user').textContent()).toBe('Google_104000000000000000001');
  expect(errors).toEqual([]);

  // what the CLI printed while the pool served (its request lines; the summary before lists the demo's public
  // passwords) carries no password, authorization code or token
  const served = output.slice(output.indexOf('[pool] ready'));
  expect(served).toMatch(/\[pool\] \w+ -> ok/);
  expect(codes).toHaveLength(2);
  for (const secret of ['Passw0rd!demo', 'gwen-google', ...codes]) expect(served).not.toContain(secret);
  expect(output).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+/);
  await page.context().close();
}, 90_000);
