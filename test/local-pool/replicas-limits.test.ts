// GetSigningCertificate, the user-pool replica operations and the provisioned limits, over HTTP with
// the AWS SDK as an admin script calls them: success, errors, paging, and what survives a restart on
// the same data file or goes with DeleteUserPool.
import { X509Certificate } from 'node:crypto';
import Database from 'better-sqlite3';
import {
  CreateUserPoolCommand,
  CreateUserPoolReplicaCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolReplicaCommand,
  GetProvisionedLimitCommand,
  GetSigningCertificateCommand,
  ListUserPoolReplicasCommand,
  UpdateProvisionedLimitCommand,
  UpdateUserPoolReplicaCommand,
  type UserPoolReplicaType,
} from '@aws-sdk/client-cognito-identity-provider';
import { failure, startPool, type PoolHarness } from './support.js';

let h: PoolHarness;
let poolId: string;

beforeAll(async () => {
  h = await startPool();
  poolId = (await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'replicas' }))).UserPool!.Id!;
});
afterAll(() => h?.close());

const YEAR_MS = 365 * 24 * 3600_000;
const certificateOf = async (id = poolId) => (await h.sdk.send(new GetSigningCertificateCommand({ UserPoolId: id }))).Certificate!;
const arn = (region: string) => `arn:aws:cognito-idp:${region}:000000000000:userpool/${poolId}`;
const createReplica = (RegionName: string, id = poolId) => h.sdk.send(new CreateUserPoolReplicaCommand({ UserPoolId: id, RegionName }));
const updateReplica = (RegionName: string, Status: 'ACTIVE' | 'INACTIVE') => h.sdk.send(new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName, Status }));
const deleteReplica = (RegionName: string) => h.sdk.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName }));
async function listAll(): Promise<{ pages: number; replicas: UserPoolReplicaType[] }> {
  const replicas: UserPoolReplicaType[] = [];
  let pages = 0;
  let NextToken: string | undefined;
  do {
    const answer = await h.sdk.send(new ListUserPoolReplicasCommand({ UserPoolId: poolId, NextToken }));
    replicas.push(...answer.UserPoolReplicas!);
    NextToken = answer.NextToken;
    pages++;
  } while (NextToken);
  return { pages, replicas };
}
const category = (Category: string) => ({ LimitClass: 'API_CATEGORY' as const, Attributes: { Category } });

describe('GetSigningCertificate', () => {
  it('is a self-signed X.509 certificate of the pool, ten years valid, the same on every call', async () => {
    const before = h.clock.now();
    const cert = await certificateOf();
    const x509 = new X509Certificate(Buffer.from(cert, 'base64'));
    expect(x509.subject).toBe(`CN=${poolId}`);
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048 });
    const from = new Date(x509.validFrom).getTime();
    expect(Math.abs(from - before)).toBeLessThanOrEqual(1000);
    expect(new Date(x509.validTo).getTime() - from).toBeGreaterThanOrEqual(10 * YEAR_MS);
    expect(new Date(x509.validTo).getTime() - from).toBeLessThanOrEqual(10 * YEAR_MS + 3 * 24 * 3600_000);
    expect(await certificateOf()).toBe(cert);
  });

  it('two first calls at once get one certificate', async () => {
    const other = (await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'concurrent' }))).UserPool!.Id!;
    const [a, b] = await Promise.all([certificateOf(other), certificateOf(other)]);
    expect(a).toBe(b);
    expect(a).not.toBe(await certificateOf());
    await h.sdk.send(new DeleteUserPoolCommand({ UserPoolId: other }));
  });

  it('errors: an unknown pool, a malformed id', async () => {
    expect(await failure(certificateOf('us-east-1_NoSuchPool'))).toEqual({ name: 'ResourceNotFoundException', message: 'User pool us-east-1_NoSuchPool does not exist.' });
    expect((await failure(certificateOf('not a pool id'))).name).toBe('InvalidParameterException');
  });
});

