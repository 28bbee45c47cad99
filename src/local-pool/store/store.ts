// SQLite persistence of the local pool (better-sqlite3: synchronous, one file, WAL).
import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { migrate } from './migrations.js';
import { sqliteDriver } from './sqlite-driver.js';
import type {
  AuthSessionRecord,
  ClientConfig,
  CodeKind,
  ConfirmationCodeRecord,
  DeliveryMedium,
  DeviceRecord,
  MfaType,
  OutboxMessage,
  ClientRecord,
  ClientSecretRecord,
  PoolConfig,
  PoolRecord,
  RefreshTokenRecord,
  SigningKeyRecord,
  TokenFamilyRecord,
  UserRecord,
  WebAuthnCredentialRecord,
  WebAuthnRegistrationRecord,
} from './model.js';

type Row = Record<string, unknown>;

const str = (value: unknown): string => value as string;
const num = (value: unknown): number => value as number;
const nullableNum = (value: unknown): number | null => (value === null ? null : (value as number));
const json = <T>(value: unknown): T => JSON.parse(value as string) as T;

function toPool(row: Row): PoolRecord {
  return {
    id: str(row['id']),
    name: str(row['name']),
    config: json<PoolConfig>(row['config']),
    createdAt: num(row['created_at']),
    updatedAt: num(row['updated_at']),
  };
}

function toClient(row: Row): ClientRecord {
  return {
    id: str(row['id']),
    poolId: str(row['pool_id']),
    name: str(row['name']),
    secret: row['secret'] === null ? null : str(row['secret']),
    secrets: row['secrets'] === null || row['secrets'] === undefined ? [] : json<ClientSecretRecord[]>(row['secrets']),
    config: json<ClientConfig>(row['config']),
    createdAt: num(row['created_at']),
    updatedAt: num(row['updated_at']),
  };
}

function toUser(row: Row): UserRecord {
  const hasPassword = row['srp_verifier'] !== null && row['srp_salt'] !== null;
  return {
    poolId: str(row['pool_id']),
    sub: str(row['sub']),
    username: str(row['username']),
    status: str(row['status']) as UserRecord['status'],
    enabled: row['enabled'] === 1,
    attributes: json<Record<string, string>>(row['attributes']),
    pendingAttributes: json<Record<string, string>>(row['pending_attributes']),
    credentials: hasPassword
      ? { srpSalt: str(row['srp_salt']), srpVerifier: str(row['srp_verifier']) }
      : null,
    passwordSetAt: nullableNum(row['password_set_at']),
    lockout: {
      failedAttempts: num(row['failed_attempts']),
      lastFailureAt: nullableNum(row['last_failure_at']),
      lockedUntil: nullableNum(row['locked_until']),
    },
    mfa: {
      enabled: json<MfaType[]>(row['mfa_enabled']),
      preferred: row['mfa_preferred'] === null ? null : (str(row['mfa_preferred']) as MfaType),
      totp:
        row['totp_secret'] === null
          ? null
          : {
              secret: str(row['totp_secret']),
              deviceName: row['totp_device_name'] === null ? null : str(row['totp_device_name']),
              lastStep: nullableNum(row['totp_last_step']),
            },
      pendingTotpSecret: row['totp_pending_secret'] === null ? null : str(row['totp_pending_secret']),
    },
    createdAt: num(row['created_at']),
    updatedAt: num(row['updated_at']),
  };
}

