// User pool groups over HTTP with the AWS SDK: the group operations and their errors, paging,
// memberships going with their user and their group, the cognito:groups / role claims of API,
// refreshed and hosted-UI tokens, what PreTokenGeneration is shown and may override, and
// DeleteUserPoolClient ending the client's sign-ins.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolDomainCommand,
  DeleteGroupCommand,
  DeleteUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  GetGroupCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
  type CreateGroupCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { SeedDocument, SeedUser } from '../../src/local-pool/pools/seed.js';
import { decodeJwt } from 'jose';
import { STRONG_PASSWORD, createPoolAndClient, createUser, failure, inProcessPool, passwordSignIn, startPool, type PoolHarness, type Setup } from './support.js';
import { operations } from '../../src/local-pool/api/handlers/index.js';
import { Browser, form, formWith, pkce } from './hosted-ui-support.js';

const FUNCTIONS = join(__dirname, 'functions');
const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;

const recordDir = mkdtempSync(join(tmpdir(), 'authchart-groups-'));
const recordFile = join(recordDir, 'events.jsonl');
process.env['TRIGGER_RECORD'] = recordFile;

let h: PoolHarness;
let setup: Setup;

beforeAll(async () => {
  h = await startPool({ functions: FUNCTIONS });
  setup = await createPoolAndClient(h.sdk);
  for (const name of ['alice', 'bob', 'carol', 'dave']) await createUser(h.sdk, setup.poolId, name, STRONG_PASSWORD);
}, 60_000);
afterAll(async () => {
  await h?.close();
  rmSync(recordDir, { recursive: true, force: true });
});

const createGroup = (input: Omit<CreateGroupCommandInput, 'UserPoolId'>, poolId = setup.poolId) =>
  h.sdk.send(new CreateGroupCommand({ UserPoolId: poolId, ...input }));
const addToGroup = (username: string, group: string, poolId = setup.poolId) =>
  h.sdk.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: group }));
const removeFromGroup = (username: string, group: string, poolId = setup.poolId) =>
  h.sdk.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: username, GroupName: group }));
const groupsOf = async (username: string, poolId = setup.poolId) =>
  ((await h.sdk.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: username }))).Groups ?? []).map((g) => g.GroupName);
const membersOf = async (group: string, poolId = setup.poolId) =>
  ((await h.sdk.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: group }))).Users ?? []).map((u) => u.Username);
const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

const claimsOf = (tokens: { IdToken?: string | undefined; AccessToken?: string | undefined } | undefined) => ({
  id: decodeJwt(tokens!.IdToken!),
  access: decodeJwt(tokens!.AccessToken!),
});

