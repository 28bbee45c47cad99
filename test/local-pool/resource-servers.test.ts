// Resource servers over HTTP with the AWS SDK (the five operations, their errors and paging), the
// custom scopes app clients may be given, and the token endpoint's client_credentials grant: its
// access token is verified with jose against the pool's JWKS URL. Also: a user's authorization code
// carries the custom scopes asked for, and a scope deleted since is not granted again on refresh.
import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteResourceServerCommand,
  DeleteUserPoolCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolClientCommand,
  GetUserCommand,
  ListResourceServersCommand,
  UpdateResourceServerCommand,
  UpdateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { Browser, form, formWith, pkce } from './hosted-ui-support.js';
import { createUser, failure, startPool, type PoolHarness } from './support.js';

const DOMAIN = 'machines-test';
const CALLBACK = 'http://localhost:3000/callback';
const PASSWORD = 'Passw0rd!servers';
const API = 'https://api.example.com';
const READ_WRITE = [
  { ScopeName: 'read', ScopeDescription: 'Read things' },
  { ScopeName: 'write', ScopeDescription: 'Write things' },
];

let h: PoolHarness;
let poolId: string;
let base: string;
/** client_credentials, allowed api/read and api/write; access tokens live 20 minutes. */
let machine: { id: string; secret: string };

const machineClient = (overrides: Partial<CreateUserPoolClientCommandInput> = {}): CreateUserPoolClientCommandInput => ({
  UserPoolId: poolId,
  ClientName: 'machine',
  GenerateSecret: true,
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthFlows: ['client_credentials'],
  AllowedOAuthScopes: [`${API}/read`, `${API}/write`],
  ...overrides,
});

async function token(fields: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: form(fields),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });
const describeScopes = async (clientId: string) =>
  (await h.sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient?.AllowedOAuthScopes;

beforeAll(async () => {
  h = await startPool();
  poolId = (await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'machines' }))).UserPool!.Id!;
  await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: DOMAIN }));
  await h.sdk.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: API, Name: 'Example API', Scopes: READ_WRITE }));
  const created = (await h.sdk.send(new CreateUserPoolClientCommand(machineClient({ AccessTokenValidity: 20, TokenValidityUnits: { AccessToken: 'minutes' } })))).UserPoolClient!;
  machine = { id: created.ClientId!, secret: created.ClientSecret! };
  base = `${h.pool.url}/_domain/${DOMAIN}`;
}, 60_000);
afterAll(() => h?.close());

