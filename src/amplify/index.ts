// authchart/amplify: Amplify Auth v6's promise API (aws-amplify/auth) over the chart. Migrating is changing the
// imports: `configure` takes Amplify.configure's resources config; `Hub.listen('auth', ...)` hears the same events.
export { configure, currentAuth, type AmplifyOutputs, type AuthchartOptions, type CognitoUserPoolConfig, type ResourcesConfig } from './configure.js';
export * from './api.js';
export { AuthError, NotSupportedError } from './errors.js';
export { Hub, type AuthHubEvent, type HubCapsule, type HubPayload } from './hub.js';
export type {
  AuthCodeDeliveryDetails,
  AuthMFAType,
  AuthNextSignInStep,
  AuthNextSignUpStep,
  AuthTOTPSetupDetails,
  AuthUser,
  ChallengeName,
  ResetPasswordOutput,
  SignInOutput,
  SignUpOutput,
} from './outputs.js';