describe('groups', () => {
  it('CreateGroup, GetGroup, UpdateGroup (members left out keep their values), ListGroups and DeleteGroup', async () => {
    const createdAt = h.clock.now();
    const created = await createGroup({ GroupName: 'editors', Description: 'Can edit', Precedence: 5, RoleArn: role('editor') });
    expect(created.Group).toEqual({
      GroupName: 'editors',
      UserPoolId: setup.poolId,
      Description: 'Can edit',
      Precedence: 5,
      RoleArn: role('editor'),
      CreationDate: seconds(createdAt),
      LastModifiedDate: seconds(createdAt),
    });
    const bare = (await createGroup({ GroupName: 'bare' })).Group!;
    expect(bare).toEqual({ GroupName: 'bare', UserPoolId: setup.poolId, CreationDate: expect.any(Date), LastModifiedDate: expect.any(Date) });

    h.clock.advance(5000);
    const updated = await h.sdk.send(new UpdateGroupCommand({ UserPoolId: setup.poolId, GroupName: 'editors', Precedence: 0 }));
    expect(updated.Group).toEqual({ ...created.Group, Precedence: 0, LastModifiedDate: seconds(createdAt + 5000) });
    const described = await h.sdk.send(new GetGroupCommand({ UserPoolId: setup.poolId, GroupName: 'editors' }));
    expect(described.Group).toEqual(updated.Group);
    await h.sdk.send(new UpdateGroupCommand({ UserPoolId: setup.poolId, GroupName: 'editors', Description: 'Edits', RoleArn: role('editor2') }));
    expect((await h.sdk.send(new GetGroupCommand({ UserPoolId: setup.poolId, GroupName: 'editors' }))).Group).toMatchObject({
      Description: 'Edits',
      RoleArn: role('editor2'),
      Precedence: 0,
    });

    const listed = await h.sdk.send(new ListGroupsCommand({ UserPoolId: setup.poolId }));
    expect(listed.Groups!.map((g) => g.GroupName)).toEqual(expect.arrayContaining(['editors', 'bare']));
    expect(listed.NextToken).toBeUndefined();

    await h.sdk.send(new DeleteGroupCommand({ UserPoolId: setup.poolId, GroupName: 'bare' }));
    expect(await failure(h.sdk.send(new GetGroupCommand({ UserPoolId: setup.poolId, GroupName: 'bare' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Group not found.',
    });
    await h.sdk.send(new DeleteGroupCommand({ UserPoolId: setup.poolId, GroupName: 'editors' }));
  });

  it("answers Cognito's errors: an existing name, an unknown group or pool, and invalid members", async () => {
    await createGroup({ GroupName: 'taken' });
    expect(await failure(createGroup({ GroupName: 'taken', Precedence: 1 }))).toEqual({
      name: 'GroupExistsException',
      message: 'A group with the name taken already exists.',
    });
    // Names are as given: another case is another group.
    await createGroup({ GroupName: 'Taken' });
    const missing = { name: 'ResourceNotFoundException', message: 'Group not found.' };
    expect(await failure(h.sdk.send(new UpdateGroupCommand({ UserPoolId: setup.poolId, GroupName: 'nope', Precedence: 1 })))).toEqual(missing);
    expect(await failure(h.sdk.send(new DeleteGroupCommand({ UserPoolId: setup.poolId, GroupName: 'nope' })))).toEqual(missing);
    expect(await failure(h.sdk.send(new ListUsersInGroupCommand({ UserPoolId: setup.poolId, GroupName: 'nope' })))).toEqual(missing);
    expect(await failure(addToGroup('alice', 'nope'))).toEqual(missing);
    expect(await failure(removeFromGroup('alice', 'nope'))).toEqual(missing);

    const unknownPool = 'us-east-1_Nowhere1';
    const noPool = { name: 'ResourceNotFoundException', message: `User pool ${unknownPool} does not exist.` };
    expect(await failure(createGroup({ GroupName: 'x' }, unknownPool))).toEqual(noPool);
    expect(await failure(h.sdk.send(new ListGroupsCommand({ UserPoolId: unknownPool })))).toEqual(noPool);
    expect(await failure(addToGroup('alice', 'taken', unknownPool))).toEqual(noPool);

    const noUser = { name: 'UserNotFoundException', message: 'User does not exist.' };
    expect(await failure(addToGroup('nobody', 'taken'))).toEqual(noUser);
    expect(await failure(removeFromGroup('nobody', 'taken'))).toEqual(noUser);
    expect(await failure(groupsOf('nobody'))).toEqual(noUser);

    expect(await failure(createGroup({ GroupName: 'x'.repeat(129), Precedence: -1, RoleArn: 'not-an-arn' }))).toEqual({
      name: 'InvalidParameterException',
      message:
        "4 validation errors detected: Value at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 128; " +
        "Value at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; " +
        "Value at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: " +
        'arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?; ' +
        "Value at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0",
    });
    expect(await failure(createGroup({ GroupName: 'has space', RoleArn: 'arn:aws:iam::123456789012 role/x' }))).toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringMatching(/^2 validation errors detected: Value at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: .*Value at 'roleArn'/),
    });
    expect(await failure(createGroup({ GroupName: 'long', Description: 'd'.repeat(2049) }))).toEqual({
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 2048",
    });
    expect(await failure(h.sdk.send(new ListGroupsCommand({ UserPoolId: setup.poolId, Limit: 61 })))).toEqual({
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    });
    expect(await failure(h.sdk.send(new ListGroupsCommand({ UserPoolId: setup.poolId, NextToken: 'bm90LWEtdG9rZW4' })))).toEqual({
      name: 'InvalidParameterException',
      message: 'Invalid pagination token.',
    });
    for (const name of ['taken', 'Taken']) await h.sdk.send(new DeleteGroupCommand({ UserPoolId: setup.poolId, GroupName: name }));
  });

  it('pages ListGroups, ListUsersInGroup and AdminListGroupsForUser with Limit and NextToken', async () => {
    const { poolId } = await createPoolAndClient(h.sdk, { PoolName: 'paging' });
    const names = ['g1', 'g2', 'g3', 'g4', 'g5'];
    for (const [index, name] of names.entries()) {
      await createGroup({ GroupName: name, Precedence: 10 - index }, poolId);
      h.clock.advance(1000);
    }
    const users = ['u1', 'u2', 'u3'];
    for (const name of users) {
      await createUser(h.sdk, poolId, name, STRONG_PASSWORD);
      await addToGroup(name, 'g1', poolId);
      h.clock.advance(1000);
    }
    for (const name of names) await addToGroup('u1', name, poolId);

    const pages = async (fetchPage: (token: string | undefined) => Promise<{ items: string[]; next: string | undefined }>) => {
      const seen: string[][] = [];
      let token: string | undefined;
      do {
        const { items, next } = await fetchPage(token);
        seen.push(items);
        token = next;
      } while (token !== undefined);
      return seen;
    };
    expect(
      await pages(async (NextToken) => {
        const answer = await h.sdk.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2, NextToken }));
        return { items: answer.Groups!.map((g) => g.GroupName!), next: answer.NextToken };
      }),
    ).toEqual([['g1', 'g2'], ['g3', 'g4'], ['g5']]);
    expect(
      await pages(async (NextToken) => {
        const answer = await h.sdk.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'g1', Limit: 2, NextToken }));
        return { items: answer.Users!.map((u) => u.Username!), next: answer.NextToken };
      }),
    ).toEqual([['u1', 'u2'], ['u3']]);
    // The user's groups in precedence order (g5 has the lowest number).
    expect(
      await pages(async (NextToken) => {
        const answer = await h.sdk.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'u1', Limit: 3, NextToken }));
        return { items: answer.Groups!.map((g) => g.GroupName!), next: answer.NextToken };
      }),
    ).toEqual([['g5', 'g4', 'g3'], ['g2', 'g1']]);
    const first = (await h.sdk.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'g1', Limit: 1 }))).Users![0]!;
    expect(first).toMatchObject({ Username: 'u1', Enabled: true, UserStatus: 'CONFIRMED', Attributes: expect.arrayContaining([{ Name: 'sub', Value: expect.any(String) }]) });
  });
});

