// User import jobs over HTTP with the AWS SDK, as a migration script runs them: CreateUserImportJob,
// the CSV PUT to the job's PreSignedUrl (fetch, with the header Cognito's S3 URL is signed with),
// StartUserImportJob, DescribeUserImportJob until the job ends. The imported users are RESET_REQUIRED
// and sign in after ForgotPassword + ConfirmForgotPassword. Also the errors, the upload URL's rules,
// ListUserImportJobs' paging, StopUserImportJob between chunks, and expiry.
import {
  AddCustomAttributesCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  CreateUserImportJobCommand,
  DescribeUserImportJobCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetCSVHeaderCommand,
  ListUserImportJobsCommand,
  StartUserImportJobCommand,
  StopUserImportJobCommand,
  UpdateUserPoolCommand,
  type UserImportJobType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createPoolAndClient, createUser, failure, passwordSignIn, setPoolMfa, startPool, startSrp, type PoolHarness, type Setup } from './support.js';

const ROLE = 'arn:aws:iam::123456789012:role/CognitoImport';
const PASSWORD = 'Passw0rd!imported';
const SSE = { 'x-amz-server-side-encryption': 'aws:kms' };

let h: PoolHarness;
let app: Setup;
let header: string[];

beforeAll(async () => {
  h = await startPool();
  app = await createPoolAndClient(h.sdk, { PoolName: 'import', AutoVerifiedAttributes: ['email'] });
  await setPoolMfa(h.sdk, app.poolId, 'OPTIONAL');
  await createUser(h.sdk, app.poolId, 'existing', PASSWORD, { attributes: { email: 'existing@example.com', email_verified: 'true' } });
  header = (await h.sdk.send(new GetCSVHeaderCommand({ UserPoolId: app.poolId }))).CSVHeader!;
});
afterAll(() => h?.close());

/** A CSV in the pool's columns, in reverse order (the order is free); each user a map of the values it has. */
function csv(users: Array<Record<string, string>>, columns = [...header].reverse()): string {
  return [columns.join(','), ...users.map((user) => columns.map((c) => user[c] ?? '').join(','))].join('\n') + '\n';
}

const person = (name: string, extra: Record<string, string> = {}) => ({
  'cognito:username': name,
  'cognito:mfa_enabled': 'false',
  email: `${name}@example.com`,
  email_verified: 'true',
  ...extra,
});

async function newJob(poolId = app.poolId, name = 'migration'): Promise<UserImportJobType> {
  return (await h.sdk.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: name, CloudWatchLogsRoleArn: ROLE }))).UserImportJob!;
}

const upload = (url: string, body: string, headers: Record<string, string> = SSE) => fetch(url, { method: 'PUT', body, headers });

const describe_ = async (jobId: string, poolId = app.poolId) =>
  (await h.sdk.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: jobId }))).UserImportJob!;

/** Polls DescribeUserImportJob (as scripts do) until the job has ended. */
async function ended(jobId: string): Promise<UserImportJobType> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = await describe_(jobId);
    if (['Succeeded', 'Failed', 'Stopped', 'Expired'].includes(job.Status!)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.Status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const start = (jobId: string, poolId = app.poolId) => h.sdk.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: jobId }));

