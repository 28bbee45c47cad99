// Seed documents: pools, app clients and users with fixed ids, applied idempotently.
// Rule: seeding only adds what is missing. An existing pool, client or user (same id / same
// name) is left exactly as it is, so a second run changes nothing and never undoes what
// happened since (a password changed through NEW_PASSWORD_REQUIRED stays changed).
import type { PoolContext } from '../context.js';
import { CognitoError } from '../api/errors.js';
import { applyMfaPreference, readPoolMfaSettings, withPoolMfaSettings, type MfaPreferenceInput } from './mfa.js';
import { randomUUID } from 'node:crypto';
import type { MfaType, PasswordCredentials, PoolRecord, UserRecord, UserStatus } from '../store/model.js';
import { createCredentialsSync, passwordPolicyViolation } from '../crypto/passwords.js';
import { readPoolConfig } from './config.js';
import { createClient, createPool, insertUser, planUser } from './provisioning.js';
import { allowedFirstFactors, checkPoolFeatures } from './sign-in-policy.js';
import { isBase32Secret } from '../crypto/totp.js';
import { findUser, readAttributeUpdates } from './users.js';
import { isPlainObject, type JsonObject } from '../api/validation.js';
import { seedHostedUi, type SeedHostedUi } from '../oauth/seed.js';
import { Validator } from '../api/validation.js';
import { readNewGroup } from './groups.js';
import { groupStoreOf } from './groups-store.js';
import { Quotas } from './quotas.js';

export interface SeedUser {
  /** A username, or an email / phone number in pools with UsernameAttributes. */
  username: string;
  /**
   * Permanent password; the user is CONFIRMED unless `status` says otherwise. Without it (and without
   * `temporaryPassword`) the user has no password and signs in with passwordless factors only, which
   * the pool's sign-in policy must allow.
   */
  password?: string;
  /** Shorthand for `password` + status FORCE_CHANGE_PASSWORD (NEW_PASSWORD_REQUIRED at sign-in). */
  temporaryPassword?: string;
  status?: UserStatus;
  /** Default true. */
  enabled?: boolean;
  attributes?: Record<string, string>;
  /** MFA factors turned on for the user (as SetUserMFAPreference would), and the preferred one. */
  mfa?: SeedUserMfa;
  /** Base32 TOTP secret of an authenticator the user already verified (SOFTWARE_TOKEN_MFA works with it). */
  totpSecret?: string;
  /** FRIENDLY_DEVICE_NAME of that authenticator; default "TOTP device". */
  totpDeviceName?: string;
  /** What this user exercises; shown by the CLI and the demo, not stored. */
  description?: string;
  /** Names of groups of the pool (its `groups`, or ones it already has) the user is added to. */
  groups?: string[];
}

/** A user pool group: CreateGroup's members, with its checks. */
export interface SeedGroup {
  /** GroupName: unique in the pool, case included. */
  name: string;
  description?: string;
  /** 0 or more; the lowest number is the first of `cognito:groups` and gives the preferred role. */
  precedence?: number;
  /** The IAM role of `cognito:roles` / `cognito:preferred_role`. */
  roleArn?: string;
}

export interface SeedUserMfa {
  /** Needs a phone_number attribute. */
  sms?: boolean;
  /** Needs totpSecret. */
  totp?: boolean;
  /** Needs an email attribute. */
  email?: boolean;
  preferred?: 'SMS' | 'TOTP' | 'EMAIL';
}

export interface SeedClient {
  /** Fixed app client id (letters, digits, _ and +; real ones are 26 lower-case alphanumerics). */
  id: string;
  name: string;
  /** Fixed client secret (24-64 of [\w+]); omit for a public client. */
  secret?: string;
  /** CreateUserPoolClient members (ExplicitAuthFlows, PreventUserExistenceErrors, AuthSessionValidity ...). */
  settings?: JsonObject;
}

