// The local pool's SRP arithmetic in one self-contained function. The same function runs on the main
// thread and, as source text, in the worker threads of ./crypto-workers.ts, so both compute exactly
// the same values: it may use nothing but its parameters (no imports, no outer names).
import type * as NodeCrypto from 'node:crypto';

export interface SrpKernel {
  /**
   * Hex of v = g^x mod N, x = H(padHex(salt) | H(identity ":" password)), identity = poolName +
   * USER_ID_FOR_SRP: the verifier Cognito clients prove knowledge of, and what a plain password is
   * checked against.
   */
  verifier(identity: string, password: string, saltHex: string): string;
  /**
   * verifier() for many at once, for a large seed: `wide` takes a table of 11-bit digits (24 multiplications
   * instead of 32, about a fifth less CPU; 45 MB, about half a second to build), kept until releaseWide().
   */
  verifiers(items: ReadonlyArray<readonly [identity: string, password: string, saltHex: string]>, wide: boolean): string[];
  releaseWide(): void;
  /** g^e mod N. Exponents below 2^256 (x, the server's b) take the fixed-base table; others OpenSSL. */
  powG(e: bigint): bigint;
  /** base^e mod N through OpenSSL. */
  modPow(base: bigint, e: bigint): bigint;
}

/** Bits of the exponents the fixed-base table covers: SHA-256 outputs and the server's b. */
export const TABLE_EXPONENT_BITS = 256;

/**
 * g = 2. powG multiplies one precomputed power per 8-bit digit of e, g^(d·2^(8j)) — 31 modular
 * multiplications instead of OpenSSL's 256 squarings, about half the time. The table (32 × 256
 * values, 3 MB) is built on first use, about 70 ms. verifiers(…, wide) does the same with 11-bit digits.
 */
/* istanbul ignore next -- also the source text of the worker threads; instrumenting it would break them */
export function createSrpKernel(crypto: typeof NodeCrypto, nHex: string): SrpKernel {
  const N = BigInt('0x' + nHex);
  const NARROW = 8;
  const WIDE = 11;
  let narrow: bigint[][] | undefined;
  let wide: bigint[][] | undefined;
  const dh = crypto.createDiffieHellman(Buffer.from(nHex, 'hex'), Buffer.from([2]));

  const toBuffer = (n: bigint): Buffer => {
    const hex = n.toString(16);
    return Buffer.from(hex.length % 2 === 1 ? '0' + hex : hex, 'hex');
  };
  const toBigInt = (bytes: Buffer): bigint => (bytes.length === 0 ? 0n : BigInt('0x' + bytes.toString('hex')));

  // Java BigInteger.toByteArray: a sign byte when the top bit is set (as Cognito's clients hash).
  const paddedBytes = (n: bigint): Buffer => {
    let hex = n.toString(16);
    if (hex.length % 2 === 1) hex = '0' + hex;
    else if ('89abcdef'.includes(hex[0]!)) hex = '00' + hex;
    return Buffer.from(hex, 'hex');
  };

  // Row j holds g^(d·2^(window·j)) for every digit d: enough rows for a 256-bit exponent.
  const buildTable = (window: number): bigint[][] => {
    const rows: bigint[][] = [];
    const last = (1 << window) - 1;
    let base = 2n;
    for (let j = 0; j * window < 256; j++) {
      const row: bigint[] = [1n, base];
      for (let d = 2; d <= last; d++) row.push((row[d - 1]! * base) % N);
      rows.push(row);
      base = (row[last]! * base) % N;
    }
    return rows;
  };

  const powGWith = (table: bigint[][], window: number, e: bigint): bigint => {
    const digitMask = BigInt((1 << window) - 1);
    const shift = BigInt(window);
    let result = 1n;
    for (let j = 0; e > 0n; j++, e >>= shift) {
      const digit = Number(e & digitMask);
      if (digit !== 0) result = result === 1n ? table[j]![digit]! : (result * table[j]![digit]!) % N;
    }
    return result;
  };

  // Degenerate values OpenSSL refuses (0, 1, N - 1 as base; exponent 0) by plain square-and-multiply.
  const slowModPow = (base: bigint, e: bigint): bigint => {
    let result = 1n;
    base %= N;
    for (; e > 0n; e >>= 1n) {
      if (e & 1n) result = (result * base) % N;
      base = (base * base) % N;
    }
    return result;
  };

  const modPow = (base: bigint, e: bigint): bigint => {
    if (base <= 1n || base >= N - 1n || e <= 0n) return slowModPow(base, e);
    dh.setPrivateKey(toBuffer(e));
    return toBigInt(dh.computeSecret(toBuffer(base)));
  };

  const powG = (e: bigint): bigint => {
    if (e <= 0n) return 1n;
    if (e >> 256n !== 0n) {
      dh.setPrivateKey(toBuffer(e));
      return toBigInt(dh.generateKeys());
    }
    narrow ??= buildTable(NARROW);
    return powGWith(narrow, NARROW, e);
  };

  const sha256 = (...parts: Array<Buffer | string>): Buffer => {
    const hash = crypto.createHash('sha256');
    for (const part of parts) hash.update(part);
    return hash.digest();
  };

  const exponentX = (identity: string, password: string, saltHex: string): bigint => {
    const inner = sha256(Buffer.from(`${identity}:${password}`, 'utf8'));
    return BigInt('0x' + sha256(paddedBytes(BigInt('0x' + saltHex)), inner).toString('hex'));
  };

  return {
    powG,
    modPow,
    verifier: (identity, password, saltHex) => powG(exponentX(identity, password, saltHex)).toString(16),
    verifiers(items, useWide) {
      if (!useWide) return items.map(([identity, password, salt]) => powG(exponentX(identity, password, salt)).toString(16));
      const table = (wide ??= buildTable(WIDE));
      return items.map(([identity, password, salt]) => powGWith(table, WIDE, exponentX(identity, password, salt)).toString(16));
    },
    releaseWide() {
      wide = undefined;
    },
  };
}
