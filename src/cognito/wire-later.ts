// The wire mapping (see wire.ts) of the steps only some users reach: sign-up, password reset, TOTP and MFA settings, the
// signed-in user's account, passkeys, devices. wire-port.ts loads this module with import() when one is first called.
import { AuthError } from './errors.js';
import { computeSecretHash, type CodeDeliveryDetails, type CognitoDevice, type MfaSetting, type PasskeyCredential } from './port.js';
import type { PortMethod, SignInMethod, WireClient, WireObject, WireOperation } from './wire.js';
import { field, isObject, list, METADATA, METADATA_AND_CONTEXT, nothing, optional, text, texts } from './wire-read.js';

export const LATER_OPERATIONS: { readonly [M in Exclude<PortMethod, SignInMethod>]: WireOperation<M> } = {
  getUser: {
    operation: 'GetUser',
    input: (request) => ({ AccessToken: request.accessToken }),
    output: (json) => {
      const attributes: Record<string, string> = {};
      for (const entry of list(json['UserAttributes'])) {
        const name = text(field(entry, 'Name'));
        if (name !== undefined) attributes[name] = text(field(entry, 'Value')) ?? '';
      }
      const preferredMfa = text(json['PreferredMfaSetting']);
      return { username: text(json['Username']) ?? '', attributes, mfaSettings: texts(json['UserMFASettingList']), ...(preferredMfa ? { preferredMfa } : {}) };
    },
  },
  associateSoftwareToken: {
    operation: 'AssociateSoftwareToken',
    input: (request) => ('session' in request ? { Session: request.session } : { AccessToken: request.accessToken }),
    output: (json) => {
      const secretCode = text(json['SecretCode']);
      if (!secretCode) throw new AuthError('UnexpectedResponse', 'AssociateSoftwareToken returned no SecretCode');
      return { secretCode, ...optional('session', text(json['Session'])) };
    },
  },
  verifySoftwareToken: {
    operation: 'VerifySoftwareToken',
    once: true,
    input: (request) => ({
      ...('session' in request ? { Session: request.session } : { AccessToken: request.accessToken }),
      UserCode: request.userCode,
      ...(request.friendlyDeviceName ? { FriendlyDeviceName: request.friendlyDeviceName } : {}),
    }),
    output: (json) => ({ status: json['Status'] === 'SUCCESS' ? 'SUCCESS' : 'ERROR', ...optional('session', text(json['Session'])) }),
  },
  setUserMfaPreference: {
    operation: 'SetUserMFAPreference',
    input: (request) => ({
      AccessToken: request.accessToken,
      ...(request.sms ? { SMSMfaSettings: mfaSetting(request.sms) } : {}),
      ...(request.totp ? { SoftwareTokenMfaSettings: mfaSetting(request.totp) } : {}),
      ...(request.email ? { EmailMfaSettings: mfaSetting(request.email) } : {}),
    }),
    output: nothing,
  },
  signUp: {
    operation: 'SignUp',
    accepts: METADATA_AND_CONTEXT,
    // it creates the user: repeating one that went through answers UsernameExists
    once: true,
    input: async (request, client) => ({
      ClientId: client.clientId,
      Username: request.username,
      Password: request.password,
      UserAttributes: attributeList(request.attributes),
      ...(request.validationData ? { ValidationData: attributeList(request.validationData) } : {}),
      ...(await secretHashMember(client, request.username)),
    }),
    output: (json) => ({
      userConfirmed: json['UserConfirmed'] === true,
      userSub: text(json['UserSub']) ?? '',
      ...optional('codeDelivery', toDelivery(json['CodeDeliveryDetails'])),
      ...optional('session', text(json['Session'])),
    }),
  },
  confirmSignUp: {
    operation: 'ConfirmSignUp',
    accepts: METADATA_AND_CONTEXT,
    once: true,
    input: async (request, client) => ({
      ClientId: client.clientId,
      Username: request.username,
      ConfirmationCode: request.code,
      ...(request.session ? { Session: request.session } : {}),
      ...(await secretHashMember(client, request.username)),
    }),
    output: (json) => optional('session', text(json['Session'])),
  },
  resendConfirmationCode: {
    operation: 'ResendConfirmationCode',
    accepts: METADATA_AND_CONTEXT,
    input: async (request, client) => ({ ClientId: client.clientId, Username: request.username, ...(await secretHashMember(client, request.username)) }),
    output: deliveryOutput,
  },
  forgotPassword: {
    operation: 'ForgotPassword',
    accepts: METADATA_AND_CONTEXT,
    input: async (request, client) => ({ ClientId: client.clientId, Username: request.username, ...(await secretHashMember(client, request.username)) }),
    output: deliveryOutput,
  },
  confirmForgotPassword: {
    operation: 'ConfirmForgotPassword',
    accepts: METADATA_AND_CONTEXT,
    once: true,
    input: async (request, client) => ({
      ClientId: client.clientId,
      Username: request.username,
      ConfirmationCode: request.code,
      Password: request.password,
      ...(await secretHashMember(client, request.username)),
    }),
    output: nothing,
  },
  changePassword: {
    operation: 'ChangePassword',
    once: true,
    input: (request) => ({ AccessToken: request.accessToken, PreviousPassword: request.previousPassword, ProposedPassword: request.proposedPassword }),
    output: nothing,
  },
  updateUserAttributes: {
    operation: 'UpdateUserAttributes',
    accepts: METADATA,
    input: (request) => ({ AccessToken: request.accessToken, UserAttributes: attributeList(request.attributes) }),
    output: (json) => ({ codeDeliveries: list(json['CodeDeliveryDetailsList']).map(toDelivery).filter((d) => d !== undefined) }),
  },
  getUserAttributeVerificationCode: {
    operation: 'GetUserAttributeVerificationCode',
    accepts: METADATA,
    input: (request) => ({ AccessToken: request.accessToken, AttributeName: request.attributeName }),
    output: deliveryOutput,
  },
  verifyUserAttribute: {
    operation: 'VerifyUserAttribute',
    once: true,
    input: (request) => ({ AccessToken: request.accessToken, AttributeName: request.attributeName, Code: request.code }),
    output: nothing,
  },
  deleteUserAttributes: {
    operation: 'DeleteUserAttributes',
    input: (request) => ({ AccessToken: request.accessToken, UserAttributeNames: [...request.attributeNames] }),
    output: nothing,
  },
  deleteUser: {
    operation: 'DeleteUser',
    once: true,
    input: (request) => ({ AccessToken: request.accessToken }),
    output: nothing,
  },
  getUserAuthFactors: {
    operation: 'GetUserAuthFactors',
    input: (request) => ({ AccessToken: request.accessToken }),
    output: (json) => {
      const preferredMfa = text(json['PreferredMfaSetting']);
      return {
        username: text(json['Username']) ?? '',
        mfaSettings: texts(json['UserMFASettingList']),
        configuredFactors: texts(json['ConfiguredUserAuthFactors']),
        ...(preferredMfa ? { preferredMfa } : {}),
      };
    },
  },
  startWebAuthnRegistration: {
    operation: 'StartWebAuthnRegistration',
    input: (request) => ({ AccessToken: request.accessToken }),
    output: (json) => {
      const options = json['CredentialCreationOptions'];
      if (!isObject(options)) throw new AuthError('UnexpectedResponse', 'StartWebAuthnRegistration returned no CredentialCreationOptions');
      return { credentialCreationOptions: options };
    },
  },
  completeWebAuthnRegistration: {
    operation: 'CompleteWebAuthnRegistration',
    // the registration challenge is spent
    once: true,
    input: (request) => ({ AccessToken: request.accessToken, Credential: request.credential }),
    output: nothing,
  },
  listWebAuthnCredentials: {
    operation: 'ListWebAuthnCredentials',
    input: (request) => ({
      AccessToken: request.accessToken,
      ...(request.nextToken === undefined ? {} : { NextToken: request.nextToken }),
      ...(request.maxResults === undefined ? {} : { MaxResults: request.maxResults }),
    }),
    output: (json) => ({ credentials: list(json['Credentials']).map(toPasskey), ...optional('nextToken', text(json['NextToken'])) }),
  },
  deleteWebAuthnCredential: {
    operation: 'DeleteWebAuthnCredential',
    // a repeat of a delete that went through answers ResourceNotFound: say "unknown" rather than that
    once: true,
    input: (request) => ({ AccessToken: request.accessToken, CredentialId: request.credentialId }),
    output: nothing,
  },
  confirmDevice: {
    operation: 'ConfirmDevice',
    // a repeat of one that went through answers DeviceKeyExistsException
    once: true,
    input: (request) => ({
      AccessToken: request.accessToken,
      DeviceKey: request.deviceKey,
      DeviceSecretVerifierConfig: { PasswordVerifier: request.verifier.passwordVerifier, Salt: request.verifier.salt },
      ...(request.deviceName ? { DeviceName: request.deviceName } : {}),
    }),
    output: (json) => ({ userConfirmationNecessary: json['UserConfirmationNecessary'] === true }),
  },
  updateDeviceStatus: {
    operation: 'UpdateDeviceStatus',
    input: (request) => ({ AccessToken: request.accessToken, DeviceKey: request.deviceKey, DeviceRememberedStatus: request.status }),
    output: nothing,
  },
  listDevices: {
    operation: 'ListDevices',
    input: (request) => ({
      AccessToken: request.accessToken,
      ...(request.limit === undefined ? {} : { Limit: request.limit }),
      ...(request.paginationToken === undefined ? {} : { PaginationToken: request.paginationToken }),
    }),
    output: (json) => ({ devices: list(json['Devices']).map(toDevice), ...optional('paginationToken', text(json['PaginationToken'])) }),
  },
  forgetDevice: {
    operation: 'ForgetDevice',
    // a repeat of a forget that went through answers ResourceNotFound
    once: true,
    input: (request) => ({ AccessToken: request.accessToken, DeviceKey: request.deviceKey }),
    output: nothing,
  },
};

