// RSA key generation costs ~0.3 s per pool; tests share two pre-made pairs (each pool still has its own key ids).
import { generateRsaKey, type RsaKeyPair } from '../../src/local-pool/crypto/tokens.js';

const premade: Array<Promise<RsaKeyPair>> = [];
let next = 0;

export function premadeSigningKeyPairs(): Promise<RsaKeyPair> {
  const index = next++ % 2;
  return (premade[index] ??= generateRsaKey());
}
