// Server-side use: one createAuth() per request, many at once in one Node process, against the local pool.
// Each actor ends up with its own user's tokens, and nothing of one sign-in shows up in another.
import { waitFor } from 'xstate';
import { decodeJwt } from 'jose';
import { createAuth, type Auth } from '../../src/index.node.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { TokenStore } from '../../src/session/tokens.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';

const USERS = 240;
const password = (i: number) => `Parallel-${i}-Passw0rd!`;
let env: TestPool;
let clientId: string;

beforeAll(async () => {
  env = await startTestPool();
  ({ clientId } = await env.createClient());
  env.pool.seed({
    pools: [{ id: env.userPoolId, name: 'test', users: Array.from({ length: USERS }, (_, i) => ({ username: `user${i}`, password: password(i), attributes: { email: `user${i}@example.com` } })) }],
  });
}, 60_000);
afterAll(() => env.close());

it(`${USERS} actors sign in at once, half with SRP and half with USER_PASSWORD_AUTH; each holds only its own user's tokens`, async () => {
  const runs = Array.from({ length: USERS }, (_, i) => {
    const storage = new MemoryStorage();
    const auth: Auth = createAuth({
      userPoolId: env.userPoolId,
      clientId,
      endpoint: env.pool.url,
      storage,
      authFlow: i % 2 === 0 ? 'USER_SRP_AUTH' : 'USER_PASSWORD_AUTH',
    });
    return { i, auth, tokens: new TokenStore(storage, clientId) };
  });
  try {
    await Promise.all(
      runs.map(async ({ i, auth }) => {
        await waitFor(auth.actor, (s) => s.matches('signedOut'));
        // every fifth one types a wrong password: its failure must stay its own
        auth.actor.send({ type: 'signIn.submit', username: `user${i}`, password: i % 5 === 4 ? 'Wr0ng-password!' : password(i) });
        await waitFor(auth.actor, (s) => !s.hasTag('busy') && (s.matches('signedIn') || s.context.error !== null), { timeout: 60_000 });
      }),
    );
    for (const { i, auth, tokens } of runs) {
      const snap = auth.actor.getSnapshot();
      if (i % 5 === 4) {
        expect(snap.context.error?.code).toBe('IncorrectUsernameOrPassword');
        expect(await tokens.load()).toBeNull();
        continue;
      }
      expect(snap.matches('signedIn')).toBe(true);
      expect(snap.context.user?.username).toBe(`user${i}`);
      const stored = (await tokens.load())!;
      expect(decodeJwt(stored.idToken)['cognito:username']).toBe(`user${i}`);
      expect(decodeJwt(stored.accessToken)['username']).toBe(`user${i}`);
    }
  } finally {
    runs.forEach(({ auth }) => auth.stop());
  }
}, 120_000);
