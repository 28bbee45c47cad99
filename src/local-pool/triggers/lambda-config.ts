// A pool's LambdaConfig: which function each trigger calls, by ARN. Checked as CreateUserPool /
// UpdateUserPool take it (the service model's ARN pattern, the pre token generation version), and
// read when a trigger fires. Any region and account name a local function: only the NAME of
// arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] picks the file.
import { Errors } from '../api/errors.js';
import { isPlainObject, Validator, type JsonObject, type StringRule } from '../api/validation.js';
import type { PoolConfig, PoolRecord } from '../store/model.js';

/** The triggers the local pool calls (Cognito's LambdaConfig member names). */
export type TriggerName =
  | 'PreSignUp'
  | 'CustomMessage'
  | 'PostConfirmation'
  | 'PreAuthentication'
  | 'PostAuthentication'
  | 'DefineAuthChallenge'
  | 'CreateAuthChallenge'
  | 'VerifyAuthChallengeResponse'
  | 'PreTokenGeneration'
  | 'UserMigration';

const ARN_MEMBERS: readonly TriggerName[] = [
  'PreSignUp', 'CustomMessage', 'PostConfirmation', 'PreAuthentication', 'PostAuthentication',
  'DefineAuthChallenge', 'CreateAuthChallenge', 'VerifyAuthChallengeResponse', 'PreTokenGeneration', 'UserMigration',
];

/** PreTokenGenerationConfig.LambdaVersion: V2_0 and V3_0 customise the access token too. */
export type PreTokenVersion = 'V1_0' | 'V2_0' | 'V3_0';
const PRE_TOKEN_VERSIONS: readonly PreTokenVersion[] = ['V1_0', 'V2_0', 'V3_0'];

/** The service model's ArnType. */
const ARN: StringRule = {
  min: 20,
  max: 2048,
  pattern: /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/,
  patternText: 'arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?',
};

const LAMBDA_ARN = /^arn:[^:]+:lambda:[^:]*:\d+:function:([A-Za-z0-9_-]{1,64})(:[^:]+)?$/;

/** The function NAME an ARN names, if it is a Lambda function ARN. */
export function functionNameOf(arn: string): string | undefined {
  return LAMBDA_ARN.exec(arn)?.[1];
}

/**
 * CreateUserPool / UpdateUserPool's LambdaConfig, checked. Members the local pool does not act on
 * (custom senders, KMSKeyID ...) are kept as given. PreTokenGeneration and PreTokenGenerationConfig
 * describe the same function, as Cognito keeps them: either one given fills in the other.
 */
export function readLambdaConfig(input: JsonObject): JsonObject {
  const v = new Validator(input);
  const config: JsonObject = { ...input };
  for (const member of ARN_MEMBERS) {
    const arn = v.optionalString(member, ARN);
    if (arn === undefined) delete config[member];
  }
  const preToken = v.optionalObject('PreTokenGenerationConfig');
  let version: string | undefined;
  let preTokenArn: string | undefined;
  if (preToken) {
    const p = new Validator(preToken);
    version = p.requiredString('LambdaVersion', { oneOf: PRE_TOKEN_VERSIONS });
    preTokenArn = p.requiredString('LambdaArn', ARN);
    p.done();
  }
  v.done();
  const legacy = config['PreTokenGeneration'] as string | undefined;
  if (preTokenArn !== undefined && legacy !== undefined && legacy !== preTokenArn) {
    throw Errors.invalidParameter('PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must name the same function.');
  }
  const arn = preTokenArn ?? legacy;
  if (arn !== undefined) {
    config['PreTokenGeneration'] = arn;
    config['PreTokenGenerationConfig'] = { LambdaVersion: version ?? 'V1_0', LambdaArn: arn };
  } else {
    delete config['PreTokenGenerationConfig'];
  }
  return config;
}

function lambdaConfigOf(config: PoolConfig): JsonObject {
  const stored = config.Stored?.LambdaConfig;
  return isPlainObject(stored) ? stored : {};
}

/** The ARN a trigger of this pool calls, if it has one. */
export function triggerArn(pool: PoolRecord, trigger: TriggerName): string | undefined {
  const value = lambdaConfigOf(pool.config)[trigger];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function preTokenVersion(pool: PoolRecord): PreTokenVersion {
  const config = lambdaConfigOf(pool.config)['PreTokenGenerationConfig'];
  const version = isPlainObject(config) ? config['LambdaVersion'] : undefined;
  return PRE_TOKEN_VERSIONS.includes(version as PreTokenVersion) ? (version as PreTokenVersion) : 'V1_0';
}

/** Access-token customisation (pre token generation V2_0 / V3_0) needs the ESSENTIALS or PLUS plan. */
export const customisesAccessTokens = (config: PoolConfig): boolean => {
  const pre = lambdaConfigOf(config)['PreTokenGenerationConfig'];
  return isPlainObject(pre) && (pre['LambdaVersion'] === 'V2_0' || pre['LambdaVersion'] === 'V3_0');
};
