// Python's AWS clients against the local pool, unchanged: boto3 serializes, validates, SigV4-signs and parses
// (exceptions from `__type`, datetimes), and the AWS CLI exits as it does against Cognito. The scripts are in
// this folder; each checks what it can see and prints JSON, which is checked here against what was asked.
import { DescribeUserPoolCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startPool, STRONG_PASSWORD, type PoolHarness } from '../../local-pool/support.js';
import { awsCliBinary, awsCognito, awsEnvironment, boto3Script } from './python.js';

interface SetupResult {
  poolId: string;
  clientId: string;
  clientSecret: string;
  machineClientId: string;
  machineClientSecret: string;
  domain: string;
  domainAnswer: Record<string, unknown>;
  userStatus: string;
  attributes: Record<string, string>;
  mfa: { Enabled: boolean };
}

type Claims = Record<string, unknown>;

let h: PoolHarness;
let env: NodeJS.ProcessEnv;
let provisioned: Promise<SetupResult> | undefined;

beforeAll(async () => {
  h = await startPool();
  env = awsEnvironment(h.pool.url, h.pool.region);
});
afterAll(() => h.close());

/** The pool setup.py made, made once: every test after the first reuses it. */
function setup(): Promise<SetupResult> {
  provisioned ??= boto3Script<SetupResult>('setup', { password: STRONG_PASSWORD, domain: 'boto3-interop' }, env);
  return provisioned;
}

async function withIds(extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return { ...(await setup()), username: 'alice', password: STRONG_PASSWORD, ...extra };
}

