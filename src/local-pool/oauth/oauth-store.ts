// What the hosted UI, the OAuth 2.0 endpoints and federation keep (tables of migration 7). Secrets
// (codes, cookies, upstream states) are stored as SHA-256 hashes only; every single-use claim is one
// UPDATE that succeeds once.
import type { Store } from '../store/store.js';

type Row = Record<string, unknown>;

export interface DomainRecord {
  domain: string;
  poolId: string;
  /** A custom domain (a host name) rather than a prefix. */
  custom: boolean;
  managedLoginVersion: number;
  createdAt: number;
}

export type ProviderType = 'OIDC' | 'Google' | 'Facebook' | 'LoginWithAmazon' | 'SignInWithApple' | 'SAML';

export interface IdentityProviderRecord {
  poolId: string;
  name: string;
  type: ProviderType;
  /** ProviderDetails as DescribeIdentityProvider shows them (the defaults of social types filled in). */
  details: Record<string, string>;
  /** User pool attribute -> the provider's claim. */
  attributeMapping: Record<string, string>;
  idpIdentifiers: string[];
  createdAt: number;
  updatedAt: number;
}

export interface ProviderLinkRecord {
  poolId: string;
  providerName: string;
  /** Cognito_Subject (the provider's sub), or a user pool attribute the provider's claims map to. */
  attributeName: string;
  attributeValue: string;
  userSub: string;
  createdAt: number;
}

export interface AuthorizationCodeRecord {
  codeHash: string;
  poolId: string;
  clientId: string;
  userSub: string;
  redirectUri: string;
  scopes: string[];
  /** S256 challenge, when the request had one. */
  codeChallenge: string | null;
  nonce: string | null;
  /** Seconds: when the user signed in (a hosted-UI session may be older than the code). */
  authTime: number;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  /** The token family its redemption started. */
  originJti: string | null;
}

export interface HostedSessionRecord {
  id: string;
  poolId: string;
  userSub: string;
  authTime: number;
  createdAt: number;
  expiresAt: number;
  endedAt: number | null;
}

export interface FederationRequestRecord {
  stateHash: string;
  poolId: string;
  providerName: string;
  request: Record<string, unknown>;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

const json = <T>(value: unknown): T => JSON.parse(value as string) as T;
const nullableString = (value: unknown): string | null => (value === null ? null : (value as string));
const nullableNumber = (value: unknown): number | null => (value === null ? null : (value as number));

const toDomain = (row: Row): DomainRecord => ({
  domain: row['domain'] as string,
  poolId: row['pool_id'] as string,
  custom: row['custom'] === 1,
  managedLoginVersion: row['managed_login_version'] as number,
  createdAt: row['created_at'] as number,
});

const toProvider = (row: Row): IdentityProviderRecord => ({
  poolId: row['pool_id'] as string,
  name: row['name'] as string,
  type: row['type'] as ProviderType,
  details: json(row['details']),
  attributeMapping: json(row['attribute_mapping']),
  idpIdentifiers: json(row['idp_identifiers']),
  createdAt: row['created_at'] as number,
  updatedAt: row['updated_at'] as number,
});

const toLink = (row: Row): ProviderLinkRecord => ({
  poolId: row['pool_id'] as string,
  providerName: row['provider_name'] as string,
  attributeName: row['attribute_name'] as string,
  attributeValue: row['attribute_value'] as string,
  userSub: row['user_sub'] as string,
  createdAt: row['created_at'] as number,
});

const toCode = (row: Row): AuthorizationCodeRecord => ({
  codeHash: row['code_hash'] as string,
  poolId: row['pool_id'] as string,
  clientId: row['client_id'] as string,
  userSub: row['user_sub'] as string,
  redirectUri: row['redirect_uri'] as string,
  scopes: json(row['scopes']),
  codeChallenge: nullableString(row['code_challenge']),
  nonce: nullableString(row['nonce']),
  authTime: row['auth_time'] as number,
  createdAt: row['created_at'] as number,
  expiresAt: row['expires_at'] as number,
  usedAt: nullableNumber(row['used_at']),
  originJti: nullableString(row['origin_jti']),
});

const toSession = (row: Row): HostedSessionRecord => ({
  id: row['id'] as string,
  poolId: row['pool_id'] as string,
  userSub: row['user_sub'] as string,
  authTime: row['auth_time'] as number,
  createdAt: row['created_at'] as number,
  expiresAt: row['expires_at'] as number,
  endedAt: nullableNumber(row['ended_at']),
});

const toFederationRequest = (row: Row): FederationRequestRecord => ({
  stateHash: row['state_hash'] as string,
  poolId: row['pool_id'] as string,
  providerName: row['provider_name'] as string,
  request: json(row['request']),
  createdAt: row['created_at'] as number,
  expiresAt: row['expires_at'] as number,
  usedAt: nullableNumber(row['used_at']),
});

/** Rows older than this past their expiry are purged (kept a while so late use reads "expired", not "unknown"). */
const KEEP_EXPIRED_MS = 24 * 3600_000;

export class OAuthStore {
  constructor(private readonly store: Store) {}

