// `authchart pool`: runs the local Cognito-compatible pool until Ctrl-C.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from './package-root.js';
import { seedHasStandIns, startSeedStandIns, type RunningStandIns } from './stand-ins.js';
import { pointProvidersAtStandIns, registerPoolOrigin } from './pool-origin.js';
import { startLocalPool, type LocalPool, type SeedDocument, type SeedProgress } from '../local-pool/index.js';

export const POOL_USAGE = `authchart pool [options]

  --port <n>       port to listen on (default $AUTHCHART_PORT, else 9229; 0 picks a free one). 9229 is also
                   Node's --inspect port: pass another one when you debug (npm start -- --port 9339)
  --host <addr>    address to bind (default 127.0.0.1: this machine only)
  --data <file>    SQLite file (default .authchart/pool.sqlite; ':memory:' keeps nothing)
  --seed <file>    seed document to apply (only what is missing is added; with --demo, default: the
                   package's seeds/demo.json)
  --reset          delete the data file first: the seed's users, codes and passwords as they were
                   (npm start -- --reset resets the demo data)
  --region <name>  region for new pool ids (default us-east-1)
  --functions <dir>  Lambda functions for the pools' triggers: <dir>/NAME.mjs (.js, .cjs) is the function
                   NAME of arn:aws:lambda:REGION:ACCOUNT:function:NAME (default: the seed file's "functions")
  --lambda-timeout <ms>  how long a trigger's function may run (default 5000, as Cognito)
  --demo           serve the demo page at / (built into dist/demo by npm run build); turns on --local-api;
                   its "Reset demo data" button puts the seed's users back while the pool runs
  --local-api      serve /_local/* (outbox, TOTP codes, request log) to this machine's tools and the pool's own pages
  --allowed-host <name>  a Host name to answer besides localhost / 127.0.0.1 (repeatable; e.g. a compose service
                   name, or .example.test for its subdomains)
  --help`;

interface PoolCommandOptions {
  port: number;
  host: string;
  dataFile: string;
  reset: boolean;
  seedFile: string | undefined;
  region: string;
  functions: string | undefined;
  lambdaTimeoutMs: number;
  demoDir: string | undefined;
  localApi: boolean;
  allowedHosts: string[];
}

/** dist/demo, built next to the CLI. */
const DEMO_DIR = join(packageRoot(), 'dist', 'demo');
/** The seed the demo page is written for (seeds/ ships with the package). */
const DEMO_SEED = join(packageRoot(), 'seeds', 'demo.json');

