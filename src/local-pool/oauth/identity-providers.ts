// CreateIdentityProvider / DescribeIdentityProvider / UpdateIdentityProvider / ListIdentityProviders /
// DeleteIdentityProvider / GetIdentityProviderByIdentifier. OIDC providers as Cognito takes them; the
// social types (Google, Facebook, LoginWithAmazon, SignInWithApple) are kept with the endpoints
// Cognito describes for them, and may name other endpoints (oidc_issuer, authorize_url ...) so that a
// local stand-in takes the real provider's place. SAML is stored and described but cannot sign in.
import type { Handler, HandlerRegistry, PoolContext } from '../context.js';
import { CognitoError, Errors } from '../api/errors.js';
import { Rules, Validator, type JsonObject, type StringRule } from '../api/validation.js';
import { page, requirePool } from '../api/handlers/pools.js';
import { isKnownAttribute } from '../pools/config.js';
import { isLoopbackHost } from './client-settings.js';
import { oauthStore } from './context.js';
import type { IdentityProviderRecord, ProviderType } from './oauth-store.js';

const TYPES: readonly ProviderType[] = ['SAML', 'Facebook', 'Google', 'LoginWithAmazon', 'SignInWithApple', 'OIDC'];
const SOCIAL = ['Facebook', 'Google', 'LoginWithAmazon', 'SignInWithApple'];

const providerNameV2: StringRule = { min: 1, max: 32, pattern: /^[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+$/u, patternText: '[^_\\p{Z}][\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}][^_\\p{Z}]+' };
const providerName: StringRule = { min: 1, max: 32, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+$/u, patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\p{Z}]+' };
const idpIdentifier: StringRule = { min: 1, max: 40, pattern: /^[\w\s+=.@-]+$/, patternText: '[\\w\\s+=.@-]+' };

/** What Cognito adds to the ProviderDetails of each social type when it describes them. */
const SOCIAL_DEFAULTS: Record<string, Record<string, string>> = {
  Google: {
    attributes_url: 'https://people.googleapis.com/v1/people/me?personFields=',
    attributes_url_add_attributes: 'true',
    authorize_url: 'https://accounts.google.com/o/oauth2/v2/auth',
    oidc_issuer: 'https://accounts.google.com',
    token_request_method: 'POST',
    token_url: 'https://www.googleapis.com/oauth2/v4/token',
  },
  Facebook: {
    attributes_url_add_attributes: 'true',
    token_request_method: 'GET',
  },
  LoginWithAmazon: {
    attributes_url: 'https://api.amazon.com/user/profile',
    attributes_url_add_attributes: 'false',
    authorize_url: 'https://www.amazon.com/ap/oa',
    token_request_method: 'POST',
    token_url: 'https://api.amazon.com/auth/o2/token',
  },
  SignInWithApple: {
    attributes_url_add_attributes: 'false',
    authorize_url: 'https://appleid.apple.com/auth/authorize',
    oidc_issuer: 'https://appleid.apple.com',
    token_request_method: 'POST',
    token_url: 'https://appleid.apple.com/auth/token',
  },
};

/** The claim that identifies a user of each type (username maps to it unless the mapping says otherwise). */
export const SUBJECT_CLAIM: Record<ProviderType, string> = {
  OIDC: 'sub',
  Google: 'sub',
  SignInWithApple: 'sub',
  Facebook: 'id',
  LoginWithAmazon: 'user_id',
  SAML: 'NameID',
};

const URL_DETAILS = ['oidc_issuer', 'authorize_url', 'token_url', 'attributes_url', 'jwks_uri'];

/** https, or http on a loopback name (a local stand-in provider). */
function checkProviderUrl(name: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw Errors.invalidParameter(`${name} ${value} is not a URL.`);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return;
  throw Errors.invalidParameter(`${name} must be an https URL (http is accepted on loopback names only).`);
}

function requireDetail(details: Record<string, string>, name: string, type: string): void {
  if (!details[name]) throw Errors.invalidParameter(`${name} is required for ${type} identity providers.`);
}

/** ProviderDetails as given -> as kept and described (defaults of the social types filled in). */
function readDetails(type: ProviderType, given: Record<string, string>): Record<string, string> {
  for (const name of URL_DETAILS) if (given[name] !== undefined) checkProviderUrl(name, given[name]!);
  if (type === 'SAML') {
    if (!given['MetadataURL'] && !given['MetadataFile']) throw Errors.invalidParameter('MetadataURL or MetadataFile is required for SAML identity providers.');
    return { ...given };
  }
  requireDetail(given, 'client_id', type);
  requireDetail(given, 'authorize_scopes', type);
  if (type === 'SignInWithApple') {
    for (const name of ['team_id', 'key_id']) requireDetail(given, name, type);
    if (!given['private_key'] && !given['client_secret']) requireDetail(given, 'private_key', type);
  } else {
    requireDetail(given, 'client_secret', type);
  }
  if (type === 'OIDC') {
    requireDetail(given, 'oidc_issuer', type);
    const method = given['attributes_request_method'] ?? 'GET';
    if (method !== 'GET' && method !== 'POST') throw Errors.invalidParameter('attributes_request_method must be GET or POST.');
    return { attributes_url_add_attributes: 'false', ...given, attributes_request_method: method };
  }
  if (type === 'Facebook') {
    const version = given['api_version'] ?? 'v17.0';
    return {
      attributes_url: `https://graph.facebook.com/${version}/me?fields=`,
      authorize_url: `https://www.facebook.com/${version}/dialog/oauth`,
      token_url: `https://graph.facebook.com/${version}/oauth/access_token`,
      ...SOCIAL_DEFAULTS['Facebook'],
      ...given,
      api_version: version,
    };
  }
  // A social type pointed at another issuer (a local stand-in) finds its endpoints there, not at the real provider's.
  const defaults = Object.fromEntries(
    Object.entries(SOCIAL_DEFAULTS[type] ?? {}).filter(([name]) => given['oidc_issuer'] === undefined || !URL_DETAILS.includes(name)),
  );
  return { ...defaults, ...given };
}

/** ProviderDetails as the caller gave them: without what readDetails filled in for a social type. */
function givenDetails(type: ProviderType, details: Record<string, string>): Record<string, string> {
  const defaults = SOCIAL_DEFAULTS[type] ?? {};
  return Object.fromEntries(Object.entries(details).filter(([name, value]) => defaults[name] !== value));
}

/** AttributeMapping: user pool attribute -> provider claim; username -> the subject claim unless given. */
function readMapping(type: ProviderType, given: Record<string, string> | undefined): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const [attribute, claim] of Object.entries(given ?? {})) {
    if (attribute.length < 1 || attribute.length > 32) throw Errors.invalidParameter('AttributeMapping keys must be 1 to 32 characters.');
    if (attribute !== 'username' && !isKnownAttribute(attribute)) throw Errors.invalidParameter(`AttributeMapping names an unknown attribute: ${attribute}`);
    if (attribute === 'sub') throw Errors.invalidParameter('sub cannot be mapped: it is the user pool\'s own identifier.');
    mapping[attribute] = claim;
  }
  return { username: SUBJECT_CLAIM[type], ...mapping };
}

