// The SQLite data file holds the pools' RSA private keys, app-client secrets and TOTP secrets: only its
// owner may read it, a damaged one is refused with a clear message at start, and two pools never
// share one (the second is refused).
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startLocalPool } from '../../src/local-pool/index.js';
import { createPoolAndClient, premadeSigningKeyPairs, sdkClient } from './support.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'authchart-datafile-'));
  file = join(dir, 'pool.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const start = () => startLocalPool({ dataFile: file, signingKeyPairs: premadeSigningKeyPairs });
const mode = (path: string) => statSync(path).mode & 0o777;
const posix = process.platform !== 'win32';

(posix ? it : it.skip)('is created readable and writable by its owner only (0600), its WAL too', async () => {
  const pool = await start();
  try {
    const sdk = sdkClient(pool.url);
    await createPoolAndClient(sdk); // a pool with signing keys, so the WAL has something in it
    sdk.destroy();
    expect(mode(file)).toBe(0o600);
    if (existsSync(`${file}-wal`)) expect(mode(`${file}-wal`)).toBe(0o600);
  } finally {
    await pool.close();
  }
});

(posix ? it : it.skip)('an existing file that others may read is narrowed to 0600', async () => {
  await (await start()).close();
  chmodSync(file, 0o644);
  const pool = await start();
  await pool.close();
  expect(mode(file)).toBe(0o600);
});

it('a second pool on the same file is refused with a clear message; the first keeps working', async () => {
  const first = await start();
  try {
    await expect(start()).rejects.toThrow(`${file} is in use by another local pool`);
    const sdk = sdkClient(first.url);
    expect((await sdk.send(new ListUserPoolsCommand({ MaxResults: 1 }))).UserPools).toEqual([]);
    sdk.destroy();
  } finally {
    await first.close();
  }
  // Once the first is closed, the file is free again.
  await (await start()).close();
});

it('another process cannot open the file while the pool runs (an operating-system lock)', async () => {
  const pool = await start();
  const probe = (): string =>
    execFileSync(process.execPath, [
      '-e',
      `const D = require('better-sqlite3'); try { new D(process.argv[1], { timeout: 100 }).pragma('user_version'); console.log('opened'); } catch (e) { console.log(e.code); }`,
      file,
    ], { cwd: process.cwd() }).toString().trim();
  try {
    expect(probe()).toBe('SQLITE_BUSY');
  } finally {
    await pool.close();
  }
  expect(probe()).toBe('opened');
});

it('a file that is not an SQLite database is refused with a clear message', async () => {
  writeFileSync(file, 'this is not a database, it is a shopping list\n'.repeat(200));
  await expect(start()).rejects.toThrow(`${file} is not a local pool data file (not an SQLite database)`);
});

it('a damaged data file is refused at start (integrity check), with what SQLite found', async () => {
  const pool = await start();
  const sdk = sdkClient(pool.url);
  for (let i = 0; i < 5; i++) await createPoolAndClient(sdk, { PoolName: `p${i}` });
  sdk.destroy();
  await pool.close();
  // Overwrite the start of page 3 (4096-byte pages): a b-tree page header.
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(200, 0xab), 0, 200, 4096 * 2);
  closeSync(fd);
  await expect(start()).rejects.toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(SQLite integrity check: .+\\)`));
});
