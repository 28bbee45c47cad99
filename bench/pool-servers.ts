// The servers of the pool benchmark, each in its own process on loopback, started and stopped here:
// the local pool through its CLI (`authchart pool --seed`, as a user starts it) and cognito-local
// through its public API (test/support/cognito-local-launcher.cjs).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JsonClient } from './pool-load.js';

export const BENCH_POOL_ID = 'us-east-1_poolbench';
export const BENCH_CLIENT_ID = 'poolbenchclient00000000000';
const AUTH_FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

/** The i-th bench user; every user has its own password. */
export const benchUser = (i: number): { username: string; password: string } => ({
  username: `user${String(i).padStart(6, '0')}`,
  password: `Bench-pw-${i}!`,
});

export function seedDocument(users: number): object {
  return {
    pools: [
      {
        id: BENCH_POOL_ID,
        name: 'pool-bench',
        clients: [{ id: BENCH_CLIENT_ID, name: 'pool-bench', settings: { ExplicitAuthFlows: AUTH_FLOWS } }],
        users: Array.from({ length: users }, (_, i) => ({ ...benchUser(i), attributes: { email: `${benchUser(i).username}@example.test` } })),
      },
    ],
  };
}

/** `relative` in the nearest directory above this bundle that has it (the repository root). */
export function findUp(relative: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, relative))) return join(dir, relative);
    if (dirname(dir) === dir) throw new Error(`${relative} not found above ${fileURLToPath(import.meta.url)}`);
  }
}

export interface ServerProcess {
  readonly name: string;
  readonly url: string;
  readonly poolId: string;
  readonly clientId: string;
  /** Resident set size of the server process now, bytes (Linux /proc). */
  rss(): number;
  /** CPU time the server process has used so far, ms (user + system, every thread; Linux /proc). */
  cpuMs(): number;
  stop(): Promise<void>;
}

function rssOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** utime + stime of /proc/<pid>/stat, in ms (clock ticks of 10 ms). */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return exited.finally(() => clearTimeout(forced));
}

/**
 * Resolves with the first match of `pattern` in everything the child printed so far (`output`, kept
 * by a listener attached before this one); rejects when it exits first or after `timeoutMs`.
 */
function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number, output: () => string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(output());
      if (match) finish(() => resolve(match));
    };
    const onExit = (code: number | null) => finish(() => reject(new Error(`server exited (${code}) before ${pattern}:\n${output().slice(-4000)}`)));
    const timer = setTimeout(() => finish(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output().slice(-4000)}`))), timeoutMs);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.off('exit', onExit);
      settle();
    };
    child.stdout!.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

export interface LocalPoolProcess extends ServerProcess {
  /** The CLI's own report of the seeding step, ms; undefined until it finished. */
  seedingMs(): number | undefined;
  /** Resolves when the CLI reports ready (seeding finished). */
  readonly ready: Promise<void>;
}

/**
 * `node dist/cli/authchart.js pool --port 0 --data <dir>/pool.sqlite --seed <dir>/seed.json`. Resolves
 * once the pool listens (seeding may still be running: await `ready`).
 */
export async function startLocalPoolProcess(dir: string, users: number, nodeArgs: readonly string[] = []): Promise<LocalPoolProcess> {
  mkdirSync(dir, { recursive: true });
  const seedFile = join(dir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(seedDocument(users)));
  const cli = fileURLToPath(new URL('../cli/authchart.js', import.meta.url));
  const child = spawn(process.execPath, [...nodeArgs, cli, 'pool', '--port', '0', '--data', join(dir, 'pool.sqlite'), '--seed', seedFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const printed = () => output;
  try {
    // The first URL the CLI prints is the endpoint (its listening step, or the summary after seeding).
    const url = (await waitForOutput(child, /(http:\/\/127\.0\.0\.1:\d+)/, 900_000, printed))[1]!;
    const ready = waitForOutput(child, /\[pool\] ready/, 900_000, printed).then(() => undefined);
    ready.catch(() => undefined);
    return {
      name: 'authchart local pool',
      url,
      poolId: BENCH_POOL_ID,
      clientId: BENCH_CLIENT_ID,
      ready,
      seedingMs: () => {
        const match = /\[pool\] seeding [^\n]*done[^\n]*\((\d+) ms\)/.exec(output);
        return match ? Number(match[1]) : undefined;
      },
      rss: () => rssOf(child.pid),
      cpuMs: () => cpuMsOf(child.pid),
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

async function spawnCognitoLocal(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const launcher = findUp('test/support/cognito-local-launcher.cjs');
  const child = spawn(process.execPath, [launcher], {
    cwd: dir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const match = await waitForOutput(child, /LISTENING (\d+)/, 30_000, () => log).catch(async (error) => {
    await stopChild(child);
    throw error;
  });
  return { child, url: `http://127.0.0.1:${match[1]}` };
}

export interface PeerSeeding {
  server: ServerProcess;
  /** Time to write the users into cognito-local's data file (it keeps plaintext passwords). */
  seedingMs: number;
}

/**
 * cognito-local with one pool, one client and `users` users. The pool, the client and one user are
 * made through its API; the other users are copies of that user's record written into its data file
 * (its own format, plaintext passwords) before it is started again.
 */
export async function startCognitoLocalProcess(dir: string, users: number): Promise<PeerSeeding> {
  mkdirSync(dir, { recursive: true });
  let { child, url } = await spawnCognitoLocal(dir);
  const api = new JsonClient(url, 1);
  let poolId: string;
  let clientId: string;
  try {
    const pool = (await api.expect('CreateUserPool', { PoolName: 'pool-bench' }))['UserPool'] as { Id: string };
    poolId = pool.Id;
    const client = (await api.expect('CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'pool-bench', ExplicitAuthFlows: AUTH_FLOWS }))[
      'UserPoolClient'
    ] as { ClientId: string };
    clientId = client.ClientId;
    const first = benchUser(0);
    await api.expect('AdminCreateUser', {
      UserPoolId: poolId,
      Username: first.username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${first.username}@example.test` }],
    });
    await api.expect('AdminSetUserPassword', { UserPoolId: poolId, Username: first.username, Password: first.password, Permanent: true });
  } finally {
    api.close();
    await stopChild(child);
  }

  const started = performance.now();
  const dbDir = join(dir, '.cognito', 'db');
  const file = join(dbDir, readdirSync(dbDir).find((name) => name.startsWith(poolId))!);
  const data = JSON.parse(readFileSync(file, 'utf8')) as { Users: Record<string, Record<string, unknown>> };
  const template = data.Users[benchUser(0).username]!;
  for (let i = 1; i < users; i++) {
    const { username, password } = benchUser(i);
    data.Users[username] = {
      ...template,
      Username: username,
      Password: password,
      Attributes: [
        { Name: 'sub', Value: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` },
        { Name: 'email', Value: `${username}@example.test` },
      ],
    };
  }
  writeFileSync(file, JSON.stringify(data));
  const seedingMs = performance.now() - started;

  ({ child, url } = await spawnCognitoLocal(dir));
  const running = child;
  return {
    seedingMs,
    server: {
      name: 'cognito-local',
      url,
      poolId,
      clientId,
      rss: () => rssOf(running.pid),
      cpuMs: () => cpuMsOf(running.pid),
      stop: () => stopChild(running),
    },
  };
}
