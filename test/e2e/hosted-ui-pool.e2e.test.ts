// The local pool's side of the hosted UI in real Chromium (the chart's redirect sign-in is hosted-ui.e2e.test.ts): a user types username and password into the sign-in
// page; a user signs in through federation at a real OpenID provider (the stand-in, oidc-provider,
// in its own process); and Amplify JS v6's signInWithRedirect completes against the hosted UI from
// an esbuild-bundled page. Amplify only speaks https to a domain, so that test reaches the pool's
// domain as https://<prefix>.auth.localhost:<port> through a TLS-terminating proxy (X-Forwarded-Proto).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateUserPoolClientCommand, CreateIdentityProviderCommand, CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import { build } from 'esbuild';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';
import { startStandIn, type RunningStandIn } from '../support/stand-in-idp.js';
import { pkce } from '../local-pool/hosted-ui-support.js';

const PASSWORD = 'Passw0rd!browser';
const DOMAIN = 'browser-test';
let dir: string;
let env: TestPool;
let idp: RunningStandIn;
let browser: Browser;
let proxy: Server;
let proxyPort: number;
let clientId: string;
let callback: string;
let appPage: string;

/** A TLS-terminating reverse proxy to the pool (self-signed: the browser context ignores the certificate). */
async function startTlsProxy(poolPort: number): Promise<void> {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  proxy = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    const upstream = httpRequest(
      { host: '127.0.0.1', port: poolPort, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-proto': 'https' } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
  proxyPort = (proxy.address() as { port: number }).port;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'authchart-hosted-ui-'));
  await build({
    entryPoints: { app: resolve(__dirname, 'fixtures/amplify-redirect-app.ts') },
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'error',
  });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>app</title><script type="module" src="/app.js"></script>');
  writeFileSync(join(dir, 'callback.html'), '<!doctype html><meta charset="utf-8"><title>callback</title><p>back at the app</p>');
  env = await startTestPool({ staticDir: dir });
  await env.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: env.userPoolId, Domain: DOMAIN }));
  await env.createUser('alice', PASSWORD, { attributes: { email: 'alice@example.com', email_verified: 'true' } });
  const base = `${env.pool.url}/_domain/${DOMAIN}`;
  await startTlsProxy(env.pool.port);
  idp = await startStandIn({
    clients: [{ clientId: 'local-pool', clientSecret: 'stand-in-secret-browser', redirectUris: [`${base}/oauth2/idpresponse`] }],
    users: [{ username: 'gina', password: 'gina-pass', sub: 'g-1', claims: { email: 'gina@example.com', email_verified: true } }],
  });
  await env.admin.send(new CreateIdentityProviderCommand({
    UserPoolId: env.userPoolId,
    ProviderName: 'StandIn',
    ProviderType: 'OIDC',
    ProviderDetails: { client_id: 'local-pool', client_secret: 'stand-in-secret-browser', authorize_scopes: 'openid email', oidc_issuer: idp.issuer },
    AttributeMapping: { email: 'email' },
  }));
  callback = `${env.pool.url}/callback.html`;
  appPage = `${env.pool.url}/`;
  clientId = (await env.admin.send(new CreateUserPoolClientCommand({
    UserPoolId: env.userPoolId,
    ClientName: 'browser',
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
    CallbackURLs: [callback, appPage],
    LogoutURLs: [appPage],
    SupportedIdentityProviders: ['COGNITO', 'StandIn'],
  }))).UserPoolClient!.ClientId!;
  browser = await launchChromium(['--host-resolver-rules=MAP *.auth.localhost 127.0.0.1']);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (proxy ? proxy.close(() => done()) : done()));
  await idp?.stop();
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function authorizeUrl(challenge: string, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ client_id: clientId, redirect_uri: callback, response_type: 'code', scope: 'openid email', state: 'browser-state', code_challenge: challenge, code_challenge_method: 'S256', ...extra });
  return `${env.pool.url}/_domain/${DOMAIN}/oauth2/authorize?${params}`;
}

