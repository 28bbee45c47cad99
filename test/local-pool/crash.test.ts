// kill -9 during a write burst: the pool runs as its own process (`authchart pool`, the built CLI),
// several clients write to it at once (SignUp, AdminCreateUser, AdminUpdateUserAttributes,
// ChangePassword, AdminDeleteUser), and the process is SIGKILLed while writes are in flight. Started
// again on the same file, it must have every write it acknowledged (an answer 2xx), and the file must
// pass SQLite's integrity check. A write in flight at the kill may or may not have happened; nothing
// else is uncertain.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  ChangePasswordCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { createPoolAndClient, createUser, failure, passwordSignIn, sdkClient, STRONG_PASSWORD, type Setup } from './support.js';

const CLI = resolve(__dirname, '../../dist/cli/authchart.js');
const WRITERS = 6;
/** The kill comes once this many writes of the burst were acknowledged. */
const KILL_AFTER_ACKS = 120;

let dir: string;
let dataFile: string;
const children = new Set<ChildProcess>();
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli/authchart.js is missing: run `npm run build` (npm test does it first)');
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'authchart-crash-'));
  dataFile = join(dir, 'pool.sqlite');
});
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  rmSync(dir, { recursive: true, force: true });
});

interface PoolProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | number | null>;
}

/** `authchart pool` on the data file, once it says it is ready. */
async function startPoolProcess(): Promise<PoolProcess> {
  const child = spawn(process.execPath, [CLI, 'pool', '--port', '0', '--data', dataFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((done) => child.on('exit', (code, signal) => done(signal ?? code)));
  const deadline = Date.now() + 20_000;
  while (!/\[pool\] ready/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the pool did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const url = /endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
  return { child, url, exited };
}

async function kill(pool: PoolProcess): Promise<void> {
  pool.child.kill('SIGKILL');
  expect(await pool.exited).toBe('SIGKILL');
  children.delete(pool.child);
}

/** What the pool acknowledged, and the one write per writer that was in flight at the kill. */
interface Ledger {
  signedUp: string[];
  created: string[];
  deleted: string[];
  /** Per writer: the last acknowledged `name` attribute value, and the one in flight. */
  names: Array<{ acked?: string; inFlight?: string }>;
  /** Per writer: the last acknowledged password, and the one in flight. */
  passwords: Array<{ acked: string; inFlight?: string }>;
  /** Users whose deletion was in flight: they may or may not be there. */
  maybeDeleted: Set<string>;
  inFlightAtKill: number;
}

interface Writer {
  username: string;
  accessToken: string;
}

/** Each writer's own user (for the attribute and password changes), signed in. */
async function prepareWriters(sdk: CognitoIdentityProviderClient, setup: Setup, cycle: string): Promise<Writer[]> {
  const writers: Writer[] = [];
  for (let i = 0; i < WRITERS; i++) {
    const username = `writer-${cycle}-${i}`;
    await createUser(sdk, setup.poolId, username, STRONG_PASSWORD);
    const tokens = (await passwordSignIn(sdk, setup, username, STRONG_PASSWORD)).AuthenticationResult!;
    writers.push({ username, accessToken: tokens.AccessToken! });
  }
  return writers;
}

/**
 * WRITERS clients write in a loop (each with its own connections), each waiting for its answer
 * before the next write; once KILL_AFTER_ACKS writes were acknowledged, the pool is SIGKILLed.
 */
async function burstUntilKilled(pool: PoolProcess, setup: Setup, writers: Writer[], cycle: string): Promise<Ledger> {
  const ledger: Ledger = {
    signedUp: [],
    created: [],
    deleted: [],
    names: writers.map(() => ({})),
    passwords: writers.map(() => ({ acked: STRONG_PASSWORD })),
    maybeDeleted: new Set(),
    inFlightAtKill: 0,
  };
  let acks = 0;
  let inFlight = 0;
  let killed: Promise<void> | undefined;
  const unexpected: string[] = [];

  const write = async (i: number): Promise<void> => {
    const sdk = sdkClient(pool.url);
    const writer = writers[i]!;
    const mine: string[] = [];
    try {
      for (let step = 0; killed === undefined; step++) {
        const tag = `${cycle}-${i}-${step}`;
        let send: () => Promise<unknown>;
        let acknowledged: () => void;
        let lost = () => {};
        switch (step % 5) {
          case 0:
            send = () => sdk.send(new SignUpCommand({ ClientId: setup.clientId, Username: `signup-${tag}`, Password: STRONG_PASSWORD }));
            acknowledged = () => ledger.signedUp.push(`signup-${tag}`);
            break;
          case 1:
            send = () =>
              sdk.send(
                new AdminCreateUserCommand({
                  UserPoolId: setup.poolId,
                  Username: `admin-${tag}`,
                  TemporaryPassword: STRONG_PASSWORD,
                  MessageAction: 'SUPPRESS',
                  UserAttributes: [{ Name: 'email', Value: `admin-${tag}@example.com` }],
                }),
              );
            acknowledged = () => {
              ledger.created.push(`admin-${tag}`);
              mine.push(`admin-${tag}`);
            };
            break;
          case 2:
            ledger.names[i]!.inFlight = `name ${tag}`;
            send = () =>
              sdk.send(new AdminUpdateUserAttributesCommand({ UserPoolId: setup.poolId, Username: writer.username, UserAttributes: [{ Name: 'name', Value: `name ${tag}` }] }));
            acknowledged = () => (ledger.names[i] = { acked: `name ${tag}` });
            break;
          case 3: {
            const next = `Passw0rd!${tag}`;
            ledger.passwords[i]!.inFlight = next;
            send = () => sdk.send(new ChangePasswordCommand({ AccessToken: writer.accessToken, PreviousPassword: ledger.passwords[i]!.acked, ProposedPassword: next }));
            acknowledged = () => (ledger.passwords[i] = { acked: next });
            break;
          }
          default: {
            const victim = mine.shift();
            if (victim === undefined) continue;
            ledger.maybeDeleted.add(victim);
            send = () => sdk.send(new AdminDeleteUserCommand({ UserPoolId: setup.poolId, Username: victim }));
            acknowledged = () => {
              ledger.maybeDeleted.delete(victim);
              ledger.deleted.push(victim);
            };
            lost = () => mine.unshift(victim);
          }
        }
        inFlight++;
        try {
          await send();
        } catch (error) {
          // After the kill every call fails (reset, refused): that write is merely unknown. Before it, none may.
          if (killed === undefined) unexpected.push(`${tag}: ${(error as Error).name}: ${(error as Error).message}`);
          lost();
          return;
        } finally {
          inFlight--;
        }
        if (killed !== undefined) return; // answered while the kill was under way: acknowledged, but not counted
        acknowledged();
        if (++acks === KILL_AFTER_ACKS) {
          ledger.inFlightAtKill = inFlight;
          killed = kill(pool);
        }
      }
    } finally {
      sdk.destroy();
    }
  };
  await Promise.all(writers.map((_, i) => write(i)));
  await killed;
  expect(unexpected).toEqual([]);
  return ledger;
}

/** Every acknowledged write is in the pool; each in-flight one is either there or not. */
async function expectAllAcknowledged(sdk: CognitoIdentityProviderClient, setup: Setup, writers: Writer[], ledger: Ledger): Promise<void> {
  const get = (Username: string) => sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username }));
  for (const name of ledger.signedUp) expect((await get(name)).UserStatus).toBe('UNCONFIRMED');
  for (const name of ledger.created.filter((n) => !ledger.deleted.includes(n) && !ledger.maybeDeleted.has(n))) {
    expect((await get(name)).UserAttributes).toContainEqual({ Name: 'email', Value: `${name}@example.com` });
  }
  for (const name of ledger.deleted) expect(await failure(get(name))).toMatchObject({ name: 'UserNotFoundException' });
  for (const [i, writer] of writers.entries()) {
    const stored = (await get(writer.username)).UserAttributes!.find((a) => a.Name === 'name')?.Value;
    const { acked, inFlight } = ledger.names[i]!;
    expect([acked, inFlight]).toContain(stored);
    const { acked: password, inFlight: next } = ledger.passwords[i]!;
    const signIn = await passwordSignIn(sdk, setup, writer.username, password).catch(() => passwordSignIn(sdk, setup, writer.username, next ?? password));
    expect(signIn.AuthenticationResult?.AccessToken).toBeDefined();
  }
}

