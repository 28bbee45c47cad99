// configure(): the resources config Amplify.configure takes (Auth.Cognito), or amplify_outputs.json's `auth`,
// turned into the one createAuth() of the app.
import { advancedSecurityContextData } from '../cognito/security-context.js';
import { createAuth, type Auth, type CreateAuthOptions } from '../runtime/create-auth.js';
import { scopedClientMetadata } from './call-metadata.js';
import { AuthError } from './errors.js';
import { followHub } from './hub.js';

/** Auth.Cognito of Amplify's ResourcesConfig (the members authchart reads; the rest are accepted and kept). */
export interface CognitoUserPoolConfig {
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  /** A custom endpoint, e.g. the local pool's URL. */
  readonly userPoolEndpoint?: string;
  readonly identityPoolId?: string;
  readonly allowGuestAccess?: boolean;
  readonly signUpVerificationMethod?: 'code' | 'link';
  readonly loginWith?: {
    readonly email?: boolean;
    readonly phone?: boolean;
    readonly username?: boolean;
    readonly oauth?: {
      readonly domain: string;
      readonly scopes?: readonly string[];
      readonly redirectSignIn: readonly string[];
      readonly redirectSignOut?: readonly string[];
      readonly responseType?: 'code' | 'token';
      readonly providers?: readonly unknown[];
    };
  };
  readonly userAttributes?: Readonly<Record<string, { readonly required?: boolean }>>;
  readonly mfa?: { readonly status?: 'on' | 'off' | 'optional'; readonly totpEnabled?: boolean; readonly smsEnabled?: boolean };
  readonly passwordFormat?: {
    readonly minLength?: number;
    readonly requireLowercase?: boolean;
    readonly requireUppercase?: boolean;
    readonly requireNumbers?: boolean;
    readonly requireSpecialCharacters?: boolean;
  };
}

export interface ResourcesConfig {
  readonly Auth?: { readonly Cognito: CognitoUserPoolConfig };
}

/** amplify_outputs.json (Amplify Gen 2), the parts about the user pool. */
export interface AmplifyOutputs {
  readonly version?: string;
  readonly auth?: {
    readonly aws_region?: string;
    readonly user_pool_id: string;
    readonly user_pool_client_id: string;
    readonly identity_pool_id?: string;
  };
}

/** authchart's own options for the auth configure() creates (storage, transport, clock, ...). */
export type AuthchartOptions = Partial<Omit<CreateAuthOptions, 'userPoolId' | 'clientId' | 'endpoint' | 'region'>>;

interface Configured {
  readonly auth: Auth;
  readonly config: CognitoUserPoolConfig;
  readonly stopHub: () => void;
}

let configured: Configured | undefined;
// The Node entry hands in its OpenSSL SRP engine; the portable one uses bigint.
let makeAuth: (options: CreateAuthOptions) => Auth = createAuth;

/** @internal for the Node entry point. */
export function useAuthFactory(factory: (options: CreateAuthOptions) => Auth): void {
  makeAuth = factory;
}

function cognitoConfig(config: ResourcesConfig | AmplifyOutputs): CognitoUserPoolConfig {
  if ('Auth' in config && config.Auth?.Cognito) return config.Auth.Cognito;
  const outputs = (config as AmplifyOutputs).auth;
  if (outputs) {
    return {
      userPoolId: outputs.user_pool_id,
      userPoolClientId: outputs.user_pool_client_id,
      ...(outputs.identity_pool_id ? { identityPoolId: outputs.identity_pool_id } : {}),
    };
  }
  throw notConfigured();
}

function notConfigured(): AuthError {
  return new AuthError({
    name: 'AuthUserPoolException',
    message: 'Auth UserPool not configured.',
    recoverySuggestion: 'Make sure to call configure({ Auth: { Cognito: { userPoolId, userPoolClientId } } }) first.',
  });
}

/**
 * Creates the app's one auth from Amplify's config (stopping one configured before). `options` are authchart's own
 * (token storage, transport, ...); without them tokens live in memory, as Amplify's default in Node. Each call's
 * `options.clientMetadata` goes on that call's Cognito requests (after `options.clientMetadata` of configure, if
 * any); UserContextData comes from Cognito's collection script when the page loaded it, as in Amplify, unless
 * `options.userContextData` says otherwise.
 */
export function configure(config: ResourcesConfig | AmplifyOutputs, options: AuthchartOptions = {}): Auth {
  const cognito = cognitoConfig(config);
  if (!cognito.userPoolId || !cognito.userPoolClientId) throw notConfigured();
  configured?.stopHub();
  configured?.auth.stop();
  const region = cognito.userPoolId.split('_')[0];
  const auth = makeAuth({
    ...options,
    clientMetadata: scopedClientMetadata(options.clientMetadata),
    userContextData: options.userContextData ?? advancedSecurityContextData,
    userPoolId: cognito.userPoolId,
    clientId: cognito.userPoolClientId,
    ...(region ? { region } : {}),
    ...(cognito.userPoolEndpoint ? { endpoint: cognito.userPoolEndpoint } : {}),
    ...(options.oauth || options.hostedUi ? {} : oauthOptions(cognito)),
  });
  configured = { auth, config: cognito, stopHub: followHub(auth) };
  return auth;
}

/** loginWith.oauth as the chart's hosted-UI options: the redirect URL of this page's origin when one is listed. */
function oauthOptions(cognito: CognitoUserPoolConfig): Pick<CreateAuthOptions, 'oauth'> {
  const oauth = cognito.loginWith?.oauth;
  if (!oauth || oauth.redirectSignIn.length === 0) return {};
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  const pick = (urls: readonly string[] | undefined) => (urls ?? []).find((url) => origin && url.startsWith(origin)) ?? urls?.[0];
  const redirectSignOut = pick(oauth.redirectSignOut);
  return {
    oauth: {
      domain: /^https?:\/\//.test(oauth.domain) ? oauth.domain : `https://${oauth.domain}`,
      redirectSignIn: pick(oauth.redirectSignIn)!,
      ...(redirectSignOut ? { redirectSignOut } : {}),
      ...(oauth.scopes ? { scopes: oauth.scopes } : {}),
    },
  };
}

/** The configured auth (the chart's actor is `currentAuth().actor`). */
export function currentAuth(): Auth {
  if (!configured) throw notConfigured();
  return configured.auth;
}

export function currentConfig(): CognitoUserPoolConfig {
  if (!configured) throw notConfigured();
  return configured.config;
}
