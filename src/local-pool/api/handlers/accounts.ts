// Public account operations that need no tokens: SignUp, ConfirmSignUp, ResendConfirmationCode,
// ForgotPassword, ConfirmForgotPassword. Their steps are in flows/accounts.ts.
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import type { ClientRecord, PoolRecord } from '../../store/model.js';
import { checkSecretHash, requireClient } from '../../flows/sign-in.js';
import { confirmForgotPassword, confirmSignUp, forgotPassword, resendConfirmationCode, signUp } from '../../flows/accounts.js';
import { Rules, Validator } from '../validation.js';

/** ConfirmationCode: the service model's [\S]+, at most 2048. */
const CODE_RULE = { min: 1, max: 2048, pattern: /^\S+$/, patternText: '[\\S]+' };

/** ClientId, SecretHash, Username and the members every one of these operations ignores here. */
function readCaller(v: Validator): { clientId: string; secretHash: string | undefined; username: string; clientMetadata: Record<string, string> | undefined } {
  const clientId = v.requiredString('ClientId', Rules.clientId);
  const secretHash = v.optionalString('SecretHash', { min: 1, max: 128, pattern: /^[\w+=/]+$/, patternText: '[\\w+=/]+' });
  const username = v.requiredString('Username', Rules.username);
  // Passed on to the Lambda triggers.
  const clientMetadata = v.optionalMap('ClientMetadata');
  v.optionalAnalyticsMetadata();
  v.optionalUserContextData();
  return { clientId, secretHash, username, clientMetadata };
}

/** The client and its pool; SECRET_HASH over the name as typed, for clients with a secret. */
function resolve(ctx: PoolContext, caller: { clientId: string; secretHash: string | undefined; username: string }): { client: ClientRecord; pool: PoolRecord } {
  const found = requireClient(ctx, caller.clientId);
  checkSecretHash(found.client, caller.username, caller.secretHash);
  return found;
}

const signUpHandler: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const caller = readCaller(v);
  const password = v.requiredString('Password', Rules.password);
  const attributes = v.optionalAttributes('UserAttributes') ?? [];
  const validationData = v.optionalAttributes('ValidationData');
  v.done();
  const { client, pool } = resolve(ctx, caller);
  return signUp(ctx, {
    pool,
    client,
    username: caller.username,
    password,
    attributes,
    validationData: validationData && Object.fromEntries(validationData.map((a) => [a.Name, a.Value])),
    clientMetadata: caller.clientMetadata,
  });
};

const confirmSignUpHandler: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const caller = readCaller(v);
  const code = v.requiredString('ConfirmationCode', CODE_RULE);
  const forceAliasCreation = v.optionalBoolean('ForceAliasCreation') ?? false;
  const session = v.optionalString('Session', Rules.session);
  v.done();
  const { client, pool } = resolve(ctx, caller);
  return confirmSignUp(ctx, { pool, client, username: caller.username, code, forceAliasCreation, session, clientMetadata: caller.clientMetadata });
};

const resendConfirmationCodeHandler: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const caller = readCaller(v);
  v.done();
  const { client, pool } = resolve(ctx, caller);
  return resendConfirmationCode(ctx, { pool, client, username: caller.username, clientMetadata: caller.clientMetadata });
};

const forgotPasswordHandler: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const caller = readCaller(v);
  v.done();
  const { client, pool } = resolve(ctx, caller);
  return forgotPassword(ctx, { pool, client, username: caller.username, clientMetadata: caller.clientMetadata });
};

const confirmForgotPasswordHandler: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const caller = readCaller(v);
  const code = v.requiredString('ConfirmationCode', CODE_RULE);
  const password = v.requiredString('Password', Rules.password);
  v.done();
  const { client, pool } = resolve(ctx, caller);
  return confirmForgotPassword(ctx, { pool, client, username: caller.username, code, password, clientMetadata: caller.clientMetadata });
};

export const accountHandlers: HandlerRegistry = {
  SignUp: signUpHandler,
  ConfirmSignUp: confirmSignUpHandler,
  ResendConfirmationCode: resendConfirmationCodeHandler,
  ForgotPassword: forgotPasswordHandler,
  ConfirmForgotPassword: confirmForgotPasswordHandler,
};
