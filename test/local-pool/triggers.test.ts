// Lambda triggers of the local pool, over HTTP with the AWS SDK: the functions in ./functions run
// as Lambda's Node.js runtime would run them, get Cognito's events, and what they answer (or throw,
// or fail to answer in time) changes what the pool does, exactly where Cognito calls them.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { CognitoSrpClient } from '../../src/cognito/srp.js';
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';
import {
  STRONG_PASSWORD,
  answerVerifier,
  createPoolAndClient,
  createUser,
  failure,
  lastCode,
  passwordSignIn,
  respond,
  setPoolMfa,
  srpSignIn,
  startPool,
  type PoolHarness,
  type Setup,
} from './support.js';

const FUNCTIONS = join(__dirname, 'functions');
const ACCOUNT = '123456789012';
const arn = (name: string) => `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:${name}`;
const TIMEOUT_MS = 1500;

interface Recorded {
  event: {
    version: string;
    triggerSource: string;
    region: string;
    userPoolId: string;
    userName: string;
    callerContext: { awsSdkVersion: string; clientId: string };
    request: Record<string, unknown>;
    response: Record<string, unknown>;
  };
  context: Record<string, unknown>;
}

const recordDir = mkdtempSync(join(tmpdir(), 'authchart-triggers-'));
const recordFile = join(recordDir, 'events.jsonl');
process.env['TRIGGER_RECORD'] = recordFile;

let h: PoolHarness;
const logLines: string[] = [];

beforeAll(async () => {
  h = await startPool({ functions: FUNCTIONS, lambdaTimeoutMs: TIMEOUT_MS, log: (line) => logLines.push(line) });
});
afterAll(async () => {
  await h.close();
  rmSync(recordDir, { recursive: true, force: true });
});
beforeEach(() => {
  writeFileSync(recordFile, '');
  rmSync(`${recordFile}.release`, { force: true });
});

/** What the functions were sent since the test began, oldest first (optionally of one triggerSource). */
function recorded(triggerSource?: string): Recorded[] {
  const lines = readFileSync(recordFile, 'utf8').split('\n').filter(Boolean);
  const all = lines.map((line) => JSON.parse(line) as Recorded);
  return triggerSource ? all.filter((r) => r.event.triggerSource === triggerSource) : all;
}

function only(triggerSource: string): Recorded {
  const found = recorded(triggerSource);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** A pool whose LambdaConfig names these functions, and an app client with every flow. */
async function triggerPool(
  lambda: Partial<Record<keyof LambdaConfigType, string>>,
  pool: Partial<CreateUserPoolCommandInput> = {},
  client: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<Setup> {
  const LambdaConfig = Object.fromEntries(Object.entries(lambda).map(([trigger, name]) => [trigger, arn(name!)]));
  return createPoolAndClient(
    h.sdk,
    { LambdaConfig, ...pool },
    { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_CUSTOM_AUTH'], ...client },
  );
}

const signUp = (setup: Setup, username: string, extra: { email?: string; validation?: Record<string, string>; metadata?: Record<string, string> } = {}) =>
  h.sdk.send(
    new SignUpCommand({
      ClientId: setup.clientId,
      Username: username,
      Password: STRONG_PASSWORD,
      UserAttributes: [{ Name: 'email', Value: extra.email ?? `${username}@example.com` }],
      ...(extra.validation ? { ValidationData: Object.entries(extra.validation).map(([Name, Value]) => ({ Name, Value })) } : {}),
      ...(extra.metadata ? { ClientMetadata: extra.metadata } : {}),
    }),
  );

const userStatus = async (setup: Setup, username: string) =>
  (await h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: username }))).UserStatus;

const attributesOf = async (setup: Setup, username: string) =>
  Object.fromEntries(
    ((await h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: username }))).UserAttributes ?? []).map((a) => [a.Name, a.Value]),
  );

// ---------- how functions run ----------