describe('the resource server operations', () => {
  it('create, describe, update and delete a server', async () => {
    const scopes = [{ ScopeName: 'sync', ScopeDescription: 'Sync' }];
    const created = await h.sdk.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'jobs', Name: 'Jobs', Scopes: scopes }));
    expect(created.ResourceServer).toEqual({ UserPoolId: poolId, Identifier: 'jobs', Name: 'Jobs', Scopes: scopes });
    expect((await h.sdk.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'jobs' }))).ResourceServer).toEqual(created.ResourceServer);
    // Update replaces the name and the scopes; scopes left out are none.
    const renamed = await h.sdk.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'jobs', Name: 'Batch jobs', Scopes: [{ ScopeName: 'run', ScopeDescription: 'Run' }] }));
    expect(renamed.ResourceServer).toEqual({ UserPoolId: poolId, Identifier: 'jobs', Name: 'Batch jobs', Scopes: [{ ScopeName: 'run', ScopeDescription: 'Run' }] });
    const cleared = await h.sdk.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'jobs', Name: 'Batch jobs' }));
    expect(cleared.ResourceServer?.Scopes).toEqual([]);
    await h.sdk.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'jobs' }));
    expect(await failure(h.sdk.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'jobs' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Resource server jobs does not exist.',
    });
  });

  it('lists the servers oldest first, MaxResults at a time', async () => {
    for (const n of [1, 2, 3]) await h.sdk.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: `paged-${n}`, Name: `Paged ${n}` }));
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const listed = await h.sdk.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 2, ...(NextToken ? { NextToken } : {}) }));
      expect(listed.ResourceServers!.length).toBeLessThanOrEqual(2);
      seen.push(...listed.ResourceServers!.map((s) => s.Identifier!));
      NextToken = listed.NextToken;
      pages++;
    } while (NextToken);
    expect(seen).toEqual([API, 'paged-1', 'paged-2', 'paged-3']);
    expect(pages).toBe(2);
    const all = await h.sdk.send(new ListResourceServersCommand({ UserPoolId: poolId }));
    expect(all.ResourceServers?.[0]).toEqual({ UserPoolId: poolId, Identifier: API, Name: 'Example API', Scopes: READ_WRITE });
    expect(all.NextToken).toBeUndefined();
    for (const n of [1, 2, 3]) await h.sdk.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: `paged-${n}` }));
  });

  it('refuses a second server with the same identifier', async () => {
    expect(await failure(h.sdk.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: API, Name: 'Again' })))).toEqual({
      name: 'InvalidParameterException',
      message: `${API} already exists in user pool ${poolId}.`,
    });
  });

  it.each([
    ['an identifier with a backslash', { Identifier: 'a\\b' }, 'identifier'],
    ['an identifier of 257 characters', { Identifier: 'x'.repeat(257) }, 'identifier'],
    ['a name outside its pattern', { Name: 'no/slash' }, 'name'],
    ['a scope name with a slash', { Scopes: [{ ScopeName: 'a/b', ScopeDescription: 'd' }] }, 'scopes.1.member.scopeName'],
    ['a scope without a description', { Scopes: [{ ScopeName: 'ok' }] }, 'scopes.1.member.scopeDescription'],
    ['101 scopes', { Scopes: Array.from({ length: 101 }, (_, i) => ({ ScopeName: `s${i}`, ScopeDescription: 'd' })) }, 'scopes'],
  ])('refuses %s', async (_what, overrides, member) => {
    // Sent as given (a scope without its description too): the SDK's types do not let that through.
    const refused = await failure(h.sdk.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'fresh', Name: 'Fresh', ...(overrides as object) })));
    expect(refused.name).toBe('InvalidParameterException');
    expect(refused.message).toContain(`Value at '${member}' failed to satisfy constraint`);
  });

  it('answers ResourceNotFoundException for an unknown pool or server, InvalidParameterException for bad paging', async () => {
    const nowhere = 'us-east-1_Nowhere';
    const calls: Array<() => Promise<unknown>> = [
      () => h.sdk.send(new CreateResourceServerCommand({ UserPoolId: nowhere, Identifier: 'x', Name: 'X' })),
      () => h.sdk.send(new DescribeResourceServerCommand({ UserPoolId: nowhere, Identifier: API })),
      () => h.sdk.send(new ListResourceServersCommand({ UserPoolId: nowhere })),
      () => h.sdk.send(new UpdateResourceServerCommand({ UserPoolId: nowhere, Identifier: API, Name: 'X' })),
      () => h.sdk.send(new DeleteResourceServerCommand({ UserPoolId: nowhere, Identifier: API })),
    ];
    for (const call of calls) expect(await failure(call())).toEqual({ name: 'ResourceNotFoundException', message: `User pool ${nowhere} does not exist.` });
    expect(await failure(h.sdk.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'missing', Name: 'X' })))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await failure(h.sdk.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'missing' })))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect((await failure(h.sdk.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 51 })))).name).toBe('InvalidParameterException');
    expect(await failure(h.sdk.send(new ListResourceServersCommand({ UserPoolId: poolId, NextToken: 'garbage' })))).toEqual({ name: 'InvalidParameterException', message: 'Invalid pagination token.' });
  });

  it('go with their pool: a pool made again under the same id has none, and a seed pool may declare them', async () => {
    const seeded = { id: 'us-east-1_Seeded', name: 'seeded', resourceServers: [{ identifier: 'reports', name: 'Reports', scopes: [{ name: 'read', description: 'Read reports' }] }] };
    h.pool.seed({ pools: [seeded] });
    expect((await h.sdk.send(new DescribeResourceServerCommand({ UserPoolId: seeded.id, Identifier: 'reports' }))).ResourceServer).toEqual({
      UserPoolId: seeded.id,
      Identifier: 'reports',
      Name: 'Reports',
      Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read reports' }],
    });
    await h.sdk.send(new DeleteUserPoolCommand({ UserPoolId: seeded.id }));
    h.pool.seed({ pools: [{ id: seeded.id, name: 'seeded' }] });
    expect((await h.sdk.send(new ListResourceServersCommand({ UserPoolId: seeded.id }))).ResourceServers).toEqual([]);
    expect(() => h.pool.seed({ pools: [{ id: 'us-east-1_BadSeed', name: 'bad', resourceServers: [{ identifier: 'x', name: 'X', scopes: [{ name: 'a/b', description: 'd' }] }] }] })).toThrow(
      /seed: .*scopes\.1\.member\.scopeName/,
    );
  });
});

