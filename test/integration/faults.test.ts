// Faults on the wire leave the chart in a defined, recoverable state: no answer at all (timeout),
// nobody listening (connection refused), then the service back. The same for both transports (SDK and fetch).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor, type SnapshotFrom } from 'xstate';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createAuth, ENGLISH, selectView, type Auth, type AuthMachine } from '../../src/index.node.js';
import { startLocalPool } from '../../src/local-pool/index.js';
import { premadeSigningKeyPairs } from '../support/signing-keys.js';

const ids = { userPoolId: 'us-east-1_authchart', clientId: 'authchartdemoclient0000000' };
const seed = JSON.parse(readFileSync(resolve(__dirname, '../../seeds/demo.json'), 'utf8'));
const running: Auth[] = [];
afterEach(() => running.splice(0).forEach((a) => a.stop()));
const until = (auth: Auth, p: (s: SnapshotFrom<AuthMachine>) => boolean) => waitFor(auth.actor, p, { timeout: 10_000 });

function listen(server: Server): Promise<number> {
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok((server.address() as AddressInfo).port)));
}

describe.each(['sdk', 'fetch'] as const)('the %s transport', (transport) => {
  it('Cognito never answers: the request times out into a retryable Network error, not a busy state forever', async () => {
    const hanging = createServer(() => {
      /* accepts the request and never answers */
    });
    const port = await listen(hanging);
    try {
      const auth = createAuth({ ...ids, transport, endpoint: `http://127.0.0.1:${port}`, requestTimeoutMs: 300 });
      running.push(auth);
      await until(auth, (s) => s.matches('signedOut'));
      const started = Date.now();
      auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'Passw0rd!demo' });
      const snap = await until(auth, (s) => s.matches('signedOut') && s.context.error !== null);
      expect(snap.context.error).toMatchObject({ code: 'Network', retryable: true });
      expect(selectView(snap).error?.message).toBe(ENGLISH.Network);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      hanging.closeAllConnections();
      await new Promise((r) => hanging.close(r));
    }
  });

  it('nobody listening: a retryable Network error; once the pool is back the same actor signs in', async () => {
    const probe = createServer();
    const port = await listen(probe);
    await new Promise((r) => probe.close(r)); // a port nobody listens on
    const auth = createAuth({ ...ids, transport, endpoint: `http://127.0.0.1:${port}` });
    running.push(auth);
    await until(auth, (s) => s.matches('signedOut'));
    auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'Passw0rd!demo', authFlow: 'USER_PASSWORD_AUTH' });
    const down = await until(auth, (s) => s.context.error !== null);
    expect(down.value).toBe('signedOut');
    expect(down.context.error).toMatchObject({ code: 'Network', category: 'network', retryable: true });

    const pool = await startLocalPool({ port, seed, signingKeyPairs: premadeSigningKeyPairs });
    try {
      auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'Passw0rd!demo', authFlow: 'USER_PASSWORD_AUTH' });
      await until(auth, (s) => s.matches('signedIn'));
    } finally {
      auth.stop();
      await pool.close();
    }
  });

  describe('a connection dropped by the server', () => {
    // A stand-in Cognito: InitiateAuth answers with an SMS_MFA challenge (or drops), RespondToAuthChallenge drops.
    const dropping = (dropInitiate: boolean) =>
      createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => {
          const target = String(req.headers['x-amz-target'] ?? '');
          if (target.endsWith('.InitiateAuth') && !dropInitiate) {
            res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
            res.end(
              JSON.stringify({
                ChallengeName: 'SMS_MFA',
                Session: 'S'.repeat(40),
                ChallengeParameters: { USER_ID_FOR_SRP: 'alice', CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0001' },
              }),
            );
            return;
          }
          req.socket.destroy(); // the request arrived; the answer never will
        });
      });

    /** A signed-out chart talking to the stand-in, its sign-in submitted; the server closes when the test ends. */
    async function submitted(dropInitiate: boolean) {
      const server = dropping(dropInitiate);
      const port = await listen(server);
      closing.push(() => new Promise((r) => server.close(r)));
      const auth = createAuth({ ...ids, transport, endpoint: `http://127.0.0.1:${port}`, authFlow: 'USER_PASSWORD_AUTH' });
      running.push(auth);
      await until(auth, (s) => s.matches('signedOut'));
      auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'Passw0rd!demo' });
      return auth;
    }
    const closing: Array<() => Promise<unknown>> = [];
    afterEach(() => Promise.all(closing.splice(0).map((close) => close())));

    it('before an answer to a repeatable call (InitiateAuth): Network, retryable — never "cancelled"', async () => {
      const auth = await submitted(true);
      const snap = await until(auth, (s) => s.matches('signedOut') && s.context.error !== null);
      expect(snap.context.error).toMatchObject({ code: 'Network', retryable: true });
    });

    it('after a code was sent (RespondToAuthChallenge spends the Session): OutcomeUnknown, not retryable, the attempt ends', async () => {
      const auth = await submitted(false);
      await until(auth, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
      auth.actor.send({ type: 'code.submit', code: '123456' });
      const snap = await until(auth, (s) => s.matches('sessionExpired'));
      expect(snap.context.error).toMatchObject({ code: 'OutcomeUnknown', category: 'session', retryable: false });
      expect(selectView(snap).error?.message).toMatch(/may or may not have gone through/);
    });
  });
});
