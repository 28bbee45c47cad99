// Redirect sign-in through the local pool's hosted UI in real Chromium: the app (test/e2e/fixtures/hosted-ui-app.ts,
// createAuth with the oauth option) sends the browser to /oauth2/authorize, the user signs in on the hosted page, the
// chart handles the callback (state, PKCE exchange, id-token checks) and is signed in; federation through a real OpenID
// provider (oidc-provider) works the same way; a provider's refusal is typed; the tokens verify against the
// pool's JWKS; a replayed or forged callback is refused with the typed error; sign-out also ends the hosted session.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { CreateIdentityProviderCommand, CreateUserPoolClientCommand, CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';
import { startStandIn, type RunningStandIn } from '../support/stand-in-idp.js';
import { tssrp6aWebCrypto } from '../../scripts/esbuild-plugins.mjs';

const PASSWORD = 'Passw0rd!hosted';
const DOMAIN = 'authchart-e2e';
let dir: string;
let env: TestPool;
let clientId: string;
let browser: Browser;
let idp: RunningStandIn;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'authchart-hosted-'));
  env = await startTestPool({ staticDir: dir, poolProperties: { AutoVerifiedAttributes: ['email'] } });
  const origin = env.pool.url;
  await env.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: env.userPoolId, Domain: DOMAIN }));
  // a real OpenID provider (oidc-provider) standing in for Google, on loopback
  idp = await startStandIn({
    clients: [{ clientId: 'local-pool', clientSecret: 'stand-in-secret-e2e', redirectUris: [`${origin}/_domain/${DOMAIN}/oauth2/idpresponse`] }],
    users: [{ username: 'gina', password: 'gina-pass', sub: 'g-1', claims: { email: 'gina@example.com', email_verified: true } }],
  });
  await env.admin.send(
    new CreateIdentityProviderCommand({
      UserPoolId: env.userPoolId,
      ProviderName: 'StandIn',
      ProviderType: 'OIDC',
      ProviderDetails: { client_id: 'local-pool', client_secret: 'stand-in-secret-e2e', authorize_scopes: 'openid email', oidc_issuer: idp.issuer },
      AttributeMapping: { email: 'email' },
    }),
  );
  const client = await env.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: env.userPoolId,
      ClientName: 'spa',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
      CallbackURLs: [`${origin}/app.html`],
      LogoutURLs: [`${origin}/signed-out.html`],
      SupportedIdentityProviders: ['COGNITO', 'StandIn'],
    }),
  );
  clientId = client.UserPoolClient!.ClientId!;
  await env.createUser('hana', PASSWORD, { attributes: { email: 'hana@example.com', email_verified: 'true' } });
  await build({
    entryPoints: { app: resolve(__dirname, 'fixtures/hosted-ui-app.ts') },
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'error',
    define: { HOSTED_UI: JSON.stringify({ userPoolId: env.userPoolId, clientId, domainPrefix: DOMAIN }) },
    plugins: [tssrp6aWebCrypto],
  });
  writeFileSync(join(dir, 'app.html'), '<!doctype html><meta charset="utf-8"><title>app</title><script type="module" src="/app.js"></script>');
  writeFileSync(join(dir, 'signed-out.html'), '<!doctype html><meta charset="utf-8"><title>signed out</title><p>signed out</p>');
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await idp?.stop();
  await browser?.close();
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type AppView = { route: string; busy: boolean; error: { code: string } | null; user: string | null; redirectState: string | null };
const appView = (page: Page) => page.evaluate(() => (window as unknown as { app: { view(): AppView } }).app.view());
async function settled(page: Page, want: (v: AppView) => boolean): Promise<AppView> {
  await page.waitForFunction(() => typeof (window as unknown as { app?: unknown }).app === 'object');
  const deadline = Date.now() + 15_000;
  for (;;) {
    const view = await appView(page);
    if (!view.busy && view.route !== 'checkingSession' && want(view)) return view;
    if (Date.now() > deadline) throw new Error(`the app is at ${JSON.stringify(view)}`);
    await page.waitForTimeout(50);
  }
}

/** From the app to the hosted UI, the user's sign-in there, and back: the callback URL the browser came back with. */
async function signInThroughHostedUi(page: Page, customState?: string): Promise<string> {
  await page.goto(`${env.pool.url}/app.html`);
  await settled(page, (v) => v.route === 'signIn');
  let callback = '';
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame() && frame.url().includes('code=')) callback = frame.url();
  });
  await Promise.all([
    page.waitForURL((url) => url.pathname.includes('/oauth2/') || url.pathname.includes('/login')),
    page.evaluate((state) => (window as unknown as { app: { signInWithRedirect(o: object): void } }).app.signInWithRedirect(state ? { customState: state } : {}), customState),
  ]);
  await page.locator('input[name="username"]').fill('hana');
  await page.locator('input[name="password"]').fill(PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === '/app.html'), page.locator('form button[type="submit"], form input[type="submit"]').first().click()]);
  return callback;
}

