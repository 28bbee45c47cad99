// GetSigningCertificate (the pool's SAML signing certificate), the multi-Region replica records
// (CreateUserPoolReplica, ListUserPoolReplicas, UpdateUserPoolReplica, DeleteUserPoolReplica) and the
// account's provisioned API rate limits (GetProvisionedLimit, UpdateProvisionedLimit).
// Nothing is replicated: the server answers for the pool in its own Region only, and no limit throttles.
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import { CognitoError, Errors } from '../errors.js';
import { Rules, Validator, type JsonObject } from '../validation.js';
import { newSamlSigningCertificate } from '../../crypto/saml-certificate.js';
import { replicaLimitStoreOf, type ReplicaRecord } from '../../pools/replicas-limits-store.js';
import { poolTier } from '../../pools/sign-in-policy.js';
import { readTags, userPoolArn } from '../../pools/tags.js';
import { page, requirePool } from './pools.js';

// ---------- GetSigningCertificate ----------

const getSigningCertificate: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  v.done();
  requirePool(ctx, poolId);
  const certificates = replicaLimitStoreOf(ctx.store);
  let stored = certificates.samlCertificate(poolId);
  if (!stored) {
    const made = await newSamlSigningCertificate(poolId, ctx.clock.now());
    // The key took a while: the pool may have gone, or another request stored its certificate first.
    ctx.store.transaction(() => {
      requirePool(ctx, poolId);
      certificates.putSamlCertificateOnce({ poolId, privateKeyPem: made.privateKeyPem, certificateDer: made.certificateDer, createdAt: ctx.clock.now() });
    });
    stored = certificates.samlCertificate(poolId)!;
  }
  return { Certificate: stored.certificateDer.toString('base64') };
};

// ---------- replicas ----------