/** SignUp, ConfirmSignUp, ForgotPassword ... take it as a top-level SecretHash member. */
async function secretHashMember(client: WireClient, username: string): Promise<{ SecretHash?: string }> {
  return client.clientSecret === undefined ? {} : { SecretHash: await computeSecretHash(client.clientSecret, username, client.clientId) };
}

const attributeList = (attributes: Readonly<Record<string, string>>) => Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
const mfaSetting = (setting: MfaSetting) => ({ Enabled: setting.enabled, PreferredMfa: setting.preferred });

/** Cognito sends timestamps as epoch seconds; the SDK has already made them Dates. */
function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string' && value !== '') return new Date(Number.isFinite(Number(value)) ? Number(value) * 1000 : value);
  return new Date(Number.NaN);
}

function toDelivery(details: unknown): CodeDeliveryDetails | undefined {
  const medium = text(field(details, 'DeliveryMedium'));
  if (!medium) return undefined;
  return { deliveryMedium: medium === 'SMS' ? 'SMS' : 'EMAIL', destination: text(field(details, 'Destination')) ?? '', ...optional('attributeName', text(field(details, 'AttributeName'))) };
}

function deliveryOutput(json: WireObject): { readonly codeDelivery?: CodeDeliveryDetails } {
  return optional('codeDelivery', toDelivery(json['CodeDeliveryDetails']));
}

