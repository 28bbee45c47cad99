// Sign-up, its confirmation, and password recovery (ForgotPassword / ConfirmForgotPassword /
// AdminResetUserPassword), plus ChangePassword. Anything computed before an await (a password hash)
// is written to the user as stored afterwards, and the checks that must hold at write time (the name
// is still free, the password was not changed meanwhile) are made again inside that write.
import type { PoolContext } from '../context.js';
import { CognitoError, Errors } from '../api/errors.js';
import { noFailures, type ClientRecord, type PoolRecord, type UserRecord } from '../store/model.js';
import { createCredentials, passwordPolicyViolation, verifyPassword } from '../crypto/passwords.js';
import { CLIENT_READ_ONLY_ATTRIBUTES, requiredAttributes } from '../pools/config.js';
import { channelOf, recoveryChannel, signUpChannel, simulatedDeliveryDetails, type Channel, type DeliveryAttribute } from '../pools/messages.js';
import { insertUser, planUser, type PlannedUser } from '../pools/provisioning.js';
import { findUser } from '../pools/users.js';
import type { JsonObject } from '../api/validation.js';
import { sha256Hex } from '../crypto/secrets.js';
import { afterFailure, isLocked } from './lockout.js';
import { sendCode, useCode } from './codes.js';
import { checkNotTaken, claimAlias } from './attributes.js';
import { customMessageTexts, type CustomMessageSource, type CustomTexts } from '../triggers/custom-message.js';
import { NO_CLIENT } from '../triggers/invoke.js';
import { migrateUser } from '../triggers/migration.js';
import { postConfirmation, preSignUp } from '../triggers/sign-up.js';
import {
  CONFIRMED_SIGN_UP_SESSION,
  SIGN_UP_SESSION,
  isUsableSignUpSession,
  issueSignUpSession,
  offersSignUpSessions,
} from './sign-up-sessions.js';

export function checkPolicy(pool: PoolRecord, password: string): void {
  const violation = passwordPolicyViolation(password, pool.config.Policies.PasswordPolicy);
  if (violation) throw Errors.invalidPassword(violation);
}

/** Attributes an app client may write (SignUp, UpdateUserAttributes, DeleteUserAttributes). */
export function checkClientMayWrite(client: ClientRecord | undefined, names: readonly string[]): void {
  const writable = client?.config.WriteAttributes;
  for (const name of names) {
    if (CLIENT_READ_ONLY_ATTRIBUTES.has(name) || (writable && !writable.includes(name))) throw Errors.unauthorizedAttribute();
  }
}

const prevents = (client: ClientRecord) => client.config.PreventUserExistenceErrors === 'ENABLED';

// ---------- sign-up ----------

export interface SignUpInput {
  pool: PoolRecord;
  client: ClientRecord;
  username: string;
  password: string;
  attributes: Array<{ Name: string; Value: string }>;
  validationData?: Record<string, string> | undefined;
  clientMetadata?: Record<string, string> | undefined;
}

/** Username checks with SignUp's wording ("User already exists"; the email / phone wording of UsernameAttributes pools stays). */
function planSignUp(ctx: PoolContext, pool: PoolRecord, username: string, attributes: Array<{ Name: string; Value: string }>): PlannedUser {
  try {
    return planUser(ctx, pool, username, attributes);
  } catch (error) {
    if (error instanceof CognitoError && error.type === 'UsernameExistsException' && pool.config.UsernameAttributes.length === 0) {
      throw Errors.signUpUsernameExists();
    }
    throw error;
  }
}

