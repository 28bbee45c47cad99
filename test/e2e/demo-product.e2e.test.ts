// The demo page as a product, in real Chromium: every screen the seeded users reach has no serious or
// critical axe-core violation, labelled fields and no sideways scroll (at 1280 px, and the main ones at
// 390 px); sign-in works with the keyboard alone; the TOTP helper shows what an authenticator app
// would (checked with otpauth, not the pool); the account's two-step settings and an enrolment's
// confirmation; "Reset demo data". The screens between steps at both widths: failed, sessionExpired (the page's clock
// run past the challenge session), signingOut (its RevokeToken held), the passkey step (a CDP virtual authenticator,
// at http://localhost, the passwordless pool's relying party) and the account's Devices. `UPDATE_SCREENSHOT=1` also
// writes the README's docs/demo*.png.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { authenticatorCode } from '../support/authenticator.js';
import { horizontalOverflow, seriousAxeViolations, unlabelledFields } from '../support/accessibility-checks.js';
import { launchChromium } from '../support/browser.js';
import { startLocalPool, type LocalPool } from '../../src/local-pool/index.js';

const DEMO_DIR = resolve(__dirname, '../../dist/demo');
const seed = JSON.parse(readFileSync(resolve(__dirname, '../../seeds/demo.json'), 'utf8'));
const TINA_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const MAX_SECRET = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
const DEVON_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
let pool: LocalPool;
let browser: Browser;
/** Uncaught errors of each page (checked with every screen). */
const pageErrors = new WeakMap<Page, string[]>();
/** The screens checked, for the report at the end. */
const checked: string[] = [];

jest.setTimeout(90_000); // several sign-ins and axe runs per test, on a loaded machine

beforeAll(async () => {
  if (!existsSync(resolve(DEMO_DIR, 'index.html'))) throw new Error('dist/demo is missing: run `npm run build` (npm test does it first)');
  pool = await startLocalPool({ seed, staticDir: DEMO_DIR, resetSeed: seed, functions: resolve(__dirname, '../../seeds', seed.functions) });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await pool?.close();
  if (checked.length > 0) process.stdout.write(`axe-checked screens:\n  ${checked.join('\n  ')}\n`);
});

async function openDemo(viewport = DESKTOP, poolId?: string, prepare?: (page: Page) => Promise<void>, origin = pool.url): Promise<Page> {
  const context = await browser.newContext({ viewport }); // fresh sessionStorage each time
  const page = await context.newPage();
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(error.message));
  await prepare?.(page);
  await page.goto(origin);
  await route(page, 'signIn');
  if (poolId) {
    await page.getByLabel('User pool').selectOption(poolId);
    await route(page, 'signIn');
  }
  return page;
}

async function route(page: Page, name: string): Promise<void> {
  await page.locator(`[data-route="${name}"][aria-busy="false"]`).waitFor({ timeout: 15_000 });
}

