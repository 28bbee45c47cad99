// src/oauth against the local pool's hosted UI over HTTP (the browser's part played by hosted-ui-support's cookie
// jar): the authorize URL it builds (and what the pool makes of login_hint / lang / prompt), and what finish()
// refuses — a wrong nonce, a stale redirect, a callback without its state, a wrong verifier, a code used twice or
// expired, an id token of another issuer, expired or tampered on the way, a confidential client without its
// secret — each with its typed error. The happy path and
// forged / replayed callbacks in real Chromium are in test/e2e/hosted-ui.e2e.test.ts.
import { createServer, request, type Server } from 'node:http';
import { CreateUserPoolClientCommand, CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import { hostedUi, type HostedUi } from '../../src/oauth/redirect.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { Browser, formWith } from '../local-pool/hosted-ui-support.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';

const PASSWORD = 'Passw0rd!oauth';
const DOMAIN = 'oauth-module';
const CALLBACK = 'http://127.0.0.1:5173/callback';
let env: TestPool;
let clientId: string;

beforeAll(async () => {
  env = await startTestPool();
  await env.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: env.userPoolId, Domain: DOMAIN }));
  const client = await env.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: env.userPoolId,
      ClientName: 'spa',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO'],
    }),
  );
  clientId = client.UserPoolClient!.ClientId!;
  await env.createUser('olga', PASSWORD, { attributes: { email: 'olga@example.com', email_verified: 'true' } });
}, 30_000);
afterAll(() => env.close());

interface Harness {
  ui: HostedUi;
  storage: MemoryStorage;
  /** The authorize URL the last start() handed to the host. */
  sent: () => string;
  clock: { offset: number };
}

function harness(options: { domainOrigin?: string; issuer?: string; clientId?: string; clientSecret?: string } = {}): Harness {
  const storage = new MemoryStorage();
  const clock = { offset: 0 };
  let sent = '';
  const ui = hostedUi({
    oauth: {
      domain: `${options.domainOrigin ?? env.pool.url}/_domain/${DOMAIN}`,
      redirectSignIn: CALLBACK,
      scopes: ['openid', 'email'],
      storage,
      navigate: (url) => void (sent = url),
      forgetCallback: () => {},
      ...(options.issuer ? { issuer: options.issuer } : {}),
    },
    userPoolId: env.userPoolId,
    clientId: options.clientId ?? clientId,
    ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
    endpoint: env.pool.url,
    now: () => env.clock.now() + clock.offset,
    storage,
  });
  return { ui, storage, sent: () => sent, clock };
}

/** The user signs in on the hosted page; the URL the browser is sent back to. */
async function callbackFor(authorizeUrl: string): Promise<string> {
  const browser = new Browser();
  const onPool = (url: URL) => url.origin === new URL(authorizeUrl).origin;
  const loginPage = await browser.follow(await browser.get(authorizeUrl), onPool);
  const login = formWith(loginPage, 'password');
  const answer = await browser.post(login.action, { ...login.fields, username: 'olga', password: PASSWORD });
  expect(answer.location?.startsWith(`${CALLBACK}?`)).toBe(true);
  return answer.location!;
}

const signal = () => new AbortController().signal;
const pendingKey = () => `authchart.${clientId}.redirect`;

it('builds the authorize URL (code, PKCE S256, state, nonce, identity_provider) and signs in with the code', async () => {
  const h = harness();
  await h.ui.start({ provider: 'COGNITO', customState: 'to-settings' });
  const url = new URL(h.sent());
  expect(`${url.origin}${url.pathname}`).toBe(`${env.pool.url}/_domain/${DOMAIN}/oauth2/authorize`);
  expect(Object.fromEntries(url.searchParams)).toMatchObject({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, code_challenge_method: 'S256', identity_provider: 'COGNITO', scope: 'openid email' });
  for (const name of ['state', 'nonce', 'code_challenge']) expect(url.searchParams.get(name)).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  const { tokens, customState } = await h.ui.finish(await callbackFor(h.sent()), signal());
  expect(customState).toBe('to-settings');
  expect(tokens.idToken.split('.')).toHaveLength(3);
  expect(await h.storage.getItem(pendingKey())).toBeNull(); // single use
});

