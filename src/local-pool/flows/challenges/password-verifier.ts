// USER_SRP_AUTH: the PASSWORD_VERIFIER challenge (SRP_B, SALT, SECRET_BLOCK out; the password claim in).
import { parseCognitoTimestamp } from '../../../cognito/srp-math.js';
import type { PoolContext } from '../../context.js';
import { Errors } from '../../api/errors.js';
import { safeEqual } from '../../crypto/secrets.js';
import {
  checkNotLocked,
  claimSession,
  openChallenge,
  refuseClosedAccountEarly,
  requireParameter,
  settlePasswordCheck,
  unknownUserError,
  type SignInParties,
} from '../sign-in.js';
import { newSecretBlock } from '../../crypto/srp-server.js';
import type { JsonObject } from '../../api/validation.js';
import type { PoolRecord } from '../../store/model.js';
import { EMAIL } from '../../pools/users.js';
import type { ChallengeStep } from './index.js';
import { continueAfterPassword } from './next-step.js';
import { continueCustomFlow, type CustomFlowState } from '../custom-auth.js';

/** How far a TIMESTAMP may be from the server clock (decided: ±5 minutes, see docs/local-pool.md). */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

// Shape only: weekday, month, 1-2 digit day, time, zone, year. The exact rules come after.
export const TIMESTAMP_SHAPE = /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{1,2} \d{2}:\d{2}:\d{2} [A-Z]{3} \d{4}$/;

interface VerifierState {
  A: string;
  b: string;
  B: string;
  secretBlock: string;
  verifier?: string;
  /** CUSTOM_AUTH with SRP: the custom flow the proven password continues (flows/custom-auth.ts). */
  customFlow?: CustomFlowState;
}

/** InitiateAuth USER_SRP_AUTH for a known user with a password. */
export async function openPasswordVerifier(
  ctx: PoolContext,
  { client, user, attemptId }: Omit<SignInParties, 'pool'>,
  srpA: string,
  /** Where a custom authentication flow stands (CUSTOM_AUTH with SRP): the verifier continues it. */
  customFlow?: CustomFlowState,
): Promise<JsonObject> {
  const credentials = user.credentials!;
  const ephemeral = await ctx.srp.createEphemeral(credentials.srpVerifier);
  const secretBlock = newSecretBlock();
  const state: VerifierState = { A: srpA, b: ephemeral.b, B: ephemeral.B, secretBlock, ...(customFlow ? { customFlow } : {}) };
  return openChallenge(ctx, {
    client,
    userSub: user.sub,
    username: user.username,
    challenge: 'PASSWORD_VERIFIER',
    state: { ...state },
    attemptId: attemptId ?? null,
    parameters: {
      SALT: credentials.srpSalt,
      SRP_B: ephemeral.B,
      SECRET_BLOCK: secretBlock,
      USER_ID_FOR_SRP: user.username,
      USERNAME: user.username,
    },
  });
}

/**
 * The challenge an unknown user gets when PreventUserExistenceErrors is ENABLED: same shape, a
 * salt and USER_ID_FOR_SRP that never change for this name, and a step 2 that always fails.
 */
export async function openSimulatedPasswordVerifier(
  ctx: PoolContext,
  { pool, client, typedUsername, srpA, attemptId }: { pool: PoolRecord; client: SignInParties['client']; typedUsername: string; srpA: string; attemptId?: string | undefined },
  customFlow?: CustomFlowState,
): Promise<JsonObject> {
  const simulated = ctx.srp.simulatedVerifier(ctx.simulationKey, client.poolId, typedUsername);
  const userIdForSrp = simulatedUserIdForSrp(pool, typedUsername, simulated.userIdForSrp);
  const ephemeral = await ctx.srp.createEphemeral(simulated.verifier);
  const secretBlock = newSecretBlock();
  const state: VerifierState = { A: srpA, b: ephemeral.b, B: ephemeral.B, secretBlock, verifier: simulated.verifier, ...(customFlow ? { customFlow } : {}) };
  return openChallenge(ctx, {
    client,
    userSub: null,
    username: userIdForSrp,
    challenge: 'PASSWORD_VERIFIER',
    state: { ...state },
    attemptId: attemptId ?? null,
    parameters: {
      SALT: simulated.salt,
      SRP_B: ephemeral.B,
      SECRET_BLOCK: secretBlock,
      USER_ID_FOR_SRP: userIdForSrp,
      USERNAME: userIdForSrp,
    },
  });
}

/**
 * The USER_ID_FOR_SRP a real user of this pool would show for the typed name: a UUID where usernames
 * are subs (UsernameAttributes) or the name is shaped like an alias (never a username there), else the
 * name itself, as a user's own username comes back. A UUID for every unknown name (Cognito's
 * documented answer) would tell unknown names apart in pools of plain usernames.
 */
export function simulatedUserIdForSrp(pool: PoolRecord, typedUsername: string, uuid: string): string {
  if (pool.config.UsernameAttributes.length > 0) return uuid;
  const aliasShaped = EMAIL.test(typedUsername) || /^\+\d+$/.test(typedUsername);
  return pool.config.AliasAttributes.length > 0 && aliasShaped ? uuid : typedUsername;
}

export async function respondToPasswordVerifier(ctx: PoolContext, step: ChallengeStep): Promise<JsonObject> {
  const { pool, client, session, responses } = step;
  const signature = requireParameter(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const secretBlock = requireParameter(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const timestamp = requireParameter(responses, 'TIMESTAMP');
  if (!TIMESTAMP_SHAPE.test(timestamp)) {
    throw Errors.invalidParameter('TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');
  }
  claimSession(ctx, session);
  const state = session.state as unknown as VerifierState;
  // No user: the simulated challenge of an unknown name (or the user was deleted since step 1).
  const user = session.userSub === null ? undefined : ctx.store.getUserBySub(pool.id, session.userSub);
  if (user?.credentials) {
    refuseClosedAccountEarly(client, user);
    checkNotLocked(ctx, user);
  }
  const issuedAt = parseCognitoTimestamp(timestamp);
  const fresh = issuedAt !== undefined && Math.abs(ctx.clock.now() - issuedAt.getTime()) <= TIMESTAMP_TOLERANCE_MS;
  // Known or simulated: the same proof check before any answer.
  const verifier = user?.credentials?.srpVerifier ?? state.verifier;
  const verified =
    verifier !== undefined &&
    (await ctx.srp.verifyClaim({
      ...proof(state, verifier),
      poolId: pool.id,
      userIdForSrp: user?.username ?? session.username,
      secretBlock: state.secretBlock,
      timestamp,
      signature,
    }));
  if (!user?.credentials) {
    ctx.store.recordUnknownFailure(pool.id, session.username, ctx.clock.now());
    throw unknownUserError(client);
  }
  const proven = verified && safeEqual(secretBlock, state.secretBlock) && fresh;
  const current = settlePasswordCheck(ctx, pool, client, user, proven);
  if (state.customFlow) {
    return continueCustomFlow(ctx, { pool, client, user: current, attemptId: session.attemptId, clientMetadata: step.clientMetadata }, state.customFlow, {
      challengeName: 'PASSWORD_VERIFIER',
      challengeResult: true,
      challengeMetadata: null,
    });
  }
  return continueAfterPassword(ctx, { pool, client, user: current, attemptId: session.attemptId, clientMetadata: step.clientMetadata });
}

const proof = (state: VerifierState, verifier: string) => ({ A: state.A, b: state.b, B: state.B, verifier });