export interface SeedPool extends SeedHostedUi {
  /** Fixed user pool id, `<region>_<name>`; the part after "_" is the SRP pool name. */
  id: string;
  name: string;
  /** CreateUserPool members (Policies, Schema, UsernameAttributes, AliasAttributes ...). */
  settings?: JsonObject;
  /**
   * SetUserPoolMfaConfig members (MfaConfiguration, SmsMfaConfiguration, SoftwareTokenMfaConfiguration,
   * EmailMfaConfiguration), applied when the pool is created.
   */
  mfa?: JsonObject;
  clients?: SeedClient[];
  /** Created when the pool has no group of the name (an existing one is left as it is). */
  groups?: SeedGroup[];
  users?: SeedUser[];
}

export interface SeedDocument {
  pools: SeedPool[];
  /**
   * The directory of the Lambda functions the pools' LambdaConfig names, relative to the seed file:
   * `authchart pool --seed` uses it unless --functions says otherwise (startLocalPool takes its own
   * `functions` option and does not read this).
   */
  functions?: string;
}

export interface SeedOutcome {
  pools: string[];
  clients: string[];
  /** `<poolId>/<username>` */
  users: string[];
  /** `<poolId>/<group name>` */
  groups: string[];
}

export interface SeedResult {
  created: SeedOutcome;
  existing: SeedOutcome;
}

const STATUSES: readonly UserStatus[] = ['CONFIRMED', 'UNCONFIRMED', 'FORCE_CHANGE_PASSWORD', 'RESET_REQUIRED'];

class SeedError extends Error {
  constructor(where: string, message: string) {
    super(`seed: ${where}: ${message}`);
    this.name = 'SeedError';
  }
}

function expectString(value: unknown, where: string, field: string): string {
  if (typeof value !== 'string' || value === '') throw new SeedError(where, `"${field}" must be a non-empty string`);
  return value;
}

/** Password (null: none) and status of a seed user. */
function userCredentials(user: SeedUser, pool: PoolRecord, where: string): { password: string | null; status: UserStatus } {
  if (user.password !== undefined && user.temporaryPassword !== undefined) {
    throw new SeedError(where, 'give either "password" or "temporaryPassword", not both');
  }
  const password = user.temporaryPassword ?? user.password ?? null;
  if (password !== null && (typeof password !== 'string' || password === '')) throw new SeedError(where, '"password" must be a non-empty string');
  const status = user.temporaryPassword !== undefined ? 'FORCE_CHANGE_PASSWORD' : (user.status ?? 'CONFIRMED');
  if (!STATUSES.includes(status)) throw new SeedError(where, `"status" must be one of ${STATUSES.join(', ')}`);
  if (password === null) {
    if (!allowedFirstFactors(pool.config).some((factor) => factor !== 'PASSWORD')) {
      throw new SeedError(where, '"password" or "temporaryPassword" is required (the pool allows no passwordless sign-in factor)');
    }
    if (status !== 'CONFIRMED' && status !== 'UNCONFIRMED') throw new SeedError(where, `a user without a password cannot be ${status}`);
  }
  return { password, status };
}

/** The pool of a seed entry, created with its MFA settings when missing; then its missing app clients. */
function seedPoolAndClients(ctx: PoolContext, seed: SeedPool, where: string, result: SeedResult, undo?: Array<() => void>): PoolRecord {
  const id = expectString(seed.id, where, 'id');
  const name = expectString(seed.name, where, 'name');
  let pool = ctx.store.getPool(id);
  if (pool) {
    result.existing.pools.push(id);
  } else {
    pool = createPool(ctx, { id, name, settings: seed.settings ?? {} });
    if (seed.mfa !== undefined) {
      if (!isPlainObject(seed.mfa)) throw new SeedError(where, '"mfa" must be an object of SetUserPoolMfaConfig members');
      pool = { ...pool, config: withPoolMfaSettings(pool.config, readPoolMfaSettings(seed.mfa, pool.config.MfaConfiguration)) };
      checkPoolFeatures(pool.config);
      ctx.store.updatePool(pool);
    }
    result.created.pools.push(id);
  }
  const created = pool;
  // Before the clients: their SupportedIdentityProviders must exist.
  seedHostedUi(ctx, created, seed, where, undo);
  (seed.clients ?? []).forEach((client, index) => {
    const at = `${where}.clients[${index}]`;
    const clientId = expectString(client.id, at, 'id');
    const existing = ctx.store.getClient(clientId);
    if (existing) {
      if (existing.poolId !== created.id) throw new SeedError(at, `client ${clientId} already belongs to pool ${existing.poolId}`);
      result.existing.clients.push(clientId);
      return;
    }
    const secret = client.secret === undefined ? null : expectString(client.secret, at, 'secret');
    createClient(ctx, { pool: created, id: clientId, name: expectString(client.name, at, 'name'), secret, settings: client.settings ?? {} });
    result.created.clients.push(clientId);
  });
  seedGroups(ctx, created, seed, where, result);
  return pool;
}