describe('membership', () => {
  it('adding a member twice is no error and counts once; removing a non-member is no error', async () => {
    await createGroup({ GroupName: 'club' });
    await addToGroup('alice', 'club');
    await addToGroup('alice', 'club');
    expect(await membersOf('club')).toEqual(['alice']);
    expect(await groupsOf('alice')).toEqual(['club']);
    await removeFromGroup('bob', 'club');
    await removeFromGroup('alice', 'club');
    await removeFromGroup('alice', 'club');
    expect(await membersOf('club')).toEqual([]);
    expect(await groupsOf('alice')).toEqual([]);
    await h.sdk.send(new DeleteGroupCommand({ UserPoolId: setup.poolId, GroupName: 'club' }));
  });

  it('a deleted user leaves its groups, and a deleted group its members (a new group of the name starts empty)', async () => {
    const { poolId } = await createPoolAndClient(h.sdk, { PoolName: 'cascade' });
    for (const name of ['erin', 'frank']) await createUser(h.sdk, poolId, name, STRONG_PASSWORD);
    await createGroup({ GroupName: 'staff' }, poolId);
    await createGroup({ GroupName: 'temps' }, poolId);
    for (const name of ['erin', 'frank']) await addToGroup(name, 'staff', poolId);
    await addToGroup('frank', 'temps', poolId);

    await h.sdk.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'erin' }));
    // One page of one: a membership left behind (erin joined first) would take the page.
    const firstPage = await h.sdk.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'staff', Limit: 1 }));
    expect({ users: firstPage.Users!.map((u) => u.Username), next: firstPage.NextToken }).toEqual({ users: ['frank'], next: undefined });
    // A new user of the same name is a new user: not a member.
    await createUser(h.sdk, poolId, 'erin', STRONG_PASSWORD);
    expect(await groupsOf('erin', poolId)).toEqual([]);

    await h.sdk.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'staff' }));
    expect(await groupsOf('frank', poolId)).toEqual(['temps']);
    await createGroup({ GroupName: 'staff' }, poolId);
    expect(await membersOf('staff', poolId)).toEqual([]);
  });
});

