// Cognito's SRP-6a math, shared by the client (src/cognito/srp.ts) and the local pool's server side
// (src/local-pool/crypto/srp-server.ts): the 3072-bit group, Java-style padding, SHA-256 / HMAC,
// modular exponentiation, k, u and the bytes x is hashed from, the HKDF "Caldera Derived Key", the
// password claim signature and the TIMESTAMP format. Pure BigInt + WebCrypto: it runs in browsers.

export const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

export const N = BigInt('0x' + N_HEX);
export const g = 2n;

/** Modular exponentiation backend: pure BigInt everywhere, OpenSSL in Node. */
export interface ModPowEngine {
  readonly name: string;
  /** g^e mod N */
  powG(e: bigint): bigint;
  /** base^e mod N */
  modPow(base: bigint, e: bigint): bigint;
}

// ---------- byte and hex helpers (Cognito's Java BigInteger conventions) ----------

/** Hex of a non-negative integer as Java's BigInteger.toByteArray would give it (sign byte when needed). */
export function padHex(n: bigint): string {
  if (n < 0n) throw new RangeError('padHex expects a non-negative integer');
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = '0' + hex;
  else if ('89abcdef'.includes(hex[0]!)) hex = '00' + hex;
  return hex;
}

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 === 1) hex = '0' + hex;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const byte = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    if (Number.isNaN(byte)) throw new RangeError('invalid hex');
    out[i] = byte;
  }
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + bytesToHex(bytes));
}

export function hexToBigInt(hex: string): bigint {
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw new RangeError('invalid hex');
  return BigInt('0x' + hex);
}

const utf8 = new TextEncoder();

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function base64Encode(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Tolerant like Amplify: URL-safe alphabet and missing padding are accepted. */
export function base64Decode(text: string): Uint8Array {
  const normal = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = normal + '='.repeat((4 - (normal.length % 4)) % 4);
  const bin = atob(padded);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const subtle = (): SubtleCrypto => {
  const c = globalThis.crypto;
  if (!c?.subtle) throw new Error('WebCrypto (crypto.subtle) is required for Cognito SRP');
  return c.subtle;
};

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', toArrayBuffer(bytes)));
}

export async function hmacSha256(key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const k = await subtle().importKey('raw', toArrayBuffer(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle().sign('HMAC', k, toArrayBuffer(message)));
}

// ---------- modular exponentiation ----------

/** Left-to-right sliding window (w = 5); about 25% fewer multiplications than binary. */
export function modPowWindow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  base %= modulus;
  if (exponent === 0n) return 1n;
  const bits = exponent.toString(2);
  const base2 = (base * base) % modulus;
  const odd: bigint[] = [base]; // odd[i] = base^(2i+1)
  for (let i = 1; i < 16; i++) odd.push((odd[i - 1]! * base2) % modulus);
  let result = 1n;
  let i = 0;
  while (i < bits.length) {
    if (bits[i] === '0') {
      result = (result * result) % modulus;
      i++;
      continue;
    }
    let j = Math.min(i + 5, bits.length);
    while (bits[j - 1] === '0') j--;
    const windowValue = Number.parseInt(bits.slice(i, j), 2);
    for (let k = i; k < j; k++) result = (result * result) % modulus;
    result = (result * odd[(windowValue - 1) >> 1]!) % modulus;
    i = j;
  }
  return result;
}

/** 2^e mod m: multiplying by the base is a shift, so binary left-to-right is nearly free. */
export function modPowTwo(exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  for (const bit of exponent.toString(2)) {
    result = (result * result) % modulus;
    if (bit === '1') {
      result <<= 1n;
      if (result >= modulus) result -= modulus;
    }
  }
  return result;
}

export const bigIntEngine: ModPowEngine = {
  name: 'bigint',
  powG: (e) => modPowTwo(e, N),
  modPow: (base, e) => modPowWindow(base, e, N),
};

// ---------- the SRP values both sides compute ----------

const bytesOf = (n: bigint): Uint8Array => hexToBytes(padHex(n));
let kPromise: Promise<bigint> | undefined;

/** k = H(padHex(N) | padHex(g)), not the length-of-N padding of textbook SRP. Cached: it never changes. */
export function srpK(): Promise<bigint> {
  kPromise ??= sha256(concatBytes(bytesOf(N), bytesOf(g))).then(bytesToBigInt);
  return kPromise;
}

/** u = H(padHex(A) | padHex(B)) */
export async function srpU(A: bigint, B: bigint): Promise<bigint> {
  return bytesToBigInt(await sha256(concatBytes(bytesOf(A), bytesOf(B))));
}

/** What the identity hash covers: poolName | userIdForSrp | ":" | password. */
export function srpIdentityBytes(poolNameAndUserId: string, password: string): Uint8Array {
  return utf8.encode(`${poolNameAndUserId}:${password}`);
}

/** What x hashes: padHex(salt) | identityHash. Clients read SALT as an integer and re-pad it. */
export function srpXBytes(salt: bigint, identityHash: Uint8Array): Uint8Array {
  return concatBytes(bytesOf(salt), identityHash);
}

/** x = H(padHex(s) | H(poolName | userIdForSrp | ":" | password)) */
export async function srpX(poolNameAndUserId: string, salt: bigint, password: string): Promise<bigint> {
  const identity = await sha256(srpIdentityBytes(poolNameAndUserId, password));
  return bytesToBigInt(await sha256(srpXBytes(salt, identity)));
}

// ---------- Cognito specifics ----------

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** "EEE MMM d HH:mm:ss UTC yyyy" in English; the day is not zero-padded. */
export function cognitoTimestamp(date: Date): string {
  return (
    `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}

/** Parses a TIMESTAMP exactly as Cognito accepts it; undefined when the format or weekday is wrong. */
export function parseCognitoTimestamp(text: string): Date | undefined {
  const m = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]\d?) (\d\d):(\d\d):(\d\d) UTC (\d{4})$/.exec(
    text,
  );
  if (!m) return undefined;
  const date = new Date(
    Date.UTC(Number(m[7]), MONTHS.indexOf(m[2]!), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])),
  );
  return cognitoTimestamp(date) === text ? date : undefined;
}

/** The part of the user pool id after "_" is the SRP "pool name". */
export function poolNameOf(userPoolId: string): string {
  const name = userPoolId.split('_')[1];
  if (!name) throw new RangeError(`invalid user pool id: ${userPoolId}`);
  return name;
}

/** HKDF-SHA256(IKM = S, salt = u, info = "Caldera Derived Key"), first 16 bytes (one block). */
export async function cognitoHkdf(S: bigint, u: bigint): Promise<Uint8Array> {
  const prk = await hmacSha256(hexToBytes(padHex(u)), hexToBytes(padHex(S)));
  const okm = await hmacSha256(prk, concatBytes(utf8.encode('Caldera Derived Key'), Uint8Array.of(1)));
  return okm.slice(0, 16);
}

/** PASSWORD_CLAIM_SIGNATURE = base64(HMAC(K, poolName | userId | secretBlock | timestamp)) */
export async function passwordClaimSignature(
  key: Uint8Array,
  poolName: string,
  userIdForSrp: string,
  secretBlock: string,
  timestamp: string,
): Promise<string> {
  const message = concatBytes(utf8.encode(poolName + userIdForSrp), base64Decode(secretBlock), utf8.encode(timestamp));
  return base64Encode(await hmacSha256(key, message));
}
