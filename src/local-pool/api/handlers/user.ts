// Operations a signed-in user calls with its own tokens: GetUser, GlobalSignOut, RevokeToken
// (the MFA ones are in mfa.ts).
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import { CognitoError, Errors } from '../errors.js';
import type { UserRecord } from '../../store/model.js';
import { describeUserMfa } from '../../pools/mfa.js';
import { familyOf } from '../../crypto/refresh-tokens.js';
import { safeEqual } from '../../crypto/secrets.js';
import { requireClient } from '../../flows/sign-in.js';
import { attributeList } from '../../pools/users.js';
import { Rules, Validator } from '../validation.js';

/** The user behind a valid, unrevoked access token. */
export async function authenticate(ctx: PoolContext, accessToken: string): Promise<UserRecord> {
  const { poolId, claims } = await ctx.tokens.verifyAccessToken(accessToken);
  const user = ctx.store.getUserBySub(poolId, claims.sub);
  if (!user) throw Errors.userNotFound();
  const family = ctx.store.getFamily(claims.origin_jti);
  if (!family || family.revokedAt !== null) throw Errors.accessTokenRevoked();
  if (!user.enabled) throw Errors.userDisabled();
  if (user.status === 'RESET_REQUIRED') throw Errors.passwordResetRequired();
  return user;
}

function readAccessToken(input: Record<string, unknown>): string {
  const v = new Validator(input);
  const token = v.requiredString('AccessToken', Rules.token);
  v.done();
  return token;
}

const getUser: Handler = async (input, ctx) => {
  const user = await authenticate(ctx, readAccessToken(input));
  return { Username: user.username, UserAttributes: attributeList(user), ...describeUserMfa(user) };
};

const globalSignOut: Handler = async (input, ctx) => {
  const user = await authenticate(ctx, readAccessToken(input));
  ctx.store.revokeUserFamilies(user.poolId, user.sub, ctx.clock.now());
  return {};
};

const revokeToken: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const token = v.requiredString('Token', Rules.token);
  const clientId = v.requiredString('ClientId', Rules.clientId);
  const clientSecret = v.optionalString('ClientSecret', Rules.clientSecret);
  v.done();
  const { client } = requireClient(ctx, clientId);
  if (client.secret !== null) {
    if (clientSecret === undefined) throw Errors.secretNotReceived(client.id);
    if (!safeEqual(clientSecret, client.secret)) throw Errors.secretHashMismatch(client.id);
  }
  if (!client.config.EnableTokenRevocation) {
    throw Errors.unsupportedOperation('Token revocation is not enabled for this app client.');
  }
  if (token.split('.').length === 3) throw new CognitoError('UnsupportedTokenTypeException', 'Only refresh tokens can be revoked.');
  const family = familyOf(ctx, token);
  // An unknown token is already as revoked as it gets (RFC 7009 answers success too).
  if (!family) return {};
  if (family.clientId !== client.id) throw new CognitoError('UnauthorizedException', 'The token was not issued to this client.');
  ctx.store.revokeFamily(family.originJti, ctx.clock.now());
  return {};
};

export const userHandlers: HandlerRegistry = {
  GetUser: getUser,
  GlobalSignOut: globalSignOut,
  RevokeToken: revokeToken,
};
