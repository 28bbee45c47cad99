// Calling a trigger as Cognito does: the event with the common members (version, triggerSource,
// region, userPoolId, userName, callerContext), the function's answer checked, and every failure
// turned into the exception Cognito answers with. A trigger the pool has no LambdaConfig entry for
// is not called at all.
import type { PoolContext } from '../context.js';
import { Errors } from '../api/errors.js';
import { isPlainObject, type JsonObject } from '../api/validation.js';
import type { PoolRecord, UserRecord } from '../store/model.js';
import { functionNameOf, triggerArn, type TriggerName } from './lambda-config.js';

/** What callerContext.awsSdkVersion says: Cognito's value when it cannot tell the caller's SDK. */
export const AWS_SDK_VERSION = 'aws-sdk-unknown-unknown';
/** callerContext.clientId of the admin operations (no app client is involved). */
export const NO_CLIENT = 'CLIENT_ID_NOT_APPLICABLE';

export interface TriggerCall {
  pool: PoolRecord;
  trigger: TriggerName;
  triggerSource: string;
  /** The user's username (the sub in email-as-username pools), the typed name of an unknown one, null for a machine token. */
  userName: string | null;
  /** The app client of the request; NO_CLIENT for admin operations. */
  clientId: string;
  request: JsonObject;
  /** The response members with Cognito's initial values (mostly null). */
  response: JsonObject;
  /** Default "1"; pre token generation V2_0 sends "2". */
  version?: string;
}

/** Whether the pool calls a function for this trigger. */
export const hasTrigger = (pool: PoolRecord, trigger: TriggerName): boolean => triggerArn(pool, trigger) !== undefined;

/**
 * Calls the trigger's function and returns the `response` of what it answered, or undefined when the
 * pool has no function for the trigger. Throws Cognito's exceptions: UserLambdaValidationException
 * (the function failed), UnexpectedLambdaException (no such function, or it ran out of time) and
 * InvalidLambdaResponseException (its answer is not an event with a response object).
 */
export async function invokeTrigger(ctx: PoolContext, call: TriggerCall): Promise<JsonObject | undefined> {
  const arn = triggerArn(call.pool, call.trigger);
  if (arn === undefined) return undefined;
  const event = {
    version: call.version ?? '1',
    triggerSource: call.triggerSource,
    region: call.pool.id.split('_')[0] ?? ctx.region,
    userPoolId: call.pool.id,
    userName: call.userName,
    callerContext: { awsSdkVersion: AWS_SDK_VERSION, clientId: call.clientId },
    request: call.request,
    response: call.response,
  };
  const name = functionNameOf(arn);
  const started = Date.now();
  const outcome = name === undefined ? ({ kind: 'missing' } as const) : await ctx.functions.invoke(name, arn, event);
  const took = `${Date.now() - started} ms`;
  const about = `[lambda] ${call.triggerSource} -> ${name ?? arn}`;
  switch (outcome.kind) {
    case 'missing':
      ctx.log(`${about}: no such function (${name === undefined ? 'not a Lambda function ARN' : 'no NAME.mjs / .js / .cjs in the functions directory; start the pool with --functions DIR'})`);
      throw Errors.unexpectedLambda(`${call.trigger} invocation failed due to error ResourceNotFoundException.`);
    case 'timeout':
      ctx.log(`${about}: timed out after ${took}`);
      throw Errors.unexpectedLambda(`${call.trigger} invocation failed due to error Socket timeout while invoking Lambda function.`);
    case 'error':
      ctx.log(`${about}: ${outcome.errorType}: ${outcome.errorMessage} (${took})`);
      throw Errors.userLambdaValidation(call.trigger, outcome.errorMessage);
    case 'ok': {
      const payload = outcome.payload;
      const response = isPlainObject(payload) ? payload['response'] : undefined;
      if (!isPlainObject(response)) {
        ctx.log(`${about}: answered ${isPlainObject(payload) ? 'an event without a response object' : JSON.stringify(payload)} (${took})`);
        throw Errors.invalidLambdaResponse();
      }
      ctx.log(`${about}: ok (${took})`);
      return response;
    }
  }
}

/** request.userAttributes of a user: its attributes, and cognito:user_status as Cognito adds it. */
export function eventAttributes(user: UserRecord): Record<string, string> {
  return { ...user.attributes, 'cognito:user_status': user.status };
}

/** `clientMetadata` as a request member: only when the operation had ClientMetadata. */
export const withClientMetadata = (clientMetadata: Record<string, string> | undefined): JsonObject =>
  clientMetadata === undefined ? {} : { clientMetadata };

/** A response member that must be a boolean (or null / left out). */
export function readBoolean(response: JsonObject, member: string): boolean | undefined {
  const value = response[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw Errors.invalidLambdaResponse('Invalid lambda function output : Invalid JSON');
  return value;
}

/** A response member that must be a string (or null / left out). */
export function readString(response: JsonObject, member: string): string | undefined {
  const value = response[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw Errors.invalidLambdaResponse('Invalid lambda function output : Invalid JSON');
  return value;
}

/** A response member that must be a map of strings (or null / left out). */
export function readStringMap(response: JsonObject, member: string): Record<string, string> | undefined {
  const value = response[member];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value) || Object.values(value).some((entry) => typeof entry !== 'string')) {
    throw Errors.invalidLambdaResponse('Invalid lambda function output : Invalid JSON');
  }
  return value as Record<string, string>;
}

/** A response member that must be a list of strings (or null / left out). */
export function readStringList(response: JsonObject, member: string): string[] | undefined {
  const value = response[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    throw Errors.invalidLambdaResponse('Invalid lambda function output : Invalid JSON');
  }
  return value as string[];
}

/** A response member that must be an object (or null / left out). */
export function readObject(response: JsonObject, member: string): JsonObject | undefined {
  const value = response[member];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw Errors.invalidLambdaResponse('Invalid lambda function output : Invalid JSON');
  return value;
}
