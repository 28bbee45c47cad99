// authchart: Amazon Cognito user-pool sign-in as one XState v5 statechart.
export { signInMachine, type SignInMachine } from '../machines/signIn.machine.js';
export type * from '../machines/signIn.types.js';
export { createAuth, type Auth, type AuthClock, type CreateAuthOptions } from './runtime/create-auth.js';
export { AuthError, toAuthError, isAuthError, AUTH_ERROR_CODES, type AuthErrorCode, type AuthErrorCategory } from './cognito/errors.js';
export type { CognitoPort, CognitoAuthResponse, CognitoTokens, AuthFlow } from './cognito/port.js';
export { createSdkPort, type SdkPortOptions } from './cognito/sdk-port.js';
export { stepFromResponse, stepFromError, type CognitoStep } from './cognito/steps.js';
export { CognitoSrpClient, bigIntEngine, type ModPowEngine } from './cognito/srp.js';
export { MemoryStorage, CookieStorage, webStorage, type KeyValueStorage, type CookieOptions } from './session/storage.js';
export { TokenStore, type StoredTokens } from './session/tokens.js';
export { selectView, commands, type AuthView, type AuthCommands } from './view.js';
export { totpSetupUri, totpQrCodeSvg } from './session/totp.js';
