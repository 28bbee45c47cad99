// The port's operations by name, without their wire mapping (wire.ts): what a port made before its code is loaded
// (src/runtime/public-ports.ts) forwards. The type below fails to compile when a CognitoPort operation is missing.
import type { CognitoPort } from './port.js';

type Operation = Exclude<keyof CognitoPort, 'userPoolId' | 'clientId'>;

export const PORT_OPERATIONS = [
  'initiateAuth',
  'respondToAuthChallenge',
  'getTokensFromRefreshToken',
  'getUser',
  'associateSoftwareToken',
  'verifySoftwareToken',
  'setUserMfaPreference',
  'revokeToken',
  'globalSignOut',
  'signUp',
  'confirmSignUp',
  'resendConfirmationCode',
  'forgotPassword',
  'confirmForgotPassword',
  'changePassword',
  'updateUserAttributes',
  'getUserAttributeVerificationCode',
  'verifyUserAttribute',
  'deleteUserAttributes',
  'deleteUser',
  'getUserAuthFactors',
  'startWebAuthnRegistration',
  'completeWebAuthnRegistration',
  'listWebAuthnCredentials',
  'deleteWebAuthnCredential',
  'confirmDevice',
  'updateDeviceStatus',
  'listDevices',
  'forgetDevice',
] as const satisfies readonly Operation[];

// Every operation of the port is listed.
const complete: [Exclude<Operation, (typeof PORT_OPERATIONS)[number]>] extends [never] ? true : never = true;
void complete;