describe('running functions', () => {
  it('sends the common members of every event, and the function sees Lambda context', async () => {
    const setup = await triggerPool({ PreSignUp: 'pre-sign-up' });
    await signUp(setup, 'carol', { validation: { source: 'test' }, metadata: { app: 'web' } });
    const { event, context } = only('PreSignUp_SignUp');
    expect(event).toEqual({
      version: '1',
      triggerSource: 'PreSignUp_SignUp',
      region: 'us-east-1',
      userPoolId: setup.poolId,
      userName: 'carol',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: setup.clientId },
      request: {
        userAttributes: { email: 'carol@example.com' },
        validationData: { source: 'test' },
        clientMetadata: { app: 'web' },
      },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    expect(context).toMatchObject({ functionName: 'pre-sign-up', invokedFunctionArn: arn('pre-sign-up'), region: 'eu-west-1' });
    expect(context['awsRequestId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(context['remainingMs']).toBeGreaterThan(0);
    expect(context['remainingMs']).toBeLessThanOrEqual(TIMEOUT_MS);
  });

  it('a callback-style CommonJS handler answers through its callback; its console output reaches the pool log', async () => {
    const setup = await triggerPool({ PreSignUp: 'callback' });
    const out = await signUp(setup, 'cal');
    expect(out.UserConfirmed).toBe(false);
    const { context } = only('PreSignUp_SignUp');
    expect(context).toMatchObject({ functionName: 'callback', callbackWaitsForEmptyEventLoop: true, style: 'callback' });
    // The line comes through the worker's stdout, shortly after.
    await waitFor(() => logLines.some((line) => line === '[lambda callback] callback function saw PreSignUp_SignUp'));
  });

  it('context.done answers too, with an error or a result', async () => {
    const setup = await triggerPool({ PreSignUp: 'context-done' });
    expect((await signUp(setup, 'done1')).UserSub).toBeDefined();
    expect(await failure(signUp(setup, 'done2', { validation: { refuse: 'yes' } }))).toEqual({
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error context.done refused it.',
    });
  });

  it('a thrown error is UserLambdaValidationException with its message, and nothing is created', async () => {
    const setup = await triggerPool({ PreSignUp: 'pre-sign-up' });
    expect(await failure(signUp(setup, 'nope', { validation: { refuse: 'yes' } }))).toEqual({
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error Sign-up refused by PreSignUp.',
    });
    expect(await failure(h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: 'nope' })))).toMatchObject({ name: 'UserNotFoundException' });
    expect(h.pool.outbox({ username: 'nope' })).toEqual([]);
  });

  it('a function that is not there is UnexpectedLambdaException (also for an ARN that is no Lambda function)', async () => {
    const missing = await triggerPool({ PreSignUp: 'no-such-function' });
    expect(await failure(signUp(missing, 'ghost'))).toEqual({
      name: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error ResourceNotFoundException.',
    });
    const notLambda = await createPoolAndClient(h.sdk, { LambdaConfig: { PreSignUp: `arn:aws:sns:eu-west-1:${ACCOUNT}:topic-name` } });
    expect(await failure(signUp(notLambda, 'ghost'))).toMatchObject({ name: 'UnexpectedLambdaException' });
  });

  it('a function that does not answer in time is UnexpectedLambdaException, and the pool keeps answering meanwhile', async () => {
    for (const name of ['spin', 'never']) {
      const setup = await triggerPool({ PreSignUp: name });
      const started = Date.now();
      const attempt = failure(signUp(setup, `slow-${name}`));
      // While the function spins (a busy loop in its own thread), other calls are answered at once.
      const meanwhile = Date.now();
      await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: setup.poolId }));
      expect(Date.now() - meanwhile).toBeLessThan(TIMEOUT_MS);
      expect(await attempt).toEqual({
        name: 'UnexpectedLambdaException',
        message: 'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
      });
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(took).toBeLessThan(TIMEOUT_MS + 3000);
      // A new sandbox takes the next call (the timed-out one was stopped), and times out as well.
      expect(await failure(signUp(setup, `slow-${name}-2`))).toMatchObject({ name: 'UnexpectedLambdaException' });
    }
  });

  it('an answer that is not the event, or an event without response, is InvalidLambdaResponseException', async () => {
    for (const name of ['bad-output', 'no-response']) {
      const setup = await triggerPool({ PreSignUp: name });
      expect(await failure(signUp(setup, `bad-${name}`))).toEqual({ name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' });
    }
    const typed = await triggerPool({ PreSignUp: 'wrong-type' });
    expect(await failure(signUp(typed, 'typed'))).toEqual({ name: 'InvalidLambdaResponseException', message: 'Invalid lambda function output : Invalid JSON' });
  });

  it('a changed function file is loaded afresh (a redeploy), without restarting the pool', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authchart-functions-'));
    const other = await startPool({ functions: dir, lambdaTimeoutMs: TIMEOUT_MS });
    try {
      copyFileSync(join(FUNCTIONS, 'record.mjs'), join(dir, 'deployed.mjs'));
      copyFileSync(join(FUNCTIONS, '_record.mjs'), join(dir, '_record.mjs'));
      const setup = await createPoolAndClient(other.sdk, { LambdaConfig: { PreSignUp: arn('deployed') } });
      const send = (name: string) =>
        other.sdk.send(new SignUpCommand({ ClientId: setup.clientId, Username: name, Password: STRONG_PASSWORD, UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }] }));
      expect((await send('before')).UserConfirmed).toBe(false);
      const file = join(dir, 'deployed.mjs');
      writeFileSync(file, 'export const handler = async (event) => { event.response.autoConfirmUser = true; return event; };\n');
      const later = new Date(Date.now() + 5000);
      utimesSync(file, later, later);
      expect((await send('after')).UserConfirmed).toBe(true);
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a pool started without a functions directory answers a configured trigger with UnexpectedLambdaException', async () => {
    const bare = await startPool();
    try {
      const setup = await createPoolAndClient(bare.sdk, { LambdaConfig: { PreSignUp: arn('record') } });
      expect(
        await failure(bare.sdk.send(new SignUpCommand({ ClientId: setup.clientId, Username: 'x', Password: STRONG_PASSWORD, UserAttributes: [{ Name: 'email', Value: 'x@example.com' }] }))),
      ).toMatchObject({ name: 'UnexpectedLambdaException' });
    } finally {
      await bare.close();
    }
  });
});

// ---------- LambdaConfig ----------

describe('LambdaConfig', () => {
  it('takes ARNs only, and describes PreTokenGeneration and PreTokenGenerationConfig together', async () => {
    expect(await failure(h.sdk.send(new CreateUserPoolCommand({ PoolName: 'bad', LambdaConfig: { PreSignUp: 'pre-sign-up' } })))).toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining("Value at 'preSignUp' failed to satisfy constraint"),
    });
    const created = await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'ok', LambdaConfig: { PreTokenGeneration: arn('pre-token-v1') } }));
    expect(created.UserPool!.LambdaConfig).toEqual({
      PreTokenGeneration: arn('pre-token-v1'),
      PreTokenGenerationConfig: { LambdaVersion: 'V1_0', LambdaArn: arn('pre-token-v1') },
    });
    expect(
      await failure(
        h.sdk.send(
          new UpdateUserPoolCommand({
            UserPoolId: created.UserPool!.Id!,
            LambdaConfig: { PreTokenGeneration: arn('a-function'), PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: arn('another') } },
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
  });

  it('access token customisation (V2_0) needs the ESSENTIALS or PLUS feature plan', async () => {
    expect(
      await failure(
        h.sdk.send(
          new CreateUserPoolCommand({
            PoolName: 'lite',
            UserPoolTier: 'LITE',
            LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: arn('pre-token-v2') } },
          }),
        ),
      ),
    ).toMatchObject({ name: 'FeatureUnavailableInTierException' });
  });
});

// ---------- sign-up and confirmation ----------

