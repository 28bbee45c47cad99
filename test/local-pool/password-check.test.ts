// Plain passwords are checked against the SRP verifier (no separate hash): the arithmetic that makes
// verifiers (main thread and worker threads alike), the check itself, what happens when the user
// changes while a check runs, and data files from before the scrypt hash was dropped.
import * as nodeCrypto from 'node:crypto';
import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSrpRoutines, N, N_HEX, bigIntEngine, hexToBigInt } from '../../src/cognito/srp.js';
import { startLocalPool } from '../../src/local-pool/index.js';
import type { PoolContext } from '../../src/local-pool/context.js';
import { CryptoWorkers, type VerifierInput } from '../../src/local-pool/crypto/crypto-workers.js';
import { createCredentials, verifyPassword } from '../../src/local-pool/crypto/passwords.js';
import { createSrpKernel } from '../../src/local-pool/crypto/srp-kernel.js';
import { SrpServer } from '../../src/local-pool/crypto/srp-server.js';
import { passwordMatches, settlePasswordCheck } from '../../src/local-pool/flows/sign-in.js';
import { insertUser, planUser } from '../../src/local-pool/pools/provisioning.js';
import { findUser } from '../../src/local-pool/pools/users.js';
import { migrations } from '../../src/local-pool/store/migrations.js';
import { Store } from '../../src/local-pool/store/store.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../../src/local-pool/store/model.js';
import { STRONG_PASSWORD, createPoolAndClient, createUser, failure, inProcessPool, passwordSignIn, premadeSigningKeyPairs, sdkClient, srpSignIn } from './support.js';

const kernel = createSrpKernel(nodeCrypto, N_HEX);
const random = (bytes: number) => hexToBigInt(randomBytes(bytes).toString('hex'));

describe('the SRP kernel', () => {
  it('g^e through the fixed-base table equals plain exponentiation, for every size of exponent', () => {
    const exponents = [1n, 2n, 255n, 256n, 2n ** 255n, 2n ** 256n - 1n, random(1), random(16), random(31), random(32), random(32), random(128)];
    for (const e of exponents) expect(kernel.powG(e)).toBe(bigIntEngine.powG(e));
    expect(kernel.powG(0n)).toBe(1n);
  });

  it('base^e through OpenSSL equals plain exponentiation, degenerate bases included', () => {
    for (const base of [random(384) % N, 0n, 1n, N - 1n]) {
      const e = random(32);
      expect(kernel.modPow(base, e)).toBe(bigIntEngine.modPow(base, e));
    }
  });

  it("the verifier is g^x for the x Cognito's clients compute", async () => {
    const routines = new CognitoSrpRoutines(bigIntEngine);
    for (const salt of ['00' + randomBytes(15).toString('hex'), randomBytes(16).toString('hex'), 'ff' + randomBytes(15).toString('hex')]) {
      const x = await routines.computeX('Pool' + 'bob', hexToBigInt(salt), 'pässwörd 1');
      expect(kernel.verifier('Poolbob', 'pässwörd 1', salt)).toBe(bigIntEngine.powG(x).toString(16));
    }
  });

  it('worker threads compute the same verifiers as the main thread, in order', async () => {
    const workers = new CryptoWorkers(2);
    try {
      const inputs: VerifierInput[] = Array.from({ length: 40 }, (_, i) => [`Pooluser${i}`, `Pw-${i}!`, randomBytes(16).toString('hex')]);
      const [first, second] = await Promise.all([workers.verifiers(inputs.slice(0, 20)), workers.verifiers(inputs.slice(20))]);
      expect([...first!, ...second!]).toEqual(inputs.map(([identity, password, salt]) => kernel.verifier(identity, password, salt)));
    } finally {
      await workers.close();
    }
    await expect(workers.verifiers([['Pool', 'x', '00']])).rejects.toThrow('closed');
  });

  // That releaseWide() frees the table is not observable from here; only that the answers stay right.
  it("a large seed's wide table (11-bit digits) gives the verifiers the 8-bit one does, here and in a worker thread", async () => {
    const inputs: VerifierInput[] = Array.from({ length: 12 }, (_, i) => [`Poolwide${i}`, `Pw-${i}!`, randomBytes(16).toString('hex')]);
    const expected = inputs.map(([identity, password, salt]) => kernel.verifier(identity, password, salt));
    const local = createSrpKernel(nodeCrypto, N_HEX);
    expect(local.verifiers(inputs, true)).toEqual(expected);
    local.releaseWide();
    expect(local.verifiers(inputs, false)).toEqual(expected);
    const workers = new CryptoWorkers(1);
    try {
      expect(await workers.verifiers(inputs, true)).toEqual(expected);
      expect(await workers.verifiers(inputs.slice(0, 2), false)).toEqual(expected.slice(0, 2));
    } finally {
      await workers.close();
    }
  });
});