describe('a CSV imported end to end', () => {
  it('counts imported, skipped and failed lines; the users are RESET_REQUIRED with their attributes and sign in after a password reset', async () => {
    const job = await newJob();
    expect(job).toMatchObject({ JobName: 'migration', UserPoolId: app.poolId, Status: 'Created', CloudWatchLogsRoleArn: ROLE, ImportedUsers: 0, SkippedUsers: 0, FailedUsers: 0 });
    expect(job.JobId).toMatch(/^import-[0-9a-zA-Z-]+$/);
    expect(job.PreSignedUrl!.startsWith(`${h.pool.url}/_import/${job.JobId}?token=`)).toBe(true);
    expect(job.CreationDate).toBeInstanceOf(Date);
    expect(job.StartDate).toBeUndefined();

    const lines = csv([
      person('ana', { given_name: 'Ana', name: 'Doe\\, Ana' }),
      person('ben', { phone_number: '+15555550100', 'cognito:mfa_enabled': 'true' }),
      person('cy', { email_verified: 'false' }), // no auto-verified attribute true: fails
      person('existing', { given_name: 'Other' }), // the name is taken: skipped
      person('dee'),
    ]).split('\n');
    lines[5] += ',one too many'; // more values than columns: fails
    const file = lines.join('\n');
    const put = await upload(job.PreSignedUrl!, file);
    expect(put.status).toBe(200);

    const started = (await start(job.JobId!)).UserImportJob!;
    expect(started.Status).toBe('Pending');
    expect(started.StartDate).toBeInstanceOf(Date);

    const done = await ended(job.JobId!);
    expect(done).toMatchObject({ Status: 'Succeeded', ImportedUsers: 2, SkippedUsers: 1, FailedUsers: 2 });
    expect(done.CompletionDate).toBeInstanceOf(Date);
    expect(done.CompletionMessage).toBeTruthy();

    const ana = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: 'ana' }));
    expect(ana.UserStatus).toBe('RESET_REQUIRED');
    expect(Object.fromEntries(ana.UserAttributes!.map((a) => [a.Name, a.Value]))).toMatchObject({
      email: 'ana@example.com',
      email_verified: 'true',
      given_name: 'Ana',
      name: 'Doe, Ana',
    });
    const ben = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: 'ben' }));
    expect(ben.UserMFASettingList).toEqual(['SMS_MFA']);
    const existing = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: 'existing' }));
    expect(existing.UserStatus).toBe('CONFIRMED');
    expect(existing.UserAttributes!.find((a) => a.Name === 'given_name')).toBeUndefined();
    expect(await failure(h.sdk.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: 'cy' })))).toMatchObject({ name: 'UserNotFoundException' });

    // No password yet: sign-in asks for the reset; ForgotPassword's code sets one.
    expect(await failure(passwordSignIn(h.sdk, app, 'ana', PASSWORD))).toMatchObject({ name: 'PasswordResetRequiredException' });
    expect(await failure(startSrp(h.sdk, app, 'ana'))).toMatchObject({ name: 'PasswordResetRequiredException' });
    await h.sdk.send(new ForgotPasswordCommand({ ClientId: app.clientId, Username: 'ana' }));
    const code = h.pool.outbox({ recipient: 'ana@example.com' }).at(-1)?.code;
    expect(code).toMatch(/^\d{6}$/);
    await h.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: app.clientId, Username: 'ana', ConfirmationCode: code!, Password: PASSWORD }));
    expect((await passwordSignIn(h.sdk, app, 'ana', PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
    expect((await h.sdk.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: 'ana' }))).UserStatus).toBe('CONFIRMED');
  });

  it('a file whose header is not the pool\'s fails the job; a job started without a file fails', async () => {
    const partial = await newJob();
    await upload(partial.PreSignedUrl!, csv([person('eve')], header.filter((c) => c !== 'cognito:mfa_enabled')));
    await start(partial.JobId!);
    const failed = await ended(partial.JobId!);
    expect(failed).toMatchObject({ Status: 'Failed', ImportedUsers: 0 });
    expect(failed.CompletionMessage).toContain('cognito:mfa_enabled');

    const empty = await newJob();
    await start(empty.JobId!);
    expect(await ended(empty.JobId!)).toMatchObject({ Status: 'Failed', CompletionMessage: expect.stringContaining('No file') });
  });
});

