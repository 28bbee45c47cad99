// GetClientToken and client secret rotation over HTTP with the AWS SDK: the machine token (verified
// with jose against the pool's JWKS URL), its errors and the ALLOW_CLIENT_TOKEN_AUTH rules of
// CreateUserPoolClient / UpdateUserPoolClient; AddUserPoolClientSecret / ListUserPoolClientSecrets /
// DeleteUserPoolClientSecret end to end: either active secret works for SECRET_HASH, the raw
// ClientSecret and the token endpoint, a deleted one no more; the limit of two, also under concurrent Adds;
// a data file from before migration 14 keeps its clients' secrets.
import {
  AddUserPoolClientSecretCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand,
  GetClientTokenCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ListUserPoolClientSecretsCommand,
  UpdateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startLocalPool } from '../../src/local-pool/index.js';
import { migrations } from '../../src/local-pool/store/migrations.js';
import { secretHash } from '../../src/local-pool/crypto/secrets.js';
import { form } from './hosted-ui-support.js';
import { createPoolAndClient, createUser, failure, passwordSignIn, premadeSigningKeyPairs, rawCall, sdkClient, startPool, type PoolHarness } from './support.js';

const CLIENT_TOKEN = 'ALLOW_CLIENT_TOKEN_AUTH' as ExplicitAuthFlowsType;
const API = 'inventory';
const DOMAIN = 'm2m-secrets';
const PASSWORD = 'Passw0rd!rotate';
const CUSTOM_SECRET = 'mychosensecret0123456789abcdef';

let h: PoolHarness;
let poolId: string;
/** ALLOW_CLIENT_TOKEN_AUTH, allowed inventory/read and inventory/write, 15-minute access tokens. */
let machine: { id: string; secret: string };

const clientInput = (overrides: Partial<CreateUserPoolClientCommandInput>): CreateUserPoolClientCommandInput => ({
  UserPoolId: poolId,
  ClientName: 'client',
  ...overrides,
});
const create = async (overrides: Partial<CreateUserPoolClientCommandInput>) =>
  (await h.sdk.send(new CreateUserPoolClientCommand(clientInput(overrides)))).UserPoolClient!;

beforeAll(async () => {
  h = await startPool();
  poolId = (await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'm2m' }))).UserPool!.Id!;
  await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: DOMAIN }));
  await h.sdk.send(new CreateResourceServerCommand({
    UserPoolId: poolId, Identifier: API, Name: 'Inventory',
    Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }, { ScopeName: 'write', ScopeDescription: 'Write' }],
  }));
  const created = await create({
    ClientName: 'machine', GenerateSecret: true, ExplicitAuthFlows: [CLIENT_TOKEN], AllowedOAuthScopes: [`${API}/read`, `${API}/write`],
    AccessTokenValidity: 15, TokenValidityUnits: { AccessToken: 'minutes' },
  });
  machine = { id: created.ClientId!, secret: created.ClientSecret! };
}, 60_000);
afterAll(() => h?.close());

const clientToken = (input: { ClientId?: string; Secret?: string; Scopes?: string[] }) =>
  h.sdk.send(new GetClientTokenCommand({ ClientId: machine.id, Secret: machine.secret, ...input } as never));

