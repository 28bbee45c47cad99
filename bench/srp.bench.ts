// Client-side Cognito SRP compute: authchart (browser path and Node path) against Amplify JS v6
// and amazon-cognito-identity-js, on the same inputs, in one process.
//
//   npm run bench                  # default: 3 warm-up rounds + 50 measured rounds (about 40–45 s on the 2-core VM)
//   npm run bench -- --rounds 20   # shorter run
//
// Method (docs/benchmarks.md, "Method"):
// - Every contender gets the same fixed `a`, and must reproduce A and the PASSWORD_CLAIM_SIGNATURE
//   that an independent server-side computation S = (A·v^u)^b gives, on the shared test vector and on
//   freshly generated fixtures. Any difference aborts the run before timing starts (exit code 1).
// - Each round runs every contender once; the start position rotates each round. Warm-up rounds are
//   not recorded. Each sample times one operation with performance.now(). Every timed signature is
//   checked again afterwards.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import vector from '../test/fixtures/srp-test-vector.json' with { type: 'json' };
import {
  CognitoSrpClient,
  N,
  bigIntEngine,
  cognitoTimestamp,
  hexToBigInt,
  padHex,
  parseCognitoTimestamp,
  type ModPowEngine,
  type PasswordVerifierChallenge,
} from '../src/cognito/srp.js';
import { createOpenSslEngine } from '../src/cognito/srp-node.js';

// ---------------------------------------------------------------- options

interface Options {
  rounds: number;
  warmup: number;
  fixtures: number;
  strict: boolean;
}

const USAGE = `usage: node dist/bench/srp.bench.js [--rounds N] [--warmup N] [--fixtures N] [--strict]
  --rounds N    measured rounds (default 50; a round takes about 0.6–0.8 s on a 2-core VM)
  --warmup N    warm-up rounds, not recorded (default 3)
  --fixtures N  random fixtures in the correctness gate, besides the shared vector (default 4)
  --strict      exit with code 2 when a speed target is missed (signature mismatches always exit 1)`;

function parseOptions(argv: string[]): Options {
  const options: Options = { rounds: 50, warmup: 3, fixtures: 4, strict: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (arg === '--strict') {
      options.strict = true;
      continue;
    }
    const m = /^--(rounds|warmup|fixtures)(?:=(.*))?$/.exec(arg);
    if (!m) {
      console.error(`unknown argument: ${arg}\n${USAGE}`);
      process.exit(64);
    }
    const raw = m[2] ?? argv[++i];
    const value = Number(raw);
    const min = m[1] === 'rounds' ? 1 : 0;
    if (raw === undefined || !Number.isInteger(value) || value < min) {
      console.error(`--${m[1]} expects an integer >= ${min}, got ${raw ?? 'nothing'}`);
      process.exit(64);
    }
    options[m[1] as 'rounds' | 'warmup' | 'fixtures'] = value;
  }
  return options;
}

const options = parseOptions(process.argv.slice(2));

// ---------------------------------------------------------------- progress (stderr)

const tty = process.stderr.isTTY === true;
let progressShown = false;
function progress(text: string, force = false): void {
  if (tty) {
    process.stderr.write(`\r\x1b[2K${text}`);
    progressShown = true;
  } else if (force) {
    process.stderr.write(`${text}\n`);
  }
}
function progressDone(): void {
  if (tty && progressShown) process.stderr.write('\r\x1b[2K');
  progressShown = false;
}
function fail(message: string): never {
  progressDone();
  console.error(`\nBENCHMARK ABORTED: ${message}`);
  process.exit(1);
}
const flushMacrotasks = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

// ---------------------------------------------------------------- the other libraries, as installed

const nodeRequire = createRequire(import.meta.url);
const versionOf = (pkg: string): string => (nodeRequire(`${pkg}/package.json`) as { version: string }).version;

