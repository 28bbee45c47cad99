// ID and access tokens: RS256 JWTs signed with per-pool keys that are
// created on first use and kept in the store, so tokens stay verifiable across restarts.
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, randomBytes, randomUUID, sign as signRsa, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors as joseErrors, exportJWK, jwtVerify, type JWTPayload } from 'jose';
import type { Clock } from '../clock.js';
import { isBooleanAttribute, validitySeconds } from '../pools/config.js';
import { Errors } from '../api/errors.js';
import type { ClientRecord, SigningKeyRecord, TokenFamilyRecord, UserRecord } from '../store/model.js';
import type { Store } from '../store/store.js';
import { oauthStoreOf } from '../oauth/context.js';
import { resourceServerStoreOf } from '../oauth/resource-server-store.js';
import { IDENTITIES_ATTRIBUTE, identitiesClaim } from '../oauth/identities.js';
import { groupStoreOf } from '../pools/groups-store.js';
import { groupClaims, type GroupClaims } from '../pools/group-claims.js';

export const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

export interface IssuedTokens {
  AccessToken: string;
  IdToken: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
}

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  client_id: string;
  origin_jti: string;
  username: string;
  token_use: 'access';
  scope: string;
  /** The device the sign-in was made on, when the pool tracks devices. */
  device_key?: string;
}

/** What a pre token generation function asked for (triggers/pre-token.ts). */
export interface TokenCustomization {
  idClaims: Record<string, unknown>;
  idSuppress: string[];
  accessClaims: Record<string, unknown>;
  accessSuppress: string[];
  scopesToAdd: string[];
  scopesToSuppress: string[];
  /** groupOverrideDetails: replaces cognito:groups (both tokens) and the role claims (ID token). */
  groups?: { groupsToOverride: string[]; iamRolesToOverride: string[]; preferredRole: string | undefined };
}

/** Claims no function may add, change or suppress (Cognito's list, and what the pool itself relies on). */
const FIXED_CLAIMS = new Set([
  'acr', 'amr', 'aud', 'at_hash', 'auth_time', 'azp', 'cognito:username', 'exp', 'iat', 'identities', 'iss', 'jti', 'nbf',
  'nonce', 'origin_jti', 'sub', 'token_use', 'event_id', 'client_id', 'username', 'scope', 'device_key',
  'cognito:groups', 'cognito:roles', 'cognito:preferred_role',
]);

/** `claims` with the function's additions, then its suppressions (a claim both added and suppressed is suppressed). */
function customized(claims: Record<string, unknown>, add: Record<string, unknown>, suppress: readonly string[]): Record<string, unknown> {
  const result = { ...claims };
  for (const [name, value] of Object.entries(add)) if (!FIXED_CLAIMS.has(name)) result[name] = value;
  for (const name of suppress) if (!FIXED_CLAIMS.has(name)) delete result[name];
  return result;
}

/** The granted scopes with the function's additions, without its suppressions; `scope` left out when none remain. */
function setCustomScopes(accessClaims: Record<string, unknown>, granted: readonly string[], customization: TokenCustomization): void {
  const scopes = [...granted, ...customization.scopesToAdd].filter((scope, i, all) => all.indexOf(scope) === i && !customization.scopesToSuppress.includes(scope));
  if (scopes.length > 0) accessClaims['scope'] = scopes.join(' ');
  else delete accessClaims['scope'];
}

/** cognito:groups in both tokens, the role claims in the ID token; each absent when empty. */
function setGroupClaims(idClaims: Record<string, unknown>, accessClaims: Record<string, unknown>, claims: GroupClaims): void {
  for (const tokenClaims of [idClaims, accessClaims]) {
    if (claims.groups.length > 0) tokenClaims['cognito:groups'] = claims.groups;
    else delete tokenClaims['cognito:groups'];
  }
  if (claims.roles.length > 0) idClaims['cognito:roles'] = claims.roles;
  else delete idClaims['cognito:roles'];
  if (claims.preferredRole !== undefined) idClaims['cognito:preferred_role'] = claims.preferredRole;
  else delete idClaims['cognito:preferred_role'];
}

export interface RsaKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A fresh RSA-2048 key pair (the default source of signing keys). */
export const generateRsaKey = (): Promise<RsaKeyPair> =>
  new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) =>
      error ? reject(error) : resolve({ privateKey, publicKey }),
    ),
  );

const seconds = (ms: number): number => Math.floor(ms / 1000);

/** OIDC's at_hash: the left half of the access token's SHA-256, base64url. */
const accessTokenHash = (accessToken: string): string =>
  createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');

