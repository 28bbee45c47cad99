// CUSTOM_AUTH: a sign-in whose steps the pool's DefineAuthChallenge function decides, one round at a
// time, from the results so far ("session"): another CUSTOM_CHALLENGE (whose content
// CreateAuthChallenge makes and whose answer VerifyAuthChallengeResponse judges), the built-in
// PASSWORD_VERIFIER after SRP_A (CUSTOM_WITH_SRP), tokens, or failure. Every round is a new
// single-use Session; a round answered after its Session was used or ended is refused; a failed
// final round ends the attempt.
import type { PoolContext } from '../context.js';
import { Errors } from '../api/errors.js';
import type { JsonObject } from '../api/validation.js';
import { isValidSrpA } from '../crypto/srp-server.js';
import { isFlowEnabled } from '../pools/config.js';
import { findUser } from '../pools/users.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/model.js';
import { preAuthentication } from '../triggers/authentication.js';
import {
  eventAttributes,
  hasTrigger,
  invokeTrigger,
  readBoolean,
  readString,
  readStringMap,
  withClientMetadata,
} from '../triggers/invoke.js';
import type { ChallengeStep } from './challenges/index.js';
import { continueAfterPassword } from './challenges/next-step.js';
import { openPasswordVerifier, openSimulatedPasswordVerifier } from './challenges/password-verifier.js';
import {
  checkSecretHash,
  claimSession,
  hidesUserExistence,
  openChallenge,
  requireParameter,
  unknownUserError,
  type SignInParties,
} from './sign-in.js';

/** One entry of the trigger events' `session`: a challenge of this attempt and how it went. */
export interface ChallengeResult {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata: string | null;
}

/** What a custom flow carries from round to round (kept in the Session's state). */
export interface CustomFlowState {
  history: ChallengeResult[];
  typedUsername: string;
  /** PreventUserExistenceErrors ENABLED and no such user: the functions are told, and no tokens come of it. */
  userNotFound: boolean;
}

interface CustomChallengeState {
  customFlow: CustomFlowState;
  privateChallengeParameters: Record<string, string>;
  challengeMetadata: string | null;
}

export interface CustomAuthInput {
  pool: PoolRecord;
  client: ClientRecord;
  parameters: Record<string, string>;
  /** InitiateAuth's ClientMetadata: PreAuthentication's validationData (Define / Create / Verify do not get it, as in Cognito). */
  clientMetadata?: Record<string, string> | undefined;
}

/**
 * InitiateAuth CUSTOM_AUTH. AuthParameters CHALLENGE_NAME=SRP_A with SRP_A starts with the password
 * (Define sees [SRP_A: true]); otherwise (CHALLENGE_NAME absent or CUSTOM_CHALLENGE) with an empty session.
 */
export async function initiateCustomAuth(ctx: PoolContext, { pool, client, parameters, clientMetadata }: CustomAuthInput): Promise<JsonObject> {
  if (!isFlowEnabled(client.config, 'CUSTOM_AUTH')) throw Errors.flowNotEnabled('CUSTOM_AUTH');
  const typedUsername = requireParameter(parameters, 'USERNAME');
  const challengeName = parameters['CHALLENGE_NAME'];
  if (challengeName !== undefined && challengeName !== 'SRP_A' && challengeName !== 'CUSTOM_CHALLENGE') {
    throw Errors.invalidParameter('CHALLENGE_NAME must be SRP_A or CUSTOM_CHALLENGE.');
  }
  const withSrp = challengeName === 'SRP_A';
  const srpA = withSrp ? requireParameter(parameters, 'SRP_A') : undefined;
  if (srpA !== undefined && !isValidSrpA(srpA)) throw Errors.invalidParameter('SRP_A must be a hexadecimal SRP public value that is not 0 mod N');
  checkSecretHash(client, typedUsername, parameters['SECRET_HASH']);
  if (!hasTrigger(pool, 'DefineAuthChallenge')) throw Errors.customAuthNotConfigured();
  const user = findUser(ctx.store, pool, typedUsername);
  if (!user && !hidesUserExistence(client)) throw Errors.userNotFound();
  if (user) {
    // No password to check first: a closed account is told at once.
    if (!user.enabled) throw Errors.userDisabled();
    if (user.status === 'UNCONFIRMED') throw Errors.userNotConfirmed();
    if (user.status === 'RESET_REQUIRED') throw Errors.passwordResetRequired();
  }
  await preAuthentication(ctx, { pool, client, user, typedUsername, validationData: clientMetadata });
  const flow: CustomFlowState = {
    history: withSrp ? [{ challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null }] : [],
    typedUsername,
    userNotFound: user === undefined,
  };
  return nextRound(ctx, { pool, client, user: current(ctx, pool, client, user), attemptId: null }, flow, srpA);
}

/** RespondToAuthChallenge CUSTOM_CHALLENGE: ANSWER goes to VerifyAuthChallengeResponse, then Define decides. */
export async function respondToCustomChallenge(ctx: PoolContext, step: ChallengeStep): Promise<JsonObject> {
  const { pool, client, session } = step;
  const answer = requireParameter(step.responses, 'ANSWER');
  // Used up before the functions run: one answer per round, whatever they say.
  claimSession(ctx, session);
  const state = session.state as unknown as CustomChallengeState;
  const flow = state.customFlow;
  const user = session.userSub === null ? undefined : ctx.store.getUserBySub(pool.id, session.userSub);
  if (session.userSub !== null && !user) throw unknownUserError(client);
  const response = await invokeTrigger(ctx, {
    pool,
    trigger: 'VerifyAuthChallengeResponse',
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    userName: user?.username ?? session.username,
    clientId: client.id,
    request: {
      userAttributes: user ? eventAttributes(user) : {},
      privateChallengeParameters: state.privateChallengeParameters,
      challengeAnswer: answer,
      ...withClientMetadata(step.clientMetadata),
      ...userNotFoundMember(client, flow),
    },
    response: { answerCorrect: null },
  });
  if (!response) throw Errors.customAuthNotConfigured();
  // Left out or null: not correct (Cognito's default).
  const answerCorrect = readBoolean(response, 'answerCorrect') ?? false;
  return continueCustomFlow(
    ctx,
    { pool, client, user: current(ctx, pool, client, user), attemptId: session.attemptId, clientMetadata: step.clientMetadata },
    flow,
    { challengeName: 'CUSTOM_CHALLENGE', challengeResult: answerCorrect, challengeMetadata: state.challengeMetadata },
  );
}