// Amplify JS v6 keeps its SRP code internal (not in the package "exports"), so the shipped ESM files
// are imported by path, exactly as the library itself loads them.
interface AmpBigInteger {
  toString(radix: number): string;
}
type AmpBigIntegerCtor = new (value: string, radix: number) => AmpBigInteger;
interface AmpHelper {
  readonly A: AmpBigInteger;
  getPasswordAuthenticationKey(input: {
    username: string;
    password: string;
    serverBValue: AmpBigInteger;
    salt: AmpBigInteger;
  }): Promise<Uint8Array>;
}
interface AmplifySrp {
  getAuthenticationHelper(userPoolName: string): Promise<AmpHelper>;
  getSignatureString(input: {
    userPoolName: string;
    username: string;
    challengeParameters: Record<string, string>;
    dateNow: string;
    hkdf: Uint8Array;
  }): string;
  AuthenticationHelper: new (input: {
    userPoolName: string;
    a: AmpBigInteger;
    g: AmpBigInteger;
    A: AmpBigInteger;
    N: AmpBigInteger;
  }) => AmpHelper;
  BigInteger: AmpBigIntegerCtor;
  calculateA(input: { a: AmpBigInteger; g: AmpBigInteger; N: AmpBigInteger }): Promise<AmpBigInteger>;
  INIT_N: string;
}

const amplifyAuthDir = dirname(nodeRequire.resolve('@aws-amplify/auth/package.json'));
const amplifySrpDir = join(amplifyAuthDir, 'dist/esm/providers/cognito/utils/srp');
async function importAmplify(relative: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(join(amplifySrpDir, relative)).href)) as Record<string, unknown>;
}
const amplify = {
  ...(await importAmplify('index.mjs')), // getAuthenticationHelper, getSignatureString
  ...(await importAmplify('AuthenticationHelper/index.mjs')),
  ...(await importAmplify('BigInteger/index.mjs')),
  ...(await importAmplify('calculate/index.mjs')),
  ...(await importAmplify('constants.mjs')),
} as unknown as AmplifySrp;
for (const name of ['getAuthenticationHelper', 'getSignatureString', 'AuthenticationHelper', 'BigInteger', 'calculateA', 'INIT_N'] as const) {
  if (!amplify[name]) fail(`@aws-amplify/auth no longer exposes ${name} under ${amplifySrpDir}`);
}

// amazon-cognito-identity-js exports AuthenticationHelper (untyped). The signature is computed the way
// CognitoUser.authenticateUserDefaultAuth does it, with the library's own @aws-crypto/sha256-js and the
// `buffer` module it requires (Node's own Buffer when run in Node).
interface CijBigInteger {
  toString(radix: number): string;
  constructor: new (value: string, radix: number) => CijBigInteger;
}
interface CijHelper {
  N: CijBigInteger;
  smallAValue: CijBigInteger;
  largeAValue: CijBigInteger | null | undefined;
  getLargeAValue(callback: (err: unknown, A: CijBigInteger) => void): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    serverBValue: CijBigInteger,
    salt: CijBigInteger,
    callback: (err: unknown, hkdf: Uint8Array) => void,
  ): void;
}
type CijHelperCtor = new (poolName: string) => CijHelper;
interface Sha256Hash {
  update(data: Uint8Array): void;
  digestSync(): Uint8Array;
}
const cijEntry = nodeRequire.resolve('amazon-cognito-identity-js');
const cijRequire = createRequire(cijEntry);
const CijAuthenticationHelper = (nodeRequire('amazon-cognito-identity-js') as { AuthenticationHelper: CijHelperCtor })
  .AuthenticationHelper;
const CijSha256 = (cijRequire('@aws-crypto/sha256-js') as { Sha256: new (secret?: Uint8Array) => Sha256Hash }).Sha256;
const CijBuffer = (cijRequire('buffer') as { Buffer: typeof Buffer }).Buffer;

// ---------------------------------------------------------------- fixtures and the server-side reference

interface Fixture {
  readonly label: string;
  readonly poolId: string;
  readonly poolName: string;
  readonly password: string;
  readonly challenge: PasswordVerifierChallenge;
  readonly a: bigint;
  readonly A: bigint;
  readonly date: Date;
  readonly timestamp: string;
  readonly signature: string;
}

const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();
const hexHash = (hex: string): string => sha256(Buffer.from(hex, 'hex')).toString('hex');
const toHexBytes = (n: bigint): Buffer => Buffer.from(padHex(n), 'hex');

