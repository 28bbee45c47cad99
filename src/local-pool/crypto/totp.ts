// TOTP as Cognito's authenticator apps use it (RFC 6238: HMAC-SHA-1, 6 digits, 30 s steps), checked
// against the pool's clock with one step of tolerance either side.
import { HOTP, Secret } from 'otpauth';
import { safeEqual } from './secrets.js';

export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

export interface TotpParameters {
  /** Default SHA1. */
  algorithm?: TotpAlgorithm;
  /** Default 6. */
  digits?: number;
  /** Seconds per step; default 30. */
  period?: number;
}

const DEFAULTS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;

/** Base32 text (what AssociateSoftwareToken returns and seeds carry) or the raw key bytes. */
export type TotpSecret = string | Uint8Array;

function secretOf(secret: TotpSecret): Secret {
  if (typeof secret !== 'string') return new Secret({ buffer: Uint8Array.from(secret).buffer });
  return Secret.fromBase32(secret.replace(/[\s=]/g, '').toUpperCase());
}

/** The time step (counter) `timeMs` falls in. */
export const totpStep = (timeMs: number, period: number = DEFAULTS.period): number => Math.floor(timeMs / 1000 / period);

/** The code for one step. */
export function totpCodeAtStep(secret: TotpSecret, step: number, parameters: TotpParameters = {}): string {
  return HOTP.generate({
    secret: secretOf(secret),
    algorithm: parameters.algorithm ?? DEFAULTS.algorithm,
    digits: parameters.digits ?? DEFAULTS.digits,
    counter: step,
  });
}

/** The code an authenticator app shows at `timeMs`. */
export function totpCode(secret: TotpSecret, timeMs: number, parameters: TotpParameters = {}): string {
  return totpCodeAtStep(secret, totpStep(timeMs, parameters.period), parameters);
}

/**
 * The step whose code `code` is, among the current step and `window` steps either side, or null.
 * Every candidate is compared (in constant time), so the answer time does not depend on which matched.
 */
export function matchTotp(secret: TotpSecret, code: string, timeMs: number, window = 1, parameters: TotpParameters = {}): number | null {
  const current = totpStep(timeMs, parameters.period);
  let matched: number | null = null;
  for (let step = current - window; step <= current + window; step++) {
    if (safeEqual(code, totpCodeAtStep(secret, step, parameters)) && matched === null) matched = step;
  }
  return matched;
}

/** A new secret: 20 random bytes (160 bits, as RFC 4226 recommends), 32 base32 characters without padding. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** Seconds until the code of `timeMs` changes. */
export const totpSecondsLeft = (timeMs: number, period: number = DEFAULTS.period): number =>
  period - Math.floor(timeMs / 1000) % period;

/** True for text an authenticator app would accept as a base32 secret of at least 80 bits. */
export function isBase32Secret(text: string): boolean {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  return clean.length >= 16 && /^[A-Z2-7]+$/.test(clean);
}
