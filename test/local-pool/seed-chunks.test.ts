// Seeding many users while the pool serves (pool.seedWhileServing, what `authchart pool --seed`
// runs): verifiers in worker threads, users written in chunks; all or nothing all the same.
import {
  CreateGroupCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  GetGroupCommand,
  ListIdentityProvidersCommand,
  ListResourceServersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { SeedDocument, SeedPool, SeedProgress } from '../../src/local-pool/index.js';
import { STRONG_PASSWORD, createPoolAndClient, createUser, failure, passwordSignIn, srpSignIn, startPool, type PoolHarness, type Setup } from './support.js';

let h: PoolHarness;
beforeAll(async () => {
  h = await startPool();
});
afterAll(() => h.close());

const CLIENT_SETTINGS = { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] };
const passwordOf = (i: number) => `Seeded-pw-${i}!`;

function bigPool(id: string, users: number, extra: Partial<SeedPool> = {}): SeedPool {
  return {
    id,
    name: id,
    clients: [{ id: `${id.split('_')[1]}client`, name: 'web', settings: CLIENT_SETTINGS }],
    users: Array.from({ length: users }, (_, i) => ({ username: `u${i}`, password: passwordOf(i) })),
    ...extra,
  };
}

const setupOf = (pool: SeedPool): Setup => ({ poolId: pool.id, clientId: pool.clients![0]!.id });
const userCount = async (poolId: string) => (await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.EstimatedNumberOfUsers;

describe('a large seed', () => {
  const seed = bigPool('us-east-1_big', 4000);
  const doc: SeedDocument = { pools: [seed] };
  let early: Setup;

  it('is applied while the pool answers, and every seeded user signs in afterwards', async () => {
    early = await createPoolAndClient(h.sdk);
    await createUser(h.sdk, early.poolId, 'early', STRONG_PASSWORD);
    const events: SeedProgress[] = [];
    let firstChunk: () => void = () => undefined;
    const firstChunkWritten = new Promise<void>((resolve) => (firstChunk = resolve));
    const seeding = h.pool.seedWhileServing(doc, {
      chunkSize: 100,
      onProgress: (p) => {
        events.push(p);
        if (p.stage === 'users') firstChunk();
      },
    });

    // While the verifiers are made: another pool's user signs in.
    expect((await passwordSignIn(h.sdk, early, 'early', STRONG_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
    expect(events.some((e) => e.stage === 'users')).toBe(false);
    // Once the first chunk is written: its users sign in before the seed is done.
    await firstChunkWritten;
    expect((await passwordSignIn(h.sdk, setupOf(seed), 'u0', passwordOf(0))).AuthenticationResult?.AccessToken).toBeDefined();
    const writtenWhenAnswered = events.filter((e) => e.stage === 'users').at(-1)!.done;
    expect(writtenWhenAnswered).toBeLessThan(4000);

    const result = await seeding;
    expect(result.created).toEqual({ pools: [seed.id], clients: [seed.clients![0]!.id], users: seed.users!.map((u) => `${seed.id}/${u.username}`), groups: [] });
    expect(await userCount(seed.id)).toBe(4000);
    for (const stage of ['verifiers', 'users'] as const) {
      const done = events.filter((e) => e.stage === stage).map((e) => e.done);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      expect(done.at(-1)).toBe(4000);
    }
    expect((await passwordSignIn(h.sdk, setupOf(seed), 'u3999', passwordOf(3999))).AuthenticationResult?.AccessToken).toBeDefined();
    expect((await srpSignIn(h.sdk, setupOf(seed), 'u1234', passwordOf(1234), new Date(h.clock.now()))).AuthenticationResult?.AccessToken).toBeDefined();
    expect((await failure(passwordSignIn(h.sdk, setupOf(seed), 'u1234', passwordOf(1235)))).message).toBe('Incorrect username or password.');
  });

  it('applied again adds nothing and changes nothing', async () => {
    const again = await h.pool.seedWhileServing(doc);
    expect(again.created).toEqual({ pools: [], clients: [], users: [], groups: [] });
    expect(again.existing.users).toHaveLength(4000);
    expect((await passwordSignIn(h.sdk, setupOf(seed), 'u7', passwordOf(7))).AuthenticationResult?.AccessToken).toBeDefined();
  });
});

describe('all or nothing', () => {
  it('a user the document gets wrong anywhere: refused before anything is written', async () => {
    const seed = bigPool('us-east-1_badpw', 3000);
    seed.users![2999] = { username: 'last', password: 'short' };
    await expect(h.pool.seedWhileServing({ pools: [seed] })).rejects.toThrow(
      "seed: pools[0].users[2999] (last): password does not meet the pool's policy",
    );
    expect((await failure(userCount(seed.id))).name).toBe('ResourceNotFoundException');
  });

  it('an error met while writing: what the seed had added is removed again, what was there stays', async () => {
    const existing = await createPoolAndClient(h.sdk);
    await createUser(h.sdk, existing.poolId, 'kept', STRONG_PASSWORD);
    await h.sdk.send(new CreateGroupCommand({ UserPoolId: existing.poolId, GroupName: 'there-before' }));
    const seed = bigPool('us-east-1_badmfa', 3000);
    // Found only when this user is written, long after the first chunks.
    seed.users![2999] = { username: 'late', password: passwordOf(2999), mfa: { totp: true } };
    const alongside: SeedPool = {
      id: existing.poolId,
      name: 'test',
      groups: [{ name: 'there-before' }, { name: 'seeded' }],
      users: [{ username: 'added', password: STRONG_PASSWORD, groups: ['seeded'] }],
      domain: 'seeded-then-removed',
      identityProviders: [{ name: 'Google', type: 'Google', details: { client_id: 'google-client', client_secret: 'google-secret', authorize_scopes: 'openid email' } }],
      resourceServers: [{ identifier: 'https://api.example.com', name: 'api', scopes: [{ name: 'read', description: 'read' }] }],
    };
    await expect(h.pool.seedWhileServing({ pools: [alongside, seed] }, { chunkSize: 500 })).rejects.toThrow('"mfa.totp" needs "totpSecret"');
    const group = (GroupName: string) => h.sdk.send(new GetGroupCommand({ UserPoolId: existing.poolId, GroupName }));
    expect((await failure(group('seeded'))).name).toBe('ResourceNotFoundException');
    expect((await group('there-before')).Group?.GroupName).toBe('there-before');
    // What the hosted UI part of the seed added to the existing pool is gone too.
    expect((await h.sdk.send(new DescribeUserPoolDomainCommand({ Domain: 'seeded-then-removed' }))).DomainDescription ?? {}).toEqual({});
    expect((await h.sdk.send(new ListIdentityProvidersCommand({ UserPoolId: existing.poolId }))).Providers).toEqual([]);
    expect((await h.sdk.send(new ListResourceServersCommand({ UserPoolId: existing.poolId, MaxResults: 10 }))).ResourceServers).toEqual([]);
    expect((await failure(userCount(seed.id))).name).toBe('ResourceNotFoundException');
    expect((await failure(passwordSignIn(h.sdk, existing, 'added', STRONG_PASSWORD))).name).toBe('UserNotFoundException');
    expect((await passwordSignIn(h.sdk, existing, 'kept', STRONG_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
  });
});

describe('e-mail addresses as usernames', () => {
  it('the verifier made ahead is for the sub (USER_ID_FOR_SRP): both sign-in flows work', async () => {
    const seed: SeedPool = {
      id: 'us-east-1_byemail',
      name: 'byemail',
      settings: { UsernameAttributes: ['email'] },
      clients: [{ id: 'byemailclient', name: 'web', settings: CLIENT_SETTINGS }],
      users: Array.from({ length: 300 }, (_, i) => ({ username: `p${i}@example.test`, password: passwordOf(i) })),
    };
    await h.pool.seedWhileServing({ pools: [seed] }, { chunkSize: 64 });
    const setup = setupOf(seed);
    expect((await passwordSignIn(h.sdk, setup, 'p299@example.test', passwordOf(299))).AuthenticationResult?.AccessToken).toBeDefined();
    const signedIn = await srpSignIn(h.sdk, setup, 'p5@example.test', passwordOf(5), new Date(h.clock.now()));
    expect(signedIn.AuthenticationResult?.AccessToken).toBeDefined();
  });
});