/** RegionName: 5-32 characters (the model); the pool also wants the shape of a Region name. */
const REGION_RULE = { min: 5, max: 32 };
const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** How long a new replica reads CREATING (on the pool's clock) before it is INACTIVE. */
export const REPLICA_CREATION_MS = 5_000;
/** Secondary replicas a pool may have (a local choice). */
export const MAX_REPLICAS = 10;
/** ListUserPoolReplicas has no MaxResults: pages of this many, the primary first. */
export const REPLICA_PAGE = 10;

const ReplicaErrors = {
  badRegion: (region: string) => Errors.invalidParameter(`${region} is not a valid AWS Region name.`),
  primaryRegion: (region: string) => Errors.invalidParameter(`${region} is the primary Region of the user pool: a replica must be in another Region.`),
  exists: (poolId: string, region: string) => Errors.invalidParameter(`User pool ${poolId} already has a replica in ${region}.`),
  notFound: (poolId: string, region: string) => new CognitoError('ResourceNotFoundException', `User pool ${poolId} has no replica in ${region}.`),
  tooMany: () => new CognitoError('LimitExceededException', `A user pool can have at most ${MAX_REPLICAS} replicas.`),
  primaryFixed: (region: string) => Errors.invalidParameter(`The primary replica in ${region} cannot be updated or deleted.`),
  creating: (region: string) => Errors.invalidParameter(`The replica in ${region} is still being created.`),
  notInactive: (region: string, status: string) => Errors.invalidParameter(`The replica in ${region} is ${status}: only an INACTIVE replica can be deleted.`),
};

const statusOf = (ctx: PoolContext, replica: ReplicaRecord): string =>
  ctx.clock.now() < replica.createdAt + REPLICA_CREATION_MS ? 'CREATING' : replica.status;

/** UserPoolReplicaType. The pool id is shared by every Region (as Cognito's is); the ARN names the Region. */
const describeReplica = (region: string, poolId: string, status: string, role: 'PRIMARY' | 'SECONDARY'): JsonObject => ({
  RegionName: region,
  Status: status,
  Role: role,
  UserPoolArn: userPoolArn(region, poolId),
});

const describeSecondary = (ctx: PoolContext, replica: ReplicaRecord, status = statusOf(ctx, replica)): JsonObject =>
  describeReplica(replica.region, replica.poolId, status, 'SECONDARY');

function readReplicaTarget(input: JsonObject, ctx: PoolContext, extra?: (v: Validator) => void): { poolId: string; region: string } {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const region = v.requiredString('RegionName', REGION_RULE);
  extra?.(v);
  v.done();
  if (!REGION_SHAPE.test(region)) throw ReplicaErrors.badRegion(region);
  requirePool(ctx, poolId);
  return { poolId, region };
}

const createUserPoolReplica: Handler = async (input, ctx) => {
  const tags = readTags(input['UserPoolTags'], 'userPoolTags') ?? {};
  const { poolId, region } = readReplicaTarget(input, ctx);
  const replicas = replicaLimitStoreOf(ctx.store);
  const created = ctx.store.transaction(() => {
    const pool = requirePool(ctx, poolId);
    if (poolTier(pool.config) === 'LITE') throw Errors.featureUnavailableInTier('Multi-Region replication');
    if (region === ctx.region) throw ReplicaErrors.primaryRegion(region);
    if (replicas.replica(poolId, region)) throw ReplicaErrors.exists(poolId, region);
    if (replicas.countReplicas(poolId) >= MAX_REPLICAS) throw ReplicaErrors.tooMany();
    const record: ReplicaRecord = { poolId, region, status: 'INACTIVE', tags, createdAt: ctx.clock.now() };
    replicas.insertReplica(record);
    return record;
  });
  return { UserPoolReplica: describeSecondary(ctx, created) };
};

const listUserPoolReplicas: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const token = v.optionalString('NextToken', Rules.paginationKey);
  v.done();
  requirePool(ctx, poolId);
  const replicas = replicaLimitStoreOf(ctx.store);
  const primary = describeReplica(ctx.region, poolId, 'ACTIVE', 'PRIMARY');
  // Offset 0 is the primary, offset n the n-th secondary.
  const fetch = (offset: number, count: number): JsonObject[] => {
    const secondaries = replicas.listReplicas(poolId, Math.max(0, offset - 1), offset === 0 ? count - 1 : count).map((r) => describeSecondary(ctx, r));
    return offset === 0 ? [primary, ...secondaries] : secondaries;
  };
  const { items, next } = page(fetch, token, REPLICA_PAGE);
  return { UserPoolReplicas: items, ...(next ? { NextToken: next } : {}) };
};

const updateUserPoolReplica: Handler = async (input, ctx) => {
  let status = '';
  const { poolId, region } = readReplicaTarget(input, ctx, (v) => (status = v.requiredString('Status', { oneOf: ['ACTIVE', 'INACTIVE'] })));
  if (region === ctx.region) throw ReplicaErrors.primaryFixed(region);
  const replicas = replicaLimitStoreOf(ctx.store);
  const updated = ctx.store.transaction(() => {
    const replica = replicas.replica(poolId, region);
    if (!replica) throw ReplicaErrors.notFound(poolId, region);
    if (statusOf(ctx, replica) === 'CREATING') throw ReplicaErrors.creating(region);
    return replicas.setReplicaStatus(poolId, region, status as 'ACTIVE' | 'INACTIVE')!;
  });
  return { UserPoolReplica: describeSecondary(ctx, updated) };
};

/** Only an INACTIVE replica; the record goes at once and the answer says DELETING, as Cognito's first answer does. */
const deleteUserPoolReplica: Handler = async (input, ctx) => {
  const { poolId, region } = readReplicaTarget(input, ctx);
  if (region === ctx.region) throw ReplicaErrors.primaryFixed(region);
  const replicas = replicaLimitStoreOf(ctx.store);
  const deleted = ctx.store.transaction(() => {
    const replica = replicas.replica(poolId, region);
    if (!replica) throw ReplicaErrors.notFound(poolId, region);
    const status = statusOf(ctx, replica);
    if (status !== 'INACTIVE') throw ReplicaErrors.notInactive(region, status);
    replicas.deleteReplica(poolId, region);
    return replica;
  });
  return { UserPoolReplica: describeSecondary(ctx, deleted, 'DELETING') };
};

// ---------- provisioned limits ----------

