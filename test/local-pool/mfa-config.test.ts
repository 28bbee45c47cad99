// MFA configuration: the pool's (SetUserPoolMfaConfig, CreateUserPool, DescribeUserPool), the
// user's (SetUserMFAPreference, AdminSetUserMFAPreference, GetUser, AdminGetUser), the seed keys,
// and the schema migration of an older data file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  GetUserPoolMfaConfigCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startLocalPool } from '../../src/local-pool/index.js';
import { migrations } from '../../src/local-pool/store/migrations.js';
import {
  ALL_FACTORS,
  STRONG_PASSWORD,
  createPoolAndClient,
  failure,
  firstFactor,
  passwordSignIn,
  sdkClient,
  setPoolMfa,
  startPool,
  type PoolHarness,
  type Setup,
} from './support.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
let h: PoolHarness;

beforeAll(async () => {
  h = await startPool();
});
afterAll(() => h.close());

describe('pool MFA configuration', () => {
  it('SetUserPoolMfaConfig / GetUserPoolMfaConfig round trip; presence of a factor turns it on', async () => {
    const { poolId } = await createPoolAndClient(h.sdk);
    const get = () => h.sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
    expect(await get()).toMatchObject({ MfaConfiguration: 'OFF', SoftwareTokenMfaConfiguration: { Enabled: false } });
    expect((await get()).SmsMfaConfiguration).toBeUndefined();

    const set = await h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', ...ALL_FACTORS }));
    const expected = {
      MfaConfiguration: 'OPTIONAL',
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your authentication code is {####}' },
      SoftwareTokenMfaConfiguration: { Enabled: true },
      EmailMfaConfiguration: { Subject: 'Your code', Message: 'Your authentication code is {####}' },
    };
    expect(set).toMatchObject(expected);
    expect(await get()).toMatchObject(expected);
    expect((await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool).toMatchObject({
      MfaConfiguration: 'OPTIONAL',
      SmsAuthenticationMessage: 'Your authentication code is {####}',
    });

    // Left out = off; MfaConfiguration left out = unchanged.
    await h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const after = await get();
    expect(after).toMatchObject({ MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
    expect(after.SmsMfaConfiguration).toBeUndefined();
    expect(after.EmailMfaConfiguration).toBeUndefined();
  });

  it('refuses a required or optional MFA with no factor, and messages without {####}', async () => {
    const { poolId } = await createPoolAndClient(h.sdk);
    expect(await failure(h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON' })))).toEqual({
      name: 'InvalidParameterException',
      message: "Invalid MFA configuration given, can't turn off all MFAs when MFA is required or optional.",
    });
    expect(
      await failure(h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON', SmsMfaConfiguration: { SmsAuthenticationMessage: 'no code here' } }))),
    ).toEqual({ name: 'InvalidParameterException', message: 'SmsAuthenticationMessage must contain {####}.' });
    expect(await failure(h.sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: 'us-east-1_nothere' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('CreateUserPool MfaConfiguration ON/OPTIONAL means SMS MFA, as in Cognito', async () => {
    const created = await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'sms', MfaConfiguration: 'ON', SmsAuthenticationMessage: 'Code: {####}' }));
    expect(created.UserPool).toMatchObject({ MfaConfiguration: 'ON', SmsAuthenticationMessage: 'Code: {####}' });
    const config = await h.sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: created.UserPool!.Id! }));
    expect(config).toMatchObject({
      MfaConfiguration: 'ON',
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code: {####}' },
      SoftwareTokenMfaConfiguration: { Enabled: false },
    });
  });
});

describe('user MFA preferences', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await createPoolAndClient(h.sdk);
    await setPoolMfa(h.sdk, setup.poolId, 'OPTIONAL');
    h.pool.seed({
      pools: [
        {
          id: setup.poolId,
          name: 'test',
          users: [
            { username: 'una', password: STRONG_PASSWORD, attributes: { phone_number: '+15555550110', email: 'una@example.com' } },
            { username: 'bare', password: STRONG_PASSWORD },
            { username: 'tom', password: STRONG_PASSWORD, totpSecret: SECRET },
          ],
        },
      ],
    });
  });

  const tokenOf = async (username: string) => (await passwordSignIn(h.sdk, setup, username, STRONG_PASSWORD)).AuthenticationResult!.AccessToken!;

  it('SetUserMFAPreference -> GetUser: list and preferred; one preferred at a time; disabling drops the preference', async () => {
    const AccessToken = await tokenOf('una');
    const getUser = () => h.sdk.send(new GetUserCommand({ AccessToken }));
    expect((await getUser()).UserMFASettingList).toBeUndefined();
    expect((await getUser()).PreferredMfaSetting).toBeUndefined();

    await h.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken, SMSMfaSettings: { Enabled: true, PreferredMfa: true }, EmailMfaSettings: { Enabled: true } }));
    expect(await getUser()).toMatchObject({ UserMFASettingList: ['SMS_MFA', 'EMAIL_OTP'], PreferredMfaSetting: 'SMS_MFA' });

    await h.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken, EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
    expect(await getUser()).toMatchObject({ UserMFASettingList: ['SMS_MFA', 'EMAIL_OTP'], PreferredMfaSetting: 'EMAIL_OTP' });
    expect((await passwordSignIn(h.sdk, setup, 'una', STRONG_PASSWORD)).ChallengeName).toBe('EMAIL_OTP');

    expect(
      await failure(h.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken, SMSMfaSettings: { PreferredMfa: true }, EmailMfaSettings: { PreferredMfa: true } }))),
    ).toEqual({ name: 'InvalidParameterException', message: 'Only one MFA method can be set as preferred.' });

    await h.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken, EmailMfaSettings: { Enabled: false, PreferredMfa: false } }));
    const after = await getUser();
    expect(after.UserMFASettingList).toEqual(['SMS_MFA']);
    expect(after.PreferredMfaSetting).toBeUndefined();
    expect((await passwordSignIn(h.sdk, setup, 'una', STRONG_PASSWORD)).ChallengeName).toBe('SMS_MFA');
    await h.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken, SMSMfaSettings: { Enabled: false } }));
    expect((await passwordSignIn(h.sdk, setup, 'una', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('refuses factors the user cannot use or the pool does not offer', async () => {
    const AccessToken = await tokenOf('bare');
    const set = (input: object) => failure(h.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken, ...input })));
    expect(await set({ SoftwareTokenMfaSettings: { Enabled: true } })).toEqual({ name: 'InvalidParameterException', message: 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA' });
    expect(await set({ SMSMfaSettings: { Enabled: true } })).toEqual({ name: 'InvalidParameterException', message: 'User does not have a phone_number set to turn on SMS MFA' });
    expect(await set({ EmailMfaSettings: { Enabled: true } })).toEqual({ name: 'InvalidParameterException', message: 'User does not have an email set to turn on email MFA' });
    expect(await set({ SMSMfaSettings: { Enabled: false, PreferredMfa: true } })).toEqual({
      name: 'InvalidParameterException',
      message: 'SMS MFA cannot be preferred while it is disabled.',
    });
    expect(await failure(h.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken: 'not.a.token', SMSMfaSettings: { Enabled: true } })))).toMatchObject({
      name: 'NotAuthorizedException',
    });

    const totpOnly = await createPoolAndClient(h.sdk);
    await setPoolMfa(h.sdk, totpOnly.poolId, 'OPTIONAL', { SoftwareTokenMfaConfiguration: { Enabled: true } });
    h.pool.seed({ pools: [{ id: totpOnly.poolId, name: 'test', users: [{ username: 'pia', password: STRONG_PASSWORD, attributes: { phone_number: '+15555550111' } }] }] });
    const pia = (await passwordSignIn(h.sdk, totpOnly, 'pia', STRONG_PASSWORD)).AuthenticationResult!.AccessToken!;
    expect(await failure(h.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken: pia, SMSMfaSettings: { Enabled: true } })))).toEqual({
      name: 'InvalidParameterException',
      message: 'SMS MFA is not enabled for this user pool.',
    });
  });

  it('AdminSetUserMFAPreference / AdminGetUser', async () => {
    await h.sdk.send(
      new AdminSetUserMFAPreferenceCommand({ UserPoolId: setup.poolId, Username: 'tom', SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
    const tom = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: 'tom' }));
    expect(tom.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(tom.PreferredMfaSetting).toBe('SOFTWARE_TOKEN_MFA');
    expect((await firstFactor(h, setup, 'tom', STRONG_PASSWORD)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(
      await failure(h.sdk.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: setup.poolId, Username: 'nobody', SMSMfaSettings: { Enabled: true } }))),
    ).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
  });

  it('a pool that requires MFA keeps at least one factor on', async () => {
    const on = await createPoolAndClient(h.sdk);
    await setPoolMfa(h.sdk, on.poolId, 'ON');
    h.pool.seed({
      pools: [{ id: on.poolId, name: 'test', users: [{ username: 'rex', password: STRONG_PASSWORD, attributes: { email: 'rex@example.com' }, mfa: { email: true } }] }],
    });
    expect(
      await failure(h.sdk.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: on.poolId, Username: 'rex', EmailMfaSettings: { Enabled: false } }))),
    ).toEqual({ name: 'InvalidParameterException', message: 'MFA is required in this user pool: at least one MFA method must stay enabled.' });
  });
});