it('a deleted pool takes its groups and their memberships with it (the rows, not only the answers)', async () => {
  const { ctx, pool } = inProcessPool();
  try {
    const call = (operation: string, input: Record<string, unknown>) => operations[operation]!(input as never, ctx);
    await call('AdminCreateUser', { UserPoolId: pool.id, Username: 'olga', MessageAction: 'SUPPRESS' });
    await call('CreateGroup', { UserPoolId: pool.id, GroupName: 'crew' });
    await call('AdminAddUserToGroup', { UserPoolId: pool.id, Username: 'olga', GroupName: 'crew' });
    const rows = () => ['user_groups', 'group_members'].map((table) => (ctx.store.prepare(`SELECT count(*) AS n FROM ${table} WHERE pool_id = ?`).get(pool.id) as { n: number }).n);
    expect(rows()).toEqual([1, 1]);
    await call('DeleteUserPool', { UserPoolId: pool.id });
    expect(rows()).toEqual([0, 0]);
  } finally {
    ctx.store.close();
  }
});

describe('tokens', () => {
  let pool: Setup;

  beforeAll(async () => {
    pool = await createPoolAndClient(h.sdk, { PoolName: 'claims' });
    for (const name of ['gina', 'hank', 'ivy']) await createUser(h.sdk, pool.poolId, name, STRONG_PASSWORD);
    // Created in this order so that neither creation nor name order is precedence order.
    await createGroup({ GroupName: 'readers', Precedence: 20, RoleArn: role('reader') }, pool.poolId);
    await createGroup({ GroupName: 'unranked', RoleArn: role('unranked') }, pool.poolId);
    h.clock.advance(1000);
    await createGroup({ GroupName: 'admins', Precedence: 1, RoleArn: role('admin') }, pool.poolId);
    await createGroup({ GroupName: 'beta', Precedence: 20 }, pool.poolId);
    h.clock.advance(1000);
    await createGroup({ GroupName: 'auditors', Precedence: 1, RoleArn: role('auditor') }, pool.poolId);
    for (const group of ['unranked', 'beta', 'readers', 'admins']) await addToGroup('gina', group, pool.poolId);
    for (const group of ['admins', 'auditors']) await addToGroup('ivy', group, pool.poolId);
  });

  it('a member signed in has cognito:groups in both tokens in precedence order (then the older group), and the role claims in the ID token', async () => {
    const { id, access } = claimsOf((await passwordSignIn(h.sdk, pool, 'gina', STRONG_PASSWORD)).AuthenticationResult);
    // 1, then 20 (readers is older than beta), then no precedence.
    const order = ['admins', 'readers', 'beta', 'unranked'];
    expect(id['cognito:groups']).toEqual(order);
    expect(access['cognito:groups']).toEqual(order);
    expect(id['cognito:roles']).toEqual([role('admin'), role('reader'), role('unranked')]);
    expect(id['cognito:preferred_role']).toBe(role('admin'));
    expect(access['cognito:roles']).toBeUndefined();
    expect(access['cognito:preferred_role']).toBeUndefined();
    expect(await groupsOf('gina', pool.poolId)).toEqual(order);
  });

  it('a user in no group has no group claims; two best groups with different roles give no preferred role', async () => {
    const none = claimsOf((await passwordSignIn(h.sdk, pool, 'hank', STRONG_PASSWORD)).AuthenticationResult);
    for (const claims of [none.id, none.access]) {
      expect(claims).not.toHaveProperty('cognito:groups');
      expect(claims).not.toHaveProperty('cognito:roles');
      expect(claims).not.toHaveProperty('cognito:preferred_role');
    }
    const tied = claimsOf((await passwordSignIn(h.sdk, pool, 'ivy', STRONG_PASSWORD)).AuthenticationResult).id;
    expect(tied['cognito:groups']).toEqual(['admins', 'auditors']);
    expect(tied['cognito:roles']).toEqual([role('admin'), role('auditor')]);
    expect(tied).not.toHaveProperty('cognito:preferred_role');
  });

  it('two best groups with the same role give that role as the preferred one', async () => {
    await createUser(h.sdk, pool.poolId, 'ike', STRONG_PASSWORD);
    await createGroup({ GroupName: 'admins-too', Precedence: 1, RoleArn: role('admin') }, pool.poolId);
    for (const group of ['admins-too', 'admins']) await addToGroup('ike', group, pool.poolId);
    const id = claimsOf((await passwordSignIn(h.sdk, pool, 'ike', STRONG_PASSWORD)).AuthenticationResult).id;
    expect(id['cognito:groups']).toEqual(['admins', 'admins-too']);
    expect(id['cognito:roles']).toEqual([role('admin')]);
    expect(id['cognito:preferred_role']).toBe(role('admin'));
  });

  it('a refresh after AdminRemoveUserFromGroup no longer has the group (and one after AdminAddUserToGroup has the new one)', async () => {
    await createUser(h.sdk, pool.poolId, 'jack', STRONG_PASSWORD);
    await addToGroup('jack', 'readers', pool.poolId);
    const signedIn = (await passwordSignIn(h.sdk, pool, 'jack', STRONG_PASSWORD)).AuthenticationResult!;
    expect(claimsOf(signedIn).access['cognito:groups']).toEqual(['readers']);
    const refresh = () =>
      h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: pool.clientId, AuthParameters: { REFRESH_TOKEN: signedIn.RefreshToken! } }));

    await removeFromGroup('jack', 'readers', pool.poolId);
    await addToGroup('jack', 'beta', pool.poolId);
    const { id, access } = claimsOf((await refresh()).AuthenticationResult);
    expect(id['cognito:groups']).toEqual(['beta']);
    expect(access['cognito:groups']).toEqual(['beta']);
    expect(id).not.toHaveProperty('cognito:roles');

    await removeFromGroup('jack', 'beta', pool.poolId);
    expect(claimsOf((await refresh()).AuthenticationResult).access).not.toHaveProperty('cognito:groups');
  });

  it("the hosted UI's tokens carry the same group claims", async () => {
    const domain = 'groups-test';
    const callback = 'http://localhost:3000/callback';
    await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: pool.poolId, Domain: domain }));
    const client = (
      await h.sdk.send(
        new CreateUserPoolClientCommand({
          UserPoolId: pool.poolId,
          ClientName: 'hosted',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid'],
          CallbackURLs: [callback],
          SupportedIdentityProviders: ['COGNITO'],
        }),
      )
    ).UserPoolClient!.ClientId!;
    const base = `${h.pool.url}/_domain/${domain}`;
    const { verifier, challenge } = pkce();
    const browser = new Browser();
    const authorize = `${base}/oauth2/authorize?${new URLSearchParams({
      client_id: client,
      redirect_uri: callback,
      response_type: 'code',
      scope: 'openid',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })}`;
    const loginPage = await browser.follow(await browser.get(authorize), (url) => url.origin === h.pool.url);
    const login = formWith(loginPage, 'password');
    const answer = await browser.post(login.action, { ...login.fields, username: 'gina', password: STRONG_PASSWORD });
    const code = new URL(answer.location!).searchParams.get('code')!;
    const response = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'authorization_code', client_id: client, code, redirect_uri: callback, code_verifier: verifier }),
    });
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as { id_token: string; access_token: string };
    const id = decodeJwt(tokens.id_token);
    expect(id['cognito:groups']).toEqual(['admins', 'readers', 'beta', 'unranked']);
    expect(id['cognito:preferred_role']).toBe(role('admin'));
    expect(decodeJwt(tokens.access_token)['cognito:groups']).toEqual(['admins', 'readers', 'beta', 'unranked']);
  });
});