export async function signUp(ctx: PoolContext, input: SignUpInput): Promise<JsonObject> {
  const { pool, client, username, password, attributes, clientMetadata } = input;
  if (pool.config.AdminCreateUserConfig.AllowAdminCreateUserOnly) throw Errors.signUpNotPermitted();
  checkClientMayWrite(client, attributes.map((a) => a.Name));
  const planned = planSignUp(ctx, pool, username, attributes);
  const missing = requiredAttributes(pool.config).filter((name) => !planned.attributes[name]);
  if (missing.length > 0) throw Errors.requiredAttributes(missing);
  checkPolicy(pool, password);
  // The triggers run before anything is stored: PreSignUp may refuse the user or confirm it at once.
  const decision = await preSignUp(ctx, {
    pool,
    clientId: client.id,
    source: 'PreSignUp_SignUp',
    userName: planned.username,
    attributes: planned.attributes,
    validationData: input.validationData,
    clientMetadata,
  });
  const verified: Record<string, string> = {
    ...(decision.autoVerifyEmail ? { email_verified: 'true' } : {}),
    ...(decision.autoVerifyPhone ? { phone_number_verified: 'true' } : {}),
  };
  const status = decision.autoConfirmUser ? 'CONFIRMED' : 'UNCONFIRMED';
  const toStore: PlannedUser = { ...planned, attributes: { ...planned.attributes, ...verified } };
  const texts = decision.autoConfirmUser
    ? undefined
    : await customMessageTexts(ctx, { pool, clientId: client.id, source: 'CustomMessage_SignUp', user: { ...toStore, status }, clientMetadata });
  const credentials = await createCredentials(ctx.srp, pool.id, planned.username, password);
  // The name may have been taken while the triggers ran and the password was hashed: checked again in the same transaction as the insert.
  const result = ctx.store.transaction(() => {
    planSignUp(ctx, pool, username, attributes);
    const user = insertUser(ctx, toStore, { status, enabled: true, credentials });
    // An address or phone number the function verified becomes this user's alias (moved from another user, as Cognito documents).
    for (const attribute of ['email', 'phone_number'] as const) {
      if (verified[`${attribute}_verified`]) claimAlias(ctx, pool, user, attribute, user.attributes[attribute]!, true);
    }
    const channel = decision.autoConfirmUser ? undefined : signUpChannel(pool, user);
    const details = channel ? sendCode(ctx, { pool, user, kind: 'SIGN_UP', channel, purpose: 'SIGN_UP', limited: true, texts }) : undefined;
    const sessionKind = decision.autoConfirmUser ? CONFIRMED_SIGN_UP_SESSION : SIGN_UP_SESSION;
    const session = offersSignUpSessions(client) ? issueSignUpSession(ctx, client, user, sessionKind) : undefined;
    return {
      user,
      output: {
        UserConfirmed: decision.autoConfirmUser,
        UserSub: user.sub,
        ...(details ? { CodeDeliveryDetails: details } : {}),
        ...(session ? { Session: session } : {}),
      },
    };
  });
  if (decision.autoConfirmUser) {
    await postConfirmation(ctx, { pool, clientId: client.id, user: result.user, source: 'PostConfirmation_ConfirmSignUp', clientMetadata });
  }
  return result.output;
}

function requireAccount(ctx: PoolContext, pool: PoolRecord, client: ClientRecord, username: string, unknown: () => CognitoError): UserRecord {
  const user = findUser(ctx.store, pool, username);
  if (!user) throw prevents(client) ? unknown() : Errors.accountNotFound();
  return user;
}

export async function confirmSignUp(
  ctx: PoolContext,
  input: {
    pool: PoolRecord;
    client: ClientRecord;
    username: string;
    code: string;
    forceAliasCreation: boolean;
    session?: string | undefined;
    clientMetadata?: Record<string, string> | undefined;
  },
): Promise<JsonObject> {
  const { pool, client } = input;
  const user = requireAccount(ctx, pool, client, input.username, Errors.verificationCodeMismatch);
  if (user.status !== 'UNCONFIRMED') throw Errors.cannotConfirm(user.status);
  // USER_AUTH clients: a SignUp Session given must be this user's, checked before the code is used.
  const signUpSession = offersSignUpSessions(client) ? input.session : undefined;
  if (signUpSession !== undefined && !isUsableSignUpSession(ctx, client, user, signUpSession, SIGN_UP_SESSION)) throw Errors.invalidSession();
  const pendingCode = ctx.store.getCode(pool.id, user.sub, 'SIGN_UP');
  const attribute = pendingCode?.attribute as DeliveryAttribute | undefined;
  // An alias conflict is reported before the code is used up.
  if (pendingCode && attribute && (!input.forceAliasCreation || pool.config.UsernameAttributes.includes(attribute))) {
    checkNotTaken(ctx, pool, user, attribute, pendingCode.destination);
  }
  const code = useCode(ctx, user, 'SIGN_UP', input.code);
  let confirmedUser: UserRecord | undefined;
  const output = ctx.store.transaction((): JsonObject => {
    const verified = code.attribute as DeliveryAttribute;
    if (user.attributes[verified] === code.destination) claimAlias(ctx, pool, user, verified, code.destination, input.forceAliasCreation);
    const confirmed = ctx.store.updateUser(pool.id, user.sub, (current) => ({
      ...current,
      status: current.status === 'UNCONFIRMED' ? 'CONFIRMED' : current.status,
      attributes:
        current.attributes[verified] === code.destination ? { ...current.attributes, [`${verified}_verified`]: 'true' } : current.attributes,
      updatedAt: ctx.clock.now(),
    }));
    if (!confirmed) throw Errors.verificationCodeMismatch();
    confirmedUser = confirmed;
    if (!offersSignUpSessions(client)) return {};
    // The SignUp Session (if given) is consumed here; one used meanwhile just means no new Session.
    if (signUpSession !== undefined && !ctx.store.claimSessionFor(sha256Hex(signUpSession), SIGN_UP_SESSION, client.id, user.sub, ctx.clock.now())) {
      return {};
    }
    return { Session: issueSignUpSession(ctx, client, confirmed, CONFIRMED_SIGN_UP_SESSION) };
  });
  await postConfirmation(ctx, { pool, clientId: client.id, user: confirmedUser!, source: 'PostConfirmation_ConfirmSignUp', clientMetadata: input.clientMetadata });
  return output;
}

