// Amplify UI's <Authenticator> (@aws-amplify/ui-react over Amplify JS v6, userPoolEndpoint = the local pool), bundled
// with esbuild and driven in real Chromium: a user signs in with a password, a new user signs up with the code the
// pool e-mailed, and users sign in through TOTP MFA (the code an authenticator app shows for the seeded secret,
// computed with otpauth), SMS and e-mail MFA (codes from the pool's outbox); a forgotten password is reset, a temporary
// one replaced, and TOTP set up while signing in where the pool requires MFA. Nothing in between is scripted: whatever
// the Authenticator sends, the local pool must answer as Cognito does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { decodeJwt } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startLocalPool, type LocalPool, type SeedDocument } from '../../src/local-pool/index.js';
import { authenticatorCode } from '../support/authenticator.js';
import { launchChromium } from '../support/browser.js';
import { premadeSigningKeyPairs } from '../support/signing-keys.js';

const POOL_ID = 'us-east-1_amplifyui';
const CLIENT_ID = 'amplifyuiwebclient00000000';
/** A second pool where MFA is required (TOTP only): a user without it sets it up while signing in. */
const MFA_POOL_ID = 'us-east-1_amplifyuimfa';
const MFA_CLIENT_ID = 'amplifyuimfaclient00000000';
const PASSWORD = 'Passw0rd!amplify-ui';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

const seed: SeedDocument = {
  pools: [
    {
      id: POOL_ID,
      name: 'amplify-ui',
      settings: { AutoVerifiedAttributes: ['email'] },
      mfa: {
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your code is {####}' },
        EmailMfaConfiguration: { Subject: 'Your sign-in code', Message: 'Your code is {####}' },
      },
      clients: [{ id: CLIENT_ID, name: 'amplify-ui', settings: { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } }],
      users: [
        { username: 'alice', password: PASSWORD, attributes: { email: 'alice@example.com', email_verified: 'true' } },
        { username: 'tina', password: PASSWORD, attributes: { email: 'tina@example.com', email_verified: 'true' }, totpSecret: TOTP_SECRET, mfa: { totp: true } },
        { username: 'sam', password: PASSWORD, attributes: { email: 'sam@example.com', email_verified: 'true', phone_number: '+15550100', phone_number_verified: 'true' }, mfa: { sms: true } },
        { username: 'emma', password: PASSWORD, attributes: { email: 'emma@example.com', email_verified: 'true' }, mfa: { email: true } },
        { username: 'rosa', password: PASSWORD, attributes: { email: 'rosa@example.com', email_verified: 'true' } },
        { username: 'nina', temporaryPassword: 'Temp0rary!amplify-ui', attributes: { email: 'nina@example.com', email_verified: 'true' } },
      ],
    },
    {
      id: MFA_POOL_ID,
      name: 'amplify-ui-mfa',
      mfa: { MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } },
      clients: [{ id: MFA_CLIENT_ID, name: 'amplify-ui-mfa', settings: { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } }],
      users: [{ username: 'otto', password: PASSWORD, attributes: { email: 'otto@example.com', email_verified: 'true' } }],
    },
  ],
};

/**
 * Amplify UI's packages run on xstate 4; this repo's root has xstate 5, and npm leaves @aws-amplify/ui-react's own
 * copy of @aws-amplify/ui resolving the root one. Imports of xstate from Amplify UI go to the xstate 4 that npm
 * nested for @aws-amplify/ui-react-core.
 */
const amplifyUiOnXstate4: Plugin = {
  name: 'amplify-ui-xstate-4',
  setup(b) {
    const nested = dirname(require.resolve('@aws-amplify/ui-react-core'));
    b.onResolve({ filter: /^xstate$/ }, async (args) => {
      if (!args.importer.includes(`${join('node_modules', '@aws-amplify')}`)) return undefined;
      const found = await b.resolve('xstate', { kind: args.kind, resolveDir: nested });
      return found.errors.length ? { errors: found.errors } : { path: found.path };
    });
  },
};

let dir: string;
let pool: LocalPool;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'authchart-amplify-ui-'));
  await build({
    entryPoints: { app: resolve(__dirname, 'fixtures/amplify-authenticator-app.tsx') },
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [amplifyUiOnXstate4],
    logLevel: 'error',
  });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html lang="en"><meta charset="utf-8"><title>Amplify UI</title><link rel="stylesheet" href="/app.css"><div id="root"></div><script type="module" src="/app.js"></script></html>');
  pool = await startLocalPool({ port: 0, seed, staticDir: dir, signingKeyPairs: premadeSigningKeyPairs });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await pool?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let context: BrowserContext;
let page: Page;
let pageErrors: string[];
beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  pool.resetRequestLog();
  await page.goto(`${pool.url}/?pool=${POOL_ID}&client=${CLIENT_ID}`);
});
afterEach(async () => {
  expect(pageErrors).toEqual([]);
  await context.close();
});

const calls = () => pool.requests.map((r) => `${r.target.replace('AWSCognitoIdentityProviderService.', '')} ${r.outcome}`);