describe('GetClientToken', () => {
  const jwks = () => createRemoteJWKSet(new URL(`${h.pool.url}/${poolId}/.well-known/jwks.json`));

  it('issues the client an access token with all its custom scopes, verifiable at the JWKS URL', async () => {
    const answer = await clientToken({});
    expect(answer.ClientAuthenticationResult).toEqual({ AccessToken: expect.any(String), ExpiresIn: 900, TokenType: 'Bearer' });
    const { payload, protectedHeader } = await jwtVerify(answer.ClientAuthenticationResult!.AccessToken!, jwks(), {
      issuer: `${h.pool.url}/${poolId}`,
      currentDate: new Date(h.clock.now()),
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ sub: machine.id, client_id: machine.id, token_use: 'access', version: 2 });
    expect(String(payload['scope']).split(' ').sort()).toEqual([`${API}/read`, `${API}/write`]);
    expect(payload['exp']! - payload['iat']!).toBe(900);
    expect(payload['username']).toBeUndefined();
  });

  it('grants only the scopes asked for', async () => {
    const answer = await clientToken({ Scopes: [`${API}/read`] });
    const { payload } = await jwtVerify(answer.ClientAuthenticationResult!.AccessToken!, jwks(), { currentDate: new Date(h.clock.now()) });
    expect(payload['scope']).toBe(`${API}/read`);
  });

  it('refuses a wrong secret, a scope the client is not allowed, an unknown client and a client without the flow', async () => {
    expect(await failure(clientToken({ Secret: 'x'.repeat(30) }))).toEqual({ name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${machine.id}` });
    expect(await failure(clientToken({ Scopes: [`${API}/delete`] }))).toEqual({ name: 'InvalidParameterException', message: `Invalid scope requested: ${API}/delete` });
    expect(await failure(clientToken({ Scopes: ['openid'] }))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await failure(clientToken({ ClientId: 'doesnotexist0000000000000' }))).toMatchObject({ name: 'ResourceNotFoundException' });
    const web = await create({ GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'], AllowedOAuthScopes: [`${API}/read`] });
    expect(await failure(clientToken({ ClientId: web.ClientId!, Secret: web.ClientSecret! }))).toEqual({
      name: 'InvalidParameterException',
      message: 'ALLOW_CLIENT_TOKEN_AUTH flow is not enabled for this client.',
    });
    // A client with the flow but no custom scope gets no token of nothing.
    const bare = await create({ GenerateSecret: true, ExplicitAuthFlows: [CLIENT_TOKEN] });
    expect(await failure(clientToken({ ClientId: bare.ClientId!, Secret: bare.ClientSecret! }))).toMatchObject({ name: 'InvalidParameterException' });
    // Shape: Secret is required, of 24-64 [\w+].
    expect(await failure(clientToken({ Secret: 'short' }))).toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('validation error') });
  });

  it('is a public operation (no IAM in Cognito): a loopback page of another port gets its answer with CORS, not the admin refusal', async () => {
    const page = 'http://localhost:5173';
    const call = (target: string, body: object) =>
      rawCall(h.pool.url, { target: `AWSCognitoIdentityProviderService.${target}`, body: JSON.stringify(body), headers: { Origin: page } });
    const answer = await call('GetClientToken', { ClientId: machine.id, Secret: machine.secret });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(page);
    expect((answer.json as { ClientAuthenticationResult?: { TokenType?: string } }).ClientAuthenticationResult?.TokenType).toBe('Bearer');
    // The secret operations are admin operations: such a page is refused.
    expect((await call('ListUserPoolClientSecrets', { UserPoolId: poolId, ClientId: machine.id })).status).toBe(403);
  });

  it('ALLOW_CLIENT_TOKEN_AUTH needs a secret and stands alone (ALLOW_REFRESH_TOKEN_AUTH aside), on create and update', async () => {
    expect(await failure(create({ GenerateSecret: true, ExplicitAuthFlows: [CLIENT_TOKEN, 'ALLOW_USER_SRP_AUTH'] }))).toEqual({
      name: 'InvalidParameterException',
      message: 'ALLOW_CLIENT_TOKEN_AUTH cannot be combined with other authentication flows: ALLOW_USER_SRP_AUTH.',
    });
    expect(await failure(create({ ExplicitAuthFlows: [CLIENT_TOKEN] }))).toEqual({
      name: 'InvalidParameterException',
      message: 'ALLOW_CLIENT_TOKEN_AUTH requires an app client with a client secret.',
    });
    const withRefresh = await create({ GenerateSecret: true, ExplicitAuthFlows: [CLIENT_TOKEN, 'ALLOW_REFRESH_TOKEN_AUTH'], AllowedOAuthScopes: [`${API}/read`] });
    expect(withRefresh.ExplicitAuthFlows?.sort()).toEqual(['ALLOW_CLIENT_TOKEN_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect((await clientToken({ ClientId: withRefresh.ClientId!, Secret: withRefresh.ClientSecret! })).ClientAuthenticationResult?.AccessToken).toBeDefined();
    // Update: the same rules; a public client cannot take the flow.
    const update = (clientId: string, flows: ExplicitAuthFlowsType[]) =>
      h.sdk.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, ExplicitAuthFlows: flows }));
    expect(await failure(update(withRefresh.ClientId!, [CLIENT_TOKEN, 'ALLOW_USER_PASSWORD_AUTH']))).toMatchObject({ name: 'InvalidParameterException' });
    const publicClient = await create({ ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] });
    expect(await failure(update(publicClient.ClientId!, [CLIENT_TOKEN]))).toMatchObject({ name: 'InvalidParameterException', message: 'ALLOW_CLIENT_TOKEN_AUTH requires an app client with a client secret.' });
    // A user flow client turned machine client gets tokens after the update.
    const turned = await create({ GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'], AllowedOAuthScopes: [`${API}/write`] });
    await h.sdk.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: turned.ClientId!, ExplicitAuthFlows: [CLIENT_TOKEN], AllowedOAuthScopes: [`${API}/write`] }));
    expect((await clientToken({ ClientId: turned.ClientId!, Secret: turned.ClientSecret! })).ClientAuthenticationResult?.AccessToken).toBeDefined();
  });
});

describe('client secret rotation', () => {
  const add = (clientId: string, secret?: string) =>
    h.sdk.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ...(secret ? { ClientSecret: secret } : {}) }));
  const list = async (clientId: string) =>
    (await h.sdk.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId }))).ClientSecrets ?? [];
  const remove = (clientId: string, secretId: string) =>
    h.sdk.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecretId: secretId }));
  const signIn = (clientId: string, secret: string) =>
    h.sdk.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: 'rita', PASSWORD, SECRET_HASH: secretHash(secret, 'rita', clientId) },
    }));
  async function tokenEndpoint(clientId: string, secret: string): Promise<number> {
    const response = await fetch(`${h.pool.url}/_domain/${DOMAIN}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
      body: form({ grant_type: 'client_credentials' }),
    });
    await response.arrayBuffer();
    return response.status;
  }

  it('a second secret works beside the first everywhere; after the first is deleted only the second does', async () => {
    await createUser(h.sdk, poolId, 'rita', PASSWORD);
    const web = await create({ GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    const m2m = await create({
      GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: [`${API}/read`],
    });
    const webId = web.ClientId!;
    const oldSecret = web.ClientSecret!;
    const [original] = await list(webId);
    expect(original).toEqual({ ClientSecretId: expect.stringMatching(new RegExp(`^${webId}--\\d+$`)), ClientSecretCreateDate: expect.any(Date) });

    const added = (await add(webId)).ClientSecretDescriptor!;
    expect(added.ClientSecretId).toMatch(new RegExp(`^${webId}--\\d+$`));
    expect(added.ClientSecretId).not.toBe(original!.ClientSecretId);
    const newSecret = added.ClientSecretValue!;
    expect(newSecret).toMatch(/^[\w+]{24,64}$/);
    expect(newSecret).not.toBe(oldSecret);

    // Listed without values, oldest first; DescribeUserPoolClient still shows the oldest.
    expect((await list(webId)).map((s) => s.ClientSecretId)).toEqual([original!.ClientSecretId, added.ClientSecretId]);
    expect((await list(webId)).every((s) => s.ClientSecretValue === undefined)).toBe(true);
    const describe = async () => (await h.sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: webId }))).UserPoolClient!.ClientSecret;
    expect(await describe()).toBe(oldSecret);

    // SECRET_HASH with either secret; the raw ClientSecret of GetTokensFromRefreshToken too.
    const refresh = (await signIn(webId, oldSecret)).AuthenticationResult!.RefreshToken!;
    expect((await signIn(webId, newSecret)).AuthenticationResult?.AccessToken).toBeDefined();
    const refreshWith = (secret: string) => h.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: webId, RefreshToken: refresh, ClientSecret: secret }));
    expect((await refreshWith(newSecret)).AuthenticationResult?.AccessToken).toBeDefined();

    // The token endpoint takes either secret of the M2M client.
    const m2mId = m2m.ClientId!;
    const m2mNew = (await add(m2mId)).ClientSecretDescriptor!.ClientSecretValue!;
    expect(await tokenEndpoint(m2mId, m2m.ClientSecret!)).toBe(200);
    expect(await tokenEndpoint(m2mId, m2mNew)).toBe(200);

    // Delete the old ones: they fail now, the new ones still work; Describe shows the new secret.
    await remove(webId, original!.ClientSecretId!);
    expect(await describe()).toBe(newSecret);
    expect(await failure(signIn(webId, oldSecret))).toEqual({ name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${webId}` });
    expect(await failure(refreshWith(oldSecret))).toMatchObject({ name: 'NotAuthorizedException' });
    expect((await signIn(webId, newSecret)).AuthenticationResult?.AccessToken).toBeDefined();
    const [m2mOriginal] = await list(m2mId);
    await remove(m2mId, m2mOriginal!.ClientSecretId!);
    expect(await tokenEndpoint(m2mId, m2m.ClientSecret!)).toBe(401);
    expect(await tokenEndpoint(m2mId, m2mNew)).toBe(200);

    // The last secret stays; an unknown id is not found.
    expect(await failure(remove(webId, added.ClientSecretId!))).toEqual({
      name: 'InvalidParameterException',
      message: 'The last remaining client secret of an app client cannot be deleted.',
    });
    expect(await failure(remove(webId, `${webId}--1`))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect((await signIn(webId, newSecret)).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('GetClientToken takes either secret, and a deleted one no more', async () => {
    const secondValue = (await add(machine.id, CUSTOM_SECRET)).ClientSecretDescriptor!;
    // A secret given by the caller is not shown back.
    expect(secondValue.ClientSecretValue).toBeUndefined();
    expect((await clientToken({ Secret: CUSTOM_SECRET })).ClientAuthenticationResult?.AccessToken).toBeDefined();
    expect((await clientToken({})).ClientAuthenticationResult?.AccessToken).toBeDefined();
    await remove(machine.id, secondValue.ClientSecretId!);
    expect(await failure(clientToken({ Secret: CUSTOM_SECRET }))).toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('at most two secrets, also when Adds race; a public client has none to manage', async () => {
    const client = await create({ GenerateSecret: true });
    const raced = await Promise.allSettled([add(client.ClientId!), add(client.ClientId!), add(client.ClientId!)]);
    expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of raced.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) expect((r.reason as Error).name).toBe('LimitExceededException');
    expect(await list(client.ClientId!)).toHaveLength(2);
    expect(await failure(add(client.ClientId!))).toMatchObject({ name: 'LimitExceededException' });

    const again = await create({ GenerateSecret: true });
    expect(await failure(add(again.ClientId!, again.ClientSecret!))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await failure(add(again.ClientId!, 'bad secret!'))).toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('validation error') });

    const publicClient = await create({});
    const message = `App client ${publicClient.ClientId} has no client secret: only a confidential client has secrets to manage.`;
    expect(await failure(add(publicClient.ClientId!))).toEqual({ name: 'InvalidParameterException', message });
    expect(await failure(list(publicClient.ClientId!))).toEqual({ name: 'InvalidParameterException', message });
    expect(await failure(remove(publicClient.ClientId!, `${publicClient.ClientId}--1`))).toEqual({ name: 'InvalidParameterException', message });
    expect(await failure(add('doesnotexist0000000000000'))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('a secret deleted while a machine token is signed', () => {
  it('gets no token, at the token endpoint and at GetClientToken: the secret is checked again after the signing', async () => {
    // A pool's first token waits for its signing keys; this key source waits until released, so the
    // secret's deletion lands inside that await, as a rotation could on a loaded pool.
    let reached!: Promise<void>;
    let arrive!: () => void;
    let release!: () => void;
    const hold = () => {
      reached = new Promise((resolve) => (arrive = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      return gate;
    };
    let gate = hold();
    const slow = await startPool({ signingKeyPairs: async () => { arrive(); await gate; return premadeSigningKeyPairs(); } });
    try {
      const machinePool = async (name: string, settings: Partial<CreateUserPoolClientCommandInput>) => {
        const id = (await slow.sdk.send(new CreateUserPoolCommand({ PoolName: name }))).UserPool!.Id!;
        await slow.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: id, Domain: name }));
        await slow.sdk.send(new CreateResourceServerCommand({ UserPoolId: id, Identifier: API, Name: 'Inventory', Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }] }));
        const client = (await slow.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: 'machine', GenerateSecret: true, AllowedOAuthScopes: [`${API}/read`], ...settings }))).UserPoolClient!;
        const [first] = (await slow.sdk.send(new ListUserPoolClientSecretsCommand({ UserPoolId: id, ClientId: client.ClientId! }))).ClientSecrets!;
        await slow.sdk.send(new AddUserPoolClientSecretCommand({ UserPoolId: id, ClientId: client.ClientId! }));
        const deleteFirst = () => slow.sdk.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: id, ClientId: client.ClientId!, ClientSecretId: first!.ClientSecretId! }));
        return { client, deleteFirst };
      };

      const oauth = await machinePool('m2m-slow-oauth', { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials'] });
      const answer = fetch(`${slow.pool.url}/_domain/m2m-slow-oauth/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${oauth.client.ClientId}:${oauth.client.ClientSecret}`).toString('base64')}` },
        body: form({ grant_type: 'client_credentials' }),
      });
      await reached;
      await oauth.deleteFirst();
      release();
      const response = await answer;
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'invalid_client' });

      gate = hold();
      const api = await machinePool('m2m-slow-api', { ExplicitAuthFlows: [CLIENT_TOKEN] });
      const token = failure(slow.sdk.send(new GetClientTokenCommand({ ClientId: api.client.ClientId!, Secret: api.client.ClientSecret! })));
      await reached;
      await api.deleteFirst();
      release();
      expect(await token).toMatchObject({ name: 'NotAuthorizedException' });
    } finally {
      release();
      await slow.close();
    }
  });
});

