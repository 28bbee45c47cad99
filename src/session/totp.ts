// What a UI needs to add a TOTP secret to an authenticator app: the secret, an otpauth:// URI and a QR code.
import { Secret, TOTP } from 'otpauth';
import { renderSVG } from 'uqr';
import type { TotpSetup } from '../../machines/auth.types.js';

/** otpauth://totp/<issuer>:<account>?secret=...&issuer=... (SHA-1, 6 digits, 30 s: what Cognito verifies). */
export function totpSetupUri(secretCode: string, options: { issuer: string; accountName: string }): string {
  return new TOTP({
    issuer: options.issuer,
    label: options.accountName,
    secret: Secret.fromBase32(secretCode),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  }).toString();
}

export function totpSetupFor(secretCode: string, options: { issuer: string; accountName: string }): TotpSetup {
  return { sharedSecret: secretCode, setupUri: totpSetupUri(secretCode, options) };
}

/** An SVG QR code of the setup URI, for UIs to render as is. */
export function totpQrCodeSvg(setupUri: string): string {
  return renderSVG(setupUri, { border: 2 });
}
