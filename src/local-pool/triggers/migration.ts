// UserMigration: a name that is no user of the pool, at a USER_PASSWORD_AUTH sign-in or a
// ForgotPassword, is handed to the function, which may answer the user's attributes from another
// directory; the pool then creates the user on the spot (with the password just typed, at sign-in).
import type { PoolContext } from '../context.js';
import { CognitoError, Errors } from '../api/errors.js';
import { createCredentials } from '../crypto/passwords.js';
import { claimAlias } from '../flows/attributes.js';
import { insertUser, planUser } from '../pools/provisioning.js';
import { findUser } from '../pools/users.js';
import type { ClientRecord, PoolRecord, UserRecord, UserStatus } from '../store/model.js';
import { invokeTrigger, readBoolean, readString, readStringList, readStringMap, withClientMetadata } from './invoke.js';

export interface MigrationInput {
  pool: PoolRecord;
  client: ClientRecord;
  typedUsername: string;
  source: 'UserMigration_Authentication' | 'UserMigration_ForgotPassword';
  /** The password typed at sign-in (Cognito sends none for ForgotPassword). */
  password?: string;
  /** InitiateAuth's ClientMetadata (Cognito passes it as validationData). */
  validationData?: Record<string, string> | undefined;
  /** ForgotPassword's ClientMetadata. */
  clientMetadata?: Record<string, string> | undefined;
}

const FINAL_STATUSES = ['CONFIRMED', 'RESET_REQUIRED'];

/**
 * The migrated user, or undefined when the pool has no UserMigration function or the function does
 * not know the name (it answers no userAttributes). A user that appeared under the name while the
 * function ran is returned as it is. Created with status CONFIRMED only when the function says so at
 * sign-in; otherwise RESET_REQUIRED (the user must reset the password), as Cognito does.
 */
export async function migrateUser(ctx: PoolContext, input: MigrationInput): Promise<UserRecord | undefined> {
  const { pool, client, typedUsername } = input;
  const signIn = input.source === 'UserMigration_Authentication';
  const response = await invokeTrigger(ctx, {
    pool,
    trigger: 'UserMigration',
    triggerSource: input.source,
    userName: typedUsername,
    clientId: client.id,
    request: signIn
      ? { password: input.password ?? '', validationData: input.validationData ?? null }
      : { validationData: null, ...withClientMetadata(input.clientMetadata) },
    response: {
      userAttributes: null,
      forceAliasCreation: null,
      enableSMSMFA: null,
      finalUserStatus: null,
      messageAction: null,
      desiredDeliveryMediums: null,
    },
  });
  if (!response) return undefined;
  const attributes = readStringMap(response, 'userAttributes');
  const finalStatus = readString(response, 'finalUserStatus');
  const forceAlias = readBoolean(response, 'forceAliasCreation') ?? false;
  const smsMfa = readBoolean(response, 'enableSMSMFA') ?? false;
  readString(response, 'messageAction');
  readStringList(response, 'desiredDeliveryMediums');
  if (!attributes) return undefined;
  if (finalStatus !== undefined && !FINAL_STATUSES.includes(finalStatus)) throw Errors.invalidLambdaResponse();
  const status: UserStatus = signIn && finalStatus === 'CONFIRMED' ? 'CONFIRMED' : 'RESET_REQUIRED';
  const list = Object.entries(attributes)
    .filter(([name]) => name !== 'sub' && name !== 'username')
    .map(([Name, Value]) => ({ Name, Value }));
  const plan = () => {
    try {
      return planUser(ctx, pool, typedUsername, list);
    } catch (error) {
      if (error instanceof CognitoError && error.type === 'UsernameExistsException') return undefined;
      if (error instanceof CognitoError) throw Errors.invalidLambdaResponse(`Invalid lambda function output : ${error.message}`);
      throw error;
    }
  };
  const planned = plan();
  if (!planned) return findUser(ctx.store, pool, typedUsername);
  if (smsMfa && !planned.attributes['phone_number']) throw Errors.invalidLambdaResponse('Invalid lambda function output : enableSMSMFA needs a phone_number.');
  const credentials = signIn ? await createCredentials(ctx.srp, pool.id, planned.username, input.password ?? '') : null;
  // The name may have been taken while the function ran and the password was hashed.
  return ctx.store.transaction(() => {
    if (!plan()) return findUser(ctx.store, pool, typedUsername);
    const user = insertUser(ctx, planned, { status, enabled: true, credentials });
    for (const attribute of ['email', 'phone_number'] as const) {
      const value = user.attributes[attribute];
      if (value && user.attributes[`${attribute}_verified`] === 'true') claimAlias(ctx, pool, user, attribute, value, forceAlias);
    }
    if (!smsMfa) return user;
    const withMfa: UserRecord = { ...user, mfa: { ...user.mfa, enabled: ['SMS_MFA'], preferred: 'SMS_MFA' } };
    ctx.store.saveUser(withMfa);
    return withMfa;
  });
}
