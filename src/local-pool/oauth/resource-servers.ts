// CreateResourceServer / DescribeResourceServer / ListResourceServers / UpdateResourceServer /
// DeleteResourceServer: the custom scopes (`<identifier>/<scope>`) app clients may be allowed and the
// token endpoint grants (client_credentials, or a user's authorization code).
import type { Handler, HandlerRegistry, PoolContext } from '../context.js';
import { CognitoError, Errors } from '../api/errors.js';
import { page, requirePool } from '../api/handlers/pools.js';
import { Rules, Validator, isPlainObject, type JsonObject, type StringRule } from '../api/validation.js';
import { QuotaErrors, Quotas } from '../pools/quotas.js';
import { customScopesOf, resourceServerStoreOf, type ResourceServerRecord, type ResourceServerScope } from './resource-server-store.js';

/** Member constraints of Cognito's model (ResourceServerIdentifierType, ResourceServerNameType, ResourceServerScopeType). */
export const ResourceServerRules = {
  identifier: { min: 1, max: 256, pattern: /^[\x21\x23-\x5B\x5D-\x7E]+$/, patternText: '[\\x21\\x23-\\x5B\\x5D-\\x7E]+' },
  name: { min: 1, max: 256, pattern: /^[\w\s+=,.@-]+$/, patternText: '[\\w\\s+=,.@-]+' },
  scopeName: { min: 1, max: 256, pattern: /^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$/, patternText: '[\\x21\\x23-\\x2E\\x30-\\x5B\\x5D-\\x7E]+' },
  scopeDescription: { min: 1, max: 256 },
} satisfies Record<string, StringRule>;

/** ResourceServerScopeListType: at most 100 scopes a server. */
const MAX_SCOPES = 100;
/** ListResourceServersLimitType: 1 to 50. */
const MAX_PAGE = 50;

const ServerErrors = {
  exists: (identifier: string, poolId: string) => Errors.invalidParameter(`${identifier} already exists in user pool ${poolId}.`),
  notFound: (identifier: string) => new CognitoError('ResourceNotFoundException', `Resource server ${identifier} does not exist.`),
};

/** One constraint failure in AWS's validation-message form (the Validator's, for a member of a list of structures). */
function constraint(member: string, value: string, rule: StringRule): string | undefined {
  if (rule.min !== undefined && value.length < rule.min) return `Value at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`;
  if (rule.max !== undefined && value.length > rule.max) return `Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`;
  if (rule.pattern && !rule.pattern.test(value)) return `Value at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${rule.patternText}`;
  return undefined;
}

