// Pool and app-client configuration through Cognito's own admin API.
import { describeClient, describePool, readClientConfig, readPoolUpdate, summarizeClient, summarizePool } from '../../pools/config.js';
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import { Errors } from '../errors.js';
import type { ClientRecord, PoolRecord } from '../../store/model.js';
import { createClient, createPool } from '../../pools/provisioning.js';
import { newClientSecret } from '../../crypto/secrets.js';
import { Rules, Validator, type JsonObject } from '../validation.js';
import { checkOAuthSettings } from '../../oauth/client-settings.js';
import { checkClientTokenFlow } from '../../pools/client-secrets.js';
import { poolDomainMembers } from '../../oauth/domains.js';
import { requireClientOfPool } from '../../flows/sign-in.js';
import { requireNoImportRunning } from '../../pools/user-import.js';

export function requirePool(ctx: PoolContext, poolId: string): PoolRecord {
  const pool = ctx.store.getPool(poolId);
  if (!pool) throw Errors.poolNotFound(poolId);
  return pool;
}

const requirePoolClient = (ctx: PoolContext, poolId: string, clientId: string): ClientRecord => requireClientOfPool(ctx, poolId, clientId).client;

/** NextToken / PaginationToken: an opaque offset (at most 15 digits: SQLite takes it as an integer). */
export const pageToken = {
  encode: (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64url'),
  decode(token: string | undefined): number {
    if (token === undefined) return 0;
    const match = /^offset:(\d{1,15})$/.exec(Buffer.from(token, 'base64url').toString());
    if (!match) throw Errors.invalidParameter('Invalid pagination token.');
    return Number(match[1]);
  },
};

/** One page of `fetch(offset, limit + 1)`, with a token when more remain. */
export function page<T>(fetch: (offset: number, limit: number) => T[], token: string | undefined, limit: number) {
  const offset = pageToken.decode(token);
  const rows = fetch(offset, limit + 1);
  return { items: rows.slice(0, limit), next: rows.length > limit ? pageToken.encode(offset + limit) : undefined };
}

const withoutMembers = (input: JsonObject, ...names: string[]): JsonObject =>
  Object.fromEntries(Object.entries(input).filter(([name]) => !names.includes(name)));

const createUserPool: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const name = v.requiredString('PoolName', Rules.name);
  v.done();
  const pool = createPool(ctx, { name, settings: withoutMembers(input, 'PoolName') });
  return { UserPool: describePool(pool, ctx.region, 0) };
};

const describeUserPool: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  v.done();
  const pool = requirePool(ctx, poolId);
  return { UserPool: { ...describePool(pool, ctx.region, ctx.store.countUsers(pool.id)), ...poolDomainMembers(ctx, pool.id) } };
};

/**
 * Like Cognito: the updatable settings left out of the request return to their defaults; what only
 * CreateUserPool sets, and the MFA factors of SetUserPoolMfaConfig, stay.
 */
const updateUserPool: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const name = v.optionalString('PoolName', Rules.name);
  v.done();
  ctx.store.transaction(() => {
    const pool = requirePool(ctx, poolId);
    const config = readPoolUpdate(pool.config, withoutMembers(input, 'UserPoolId', 'PoolName'));
    requireNoImportRunning(ctx, pool.id);
    ctx.store.updatePool({ ...pool, name: name ?? pool.name, config, updatedAt: ctx.clock.now() });
  });
  return {};
};

const listUserPools: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const maxResults = v.requiredInteger('MaxResults', 1, 60);
  const nextToken = v.optionalString('NextToken', { min: 1 });
  v.done();
  const { items, next } = page((offset, limit) => ctx.store.listPools(offset, limit), nextToken, maxResults);
  return { UserPools: items.map(summarizePool), ...(next ? { NextToken: next } : {}) };
};

const deleteUserPool: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  v.done();
  ctx.store.transaction(() => {
    const pool = requirePool(ctx, poolId);
    if (pool.config.DeletionProtection === 'ACTIVE') {
      throw Errors.invalidParameter('The user pool cannot be deleted because deletion protection is activated.');
    }
    requireNoImportRunning(ctx, pool.id);
    ctx.store.deletePool(pool.id);
  });
  return {};
};

const createUserPoolClient: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const name = v.requiredString('ClientName', Rules.name);
  const generateSecret = v.optionalBoolean('GenerateSecret') ?? false;
  v.done();
  const pool = requirePool(ctx, poolId);
  const client = createClient(ctx, {
    pool,
    name,
    secret: generateSecret ? newClientSecret() : null,
    settings: withoutMembers(input, 'UserPoolId', 'ClientName', 'GenerateSecret'),
  });
  return { UserPoolClient: describeClient(client) };
};

const describeUserPoolClient: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const clientId = v.requiredString('ClientId', Rules.clientId);
  v.done();
  return { UserPoolClient: describeClient(requirePoolClient(ctx, poolId, clientId)) };
};

/** Like Cognito: settings left out of the request return to their defaults. */
const updateUserPoolClient: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const clientId = v.requiredString('ClientId', Rules.clientId);
  const name = v.optionalString('ClientName', Rules.name);
  v.done();
  const client = requirePoolClient(ctx, poolId, clientId);
  const updated: ClientRecord = {
    ...client,
    name: name ?? client.name,
    config: readClientConfig(withoutMembers(input, 'UserPoolId', 'ClientId', 'ClientName')),
    updatedAt: ctx.clock.now(),
  };
  checkOAuthSettings(ctx, poolId, updated.config, updated.secret !== null);
  checkClientTokenFlow(updated.config, updated.secret !== null);
  ctx.store.updateClient(updated);
  return { UserPoolClient: describeClient(updated) };
};

const listUserPoolClients: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const maxResults = v.optionalInteger('MaxResults', 1, 60) ?? 60;
  const nextToken = v.optionalString('NextToken', { min: 1 });
  v.done();
  requirePool(ctx, poolId);
  const { items, next } = page((offset, limit) => ctx.store.listClients(poolId, offset, limit), nextToken, maxResults);
  return { UserPoolClients: items.map(summarizeClient), ...(next ? { NextToken: next } : {}) };
};

/** Its refresh tokens stop working and its access tokens are revoked: the client's sign-ins go with it. */
const deleteUserPoolClient: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const clientId = v.requiredString('ClientId', Rules.clientId);
  v.done();
  const client = requirePoolClient(ctx, poolId, clientId);
  ctx.store.transaction(() => ctx.store.deleteClient(client.id));
  return {};
};

export const poolHandlers: HandlerRegistry = {
  CreateUserPool: createUserPool,
  DescribeUserPool: describeUserPool,
  UpdateUserPool: updateUserPool,
  ListUserPools: listUserPools,
  DeleteUserPool: deleteUserPool,
  CreateUserPoolClient: createUserPoolClient,
  DescribeUserPoolClient: describeUserPoolClient,
  UpdateUserPoolClient: updateUserPoolClient,
  ListUserPoolClients: listUserPoolClients,
  DeleteUserPoolClient: deleteUserPoolClient,
};
