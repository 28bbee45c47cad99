// Public sign-in operations: InitiateAuth, RespondToAuthChallenge, GetTokensFromRefreshToken; the
// steps they share with AdminInitiateAuth / AdminRespondToAuthChallenge (admin-auth.ts).
import { challengeResponders } from '../../flows/challenges/index.js';
import { continueAfterPassword } from '../../flows/challenges/next-step.js';
import { openPasswordVerifier, openSimulatedPasswordVerifier } from '../../flows/challenges/password-verifier.js';
import { isFlowEnabled } from '../../pools/config.js';
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import { Errors } from '../errors.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../../store/model.js';
import { redeem, settleRefresh } from '../../crypto/refresh-tokens.js';
import { checkClientSecret } from '../../pools/client-secrets.js';
import {
  checkChallengeUsername,
  checkNotLocked,
  checkSecretHash,
  hidesUserExistence,
  loadSession,
  passwordMatches,
  refuseClosedAccountEarly,
  requireClient,
  requireParameter,
  settlePasswordCheck,
  unknownUserError,
} from '../../flows/sign-in.js';
import { isValidSrpA } from '../../crypto/srp-server.js';
import { findUser } from '../../pools/users.js';
import { CONFIRMED_SIGN_UP_SESSION, claimSignUpSession } from '../../flows/sign-up-sessions.js';
import { initiateUserAuth, requireUserAuth } from '../../flows/user-auth.js';
import { SESSION_OF_CHALLENGE } from '../../flows/challenges/first-factor.js';
import { Rules, Validator, type JsonObject, type StringRule } from '../validation.js';
import { initiateCustomAuth } from '../../flows/custom-auth.js';
import { preAuthentication } from '../../triggers/authentication.js';
import { hasTrigger } from '../../triggers/invoke.js';
import { migrateUser } from '../../triggers/migration.js';
import { preTokenGeneration } from '../../triggers/pre-token.js';
import { attemptForInitiatedDevice, checkChallengeDevice, checkPresentedDevice, checkRefreshDevice } from '../../devices/devices.js';

export const AUTH_FLOWS = [
  'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH', 'ADMIN_NO_SRP_AUTH',
  'USER_PASSWORD_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'USER_AUTH',
];
const CHALLENGE_NAMES = [
  'SMS_MFA', 'EMAIL_OTP', 'SOFTWARE_TOKEN_MFA', 'SELECT_MFA_TYPE', 'MFA_SETUP', 'PASSWORD_VERIFIER', 'CUSTOM_CHALLENGE',
  'SELECT_CHALLENGE', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER', 'ADMIN_NO_SRP_AUTH', 'NEW_PASSWORD_REQUIRED',
  'SMS_OTP', 'PASSWORD', 'WEB_AUTHN', 'PASSWORD_SRP',
];

/**
 * Lengths of the AuthParameters / ChallengeResponses entries the pool reads, as their top-level
 * counterparts have them in the service model (the maps themselves are unconstrained there).
 */
export const PARAMETER_RULES = {
  USERNAME: { max: Rules.username.max },
  PASSWORD: { max: Rules.password.max },
  NEW_PASSWORD: { max: Rules.password.max },
  SECRET_HASH: { max: 128 },
  SRP_A: { max: 1024 },
  DEVICE_KEY: { max: 55 },
  SESSION: Rules.session,
} satisfies Record<string, StringRule>;

export interface FlowInput {
  pool: PoolRecord;
  client: ClientRecord;
  parameters: Record<string, string>;
  /** InitiateAuth's ClientMetadata (PreAuthentication and UserMigration get it as validationData). */
  clientMetadata?: Record<string, string> | undefined;
}

function requireFlow(client: ClientRecord, flow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH' | 'USER_AUTH'): void {
  if (!isFlowEnabled(client.config, flow)) throw Errors.flowNotEnabled(flow);
}

/** A user a CSV import brought in: no password until ForgotPassword sets one; sign-in says to reset it, as Cognito's does. */
const awaitsFirstPassword = (user: UserRecord | undefined): boolean => user?.status === 'RESET_REQUIRED' && user.enabled;

