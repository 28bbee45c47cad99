// POST /_local/reset (the demo page's "Reset demo data"): the seed's pools get their seeded users back
// as the seed describes them, and lose whatever happened since (sign-ups, changed passwords, tokens,
// the outbox). It answers only the pool's own pages and non-browser clients, with its header.
import { readFileSync } from 'node:fs';
import {
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { SeedDocument } from '../../src/local-pool/index.js';
import { failure, passwordSignIn, rawCall, startPool, type PoolHarness, type Setup } from './support.js';

const seed = JSON.parse(readFileSync('seeds/demo.json', 'utf8')) as SeedDocument;
const PASSWORD = 'Passw0rd!demo';
const demo: Setup = { poolId: 'us-east-1_authchart', clientId: 'authchartdemoclient0000000' };
const RESET = { 'x-authchart-reset': 'demo-data' };
let h: PoolHarness;

beforeAll(async () => {
  h = await startPool({ seed, resetSeed: seed });
});
afterAll(() => h.close());

const reset = (headers: Record<string, string> = RESET) => rawCall(`${h.pool.url}/_local/reset`, { method: 'POST', headers });

it('puts the seeded users back and removes what was done since', async () => {
  await h.sdk.send(
    new SignUpCommand({ ClientId: demo.clientId, Username: 'zed', Password: 'Zed-Passw0rd!', UserAttributes: [{ Name: 'email', Value: 'zed@example.com' }, { Name: 'name', Value: 'Zed' }] }),
  );
  const alice = (await passwordSignIn(h.sdk, demo, 'alice', PASSWORD)).AuthenticationResult!;
  await h.sdk.send(new ChangePasswordCommand({ AccessToken: alice.AccessToken!, PreviousPassword: PASSWORD, ProposedPassword: 'Changed-Passw0rd!' }));
  await h.sdk.send(new ForgotPasswordCommand({ ClientId: demo.clientId, Username: 'rita' }));
  const ritaCode = h.pool.outbox({ username: 'rita' }).at(-1)!.code!;
  await h.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: demo.clientId, Username: 'rita', ConfirmationCode: ritaCode, Password: 'Rita-N3w-pass!' }));
  expect(h.pool.outbox({ userPoolId: demo.poolId }).length).toBeGreaterThan(0);

  const { status, json } = await reset();
  expect(status).toBe(200);
  expect(json).toMatchObject({ seededUsers: seed.pools.reduce((n, p) => n + (p.users?.length ?? 0), 0) });
  expect((json as { removedUsers: number }).removedUsers).toBeGreaterThan((json as { seededUsers: number }).seededUsers); // zed too

  expect((await failure(passwordSignIn(h.sdk, demo, 'zed', 'Zed-Passw0rd!'))).name).toBe('NotAuthorizedException');
  expect((await passwordSignIn(h.sdk, demo, 'alice', PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
  expect((await failure(passwordSignIn(h.sdk, demo, 'alice', 'Changed-Passw0rd!'))).name).toBe('NotAuthorizedException');
  expect((await failure(passwordSignIn(h.sdk, demo, 'rita', 'Rita-N3w-pass!'))).name).toBe('NotAuthorizedException');
  expect((await failure(passwordSignIn(h.sdk, demo, 'rita', PASSWORD))).name).toBe('PasswordResetRequiredException');
  // alice's tokens from before belong to a user that is gone (as after AdminDeleteUser; the new alice has a new sub)
  expect((await failure(h.sdk.send(new GetUserCommand({ AccessToken: alice.AccessToken! })))).name).toBe('UserNotFoundException');
  expect(
    (await failure(h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: demo.clientId, AuthParameters: { REFRESH_TOKEN: alice.RefreshToken! } })))).name,
  ).toBe('NotAuthorizedException');
  expect(h.pool.outbox({ userPoolId: demo.poolId })).toEqual([]);
  // tina's seeded authenticator is hers again
  expect(h.pool.currentTotp(demo.poolId, 'tina').secret).toBe('verified');
});

it('is refused without its header, and to pages of other origins, leaving everything as it was', async () => {
  await h.sdk.send(
    new SignUpCommand({ ClientId: demo.clientId, Username: 'yara', Password: 'Yara-Passw0rd!', UserAttributes: [{ Name: 'email', Value: 'yara@example.com' }, { Name: 'name', Value: 'Yara' }] }),
  );
  const attempts = [
    {}, // a tool that forgot the header
    { 'x-authchart-reset': 'yes' },
    { ...RESET, origin: 'http://evil.example' }, // not an allowed origin at all
    { ...RESET, origin: 'http://localhost:5173' }, // an allowed origin for the public API, but another page
    { ...RESET, origin: 'null' }, // a sandboxed frame of any site
    { ...RESET, 'sec-fetch-site': 'cross-site' }, // a no-CORS request from another site
  ];
  for (const headers of attempts) {
    const { status, json } = await reset(headers);
    expect([status, (json as { __type?: string } | undefined)?.__type]).toEqual([403, 'ForbiddenException']);
  }
  // A foreign page's preflight is refused as well: it would never be allowed to send the header.
  const preflight = await rawCall(`${h.pool.url}/_local/reset`, {
    method: 'OPTIONS',
    headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-authchart-reset' },
  });
  expect(preflight.status).toBe(403);
  expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  expect(h.pool.outbox({ recipient: 'yara@example.com' })).toHaveLength(1); // nothing was reset
});

it('the pool\'s own page may reset (Origin = the pool)', async () => {
  const { status } = await reset({ ...RESET, origin: h.pool.url, 'sec-fetch-site': 'same-origin' });
  expect(status).toBe(200);
  expect(h.pool.outbox({ recipient: 'yara@example.com' })).toEqual([]);
});

it('a pool started without a seed to reset to refuses', async () => {
  const other = await startPool({ seed });
  try {
    const { status, json } = await rawCall(`${other.pool.url}/_local/reset`, { method: 'POST', headers: RESET });
    expect(status).toBe(403);
    expect((json as { message: string }).message).toContain('no seed to reset to');
  } finally {
    await other.close();
  }
});
