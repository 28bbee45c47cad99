// AdminLinkProviderForUser / AdminDisableProviderForUser: which pool user an external identity signs
// in as. A link names the identity by Cognito_Subject (the provider's own user id) or by a user pool
// attribute its claims map to; federation.ts looks links up before it makes a user of its own.
import type { Handler, HandlerRegistry, PoolContext } from '../context.js';
import { CognitoError, Errors } from '../api/errors.js';
import { Rules, Validator, isPlainObject, type JsonObject } from '../api/validation.js';
import { requirePool } from '../api/handlers/pools.js';
import { findUser } from '../pools/users.js';
import type { PoolRecord, UserRecord } from '../store/model.js';
import { oauthStore } from './context.js';
import { withoutIdentity } from './identities.js';
import { requireProvider } from './identity-providers.js';

/** ProviderAttributeName of a link by the provider's own user id. */
export const COGNITO_SUBJECT = 'Cognito_Subject';
/** DestinationUser.ProviderName of a user of the pool itself. */
const NATIVE = 'Cognito';
/** The most identities one user may have linked. */
const MAX_LINKS = 5;

interface ProviderUser {
  ProviderName: string;
  ProviderAttributeName: string | undefined;
  ProviderAttributeValue: string;
}

function readProviderUser(input: JsonObject, member: string): ProviderUser {
  const value = input[member];
  if (value === undefined || value === null) {
    throw Errors.invalidParameter(`1 validation error detected: Value at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`);
  }
  if (!isPlainObject(value)) throw Errors.serialization(`${member} must be a structure`);
  const v = new Validator(value);
  const name = v.requiredString('ProviderName', { min: 1, max: 32 });
  const attribute = v.optionalString('ProviderAttributeName');
  const attributeValue = v.requiredString('ProviderAttributeValue');
  v.done();
  return { ProviderName: name, ProviderAttributeName: attribute, ProviderAttributeValue: attributeValue };
}

/** The username federation gives the user of an external identity: `<ProviderName>_<user id>`. */
export const federatedUsername = (providerName: string, userId: string): string => `${providerName}_${userId}`;

/** DestinationUser: a native user by username, or a federated user by its provider's user id. */
function destinationUser(ctx: PoolContext, pool: PoolRecord, destination: ProviderUser): UserRecord {
  const name = destination.ProviderName === NATIVE
    ? destination.ProviderAttributeValue
    : federatedUsername(requireProvider(ctx, pool.id, destination.ProviderName).name, destination.ProviderAttributeValue);
  const user = findUser(ctx.store, pool, name);
  if (!user) throw Errors.userNotFound();
  return user;
}

const adminLinkProviderForUser: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  v.done();
  const destination = readProviderUser(input, 'DestinationUser');
  const source = readProviderUser(input, 'SourceUser');
  const pool = requirePool(ctx, poolId);
  if (source.ProviderName === NATIVE) throw Errors.invalidParameter('SourceUser must be a user of an external identity provider, not a native user.');
  const provider = requireProvider(ctx, pool.id, source.ProviderName);
  const attributeName = source.ProviderAttributeName ?? '';
  if (attributeName === '') throw Errors.invalidParameter('SourceUser.ProviderAttributeName is required.');
  if (attributeName !== COGNITO_SUBJECT && !Object.hasOwn(provider.attributeMapping, attributeName)) {
    throw Errors.invalidParameter(`${attributeName} is not an attribute that ${provider.name}'s AttributeMapping maps to; use Cognito_Subject or a mapped attribute.`);
  }
  const user = destinationUser(ctx, pool, destination);
  const store = oauthStore(ctx);
  if (attributeName === COGNITO_SUBJECT) {
    const existing = findUser(ctx.store, pool, federatedUsername(provider.name, source.ProviderAttributeValue));
    if (existing && existing.sub !== user.sub) {
      throw new CognitoError('AliasExistsException', `The external identity already signed in as user ${existing.username}; delete that user before linking the identity.`);
    }
  }
  ctx.store.transaction(() => {
    const linked = store.getLink(pool.id, provider.name, attributeName, source.ProviderAttributeValue);
    if (linked && linked.userSub !== user.sub) throw new CognitoError('AliasExistsException', 'The external identity is already linked to another user.');
    if (linked) return;
    if (store.linksOfUser(pool.id, user.sub).length >= MAX_LINKS) {
      throw new CognitoError('LimitExceededException', `A user can have at most ${MAX_LINKS} linked identities.`);
    }
    store.insertLink({
      poolId: pool.id,
      providerName: provider.name,
      attributeName,
      attributeValue: source.ProviderAttributeValue,
      userSub: user.sub,
      createdAt: ctx.clock.now(),
    });
  });
  return {};
};

/**
 * A native user (ProviderName Cognito) can no longer sign in with a password; an external identity
 * loses its links (it signs in as a user of its own next time) and leaves the identities attribute.
 */
const adminDisableProviderForUser: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  v.done();
  const target = readProviderUser(input, 'User');
  const pool = requirePool(ctx, poolId);
  const now = ctx.clock.now();
  if (target.ProviderName === NATIVE) {
    const user = findUser(ctx.store, pool, target.ProviderAttributeValue);
    if (!user) throw Errors.userNotFound();
    ctx.store.updateUser(pool.id, user.sub, (current) => ({ ...current, credentials: null, updatedAt: now }));
    return {};
  }
  const provider = requireProvider(ctx, pool.id, target.ProviderName);
  const attributeName = target.ProviderAttributeName ?? COGNITO_SUBJECT;
  const store = oauthStore(ctx);
  ctx.store.transaction(() => {
    const link = store.getLink(pool.id, provider.name, attributeName, target.ProviderAttributeValue);
    if (!link) return;
    store.deleteLink(pool.id, provider.name, attributeName, target.ProviderAttributeValue);
    if (attributeName === COGNITO_SUBJECT) {
      ctx.store.updateUser(pool.id, link.userSub, (current) => ({
        ...current,
        attributes: withoutIdentity(current.attributes, provider.name, target.ProviderAttributeValue),
        updatedAt: now,
      }));
    }
  });
  return {};
};

export const linkHandlers: HandlerRegistry = {
  AdminLinkProviderForUser: adminLinkProviderForUser,
  AdminDisableProviderForUser: adminDisableProviderForUser,
};
