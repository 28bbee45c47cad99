// Server side of Cognito SRP: verifiers, B, the check of PASSWORD_CLAIM_SIGNATURE, and the check of a
// plain password (USER_PASSWORD_AUTH) against the same verifier. The math it shares with the client
// (group, padding, k, u, key derivation, the claim signature) is src/cognito/srp-math.ts; modular
// exponentiation is ./srp-kernel.ts (a fixed-base table for g^e, OpenSSL for the rest).
import * as nodeCrypto from 'node:crypto';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { N, N_HEX, base64Decode, hexToBigInt, padHex, poolNameOf, srpK } from '../../cognito/srp-math.js';
import type { CryptoWorkers, VerifierInput } from './crypto-workers.js';
import { createSrpKernel, type SrpKernel } from './srp-kernel.js';
import { hmacSha256, uuidFromBytes } from './secrets.js';

export interface SrpVerifier {
  /** hex of the salt as it is sent in SALT */
  salt: string;
  /** hex of v = g^x mod N */
  verifier: string;
}

export interface ServerEphemeral {
  b: string;
  B: string;
}

export interface ClaimToCheck {
  poolId: string;
  /** The name hashed in place of the pool's when it is another (a device's SRP: its DeviceGroupKey). */
  poolName?: string;
  userIdForSrp: string;
  verifier: string;
  A: string;
  b: string;
  B: string;
  secretBlock: string;
  timestamp: string;
  signature: string;
}

export interface VerifierRequest {
  poolId: string;
  /** USER_ID_FOR_SRP, the canonical username */
  username: string;
  password: string;
}

/**
 * Bytes of the server's private value b. 256 bits: twice the 128-bit strength of the 3072-bit group,
 * the private-key size NIST SP 800-56A gives this group (and what OpenSSL picks for it).
 */
const PRIVATE_VALUE_BYTES = 32;
/** Verifiers per message to a worker thread when many are made at once (seeding): about 60 ms of work. */
const BATCH = 256;
/** From this many verifiers at once, the worker threads build srp-kernel's wide table: its build pays off. */
const WIDE_TABLE_FROM = 40_000;

/** Same length for every verifier, so comparing them takes the same time whatever they hold. */
const fixedWidth = (hex: string): Buffer => Buffer.from(hex.padStart(N_HEX.length, '0'), 'hex');
/** How many unknown names' simulated verifiers are kept (about 1 KB each). */
const SIMULATED_KEPT = 4096;

export class SrpServer {
  private readonly kernel: SrpKernel = createSrpKernel(nodeCrypto, N_HEX);
  private readonly simulated = new Map<string, SrpVerifier & { userIdForSrp: string }>();
  /** What a password of a name without a password is checked against: the same work, never a match. */
  private readonly decoy: SrpVerifier = {
    salt: randomBytes(16).toString('hex'),
    verifier: (hexToBigInt(randomBytes(384).toString('hex')) % N).toString(16),
  };

  /** `workers`: where verifiers are computed; without, on the calling thread. */
  constructor(private readonly workers?: CryptoWorkers) {}

  /**
   * v = g^x with x = H(padHex(s) | H(poolName | username | ":" | password)), on this thread.
   * test/local-pool checks it against CognitoSrpRoutines.computeX.
   */
  createVerifier(poolId: string, username: string, password: string, salt: Buffer = randomBytes(16)): SrpVerifier {
    const saltHex = salt.toString('hex');
    return { salt: saltHex, verifier: this.kernel.verifier(poolNameOf(poolId) + username, password, saltHex) };
  }

  /**
   * createVerifier for many users, in the worker threads when there are some (the calling thread stays free).
   * `jobSize`: how many verifiers the whole job makes when these are one slice of it (a seed).
   */
  async deriveVerifiers(requests: readonly VerifierRequest[], jobSize = requests.length): Promise<SrpVerifier[]> {
    const salts = requests.map(() => randomBytes(16).toString('hex'));
    const inputs: VerifierInput[] = requests.map((r, i) => [poolNameOf(r.poolId) + r.username, r.password, salts[i]!]);
    const verifiers = await this.compute(inputs, jobSize >= WIDE_TABLE_FROM);
    return verifiers.map((verifier, i) => ({ salt: salts[i]!, verifier }));
  }

  async deriveVerifier(poolId: string, username: string, password: string): Promise<SrpVerifier> {
    return (await this.deriveVerifiers([{ poolId, username, password }]))[0]!;
  }

  /**
   * Whether `password` is the one behind `stored`: the verifier recomputed (one exponentiation) and
   * compared in constant time. `stored` undefined (a name without a password) is checked against a
   * decoy, so that answer costs the same.
   */
  async passwordMatches(poolId: string, username: string, password: string, stored: SrpVerifier | undefined): Promise<boolean> {
    const against = stored ?? this.decoy;
    const [computed] = await this.compute([[poolNameOf(poolId) + username, password, against.salt]]);
    const same = timingSafeEqual(fixedWidth(computed!), fixedWidth(against.verifier));
    return same && stored !== undefined;
  }

