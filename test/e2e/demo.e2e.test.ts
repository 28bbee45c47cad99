// The demo page in real Chromium, served by a local pool started here: the main flows end to end,
// with the browser doing SRP (pure BigInt) and the SDK calls, and the resumable sign-in across a reload.
// Sign-up and the forgotten password need the pool's SignUp / ConfirmSignUp / ForgotPassword / ConfirmForgotPassword.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { authenticatorCode } from '../support/authenticator.js';
import { startLocalPool, type LocalPool } from '../../src/local-pool/index.js';
import { launchChromium } from '../support/browser.js';

const DEMO_DIR = resolve(__dirname, '../../dist/demo');
const seed = JSON.parse(readFileSync(resolve(__dirname, '../../seeds/demo.json'), 'utf8'));
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

async function openDemo(): Promise<Page> {
  const context = await browser.newContext(); // fresh sessionStorage per test
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(pool.url);
  await page.getByRole('heading', { name: 'authchart' }).waitFor();
  await route(page, 'signIn');
  expect(errors).toEqual([]);
  return page;
}

/** Waits until the sign-in panel shows `name` (the view's route). */
async function route(page: Page, name: string): Promise<void> {
  await page.locator(`[data-route="${name}"]`).waitFor({ timeout: 15_000 });
}