  private one(sql: string, ...params: unknown[]): Row | undefined {
    return this.store.prepare(sql).get(...params) as Row | undefined;
  }

  private all(sql: string, ...params: unknown[]): Row[] {
    return this.store.prepare(sql).all(...params) as Row[];
  }

  private run(sql: string, ...params: unknown[]): number {
    return this.store.prepare(sql).run(...params).changes;
  }

  // ---------- domains ----------

  insertDomain(domain: DomainRecord): void {
    this.run(
      'INSERT INTO user_pool_domains (domain, pool_id, custom, managed_login_version, created_at) VALUES (?, ?, ?, ?, ?)',
      domain.domain, domain.poolId, domain.custom ? 1 : 0, domain.managedLoginVersion, domain.createdAt,
    );
  }

  getDomain(domain: string): DomainRecord | undefined {
    const row = this.one('SELECT * FROM user_pool_domains WHERE domain = ?', domain);
    return row && toDomain(row);
  }

  /** Custom domains of every pool: the local pool is one account. */
  countCustomDomains(): number {
    return this.all('SELECT count(*) AS n FROM user_pool_domains WHERE custom = 1')[0]!['n'] as number;
  }

  domainsOf(poolId: string): DomainRecord[] {
    return this.all('SELECT * FROM user_pool_domains WHERE pool_id = ? ORDER BY created_at, domain', poolId).map(toDomain);
  }

  updateDomainVersion(domain: string, version: number): void {
    this.run('UPDATE user_pool_domains SET managed_login_version = ? WHERE domain = ?', version, domain);
  }

  deleteDomain(domain: string): void {
    this.run('DELETE FROM user_pool_domains WHERE domain = ?', domain);
  }

  // ---------- identity providers ----------

  insertProvider(provider: IdentityProviderRecord): void {
    this.run(
      `INSERT INTO identity_providers (pool_id, name, name_key, type, details, attribute_mapping, idp_identifiers, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      provider.poolId, provider.name, provider.name.toLowerCase(), provider.type, JSON.stringify(provider.details),
      JSON.stringify(provider.attributeMapping), JSON.stringify(provider.idpIdentifiers), provider.createdAt, provider.updatedAt,
    );
  }

  updateProvider(provider: IdentityProviderRecord): void {
    this.run(
      `UPDATE identity_providers SET details = ?, attribute_mapping = ?, idp_identifiers = ?, updated_at = ?
       WHERE pool_id = ? AND name = ?`,
      JSON.stringify(provider.details), JSON.stringify(provider.attributeMapping), JSON.stringify(provider.idpIdentifiers),
      provider.updatedAt, provider.poolId, provider.name,
    );
  }

  /** By exact name (what identity_provider= and SupportedIdentityProviders say). */
  getProvider(poolId: string, name: string): IdentityProviderRecord | undefined {
    const row = this.one('SELECT * FROM identity_providers WHERE pool_id = ? AND name = ?', poolId, name);
    return row && toProvider(row);
  }

  /** A provider whose name differs only in case, which a new one may not take. */
  providerNamed(poolId: string, name: string): IdentityProviderRecord | undefined {
    const row = this.one('SELECT * FROM identity_providers WHERE pool_id = ? AND name_key = ?', poolId, name.toLowerCase());
    return row && toProvider(row);
  }

  listProviders(poolId: string, offset: number, limit: number): IdentityProviderRecord[] {
    return this.all('SELECT * FROM identity_providers WHERE pool_id = ? ORDER BY created_at, name LIMIT ? OFFSET ?', poolId, limit, offset).map(toProvider);
  }

  allProviders(poolId: string): IdentityProviderRecord[] {
    return this.all('SELECT * FROM identity_providers WHERE pool_id = ? ORDER BY created_at, name', poolId).map(toProvider);
  }

  deleteProvider(poolId: string, name: string): void {
    this.run('DELETE FROM identity_providers WHERE pool_id = ? AND name = ?', poolId, name);
  }

  // ---------- links of external identities ----------

  insertLink(link: ProviderLinkRecord): boolean {
    return (
      this.run(
        `INSERT OR IGNORE INTO provider_links (pool_id, provider_name, attribute_name, attribute_value, user_sub, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
        link.poolId, link.providerName, link.attributeName, link.attributeValue, link.userSub, link.createdAt,
      ) === 1
    );
  }

  getLink(poolId: string, providerName: string, attributeName: string, attributeValue: string): ProviderLinkRecord | undefined {
    const row = this.one(
      'SELECT * FROM provider_links WHERE pool_id = ? AND provider_name = ? AND attribute_name = ? AND attribute_value = ?',
      poolId, providerName, attributeName, attributeValue,
    );
    return row && toLink(row);
  }

