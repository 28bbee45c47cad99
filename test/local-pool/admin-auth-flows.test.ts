// The rest of what AdminInitiateAuth / AdminRespondToAuthChallenge run, over HTTP with the AWS SDK: MFA set up
// during sign-in (MFA_SETUP with AssociateSoftwareToken / VerifySoftwareToken on the Session), EMAIL_OTP, a
// remembered device (DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER), a whole CUSTOM_AUTH quiz, and UserMigration
// on ADMIN_USER_PASSWORD_AUTH. The public operations' tests cover the same responders; these check the admin
// operations reach them with the pool id and admin parameters.
import { join } from 'node:path';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AssociateSoftwareTokenCommand,
  ConfirmDeviceCommand,
  CreateUserPoolClientCommand,
  GetUserCommand,
  VerifySoftwareTokenCommand,
  type AdminInitiateAuthCommandInput,
  type AdminInitiateAuthCommandOutput,
  type AdminRespondToAuthChallengeCommandInput,
  type AuthenticationResultType,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { deviceClaim, deviceEphemeral, deviceVerifier } from '../support/device-srp.js';
import { STRONG_PASSWORD, createPoolAndClient, createUser, failure, lastCode, nextTotpStep, setPoolMfa, startPool, totpAt, type PoolHarness, type Setup } from './support.js';

const ADMIN_FLOWS = ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

let h: PoolHarness;
beforeAll(async () => {
  h = await startPool({ functions: join(__dirname, 'functions') });
});
afterAll(() => h.close());

async function adminPool(pool: Partial<CreateUserPoolCommandInput> = {}): Promise<Setup> {
  const setup = await createPoolAndClient(h.sdk, pool);
  const client = await h.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: setup.poolId, ClientName: 'admin', ExplicitAuthFlows: [...ADMIN_FLOWS] }));
  return { poolId: setup.poolId, clientId: client.UserPoolClient!.ClientId! };
}

const adminSignIn = (setup: Setup, username: string, password: string, extra: Record<string, string> = {}) =>
  h.sdk.send(
    new AdminInitiateAuthCommand({
      UserPoolId: setup.poolId,
      ClientId: setup.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password, ...extra },
    }),
  );

const adminStart = (setup: Setup, input: Pick<AdminInitiateAuthCommandInput, 'AuthFlow' | 'AuthParameters'>) =>
  h.sdk.send(new AdminInitiateAuthCommand({ UserPoolId: setup.poolId, ClientId: setup.clientId, ...input }));

const adminRespond = (setup: Setup, challengeName: string, session: string | undefined, responses: Record<string, string>) =>
  h.sdk.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: setup.poolId,
      ClientId: setup.clientId,
      ChallengeName: challengeName as AdminRespondToAuthChallengeCommandInput['ChallengeName'],
      Session: session,
      ChallengeResponses: responses,
    }),
  );

function tokensOf(answer: { AuthenticationResult?: AuthenticationResultType | undefined; ChallengeName?: string | undefined }): AuthenticationResultType {
  if (!answer.AuthenticationResult?.AccessToken) throw new Error(`expected tokens, got ${answer.ChallengeName}`);
  return answer.AuthenticationResult;
}

const usernameOf = async (accessToken: string) => (await h.sdk.send(new GetUserCommand({ AccessToken: accessToken }))).Username;

