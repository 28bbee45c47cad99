// What survives a restart, seeding rules, and what is (not) written to disk.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { totpCode, type SeedDocument } from '../../src/local-pool/index.js';
import {
  STRONG_PASSWORD,
  createPoolAndClient,
  createUser,
  failure,
  passwordSignIn,
  rawCall,
  srpSignIn,
  startPool,
  startSrp,
} from './support.js';

const demo = JSON.parse(readFileSync(join(__dirname, '../../seeds/demo.json'), 'utf8')) as SeedDocument;
const DEMO = { poolId: 'us-east-1_authchart', clientId: 'authchartdemoclient0000000' };

describe('restart on the same file', () => {
  it('keeps pools, clients, users, keys, refresh tokens and the simulated challenges', async () => {
    let h = await startPool();
    try {
      const setup = await createPoolAndClient(h.sdk, {}, { PreventUserExistenceErrors: 'ENABLED' });
      await createUser(h.sdk, setup.poolId, 'alice', STRONG_PASSWORD);
      const tokens = (await passwordSignIn(h.sdk, setup, 'alice', STRONG_PASSWORD)).AuthenticationResult!;
      const jwksBefore = (await rawCall(`${h.pool.url}/${setup.poolId}/.well-known/jwks.json`, { method: 'GET' })).json;
      const ghostBefore = (await startSrp(h.sdk, setup, 'ghost')).response.ChallengeParameters!;
      const oldUrl = h.pool.url;

      h = await h.restart();
      expect(h.pool.url).not.toBe(oldUrl);
      expect((await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: setup.poolId }))).UserPool!.Name).toBe('test');
      expect((await h.sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: setup.poolId, ClientId: setup.clientId }))).UserPoolClient!.PreventUserExistenceErrors).toBe(
        'ENABLED',
      );
      const jwks = (await rawCall(`${h.pool.url}/${setup.poolId}/.well-known/jwks.json`, { method: 'GET' })).json as JSONWebKeySet;
      expect(jwks).toEqual(jwksBefore);
      const verified = await jwtVerify(tokens.IdToken!, createLocalJWKSet(jwks), { currentDate: new Date(h.clock.now()) });
      expect(verified.payload['cognito:username']).toBe('alice');
      expect((await h.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }))).Username).toBe('alice');
      const refreshed = await h.sdk.send(
        new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: setup.clientId, AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }),
      );
      expect(refreshed.AuthenticationResult?.AccessToken).toBeDefined();
      expect((await srpSignIn(h.sdk, setup, 'alice', STRONG_PASSWORD, new Date(h.clock.now()))).AuthenticationResult).toBeDefined();
      const ghostAfter = (await startSrp(h.sdk, setup, 'ghost')).response.ChallengeParameters!;
      expect(ghostAfter['SALT']).toBe(ghostBefore['SALT']);
      expect(ghostAfter['USER_ID_FOR_SRP']).toBe(ghostBefore['USER_ID_FOR_SRP']);
    } finally {
      await h.close();
    }
  });
});