describe('checking a plain password against the verifier', () => {
  const workers = new CryptoWorkers(1);
  const srp = new SrpServer(workers);
  afterAll(() => workers.close());

  it('is true for the password the verifier was made from, false for any other', async () => {
    const credentials = await createCredentials(srp, 'us-east-1_Pool', 'carol', 'Right-pass1');
    expect(Object.keys(credentials).sort()).toEqual(['srpSalt', 'srpVerifier']);
    expect(await verifyPassword(srp, 'us-east-1_Pool', 'carol', 'Right-pass1', credentials)).toBe(true);
    expect(await verifyPassword(srp, 'us-east-1_Pool', 'carol', 'Right-pass2', credentials)).toBe(false);
    expect(await verifyPassword(srp, 'us-east-1_Pool', 'Carol', 'Right-pass1', credentials)).toBe(false);
    expect(await verifyPassword(srp, 'us-east-1_Other', 'carol', 'Right-pass1', credentials)).toBe(false);
  });

  it('a name without credentials is checked against a decoy: never true', async () => {
    expect(await verifyPassword(srp, 'us-east-1_Pool', 'nobody', 'Right-pass1', null)).toBe(false);
  });

  it('the same verifier made on the main thread and in a worker thread checks the same', async () => {
    const here = new SrpServer().createVerifier('us-east-1_Pool', 'dave', 'Pw-dave-1');
    const stored = { srpSalt: here.salt, srpVerifier: here.verifier };
    expect(await verifyPassword(srp, 'us-east-1_Pool', 'dave', 'Pw-dave-1', stored)).toBe(true);
    expect(await verifyPassword(new SrpServer(), 'us-east-1_Pool', 'dave', 'Pw-dave-1', stored)).toBe(true);
  });
});

/**
 * The settle step of a sign-in, driven directly: a check now takes well under a millisecond, too
 * short to land another request inside it over HTTP. `checked` is the copy read before the check.
 */
describe('the user changes while its password is checked', () => {
  let ctx: PoolContext;
  let pool: PoolRecord;
  let client: ClientRecord;
  beforeEach(() => {
    ({ ctx, pool, client } = inProcessPool());
  });
  afterEach(() => ctx.store.close());

  async function userWithCheckedPassword(name: string): Promise<{ checked: UserRecord; proven: boolean }> {
    const planned = planUser(ctx, pool, name, []);
    insertUser(ctx, planned, { status: 'CONFIRMED', enabled: true, credentials: await createCredentials(ctx.srp, pool.id, planned.username, STRONG_PASSWORD) });
    const checked = findUser(ctx.store, pool, name)!;
    return { checked, proven: await passwordMatches(ctx, pool, checked, STRONG_PASSWORD) };
  }

  it('disabled meanwhile: the right password gets "User is disabled." and no sign-in', async () => {
    const { checked, proven } = await userWithCheckedPassword('dan');
    expect(proven).toBe(true);
    ctx.store.updateUser(pool.id, checked.sub, (current) => ({ ...current, enabled: false }));
    expect(() => settlePasswordCheck(ctx, pool, client, checked, proven)).toThrow('User is disabled.');
  });

  it('given a new password meanwhile: the old one is refused and counts as a failure', async () => {
    const { checked, proven } = await userWithCheckedPassword('eve');
    const replaced = await createCredentials(ctx.srp, pool.id, 'eve', 'An0ther!password');
    ctx.store.updateUser(pool.id, checked.sub, (current) => ({ ...current, credentials: replaced }));
    expect(() => settlePasswordCheck(ctx, pool, client, checked, proven)).toThrow('Incorrect username or password.');
    expect(ctx.store.getUserBySub(pool.id, checked.sub)!.lockout.failedAttempts).toBe(1);
  });

  it('unchanged: the sign-in goes on and clears earlier failures', async () => {
    const { checked, proven } = await userWithCheckedPassword('fay');
    ctx.store.updateUser(pool.id, checked.sub, (current) => ({ ...current, lockout: { failedAttempts: 2, lastFailureAt: ctx.clock.now(), lockedUntil: null } }));
    expect(settlePasswordCheck(ctx, pool, client, checked, proven).lockout.failedAttempts).toBe(0);
  });
});