/** Plain right-to-left binary modexp: independent of every engine under test. */
function refModPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  base %= modulus;
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
    exponent >>= 1n;
  }
  return result;
}

const kRef = BigInt('0x' + hexHash(padHex(N) + padHex(2n)));

/** Cognito's side of USER_SRP_AUTH (formulas in docs/cognito-notes.md, "SRP"), with node:crypto and BigInt. */
function makeFixture(input: {
  label: string;
  poolName: string;
  userIdForSrp: string;
  password: string;
  saltHex: string;
  a: bigint;
  b: bigint;
  secretBlock: string;
  date: Date;
}): Fixture & { readonly B: bigint } {
  const { poolName, userIdForSrp, password, a, b, date } = input;
  const s = BigInt('0x' + input.saltHex);
  const x = BigInt('0x' + hexHash(padHex(s) + sha256(`${poolName}${userIdForSrp}:${password}`).toString('hex')));
  const v = refModPow(2n, x, N);
  const B = (kRef * v + refModPow(2n, b, N)) % N;
  const A = refModPow(2n, a, N);
  const u = BigInt('0x' + hexHash(padHex(A) + padHex(B)));
  const S = refModPow((A * refModPow(v, u, N)) % N, b, N);
  const prk = createHmac('sha256', toHexBytes(u)).update(toHexBytes(S)).digest();
  const key = createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
  const timestamp = cognitoTimestamp(date);
  const signature = createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(poolName + userIdForSrp, 'utf8'),
        Buffer.from(input.secretBlock, 'base64'),
        Buffer.from(timestamp, 'utf8'),
      ]),
    )
    .digest('base64');
  return {
    label: input.label,
    poolId: `us-east-1_${poolName}`,
    poolName,
    password,
    challenge: { userIdForSrp, srpB: B.toString(16), salt: input.saltHex, secretBlock: input.secretBlock },
    a,
    A,
    B,
    date,
    timestamp,
    signature,
  };
}

function vectorFixture(): Fixture {
  const date = parseCognitoTimestamp(vector.TIMESTAMP) ?? fail('the shared vector has an invalid TIMESTAMP');
  const f = makeFixture({
    label: 'shared test vector',
    poolName: vector.poolName,
    userIdForSrp: vector.username,
    password: vector.password,
    saltHex: vector.SALT,
    a: hexToBigInt(vector.a),
    b: hexToBigInt(vector.b),
    secretBlock: vector.SECRET_BLOCK,
    date,
  });
  // The reference itself must reproduce the vector before it may judge anyone.
  if (f.A.toString(16) !== vector.SRP_A) fail('server-side reference: A differs from the shared vector');
  if (f.B.toString(16) !== vector.SRP_B) fail('server-side reference: B differs from the shared vector');
  if (f.timestamp !== vector.TIMESTAMP) fail('server-side reference: TIMESTAMP differs from the shared vector');
  if (f.signature !== vector.PASSWORD_CLAIM_SIGNATURE) fail('server-side reference: signature differs from the vector');
  return f;
}

const randomBigInt = (bytes: number): bigint => BigInt('0x' + randomBytes(bytes).toString('hex'));

function randomFixture(label: string, date: Date): Fixture {
  const poolName = 'AbCdEf123';
  return makeFixture({
    label,
    poolName,
    userIdForSrp: randomUUID(), // email-as-username pools hand out a UUID as USER_ID_FOR_SRP
    password: `Pw-${randomBytes(9).toString('base64')}!`,
    saltHex: randomBytes(16).toString('hex'), // as Cognito sends it; may start with 0 or 8..f
    a: randomBigInt(128),
    b: randomBigInt(128),
    secretBlock: randomBytes(1200).toString('base64'), // real SECRET_BLOCKs are long
    date,
  });
}

// ---------------------------------------------------------------- contenders

type Operation = 'A' | 'signature' | 'prepared';

