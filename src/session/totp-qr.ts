// The QR code of a TOTP setup URI. Its own module, so that bundlers put the encoder in a chunk of its own.
import { renderSVG } from 'uqr';

/** An SVG QR code of the setup URI, for UIs to render as is. */
export function totpQrCodeSvg(setupUri: string): string {
  return renderSVG(setupUri, { border: 2 });
}
