// Helpers for the local-pool tests: a pool on port 0 over a temp SQLite file, the real SDK
// client pointed at it, and SRP computed with authchart's own client-side code.
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type InitiateAuthCommandOutput,
  type RespondToAuthChallengeCommandInput,
  type RespondToAuthChallengeCommandOutput,
  type SetUserPoolMfaConfigCommandInput,
  type UserPoolMfaType as MfaConfiguration,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoSrpClient,
  cognitoHkdf,
  cognitoTimestamp,
  hexToBigInt,
  passwordClaimSignature,
  type SrpEphemeral,
} from '../../src/cognito/srp.js';
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';
import { ManualClock, startLocalPool, totpCode, type LocalPool, type LocalPoolOptions } from '../../src/local-pool/index.js';
import { secretHash } from '../../src/local-pool/crypto/secrets.js';
import { premadeSigningKeyPairs } from '../support/signing-keys.js';
import type { PoolContext } from '../../src/local-pool/context.js';
import { SrpServer } from '../../src/local-pool/crypto/srp-server.js';
import { TokenService } from '../../src/local-pool/crypto/tokens.js';
import { defaultLockoutPolicy } from '../../src/local-pool/flows/lockout.js';
import { Outbox } from '../../src/local-pool/outbox/outbox.js';
import { createClient, createPool } from '../../src/local-pool/pools/provisioning.js';
import { Store } from '../../src/local-pool/store/store.js';
import type { ClientRecord, PoolRecord } from '../../src/local-pool/store/model.js';
import { FunctionRunner } from '../../src/local-pool/triggers/runtime.js';

export const STRONG_PASSWORD = 'Passw0rd!strong';

export function sdkClient(url: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
}

export interface PoolHarness {
  pool: LocalPool;
  clock: ManualClock;
  sdk: CognitoIdentityProviderClient;
  dataFile: string;
  /** Close and start again on the same file (and clock). */
  restart(options?: Partial<LocalPoolOptions>): Promise<PoolHarness>;
  close(): Promise<void>;
}

/**
 * RSA pairs made once per test file and handed out in turn: pools created by tests get their own key
 * ids but share key material, which saves ~0.2 s per pool and pair. (The default, a fresh pair per
 * key, is what `authchart pool` and startLocalPool without options use.)
 */
export { premadeSigningKeyPairs };

/**
 * The pool's handlers driven in process, for a window too short to hit over HTTP: an in-memory store
 * on a manual clock, one pool and a USER_PASSWORD_AUTH client. Close it with `ctx.store.close()`.
 */
export function inProcessPool(srp: SrpServer = new SrpServer()): { ctx: PoolContext; pool: PoolRecord; client: ClientRecord } {
  const store = new Store(':memory:');
  const clock = new ManualClock();
  const ctx: PoolContext = {
    store,
    clock,
    srp,
    tokens: new TokenService(store, clock, () => 'http://127.0.0.1', premadeSigningKeyPairs),
    lockout: defaultLockoutPolicy,
    outbox: new Outbox(store, clock, () => undefined),
    mfaCodeAttempts: 3,
    region: 'us-east-1',
    simulationKey: 'key',
    functions: new FunctionRunner({ timeoutMs: 5000, log: () => undefined }),
    log: () => undefined,
  };
  const pool = createPool(ctx, { name: 'p', settings: {} });
  const client = createClient(ctx, { pool, name: 'c', secret: null, settings: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] } });
  return { ctx, pool, client };
}

export async function startPool(options: Partial<LocalPoolOptions> = {}): Promise<PoolHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'authchart-pool-'));
  const dataFile = join(dir, 'pool.sqlite');
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock(Date.now());
  const make = async (extra: Partial<LocalPoolOptions>): Promise<PoolHarness> => {
    const pool = await startLocalPool({ port: 0, dataFile, clock, signingKeyPairs: premadeSigningKeyPairs, localApi: true, ...options, ...extra });
    const sdk = sdkClient(pool.url);
    return {
      pool,
      clock,
      sdk,
      dataFile,
      async restart(next = {}) {
        sdk.destroy();
        await pool.close();
        return make(next);
      },
      async close() {
        sdk.destroy();
        await pool.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
  return make({});
}

export interface Setup {
  poolId: string;
  clientId: string;
  clientSecret?: string;
}

export async function createPoolAndClient(
  sdk: CognitoIdentityProviderClient,
  pool: Partial<CreateUserPoolCommandInput> = {},
  client: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<Setup> {
  const created = await sdk.send(new CreateUserPoolCommand({ PoolName: 'test', ...pool }));
  const poolId = created.UserPool!.Id!;
  const app = await sdk.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...client,
    }),
  );
  const secret = app.UserPoolClient!.ClientSecret;
  return { poolId, clientId: app.UserPoolClient!.ClientId!, ...(secret ? { clientSecret: secret } : {}) };
}

