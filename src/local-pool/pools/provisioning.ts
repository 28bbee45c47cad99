// Creating pools, app clients and users: shared by the admin API and by seeding.
import type { PoolContext } from '../context.js';
import { readClientConfig, readPoolConfig } from './config.js';
import { checkPoolFeatures } from './sign-in-policy.js';
import { CognitoError, Errors } from '../api/errors.js';
import type { ClientRecord, PasswordCredentials, PoolRecord, UserRecord, UserStatus } from '../store/model.js';
import { newClientId, newPoolId } from '../crypto/secrets.js';
import { createUserRecord, newUserIdentity, readAttributeUpdates } from './users.js';
import { Rules, Validator, type JsonObject } from '../api/validation.js';
import { checkOAuthSettings } from '../oauth/client-settings.js';
import { checkClientTokenFlow, clientSecretId } from './client-secrets.js';

export function createPool(ctx: PoolContext, input: { id?: string; name: string; settings: JsonObject }): PoolRecord {
  const v = new Validator({ PoolName: input.name, ...(input.id ? { Id: input.id } : {}) });
  v.requiredString('PoolName', Rules.name);
  v.optionalString('Id', Rules.userPoolId);
  v.done();
  const now = ctx.clock.now();
  const pool: PoolRecord = {
    id: input.id ?? newPoolId(ctx.region),
    name: input.name,
    config: readPoolConfig(input.settings),
    createdAt: now,
    updatedAt: now,
  };
  checkPoolFeatures(pool.config);
  if (ctx.store.getPool(pool.id)) throw new CognitoError('ResourceExistsException', `User pool ${pool.id} already exists.`);
  ctx.store.insertPool(pool);
  return pool;
}

export function createClient(
  ctx: PoolContext,
  input: { pool: PoolRecord; id?: string; name: string; secret: string | null; settings: JsonObject },
): ClientRecord {
  const v = new Validator({ ClientName: input.name, ...(input.id ? { ClientId: input.id } : {}) });
  v.requiredString('ClientName', Rules.name);
  v.optionalString('ClientId', Rules.clientId);
  v.done();
  if (input.secret !== null && !Rules.clientSecret.pattern.test(input.secret)) {
    throw Errors.invalidParameter('A client secret must be 24-64 characters of [\\w+].');
  }
  const now = ctx.clock.now();
  const clientId = input.id ?? newClientId();
  const client: ClientRecord = {
    id: clientId,
    poolId: input.pool.id,
    name: input.name,
    secret: input.secret,
    secrets: input.secret === null ? [] : [{ id: clientSecretId(clientId, now), secret: input.secret, createdAt: now }],
    config: readClientConfig(input.settings),
    createdAt: now,
    updatedAt: now,
  };
  checkOAuthSettings(ctx, client.poolId, client.config, client.secret !== null);
  checkClientTokenFlow(client.config, client.secret !== null);
  if (ctx.store.getClient(client.id)) throw new CognitoError('ResourceExistsException', `User pool client ${client.id} already exists.`);
  ctx.store.insertClient(client);
  return client;
}

export interface PlannedUser {
  pool: PoolRecord;
  sub: string;
  /** Canonical username: what the SRP verifier is computed for. */
  username: string;
  attributes: Record<string, string>;
}

/**
 * Checks a new user's name and attributes. `typedName` is a username, or an email / phone number
 * in pools with UsernameAttributes (the username is then the sub).
 */
export function planUser(
  ctx: PoolContext,
  pool: PoolRecord,
  typedName: string,
  attributes: Array<{ Name: string; Value: string }>,
  /** A sub chosen ahead (the seed makes verifiers before it writes users); default a new UUID. */
  sub?: string,
): PlannedUser {
  return { pool, ...newUserIdentity(ctx.store, pool, typedName, readAttributeUpdates(pool, attributes), sub) };
}

export function insertUser(
  ctx: PoolContext,
  planned: PlannedUser,
  settings: { status: UserStatus; enabled: boolean; credentials: PasswordCredentials | null },
): UserRecord {
  const user = createUserRecord({ ...planned, ...settings, now: ctx.clock.now() });
  try {
    ctx.store.insertUser(user);
  } catch (error) {
    // A concurrent request created the same name between planUser and here.
    if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw Errors.usernameExists();
    throw error;
  }
  return user;
}