describe('user pool replicas', () => {
  it('a new replica is CREATING, then INACTIVE; it can be activated, deactivated and deleted', async () => {
    const created = (await createReplica('eu-west-1')).UserPoolReplica!;
    expect(created).toEqual({ RegionName: 'eu-west-1', Status: 'CREATING', Role: 'SECONDARY', UserPoolArn: arn('eu-west-1') });
    expect((await failure(updateReplica('eu-west-1', 'ACTIVE'))).name).toBe('InvalidParameterException'); // still creating
    h.clock.advance(5_000);
    expect((await listAll()).replicas).toEqual([
      { RegionName: 'us-east-1', Status: 'ACTIVE', Role: 'PRIMARY', UserPoolArn: arn('us-east-1') },
      { RegionName: 'eu-west-1', Status: 'INACTIVE', Role: 'SECONDARY', UserPoolArn: arn('eu-west-1') },
    ]);
    expect((await updateReplica('eu-west-1', 'ACTIVE')).UserPoolReplica!.Status).toBe('ACTIVE');
    const notInactive = await failure(deleteReplica('eu-west-1'));
    expect(notInactive).toEqual({ name: 'InvalidParameterException', message: 'The replica in eu-west-1 is ACTIVE: only an INACTIVE replica can be deleted.' });
    expect((await updateReplica('eu-west-1', 'INACTIVE')).UserPoolReplica!.Status).toBe('INACTIVE');
    expect((await deleteReplica('eu-west-1')).UserPoolReplica).toEqual({ RegionName: 'eu-west-1', Status: 'DELETING', Role: 'SECONDARY', UserPoolArn: arn('eu-west-1') });
    expect((await listAll()).replicas.map((r) => r.RegionName)).toEqual(['us-east-1']);
    expect((await failure(deleteReplica('eu-west-1'))).name).toBe('ResourceNotFoundException');
  });

  it('errors: the primary Region, a duplicate, an unknown replica, a Region that is no Region, a bad status, an unknown pool', async () => {
    expect(await failure(createReplica('us-east-1'))).toEqual({ name: 'InvalidParameterException', message: 'us-east-1 is the primary Region of the user pool: a replica must be in another Region.' });
    await createReplica('ap-south-1');
    expect(await failure(createReplica('ap-south-1'))).toEqual({ name: 'InvalidParameterException', message: `User pool ${poolId} already has a replica in ap-south-1.` });
    expect(await failure(updateReplica('sa-east-1', 'ACTIVE'))).toEqual({ name: 'ResourceNotFoundException', message: `User pool ${poolId} has no replica in sa-east-1.` });
    expect((await failure(updateReplica('us-east-1', 'INACTIVE'))).name).toBe('InvalidParameterException');
    expect((await failure(deleteReplica('us-east-1'))).name).toBe('InvalidParameterException');
    expect(await failure(createReplica('moon-base'))).toEqual({ name: 'InvalidParameterException', message: 'moon-base is not a valid AWS Region name.' });
    expect((await failure(createReplica('eu'))).message).toMatch(/regionName.*length greater than or equal to 5/);
    const badStatus = await failure(h.sdk.send(new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'ap-south-1', Status: 'DELETING' as 'ACTIVE' })));
    expect(badStatus.message).toMatch(/status.*enum value set: \[ACTIVE, INACTIVE\]/);
    expect((await failure(createReplica('eu-west-2', 'us-east-1_NoSuchPool'))).name).toBe('ResourceNotFoundException');
    h.clock.advance(5_000);
    await deleteReplica('ap-south-1');
  });

  it('a LITE pool cannot have replicas', async () => {
    const lite = (await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'lite', UserPoolTier: 'LITE' }))).UserPool!.Id!;
    expect((await failure(createReplica('eu-west-1', lite))).name).toBe('FeatureUnavailableInTierException');
    await h.sdk.send(new DeleteUserPoolCommand({ UserPoolId: lite }));
  });

  it('pages of ten, the primary first; at most ten replicas', async () => {
    const regions = Array.from({ length: 10 }, (_, i) => `xx-test-${i + 1}`);
    for (const region of regions) await createReplica(region);
    expect(await failure(createReplica('xx-test-11'))).toEqual({ name: 'LimitExceededException', message: 'A user pool can have at most 10 replicas.' });
    const { pages, replicas } = await listAll();
    expect(pages).toBe(2);
    expect(replicas.map((r) => r.RegionName)).toEqual(['us-east-1', ...regions]);
    expect(new Set(replicas.slice(1).map((r) => r.Status))).toEqual(new Set(['CREATING']));
    expect((await failure(h.sdk.send(new ListUserPoolReplicasCommand({ UserPoolId: poolId, NextToken: 'not-a-token' })))).name).toBe('InvalidParameterException');
    h.clock.advance(5_000);
    for (const region of regions) await deleteReplica(region);
  });
});