interface Contender {
  readonly id: string;
  readonly label: string;
  /** Required speed-up vs Amplify (both operations), if any. */
  readonly target?: number;
  /** Timed: a fresh random a and A = g^a, through the library's own entry point. Returns A as hex. */
  generateA(): Promise<() => string>;
  /** Untimed: A for the injected a, through the library's own code. */
  injectedA(f: Fixture): Promise<string>;
  /** Untimed setup for the fixture's injected a; the returned function is the timed signature work. */
  signer(f: Fixture): Promise<() => Promise<string>>;
  /** Optional extra row: A prepared ahead of submit; `before` and `after` are untimed. */
  prepared?: { before(): Promise<void>; take(): Promise<() => string>; after(): Promise<void> };
}

function authchart(id: string, label: string, engine: ModPowEngine, target: number, poolId: string): Contender {
  const client = new CognitoSrpClient(poolId, engine);
  const preparedClient = new CognitoSrpClient(poolId, engine);
  return {
    id,
    label,
    target,
    async generateA() {
      const { A } = client.createEphemeral();
      return () => A.toString(16);
    },
    async injectedA(f) {
      return new CognitoSrpClient(f.poolId, engine).createEphemeral(f.a).A.toString(16);
    },
    async signer(f) {
      const c = new CognitoSrpClient(f.poolId, engine);
      const ephemeral = c.createEphemeral(f.a);
      await c.routines.computeK(); // cached per client after the first call, like the other libraries' k
      return async () => (await c.passwordClaim(ephemeral, f.challenge, f.password, f.date)).signature;
    },
    prepared: {
      // prepare() schedules g^a on the next macrotask; let it finish before the clock starts.
      async before() {
        preparedClient.prepare();
        await flushMacrotasks();
      },
      async take() {
        const { A } = await preparedClient.takeEphemeral();
        return () => A.toString(16);
      },
      // Nothing is queued by takeEphemeral() (the runtime prepares the next when a sign-in may come); any timer left
      // runs here, outside the samples.
      async after() {
        await flushMacrotasks();
      },
    },
  };
}

function amplifyContender(poolName: string): Contender {
  const g = new amplify.BigInteger('2', 16);
  const NBig = new amplify.BigInteger(amplify.INIT_N, 16);
  return {
    id: 'amplify',
    label: `Amplify JS v6 (@aws-amplify/auth ${versionOf('@aws-amplify/auth')})`,
    async generateA() {
      const helper = await amplify.getAuthenticationHelper(poolName);
      return () => helper.A.toString(16);
    },
    async injectedA(f) {
      const a = new amplify.BigInteger(f.a.toString(16), 16);
      return (await amplify.calculateA({ a, g, N: NBig })).toString(16);
    },
    async signer(f) {
      const a = new amplify.BigInteger(f.a.toString(16), 16);
      const A = await amplify.calculateA({ a, g, N: NBig });
      const helper = new amplify.AuthenticationHelper({ userPoolName: f.poolName, a, g, A, N: NBig });
      const challengeParameters = {
        USER_ID_FOR_SRP: f.challenge.userIdForSrp,
        SRP_B: f.challenge.srpB,
        SALT: f.challenge.salt,
        SECRET_BLOCK: f.challenge.secretBlock,
      };
      // As handlePasswordVerifierChallenge does it (with the fixture's TIMESTAMP instead of getNowString()).
      return async () => {
        const serverBValue = new amplify.BigInteger(challengeParameters.SRP_B, 16);
        const salt = new amplify.BigInteger(challengeParameters.SALT, 16);
        const username = challengeParameters.USER_ID_FOR_SRP;
        const hkdf = await helper.getPasswordAuthenticationKey({ username, password: f.password, serverBValue, salt });
        return amplify.getSignatureString({
          userPoolName: f.poolName,
          username,
          challengeParameters,
          dateNow: f.timestamp,
          hkdf,
        });
      };
    },
  };
}

function cijHelperWithA(poolName: string, a: bigint): CijHelper {
  const helper = new CijAuthenticationHelper(poolName);
  // Inject a: replace smallAValue and let the library recompute largeAValue from it.
  helper.smallAValue = new helper.N.constructor(a.toString(16), 16);
  helper.largeAValue = null;
  helper.getLargeAValue((err) => {
    if (err) throw err;
  });
  return helper;
}

