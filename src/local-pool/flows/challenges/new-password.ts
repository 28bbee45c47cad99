// NEW_PASSWORD_REQUIRED: a user with a temporary password picks a
// permanent one and fills in required attributes it lacks. Input mistakes leave the session usable.
import { requiredAttributes } from '../../pools/config.js';
import type { PoolContext } from '../../context.js';
import { Errors } from '../../api/errors.js';
import { noFailures } from '../../store/model.js';
import { createCredentials, passwordPolicyViolation } from '../../crypto/passwords.js';
import { claimSession, requireParameter, unknownUserError } from '../sign-in.js';
import { applyAttributeUpdates, checkClientWritable, readAttributeUpdates } from '../../pools/users.js';
import type { JsonObject } from '../../api/validation.js';
import type { ChallengeStep } from './index.js';
import { continueAfterFirstFactor } from './next-step.js';

const ATTRIBUTE_PREFIX = 'userAttributes.';

export async function respondToNewPassword(ctx: PoolContext, step: ChallengeStep): Promise<JsonObject> {
  const { pool, client, session, responses } = step;
  const newPassword = requireParameter(responses, 'NEW_PASSWORD');
  const user = session.userSub === null ? undefined : ctx.store.getUserBySub(pool.id, session.userSub);
  if (!user) throw unknownUserError(client);

  const given = Object.entries(responses)
    .filter(([key]) => key.startsWith(ATTRIBUTE_PREFIX))
    .map(([key, value]) => ({ Name: key.slice(ATTRIBUTE_PREFIX.length), Value: value }));
  const required = requiredAttributes(pool.config);
  for (const { Name } of given) {
    checkClientWritable(Name, client.config.WriteAttributes);
    if (required.includes(Name) && user.attributes[Name]) {
      throw Errors.attributeAlreadyProvided(Name);
    }
  }
  const updates = readAttributeUpdates(pool, given);
  const attributes = applyAttributeUpdates(user.attributes, updates);
  const missing = required.find((name) => !attributes[name]);
  if (missing) throw Errors.invalidParameter(`Invalid attributes given, ${missing} is missing`);
  const violation = passwordPolicyViolation(newPassword, pool.config.Policies.PasswordPolicy);
  if (violation) throw Errors.invalidPassword(violation);

  claimSession(ctx, session);
  const credentials = await createCredentials(ctx.srp, pool.id, user.username, newPassword);
  // Written on the user as stored after the hash: an admin change made meanwhile is kept, and a
  // user disabled or deleted meanwhile does not get signed in.
  const now = ctx.clock.now();
  const confirmed = ctx.store.updateUser(pool.id, user.sub, (current) => {
    if (!current.enabled) throw Errors.userDisabled();
    // Reset or given another password meanwhile (an admin): that stays, and this sign-in ends.
    if (current.status === 'RESET_REQUIRED' && user.status !== 'RESET_REQUIRED') throw Errors.passwordResetRequired();
    if (current.status !== user.status || current.credentials?.srpVerifier !== user.credentials?.srpVerifier) throw Errors.incorrectCredentials();
    return {
      ...current,
      status: 'CONFIRMED' as const,
      attributes: applyAttributeUpdates(current.attributes, updates),
      credentials,
      passwordSetAt: now,
      lockout: noFailures,
      updatedAt: now,
    };
  });
  if (!confirmed) throw unknownUserError(client);
  return continueAfterFirstFactor(ctx, {
    pool,
    client,
    user: confirmed,
    attemptId: session.attemptId,
    clientMetadata: step.clientMetadata,
    tokenSource: 'TokenGeneration_NewPasswordChallenge',
  });
}
