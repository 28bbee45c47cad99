// What a UI needs to add a TOTP secret to an authenticator app: the secret, an otpauth:// URI and a QR code.
// The QR encoder is loaded only when a TOTP setup is reached (totp-qr-lazy.ts), so apps that never get there do not carry it.
import type { TotpSetup } from '../../machines/auth.types.js';

const BASE32 = /^[A-Z2-7]+$/;

/**
 * otpauth://totp/<issuer>:<account>?issuer=...&secret=...&algorithm=SHA1&digits=6&period=30 (SHA-1, 6 digits, 30 s:
 * what Cognito verifies), in the form authenticator apps and the otpauth library write it.
 */
export function totpSetupUri(secretCode: string, options: { issuer: string; accountName: string }): string {
  const secret = secretCode.toUpperCase().replace(/[\s=]/g, '');
  if (!BASE32.test(secret)) throw new TypeError('The TOTP secret is not base32');
  const e = encodeURIComponent;
  const { issuer, accountName } = options;
  const label = issuer ? `${e(issuer)}:${e(accountName)}?issuer=${e(issuer)}&` : `${e(accountName)}?`;
  return `otpauth://totp/${label}secret=${secret}&algorithm=SHA1&digits=6&period=30`;
}

/** The setup a UI shows: secret, URI and its QR code (the encoder is loaded here, on first use). */
export async function totpSetupFor(secretCode: string, options: { issuer: string; accountName: string }): Promise<TotpSetup> {
  const setupUri = totpSetupUri(secretCode, options);
  const { lazyQrCodeSvg } = await import('./totp-qr-lazy.js');
  return { sharedSecret: secretCode, setupUri, qrCodeSvg: lazyQrCodeSvg(setupUri) };
}