/** The pool's missing groups, checked as CreateGroup checks them. */
function seedGroups(ctx: PoolContext, pool: PoolRecord, seed: SeedPool, where: string, result: SeedResult): void {
  if (seed.groups === undefined) return;
  if (!Array.isArray(seed.groups)) throw new SeedError(where, '"groups" must be a list');
  seed.groups.forEach((group, index) => {
    const at = `${where}.groups[${index}]`;
    if (!isPlainObject(group)) throw new SeedError(at, 'a group must be an object with a "name"');
    const v = new Validator({ GroupName: group.name, Description: group.description, Precedence: group.precedence, RoleArn: group.roleArn });
    const record = readNewGroup(v, pool.id, ctx.clock.now());
    v.done();
    const inserted = groupStoreOf(ctx.store).insert(record);
    (inserted ? result.created : result.existing).groups.push(`${pool.id}/${record.name}`);
  });
  // Counted once, after the inserts (all in the seed's transaction): a check per group would cost a count each.
  if (groupStoreOf(ctx.store).count(pool.id) > Quotas.groupsPerPool) throw new SeedError(where, `a user pool can have at most ${Quotas.groupsPerPool} groups`);
}

/** The names of a seed user's `groups`, each a group of the pool or of its seed entry. */
function seedUserGroups(user: SeedUser, known: (name: string) => boolean, where: string): string[] {
  if (user.groups === undefined) return [];
  if (!Array.isArray(user.groups) || !user.groups.every((name) => typeof name === 'string')) {
    throw new SeedError(where, '"groups" must be a list of group names');
  }
  const unknown = user.groups.find((name) => !known(name));
  if (unknown !== undefined) throw new SeedError(where, `group "${unknown}" is neither in the pool nor in its "groups"`);
  if (new Set(user.groups).size > Quotas.groupsPerUser) throw new SeedError(where, `a user can be a member of at most ${Quotas.groupsPerUser} groups`);
  return user.groups;
}

const seedGroupNames = (seed: SeedPool): Set<string> =>
  new Set(Array.isArray(seed.groups) ? seed.groups.map((group) => (isPlainObject(group) ? group.name : undefined)).filter((name) => typeof name === 'string') : []);

/** A verifier made ahead of time (off the main thread) for the user's canonical name. */
interface PreparedCredentials {
  sub: string;
  username: string;
  credentials: PasswordCredentials;
}

/** Adds the user unless the name is taken; the sub of what it added, else undefined. */
function seedUser(
  ctx: PoolContext,
  pool: PoolRecord,
  user: SeedUser,
  at: string,
  result: SeedResult,
  prepared?: PreparedCredentials,
): string | undefined {
  const username = expectString(user.username, at, 'username');
  const key = `${pool.id}/${username}`;
  if (findUser(ctx.store, pool, username)) {
    result.existing.users.push(key);
    return undefined;
  }
  const { password, status } = checkedCredentials(user, pool, `${at} (${username})`);
  const attributes = Object.entries(user.attributes ?? {}).map(([Name, Value]) => ({ Name, Value: String(Value) }));
  const planned = planUser(ctx, pool, username, attributes, prepared?.sub);
  const credentials =
    password === null
      ? null
      : prepared?.username === planned.username
        ? prepared.credentials
        : createCredentialsSync(ctx.srp, pool.id, planned.username, password);
  const inserted = insertUser(ctx, planned, { status, enabled: user.enabled ?? true, credentials });
  seedUserMfa(ctx, pool, inserted, user, `${at} (${username})`);
  // seedGroups has run: the pool has every group its entry declares.
  const groups = groupStoreOf(ctx.store);
  for (const name of seedUserGroups(user, (group) => groups.get(pool.id, group) !== undefined, `${at} (${username})`)) {
    groups.addMember(pool.id, name, inserted.sub, ctx.clock.now());
  }
  result.created.users.push(key);
  return inserted.sub;
}

