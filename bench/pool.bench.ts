// The local pool's throughput against cognito-local: USER_PASSWORD_AUTH sign-ins per second at
// several concurrencies (p50, p99), the full SRP sign-in, the same with 1k / 10k / 100k users, the
// time `--seed` takes (and what the pool answers meanwhile), and the pool's memory after many
// sign-ins. Both servers run in their own processes on 127.0.0.1, started and stopped here.
//
//   npm run bench                                   # builds, then every bench (this one after srp.bench)
//   node dist/bench/pool.bench.js --quick           # 1k and 10k users, shorter windows
//   node dist/bench/pool.bench.js --write-docs      # also rewrites the "Local pool" section of docs/benchmarks.md
//
// Method (docs/benchmarks.md, "Local pool"): closed loops — each of `concurrency` loops signs in
// back to back, user after user; the first second of each cell is warm-up; a sign-in counts when it
// starts and ends inside the measured window. The same small JSON 1.1 client drives both servers.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';
import { ClaimThreads, JsonClient, closedLoop, passwordSignIn, quantile, serveClaims, srpSignIn, type LoadResult, type Target } from './pool-load.js';
import { benchUser, findUp, startCognitoLocalProcess, startLocalPoolProcess, type ServerProcess } from './pool-servers.js';

// ---------------------------------------------------------------- options

interface Options {
  sizes: number[];
  concurrencies: number[];
  durationMs: number;
  warmupMs: number;
  peerMaxUsers: number;
  memorySignIns: number;
  writeDocs: boolean;
  /** Which local-pool sign-ins to measure (cognito-local runs with "password"). */
  flows: Array<'password' | 'srp'>;
  /** Node options for the local pool process (--cpu-prof DIR adds --cpu-prof --cpu-prof-dir DIR). */
  poolNodeArgs: string[];
}

const USAGE = `usage: node dist/bench/pool.bench.js [options]
  --users 1000,10000,100000   pool sizes (default 1000,10000,100000)
  --concurrency 1,8,32        concurrent sign-in loops (default 1,8,32)
  --duration MS               measured window per cell (default 5000)
  --warmup MS                 warm-up per cell, not counted (default 1000)
  --peer-max-users N          largest size cognito-local runs at (default 10000; it slows down with users)
  --memory-signins N          sign-ins between the memory readings (default 20000; 0 skips)
  --quick                     1000,10000 users, 3000 ms windows, 5000 memory sign-ins
  --write-docs                rewrite the "Local pool" section of docs/benchmarks.md with the results
  --flows password,srp        which sign-ins to measure (default both)
  --cpu-prof DIR              profile the local pool process (node --cpu-prof), profiles written to DIR`;

function parseOptions(argv: string[]): Options {
  const options: Options = {
    sizes: [1000, 10_000, 100_000],
    concurrencies: [1, 8, 32],
    durationMs: 5000,
    warmupMs: 1000,
    peerMaxUsers: 10_000,
    memorySignIns: 20_000,
    writeDocs: false,
    flows: ['password', 'srp'],
    poolNodeArgs: [],
  };
  const list = (raw: string | undefined, name: string): number[] => {
    const values = (raw ?? '').split(',').map(Number);
    if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) fail(`--${name} takes positive integers separated by commas`);
    return values;
  };
  const integer = (raw: string | undefined, name: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) fail(`--${name} takes an integer >= 0`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--quick') {
      Object.assign(options, { sizes: [1000, 10_000], durationMs: 3000, memorySignIns: 5000 });
    } else if (arg === '--write-docs') {
      options.writeDocs = true;
    } else if (arg === '--users') options.sizes = list(argv[++i], 'users');
    else if (arg === '--concurrency') options.concurrencies = list(argv[++i], 'concurrency');
    else if (arg === '--duration') options.durationMs = Math.max(1, integer(argv[++i], 'duration'));
    else if (arg === '--warmup') options.warmupMs = integer(argv[++i], 'warmup');
    else if (arg === '--peer-max-users') options.peerMaxUsers = integer(argv[++i], 'peer-max-users');
    else if (arg === '--flows') {
      const flows = (argv[++i] ?? '').split(',');
      if (flows.length === 0 || flows.some((f) => f !== 'password' && f !== 'srp')) fail('--flows takes password and/or srp');
      options.flows = flows as Options['flows'];
    } else if (arg === '--cpu-prof') options.poolNodeArgs = ['--cpu-prof', '--cpu-prof-dir', argv[++i] ?? fail('--cpu-prof takes a directory')];
    else if (arg === '--memory-signins') options.memorySignIns = integer(argv[++i], 'memory-signins');
    else fail(`unknown argument: ${arg}\n${USAGE}`);
  }
  return options;
}