async function signIn(page: Page, username: string, flow?: string): Promise<void> {
  await page.getByRole('button', { name: `Fill in ${username}`, exact: true }).click();
  if (flow) await page.getByLabel('Sign-in flow').selectOption(flow);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The screen as it is now: no serious or critical axe finding, every field labelled, nothing to scroll sideways. */
async function check(page: Page, screen: string): Promise<void> {
  const width = page.viewportSize()!.width;
  const name = `${screen} (${width} px)`;
  checked.push(name);
  expect({ name, axe: await seriousAxeViolations(page), unlabelled: await unlabelledFields(page), overflow: await horizontalOverflow(page), errors: pageErrors.get(page) }).toEqual({
    name,
    axe: [],
    unlabelled: [],
    overflow: 0,
    errors: [],
  });
}

/** check() at desktop and at phone width, back at desktop width after. */
async function checkBothWidths(page: Page, screen: string): Promise<void> {
  await check(page, screen);
  await page.setViewportSize(PHONE);
  await check(page, screen);
  await page.setViewportSize(DESKTOP);
}

/**
 * Holds the pool's next request of `operation` (e.g. RevokeToken) until the returned release() is called, so the
 * screen shown while it runs stays on screen; `held` settles when the request is there.
 */
async function holdNext(page: Page, operation: string): Promise<{ held: Promise<void>; release: () => void }> {
  let release = () => {};
  let arrived = () => {};
  const held = new Promise<void>((resolveHeld) => (arrived = resolveHeld));
  const released = new Promise<void>((resolveReleased) => (release = resolveReleased));
  const matches = (url: URL) => url.origin === new URL(pool.url).origin && url.pathname === '/';
  let taken = false;
  await page.route(matches, async (request: Route) => {
    if (taken || !request.request().headers()['x-amz-target']?.endsWith(`.${operation}`)) return request.fallback();
    taken = true;
    arrived();
    await released;
    await request.continue();
  });
  return { held, release };
}

/**
 * The helper shows the code an authenticator app with `secret` shows now. It refreshes every second, so it may lag
 * a turn of the 30-second step for a moment: read again until it matches the current step's code (a helper a step
 * behind or ahead never does), for at most 10 s.
 */
async function expectHelperCode(page: Page, secret: string): Promise<string> {
  const helper = page.getByTestId('totp-helper-code');
  await helper.waitFor();
  const deadline = Date.now() + 10_000;
  for (;;) {
    const shown = (await helper.textContent())!;
    const expected = authenticatorCode(secret, Date.now());
    if (shown === expected || Date.now() > deadline) {
      expect(shown).toBe(expected);
      return shown;
    }
    await page.waitForTimeout(250);
  }
}

it('signed out: the sign-in form and its error, forgot password, sign-up and its error, the whole chart', async () => {
  const page = await openDemo();
  await check(page, 'sign in');
  await expect(page.evaluate(() => document.querySelector('link[rel="icon"]')?.getAttribute('href'))).resolves.toMatch(/^data:image\/svg\+xml,/);

  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password', { exact: true }).fill('not-her-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const error = page.getByRole('alert');
  await expect(error.textContent()).resolves.toBe('Incorrect username or password.');
  // the error describes both fields it is about
  for (const field of ['Username', 'Password']) {
    const input = page.getByLabel(field, { exact: true });
    await expect(input.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(input.getAttribute('aria-describedby')).resolves.toBe(await error.getAttribute('id'));
  }
  await check(page, 'sign in, wrong password');

  await page.getByRole('button', { name: 'Forgot password?' }).click();
  await page.getByRole('button', { name: 'Send a reset code' }).waitFor();
  await check(page, 'forgot password');
  await page.getByRole('button', { name: 'Back to sign-in' }).click();

  await page.getByRole('button', { name: 'Create an account' }).click();
  await route(page, 'signUp');
  const rules = page.getByTestId('password-rules');
  await expect(rules.textContent()).resolves.toBe('At least 8 characters, with an upper-case letter, a lower-case letter, a number and a symbol.');
  await expect(page.getByLabel('Password', { exact: true }).getAttribute('aria-describedby')).resolves.toBe(await rules.getAttribute('id'));
  await check(page, 'sign up');
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password', { exact: true }).fill('Another-Passw0rd!');
  await page.getByLabel('E-mail').fill('alice2@example.com');
  await page.getByLabel('Name', { exact: true }).fill('Alice Again');
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
  await page.locator('#signup-username-error').waitFor();
  await expect(page.getByLabel('Username').getAttribute('aria-describedby')).resolves.toBe('signup-username-error');
  await check(page, 'sign up, username taken');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await route(page, 'signIn');

  await page.getByText('Show the whole chart').click();
  await page.locator('.chart svg').waitFor();
  await check(page, 'sign in, the whole chart open');
  await page.context().close();
});

it('the sign-in steps of the demo pool: confirm sign-up, reset password, new password, SMS and e-mail codes, MFA choice, TOTP', async () => {
  const steps: Array<[user: string, flow: string | undefined, step: string, title: string]> = [
    ['uma', undefined, 'confirmSignUp', 'Confirm your account'],
    ['rita', undefined, 'resetPassword', 'Reset your password'],
    ['nina', 'USER_PASSWORD_AUTH', 'newPassword', 'Choose a new password'],
    ['sam', undefined, 'smsCode', 'Enter the code we texted you'],
    ['emma', undefined, 'emailCode', 'Enter the code we e-mailed you'],
  ];
  for (const [user, flow, step, title] of steps) {
    const page = await openDemo();
    await signIn(page, user, flow);
    await route(page, step);
    await expect(page.getByRole('heading', { level: 2, name: title }).isVisible()).resolves.toBe(true);
    await check(page, `${step} (${user})`);
    await page.context().close();
  }

  const page = await openDemo();
  await signIn(page, 'max');
  await route(page, 'mfaSelection');
  await check(page, 'mfaSelection (max)');
  await page.getByRole('button', { name: /^Authenticator app/ }).click();
  await route(page, 'totpCode');
  // focus went to the new step's heading
  await page.waitForFunction(() => document.activeElement?.id === 'step-title');
  await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Enter the code from your authenticator app');
  await expectHelperCode(page, MAX_SECRET);
  // the statechart: the phase the chart is in expanded down to the current state, with the transitions of each; the rest one line each
  const expanded = await page.locator('.phases .active-state').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state')));
  expect(expanded).toEqual(['auth.signingIn', 'auth.signingIn.mfa', 'auth.signingIn.mfa.totpCode']);
  const codeSubmit = page.getByRole('list', { name: 'transitions of mfa' }).getByRole('listitem').first();
  await expect(codeSubmit.textContent()).resolves.toBe('code.submit if isCodeForStep →  goes to signingIn.answering'); // the arrow is for eyes, "goes to" for screen readers
  await expect(page.getByRole('list', { name: 'states of mfa' }).locator('[aria-current="step"]').textContent()).resolves.toBe('totpCode');
  const collapsed = await page.locator('.phases > details.phase > summary').evaluateAll((nodes) => nodes.map((n) => n.firstChild?.textContent));
  expect(collapsed).toEqual(expect.arrayContaining(['checkingSession', 'signedOut', 'signingUp', 'resettingPassword', 'signedIn', 'signingOut', 'failed']));
  expect(collapsed).not.toContain('signingIn');
  expect(await page.locator('details.phase[open], details.whole-chart[open]').count()).toBe(0);
  await check(page, 'totpCode with the TOTP helper (max)');
  await page.context().close();
});

it('the MFA-required pool: the set-up choice, e-mail set-up, authenticator set-up with the helper (otto)', async () => {
  let page = await openDemo(DESKTOP, 'us-east-1_authchartmfa');
  await signIn(page, 'otto');
  await route(page, 'mfaSetupSelection');
  await check(page, 'mfaSetupSelection (otto)');
  await page.getByRole('button', { name: /^E-mail/ }).click();
  await route(page, 'emailMfaSetup');
  await check(page, 'emailMfaSetup (otto)');
  await page.context().close();

  page = await openDemo(DESKTOP, 'us-east-1_authchartmfa');
  await signIn(page, 'otto');
  await route(page, 'mfaSetupSelection');
  await page.getByRole('button', { name: /^Authenticator app/ }).click();
  await route(page, 'totpSetup');
  await page.getByTestId('totp-secret').waitFor();
  await expectHelperCode(page, (await page.getByTestId('totp-secret').textContent())!);
  await check(page, 'totpSetup at sign-in (otto)');
  await page.context().close();
});

it('the passwordless pool: the choice of first factor and the password (chris); the question pool: the security question (quentin)', async () => {
  let page = await openDemo(DESKTOP, 'us-east-1_authchartpasswordless');
  await page.getByLabel('Username').fill('chris'); // no password: it would be kept for the choice and used at once
  await page.getByLabel('Sign-in flow').selectOption('USER_AUTH');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await route(page, 'firstFactorSelection');
  await check(page, 'firstFactorSelection (chris)');
  await page.getByRole('button', { name: 'Password', exact: true }).click();
  await route(page, 'password');
  await check(page, 'password (chris)');
  await page.context().close();

  page = await openDemo(DESKTOP, 'us-east-1_authchartquestion');
  await signIn(page, 'quentin', 'CUSTOM_WITHOUT_SRP');
  await route(page, 'customChallenge');
  await expect(page.getByLabel('What was the name of your first pet?').isVisible()).resolves.toBe(true);
  await check(page, 'customChallenge (quentin)');
  await page.context().close();
});

it('the account (alice): two-step settings, an authenticator added with the helper and confirmed, then preferred; the next sign-in asks for it', async () => {
  const page = await openDemo();
  await signIn(page, 'alice');
  await route(page, 'signedIn');
  await check(page, 'signedIn, the account');
  await page.getByRole('button', { name: 'Show my two-step verification' }).click();
  await expect(page.getByTestId('mfa-summary').textContent()).resolves.toBe('Off: signing in needs only your password.');
  await check(page, 'signedIn, two-step verification settings');

  await page.getByTestId('mfa-settings').getByRole('button', { name: 'Add an authenticator app' }).click();
  await route(page, 'totpSetup');
  await page.getByTestId('totp-secret').waitFor();
  const secret = (await page.getByTestId('totp-secret').textContent())!;
  await check(page, 'totpSetup from the account');
  await expectHelperCode(page, secret);
  await page.getByRole('button', { name: 'Fill in', exact: true }).click();
  await page.getByRole('button', { name: 'Confirm' }).click();
  await route(page, 'signedIn');
  // verifying the app does not turn TOTP MFA on (as in Cognito): the notice says what is left to do
  await expect(page.getByTestId('enrolment-notice').textContent()).resolves.toContain('Your authenticator app is added. Turn it on under Two-step verification');
  await check(page, 'signedIn after an enrolment');

  await page.getByRole('checkbox', { name: 'Authenticator app' }).check();
  await page.getByRole('radio', { name: 'Authenticator app' }).check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Your two-step verification settings are saved.' }).waitFor();
  await expect(page.getByTestId('mfa-summary').textContent()).resolves.toBe('On: Authenticator app; sign-in asks for authenticator app first.');

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await route(page, 'signIn');
  await signIn(page, 'alice');
  await route(page, 'totpCode'); // the pool kept the preference
  await page.context().close();
});

it('the screens between steps, at both widths: failed, sessionExpired, the account\'s Devices and signingOut, its RevokeToken held (devon)', async () => {
  // a flow the passwordless pool's client does not allow: a configuration error, which ends in "failed"
  let page = await openDemo(DESKTOP, 'us-east-1_authchartpasswordless');
  await signIn(page, 'chris', 'USER_PASSWORD_AUTH');
  await route(page, 'failed');
  await expect(page.getByRole('alert').textContent()).resolves.toBe('This sign-in method is not enabled for the app.');
  await checkBothWidths(page, 'failed (a flow the client does not allow)');
  await page.getByRole('button', { name: 'Start again' }).click();
  await route(page, 'signIn');
  await page.context().close();

  // the challenge session (AuthSessionValidity, 3 minutes in the demo seed) runs out on the page's clock
  page = await openDemo(DESKTOP, undefined, (p) => p.clock.install());
  await signIn(page, 'sam');
  await route(page, 'smsCode');
  await page.clock.fastForward('03:05');
  await route(page, 'sessionExpired');
  await checkBothWidths(page, 'sessionExpired (sam, the SMS code not entered in time)');
  await page.context().close();

  // the account's Devices part, before and after "Show my devices"
  page = await openDemo(DESKTOP, 'us-east-1_authchartdevices');
  await signIn(page, 'devon');
  await route(page, 'totpCode');
  await page.getByLabel('Code from your authenticator app').fill(authenticatorCode(DEVON_SECRET, Date.now()));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await route(page, 'signedIn');
  const devices = page.getByRole('group', { name: 'devices' });
  await devices.getByTestId('device-status').waitFor();
  await checkBothWidths(page, 'signedIn, Devices (devon)');
  await devices.getByRole('button', { name: 'Show my devices' }).click();
  await devices.getByTestId('devices').locator('li').first().waitFor();
  await checkBothWidths(page, 'signedIn, Devices listed (devon)');

  // signing out (devon), held while the pool revokes the refresh token (alice has TOTP since the account test)
  const revoke = await holdNext(page, 'RevokeToken');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await revoke.held;
  await page.locator('[data-route="signingOut"]').waitFor();
  await checkBothWidths(page, 'signingOut (devon)');
  revoke.release();
  await route(page, 'signIn');
  await page.context().close();
});

it('the passkey step at both widths (paula, on the passwordless pool at http://localhost: its relying party)', async () => {
  const page = await openDemo(
    DESKTOP,
    'us-east-1_authchartpasswordless',
    async (p) => {
      const cdp = await p.context().newCDPSession(p);
      await cdp.send('WebAuthn.enable');
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
      });
    },
    pool.url.replace('127.0.0.1', 'localhost'),
  );
  await signIn(page, 'paula');
  await route(page, 'signedIn');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.getByRole('status').filter({ hasText: 'Passkey added.' }).waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Show my passkeys' }).click();
  await page.getByTestId('passkeys').locator('li').first().waitFor();
  await checkBothWidths(page, 'signedIn, a passkey added (paula)');
  await page.evaluate(() => window.localStorage.clear()); // no passkey autofill at the next sign-in: the step itself
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await route(page, 'signIn');
  await page.locator('[data-route="signIn"] input[name="username"]').fill('paula');
  await page.locator('[data-route="signIn"] input[name="password"]').fill('');
  await page.getByLabel('Sign-in flow').selectOption('USER_AUTH');
  await page.getByLabel('Preferred first factor').selectOption('WEB_AUTHN');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await route(page, 'passkey');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
  await checkBothWidths(page, 'passkey (paula)');
  await page.context().close();
});