/** Password and status, with the password checked against the pool's policy. */
function checkedCredentials(user: SeedUser, pool: PoolRecord, where: string): { password: string | null; status: UserStatus } {
  const checked = userCredentials(user, pool, where);
  if (checked.password === null) return checked;
  const violation = passwordPolicyViolation(checked.password, pool.config.Policies.PasswordPolicy);
  if (violation) throw new SeedError(where, `password does not meet the pool's policy: ${violation}`);
  return checked;
}

const PREFERRED: Record<string, MfaType> = { SMS: 'SMS_MFA', TOTP: 'SOFTWARE_TOKEN_MFA', EMAIL: 'EMAIL_OTP' };

/** `totpSecret` (a verified authenticator) and `mfa` (factors on, preferred), with SetUserMFAPreference's checks. */
function seedUserMfa(ctx: PoolContext, pool: PoolRecord, user: UserRecord, seed: SeedUser, where: string): void {
  if (seed.totpSecret === undefined && seed.mfa === undefined) return;
  let mfa = user.mfa;
  if (seed.totpSecret !== undefined) {
    if (typeof seed.totpSecret !== 'string' || !isBase32Secret(seed.totpSecret)) {
      throw new SeedError(where, '"totpSecret" must be a base32 secret of at least 16 characters');
    }
    const secret = seed.totpSecret.replace(/[\s=]/g, '').toUpperCase();
    mfa = { ...mfa, totp: { secret, deviceName: seed.totpDeviceName ?? null, lastStep: null } };
  }
  if (seed.mfa !== undefined) {
    const { sms, totp, email, preferred, ...unknown } = seed.mfa;
    if (!isPlainObject(seed.mfa) || Object.keys(unknown).length > 0) {
      throw new SeedError(where, '"mfa" takes only sms, totp, email (booleans) and preferred');
    }
    if (preferred !== undefined && !Object.hasOwn(PREFERRED, preferred)) throw new SeedError(where, '"mfa.preferred" must be SMS, TOTP or EMAIL');
    if (totp && seed.totpSecret === undefined) throw new SeedError(where, '"mfa.totp" needs "totpSecret"');
    const input: MfaPreferenceInput = {};
    const flags: Array<[boolean | undefined, MfaType]> = [[sms, 'SMS_MFA'], [totp, 'SOFTWARE_TOKEN_MFA'], [email, 'EMAIL_OTP']];
    for (const [on, type] of flags) if (on !== undefined) input[type] = { Enabled: on };
    if (preferred !== undefined) input[PREFERRED[preferred]!] = { ...input[PREFERRED[preferred]!], PreferredMfa: true };
    try {
      mfa = applyMfaPreference(pool, { ...user, mfa }, input);
    } catch (error) {
      throw error instanceof CognitoError ? new SeedError(where, `${error.type}: ${error.message}`) : error;
    }
  }
  ctx.store.saveUser({ ...user, mfa });
}

const emptyResult = (): SeedResult => {
  const empty = (): SeedOutcome => ({ pools: [], clients: [], users: [], groups: [] });
  return { created: empty(), existing: empty() };
};

function checkDocument(doc: SeedDocument): void {
  if (!isPlainObject(doc) || !Array.isArray(doc.pools)) throw new SeedError('document', '"pools" must be a list');
}

/** Runs `work` for the seed pool at `index`, naming it in the errors. */
function inPool<T>(index: number, work: (where: string) => T): T {
  const where = `pools[${index}]`;
  try {
    return work(where);
  } catch (error) {
    throw error instanceof CognitoError ? new SeedError(where, `${error.type}: ${error.message}`) : error;
  }
}

/**
 * Applies a seed document in one transaction: on any error nothing of it is kept. Verifiers are
 * computed on the calling thread; for many users, applySeedInChunks.
 */