describe('provisioned limits', () => {
  it('a category reads its free rate until one is provisioned; the value must lie between the free rate and ten times it', async () => {
    const get = async (name: string) => (await h.sdk.send(new GetProvisionedLimitCommand({ LimitDefinition: category(name) }))).Limit;
    expect(await get('UserAuthentication')).toEqual({ LimitDefinition: category('UserAuthentication'), ProvisionedLimitValue: 120, FreeLimitValue: 120 });
    const update = (name: string, RequestedLimitValue: number) => h.sdk.send(new UpdateProvisionedLimitCommand({ LimitDefinition: category(name), RequestedLimitValue }));
    expect((await update('UserCreation', 200)).Limit).toEqual({ LimitDefinition: category('UserCreation'), ProvisionedLimitValue: 200, FreeLimitValue: 50 });
    expect((await get('UserCreation'))!.ProvisionedLimitValue).toBe(200);
    expect(await failure(update('UserCreation', 49))).toEqual({ name: 'InvalidParameterException', message: 'The requested limit 49 is below the default limit 50 of UserCreation.' });
    expect(await failure(update('UserCreation', 501))).toEqual({ name: 'ServiceQuotaExceededException', message: "The requested limit 501 is above the account's maximum 500 for UserCreation." });
    expect((await get('UserCreation'))!.ProvisionedLimitValue).toBe(200);
  });

  it('errors: an unknown category, other attributes, a missing definition or class', async () => {
    const get = (LimitDefinition: unknown) => h.sdk.send(new GetProvisionedLimitCommand({ LimitDefinition: LimitDefinition as ReturnType<typeof category> }));
    expect((await failure(get(category('Teleportation')))).message).toMatch(/^Teleportation is not an API category/);
    expect((await failure(get({ LimitClass: 'API_CATEGORY', Attributes: { Category: 'UserRead', Region: 'x' } }))).name).toBe('InvalidParameterException');
    expect((await failure(get({ LimitClass: 'API_CATEGORY', Attributes: {} }))).name).toBe('InvalidParameterException');
    expect((await failure(get({ LimitClass: 'SOMETHING', Attributes: { Category: 'UserRead' } }))).message).toMatch(/enum value set: \[API_CATEGORY\]/);
    expect((await failure(get(undefined))).message).toMatch(/limitDefinition.*must not be null/);
  });
});

describe('on the data file', () => {
  it('the certificate, replicas and limits survive a restart; DeleteUserPool takes the pool’s certificate and replicas', async () => {
    const cert = await certificateOf();
    await createReplica('eu-central-1');
    h = await h.restart();
    expect(await certificateOf()).toBe(cert);
    expect((await listAll()).replicas.map((r) => r.RegionName)).toEqual(['us-east-1', 'eu-central-1']);
    expect((await h.sdk.send(new GetProvisionedLimitCommand({ LimitDefinition: category('UserCreation') }))).Limit!.ProvisionedLimitValue).toBe(200);

    await h.sdk.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    await h.pool.close(); // the file is the pool's alone while it runs
    const db = new Database(h.dataFile, { readonly: true });
    try {
      const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE pool_id = ?`).get(poolId) as { n: number }).n;
      expect([count('saml_signing_certificates'), count('user_pool_replicas')]).toEqual([0, 0]);
      expect((db.prepare('SELECT count(*) AS n FROM provisioned_limits').get() as { n: number }).n).toBe(1); // the account's, not the pool's
    } finally {
      db.close();
    }
  });
});
