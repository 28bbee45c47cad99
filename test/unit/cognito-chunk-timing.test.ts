// While the Cognito chunk (src/runtime/cognito-chunk.ts) is still loading, the chart goes on: what the user does in
// that time must hold once it arrives. The load is held back by a gate the test opens.
import { waitFor } from 'xstate';
import type * as CreateAuthModule from '../../src/runtime/create-auth.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { TokenStore, toStoredTokens } from '../../src/session/tokens.js';
import { createFakePort, fakeTokens } from '../../src/testing/fake-port.js';

const ids = { userPoolId: 'us-east-1_Timing1', clientId: 'timingclient' };
let open: () => void;

beforeEach(() => {
  jest.resetModules();
  const gate = new Promise<void>((resolve) => (open = resolve));
  jest.doMock('../../src/runtime/cognito-loader.js', () => ({
    loadCognitoChunk: () => gate.then(() => jest.requireActual('../../src/runtime/cognito-chunk.js')),
  }));
});

const load = (): typeof CreateAuthModule => jest.requireActual('../../src/runtime/create-auth.js');
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

async function storedSession(storage: MemoryStorage, expiresInSeconds = 3600): Promise<void> {
  const tokens = new TokenStore(storage, ids.clientId);
  await tokens.save(toStoredTokens(fakeTokens({ username: 'ada', refreshToken: 'refresh-1', expiresInSeconds }), Date.now(), {}), tokens.generation);
}

it('a sign-in whose instance stopped while the chunk loaded sends nothing and keeps no tokens', async () => {
  const storage = new MemoryStorage();
  const port = createFakePort({ initiateAuth: [{ challengeParameters: {}, tokens: fakeTokens({ username: 'ada' }) }] }, ids);
  const auth = load().createAuth({ ...ids, storage, authFlow: 'USER_PASSWORD_AUTH', port });
  // a control that is not stopped: the chunk did arrive, and a running instance's sign-in went out with it
  const controlPort = createFakePort({ initiateAuth: [{ challengeParameters: {}, tokens: fakeTokens({ username: 'bo' }) }] }, ids);
  const control = load().createAuth({ ...ids, authFlow: 'USER_PASSWORD_AUTH', port: controlPort });
  await waitFor(auth.actor, (s) => s.matches('signedOut'));
  await waitFor(control.actor, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signIn.submit', username: 'ada', password: 'Passw0rd!' });
  control.actor.send({ type: 'signIn.submit', username: 'bo', password: 'Passw0rd!' });
  auth.stop();
  open();
  await waitFor(control.actor, (s) => s.matches('signedIn'));
  control.stop();
  await settle();
  expect(controlPort.callsOf('initiateAuth')).toHaveLength(1);
  expect(port.callsOf('initiateAuth')).toHaveLength(0);
  expect(await new TokenStore(storage, ids.clientId).load()).toBeNull();
});

it('a sign-out sent while the chunk loads ends the session on the device at once, and revokes the token once it arrives', async () => {
  const storage = new MemoryStorage();
  await storedSession(storage);
  const port = createFakePort({ revokeToken: [undefined] }, ids);
  const auth = load().createAuth({ ...ids, storage, port });
  await waitFor(auth.actor, (s) => s.matches('signedIn'));
  auth.actor.send({ type: 'session.signOut' });
  await settle();
  // The session is over on the device at once (the tab may close before the chunk comes), as it is offline.
  expect(await new TokenStore(storage, ids.clientId).load()).toBeNull();
  open();
  const out = await waitFor(auth.actor, (s) => s.matches('signedOut'));
  expect(out.context.error).toBeNull();
  expect(port.callsOf('revokeToken')).toHaveLength(1);
  expect(await new TokenStore(storage, ids.clientId).load()).toBeNull();
  auth.stop();
});

it('getTokens({ forceRefresh }) twice while the chunk loads: one refresh, both get its tokens', async () => {
  const storage = new MemoryStorage();
  await storedSession(storage);
  const refreshed = fakeTokens({ username: 'ada', refreshToken: null });
  const port = createFakePort({ getTokensFromRefreshToken: [refreshed] }, ids);
  const auth = load().createAuth({ ...ids, storage, port });
  await waitFor(auth.actor, (s) => s.matches('signedIn'));
  const both = Promise.all([auth.getTokens({ forceRefresh: true }), auth.getTokens({ forceRefresh: true })]);
  await settle();
  open();
  const [a, b] = await both;
  expect(a?.accessToken).toBe(refreshed.accessToken);
  expect(b?.accessToken).toBe(refreshed.accessToken);
  expect(port.callsOf('getTokensFromRefreshToken')).toHaveLength(1);
  auth.stop();
});

it('a stale stored session is refreshed at start once the chunk arrives, and getTokens waits for it', async () => {
  const storage = new MemoryStorage();
  await storedSession(storage, -10);
  const refreshed = fakeTokens({ username: 'ada', refreshToken: null });
  const port = createFakePort({ getTokensFromRefreshToken: [refreshed] }, ids);
  const auth = load().createAuth({ ...ids, storage, port });
  const tokens = auth.getTokens();
  await settle();
  open();
  expect((await tokens)?.accessToken).toBe(refreshed.accessToken);
  auth.stop();
});

it('a refresh left for a sign-out while the chunk loads writes no tokens back', async () => {
  const storage = new MemoryStorage();
  await storedSession(storage);
  const port = createFakePort({ getTokensFromRefreshToken: [fakeTokens({ username: 'ada' })], revokeToken: [undefined] }, ids);
  const auth = load().createAuth({ ...ids, storage, port });
  await waitFor(auth.actor, (s) => s.matches('signedIn'));
  auth.actor.send({ type: 'session.refresh' });
  auth.actor.send({ type: 'session.signOut' });
  open();
  await waitFor(auth.actor, (s) => s.matches('signedOut'));
  await settle();
  expect(port.callsOf('getTokensFromRefreshToken')).toHaveLength(0);
  expect(port.callsOf('revokeToken')).toHaveLength(1);
  expect(await new TokenStore(storage, ids.clientId).load()).toBeNull();
  auth.stop();
});