describe('seed keys', () => {
  it('pool "mfa", user "mfa" and "totpSecret"', async () => {
    const result = h.pool.seed({
      pools: [
        {
          id: 'us-east-1_seedmfa',
          name: 'seed-mfa',
          mfa: { MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: {}, SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} },
          clients: [{ id: 'seedmfaclient', name: 'web', settings: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] } }],
          users: [
            { username: 'sally', password: STRONG_PASSWORD, attributes: { phone_number: '+15555550120' }, mfa: { sms: true } },
            { username: 'trent', password: STRONG_PASSWORD, totpSecret: 'jbsw y3dp ehpk 3pxp', totpDeviceName: 'Yubico', mfa: { totp: true, preferred: 'TOTP' } },
          ],
        },
      ],
    });
    expect(result.created.users).toEqual(['us-east-1_seedmfa/sally', 'us-east-1_seedmfa/trent']);
    expect(await h.sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: 'us-east-1_seedmfa' }))).toMatchObject({
      MfaConfiguration: 'OPTIONAL',
      SmsMfaConfiguration: {},
      SoftwareTokenMfaConfiguration: { Enabled: true },
      EmailMfaConfiguration: {},
    });
    const trent = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: 'us-east-1_seedmfa', Username: 'trent' }));
    expect(trent).toMatchObject({ UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' });
    const seeded = { poolId: 'us-east-1_seedmfa', clientId: 'seedmfaclient' };
    const challenge = await passwordSignIn(h.sdk, seeded, 'trent', STRONG_PASSWORD);
    expect(challenge.ChallengeParameters).toEqual({ FRIENDLY_DEVICE_NAME: 'Yubico', USER_ID_FOR_SRP: 'trent', USERNAME: 'trent' });
    expect(h.pool.currentTotp('us-east-1_seedmfa', 'trent')).toMatchObject({ secret: 'verified', username: 'trent' });
    expect((await passwordSignIn(h.sdk, seeded, 'sally', STRONG_PASSWORD)).ChallengeName).toBe('SMS_MFA');
  });

  it('says which user is wrong', () => {
    const seedUser = (user: object) => () =>
      h.pool.seed({ pools: [{ id: 'us-east-1_seedbad', name: 'bad', mfa: { MfaConfiguration: 'OPTIONAL', ...ALL_FACTORS }, users: [{ username: 'u', password: STRONG_PASSWORD, ...user }] }] });
    expect(seedUser({ mfa: { totp: true } })).toThrow('seed: pools[0].users[0] (u): "mfa.totp" needs "totpSecret"');
    expect(seedUser({ mfa: { sms: true } })).toThrow(
      'seed: pools[0].users[0] (u): InvalidParameterException: User does not have a phone_number set to turn on SMS MFA',
    );
    expect(seedUser({ totpSecret: 'not base32!' })).toThrow('seed: pools[0].users[0] (u): "totpSecret" must be a base32 secret of at least 16 characters');
    expect(seedUser({ mfa: { preferred: 'VOICE' } })).toThrow('seed: pools[0].users[0] (u): "mfa.preferred" must be SMS, TOTP or EMAIL');
    expect(() => h.pool.seed({ pools: [{ id: 'us-east-1_seedbad', name: 'bad', mfa: { MfaConfiguration: 'ON' } }] })).toThrow(
      "seed: pools[0]: InvalidParameterException: Invalid MFA configuration given, can't turn off all MFAs when MFA is required or optional.",
    );
  });
});

describe('schema migration', () => {
  it('an older data file gets the MFA columns, and CreateUserPool MFA there means SMS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authchart-migrate-'));
    const file = join(dir, 'old.sqlite');
    try {
      const db = new Database(file);
      migrations[0]!(db);
      db.pragma('user_version = 1');
      const config = { Policies: { PasswordPolicy: {} }, MfaConfiguration: 'OPTIONAL', UsernameAttributes: [], AliasAttributes: [], AutoVerifiedAttributes: [], Schema: [] };
      db.prepare('INSERT INTO user_pools (id, name, config, created_at, updated_at) VALUES (?, ?, ?, 0, 0)').run('us-east-1_old', 'old', JSON.stringify(config));
      db.close();
      const pool = await startLocalPool({ dataFile: file });
      const sdk = sdkClient(pool.url);
      try {
        expect(await sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: 'us-east-1_old' }))).toMatchObject({
          MfaConfiguration: 'OPTIONAL',
          SmsMfaConfiguration: {},
          SoftwareTokenMfaConfiguration: { Enabled: false },
        });
        expect(pool.outbox()).toEqual([]);
      } finally {
        sdk.destroy();
        await pool.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