export async function createUser(
  sdk: CognitoIdentityProviderClient,
  poolId: string,
  username: string,
  password: string,
  options: { attributes?: Record<string, string>; temporary?: boolean } = {},
): Promise<void> {
  await sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      TemporaryPassword: password,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(options.attributes ?? {}).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  if (!options.temporary) {
    await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
  }
}

const engine = createOpenSslEngine();

/** SRP step 1: InitiateAuth USER_SRP_AUTH with a fresh ephemeral. */
export async function startSrp(
  sdk: CognitoIdentityProviderClient,
  setup: Setup,
  username: string,
): Promise<{ srp: CognitoSrpClient; ephemeral: SrpEphemeral; response: InitiateAuthCommandOutput }> {
  const srp = new CognitoSrpClient(setup.poolId, engine);
  const ephemeral = srp.createEphemeral();
  const response = await sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: setup.clientId,
      AuthParameters: {
        USERNAME: username,
        SRP_A: ephemeral.A.toString(16),
        ...(setup.clientSecret ? { SECRET_HASH: secretHash(setup.clientSecret, username, setup.clientId) } : {}),
      },
    }),
  );
  return { srp, ephemeral, response };
}

/** PASSWORD_CLAIM_SIGNATURE over any TIMESTAMP string (lets tests send malformed ones). */
export async function signClaim(
  srp: CognitoSrpClient,
  ephemeral: SrpEphemeral,
  parameters: Record<string, string>,
  password: string,
  timestamp: string,
): Promise<string> {
  const userId = parameters['USER_ID_FOR_SRP']!;
  const B = hexToBigInt(parameters['SRP_B']!);
  const u = await srp.routines.computeU(ephemeral.A, B);
  const x = await srp.routines.computeX(srp.poolName + userId, hexToBigInt(parameters['SALT']!), password);
  const S = srp.routines.computeClientSessionKey(await srp.routines.computeK(), x, u, ephemeral.a, B);
  return passwordClaimSignature(await cognitoHkdf(S, u), srp.poolName, userId, parameters['SECRET_BLOCK']!, timestamp);
}

export interface VerifierAnswer {
  password?: string;
  timestamp?: string;
  secretBlock?: string;
  username?: string;
  session?: string;
}

/** SRP step 2: RespondToAuthChallenge PASSWORD_VERIFIER, with knobs to send wrong values. */
export async function answerVerifier(
  sdk: CognitoIdentityProviderClient,
  setup: Setup,
  started: Awaited<ReturnType<typeof startSrp>>,
  password: string,
  now: Date,
  overrides: VerifierAnswer = {},
): Promise<RespondToAuthChallengeCommandOutput> {
  const parameters = started.response.ChallengeParameters!;
  const timestamp = overrides.timestamp ?? cognitoTimestamp(now);
  const signature = await signClaim(started.srp, started.ephemeral, parameters, overrides.password ?? password, timestamp);
  const username = overrides.username ?? parameters['USER_ID_FOR_SRP']!;
  return sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: setup.clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: overrides.session ?? started.response.Session!,
      ChallengeResponses: {
        USERNAME: username,
        PASSWORD_CLAIM_SECRET_BLOCK: overrides.secretBlock ?? parameters['SECRET_BLOCK']!,
        PASSWORD_CLAIM_SIGNATURE: signature,
        TIMESTAMP: timestamp,
        ...(setup.clientSecret ? { SECRET_HASH: secretHash(setup.clientSecret, username, setup.clientId) } : {}),
      },
    }),
  );
}

export async function srpSignIn(
  sdk: CognitoIdentityProviderClient,
  setup: Setup,
  username: string,
  password: string,
  now: Date,
): Promise<RespondToAuthChallengeCommandOutput> {
  return answerVerifier(sdk, setup, await startSrp(sdk, setup, username), password, now);
}

export async function passwordSignIn(
  sdk: CognitoIdentityProviderClient,
  setup: Setup,
  username: string,
  password: string,
): Promise<InitiateAuthCommandOutput> {
  return sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: setup.clientId,
      AuthParameters: {
        USERNAME: username,
        PASSWORD: password,
        ...(setup.clientSecret ? { SECRET_HASH: secretHash(setup.clientSecret, username, setup.clientId) } : {}),
      },
    }),
  );
}