export function applySeed(ctx: PoolContext, doc: SeedDocument): SeedResult {
  checkDocument(doc);
  const result = emptyResult();
  ctx.store.transaction(() =>
    doc.pools.forEach((seed, index) =>
      inPool(index, (where) => {
        const pool = seedPoolAndClients(ctx, seed, where, result);
        (seed.users ?? []).forEach((user, i) => seedUser(ctx, pool, user, `${where}.users[${i}]`, result));
      }),
    ),
  );
  return result;
}

export interface SeedProgress {
  /** "verifiers": computing what is kept of the passwords (worker threads); "users": writing them. */
  stage: 'verifiers' | 'users';
  done: number;
  total: number;
}

export interface ChunkedSeedOptions {
  /** Users written per transaction; between two, the pool answers requests. Default 250 (a few ms each). */
  chunkSize?: number;
  onProgress?: (progress: SeedProgress) => void;
}

/** Users whose verifiers are made in one go: the next slice's are made while this one is written. */
const VERIFIER_SLICE = 4096;
/** Users checked between two turns of the event loop. */
const CHECK_SLICE = 2000;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A seed user in document order: pool index, user index. */
interface SeedItem {
  p: number;
  u: number;
  user: SeedUser;
}

/** A user that needs a verifier: the canonical name it is made for (the sub chosen ahead where that is the name). */
interface VerifierWanted {
  sub: string;
  username: string;
  password: string;
  poolId: string;
}

/**
 * applySeed for large documents, while the pool keeps serving. First every user is checked (name,
 * password against the policy, attributes) a slice per turn of the event loop, before anything is
 * written. Then the pools and clients are written in one transaction, and the users slice by slice:
 * the worker threads make the next slice's verifiers while this one is written in chunks of
 * `chunkSize`, each its own transaction, with the event loop free in between. A user whose name was
 * taken meanwhile counts as existing. On an error, what this seed had added is removed again, so
 * nothing of it is kept (others may have seen it meanwhile).
 */
export async function applySeedInChunks(ctx: PoolContext, doc: SeedDocument, options: ChunkedSeedOptions = {}): Promise<SeedResult> {
  checkDocument(doc);
  const chunkSize = Math.max(1, options.chunkSize ?? 250);
  const report = options.onProgress ?? (() => undefined);
  const items: SeedItem[] = doc.pools.flatMap((seed, p) => (seed.users ?? []).map((user, u) => ({ p, u, user })));
  const wanted = await checkUsers(ctx, doc, items);
  const verifierTotal = wanted.filter((w) => w !== undefined).length;
  let verifiersDone = 0;
  const deriveSlice = async (start: number): Promise<Array<PreparedCredentials | undefined>> => {
    const slice = wanted.slice(start, start + VERIFIER_SLICE);
    const requests = slice.filter((w): w is VerifierWanted => w !== undefined);
    const verifiers = await ctx.srp.deriveVerifiers(requests, verifierTotal);
    let next = 0;
    const prepared = slice.map((w) => {
      if (!w) return undefined;
      const { salt, verifier } = verifiers[next++]!;
      return { sub: w.sub, username: w.username, credentials: { srpSalt: salt, srpVerifier: verifier } };
    });
    verifiersDone += requests.length;
    report({ stage: 'verifiers', done: verifiersDone, total: verifierTotal });
    return prepared;
  };

  const result = emptyResult();
  const added: Array<{ poolId: string; sub: string }> = [];
  // What seedHostedUi added to pools that were there already (a created pool takes its own along when deleted).
  const undoHostedUi: Array<() => void> = [];
  let coming: Promise<Array<PreparedCredentials | undefined>> | undefined;
  try {
    const pools = ctx.store.transaction(() => doc.pools.map((seed, index) => inPool(index, (where) => seedPoolAndClients(ctx, seed, where, result, undoHostedUi))));
    // New pools' signing keys are made now (thread pool), not by their first sign-in.
    for (const id of result.created.pools) void ctx.tokens.jwks(id).catch(() => undefined);
    coming = deriveSlice(0);
    for (let sliceStart = 0; sliceStart < items.length; sliceStart += VERIFIER_SLICE) {
      const prepared = (await coming) ?? [];
      coming = sliceStart + VERIFIER_SLICE < items.length ? deriveSlice(sliceStart + VERIFIER_SLICE) : undefined;
      const sliceEnd = Math.min(sliceStart + VERIFIER_SLICE, items.length);
      for (let start = sliceStart; start < sliceEnd; start += chunkSize) {
        ctx.store.transaction(() => {
          for (let i = start; i < Math.min(start + chunkSize, sliceEnd); i++) {
            const { p, u, user } = items[i]!;
            const pool = pools[p]!;
            const sub = inPool(p, (where) => seedUser(ctx, pool, user, `${where}.users[${u}]`, result, prepared[i - sliceStart]));
            if (sub) added.push({ poolId: pool.id, sub });
          }
        });
        report({ stage: 'users', done: Math.min(start + chunkSize, sliceEnd), total: items.length });
        await nextTurn();
      }
    }
  } catch (error) {
    await coming?.catch(() => undefined);
    removeSeeded(ctx, result, added, undoHostedUi);
    throw error;
  }
  return result;
}

