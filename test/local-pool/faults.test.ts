// Faults on demand over HTTP (POST / DELETE /_local/faults, control API only): the next N calls of an operation fail.
import { startTestPool, type TestPool } from '../support/local-pool.js';

let env: TestPool;
beforeAll(async () => {
  env = await startTestPool({ enableControlApi: true });
});
afterAll(() => env.close());

const call = (target: string, body: object) =>
  fetch(env.pool.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityProviderService.${target}` },
    body: JSON.stringify(body),
  });
const faults = (method: 'POST' | 'DELETE', body?: object) =>
  fetch(`${env.pool.url}/_local/faults`, { method, headers: { 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

it('the next N calls of the named operation get the fault, then it is gone; other operations are untouched', async () => {
  expect((await faults('POST', { operation: 'DescribeUserPool', fault: '503', count: 2 })).status).toBe(200);
  const describe = () => call('DescribeUserPool', { UserPoolId: env.userPoolId });
  const first = await describe();
  expect(first.status).toBe(503);
  expect(await first.json()).toMatchObject({ __type: 'TooManyRequestsException' });
  expect((await call('ListUserPools', { MaxResults: 5 })).status).toBe(200);
  expect((await describe()).status).toBe(503);
  expect((await describe()).status).toBe(200);
});

it('an HTML 502 and a 500 answer as a proxy and the service would; DELETE clears what is left', async () => {
  await faults('POST', { operation: '*', fault: 'html502' });
  const proxied = await call('ListUserPools', { MaxResults: 5 });
  expect(proxied.status).toBe(502);
  expect(proxied.headers.get('content-type')).toMatch(/text\/html/);
  await faults('POST', { operation: 'ListUserPools', fault: '500', count: 5 });
  expect((await call('ListUserPools', { MaxResults: 5 })).status).toBe(500);
  await faults('DELETE');
  expect((await call('ListUserPools', { MaxResults: 5 })).status).toBe(200);
});

it('a drop cuts the connection without an answer', async () => {
  await faults('POST', { operation: 'ListUserPools', fault: 'drop' });
  await expect(call('ListUserPools', { MaxResults: 5 })).rejects.toThrow();
  expect((await call('ListUserPools', { MaxResults: 5 })).status).toBe(200);
});

it('refuses unknown faults, and is off without the control API', async () => {
  expect((await faults('POST', { operation: 'InitiateAuth', fault: 'explode' })).status).toBe(400);
  const plain = await startTestPool();
  try {
    const refused = await fetch(`${plain.pool.url}/_local/faults`, { method: 'POST', body: JSON.stringify({ operation: '*', fault: '500' }) });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ __type: 'ForbiddenException' });
  } finally {
    await plain.close();
  }
});

it('unsupported answers as a server without the operation (cognito-local): UnsupportedOperationException, 400, the operation not run', async () => {
  expect((await faults('POST', { operation: 'DescribeUserPool', fault: 'unsupported' })).status).toBe(200);
  const answer = await call('DescribeUserPool', { UserPoolId: env.userPoolId });
  expect(answer.status).toBe(400);
  expect(await answer.json()).toMatchObject({ __type: 'UnsupportedOperationException' });
  expect((await call('DescribeUserPool', { UserPoolId: env.userPoolId })).status).toBe(200);
});
