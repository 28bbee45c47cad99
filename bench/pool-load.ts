// Load for the pool benchmark: a small AWS JSON 1.1 client over keep-alive HTTP (the same one for
// every server, so the comparison is of servers, not of client libraries), a closed-loop runner
// with latency percentiles, and the two sign-ins (USER_PASSWORD_AUTH, USER_SRP_AUTH).
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Worker, parentPort } from 'node:worker_threads';
import { CognitoSrpClient, type PasswordClaim, type PasswordVerifierChallenge } from '../src/cognito/srp.js';
import { createOpenSslEngine } from '../src/cognito/srp-node.js';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs Cognito operations to one endpoint, at most `sockets` at a time. */
export class JsonClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(endpoint: string, sockets: number) {
    this.url = new URL(endpoint);
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  call(operation: string, input: Record<string, unknown>): Promise<Answer> {
    const payload = Buffer.from(JSON.stringify(input));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path: '/',
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
            'content-length': payload.length,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) });
            } catch {
              reject(new Error(`${operation}: HTTP ${res.statusCode}, not JSON: ${text.slice(0, 200)}`));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** The answer of a call that must succeed. */
  async expect(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const answer = await this.call(operation, input);
    if (answer.status !== 200) throw new Error(`${operation}: HTTP ${answer.status} ${String(answer.body['__type'] ?? '')} ${String(answer.body['message'] ?? '')}`);
    return answer.body;
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface LoadResult {
  concurrency: number;
  /** Completed operations in the measured window. */
  count: number;
  errors: number;
  firstError: string | undefined;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU the server and this (client) process used in the measured window, in cores (1 = one core busy). */
  serverCores?: number;
  clientCores?: number;
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * `concurrency` loops each running `operation` back to back. The first `warmupMs` are not counted;
 * then operations that finish within `durationMs` count. `operation` gets a running number (to pick
 * users) and throws on failure.
 */
export async function closedLoop(options: {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  operation: (n: number) => Promise<void>;
}): Promise<LoadResult> {
  const { concurrency, warmupMs, durationMs, operation } = options;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const measureUntil = measureFrom + durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const loop = async () => {
    while (performance.now() < measureUntil) {
      const began = performance.now();
      let failed = false;
      try {
        await operation(next++);
      } catch (error) {
        failed = true;
        firstError ??= (error as Error).message;
      }
      const ended = performance.now();
      if (began >= measureFrom && ended <= measureUntil) {
        if (failed) errors++;
        else latencies.push(ended - began);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    count: latencies.length,
    errors,
    firstError,
    perSecond: latencies.length / (durationMs / 1000),
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1) ?? Number.NaN,
  };
}

export interface Target {
  client: JsonClient;
  poolId: string;
  clientId: string;
}

/** USER_PASSWORD_AUTH straight to tokens. */
export async function passwordSignIn(target: Target, username: string, password: string): Promise<void> {
  const body = await target.client.expect('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: target.clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  if (!(body['AuthenticationResult'] as { AccessToken?: string } | undefined)?.AccessToken) {
    throw new Error(`USER_PASSWORD_AUTH answered no tokens: ${JSON.stringify(body).slice(0, 200)}`);
  }
}

/**
 * Client ephemerals (a, A = g^a) made before any cell and handed out in turn. An app makes A while its form
 * is shown (CognitoSrpClient.prepare()); here the client shares the pool's two cores and has no idle time, so
 * A is made ahead to keep the measured window about the server. Each sign-in still answers its own fresh B.
 */
export const PREPARED_EPHEMERALS = 256;

interface ClaimRequest {
  id: number;
  poolId: string;
  a: string;
  A: string;
  challenge: PasswordVerifierChallenge;
  password: string;
}

/**
 * The bench client's worker side (pool.bench.ts runs this when it is started as a worker): each message is one
 * PASSWORD_CLAIM_SIGNATURE to compute.
 */
export function serveClaims(): void {
  const clients = new Map<string, CognitoSrpClient>();
  parentPort!.on('message', async ({ id, poolId, a, A, challenge, password }: ClaimRequest) => {
    try {
      let srp = clients.get(poolId);
      if (!srp) clients.set(poolId, (srp = new CognitoSrpClient(poolId, createOpenSslEngine())));
      parentPort!.postMessage({ id, claim: await srp.passwordClaim({ a: BigInt('0x' + a), A: BigInt('0x' + A) }, challenge, password) });
    } catch (error) {
      parentPort!.postMessage({ id, error: String(error) });
    }
  });
}

/**
 * Worker threads of the bench client that compute the claims (its biggest cost, one 3072-bit exponentiation with a
 * 1024-bit exponent): many clients are many machines, and one client thread would otherwise queue every claim
 * behind the others. `script`: this bundle's URL (it runs serveClaims() when it is not the main thread).
 */
export class ClaimThreads {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (claim: PasswordClaim) => void; reject: (error: Error) => void }>();
  private next = 0;

  constructor(script: URL, threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(script);
      worker.unref();
      worker.on('message', ({ id, claim, error }: { id: number; claim?: PasswordClaim; error?: string }) => {
        const task = this.pending.get(id);
        this.pending.delete(id);
        // A claim under way keeps the process alive (idle keep-alive sockets do not).
        if (this.pending.size === 0) for (const w of this.workers) w.unref();
        if (claim) task?.resolve(claim);
        else task?.reject(new Error(`claim worker: ${error}`));
      });
      this.workers.push(worker);
    }
  }

  claim(request: Omit<ClaimRequest, 'id'>): Promise<PasswordClaim> {
    const id = this.next++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, ...request });
    });
  }

  close(): Promise<number[]> {
    return Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/**
 * USER_SRP_AUTH + PASSWORD_VERIFIER with authchart's Node SRP client (OpenSSL), as a real client does it,
 * except that A comes from PREPARED_EPHEMERALS made ahead, and the claim is computed by `threads` when given.
 */
export function srpSignIn(target: Target, threads?: ClaimThreads): (username: string, password: string) => Promise<void> {
  const srp = new CognitoSrpClient(target.poolId, createOpenSslEngine());
  const prepared = Array.from({ length: PREPARED_EPHEMERALS }, () => srp.createEphemeral());
  let turn = 0;
  return async (username, password) => {
    const ephemeral = prepared[turn++ % prepared.length]!;
    const started = await target.client.expect('InitiateAuth', {
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: target.clientId,
      AuthParameters: { USERNAME: username, SRP_A: ephemeral.A.toString(16) },
    });
    const parameters = started['ChallengeParameters'] as Record<string, string>;
    const challenge = { srpB: parameters['SRP_B']!, salt: parameters['SALT']!, secretBlock: parameters['SECRET_BLOCK']!, userIdForSrp: parameters['USER_ID_FOR_SRP']! };
    const claim = threads
      ? await threads.claim({ poolId: target.poolId, a: ephemeral.a.toString(16), A: ephemeral.A.toString(16), challenge, password })
      : await srp.passwordClaim(ephemeral, challenge, password);
    const done = await target.client.expect('RespondToAuthChallenge', {
      ChallengeName: 'PASSWORD_VERIFIER',
      ClientId: target.clientId,
      Session: started['Session'],
      ChallengeResponses: {
        USERNAME: parameters['USER_ID_FOR_SRP'],
        PASSWORD_CLAIM_SECRET_BLOCK: parameters['SECRET_BLOCK'],
        TIMESTAMP: claim.timestamp,
        PASSWORD_CLAIM_SIGNATURE: claim.signature,
      },
    });
    if (!(done['AuthenticationResult'] as { AccessToken?: string } | undefined)?.AccessToken) {
      throw new Error(`PASSWORD_VERIFIER answered no tokens: ${JSON.stringify(done).slice(0, 200)}`);
    }
  };
}