describe('PreSignUp and PostConfirmation', () => {
  it('PreSignUp may confirm the user and verify its address: no code is sent, PostConfirmation follows, and the user signs in', async () => {
    const setup = await triggerPool({ PreSignUp: 'pre-sign-up', PostConfirmation: 'record' }, { AutoVerifiedAttributes: ['email'] });
    const out = await signUp(setup, 'auto', { validation: { confirm: 'yes', verify: 'email' }, metadata: { via: 'signup' } });
    expect(out).toMatchObject({ UserConfirmed: true });
    expect(out.CodeDeliveryDetails).toBeUndefined();
    expect(h.pool.outbox({ username: 'auto' })).toEqual([]);
    expect(await userStatus(setup, 'auto')).toBe('CONFIRMED');
    expect(await attributesOf(setup, 'auto')).toMatchObject({ email: 'auto@example.com', email_verified: 'true' });
    const { event } = only('PostConfirmation_ConfirmSignUp');
    expect(event.request).toEqual({
      userAttributes: { sub: out.UserSub, email: 'auto@example.com', email_verified: 'true', 'cognito:user_status': 'CONFIRMED' },
      clientMetadata: { via: 'signup' },
    });
    expect(event.response).toEqual({});
    expect((await passwordSignIn(h.sdk, setup, 'auto', STRONG_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('an auto-confirmed sign-up on a USER_AUTH client answers a Session that signs the user in', async () => {
    const setup = await triggerPool(
      { PreSignUp: 'pre-sign-up' },
      {},
      { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    );
    const out = await signUp(setup, 'quick', { validation: { confirm: 'yes' } });
    expect(out).toMatchObject({ UserConfirmed: true, Session: expect.any(String) });
    const signedIn = await h.sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: 'quick' }, Session: out.Session! }),
    );
    expect(signedIn.AuthenticationResult?.IdToken).toBeDefined();
  });

  it('without auto-confirm the user waits for its code; ConfirmSignUp then calls PostConfirmation', async () => {
    const setup = await triggerPool({ PreSignUp: 'pre-sign-up', PostConfirmation: 'record' }, { AutoVerifiedAttributes: ['email'] });
    const out = await signUp(setup, 'waits', { validation: { verify: 'phone' } }).catch((e: Error) => e);
    // autoVerifyPhone for a user without a phone number is refused.
    expect(out).toMatchObject({ name: 'InvalidParameterException' });
    await signUp(setup, 'waits');
    expect(await userStatus(setup, 'waits')).toBe('UNCONFIRMED');
    expect(recorded('PostConfirmation_ConfirmSignUp')).toEqual([]);
    await h.sdk.send(new ConfirmSignUpCommand({ ClientId: setup.clientId, Username: 'waits', ConfirmationCode: lastCode(h.pool, 'waits'), ClientMetadata: { step: 'confirm' } }));
    const { event } = only('PostConfirmation_ConfirmSignUp');
    expect(event).toMatchObject({ userName: 'waits', callerContext: { clientId: setup.clientId } });
    expect(event.request).toMatchObject({ userAttributes: { email_verified: 'true', 'cognito:user_status': 'CONFIRMED' }, clientMetadata: { step: 'confirm' } });
  });

  it('a PostConfirmation error is answered, and the confirmation stays (as in Cognito)', async () => {
    const setup = await triggerPool({ PostConfirmation: 'refuse' }, { AutoVerifiedAttributes: ['email'] });
    await signUp(setup, 'pc');
    expect(await failure(h.sdk.send(new ConfirmSignUpCommand({ ClientId: setup.clientId, Username: 'pc', ConfirmationCode: lastCode(h.pool, 'pc') })))).toEqual({
      name: 'UserLambdaValidationException',
      message: 'PostConfirmation failed with error Not today, pc.',
    });
    expect(await userStatus(setup, 'pc')).toBe('CONFIRMED');
  });

  it('AdminCreateUser calls PreSignUp_AdminCreateUser with no app client, and its auto-confirm does not apply', async () => {
    const setup = await triggerPool({ PreSignUp: 'pre-sign-up' });
    await h.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: setup.poolId,
        Username: 'invited',
        TemporaryPassword: STRONG_PASSWORD,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'invited@example.com' }],
        ValidationData: [{ Name: 'confirm', Value: 'yes' }],
        ClientMetadata: { by: 'admin' },
      }),
    );
    const { event } = only('PreSignUp_AdminCreateUser');
    expect(event.callerContext.clientId).toBe('CLIENT_ID_NOT_APPLICABLE');
    expect(event.request).toEqual({ userAttributes: { email: 'invited@example.com' }, validationData: { confirm: 'yes' }, clientMetadata: { by: 'admin' } });
    expect(await userStatus(setup, 'invited')).toBe('FORCE_CHANGE_PASSWORD');
    expect(
      await failure(
        h.sdk.send(new AdminCreateUserCommand({ UserPoolId: setup.poolId, Username: 'refused', MessageAction: 'SUPPRESS', ValidationData: [{ Name: 'refuse', Value: 'yes' }] })),
      ),
    ).toMatchObject({ name: 'UserLambdaValidationException' });
  });

  it('ConfirmForgotPassword calls PostConfirmation_ConfirmForgotPassword', async () => {
    const setup = await triggerPool({ PostConfirmation: 'record' });
    await createUser(h.sdk, setup.poolId, 'forgetful', STRONG_PASSWORD, { attributes: { email: 'forgetful@example.com', email_verified: 'true' } });
    await h.sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: 'forgetful' }));
    await h.sdk.send(
      new ConfirmForgotPasswordCommand({ ClientId: setup.clientId, Username: 'forgetful', ConfirmationCode: lastCode(h.pool, 'forgetful'), Password: 'Another!pass1' }),
    );
    expect(only('PostConfirmation_ConfirmForgotPassword').event.request['userAttributes']).toMatchObject({ email: 'forgetful@example.com' });
  });

  it('two sign-ups of one name while PreSignUp runs: one user, the other is told the name is taken', async () => {
    const setup = await triggerPool({ PreSignUp: 'slow' });
    const outcomes = await Promise.allSettled([signUp(setup, 'twin'), signUp(setup, 'twin')]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ name: 'UsernameExistsException' });
  });
});

// ---------- sign-in ----------

