// USER_PASSWORD_AUTH, client flow switches, SECRET_HASH, PreventUserExistenceErrors and the
// user states that stop a sign-in (UNCONFIRMED, RESET_REQUIRED, disabled).
import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminResetUserPasswordCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  STRONG_PASSWORD,
  answerVerifier,
  createPoolAndClient,
  createUser,
  failure,
  passwordSignIn,
  srpSignIn,
  startPool,
  startSrp,
  type PoolHarness,
  type Setup,
} from './support.js';

let h: PoolHarness;
let setup: Setup;
const now = () => new Date(h.clock.now());
const incorrect = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const userNotFound = { name: 'UserNotFoundException', message: 'User does not exist.' };

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk, {}, { PreventUserExistenceErrors: 'LEGACY' });
  await createUser(h.sdk, setup.poolId, 'alice', STRONG_PASSWORD);
});
afterAll(() => h.close());

describe('USER_PASSWORD_AUTH', () => {
  it('the right password gives tokens directly', async () => {
    const result = await passwordSignIn(h.sdk, setup, 'alice', STRONG_PASSWORD);
    expect(result.ChallengeName).toBeUndefined();
    expect(result.ChallengeParameters).toEqual({});
    expect(result.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
    expect(result.AuthenticationResult!.RefreshToken).toBeDefined();
  });

  it('a wrong password is "Incorrect username or password."', async () => {
    expect(await failure(passwordSignIn(h.sdk, setup, 'alice', 'Wr0ng!password'))).toEqual(incorrect);
  });
});

describe('ExplicitAuthFlows', () => {
  it('a flow the client does not allow is InvalidParameterException', async () => {
    const srpOnly = await createPoolAndClient(h.sdk, { PoolName: 'srp-only' }, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    expect(await failure(passwordSignIn(h.sdk, srpOnly, 'alice', STRONG_PASSWORD))).toEqual({
      name: 'InvalidParameterException',
      message: 'USER_PASSWORD_AUTH flow not enabled for this client',
    });
    const passwordOnly = await createPoolAndClient(h.sdk, { PoolName: 'password-only' }, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] });
    expect(await failure(startSrp(h.sdk, passwordOnly, 'alice'))).toEqual({
      name: 'InvalidParameterException',
      message: 'USER_SRP_AUTH flow not enabled for this client',
    });
  });

  it('without ExplicitAuthFlows a client allows refresh, SRP and custom auth only', async () => {
    const defaults = await createPoolAndClient(h.sdk, { PoolName: 'defaults' }, { ExplicitAuthFlows: undefined });
    expect(await failure(passwordSignIn(h.sdk, defaults, 'alice', STRONG_PASSWORD))).toEqual({
      name: 'InvalidParameterException',
      message: 'USER_PASSWORD_AUTH flow not enabled for this client',
    });
    expect(await failure(startSrp(h.sdk, defaults, 'alice'))).toEqual(userNotFound);
  });

  it('CUSTOM_AUTH on a client without ALLOW_CUSTOM_AUTH, and an admin flow at InitiateAuth, are refused', async () => {
    const error = await failure(
      h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'CUSTOM_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: 'alice' } })),
    );
    expect(error).toEqual({ name: 'InvalidParameterException', message: 'CUSTOM_AUTH flow not enabled for this client' });
    const admin = await failure(
      h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', ClientId: setup.clientId, AuthParameters: {} })),
    );
    expect(admin).toEqual({ name: 'InvalidParameterException', message: 'Initiate Auth method not supported.' });
  });

  it('an unknown client is ResourceNotFoundException', async () => {
    expect(await failure(passwordSignIn(h.sdk, { ...setup, clientId: 'nosuchclient000000000000000' }, 'alice', 'x'))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'User pool client nosuchclient000000000000000 does not exist.',
    });
  });
});

describe('SECRET_HASH', () => {
  let secretSetup: Setup;
  beforeAll(async () => {
    secretSetup = await createPoolAndClient(h.sdk, { PoolName: 'secret' }, { GenerateSecret: true });
    await createUser(h.sdk, secretSetup.poolId, 'alice', STRONG_PASSWORD);
  });

  it('missing, wrong and right', async () => {
    const { clientSecret, ...withoutSecret } = secretSetup;
    expect(clientSecret).toMatch(/^[a-z0-9]{52}$/);
    expect(await failure(passwordSignIn(h.sdk, withoutSecret, 'alice', STRONG_PASSWORD))).toEqual({
      name: 'NotAuthorizedException',
      message: `Client ${secretSetup.clientId} is configured with secret but SECRET_HASH was not received`,
    });
    expect(await failure(passwordSignIn(h.sdk, { ...secretSetup, clientSecret: 'not-the-secret' }, 'alice', STRONG_PASSWORD))).toEqual({
      name: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${secretSetup.clientId}`,
    });
    expect((await passwordSignIn(h.sdk, secretSetup, 'alice', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
    expect((await srpSignIn(h.sdk, secretSetup, 'alice', STRONG_PASSWORD, now())).AuthenticationResult).toBeDefined();
  });

  it('challenge responses hash the canonical username, not the typed alias', async () => {
    const byEmail = await createPoolAndClient(h.sdk, { PoolName: 'secret-email', UsernameAttributes: ['email'] }, { GenerateSecret: true });
    await createUser(h.sdk, byEmail.poolId, 'dana@example.com', STRONG_PASSWORD);
    const started = await startSrp(h.sdk, byEmail, 'dana@example.com');
    const error = await failure(answerVerifier(h.sdk, byEmail, started, STRONG_PASSWORD, now(), { username: 'dana@example.com' }));
    expect(error).toEqual({ name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${byEmail.clientId}` });
    const again = await startSrp(h.sdk, byEmail, 'dana@example.com');
    expect((await answerVerifier(h.sdk, byEmail, again, STRONG_PASSWORD, now())).AuthenticationResult).toBeDefined();
  });
});

