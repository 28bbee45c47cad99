// Cognito's count quotas the local pool enforces, over HTTP with the AWS SDK: for each, the last one
// allowed is made, the next is refused with LimitExceededException on the wire, and one freed makes
// room again. The 10,000 groups of a pool are seeded (the pool's seed, as groups.test.ts uses it).
import {
  AdminAddUserToGroupCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  CreateResourceServerCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteGroupCommand,
  DeleteResourceServerCommand,
  DeleteUserPoolDomainCommand,
  DescribeResourceServerCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createUser, failure, rawCall, startPool, STRONG_PASSWORD, type PoolHarness } from './support.js';

let h: PoolHarness;
beforeAll(async () => {
  h = await startPool();
});
afterAll(() => h?.close());

const newPool = async (name: string): Promise<string> => (await h.sdk.send(new CreateUserPoolCommand({ PoolName: name }))).UserPool!.Id!;
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** The refusal as it is on the wire: status, `__type` and message. */
async function wireError(operation: string, body: object): Promise<{ status: number; json: unknown }> {
  const answer = await rawCall(h.pool.url, { target: `AWSCognitoIdentityProviderService.${operation}`, body: JSON.stringify(body) });
  return { status: answer.status, json: answer.json };
}
const limitExceeded = (message: string) => ({ status: 400, json: { __type: 'LimitExceededException', message } });

describe('resource servers per user pool: 25', () => {
  it('the 25th is made, the 26th refused, one deleted makes room', async () => {
    const poolId = await newPool('servers');
    const create = (n: number) => h.sdk.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: `https://api${n}.example.com`, Name: `api${n}` }));
    await Promise.all(range(1, 25).map(create));
    expect((await create(25)).ResourceServer!.Identifier).toBe('https://api25.example.com');

    const over = { UserPoolId: poolId, Identifier: 'https://api26.example.com', Name: 'api26' };
    expect(await wireError('CreateResourceServer', over)).toEqual(limitExceeded('A user pool can have at most 25 resource servers.'));
    // Refused means not made.
    expect((await failure(h.sdk.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: over.Identifier })))).name).toBe('ResourceNotFoundException');
    // An identifier the pool has is still "already exists", not the quota.
    expect((await failure(create(1))).name).toBe('InvalidParameterException');

    await h.sdk.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api1.example.com' }));
    expect((await create(26)).ResourceServer!.Name).toBe('api26');
  });

  it('of 26 at once, exactly 25 are made', async () => {
    const poolId = await newPool('servers-race');
    const results = await Promise.allSettled(
      range(0, 26).map((n) => h.sdk.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: `race${n}`, Name: `race${n}` }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(25);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.map((r) => (r.reason as Error).name)).toEqual(['LimitExceededException']);
  });
});

describe('groups per user pool: 10,000', () => {
  it('the 10,000th is made, the 10,001st refused (by CreateGroup and by a seed), one deleted makes room', async () => {
    const poolId = 'us-east-1_quotagroups';
    h.pool.seed({ pools: [{ id: poolId, name: 'groups', groups: range(1, 10_000).map((n) => ({ name: `g${n}` })) }] });
    const create = (name: string) => h.sdk.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: name }));
    expect((await create('g10000')).Group!.GroupName).toBe('g10000');

    expect(await wireError('CreateGroup', { UserPoolId: poolId, GroupName: 'g10001' })).toEqual(limitExceeded('A user pool can have at most 10000 groups.'));
    expect((await failure(create('g1'))).name).toBe('GroupExistsException');
    expect(() => h.pool.seed({ pools: [{ id: poolId, name: 'groups', groups: [{ name: 'seeded' }] }] })).toThrow(/at most 10000 groups/);

    await h.sdk.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'g1' }));
    expect((await create('g10001')).Group!.GroupName).toBe('g10001');
  });
});

describe('groups a user is a member of: 100', () => {
  it('the 100th membership is added, the 101st refused, re-adding a group the user has is no error, one left makes room', async () => {
    const poolId = await newPool('memberships');
    await createUser(h.sdk, poolId, 'maria', STRONG_PASSWORD);
    await Promise.all(range(1, 102).map((n) => h.sdk.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: `team${n}` }))));
    const add = (n: number) => h.sdk.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'maria', GroupName: `team${n}` }));
    await Promise.all(range(1, 100).map(add));
    await add(100);

    expect(await wireError('AdminAddUserToGroup', { UserPoolId: poolId, Username: 'maria', GroupName: 'team101' })).toEqual(
      limitExceeded('A user can be a member of at most 100 groups.'),
    );
    expect((await h.sdk.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'team101' }))).Users).toEqual([]);
    await add(1); // already a member: nothing changes

    await h.sdk.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: 'maria', GroupName: 'team1' }));
    await add(101);
  });
});

describe('custom domains per account: 4', () => {
  const certificate = { CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/quota' };

  it('the 4th (over all pools) is made, the 5th refused, prefix domains do not count, one deleted makes room', async () => {
    const pools = await Promise.all(range(1, 6).map((n) => newPool(`domains${n}`)));
    const custom = (i: number) => h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: pools[i]!, Domain: `auth${i}.example.com`, CustomDomainConfig: certificate }));
    await Promise.all([0, 1, 2].map(custom));
    expect((await custom(3)).CloudFrontDomain).toBe('auth3.example.com');

    expect(await wireError('CreateUserPoolDomain', { UserPoolId: pools[4], Domain: 'auth4.example.com', CustomDomainConfig: certificate })).toEqual(
      limitExceeded('An account can have at most 4 custom domains.'),
    );
    await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: pools[4]!, Domain: 'quota-prefix' }));

    await h.sdk.send(new DeleteUserPoolDomainCommand({ UserPoolId: pools[0]!, Domain: 'auth0.example.com' }));
    expect((await custom(4)).CloudFrontDomain).toBe('auth4.example.com');
  });
});