function readIdentifiers(v: Validator): string[] | undefined {
  const list = v.optionalStringList('IdpIdentifiers', idpIdentifier);
  if (list && list.length > 50) throw Errors.invalidParameter('IdpIdentifiers can have at most 50 entries.');
  return list;
}

function checkIdentifiersFree(ctx: PoolContext, poolId: string, name: string, identifiers: readonly string[]): void {
  for (const other of oauthStore(ctx).allProviders(poolId)) {
    if (other.name === name) continue;
    const taken = identifiers.find((id) => other.idpIdentifiers.some((o) => o.toLowerCase() === id.toLowerCase()));
    if (taken) throw new CognitoError('DuplicateProviderException', `The identifier ${taken} is already used by provider ${other.name}.`);
  }
}

export function describeProvider(provider: IdentityProviderRecord): JsonObject {
  return {
    UserPoolId: provider.poolId,
    ProviderName: provider.name,
    ProviderType: provider.type,
    ProviderDetails: provider.details,
    AttributeMapping: provider.attributeMapping,
    IdpIdentifiers: provider.idpIdentifiers,
    LastModifiedDate: Math.floor(provider.updatedAt / 1000),
    CreationDate: Math.floor(provider.createdAt / 1000),
  };
}

export function requireProvider(ctx: PoolContext, poolId: string, name: string): IdentityProviderRecord {
  const provider = oauthStore(ctx).getProvider(poolId, name);
  if (!provider) throw new CognitoError('ResourceNotFoundException', `Identity provider ${name} does not exist.`);
  return provider;
}

/** Shared by CreateIdentityProvider and the seed. */
export function createProvider(
  ctx: PoolContext,
  poolId: string,
  input: { name: string; type: string; details: Record<string, string>; mapping?: Record<string, string>; identifiers?: string[] },
): IdentityProviderRecord {
  const v = new Validator({ ProviderName: input.name, ProviderType: input.type });
  v.requiredString('ProviderName', providerNameV2);
  v.requiredString('ProviderType', { oneOf: TYPES });
  v.done();
  const type = input.type as ProviderType;
  if (SOCIAL.includes(type) && input.name !== type) {
    throw Errors.invalidParameter(`The provider name of a ${type} identity provider must be ${type}.`);
  }
  if (input.name.toUpperCase() === 'COGNITO') throw Errors.invalidParameter('COGNITO is a reserved provider name.');
  const store = oauthStore(ctx);
  if (store.providerNamed(poolId, input.name)) throw new CognitoError('DuplicateProviderException', 'A provider with the same name exists for this user pool.');
  const identifiers = input.identifiers ?? [];
  checkIdentifiersFree(ctx, poolId, input.name, identifiers);
  const now = ctx.clock.now();
  const record: IdentityProviderRecord = {
    poolId,
    name: input.name,
    type,
    details: readDetails(type, input.details),
    attributeMapping: readMapping(type, input.mapping),
    idpIdentifiers: identifiers,
    createdAt: now,
    updatedAt: now,
  };
  store.insertProvider(record);
  return record;
}

