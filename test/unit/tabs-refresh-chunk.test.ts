// Tabs refresh one at a time (session.ts, Web Locks): a tab that finds the tokens changed since its chart asked for a
// refresh uses them. Its refresh's code may come later than that (the Cognito chunk, fetched per tab), so "since" is
// when the chart asked, not when the code ran: two tabs opened on stale tokens, whose chunks arrive one after the
// other, send one refresh. Each tab's chunk is held back by a gate of its own; the two tabs share one storage and a
// small exclusive Web Locks (Node has none).
import { waitFor } from 'xstate';
import type * as CreateAuthModule from '../../src/runtime/create-auth.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { TokenStore, toStoredTokens } from '../../src/session/tokens.js';
import { createFakePort, fakeTokens } from '../../src/testing/fake-port.js';

const ids = { userPoolId: 'us-east-1_TabsChunk1', clientId: 'tabschunkclient' };
const gates: Array<() => void> = [];

const held = new Map<string, Promise<unknown>>();
const webLocks = {
  async request(name: string, optionsOrCallback: unknown, maybeCallback?: unknown): Promise<unknown> {
    const [options, callback] = (maybeCallback ? [optionsOrCallback, maybeCallback] : [{}, optionsOrCallback]) as [{ ifAvailable?: boolean }, (lock: unknown) => Promise<unknown>];
    if (options.ifAvailable && held.has(name)) return callback(null);
    while (held.has(name)) await held.get(name)!.catch(() => undefined);
    const work = callback({ name });
    held.set(name, work);
    try {
      return await work;
    } finally {
      held.delete(name);
    }
  },
};

beforeAll(() => Object.defineProperty(globalThis, 'navigator', { value: { locks: webLocks }, configurable: true }));
afterAll(() => Reflect.deleteProperty(globalThis, 'navigator'));
beforeEach(() => {
  jest.resetModules();
  gates.length = 0;
  // Every load waits for its own gate, as each tab fetches the chunk itself.
  jest.doMock('../../src/runtime/cognito-loader.js', () => ({
    loadCognitoChunk: () => new Promise<void>((open) => gates.push(open)).then(() => jest.requireActual('../../src/runtime/cognito-chunk.js')),
  }));
});

const load = (): typeof CreateAuthModule => jest.requireActual('../../src/runtime/create-auth.js');
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

it('two tabs on stale tokens whose chunks arrive one after the other: one refresh, the second tab uses its tokens', async () => {
  const storage = new MemoryStorage();
  const store = new TokenStore(storage, ids.clientId);
  await store.save(toStoredTokens(fakeTokens({ username: 'ada', refreshToken: 'refresh-1', expiresInSeconds: -5 }), Date.now(), {}), store.generation);
  const refreshed = fakeTokens({ username: 'ada', refreshToken: null });
  const [portA, portB] = [createFakePort({ getTokensFromRefreshToken: [refreshed] }, ids), createFakePort({ getTokensFromRefreshToken: [fakeTokens({ username: 'ada' })] }, ids)];
  const { createAuth } = load();
  const a = createAuth({ ...ids, storage, port: portA, tabs: false });
  const b = createAuth({ ...ids, storage, port: portB, tabs: false });
  await settle();
  // Both charts are refreshing, their code not loaded: A's prefetch, B's prefetch, A's refresh, B's refresh.
  expect([a.actor.getSnapshot().matches({ checkingSession: 'refreshing' }), b.actor.getSnapshot().matches({ checkingSession: 'refreshing' }), gates.length]).toEqual([true, true, 4]);
  gates.splice(0, 3).forEach((open) => open());
  await waitFor(a.actor, (s) => s.matches('signedIn') && !s.hasTag('refreshing'));
  await settle();
  gates.splice(0).forEach((open) => open()); // B's code arrives after A's refresh is stored
  await waitFor(b.actor, (s) => s.matches('signedIn') && !s.hasTag('refreshing'));
  expect([portA.callsOf('getTokensFromRefreshToken').length, portB.callsOf('getTokensFromRefreshToken').length]).toEqual([1, 0]);
  expect((await b.getTokens())?.accessToken).toBe(refreshed.accessToken);
  a.stop();
  b.stop();
});
