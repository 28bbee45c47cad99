// The browser's passkey prompts. The only code that touches navigator.credentials (through @simplewebauthn/browser,
// loaded when a prompt first runs, so apps that never use passkeys do not carry it).
import { AuthError } from '../cognito/errors.js';
import type { PasskeyRequest } from '../cognito/steps.js';

/** What the chart's passkey actors need from the browser; createAuth({ passkeys }) can replace it (tests, native apps). */
export interface PasskeyCeremonies {
  /** WebAuthn can run here at all (a browser with PublicKeyCredential, in a secure context). */
  supported(): boolean;
  /**
   * navigator.credentials.get with Cognito's request options; the AuthenticationResponseJSON as a JSON string.
   * `conditional`: passkey autofill (mediation "conditional"): the browser offers the passkey in the username field.
   */
  get(request: PasskeyRequest, signal: AbortSignal, options?: { conditional?: boolean }): Promise<string>;
  /** navigator.credentials.create with StartWebAuthnRegistration's options; the RegistrationResponseJSON as a JSON string. */
  create(options: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<string>;
}

type Library = typeof import('@simplewebauthn/browser');
let library: Promise<Library> | undefined;
const load = (): Promise<Library> => (library ??= import('@simplewebauthn/browser'));

/**
 * The browser's own ceremonies, as passkeys.ts's browserPasskeys() loads them on its first prompt. One prompt at a time:
 * starting one aborts the one before (WebAuthnAbortService).
 */
export function browserCeremonies(supported: () => boolean): PasskeyCeremonies {
  async function run<T>(signal: AbortSignal, kind: 'get' | 'create', ceremony: (lib: Library) => Promise<T>): Promise<T> {
    if (!supported()) throw new AuthError('PasskeyUnsupported', 'WebAuthn is not available here');
    if (signal.aborted) throw new AuthError('Aborted', 'The passkey prompt was cancelled');
    const lib = await load();
    const cancel = () => lib.WebAuthnAbortService.cancelCeremony();
    signal.addEventListener('abort', cancel, { once: true });
    try {
      return await ceremony(lib);
    } catch (error) {
      throw signal.aborted ? new AuthError('Aborted', 'The passkey prompt was cancelled', { cause: error }) : passkeyError(error, kind);
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  return {
    supported,
    get: (request, signal, options = {}) =>
      run(signal, 'get', async (lib) => {
        const optionsJSON = request as unknown as Parameters<Library['startAuthentication']>[0]['optionsJSON'];
        if (options.conditional && !(await lib.browserSupportsWebAuthnAutofill())) {
          throw new AuthError('PasskeyUnsupported', 'This browser offers no passkey autofill');
        }
        return JSON.stringify(await lib.startAuthentication({ optionsJSON, useBrowserAutofill: options.conditional === true }));
      }),
    create: (options, signal) =>
      run(signal, 'create', async (lib) => {
        const optionsJSON = options as unknown as Parameters<Library['startRegistration']>[0]['optionsJSON'];
        return JSON.stringify(await lib.startRegistration({ optionsJSON }));
      }),
  };
}

/** The DOMException names the WebAuthn spec gives, as our codes. */
export function passkeyError(error: unknown, kind: 'get' | 'create'): AuthError {
  const name = typeof error === 'object' && error !== null ? String((error as { name?: unknown }).name ?? '') : '';
  const detail = error instanceof Error ? error.message : String(error);
  switch (name) {
    case 'NotAllowedError':
      return new AuthError('PasskeyNotAllowed', detail, { cause: error, field: 'passkey' });
    case 'AbortError':
      return new AuthError('Aborted', detail, { cause: error });
    case 'InvalidStateError':
      // create: this authenticator already holds a passkey for the account (excludeCredentials)
      return new AuthError(kind === 'create' ? 'PasskeyAlreadyRegistered' : 'PasskeyNotAllowed', detail, { cause: error, field: 'passkey' });
    case 'NotSupportedError':
      return new AuthError('PasskeyUnsupported', detail, { cause: error });
    default:
      // SecurityError (relying party id vs. this site), UnknownError, bad options
      return new AuthError('PasskeyFailed', detail, { cause: error });
  }
}
