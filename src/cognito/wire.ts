// Every Cognito operation the port uses, mapped once: our request -> Cognito's JSON input, Cognito's JSON output ->
// our result. Both transports send exactly these shapes (SDK commands take the wire JSON; fetch-port.ts posts it), so
// an operation added later is its types in port.ts plus one entry here. Pure, apart from SECRET_HASH's HMAC.
import type { CallContextMember } from './call-context.js';
import { AuthError } from './errors.js';
import {
  computeSecretHash,
  type CodeDeliveryDetails,
  type CognitoAuthResponse,
  type CognitoDevice,
  type CognitoPort,
  type CognitoTokens,
  type MfaSetting,
  type PasskeyCredential,
} from './port.js';

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

const METADATA: readonly CallContextMember[] = ['ClientMetadata'];
const METADATA_AND_CONTEXT: readonly CallContextMember[] = ['ClientMetadata', 'UserContextData'];

export const WIRE_OPERATIONS: { readonly [M in PortMethod]: WireOperation<M> } = {
  initiateAuth: {
    operation: 'InitiateAuth',
    accepts: METADATA_AND_CONTEXT,
    input: async (request, client) => ({
      ClientId: client.clientId,
      AuthFlow: request.authFlow,
      AuthParameters: { ...request.parameters, ...(await secretHashParameter(client, request.secretHashUsername ?? request.parameters['USERNAME'])) },
      ...(request.session === undefined ? {} : { Session: request.session }),
    }),
    output: toAuthResponse,
  },
  respondToAuthChallenge: {
    operation: 'RespondToAuthChallenge',
    accepts: METADATA_AND_CONTEXT,
    once: true,
    input: async (request, client) => ({
      ClientId: client.clientId,
      ChallengeName: request.challengeName,
      Session: request.session,
      ChallengeResponses: { ...request.responses, ...(await secretHashParameter(client, request.responses['USERNAME'])) },
    }),
    output: toAuthResponse,
  },
  getTokensFromRefreshToken: {
    operation: 'GetTokensFromRefreshToken',
    accepts: METADATA,
    input: (request, client) => ({
      ClientId: client.clientId,
      RefreshToken: request.refreshToken,
      ...(request.deviceKey === undefined ? {} : { DeviceKey: request.deviceKey }),
      ...clientSecretMember(client),
    }),
    output: (json) => {
      const tokens = toTokens(json['AuthenticationResult']);
      if (!tokens) throw new AuthError('UnexpectedResponse', 'GetTokensFromRefreshToken returned no tokens');
      return tokens;
    },
  },
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
  revokeToken: {
    operation: 'RevokeToken',
    input: (request, client) => ({ ClientId: client.clientId, Token: request.refreshToken, ...clientSecretMember(client) }),
    output: nothing,
  },
  globalSignOut: {
    operation: 'GlobalSignOut',
    input: (request) => ({ AccessToken: request.accessToken }),
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

// ---------- SECRET_HASH and the client secret ----------

/** InitiateAuth and RespondToAuthChallenge carry the hash in their parameters, computed with USERNAME. */
async function secretHashParameter(client: WireClient, username: string | undefined): Promise<Record<string, string>> {
  if (client.clientSecret === undefined) return {};
  if (!username) throw new AuthError('InvalidInput', 'SECRET_HASH needs a user name');
  return { SECRET_HASH: await computeSecretHash(client.clientSecret, username, client.clientId) };
}

/** SignUp, ConfirmSignUp, ForgotPassword ... take it as a top-level SecretHash member. */
async function secretHashMember(client: WireClient, username: string): Promise<{ SecretHash?: string }> {
  return client.clientSecret === undefined ? {} : { SecretHash: await computeSecretHash(client.clientSecret, username, client.clientId) };
}

/** Token operations send the secret itself. */
const clientSecretMember = (client: WireClient): { ClientSecret?: string } => (client.clientSecret === undefined ? {} : { ClientSecret: client.clientSecret });

// ---------- readers: tolerant of members an emulator omits ----------

const isObject = (value: unknown): value is WireObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const field = (value: unknown, name: string): unknown => (isObject(value) ? value[name] : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const texts = (value: unknown): string[] => list(value).filter((v): v is string => typeof v === 'string');
/** `{ [key]: value }` when there is a value, else nothing (exactOptionalPropertyTypes). */
const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined || value === '' ? {} : ({ [key]: value } as { [P in K]: V }));

/** Operations that answer `{}`. */
function nothing(): void {}

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

function toTokens(result: unknown): CognitoTokens | undefined {
  const accessToken = text(field(result, 'AccessToken'));
  const idToken = text(field(result, 'IdToken'));
  if (!accessToken || !idToken) return undefined;
  const expiresIn = field(result, 'ExpiresIn');
  const deviceKey = text(field(field(result, 'NewDeviceMetadata'), 'DeviceKey'));
  const deviceGroupKey = text(field(field(result, 'NewDeviceMetadata'), 'DeviceGroupKey'));
  return {
    accessToken,
    idToken,
    ...optional('refreshToken', text(field(result, 'RefreshToken'))),
    // Some emulators omit these; Cognito's defaults apply.
    expiresIn: typeof expiresIn === 'number' ? expiresIn : 3600,
    tokenType: text(field(result, 'TokenType')) ?? 'Bearer',
    ...(deviceKey && deviceGroupKey ? { newDevice: { deviceKey, deviceGroupKey } } : {}),
  };
}

function toAuthResponse(json: WireObject): CognitoAuthResponse {
  const parameters: Record<string, string> = {};
  const raw = json['ChallengeParameters'];
  if (isObject(raw)) for (const [key, value] of Object.entries(raw)) if (typeof value === 'string') parameters[key] = value;
  const tokens = toTokens(json['AuthenticationResult']);
  return {
    challengeParameters: parameters,
    ...optional('challengeName', text(json['ChallengeName'])),
    ...optional('session', text(json['Session'])),
    ...(Array.isArray(json['AvailableChallenges']) ? { availableChallenges: texts(json['AvailableChallenges']) } : {}),
    ...(tokens ? { tokens } : {}),
  };
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
