// The answers of choice-based sign-in (USER_AUTH): SELECT_CHALLENGE (ANSWER + PASSWORD / SRP_A, or
// a factor whose challenge follows), PASSWORD and PASSWORD_SRP (the service model's names for the
// same answers, sent with the SELECT_CHALLENGE Session), and WEB_AUTHN (a passkey assertion). The
// code challenges EMAIL_OTP and SMS_OTP are answered in mfa.ts.
import type { PoolContext } from '../../context.js';
import { Errors } from '../../api/errors.js';
import type { JsonObject } from '../../api/validation.js';
import { readAssertion, verifyAssertion } from '../../webauthn/passkeys.js';
import { claimSession, finishSignIn, requireParameter, unknownUserError } from '../sign-in.js';
import {
  availableChallenges,
  checkFactorInput,
  FIRST_FACTOR_CHALLENGES,
  isFirstFactorChallenge,
  startFactor,
  subjectOf,
  type FirstFactorChallenge,
  type SelectChallengeState,
  type WebAuthnState,
} from '../user-auth.js';
import type { ChallengeStep } from './index.js';

/** ChallengeNames answered with the Session of another challenge. */
export const SESSION_OF_CHALLENGE: Readonly<Record<string, string>> = { PASSWORD: 'SELECT_CHALLENGE', PASSWORD_SRP: 'SELECT_CHALLENGE' };

/**
 * The chosen factor's first step. Input mistakes (an unknown ANSWER, a factor not offered, a missing
 * PASSWORD or SRP_A, CREDENTIAL before the passkey challenge) keep the Session; the choice uses it up.
 */
async function selectFactor(ctx: PoolContext, step: ChallengeStep, answer: string): Promise<JsonObject> {
  const { pool, client, session, responses } = step;
  if (!isFirstFactorChallenge(answer)) throw Errors.invalidParameter(`ANSWER must be one of ${FIRST_FACTOR_CHALLENGES.join(', ')}.`);
  const state = session.state as unknown as SelectChallengeState;
  const user = session.userSub === null ? undefined : ctx.store.getUserBySub(pool.id, session.userSub);
  // A user is offered what the user has now; a hidden name what it was offered.
  const offered: readonly FirstFactorChallenge[] = state.hidden || !user ? state.available : availableChallenges(ctx, pool, user);
  if (!offered.includes(answer)) throw Errors.invalidParameter(`${answer} is not one of the AvailableChallenges of this sign-in.`);
  if (answer === 'WEB_AUTHN' && responses['CREDENTIAL'] !== undefined) {
    throw Errors.invalidParameter('CREDENTIAL answers the WEB_AUTHN challenge: choose WEB_AUTHN first, then answer the challenge.');
  }
  checkFactorInput(responses, answer);
  claimSession(ctx, session);
  const subject = subjectOf(ctx, pool, client, state.typed, user);
  return startFactor(ctx, { pool, client, subject, parameters: responses, attemptId: session.attemptId, fromInitiateAuth: false }, answer);
}

const respondToSelectChallenge = (ctx: PoolContext, step: ChallengeStep) => selectFactor(ctx, step, requireParameter(step.responses, 'ANSWER'));

/** The passkey assertion: one try per Session (its challenge is single use), then tokens (no MFA: the passkey stands for it). */
async function respondToWebAuthn(ctx: PoolContext, step: ChallengeStep): Promise<JsonObject> {
  const { pool, client, session } = step;
  const assertion = readAssertion(requireParameter(step.responses, 'CREDENTIAL'));
  claimSession(ctx, session);
  const state = session.state as unknown as WebAuthnState;
  const user = session.userSub === null ? undefined : ctx.store.getUserBySub(pool.id, session.userSub);
  if (!user) throw session.userSub === null ? Errors.incorrectCredentials() : unknownUserError(client);
  const proven = await verifyAssertion(ctx, {
    pool,
    user,
    rpId: state.rpId,
    challenge: state.challenge,
    requireUserVerification: state.requireUserVerification,
    assertion,
  });
  if (!proven) throw Errors.incorrectCredentials();
  const current = ctx.store.getUserBySub(pool.id, user.sub);
  if (!current) throw unknownUserError(client);
  if (!current.enabled) throw Errors.userDisabled();
  return finishSignIn(ctx, { pool, client, user: current, attemptId: session.attemptId });
}

export const firstFactorResponders: Readonly<Record<string, (ctx: PoolContext, step: ChallengeStep) => Promise<JsonObject>>> = {
  SELECT_CHALLENGE: respondToSelectChallenge,
  PASSWORD: (ctx, step) => selectFactor(ctx, step, 'PASSWORD'),
  PASSWORD_SRP: (ctx, step) => selectFactor(ctx, step, 'PASSWORD_SRP'),
  WEB_AUTHN: respondToWebAuthn,
};