type AccountInput = { pool: PoolRecord; client: ClientRecord; username: string; clientMetadata?: Record<string, string> | undefined };

/** A CustomMessage function's texts for a message to the user the name refers to (none for unknown names). */
async function textsFor(ctx: PoolContext, input: AccountInput, source: CustomMessageSource): Promise<CustomTexts | undefined> {
  const user = findUser(ctx.store, input.pool, input.username);
  if (!user) return undefined;
  return customMessageTexts(ctx, { pool: input.pool, clientId: input.client.id, source, user, clientMetadata: input.clientMetadata });
}

/**
 * Sends a code to the user the name refers to. An unknown name is UserNotFoundException, or with
 * PreventUserExistenceErrors ENABLED a simulated delivery, and nothing is sent; ENABLED answers a
 * disabled account the same way (Cognito's documented behaviour).
 */
function sendToAccount(ctx: PoolContext, input: AccountInput, purpose: 'SIGN_UP' | 'RECOVERY', send: (user: UserRecord) => JsonObject): JsonObject {
  const found = findUser(ctx.store, input.pool, input.username);
  const user = found && (found.enabled || !prevents(input.client)) ? found : undefined;
  if (user) return { CodeDeliveryDetails: send(user) };
  if (!prevents(input.client)) throw Errors.accountNotFound();
  return { CodeDeliveryDetails: simulatedDeliveryDetails(ctx.simulationKey, input.pool, input.username, purpose) };
}

export async function resendConfirmationCode(ctx: PoolContext, input: AccountInput): Promise<JsonObject> {
  const { pool } = input;
  const texts = await textsFor(ctx, input, 'CustomMessage_ResendCode');
  return sendToAccount(ctx, input, 'SIGN_UP', (user) => {
    if (user.status !== 'UNCONFIRMED') throw Errors.alreadyConfirmed();
    const channel = signUpChannel(pool, user);
    if (!channel) throw Errors.autoVerificationOff();
    return sendCode(ctx, { pool, user, kind: 'SIGN_UP', channel, purpose: 'SIGN_UP', limited: true, texts });
  });
}

// ---------- password recovery ----------

/** ForgotPassword; a name that is no user first goes to the UserMigration function, if the pool has one. */
export async function forgotPassword(ctx: PoolContext, input: AccountInput): Promise<JsonObject> {
  const { pool } = input;
  if (!findUser(ctx.store, pool, input.username)) {
    await migrateUser(ctx, {
      pool,
      client: input.client,
      typedUsername: input.username,
      source: 'UserMigration_ForgotPassword',
      clientMetadata: input.clientMetadata,
    });
  }
  const texts = await textsFor(ctx, input, 'CustomMessage_ForgotPassword');
  return sendToAccount(ctx, input, 'RECOVERY', (user) => {
    if (!user.enabled) throw Errors.userDisabled();
    if (user.status === 'FORCE_CHANGE_PASSWORD') throw Errors.cannotResetPassword();
    const channel = recoveryChannel(pool, user);
    return sendCode(ctx, { pool, user, kind: 'FORGOT_PASSWORD', channel, purpose: 'FORGOT_PASSWORD', limited: true, texts });
  });
}

/**
 * AdminResetUserPassword: RESET_REQUIRED (the old password is then answered "Password reset required
 * for the user"), and a reset code over the first verified recovery channel, if the user has one.
 */