describe('PreAuthentication and PostAuthentication', () => {
  it('PreAuthentication gets InitiateAuth ClientMetadata as validationData; its error refuses USER_PASSWORD_AUTH and SRP sign-ins', async () => {
    const recording = await triggerPool({ PreAuthentication: 'record' });
    await createUser(h.sdk, recording.poolId, 'pam', STRONG_PASSWORD, { attributes: { email: 'pam@example.com' } });
    await h.sdk.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: recording.clientId,
        AuthParameters: { USERNAME: 'pam', PASSWORD: STRONG_PASSWORD },
        ClientMetadata: { device: 'kiosk' },
      }),
    );
    const { event } = only('PreAuthentication_Authentication');
    expect(event.userName).toBe('pam');
    expect(event.request).toEqual({
      userAttributes: { sub: expect.any(String), email: 'pam@example.com', 'cognito:user_status': 'CONFIRMED' },
      validationData: { device: 'kiosk' },
    });
    expect(event.response).toEqual({});

    const refusing = await triggerPool({ PreAuthentication: 'refuse' });
    await createUser(h.sdk, refusing.poolId, 'pam', STRONG_PASSWORD);
    const refused = { name: 'UserLambdaValidationException', message: 'PreAuthentication failed with error Not today, pam.' };
    expect(await failure(passwordSignIn(h.sdk, refusing, 'pam', STRONG_PASSWORD))).toEqual(refused);
    expect(await failure(srpSignIn(h.sdk, refusing, 'pam', STRONG_PASSWORD, new Date(h.clock.now())))).toEqual(refused);
  });

  it('with PreventUserExistenceErrors ENABLED an unknown name reaches PreAuthentication with userNotFound', async () => {
    const setup = await triggerPool({ PreAuthentication: 'record' }, {}, { PreventUserExistenceErrors: 'ENABLED' });
    await createUser(h.sdk, setup.poolId, 'known', STRONG_PASSWORD);
    expect(await failure(passwordSignIn(h.sdk, setup, 'stranger', STRONG_PASSWORD))).toMatchObject({ name: 'NotAuthorizedException' });
    await passwordSignIn(h.sdk, setup, 'known', STRONG_PASSWORD);
    expect(recorded('PreAuthentication_Authentication').map((r) => [r.event.userName, r.event.request['userNotFound']])).toEqual([
      ['stranger', true],
      ['known', false],
    ]);
  });

  it('PostAuthentication runs once the sign-in is proven (after MFA), with RespondToAuthChallenge ClientMetadata; its error means no tokens', async () => {
    const setup = await triggerPool({ PostAuthentication: 'record' });
    await setPoolMfa(h.sdk, setup.poolId, 'ON');
    await createUser(h.sdk, setup.poolId, 'mia', STRONG_PASSWORD, { attributes: { phone_number: '+15555550100', phone_number_verified: 'true' } });
    const challenge = await passwordSignIn(h.sdk, setup, 'mia', STRONG_PASSWORD);
    expect(challenge.ChallengeName).toBe('SMS_MFA');
    expect(recorded('PostAuthentication_Authentication')).toEqual([]);
    const done = await h.sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: setup.clientId,
        ChallengeName: 'SMS_MFA',
        Session: challenge.Session!,
        ChallengeResponses: { USERNAME: 'mia', SMS_MFA_CODE: lastCode(h.pool, 'mia') },
        ClientMetadata: { screen: 'mfa' },
      }),
    );
    expect(done.AuthenticationResult?.IdToken).toBeDefined();
    expect(only('PostAuthentication_Authentication').event.request).toEqual({
      userAttributes: expect.objectContaining({ phone_number: '+15555550100', 'cognito:user_status': 'CONFIRMED' }),
      newDeviceUsed: false,
      clientMetadata: { screen: 'mfa' },
    });

    const refusing = await triggerPool({ PostAuthentication: 'refuse' });
    await createUser(h.sdk, refusing.poolId, 'mia', STRONG_PASSWORD);
    expect(await failure(passwordSignIn(h.sdk, refusing, 'mia', STRONG_PASSWORD))).toEqual({
      name: 'UserLambdaValidationException',
      message: 'PostAuthentication failed with error Not today, mia.',
    });
  });

  it('a user disabled while PostAuthentication runs gets no tokens (the pool looks again after the await)', async () => {
    const setup = await triggerPool({ PostAuthentication: 'slow' });
    await createUser(h.sdk, setup.poolId, 'dora', STRONG_PASSWORD);
    const signingIn = failure(passwordSignIn(h.sdk, setup, 'dora', STRONG_PASSWORD));
    await waitFor(() => recorded('PostAuthentication_Authentication').length === 1);
    await h.sdk.send(new AdminDisableUserCommand({ UserPoolId: setup.poolId, Username: 'dora' }));
    // Only now may the function answer.
    writeFileSync(`${recordFile}.release`, '');
    expect(await signingIn).toEqual({ name: 'NotAuthorizedException', message: 'User is disabled.' });
  });
});

// ---------- tokens ----------

const claimsOf = (tokens: { IdToken?: string | undefined; AccessToken?: string | undefined } | undefined) => ({
  id: decodeJwt(tokens!.IdToken!),
  access: decodeJwt(tokens!.AccessToken!),
});

