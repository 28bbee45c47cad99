// The local pool: a Cognito-compatible user-pool server (AWS JSON 1.1 over HTTP) on SQLite.
// Its one public entry; the layers behind it (api/, flows/, pools/, store/, crypto/, outbox/) are
// described under "Layout" in docs/local-pool.md.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { operations } from './api/handlers/index.js';
import { DEFAULT_ALLOWED_ORIGINS, ExposurePolicy } from './api/exposure.js';
import { currentTotpCode, type CurrentTotpCode } from './api/local-api.js';
import { answerUnreadableRequest, createRequestListener, type RequestLogEntry } from './api/server.js';
import { systemClock, type Clock } from './clock.js';
import { FaultPlan, type Fault, type FaultKind } from './api/faults.js';
import type { PoolContext } from './context.js';
import { CryptoWorkers } from './crypto/crypto-workers.js';
import { SrpServer } from './crypto/srp-server.js';
import { TokenService, type RsaKeyPair } from './crypto/tokens.js';
import { defaultLockoutPolicy, type LockoutPolicy } from './flows/lockout.js';
import { oneLineLog } from './log.js';
import { Outbox, type OutboxFilter } from './outbox/outbox.js';
import { applySeed, applySeedInChunks, type ChunkedSeedOptions, type SeedDocument, type SeedResult } from './pools/seed.js';
import type { OutboxMessage } from './store/model.js';
import { Store } from './store/store.js';
import { loadSqliteDriver } from './store/sqlite-driver.js';
import { FunctionRunner } from './triggers/runtime.js';
import { deliverFunctionMessage } from './triggers/function-outbox.js';

export { DEFAULT_ALLOWED_ORIGINS, LOOPBACK_ORIGIN } from './api/exposure.js';
export type { CurrentTotpCode } from './api/local-api.js';
export type { RequestLogEntry } from './api/server.js';
export { ManualClock, type Clock } from './clock.js';
export type { RsaKeyPair } from './crypto/tokens.js';
export { totpCode } from './crypto/totp.js';
export type { LockoutPolicy } from './flows/lockout.js';
export type { OutboxFilter } from './outbox/outbox.js';
export type { ChunkedSeedOptions, SeedClient, SeedDocument, SeedGroup, SeedOutcome, SeedPool, SeedProgress, SeedResult, SeedUser } from './pools/seed.js';
export type { MfaType, OutboxMessage } from './store/model.js';
export type { SeedHostedUi, SeedIdentityProvider, SeedResourceServer, SeedStandIn } from './oauth/seed.js';

export interface LocalPoolOptions {
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1: nothing outside this machine can reach it. */
  host?: string;
  /** SQLite file; default ':memory:' (gone on close). */
  dataFile?: string;
  /** Region used for new pool ids. Default us-east-1. */
  region?: string;
  clock?: Clock;
  /** One line per request, outbox message, Lambda call (and its console output) and internal error (control characters escaped). Default: silent. */
  log?: (line: string) => void;
  /** Applied before the server starts listening. */
  seed?: SeedDocument;
  lockout?: Partial<LockoutPolicy>;
  /** Wrong MFA codes one challenge Session takes; the one that reaches it ends the Session. Default 3. */
  mfaCodeAttempts?: number;
  /**
   * Source of the RSA key pairs new pools sign tokens with (two per pool). Default: a fresh 2048-bit
   * pair each time. Tests may hand out pre-made pairs to save the generation time; each pool still
   * gets its own key ids.
   */
  signingKeyPairs?: () => Promise<RsaKeyPair>;
  /** Enables POST /_local/clock {"advanceMs": n} (needs a ManualClock); implies localApi. */
  enableControlApi?: boolean;
  /**
   * Serves /_local/* (outbox, TOTP codes, request log): to non-browser clients and the pool's own
   * pages only. Default: on when `staticDir` (the demo page, which reads them) or `enableControlApi`
   * is given, off otherwise.
   */
  localApi?: boolean;
  /**
   * Browser origins whose pages may call the public Cognito operations (InitiateAuth, the challenge
   * answers, the token operations ...), as exact origins, RegExps, or '*' for any. Admin operations and
   * /_local/* never answer pages of another origin, whatever this says. The pool's own origin is
   * always allowed. Default DEFAULT_ALLOWED_ORIGINS: loopback origins on any port, and "null" (file://).
   */
  allowedOrigins?: ReadonlyArray<string | RegExp>;
  /**
   * Host header names accepted besides localhost, *.localhost, 127.x.x.x, [::1] and the bound address
   * (e.g. a docker-compose service name); ".example.test" accepts its subdomains. Other Hosts are refused
   * with 421 (DNS rebinding).
   */
  allowedHosts?: readonly string[];
  /** A directory of web files to serve on GET (the demo page: dist/demo). */
  staticDir?: string;
  /**
   * Enables POST /_local/reset (needs localApi; header x-authchart-reset: demo-data): the users of this
   * document's pools are removed with their sessions, codes, tokens, devices and passkeys, the pools'
   * outbox emptied, and the document applied again. `authchart pool --demo` passes its seed.
   */
  resetSeed?: SeedDocument;
  /**
   * Where the Lambda functions of the pools' triggers are: DIR/NAME.mjs, .js or .cjs is the function
   * NAME (docs/local-pool.md, "Lambda triggers"). Default none: a trigger a pool names then answers
   * UnexpectedLambdaException. (A seed document's `functions` is read by `authchart pool`, which
   * knows where the seed file is.)
   */
  functions?: string;
  /** How long a trigger's function may take, in ms. Default 5000, as Cognito waits. */
  lambdaTimeoutMs?: number;
}