describe('custom scopes in app clients', () => {
  it('takes scopes that exist and refuses others with ScopeDoesNotExistException', async () => {
    expect(await failure(h.sdk.send(new CreateUserPoolClientCommand(machineClient({ AllowedOAuthScopes: [`${API}/read`, `${API}/delete`] }))))).toEqual({
      name: 'ScopeDoesNotExistException',
      message: `Invalid scope requested: ${API}/delete`,
    });
    expect(await failure(h.sdk.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: machine.id, AllowedOAuthScopes: ['elsewhere/read'] })))).toMatchObject({
      name: 'ScopeDoesNotExistException',
    });
    expect(await describeScopes(machine.id)).toEqual([`${API}/read`, `${API}/write`]);
  });

  it.each([
    ['without a secret', { GenerateSecret: false }, 'client_credentials flow can not be selected if client does not have a client secret.'],
    ['with the code flow', { AllowedOAuthFlows: ['client_credentials', 'code'], CallbackURLs: [CALLBACK] }, 'client_credentials flow can not be selected along with code flow or implicit flow.'],
    ['with a standard scope', { AllowedOAuthScopes: ['openid', `${API}/read`] }, 'openid is not supported with client_credentials flow'],
  ])('refuses client_credentials %s (InvalidOAuthFlowException)', async (_what, overrides, message) => {
    expect(await failure(h.sdk.send(new CreateUserPoolClientCommand(machineClient(overrides as Partial<CreateUserPoolClientCommandInput>))))).toEqual({
      name: 'InvalidOAuthFlowException',
      message,
    });
  });

  it('loses a scope when its server drops it or is deleted', async () => {
    await h.sdk.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'short-lived', Name: 'Short', Scopes: READ_WRITE }));
    const client = (await h.sdk.send(new CreateUserPoolClientCommand(machineClient({ AllowedOAuthScopes: [`${API}/read`, 'short-lived/read', 'short-lived/write'] })))).UserPoolClient!;
    await h.sdk.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'short-lived', Name: 'Short', Scopes: [READ_WRITE[0]!] }));
    expect(await describeScopes(client.ClientId!)).toEqual([`${API}/read`, 'short-lived/read']);
    await h.sdk.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'short-lived' }));
    expect(await describeScopes(client.ClientId!)).toEqual([`${API}/read`]);
    expect(await describeScopes(machine.id)).toEqual([`${API}/read`, `${API}/write`]);
  });
});

