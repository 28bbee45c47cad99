// Identifiers, random secrets and constant-time comparison.
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' + LOWER_ALNUM;

function randomString(length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** `<region>_<9 alphanumerics>`, like us-east-1_AbC123xYz. */
export const newPoolId = (region: string): string => `${region}_${randomString(9, ALNUM)}`;

/** 26 lower-case alphanumerics, the shape of real app client ids. */
export const newClientId = (): string => randomString(26, LOWER_ALNUM);

/** 52 lower-case alphanumerics (ClientSecret must be 24-64 of [\w+]). */
export const newClientSecret = (): string => randomString(52, LOWER_ALNUM);

/** Opaque challenge Session: 96 random bytes, base64url (128 chars; the model allows 20-2048). */
export const newSessionString = (): string => randomBytes(96).toString('base64url');

/** Opaque refresh token in the token alphabet [A-Za-z0-9-_=.]. */
export const newRefreshToken = (): string => randomBytes(64).toString('base64url');

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const hmacSha256 = (key: string | Buffer, message: string): Buffer =>
  createHmac('sha256', key).update(message, 'utf8').digest();

/** Constant-time equality of two strings (a length mismatch still costs one comparison). */
export function safeEqual(actual: string, expected: string): boolean {
  const a = Buffer.from(actual, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** RFC 4122 layout (version 4 bits set) over 16 given bytes, for ids that must be deterministic. */
export function uuidFromBytes(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** SECRET_HASH = base64(HMAC-SHA256(clientSecret, username + clientId)). */
export const secretHash = (clientSecret: string, username: string, clientId: string): string =>
  hmacSha256(clientSecret, username + clientId).toString('base64');