describe('MFA_SETUP through the admin operations', () => {
  it('a pool with MFA required and only TOTP: the Session sets up the app, AdminRespondToAuthChallenge MFA_SETUP gives tokens, the next sign-in asks for the code', async () => {
    const setup = await adminPool();
    await setPoolMfa(h.sdk, setup.poolId, 'ON', { SoftwareTokenMfaConfiguration: { Enabled: true } });
    await createUser(h.sdk, setup.poolId, 'nina', STRONG_PASSWORD);

    const challenge = await adminSignIn(setup, 'nina', STRONG_PASSWORD);
    expect(challenge.ChallengeName).toBe('MFA_SETUP');
    expect(JSON.parse(challenge.ChallengeParameters!['MFAS_CAN_SETUP']!)).toEqual(['SOFTWARE_TOKEN_MFA']);
    const associated = await h.sdk.send(new AssociateSoftwareTokenCommand({ Session: challenge.Session! }));
    nextTotpStep(h);
    const verified = await h.sdk.send(new VerifySoftwareTokenCommand({ Session: associated.Session!, UserCode: totpAt(associated.SecretCode!, h), FriendlyDeviceName: 'phone' }));
    expect(verified.Status).toBe('SUCCESS');
    const done = await adminRespond(setup, 'MFA_SETUP', verified.Session, { USERNAME: 'nina' });
    expect(await usernameOf(tokensOf(done).AccessToken!)).toBe('nina');
    // Single use.
    expect((await failure(adminRespond(setup, 'MFA_SETUP', verified.Session, { USERNAME: 'nina' }))).name).toBe('NotAuthorizedException');
    const user = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: 'nina' }));
    expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);

    const again = await adminSignIn(setup, 'nina', STRONG_PASSWORD);
    expect(again.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    nextTotpStep(h);
    const second = await adminRespond(setup, 'SOFTWARE_TOKEN_MFA', again.Session, { USERNAME: 'nina', SOFTWARE_TOKEN_MFA_CODE: totpAt(associated.SecretCode!, h) });
    expect(await usernameOf(tokensOf(second).AccessToken!)).toBe('nina');
  });
});

describe('EMAIL_OTP through the admin operations', () => {
  it('the code from the outbox answers it; a wrong one is a CodeMismatch and keeps the Session', async () => {
    const setup = await adminPool({ UserPoolTier: 'ESSENTIALS' });
    await setPoolMfa(h.sdk, setup.poolId, 'OPTIONAL', { EmailMfaConfiguration: { Subject: 'Your code', Message: 'Your code is {####}' } });
    h.pool.seed({ pools: [{ id: setup.poolId, name: 'test', users: [{ username: 'emma', password: STRONG_PASSWORD, attributes: { email: 'emma@example.com' }, mfa: { email: true } }] }] });

    const challenge = await adminSignIn(setup, 'emma', STRONG_PASSWORD);
    expect(challenge.ChallengeName).toBe('EMAIL_OTP');
    expect(challenge.ChallengeParameters).toMatchObject({ CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'e***@e***', USERNAME: 'emma' });
    const code = lastCode(h.pool, 'emma');
    const wrong = code.startsWith('0') ? '1'.repeat(code.length) : '0'.repeat(code.length);
    expect((await failure(adminRespond(setup, 'EMAIL_OTP', challenge.Session, { USERNAME: 'emma', EMAIL_OTP_CODE: wrong }))).name).toBe('CodeMismatchException');
    const done = await adminRespond(setup, 'EMAIL_OTP', challenge.Session, { USERNAME: 'emma', EMAIL_OTP_CODE: code });
    expect(await usernameOf(tokensOf(done).AccessToken!)).toBe('emma');
  });
});