describe('a data file from before secret rotation', () => {
  it('migration 14 gives each confidential client its secret as the one active secret; public clients stay without', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authchart-secrets-'));
    const current = join(dir, 'current.sqlite');
    const file = join(dir, 'old.sqlite');
    const rotation = migrations.findIndex((migration) => String(migration).includes('ADD COLUMN secrets'));
    expect(rotation).toBeGreaterThan(0);
    const open = async (dataFile: string) => {
      const pool = await startLocalPool({ port: 0, dataFile });
      return { pool, sdk: sdkClient(pool.url) };
    };
    try {
      let { pool, sdk } = await open(current);
      const confidential = await createPoolAndClient(sdk, {}, { GenerateSecret: true });
      const publicClient = (await sdk.send(new CreateUserPoolClientCommand({ UserPoolId: confidential.poolId, ClientName: 'public' }))).UserPoolClient!;
      await createUser(sdk, confidential.poolId, 'olga', PASSWORD);
      sdk.destroy();
      await pool.close();
      // The file as the version before it left it: the schema of the migrations before this one, with the rows of the
      // current file in the columns that schema has (whatever later migrations add).
      const db = new Database(file);
      for (const migration of migrations.slice(0, rotation)) migration(db);
      db.pragma(`user_version = ${rotation}`);
      db.pragma('foreign_keys = OFF');
      db.prepare('ATTACH DATABASE ? AS newer').run(current);
      const created = db.prepare('SELECT created_at FROM newer.app_clients WHERE id = ?').get(confidential.clientId) as { created_at: number };
      const tables = db.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
      for (const table of tables) {
        const columnsOf = (schema: string) => (db.prepare(`SELECT name FROM pragma_table_info(?, ?)`).pluck().all(table, schema) as string[]);
        const newer = new Set(columnsOf('newer'));
        const common = columnsOf('main').filter((column) => newer.has(column)).map((column) => `"${column}"`).join(', ');
        if (common) db.exec(`INSERT INTO main."${table}" (${common}) SELECT ${common} FROM newer."${table}"`);
      }
      db.exec('DETACH DATABASE newer');
      db.close();

      ({ pool, sdk } = await open(file));
      try {
        const listed = (await sdk.send(new ListUserPoolClientSecretsCommand({ UserPoolId: confidential.poolId, ClientId: confidential.clientId }))).ClientSecrets;
        expect(listed).toEqual([{ ClientSecretId: `${confidential.clientId}--${created.created_at}`, ClientSecretCreateDate: expect.any(Date) }]);
        expect((await passwordSignIn(sdk, confidential, 'olga', PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
        // Rotation works on the migrated client: a second secret, then the migrated one deleted.
        const second = (await sdk.send(new AddUserPoolClientSecretCommand({ UserPoolId: confidential.poolId, ClientId: confidential.clientId }))).ClientSecretDescriptor!;
        await sdk.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: confidential.poolId, ClientId: confidential.clientId, ClientSecretId: listed![0]!.ClientSecretId! }));
        expect(await failure(passwordSignIn(sdk, confidential, 'olga', PASSWORD))).toMatchObject({ name: 'NotAuthorizedException' });
        expect((await passwordSignIn(sdk, { ...confidential, clientSecret: second.ClientSecretValue! }, 'olga', PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
        expect(await failure(sdk.send(new ListUserPoolClientSecretsCommand({ UserPoolId: confidential.poolId, ClientId: publicClient.ClientId! })))).toMatchObject({ name: 'InvalidParameterException' });
      } finally {
        sdk.destroy();
        await pool.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