describe('boto3', () => {
  it('provisions a pool, clients, domain, resource server, group and a user; the JS SDK sees the same pool', async () => {
    const s = await setup();
    expect(s.poolId).toMatch(new RegExp(`^${h.pool.region}_[A-Za-z0-9]+$`));
    expect(s.clientSecret.length).toBeGreaterThan(20);
    expect(s.userStatus).toBe('CONFIRMED');
    expect(s.attributes).toMatchObject({ email: 'alice@example.com', email_verified: 'true', 'custom:team': 'blue' });
    expect(s.mfa).toEqual({ Enabled: true });

    const pool = (await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: s.poolId }))).UserPool!;
    expect(pool.MfaConfiguration).toBe('OPTIONAL');
    expect(pool.Domain).toBe('boto3-interop');
    expect(pool.Policies?.PasswordPolicy?.MinimumLength).toBe(10);
    expect(pool.SchemaAttributes?.find((a) => a.Name === 'custom:team')?.StringAttributeConstraints).toEqual({ MinLength: '1', MaxLength: '32' });
    const users = await h.sdk.send(new ListUsersCommand({ UserPoolId: s.poolId }));
    expect(users.Users?.map((u) => u.Username)).toEqual(['alice']);
  });

  it('signs in with a SECRET_HASH computed in Python, as admin, by refresh token; GetUser; cognito:groups decoded', async () => {
    const s = await setup();
    const r = await boto3Script<{
      accessClaims: Claims;
      idClaims: Claims;
      adminAccessClaims: Claims;
      refreshedClaims: Claims;
      refreshedIdClaims: Claims;
      getUser: { Username: string; UserAttributes: Record<string, string> };
      unicodeUsername: string;
    }>('signin', await withIds(), env);
    expect(r.unicodeUsername).toBe('zo\u00eb\u{1F600}');
    const iss = `${h.pool.url}/${s.poolId}`;
    expect(r.accessClaims).toMatchObject({ token_use: 'access', client_id: s.clientId, username: 'alice', 'cognito:groups': ['admins'], iss });
    expect(r.idClaims).toMatchObject({ token_use: 'id', aud: s.clientId, 'cognito:username': 'alice', 'cognito:groups': ['admins'], 'custom:team': 'blue' });
    expect(r.adminAccessClaims).toMatchObject({ username: 'alice', 'cognito:groups': ['admins'] });
    expect(r.refreshedClaims).toMatchObject({ sub: r.accessClaims['sub'], origin_jti: r.accessClaims['origin_jti'], 'cognito:groups': ['admins'] });
    expect(r.refreshedIdClaims).toMatchObject({ email: 'alice@example.com', 'cognito:username': 'alice' });
    expect(r.getUser).toEqual({
      Username: 'alice',
      UserAttributes: { sub: r.accessClaims['sub'], email: 'alice@example.com', email_verified: 'true', 'custom:team': 'blue' },
    });
  });

  it('answers NEW_PASSWORD_REQUIRED, confirms a sign-up and resets a password with codes from the outbox', async () => {
    const r = await boto3Script<{
      newPassword: { challenge: string; parameters: Record<string, string>; claims: Claims; status: string };
      signUp: { userSub: string; delivery: Record<string, string>; before: string; after: string; claims: Claims };
      forgot: { delivery: Record<string, string>; signedIn: boolean; oldPassword: string };
    }>('accounts', await withIds(), env);
    expect(r.newPassword.challenge).toBe('NEW_PASSWORD_REQUIRED');
    expect(r.newPassword.parameters['USER_ID_FOR_SRP']).toBe('carol');
    expect(JSON.parse(r.newPassword.parameters['userAttributes']!)).toMatchObject({ email: 'carol@example.com' });
    expect(r.newPassword.claims['cognito:username']).toBe('carol');
    expect(r.newPassword.status).toBe('CONFIRMED');

    expect(r.signUp).toMatchObject({ before: 'UNCONFIRMED', after: 'CONFIRMED' });
    expect(r.signUp.delivery).toEqual({ Destination: 'b***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(r.signUp.claims).toMatchObject({ sub: r.signUp.userSub, 'cognito:username': 'bob', 'custom:team': 'red' });

    expect(r.forgot.delivery).toEqual({ Destination: 'b***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(r.forgot.signedIn).toBe(true);
    expect(r.forgot.oldPassword).toBe('Incorrect username or password.');
    // The codes boto3 typed came from the outbox: one sign-up and one reset message for bob.
    expect(h.pool.outbox({ username: 'bob' }).map((m) => m.code && m.purpose)).toEqual([expect.any(String), expect.any(String)]);
  });

  it("pages with boto3's paginators through more items than one page", async () => {
    const r = await boto3Script<Record<string, { pages: number; items: string[] }>>('paginate', await withIds(), env);
    const pagers = ['pager0', 'pager1', 'pager2', 'pager3', 'pager4'];
    const groups = ['pages0', 'pages1', 'pages2', 'pages3', 'pages4'];
    const clients = ['paged-client-0', 'paged-client-1', 'paged-client-2', 'paged-client-3', 'paged-client-4'];
    const servers = ['paged-api-0', 'paged-api-1', 'paged-api-2', 'paged-api-3', 'paged-api-4'];
    expect(r['listUsers']).toEqual({ pages: 3, items: pagers });
    expect(r['listGroups']).toEqual({ pages: 3, items: ['admins', ...groups] });
    expect(r['listUsersInGroup']).toEqual({ pages: 3, items: pagers });
    expect(r['adminListGroupsForUser']).toEqual({ pages: 3, items: groups });
    expect(r['listUserPools']).toEqual({ pages: 2, items: ['boto3-interop', 'paged-pool-0', 'paged-pool-1', 'paged-pool-2'] });
    expect(r['listUserPoolClients']).toEqual({ pages: 4, items: ['machine', ...clients, 'server-app'] });
    expect(r['listResourceServers']).toEqual({ pages: 3, items: ['notes', ...servers] });
  });

  it('raises the modeled exceptions with Cognito messages; botocore validates before sending', async () => {
    const s = await setup();
    const r = await boto3Script<Record<string, { code: string; message: string } | string>>('errors', await withIds(), env);
    expect(r).toEqual({
      usernameExists: { code: 'UsernameExistsException', message: 'User account already exists' },
      wrongPassword: { code: 'NotAuthorizedException', message: 'Incorrect username or password.' },
      wrongSecretHash: { code: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${s.clientId}` },
      userNotFound: { code: 'UserNotFoundException', message: 'User does not exist.' },
      poolNotFound: { code: 'ResourceNotFoundException', message: `User pool ${h.pool.region}_NoSuchPool does not exist.` },
      clientNotFound: { code: 'ResourceNotFoundException', message: 'User pool client nosuchclient000000000000 does not exist.' },
      invalidParameter: {
        code: 'InvalidParameterException',
        message: 'Attributes did not conform to the schema: Type for attribute {custom:nosuch} could not be determined',
      },
      invalidPassword: { code: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' },
      paramValidation: 'ParamValidationError',
    });
  });

  it('gets a machine token and reads the SAML signing certificate with ssl', async () => {
    const s = await setup();
    const r = await boto3Script<{
      via: string;
      tokenType: string;
      expiresIn: number;
      claims: Claims;
      certificate: { subject: string[][]; issuer: string[][]; notBefore: string; notAfter: string; version: number } | null;
      derBytes: number;
    }>('tokens', await withIds(), env);
    expect(['GetClientToken', 'token endpoint']).toContain(r.via);
    expect(r).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });
    expect(r.claims).toMatchObject({ sub: s.machineClientId, client_id: s.machineClientId, token_use: 'access', scope: 'notes/read', version: 2 });
    expect(r.claims).not.toHaveProperty('username');
    // CPython's ssl parses it (pyenv's 3.11 and Debian's 3.11 both have the parser): a certificate it cannot read fails.
    expect(r.certificate).not.toBeNull();
    const certificate = r.certificate!;
    expect(certificate.subject).toEqual([['commonName', s.poolId]]);
    expect(certificate.issuer).toEqual([['commonName', s.poolId]]);
    expect(certificate.version).toBe(3);
    const years = (Date.parse(certificate.notAfter) - Date.parse(certificate.notBefore)) / (365.25 * 86_400_000);
    expect(Math.round(years)).toBe(10);
    expect(r.derBytes).toBeGreaterThan(500);
  });
});

describe('AWS CLI', () => {
  // Without a CLI these fail saying how to install one (before needing the boto3-made pool).
  beforeEach(async () => {
    await awsCliBinary();
  });

  it('lists pools one page at a time (--max-results, --next-token)', async () => {
    await setup();
    const names = ['boto3-interop', 'paged-pool-0', 'paged-pool-1', 'paged-pool-2'];
    type Page = { UserPools: { Id: string; Name: string; CreationDate: unknown }[]; NextToken?: string };
    const first = await awsCognito(['list-user-pools', '--max-results', '1'], env);
    expect(first).toMatchObject({ code: 0 });
    const page1 = JSON.parse(first.stdout) as Page;
    expect(page1.UserPools).toHaveLength(1);
    expect(names).toContain(page1.UserPools[0]!.Name);
    expect(page1.NextToken).toEqual(expect.any(String));
    const second = await awsCognito(['list-user-pools', '--max-results', '1', '--next-token', page1.NextToken!], env);
    expect(second).toMatchObject({ code: 0 });
    const page2 = JSON.parse(second.stdout) as Page;
    expect(page2.UserPools).toHaveLength(1);
    expect(names.filter((n) => n !== page1.UserPools[0]!.Name)).toContain(page2.UserPools[0]!.Name);
  });

  it('describes the pool and gets a user', async () => {
    const s = await setup();
    const pool = await awsCognito(['describe-user-pool', '--user-pool-id', s.poolId], env);
    expect(pool.code).toBe(0);
    expect(JSON.parse(pool.stdout)).toMatchObject({ UserPool: { Id: s.poolId, Name: 'boto3-interop', MfaConfiguration: 'OPTIONAL', Domain: 'boto3-interop' } });
    const user = await awsCognito(['admin-get-user', '--user-pool-id', s.poolId, '--username', 'alice'], env);
    expect(user.code).toBe(0);
    const answer = JSON.parse(user.stdout) as { Username: string; UserStatus: string; Enabled: boolean; UserAttributes: { Name: string; Value: string }[] };
    expect(answer).toMatchObject({ Username: 'alice', UserStatus: 'CONFIRMED', Enabled: true });
    expect(answer.UserAttributes).toContainEqual({ Name: 'custom:team', Value: 'blue' });
  });

  it('fails a call with the exception named and the exit code of a service error', async () => {
    const s = await setup();
    const failed = await awsCognito(['admin-get-user', '--user-pool-id', s.poolId, '--username', 'nobody'], env);
    // aws-cli v1 exits 255 on a service error, v2 254.
    expect([254, 255]).toContain(failed.code);
    expect(failed.stdout).toBe('');
    // Some botocore versions add "(reached max retries: 0)": one attempt is all the environment allows.
    expect(failed.stderr).toMatch(/An error occurred \(UserNotFoundException\) when calling the AdminGetUser operation( \(reached max retries: 0\))?: User does not exist\./);
  });
});
