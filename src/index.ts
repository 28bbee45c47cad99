// authchart: Amazon Cognito user-pool sign-in as one XState v5 statechart.
export { authMachine, type AuthMachine } from '../machines/auth.machine.js';
export type * from '../machines/auth.types.js';
export { createAuth, type Auth, type AuthClock, type CreateAuthOptions } from './runtime/create-auth.js';
export { AuthError, toAuthError, isAuthError, AUTH_ERROR_CODES, type AuthErrorCode, type AuthErrorCategory, type AuthErrorField } from './cognito/errors.js';
export { ENGLISH, messageFor, type MessageCatalogue } from './messages.js';
export type { CognitoPort, CognitoAuthResponse, CognitoTokens, AuthFlow, UserAuthFactors, PasskeyCredential } from './cognito/port.js';
export type { SdkPortOptions } from './cognito/sdk-port.js';
export type { FetchPortOptions } from './cognito/fetch-port.js';
export { createSdkPort, createFetchPort } from './runtime/public-ports.js';
export { advancedSecurityContextData } from './cognito/security-context.js';
export type {
  CallContextOptions,
  ClientMetadataOption,
  CognitoCall,
  UserContextData,
  UserContextDataProvider,
} from './cognito/call-context.js';
export { CHALLENGES, STEP_EXCEPTIONS, stepFromResponse, stepFromError, type CognitoStep, type ChallengeName } from './cognito/steps.js';
// The SRP classes are public through 'authchart/srp': from here they would keep SRP's math in every app's first chunk.
export type { ModPowEngine } from './cognito/srp.js';
export { MemoryStorage, CookieStorage, webStorage, type KeyValueStorage, type CookieOptions } from './session/storage.js';
export { TokenStore, type StoredTokens } from './session/tokens.js';
export { selectView, commands, type AuthView, type AuthCommands, type ViewError, type ViewOptions } from './view.js';
export { totpSetupUri } from './session/totp.js';
export { browserPasskeys, noPasskeys } from './webauthn/passkeys.js';
export type { PasskeyCeremonies } from './webauthn/ceremonies.js';
export type { OAuthOptions, RedirectRequest } from './oauth/redirect.js';
export { totpQrCodeSvg } from './session/totp-qr.js';
