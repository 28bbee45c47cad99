// User import jobs: CreateUserImportJob, DescribeUserImportJob, ListUserImportJobs,
// StartUserImportJob, StopUserImportJob. The job's PreSignedUrl is a route of this pool
// (api/import-upload.ts) instead of S3; the import itself is pools/user-import.ts.
import { randomBytes, randomInt } from 'node:crypto';
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import { CognitoError, Errors } from '../errors.js';
import { Rules, Validator, type JsonObject, type StringRule } from '../validation.js';
import { importJobStoreOf, type ImportJobRecord } from '../../pools/import-job-store.js';
import { runImportJob, settleImportJobs } from '../../pools/user-import.js';
import { page, requirePool } from './pools.js';

/** Member constraints of Cognito's model (ArnType, UserImportJobIdType). */
export const ImportJobRules = {
  roleArn: {
    min: 20,
    max: 2048,
    pattern: /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/,
    patternText: 'arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?',
  },
  jobId: { min: 1, max: 55, pattern: /^import-[0-9a-zA-Z-]+$/, patternText: 'import-[0-9a-zA-Z-]+' },
} satisfies Record<string, StringRule>;

/** PasswordHashingAlgorithmType. */
const PASSWORD_HASHING_ALGORITHMS = ['ARGON2ID', 'BCRYPT', 'PBKDF2_SHA256', 'SCRYPT'];

/** PoolQueryLimitType: ListUserImportJobs' MaxResults, 1 to 60 (required). */
const MAX_PAGE = 60;
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const newJobId = (): string => `import-${Array.from({ length: 10 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('')}`;

const JobErrors = {
  notFound: (jobId: string) => new CognitoError('ResourceNotFoundException', `Import job ${jobId} does not exist in this user pool.`),
  cannotStart: (job: ImportJobRecord) => new CognitoError('PreconditionNotMetException', `Import job ${job.jobId} is ${job.status}: only a Created job can be started.`),
  cannotStop: (job: ImportJobRecord) => new CognitoError('PreconditionNotMetException', `Import job ${job.jobId} is ${job.status}: only a Pending or InProgress job can be stopped.`),
};

/** The pool's own origin (where its tokens' issuer is): the PreSignedUrl points there. */
const poolOrigin = (ctx: PoolContext, poolId: string): string => ctx.tokens.issuer(poolId).slice(0, -(poolId.length + 1));

export const uploadPath = (jobId: string): string => `/_import/${jobId}`;

const seconds = (ms: number | null) => (ms === null ? undefined : Math.floor(ms / 1000));

/** UserImportJobType. */
function describeJob(ctx: PoolContext, job: ImportJobRecord): JsonObject {
  const out: JsonObject = {
    JobName: job.jobName,
    JobId: job.jobId,
    UserPoolId: job.poolId,
    PreSignedUrl: `${poolOrigin(ctx, job.poolId)}${uploadPath(job.jobId)}?token=${job.uploadToken}`,
    CreationDate: seconds(job.createdAt),
    StartDate: seconds(job.startedAt),
    CompletionDate: seconds(job.completedAt),
    Status: job.status,
    CloudWatchLogsRoleArn: job.roleArn,
    ImportedUsers: job.imported,
    SkippedUsers: job.skipped,
    FailedUsers: job.failed,
    CompletionMessage: job.completionMessage ?? undefined,
  };
  return Object.fromEntries(Object.entries(out).filter(([, value]) => value !== undefined));
}

/** UserPoolId + JobId: the pool must exist and the job be one of its own. */
function jobOf(input: JsonObject, ctx: PoolContext): ImportJobRecord {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const jobId = v.requiredString('JobId', ImportJobRules.jobId);
  v.done();
  requirePool(ctx, poolId);
  settleImportJobs(ctx, poolId);
  const job = importJobStoreOf(ctx.store).get(jobId);
  if (!job || job.poolId !== poolId) throw JobErrors.notFound(jobId);
  return job;
}

const createUserImportJob: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const jobName = v.requiredString('JobName', Rules.name);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  // Required by Cognito, which logs to it; checked for its shape, never used here.
  const roleArn = v.requiredString('CloudWatchLogsRoleArn', ImportJobRules.roleArn);
  const hashing = v.optionalString('PasswordHashingAlgorithm', { oneOf: PASSWORD_HASHING_ALGORITHMS });
  v.done();
  // Cognito imports users' password hashes with it; the pool does not, and must not take the job and import without them.
  if (hashing !== undefined) {
    throw Errors.unsupportedOperation(`PasswordHashingAlgorithm ${hashing}: the local pool does not import password hashes; leave it out to import users without passwords (RESET_REQUIRED).`);
  }
  requirePool(ctx, poolId);
  const jobs = importJobStoreOf(ctx.store);
  const jobId = newJobId();
  jobs.insert({ jobId, poolId, jobName, roleArn, uploadToken: randomBytes(32).toString('base64url'), createdAt: ctx.clock.now() });
  return { UserImportJob: describeJob(ctx, jobs.get(jobId)!) };
};

const describeUserImportJob: Handler = async (input, ctx) => ({ UserImportJob: describeJob(ctx, jobOf(input, ctx)) });

const listUserImportJobs: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const maxResults = v.requiredInteger('MaxResults', 1, MAX_PAGE);
  const token = v.optionalString('PaginationToken', Rules.paginationKey);
  v.done();
  requirePool(ctx, poolId);
  settleImportJobs(ctx, poolId);
  const { items, next } = page((offset, count) => importJobStoreOf(ctx.store).list(poolId, offset, count), token, maxResults);
  return { UserImportJobs: items.map((job) => describeJob(ctx, job)), ...(next ? { PaginationToken: next } : {}) };
};

/** Created -> Pending (one statement: a second start finds it Pending); the import runs after the answer. */
const startUserImportJob: Handler = async (input, ctx) => {
  const job = jobOf(input, ctx);
  const started = importJobStoreOf(ctx.store).move(job.jobId, ['Created'], 'Pending', { startedAt: ctx.clock.now() });
  if (!started) throw JobErrors.cannotStart(importJobStoreOf(ctx.store).get(job.jobId) ?? job);
  void runImportJob(ctx, job.jobId);
  return { UserImportJob: describeJob(ctx, started) };
};

/** Pending / InProgress -> Stopping; the runner ends it Stopped between two chunks. */
const stopUserImportJob: Handler = async (input, ctx) => {
  const job = jobOf(input, ctx);
  const stopping = importJobStoreOf(ctx.store).move(job.jobId, ['Pending', 'InProgress'], 'Stopping');
  if (!stopping) throw JobErrors.cannotStop(importJobStoreOf(ctx.store).get(job.jobId) ?? job);
  return { UserImportJob: describeJob(ctx, stopping) };
};

export const importJobHandlers: HandlerRegistry = {
  CreateUserImportJob: createUserImportJob,
  DescribeUserImportJob: describeUserImportJob,
  ListUserImportJobs: listUserImportJobs,
  StartUserImportJob: startUserImportJob,
  StopUserImportJob: stopUserImportJob,
};