export class TokenService {
  private readonly privateKeys = new Map<string, KeyObject>();
  private readonly publicKeys = new Map<string, KeyObject>();
  private readonly keyCreation = new Map<string, Promise<SigningKeyRecord[]>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Origin the pool is reached at; the issuer is `<origin>/<poolId>` like the real service's. */
    private readonly origin: () => string,
    /** Where new pools' RSA keys come from (tests may reuse pre-made ones: generating costs ~0.2 s each). */
    private readonly newKeyPair: () => Promise<RsaKeyPair> = generateRsaKey,
  ) {}

  issuer(poolId: string): string {
    return `${this.origin()}/${poolId}`;
  }

  async jwks(poolId: string): Promise<{ keys: Array<Record<string, unknown>> }> {
    const keys = await this.keysOf(poolId);
    return { keys: keys.map((k) => k.publicJwk) };
  }

  /**
   * `oauth`: tokens for the OAuth token endpoint (oauth/token-endpoint.ts): the ID token carries the
   * authorize request's nonce and the access token's hash (at_hash). The access token's scopes are the
   * family's: what the token endpoint granted it, or aws.cognito.signin.user.admin for an API sign-in.
   */
  async mint(
    client: ClientRecord,
    user: UserRecord,
    family: TokenFamilyRecord,
    customization?: TokenCustomization,
    oauth?: { nonce: string | null },
  ): Promise<IssuedTokens> {
    const keys = await this.keysOf(client.poolId);
    const now = seconds(this.clock.now());
    const units = client.config.TokenValidityUnits;
    const accessLifetime = validitySeconds(client.config.AccessTokenValidity, units.AccessToken);
    const idLifetime = validitySeconds(client.config.IdTokenValidity, units.IdToken);
    const eventId = randomUUID();
    const granted = this.grantedScopes(family);
    const common = { sub: user.sub, iss: this.issuer(client.poolId), origin_jti: family.originJti, event_id: eventId, auth_time: family.authTime };

    let idClaims: Record<string, unknown> = { ...this.idTokenAttributes(client, user), ...common, aud: client.id, 'cognito:username': user.username, token_use: 'id' };
    let accessClaims: Record<string, unknown> = {
      ...common,
      ...(family.deviceKey !== null ? { device_key: family.deviceKey } : {}),
      client_id: client.id,
      token_use: 'access',
      scope: granted.join(' '),
      username: user.username,
    };
    setGroupClaims(idClaims, accessClaims, groupClaims(groupStoreOf(this.store).groupsOf(user.poolId, user.sub)));
    if (customization) {
      idClaims = customized(idClaims, customization.idClaims, customization.idSuppress);
      accessClaims = customized(accessClaims, customization.accessClaims, customization.accessSuppress);
      setCustomScopes(accessClaims, granted, customization);
      const groups = customization.groups;
      // groupOverrideDetails replaces the whole group configuration: what it leaves empty is gone.
      if (groups) setGroupClaims(idClaims, accessClaims, { groups: groups.groupsToOverride, roles: groups.iamRolesToOverride, preferredRole: groups.preferredRole });
    }
    if (oauth) {
      // The ID token follows the access token it hashes.
      const AccessToken = await this.sign(accessClaims, keys.find((k) => k.tokenUse === 'access')!, now, accessLifetime);
      idClaims = { ...idClaims, at_hash: accessTokenHash(AccessToken), ...(oauth.nonce !== null ? { nonce: oauth.nonce } : {}) };
      const IdToken = await this.sign(idClaims, keys.find((k) => k.tokenUse === 'id')!, now, idLifetime);
      return { AccessToken, IdToken, ExpiresIn: accessLifetime, TokenType: 'Bearer' };
    }
    const [IdToken, AccessToken] = await Promise.all([
      this.sign(idClaims, keys.find((k) => k.tokenUse === 'id')!, now, idLifetime),
      this.sign(accessClaims, keys.find((k) => k.tokenUse === 'access')!, now, accessLifetime),
    ]);
    return { AccessToken, IdToken, ExpiresIn: accessLifetime, TokenType: 'Bearer' };
  }

  /**
   * A client_credentials access token: the app client is its subject (no user, so no username, groups
   * or origin_jti), `scope` the custom scopes granted, `version` 2 as Cognito's. `customization`: a V3_0
   * function's access token answer (its ID token and group answers do not apply), under the same
   * fixed-claim rule as a user's tokens.
   */
  async mintClientAccessToken(client: ClientRecord, scopes: readonly string[], customization?: TokenCustomization): Promise<{ AccessToken: string; ExpiresIn: number }> {
    const keys = await this.keysOf(client.poolId);
    const now = seconds(this.clock.now());
    const lifetime = validitySeconds(client.config.AccessTokenValidity, client.config.TokenValidityUnits.AccessToken);
    let claims: Record<string, unknown> = { sub: client.id, token_use: 'access', scope: scopes.join(' '), auth_time: now, iss: this.issuer(client.poolId), version: 2, client_id: client.id };
    if (customization) {
      claims = customized(claims, customization.accessClaims, customization.accessSuppress);
      setCustomScopes(claims, scopes, customization);
    }
    return { AccessToken: await this.sign(claims, keys.find((k) => k.tokenUse === 'access')!, now, lifetime), ExpiresIn: lifetime };
  }

  /**
   * The scopes of a family: granted at the OAuth token endpoint, else those of an API sign-in. A custom
   * scope whose resource server (or the scope itself) has been deleted since is granted no more.
   */
  private grantedScopes(family: TokenFamilyRecord): string[] {
    const granted = oauthStoreOf(this.store).grantedScopes(family.originJti);
    if (!granted) return [ADMIN_SCOPE];
    const servers = resourceServerStoreOf(this.store);
    return granted.filter((scope) => !scope.includes('/') || servers.hasScope(family.poolId, scope));
  }

  /**
   * Signature, algorithm, expiry, token_use, issuer and scope of an access token (the API operations
   * need aws.cognito.signin.user.admin, the userInfo endpoint openid); revocation is the caller's.
   */
  async verifyAccessToken(token: string, requiredScope: string = ADMIN_SCOPE): Promise<{ poolId: string; claims: AccessTokenClaims }> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw Errors.invalidAccessToken();
    }
    const key = kid === undefined ? undefined : this.store.getSigningKey(kid);
    if (!key || key.tokenUse !== 'access') throw Errors.invalidAccessToken();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.publicKey(key), {
        algorithms: ['RS256'],
        currentDate: new Date(this.clock.now()),
      }));
    } catch (error) {
      throw error instanceof joseErrors.JWTExpired ? Errors.accessTokenExpired() : Errors.invalidAccessToken();
    }
    // Only the path of the issuer is checked: the same pool may be reached as localhost or 127.0.0.1, on any port.
    if (payload['token_use'] !== 'access' || !payload.iss?.endsWith(`/${key.poolId}`)) throw Errors.invalidAccessToken();
    const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
    // A client_credentials token (no user, no origin_jti) lacks the user scopes: Cognito says so, not "invalid".
    if (!scopes.includes(requiredScope)) throw Errors.missingScope();
    if (typeof payload['origin_jti'] !== 'string') throw Errors.invalidAccessToken();
    return { poolId: key.poolId, claims: payload as AccessTokenClaims };
  }

  /** User attributes as ID token claims: *_verified as booleans, the rest as strings. */
  private idTokenAttributes(client: ClientRecord, user: UserRecord): Record<string, unknown> {
    const readable = client.config.ReadAttributes;
    const claims: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(user.attributes)) {
      if (name === 'sub' || (readable && !readable.includes(name))) continue;
      if (name === IDENTITIES_ATTRIBUTE) {
        const identities = identitiesClaim(value);
        if (identities) claims[name] = identities;
        continue;
      }
      claims[name] = isBooleanAttribute(name) ? value === 'true' : value;
    }
    return claims;
  }

  /**
   * The compact JWS jose's SignJWT makes, signed by node:crypto on libuv's thread pool (jose's WebCrypto path cost
   * the main thread about 0.5 ms a token); test/local-pool verifies the tokens with jose.
   */
  private sign(claims: Record<string, unknown>, key: SigningKeyRecord, now: number, lifetime: number): Promise<string> {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${part({ alg: 'RS256', kid: key.kid })}.${part({ ...claims, iat: now, exp: now + lifetime, jti: randomUUID() })}`;
    return new Promise((resolve, reject) =>
      signRsa('sha256', Buffer.from(input), this.privateKey(key), (error, signature) => (error ? reject(error) : resolve(`${input}.${signature.toString('base64url')}`))),
    );
  }

  private privateKey(key: SigningKeyRecord): KeyObject {
    let object = this.privateKeys.get(key.kid);
    if (!object) this.privateKeys.set(key.kid, (object = createPrivateKey(key.privatePem)));
    return object;
  }

  private publicKey(key: SigningKeyRecord): KeyObject {
    let object = this.publicKeys.get(key.kid);
    if (!object) this.publicKeys.set(key.kid, (object = createPublicKey(this.privateKey(key))));
    return object;
  }

  /** The pool's id-token and access-token keys, created (once, even under concurrent calls) on first use. */
  private keysOf(poolId: string): Promise<SigningKeyRecord[]> {
    const existing = this.store.signingKeys(poolId);
    if (existing.length > 0) return Promise.resolve(existing);
    if (!this.store.getPool(poolId)) return Promise.reject(Errors.poolNotFound(poolId));
    let pending = this.keyCreation.get(poolId);
    if (!pending) {
      pending = this.createKeys(poolId).finally(() => this.keyCreation.delete(poolId));
      this.keyCreation.set(poolId, pending);
    }
    return pending;
  }

  private async createKeys(poolId: string): Promise<SigningKeyRecord[]> {
    const pairs = await Promise.all([this.newKeyPair(), this.newKeyPair()]);
    const records = await Promise.all(
      (['id', 'access'] as const).map(async (tokenUse, index): Promise<SigningKeyRecord> => {
        const { privateKey, publicKey } = pairs[index]!;
        const kid = randomBytes(24).toString('base64url');
        return {
          kid,
          poolId,
          tokenUse,
          privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
          createdAt: this.clock.now(),
        };
      }),
    );
    // The pool may have been deleted while the keys were generated.
    if (!this.store.getPool(poolId)) throw Errors.poolNotFound(poolId);
    this.store.transaction(() => records.forEach((r) => this.store.insertSigningKey(r)));
    return records;
  }
}
