// CreateUserPoolDomain / DescribeUserPoolDomain / UpdateUserPoolDomain / DeleteUserPoolDomain, and
// which domain an HTTP request addresses. A domain is reached on the pool's own port either as a
// path prefix, {pool url}/_domain/{prefix}/oauth2/authorize (any client resolves it), or by Host,
// http://{prefix}.auth.localhost:{port}/oauth2/authorize (browsers resolve *.localhost to loopback);
// a custom domain by its Host name (given in allowedHosts). See docs/local-pool.md, "Hosted UI".
import type { IncomingMessage } from 'node:http';
import type { Handler, HandlerRegistry, PoolContext } from '../context.js';
import { CognitoError, Errors } from '../api/errors.js';
import { Rules, Validator, type JsonObject } from '../api/validation.js';
import { requirePool } from '../api/handlers/pools.js';
import { QuotaErrors, Quotas } from '../pools/quotas.js';
import { oauthStore } from './context.js';
import type { DomainRecord } from './oauth-store.js';

/** The path prefix a domain is served under on the pool's own origin. */
export const DOMAIN_PATH_PREFIX = '/_domain/';
/** Host names `<prefix>.auth.localhost` address the prefix domain at the root. */
const HOST_SUFFIX = '.auth.localhost';

const PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const CUSTOM = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
/** Words Cognito keeps out of prefixes. */
const RESERVED = ['aws', 'amazon', 'cognito'];

const domainRule = { min: 1, max: 63, pattern: PREFIX, patternText: '^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$' };

function readDomain(v: Validator, custom: boolean): string {
  return v.requiredString('Domain', custom ? { min: 1, max: 253 } : domainRule);
}

function readVersion(v: Validator): number | undefined {
  return v.optionalInteger('ManagedLoginVersion', 1, 2);
}

/** CreateUserPoolDomain, for callers that are not the API (the seed). */
export function createDomain(ctx: PoolContext, input: JsonObject): JsonObject {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const customConfig = v.optionalObject('CustomDomainConfig');
  const domain = readDomain(v, customConfig !== undefined);
  const version = readVersion(v) ?? 1;
  v.done();
  const pool = requirePool(ctx, poolId);
  const custom = customConfig !== undefined;
  if (custom) {
    const c = new Validator(customConfig);
    c.requiredString('CertificateArn', { min: 20, max: 2048 });
    c.done();
    if (!CUSTOM.test(domain)) throw Errors.invalidParameter(`Domain ${domain} is not a fully qualified domain name.`);
  } else if (RESERVED.some((word) => domain.includes(word))) {
    throw Errors.invalidParameter(`Domain cannot contain reserved word: ${RESERVED.find((word) => domain.includes(word))}`);
  }
  const store = oauthStore(ctx);
  ctx.store.transaction(() => {
    if (store.getDomain(domain)) throw Errors.invalidParameter('Domain already associated with another user pool.');
    if (store.domainsOf(pool.id).some((d) => d.custom === custom)) {
      throw Errors.invalidParameter(`User pool already has a ${custom ? 'custom' : 'prefix'} domain configured.`);
    }
    if (custom && store.countCustomDomains() >= Quotas.customDomainsPerAccount) throw QuotaErrors.customDomains();
    store.insertDomain({ domain, poolId: pool.id, custom, managedLoginVersion: version, createdAt: ctx.clock.now() });
  });
  return { ManagedLoginVersion: version, ...(custom ? { CloudFrontDomain: `${domain}` } : {}) };
}

const createUserPoolDomain: Handler = async (input, ctx) => createDomain(ctx, input);

export function describeDomain(record: DomainRecord): JsonObject {
  return {
    UserPoolId: record.poolId,
    AWSAccountId: '000000000000',
    Domain: record.domain,
    // Where it answers locally (see hostedUiHost), in the member that names the serving host.
    CloudFrontDistribution: record.custom ? record.domain : `${record.domain}${HOST_SUFFIX}`,
    S3Bucket: 'local-pool-hosted-ui',
    Version: String(record.createdAt),
    Status: 'ACTIVE',
    ManagedLoginVersion: record.managedLoginVersion,
  };
}

const describeUserPoolDomain: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const domain = v.requiredString('Domain', { min: 1, max: 253 });
  v.done();
  const record = oauthStore(ctx).getDomain(domain);
  // Cognito answers an unknown domain with an empty description, not an error.
  return { DomainDescription: record ? describeDomain(record) : {} };
};

