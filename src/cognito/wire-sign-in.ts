// The wire mapping (see wire.ts) of what a sign-in, a refresh and a sign-out send: in the chunk that talks to Cognito.
import { AuthError } from './errors.js';
import { computeSecretHash, type CognitoAuthResponse, type CognitoTokens } from './port.js';
import type { SignInMethod, WireClient, WireObject, WireOperation } from './wire.js';
import { field, isObject, METADATA, METADATA_AND_CONTEXT, nothing, optional, text, texts } from './wire-read.js';

export const SIGN_IN_OPERATIONS: { readonly [M in SignInMethod]: WireOperation<M> } = {
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
};

// ---------- SECRET_HASH and the client secret ----------

/** InitiateAuth and RespondToAuthChallenge carry the hash in their parameters, computed with USERNAME. */
async function secretHashParameter(client: WireClient, username: string | undefined): Promise<Record<string, string>> {
  if (client.clientSecret === undefined) return {};
  if (!username) throw new AuthError('InvalidInput', 'SECRET_HASH needs a user name');
  return { SECRET_HASH: await computeSecretHash(client.clientSecret, username, client.clientId) };
}

/** Token operations send the secret itself. */
const clientSecretMember = (client: WireClient): { ClientSecret?: string } => (client.clientSecret === undefined ? {} : { ClientSecret: client.clientSecret });

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