describe('PreTokenGeneration', () => {
  it('V1_0 changes ID token claims (not the fixed ones) and the groups of both tokens, at sign-in and at refresh', async () => {
    const setup = await triggerPool({ PreTokenGeneration: 'pre-token-v1' });
    await createUser(h.sdk, setup.poolId, 'tess', STRONG_PASSWORD, { attributes: { email: 'tess@example.com', family_name: 'Original' } });
    const signedIn = await passwordSignIn(h.sdk, setup, 'tess', STRONG_PASSWORD);
    const { id, access } = claimsOf(signedIn.AuthenticationResult);
    expect(id).toMatchObject({
      tier: 'gold',
      family_name: 'Overridden',
      'cognito:username': 'tess',
      token_use: 'id',
      'cognito:groups': ['admins', 'readers'],
      'cognito:roles': ['arn:aws:iam::123456789012:role/reader'],
      'cognito:preferred_role': 'arn:aws:iam::123456789012:role/reader',
    });
    expect(id['email']).toBeUndefined();
    expect(id['sub']).toBe(access['sub']);
    expect(id['sub']).not.toBe('not-allowed');
    expect(access['cognito:groups']).toEqual(['admins', 'readers']);
    expect(access['tier']).toBeUndefined();
    const { event } = only('TokenGeneration_Authentication');
    expect(event.version).toBe('1');
    expect(event.request).toEqual({
      userAttributes: expect.objectContaining({ email: 'tess@example.com', 'cognito:user_status': 'CONFIRMED' }),
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
    });
    expect(event.response).toEqual({ claimsOverrideDetails: null });

    const refreshed = await h.sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: setup.clientId, AuthParameters: { REFRESH_TOKEN: signedIn.AuthenticationResult!.RefreshToken! } }),
    );
    expect(claimsOf(refreshed.AuthenticationResult).id).toMatchObject({ tier: 'gold' });
    expect(only('TokenGeneration_RefreshTokens').event.userName).toBe('tess');
  });

  it('after NEW_PASSWORD_REQUIRED the triggerSource is TokenGeneration_NewPasswordChallenge', async () => {
    const setup = await triggerPool({ PreTokenGeneration: 'pre-token-v1' });
    await createUser(h.sdk, setup.poolId, 'newbie', STRONG_PASSWORD, { temporary: true });
    const challenge = await passwordSignIn(h.sdk, setup, 'newbie', STRONG_PASSWORD);
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const done = await respond(h.sdk, setup, 'NEW_PASSWORD_REQUIRED', challenge.Session, { USERNAME: 'newbie', NEW_PASSWORD: 'Brand!new1pass' });
    expect(claimsOf(done.AuthenticationResult).id).toMatchObject({ tier: 'gold' });
    expect(recorded().map((r) => r.event.triggerSource)).toEqual(['TokenGeneration_NewPasswordChallenge']);
  });

  it('V2_0 changes ID and access token claims (any JSON) and the access token scopes', async () => {
    const setup = await triggerPool({}, { LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: arn('pre-token-v2') } } });
    await createUser(h.sdk, setup.poolId, 'vic', STRONG_PASSWORD, { attributes: { email: 'vic@example.com', name: 'Vic' } });
    const { id, access } = claimsOf((await passwordSignIn(h.sdk, setup, 'vic', STRONG_PASSWORD)).AuthenticationResult);
    expect(id).toMatchObject({ tier: 'gold', plan: { seats: 3, trial: false }, name: 'Vic' });
    expect(id['email']).toBeUndefined();
    expect(access).toMatchObject({ tenant: 'acme', features: ['export', 'share'], token_use: 'access', scope: 'aws.cognito.signin.user.admin orders/read' });
    expect(access['jti']).toEqual(expect.any(String));
    const { event } = only('TokenGeneration_Authentication');
    expect(event.version).toBe('2');
    expect(event.request).toMatchObject({ scopes: ['aws.cognito.signin.user.admin'], groupConfiguration: { groupsToOverride: [] } });
    expect(event.response).toEqual({ claimsAndScopeOverrideDetails: null });
  });

  it('an access token whose function took aws.cognito.signin.user.admin away cannot call GetUser', async () => {
    const setup = await triggerPool({}, { LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: arn('pre-token-v2') } } });
    await createUser(h.sdk, setup.poolId, 'no-admin-scope', STRONG_PASSWORD);
    const tokens = (await passwordSignIn(h.sdk, setup, 'no-admin-scope', STRONG_PASSWORD)).AuthenticationResult!;
    expect(claimsOf(tokens).access['scope']).toBe('orders/read orders/write');
    expect(await failure(h.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken! })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Access Token does not have required scopes',
    });
  });

  it('a PreTokenGeneration error means no tokens', async () => {
    const setup = await triggerPool({ PreTokenGeneration: 'refuse' });
    await createUser(h.sdk, setup.poolId, 'ted', STRONG_PASSWORD);
    expect(await failure(passwordSignIn(h.sdk, setup, 'ted', STRONG_PASSWORD))).toEqual({
      name: 'UserLambdaValidationException',
      message: 'PreTokenGeneration failed with error Not today, ted.',
    });
  });
});

// ---------- messages ----------