it('keyboard only: tina signs in with Tab, typing and Enter, through her TOTP code', async () => {
  const page = await openDemo();
  const focused = () => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? document.activeElement?.tagName);
  for (let presses = 0; (await focused()) !== 'username'; presses++) {
    if (presses > 10) throw new Error('Tab never reached the username field');
    await page.keyboard.press('Tab');
  }
  await page.keyboard.type('tina');
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('password');
  await page.keyboard.type('Passw0rd!demo');
  await page.keyboard.press('Enter');
  await route(page, 'totpCode');
  await page.waitForFunction(() => document.activeElement?.id === 'step-title');
  await page.keyboard.press('Tab'); // from the step's heading to its field
  expect(await focused()).toBe('code');
  await page.keyboard.type(authenticatorCode(TINA_SECRET, Date.now()));
  await page.keyboard.press('Enter');
  await route(page, 'signedIn');
  await expect(page.getByTestId('signed-in-user').textContent()).resolves.toBe('tina');
  await page.context().close();
});

it('at phone width (390 px): sign-in, a code step with the helper, the account, the whole chart fit the screen', async () => {
  let page = await openDemo(PHONE);
  await check(page, 'sign in');
  await page.getByText('Show the whole chart').click();
  await page.locator('.chart svg').waitFor();
  await check(page, 'sign in, the whole chart open'); // the chart scrolls in its own box
  await signIn(page, 'max');
  await route(page, 'mfaSelection');
  await check(page, 'mfaSelection (max)');
  await page.getByRole('button', { name: /^Authenticator app/ }).click();
  await route(page, 'totpCode');
  await expectHelperCode(page, MAX_SECRET);
  await check(page, 'totpCode with the TOTP helper (max)');
  await page.context().close();

  page = await openDemo(PHONE);
  await signIn(page, 'emma');
  await route(page, 'emailCode');
  await page.getByLabel('Code from the e-mail').fill(pool.outbox({ username: 'emma' }).at(-1)!.code!);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await route(page, 'signedIn');
  await page.getByRole('button', { name: 'Show my two-step verification' }).click();
  await page.getByTestId('mfa-settings').waitFor();
  await check(page, 'signedIn, two-step verification settings');
  await page.context().close();
});

