// Remembered devices on the demo page, in real Chromium against the local pool (the demo seed's devices pool, whose
// users opt in to remembering): devon's first sign-in asks for his authenticator code and makes the browser a device;
// "Remember this browser" in the account; signed out and in again, no code is asked (the browser did the device's
// SRP itself); "Forget this browser", and the code is asked again.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startLocalPool, type LocalPool } from '../../src/local-pool/index.js';
import { authenticatorCode } from '../support/authenticator.js';
import { launchChromium } from '../support/browser.js';

const DEMO_DIR = resolve(__dirname, '../../dist/demo');
const seed = JSON.parse(readFileSync(resolve(__dirname, '../../seeds/demo.json'), 'utf8'));
const POOL = 'us-east-1_authchartdevices';
const devon = seed.pools.find((p: { id: string }) => p.id === POOL).users[0] as { username: string; totpSecret: string };
let pool: LocalPool;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(resolve(DEMO_DIR, 'index.html'))) throw new Error('dist/demo is missing: run `npm run build` (npm test does it first)');
  pool = await startLocalPool({ seed, staticDir: DEMO_DIR });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await pool?.close();
});

const route = (page: Page, name: string) => page.locator(`[data-route="${name}"]`).waitFor({ timeout: 15_000 });
const requestsSince = (mark: number) => pool.requests.slice(mark).map((r) => r.target.split('.').pop());

async function signIn(page: Page): Promise<'asked for the code' | 'signed in'> {
  await page.locator('tr.user', { hasText: devon.username }).first().click();
  await page.getByRole('button', { name: 'Sign in' }).click();
  // one wait for whichever comes (a race of two waits would leave the loser to time out unhandled)
  const landed = page.locator('[data-route="totpCode"], [data-route="signedIn"]').first();
  await landed.waitFor({ timeout: 15_000 });
  if ((await landed.getAttribute('data-route')) === 'signedIn') return 'signed in';
  await page.getByLabel('Code').fill(authenticatorCode(devon.totpSecret, Date.now()));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await route(page, 'signedIn');
  return 'asked for the code';
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await route(page, 'signIn');
}

it('devon: remember this browser, sign in again without the code; forget it, and the code is asked again', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(pool.url);
  await page.getByLabel('User pool').selectOption(POOL);
  await route(page, 'signIn');

  expect(await signIn(page)).toBe('asked for the code');
  const devices = page.getByRole('group', { name: 'devices' });
  await expect(devices.getByTestId('device-status').textContent()).resolves.toContain('not remembered');
  await devices.getByRole('button', { name: 'Remember this browser' }).click();
  await expect(page.getByRole('status').textContent()).resolves.toBe('This browser is remembered now.');
  await devices.getByRole('button', { name: 'Show my devices' }).click();
  await expect(devices.getByTestId('devices').textContent()).resolves.toMatch(/\(this browser\) remembered/); // not "not remembered"
  await signOut(page);

  // the TOTP window of the first code may still be open: a code is not asked at all this time
  const mark = pool.requests.length;
  expect(await signIn(page)).toBe('signed in');
  expect(requestsSince(mark).filter((t) => t === 'RespondToAuthChallenge')).toHaveLength(3); // PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER

  await devices.getByRole('button', { name: 'Forget this browser' }).click();
  await expect(page.getByRole('status').textContent()).resolves.toBe('This browser is forgotten.');
  await signOut(page);
  // a new 30-second window, so the code of the first sign-in is not refused as used
  await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() % 30_000)) + 200));
  expect(await signIn(page)).toBe('asked for the code');
  expect(errors).toEqual([]);
  await context.close();
}, 90_000);
