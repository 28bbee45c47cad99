// What an app adds to every Cognito call that takes it: ClientMetadata (for the pool's Lambda triggers) and
// UserContextData (threat protection's device fingerprint and source IP). wire-port.ts applies it once, to each
// operation whose wire entry says it accepts the member, for both transports; no operation builds it itself.
import { AuthError } from './errors.js';
import type { WireObject } from './wire.js';

/** The request members an operation may carry beside its own (Cognito's API reference lists which take which). */
export type CallContextMember = 'ClientMetadata' | 'UserContextData';

/** One Cognito call, as the providers see it. */
export interface CognitoCall {
  /** Cognito's operation name: 'InitiateAuth', 'RespondToAuthChallenge', 'SignUp', ... */
  readonly operation: string;
  /** The user name the request carries (Username, AuthParameters.USERNAME or ChallengeResponses.USERNAME), when it has one. */
  readonly username?: string;
  readonly userPoolId: string;
  readonly clientId: string;
}

/** UserContextDataType: what threat protection evaluates. */
export interface UserContextData {
  /** From Cognito's context-data collection script in a browser (AmazonCognitoAdvancedSecurityData.getData). */
  readonly EncodedData?: string;
  /** The user's source IP address: set it on a server, where the request to Cognito comes from the server's address. */
  readonly IpAddress?: string;
}

type Maybe<T> = T | undefined | Promise<T | undefined>;

/**
 * A map for every call that takes ClientMetadata, or a function of the call. Cognito hands it to the triggers
 * (it is not stored, validated or encrypted by Cognito: no secrets in it).
 */
export type ClientMetadataOption = Readonly<Record<string, string>> | ((call: CognitoCall) => Maybe<Readonly<Record<string, string>>>);

/** Called for every call that takes UserContextData; undefined sends none. */
export type UserContextDataProvider = (call: CognitoCall) => Maybe<UserContextData>;

export interface CallContextOptions {
  /** ClientMetadata on every call that takes it (InitiateAuth, RespondToAuthChallenge, SignUp, ... see docs/embedding.md). */
  readonly clientMetadata?: ClientMetadataOption | undefined;
  /** UserContextData on every call that takes it (the sign-in, sign-up and password-reset calls). */
  readonly userContextData?: UserContextDataProvider | undefined;
}

/** `input` with the members the operation accepts and the options give; `input` itself when there are none. */
export async function withCallContext(
  input: WireObject,
  accepts: readonly CallContextMember[] | undefined,
  options: CallContextOptions,
  ids: { readonly operation: string; readonly userPoolId: string; readonly clientId: string },
): Promise<WireObject> {
  if (!accepts || accepts.length === 0 || (options.clientMetadata === undefined && options.userContextData === undefined)) return input;
  const username = usernameOf(input);
  const call: CognitoCall = { ...ids, ...(username === undefined ? {} : { username }) };
  const added: WireObject = {};
  const metadataOption = options.clientMetadata;
  if (accepts.includes('ClientMetadata') && metadataOption !== undefined) {
    const metadata = typeof metadataOption === 'function' ? await provided('clientMetadata', () => metadataOption(call)) : metadataOption;
    const entries = Object.entries((metadata ?? {}) as Record<string, unknown>).filter(([, value]) => typeof value === 'string');
    if (entries.length > 0) added['ClientMetadata'] = Object.fromEntries(entries);
  }
  const contextProvider = options.userContextData;
  if (accepts.includes('UserContextData') && contextProvider !== undefined) {
    const context = (await provided('userContextData', () => contextProvider(call))) as UserContextData | undefined;
    const members = {
      ...(typeof context?.EncodedData === 'string' ? { EncodedData: context.EncodedData } : {}),
      ...(typeof context?.IpAddress === 'string' ? { IpAddress: context.IpAddress } : {}),
    };
    if (Object.keys(members).length > 0) added['UserContextData'] = members;
  }
  return Object.keys(added).length === 0 ? input : { ...input, ...added };
}

/** A provider that throws is the app's mistake: a configuration error, and the call is not sent. */
async function provided(name: string, run: () => unknown): Promise<unknown> {
  try {
    return await run();
  } catch (error) {
    throw new AuthError('NotProvided', `The ${name} option failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function usernameOf(input: WireObject): string | undefined {
  const nested = (member: string) => {
    const value = input[member];
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['USERNAME'] : undefined;
  };
  const name = input['Username'] ?? nested('AuthParameters') ?? nested('ChallengeResponses');
  return typeof name === 'string' && name !== '' ? name : undefined;
}
