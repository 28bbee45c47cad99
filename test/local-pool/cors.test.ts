// Browsers on other origins may call the Cognito API (as they may call Cognito), but not read the pool's
// local endpoints: a web page must not be able to fetch TOTP codes or the outbox from a developer's pool.
import { startLocalPool, type LocalPool } from '../../src/local-pool/index.js';
import { premadeSigningKeyPairs } from '../support/signing-keys.js';

let pool: LocalPool;
beforeAll(async () => {
  pool = await startLocalPool({ signingKeyPairs: premadeSigningKeyPairs });
});
afterAll(() => pool.close());

const fromOtherOrigin = { Origin: 'http://evil.example' };

it.each(['/_local/outbox', '/_local/totp?userPoolId=us-east-1_x&username=u', '/_local/requests'])('%s is not readable cross-origin', async (path) => {
  const response = await fetch(`${pool.url}${path}`, { headers: fromOtherOrigin });
  expect(response.headers.get('access-control-allow-origin')).toBeNull();
  const preflight = await fetch(`${pool.url}${path}`, { method: 'OPTIONS', headers: { ...fromOtherOrigin, 'Access-Control-Request-Method': 'GET' } });
  expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
});

it('the Cognito API answers cross-origin requests, as Cognito does', async () => {
  const response = await fetch(pool.url, {
    method: 'POST',
    headers: { ...fromOtherOrigin, 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.ListUserPools' },
    body: JSON.stringify({ MaxResults: 1 }),
  });
  expect(response.headers.get('access-control-allow-origin')).toBe('http://evil.example');
});