/** Scopes: [{ScopeName, ScopeDescription}], both required; none given is none. */
export function readScopes(input: JsonObject): ResourceServerScope[] {
  const value = input['Scopes'];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw Errors.serialization('Scopes must be a list');
  const problems: string[] = [];
  if (value.length > MAX_SCOPES) problems.push(`Value at 'scopes' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SCOPES}`);
  const scopes = value.map((entry, index): ResourceServerScope => {
    if (!isPlainObject(entry)) throw Errors.serialization(`Scopes.${index + 1} must be a structure`);
    const read = (member: 'ScopeName' | 'ScopeDescription', rule: StringRule): string => {
      const text = entry[member];
      const at = `scopes.${index + 1}.member.${member.charAt(0).toLowerCase()}${member.slice(1)}`;
      if (text === undefined || text === null) {
        problems.push(`Value at '${at}' failed to satisfy constraint: Member must not be null`);
        return '';
      }
      if (typeof text !== 'string') throw Errors.serialization(`Scopes.${index + 1}.${member} must be a string`);
      const problem = constraint(at, text, rule);
      if (problem) problems.push(problem);
      return text;
    };
    return { ScopeName: read('ScopeName', ResourceServerRules.scopeName), ScopeDescription: read('ScopeDescription', ResourceServerRules.scopeDescription) };
  });
  if (problems.length > 0) {
    throw Errors.invalidParameter(`${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
  }
  const names = scopes.map((s) => s.ScopeName);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw Errors.invalidParameter(`The scope ${repeated} is given more than once.`);
  return scopes;
}

/** ResourceServerType. */
export const describeServer = (server: ResourceServerRecord): JsonObject => ({
  UserPoolId: server.poolId,
  Identifier: server.identifier,
  Name: server.name,
  Scopes: server.scopes.map((s) => ({ ScopeName: s.ScopeName, ScopeDescription: s.ScopeDescription })),
});

/**
 * Takes scopes that no longer exist out of the pool's app clients' AllowedOAuthScopes (in the caller's
 * transaction), so no client keeps, or can be granted, a scope its server no longer has.
 */
function withdrawScopes(ctx: PoolContext, poolId: string, gone: ReadonlySet<string>, now: number): void {
  if (gone.size === 0) return;
  for (const client of ctx.store.listClients(poolId, 0, Number.MAX_SAFE_INTEGER)) {
    const scopes = client.config.AllowedOAuthScopes;
    if (!scopes?.some((scope) => gone.has(scope))) continue;
    ctx.store.updateClient({ ...client, config: { ...client.config, AllowedOAuthScopes: scopes.filter((scope) => !gone.has(scope)) }, updatedAt: now });
  }
}

/** Shared by CreateResourceServer and the seed; throws Cognito's errors. Check and insert are one transaction. */
export function createResourceServer(ctx: PoolContext, input: JsonObject): ResourceServerRecord {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const identifier = v.requiredString('Identifier', ResourceServerRules.identifier);
  const name = v.requiredString('Name', ResourceServerRules.name);
  v.done();
  const scopes = readScopes(input);
  const servers = resourceServerStoreOf(ctx.store);
  return ctx.store.transaction(() => {
    requirePool(ctx, poolId);
    if (servers.get(poolId, identifier)) throw ServerErrors.exists(identifier, poolId);
    if (servers.count(poolId) >= Quotas.resourceServersPerPool) throw QuotaErrors.resourceServers();
    const now = ctx.clock.now();
    const server: ResourceServerRecord = { poolId, identifier, name, scopes, createdAt: now, updatedAt: now };
    servers.insert(server);
    return server;
  });
}

/** UserPoolId + Identifier, checked; the pool must exist. */
function serverTarget(input: JsonObject, ctx: PoolContext): { poolId: string; identifier: string } {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const identifier = v.requiredString('Identifier', ResourceServerRules.identifier);
  v.done();
  requirePool(ctx, poolId);
  return { poolId, identifier };
}

const createResourceServerHandler: Handler = async (input, ctx) => ({ ResourceServer: describeServer(createResourceServer(ctx, input)) });

const describeResourceServer: Handler = async (input, ctx) => {
  const { poolId, identifier } = serverTarget(input, ctx);
  const server = resourceServerStoreOf(ctx.store).get(poolId, identifier);
  if (!server) throw ServerErrors.notFound(identifier);
  return { ResourceServer: describeServer(server) };
};

const listResourceServers: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const maxResults = v.optionalInteger('MaxResults', 1, MAX_PAGE) ?? MAX_PAGE;
  const nextToken = v.optionalString('NextToken', Rules.paginationKey);
  v.done();
  requirePool(ctx, poolId);
  const { items, next } = page((offset, count) => resourceServerStoreOf(ctx.store).list(poolId, offset, count), nextToken, maxResults);
  return { ResourceServers: items.map(describeServer), ...(next ? { NextToken: next } : {}) };
};

/** Like Cognito: Scopes left out means none (every member not given returns to its default). */
const updateResourceServer: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const identifier = v.requiredString('Identifier', ResourceServerRules.identifier);
  const name = v.requiredString('Name', ResourceServerRules.name);
  v.done();
  const scopes = readScopes(input);
  requirePool(ctx, poolId);
  const servers = resourceServerStoreOf(ctx.store);
  const now = ctx.clock.now();
  const updated = ctx.store.transaction(() => {
    const before = servers.get(poolId, identifier);
    if (!before) throw ServerErrors.notFound(identifier);
    const after = servers.update(poolId, identifier, name, scopes, now)!;
    const kept = new Set(customScopesOf(after));
    withdrawScopes(ctx, poolId, new Set(customScopesOf(before).filter((scope) => !kept.has(scope))), now);
    return after;
  });
  return { ResourceServer: describeServer(updated) };
};

const deleteResourceServer: Handler = async (input, ctx) => {
  const { poolId, identifier } = serverTarget(input, ctx);
  const servers = resourceServerStoreOf(ctx.store);
  const now = ctx.clock.now();
  ctx.store.transaction(() => {
    const server = servers.get(poolId, identifier);
    if (!server || !servers.delete(poolId, identifier)) throw ServerErrors.notFound(identifier);
    withdrawScopes(ctx, poolId, new Set(customScopesOf(server)), now);
  });
  return {};
};

export const resourceServerHandlers: HandlerRegistry = {
  CreateResourceServer: createResourceServerHandler,
  DescribeResourceServer: describeResourceServer,
  ListResourceServers: listResourceServers,
  UpdateResourceServer: updateResourceServer,
  DeleteResourceServer: deleteResourceServer,
};
