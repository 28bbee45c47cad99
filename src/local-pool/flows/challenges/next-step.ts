// What follows a proven password, in Cognito's order: reset required,
// NEW_PASSWORD_REQUIRED for a temporary password, then the MFA step (which a remembered device may
// stand in for), then the device step and tokens (finishSignIn).
import { requiredAttributes } from '../../pools/config.js';
import type { PoolContext } from '../../context.js';
import { Errors } from '../../api/errors.js';
import { nextMfaStep } from '../../pools/mfa.js';
import { finishSignIn, openChallenge, type SignInParties } from '../sign-in.js';
import type { JsonObject } from '../../api/validation.js';
import { openMfaChallenge, openMfaSetup, openSelectMfaType } from './mfa.js';
import { deviceReplacesMfa, withAttemptDevice } from '../../devices/devices.js';

/** Next step once the password is proven (and settled: settlePasswordCheck): reset required, NEW_PASSWORD_REQUIRED, MFA, or tokens. */
export async function continueAfterPassword(ctx: PoolContext, signIn: SignInParties): Promise<JsonObject> {
  // The DEVICE_KEY that came with the password, for the steps that follow.
  const parties = withAttemptDevice(ctx, signIn);
  const { user } = parties;
  if (user.status === 'RESET_REQUIRED') throw Errors.passwordResetRequired();
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    const validDays = parties.pool.config.Policies.PasswordPolicy.TemporaryPasswordValidityDays;
    if (validDays > 0 && user.passwordSetAt !== null && ctx.clock.now() > user.passwordSetAt + validDays * 86_400_000) {
      throw Errors.temporaryPasswordExpired();
    }
    return openNewPasswordChallenge(ctx, { ...parties, user });
  }
  return continueAfterFirstFactor(ctx, { ...parties, user });
}

/**
 * The MFA step after the first factor (and after NEW_PASSWORD_REQUIRED): one factor's challenge,
 * SELECT_MFA_TYPE, MFA_SETUP, or tokens. The rule is in mfa.ts (nextMfaStep).
 */
export async function continueAfterFirstFactor(ctx: PoolContext, parties: SignInParties): Promise<JsonObject> {
  const step = nextMfaStep(parties.pool, parties.user);
  // A remembered device stands in for the MFA challenge (not for setting MFA up): DEVICE_SRP_AUTH instead.
  if ((step.kind === 'challenge' || step.kind === 'select') && deviceReplacesMfa(ctx, parties)) return finishSignIn(ctx, parties);
  switch (step.kind) {
    case 'none':
      return finishSignIn(ctx, parties);
    case 'challenge':
      return openMfaChallenge(ctx, parties, step.type);
    case 'select':
      return openSelectMfaType(ctx, parties, step.choices);
    case 'setup':
      return openMfaSetup(ctx, parties, step.choices);
  }
}

function openNewPasswordChallenge(ctx: PoolContext, { pool, client, user, attemptId }: SignInParties): JsonObject {
  const missing = requiredAttributes(pool.config).filter((name) => !user.attributes[name]);
  const { sub: _sub, ...visible } = user.attributes;
  return openChallenge(ctx, {
    client,
    userSub: user.sub,
    username: user.username,
    challenge: 'NEW_PASSWORD_REQUIRED',
    state: {},
    attemptId: attemptId ?? null,
    parameters: {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: JSON.stringify(missing.map((name) => `userAttributes.${name}`)),
      userAttributes: JSON.stringify(visible),
    },
  });
}