function cijContender(poolName: string): Contender {
  return {
    id: 'cij',
    label: `amazon-cognito-identity-js ${versionOf('amazon-cognito-identity-js')}`,
    async generateA() {
      const helper = new CijAuthenticationHelper(poolName);
      let A: CijBigInteger | undefined;
      helper.getLargeAValue((err, value) => {
        if (err) throw err;
        A = value;
      });
      return () => A?.toString(16) ?? '';
    },
    async injectedA(f) {
      return cijHelperWithA(f.poolName, f.a).largeAValue?.toString(16) ?? '';
    },
    async signer(f) {
      const helper = cijHelperWithA(f.poolName, f.a);
      const BigInteger = helper.N.constructor;
      const challengeParameters = { SRP_B: f.challenge.srpB, SALT: f.challenge.salt, SECRET_BLOCK: f.challenge.secretBlock };
      const username = f.challenge.userIdForSrp;
      // As CognitoUser.authenticateUserDefaultAuth does it (with the fixture's TIMESTAMP instead of getNowString()).
      return async () => {
        const serverBValue = new BigInteger(challengeParameters.SRP_B, 16);
        const salt = new BigInteger(challengeParameters.SALT, 16);
        const hkdf = await new Promise<Uint8Array>((resolve, reject) =>
          helper.getPasswordAuthenticationKey(username, f.password, serverBValue, salt, (err, key) =>
            err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(key),
          ),
        );
        const dateNow = f.timestamp;
        const concatBuffer = CijBuffer.concat([
          CijBuffer.from(f.poolName, 'utf8'),
          CijBuffer.from(username, 'utf8'),
          CijBuffer.from(challengeParameters.SECRET_BLOCK, 'base64'),
          CijBuffer.from(dateNow, 'utf8'),
        ]);
        const awsCryptoHash = new CijSha256(hkdf);
        awsCryptoHash.update(concatBuffer);
        return CijBuffer.from(awsCryptoHash.digestSync()).toString('base64');
      };
    },
  };
}

// ---------------------------------------------------------------- statistics and tables

interface Stats {
  n: number;
  min: number;
  median: number;
  p90: number;
  max: number;
}
function stats(samples: number[]): Stats {
  const s = [...samples].sort((x, y) => x - y);
  const at = (i: number): number => s[Math.min(s.length - 1, Math.max(0, i))]!;
  const mid = s.length >> 1;
  return {
    n: s.length,
    min: at(0),
    median: s.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2,
    p90: at(Math.ceil(0.9 * s.length) - 1),
    max: at(s.length - 1),
  };
}
const ms = (v: number): string =>
  v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v >= 0.01 ? v.toFixed(3) : v.toFixed(4);
const times = (v: number): string => (v >= 100 ? `${v.toFixed(0)}×` : v >= 10 ? `${v.toFixed(1)}×` : `${v.toFixed(2)}×`);