async function signIn(page: Page, username: string, flow?: string): Promise<void> {
  await page.locator('tr.user', { hasText: username }).first().click(); // fills the form from the demo users
  if (flow) await page.getByLabel('Flow').selectOption(flow);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const latestCode = (username: string) => pool.outbox({ username }).at(-1)?.code ?? '';

/** The code of the next message the pool "sends" to `recipient` after `after` messages to it. */
async function nextCode(recipient: string, after: number): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const messages = pool.outbox({ recipient });
    if (messages.length > after && messages.at(-1)!.code) return messages.at(-1)!.code!;
    if (Date.now() > deadline) throw new Error(`no code for ${recipient} in the outbox`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('alice signs in with SRP computed in the browser; the chart highlights signedIn; she signs out', async () => {
  const page = await openDemo();
  await signIn(page, 'alice');
  await route(page, 'signedIn');
  await expect(page.getByTestId('signed-in-user').textContent()).resolves.toBe('alice');
  await expect(page.getByTestId('state-value').textContent()).resolves.toContain('auth.signedIn.tokens.active');
  expect(await page.locator('.chart [id="auth.signedIn"].active').count()).toBe(1);
  const targets = pool.requests.slice(-2).map((r) => r.target.split('.').pop());
  expect(targets).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await route(page, 'signIn');
  await page.context().close();
});

it('a wrong password shows the typed error and keeps the form', async () => {
  const page = await openDemo();
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password', { exact: true }).fill('not-her-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').textContent()).resolves.toContain('Incorrect username or password.');
  await route(page, 'signIn');
  await page.context().close();
});

it('nina: NEW_PASSWORD_REQUIRED with the missing required attribute', async () => {
  const page = await openDemo();
  await signIn(page, 'nina', 'USER_PASSWORD_AUTH');
  await route(page, 'newPassword');
  await expect(page.getByRole('heading', { name: 'Choose a new password' }).isVisible()).resolves.toBe(true);
  await expect(page.getByTestId('sign-in-step').textContent()).resolves.toBe('CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED'); // in the statechart panel
  await expect(page.getByTestId('password-rules').textContent()).resolves.toBe('At least 8 characters, with an upper-case letter, a lower-case letter, a number and a symbol.');
  await page.getByLabel('New password').fill('Br4nd-new!pass');
  await page.getByLabel('name').fill('Nina N');
  await page.getByRole('button', { name: 'Set password' }).click();
  await route(page, 'signedIn');
  await page.context().close();
});

it('sam: SMS MFA with the code from the outbox panel', async () => {
  const page = await openDemo();
  await signIn(page, 'sam');
  await route(page, 'smsCode');
  const code = latestCode('sam');
  await expect(page.getByTestId('outbox-code').first().textContent()).resolves.toBe(code);
  await page.getByLabel('Code').fill(code);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await route(page, 'signedIn');
  await page.context().close();
});

it('resumable: emma reloads on the code step, then enters the code and is signed in', async () => {
  const page = await openDemo();
  await signIn(page, 'emma');
  await route(page, 'emailCode');
  const requestsBefore = pool.requests.length;
  await page.reload();
  await route(page, 'emailCode');
  expect(pool.requests.length).toBe(requestsBefore); // resuming made no Cognito call
  expect(await page.getByText('Send a new code').count()).toBe(0); // the password did not survive the reload
  await page.getByLabel('Code').fill(latestCode('emma'));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await route(page, 'signedIn');
  const storage = await page.evaluate(() => JSON.stringify(window.sessionStorage));
  expect(storage).not.toContain('Passw0rd!demo');
  await page.context().close();
});

it('otto (MFA required): picks TOTP, adds the secret shown on the page, and is signed in', async () => {
  const page = await openDemo();
  await page.getByLabel('user pool').selectOption('us-east-1_authchartmfa');
  await route(page, 'signIn');
  await signIn(page, 'otto');
  await route(page, 'mfaSetupSelection');
  await page.getByRole('button', { name: 'Authenticator app' }).click();
  await route(page, 'totpSetup');
  await page.getByTestId('totp-secret').waitFor();
  const secret = (await page.getByTestId('totp-secret').textContent())!;
  expect(await page.locator('.qr svg').count()).toBe(1);
  const code = authenticatorCode(secret, Date.now());
  await page.getByLabel('Code from your authenticator app').fill(code);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await route(page, 'signedIn');
  await page.context().close();
});

it('alice: the account section shows her attributes from GetUser, adds and removes one (not the required name); deleting asks first', async () => {
  const page = await openDemo();
  await signIn(page, 'alice');
  await route(page, 'signedIn');
  const account = page.getByRole('region', { name: 'account' });
  await account.getByRole('button', { name: 'Show my attributes' }).click();
  await expect(page.getByTestId('user-attributes').textContent()).resolves.toContain('alice@example.com');
  expect(pool.requests.at(-1)!.target).toMatch(/GetUser$/);
  // An attribute added, then removed (DeleteUserAttributes); the required name cannot go.
  const table = page.getByTestId('user-attributes');
  await account.locator('select[name=attributeName]').selectOption('nickname');
  await account.getByLabel('New value').fill('ally');
  await account.getByRole('button', { name: 'Update', exact: true }).click();
  await table.getByRole('row', { name: /nickname/ }).waitFor();
  await account.getByRole('button', { name: 'Remove nickname' }).click();
  await expect(account.getByRole('status').textContent()).resolves.toBe('Your nickname is removed.');
  expect(await table.getByRole('row', { name: /nickname/ }).count()).toBe(0);
  expect(pool.requests.at(-1)!.target).toMatch(/DeleteUserAttributes$/);
  await account.getByRole('button', { name: 'Remove name' }).click();
  await expect(account.locator('#update-error').textContent()).resolves.toBe('A required detail cannot be removed or left empty.');
  expect(await table.getByRole('row', { name: /^name/ }).count()).toBe(1);
  await page.reload();
  await route(page, 'signedIn');
  await page.getByRole('region', { name: 'account' }).getByRole('button', { name: 'Show my attributes' }).click();
  await expect(page.getByTestId('user-attributes').textContent()).resolves.not.toContain('ally');
  await account.getByRole('button', { name: 'Delete my account…' }).click();
  await account.getByRole('button', { name: 'Keep my account' }).click(); // nothing was sent
  expect(pool.requests.at(-1)!.target).toMatch(/GetUser$/);
  await account.getByRole('button', { name: 'Delete my account…' }).waitFor();
  await page.context().close();
});

it('sign-up: the password policy error shows at the password field; the code from the outbox confirms; signed in', async () => {
  const page = await openDemo();
  await page.getByRole('button', { name: 'Create an account' }).click();
  await route(page, 'signUp');
  await page.getByLabel('Username').fill('sue');
  await page.getByLabel('Password', { exact: true }).fill('weak');
  await page.getByLabel('E-mail').fill('sue@example.com');
  await page.getByLabel('Name', { exact: true }).fill('Sue Signup');
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
  await page.locator('#signup-password-error').waitFor({ timeout: 10_000 });
  await expect(page.locator('#signup-password-error').textContent()).resolves.toContain('The password does not meet the requirements.');
  await expect(page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
  const before = pool.outbox({ recipient: 'sue@example.com' }).length;
  await page.getByLabel('Password', { exact: true }).fill('Sue-Passw0rd!x');
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
  await route(page, 'confirmSignUp');
  const code = await nextCode('sue@example.com', before);
  await page.getByLabel('Confirmation code').fill(code);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await route(page, 'signedIn'); // signed in with the password the runtime kept
  await expect(page.getByTestId('signed-in-user').textContent()).resolves.toBe('sue');
  await page.context().close();
});

it('forgot password: the code from the outbox and a new password; signed in with it', async () => {
  pool.seed({
    pools: [{ id: 'us-east-1_authchart', name: 'authchart-demo', users: [{ username: 'fern', password: 'Passw0rd!demo', attributes: { email: 'fern@example.com', email_verified: 'true', name: 'Fern F' } }] }],
  });
  const page = await openDemo();
  await page.getByRole('button', { name: 'Forgot password?' }).click();
  // No username: the error is under the input it is about, not shown nowhere.
  await page.getByRole('button', { name: 'Send a reset code' }).click();
  await expect(page.locator('#username-error').textContent()).resolves.toBe('Enter a username.');
  await expect(page.getByLabel('Username').getAttribute('aria-invalid')).resolves.toBe('true');
  await page.getByLabel('Username').fill('fern');
  const before = pool.outbox({ recipient: 'fern@example.com' }).length;
  await page.getByRole('button', { name: 'Send a reset code' }).click();
  await route(page, 'resetPassword');
  const code = await nextCode('fern@example.com', before);
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByLabel('New password').fill('Fern-N3w-pass!x');
  await expect(page.getByLabel('Sign me in afterwards').isChecked()).resolves.toBe(true);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await route(page, 'signedIn');
  await expect(page.getByTestId('signed-in-user').textContent()).resolves.toBe('fern');
  await page.context().close();
});