const createIdentityProvider: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const name = v.requiredString('ProviderName', providerNameV2);
  const type = v.requiredString('ProviderType', { oneOf: TYPES });
  const details = v.optionalMap('ProviderDetails');
  const mapping = v.optionalMap('AttributeMapping');
  const identifiers = readIdentifiers(v);
  v.optionalMap('AcrMapping');
  v.done();
  if (details === undefined) throw Errors.invalidParameter('1 validation error detected: Value at \'providerDetails\' failed to satisfy constraint: Member must not be null');
  requirePool(ctx, poolId);
  const record = createProvider(ctx, poolId, { name, type, details, ...(mapping ? { mapping } : {}), ...(identifiers ? { identifiers } : {}) });
  return { IdentityProvider: describeProvider(record) };
};

const describeIdentityProvider: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const name = v.requiredString('ProviderName', providerName);
  v.done();
  requirePool(ctx, poolId);
  return { IdentityProvider: describeProvider(requireProvider(ctx, poolId, name)) };
};

/** Members left out stay as they are (unlike UpdateUserPoolClient). */
const updateIdentityProvider: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const name = v.requiredString('ProviderName', providerName);
  const details = v.optionalMap('ProviderDetails');
  const mapping = v.optionalMap('AttributeMapping');
  const identifiers = readIdentifiers(v);
  v.optionalMap('AcrMapping');
  v.done();
  requirePool(ctx, poolId);
  const current = requireProvider(ctx, poolId, name);
  if (identifiers) checkIdentifiersFree(ctx, poolId, name, identifiers);
  const updated: IdentityProviderRecord = {
    ...current,
    details: details ? readDetails(current.type, { ...givenDetails(current.type, current.details), ...details }) : current.details,
    attributeMapping: mapping ? readMapping(current.type, mapping) : current.attributeMapping,
    idpIdentifiers: identifiers ?? current.idpIdentifiers,
    updatedAt: ctx.clock.now(),
  };
  oauthStore(ctx).updateProvider(updated);
  return { IdentityProvider: describeProvider(updated) };
};

const listIdentityProviders: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const maxResults = v.optionalInteger('MaxResults', 1, 60) ?? 60;
  const nextToken = v.optionalString('NextToken', { min: 1 });
  v.done();
  requirePool(ctx, poolId);
  const { items, next } = page((offset, count) => oauthStore(ctx).listProviders(poolId, offset, count), nextToken, maxResults);
  return {
    Providers: items.map((p) => ({
      ProviderName: p.name,
      ProviderType: p.type,
      LastModifiedDate: Math.floor(p.updatedAt / 1000),
      CreationDate: Math.floor(p.createdAt / 1000),
    })),
    ...(next ? { NextToken: next } : {}),
  };
};

const deleteIdentityProvider: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const name = v.requiredString('ProviderName', providerName);
  v.done();
  requirePool(ctx, poolId);
  requireProvider(ctx, poolId, name);
  const using = ctx.store.listClients(poolId, 0, 10_000).find((c) => (c.config.SupportedIdentityProviders ?? []).includes(name));
  if (using) {
    throw new CognitoError('UnsupportedIdentityProviderException', `Identity provider ${name} is used by app client ${using.id}; remove it from SupportedIdentityProviders first.`);
  }
  const store = oauthStore(ctx);
  ctx.store.transaction(() => {
    store.deleteLinksOfProvider(poolId, name);
    store.deleteProvider(poolId, name);
  });
  return {};
};

const getIdentityProviderByIdentifier: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const identifier = v.requiredString('IdpIdentifier', idpIdentifier);
  v.done();
  requirePool(ctx, poolId);
  const provider = findProviderByIdentifier(ctx, poolId, identifier);
  if (!provider) throw new CognitoError('ResourceNotFoundException', `No identity provider has the identifier ${identifier}.`);
  return { IdentityProvider: describeProvider(provider) };
};

export function findProviderByIdentifier(ctx: PoolContext, poolId: string, identifier: string): IdentityProviderRecord | undefined {
  return oauthStore(ctx).allProviders(poolId).find((p) => p.idpIdentifiers.some((id) => id.toLowerCase() === identifier.toLowerCase()));
}

export const identityProviderHandlers: HandlerRegistry = {
  CreateIdentityProvider: createIdentityProvider,
  DescribeIdentityProvider: describeIdentityProvider,
  UpdateIdentityProvider: updateIdentityProvider,
  ListIdentityProviders: listIdentityProviders,
  DeleteIdentityProvider: deleteIdentityProvider,
  GetIdentityProviderByIdentifier: getIdentityProviderByIdentifier,
};