it('reset demo data: asks first, then the seed\'s users are back (alice signs in without her new authenticator) and the page starts over', async () => {
  const page = await openDemo();
  await signIn(page, 'alice');
  await route(page, 'totpCode'); // the authenticator the account test added
  await page.getByRole('button', { name: 'Reset demo data…' }).click();
  await check(page, 'reset demo data, asking');
  await page.getByRole('button', { name: 'Keep my changes' }).click();
  await page.getByRole('button', { name: 'Reset demo data…' }).click();
  await page.getByRole('button', { name: 'Reset demo data', exact: true }).click();
  await page.getByTestId('reset-notice').waitFor({ timeout: 15_000 }); // after the reload
  await route(page, 'signIn'); // the sign-in in progress is gone with the rest
  await expect(page.getByTestId('reset-notice').textContent()).resolves.toContain('demo users are back');
  expect(pool.outbox({ userPoolId: 'us-east-1_authchart' })).toEqual([]);
  await signIn(page, 'alice');
  await route(page, 'signedIn');
  await page.context().close();
});

// `UPDATE_SCREENSHOT=1 npx jest test/e2e/demo-product` rewrites the README's screenshots.
(process.env['UPDATE_SCREENSHOT'] ? it : it.skip)('screenshots for the README', async () => {
  for (const [viewport, file] of [
    [{ width: 1440, height: 900 }, 'demo.png'],
    [{ width: 390, height: 844 }, 'demo-phone.png'],
  ] as const) {
    const page = await openDemo(viewport);
    await signIn(page, 'max');
    await route(page, 'mfaSelection');
    await page.getByRole('button', { name: /^Authenticator app/ }).click();
    await route(page, 'totpCode');
    await page.getByTestId('totp-helper-code').waitFor();
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    await page.screenshot({ path: resolve(__dirname, '../../docs', file) });
    await page.context().close();
  }
});