describe('CustomMessage', () => {
  const texts = (source: string, code: string, username?: string) => {
    const who = username ? ` for ${username}` : '';
    return { email: `<p>[${source}] Your code${who} is <b>${code}</b></p>`, subject: `Subject of ${source}`, sms: `[${source}] ${code}${who}` };
  };

  /** The newest outbox message to `username`, checked against the function's text with its code in. */
  function expectCustomised(username: string, source: string, medium: 'EMAIL' | 'SMS' = 'EMAIL', invitedAs?: string) {
    const message = h.pool.outbox({ username }).at(-1)!;
    expect(message.code).toMatch(/\S/);
    const expected = texts(source, message.code!, invitedAs);
    if (medium === 'EMAIL') expect(message).toMatchObject({ medium, subject: expected.subject, message: expected.email });
    else expect(message).toMatchObject({ medium, message: expected.sms });
    const { event } = recorded(source).at(-1)!;
    expect(event.request).toMatchObject({ codeParameter: '{####}', linkParameter: '{##Click Here##}', usernameParameter: invitedAs ? '{username}' : null });
    expect(event.response).toEqual({ smsMessage: null, emailMessage: null, emailSubject: null });
    return event;
  }

  it('writes the sign-up, resend, forgot-password and admin reset messages; the pool puts the code in', async () => {
    const setup = await triggerPool({ CustomMessage: 'custom-message' }, { AutoVerifiedAttributes: ['email'] });
    await signUp(setup, 'cm', { metadata: { lang: 'en' } });
    const signUpEvent = expectCustomised('cm', 'CustomMessage_SignUp');
    expect(signUpEvent.request).toMatchObject({ userAttributes: { email: 'cm@example.com', 'cognito:user_status': 'UNCONFIRMED' }, clientMetadata: { lang: 'en' } });
    await h.sdk.send(new ResendConfirmationCodeCommand({ ClientId: setup.clientId, Username: 'cm' }));
    expectCustomised('cm', 'CustomMessage_ResendCode');
    // The code in the message is the one that works.
    await h.sdk.send(new ConfirmSignUpCommand({ ClientId: setup.clientId, Username: 'cm', ConfirmationCode: lastCode(h.pool, 'cm') }));
    await h.sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: 'cm' }));
    expectCustomised('cm', 'CustomMessage_ForgotPassword');
    await h.sdk.send(new AdminResetUserPasswordCommand({ UserPoolId: setup.poolId, Username: 'cm' }));
    expect(expectCustomised('cm', 'CustomMessage_ForgotPassword').callerContext.clientId).toBe('CLIENT_ID_NOT_APPLICABLE');
  });

  it('writes the invitation with both the username and the temporary password', async () => {
    const setup = await triggerPool({ CustomMessage: 'custom-message' });
    await h.sdk.send(
      new AdminCreateUserCommand({ UserPoolId: setup.poolId, Username: 'ivy', TemporaryPassword: STRONG_PASSWORD, UserAttributes: [{ Name: 'email', Value: 'ivy@example.com' }], DesiredDeliveryMediums: ['EMAIL'] }),
    );
    expectCustomised('ivy', 'CustomMessage_AdminCreateUser', 'EMAIL', 'ivy');
    expect(h.pool.outbox({ username: 'ivy' }).at(-1)!.message).toContain(STRONG_PASSWORD);
  });

  it('writes the attribute update and verification messages', async () => {
    const setup = await triggerPool({ CustomMessage: 'custom-message' }, { AutoVerifiedAttributes: ['email'] });
    await createUser(h.sdk, setup.poolId, 'una', STRONG_PASSWORD, { attributes: { email: 'una@example.com', email_verified: 'true' } });
    const { AccessToken } = (await passwordSignIn(h.sdk, setup, 'una', STRONG_PASSWORD)).AuthenticationResult!;
    await h.sdk.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: 'una.new@example.com' }] }));
    expectCustomised('una', 'CustomMessage_UpdateUserAttribute');
    await h.sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' }));
    expectCustomised('una', 'CustomMessage_VerifyUserAttribute');
    await h.sdk.send(new AdminUpdateUserAttributesCommand({ UserPoolId: setup.poolId, Username: 'una', UserAttributes: [{ Name: 'email', Value: 'una.third@example.com' }] }));
    expect(expectCustomised('una', 'CustomMessage_UpdateUserAttribute').callerContext.clientId).toBe('CLIENT_ID_NOT_APPLICABLE');
  });

  it('writes the MFA codes of a sign-in (SMS and e-mail)', async () => {
    const setup = await triggerPool({ CustomMessage: 'custom-message' });
    await setPoolMfa(h.sdk, setup.poolId, 'ON');
    await createUser(h.sdk, setup.poolId, 'sam', STRONG_PASSWORD, { attributes: { phone_number: '+15555550123', phone_number_verified: 'true' } });
    const challenge = await passwordSignIn(h.sdk, setup, 'sam', STRONG_PASSWORD);
    expect(challenge.ChallengeName).toBe('SMS_MFA');
    expectCustomised('sam', 'CustomMessage_Authentication', 'SMS');
    const done = await respond(h.sdk, setup, 'SMS_MFA', challenge.Session, { USERNAME: 'sam', SMS_MFA_CODE: lastCode(h.pool, 'sam') });
    expect(done.AuthenticationResult).toBeDefined();

    await createUser(h.sdk, setup.poolId, 'eve', STRONG_PASSWORD, { attributes: { email: 'eve@example.com', email_verified: 'true' } });
    await h.sdk.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: setup.poolId, Username: 'eve', EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
    expect((await passwordSignIn(h.sdk, setup, 'eve', STRONG_PASSWORD)).ChallengeName).toBe('EMAIL_OTP');
    expectCustomised('eve', 'CustomMessage_Authentication', 'EMAIL');
  });

  it('a text without the code placeholder is InvalidLambdaResponseException, and nothing is sent', async () => {
    const setup = await triggerPool({ CustomMessage: 'custom-message' }, { AutoVerifiedAttributes: ['email'] });
    await signUp(setup, 'nocode');
    const sent = h.pool.outbox({ username: 'nocode' }).length;
    expect(await failure(h.sdk.send(new ResendConfirmationCodeCommand({ ClientId: setup.clientId, Username: 'nocode', ClientMetadata: { forget: 'code' } })))).toEqual({
      name: 'InvalidLambdaResponseException',
      message: 'Unrecognizable lambda output',
    });
    expect(h.pool.outbox({ username: 'nocode' })).toHaveLength(sent);
  });
});

// ---------- custom authentication ----------

const QUIZ = { DefineAuthChallenge: 'quiz-define', CreateAuthChallenge: 'quiz-create', VerifyAuthChallengeResponse: 'quiz-verify' } as const;
const srpEngine = createOpenSslEngine();

const startCustom = (setup: Setup, username: string) =>
  h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'CUSTOM_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: username } }));

async function startCustomSrp(setup: Setup, username: string) {
  const srp = new CognitoSrpClient(setup.poolId, srpEngine);
  const ephemeral = srp.createEphemeral();
  const response = await h.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'CUSTOM_AUTH',
      ClientId: setup.clientId,
      AuthParameters: { USERNAME: username, SRP_A: ephemeral.A.toString(16), CHALLENGE_NAME: 'SRP_A' },
    }),
  );
  return { srp, ephemeral, response };
}

const answer = (setup: Setup, challenge: { Session?: string | undefined; ChallengeParameters?: Record<string, string> | undefined }, text: string, metadata?: Record<string, string>) =>
  h.sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: setup.clientId,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: challenge.Session!,
      ChallengeResponses: { USERNAME: challenge.ChallengeParameters!['USERNAME']!, ANSWER: text },
      ...(metadata ? { ClientMetadata: metadata } : {}),
    }),
  );