function toPasskey(entry: unknown): PasskeyCredential {
  const attachment = text(field(entry, 'AuthenticatorAttachment'));
  const transports = field(entry, 'AuthenticatorTransports');
  return {
    credentialId: text(field(entry, 'CredentialId')) ?? '',
    friendlyName: text(field(entry, 'FriendlyCredentialName')) ?? '',
    relyingPartyId: text(field(entry, 'RelyingPartyId')) ?? '',
    ...(attachment ? { authenticatorAttachment: attachment } : {}),
    ...(Array.isArray(transports) ? { transports: texts(transports) } : {}),
    createdAt: toDate(field(entry, 'CreatedAt')),
  };
}

function toDevice(entry: unknown): CognitoDevice {
  const attributes: Record<string, string> = {};
  for (const attribute of list(field(entry, 'DeviceAttributes'))) {
    const name = text(field(attribute, 'Name'));
    if (name !== undefined) attributes[name] = text(field(attribute, 'Value')) ?? '';
  }
  const lastAuthenticated = field(entry, 'DeviceLastAuthenticatedDate');
  return {
    deviceKey: text(field(entry, 'DeviceKey')) ?? '',
    attributes,
    ...optional('name', attributes['device_name']),
    createdAt: toDate(field(entry, 'DeviceCreateDate')),
    lastModifiedAt: toDate(field(entry, 'DeviceLastModifiedDate')),
    ...(lastAuthenticated === undefined ? {} : { lastAuthenticatedAt: toDate(lastAuthenticated) }),
  };
}