async function userSrpAuth(ctx: PoolContext, { pool, client, parameters, clientMetadata }: FlowInput): Promise<JsonObject> {
  requireFlow(client, 'USER_SRP_AUTH');
  const typedUsername = requireParameter(parameters, 'USERNAME');
  const srpA = requireParameter(parameters, 'SRP_A');
  if (!isValidSrpA(srpA)) throw Errors.invalidParameter('SRP_A must be a hexadecimal SRP public value that is not 0 mod N');
  checkSecretHash(client, typedUsername, parameters['SECRET_HASH']);
  // A DEVICE_KEY here is checked with the password claim (PASSWORD_VERIFIER), where clients retry without it.
  const attemptId = attemptForInitiatedDevice(ctx, pool, parameters['DEVICE_KEY']);
  const found = findUser(ctx.store, pool, typedUsername);
  if (!found?.credentials) {
    if (awaitsFirstPassword(found)) throw Errors.passwordResetRequired();
    if (!hidesUserExistence(client)) throw Errors.userNotFound();
    await preAuthentication(ctx, { pool, client, user: found, typedUsername, validationData: clientMetadata });
    return openSimulatedPasswordVerifier(ctx, { pool, client, typedUsername, srpA, attemptId });
  }
  refuseClosedAccountEarly(client, found);
  await preAuthentication(ctx, { pool, client, user: found, typedUsername, validationData: clientMetadata });
  // The function is an await: the user as stored now.
  const user = hasTrigger(pool, 'PreAuthentication') ? ctx.store.getUserBySub(pool.id, found.sub) : found;
  if (!user?.credentials) throw unknownUserError(client);
  return openPasswordVerifier(ctx, { client, user, attemptId: attemptId ?? null }, srpA);
}

async function userPasswordAuth(ctx: PoolContext, input: FlowInput): Promise<JsonObject> {
  requireFlow(input.client, 'USER_PASSWORD_AUTH');
  return passwordSignIn(ctx, input);
}

/**
 * A sign-in with the plain password (USER_PASSWORD_AUTH once the client allows it; the hosted UI's
 * sign-in page, which needs no ExplicitAuthFlows, as Cognito's does not).
 */
export async function passwordSignIn(ctx: PoolContext, { pool, client, parameters, clientMetadata }: FlowInput): Promise<JsonObject> {
  const typedUsername = requireParameter(parameters, 'USERNAME');
  const password = requireParameter(parameters, 'PASSWORD');
  checkSecretHash(client, typedUsername, parameters['SECRET_HASH']);
  let user = findUser(ctx.store, pool, typedUsername);
  if (!user && hasTrigger(pool, 'UserMigration')) {
    // A name the pool does not know: the UserMigration function may bring the user in, with this password.
    user = await migrateUser(ctx, { pool, client, typedUsername, password, source: 'UserMigration_Authentication', validationData: clientMetadata });
  }
  if (hasTrigger(pool, 'PreAuthentication') && (user || hidesUserExistence(client))) {
    if (user?.credentials) refuseClosedAccountEarly(client, user);
    await preAuthentication(ctx, { pool, client, user, typedUsername, validationData: clientMetadata });
    user = user && ctx.store.getUserBySub(pool.id, user.sub);
  }
  if (user?.credentials) {
    refuseClosedAccountEarly(client, user);
    checkNotLocked(ctx, user);
  }
  const deviceKey = parameters['DEVICE_KEY'];
  checkPresentedDevice(ctx, pool, client, user?.credentials ? user : undefined, deviceKey);
  // Known or not, enabled or not, confirmed or not: the same password work before any answer.
  const proven = await passwordMatches(ctx, pool, user, password);
  if (!user?.credentials) {
    if (awaitsFirstPassword(user)) throw Errors.passwordResetRequired();
    ctx.store.recordUnknownFailure(pool.id, typedUsername, ctx.clock.now());
    throw unknownUserError(client);
  }
  return continueAfterPassword(ctx, { pool, client, user: settlePasswordCheck(ctx, pool, client, user, proven), deviceKey });
}

async function refreshTokenAuth(ctx: PoolContext, { pool, client, parameters }: FlowInput): Promise<JsonObject> {
  requireFlow(client, 'REFRESH_TOKEN_AUTH');
  const token = requireParameter(parameters, 'REFRESH_TOKEN');
  if (client.config.RefreshTokenRotation.Feature === 'ENABLED') {
    throw Errors.invalidParameter('Refresh token rotation is enabled for this client; use GetTokensFromRefreshToken.');
  }
  const redeemed = redeem(ctx, client, token);
  checkSecretHash(client, redeemed.user.username, parameters['SECRET_HASH']);
  checkRefreshDevice(ctx, redeemed.family, parameters['DEVICE_KEY']);
  const customization = await refreshCustomization(ctx, pool, client, redeemed.user);
  const { redeemed: settled } = settleRefresh(ctx, client, token, false);
  const tokens = await ctx.tokens.mint(client, settled.user, settled.family, customization);
  return { ChallengeParameters: {}, AuthenticationResult: tokens };
}

/**
 * PreTokenGeneration for a refresh. It is an await: the caller redeems the token again after it
 * (settleRefresh), so a token revoked, rotated or a user disabled or deleted meanwhile is refused.
 */