describe('the client_credentials grant', () => {
  const jwks = () => createRemoteJWKSet(new URL(`${h.pool.url}/${poolId}/.well-known/jwks.json`));

  it('gives an access token only, signed by the pool, with the client as its subject (HTTP Basic, every allowed scope)', async () => {
    const answer = await token({ grant_type: 'client_credentials' }, basic(machine.id, machine.secret));
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: 1200 });
    const { payload, protectedHeader } = await jwtVerify(String(answer.body['access_token']), jwks(), { issuer: `${h.pool.url}/${poolId}`, currentDate: new Date(h.clock.now()) });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ sub: machine.id, client_id: machine.id, token_use: 'access', scope: `${API}/read ${API}/write`, version: 2 });
    expect(payload.exp! - payload.iat!).toBe(1200);
    expect(payload['auth_time']).toBe(payload.iat);
    expect(typeof payload.jti).toBe('string');
    expect(payload).not.toHaveProperty('username');
  });

  it('cannot call the user operations: GetUser says the token lacks the scopes', async () => {
    const answer = await token({ grant_type: 'client_credentials' }, basic(machine.id, machine.secret));
    expect(await failure(h.sdk.send(new GetUserCommand({ AccessToken: String(answer.body['access_token']) })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Access Token does not have required scopes',
    });
  });

  it('takes client_id and client_secret in the body, and the scopes asked for', async () => {
    const answer = await token({ grant_type: 'client_credentials', client_id: machine.id, client_secret: machine.secret, scope: `${API}/write` });
    expect(answer.status).toBe(200);
    expect(decodeJwt(String(answer.body['access_token']))['scope']).toBe(`${API}/write`);
  });

  it('answers invalid_scope for a scope the client is not allowed or that does not exist', async () => {
    await h.sdk.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'other', Name: 'Other', Scopes: READ_WRITE }));
    for (const scope of ['other/read', `${API}/delete`, 'openid', `${API}/read other/read`]) {
      expect(await token({ grant_type: 'client_credentials', scope }, basic(machine.id, machine.secret))).toEqual({ status: 400, body: { error: 'invalid_scope' } });
    }
  });

  it('answers unauthorized_client for a client without the flow, invalid_client for a wrong secret', async () => {
    const web = (
      await h.sdk.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid', `${API}/read`], CallbackURLs: [CALLBACK] }),
      )
    ).UserPoolClient!;
    expect(await token({ grant_type: 'client_credentials' }, basic(web.ClientId!, web.ClientSecret!))).toEqual({ status: 400, body: { error: 'unauthorized_client' } });
    expect(await token({ grant_type: 'client_credentials' }, basic(machine.id, 'wrong-secret'))).toEqual({ status: 401, body: { error: 'invalid_client' } });
    expect(await token({ grant_type: 'client_credentials', client_id: machine.id, client_secret: 'wrong-secret' })).toEqual({ status: 400, body: { error: 'invalid_client' } });
  });
});

describe("a user's authorization code", () => {
  it('carries the custom scopes asked for, and a scope deleted since is not granted again on refresh', async () => {
    await h.sdk.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'notes', Name: 'Notes', Scopes: READ_WRITE }));
    const client = (
      await h.sdk.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'notes-web',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'notes/read', 'notes/write'],
          CallbackURLs: [CALLBACK],
          SupportedIdentityProviders: ['COGNITO'],
        }),
      )
    ).UserPoolClient!.ClientId!;
    await createUser(h.sdk, poolId, 'carol', PASSWORD);
    const { verifier, challenge } = pkce();
    const params = new URLSearchParams({ client_id: client, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid notes/read', state: 's', code_challenge: challenge, code_challenge_method: 'S256' });
    const browser = new Browser();
    const loginPage = await browser.follow(await browser.get(`${base}/oauth2/authorize?${params}`), (url) => url.origin === h.pool.url);
    const login = formWith(loginPage, 'password');
    const answer = await browser.post(login.action, { ...login.fields, username: 'carol', password: PASSWORD });
    const code = new URL(answer.location!).searchParams.get('code')!;
    const tokens = await token({ grant_type: 'authorization_code', client_id: client, code, redirect_uri: CALLBACK, code_verifier: verifier });
    expect(tokens.status).toBe(200);
    expect(decodeJwt(String(tokens.body['access_token']))).toMatchObject({ scope: 'openid notes/read', username: 'carol' });
    await h.sdk.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'notes', Name: 'Notes', Scopes: [READ_WRITE[1]!] }));
    const refreshed = await token({ grant_type: 'refresh_token', client_id: client, refresh_token: String(tokens.body['refresh_token']) });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(String(refreshed.body['access_token']))['scope']).toBe('openid');
  });
});