const defineSessions = () => recorded('DefineAuthChallenge_Authentication').map((r) => r.event.request['session']);

describe('CUSTOM_AUTH', () => {
  it('without SRP: rounds of CUSTOM_CHALLENGE until DefineAuthChallenge issues tokens, each round a new single-use Session', async () => {
    const setup = await triggerPool({ ...QUIZ, PreAuthentication: 'record' });
    await createUser(h.sdk, setup.poolId, 'quinn', STRONG_PASSWORD, { attributes: { email: 'quinn@example.com' } });
    const first = await startCustom(setup, 'quinn');
    expect(first).toMatchObject({
      ChallengeName: 'CUSTOM_CHALLENGE',
      ChallengeParameters: { question: 'What is the capital of France?', round: '0', USERNAME: 'quinn' },
    });
    expect(recorded('PreAuthentication_Authentication')).toHaveLength(1);
    const retry = await answer(setup, first, 'London', { from: 'quiz' });
    expect(retry).toMatchObject({ ChallengeName: 'CUSTOM_CHALLENGE', ChallengeParameters: { question: 'What is the capital of France?', round: '1' } });
    expect(retry.Session).not.toBe(first.Session);
    expect(await failure(answer(setup, first, 'Paris'))).toEqual({ name: 'NotAuthorizedException', message: 'Invalid session for the user, session can only be used once.' });
    const second = await answer(setup, retry, ' Paris ');
    expect(second.ChallengeParameters).toMatchObject({ question: 'What is 2 + 3?' });
    const done = await answer(setup, second, '5');
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
    expect(decodeJwt(done.AuthenticationResult!.IdToken!)['cognito:username']).toBe('quinn');

    expect(defineSessions()).toEqual([
      [],
      [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'QUESTION-1' }],
      [
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'QUESTION-1' },
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'QUESTION-1' },
      ],
      [
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'QUESTION-1' },
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'QUESTION-1' },
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'QUESTION-2' },
      ],
    ]);
    const define = recorded('DefineAuthChallenge_Authentication')[0]!.event;
    expect(define).toMatchObject({ version: '1', userName: 'quinn', callerContext: { clientId: setup.clientId } });
    expect(define.request['userAttributes']).toMatchObject({ email: 'quinn@example.com', 'cognito:user_status': 'CONFIRMED' });
    expect(define.request['userNotFound']).toBeUndefined();
    expect(define.response).toEqual({ challengeName: null, issueTokens: null, failAuthentication: null });
    const create = recorded('CreateAuthChallenge_Authentication')[0]!.event;
    expect(create.request).toMatchObject({ challengeName: 'CUSTOM_CHALLENGE', session: [] });
    expect(create.response).toEqual({ publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null });
    const verify = recorded('VerifyAuthChallengeResponse_Authentication')[0]!.event;
    expect(verify.request).toMatchObject({ privateChallengeParameters: { answer: 'paris' }, challengeAnswer: 'London', clientMetadata: { from: 'quiz' } });
    expect(verify.response).toEqual({ answerCorrect: null });
  });

  it('a failed final round ends the attempt: Incorrect username or password, and its Session is spent', async () => {
    const setup = await triggerPool(QUIZ);
    await createUser(h.sdk, setup.poolId, 'wes', STRONG_PASSWORD);
    const first = await startCustom(setup, 'wes');
    const second = await answer(setup, first, 'Rome');
    expect(await failure(answer(setup, second, 'Madrid'))).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect(await failure(answer(setup, second, 'Paris'))).toEqual({ name: 'NotAuthorizedException', message: 'Invalid session for the user, session can only be used once.' });
    // Custom failures do not lock the account (as in Cognito): the password still signs in.
    expect((await passwordSignIn(h.sdk, setup, 'wes', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('a round expires with the Session (AuthSessionValidity), and survives a restart of the pool before that', async () => {
    const setup = await triggerPool(QUIZ);
    await createUser(h.sdk, setup.poolId, 'rex', STRONG_PASSWORD);
    const first = await startCustom(setup, 'rex');
    h = await h.restart();
    const second = await answer(setup, first, 'paris');
    expect(second.ChallengeParameters).toMatchObject({ question: 'What is 2 + 3?' });
    h.clock.advance(3 * 60_000 + 1);
    expect(await failure(answer(setup, second, '5'))).toEqual({ name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' });
  });

  it('with SRP: CHALLENGE_NAME=SRP_A gets the built-in PASSWORD_VERIFIER first, then the custom rounds', async () => {
    const setup = await triggerPool(QUIZ);
    await createUser(h.sdk, setup.poolId, 'sara', STRONG_PASSWORD);
    const started = await startCustomSrp(setup, 'sara');
    expect(started.response.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(Object.keys(started.response.ChallengeParameters!).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
    expect(defineSessions()).toEqual([[{ challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null }]]);
    expect(recorded('CreateAuthChallenge_Authentication')).toEqual([]);
    const custom = await answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, new Date(h.clock.now()));
    expect(custom).toMatchObject({ ChallengeName: 'CUSTOM_CHALLENGE', ChallengeParameters: { question: 'What is the capital of France?', round: '2', USERNAME: 'sara' } });
    expect(defineSessions()[1]).toEqual([
      { challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null },
      { challengeName: 'PASSWORD_VERIFIER', challengeResult: true, challengeMetadata: null },
    ]);
    const done = await answer(setup, await answer(setup, custom, 'paris'), '5');
    expect(done.AuthenticationResult?.RefreshToken).toBeDefined();
  });

  it('with SRP, a wrong password ends the attempt at PASSWORD_VERIFIER (no further round)', async () => {
    const setup = await triggerPool(QUIZ);
    await createUser(h.sdk, setup.poolId, 'sid', STRONG_PASSWORD);
    const started = await startCustomSrp(setup, 'sid');
    expect(await failure(answerVerifier(h.sdk, setup, started, 'Wrong!pass1', new Date(h.clock.now())))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect(defineSessions()).toHaveLength(1);
  });

  it("after the custom rounds the pool's own MFA still applies", async () => {
    const setup = await triggerPool(QUIZ);
    await setPoolMfa(h.sdk, setup.poolId, 'ON');
    await createUser(h.sdk, setup.poolId, 'max', STRONG_PASSWORD, { attributes: { phone_number: '+15555550199', phone_number_verified: 'true' } });
    const mfa = await answer(setup, await answer(setup, await startCustom(setup, 'max'), 'paris'), '5');
    expect(mfa.ChallengeName).toBe('SMS_MFA');
    const done = await respond(h.sdk, setup, 'SMS_MFA', mfa.Session, { USERNAME: 'max', SMS_MFA_CODE: lastCode(h.pool, 'max') });
    expect(done.AuthenticationResult).toBeDefined();
  });

  it('names that are no user: UserNotFoundException (LEGACY); with ENABLED the functions are told userNotFound and it fails in the end', async () => {
    const legacy = await triggerPool(QUIZ);
    expect(await failure(startCustom(legacy, 'nobody'))).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
    const hiding = await triggerPool(QUIZ, {}, { PreventUserExistenceErrors: 'ENABLED' });
    const first = await startCustom(hiding, 'nobody');
    expect(first).toMatchObject({ ChallengeName: 'CUSTOM_CHALLENGE', ChallengeParameters: { USERNAME: 'nobody' } });
    const second = await answer(hiding, first, 'paris');
    expect(await failure(answer(hiding, second, 'paris'))).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect(recorded('DefineAuthChallenge_Authentication').map((r) => [r.event.userName, r.event.request['userNotFound']])).toEqual([
      ['nobody', true],
      ['nobody', true],
      ['nobody', true],
    ]);
  });

  it('refused as Cognito refuses: no DefineAuthChallenge, a client without ALLOW_CUSTOM_AUTH, a failing function', async () => {
    const unconfigured = await triggerPool({});
    await createUser(h.sdk, unconfigured.poolId, 'una', STRONG_PASSWORD);
    expect(await failure(startCustom(unconfigured, 'una'))).toEqual({ name: 'NotAuthorizedException', message: 'Custom auth lambda trigger is not configured for the user pool.' });
    const noFlow = await triggerPool(QUIZ, {}, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    expect(await failure(startCustom(noFlow, 'una'))).toEqual({ name: 'InvalidParameterException', message: 'CUSTOM_AUTH flow not enabled for this client' });
    const failing = await triggerPool({ ...QUIZ, VerifyAuthChallengeResponse: 'refuse' });
    await createUser(h.sdk, failing.poolId, 'una', STRONG_PASSWORD);
    expect(await failure(answer(failing, await startCustom(failing, 'una'), 'paris'))).toEqual({
      name: 'UserLambdaValidationException',
      message: 'VerifyAuthChallengeResponse failed with error Not today, una.',
    });
  });
});

// ---------- migration ----------

describe('UserMigration', () => {
  it('a USER_PASSWORD_AUTH sign-in of a name the pool does not know creates the user from the function, with that password', async () => {
    const setup = await triggerPool({ UserMigration: 'migrate' });
    const signedIn = await h.sdk.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: setup.clientId,
        AuthParameters: { USERNAME: 'legacy-lee', PASSWORD: 'Legacy!pass1' },
        ClientMetadata: { from: 'old-app' },
      }),
    );
    expect(decodeJwt(signedIn.AuthenticationResult!.IdToken!)).toMatchObject({ 'cognito:username': 'legacy-lee', email: 'lee@legacy.example', email_verified: true });
    const { event } = only('UserMigration_Authentication');
    expect(event).toMatchObject({ version: '1', userName: 'legacy-lee', callerContext: { clientId: setup.clientId } });
    expect(event.request).toEqual({ password: 'Legacy!pass1', validationData: { from: 'old-app' } });
    expect(event.response).toEqual({
      userAttributes: null,
      forceAliasCreation: null,
      enableSMSMFA: null,
      finalUserStatus: null,
      messageAction: null,
      desiredDeliveryMediums: null,
    });
    expect(await userStatus(setup, 'legacy-lee')).toBe('CONFIRMED');
    // Now a user of the pool: the function is not asked again, and SRP works with the migrated password.
    expect((await srpSignIn(h.sdk, setup, 'legacy-lee', 'Legacy!pass1', new Date(h.clock.now()))).AuthenticationResult).toBeDefined();
    expect(recorded('UserMigration_Authentication')).toHaveLength(1);
  });

  it('a wrong legacy password or an unknown name creates nobody; RESET_REQUIRED means the user must reset first', async () => {
    const setup = await triggerPool({ UserMigration: 'migrate' });
    expect(await failure(passwordSignIn(h.sdk, setup, 'legacy-lee', 'Wrong!pass1'))).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
    expect(await failure(passwordSignIn(h.sdk, setup, 'someone-else', 'Whatever!1'))).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
    expect(await failure(passwordSignIn(h.sdk, setup, 'legacy-rita', 'Legacy!pass2'))).toEqual({
      name: 'PasswordResetRequiredException',
      message: 'Password reset required for the user',
    });
    expect(await userStatus(setup, 'legacy-rita')).toBe('RESET_REQUIRED');
  });

  it('ForgotPassword for a name the pool does not know migrates the user (no password) and sends the reset code', async () => {
    const setup = await triggerPool({ UserMigration: 'migrate' });
    const sent = await h.sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: 'legacy-rita', ClientMetadata: { reason: 'forgot' } }));
    expect(sent.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(only('UserMigration_ForgotPassword').event.request).toEqual({ validationData: null, clientMetadata: { reason: 'forgot' } });
    await h.sdk.send(
      new ConfirmForgotPasswordCommand({ ClientId: setup.clientId, Username: 'legacy-rita', ConfirmationCode: lastCode(h.pool, 'legacy-rita'), Password: 'Fresh!start1' }),
    );
    expect((await passwordSignIn(h.sdk, setup, 'legacy-rita', 'Fresh!start1')).AuthenticationResult).toBeDefined();
  });
});

async function waitFor(condition: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