async function signInForm(username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The signed-in screen, and the id token Amplify stored: issued by this pool for this user. */
async function expectSignedIn(username: string, { poolId = POOL_ID, clientId = CLIENT_ID } = {}): Promise<void> {
  await page.getByRole('heading', { name: `Signed in as ${username}` }).waitFor({ timeout: 20_000 });
  const idTokens = await page.evaluate(() => Object.entries(localStorage).filter(([key]) => key.endsWith('.idToken')).map(([, value]) => value));
  expect(idTokens).toHaveLength(1);
  expect(decodeJwt(idTokens[0]!)).toMatchObject({ iss: `${pool.url}/${poolId}`, aud: clientId, 'cognito:username': username });
}

it('signs a user in with a password (SRP), shows the pool\'s refusal of a wrong one, and signs out', async () => {
  await signInForm('alice', 'not the password');
  await page.getByText('Incorrect username or password.').waitFor();
  await signInForm('alice', PASSWORD);
  await expectSignedIn('alice');
  expect(calls()).toEqual(expect.arrayContaining(['RespondToAuthChallenge NotAuthorizedException', 'InitiateAuth ok', 'RespondToAuthChallenge ok']));
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  expect(calls()).toContain('RevokeToken ok');
}, 60_000);

it('signs a new user up with the code the pool e-mailed, then signs them in', async () => {
  await page.getByRole('tab', { name: 'Create Account' }).click();
  await page.getByLabel('Username').fill('nora');
  await page.getByLabel('Email').fill('nora@example.com');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create Account' }).click();
  await page.getByLabel('Confirmation Code').waitFor({ timeout: 20_000 });
  const mail = pool.outbox({ username: 'nora' });
  expect(mail).toHaveLength(1);
  expect(mail[0]).toMatchObject({ medium: 'EMAIL', destination: 'nora@example.com' });
  await page.getByLabel('Confirmation Code').fill(mail[0]!.code!);
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  // Amplify's autoSignIn after a confirmed sign-up: no password typed again.
  await expectSignedIn('nora');
  expect(calls()).toEqual(expect.arrayContaining(['SignUp ok', 'ConfirmSignUp ok']));
}, 60_000);

it('signs a user in through TOTP MFA with the code their authenticator app shows', async () => {
  await signInForm('tina', PASSWORD);
  const code = page.getByLabel(/^Code/);
  await code.waitFor({ timeout: 20_000 });
  await code.fill('000000');
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  // Amplify UI words the refusal itself when the message is Cognito's ("Invalid code or auth state for the user.").
  await page.getByText('The verification code you entered is incorrect.', { exact: false }).waitFor();
  await code.fill(authenticatorCode(TOTP_SECRET, Date.now()));
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expectSignedIn('tina');
  expect(calls()).toEqual(expect.arrayContaining(['RespondToAuthChallenge CodeMismatchException', 'RespondToAuthChallenge ok']));
}, 60_000);

it('signs a user in through SMS MFA with the code from the pool\'s outbox', async () => {
  await signInForm('sam', PASSWORD);
  const code = page.getByLabel(/^Code/);
  await code.waitFor({ timeout: 20_000 });
  const texts = pool.outbox({ username: 'sam' });
  expect(texts.at(-1)).toMatchObject({ medium: 'SMS', destination: '+15550100' });
  await code.fill(texts.at(-1)!.code!);
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expectSignedIn('sam');
}, 60_000);

it('signs a user in through e-mail MFA with the code from the pool\'s outbox', async () => {
  await signInForm('emma', PASSWORD);
  const code = page.getByLabel(/^Code/);
  await code.waitFor({ timeout: 20_000 });
  const mail = pool.outbox({ username: 'emma' });
  expect(mail.at(-1)).toMatchObject({ medium: 'EMAIL', destination: 'emma@example.com' });
  await code.fill(mail.at(-1)!.code!);
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expectSignedIn('emma');
}, 60_000);

it('resets a forgotten password with the e-mailed code, then signs in with the new one', async () => {
  await page.getByRole('button', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Username').fill('rosa');
  await page.getByRole('button', { name: 'Send code' }).click();
  const code = page.getByLabel(/^Code/);
  await code.waitFor({ timeout: 20_000 });
  const mail = pool.outbox({ username: 'rosa' });
  expect(mail).toHaveLength(1);
  await code.fill(mail[0]!.code!);
  await page.getByLabel('New Password', { exact: true }).fill('N3w-Passw0rd!amplify-ui');
  await page.getByLabel('Confirm Password').fill('N3w-Passw0rd!amplify-ui');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor({ timeout: 20_000 });
  await signInForm('rosa', 'N3w-Passw0rd!amplify-ui');
  await expectSignedIn('rosa');
  expect(calls()).toEqual(expect.arrayContaining(['ForgotPassword ok', 'ConfirmForgotPassword ok']));
}, 60_000);

it('has a user an admin created with a temporary password choose a new one (NEW_PASSWORD_REQUIRED)', async () => {
  await signInForm('nina', 'Temp0rary!amplify-ui');
  await page.getByRole('button', { name: 'Change Password' }).waitFor({ timeout: 20_000 });
  await page.getByLabel('Password', { exact: true }).fill('N3w-Passw0rd!amplify-ui');
  await page.getByLabel('Confirm Password').fill('N3w-Passw0rd!amplify-ui');
  await page.getByRole('button', { name: 'Change Password' }).click();
  await expectSignedIn('nina');
}, 60_000);

it('sets up TOTP while signing in where the pool requires MFA: the key it shows, typed into an authenticator app', async () => {
  await page.goto(`${pool.url}/?pool=${MFA_POOL_ID}&client=${MFA_CLIENT_ID}`);
  await signInForm('otto', PASSWORD);
  const key = page.locator('[data-amplify-copy] > div').first();
  await key.waitFor({ timeout: 20_000 });
  await page.locator('img[data-amplify-qrcode]').waitFor();
  const secret = (await key.textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await page.getByLabel(/^Code/).fill(authenticatorCode(secret, Date.now()));
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expectSignedIn('otto', { poolId: MFA_POOL_ID, clientId: MFA_CLIENT_ID });
  expect(calls()).toEqual(expect.arrayContaining(['AssociateSoftwareToken ok', 'VerifySoftwareToken ok']));
}, 60_000);