function fail(message: string): never {
  console.error(`\nBENCHMARK ABORTED: ${message}`);
  process.exit(1);
}

const progress = (text: string) => process.stderr.write(`[pool bench] ${text}\n`);

// ---------------------------------------------------------------- measuring

interface SizeResult {
  users: number;
  seeding: SeedingResult;
  password: LoadResult[];
  srp: LoadResult[];
  peerPassword: LoadResult[] | undefined;
  peerSeedingMs: number | undefined;
}

interface SeedingResult {
  /** The CLI's own timing of the seeding step. */
  ms: number;
  /** Sign-ins of user 0 tried while the seed ran (one per 20 ms): answered (any answer), and how long answers took. */
  answered: number;
  signedIn: number;
  p50: number;
  p99: number;
  max: number;
}

/** The bench client's claim threads, one per core, started by the first SRP cell (pool-load.ts, ClaimThreads). */
let claimThreads: ClaimThreads | undefined;
const claimThreadsNow = (): ClaimThreads => (claimThreads ??= new ClaimThreads(new URL(import.meta.url), Math.max(1, os.availableParallelism())));

/** Sign-ins spread over all users: the n-th goes to user (n * step) mod users. */
const spread = (users: number) => (n: number) => benchUser((n * 7919) % users);

async function measureCells(
  server: Pick<ServerProcess, 'cpuMs'>,
  target: Target,
  users: number,
  options: Options,
  signIn: (username: string, password: string) => Promise<void>,
  label: string,
): Promise<LoadResult[]> {
  const pick = spread(users);
  const results: LoadResult[] = [];
  for (const concurrency of options.concurrencies) {
    progress(`${label}, ${users} users, concurrency ${concurrency}`);
    // CPU is read over the whole cell (warm-up included): a rough split of the machine between both sides.
    const cpuBefore = { server: server.cpuMs(), client: process.cpuUsage(), at: performance.now() };
    const result = await closedLoop({
      concurrency,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
      operation: (n) => {
        const { username, password } = pick(n);
        return signIn(username, password);
      },
    });
    const elapsed = performance.now() - cpuBefore.at;
    const client = process.cpuUsage(cpuBefore.client);
    result.serverCores = (server.cpuMs() - cpuBefore.server) / elapsed;
    result.clientCores = (client.user + client.system) / 1000 / elapsed;
    progress(`  ${result.perSecond.toFixed(0)}/s, p50 ${ms(result.p50)} ms, p99 ${ms(result.p99)} ms; CPU: server ${result.serverCores.toFixed(2)}, bench client ${result.clientCores.toFixed(2)} cores`);
    if (result.errors > 0) progress(`  ${result.errors} failed sign-ins, first: ${result.firstError}`);
    results.push(result);
  }
  return results;
}

/** Between two probes while the pool seeds: a steady trickle that tells answering from stalling, without taking CPU from the seed. */
const PROBE_INTERVAL_MS = 20;

/** Tries user 0's sign-in every PROBE_INTERVAL_MS until the CLI reports ready; every answer counts, whatever it says. */
async function probeWhileSeeding(url: string, ready: Promise<void>, clientId: string): Promise<Omit<SeedingResult, 'ms'>> {
  const client = new JsonClient(url, 1);
  let done = false;
  void ready.then(() => (done = true), () => (done = true));
  const latencies: number[] = [];
  let signedIn = 0;
  const { username, password } = benchUser(0);
  while (!done) {
    const started = performance.now();
    try {
      const answer = await client.call('InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: username, PASSWORD: password },
      });
      latencies.push(performance.now() - started);
      if (answer.status === 200) signedIn++;
    } catch {
      // not listening yet: try again
    }
    const rest = PROBE_INTERVAL_MS - (performance.now() - started);
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
  }
  client.close();
  latencies.sort((a, b) => a - b);
  return { answered: latencies.length, signedIn, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies.at(-1) ?? Number.NaN };
}