describe('errors', () => {
  it('an unknown job, a job of another pool, a second start, a stop of an ended job, a role that is no ARN', async () => {
    const other = await createPoolAndClient(h.sdk, { PoolName: 'other', AutoVerifiedAttributes: ['email'] });
    const job = await newJob();
    expect(await failure(describe_('import-doesnotexist'))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await failure(describe_(job.JobId!, other.poolId))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await failure(start(job.JobId!, other.poolId))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await failure(describe_('import-x', 'us-east-1_nosuchpool'))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await failure(describe_('not-a-job'))).toMatchObject({ name: 'InvalidParameterException' });

    await upload(job.PreSignedUrl!, csv([person('fay')]));
    // Two starts at once: one starts the job, the other finds it started.
    const both = await Promise.allSettled([start(job.JobId!), start(job.JobId!)]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(both.find((r) => r.status === 'rejected')).toMatchObject({ reason: { name: 'PreconditionNotMetException' } });
    expect(await failure(start(job.JobId!))).toMatchObject({ name: 'PreconditionNotMetException' });
    await ended(job.JobId!);
    expect(await failure(h.sdk.send(new StopUserImportJobCommand({ UserPoolId: app.poolId, JobId: job.JobId! })))).toMatchObject({
      name: 'PreconditionNotMetException',
    });
    expect(
      await failure(h.sdk.send(new CreateUserImportJobCommand({ UserPoolId: app.poolId, JobName: 'x', CloudWatchLogsRoleArn: 'not-an-arn-at-all-here' }))),
    ).toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('cloudWatchLogsRoleArn') });
    expect(await failure(newJob(app.poolId, 'no/slash'))).toMatchObject({ name: 'InvalidParameterException' });
    // Password hashes are not imported here: a job asking for them is refused, not made to import users without them.
    const hashed = (algorithm: string) =>
      h.sdk.send(new CreateUserImportJobCommand({ UserPoolId: app.poolId, JobName: 'hashes', CloudWatchLogsRoleArn: ROLE, PasswordHashingAlgorithm: algorithm as never }));
    expect(await failure(hashed('BCRYPT'))).toMatchObject({ name: 'UnsupportedOperationException', message: expect.stringContaining('PasswordHashingAlgorithm') });
    expect(await failure(hashed('MD5'))).toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('passwordHashingAlgorithm') });
    const jobs = (await h.sdk.send(new ListUserImportJobsCommand({ UserPoolId: app.poolId, MaxResults: 60 }))).UserImportJobs!;
    expect(jobs.filter((j) => j.JobName === 'hashes')).toEqual([]);
  });

  it('the upload URL: a wrong token, no encryption header, a page of another origin, after the start, after 15 minutes', async () => {
    const job = await newJob();
    const url = new URL(job.PreSignedUrl!);
    const body = csv([person('gus')]);
    url.searchParams.set('token', 'A'.repeat(43));
    expect((await upload(url.href, body)).status).toBe(403);
    url.searchParams.delete('token');
    expect((await upload(url.href, body)).status).toBe(403);
    const otherJob = await newJob();
    // One job's token opens no other job.
    expect((await upload(job.PreSignedUrl!.replace(job.JobId!, otherJob.JobId!), body)).status).toBe(403);
    const missingHeader = await upload(job.PreSignedUrl!, body, {});
    expect(missingHeader.status).toBe(403);
    expect(((await missingHeader.json()) as { message: string }).message).toContain('x-amz-server-side-encryption');
    expect((await upload(job.PreSignedUrl!, body, { ...SSE, Origin: 'https://evil.example' })).status).toBe(403);
    const preflight = await fetch(job.PreSignedUrl!, { method: 'OPTIONS', headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'PUT' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

    // A second upload before the start replaces the first; after it, none is taken.
    expect((await upload(job.PreSignedUrl!, csv([person('hal')]))).status).toBe(200);
    expect((await upload(job.PreSignedUrl!, body)).status).toBe(200);
    await start(job.JobId!);
    expect((await upload(job.PreSignedUrl!, csv([person('ivy')]))).status).toBe(403);
    expect(await ended(job.JobId!)).toMatchObject({ Status: 'Succeeded', ImportedUsers: 1 });
    await h.sdk.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: 'gus' }));
    expect(await failure(h.sdk.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: 'hal' })))).toMatchObject({ name: 'UserNotFoundException' });

    h.clock.advance(15 * 60_000 + 1);
    expect((await upload(otherJob.PreSignedUrl!, body)).status).toBe(403);
  });

  it('a job not started within 24 hours is Expired and cannot be started', async () => {
    const job = await newJob();
    h.clock.advance(24 * 3_600_000);
    expect((await describe_(job.JobId!)).Status).toBe('Expired');
    expect(await failure(start(job.JobId!))).toMatchObject({ name: 'PreconditionNotMetException' });
  });
});

