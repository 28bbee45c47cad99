// Tabs sharing one token store (here: two createAuth() actors in one process with one storage and Node's
// BroadcastChannel) hear of each other's sign-in and sign-out, and refresh one at a time.
import { waitFor, type SnapshotFrom } from 'xstate';
import type { AuthMachine } from '../../machines/auth.machine.js';
import { createAuth, type Auth } from '../../src/runtime/create-auth.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { TokenStore, toStoredTokens } from '../../src/session/tokens.js';
import { createFakePort, fakeTokens, type FakeScript } from '../../src/testing/fake-port.js';
import { selectView } from '../../src/view.js';

const ids = { userPoolId: 'us-east-1_TabsPool1', clientId: `tabsclient${Date.now()}` };
const running: Auth[] = [];
afterEach(() => running.splice(0).forEach((a) => a.stop()));
const until = (auth: Auth, p: (s: SnapshotFrom<AuthMachine>) => boolean) => waitFor(auth.actor, p, { timeout: 5000 });

function tab(storage: MemoryStorage, script: FakeScript = {}) {
  const port = createFakePort(script, ids);
  const auth = createAuth({ ...ids, port, storage, authFlow: 'USER_PASSWORD_AUTH', tabs: true });
  running.push(auth);
  return { auth, port };
}

it('a sign-in in one tab signs the other in (no Cognito call there), and a sign-out signs both out', async () => {
  const storage = new MemoryStorage();
  const a = tab(storage, { initiateAuth: [{ challengeParameters: {}, tokens: fakeTokens({ username: 'alice' }) }], revokeToken: [undefined] });
  const b = tab(storage);
  await until(a.auth, (s) => s.matches('signedOut'));
  await until(b.auth, (s) => s.matches('signedOut'));
  a.auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'pw' });
  await until(a.auth, (s) => s.matches('signedIn'));
  const other = await until(b.auth, (s) => s.matches('signedIn'));
  expect(other.context.user?.username).toBe('alice');
  expect(b.port.calls).toHaveLength(0);

  b.auth.actor.send({ type: 'session.signOut' });
  await until(b.auth, (s) => s.matches('signedOut'));
  await until(a.auth, (s) => s.matches('signedOut'));
  expect(await new TokenStore(storage, ids.clientId).load()).toBeNull();
});

it('a tab half-way through its own sign-in adopts the other tab’s session', async () => {
  const storage = new MemoryStorage();
  const sms = { challengeName: 'SMS_MFA', session: 'S'.repeat(40), challengeParameters: { USER_ID_FOR_SRP: 'alice', CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*1' } };
  const a = tab(storage, { initiateAuth: [{ challengeParameters: {}, tokens: fakeTokens({ username: 'alice' }) }] });
  const b = tab(storage, { initiateAuth: [sms as never] });
  await until(b.auth, (s) => s.matches('signedOut'));
  b.auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'pw' });
  await until(b.auth, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
  await until(a.auth, (s) => s.matches('signedOut'));
  a.auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'pw' });
  const adopted = await until(b.auth, (s) => s.matches('signedIn'));
  expect(adopted.context.session).toBeNull();
});

it('a second sign-in while signed in is the typed AlreadySignedIn, not a silent no-op', async () => {
  const storage = new MemoryStorage();
  const a = tab(storage, { initiateAuth: [{ challengeParameters: {}, tokens: fakeTokens({ username: 'alice' }) }] });
  await until(a.auth, (s) => s.matches('signedOut'));
  a.auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'pw' });
  await until(a.auth, (s) => s.matches('signedIn'));
  a.auth.actor.send({ type: 'signIn.submit', username: 'bob', password: 'pw' });
  const snap = a.auth.actor.getSnapshot();
  expect(snap.matches('signedIn')).toBe(true);
  expect(selectView(snap)).toMatchObject({ route: 'signedIn', error: { code: 'AlreadySignedIn', category: 'input' } });
  expect(a.port.callsOf('initiateAuth')).toHaveLength(1);
});

describe('refreshes are single-flight across tabs (Web Locks)', () => {
  // Node 20 has no navigator.locks: a minimal exclusive lock manager stands in for the browser's
  // (request(name, work), and request(name, { ifAvailable: true }, work) that gets null when it is held).
  const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  beforeAll(() => {
    const tails = new Map<string, Promise<unknown>>();
    const held = new Set<string>();
    const locks = {
      request<T>(name: string, ...args: [(lock: unknown) => Promise<T>] | [{ ifAvailable: true }, (lock: unknown) => Promise<T>]): Promise<T> {
        const work = args.length === 1 ? args[0] : args[1];
        if (args.length === 2 && held.has(name)) return work(null);
        const granted = () => {
          held.add(name);
          return work({ name }).finally(() => held.delete(name));
        };
        const run = (tails.get(name) ?? Promise.resolve()).then(granted, granted);
        tails.set(name, run.catch(() => undefined));
        return run;
      },
    };
    Object.defineProperty(globalThis, 'navigator', { value: { locks }, configurable: true });
  });
  afterAll(() => {
    if (original) Object.defineProperty(globalThis, 'navigator', original);
    else delete (globalThis as { navigator?: unknown }).navigator;
  });

  it('two tabs with stale tokens refresh at once: one GetTokensFromRefreshToken, both end with the fresh tokens', async () => {
    const storage = new MemoryStorage();
    const store = new TokenStore(storage, ids.clientId);
    await store.save(toStoredTokens(fakeTokens({ username: 'alice', nowSeconds: Math.floor(Date.now() / 1000) - 7200 }), Date.now() - 7_200_000, {}));
    const slow = (tokens: ReturnType<typeof fakeTokens>) => () => new Promise<typeof tokens>((r) => setTimeout(() => r(tokens), 50));
    const a = tab(storage, { getTokensFromRefreshToken: [slow(fakeTokens({ username: 'alice' }))] });
    const b = tab(storage, { getTokensFromRefreshToken: [slow(fakeTokens({ username: 'alice' }))] });
    await Promise.all([until(a.auth, (s) => s.matches('signedIn')), until(b.auth, (s) => s.matches('signedIn'))]);
    expect(a.port.callsOf('getTokensFromRefreshToken').length + b.port.callsOf('getTokensFromRefreshToken').length).toBe(1);
    const [ta, tb] = await Promise.all([a.auth.getTokens(), b.auth.getTokens()]);
    expect(ta?.accessToken).toBe(tb?.accessToken);
  });
});