/**
 * The API categories and their default (free) rates in requests per second, after Cognito's quotas
 * page. The account maximum a request may ask for is a local choice: ten times the free rate.
 */
export const API_CATEGORY_FREE_RPS: Readonly<Record<string, number>> = {
  UserAuthentication: 120,
  UserCreation: 50,
  UserFederation: 25,
  UserAccountRecovery: 30,
  UserRead: 120,
  UserUpdate: 25,
  UserResourceRead: 50,
  UserResourceUpdate: 25,
  UserList: 30,
  UserPoolRead: 15,
  UserPoolUpdate: 15,
  UserPoolResourceRead: 20,
  UserPoolResourceUpdate: 15,
  ClientAuthentication: 150,
};
export const MAX_LIMIT_FACTOR = 10;
const LIMIT_CLASS = 'API_CATEGORY';

const missing = (member: string) => Errors.invalidParameter(`1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must not be null`);

/** LimitDefinition: LimitClass API_CATEGORY and Attributes {Category: <a category above>}, nothing else. */
function readLimitDefinition(input: JsonObject): { category: string; definition: JsonObject } {
  const v = new Validator(input);
  const definition = v.optionalObject('LimitDefinition');
  v.done();
  if (!definition) throw missing('limitDefinition');
  const d = new Validator(definition);
  const limitClass = d.requiredString('LimitClass', { oneOf: [LIMIT_CLASS] });
  const attributes = d.optionalMap('Attributes');
  d.done();
  if (!attributes) throw missing('limitDefinition.attributes');
  const keys = Object.keys(attributes);
  const category = attributes['Category'];
  if (keys.length !== 1 || category === undefined) throw Errors.invalidParameter(`A limit of class ${LIMIT_CLASS} is named by one attribute, Category.`);
  if (!Object.hasOwn(API_CATEGORY_FREE_RPS, category)) {
    throw Errors.invalidParameter(`${category} is not an API category; the categories are ${Object.keys(API_CATEGORY_FREE_RPS).join(', ')}.`);
  }
  return { category, definition: { LimitClass: limitClass, Attributes: { Category: category } } };
}

const limitOf = (ctx: PoolContext, category: string, definition: JsonObject): JsonObject => {
  const free = API_CATEGORY_FREE_RPS[category]!;
  return { LimitDefinition: definition, ProvisionedLimitValue: replicaLimitStoreOf(ctx.store).provisionedLimit(LIMIT_CLASS, category) ?? free, FreeLimitValue: free };
};

const getProvisionedLimit: Handler = async (input, ctx) => {
  const { category, definition } = readLimitDefinition(input);
  return { Limit: limitOf(ctx, category, definition) };
};

const updateProvisionedLimit: Handler = async (input, ctx) => {
  const { category, definition } = readLimitDefinition(input);
  const v = new Validator(input);
  const requested = v.requiredInteger('RequestedLimitValue', 0, 2 ** 31 - 1);
  v.done();
  const free = API_CATEGORY_FREE_RPS[category]!;
  if (requested < free) throw Errors.invalidParameter(`The requested limit ${requested} is below the default limit ${free} of ${category}.`);
  const maximum = free * MAX_LIMIT_FACTOR;
  if (requested > maximum) {
    throw new CognitoError('ServiceQuotaExceededException', `The requested limit ${requested} is above the account's maximum ${maximum} for ${category}.`);
  }
  replicaLimitStoreOf(ctx.store).setProvisionedLimit(LIMIT_CLASS, category, requested, ctx.clock.now());
  return { Limit: limitOf(ctx, category, definition) };
};

export const replicaLimitHandlers: HandlerRegistry = {
  GetSigningCertificate: getSigningCertificate,
  CreateUserPoolReplica: createUserPoolReplica,
  ListUserPoolReplicas: listUserPoolReplicas,
  UpdateUserPoolReplica: updateUserPoolReplica,
  DeleteUserPoolReplica: deleteUserPoolReplica,
  GetProvisionedLimit: getProvisionedLimit,
  UpdateProvisionedLimit: updateProvisionedLimit,
};
