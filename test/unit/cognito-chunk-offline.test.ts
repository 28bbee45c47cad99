// The code that talks to Cognito is a chunk of its own (src/runtime/cognito-chunk.ts), fetched when createAuth()
// starts. When it cannot be fetched (offline since the page loaded): a stored session is still restored, a sign-in
// fails as a retryable Network error and the next one loads it, a sign-out still ends the session on the device.
// The chunk's failure is simulated by making its module throw when it is loaded, as a failed fetch of it would.
import { waitFor } from 'xstate';
import type * as CreateAuthModule from '../../src/runtime/create-auth.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { TokenStore } from '../../src/session/tokens.js';
import { createFakePort, fakeTokens } from '../../src/testing/fake-port.js';

const ids = { userPoolId: 'us-east-1_Offline1', clientId: 'offlineclient' };
let online = false;

beforeEach(() => {
  jest.resetModules();
  online = false;
  jest.doMock('../../src/runtime/cognito-chunk.js', () => {
    if (!online) throw new TypeError('Failed to fetch dynamically imported module');
    return jest.requireActual('../../src/runtime/cognito-chunk.js');
  });
});

const load = (): typeof CreateAuthModule => jest.requireActual('../../src/runtime/create-auth.js');

async function storedSession(storage: MemoryStorage, clientId: string): Promise<void> {
  const tokens = new TokenStore(storage, clientId);
  const { toStoredTokens } = jest.requireActual('../../src/session/tokens.js') as typeof import('../../src/session/tokens.js');
  await tokens.save(toStoredTokens(fakeTokens({ username: 'ada', refreshToken: 'refresh-1' }), Date.now(), {}), tokens.generation);
}

it('restores fresh stored tokens without the chunk', async () => {
  const storage = new MemoryStorage();
  await storedSession(storage, ids.clientId);
  const auth = load().createAuth({ ...ids, storage, port: createFakePort({}, ids) });
  const snapshot = await waitFor(auth.actor, (s) => !s.matches('checkingSession'));
  expect(snapshot.matches('signedIn')).toBe(true);
  expect(snapshot.context.user?.username).toBe('ada');
  auth.stop();
});

it('fails a sign-in as a retryable Network error, and the next one loads the chunk and signs in', async () => {
  const port = createFakePort({ initiateAuth: [{ challengeParameters: {}, tokens: fakeTokens({ username: 'ada' }) }] }, ids);
  const auth = load().createAuth({ ...ids, authFlow: 'USER_PASSWORD_AUTH', port });
  await waitFor(auth.actor, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signIn.submit', username: 'ada', password: 'Passw0rd!' });
  const failed = await waitFor(auth.actor, (s) => s.matches('signedOut') && s.context.error !== null);
  expect(failed.context.error).toMatchObject({ code: 'Network', retryable: true });
  expect(port.callsOf('initiateAuth')).toHaveLength(0);
  online = true;
  auth.actor.send({ type: 'signIn.submit', username: 'ada', password: 'Passw0rd!' });
  const signedIn = await waitFor(auth.actor, (s) => s.matches('signedIn'));
  expect(signedIn.context.user?.username).toBe('ada');
  expect(port.callsOf('initiateAuth')).toHaveLength(1);
  auth.stop();
});

it('still signs out on the device, saying the sign-out is incomplete', async () => {
  const storage = new MemoryStorage();
  await storedSession(storage, ids.clientId);
  const port = createFakePort({}, ids);
  const auth = load().createAuth({ ...ids, storage, port });
  await waitFor(auth.actor, (s) => s.matches('signedIn'));
  auth.actor.send({ type: 'session.signOut' });
  const out = await waitFor(auth.actor, (s) => s.matches('signedOut'));
  expect(out.context.error).toMatchObject({ code: 'SignOutIncomplete' });
  expect(await new TokenStore(storage, ids.clientId).load()).toBeNull();
  expect(port.callsOf('revokeToken')).toHaveLength(0);
  auth.stop();
});

describe('the families of steps only some users reach (later-families.ts), when they cannot be fetched', () => {
  let laterOnline = false;
  beforeEach(() => {
    online = true;
    laterOnline = false;
    jest.doMock('../../src/runtime/actors/later-families.js', () => {
      if (!laterOnline) throw new TypeError('Failed to fetch dynamically imported module');
      return jest.requireActual('../../src/runtime/actors/later-families.js');
    });
  });

  it('fail as a retryable Network error, and the next try fetches them again', async () => {
    const port = createFakePort({ signUp: [{ userConfirmed: false, userSub: 'sub-1', codeDelivery: { destination: 'a***@e.com', deliveryMedium: 'EMAIL', attributeName: 'email' } }] }, ids);
    const auth = load().createAuth({ ...ids, port });
    await waitFor(auth.actor, (s) => s.matches('signedOut'));
    auth.actor.send({ type: 'signUp.start' });
    const submit = () => auth.actor.send({ type: 'signUp.submit', username: 'ada', password: 'Passw0rd!', attributes: { email: 'ada@example.com' } });
    submit();
    const failed = await waitFor(auth.actor, (s) => s.matches({ signingUp: 'form' }) && s.context.error !== null);
    expect(failed.context.error).toMatchObject({ code: 'Network', retryable: true });
    expect(port.callsOf('signUp')).toHaveLength(0);
    laterOnline = true;
    submit();
    await waitFor(auth.actor, (s) => s.matches({ signingUp: 'confirming' }));
    expect(port.callsOf('signUp')).toHaveLength(1);
    auth.stop();
  });
});

describe("createSdkPort / createFetchPort from 'authchart', whose code is in the chunk", () => {
  it.each(['createSdkPort', 'createFetchPort'] as const)('%s: ids at once; a call while the chunk cannot be fetched is a retryable Network error, the next loads it', async (factory) => {
    const ports = jest.requireActual('../../src/runtime/public-ports.js') as typeof import('../../src/runtime/public-ports.js');
    const fetch = jest.fn(async () => new Response(JSON.stringify({ __type: 'NotAuthorizedException', message: 'Invalid Access Token' }), { status: 400 }));
    const send = jest.fn(async () => Promise.reject(Object.assign(new Error('Invalid Access Token'), { name: 'NotAuthorizedException', $metadata: { httpStatusCode: 400 } })));
    const port = ports[factory]({ ...ids, endpoint: 'http://127.0.0.1:9', fetch, client: { send } } as never);
    expect([port.userPoolId, port.clientId]).toEqual([ids.userPoolId, ids.clientId]);
    const signal = new AbortController().signal;
    await expect(port.getUser({ accessToken: 'a' }, signal)).rejects.toMatchObject({ name: 'AuthError', code: 'Network', retryable: true });
    online = true;
    await expect(port.getUser({ accessToken: 'a' }, signal)).rejects.toMatchObject({ name: 'AuthError', code: 'InvalidToken' });
    // the one call that got through went over this factory's own transport, none over the other
    const [used, unused] = factory === 'createFetchPort' ? [fetch, send] : [send, fetch];
    expect(used).toHaveBeenCalledTimes(1);
    expect(unused).not.toHaveBeenCalled();
  });
});
