// Who may call what. The pool listens on loopback, but a browser on the same machine reaches it from
// any page it opens; so:
// - the Host header must be a loopback name (or one configured): a DNS-rebinding page, whose requests
//   carry its own host name, is refused;
// - the public, unauthenticated Cognito operations answer browser pages of the allowed origins (CORS);
// - admin operations (IAM-signed in real Cognito) and /_local/* answer no browser page of another
//   origin, only the pool's own pages and non-browser clients (SDKs, curl, tests).
import type { IncomingMessage } from 'node:http';
import { CognitoError } from './errors.js';

/** Any http(s) origin on a loopback name, any port: localhost, *.localhost, 127.x.x.x, [::1]. */
export const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|([a-z0-9-]+\.)+localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

/**
 * Default of LocalPoolOptions.allowedOrigins: loopback pages on any port, and "null" (pages opened
 * from file://, as the docs/examples apps are). "null" is also what a sandboxed frame of any site
 * sends, so it only ever reaches the public operations, which Cognito itself answers for any origin.
 */
export const DEFAULT_ALLOWED_ORIGINS: ReadonlyArray<string | RegExp> = [LOOPBACK_ORIGIN, 'null'];

const LOOPBACK_HOST = /^(localhost|([a-z0-9-]+\.)+localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$/i;

/**
 * The operations real Cognito takes without IAM signing (unauthenticated, or authorized by the
 * caller's own tokens). Every other operation is an admin operation here. Add unsigned ones as they
 * are implemented (SignUp, ConfirmSignUp, ForgotPassword, ...); one left out is only refused to
 * browser pages of other origins.
 */
export const PUBLIC_OPERATIONS: ReadonlySet<string> = new Set([
  'InitiateAuth',
  'RespondToAuthChallenge',
  'GetTokensFromRefreshToken',
  'RevokeToken',
  'GetUser',
  'GlobalSignOut',
  'AssociateSoftwareToken',
  'VerifySoftwareToken',
  'SetUserMFAPreference',
  'SetUserSettings',
  'SignUp',
  'ConfirmSignUp',
  'ResendConfirmationCode',
  'ForgotPassword',
  'ConfirmForgotPassword',
  'ChangePassword',
  'GetUserAttributeVerificationCode',
  'VerifyUserAttribute',
  'UpdateUserAttributes',
  'DeleteUserAttributes',
  'DeleteUser',
  'GetUserAuthFactors',
  'StartWebAuthnRegistration',
  'CompleteWebAuthnRegistration',
  'ListWebAuthnCredentials',
  'DeleteWebAuthnCredential',
  'ConfirmDevice',
  'UpdateDeviceStatus',
  'GetDevice',
  'ListDevices',
  'ForgetDevice',
  'GetClientToken',
  'ListUserSessions',
  'RevokeUserSession',
  'UpdateAuthEventFeedback',
]);

export interface ExposureOptions {
  allowedOrigins: ReadonlyArray<string | RegExp>;
  /** Host names accepted besides the loopback ones (no port; case-insensitive; ".example" = subdomains). */
  allowedHosts: readonly string[];
  /** The address the server is bound to; a specific one is accepted as a Host name too. */
  boundHost: string;
}

/** What the request says about where it comes from. */
export interface Caller {
  /** The Origin header, when there is one. */
  origin: string | undefined;
  /** A page of the pool's own origin (Origin equals http://<Host>). */
  sameOrigin: boolean;
  /** A browser request from a page of another origin (an Origin of another origin, or Sec-Fetch-Site says so). */
  foreignPage: boolean;
  /** The Origin may read the public API's answers (CORS). */
  corsAllowed: boolean;
}

const forbidden = (message: string, status = 403) => new CognitoError('ForbiddenException', message, status);

/** The host name of a Host header ("[::1]:9229" -> "[::1]", "Localhost:1" -> "localhost"). */
function hostName(host: string): string {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
  return name.toLowerCase();
}

export class ExposurePolicy {
  private readonly hosts: string[];

  constructor(private readonly options: ExposureOptions) {
    const bound = options.boundHost.toLowerCase();
    const wildcard = bound === '' || bound === '0.0.0.0' || bound === '::';
    this.hosts = [...options.allowedHosts.map((h) => h.toLowerCase()), ...(wildcard ? [] : [bound.includes(':') ? `[${bound}]` : bound])];
  }

  /** Refuses (421) a Host that is not this pool's: a DNS-rebinding page's requests carry its own name. */
  checkHost(req: IncomingMessage): void {
    const host = req.headers.host;
    if (host === undefined || host === '') throw forbidden('A Host header is required.', 421);
    const name = hostName(host);
    const known = LOOPBACK_HOST.test(name) || this.hosts.some((allowed) => (allowed.startsWith('.') ? name.endsWith(allowed) : name === allowed));
    if (!known) {
      throw forbidden(
        `Host ${JSON.stringify(host)} is not a name of this local pool; it answers loopback names (localhost, 127.0.0.1, [::1]) and the allowedHosts option.`,
        421,
      );
    }
  }

  caller(req: IncomingMessage): Caller {
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    const sameOrigin = origin !== undefined && origin.toLowerCase() === `http://${String(req.headers.host).toLowerCase()}`;
    const foreignPage = origin !== undefined ? !sameOrigin : site === 'cross-site' || site === 'same-site';
    const corsAllowed = origin !== undefined && (sameOrigin || this.originAllowed(origin));
    return { origin, sameOrigin, foreignPage, corsAllowed };
  }

  /** Refuses a browser page whose origin may not call the pool at all. */
  checkOrigin(caller: Caller): void {
    if (caller.origin !== undefined && !caller.corsAllowed) {
      throw forbidden(`Origin ${caller.origin} may not call this local pool (see its allowedOrigins option).`);
    }
  }

  /** Admin operations and /_local/* answer the pool's own pages and non-browser clients only. */
  checkNotForeignPage(caller: Caller, what: string): void {
    if (caller.foreignPage) {
      throw forbidden(`${what} is not available to browser pages of other origins${caller.origin ? ` (${caller.origin})` : ''}.`);
    }
  }

  private originAllowed(origin: string): boolean {
    return this.options.allowedOrigins.some((allowed) =>
      typeof allowed === 'string' ? allowed === '*' || allowed.toLowerCase() === origin.toLowerCase() : allowed.test(origin),
    );
  }
}