async function measureSize(users: number, options: Options, workDir: string): Promise<SizeResult> {
  progress(`local pool: seeding ${users} users through authchart pool --seed`);
  const pool = await startLocalPoolProcess(join(workDir, `pool-${users}`), users, options.poolNodeArgs);
  let result: SizeResult;
  try {
    const probe = await probeWhileSeeding(pool.url, pool.ready, pool.clientId);
    await pool.ready;
    const seeding: SeedingResult = { ms: pool.seedingMs() ?? Number.NaN, ...probe };
    progress(`  seeded in ${(seeding.ms / 1000).toFixed(1)} s; ${probe.answered} answers meanwhile`);
    const client = new JsonClient(pool.url, Math.max(...options.concurrencies));
    const target: Target = { client, poolId: pool.poolId, clientId: pool.clientId };
    try {
      const password = options.flows.includes('password')
        ? await measureCells(pool, target, users, options, (u, p) => passwordSignIn(target, u, p), 'local pool USER_PASSWORD_AUTH')
        : [];
      const srp = options.flows.includes('srp') ? await measureCells(pool, target, users, options, srpSignIn(target, claimThreadsNow()), 'local pool USER_SRP_AUTH') : [];
      result = { users, seeding, password, srp, peerPassword: undefined, peerSeedingMs: undefined };
    } finally {
      client.close();
    }
  } finally {
    await pool.stop();
  }
  if (users <= options.peerMaxUsers) {
    progress(`cognito-local: ${users} users`);
    const peer = await startCognitoLocalProcess(join(workDir, `cognito-local-${users}`), users);
    const client = new JsonClient(peer.server.url, Math.max(...options.concurrencies));
    const target: Target = { client, poolId: peer.server.poolId, clientId: peer.server.clientId };
    try {
      result.peerPassword = await measureCells(peer.server, target, users, options, (u, p) => passwordSignIn(target, u, p), 'cognito-local USER_PASSWORD_AUTH');
      result.peerSeedingMs = peer.seedingMs;
    } finally {
      client.close();
      await peer.server.stop();
    }
  }
  return result;
}

interface MemoryResult {
  users: number;
  readings: Array<{ signIns: number; rss: number }>;
}

/** RSS of the pool process after seeding, then after every `memorySignIns` sign-ins (three times). */
async function measureMemory(options: Options, workDir: string): Promise<MemoryResult> {
  const users = 1000;
  progress(`memory: ${users} users, RSS every ${options.memorySignIns} sign-ins`);
  const pool = await startLocalPoolProcess(join(workDir, 'pool-memory'), users, options.poolNodeArgs);
  const client = new JsonClient(pool.url, 8);
  const target: Target = { client, poolId: pool.poolId, clientId: pool.clientId };
  const pick = spread(users);
  try {
    await pool.ready;
    const readings = [{ signIns: 0, rss: pool.rss() }];
    let done = 0;
    for (let round = 0; round < 3; round++) {
      let next = done;
      const end = done + options.memorySignIns;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < end) {
            const { username, password } = pick(next++);
            await passwordSignIn(target, username, password);
          }
        }),
      );
      done = end;
      readings.push({ signIns: done, rss: pool.rss() });
      progress(`  ${done} sign-ins: RSS ${mb(pool.rss())}`);
    }
    return { users, readings };
  } finally {
    client.close();
    await pool.stop();
  }
}