  linksOfUser(poolId: string, userSub: string): ProviderLinkRecord[] {
    return this.all('SELECT * FROM provider_links WHERE pool_id = ? AND user_sub = ? ORDER BY created_at', poolId, userSub).map(toLink);
  }

  deleteLink(poolId: string, providerName: string, attributeName: string, attributeValue: string): number {
    return this.run(
      'DELETE FROM provider_links WHERE pool_id = ? AND provider_name = ? AND attribute_name = ? AND attribute_value = ?',
      poolId, providerName, attributeName, attributeValue,
    );
  }

  deleteLinksOfProvider(poolId: string, providerName: string): void {
    this.run('DELETE FROM provider_links WHERE pool_id = ? AND provider_name = ?', poolId, providerName);
  }

  // ---------- authorization codes ----------

  insertCode(code: AuthorizationCodeRecord): void {
    this.run('DELETE FROM oauth_codes WHERE expires_at < ?', code.createdAt - KEEP_EXPIRED_MS);
    this.run(
      `INSERT INTO oauth_codes (code_hash, pool_id, client_id, user_sub, redirect_uri, scopes, code_challenge, nonce, auth_time,
                                created_at, expires_at, used_at, origin_jti)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
      code.codeHash, code.poolId, code.clientId, code.userSub, code.redirectUri, JSON.stringify(code.scopes), code.codeChallenge,
      code.nonce, code.authTime, code.createdAt, code.expiresAt,
    );
  }

  getCode(codeHash: string): AuthorizationCodeRecord | undefined {
    const row = this.one('SELECT * FROM oauth_codes WHERE code_hash = ?', codeHash);
    return row && toCode(row);
  }

  /** Marks the code used; false when another request used it first. */
  claimCode(codeHash: string, now: number): boolean {
    return this.run('UPDATE oauth_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL', now, codeHash) === 1;
  }

  recordCodeFamily(codeHash: string, originJti: string): void {
    this.run('UPDATE oauth_codes SET origin_jti = ? WHERE code_hash = ?', originJti, codeHash);
  }

  // ---------- hosted-UI sessions ----------

  insertSession(session: HostedSessionRecord): void {
    this.run('DELETE FROM hosted_sessions WHERE expires_at < ?', session.createdAt - KEEP_EXPIRED_MS);
    this.run(
      'INSERT INTO hosted_sessions (id, pool_id, user_sub, auth_time, created_at, expires_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, NULL)',
      session.id, session.poolId, session.userSub, session.authTime, session.createdAt, session.expiresAt,
    );
  }

  getSession(id: string): HostedSessionRecord | undefined {
    const row = this.one('SELECT * FROM hosted_sessions WHERE id = ?', id);
    return row && toSession(row);
  }

  endSession(id: string, now: number): void {
    this.run('UPDATE hosted_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL', now, id);
  }

  // ---------- upstream sign-ins in flight ----------

  insertFederationRequest(request: FederationRequestRecord): void {
    this.run('DELETE FROM federation_requests WHERE expires_at < ?', request.createdAt - KEEP_EXPIRED_MS);
    this.run(
      `INSERT INTO federation_requests (state_hash, pool_id, provider_name, request, created_at, expires_at, used_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL)`,
      request.stateHash, request.poolId, request.providerName, JSON.stringify(request.request), request.createdAt, request.expiresAt,
    );
  }

  getFederationRequest(stateHash: string): FederationRequestRecord | undefined {
    const row = this.one('SELECT * FROM federation_requests WHERE state_hash = ?', stateHash);
    return row && toFederationRequest(row);
  }

  claimFederationRequest(stateHash: string, now: number): boolean {
    return this.run('UPDATE federation_requests SET used_at = ? WHERE state_hash = ? AND used_at IS NULL', now, stateHash) === 1;
  }

  // ---------- scopes of OAuth token families ----------

  /** auth_time of a family started from an older sign-in (a hosted-UI session, a code). */
  setFamilyAuthTime(originJti: string, authTime: number): void {
    this.run('UPDATE token_families SET auth_time = ? WHERE origin_jti = ?', authTime, originJti);
  }

  insertGrant(originJti: string, scopes: readonly string[]): void {
    this.run('INSERT INTO oauth_grants (origin_jti, scopes) VALUES (?, ?)', originJti, JSON.stringify(scopes));
  }

  /** The scopes a family was granted at the token endpoint; undefined for an API sign-in's family. */
  grantedScopes(originJti: string): string[] | undefined {
    const row = this.one('SELECT scopes FROM oauth_grants WHERE origin_jti = ?', originJti);
    return row && json<string[]>(row['scopes']);
  }
}