function table(header: string[], rows: string[][], align: ('l' | 'r')[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    '| ' + cells.map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ') + ' |';
  const rule = '|' + widths.map((w, i) => (align[i] === 'r' ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|';
  return [line(header), rule, ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------- run

const started = performance.now();
const runDate = new Date(Math.floor(Date.now() / 1000) * 1000);

console.log('authchart SRP benchmark — client-side Cognito USER_SRP_AUTH compute (3072-bit group, g = 2)');
console.log(
  `Node ${process.version} (V8 ${process.versions.v8}, OpenSSL ${process.versions.openssl}), ` +
    `${os.cpus().length} CPU × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.platform()} ${os.arch()}`,
);
console.log(
  `@aws-amplify/auth ${versionOf('@aws-amplify/auth')} (aws-amplify ${versionOf('aws-amplify')}), ` +
    `amazon-cognito-identity-js ${versionOf('amazon-cognito-identity-js')}, tssrp6a ${versionOf('tssrp6a')}`,
);
if (typeof (globalThis as { navigator?: unknown }).navigator !== 'undefined') {
  console.log(
    'note: `navigator` is defined in this runtime, so the jsbn copies in Amplify and identity-js may pick a slower digit routine than browsers do (Node ≥ 21 caveat).',
  );
}
console.log(`rounds: ${options.warmup} warm-up + ${options.rounds} measured, start position rotating\n`);

// 1. Correctness gate.
progress('building fixtures …', true);
const fixtures: Fixture[] = [vectorFixture()];
for (let i = 1; i <= options.fixtures; i++) fixtures.push(randomFixture(`random fixture ${i}`, runDate));
const timingFixture = fixtures[fixtures.length - 1]!;

const contenders: Contender[] = [
  authchart('browser', 'authchart browser path (BigInt + WebCrypto)', bigIntEngine, 5, timingFixture.poolId),
  authchart('node', 'authchart Node path (OpenSSL via node:crypto)', createOpenSslEngine(), 20, timingFixture.poolId),
  amplifyContender(timingFixture.poolName),
  cijContender(timingFixture.poolName),
];

let gateChecks = 0;
for (const [i, f] of fixtures.entries()) {
  progress(`correctness gate: fixture ${i + 1}/${fixtures.length} (${f.label})`, true);
  for (const c of contenders) {
    let A: string;
    let signature: string;
    try {
      A = await c.injectedA(f);
      signature = await (await c.signer(f))();
    } catch (error) {
      fail(`${c.label} threw on ${f.label}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    if (A !== f.A.toString(16)) fail(`${c.label}: A differs on ${f.label}\n  expected ${f.A.toString(16).slice(0, 32)}…\n  got      ${A.slice(0, 32)}…`);
    if (signature !== f.signature) {
      fail(`${c.label}: PASSWORD_CLAIM_SIGNATURE differs on ${f.label}\n  expected ${f.signature}\n  got      ${signature}`);
    }
    gateChecks++;
  }
}
progressDone();
console.log(
  `correctness gate passed: ${contenders.length} contenders × ${fixtures.length} fixtures (shared vector + ${options.fixtures} random) ` +
    `all reproduce A and the server-side PASSWORD_CLAIM_SIGNATURE (${gateChecks} checks).`,
);
console.log(`timed inputs: ${timingFixture.label}, SECRET_BLOCK ${Buffer.from(timingFixture.challenge.secretBlock, 'base64').length} bytes, signature ${timingFixture.signature}\n`);

// 2. Timing.
interface Task {
  readonly contender: Contender;
  readonly op: Operation;
  readonly run: () => Promise<void>;
}
const samples = new Map<string, number[]>();
const key = (c: Contender, op: Operation): string => `${c.id}:${op}`;
let record = false;
const push = (c: Contender, op: Operation, value: number): void => {
  if (!record) return;
  const list = samples.get(key(c, op)) ?? [];
  list.push(value);
  samples.set(key(c, op), list);
};
const checkA = (c: Contender, op: Operation, hex: string): void => {
  const A = hex ? BigInt('0x' + hex) : 0n;
  if (!(A > 1n && A < N)) fail(`${c.label}: ${op} produced an A outside (1, N): ${hex.slice(0, 32)}…`);
};

const roundTasks: Task[][] = [];
for (const c of contenders) {
  const sign = await c.signer(timingFixture);
  const tasks: Task[] = [
    {
      contender: c,
      op: 'A',
      run: async () => {
        const t0 = performance.now();
        const result = await c.generateA();
        const dt = performance.now() - t0;
        push(c, 'A', dt);
        checkA(c, 'A', result());
      },
    },
    {
      contender: c,
      op: 'signature',
      run: async () => {
        const t0 = performance.now();
        const signature = await sign();
        const dt = performance.now() - t0;
        push(c, 'signature', dt);
        if (signature !== timingFixture.signature) {
          fail(`${c.label}: PASSWORD_CLAIM_SIGNATURE differs during timing\n  expected ${timingFixture.signature}\n  got      ${signature}`);
        }
      },
    },
  ];
  const prepared = c.prepared;
  if (prepared) {
    tasks.push({
      contender: c,
      op: 'prepared',
      run: async () => {
        await prepared.before();
        const t0 = performance.now();
        const result = await prepared.take();
        const dt = performance.now() - t0;
        push(c, 'prepared', dt);
        await prepared.after();
        checkA(c, 'prepared', result());
      },
    });
  }
  roundTasks.push(tasks);
}

const totalRounds = options.warmup + options.rounds;
const timingStarted = performance.now();
const progressEvery = Math.max(1, Math.round(totalRounds / 10));
for (let round = 0; round < totalRounds; round++) {
  record = round >= options.warmup;
  const label = record ? `round ${round - options.warmup + 1}/${options.rounds}` : `warm-up ${round + 1}/${options.warmup}`;
  const elapsed = (performance.now() - timingStarted) / 1000;
  const eta = round > 0 ? ` · about ${Math.ceil((elapsed / round) * (totalRounds - round))} s left` : '';
  progress(`${label}${eta}`, round % progressEvery === 0 || round === totalRounds - 1);
  for (let j = 0; j < roundTasks.length; j++) {
    const tasks = roundTasks[(round + j) % roundTasks.length]!;
    for (const task of tasks) await task.run();
  }
}
progressDone();

// 3. Report.
const get = (c: Contender, op: Operation): Stats | undefined => {
  const list = samples.get(key(c, op));
  return list && list.length > 0 ? stats(list) : undefined;
};
const amplifyContenderRef = contenders.find((c) => c.id === 'amplify')!;
const ampA = get(amplifyContenderRef, 'A')!;
const ampSig = get(amplifyContenderRef, 'signature')!;

let targetsMissed = 0;
const summaryRows: string[][] = [];
for (const c of contenders) {
  const A = get(c, 'A')!;
  const sig = get(c, 'signature')!;
  const rA = ampA.median / A.median;
  const rSig = ampSig.median / sig.median;
  let target = c.id === 'amplify' ? 'baseline' : '—';
  let result = '';
  if (c.target !== undefined) {
    target = `≥ ${c.target}× faster`;
    const misses = [rA < c.target ? `A ${times(rA)}` : '', rSig < c.target ? `signature ${times(rSig)}` : ''].filter(Boolean);
    result = misses.length === 0 ? 'PASS' : `FAIL (${misses.join(', ')})`;
    if (misses.length > 0) targetsMissed++;
  }
  summaryRows.push([c.label, ms(A.median), times(rA), ms(sig.median), times(rSig), ms(A.median + sig.median), target, result]);
}
for (const c of contenders) {
  const p = get(c, 'prepared');
  if (!p) continue;
  summaryRows.push([
    `${c.label.replace(/ \(.*\)$/, '')}: A prepared ahead ¹`,
    ms(p.median),
    times(ampA.median / p.median),
    '',
    '',
    '',
    'not a target',
    '',
  ]);
}

console.log(`Median ms per operation, ${options.rounds} rounds; "× Amplify" = Amplify median ÷ this median (higher is faster).\n`);
console.log(
  table(
    ['contender', 'generate A', '× Amplify', 'signature', '× Amplify', 'A + signature', 'target vs Amplify', 'result'],
    summaryRows,
    ['l', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
  ),
);
console.log(
  '\n¹ CognitoSrpClient.prepare() computed A earlier (e.g. while the form is shown); the row is what\n' +
    '  takeEphemeral() costs at submit, i.e. what the user waits for. Generating A itself is the row above.\n',
);

const detailRows: string[][] = [];
const opNames: Record<Operation, string> = {
  A: 'generate A',
  prepared: 'A prepared ahead: takeEphemeral()',
  signature: 'PASSWORD_CLAIM_SIGNATURE',
};
for (const op of ['A', 'prepared', 'signature'] as const) {
  const ref = op === 'signature' ? ampSig : ampA;
  for (const c of contenders) {
    const s = get(c, op);
    if (!s) continue;
    detailRows.push([opNames[op], c.label, ms(s.min), ms(s.median), ms(s.p90), ms(s.max), String(s.n), times(ref.median / s.median)]);
  }
}
console.log('Per-operation distribution (ms):\n');
console.log(
  table(['operation', 'contender', 'min', 'median', 'p90', 'max', 'n', '× Amplify'], detailRows, ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r']),
);

const total = (performance.now() - started) / 1000;
console.log(
  `\nTargets: browser path ≥ 5× and Node path ≥ 20× faster than Amplify on both operations — ` +
    (targetsMissed === 0 ? 'all met.' : `${targetsMissed} contender(s) missed.`),
);
console.log(`Total run time ${total.toFixed(1)} s.`);
if (options.strict && targetsMissed > 0) process.exitCode = 2;