it('an id token whose nonce is not the one sent is refused (IdTokenInvalid)', async () => {
  const h = harness();
  await h.ui.start({});
  const callback = await callbackFor(h.sent());
  const pending = JSON.parse((await h.storage.getItem(pendingKey()))!) as Record<string, unknown>;
  await h.storage.setItem(pendingKey(), JSON.stringify({ ...pending, nonce: 'a-nonce-this-app-never-sent-0000000000' }));
  await expect(h.ui.finish(callback, signal())).rejects.toMatchObject({ code: 'IdTokenInvalid' });
});

it('a redirect that waited too long is refused before the code is used (RedirectStateMismatch)', async () => {
  const h = harness();
  await h.ui.start({});
  const callback = await callbackFor(h.sent());
  h.clock.offset = 16 * 60_000;
  await expect(h.ui.finish(callback, signal())).rejects.toMatchObject({ code: 'RedirectStateMismatch' });
});

it('a code used twice: the token endpoint refuses the second exchange (invalid_grant -> RedirectStateMismatch)', async () => {
  const h = harness();
  await h.ui.start({});
  const callback = await callbackFor(h.sent());
  const pending = (await h.storage.getItem(pendingKey()))!;
  await h.ui.finish(callback, signal());
  await h.storage.setItem(pendingKey(), pending); // as if the state had been kept, to reach the token endpoint again
  await expect(h.ui.finish(callback, signal())).rejects.toMatchObject({ code: 'RedirectStateMismatch', cognitoName: 'invalid_grant' });
});

it('isCallback recognises an authorization response (a code or an error, with a state)', () => {
  const h = harness();
  expect(h.ui.isCallback(`${CALLBACK}?code=c&state=s`)).toBe(true);
  expect(h.ui.isCallback(`${CALLBACK}?error=access_denied&state=s`)).toBe(true);
  expect(h.ui.isCallback(`${CALLBACK}?code=c`)).toBe(false);
  expect(h.ui.isCallback('not a url')).toBe(false);
});

it('passes login_hint, lang, prompt and the scopes of the request on; the hosted page fills the name in, speaks the language and asks again', async () => {
  const h = harness();
  const browser = new Browser();
  const onPool = (url: URL) => url.origin === env.pool.url;
  // A hosted-UI session first: without prompt=login the next authorize would answer with a code at once.
  await h.ui.start({});
  const first = await browser.follow(await browser.get(h.sent()), onPool);
  const login = formWith(first, 'password');
  await browser.post(login.action, { ...login.fields, username: 'olga', password: PASSWORD });

  await h.ui.start({ loginHint: 'olga', lang: 'de', prompt: 'login', scopes: ['openid'] });
  const url = new URL(h.sent());
  expect(Object.fromEntries(url.searchParams)).toMatchObject({ login_hint: 'olga', lang: 'de', prompt: 'login', scope: 'openid' });
  expect(url.searchParams.has('identity_provider')).toBe(false);
  const page = await browser.follow(await browser.get(h.sent()), onPool);
  expect(page.status).toBe(200); // asked again despite the session
  expect(formWith(page, 'password').fields['username']).toBe('olga');
  expect(page.body).toContain('<html lang="de">');
});

it('a callback without its state is refused, and the code it carries is never exchanged', async () => {
  const h = harness();
  await h.ui.start({});
  const callback = new URL(await callbackFor(h.sent()));
  const code = callback.searchParams.get('code')!;
  callback.searchParams.delete('state');
  expect(h.ui.isCallback(callback.toString())).toBe(false); // the chart does not even take it for a callback
  const mark = env.pool.requests.length;
  await expect(h.ui.finish(callback.toString(), signal())).rejects.toMatchObject({ code: 'RedirectStateMismatch' });
  expect(code).toBeTruthy();
  expect(env.pool.requests.length).toBe(mark); // refused before any request
});

it('a verifier that is not the one the challenge was made from: the token endpoint refuses it (invalid_grant -> RedirectStateMismatch)', async () => {
  const h = harness();
  await h.ui.start({});
  const callback = await callbackFor(h.sent());
  const pending = JSON.parse((await h.storage.getItem(pendingKey()))!) as Record<string, unknown>;
  await h.storage.setItem(pendingKey(), JSON.stringify({ ...pending, verifier: 'another-verifier-of-the-right-length-0123456789abcdef' }));
  await expect(h.ui.finish(callback, signal())).rejects.toMatchObject({ code: 'RedirectStateMismatch', cognitoName: 'invalid_grant' });
});

