// The passkey prompts as createAuth and the package use them: browserPasskeys() answers `supported` at once and loads
// the ceremonies (ceremonies.ts, and @simplewebauthn/browser through it) with import() on its first prompt, so neither
// an app that imports it nor the first load of one that never prompts carries the ceremony code.
import { AuthError } from '../cognito/errors.js';
import { lazyChunk } from '../runtime/lazy-chunk.js';
import type { PasskeyCeremonies } from './ceremonies.js';

/** WebAuthn can run here: a browser with PublicKeyCredential, in a secure context. */
const webAuthnSupported = (): boolean =>
  typeof globalThis.PublicKeyCredential === 'function' &&
  typeof globalThis.navigator?.credentials?.get === 'function' &&
  (globalThis as { isSecureContext?: boolean }).isSecureContext !== false;

/** The browser's own prompts (navigator.credentials through @simplewebauthn/browser), their code loaded on the first one. */
export function browserPasskeys(): PasskeyCeremonies {
  const ceremonies = lazyChunk(() => import('./ceremonies.js').then((module) => module.browserCeremonies(webAuthnSupported)));
  return {
    supported: webAuthnSupported,
    get: async (request, signal, options) => (await ceremonies()).get(request, signal, options),
    create: async (options, signal) => (await ceremonies()).create(options, signal),
  };
}

/** For Node and other places without WebAuthn: every prompt says so. */
export const noPasskeys: PasskeyCeremonies = {
  supported: () => false,
  get: async () => {
    throw new AuthError('PasskeyUnsupported', 'WebAuthn is not available here');
  },
  create: async () => {
    throw new AuthError('PasskeyUnsupported', 'WebAuthn is not available here');
  },
};
