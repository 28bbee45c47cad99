// Every Cognito operation the port uses, mapped once: our request -> Cognito's JSON input, Cognito's JSON output ->
// our result. Both transports send exactly these shapes (SDK commands take the wire JSON; fetch-port.ts posts it), so
// an operation added later is its types in port.ts plus one entry in wire-sign-in.ts (what a sign-in and its session
// send) or wire-later.ts (the steps only some users reach, loaded by wire-port.ts with import() on first use).
// Pure, apart from SECRET_HASH's HMAC.
import type { CallContextMember } from './call-context.js';
import type { CognitoPort } from './port.js';
import { SIGN_IN_OPERATIONS } from './wire-sign-in.js';
import { LATER_OPERATIONS } from './wire-later.js';

/** A JSON object as it travels (from the SDK: the same members, timestamps already Dates). */
export type WireObject = Record<string, unknown>;

export type PortMethod = Exclude<keyof CognitoPort, 'userPoolId' | 'clientId'>;
export type PortRequest<M extends PortMethod> = Parameters<CognitoPort[M]>[0];
export type PortResult<M extends PortMethod> = Awaited<ReturnType<CognitoPort[M]>>;

/** The app client the requests are for. */
export interface WireClient {
  readonly clientId: string;
  /** Confidential clients only: SECRET_HASH / ClientSecret are added for it. */
  readonly clientSecret?: string | undefined;
}

export interface WireOperation<M extends PortMethod> {
  /** Cognito's operation name: the X-Amz-Target suffix and the SDK command's name without "Command". */
  readonly operation: string;
  /** It spends a Session, a code or a challenge: when its answer is lost it cannot be repeated (OutcomeUnknown). */
  readonly once?: true;
  /** The app's ClientMetadata / UserContextData members it takes (Cognito's request syntax), added by wire-port.ts. */
  readonly accepts?: readonly CallContextMember[];
  input(request: PortRequest<M>, client: WireClient): WireObject | Promise<WireObject>;
  output(json: WireObject): PortResult<M>;
}

/** The operations a sign-in, a refresh and a sign-out send: in the chunk that talks to Cognito. */
export type SignInMethod = 'initiateAuth' | 'respondToAuthChallenge' | 'getTokensFromRefreshToken' | 'revokeToken' | 'globalSignOut';

/** Every operation (tests, tools); the port loads the later ones only when one is first called. */
export const WIRE_OPERATIONS: { readonly [M in PortMethod]: WireOperation<M> } = { ...SIGN_IN_OPERATIONS, ...LATER_OPERATIONS };
