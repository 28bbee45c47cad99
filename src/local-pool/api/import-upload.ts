// PUT /_import/<jobId>?token=...: the PreSignedUrl of a user import job. Real Cognito hands out an S3
// URL signed for one PUT with the header x-amz-server-side-encryption: aws:kms; here the pool takes
// the file itself. The token is the job's own (32 random bytes), compared in constant time; the
// file is taken while the job is Created and within UPLOAD_WINDOW_MS of its creation, and replaced
// by a later upload until the job is started.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { PoolContext } from '../context.js';
import { CognitoError } from './errors.js';
import { importJobStoreOf } from '../pools/import-job-store.js';
import { settleImportJobs, UPLOAD_WINDOW_MS } from '../pools/user-import.js';

/** The largest file taken (Cognito takes 100 MB; the local pool keeps the file in SQLite until the job ends). */
export const MAX_IMPORT_FILE_BYTES = 32 * 1024 * 1024;

const refused = (message: string) => new CognitoError('ForbiddenException', message, 403);
const tooLarge = () => new CognitoError('EntityTooLargeException', `The file is larger than ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MiB, the local pool's limit for an import file.`, 413);

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The body, at most MAX_IMPORT_FILE_BYTES; a larger one is refused before (Content-Length) or while it arrives. */
function readFile(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_IMPORT_FILE_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_IMPORT_FILE_BYTES) {
        req.pause();
        reject(tooLarge());
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Takes the job's file; throws the refusal otherwise. Unknown job and wrong token are answered alike,
 * so the URL tells nothing about jobs to a caller without it.
 */
export async function receiveImportFile(ctx: PoolContext, req: IncomingMessage, jobId: string, token: string | null): Promise<void> {
  const jobs = importJobStoreOf(ctx.store);
  const job = jobs.get(jobId);
  if (!job || token === null || !timingSafeEqual(digest(token), digest(job.uploadToken))) {
    throw refused('The upload URL is not valid: use the PreSignedUrl of the import job as CreateUserImportJob returned it.');
  }
  if (req.headers['x-amz-server-side-encryption'] !== 'aws:kms') {
    throw refused("The upload must carry the header x-amz-server-side-encryption: aws:kms (Cognito's PreSignedUrl is signed with it).");
  }
  settleImportJobs(ctx, job.poolId);
  const current = jobs.get(jobId);
  if (!current) throw refused('The import job no longer exists.');
  if (current.status !== 'Created') throw refused(`Import job ${jobId} is ${current.status}: its file can no longer be uploaded.`);
  if (ctx.clock.now() > current.createdAt + UPLOAD_WINDOW_MS) throw refused('The upload URL has expired (it is valid for 15 minutes after CreateUserImportJob): create a new job.');
  const bytes = await readFile(req);
  // Started, expired or past the URL's 15 minutes while the file arrived: the job keeps what it had.
  if (!jobs.putFile(jobId, bytes, ctx.clock.now() - UPLOAD_WINDOW_MS)) {
    throw refused(`Import job ${jobId} was started, or its upload URL expired, while the file arrived: the file is not taken.`);
  }
}
