// The pool user an external identity signs in as, with the triggers Cognito runs for federated users:
// the first sign-in (no link, no user of its own yet) runs PreSignUp (PreSignUp_ExternalProvider) before
// the user `<NAME>_<id>` is made and PostConfirmation (PostConfirmation_ConfirmSignUp) after; later
// sign-ins run PreAuthentication and PostAuthentication (the _Authentication sources). No custom
// challenge, migration or message trigger runs, and PreTokenGeneration (TokenGeneration_HostedAuth)
// runs at the token endpoint. A refusing function throws its CognitoError.
import { randomUUID } from 'node:crypto';
import type { PoolContext } from '../context.js';
import { createUserRecord } from '../pools/users.js';
import type { ClientRecord, UserRecord } from '../store/model.js';
import { postAuthentication, preAuthentication } from '../triggers/authentication.js';
import { postConfirmation, preSignUp } from '../triggers/sign-up.js';
import { oauthStore } from './context.js';
import { withIdentity, type ExternalIdentity } from './identities.js';
import { COGNITO_SUBJECT, federatedUsername } from './links.js';
import type { IdentityProviderRecord } from './oauth-store.js';

export interface ExternalSignIn {
  client: ClientRecord;
  provider: IdentityProviderRecord;
  /** The provider's id of the user (its sub, or what AttributeMapping's username names). */
  userId: string;
  /** The user pool attributes the provider's claims map to. */
  attributes: Record<string, string>;
}

/** The user a link names, else the identity's own user: read only. */
function knownUser(ctx: PoolContext, signIn: ExternalSignIn): { user: UserRecord; linked: boolean } | undefined {
  const { provider, userId, attributes } = signIn;
  const store = oauthStore(ctx);
  const link =
    store.getLink(provider.poolId, provider.name, COGNITO_SUBJECT, userId) ??
    Object.entries(attributes).map(([name, value]) => store.getLink(provider.poolId, provider.name, name, value)).find((l) => l !== undefined);
  const linked = link && ctx.store.getUserBySub(provider.poolId, link.userSub);
  if (linked) return { user: linked, linked: true };
  const own = ctx.store.getUserByUsername(provider.poolId, federatedUsername(provider.name, userId));
  return own ? { user: own, linked: false } : undefined;
}

const identityOf = (ctx: PoolContext, signIn: ExternalSignIn): Omit<ExternalIdentity, 'primary'> => ({
  userId: signIn.userId,
  providerName: signIn.provider.name,
  providerType: signIn.provider.type,
  issuer: null,
  dateCreated: ctx.clock.now(),
});

/** The identity recorded on the user; its own user also takes the mapped attributes (they follow the provider at every sign-in). */
function touchUser(ctx: PoolContext, signIn: ExternalSignIn, sub: string, linked: boolean): UserRecord | undefined {
  return ctx.store.updateUser(signIn.provider.poolId, sub, (current) => ({
    ...current,
    attributes: withIdentity(linked ? current.attributes : { ...current.attributes, ...signIn.attributes }, identityOf(ctx, signIn)),
    updatedAt: ctx.clock.now(),
  }));
}

export class FederatedUserRefused extends Error {}

/** The pool user of this sign-in, made on the first one; throws CognitoError when a trigger refuses. */
export async function signInExternalUser(ctx: PoolContext, signIn: ExternalSignIn): Promise<UserRecord> {
  const { client, provider } = signIn;
  const pool = ctx.store.getPool(provider.poolId)!;
  const known = knownUser(ctx, signIn);
  if (known) {
    if (!known.user.enabled) throw new FederatedUserRefused('User is disabled.');
    await preAuthentication(ctx, { pool, client, user: known.user, typedUsername: known.user.username, validationData: undefined });
    const user = touchUser(ctx, signIn, known.user.sub, known.linked);
    if (!user) throw new FederatedUserRefused('User does not exist.');
    await postAuthentication(ctx, { pool, client, user });
    return current(ctx, user);
  }

  const username = federatedUsername(provider.name, signIn.userId);
  const decision = await preSignUp(ctx, {
    pool,
    clientId: client.id,
    source: 'PreSignUp_ExternalProvider',
    userName: username,
    attributes: signIn.attributes,
    validationData: undefined,
    clientMetadata: undefined,
  });
  const verified = {
    ...(decision.autoVerifyEmail ? { email_verified: 'true' } : {}),
    ...(decision.autoVerifyPhone ? { phone_number_verified: 'true' } : {}),
  };
  // The function may have linked the identity to a user (AdminLinkProviderForUser), or another
  // browser's first sign-in may have made the user meanwhile: then that user signs in.
  const user = ctx.store.transaction(() => {
    const now = knownUser(ctx, signIn);
    if (now) return { user: touchUser(ctx, signIn, now.user.sub, now.linked), created: false };
    const sub = randomUUID();
    const record = createUserRecord({
      pool,
      sub,
      username,
      attributes: withIdentity({ ...signIn.attributes, ...verified, sub }, identityOf(ctx, signIn)),
      status: 'EXTERNAL_PROVIDER',
      enabled: true,
      credentials: null,
      now: ctx.clock.now(),
    });
    ctx.store.insertUser(record);
    return { user: record, created: true };
  });
  if (!user.user) throw new FederatedUserRefused('User does not exist.');
  if (!user.user.enabled) throw new FederatedUserRefused('User is disabled.');
  // After the user is stored: a function error is answered, the user stays (as after ConfirmSignUp).
  if (user.created) await postConfirmation(ctx, { pool, clientId: client.id, user: user.user, source: 'PostConfirmation_ConfirmSignUp', clientMetadata: undefined });
  return current(ctx, user.user);
}

/** The user as stored after the triggers (their functions may change or delete it). */
function current(ctx: PoolContext, user: UserRecord): UserRecord {
  const now = ctx.store.getUserBySub(user.poolId, user.sub);
  if (!now) throw new FederatedUserRefused('User does not exist.');
  if (!now.enabled) throw new FederatedUserRefused('User is disabled.');
  return now;
}