describe('a data file from before the verifier checked plain passwords (migration 5)', () => {
  it('keeps its users: the scrypt hash column goes, both sign-in flows work with the stored verifier', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authchart-pw-'));
    const dataFile = join(dir, 'pool.sqlite');
    const options = { dataFile, signingKeyPairs: premadeSigningKeyPairs };
    try {
      let pool = await startLocalPool(options);
      let sdk = sdkClient(pool.url);
      const setup = await createPoolAndClient(sdk);
      await createUser(sdk, setup.poolId, 'olga', STRONG_PASSWORD);
      sdk.destroy();
      await pool.close();

      // The users table as before migration 5 (a scrypt hash next to the verifier, no look-up
      // indexes), then migration 5 itself; later migrations are not about users' passwords.
      const db = new Database(dataFile);
      const salt = randomBytes(16);
      const hash = scryptSync(STRONG_PASSWORD, salt, 32, { N: 16384, r: 8, p: 1 });
      db.exec(`DROP INDEX users_by_email; DROP INDEX users_by_phone_number; DROP INDEX users_by_preferred_username;
               DROP INDEX users_by_creation; DROP INDEX auth_sessions_by_user; ALTER TABLE users ADD COLUMN password_hash TEXT;`);
      db.prepare('UPDATE users SET password_hash = ?').run(`scrypt$16384$8$1$${salt.toString('base64')}$${hash.toString('base64')}`);
      expect(String(migrations[4])).toContain('DROP COLUMN password_hash');
      db.transaction(() => migrations[4]!(db))();
      db.close();

      pool = await startLocalPool(options);
      sdk = sdkClient(pool.url);
      try {
        expect((await passwordSignIn(sdk, setup, 'olga', STRONG_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
        expect((await failure(passwordSignIn(sdk, setup, 'olga', 'Wr0ng!password'))).message).toBe('Incorrect username or password.');
        expect((await srpSignIn(sdk, setup, 'olga', STRONG_PASSWORD, new Date())).AuthenticationResult?.AccessToken).toBeDefined();
        expect((await sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: 'olga' }))).UserStatus).toBe('CONFIRMED');
      } finally {
        sdk.destroy();
        await pool.close();
      }
      const migrated = new Database(dataFile, { readonly: true });
      const columns = (migrated.prepare('PRAGMA table_info(users)').all() as Array<{ name: string }>).map((c) => c.name);
      migrated.close();
      expect(columns).toContain('srp_verifier');
      expect(columns).not.toContain('password_hash');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('indexes', () => {
  it('the look-ups of users by a sign-in attribute use an index', () => {
    const store = new Store(':memory:');
    try {
      for (const attribute of ['email', 'phone_number', 'preferred_username']) store.findUsersByAttribute('us-east-1_p', attribute, 'x');
      // The statements the store prepared for them, explained by SQLite.
      const internals = store as unknown as { db: Database.Database; statements: Map<string, unknown> };
      const lookUps = [...internals.statements.keys()].filter((sql) => sql.includes('json_extract(attributes'));
      expect(lookUps).toHaveLength(3);
      for (const sql of lookUps) {
        const plan = internals.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('p', 'v') as Array<{ detail: string }>;
        expect(plan.map((row) => row.detail).join('; ')).toMatch(/USING INDEX users_by_(email|phone_number|preferred_username)/);
      }
    } finally {
      store.close();
    }
  });
});
