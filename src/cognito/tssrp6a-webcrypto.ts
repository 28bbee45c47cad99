// Stands in for tssrp6a's crossEnvCrypto module in our bundles. The original falls back to
// require("crypto") when there is no `window`, which breaks workers, edge runtimes and ESM bundles;
// WebCrypto is global in every runtime we support.
type HashFunction = (data: ArrayBuffer) => Promise<ArrayBuffer>;
const digest = (algorithm: string): HashFunction => (data) => globalThis.crypto.subtle.digest(algorithm, data);

export const crossEnvCrypto = {
  randomBytes: (array: Uint8Array): Uint8Array => globalThis.crypto.getRandomValues(array),
  hashFunctions: {
    SHA1: digest('SHA-1'),
    SHA256: digest('SHA-256'),
    SHA384: digest('SHA-384'),
    SHA512: digest('SHA-512'),
  } as Record<string, HashFunction>,
};
