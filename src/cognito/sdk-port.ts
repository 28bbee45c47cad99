// CognitoPort over @aws-sdk/client-cognito-identity-provider. Works against real Cognito or the local pool (`endpoint`).
// The SDK is loaded on the first call, so an app (or test) that passes its own port never loads it.
import type { AuthenticationResultType, ChallengeNameType, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { AuthError, toAuthError } from './errors.js';
import { computeSecretHash, type CodeDeliveryDetails, type CognitoAuthResponse, type CognitoPort, type CognitoTokens } from './port.js';

export interface SdkPortOptions {
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

export function createSdkPort(options: SdkPortOptions): CognitoPort {
  const region = options.region ?? options.userPoolId.split('_')[0] ?? 'us-east-1';
  let loading: Promise<Loaded> | undefined;
  const load = (): Promise<Loaded> =>
    (loading ??= import('@aws-sdk/client-cognito-identity-provider').then((sdk) => ({
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
    })));
  const { clientId, clientSecret } = options;

  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  /**
   * Runs one SDK call, aborted when the chart leaves the state or when Cognito takes longer than timeoutMs.
   * `once`: the operation spends a Session or a code, so a lost answer cannot be retried (OutcomeUnknown).
   */
  const send = async <T>(signal: AbortSignal, run: (loaded: Loaded, abortSignal: AbortSignal) => Promise<T>, once = false): Promise<T> => {
    const loaded = await load().catch((error: unknown) => Promise.reject(new AuthError('NotProvided', 'The AWS SDK could not be loaded', { cause: error })));
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      return await run(loaded, controller.signal);
    } catch (error) {
      if (timedOut && !signal.aborted) {
        if (once) throw new AuthError('OutcomeUnknown', `No answer within ${Math.round(timeoutMs / 1000)} s after the request was sent`, { cause: error });
        throw new AuthError('Network', `Cognito did not answer within ${Math.round(timeoutMs / 1000)} s. Check your connection and try again.`, { cause: error });
      }
      const mapped = toAuthError(error);
      if (once && mapped.code === 'Network' && !neverSent(error)) {
        throw new AuthError('OutcomeUnknown', `The connection broke after the request was sent: ${mapped.message}`, { cause: error });
      }
      throw mapped;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  };
  /** SignUp, ConfirmSignUp, ForgotPassword ... take the hash as a top-level SecretHash member. */
  const secretHashParam = async (username: string): Promise<{ SecretHash?: string }> =>
    clientSecret === undefined ? {} : { SecretHash: await computeSecretHash(clientSecret, username, clientId) };
  const secretHash = async (username: string | undefined): Promise<Record<string, string>> => {
    if (clientSecret === undefined) return {};
    if (!username) throw new AuthError('InvalidInput', 'SECRET_HASH needs a user name');
    return { SECRET_HASH: await computeSecretHash(clientSecret, username, clientId) };
  };

  return {
    userPoolId: options.userPoolId,
    clientId,

    async initiateAuth(request, signal) {
      const hash = await secretHash(request.secretHashUsername ?? request.parameters['USERNAME']);
      const output = await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(
          new sdk.InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: request.authFlow,
            AuthParameters: { ...request.parameters, ...hash },
          }),
          { abortSignal },
        ),
      );
      return toAuthResponse(output);
    },

    async respondToAuthChallenge(request, signal) {
      const hash = await secretHash(request.responses['USERNAME']);
      const output = await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(
          new sdk.RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: request.challengeName as ChallengeNameType,
            Session: request.session,
            ChallengeResponses: { ...request.responses, ...hash },
          }),
          { abortSignal },
        ),
        true,
      );
      return toAuthResponse(output);
    },

    async getTokensFromRefreshToken(request, signal) {
      const output = await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(
          new sdk.GetTokensFromRefreshTokenCommand({
            ClientId: clientId,
            RefreshToken: request.refreshToken,
            ...(clientSecret === undefined ? {} : { ClientSecret: clientSecret }),
          }),
          { abortSignal },
        ),
      );
      const tokens = toTokens(output.AuthenticationResult);
      if (!tokens) throw new AuthError('UnexpectedResponse', 'GetTokensFromRefreshToken returned no tokens');
      return tokens;
    },

    async getUser(request, signal) {
      const output = await send(signal, ({ sdk, client }, abortSignal) => client.send(new sdk.GetUserCommand({ AccessToken: request.accessToken }), { abortSignal }));
      const attributes: Record<string, string> = {};
      for (const { Name, Value } of output.UserAttributes ?? []) if (Name !== undefined) attributes[Name] = Value ?? '';
      return {
        username: output.Username ?? '',
        attributes,
        mfaSettings: output.UserMFASettingList ?? [],
        ...(output.PreferredMfaSetting ? { preferredMfa: output.PreferredMfaSetting } : {}),
      };
    },

    async associateSoftwareToken(request, signal) {
      const output = await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(
          new sdk.AssociateSoftwareTokenCommand('session' in request ? { Session: request.session } : { AccessToken: request.accessToken }),
          { abortSignal },
        ),
      );
      if (!output.SecretCode) throw new AuthError('UnexpectedResponse', 'AssociateSoftwareToken returned no SecretCode');
      return { secretCode: output.SecretCode, ...(output.Session ? { session: output.Session } : {}) };
    },

    async verifySoftwareToken(request, signal) {
      const output = await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(
          new sdk.VerifySoftwareTokenCommand({
            ...('session' in request ? { Session: request.session } : { AccessToken: request.accessToken }),
            UserCode: request.userCode,
            ...(request.friendlyDeviceName ? { FriendlyDeviceName: request.friendlyDeviceName } : {}),
          }),
          { abortSignal },
        ),
        true,
      );
      return { status: output.Status === 'SUCCESS' ? 'SUCCESS' : 'ERROR', ...(output.Session ? { session: output.Session } : {}) };
    },

    async setUserMfaPreference(request, signal) {
      const setting = (s: { enabled: boolean; preferred: boolean } | undefined) =>
        s === undefined ? undefined : { Enabled: s.enabled, PreferredMfa: s.preferred };
      await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(
          new sdk.SetUserMFAPreferenceCommand({
            AccessToken: request.accessToken,
            ...(request.sms ? { SMSMfaSettings: setting(request.sms) } : {}),
            ...(request.totp ? { SoftwareTokenMfaSettings: setting(request.totp) } : {}),
            ...(request.email ? { EmailMfaSettings: setting(request.email) } : {}),
          }),
          { abortSignal },
        ),
      );
    },

    async revokeToken(request, signal) {
      await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(
          new sdk.RevokeTokenCommand({
            ClientId: clientId,
            Token: request.refreshToken,
            ...(clientSecret === undefined ? {} : { ClientSecret: clientSecret }),
          }),
          { abortSignal },
        ),
      );
    },

    async globalSignOut(request, signal) {
      await send(signal, ({ sdk, client }, abortSignal) => client.send(new sdk.GlobalSignOutCommand({ AccessToken: request.accessToken }), { abortSignal }));
    },

    async signUp(request, signal) {
      const hash = await secretHashParam(request.username);
      const output = await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(
          new sdk.SignUpCommand({
            ClientId: clientId,
            Username: request.username,
            Password: request.password,
            UserAttributes: Object.entries(request.attributes).map(([Name, Value]) => ({ Name, Value })),
            ...hash,
          }),
          { abortSignal },
        ),
      );
      const delivery = toDelivery(output.CodeDeliveryDetails);
      return {
        userConfirmed: output.UserConfirmed === true,
        userSub: output.UserSub ?? '',
        ...(delivery ? { codeDelivery: delivery } : {}),
        ...(output.Session ? { session: output.Session } : {}),
      };
    },

    async confirmSignUp(request, signal) {
      const hash = await secretHashParam(request.username);
      const output = await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(
          new sdk.ConfirmSignUpCommand({
            ClientId: clientId,
            Username: request.username,
            ConfirmationCode: request.code,
            ...(request.session ? { Session: request.session } : {}),
            ...hash,
          }),
          { abortSignal },
        ),
        true,
      );
      return output.Session ? { session: output.Session } : {};
    },

    async resendConfirmationCode(request, signal) {
      const hash = await secretHashParam(request.username);
      const output = await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(new sdk.ResendConfirmationCodeCommand({ ClientId: clientId, Username: request.username, ...hash }), { abortSignal }),
      );
      const delivery = toDelivery(output.CodeDeliveryDetails);
      return delivery ? { codeDelivery: delivery } : {};
    },

    async forgotPassword(request, signal) {
      const hash = await secretHashParam(request.username);
      const output = await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(new sdk.ForgotPasswordCommand({ ClientId: clientId, Username: request.username, ...hash }), { abortSignal }),
      );
      const delivery = toDelivery(output.CodeDeliveryDetails);
      return delivery ? { codeDelivery: delivery } : {};
    },

    async confirmForgotPassword(request, signal) {
      const hash = await secretHashParam(request.username);
      await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(
          new sdk.ConfirmForgotPasswordCommand({
            ClientId: clientId,
            Username: request.username,
            ConfirmationCode: request.code,
            Password: request.password,
            ...hash,
          }),
          { abortSignal },
        ),
        true,
      );
    },

    async changePassword(request, signal) {
      await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(
          new sdk.ChangePasswordCommand({
            AccessToken: request.accessToken,
            PreviousPassword: request.previousPassword,
            ProposedPassword: request.proposedPassword,
          }),
          { abortSignal },
        ),
        true,
      );
    },

    async updateUserAttributes(request, signal) {
      const output = await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(
          new sdk.UpdateUserAttributesCommand({
            AccessToken: request.accessToken,
            UserAttributes: Object.entries(request.attributes).map(([Name, Value]) => ({ Name, Value })),
          }),
          { abortSignal },
        ),
      );
      return { codeDeliveries: (output.CodeDeliveryDetailsList ?? []).map(toDelivery).filter((d): d is NonNullable<typeof d> => d !== undefined) };
    },

    async getUserAttributeVerificationCode(request, signal) {
      const output = await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(new sdk.GetUserAttributeVerificationCodeCommand({ AccessToken: request.accessToken, AttributeName: request.attributeName }), { abortSignal }),
      );
      const delivery = toDelivery(output.CodeDeliveryDetails);
      return delivery ? { codeDelivery: delivery } : {};
    },

    async verifyUserAttribute(request, signal) {
      await send(signal, ({ sdk, client }, abortSignal) =>
        client.send(
          new sdk.VerifyUserAttributeCommand({ AccessToken: request.accessToken, AttributeName: request.attributeName, Code: request.code }),
          { abortSignal },
        ),
        true,
      );
    },

    async deleteUser(request, signal) {
      await send(signal, ({ sdk, client }, abortSignal) => client.send(new sdk.DeleteUserCommand({ AccessToken: request.accessToken }), { abortSignal }),
        true,
      );
    },
  };
}

