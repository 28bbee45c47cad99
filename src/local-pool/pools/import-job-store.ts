// User import jobs (table user_import_jobs). Every status change is one conditional statement
// (UPDATE ... WHERE status IN (...)), so two requests can never both move a job on from one state.
import type { Store } from '../store/store.js';

type Row = Record<string, unknown>;

export type ImportJobStatus = 'Created' | 'Pending' | 'InProgress' | 'Stopping' | 'Expired' | 'Stopped' | 'Failed' | 'Succeeded';

/** States in which a job's runner is (or should be) at work. */
export const RUNNING_STATES: readonly ImportJobStatus[] = ['Pending', 'InProgress', 'Stopping'];

export interface ImportJobRecord {
  jobId: string;
  poolId: string;
  jobName: string;
  roleArn: string;
  uploadToken: string;
  status: ImportJobStatus;
  /** Whether a file has been uploaded (the bytes are read with `file`). */
  hasFile: boolean;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  imported: number;
  skipped: number;
  failed: number;
  completionMessage: string | null;
}

export interface ImportCounts {
  imported: number;
  skipped: number;
  failed: number;
}

const COLUMNS =
  'job_id, pool_id, job_name, role_arn, upload_token, status, csv IS NOT NULL AS has_file, created_at, started_at, completed_at, imported, skipped, failed, completion_message';

const toJob = (row: Row): ImportJobRecord => ({
  jobId: row['job_id'] as string,
  poolId: row['pool_id'] as string,
  jobName: row['job_name'] as string,
  roleArn: row['role_arn'] as string,
  uploadToken: row['upload_token'] as string,
  status: row['status'] as ImportJobStatus,
  hasFile: row['has_file'] === 1,
  createdAt: row['created_at'] as number,
  startedAt: (row['started_at'] as number | null) ?? null,
  completedAt: (row['completed_at'] as number | null) ?? null,
  imported: row['imported'] as number,
  skipped: row['skipped'] as number,
  failed: row['failed'] as number,
  completionMessage: (row['completion_message'] as string | null) ?? null,
});

const inList = (states: readonly string[]) => states.map((s) => `'${s}'`).join(', ');

export class ImportJobStore {
  constructor(private readonly store: Store) {}

  insert(job: Pick<ImportJobRecord, 'jobId' | 'poolId' | 'jobName' | 'roleArn' | 'uploadToken' | 'createdAt'>): void {
    this.store
      .prepare("INSERT INTO user_import_jobs (job_id, pool_id, job_name, role_arn, upload_token, status, created_at) VALUES (?, ?, ?, ?, ?, 'Created', ?)")
      .run(job.jobId, job.poolId, job.jobName, job.roleArn, job.uploadToken, job.createdAt);
  }

  get(jobId: string): ImportJobRecord | undefined {
    const row = this.store.prepare(`SELECT ${COLUMNS} FROM user_import_jobs WHERE job_id = ?`).get(jobId) as Row | undefined;
    return row && toJob(row);
  }

  /** The pool's jobs, oldest first. */
  list(poolId: string, offset: number, limit: number): ImportJobRecord[] {
    return (
      this.store.prepare(`SELECT ${COLUMNS} FROM user_import_jobs WHERE pool_id = ? ORDER BY created_at, rowid LIMIT ? OFFSET ?`).all(poolId, limit, offset) as Row[]
    ).map(toJob);
  }

  /** Replaces the job's file while it is still Created and was created at or after `createdFrom`; false otherwise. */
  putFile(jobId: string, bytes: Buffer, createdFrom: number): boolean {
    return (
      this.store.prepare("UPDATE user_import_jobs SET csv = ? WHERE job_id = ? AND status = 'Created' AND created_at >= ?").run(bytes, jobId, createdFrom).changes === 1
    );
  }

  file(jobId: string): Buffer | undefined {
    const row = this.store.prepare('SELECT csv FROM user_import_jobs WHERE job_id = ?').get(jobId) as Row | undefined;
    return (row?.['csv'] as Buffer | null | undefined) ?? undefined;
  }

  /** Moves the job from one of `from` to `to`; the job as it is now, or undefined when it was in none of them. */
  move(jobId: string, from: readonly ImportJobStatus[], to: ImportJobStatus, extra: { startedAt?: number } = {}): ImportJobRecord | undefined {
    const row = this.store
      .prepare(`UPDATE user_import_jobs SET status = ?, started_at = COALESCE(?, started_at) WHERE job_id = ? AND status IN (${inList(from)}) RETURNING ${COLUMNS}`)
      .get(to, extra.startedAt ?? null, jobId) as Row | undefined;
    return row && toJob(row);
  }

  /** Ends the job (from one of `from`): its file is dropped, the date and message set. */
  finish(jobId: string, from: readonly ImportJobStatus[], to: ImportJobStatus, at: number, message: string): ImportJobRecord | undefined {
    const row = this.store
      .prepare(`UPDATE user_import_jobs SET status = ?, completed_at = ?, completion_message = ?, csv = NULL WHERE job_id = ? AND status IN (${inList(from)}) RETURNING ${COLUMNS}`)
      .get(to, at, message, jobId) as Row | undefined;
    return row && toJob(row);
  }

  /** Adds a chunk's outcome to the counts (in the chunk's transaction). */
  addCounts(jobId: string, counts: ImportCounts): void {
    this.store
      .prepare('UPDATE user_import_jobs SET imported = imported + ?, skipped = skipped + ?, failed = failed + ? WHERE job_id = ?')
      .run(counts.imported, counts.skipped, counts.failed, jobId);
  }

  /** Created jobs of the pool made at or before `createdBy` become Expired (their file is dropped). */
  expire(poolId: string, createdBy: number): void {
    this.store
      .prepare("UPDATE user_import_jobs SET status = 'Expired', csv = NULL WHERE pool_id = ? AND status = 'Created' AND created_at <= ?")
      .run(poolId, createdBy);
  }

  /** Jobs of the pool in a running state (their runner may have ended with the process that ran it). */
  running(poolId: string): string[] {
    return (
      this.store.prepare(`SELECT job_id FROM user_import_jobs WHERE pool_id = ? AND status IN (${inList(RUNNING_STATES)})`).all(poolId) as Row[]
    ).map((row) => row['job_id'] as string);
  }
}

const stores = new WeakMap<Store, ImportJobStore>();

export function importJobStoreOf(store: Store): ImportJobStore {
  let jobs = stores.get(store);
  if (!jobs) stores.set(store, (jobs = new ImportJobStore(store)));
  return jobs;
}
