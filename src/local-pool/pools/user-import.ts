// Running a started user import job: the uploaded file read against the pool's columns, each line a
// user in RESET_REQUIRED (no password: the user resets it with ForgotPassword), written in chunks of
// their own transactions with the event loop free between two, so the pool keeps answering. A
// StopUserImportJob is honoured between chunks; the counts change in the chunk's transaction.
import type { PoolContext } from '../context.js';
import { CognitoError } from '../api/errors.js';
import { Rules } from '../api/validation.js';
import type { PoolRecord } from '../store/model.js';
import { requiredAttributes } from './config.js';
import { readImportFile, ImportFileError, type ImportRow } from './import-csv.js';
import { importJobStoreOf, RUNNING_STATES, type ImportCounts } from './import-job-store.js';
import { planUser } from './provisioning.js';
import { csvHeader } from './schema.js';
import { createUserRecord } from './users.js';

/** Users written per transaction (a few ms each), as the chunked seed does. */
export const IMPORT_CHUNK_SIZE = 250;

/** A job not started within this time becomes Expired (Cognito: 24 to 48 hours). */
export const IMPORT_JOB_EXPIRY_MS = 24 * 3_600_000;
/** The PreSignedUrl takes the file this long after the job was created (Cognito's is valid 15 minutes). */
export const UPLOAD_WINDOW_MS = 15 * 60_000;

/** What the pool says when a job ends; CompletionMessage. */
export const CompletionMessages = {
  succeeded: 'Import Job Completed Successfully.',
  stopped: 'Import Job Stopped.',
  noFile: 'No file was uploaded to the PreSignedUrl before the job was started.',
  noAutoVerified: 'The user pool has no auto-verified attributes (AutoVerifiedAttributes): imported users could not reset their passwords.',
  interrupted: 'The local pool stopped while the job ran; the users written until then are kept.',
  internal: 'The job stopped on an internal error of the local pool.',
} as const;

/** A line that is not imported; the job goes on. */
class RowFailure extends Error {}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Jobs whose runner is at work in this process, by store. */
const live = new WeakMap<object, Set<string>>();
const liveJobs = (ctx: PoolContext): Set<string> => {
  let jobs = live.get(ctx.store);
  if (!jobs) live.set(ctx.store, (jobs = new Set()));
  return jobs;
};

/**
 * Brings the pool's jobs up to date before they are read: Created jobs past IMPORT_JOB_EXPIRY_MS
 * become Expired; jobs left Pending / InProgress / Stopping by a pool that stopped (their runner went
 * with it) end as Failed. Each change is one conditional statement.
 */
export function settleImportJobs(ctx: PoolContext, poolId: string): void {
  const jobs = importJobStoreOf(ctx.store);
  const now = ctx.clock.now();
  jobs.expire(poolId, now - IMPORT_JOB_EXPIRY_MS);
  const running = liveJobs(ctx);
  for (const jobId of jobs.running(poolId)) {
    if (!running.has(jobId)) jobs.finish(jobId, RUNNING_STATES, 'Failed', now, CompletionMessages.interrupted);
  }
}

/**
 * Cognito refuses to change or delete a pool (AddCustomAttributes, UpdateUserPool, DeleteUserPool)
 * while one of its import jobs runs: the job reads the pool's columns and settings as it writes users.
 * Call inside the change's transaction; a job left running by a pool that stopped does not count.
 */
export function requireNoImportRunning(ctx: PoolContext, poolId: string): void {
  settleImportJobs(ctx, poolId);
  if (importJobStoreOf(ctx.store).running(poolId).length > 0) {
    throw new CognitoError('UserImportInProgressException', `A user import job is running for user pool ${poolId}: stop it or let it end first.`);
  }
}

const VERIFIED: Record<string, string> = { email: 'email_verified', phone_number: 'phone_number_verified' };
const BOOLEAN_COLUMNS = new Set(['email_verified', 'phone_number_verified', 'cognito:mfa_enabled']);

/** One line's user, checked as Cognito's import checks it; throws RowFailure, or a CognitoError from the user rules. */
function userOfRow(ctx: PoolContext, pool: PoolRecord, values: Record<string, string>) {
  const read = (column: string): string => {
    const value = values[column] ?? '';
    return BOOLEAN_COLUMNS.has(column) ? value.toLowerCase() : value;
  };
  const username = read('cognito:username');
  if (username === '') throw new RowFailure('cognito:username is empty.');
  if (/\s/.test(username)) throw new RowFailure('cognito:username has spaces or tabs.');
  if (username.length > (Rules.username.max ?? 128) || !Rules.username.pattern.test(username)) throw new RowFailure('cognito:username is not a valid username.');
  const mfa = read('cognito:mfa_enabled');
  if (mfa !== 'true' && mfa !== 'false') throw new RowFailure("cognito:mfa_enabled must be 'true' or 'false'.");
  if (pool.config.MfaConfiguration === 'ON' && mfa !== 'true') throw new RowFailure('The user pool requires MFA: cognito:mfa_enabled must be true.');
  if (pool.config.MfaConfiguration === 'OFF' && mfa === 'true') throw new RowFailure('MFA is off in the user pool: cognito:mfa_enabled must be false.');

  const attributes = Object.keys(values)
    .filter((name) => !name.startsWith('cognito:') && read(name) !== '')
    .map((name) => ({ Name: name, Value: read(name) }));
  const given = Object.fromEntries(attributes.map((a) => [a.Name, a.Value]));
  for (const [attribute, flag] of Object.entries(VERIFIED)) {
    if (given[flag] === 'true' && !given[attribute]) throw new RowFailure(`${flag} is true but ${attribute} is empty.`);
  }
  if (!pool.config.AutoVerifiedAttributes.some((attribute) => VERIFIED[attribute] && given[VERIFIED[attribute]!] === 'true')) {
    throw new RowFailure('The User Record does not set any of the auto verified attributes to true.');
  }
  const missing = requiredAttributes(pool.config).filter((name) => name !== 'sub' && !given[name]);
  if (missing.length > 0) throw new RowFailure(`Required attributes are empty: ${missing.join(', ')}.`);
  if (given['updated_at'] !== undefined && !/^\d{1,12}$/.test(given['updated_at'])) throw new RowFailure('updated_at must be a time in seconds since 1970.');
  if (mfa === 'true' && !given['phone_number']) throw new RowFailure('cognito:mfa_enabled is true but phone_number is empty (SMS MFA needs it).');
  return { planned: planUser(ctx, pool, username, attributes), mfa: mfa === 'true' };
}