export type { Fault, FaultKind };

export interface LocalPool {
  /** http://host:port, the `endpoint` for SDK clients and Amplify's userPoolEndpoint. */
  readonly url: string;
  readonly port: number;
  readonly region: string;
  readonly clock: Clock;
  /** Every API call received, oldest first (also at GET /_local/requests). */
  readonly requests: ReadonlyArray<RequestLogEntry>;
  resetRequestLog(): void;
  /** Every SMS and e-mail the pool "sent", oldest first (also at GET /_local/outbox). */
  outbox(filter?: OutboxFilter): OutboxMessage[];
  /** The code the user's authenticator would show now (also at GET /_local/totp). */
  totpCode(userPoolId: string, username: string, options?: { pending?: boolean }): string;
  /** totpCode with the details: which secret, seconds left. */
  currentTotp(userPoolId: string, username: string, options?: { pending?: boolean }): CurrentTotpCode;
  /** Applies a seed document in one transaction (verifiers computed on this thread: for small documents). */
  seed(doc: SeedDocument): SeedResult;
  /**
   * Applies a seed document while the pool keeps answering: verifiers in worker threads, users written
   * in chunks (docs/local-pool.md, "Seeding many users"). What it adds is removed again when it fails.
   */
  seedWhileServing(doc: SeedDocument, options?: ChunkedSeedOptions): Promise<SeedResult>;
  /** The next `count` calls of `operation` ("*": any) fail with `fault` (also POST /_local/faults with the control API). */
  injectFault(fault: Fault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** A URL host for the bound address: wildcard binds are reached through loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startLocalPool(options: LocalPoolOptions = {}): Promise<LocalPool> {
  const region = options.region ?? 'us-east-1';
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const log = oneLineLog(options.log);
  const mfaCodeAttempts = options.mfaCodeAttempts ?? 3;
  if (!Number.isInteger(mfaCodeAttempts) || mfaCodeAttempts < 1) throw new RangeError('mfaCodeAttempts must be a positive integer');
  const lambdaTimeoutMs = options.lambdaTimeoutMs ?? 5000;
  if (!(lambdaTimeoutMs > 0)) throw new RangeError('lambdaTimeoutMs must be a positive number');
  await loadSqliteDriver();
  const store = new Store(options.dataFile ?? ':memory:');
  const workers = new CryptoWorkers();
  const functions = new FunctionRunner({
    directory: options.functions,
    timeoutMs: lambdaTimeoutMs,
    log,
    deliver: (event, message) => deliverFunctionMessage(ctx, event, message),
  });
  let url = '';
  const ctx: PoolContext = {
    store,
    clock,
    srp: new SrpServer(workers),
    tokens: new TokenService(store, clock, () => url, options.signingKeyPairs),
    lockout: { ...defaultLockoutPolicy, ...options.lockout },
    outbox: new Outbox(store, clock, log),
    mfaCodeAttempts,
    region,
    simulationKey: store.setting('simulation_key', () => randomBytes(32).toString('base64')),
    functions,
    log,
  };
  const requests: RequestLogEntry[] = [];
  const faults = new FaultPlan();
  let server: Server;
  let port: number;
  try {
    if (options.seed) await applySeedInChunks(ctx, options.seed);
    server = createServer(
      // Longer than a client's pause between calls: a connection the pool closes while a client reuses it is a
      // "read ECONNRESET" for a client that does not retry (Node's default of 5 s was hit by SDK scripts' pauses).
      // Below headersTimeout (60 s), as Node needs; close() ends idle connections at once.
      { keepAliveTimeout: 30_000 },
      createRequestListener({
        ctx,
        operations,
        requests,
        log,
        clock,
        enableControlApi: options.enableControlApi ?? false,
        localApi: options.localApi ?? (options.staticDir !== undefined || options.enableControlApi === true),
        exposure: new ExposurePolicy({
          allowedOrigins: options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS,
          allowedHosts: options.allowedHosts ?? [],
          boundHost: host,
        }),
        staticDir: options.staticDir,
        faults,
        resetSeed: options.resetSeed,
      }),
    );
    server.on('clientError', answerUnreadableRequest);
    port = await listen(server, options.port ?? 0, host);
  } catch (error) {
    store.close();
    await Promise.all([workers.close(), functions.close()]);
    throw error;
  }
  url = `http://${urlHost(host)}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    region,
    clock,
    requests,
    resetRequestLog: () => void requests.splice(0),
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    outbox: (filter) => ctx.outbox.list(filter),
    totpCode: (userPoolId, username, opts) => currentTotpCode(ctx, userPoolId, username, opts?.pending).code,
    currentTotp: (userPoolId, username, opts) => currentTotpCode(ctx, userPoolId, username, opts?.pending),
    seed: (doc) => applySeed(ctx, doc),
    seedWhileServing: (doc, seedOptions) => applySeedInChunks(ctx, doc, seedOptions),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      }).finally(async () => {
        await Promise.all([workers.close(), functions.close()]);
        store.close();
      });
      return closing;
    },
  };
}
