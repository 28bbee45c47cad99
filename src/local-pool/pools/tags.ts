// A pool's tags (CreateUserPool / UpdateUserPool's UserPoolTags, TagResource and its kin) and the ARN
// the tag operations name the pool by.
import { Errors } from '../api/errors.js';
import { isPlainObject } from '../api/validation.js';

/** Cognito's limits: 50 tags a pool, keys of 1-128 characters, values of 0-256. */
export const MAX_TAGS = 50;
const MAX_KEY = 128;
const MAX_VALUE = 256;

/** The account id every local pool ARN carries (there is no AWS account behind the local pool). */
const LOCAL_ACCOUNT = '000000000000';

export const userPoolArn = (region: string, poolId: string): string => `arn:aws:cognito-idp:${region}:${LOCAL_ACCOUNT}:userpool/${poolId}`;

/** Cognito's ArnType: 20-2048 characters of this pattern. */
const ARN = /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/;
const ARN_TEXT = 'arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?';
const USER_POOL_ARN = /^arn:aws:cognito-idp:([\w-]+):(\d{12}):userpool\/([\w-]+_[0-9a-zA-Z]+)$/;

const validationError = (problems: string[]) =>
  Errors.invalidParameter(`${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`);

/**
 * ResourceArn -> the pool id it names. Not an ARN at all: the model's validation error; an ARN of
 * something other than a user pool: InvalidParameterException. A user pool ARN of another region or
 * account names no pool here: ResourceNotFoundException, as for an id that does not exist.
 */
export function poolIdOfArn(arn: unknown, region: string): string {
  if (arn === undefined || arn === null) throw validationError(["Value at 'resourceArn' failed to satisfy constraint: Member must not be null"]);
  if (typeof arn !== 'string') throw Errors.serialization('ResourceArn must be a string');
  const problems: string[] = [];
  if (arn.length < 20) problems.push("Value at 'resourceArn' failed to satisfy constraint: Member must have length greater than or equal to 20");
  if (arn.length > 2048) problems.push("Value at 'resourceArn' failed to satisfy constraint: Member must have length less than or equal to 2048");
  if (!ARN.test(arn)) problems.push(`Value at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ARN_TEXT}`);
  if (problems.length > 0) throw validationError(problems);
  const match = USER_POOL_ARN.exec(arn);
  if (!match) throw Errors.invalidParameter(`Invalid ResourceArn: ${arn} is not the ARN of a user pool (arn:aws:cognito-idp:<region>:<account>:userpool/<id>).`);
  const [, arnRegion, account, poolId] = match as unknown as [string, string, string, string];
  if (arnRegion !== region || account !== LOCAL_ACCOUNT) throw Errors.poolNotFound(poolId);
  return poolId;
}

/**
 * A tag map (UserPoolTags, Tags) with Cognito's limits; `member` names it in the messages. Left out:
 * `undefined`.
 */
export function readTags(input: unknown, member: 'userPoolTags' | 'tags'): Record<string, string> | undefined {
  if (input === undefined || input === null) return undefined;
  if (!isPlainObject(input)) throw Errors.serialization(`${member} must be a map`);
  const problems: string[] = [];
  const entries = Object.entries(input);
  for (const [key, value] of entries) {
    if (typeof value !== 'string') throw Errors.serialization(`${member}.${key} must be a string`);
  }
  if (entries.length > MAX_TAGS) problems.push(`Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TAGS}`);
  if (entries.some(([key]) => key.length < 1 || key.length > MAX_KEY)) {
    problems.push(`Value at '${member}' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to ${MAX_KEY}, Member must have length greater than or equal to 1]`);
  }
  if (entries.some(([, value]) => (value as string).length > MAX_VALUE)) {
    problems.push(`Value at '${member}' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to ${MAX_VALUE}, Member must have length greater than or equal to 0]`);
  }
  if (problems.length > 0) throw validationError(problems);
  return input as Record<string, string>;
}

/** UntagResource's TagKeys: a list of keys (0-50 of them, each 1-128 characters). */
export function readTagKeys(input: unknown): string[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) throw Errors.serialization('TagKeys must be a list');
  const problems: string[] = [];
  input.forEach((key, index) => {
    if (typeof key !== 'string') throw Errors.serialization(`TagKeys.${index + 1} must be a string`);
    if (key.length < 1 || key.length > MAX_KEY) {
      problems.push(`Value at 'tagKeys.${index + 1}.member' failed to satisfy constraint: Member must have length ${key.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_KEY}`}`);
    }
  });
  if (input.length > MAX_TAGS) problems.push(`Value at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TAGS}`);
  if (problems.length > 0) throw validationError(problems);
  return input as string[];
}

/** TagResource: the pool's tags with `added` over them, at most 50 in all. */
export function mergeTags(current: Readonly<Record<string, string>>, added: Readonly<Record<string, string>>): Record<string, string> {
  const merged = { ...current, ...added };
  const count = Object.keys(merged).length;
  if (count > MAX_TAGS) throw Errors.invalidParameter(`A user pool can have at most ${MAX_TAGS} tags; this would make ${count}.`);
  return merged;
}