function readOptions(argv: string[]): PoolCommandOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string', default: process.env['AUTHCHART_PORT'] || '9229' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string', default: '.authchart/pool.sqlite' },
      seed: { type: 'string' },
      reset: { type: 'boolean', default: false },
      region: { type: 'string', default: 'us-east-1' },
      functions: { type: 'string' },
      'lambda-timeout': { type: 'string', default: '5000' },
      demo: { type: 'boolean', default: false },
      'local-api': { type: 'boolean', default: false },
      'allowed-host': { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const lambdaTimeoutMs = Number(values['lambda-timeout']);
  if (!Number.isInteger(lambdaTimeoutMs) || lambdaTimeoutMs < 1) throw new Error(`--lambda-timeout takes milliseconds, not "${values['lambda-timeout']}"`);
  if (values.functions !== undefined && !existsSync(values.functions)) throw new Error(`--functions: no directory ${values.functions}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not "${values.port}"`);
  if (values.demo && !existsSync(join(DEMO_DIR, 'index.html'))) throw new Error(`--demo: no demo page in ${DEMO_DIR}; run npm run build`);
  if (values.reset && values.data === ':memory:') throw new Error('--reset: an in-memory pool (--data :memory:) starts empty anyway');
  const allowedHosts = values['allowed-host'] ?? [];
  for (const name of allowedHosts) {
    if (!/^\.?[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(name)) throw new Error(`--allowed-host takes a host name without port or scheme, not "${name}"`);
  }
  return {
    port,
    host: values.host,
    dataFile: values.data,
    reset: values.reset,
    seedFile: values.seed ?? (values.demo && existsSync(DEMO_SEED) ? DEMO_SEED : undefined),
    region: values.region,
    functions: values.functions,
    lambdaTimeoutMs,
    demoDir: values.demo ? DEMO_DIR : undefined,
    localApi: values.demo || values['local-api'],
    allowedHosts,
  };
}

const write = (text: string) => process.stdout.write(text);

/** The step whose "… " waits for its outcome on the current line: whether notes came in between. */
let openStep: { interrupted: boolean } | undefined;

/** "[pool] <what> … done (n ms)", or the error with the step it broke. */
async function step<T>(what: string, work: () => T | Promise<T>, summary?: (result: T) => string): Promise<T> {
  write(`[pool] ${what} … `);
  const current = (openStep = { interrupted: false });
  const started = Date.now();
  const outcome = (text: string) => write(`${current.interrupted ? `[pool] ${what} … ` : ''}${text}`);
  try {
    const result = await work();
    outcome(`done${summary ? `, ${summary(result)}` : ''} (${Date.now() - started} ms)\n`);
    return result;
  } catch (error) {
    outcome('failed\n');
    throw error;
  } finally {
    openStep = undefined;
  }
}

/** A line about the running step (its progress); the step's outcome then repeats its name. */
function note(text: string): void {
  if (openStep && !openStep.interrupted) {
    write('\n');
    openStep.interrupted = true;
  }
  write(`[pool]   ${text}\n`);
}

/** Seeds from this many users on report their progress. */
const PROGRESS_FROM = 2000;

/** About every tenth of each stage (the two stages overlap). */
function seedProgress(): (progress: SeedProgress) => void {
  const started = Date.now();
  const shown = new Map<string, number>();
  return ({ stage, done, total }) => {
    const tenth = Math.floor((done / total) * 10);
    if (shown.get(stage) === tenth) return;
    shown.set(stage, tenth);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    note(`${stage === 'verifiers' ? 'password verifiers' : 'users written'}: ${done} of ${total} (${seconds} s)`);
  };
}

function readSeed(file: string): SeedDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read seed file ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as SeedDocument;
  } catch (error) {
    throw new Error(`seed file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Calls the pool's own API (no SDK needed for two list operations). */
async function call(pool: LocalPool, operation: string, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(pool.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** "OPTIONAL: SMS, TOTP, e-mail" / "OFF". */
function describeMfa(config: Record<string, unknown>): string {
  const mode = String(config['MfaConfiguration'] ?? 'OFF');
  if (mode === 'OFF') return 'OFF';
  const factors = [
    config['SmsMfaConfiguration'] ? 'SMS' : '',
    (config['SoftwareTokenMfaConfiguration'] as { Enabled?: boolean } | undefined)?.Enabled ? 'TOTP' : '',
    config['EmailMfaConfiguration'] ? 'e-mail' : '',
  ].filter(Boolean);
  return `${mode === 'ON' ? 'ON (required)' : mode}: ${factors.join(', ')}`;
}

/** Seed users listed per pool at start. */
const LISTED_USERS = 20;

/** "name, name …" of the function files in `dir`. */
function functionNames(dir: string): string {
  const names = readdirSync(dir)
    .filter((file) => /^[A-Za-z0-9-][A-Za-z0-9_-]*\.(mjs|js|cjs)$/.test(file))
    .map((file) => file.replace(/\.(mjs|js|cjs)$/, ''));
  return names.length > 0 ? names.join(', ') : 'none yet';
}

async function printSummary(pool: LocalPool, seed: SeedDocument | undefined, demo: boolean, localApi: boolean, functions: string | undefined, standIns: string[] = []): Promise<void> {
  const lines = [
    ``,
    ...(demo ? [`  demo page  ${pool.url}/   (open it in a browser: the sign-in, the live statechart, the outbox)`] : []),
    `  endpoint   ${pool.url}   (SDK endpoint / Amplify userPoolEndpoint)`,
    `  health     ${pool.url}/health`,
    functions !== undefined
      ? `  functions  ${functions}   (Lambda triggers: ${functionNames(functions)})`
      : `  functions  none (pass --functions DIR for the pools' Lambda triggers)`,
    ...(localApi
      ? [
          `  outbox     ${pool.url}/_local/outbox?to=<address>   (SMS and e-mail codes; or: authchart outbox --endpoint ${pool.url})`,
          `  totp       ${pool.url}/_local/totp?userPoolId=<id>&username=<name>   (current TOTP code of a user)`,
        ]
      : [`  outbox     on the console below ([outbox] lines); start with --local-api to read it over HTTP (authchart outbox)`]),
  ];
  const pools = ((await call(pool, 'ListUserPools', { MaxResults: 60 }))['UserPools'] ?? []) as Array<{ Id: string; Name: string }>;
  if (pools.length === 0) lines.push('', '  no user pools yet: pass --seed seeds/demo.json, or call CreateUserPool');
  for (const { Id, Name } of pools) {
    lines.push('', `  user pool  ${Id}   "${Name}"   JWKS ${pool.url}/${Id}/.well-known/jwks.json`);
    const clients = ((await call(pool, 'ListUserPoolClients', { UserPoolId: Id }))['UserPoolClients'] ?? []) as Array<{ ClientId: string; ClientName: string }>;
    for (const { ClientId, ClientName } of clients) lines.push(`  client     ${ClientId}   "${ClientName}"`);
    lines.push(`  MFA        ${describeMfa(await call(pool, 'GetUserPoolMfaConfig', { UserPoolId: Id }))}`);
    const domain = ((await call(pool, 'DescribeUserPool', { UserPoolId: Id }))['UserPool'] as { Domain?: string } | undefined)?.Domain;
    if (domain) {
      lines.push(`  hosted UI  ${pool.url}/_domain/${domain}/oauth2/authorize   (or http://${domain}.auth.localhost:${pool.port}/oauth2/authorize)`);
      lines.push(`  discovery  ${pool.url}/${Id}/.well-known/openid-configuration`);
    }
    const seededUsers = seed?.pools.find((p) => p.id === Id)?.users ?? [];
    if (seededUsers.length > 0) lines.push('  users (passwords as in the seed file; changes made since are kept):');
    for (const user of seededUsers.slice(0, LISTED_USERS)) {
      const password = user.temporaryPassword ?? user.password ?? '';
      lines.push(`    ${user.username.padEnd(10)} ${password.padEnd(16)} ${user.description ?? ''}`);
    }
    if (seededUsers.length > LISTED_USERS) lines.push(`    … and ${seededUsers.length - LISTED_USERS} more`);
  }
  if (standIns.length > 0) lines.push('', ...standIns);
  lines.push('', '[pool] ready; one line per request below. Ctrl-C stops.', '');
  write(lines.join('\n'));
}

/** The SQLite file and its WAL and shared-memory files. */
function removeDataFile(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onInterrupt = () => stop('SIGINT');
    const onTerminate = () => stop('SIGTERM');
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onTerminate);
      resolve(signal);
    };
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onTerminate);
  });
}