// ---------------------------------------------------------------- report

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (r: LoadResult | undefined) => (r ? r.perSecond.toFixed(0) : '–');
const ms = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(1) : value.toFixed(0));
const ratio = (a: LoadResult | undefined, b: LoadResult | undefined) => (a && b && b.perSecond > 0 ? `${(a.perSecond / b.perSecond).toFixed(1)}×` : '–');
/** Cores the server and the bench client used during the cell, e.g. "0.95 + 0.10". */
const cores = (r: LoadResult | undefined) =>
  r?.serverCores === undefined || r.clientCores === undefined ? '–' : `${r.serverCores.toFixed(2)} + ${r.clientCores.toFixed(2)}`;
const thousands = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

interface Goal {
  what: string;
  met: boolean;
  detail: string;
}

function goals(sizes: SizeResult[], memory: MemoryResult | undefined, options: Options): Goal[] {
  const list: Goal[] = [];
  const first = sizes[0];
  if (first?.peerPassword) {
    const ratios = first.password.map((r, i) => r.perSecond / (first.peerPassword![i]?.perSecond ?? Number.NaN));
    list.push({ what: `USER_PASSWORD_AUTH ≥ 2× cognito-local at every concurrency (${thousands(first.users)} users)`, met: ratios.every((x) => x >= 2), detail: ratios.map((x) => `${x.toFixed(1)}×`).join(' / ') });
  }
  if (first) {
    const rates = first.password.map((r) => r.perSecond);
    list.push({ what: 'USER_PASSWORD_AUTH throughput grows with concurrency', met: rates.every((r, i) => i === 0 || r >= rates[i - 1]! * 0.95), detail: rates.map((r) => r.toFixed(0)).join(' → ') });
    const top = first.password.at(-1);
    if (top) list.push({ what: `USER_PASSWORD_AUTH p99 at concurrency ${top.concurrency} < 500 ms`, met: top.p99 < 500, detail: `${ms(top.p99)} ms` });
    const at8 = first.srp[options.concurrencies.indexOf(8)];
    if (at8) list.push({ what: 'full SRP sign-in ≥ 150/s at concurrency 8', met: at8.perSecond >= 150, detail: `${at8.perSecond.toFixed(0)}/s` });
  }
  const largest = sizes.at(-1);
  if (first && largest && largest !== first) {
    const held = largest.password.map((r, i) => r.perSecond / first.password[i]!.perSecond);
    list.push({ what: `the same rate at ${thousands(largest.users)} users (within 20 % of ${thousands(first.users)})`, met: held.every((x) => x >= 0.8), detail: held.map((x) => `${(x * 100).toFixed(0)} %`).join(' / ') });
  }
  const big = sizes.find((s) => s.users >= 100_000);
  if (big) list.push({ what: `seeding ${thousands(big.users)} users < 30 s, answering meanwhile`, met: big.seeding.ms < 30_000 && big.seeding.answered > 0, detail: `${(big.seeding.ms / 1000).toFixed(1)} s, ${big.seeding.answered} answers` });
  if (memory && memory.readings.length >= 3) {
    const afterFirst = memory.readings[1]!.rss;
    const last = memory.readings.at(-1)!.rss;
    const growth = (last - afterFirst) / afterFirst;
    list.push({ what: 'pool memory flat with sign-ins (< 10 % growth after the first round)', met: growth < 0.1, detail: `${mb(afterFirst)} → ${mb(last)}` });
  }
  return list;
}