/** The next round after `result` (a custom answer, or the password proven with PASSWORD_VERIFIER). */
export function continueCustomFlow(
  ctx: PoolContext,
  parties: FlowParties,
  flow: CustomFlowState,
  result: ChallengeResult,
): Promise<JsonObject> {
  return nextRound(ctx, parties, { ...flow, history: [...flow.history, result] }, undefined);
}

/** SignInParties for a user that may not exist (userNotFound). */
type FlowParties = Omit<SignInParties, 'user'> & { user: UserRecord | undefined };

/** The user as stored now (the functions are awaits), still enabled; undefined for an unknown name. */
function current(ctx: PoolContext, pool: PoolRecord, client: ClientRecord, user: UserRecord | undefined): UserRecord | undefined {
  if (!user) return undefined;
  const now = ctx.store.getUserBySub(pool.id, user.sub);
  if (!now) throw unknownUserError(client);
  if (!now.enabled) throw Errors.userDisabled();
  return now;
}

const userNotFoundMember = (client: ClientRecord, flow: CustomFlowState): JsonObject =>
  hidesUserExistence(client) ? { userNotFound: flow.userNotFound } : {};

/** Asks DefineAuthChallenge what comes next, and does it. */
async function nextRound(ctx: PoolContext, parties: FlowParties, flow: CustomFlowState, srpA: string | undefined): Promise<JsonObject> {
  const { pool, client, user } = parties;
  const common = {
    userAttributes: user ? eventAttributes(user) : {},
    session: flow.history,
    ...withClientMetadata(parties.clientMetadata),
    ...userNotFoundMember(client, flow),
  };
  const userName = user?.username ?? flow.typedUsername;
  const defined = await invokeTrigger(ctx, {
    pool,
    trigger: 'DefineAuthChallenge',
    triggerSource: 'DefineAuthChallenge_Authentication',
    userName,
    clientId: client.id,
    request: common,
    response: { challengeName: null, issueTokens: null, failAuthentication: null },
  });
  if (!defined) throw Errors.customAuthNotConfigured();
  const fail = readBoolean(defined, 'failAuthentication') ?? false;
  const issueTokens = readBoolean(defined, 'issueTokens') ?? false;
  const challengeName = readString(defined, 'challengeName');
  if (fail) throw Errors.incorrectCredentials();
  if (issueTokens) {
    const now = current(ctx, pool, client, user);
    // Nobody to sign in: the functions were told userNotFound and issued tokens anyway.
    if (!now) throw Errors.incorrectCredentials();
    // What follows a sign-in the pool's own way: a temporary password to change, then the pool's MFA.
    return continueAfterPassword(ctx, { ...parties, user: now });
  }
  if (challengeName === 'PASSWORD_VERIFIER') {
    const last = flow.history[flow.history.length - 1];
    if (srpA === undefined || last?.challengeName !== 'SRP_A') {
      ctx.log('[lambda] DefineAuthChallenge answered PASSWORD_VERIFIER, which only follows SRP_A (InitiateAuth CHALLENGE_NAME=SRP_A)');
      throw Errors.invalidLambdaResponse();
    }
    if (!user?.credentials) return openSimulatedPasswordVerifier(ctx, { pool, client, typedUsername: flow.typedUsername, srpA }, flow);
    return openPasswordVerifier(ctx, { client, user }, srpA, flow);
  }
  if (challengeName !== 'CUSTOM_CHALLENGE') {
    ctx.log(`[lambda] DefineAuthChallenge answered ${challengeName === undefined ? 'no challengeName, no issueTokens and no failAuthentication' : `challengeName ${challengeName}, which the local pool does not issue from a custom flow`}`);
    throw Errors.invalidLambdaResponse();
  }
  const created = await invokeTrigger(ctx, {
    pool,
    trigger: 'CreateAuthChallenge',
    triggerSource: 'CreateAuthChallenge_Authentication',
    userName,
    clientId: client.id,
    request: { ...common, challengeName },
    response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  });
  if (!created) throw Errors.customAuthNotConfigured();
  const state: CustomChallengeState = {
    customFlow: flow,
    privateChallengeParameters: readStringMap(created, 'privateChallengeParameters') ?? {},
    challengeMetadata: readString(created, 'challengeMetadata') ?? null,
  };
  const publicParameters = readStringMap(created, 'publicChallengeParameters') ?? {};
  const now = current(ctx, pool, client, user);
  return openChallenge(ctx, {
    client,
    userSub: now?.sub ?? null,
    username: now?.username ?? flow.typedUsername,
    challenge: 'CUSTOM_CHALLENGE',
    state: { ...state },
    attemptId: parties.attemptId ?? null,
    // The canonical name travels with the function's parameters (clients answer with it).
    parameters: { ...publicParameters, USERNAME: now?.username ?? flow.typedUsername },
  });
}