/** A promise's rejection as {name, message}, so tests can assert both exactly. */
export async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error;
    return { name: e.name, message: e.message };
  }
  throw new Error('expected the call to fail');
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** A hand-made HTTP call, for wire-format checks the SDK would hide. */
export async function rawCall(url: string, init: { method?: string; target?: string; body?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const response = await fetch(url, {
    method: init.method ?? 'POST',
    headers: {
      ...(init.target !== undefined ? { 'x-amz-target': init.target, 'content-type': 'application/x-amz-json-1.1' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export interface NodeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * A request through node:http, for what fetch does not allow: any Host header, no Content-Type, a
 * body written in pieces (with Content-Length, or chunked when `chunked`).
 */
export function nodeRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; chunked?: boolean } = {},
): Promise<NodeResponse> {
  return new Promise((resolve, reject) => {
    const body = init.body ?? '';
    const length = init.body === undefined || init.chunked ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    const req = request(url, { method: init.method ?? 'GET', headers: { ...length, ...init.headers } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    for (let offset = 0; offset < body.length; offset += 64 * 1024) req.write(body.slice(offset, offset + 64 * 1024));
    req.end();
  });
}

/** Amplify warns on every configure that a custom user-pool endpoint is in use; that is the point here. */
export function quietAmplifyEndpointWarning(): void {
  const warn = console.warn.bind(console);
  beforeAll(() => {
    jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (!args.some((a) => typeof a === 'string' && a.includes('custom Amazon'))) warn(...args);
    });
  });
  afterAll(() => jest.restoreAllMocks());
}

// ---------- MFA ----------

export type MfaPoolConfig = Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>;

/** Every factor on: SMS, TOTP and e-mail. */
export const ALL_FACTORS: MfaPoolConfig = {
  SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your authentication code is {####}' },
  SoftwareTokenMfaConfiguration: { Enabled: true },
  EmailMfaConfiguration: { Subject: 'Your code', Message: 'Your authentication code is {####}' },
};

export async function setPoolMfa(sdk: CognitoIdentityProviderClient, poolId: string, mfa: MfaConfiguration, factors: MfaPoolConfig = ALL_FACTORS): Promise<void> {
  await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: mfa, ...factors }));
}

/** The first factor, SRP (default) or USER_PASSWORD_AUTH; returns the response that follows the password. */
export async function firstFactor(
  h: PoolHarness,
  setup: Setup,
  username: string,
  password: string,
  flow: 'SRP' | 'PASSWORD' = 'SRP',
): Promise<InitiateAuthCommandOutput | RespondToAuthChallengeCommandOutput> {
  if (flow === 'PASSWORD') return passwordSignIn(h.sdk, setup, username, password);
  return srpSignIn(h.sdk, setup, username, password, new Date(h.clock.now()));
}

/** RespondToAuthChallenge as the chart sends it: USERNAME (canonical) plus the answer. */
export function respond(
  sdk: CognitoIdentityProviderClient,
  setup: Setup,
  challengeName: string,
  session: string | undefined,
  responses: Record<string, string>,
): Promise<RespondToAuthChallengeCommandOutput> {
  return sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: setup.clientId,
      ChallengeName: challengeName as RespondToAuthChallengeCommandInput['ChallengeName'],
      ...(session !== undefined ? { Session: session } : {}),
      ChallengeResponses: responses,
    }),
  );
}

/** The code of the newest outbox message to this user. */
export function lastCode(pool: LocalPool, username: string): string {
  const message = pool.outbox({ username }).at(-1);
  if (!message?.code) throw new Error(`no code in the outbox for ${username}`);
  return message.code;
}

/** A code the authenticator shows `steps` steps from the pool's time (for window and replay checks). */
export function totpAt(secret: string, h: PoolHarness, steps = 0): string {
  return totpCode(secret, h.clock.now() + steps * 30_000);
}

/** Moves the pool's clock to the start of the next 30 s TOTP step (a fresh code, not a replay). */
export function nextTotpStep(h: PoolHarness): void {
  h.clock.advance(30_000 - (h.clock.now() % 30_000));
}

/** The target names (without the service prefix) the pool received since the last reset. */
export function targets(pool: LocalPool): string[] {
  return pool.requests.map((r) => r.target.replace('AWSCognitoIdentityProviderService.', ''));
}
