// What an authenticator app shows for a TOTP secret at a given time: computed with otpauth, independently of
// the local pool's own TOTP code, so tests check the pool and the chart against a third party.
import { Secret, TOTP } from 'otpauth';

/** The 6-digit code at `timestamp` (ms), `offsetSteps` 30-second steps later (negative: earlier). */
export function authenticatorCode(secret: string, timestamp: number, offsetSteps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: timestamp + offsetSteps * 30_000 });
}
