// Server side of Cognito SRP (cognito-protocol.md §10.3, §10.5): verifiers, B, and the check of
// PASSWORD_CLAIM_SIGNATURE. Hash and key derivation come from src/cognito/srp.ts, modular
// exponentiation from OpenSSL.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  CognitoSrpRoutines,
  N,
  cognitoHkdf,
  hexToBigInt,
  hexToBytes,
  padHex,
  passwordClaimSignature,
  poolNameOf,
  type ModPowEngine,
} from '../cognito/srp.js';
import { createOpenSslEngine } from '../cognito/srp-node.js';
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
  userIdForSrp: string;
  verifier: string;
  A: string;
  b: string;
  B: string;
  secretBlock: string;
  timestamp: string;
  signature: string;
}

const sha256 = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const paddedBytes = (n: bigint): Buffer => Buffer.from(hexToBytes(padHex(n)));

export class SrpServer {
  private readonly routines: CognitoSrpRoutines;

  constructor(private readonly engine: ModPowEngine = createOpenSslEngine()) {
    this.routines = new CognitoSrpRoutines(engine);
  }

  /**
   * v = g^x with x = H(padHex(s) | H(poolName | username | ":" | password)). Synchronous (node:crypto
   * hashing) so seeding stays synchronous; test/local-pool checks it against CognitoSrpRoutines.computeX.
   */
  createVerifier(poolId: string, username: string, password: string, salt: Buffer = randomBytes(16)): SrpVerifier {
    const saltHex = salt.toString('hex');
    const identity = sha256(Buffer.from(`${poolNameOf(poolId)}${username}:${password}`, 'utf8'));
    // Clients read SALT as an integer and re-pad it, so x must hash the padded integer, not raw bytes.
    const x = BigInt('0x' + sha256(paddedBytes(hexToBigInt(saltHex)), identity).toString('hex'));
    return { salt: saltHex, verifier: this.engine.powG(x).toString(16) };
  }

  /** A plausible verifier for a user that does not exist, the same for every call with the same key and name. */
  simulatedVerifier(key: string, poolId: string, username: string): SrpVerifier & { userIdForSrp: string } {
    const seed = (purpose: string) => hmacSha256(key, `${purpose}\u0000${poolId}\u0000${username.toLowerCase()}`);
    const verifierBytes = Buffer.concat(Array.from({ length: 12 }, (_, i) => seed(`verifier-${i}`)));
    return {
      salt: seed('salt').subarray(0, 16).toString('hex'),
      verifier: (BigInt('0x' + verifierBytes.toString('hex')) % N).toString(16),
      userIdForSrp: uuidFromBytes(seed('user-id')),
    };
  }

  /** b: 128 random bytes; B = (k*v + g^b) mod N. */
  async createEphemeral(verifier: string): Promise<ServerEphemeral> {
    const k = await this.routines.computeK();
    const v = hexToBigInt(verifier);
    for (;;) {
      const b = BigInt('0x' + randomBytes(128).toString('hex')) % N;
      const B = (k * v + this.engine.powG(b)) % N;
      if (b !== 0n && B !== 0n) return { b: b.toString(16), B: B.toString(16) };
    }
  }

  /** True only when the client proved knowledge of the password behind the verifier. */
  async verifyClaim(claim: ClaimToCheck): Promise<boolean> {
    const A = hexToBigInt(claim.A) % N;
    const B = hexToBigInt(claim.B);
    const u = await this.routines.computeU(A, B);
    if (A === 0n || u === 0n) return false;
    const v = hexToBigInt(claim.verifier);
    const S = this.engine.modPow((A * this.engine.modPow(v, u)) % N, hexToBigInt(claim.b));
    const key = await cognitoHkdf(S, u);
    const expected = await passwordClaimSignature(
      key,
      poolNameOf(claim.poolId),
      claim.userIdForSrp,
      claim.secretBlock,
      claim.timestamp,
    );
    const expectedBytes = Buffer.from(expected, 'base64');
    const actualBytes = Buffer.from(claim.signature, 'base64');
    return actualBytes.length === expectedBytes.length && timingSafeEqual(actualBytes, expectedBytes);
  }
}

/** SECRET_BLOCK: 128 random bytes, standard base64 (identity-js decodes it with Node's decoder). */
export const newSecretBlock = (): string => randomBytes(128).toString('base64');

/** SRP_A as clients send it: hex, and not 0 mod N. */
export function isValidSrpA(text: string): boolean {
  return /^[0-9a-fA-F]{1,1024}$/.test(text) && hexToBigInt(text) % N !== 0n;
}