  /**
   * A plausible verifier for a user that does not exist, the same for every call with the same key and name. The
   * last names asked for are kept: a real user's verifier is read, not derived, and a name probed again must not
   * answer slower for being unknown (its 14 HMACs and the reduction mod N take a measurable fraction of a millisecond).
   */
  simulatedVerifier(key: string, poolId: string, username: string): SrpVerifier & { userIdForSrp: string } {
    const id = `${key}\u0000${poolId}\u0000${username.toLowerCase()}`;
    const kept = this.simulated.get(id);
    if (kept) return kept;
    const seed = (purpose: string) => hmacSha256(key, `${purpose}\u0000${poolId}\u0000${username.toLowerCase()}`);
    const verifierBytes = Buffer.concat(Array.from({ length: 12 }, (_, i) => seed(`verifier-${i}`)));
    const made = {
      salt: seed('salt').subarray(0, 16).toString('hex'),
      verifier: (BigInt('0x' + verifierBytes.toString('hex')) % N).toString(16),
      userIdForSrp: uuidFromBytes(seed('user-id')),
    };
    if (this.simulated.size >= SIMULATED_KEPT) this.simulated.delete(this.simulated.keys().next().value!);
    this.simulated.set(id, made);
    return made;
  }

  /** b: PRIVATE_VALUE_BYTES random bytes; B = (k*v + g^b) mod N. */
  async createEphemeral(verifier: string): Promise<ServerEphemeral> {
    const k = await srpK();
    const v = hexToBigInt(verifier);
    for (;;) {
      const b = hexToBigInt(randomBytes(PRIVATE_VALUE_BYTES).toString('hex'));
      const B = (k * v + (await this.offload([b.toString(16)], () => this.kernel.powG(b)))) % N;
      if (b !== 0n && B !== 0n) return { b: b.toString(16), B: B.toString(16) };
    }
  }

  /** True only when the client proved knowledge of the password behind the verifier. */
  async verifyClaim(claim: ClaimToCheck): Promise<boolean> {
    const A = hexToBigInt(claim.A) % N;
    const B = hexToBigInt(claim.B);
    const u = srpUSync(A, B);
    if (A === 0n || u === 0n) return false;
    const v = hexToBigInt(claim.verifier);
    const b = hexToBigInt(claim.b);
    const S = await this.offload([A.toString(16), claim.verifier, u.toString(16), claim.b], () => this.kernel.modPow((A * this.kernel.modPow(v, u)) % N, b));
    const expectedBytes = claimSignatureSync(cognitoHkdfSync(S, u), claim.poolName ?? poolNameOf(claim.poolId), claim.userIdForSrp, claim.secretBlock, claim.timestamp);
    const actualBytes = Buffer.from(claim.signature, 'base64');
    return actualBytes.length === expectedBytes.length && timingSafeEqual(actualBytes, expectedBytes);
  }

  /**
   * A sign-in's exponentiations (g^b, or S from A, v, u, b as hex) on an idle worker thread, so the main thread
   * serves other requests meanwhile; here when there are no workers or all are busy (a seed), as a password check.
   */
  private async offload(args: readonly [string] | readonly [string, string, string, string], here: () => bigint): Promise<bigint> {
    const workers = this.workers;
    if (!workers || !workers.hasIdleThread()) return here();
    return hexToBigInt(await workers.srp(args));
  }

  /**
   * Verifiers of `inputs`: in batches over the worker threads, two batches queued per thread (a thread
   * that finishes one while the main thread is busy writing starts the next at once); here
   * without workers, and for a single one when every thread is busy (a sign-in during a seed does
   * not wait behind a batch).
   */
  private async compute(inputs: readonly VerifierInput[], wide = false): Promise<string[]> {
    const workers = this.workers;
    if (!workers || (inputs.length === 1 && !workers.hasIdleThread())) {
      return inputs.map(([identity, password, salt]) => this.kernel.verifier(identity, password, salt));
    }
    if (inputs.length <= BATCH) return workers.verifiers(inputs, wide);
    const results: string[][] = [];
    let next = 0;
    const lane = async () => {
      while (next < inputs.length) {
        const start = next;
        next += BATCH;
        results[start / BATCH] = await workers.verifiers(inputs.slice(start, start + BATCH), wide);
      }
    };
    await Promise.all(Array.from({ length: 2 * workers.threadLimit }, lane));
    return results.flat();
  }
}

// srp-math's u, HKDF and claim signature, through node:crypto on this thread: WebCrypto's promise per hash cost the
// server about 1 ms of a sign-in. test/local-pool checks the claims real clients make (WebCrypto's) against these.
const bytesOf = (n: bigint): Buffer => Buffer.from(padHex(n), 'hex');

/** u = H(padHex(A) | padHex(B)) */
function srpUSync(A: bigint, B: bigint): bigint {
  return BigInt('0x' + createHash('sha256').update(bytesOf(A)).update(bytesOf(B)).digest('hex'));
}

/** HKDF-SHA256(IKM = S, salt = u, info = "Caldera Derived Key"), first 16 bytes. */
function cognitoHkdfSync(S: bigint, u: bigint): Buffer {
  const prk = createHmac('sha256', bytesOf(u)).update(bytesOf(S)).digest();
  return createHmac('sha256', prk).update('Caldera Derived Key\u0001', 'utf8').digest().subarray(0, 16);
}

/** HMAC(K, poolName | userId | secretBlock | timestamp), the bytes of PASSWORD_CLAIM_SIGNATURE. */
function claimSignatureSync(key: Buffer, poolName: string, userIdForSrp: string, secretBlock: string, timestamp: string): Buffer {
  return createHmac('sha256', key).update(poolName + userIdForSrp, 'utf8').update(base64Decode(secretBlock)).update(timestamp, 'utf8').digest();
}

/** SECRET_BLOCK: 128 random bytes, standard base64 (identity-js decodes it with Node's decoder). */
export const newSecretBlock = (): string => randomBytes(128).toString('base64');

/** SRP_A as clients send it: hex, and not 0 mod N. */
export function isValidSrpA(text: string): boolean {
  return /^[0-9a-fA-F]{1,1024}$/.test(text) && hexToBigInt(text) % N !== 0n;
}
