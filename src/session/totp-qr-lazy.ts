// The QR encoder as the TOTP step loads it, with import(). A module of its own that imports nothing of ours: a
// module also imported statically (as totp-qr.ts is, by the package's index) stays in the first chunk of an app's
// bundle even when unused, and a shared import would cost the page one more chunk.
import { renderSVG } from 'uqr';

/** The same drawing as totpQrCodeSvg (totp-qr.ts). */
export function lazyQrCodeSvg(setupUri: string): string {
  return renderSVG(setupUri, { border: 2 });
}
