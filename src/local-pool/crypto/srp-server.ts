// Server side of Cognito SRP: verifiers, B, and the check of PASSWORD_CLAIM_SIGNATURE. The math it
// shares with the client (group, padding, k, u, the bytes x hashes, key derivation, the claim
// signature) is src/cognito/srp-math.ts; modular exponentiation comes from OpenSSL.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  N,
  bytesToBigInt,
  cognitoHkdf,
  hexToBigInt,
  passwordClaimSignature,
  poolNameOf,
  srpIdentityBytes,
  srpK,
  srpU,
  srpXBytes,
  type ModPowEngine,
} from '../../cognito/srp-math.js';
import { createOpenSslEngine } from '../../cognito/srp-node.js';
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

const sha256 = (bytes: Uint8Array): Uint8Array => createHash('sha256').update(bytes).digest();

export class SrpServer {
  constructor(private readonly engine: ModPowEngine = createOpenSslEngine()) {}

  /**
   * v = g^x with x = H(padHex(s) | H(poolName | username | ":" | password)). Synchronous (node:crypto
   * hashing of srp-math's bytes) so seeding stays synchronous; test/local-pool checks it against
   * CognitoSrpRoutines.computeX.
   */
  createVerifier(poolId: string, username: string, password: string, salt: Buffer = randomBytes(16)): SrpVerifier {
    const saltHex = salt.toString('hex');
    const identity = sha256(srpIdentityBytes(poolNameOf(poolId) + username, password));
    const x = bytesToBigInt(sha256(srpXBytes(hexToBigInt(saltHex), identity)));
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
    const k = await srpK();
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
    const u = await srpU(A, B);
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