async function exchange(page: Page, verifier: string): Promise<Record<string, unknown>> {
  await page.waitForURL((url) => url.toString().startsWith(callback), { timeout: 20_000 });
  const back = new URL(page.url()).searchParams;
  expect(back.get('state')).toBe('browser-state');
  const response = await fetch(`${env.pool.url}/_domain/${DOMAIN}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code: back.get('code')!, redirect_uri: callback, code_verifier: verifier }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function verifiedIdToken(tokens: Record<string, unknown>): Promise<Record<string, unknown>> {
  const keys = createLocalJWKSet((await (await fetch(`${env.pool.url}/${env.userPoolId}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
  return (await jwtVerify(String(tokens['id_token']), keys, { issuer: `${env.pool.url}/${env.userPoolId}`, audience: clientId, currentDate: new Date(env.clock.now()) })).payload;
}

it('a user types username and password into the hosted sign-in page and lands back at the app with a code', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const { verifier, challenge } = pkce();
  await page.goto(authorizeUrl(challenge));
  await page.fill('input[name="username"]', 'alice');
  await page.fill('input[name="password"]', 'not the password');
  await page.click('button[type="submit"]');
  expect(await page.textContent('#error')).toBe('Incorrect username or password.');
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  const claims = await verifiedIdToken(await exchange(page, verifier));
  expect(claims).toMatchObject({ 'cognito:username': 'alice', email: 'alice@example.com' });
  await context.close();
}, 60_000);

it('a user signs in through federation at a real OpenID provider', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const { verifier, challenge } = pkce();
  await page.goto(authorizeUrl(challenge));
  await page.click('a[data-provider="StandIn"]');
  await page.waitForURL((url) => url.origin === idp.issuer);
  await page.fill('#username', 'gina');
  await page.fill('#password', 'gina-pass');
  await page.click('form[action$="/login"] button[type="submit"]');
  const claims = await verifiedIdToken(await exchange(page, verifier));
  expect(claims).toMatchObject({ 'cognito:username': 'StandIn_g-1', email: 'gina@example.com' });
  await context.close();
}, 60_000);

it('Amplify JS v6 signInWithRedirect completes against the hosted UI', async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(appPage);
  await page.waitForFunction(() => 'amplifyTest' in window);
  const domain = `${DOMAIN}.auth.localhost:${proxyPort}`;
  await page.evaluate((settings) => (window as unknown as { amplifyTest: { configure(s: unknown): void } }).amplifyTest.configure(settings), {
    userPoolId: env.userPoolId,
    clientId,
    endpoint: env.pool.url,
    domain,
    redirect: appPage,
  });
  await page.reload();
  await page.waitForFunction(() => 'amplifyTest' in window);
  await Promise.all([
    page.waitForURL((url) => url.host === domain),
    page.evaluate(() => void (window as unknown as { amplifyTest: { signInWithRedirect(): Promise<void> } }).amplifyTest.signInWithRedirect()),
  ]);
  const authorize = new URL(page.url());
  expect(authorize.protocol).toBe('https:');
  expect(authorize.pathname).toBe('/login');
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  await page.fill('input[name="username"]', 'alice');
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => url.toString().startsWith(appPage) && url.host === new URL(appPage).host, { timeout: 20_000 });
  await page.waitForFunction(() => (window as unknown as { amplifyTest: { events: string[] } }).amplifyTest.events.includes('signedIn'), undefined, { timeout: 20_000 });
  const session = await page.evaluate(() => (window as unknown as { amplifyTest: { session(): Promise<unknown> } }).amplifyTest.session());
  expect(session).toEqual({ username: 'alice', email: 'alice@example.com', tokenUse: 'access' });
  const events = await page.evaluate(() => (window as unknown as { amplifyTest: { events: string[] } }).amplifyTest.events);
  expect(events).toContain('signInWithRedirect');
  expect(errors).toEqual([]);
  const tokens = await page.evaluate(() => Object.entries(localStorage).filter(([key]) => key.endsWith('.idToken')).map(([, value]) => value));
  expect(decodeJwt(tokens[0]!)['iss']).toBe(`${env.pool.url}/${env.userPoolId}`);
  await context.close();
}, 90_000);