export async function runPoolCommand(argv: string[]): Promise<void> {
  const options = readOptions(argv);
  if (!options) {
    write(`${POOL_USAGE}\n`);
    return;
  }
  const seed = options.seedFile === undefined ? undefined : readSeed(options.seedFile);
  // The seed's "functions" is relative to the seed file.
  const functions = options.functions ?? (seed?.functions !== undefined && options.seedFile !== undefined ? join(dirname(options.seedFile), seed.functions) : undefined);
  if (options.dataFile !== ':memory:') mkdirSync(dirname(options.dataFile), { recursive: true });
  if (options.reset) await step(`resetting: deleting ${options.dataFile}`, () => removeDataFile(options.dataFile));

  let logging = false;
  let standIns: RunningStandIns | undefined;
  const pool = await step(`opening ${options.dataFile} and listening on ${options.host}:${options.port}`, () =>
    startLocalPool({
      port: options.port,
      host: options.host,
      dataFile: options.dataFile,
      region: options.region,
      // The demo page's "Reset demo data" puts the seed's users back (POST /_local/reset).
      ...(options.demoDir ? { staticDir: options.demoDir, ...(seed ? { resetSeed: seed } : {}) } : {}),
      localApi: options.localApi,
      allowedHosts: options.allowedHosts,
      ...(functions !== undefined ? { functions } : {}),
      lambdaTimeoutMs: options.lambdaTimeoutMs,
      log: (line) => logging && write(`${line}\n`),
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new Error(`port ${options.port} on ${options.host} is in use (another pool, or a Node process under --inspect): stop it or pass another --port (npm start -- --port 9339)`);
      throw error;
    }),
    (started) => started.url,
  );
  // The stand-in providers start while the seed is applied (their redirect URIs need only the pool's port).
  const standInsStarting = seedHasStandIns(seed) ? startSeedStandIns(pool, seed, note) : undefined;
  try {
    if (seed) {
      const users = seed.pools?.reduce((n, p) => n + (p.users?.length ?? 0), 0) ?? 0;
      const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      // The pool answers while it seeds (the verifiers are made in worker threads, users written in chunks).
      const onProgress = users >= PROGRESS_FROM ? seedProgress() : undefined;
      await step(
        `seeding ${plural(seed.pools?.length ?? 0, 'pool')}, ${plural(users, 'user')} from ${options.seedFile}`,
        () => pool.seedWhileServing(seed, onProgress ? { onProgress } : {}),
        (r) => `${r.created.pools.length + r.created.clients.length + r.created.users.length} created, ` +
          `${r.existing.pools.length + r.existing.clients.length + r.existing.users.length} already there`,
      );
    }
    if (standInsStarting) {
      standIns = await step('starting the stand-in identity providers of the seed', () => standInsStarting, (s) => `${s.lines.filter((l) => l.startsWith('  stand-in')).length} running`);
      await pointProvidersAtStandIns(pool, standIns.started);
    }
    // The demo page is served at the pool's own origin: its callback must be registered there.
    if (seed && options.demoDir) {
      const demoSeed = seed;
      await step(`registering the demo page's callback at ${pool.url}/`, () => registerPoolOrigin(pool, demoSeed), (changed) => (changed.length > 0 ? changed.join(', ') : 'already there'));
    }
    await printSummary(pool, seed, options.demoDir !== undefined, options.localApi, functions, standIns?.lines);
    pool.resetRequestLog();
    logging = true;
    const signal = await untilSignal();
    logging = false;
    write(`\n[pool] ${signal}: stopping\n`);
  } finally {
    await (standIns ?? (await standInsStarting?.catch(() => undefined)))?.close();
    await pool.close();
  }
  write('[pool] stopped\n');
}
