// A small ASN.1 DER encoder (X.690): just the types an X.509 certificate needs. Every function
// returns the complete encoding (tag, length, contents) of one value.

const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  objectIdentifier: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Definite length: short form below 128, else 0x80 | byte count, then the big-endian bytes. */
export function derLength(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`DER length ${length} is not a length`);
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function derValue(tag: number, contents: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(contents.length), contents]);
}

export const derSequence = (...items: Buffer[]): Buffer => derValue(TAG.sequence, Buffer.concat(items));

/** SET OF: DER sorts the encodings of the members (X.690 11.6). */
export const derSet = (...items: Buffer[]): Buffer => derValue(TAG.set, Buffer.concat([...items].sort(Buffer.compare)));

export const derNull = (): Buffer => derValue(TAG.null, Buffer.alloc(0));

export const derBoolean = (value: boolean): Buffer => derValue(TAG.boolean, Buffer.from([value ? 0xff : 0x00]));

/**
 * INTEGER from a bigint: two's complement, big-endian, in the fewest bytes (no redundant leading
 * 0x00 or 0xff byte, and a 0x00 in front when a positive number's top bit is set).
 */
export function derInteger(value: bigint | number): Buffer {
  let n = BigInt(value);
  const bytes: number[] = [];
  for (;;) {
    const byte = Number(n & 0xffn);
    bytes.unshift(byte);
    n >>= 8n; // arithmetic shift: a negative number ends at -1
    if ((n === 0n && (byte & 0x80) === 0) || (n === -1n && (byte & 0x80) !== 0)) break;
  }
  return derValue(TAG.integer, Buffer.from(bytes));
}

/** INTEGER from unsigned big-endian bytes (a serial number, an RSA modulus). */
export function derUnsignedInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.length === 0 ? Buffer.from([0]) : bytes.subarray(start);
  return derValue(TAG.integer, (trimmed[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/**
 * BIT STRING: `unusedBits` (0-7) of the last byte are not part of the value and must be zero. Signatures
 * and keys are whole bytes; a named bit list (KeyUsage) drops its trailing zero bits.
 */
export function derBitString(bytes: Buffer, unusedBits = 0): Buffer {
  if (!Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7 || (bytes.length === 0 && unusedBits !== 0)) {
    throw new RangeError(`${unusedBits} unused bits in a BIT STRING of ${bytes.length} bytes`);
  }
  if (bytes.length > 0 && (bytes[bytes.length - 1]! & ((1 << unusedBits) - 1)) !== 0) throw new RangeError('the unused bits of a BIT STRING must be zero');
  return derValue(TAG.bitString, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

export const derOctetString = (bytes: Buffer): Buffer => derValue(TAG.octetString, bytes);

/** OBJECT IDENTIFIER in dotted form: the first two arcs as 40·a + b, each arc in base-128 with continuation bits. */
export function derObjectIdentifier(dotted: string): Buffer {
  if (!/^[0-2](\.\d+)+$/.test(dotted)) throw new RangeError(`${dotted} is not an object identifier`);
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [first, second, ...rest] = arcs as [bigint, bigint, ...bigint[]];
  if (first < 2n && second > 39n) throw new RangeError(`${dotted}: the second arc must be below 40`);
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const base128: number[] = [Number(arc & 0x7fn)];
    for (let n = arc >> 7n; n > 0n; n >>= 7n) base128.unshift(Number(n & 0x7fn) | 0x80);
    bytes.push(...base128);
  }
  return derValue(TAG.objectIdentifier, Buffer.from(bytes));
}

export const derUtf8String = (text: string): Buffer => derValue(TAG.utf8String, Buffer.from(text, 'utf8'));

export function derPrintableString(text: string): Buffer {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) throw new RangeError(`"${text}" has characters a PrintableString cannot hold`);
  return derValue(TAG.printableString, Buffer.from(text, 'ascii'));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** UTCTime YYMMDDHHMMSSZ (years 1950-2049; seconds, no fraction). */
export function derUtcTime(date: Date): Buffer {
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 2049) throw new RangeError(`UTCTime cannot hold the year ${year}`);
  const text = `${pad(year % 100)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  return derValue(TAG.utcTime, Buffer.from(text, 'ascii'));
}

/** GeneralizedTime YYYYMMDDHHMMSSZ (seconds, no fraction). */
export function derGeneralizedTime(date: Date): Buffer {
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`GeneralizedTime cannot hold the year ${year}`);
  const text = `${pad(year, 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  return derValue(TAG.generalizedTime, Buffer.from(text, 'ascii'));
}

/** X.509 Time (RFC 5280 4.1.2.5): UTCTime through 2049, GeneralizedTime from 2050. */
export const derX509Time = (date: Date): Buffer => (date.getUTCFullYear() < 2050 ? derUtcTime(date) : derGeneralizedTime(date));

/** [n] EXPLICIT: a constructed context-specific tag around one encoded value. */
export const derExplicit = (tagNumber: number, inner: Buffer): Buffer => {
  if (tagNumber < 0 || tagNumber > 30) throw new RangeError(`context tag ${tagNumber} needs the long form`);
  return derValue(0xa0 | tagNumber, inner);
};