/** A failure before the request left (nobody listening, no such host): repeating it is safe. */
function neverSent(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const text = `${String((e as { code?: unknown }).code ?? '')} ${String((e as { message?: unknown }).message ?? '')}`;
    if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH/.test(text)) return true;
  }
  return false;
}

function toDelivery(details: { DeliveryMedium?: string | undefined; Destination?: string | undefined; AttributeName?: string | undefined } | undefined): CodeDeliveryDetails | undefined {
  if (!details?.DeliveryMedium) return undefined;
  return {
    deliveryMedium: details.DeliveryMedium === 'SMS' ? 'SMS' : 'EMAIL',
    destination: details.Destination ?? '',
    ...(details.AttributeName ? { attributeName: details.AttributeName } : {}),
  };
}

type Sdk = typeof import('@aws-sdk/client-cognito-identity-provider');
interface Loaded {
  readonly sdk: Sdk;
  readonly client: CognitoIdentityProviderClient;
}

function toTokens(result: AuthenticationResultType | undefined): CognitoTokens | undefined {
  if (!result?.AccessToken || !result.IdToken) return undefined;
  return {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
    // Some emulators omit these; Cognito's defaults apply.
    expiresIn: result.ExpiresIn ?? 3600,
    tokenType: result.TokenType ?? 'Bearer',
  };
}

function toAuthResponse(output: {
  ChallengeName?: string | undefined;
  Session?: string | undefined;
  ChallengeParameters?: Record<string, string> | undefined;
  AuthenticationResult?: AuthenticationResultType | undefined;
  AvailableChallenges?: string[] | undefined;
}): CognitoAuthResponse {
  const tokens = toTokens(output.AuthenticationResult);
  return {
    challengeParameters: output.ChallengeParameters ?? {},
    ...(output.ChallengeName ? { challengeName: output.ChallengeName } : {}),
    ...(output.Session ? { session: output.Session } : {}),
    ...(output.AvailableChallenges ? { availableChallenges: output.AvailableChallenges } : {}),
    ...(tokens ? { tokens } : {}),
  };
}