it('a code that outlived its five minutes is refused at the token endpoint (invalid_grant -> RedirectStateMismatch)', async () => {
  const h = harness();
  await h.ui.start({});
  const callback = await callbackFor(h.sent());
  env.clock.advance(5 * 60_000 + 1_000); // the pool's clock: its codes live five minutes; the redirect itself is still fresh
  await expect(h.ui.finish(callback, signal())).rejects.toMatchObject({ code: 'RedirectStateMismatch', cognitoName: 'invalid_grant' });
});

it('an id token of another issuer than the one configured is refused (IdTokenInvalid)', async () => {
  const h = harness({ issuer: `${env.pool.url}/us-east-1_someoneElse` });
  await h.ui.start({});
  await expect(h.ui.finish(await callbackFor(h.sent()), signal())).rejects.toMatchObject({ code: 'IdTokenInvalid' });
});

it('an id token that expired before it is checked is refused (IdTokenInvalid), though the redirect is still fresh', async () => {
  const shortLived = (await env.admin.send(new CreateUserPoolClientCommand({
    UserPoolId: env.userPoolId,
    ClientName: 'short-lived-tokens',
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email'],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ['COGNITO'],
    IdTokenValidity: 5,
    AccessTokenValidity: 5,
    TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes' },
  }))).UserPoolClient!.ClientId!;
  const h = harness({ clientId: shortLived });
  await h.ui.start({});
  const callback = await callbackFor(h.sent());
  h.clock.offset = 10 * 60_000; // the app's clock: past the token's five minutes, within the redirect's fifteen
  await expect(h.ui.finish(callback, signal())).rejects.toMatchObject({ code: 'IdTokenInvalid', message: expect.stringMatching(/exp/) });
});

it('a confidential client (createAuth({ clientSecret })) authenticates at the token endpoint; without its secret the exchange is refused', async () => {
  const confidential = (await env.admin.send(new CreateUserPoolClientCommand({
    UserPoolId: env.userPoolId,
    ClientName: 'server-side',
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email'],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ['COGNITO'],
  }))).UserPoolClient!;
  const withSecret = harness({ clientId: confidential.ClientId!, clientSecret: confidential.ClientSecret! });
  await withSecret.ui.start({});
  const { tokens } = await withSecret.ui.finish(await callbackFor(withSecret.sent()), signal());
  expect(tokens.refreshToken).toBeTruthy();

  const withoutSecret = harness({ clientId: confidential.ClientId! });
  await withoutSecret.ui.start({});
  await expect(withoutSecret.ui.finish(await callbackFor(withoutSecret.sent()), signal())).rejects.toMatchObject({ code: 'RedirectProviderError', cognitoName: 'invalid_client' });
});

describe('an id token changed on the way (a proxy in front of the token endpoint)', () => {
  let proxy: Server;
  let proxyOrigin: string;
  beforeAll(async () => {
    const target = new URL(env.pool.url);
    proxy = createServer((req, res) => {
      const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          let body = Buffer.concat(chunks).toString('utf8');
          if (req.url?.endsWith('/oauth2/token') && answer.statusCode === 200) {
            const tokens = JSON.parse(body) as Record<string, string>;
            const [header, payload, signature] = tokens['id_token']!.split('.') as [string, string, string];
            const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
            const forged = Buffer.from(JSON.stringify({ ...claims, email: 'mallory@example.com' })).toString('base64url');
            body = JSON.stringify({ ...tokens, id_token: `${header}.${forged}.${signature}` });
          }
          const { 'content-length': _length, ...headers } = answer.headers;
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(body);
        });
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    proxyOrigin = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((done) => proxy.close(() => done())));

  it('its signature no longer verifies against the pool keys: IdTokenInvalid, nothing signed in', async () => {
    const h = harness({ domainOrigin: proxyOrigin });
    await h.ui.start({});
    // The hosted page itself is reached through the proxy too (the domain is the proxy's).
    await expect(h.ui.finish(await callbackFor(h.sent()), signal())).rejects.toMatchObject({ code: 'IdTokenInvalid', message: expect.stringMatching(/signature/) });
  });
});
