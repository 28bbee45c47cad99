// The QR code of a TOTP setup URI, for apps that draw their own setup screen (the view already carries one).
import { renderSVG } from 'uqr';

/** An SVG QR code of the setup URI (a quiet zone of 2 modules), for UIs to render as is. */
export function totpQrCodeSvg(setupUri: string): string {
  return renderSVG(setupUri, { border: 2 });
}
