// The pool keeps an idle keep-alive connection longer than a client's pause between calls: a client that reuses
// its connection after 7 s (past the 5 s, plus the second Node allows, when the pool used to close it) gets it, not a reset.
import { Agent, request } from 'node:http';
import { startLocalPool, type LocalPool } from '../../src/local-pool/index.js';

let pool: LocalPool;
beforeAll(async () => {
  pool = await startLocalPool({ port: 0 });
});
afterAll(() => pool.close());

/** One ListUserPools over `agent`: its status and whether it went over a connection used before. */
function call(agent: Agent): Promise<{ status: number | undefined; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ MaxResults: 1 });
    const req = request(`${pool.url}/`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPools', 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

it('a connection idle for 7 s is still open and is reused', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    expect(await call(agent)).toEqual({ status: 200, reused: false });
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    expect(await call(agent)).toEqual({ status: 200, reused: true });
  } finally {
    agent.destroy();
  }
}, 15_000);