const updateUserPoolDomain: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const domain = v.requiredString('Domain', { min: 1, max: 253 });
  const version = readVersion(v);
  v.optionalObject('CustomDomainConfig');
  v.done();
  requirePool(ctx, poolId);
  const store = oauthStore(ctx);
  const record = store.getDomain(domain);
  if (!record || record.poolId !== poolId) throw Errors.invalidParameter('No such domain or user pool exists.');
  if (version !== undefined) store.updateDomainVersion(domain, version);
  return { ManagedLoginVersion: version ?? record.managedLoginVersion, ...(record.custom ? { CloudFrontDomain: record.domain } : {}) };
};

const deleteUserPoolDomain: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const domain = v.requiredString('Domain', { min: 1, max: 253 });
  v.done();
  requirePool(ctx, poolId);
  const store = oauthStore(ctx);
  const record = store.getDomain(domain);
  if (!record || record.poolId !== poolId) throw Errors.invalidParameter('No such domain or user pool exists.');
  store.deleteDomain(domain);
  return {};
};

/** DescribeUserPool's Domain and CustomDomain members. */
export function poolDomainMembers(ctx: PoolContext, poolId: string): JsonObject {
  const domains = oauthStore(ctx).domainsOf(poolId);
  const prefix = domains.find((d) => !d.custom);
  const custom = domains.find((d) => d.custom);
  return { ...(prefix ? { Domain: prefix.domain } : {}), ...(custom ? { CustomDomain: custom.domain } : {}) };
}

export const domainHandlers: HandlerRegistry = {
  CreateUserPoolDomain: createUserPoolDomain,
  DescribeUserPoolDomain: describeUserPoolDomain,
  UpdateUserPoolDomain: updateUserPoolDomain,
  DeleteUserPoolDomain: deleteUserPoolDomain,
};

// ---------- addressing ----------

/** A request to a domain's endpoints: which domain, and the rest of the path under it. */
export interface DomainRequest {
  domain: DomainRecord;
  /** Where the domain's pages are, as the browser reached them: http://host[:port][/_domain/prefix]. */
  base: string;
  /** The path below the domain (/oauth2/authorize, /login ...). */
  path: string;
  /** The cookie Path of the domain's cookies. */
  cookiePath: string;
}

const hostName = (host: string): string => (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '')).toLowerCase();

/** The domain a request addresses (by Host or by path prefix), or undefined when it addresses none. */
export function resolveDomain(ctx: PoolContext, req: IncomingMessage, path: string): DomainRequest | undefined {
  const host = String(req.headers.host ?? '');
  // Behind a TLS-terminating proxy (X-Forwarded-Proto: https) the pages link to https; it only shapes this answer.
  const origin = `${req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http'}://${host}`;
  const name = hostName(host);
  const store = oauthStore(ctx);
  if (name.endsWith(HOST_SUFFIX)) {
    const domain = store.getDomain(name.slice(0, -HOST_SUFFIX.length));
    if (!domain || domain.custom) throw new CognitoError('ResourceNotFoundException', `No domain ${name.slice(0, -HOST_SUFFIX.length)} on this pool.`, 404);
    return { domain, base: origin, path, cookiePath: '/' };
  }
  const custom = name.includes('.') ? store.getDomain(name) : undefined;
  if (custom?.custom) return { domain: custom, base: origin, path, cookiePath: '/' };
  if (!path.startsWith(DOMAIN_PATH_PREFIX)) return undefined;
  const rest = path.slice(DOMAIN_PATH_PREFIX.length);
  const slash = rest.indexOf('/');
  const prefix = slash === -1 ? rest : rest.slice(0, slash);
  const domain = store.getDomain(prefix);
  if (!domain) throw new CognitoError('ResourceNotFoundException', `No domain ${prefix} on this pool.`, 404);
  const mount = `${DOMAIN_PATH_PREFIX}${prefix}`;
  return { domain, base: `${origin}${mount}`, path: slash === -1 ? '/' : rest.slice(slash), cookiePath: `${mount}/` };
}

/** The base URL of a domain under the pool's own URL (what discovery lists). */
export const domainBaseUrl = (poolUrl: string, domain: DomainRecord): string =>
  domain.custom ? `${poolUrl.replace(/\/\/[^/:]+/, `//${domain.domain}`)}` : `${poolUrl}${DOMAIN_PATH_PREFIX}${domain.domain}`;