export async function adminResetPassword(ctx: PoolContext, pool: PoolRecord, user: UserRecord, clientMetadata?: Record<string, string>): Promise<void> {
  if (user.status === 'UNCONFIRMED') throw Errors.cannotResetPassword();
  const texts = adminResetChannel(pool, user)
    ? await customMessageTexts(ctx, { pool, clientId: NO_CLIENT, source: 'CustomMessage_ForgotPassword', user: { ...user, status: 'RESET_REQUIRED' }, clientMetadata })
    : undefined;
  ctx.store.transaction(() => {
    const updated = ctx.store.updateUser(pool.id, user.sub, (current) => ({ ...current, status: 'RESET_REQUIRED', updatedAt: ctx.clock.now() }));
    if (!updated) throw Errors.userNotFound();
    // The function is an await: the code goes where the user as stored now can receive it.
    const channel = adminResetChannel(pool, updated);
    if (channel) sendCode(ctx, { pool, user: updated, kind: 'FORGOT_PASSWORD', channel, purpose: 'ADMIN_RESET_PASSWORD', limited: false, texts });
  });
}

/** AdminResetUserPassword's channel: the recovery channel, else the legacy order over verified values, else none (no message). */
function adminResetChannel(pool: PoolRecord, user: UserRecord): Channel | undefined {
  try {
    return recoveryChannel(pool, user);
  } catch {
    // admin_only or nothing verified: the next try of the legacy order, or no message at all.
    const phone = user.attributes['phone_number_verified'] === 'true' ? user.attributes['phone_number'] : undefined;
    const email = user.attributes['email_verified'] === 'true' ? user.attributes['email'] : undefined;
    return phone ? channelOf('phone_number', phone) : email ? channelOf('email', email) : undefined;
  }
}

export async function confirmForgotPassword(
  ctx: PoolContext,
  input: { pool: PoolRecord; client: ClientRecord; username: string; code: string; password: string; clientMetadata?: Record<string, string> | undefined },
): Promise<JsonObject> {
  const { pool, client } = input;
  const user = requireAccount(ctx, pool, client, input.username, Errors.verificationCodeMismatch);
  // ENABLED: a disabled account is answered like an unknown one.
  if (!user.enabled) throw prevents(client) ? Errors.verificationCodeMismatch() : Errors.userDisabled();
  checkPolicy(pool, input.password);
  useCode(ctx, user, 'FORGOT_PASSWORD', input.code);
  const credentials = await createCredentials(ctx.srp, pool.id, user.username, input.password);
  const now = ctx.clock.now();
  const updated = ctx.store.updateUser(pool.id, user.sub, (current) => ({
    ...current,
    status: current.status === 'RESET_REQUIRED' || current.status === 'FORCE_CHANGE_PASSWORD' ? 'CONFIRMED' : current.status,
    credentials,
    passwordSetAt: now,
    lockout: noFailures,
    updatedAt: now,
  }));
  if (!updated) throw Errors.verificationCodeMismatch();
  await postConfirmation(ctx, { pool, clientId: client.id, user: updated, source: 'PostConfirmation_ConfirmForgotPassword', clientMetadata: input.clientMetadata });
  return {};
}

// ---------- ChangePassword ----------

/**
 * Checks the previous password (a wrong one counts towards the user's lockout; while locked the
 * answer is LimitExceededException) and sets the proposed one, unless the password was changed while
 * this request hashed.
 */
export async function changePassword(ctx: PoolContext, pool: PoolRecord, user: UserRecord, previous: string | undefined, proposed: string): Promise<void> {
  checkPolicy(pool, proposed);
  const checked = user.credentials;
  if (!checked) throw Errors.incorrectCredentials();
  if (previous === undefined) throw Errors.invalidParameter('Missing required parameter PreviousPassword');
  if (isLocked(user.lockout, ctx.clock.now())) throw Errors.limitExceeded();
  const proven = await verifyPassword(ctx.srp, pool.id, user.username, previous, checked);
  let refusal: CognitoError | undefined;
  ctx.store.updateUser(pool.id, user.sub, (current) => {
    const now = ctx.clock.now();
    if (!proven || current.credentials?.srpVerifier !== checked.srpVerifier) {
      refusal = Errors.incorrectCredentials();
      return { ...current, lockout: afterFailure(current.lockout, now, ctx.lockout) };
    }
    if (isLocked(current.lockout, now)) {
      refusal = Errors.limitExceeded();
      return current;
    }
    return current;
  });
  if (refusal) throw refusal;
  const credentials = await createCredentials(ctx.srp, pool.id, user.username, proposed);
  const now = ctx.clock.now();
  const changed = ctx.store.updateUser(pool.id, user.sub, (current) => {
    if (current.credentials?.srpVerifier !== checked.srpVerifier) {
      refusal = Errors.incorrectCredentials();
      return current;
    }
    return { ...current, credentials, passwordSetAt: now, lockout: noFailures, updatedAt: now };
  });
  if (!changed) throw Errors.userNotFound();
  if (refusal) throw refusal;
}
