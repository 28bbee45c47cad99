// When the runtime computes SRP's g^a ahead: while a sign-in may come (signed out, or a code step that can resend),
// not while signed in, and not during a sign-in, so no private SRP value waits in memory for nothing and no g^a runs
// while Cognito's answer may be arriving.
import { waitFor } from 'xstate';
import vector from '../fixtures/srp-test-vector.json' with { type: 'json' };
import type { ModPowEngine } from '../../src/cognito/srp.js';
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';
import { createAuth } from '../../src/runtime/create-auth.js';
import { createFakePort, fakeTokens } from '../../src/testing/fake-port.js';

const ids = { userPoolId: 'us-east-1_Prepare1', clientId: 'prepareclient' };
const macrotasks = async (n = 3) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

function countingEngine(): ModPowEngine & { readonly powG: ModPowEngine['powG']; count(): number } {
  const openssl = createOpenSslEngine();
  let calls = 0;
  return { name: 'counting', powG: (e) => (calls++, openssl.powG(e)), modPow: (b, e) => openssl.modPow(b, e), count: () => calls };
}

it('prepares g^a at the sign-in form, takes it at submit, and prepares the next only when signed out again', async () => {
  const engine = countingEngine();
  const verifier = {
    challengeName: 'PASSWORD_VERIFIER',
    session: 'S'.repeat(64),
    challengeParameters: { USERNAME: 'ada', USER_ID_FOR_SRP: 'ada', SALT: vector.SALT, SRP_B: vector.SRP_B, SECRET_BLOCK: vector.SECRET_BLOCK },
  };
  const port = createFakePort({ initiateAuth: [verifier], respondToAuthChallenge: [{ challengeParameters: {}, tokens: fakeTokens({ username: 'ada', refreshToken: 'r' }) }] }, ids);
  const auth = createAuth({ ...ids, port, srpEngine: engine });
  await waitFor(auth.actor, (s) => s.matches('signedOut'));
  await macrotasks();
  expect(engine.count()).toBe(1); // g^a for the sign-in to come

  auth.actor.send({ type: 'signIn.submit', username: 'ada', password: 'Passw0rd!' });
  await waitFor(auth.actor, (s) => s.matches('signedIn'));
  await macrotasks();
  // the prepared g^a went into SRP_A; the proof computed g^x; nothing was prepared for later
  expect(port.callsOf('initiateAuth')[0]?.request).toMatchObject({ parameters: { SRP_A: expect.any(String) } });
  expect(engine.count()).toBe(2);

  auth.actor.send({ type: 'session.signOut' });
  await waitFor(auth.actor, (s) => s.matches('signedOut'));
  await macrotasks();
  expect(engine.count()).toBe(3);
  auth.stop();
});

it('prepares none for a session restored signed in', async () => {
  const engine = countingEngine();
  const { MemoryStorage } = await import('../../src/session/storage.js');
  const { TokenStore, toStoredTokens } = await import('../../src/session/tokens.js');
  const storage = new MemoryStorage();
  const store = new TokenStore(storage, ids.clientId);
  await store.save(toStoredTokens(fakeTokens({ username: 'ada', refreshToken: 'r' }), Date.now(), {}), store.generation);
  const auth = createAuth({ ...ids, storage, port: createFakePort({}, ids), srpEngine: engine });
  await waitFor(auth.actor, (s) => s.matches('signedIn'));
  await macrotasks();
  expect(engine.count()).toBe(0);
  auth.stop();
});
