// Password policy, password storage and checks, and temporary passwords. What is kept of a password
// is its SRP verifier (salt + g^x mod N), never the password or anything it can be read back from;
// USER_PASSWORD_AUTH recomputes the verifier from the typed password and compares.
import { randomInt } from 'node:crypto';
import type { PasswordCredentials, PasswordPolicy } from '../store/model.js';
import type { SrpServer } from './srp-server.js';

// The special characters Cognito's password policy counts as symbols, plus = + - of its current docs.
const SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-';

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

/** `canonicalUsername` is USER_ID_FOR_SRP, which the verifier depends on. Off the calling thread when the pool has workers. */
export async function createCredentials(
  srp: SrpServer,
  poolId: string,
  canonicalUsername: string,
  password: string,
): Promise<PasswordCredentials> {
  const { salt, verifier } = await srp.deriveVerifier(poolId, canonicalUsername, password);
  return { srpSalt: salt, srpVerifier: verifier };
}

/** Same as createCredentials, on the calling thread: for the synchronous seed. */
export function createCredentialsSync(
  srp: SrpServer,
  poolId: string,
  canonicalUsername: string,
  password: string,
): PasswordCredentials {
  const { salt, verifier } = srp.createVerifier(poolId, canonicalUsername, password);
  return { srpSalt: salt, srpVerifier: verifier };
}

/**
 * Whether `password` is the user's: its verifier recomputed and compared in constant time. A user
 * without credentials (or an unknown name, `credentials` null) is checked against a decoy verifier
 * with the same work, so every wrong answer takes as long (ASVS 6.3.8).
 */
export function verifyPassword(
  srp: SrpServer,
  poolId: string,
  canonicalUsername: string,
  password: string,
  credentials: PasswordCredentials | null,
): Promise<boolean> {
  const stored = credentials ? { salt: credentials.srpSalt, verifier: credentials.srpVerifier } : undefined;
  return srp.passwordMatches(poolId, canonicalUsername, password, stored);
}