describe('unknown users', () => {
  it('LEGACY reveals them: UserNotFoundException', async () => {
    expect(await failure(passwordSignIn(h.sdk, setup, 'nobody', STRONG_PASSWORD))).toEqual(userNotFound);
    expect(await failure(startSrp(h.sdk, setup, 'nobody'))).toEqual(userNotFound);
  });

  it('ENABLED hides them: generic failure, and a simulated SRP challenge that is stable per name', async () => {
    const hidden = await createPoolAndClient(h.sdk, { PoolName: 'hidden' }, { PreventUserExistenceErrors: 'ENABLED' });
    expect(await failure(passwordSignIn(h.sdk, hidden, 'nobody', STRONG_PASSWORD))).toEqual(incorrect);

    const first = await startSrp(h.sdk, hidden, 'nobody');
    const second = await startSrp(h.sdk, hidden, 'nobody');
    const other = await startSrp(h.sdk, hidden, 'somebody');
    const p1 = first.response.ChallengeParameters!;
    const p2 = second.response.ChallengeParameters!;
    expect(first.response.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(Object.keys(p1).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
    // A pool of plain usernames: the name comes back as a real user's would (see enumeration.test.ts).
    expect(p1['USER_ID_FOR_SRP']).toBe('nobody');
    expect(p1['USERNAME']).toBe(p1['USER_ID_FOR_SRP']);
    expect(p1['SALT']).toMatch(/^[0-9a-f]{32}$/);
    expect(p2['SALT']).toBe(p1['SALT']);
    expect(p2['USER_ID_FOR_SRP']).toBe(p1['USER_ID_FOR_SRP']);
    expect(p2['SRP_B']).not.toBe(p1['SRP_B']);
    expect(other.response.ChallengeParameters!['SALT']).not.toBe(p1['SALT']);
    expect(other.response.ChallengeParameters!['USER_ID_FOR_SRP']).toBe('somebody');
    expect(await failure(answerVerifier(h.sdk, hidden, first, STRONG_PASSWORD, now()))).toEqual(incorrect);
  });
});

describe('user states', () => {
  beforeAll(() => {
    h.pool.seed({
      pools: [
        {
          id: setup.poolId,
          name: 'test',
          users: [
            { username: 'uma', password: STRONG_PASSWORD, status: 'UNCONFIRMED' },
            { username: 'rita', password: STRONG_PASSWORD },
            { username: 'dave', password: STRONG_PASSWORD },
          ],
        },
      ],
    });
  });

  it('UNCONFIRMED: UserNotConfirmedException, even with a wrong password', async () => {
    const notConfirmed = { name: 'UserNotConfirmedException', message: 'User is not confirmed.' };
    expect(await failure(passwordSignIn(h.sdk, setup, 'uma', STRONG_PASSWORD))).toEqual(notConfirmed);
    expect(await failure(passwordSignIn(h.sdk, setup, 'uma', 'Wr0ng!password'))).toEqual(notConfirmed);
    expect(await failure(startSrp(h.sdk, setup, 'uma'))).toEqual(notConfirmed);
  });

  it('RESET_REQUIRED: PasswordResetRequiredException, only once the password is right', async () => {
    await h.sdk.send(new AdminResetUserPasswordCommand({ UserPoolId: setup.poolId, Username: 'rita' }));
    const resetRequired = { name: 'PasswordResetRequiredException', message: 'Password reset required for the user' };
    expect(await failure(passwordSignIn(h.sdk, setup, 'rita', 'Wr0ng!password'))).toEqual(incorrect);
    expect(await failure(passwordSignIn(h.sdk, setup, 'rita', STRONG_PASSWORD))).toEqual(resetRequired);
    const started = await startSrp(h.sdk, setup, 'rita');
    expect(started.response.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(await failure(answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, now()))).toEqual(resetRequired);
  });

  it('disabled: "User is disabled." until enabled again', async () => {
    await h.sdk.send(new AdminDisableUserCommand({ UserPoolId: setup.poolId, Username: 'dave' }));
    const disabled = { name: 'NotAuthorizedException', message: 'User is disabled.' };
    expect(await failure(passwordSignIn(h.sdk, setup, 'dave', STRONG_PASSWORD))).toEqual(disabled);
    expect(await failure(startSrp(h.sdk, setup, 'dave'))).toEqual(disabled);
    await h.sdk.send(new AdminEnableUserCommand({ UserPoolId: setup.poolId, Username: 'dave' }));
    expect((await passwordSignIn(h.sdk, setup, 'dave', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
  });
});
