// What createAuth() instances share (issue 14): one provided machine, one transport per connection, actor bodies made
// per family on first use — and what they must not share: each instance's own dependencies.
import { authMachine } from '../../machines/auth.machine.js';
import { createActorBodies, type ActorDeps } from '../../src/runtime/actors/index.js';
import { actorBodiesOnDemand } from '../../src/runtime/actors/on-demand.js';
import { createAuth } from '../../src/runtime/create-auth.js';
import { SecretVault } from '../../src/runtime/secret-vault.js';
import { sharedTransport } from '../../src/runtime/shared-transports.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { TokenStore } from '../../src/session/tokens.js';
import { createFakePort, cognitoError } from '../../src/testing/fake-port.js';

const ids = { userPoolId: 'us-east-1_Share1', clientId: 'shareclient' };
const signedOut = (auth: ReturnType<typeof createAuth>) => new Promise<void>((r) => auth.actor.subscribe((s) => s.matches('signedOut') && r()));

describe('createAuth instances', () => {
  it('run one provided machine', () => {
    const [a, b] = [createAuth({ ...ids, port: createFakePort({}, ids) }), createAuth({ ...ids, transport: 'fetch' })];
    expect(a.actor.logic).toBe(b.actor.logic);
    a.stop();
    b.stop();
  });

  it('each reach their own port through it', async () => {
    const refused = createFakePort({ initiateAuth: [cognitoError('NotAuthorizedException', 'Incorrect username or password.')] }, ids);
    const unknown = createFakePort({ initiateAuth: [cognitoError('UserNotFoundException', 'User does not exist.')] }, ids);
    const [a, b] = [createAuth({ ...ids, authFlow: 'USER_PASSWORD_AUTH', port: refused }), createAuth({ ...ids, authFlow: 'USER_PASSWORD_AUTH', port: unknown })];
    await Promise.all([signedOut(a), signedOut(b)]);
    a.actor.send({ type: 'signIn.submit', username: 'alice', password: 'pw' });
    b.actor.send({ type: 'signIn.submit', username: 'bob', password: 'pw' });
    const errorOf = (auth: typeof a) => new Promise<string>((r) => auth.actor.subscribe((s) => s.matches('signedOut') && s.context.error && r(s.context.error.code)));
    expect(await Promise.all([errorOf(a), errorOf(b)])).toEqual(['IncorrectUsernameOrPassword', 'UserNotFound']);
    expect([refused.callsOf('initiateAuth').length, unknown.callsOf('initiateAuth').length]).toEqual([1, 1]);
    a.stop();
    b.stop();
  });
});

describe('sharedTransport', () => {
  it('gives the same transport for the same connection (in any key order), another for another', () => {
    let made = 0;
    const make = () => (made++, createFakePort({}, ids));
    const first = sharedTransport({ transport: 'fetch', userPoolId: 'p', clientId: 'c' }, make);
    expect(sharedTransport({ clientId: 'c', userPoolId: 'p', transport: 'fetch' }, make)).toBe(first);
    expect(sharedTransport({ transport: 'sdk', userPoolId: 'p', clientId: 'c' }, make)).not.toBe(first);
    expect(sharedTransport({ transport: 'fetch', userPoolId: 'p', clientId: 'c', endpoint: 'http://127.0.0.1:1' }, make)).not.toBe(first);
    expect(made).toBe(3);
  });

  it('keeps the last 16 connections only', () => {
    const make = () => createFakePort({}, ids);
    const oldest = sharedTransport({ clientId: 'lru-0' }, make);
    for (let i = 1; i <= 16; i++) sharedTransport({ clientId: `lru-${i}` }, make);
    expect(sharedTransport({ clientId: 'lru-0' }, make)).not.toBe(oldest);
  });
});

describe('actor bodies made on demand', () => {
  const deps = (): ActorDeps => ({
    port: createFakePort({}, ids),
    tokens: new TokenStore(new MemoryStorage(), ids.clientId),
    srp: { prepare: () => undefined, takeEphemeral: () => Promise.reject(new Error('unused')), passwordClaim: () => Promise.reject(new Error('unused')), newDevice: () => Promise.reject(new Error('unused')), deviceClaim: () => Promise.reject(new Error('unused')) },
    vault: new SecretVault(),
    now: Date.now,
    authSessionValidityMs: 180_000,
    totpIssuer: 'AWSCognito',
  });

  it('answer every actor slot of the chart, as the eager set does', async () => {
    const slots = Object.keys(authMachine.implementations.actors).sort();
    const eager = createActorBodies(deps()) as Record<string, unknown>;
    const lookup = actorBodiesOnDemand(deps());
    for (const slot of slots) {
      expect([slot, typeof (await lookup(slot))]).toEqual([slot, 'function']);
      expect([slot, typeof eager[slot]]).toEqual([slot, 'function']);
    }
    expect(await lookup('noSuchSlot')).toBeUndefined();
  });

  it('give the same body for a slot each time', async () => {
    const lookup = actorBodiesOnDemand(deps());
    expect(await lookup('signUp')).toBe(await lookup('signUp'));
  });
});