describe('ListUserImportJobs', () => {
  it('pages through the pool\'s jobs, oldest first', async () => {
    const listed = await createPoolAndClient(h.sdk, { PoolName: 'listed', AutoVerifiedAttributes: ['email'] });
    const ids = [(await newJob(listed.poolId, 'one')).JobId, (await newJob(listed.poolId, 'two')).JobId, (await newJob(listed.poolId, 'three')).JobId];
    const first = await h.sdk.send(new ListUserImportJobsCommand({ UserPoolId: listed.poolId, MaxResults: 2 }));
    expect(first.UserImportJobs!.map((j) => j.JobId)).toEqual(ids.slice(0, 2));
    expect(first.PaginationToken).toBeDefined();
    const second = await h.sdk.send(new ListUserImportJobsCommand({ UserPoolId: listed.poolId, MaxResults: 2, PaginationToken: first.PaginationToken! }));
    expect(second.UserImportJobs!.map((j) => j.JobId)).toEqual(ids.slice(2));
    expect(second.PaginationToken).toBeUndefined();
    expect(await failure(h.sdk.send(new ListUserImportJobsCommand({ UserPoolId: listed.poolId, MaxResults: 61 })))).toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('StopUserImportJob', () => {
  it('stops a running job between two chunks: the users written until then stay, the job cannot be started again', async () => {
    const stopped = await createPoolAndClient(h.sdk, { PoolName: 'stopped', AutoVerifiedAttributes: ['email'] });
    const columns = (await h.sdk.send(new GetCSVHeaderCommand({ UserPoolId: stopped.poolId }))).CSVHeader!;
    const total = 5000;
    const job = await newJob(stopped.poolId);
    await upload(job.PreSignedUrl!, csv(Array.from({ length: total }, (_, i) => person(`bulk${i}`)), columns));
    await start(job.JobId!, stopped.poolId);
    const stopping = (await h.sdk.send(new StopUserImportJobCommand({ UserPoolId: stopped.poolId, JobId: job.JobId! }))).UserImportJob!;
    expect(stopping.Status).toBe('Stopping');

    const deadline = Date.now() + 30_000;
    let done = stopping;
    while (done.Status === 'Stopping' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      done = await describe_(job.JobId!, stopped.poolId);
    }
    expect(done.Status).toBe('Stopped');
    expect(done.CompletionDate).toBeInstanceOf(Date);
    expect(done.ImportedUsers!).toBeLessThan(total);
    const pool = await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: stopped.poolId }));
    expect(pool.UserPool!.EstimatedNumberOfUsers).toBe(done.ImportedUsers);
    expect(await failure(start(job.JobId!, stopped.poolId))).toMatchObject({ name: 'PreconditionNotMetException' });
  });
});

describe('a pool with a running job', () => {
  it('refuses AddCustomAttributes, UpdateUserPool and DeleteUserPool with UserImportInProgressException until the job has ended', async () => {
    const busy = await createPoolAndClient(h.sdk, { PoolName: 'busy', AutoVerifiedAttributes: ['email'] });
    const columns = (await h.sdk.send(new GetCSVHeaderCommand({ UserPoolId: busy.poolId }))).CSVHeader!;
    const job = await newJob(busy.poolId);
    await upload(job.PreSignedUrl!, csv(Array.from({ length: 10_000 }, (_, i) => person(`busy${i}`)), columns));
    await start(job.JobId!, busy.poolId);
    const addAttribute = () =>
      h.sdk.send(new AddCustomAttributesCommand({ UserPoolId: busy.poolId, CustomAttributes: [{ Name: 'team', AttributeDataType: 'String' }] }));
    const refusals = await Promise.all([
      failure(addAttribute()),
      failure(h.sdk.send(new UpdateUserPoolCommand({ UserPoolId: busy.poolId, AutoVerifiedAttributes: ['email'] }))),
      failure(h.sdk.send(new DeleteUserPoolCommand({ UserPoolId: busy.poolId }))),
    ]);
    // Still running when the three were answered: the refusals are the job's doing.
    expect((await describe_(job.JobId!, busy.poolId)).Status).toMatch(/^(Pending|InProgress)$/);
    for (const refusal of refusals) expect(refusal).toMatchObject({ name: 'UserImportInProgressException' });
    await h.sdk.send(new StopUserImportJobCommand({ UserPoolId: busy.poolId, JobId: job.JobId! }));
    const deadline = Date.now() + 30_000;
    while ((await describe_(job.JobId!, busy.poolId)).Status === 'Stopping' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await addAttribute();
    const pool = await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: busy.poolId }));
    expect(pool.UserPool!.SchemaAttributes!.map((a) => a.Name)).toContain('custom:team');
  });
});

describe('a pool closed while a job runs', () => {
  it('leaves the job Failed when the pool starts again, with the users written until then', async () => {
    const closed = await createPoolAndClient(h.sdk, { PoolName: 'closed', AutoVerifiedAttributes: ['email'] });
    const columns = (await h.sdk.send(new GetCSVHeaderCommand({ UserPoolId: closed.poolId }))).CSVHeader!;
    const job = await newJob(closed.poolId);
    await upload(job.PreSignedUrl!, csv(Array.from({ length: 5000 }, (_, i) => person(`cut${i}`)), columns));
    await start(job.JobId!, closed.poolId);
    h = await h.restart();
    const after = await describe_(job.JobId!, closed.poolId);
    expect(after).toMatchObject({ Status: 'Failed', CompletionMessage: expect.stringContaining('stopped while the job ran') });
    expect(after.ImportedUsers!).toBeLessThan(5000);
    const pool = await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: closed.poolId }));
    expect(pool.UserPool!.EstimatedNumberOfUsers).toBe(after.ImportedUsers);
  });
});
