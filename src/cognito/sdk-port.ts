// CognitoPort over @aws-sdk/client-cognito-identity-provider. Works against real Cognito or the local pool (`endpoint`).
// The SDK is loaded on the first call, so an app (or test) that passes its own port never loads it. Each SDK command
// takes exactly the wire JSON that wire.ts builds, so this file only sends it.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { CallContextOptions } from './call-context.js';
import { AuthError } from './errors.js';
import type { CognitoPort } from './port.js';
import type { WireObject } from './wire.js';
import { createWirePort, type WireTransport } from './wire-port.js';

export interface SdkPortOptions extends CallContextOptions {
  readonly userPoolId: string;
  readonly clientId: string;
  /** Only for confidential clients (servers); never ship a secret to a browser. */
  readonly clientSecret?: string;
  /** Defaults to the region in the user pool id. */
  readonly region?: string;
  /** e.g. the local pool's URL. */
  readonly endpoint?: string;
  /** Default 1: RespondToAuthChallenge is not idempotent, so retries are the chart's decision. */
  readonly maxAttempts?: number;
  /** Reuse a client you configured yourself. */
  readonly client?: CognitoIdentityProviderClient;
  /** A call Cognito has not answered after this long fails as a retryable Network error. Default 30 s. */
  readonly requestTimeoutMs?: number;
}

type Sdk = typeof import('./sdk-commands.js');
type Command = Parameters<CognitoIdentityProviderClient['send']>[0];

export function createSdkPort(options: SdkPortOptions): CognitoPort {
  return createWirePort(options, sdkTransport(options));
}

/** Sends wire JSON with the SDK's command of each operation; one SDK client, made on the first call. */
export function sdkTransport(options: Pick<SdkPortOptions, 'userPoolId' | 'region' | 'endpoint' | 'maxAttempts' | 'client'>): WireTransport {
  const region = options.region ?? options.userPoolId.split('_')[0] ?? 'us-east-1';
  let loading: Promise<{ sdk: Sdk; client: CognitoIdentityProviderClient }> | undefined;
  const load = () =>
    (loading ??= import('./sdk-commands.js').then(
      (sdk) => ({
        sdk,
        client:
          options.client ??
          new sdk.CognitoIdentityProviderClient({
            region,
            maxAttempts: options.maxAttempts ?? 1,
            ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
            // These operations are unsigned; a placeholder keeps the SDK from looking for AWS credentials.
            credentials: { accessKeyId: 'unsigned', secretAccessKey: 'unsigned' },
          }),
      }),
      (error: unknown) => {
        loading = undefined; // a lazy chunk that failed to load (offline) is tried again on the next call
        throw new AuthError('NotProvided', 'The AWS SDK could not be loaded', { cause: error });
      },
    ));

  return {
    ready: async () => void (await load()),
    async send(operation, input, abortSignal) {
      const { sdk, client } = await load();
      const CommandClass = (sdk as unknown as Record<string, (new (input: WireObject) => Command) | undefined>)[`${operation}Command`];
      if (typeof CommandClass !== 'function') throw new AuthError('UnsupportedOperation', `This AWS SDK has no ${operation}Command`);
      return (await client.send(new CommandClass(input), { abortSignal })) as unknown as WireObject;
    },
  };
}