describe('PreTokenGeneration', () => {
  interface Recorded {
    event: { triggerSource: string; request: { groupConfiguration: unknown } };
  }
  const recorded = (): Recorded[] =>
    readFileSync(recordFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Recorded);

  /** A pool whose PreTokenGeneration is `fn`, with kim in two groups. */
  async function triggerPool(fn: string): Promise<Setup> {
    const made = await createPoolAndClient(h.sdk, { PoolName: fn, LambdaConfig: { PreTokenGeneration: lambda(fn) } });
    await createUser(h.sdk, made.poolId, 'kim', STRONG_PASSWORD);
    await createGroup({ GroupName: 'ops', Precedence: 2, RoleArn: role('ops') }, made.poolId);
    await createGroup({ GroupName: 'devs', Precedence: 3, RoleArn: role('devs') }, made.poolId);
    for (const group of ['devs', 'ops']) await addToGroup('kim', group, made.poolId);
    writeFileSync(recordFile, '');
    return made;
  }

  it("is shown the user's groups as groupConfiguration; answering the event unchanged keeps them", async () => {
    const made = await triggerPool('record');
    const { id, access } = claimsOf((await passwordSignIn(h.sdk, made, 'kim', STRONG_PASSWORD)).AuthenticationResult);
    expect(recorded().map((r) => r.event.request.groupConfiguration)).toEqual([
      { groupsToOverride: ['ops', 'devs'], iamRolesToOverride: [role('ops'), role('devs')], preferredRole: role('ops') },
    ]);
    expect(id).toMatchObject({ 'cognito:groups': ['ops', 'devs'], 'cognito:roles': [role('ops'), role('devs')], 'cognito:preferred_role': role('ops') });
    expect(access['cognito:groups']).toEqual(['ops', 'devs']);
  });

  it('groupOverrideDetails replaces the groups and roles; null leaves them; an empty one suppresses them', async () => {
    const overridden = await triggerPool('pre-token-v1');
    const { id, access } = claimsOf((await passwordSignIn(h.sdk, overridden, 'kim', STRONG_PASSWORD)).AuthenticationResult);
    expect(id).toMatchObject({
      'cognito:groups': ['admins', 'readers'],
      'cognito:roles': [role('reader')],
      'cognito:preferred_role': role('reader'),
    });
    expect(access['cognito:groups']).toEqual(['admins', 'readers']);
    expect(recorded()[0]!.event.request.groupConfiguration).toMatchObject({ groupsToOverride: ['ops', 'devs'] });

    // null is a member left unset (as typed runtimes write it): the groups stay
    const unset = await triggerPool('pre-token-null-groups');
    const kept = claimsOf((await passwordSignIn(h.sdk, unset, 'kim', STRONG_PASSWORD)).AuthenticationResult);
    expect(kept.id).toMatchObject({ marker: 'null-groups', 'cognito:groups': ['ops', 'devs'], 'cognito:preferred_role': role('ops') });
    expect(kept.access['cognito:groups']).toEqual(['ops', 'devs']);

    const suppressed = await triggerPool('pre-token-no-groups');
    const none = claimsOf((await passwordSignIn(h.sdk, suppressed, 'kim', STRONG_PASSWORD)).AuthenticationResult);
    expect(recorded()).toHaveLength(1);
    for (const claims of [none.id, none.access]) {
      expect(claims).not.toHaveProperty('cognito:groups');
      expect(claims).not.toHaveProperty('cognito:roles');
      expect(claims).not.toHaveProperty('cognito:preferred_role');
    }
  });
});