describe('seeding', () => {
  it('the demo seed gives one user per situation', async () => {
    const h = await startPool({ seed: demo });
    try {
      const setup = DEMO;
      const now = new Date(h.clock.now());
      const alice = await srpSignIn(h.sdk, setup, 'alice', 'Passw0rd!demo', now);
      expect(alice.AuthenticationResult?.IdToken).toBeDefined();
      expect((await passwordSignIn(h.sdk, setup, 'alice', 'Passw0rd!demo')).AuthenticationResult).toBeDefined();
      const nina = await passwordSignIn(h.sdk, setup, 'nina', 'Temp0rary!demo');
      expect(nina.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
      expect(nina.ChallengeParameters!['requiredAttributes']).toBe('["userAttributes.name"]');
      expect(await failure(passwordSignIn(h.sdk, setup, 'uma', 'Passw0rd!demo'))).toEqual({ name: 'UserNotConfirmedException', message: 'User is not confirmed.' });
      expect(await failure(passwordSignIn(h.sdk, setup, 'rita', 'Passw0rd!demo'))).toEqual({
        name: 'PasswordResetRequiredException',
        message: 'Password reset required for the user',
      });
      expect(await failure(passwordSignIn(h.sdk, setup, 'dave', 'Passw0rd!demo'))).toEqual({ name: 'NotAuthorizedException', message: 'User is disabled.' });
      expect(await failure(passwordSignIn(h.sdk, setup, 'nobody', 'Passw0rd!demo'))).toEqual({
        name: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      });

      // MFA: the demo pool is OPTIONAL with SMS, TOTP and e-mail; the second pool requires MFA.
      const sam = await passwordSignIn(h.sdk, setup, 'sam', 'Passw0rd!demo');
      expect([sam.ChallengeName, sam.ChallengeParameters!['CODE_DELIVERY_DESTINATION']]).toEqual(['SMS_MFA', '+*******0100']);
      expect((await srpSignIn(h.sdk, setup, 'tina', 'Passw0rd!demo', now)).ChallengeParameters).toEqual({
        FRIENDLY_DEVICE_NAME: "Tina's authenticator",
        USER_ID_FOR_SRP: 'tina',
        USERNAME: 'tina',
      });
      expect(h.pool.currentTotp(DEMO.poolId, 'tina')).toMatchObject({ secret: 'verified', code: totpCode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', h.clock.now()) });
      expect((await passwordSignIn(h.sdk, setup, 'emma', 'Passw0rd!demo')).ChallengeName).toBe('EMAIL_OTP');
      expect((await passwordSignIn(h.sdk, setup, 'max', 'Passw0rd!demo')).ChallengeParameters!['MFAS_CAN_CHOOSE']).toBe('["SMS_MFA","SOFTWARE_TOKEN_MFA"]');
      const otto = await passwordSignIn(h.sdk, { poolId: 'us-east-1_authchartmfa', clientId: 'authchartmfaclient00000000' }, 'otto', 'Passw0rd!demo');
      expect([otto.ChallengeName, otto.ChallengeParameters!['MFAS_CAN_SETUP']]).toEqual(['MFA_SETUP', '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]']);
      expect(h.pool.outbox().map((m) => [m.username, m.medium, m.destination])).toEqual([
        ['sam', 'SMS', '+15555550100'],
        ['emma', 'EMAIL', 'emma@example.com'],
      ]);
    } finally {
      await h.close();
    }
  });

  it('is idempotent and never overwrites what exists', async () => {
    let h = await startPool();
    try {
      const first = h.pool.seed(demo);
      expect(first.created.pools).toEqual([
        'us-east-1_authchart', 'us-east-1_authchartmfa', 'us-east-1_authchartemail', 'us-east-1_authchartpasswordless',
        'us-east-1_authchartquestion', 'us-east-1_authchartmagic', 'us-east-1_authchartdevices',
      ]);
      expect(first.created.clients).toEqual([
        'authchartdemoclient0000000', 'authchartmfaclient00000000', 'authchartemailclient000000', 'authchartpasswordlessclient',
        'authchartquestionclient000', 'authchartmagicclient000000', 'authchartdevicesclient0000',
      ]);
      expect(first.created.users).toHaveLength(20);
      expect(first.existing).toEqual({ pools: [], clients: [], users: [], groups: [] });

      const listUsers = () => h.sdk.send(new ListUsersCommand({ UserPoolId: DEMO.poolId }));
      const before = (await listUsers()).Users;
      h.clock.advance(5_000);
      const second = h.pool.seed(demo);
      expect(second.created).toEqual({ pools: [], clients: [], users: [], groups: [] });
      expect(second.existing.users).toHaveLength(20);
      expect((await listUsers()).Users).toEqual(before);

      // A change made since is kept, also through a restart with the seed option.
      await h.sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: DEMO.poolId, Username: 'alice', Password: 'Chang3d!password', Permanent: true }));
      h = await h.restart({ seed: demo });
      expect((await passwordSignIn(h.sdk, DEMO, 'alice', 'Chang3d!password')).AuthenticationResult).toBeDefined();
      expect((await h.sdk.send(new AdminGetUserCommand({ UserPoolId: DEMO.poolId, Username: 'dave' }))).Enabled).toBe(false);
    } finally {
      await h.close();
    }
  });

  it('is all or nothing, and says where a document is wrong', async () => {
    const h = await startPool();
    try {
      const broken: SeedDocument = {
        pools: [{ id: 'us-east-1_broken', name: 'broken', users: [{ username: 'ok', password: STRONG_PASSWORD }, { username: 'weak', password: 'weak' }] }],
      };
      expect(() => h.pool.seed(broken)).toThrow(
        "seed: pools[0].users[1] (weak): password does not meet the pool's policy: Password not long enough",
      );
      expect(await failure(h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_broken' })))).toMatchObject({ name: 'ResourceNotFoundException' });
      expect(() => h.pool.seed({ pools: [{ id: 'bad id', name: 'x' }] })).toThrow(/seed: pools\[0\]: InvalidParameterException/);
    } finally {
      await h.close();
    }
  });
});

describe('at rest', () => {
  it('no password is written to the SQLite file in plain text', async () => {
    const h = await startPool({ seed: demo });
    const passwords = ['Passw0rd!demo', 'Temp0rary!demo', STRONG_PASSWORD, 'N3w!permanent'];
    const dir = dirname(h.dataFile);
    try {
      const setup = await createPoolAndClient(h.sdk);
      await createUser(h.sdk, setup.poolId, 'zoe', STRONG_PASSWORD);
      await h.sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: setup.poolId, Username: 'zoe', Password: 'N3w!permanent', Permanent: true }));
      expect((await passwordSignIn(h.sdk, setup, 'zoe', 'N3w!permanent')).AuthenticationResult).toBeDefined();
      await h.pool.close();
      const bytes = readdirSync(dir)
        .filter((name) => name.startsWith('pool.sqlite'))
        .map((name) => readFileSync(join(dir, name)));
      expect(bytes.length).toBeGreaterThan(0);
      for (const password of passwords) {
        for (const file of bytes) {
          expect(file.includes(Buffer.from(password, 'utf8'))).toBe(false);
          expect(file.includes(Buffer.from(password, 'utf16le'))).toBe(false);
        }
      }
      // The scan can find things: usernames are stored as they are.
      expect(bytes.some((file) => file.includes(Buffer.from('zoe', 'utf8')))).toBe(true);
    } finally {
      await h.close();
    }
  });
});