describe('a remembered device through the admin operations', () => {
  it('DEVICE_KEY on AdminInitiateAuth: DEVICE_SRP_AUTH instead of SMS_MFA, then DEVICE_PASSWORD_VERIFIER; a wrong device password fails', async () => {
    const setup = await adminPool({ DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } });
    await setPoolMfa(h.sdk, setup.poolId, 'OPTIONAL');
    h.pool.seed({ pools: [{ id: setup.poolId, name: 'test', users: [{ username: 'sam', password: STRONG_PASSWORD, attributes: { phone_number: '+15555550177' }, mfa: { sms: true } }] }] });

    // First sign-in: SMS_MFA, a new device, confirmed.
    const sms = await adminSignIn(setup, 'sam', STRONG_PASSWORD);
    expect(sms.ChallengeName).toBe('SMS_MFA');
    const first = tokensOf(await adminRespond(setup, 'SMS_MFA', sms.Session, { USERNAME: 'sam', SMS_MFA_CODE: lastCode(h.pool, 'sam') }));
    const metadata = first.NewDeviceMetadata!;
    expect(metadata.DeviceKey).toMatch(new RegExp(`^${setup.poolId.split('_')[0]}_`));
    const made = await deviceVerifier(metadata.DeviceKey!, metadata.DeviceGroupKey!);
    await h.sdk.send(new ConfirmDeviceCommand({ AccessToken: first.AccessToken!, DeviceKey: metadata.DeviceKey!, DeviceSecretVerifierConfig: made.config, DeviceName: 'server test' }));

    const prove = async (secret: typeof made.secret, start: AdminInitiateAuthCommandOutput) => {
      expect(start.ChallengeName).toBe('DEVICE_SRP_AUTH');
      const ephemeral = deviceEphemeral();
      const verifier = await adminRespond(setup, 'DEVICE_SRP_AUTH', start.Session, { USERNAME: 'sam', DEVICE_KEY: secret.deviceKey, SRP_A: ephemeral.A.toString(16) });
      expect(verifier.ChallengeName).toBe('DEVICE_PASSWORD_VERIFIER');
      expect(verifier.ChallengeParameters!['SALT']).toBe(made.saltHex);
      return adminRespond(setup, 'DEVICE_PASSWORD_VERIFIER', verifier.Session, {
        USERNAME: 'sam',
        DEVICE_KEY: secret.deviceKey,
        ...(await deviceClaim(secret, ephemeral, verifier.ChallengeParameters!, new Date(h.clock.now()))),
      });
    };
    const sent = h.pool.outbox({ username: 'sam' }).length;
    const done = tokensOf(await prove(made.secret, await adminSignIn(setup, 'sam', STRONG_PASSWORD, { DEVICE_KEY: metadata.DeviceKey! })));
    expect(done.NewDeviceMetadata).toBeUndefined();
    expect(JSON.parse(Buffer.from(done.AccessToken!.split('.')[1]!, 'base64url').toString())['device_key']).toBe(metadata.DeviceKey);
    expect(h.pool.outbox({ username: 'sam' })).toHaveLength(sent);

    const wrong = { ...made.secret, password: Buffer.alloc(40, 7).toString('base64') };
    expect(await failure(prove(wrong, await adminSignIn(setup, 'sam', STRONG_PASSWORD, { DEVICE_KEY: metadata.DeviceKey! })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });
});

describe('CUSTOM_AUTH through the admin operations', () => {
  it('the quiz: two rounds of CUSTOM_CHALLENGE answered with AdminRespondToAuthChallenge give tokens; a wrong answer asks again', async () => {
    const setup = await adminPool({
      LambdaConfig: { DefineAuthChallenge: arn('quiz-define'), CreateAuthChallenge: arn('quiz-create'), VerifyAuthChallengeResponse: arn('quiz-verify') },
    });
    await createUser(h.sdk, setup.poolId, 'quinn', STRONG_PASSWORD);
    const first = await adminStart(setup, { AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'quinn' } });
    expect(first.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(first.ChallengeParameters).toMatchObject({ question: 'What is the capital of France?', USERNAME: 'quinn' });
    const retry = await adminRespond(setup, 'CUSTOM_CHALLENGE', first.Session, { USERNAME: 'quinn', ANSWER: 'London' });
    expect(retry.ChallengeParameters).toMatchObject({ question: 'What is the capital of France?' });
    const second = await adminRespond(setup, 'CUSTOM_CHALLENGE', retry.Session, { USERNAME: 'quinn', ANSWER: 'Paris' });
    expect(second.ChallengeParameters).toMatchObject({ question: 'What is 2 + 3?' });
    const done = await adminRespond(setup, 'CUSTOM_CHALLENGE', second.Session, { USERNAME: 'quinn', ANSWER: '5' });
    expect(await usernameOf(tokensOf(done).AccessToken!)).toBe('quinn');
  });
});

describe('UserMigration through ADMIN_USER_PASSWORD_AUTH', () => {
  it('an unknown user the function knows is migrated and signed in; a wrong legacy password is the usual refusal', async () => {
    const setup = await adminPool({ LambdaConfig: { UserMigration: arn('migrate') } });
    expect(await failure(adminSignIn(setup, 'legacy-lee', 'Wrong!pass1'))).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
    const done = await adminSignIn(setup, 'legacy-lee', 'Legacy!pass1');
    expect(await usernameOf(tokensOf(done).AccessToken!)).toBe('legacy-lee');
    const user = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: 'legacy-lee' }));
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toContainEqual({ Name: 'email', Value: 'lee@legacy.example' });
    // Now a user of the pool: the migrated password signs in again.
    expect(tokensOf(await adminSignIn(setup, 'legacy-lee', 'Legacy!pass1')).AccessToken).toBeDefined();
  });
});
