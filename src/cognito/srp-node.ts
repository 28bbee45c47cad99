// Node-only fast path: OpenSSL's modular exponentiation through node:crypto Diffie-Hellman.
// setPrivateKey(e) + generateKeys() gives g^e; setPrivateKey(e) + computeSecret(base) gives base^e.
import { createDiffieHellman, type DiffieHellman } from 'node:crypto';
import { bigIntEngine, hexToBytes, N_HEX, type ModPowEngine } from './srp.js';

const toBytes = (n: bigint): Buffer => Buffer.from(hexToBytes(n.toString(16)));
const toBigInt = (b: Buffer): bigint => (b.length === 0 ? 0n : BigInt('0x' + b.toString('hex')));

export function createOpenSslEngine(): ModPowEngine {
  const dh: DiffieHellman = createDiffieHellman(Buffer.from(N_HEX, 'hex'), Buffer.from([2]));
  const N = BigInt('0x' + N_HEX);
  return {
    name: 'openssl',
    powG(e) {
      if (e <= 0n) return bigIntEngine.powG(e);
      dh.setPrivateKey(toBytes(e));
      return toBigInt(dh.generateKeys());
    },
    modPow(base, e) {
      // OpenSSL refuses the degenerate public values 0, 1 and N-1.
      if (base <= 1n || base >= N - 1n || e <= 0n) return bigIntEngine.modPow(base, e);
      dh.setPrivateKey(toBytes(e));
      return toBigInt(dh.computeSecret(toBytes(base)));
    },
  };
}