describe('DeleteUserPoolClient', () => {
  it("deletes the client; its refresh tokens stop working and its access tokens are revoked, other clients' are not", async () => {
    const other = (
      await h.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: setup.poolId, ClientName: 'doomed', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }))
    ).UserPoolClient!.ClientId!;
    const doomed = (await passwordSignIn(h.sdk, { poolId: setup.poolId, clientId: other }, 'dave', STRONG_PASSWORD)).AuthenticationResult!;
    const kept = (await passwordSignIn(h.sdk, setup, 'dave', STRONG_PASSWORD)).AuthenticationResult!;

    await h.sdk.send(new DeleteUserPoolClientCommand({ UserPoolId: setup.poolId, ClientId: other }));
    const gone = { name: 'ResourceNotFoundException', message: `User pool client ${other} does not exist.` };
    expect(await failure(h.sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: setup.poolId, ClientId: other })))).toEqual(gone);
    expect(await failure(h.sdk.send(new DeleteUserPoolClientCommand({ UserPoolId: setup.poolId, ClientId: other })))).toEqual(gone);
    expect(
      await failure(h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: other, AuthParameters: { REFRESH_TOKEN: doomed.RefreshToken! } }))),
    ).toEqual(gone);
    // Presented to the pool's other client, the refresh token is still not one it knows.
    expect(
      await failure(
        h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: setup.clientId, AuthParameters: { REFRESH_TOKEN: doomed.RefreshToken! } })),
      ),
    ).toEqual({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
    expect(await failure(h.sdk.send(new GetUserCommand({ AccessToken: doomed.AccessToken! })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
    expect((await h.sdk.send(new GetUserCommand({ AccessToken: kept.AccessToken! }))).Username).toBe('dave');
    expect(
      await failure(h.sdk.send(new DeleteUserPoolClientCommand({ UserPoolId: 'us-east-1_Nowhere1', ClientId: setup.clientId }))),
    ).toEqual({ name: 'ResourceNotFoundException', message: 'User pool us-east-1_Nowhere1 does not exist.' });
  });
});

describe('seed files', () => {
  const seedDoc = (users: SeedUser[]): SeedDocument => ({
    pools: [
      {
        id: 'us-east-1_seedgroups',
        name: 'seeded',
        clients: [{ id: 'seedgroupsclient', name: 'web', settings: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } }],
        groups: [
          { name: 'admins', precedence: 1, roleArn: role('admin'), description: 'Administrators' },
          { name: 'everyone' },
        ],
        users,
      },
    ],
  });
  const seeded: Setup = { poolId: 'us-east-1_seedgroups', clientId: 'seedgroupsclient' };

  it("a seed pool declares groups and a user's groups; seeding again leaves both as they are", async () => {
    h.pool.seed(seedDoc([{ username: 'lena', password: STRONG_PASSWORD, groups: ['everyone', 'admins'] }, { username: 'max', password: STRONG_PASSWORD }]));
    expect((await h.sdk.send(new GetGroupCommand({ UserPoolId: seeded.poolId, GroupName: 'admins' }))).Group).toMatchObject({
      Precedence: 1,
      RoleArn: role('admin'),
      Description: 'Administrators',
    });
    expect(claimsOf((await passwordSignIn(h.sdk, seeded, 'lena', STRONG_PASSWORD)).AuthenticationResult).id).toMatchObject({
      'cognito:groups': ['admins', 'everyone'],
      'cognito:preferred_role': role('admin'),
    });
    expect(await groupsOf('max', seeded.poolId)).toEqual([]);

    await h.sdk.send(new UpdateGroupCommand({ UserPoolId: seeded.poolId, GroupName: 'admins', Precedence: 7 }));
    await removeFromGroup('lena', 'everyone', seeded.poolId);
    h.pool.seed(seedDoc([{ username: 'lena', password: STRONG_PASSWORD, groups: ['everyone', 'admins'] }]));
    expect((await h.sdk.send(new GetGroupCommand({ UserPoolId: seeded.poolId, GroupName: 'admins' }))).Group!.Precedence).toBe(7);
    expect(await groupsOf('lena', seeded.poolId)).toEqual(['admins']);
  });

  it('a user naming a group the pool does not have, or a group breaking the model, refuses the document', async () => {
    const unknownGroup = seedDoc([{ username: 'nora', password: STRONG_PASSWORD, groups: ['ghosts'] }]);
    const message = 'seed: pools[0].users[0] (nora): group "ghosts" is neither in the pool nor in its "groups"';
    expect(() => h.pool.seed(unknownGroup)).toThrow(message);
    await expect(h.pool.seedWhileServing(unknownGroup)).rejects.toThrow(message);
    const badGroup: SeedDocument = { pools: [{ id: 'us-east-1_badgroup', name: 'bad', groups: [{ name: 'ok', precedence: -1 }] }] };
    expect(() => h.pool.seed(badGroup)).toThrow(/^seed: pools\[0\]: InvalidParameterException: 1 validation error detected: Value at 'precedence'/);
    expect(await failure(groupsOf('nora', seeded.poolId))).toMatchObject({ name: 'UserNotFoundException' });
  });
});