function report(sizes: SizeResult[], memory: MemoryResult | undefined, options: Options): string {
  const lines: string[] = [];
  lines.push(`Machine: ${machine()}.`, '');
  lines.push(
    `Each cell: ${options.warmupMs} ms warm-up, then ${options.durationMs} ms measured; sign-ins per second, p50 and p99 of one sign-in in ms; ` +
      'CPU: cores the server process and the bench client used during the cell (of 2; the rest went to other processes).',
    '',
  );

  lines.push('#### USER_PASSWORD_AUTH (InitiateAuth to tokens)', '');
  lines.push('| users | concurrency | local pool /s | p50 | p99 | CPU pool + client | cognito-local /s | p50 | p99 | CPU | ratio |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const size of sizes) {
    size.password.forEach((r, i) => {
      const peer = size.peerPassword?.[i];
      lines.push(
        `| ${thousands(size.users)} | ${r.concurrency} | **${rate(r)}** | ${ms(r.p50)} | ${ms(r.p99)} | ${cores(r)} | ${rate(peer)} | ${ms(peer?.p50)} | ${ms(peer?.p99)} | ${cores(peer)} | ${ratio(r, peer)} |`,
      );
    });
  }
  lines.push('', '#### Full SRP sign-in (InitiateAuth USER_SRP_AUTH + PASSWORD_VERIFIER; cognito-local has no SRP)', '');
  lines.push('| users | concurrency | local pool /s | p50 | p99 | CPU pool + client |');
  lines.push('|---:|---:|---:|---:|---:|---:|');
  for (const size of sizes) {
    size.srp.forEach((r) => lines.push(`| ${thousands(size.users)} | ${r.concurrency} | **${rate(r)}** | ${ms(r.p50)} | ${ms(r.p99)} | ${cores(r)} |`));
  }

  lines.push('', '#### Seeding', '');
  lines.push(
    `A sign-in of the first seeded user is tried every ${PROBE_INTERVAL_MS} ms while \`authchart pool --seed\` runs (it answers "not found" until that user is written).`,
    '',
  );
  lines.push('| users | `authchart pool --seed` | answers while seeding | of them signed in | answer p50 / p99 / max ms | cognito-local (writes its JSON file, plaintext) |');
  lines.push('|---:|---:|---:|---:|---:|---:|');
  for (const size of sizes) {
    const s = size.seeding;
    const peer = size.peerSeedingMs === undefined ? '–' : `${(size.peerSeedingMs / 1000).toFixed(3)} s`;
    lines.push(`| ${thousands(size.users)} | **${(s.ms / 1000).toFixed(1)} s** | ${s.answered} | ${s.signedIn} | ${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)} | ${peer} |`);
  }

  if (memory) {
    lines.push('', `#### Memory of the pool process (${thousands(memory.users)} users, USER_PASSWORD_AUTH at concurrency 8)`, '');
    lines.push('| sign-ins | RSS |', '|---:|---:|');
    for (const r of memory.readings) lines.push(`| ${r.signIns} | ${mb(r.rss)} |`);
  }

  lines.push('', '#### Goals', '');
  lines.push('| goal | result | |', '|---|---|---|');
  for (const g of goals(sizes, memory, options)) lines.push(`| ${g.what} | ${g.detail} | ${g.met ? 'met' : '**missed**'} |`);
  return lines.join('\n');
}

const DOCS_START = '<!-- pool.bench.ts: generated section, start -->';
const DOCS_END = '<!-- pool.bench.ts: generated section, end -->';

/** Replaces the generated part of docs/benchmarks.md ("Local pool" section); the rest of the file is left alone. */
function writeDocs(markdown: string): void {
  const file = findUp('docs/benchmarks.md');
  const text = readFileSync(file, 'utf8');
  const generated = `${DOCS_START}\n${markdown}\n${DOCS_END}`;
  const start = text.indexOf(DOCS_START);
  const end = text.indexOf(DOCS_END);
  const next =
    start >= 0 && end > start
      ? text.slice(0, start) + generated + text.slice(end + DOCS_END.length)
      : `${text.trimEnd()}\n\n## Local pool (\`bench/pool.bench.ts\`)\n\n${generated}\n`;
  writeFileSync(file, next);
  progress(`wrote ${file}`);
}

// ---------------------------------------------------------------- main

if (!isMainThread) {
  // This bundle as one of the client's claim threads (ClaimThreads).
  serveClaims();
} else {
  const options = parseOptions(process.argv.slice(2));
  const workDir = mkdtempSync(join(os.tmpdir(), 'pool-bench-'));
  try {
    const sizes: SizeResult[] = [];
    for (const users of options.sizes) sizes.push(await measureSize(users, options, workDir));
    const memory = options.memorySignIns > 0 ? await measureMemory(options, workDir) : undefined;
    const markdown = report(sizes, memory, options);
    console.log(`\n## Local pool\n\n${markdown}\n`);
    if (options.writeDocs) writeDocs(markdown);
  } finally {
    claimThreads?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