const refreshCustomization = (ctx: PoolContext, pool: PoolRecord, client: ClientRecord, user: UserRecord, clientMetadata?: Record<string, string>) =>
  preTokenGeneration(ctx, { pool, client, user, source: 'TokenGeneration_RefreshTokens', clientMetadata });

/**
 * USER_AUTH with the Session of a ConfirmSignUp (sign-in straight after sign-up): the Session stands
 * in for the first factor; the pool's MFA rules follow as after a password. Without a Session,
 * USER_AUTH is choice-based sign-in (flows/user-auth.ts).
 */
async function userAuthAfterSignUp(ctx: PoolContext, { pool, client, parameters }: FlowInput, session: string): Promise<JsonObject> {
  requireUserAuth(client, pool);
  const typedUsername = requireParameter(parameters, 'USERNAME');
  checkSecretHash(client, typedUsername, parameters['SECRET_HASH']);
  const user = findUser(ctx.store, pool, typedUsername);
  if (!user) throw Errors.invalidSession();
  const attemptId = claimSignUpSession(ctx, client, user, session, CONFIRMED_SIGN_UP_SESSION);
  if (!user.enabled) throw Errors.userDisabled();
  if (user.status === 'UNCONFIRMED') throw Errors.userNotConfirmed();
  return continueAfterPassword(ctx, { pool, client, user, attemptId });
}

async function adminUserPasswordAuth(ctx: PoolContext, input: FlowInput): Promise<JsonObject> {
  // Cognito words this one without the flow's name ("Auth flow not enabled for this client").
  if (!isFlowEnabled(input.client.config, 'ADMIN_USER_PASSWORD_AUTH')) throw Errors.flowNotEnabled('Auth');
  return passwordSignIn(ctx, input);
}

export type SignInFlows = Readonly<Record<string, (ctx: PoolContext, input: FlowInput) => Promise<JsonObject>>>;

/** The flows InitiateAuth takes; the ADMIN_* ones are AdminInitiateAuth's. */
export const PUBLIC_FLOWS: SignInFlows = {
  USER_AUTH: initiateUserAuth,
  CUSTOM_AUTH: initiateCustomAuth,
  USER_SRP_AUTH: userSrpAuth,
  USER_PASSWORD_AUTH: userPasswordAuth,
  REFRESH_TOKEN_AUTH: refreshTokenAuth,
  REFRESH_TOKEN: refreshTokenAuth,
};

/** The flows AdminInitiateAuth takes: the same ones, with the admin password flow for USER_PASSWORD_AUTH. */
export const ADMIN_FLOWS: SignInFlows = {
  USER_AUTH: initiateUserAuth,
  CUSTOM_AUTH: initiateCustomAuth,
  USER_SRP_AUTH: userSrpAuth,
  ADMIN_USER_PASSWORD_AUTH: adminUserPasswordAuth,
  ADMIN_NO_SRP_AUTH: adminUserPasswordAuth,
  REFRESH_TOKEN_AUTH: refreshTokenAuth,
  REFRESH_TOKEN: refreshTokenAuth,
};

export interface InitiateRequest {
  authFlow: string;
  parameters: Record<string, string>;
  clientMetadata: Record<string, string> | undefined;
  /** The request's Session: a ConfirmSignUp Session for USER_AUTH. */
  session: string | undefined;
}

/**
 * What InitiateAuth and AdminInitiateAuth share once their input is read: the operation's flow for
 * AuthFlow, run for the client `findClient` finds (after the flow is known to be the operation's).
 */
export async function initiateSignIn(
  ctx: PoolContext,
  flows: SignInFlows,
  request: InitiateRequest,
  findClient: () => { client: ClientRecord; pool: PoolRecord },
): Promise<JsonObject> {
  const { authFlow, parameters, clientMetadata } = request;
  const flow = Object.hasOwn(flows, authFlow) ? flows[authFlow] : undefined;
  if (!flow) throw Errors.invalidParameter('Initiate Auth method not supported.');
  const { client, pool } = findClient();
  // The ConfirmSignUp Session: the request's Session (what Amplify sends) or AuthParameters.SESSION.
  const signUpSession = authFlow === 'USER_AUTH' ? (request.session ?? parameters['SESSION']) : undefined;
  if (signUpSession) return userAuthAfterSignUp(ctx, { pool, client, parameters }, signUpSession);
  return flow(ctx, { pool, client, parameters, clientMetadata });
}