/** `usernameKey`: the username as looked up (lower case unless the pool is case sensitive). */
function userColumns(user: UserRecord, usernameKey: string): Row {
  return {
    pool_id: user.poolId,
    sub: user.sub,
    username: user.username,
    username_key: usernameKey,
    status: user.status,
    enabled: user.enabled ? 1 : 0,
    attributes: JSON.stringify(user.attributes),
    pending_attributes: JSON.stringify(user.pendingAttributes ?? {}),
    srp_salt: user.credentials?.srpSalt ?? null,
    srp_verifier: user.credentials?.srpVerifier ?? null,
    password_set_at: user.passwordSetAt,
    failed_attempts: user.lockout.failedAttempts,
    last_failure_at: user.lockout.lastFailureAt,
    locked_until: user.lockout.lockedUntil,
    mfa_enabled: JSON.stringify(user.mfa.enabled),
    mfa_preferred: user.mfa.preferred,
    totp_secret: user.mfa.totp?.secret ?? null,
    totp_device_name: user.mfa.totp?.deviceName ?? null,
    totp_last_step: user.mfa.totp?.lastStep ?? null,
    totp_pending_secret: user.mfa.pendingTotpSecret,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

function toSession(row: Row): AuthSessionRecord {
  return {
    id: str(row['id']),
    poolId: str(row['pool_id']),
    clientId: str(row['client_id']),
    userSub: row['user_sub'] === null ? null : str(row['user_sub']),
    username: str(row['username']),
    challenge: str(row['challenge']),
    state: json<Record<string, unknown>>(row['state']),
    attemptId: row['attempt_id'] === null ? null : str(row['attempt_id']),
    failedAttempts: num(row['failed_attempts']),
    createdAt: num(row['created_at']),
    expiresAt: num(row['expires_at']),
    usedAt: nullableNum(row['used_at']),
  };
}

function toCode(row: Row): ConfirmationCodeRecord {
  return {
    poolId: str(row['pool_id']),
    userSub: str(row['user_sub']),
    kind: str(row['kind']) as CodeKind,
    attribute: str(row['attribute']),
    destination: str(row['destination']),
    codeHash: str(row['code_hash']),
    createdAt: num(row['created_at']),
    expiresAt: num(row['expires_at']),
    failedAttempts: num(row['failed_attempts']),
  };
}

function toOutboxMessage(row: Row): OutboxMessage {
  return {
    id: num(row['id']),
    userPoolId: str(row['pool_id']),
    username: str(row['username']),
    medium: str(row['medium']) as DeliveryMedium,
    destination: str(row['destination']),
    subject: row['subject'] === null ? null : str(row['subject']),
    message: str(row['message']),
    code: row['code'] === null ? null : str(row['code']),
    purpose: str(row['purpose']),
    createdAt: num(row['created_at']),
  };
}

/** Which outbox messages to list; every given field must match (text case-insensitively). */
export interface OutboxFilter {
  /** Phone number or e-mail address the message went to. */
  recipient?: string;
  username?: string;
  userPoolId?: string;
  /** Only messages created at or after this time (ms, pool clock). */
  since?: number;
}

function toCredential(row: Row): WebAuthnCredentialRecord {
  return {
    poolId: str(row['pool_id']),
    userSub: str(row['user_sub']),
    credentialId: str(row['credential_id']),
    publicKey: str(row['public_key']),
    signCount: num(row['sign_count']),
    transports: json<string[]>(row['transports']),
    authenticatorAttachment: row['attachment'] === null ? null : str(row['attachment']),
    friendlyName: str(row['friendly_name']),
    relyingPartyId: str(row['relying_party_id']),
    createdAt: num(row['created_at']),
  };
}

function toRegistration(row: Row): WebAuthnRegistrationRecord {
  return {
    poolId: str(row['pool_id']),
    userSub: str(row['user_sub']),
    clientId: row['client_id'] === null ? null : str(row['client_id']),
    challenge: str(row['challenge']),
    relyingPartyId: str(row['relying_party_id']),
    userVerification: str(row['user_verification']) as WebAuthnRegistrationRecord['userVerification'],
    createdAt: num(row['created_at']),
    expiresAt: num(row['expires_at']),
  };
}

function toFamily(row: Row): TokenFamilyRecord {
  return {
    originJti: str(row['origin_jti']),
    poolId: str(row['pool_id']),
    clientId: str(row['client_id']),
    userSub: str(row['user_sub']),
    authTime: num(row['auth_time']),
    createdAt: num(row['created_at']),
    revokedAt: nullableNum(row['revoked_at']),
    deviceKey: row['device_key'] === null || row['device_key'] === undefined ? null : str(row['device_key']),
    deviceGroupKey: row['device_group_key'] === null || row['device_group_key'] === undefined ? null : str(row['device_group_key']),
  };
}

function toDevice(row: Row): DeviceRecord {
  return {
    poolId: str(row['pool_id']),
    userSub: str(row['user_sub']),
    deviceKey: str(row['device_key']),
    groupKey: str(row['group_key']),
    name: row['name'] === null ? null : str(row['name']),
    salt: str(row['salt']),
    verifier: str(row['verifier']),
    remembered: row['remembered'] === 1,
    createdAt: num(row['created_at']),
    updatedAt: num(row['updated_at']),
    lastAuthenticatedAt: num(row['last_authenticated_at']),
  };
}

function toRefreshToken(row: Row): RefreshTokenRecord {
  return {
    tokenHash: str(row['token_hash']),
    originJti: str(row['origin_jti']),
    createdAt: num(row['created_at']),
    expiresAt: num(row['expires_at']),
    supersededAt: nullableNum(row['superseded_at']),
  };
}

function toSigningKey(row: Row): SigningKeyRecord {
  return {
    kid: str(row['kid']),
    poolId: str(row['pool_id']),
    tokenUse: str(row['token_use']) as SigningKeyRecord['tokenUse'],
    privatePem: str(row['private_pem']),
    publicJwk: json<Record<string, unknown>>(row['public_jwk']),
    createdAt: num(row['created_at']),
  };
}

const notAPath = (file: string) => file === ':memory:' || file === '' || file.startsWith('file:');
/** How long a second process waits for the file before it is told the file is in use. */
const LOCK_WAIT_MS = 250;

/**
 * The data file holds the pools' RSA private keys, app-client secrets and TOTP secrets: it is
 * created owner-only (0600), and an existing one others may read is narrowed to 0600 (SQLite gives
 * its -wal file the same mode).
 */
function ownerOnly(file: string): void {
  if (process.platform === 'win32') return;
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
}

/** SQLite's error codes as what they mean for the person starting the pool. */
function openError(file: string, error: unknown): Error {
  const code = (error as { code?: string }).code;
  const reason = (error as Error).message;
  if (code === 'SQLITE_BUSY') {
    return new Error(`${file} is in use by another local pool (or another program holds it): stop that one, or give this pool its own data file`);
  }
  if (code === 'SQLITE_NOTADB') return new Error(`${file} is not a local pool data file (not an SQLite database): ${reason}`);
  if (code === 'SQLITE_CORRUPT') return new Error(`${file} is damaged (SQLite: ${reason}); restore a copy, or delete it to start empty`);
  return error as Error;
}

/** Attributes users sign in with (UsernameAttributes, AliasAttributes); each has an index (migration 5). */
const INDEXED_ATTRIBUTES = new Set(['email', 'phone_number', 'preferred_username']);

export class Store {
  private readonly db: Database.Database;
  /** Every statement is prepared once: preparing costs more than running most of them. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    if (!notAPath(file)) ownerOnly(file);
    this.db = new (sqliteDriver())(file, { timeout: LOCK_WAIT_MS });
    try {
      // One process per file: EXCLUSIVE locking keeps the file locked from the first access until
      // close, so a second pool (another process, or this one) gets SQLITE_BUSY at once.
      this.db.pragma('locking_mode = EXCLUSIVE');
      this.db.pragma('journal_mode = WAL');
      // With WAL, NORMAL syncs at checkpoints instead of every commit: a commit survives the process
      // (the pool restarting, a crash) and the file stays consistent; only a power cut can lose the last ones.
      this.db.pragma('synchronous = NORMAL');
      if (!notAPath(file)) this.checkIntegrity(file);
      this.db.pragma('foreign_keys = ON');
      migrate(this.db);
    } catch (error) {
      this.db.close();
      throw openError(file, error);
    }
  }

  /** PRAGMA quick_check (the b-trees and their pages, not every index entry): a damaged file is refused at start. */
  private checkIntegrity(file: string): void {
    const found = (this.db.pragma('quick_check') as Array<{ quick_check: string }>).map((row) => row.quick_check);
    if (found.length === 1 && found[0] === 'ok') return;
    const summary = found.join('; ').replace(/\s+/g, ' ').slice(0, 500);
    throw new Error(`${file} is damaged (SQLite integrity check: ${summary}); restore a copy, or delete it to start empty`);
  }

  close(): void {
    this.db.close();
  }

  /**
   * A prepared statement, for the record modules kept next to their part (oauth/oauth-store.ts): they
   * write their own SQL against this file's tables and migrations.
   */
  prepare(sql: string): Database.Statement {
    return this.statement(sql);
  }

  /** Runs `work` in one write transaction (BEGIN IMMEDIATE); a throw rolls everything back. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) this.statements.set(sql, (prepared = this.db.prepare(sql)));
    return prepared;
  }

  private one(sql: string, ...params: unknown[]): Row | undefined {
    return this.statement(sql).get(...params) as Row | undefined;
  }

  private all(sql: string, ...params: unknown[]): Row[] {
    return this.statement(sql).all(...params) as Row[];
  }

  private run(sql: string, ...params: unknown[]): number {
    return this.statement(sql).run(...params).changes;
  }

  // ---------- settings ----------

  /** A value created once per data file (e.g. the key behind simulated SRP challenges). */
  setting(key: string, create: () => string): string {
    this.run('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)', key, create());
    return str(this.one('SELECT value FROM settings WHERE key = ?', key)!['value']);
  }

  // ---------- pools ----------

  insertPool(pool: PoolRecord): void {
    this.run(
      'INSERT INTO user_pools (id, name, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
      pool.id,
      pool.name,
      JSON.stringify(pool.config),
      pool.createdAt,
      pool.updatedAt,
    );
  }

  getPool(id: string): PoolRecord | undefined {
    const row = this.one('SELECT * FROM user_pools WHERE id = ?', id);
    return row && toPool(row);
  }

  updatePool(pool: PoolRecord): void {
    this.run('UPDATE user_pools SET name = ?, config = ?, updated_at = ? WHERE id = ?', pool.name, JSON.stringify(pool.config), pool.updatedAt, pool.id);
  }

  listPools(offset: number, limit: number): PoolRecord[] {
    return this.all('SELECT * FROM user_pools ORDER BY created_at, id LIMIT ? OFFSET ?', limit, offset).map(toPool);
  }

  deletePool(id: string): void {
    this.run('DELETE FROM user_pools WHERE id = ?', id);
  }

  countUsers(poolId: string): number {
    return num(this.one('SELECT count(*) AS n FROM users WHERE pool_id = ?', poolId)!['n']);
  }

  // ---------- app clients ----------

  insertClient(client: ClientRecord): void {
    this.run(
      'INSERT INTO app_clients (id, pool_id, name, secret, secrets, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      client.id,
      client.poolId,
      client.name,
      client.secret,
      client.secret === null ? null : JSON.stringify(client.secrets),
      JSON.stringify(client.config),
      client.createdAt,
      client.updatedAt,
    );
  }

  getClient(id: string): ClientRecord | undefined {
    const row = this.one('SELECT * FROM app_clients WHERE id = ?', id);
    return row && toClient(row);
  }

  updateClient(client: ClientRecord): void {
    this.run(
      'UPDATE app_clients SET name = ?, config = ?, updated_at = ? WHERE id = ?',
      client.name,
      JSON.stringify(client.config),
      client.updatedAt,
      client.id,
    );
  }

  /** The client and its sign-ins (token families; their refresh tokens and grants cascade). */
  deleteClient(id: string): void {
    this.run('DELETE FROM token_families WHERE client_id = ?', id);
    this.run('DELETE FROM app_clients WHERE id = ?', id);
  }

  listClients(poolId: string, offset: number, limit: number): ClientRecord[] {
    return this.all(
      'SELECT * FROM app_clients WHERE pool_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?',
      poolId,
      limit,
      offset,
    ).map(toClient);
  }

  // ---------- users ----------

  /** Usernames of pools with UsernameConfiguration.CaseSensitive true match exactly; all others in any case. */
  private caseSensitive(poolId: string): boolean {
    const row = this.one("SELECT json_extract(config, '$.UsernameConfiguration.CaseSensitive') AS cs FROM user_pools WHERE id = ?", poolId);
    return row?.['cs'] === 1;
  }

  private usernameKey(poolId: string, username: string): string {
    return this.caseSensitive(poolId) ? username : username.toLowerCase();
  }

  insertUser(user: UserRecord): void {
    const columns = userColumns(user, this.usernameKey(user.poolId, user.username));
    const names = Object.keys(columns);
    this.statement(`INSERT INTO users (${names.join(', ')}) VALUES (${names.map((n) => '@' + n).join(', ')})`).run(columns);
  }

  /** Writes back every mutable column of the user. */
  saveUser(user: UserRecord): void {
    const columns = userColumns(user, this.usernameKey(user.poolId, user.username));
    const names = Object.keys(columns).filter((n) => n !== 'pool_id' && n !== 'sub' && n !== 'created_at');
    this.statement(`UPDATE users SET ${names.map((n) => `${n} = @${n}`).join(', ')} WHERE pool_id = @pool_id AND sub = @sub`).run(columns);
  }

  /**
   * Reads the user and writes back what `change` makes of it, in one transaction: a change worked out
   * on a copy read before an await (a password hash, an SRP proof) never overwrites what other
   * requests did meanwhile. `change` may throw to refuse (nothing is written), or return `current`
   * itself for "no change" (nothing is written either). undefined when the user is gone.
   */
  updateUser(poolId: string, sub: string, change: (current: UserRecord) => UserRecord): UserRecord | undefined {
    return this.transaction(() => {
      const current = this.getUserBySub(poolId, sub);
      if (!current) return undefined;
      const next = change(current);
      if (next !== current) this.saveUser(next);
      return next;
    });
  }

  getUserBySub(poolId: string, sub: string): UserRecord | undefined {
    const row = this.one('SELECT * FROM users WHERE pool_id = ? AND sub = ?', poolId, sub);
    return row && toUser(row);
  }

  getUserByUsername(poolId: string, username: string): UserRecord | undefined {
    const row = this.one('SELECT * FROM users WHERE pool_id = ? AND username_key = ?', poolId, this.usernameKey(poolId, username));
    return row && toUser(row);
  }

  /**
   * Users whose attribute equals value (alias and uniqueness look-ups): in any case, unless the pool
   * is case sensitive.
   */
  findUsersByAttribute(poolId: string, attribute: string, value: string): UserRecord[] {
    const caseSensitive = this.caseSensitive(poolId);
    if (INDEXED_ATTRIBUTES.has(attribute)) {
      // The index holds lower case; a case-sensitive pool then keeps the exact matches.
      const rows = this.all(
        `SELECT * FROM users WHERE pool_id = ? AND lower(json_extract(attributes, '$.${attribute}')) = lower(?) ORDER BY created_at`,
        poolId,
        value,
      ).map(toUser);
      return caseSensitive ? rows.filter((user) => user.attributes[attribute] === value) : rows;
    }
    const path = `$."${attribute.replace(/"/g, '')}"`;
    const sql = caseSensitive
      ? 'SELECT * FROM users WHERE pool_id = ? AND json_extract(attributes, ?) = ? ORDER BY created_at'
      : 'SELECT * FROM users WHERE pool_id = ? AND lower(json_extract(attributes, ?)) = lower(?) ORDER BY created_at';
    return this.all(sql, poolId, path, value).map(toUser);
  }

  listUsers(poolId: string): UserRecord[] {
    return this.all('SELECT * FROM users WHERE pool_id = ? ORDER BY created_at, username_key', poolId).map(toUser);
  }

  deleteUser(poolId: string, sub: string): void {
    this.run('DELETE FROM token_families WHERE pool_id = ? AND user_sub = ?', poolId, sub);
    this.run('DELETE FROM confirmation_codes WHERE pool_id = ? AND user_sub = ?', poolId, sub);
    this.run('DELETE FROM code_sends WHERE pool_id = ? AND user_sub = ?', poolId, sub);
    this.run('DELETE FROM auth_sessions WHERE pool_id = ? AND user_sub = ?', poolId, sub);
    this.run('DELETE FROM webauthn_credentials WHERE pool_id = ? AND user_sub = ?', poolId, sub);
    this.run('DELETE FROM webauthn_registrations WHERE pool_id = ? AND user_sub = ?', poolId, sub);
    this.run('DELETE FROM devices WHERE pool_id = ? AND user_sub = ?', poolId, sub);
    this.run('DELETE FROM group_members WHERE pool_id = ? AND user_sub = ?', poolId, sub);
    this.run('DELETE FROM users WHERE pool_id = ? AND sub = ?', poolId, sub);
  }

  // ---------- confirmation codes ----------

  /** Stores a new code of its kind for the user, replacing the previous one (and its wrong-code count). */
  putCode(code: ConfirmationCodeRecord): void {
    this.run(
      `INSERT INTO confirmation_codes (pool_id, user_sub, kind, attribute, destination, code_hash, created_at, expires_at, failed_attempts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)
       ON CONFLICT (pool_id, user_sub, kind) DO UPDATE SET
         attribute = excluded.attribute, destination = excluded.destination, code_hash = excluded.code_hash,
         created_at = excluded.created_at, expires_at = excluded.expires_at, failed_attempts = 0`,
      code.poolId,
      code.userSub,
      code.kind,
      code.attribute,
      code.destination,
      code.codeHash,
      code.createdAt,
      code.expiresAt,
    );
  }

  getCode(poolId: string, userSub: string, kind: CodeKind): ConfirmationCodeRecord | undefined {
    const row = this.one('SELECT * FROM confirmation_codes WHERE pool_id = ? AND user_sub = ? AND kind = ?', poolId, userSub, kind);
    return row && toCode(row);
  }

  /**
   * One more wrong code against the stored code, in one statement (parallel wrong codes all count);
   * the new count, or undefined when the code is gone (used or replaced meanwhile).
   */
  countCodeFailure(poolId: string, userSub: string, kind: CodeKind, codeHash: string): number | undefined {
    const row = this.one(
      `UPDATE confirmation_codes SET failed_attempts = failed_attempts + 1
       WHERE pool_id = ? AND user_sub = ? AND kind = ? AND code_hash = ? RETURNING failed_attempts`,
      poolId,
      userSub,
      kind,
      codeHash,
    );
    return row ? num(row['failed_attempts']) : undefined;
  }

  /**
   * Uses the code up: deletes it if it is still the stored one, unexpired and under the attempt limit.
   * One statement, so of parallel right answers exactly one wins.
   */
  consumeCode(poolId: string, userSub: string, kind: CodeKind, codeHash: string, now: number, maxFailures: number): boolean {
    return (
      this.run(
        `DELETE FROM confirmation_codes WHERE pool_id = ? AND user_sub = ? AND kind = ? AND code_hash = ?
           AND expires_at > ? AND failed_attempts < ?`,
        poolId,
        userSub,
        kind,
        codeHash,
        now,
        maxFailures,
      ) === 1
    );
  }

  deleteCodes(poolId: string, userSub: string, kinds: readonly CodeKind[]): void {
    for (const kind of kinds) this.run('DELETE FROM confirmation_codes WHERE pool_id = ? AND user_sub = ? AND kind = ?', poolId, userSub, kind);
  }

  /**
   * Records a send of a code of `family` unless `limit` sends were recorded within `windowMs` before
   * `now`; false when the limit is reached. Count and insert are one transaction.
   */
  recordCodeSend(poolId: string, userSub: string, family: string, now: number, windowMs: number, limit: number): boolean {
    return this.transaction(() => {
      this.run('DELETE FROM code_sends WHERE pool_id = ? AND user_sub = ? AND family = ? AND sent_at <= ?', poolId, userSub, family, now - windowMs);
      const sent = num(this.one('SELECT count(*) AS n FROM code_sends WHERE pool_id = ? AND user_sub = ? AND family = ?', poolId, userSub, family)!['n']);
      if (sent >= limit) return false;
      this.run('INSERT INTO code_sends (pool_id, user_sub, family, sent_at) VALUES (?, ?, ?, ?)', poolId, userSub, family, now);
      return true;
    });
  }

  // ---------- signing keys ----------

  insertSigningKey(key: SigningKeyRecord): void {
    this.run(
      'INSERT INTO signing_keys (kid, pool_id, token_use, private_pem, public_jwk, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      key.kid,
      key.poolId,
      key.tokenUse,
      key.privatePem,
      JSON.stringify(key.publicJwk),
      key.createdAt,
    );
  }

  signingKeys(poolId: string): SigningKeyRecord[] {
    return this.all('SELECT * FROM signing_keys WHERE pool_id = ? ORDER BY created_at, kid', poolId).map(toSigningKey);
  }

  getSigningKey(kid: string): SigningKeyRecord | undefined {
    const row = this.one('SELECT * FROM signing_keys WHERE kid = ?', kid);
    return row && toSigningKey(row);
  }

  // ---------- challenge sessions ----------

  insertSession(session: AuthSessionRecord): void {
    this.run(
      `INSERT INTO auth_sessions
         (id, pool_id, client_id, user_sub, username, challenge, state, attempt_id, failed_attempts, created_at, expires_at, used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      session.id,
      session.poolId,
      session.clientId,
      session.userSub,
      session.username,
      session.challenge,
      JSON.stringify(session.state),
      session.attemptId,
      session.failedAttempts,
      session.createdAt,
      session.expiresAt,
      session.usedAt,
    );
  }

  getSession(id: string): AuthSessionRecord | undefined {
    const row = this.one('SELECT * FROM auth_sessions WHERE id = ?', id);
    return row && toSession(row);
  }

  /**
   * Marks the session used; false when another request already did, or wrong codes have ended it
   * (`maxFailures` reached). One statement: single use holds whatever runs in parallel.
   */
  claimSession(id: string, now: number, maxFailures: number): boolean {
    return this.run('UPDATE auth_sessions SET used_at = ? WHERE id = ? AND used_at IS NULL AND failed_attempts < ?', now, id, maxFailures) === 1;
  }

  /**
   * Consumes a Session of `challenge` issued to this client for this user, if it is unused and not
   * expired at `now`; false otherwise. One statement: of parallel uses exactly one wins.
   */
  claimSessionFor(id: string, challenge: string, clientId: string, userSub: string, now: number): boolean {
    return (
      this.run(
        `UPDATE auth_sessions SET used_at = ?
          WHERE id = ? AND challenge = ? AND client_id = ? AND user_sub = ? AND used_at IS NULL AND expires_at > ?`,
        now, id, challenge, clientId, userSub, now,
      ) === 1
    );
  }

  /** One more wrong code on the session; returns the new count (one statement, so parallel answers all count). */
  countSessionFailure(id: string): number {
    const row = this.one('UPDATE auth_sessions SET failed_attempts = failed_attempts + 1 WHERE id = ? RETURNING failed_attempts', id);
    return row ? num(row['failed_attempts']) : Number.POSITIVE_INFINITY;
  }

  /** Ends every still-open Session of a sign-in attempt (the attempt issued tokens). */
  endAttempt(attemptId: string, now: number): void {
    this.run('UPDATE auth_sessions SET used_at = ? WHERE attempt_id = ? AND used_at IS NULL', now, attemptId);
  }

  /** Drops sessions that expired long enough ago that nobody can tell "expired" from "unknown" anymore. */
  purgeSessionsExpiredBefore(time: number): void {
    this.run('DELETE FROM auth_sessions WHERE expires_at < ?', time);
  }

  /**
   * Ends the user's open Sessions whose state has `flag` true (the passwordless code challenges): a new
   * code replaces the old one, as a resend does.
   */
  endFlaggedSessions(poolId: string, userSub: string, flag: string, now: number): void {
    this.run(
      `UPDATE auth_sessions SET used_at = ? WHERE pool_id = ? AND user_sub = ? AND used_at IS NULL AND json_extract(state, ?) = 1`,
      now, poolId, userSub, `$.${flag.replace(/[^\w]/g, '')}`,
    );
  }

  // ---------- passkeys ----------

  /** false when the credential id is already registered in the pool. */
  insertWebAuthnCredential(credential: WebAuthnCredentialRecord): boolean {
    return (
      this.run(
        `INSERT OR IGNORE INTO webauthn_credentials
           (pool_id, user_sub, credential_id, public_key, sign_count, transports, attachment, friendly_name, relying_party_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        credential.poolId, credential.userSub, credential.credentialId, credential.publicKey, credential.signCount,
        JSON.stringify(credential.transports), credential.authenticatorAttachment, credential.friendlyName,
        credential.relyingPartyId, credential.createdAt,
      ) === 1
    );
  }

  getWebAuthnCredential(poolId: string, credentialId: string): WebAuthnCredentialRecord | undefined {
    const row = this.one('SELECT * FROM webauthn_credentials WHERE pool_id = ? AND credential_id = ?', poolId, credentialId);
    return row && toCredential(row);
  }

  /** Oldest first; `after` is the last one of the previous page (keyset paging: deletes do not shift pages). */
  listWebAuthnCredentials(poolId: string, userSub: string, limit: number, after?: { createdAt: number; credentialId: string }): WebAuthnCredentialRecord[] {
    const rows = after
      ? this.all(
          `SELECT * FROM webauthn_credentials WHERE pool_id = ? AND user_sub = ? AND (created_at, credential_id) > (?, ?)
           ORDER BY created_at, credential_id LIMIT ?`,
          poolId, userSub, after.createdAt, after.credentialId, limit,
        )
      : this.all('SELECT * FROM webauthn_credentials WHERE pool_id = ? AND user_sub = ? ORDER BY created_at, credential_id LIMIT ?', poolId, userSub, limit);
    return rows.map(toCredential);
  }

  countWebAuthnCredentials(poolId: string, userSub: string): number {
    return num(this.one('SELECT count(*) AS n FROM webauthn_credentials WHERE pool_id = ? AND user_sub = ?', poolId, userSub)!['n']);
  }

  deleteWebAuthnCredential(poolId: string, userSub: string, credentialId: string): boolean {
    return this.run('DELETE FROM webauthn_credentials WHERE pool_id = ? AND user_sub = ? AND credential_id = ?', poolId, userSub, credentialId) === 1;
  }

  /**
   * Moves the sign counter from `seen` (what the assertion was verified against) to `next`, in one
   * statement: false when a parallel sign-in moved it meanwhile (or the credential is gone).
   */
  advanceSignCount(poolId: string, credentialId: string, seen: number, next: number): boolean {
    return (
      this.run('UPDATE webauthn_credentials SET sign_count = ? WHERE pool_id = ? AND credential_id = ? AND sign_count = ?', next, poolId, credentialId, seen) === 1
    );
  }

  /** Stores the user's pending registration, replacing an earlier one. */
  putWebAuthnRegistration(registration: WebAuthnRegistrationRecord): void {
    this.run(
      `INSERT INTO webauthn_registrations (pool_id, user_sub, client_id, challenge, relying_party_id, user_verification, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (pool_id, user_sub) DO UPDATE SET client_id = excluded.client_id, challenge = excluded.challenge,
         relying_party_id = excluded.relying_party_id, user_verification = excluded.user_verification,
         created_at = excluded.created_at, expires_at = excluded.expires_at`,
      registration.poolId, registration.userSub, registration.clientId, registration.challenge, registration.relyingPartyId,
      registration.userVerification, registration.createdAt, registration.expiresAt,
    );
  }

  /** Removes and returns the user's pending registration (one statement: of parallel completions one gets it). */
  takeWebAuthnRegistration(poolId: string, userSub: string): WebAuthnRegistrationRecord | undefined {
    const row = this.one('DELETE FROM webauthn_registrations WHERE pool_id = ? AND user_sub = ? RETURNING *', poolId, userSub);
    return row && toRegistration(row);
  }

  // ---------- outbox ----------

  insertOutboxMessage(message: Omit<OutboxMessage, 'id'>): OutboxMessage {
    const id = this.statement(
      `INSERT INTO outbox (pool_id, username, medium, destination, subject, message, code, purpose, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
        message.userPoolId,
        message.username,
        message.medium,
        message.destination,
        message.subject,
        message.message,
        message.code,
        message.purpose,
        message.createdAt,
      ).lastInsertRowid;
    return { id: Number(id), ...message };
  }

  /** Removes the pool's messages (a demo reset); returns how many. */
  deleteOutboxMessages(poolId: string): number {
    return this.run('DELETE FROM outbox WHERE pool_id = ?', poolId);
  }

  /** Oldest first. */
  listOutbox(filter: OutboxFilter = {}): OutboxMessage[] {
    const conditions: Array<[string, unknown]> = [];
    if (filter.recipient !== undefined) conditions.push(['lower(destination) = lower(?)', filter.recipient]);
    if (filter.username !== undefined) conditions.push(['lower(username) = lower(?)', filter.username]);
    if (filter.userPoolId !== undefined) conditions.push(['pool_id = ?', filter.userPoolId]);
    if (filter.since !== undefined) conditions.push(['created_at >= ?', filter.since]);
    const where = conditions.map(([sql]) => sql);
    const params = conditions.map(([, value]) => value);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    return this.all(`SELECT * FROM outbox ${clause} ORDER BY created_at, id`, ...params).map(toOutboxMessage);
  }

  // ---------- token families and refresh tokens ----------

  insertFamily(family: TokenFamilyRecord): void {
    this.run(
      `INSERT INTO token_families (origin_jti, pool_id, client_id, user_sub, auth_time, created_at, revoked_at, device_key, device_group_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      family.originJti,
      family.poolId,
      family.clientId,
      family.userSub,
      family.authTime,
      family.createdAt,
      family.revokedAt,
      family.deviceKey,
      family.deviceGroupKey,
    );
  }

  getFamily(originJti: string): TokenFamilyRecord | undefined {
    const row = this.one('SELECT * FROM token_families WHERE origin_jti = ?', originJti);
    return row && toFamily(row);
  }

  /**
   * The bookkeeping of a wrong password for a name that is no user: a read and a write in one transaction, as a real
   * account's failure count (updateUser) costs, so that the answer does not tell the two apart by its time.
   */
  recordUnknownFailure(poolId: string, username: string, now: number): void {
    const key = this.usernameKey(poolId, username);
    let bucket = 0;
    for (let i = 0; i < key.length; i++) bucket = (bucket * 31 + key.charCodeAt(i)) & 63;
    this.transaction(() => {
      this.one('SELECT failures FROM unknown_sign_in_failures WHERE pool_id = ? AND bucket = ?', poolId, bucket);
      this.run(
        `INSERT INTO unknown_sign_in_failures (pool_id, bucket, failures, last_at) VALUES (?, ?, 1, ?)
         ON CONFLICT (pool_id, bucket) DO UPDATE SET failures = failures + 1, last_at = excluded.last_at`,
        poolId,
        bucket,
        now,
      );
    });
  }

  revokeFamily(originJti: string, now: number): void {
    this.run('UPDATE token_families SET revoked_at = ? WHERE origin_jti = ? AND revoked_at IS NULL', now, originJti);
  }

  revokeUserFamilies(poolId: string, userSub: string, now: number): void {
    this.run(
      'UPDATE token_families SET revoked_at = ? WHERE pool_id = ? AND user_sub = ? AND revoked_at IS NULL',
      now,
      poolId,
      userSub,
    );
  }

  insertRefreshToken(token: RefreshTokenRecord): void {
    this.run(
      'INSERT INTO refresh_tokens (token_hash, origin_jti, created_at, expires_at, superseded_at) VALUES (?, ?, ?, ?, ?)',
      token.tokenHash,
      token.originJti,
      token.createdAt,
      token.expiresAt,
      token.supersededAt,
    );
  }

  getRefreshToken(tokenHash: string): RefreshTokenRecord | undefined {
    const row = this.one('SELECT * FROM refresh_tokens WHERE token_hash = ?', tokenHash);
    return row && toRefreshToken(row);
  }

  supersedeRefreshToken(tokenHash: string, now: number): void {
    this.run('UPDATE refresh_tokens SET superseded_at = ? WHERE token_hash = ? AND superseded_at IS NULL', now, tokenHash);
  }

  /** The group key a sign-in of this user was given with `deviceKey` (NewDeviceMetadata), if one was. */
  issuedDeviceGroupKey(poolId: string, userSub: string, deviceKey: string): string | undefined {
    const row = this.one(
      'SELECT device_group_key FROM token_families WHERE pool_id = ? AND user_sub = ? AND device_key = ? AND device_group_key IS NOT NULL LIMIT 1',
      poolId,
      userSub,
      deviceKey,
    );
    return row ? str(row['device_group_key']) : undefined;
  }

  // ---------- devices ----------

  /** false when the device key is already confirmed (one statement: of parallel confirmations one wins). */
  insertDevice(device: DeviceRecord): boolean {
    return (
      this.run(
        `INSERT OR IGNORE INTO devices
           (pool_id, user_sub, device_key, group_key, name, salt, verifier, remembered, created_at, updated_at, last_authenticated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        device.poolId, device.userSub, device.deviceKey, device.groupKey, device.name, device.salt, device.verifier,
        device.remembered ? 1 : 0, device.createdAt, device.updatedAt, device.lastAuthenticatedAt,
      ) === 1
    );
  }

  getDevice(poolId: string, deviceKey: string): DeviceRecord | undefined {
    const row = this.one('SELECT * FROM devices WHERE pool_id = ? AND device_key = ?', poolId, deviceKey);
    return row && toDevice(row);
  }

  /** Oldest first; `after` is the last one of the previous page (keyset paging: forgetting one does not shift pages). */
  listDevices(poolId: string, userSub: string, limit: number, after?: { createdAt: number; deviceKey: string }): DeviceRecord[] {
    const rows = after
      ? this.all(
          `SELECT * FROM devices WHERE pool_id = ? AND user_sub = ? AND (created_at, device_key) > (?, ?)
           ORDER BY created_at, device_key LIMIT ?`,
          poolId, userSub, after.createdAt, after.deviceKey, limit,
        )
      : this.all('SELECT * FROM devices WHERE pool_id = ? AND user_sub = ? ORDER BY created_at, device_key LIMIT ?', poolId, userSub, limit);
    return rows.map(toDevice);
  }

  /** UpdateDeviceStatus in one statement; false when the user has no such device. */
  setDeviceRemembered(poolId: string, userSub: string, deviceKey: string, remembered: boolean, now: number): boolean {
    return (
      this.run(
        'UPDATE devices SET remembered = ?, updated_at = ? WHERE pool_id = ? AND user_sub = ? AND device_key = ?',
        remembered ? 1 : 0, now, poolId, userSub, deviceKey,
      ) === 1
    );
  }

  /** A sign-in proved the device. */
  touchDevice(poolId: string, deviceKey: string, now: number): void {
    this.run('UPDATE devices SET last_authenticated_at = ? WHERE pool_id = ? AND device_key = ?', now, poolId, deviceKey);
  }

  /** ForgetDevice; false when the user has no such device. */
  deleteDevice(poolId: string, userSub: string, deviceKey: string): boolean {
    return this.run('DELETE FROM devices WHERE pool_id = ? AND user_sub = ? AND device_key = ?', poolId, userSub, deviceKey) === 1;
  }

  /** The DEVICE_KEY a sign-in attempt presented (replacing an earlier one); rows of attempts a day old go. */
  setAttemptDevice(attemptId: string, deviceKey: string, now: number): void {
    this.run('DELETE FROM attempt_devices WHERE created_at < ?', now - 24 * 3600_000);
    this.run(
      `INSERT INTO attempt_devices (attempt_id, device_key, created_at) VALUES (?, ?, ?)
       ON CONFLICT (attempt_id) DO UPDATE SET device_key = excluded.device_key`,
      attemptId, deviceKey, now,
    );
  }

  getAttemptDevice(attemptId: string): string | undefined {
    const row = this.one('SELECT device_key FROM attempt_devices WHERE attempt_id = ?', attemptId);
    return row ? str(row['device_key']) : undefined;
  }

  clearAttemptDevice(attemptId: string): void {
    this.run('DELETE FROM attempt_devices WHERE attempt_id = ?', attemptId);
  }
}
