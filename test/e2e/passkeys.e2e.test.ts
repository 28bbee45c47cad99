// Passkeys in real Chromium with CDP's WebAuthn virtual authenticator, on the demo page served by a local pool:
// register a passkey when signed in, sign out, sign in with it from passkey autofill and from the passkey step's
// button, a form submitted while the autofill waits, close the prompt
// (flow.cancel aborts navigator.credentials.get), and a NotAllowedError when the device has no passkey for the site.
// The passwordless demo pool's relying party is `localhost`, so the page is opened at http://localhost:<port>.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { startLocalPool, type LocalPool } from '../../src/local-pool/index.js';
import { launchChromium } from '../support/browser.js';

const DEMO_DIR = resolve(__dirname, '../../dist/demo');
const seed = JSON.parse(readFileSync(resolve(__dirname, '../../seeds/demo.json'), 'utf8'));
const PASSWORDLESS_POOL = 'us-east-1_authchartpasswordless';
let pool: LocalPool;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  if (!existsSync(resolve(DEMO_DIR, 'index.html'))) throw new Error('dist/demo is missing: run `npm run build` (npm test does it first)');
  pool = await startLocalPool({ seed, staticDir: DEMO_DIR });
  origin = pool.url.replace('127.0.0.1', 'localhost');
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await pool?.close();
});

interface Opened {
  page: Page;
  cdp: CDPSession;
  authenticatorId: string;
  errors: string[];
}

/** The demo page on the passwordless pool, with a virtual platform authenticator that verifies the user. */
async function openDemo(): Promise<Opened> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await page.goto(origin);
  await page.getByRole('heading', { name: 'authchart' }).waitFor();
  await page.getByLabel('user pool').selectOption(PASSWORDLESS_POOL);
  await route(page, 'signIn');
  return { page, cdp, authenticatorId, errors };
}

async function route(page: Page, name: string): Promise<void> {
  await page.locator(`[data-route="${name}"]`).waitFor({ timeout: 15_000 });
}

async function signIn(page: Page, username: string, factor: string, password?: string): Promise<void> {
  // by name: Chromium's passkey autofill (autocomplete="username webauthn") changes how the field is labelled for tools
  await page.locator('[data-route="signIn"] input[name="username"]').fill(username);
  await page.locator('[data-route="signIn"] input[name="password"]').fill(password ?? '');
  await page.getByLabel('Flow').selectOption('USER_AUTH');
  await page.getByLabel('Preferred first factor').selectOption(factor);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await route(page, 'signIn');
}

async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const targets = (since: number) => pool.requests.slice(since).map((r) => r.target.split('.').pop());

it('registers a passkey when signed in, lists it; signed out, the passkey autofill signs in; then the passkey button does', async () => {
  const { page, cdp, authenticatorId, errors } = await openDemo();
  await signIn(page, 'paula', 'PASSWORD', 'Passw0rd!demo');
  await route(page, 'signedIn');

  let mark = pool.requests.length;
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.getByRole('status').filter({ hasText: 'Passkey added.' }).waitFor({ timeout: 15_000 });
  expect(targets(mark)).toEqual(['StartWebAuthnRegistration', 'CompleteWebAuthnRegistration']);
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0]!.isResidentCredential).toBe(true);

  await page.getByRole('button', { name: 'Show my passkeys' }).click();
  await page.getByTestId('passkeys').locator('li').first().waitFor();
  expect(await page.getByTestId('passkeys').locator('li').count()).toBe(1);

  // Signed out, the page starts passkey autofill for the remembered user (conditional mediation); the virtual
  // authenticator picks the offered passkey as a user would from the username field: signed in, nothing typed.
  mark = pool.requests.length;
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await route(page, 'signedIn');
  await expect(page.getByTestId('signed-in-user').textContent()).resolves.toBe('paula');
  expect(targets(mark)).toEqual(['RevokeToken', 'InitiateAuth', 'RespondToAuthChallenge']);
  const afterAutofill = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(afterAutofill.credentials[0]!.signCount).toBeGreaterThan(credentials[0]!.signCount);

  // Without a remembered user there is no autofill: the passkey step's button.
  await page.evaluate(() => window.localStorage.clear());
  await signOut(page);
  mark = pool.requests.length;
  await signIn(page, 'paula', 'WEB_AUTHN');
  await route(page, 'passkey');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await route(page, 'signedIn');
  expect(targets(mark)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
  await expect(page.getByTestId('signed-in-user').textContent()).resolves.toBe('paula');
  const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(after.credentials[0]!.signCount).toBeGreaterThan(afterAutofill.credentials[0]!.signCount);
  expect(errors).toEqual([]);
  await page.context().close();
}, 90_000);

it('typing and submitting while the autofill request waits closes it first and signs in the usual way', async () => {
  const { page, cdp, authenticatorId } = await openDemo();
  await signIn(page, 'olive', 'PASSWORD', 'Passw0rd!demo');
  await route(page, 'signedIn');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.getByRole('status').filter({ hasText: 'Passkey added.' }).waitFor({ timeout: 15_000 });
  // the user does not pick the passkey from the autofill: the request stays open
  await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
  const mark = pool.requests.length;
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await route(page, 'signIn');
  await until(() => targets(mark).length >= 2);
  expect(targets(mark)).toEqual(['RevokeToken', 'InitiateAuth']);
  await page.waitForTimeout(300); // the autofill request is open in the browser now
  // the form stays usable while the autofill waits
  await signIn(page, 'olive', 'PASSWORD', 'Passw0rd!demo');
  await route(page, 'signedIn');
  expect(targets(mark)).toEqual(['RevokeToken', 'InitiateAuth', 'InitiateAuth']);
  await page.context().close();
}, 90_000);

it('Cancel while the prompt is open aborts it (back at the passkey step); with no passkey on the device the prompt ends in a typed NotAllowedError', async () => {
  const { page, cdp, authenticatorId } = await openDemo();
  await signIn(page, 'chris', 'PASSWORD', 'Passw0rd!demo');
  await route(page, 'signedIn');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.getByRole('status').filter({ hasText: 'Passkey added.' }).waitFor({ timeout: 15_000 });
  await page.evaluate(() => window.localStorage.clear()); // no autofill here: the button's prompt is what is tested
  await signOut(page);

  // The user does not touch the authenticator: the prompt stays open until cancelled.
  await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
  await signIn(page, 'chris', 'WEB_AUTHN');
  await route(page, 'passkey');
  const mark = pool.requests.length;
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.getByText('Confirm with your passkey in the browser’s prompt…').waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByText('Your passkey prompt is ready.').waitFor();
  expect(targets(mark)).toEqual([]);
  // the page is still at the passkey step, not signed out
  await route(page, 'passkey');

  // No passkey for this site on the device: the browser refuses with NotAllowedError.
  await cdp.send('WebAuthn.clearCredentials', { authenticatorId });
  await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true });
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.getByRole('alert').filter({ hasText: 'The passkey prompt was closed or timed out' }).waitFor({ timeout: 60_000 });
  await expect(page.getByTestId('error-code').textContent()).resolves.toContain('PasskeyNotAllowed'); // the code, in the statechart panel
  await route(page, 'passkey');
  // another factor still works from here
  await page.getByRole('button', { name: 'A code by e-mail instead' }).click();
  await route(page, 'emailCode');
  await page.context().close();
}, 120_000);