/**
 * The cheap checks of every user, before any work; for each user (document order) what its verifier
 * is made from, or undefined when it needs none (there already, no password). A user whose name
 * resolves later to another canonical name gets its verifier made again when it is written.
 */
async function checkUsers(ctx: PoolContext, doc: SeedDocument, items: readonly SeedItem[]): Promise<Array<VerifierWanted | undefined>> {
  const pools = doc.pools.map((seed, p) =>
    inPool(p, (where) => {
      const stored = ctx.store.getPool(expectString(seed.id, where, 'id'));
      return { pool: stored ?? provisionalPool(seed, where), stored: stored !== undefined };
    }),
  );
  const wanted: Array<VerifierWanted | undefined> = [];
  for (let start = 0; start < items.length; start += CHECK_SLICE) {
    for (const { p, u, user } of items.slice(start, start + CHECK_SLICE)) {
      wanted.push(
        inPool(p, (where) => {
          const { pool, stored } = pools[p]!;
          const at = `${where}.users[${u}]`;
          const username = expectString(user.username, at, 'username');
          // A pool the seed creates has no users yet.
          if (stored && findUser(ctx.store, pool, username)) return undefined;
          const { password } = checkedCredentials(user, pool, `${at} (${username})`);
          const declared = seedGroupNames(doc.pools[p]!);
          seedUserGroups(user, (group) => declared.has(group) || (stored && groupStoreOf(ctx.store).get(pool.id, group) !== undefined), `${at} (${username})`);
          readAttributeUpdates(pool, Object.entries(user.attributes ?? {}).map(([Name, Value]) => ({ Name, Value: String(Value) })));
          if (password === null) return undefined;
          const sub = randomUUID();
          // As newUserIdentity decides: with UsernameAttributes the canonical name is the sub.
          const canonical = pool.config.UsernameAttributes.length > 0 ? sub : username;
          return { sub, username: canonical, password, poolId: pool.id };
        }),
      );
    }
    await nextTurn();
  }
  return wanted;
}

/** The record a seed pool will get, to check its users before anything is written. */
function provisionalPool(seed: SeedPool, where: string): PoolRecord {
  return { id: seed.id, name: expectString(seed.name, where, 'name'), config: readPoolConfig(seed.settings ?? {}), createdAt: 0, updatedAt: 0 };
}

/** Undoes a chunked seed that failed part way: its users and groups, its clients, what seedHostedUi added, its pools. */
function removeSeeded(ctx: PoolContext, result: SeedResult, added: ReadonlyArray<{ poolId: string; sub: string }>, undoHostedUi: ReadonlyArray<() => void>): void {
  const groups = groupStoreOf(ctx.store);
  ctx.store.transaction(() => {
    for (const { poolId, sub } of added) ctx.store.deleteUser(poolId, sub);
    for (const key of result.created.groups) {
      const slash = key.indexOf('/');
      groups.delete(key.slice(0, slash), key.slice(slash + 1));
    }
    for (const id of result.created.clients) ctx.store.deleteClient(id);
    for (const step of [...undoHostedUi].reverse()) step();
    for (const id of result.created.pools) ctx.store.deletePool(id);
  });
}