const initiateAuth: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const authFlow = v.requiredString('AuthFlow', { oneOf: AUTH_FLOWS });
  const clientId = v.requiredString('ClientId', Rules.clientId);
  const parameters = v.optionalMap('AuthParameters', PARAMETER_RULES) ?? {};
  const clientMetadata = v.optionalMap('ClientMetadata');
  const session = v.optionalString('Session', Rules.session);
  v.optionalAnalyticsMetadata();
  v.optionalUserContextData();
  v.done();
  return initiateSignIn(ctx, PUBLIC_FLOWS, { authFlow, parameters, clientMetadata, session }, () => requireClient(ctx, clientId));
};

export interface ChallengeAnswer {
  challengeName: string;
  session: string | undefined;
  responses: Record<string, string>;
  clientMetadata: Record<string, string> | undefined;
}

/**
 * What RespondToAuthChallenge and AdminRespondToAuthChallenge share: the Session (of this client) and
 * its user checked, then the challenge's responder. Either operation answers a Session of either
 * (docs/local-pool.md, "Admin sign-in").
 */
export async function answerChallenge(
  ctx: PoolContext,
  { client, pool }: { client: ClientRecord; pool: PoolRecord },
  { challengeName, session: sessionString, responses, clientMetadata }: ChallengeAnswer,
): Promise<JsonObject> {
  const responder = challengeResponders[challengeName];
  if (!responder) throw Errors.unsupportedOperation(`${challengeName} is not supported by the local pool yet.`);
  if (sessionString === undefined) throw Errors.invalidParameter('Missing required parameter Session');
  const session = loadSession(ctx, client, sessionString, SESSION_OF_CHALLENGE[challengeName] ?? challengeName);
  checkChallengeUsername(ctx, pool, session, requireParameter(responses, 'USERNAME'));
  // The hash covers the canonical name (USER_ID_FOR_SRP), whatever name the user typed.
  checkSecretHash(client, session.username, responses['SECRET_HASH']);
  checkChallengeDevice(ctx, pool, session, responses['DEVICE_KEY']);
  return responder(ctx, { pool, client, session, responses, clientMetadata });
}

/** ChallengeName and ChallengeResponses, as both challenge operations read them. */
export function readChallengeAnswer(v: Validator): Omit<ChallengeAnswer, 'clientMetadata'> {
  const challengeName = v.requiredString('ChallengeName', { oneOf: CHALLENGE_NAMES });
  const session = v.optionalString('Session', Rules.session);
  const responses = v.optionalMap('ChallengeResponses', PARAMETER_RULES) ?? {};
  return { challengeName, session, responses };
}

/** EMAIL_MFA (the model's prose) is taken as EMAIL_OTP (the enum); see docs/local-pool.md. */
export const withEmailOtpName = (input: JsonObject): JsonObject =>
  input['ChallengeName'] === 'EMAIL_MFA' ? { ...input, ChallengeName: 'EMAIL_OTP' } : input;

const respondToAuthChallenge: Handler = async (input, ctx) => {
  const v = new Validator(withEmailOtpName(input));
  const clientId = v.requiredString('ClientId', Rules.clientId);
  const answer = readChallengeAnswer(v);
  const clientMetadata = v.optionalMap('ClientMetadata');
  v.optionalAnalyticsMetadata();
  v.optionalUserContextData();
  v.done();
  return answerChallenge(ctx, requireClient(ctx, clientId), { ...answer, clientMetadata });
};

const getTokensFromRefreshToken: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const token = v.requiredString('RefreshToken', Rules.token);
  const clientId = v.requiredString('ClientId', Rules.clientId);
  const clientSecret = v.optionalString('ClientSecret', Rules.clientSecret);
  const deviceKey = v.optionalString('DeviceKey', { min: 1, max: 55 });
  // PreTokenGeneration's clientMetadata (InitiateAuth's REFRESH_TOKEN_AUTH passes none, as in Cognito)
  const clientMetadata = v.optionalMap('ClientMetadata');
  v.done();
  const { client, pool } = requireClient(ctx, clientId);
  checkClientSecret(client, clientSecret);
  requireFlow(client, 'REFRESH_TOKEN_AUTH');
  const redeemed = redeem(ctx, client, token);
  checkRefreshDevice(ctx, redeemed.family, deviceKey);
  const customization = await refreshCustomization(ctx, pool, client, redeemed.user, clientMetadata);
  const rotating = client.config.RefreshTokenRotation.Feature === 'ENABLED';
  // Rotated after the function ran: a refused refresh leaves the presented token as it was.
  const { redeemed: settled, refreshToken } = settleRefresh(ctx, client, token, rotating);
  const tokens = await ctx.tokens.mint(client, settled.user, settled.family, customization);
  return { AuthenticationResult: refreshToken ? { ...tokens, RefreshToken: refreshToken } : tokens };
};

export const authHandlers: HandlerRegistry = {
  InitiateAuth: initiateAuth,
  RespondToAuthChallenge: respondToAuthChallenge,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
};