it('signs in through the hosted UI: back on the app the chart exchanges the code and is signed in; the tokens verify; the address bar forgets the code', async () => {
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const mark = env.pool.requests.length;
  const callback = await signInThroughHostedUi(page, 'back-to-settings');
  const view = await settled(page, (v) => v.route === 'signedIn');
  expect(view).toMatchObject({ user: 'hana', redirectState: 'back-to-settings', error: null });
  expect(callback).toContain('code=');
  expect(page.url()).not.toContain('code=');
  const idToken = await page.evaluate(() => (window as unknown as { app: { idToken(): Promise<string | null> } }).app.idToken());
  const issuer = `${env.pool.url}/${env.userPoolId}`;
  const { payload } = await jwtVerify(idToken!, createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)), { issuer, audience: clientId });
  expect(payload['cognito:username']).toBe('hana');
  expect(typeof payload['nonce']).toBe('string');
  // no Cognito API call was needed: the hosted UI and the token endpoint did it all
  expect(env.pool.requests.slice(mark).map((r) => r.target)).toEqual([]);
  expect(errors).toEqual([]);

  // the same callback again (a replay): refused, whatever the code
  const replay = await (await browser.newContext()).newPage();
  await replay.goto(callback);
  expect(await settled(replay, (v) => v.route === 'signIn')).toMatchObject({ error: { code: 'RedirectStateMismatch' } });

  // sign-out ends the hosted UI's session too (/logout, then the registered sign-out URL)
  await Promise.all([page.waitForURL((url) => url.pathname === '/signed-out.html'), page.evaluate(() => (window as unknown as { app: { signOut(): void } }).app.signOut())]);
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
  await page.context().close();
  await replay.context().close();
}, 90_000);

it('a forged callback (a state the app never sent) is refused; a real sign-in afterwards works', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${env.pool.url}/app.html?code=forged-code&state=forged-state`);
  expect(await settled(page, (v) => v.route === 'signIn')).toMatchObject({ error: { code: 'RedirectStateMismatch' } });
  await signInThroughHostedUi(page);
  expect(await settled(page, (v) => v.route === 'signedIn')).toMatchObject({ user: 'hana' });
  await page.context().close();
}, 90_000);

it('federation: "Continue with" a provider (a real OpenID provider standing in for Google) signs in through the chart', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${env.pool.url}/app.html`);
  await settled(page, (v) => v.route === 'signIn');
  await Promise.all([
    page.waitForURL((url) => url.origin === idp.issuer),
    page.evaluate(() => (window as unknown as { app: { signInWithRedirect(o: object): void } }).app.signInWithRedirect({ provider: 'StandIn' })),
  ]);
  await page.fill('#username', 'gina');
  await page.fill('#password', 'gina-pass');
  await Promise.all([page.waitForURL((url) => url.pathname === '/app.html'), page.click('form[action$="/login"] button[type="submit"]')]);
  expect(await settled(page, (v) => v.route === 'signedIn')).toMatchObject({ user: 'StandIn_g-1', error: null });
  const idToken = await page.evaluate(() => (window as unknown as { app: { idToken(): Promise<string | null> } }).app.idToken());
  const issuer = `${env.pool.url}/${env.userPoolId}`;
  const { payload } = await jwtVerify(idToken!, createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)), { issuer, audience: clientId });
  expect(payload).toMatchObject({ email: 'gina@example.com' });
  expect(JSON.stringify(payload['identities'])).toContain('StandIn');
  await page.context().close();
}, 90_000);

it('the provider says no (error=access_denied on the callback, with this state): a typed RedirectProviderError on the sign-in screen', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${env.pool.url}/app.html`);
  await settled(page, (v) => v.route === 'signIn');
  await Promise.all([
    page.waitForURL((url) => url.pathname.includes('/_domain/')),
    page.evaluate(() => (window as unknown as { app: { signInWithRedirect(o: object): void } }).app.signInWithRedirect({})),
  ]);
  // the hosted UI would send this back when the user cancels at a provider: the real state, an OAuth error
  const state = new URL(page.url()).searchParams.get('state')!;
  await page.goto(`${env.pool.url}/app.html?error=access_denied&error_description=${encodeURIComponent('User cancelled')}&state=${state}`);
  expect(await settled(page, (v) => v.route === 'signIn')).toMatchObject({ error: { code: 'RedirectProviderError' } });
  await page.context().close();
}, 90_000);
