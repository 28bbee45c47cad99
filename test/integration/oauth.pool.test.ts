// src/oauth against the local pool's hosted UI over HTTP (the browser's part played by hosted-ui-support's cookie
// jar): the authorize URL it builds, and what finish() refuses — a wrong nonce, a stale redirect, a code used twice,
// a tampered id token — each with its typed error. The happy path and forged / replayed callbacks in real Chromium
// are in test/e2e/hosted-ui.e2e.test.ts.
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

function harness(): Harness {
  const storage = new MemoryStorage();
  const clock = { offset: 0 };
  let sent = '';
  const ui = hostedUi({
    oauth: { domain: `${env.pool.url}/_domain/${DOMAIN}`, redirectSignIn: CALLBACK, scopes: ['openid', 'email'], storage, navigate: (url) => void (sent = url), forgetCallback: () => {} },
    userPoolId: env.userPoolId,
    clientId,
    endpoint: env.pool.url,
    now: () => env.clock.now() + clock.offset,
    storage,
  });
  return { ui, storage, sent: () => sent, clock };
}

/** The user signs in on the hosted page; the URL the browser is sent back to. */
async function callbackFor(authorizeUrl: string): Promise<string> {
  const browser = new Browser();
  const onPool = (url: URL) => url.origin === env.pool.url;
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