type RowOutcome = 'imported' | 'skipped' | 'failed';

/** Writes one line's user (in the chunk's transaction). An existing username is skipped, as Cognito skips it. */
function importRow(ctx: PoolContext, pool: PoolRecord, row: ImportRow): RowOutcome {
  if ('problem' in row) return 'failed';
  try {
    const { planned, mfa } = userOfRow(ctx, pool, row.values);
    const user = createUserRecord({ ...planned, status: 'RESET_REQUIRED', enabled: true, credentials: null, now: ctx.clock.now() });
    ctx.store.insertUser(mfa ? { ...user, mfa: { ...user.mfa, enabled: ['SMS_MFA'], preferred: 'SMS_MFA' } } : user);
    return 'imported';
  } catch (error) {
    if (error instanceof CognitoError && error.type === 'UsernameExistsException') return 'skipped';
    if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) return 'skipped';
    if (error instanceof RowFailure || error instanceof CognitoError) return 'failed';
    throw error;
  }
}

/** better-sqlite3 throws on every statement of a closed connection. */
function storeIsOpen(ctx: PoolContext): boolean {
  try {
    ctx.store.prepare('SELECT 1').get();
    return true;
  } catch {
    return false;
  }
}

const none = (): ImportCounts => ({ imported: 0, skipped: 0, failed: 0 });

/**
 * Runs a job StartUserImportJob has made Pending. Ends it Succeeded, Stopped (after a
 * StopUserImportJob, between two chunks) or Failed (no file, a file that cannot be read). A pool
 * deleted meanwhile takes the job with it; a pool closed meanwhile leaves it to settleImportJobs.
 */
export async function runImportJob(ctx: PoolContext, jobId: string, chunkSize = IMPORT_CHUNK_SIZE): Promise<void> {
  const jobs = importJobStoreOf(ctx.store);
  const running = liveJobs(ctx);
  running.add(jobId);
  const end = (status: 'Succeeded' | 'Stopped' | 'Failed', message: string) => jobs.finish(jobId, RUNNING_STATES, status, ctx.clock.now(), message);
  try {
    await nextTurn();
    const job = jobs.get(jobId);
    const pool = job && ctx.store.getPool(job.poolId);
    if (!job || !pool) return;
    if (job.status === 'Stopping') return void end('Stopped', CompletionMessages.stopped);
    const bytes = jobs.file(jobId);
    if (!bytes) return void end('Failed', CompletionMessages.noFile);
    if (pool.config.AutoVerifiedAttributes.length === 0) return void end('Failed', CompletionMessages.noAutoVerified);
    let rows: ImportRow[];
    try {
      rows = readImportFile(bytes, csvHeader(pool.config.Schema)).rows;
    } catch (error) {
      if (error instanceof ImportFileError) return void end('Failed', `The file cannot be read: ${error.message}`);
      throw error;
    }
    if (!jobs.move(jobId, ['Pending'], 'InProgress')) return void end('Stopped', CompletionMessages.stopped);
    for (let start = 0; start < rows.length; start += chunkSize) {
      const outcome = ctx.store.transaction((): 'go on' | 'stop' | 'gone' => {
        const current = jobs.get(jobId);
        const poolNow = ctx.store.getPool(pool.id);
        if (!current || !poolNow) return 'gone';
        if (current.status !== 'InProgress') return 'stop';
        const counts = none();
        for (const row of rows.slice(start, start + chunkSize)) counts[importRow(ctx, poolNow, row)]++;
        jobs.addCounts(jobId, counts);
        return 'go on';
      });
      if (outcome === 'gone') return;
      if (outcome === 'stop') return void end('Stopped', CompletionMessages.stopped);
      await nextTurn();
    }
    if (!jobs.finish(jobId, ['InProgress'], 'Succeeded', ctx.clock.now(), CompletionMessages.succeeded)) end('Stopped', CompletionMessages.stopped);
  } catch (error) {
    // The pool was closed under the job: a later start of the pool ends it (settleImportJobs).
    if (!storeIsOpen(ctx)) return;
    ctx.log(`[pool] internal error in user import job ${jobId}: ${(error as Error)?.stack ?? error}`);
    try {
      end('Failed', CompletionMessages.internal);
    } catch {
      // Nothing more to do: the job is read as interrupted.
    }
  } finally {
    running.delete(jobId);
  }
}
