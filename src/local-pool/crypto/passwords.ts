// Password policy, password storage (never the password itself) and temporary passwords.
import { randomBytes, randomInt, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import type { PasswordCredentials, PasswordPolicy } from '../store/model.js';
import type { SrpServer } from './srp-server.js';

// The special characters Cognito's password policy counts as symbols, plus = + - of its current docs.
const SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-';
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 } as const;

/** The first policy rule the password breaks, in Cognito's wording; undefined when it conforms. */
export function passwordPolicyViolation(password: string, policy: PasswordPolicy): string | undefined {
  if ([...password].length < policy.MinimumLength) return 'Password not long enough';
  if (policy.RequireLowercase && !/[a-z]/.test(password)) return 'Password must have lowercase characters';
  if (policy.RequireUppercase && !/[A-Z]/.test(password)) return 'Password must have uppercase characters';
  if (policy.RequireNumbers && !/[0-9]/.test(password)) return 'Password must have numeric characters';
  if (policy.RequireSymbols && ![...password].some((c) => SYMBOLS.includes(c))) {
    return 'Password must have symbol characters';
  }
  return undefined;
}

/** A random password that satisfies the policy, for AdminCreateUser without TemporaryPassword. */
export function generateTemporaryPassword(policy: PasswordPolicy): string {
  const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)]!;
  const lower = 'abcdefghijkmnopqrstuvwxyz';
  const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const chars = [pick(lower), pick(upper), pick(digits), pick('!@#%&*?')];
  while (chars.length < Math.max(policy.MinimumLength, 12)) chars.push(pick(lower + upper + digits));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

const encodeHash = (salt: Buffer, hash: Buffer) =>
  `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, length, { N, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function verifyPasswordHash(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p), expected.length);
  return timingSafeEqual(actual, expected);
}

let decoyHash: string | undefined;

/** Costs what a real check costs, so unknown users cannot be told apart by timing (ASVS 6.3.8). */
export async function decoyPasswordCheck(password: string): Promise<void> {
  decoyHash ??= encodeHash(randomBytes(16), randomBytes(SCRYPT.keyLength));
  await verifyPasswordHash(password, decoyHash);
}

/** SRP verifier + scrypt hash. `canonicalUsername` is USER_ID_FOR_SRP, which the verifier depends on. */
export async function createCredentials(
  srp: SrpServer,
  poolId: string,
  canonicalUsername: string,
  password: string,
): Promise<PasswordCredentials> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keyLength);
  const { salt: srpSalt, verifier } = srp.createVerifier(poolId, canonicalUsername, password);
  return { srpSalt, srpVerifier: verifier, passwordHash: encodeHash(salt, hash) };
}

/** Same as createCredentials, blocking: used by seeding, which is synchronous. */
export function createCredentialsSync(
  srp: SrpServer,
  poolId: string,
  canonicalUsername: string,
  password: string,
): PasswordCredentials {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  const { salt: srpSalt, verifier } = srp.createVerifier(poolId, canonicalUsername, password);
  return { srpSalt, srpVerifier: verifier, passwordHash: encodeHash(salt, hash) };
}