it('SIGKILL mid-burst, twice: every acknowledged write is there after each restart, and the file is intact', async () => {
  let pool = await startPoolProcess();
  let sdk = sdkClient(pool.url);
  const setup = await createPoolAndClient(sdk, { PoolName: 'crash' });
  const ledgers: Array<{ writers: Writer[]; ledger: Ledger }> = [];

  for (const cycle of ['a', 'b']) {
    const writers = await prepareWriters(sdk, setup, cycle);
    const ledger = await burstUntilKilled(pool, setup, writers, cycle);
    sdk.destroy();
    // Killed mid-burst (writes in flight), with a write-ahead log to recover from.
    expect(ledger.inFlightAtKill).toBeGreaterThan(0);
    expect(statSync(`${dataFile}-wal`).size).toBeGreaterThan(0);
    ledgers.push({ writers, ledger });

    pool = await startPoolProcess(); // refused if the start-up integrity check failed
    sdk = sdkClient(pool.url);
    for (const { writers: w, ledger: l } of ledgers) await expectAllAcknowledged(sdk, setup, w, l);
  }
  sdk.destroy();

  pool.child.kill('SIGINT');
  expect(await pool.exited).toBe(0);
  children.delete(pool.child);
  const db = new Database(dataFile, { readonly: true });
  try {
    expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  } finally {
    db.close();
  }
}, 120_000);
