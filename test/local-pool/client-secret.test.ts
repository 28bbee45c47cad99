// App clients with a secret, over HTTP with the AWS SDK: every operation that takes SECRET_HASH
// refuses it missing ("... configured with secret but SECRET_HASH was not received") and wrong ("Unable to
// verify secret hash ..."), and takes the right one: over the name as sent where the caller names
// the user, over the canonical username (USER_ID_FOR_SRP, a UUID in this email-as-username pool) in
// every challenge answer and in REFRESH_TOKEN_AUTH; the raw ClientSecret for GetTokensFromRefreshToken
// and RevokeToken. The hash is computed here with node:crypto, independently of the pool.
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  ConfirmDeviceCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  type InitiateAuthCommandOutput,
  type RespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSrpClient, cognitoTimestamp } from '../../src/cognito/srp.js';
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';
import { deviceClaim, deviceEphemeral, deviceVerifier } from '../support/device-srp.js';
import { STRONG_PASSWORD, createPoolAndClient, failure, lastCode, respond, setPoolMfa, signClaim, startPool, type PoolHarness, type Setup } from './support.js';

const FUNCTIONS = join(__dirname, 'functions');
const arn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const engine = createOpenSslEngine();

let h: PoolHarness;
let setup: Setup & { clientSecret: string };
/** The canonical usernames (subs) by e-mail. */
const canonical: Record<string, string> = {};

/** SECRET_HASH = Base64(HMAC-SHA256(key = client secret, message = username + client id)). */
const hashWith = (secret: string, clientId: string, username: string) => createHmac('sha256', secret).update(username + clientId).digest('base64');
const hash = (username: string) => hashWith(setup.clientSecret, setup.clientId, username);

// A SECRET_HASH / SecretHash left out, and the ClientSecret member left out: Cognito words them differently.
const notReceived = () => ({ name: 'NotAuthorizedException', message: `Client ${setup.clientId} is configured with secret but SECRET_HASH was not received` });
const secretNotReceived = () => ({ name: 'NotAuthorizedException', message: `Client ${setup.clientId} is configured for secret but secret was not received` });
const mismatch = () => ({ name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${setup.clientId}` });

/**
 * The same call without a hash, with a hash over another name, then with the hash over `name`:
 * the first two must be refused with Cognito's two errors (and change nothing); the last one's answer is returned.
 */
async function checksSecret<T>(send: (secretHash: string | undefined) => Promise<T>, name: string, wrongName = 'somebody-else'): Promise<T> {
  expect(await failure(send(undefined))).toEqual(notReceived());
  expect(await failure(send(hash(wrongName)))).toEqual(mismatch());
  return send(hash(name));
}

const withHash = (secretHash: string | undefined) => (secretHash === undefined ? {} : { SECRET_HASH: secretHash });
const withTopHash = (secretHash: string | undefined) => (secretHash === undefined ? {} : { SecretHash: secretHash });

async function adminUser(email: string, options: { temporary?: boolean; phone?: string } = {}): Promise<void> {
  await h.sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: setup.poolId,
      Username: email,
      TemporaryPassword: STRONG_PASSWORD,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
        ...(options.phone ? [{ Name: 'phone_number', Value: options.phone }, { Name: 'phone_number_verified', Value: 'true' }] : []),
      ],
    }),
  );
  if (!options.temporary) await h.sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: setup.poolId, Username: email, Password: STRONG_PASSWORD, Permanent: true }));
  if (options.phone) await h.sdk.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: setup.poolId, Username: email, SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
  canonical[email] = (await h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: email }))).Username!;
}

beforeAll(async () => {
  h = await startPool({ functions: FUNCTIONS });
  const LambdaConfig = { DefineAuthChallenge: arn('quiz-define'), CreateAuthChallenge: arn('quiz-create'), VerifyAuthChallengeResponse: arn('quiz-verify') };
  const created = await createPoolAndClient(
    h.sdk,
    {
      PoolName: 'secret',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      LambdaConfig,
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true },
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] } },
    },
    {
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_USER_AUTH'],
    },
  );
  setup = created as Setup & { clientSecret: string };
  await setPoolMfa(h.sdk, setup.poolId, 'OPTIONAL');
  await adminUser('dana@example.com');
  await adminUser('sam@example.com', { phone: '+15555550170' });
  await adminUser('nina@example.com', { temporary: true });
});
afterAll(() => h.close());

it('the hash formula matches the published check value', () => {
  expect(hashWith('example-client-secret', 'exampleclientid123', 'alice')).toBe('yf+sLJVXDxwUHzmSjwnHAgeQ3ZBxZjk7Vi8DlhG3+OQ=');
  expect(canonical['dana@example.com']).toMatch(/^[0-9a-f-]{36}$/);
});

describe('account operations hash the Username as sent', () => {
  it('SignUp, ResendConfirmationCode, ConfirmSignUp', async () => {
    const send = (Username: string) => (secretHash: string | undefined) =>
      h.sdk.send(new SignUpCommand({ ClientId: setup.clientId, Username, Password: STRONG_PASSWORD, UserAttributes: [{ Name: 'email', Value: Username }], ...withTopHash(secretHash) }));
    expect((await checksSecret(send('sid@example.com'), 'sid@example.com')).UserConfirmed).toBe(false);
    await checksSecret(
      (secretHash) => h.sdk.send(new ResendConfirmationCodeCommand({ ClientId: setup.clientId, Username: 'sid@example.com', ...withTopHash(secretHash) })),
      'sid@example.com',
    );
    const code = lastCode(h.pool, (await h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: 'sid@example.com' }))).Username!);
    await checksSecret(
      (secretHash) => h.sdk.send(new ConfirmSignUpCommand({ ClientId: setup.clientId, Username: 'sid@example.com', ConfirmationCode: code, ...withTopHash(secretHash) })),
      'sid@example.com',
    );
    expect((await h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: 'sid@example.com' }))).UserStatus).toBe('CONFIRMED');
  });

  it('ForgotPassword, ConfirmForgotPassword', async () => {
    await checksSecret(
      (secretHash) => h.sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: 'dana@example.com', ...withTopHash(secretHash) })),
      'dana@example.com',
    );
    const code = lastCode(h.pool, canonical['dana@example.com']!);
    await checksSecret(
      (secretHash) =>
        h.sdk.send(
          new ConfirmForgotPasswordCommand({ ClientId: setup.clientId, Username: 'dana@example.com', ConfirmationCode: code, Password: STRONG_PASSWORD, ...withTopHash(secretHash) }),
        ),
      'dana@example.com',
    );
  });

  it('the secret is checked before the user is looked up', async () => {
    const unknown = (secretHash?: string) => h.sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: 'nobody@example.com', ...withTopHash(secretHash) }));
    expect(await failure(unknown())).toEqual(notReceived());
    expect((await failure(unknown(hash('nobody@example.com')))).name).toBe('UserNotFoundException');
  });
});

describe('sign-in hashes the typed name at InitiateAuth, the canonical username after it', () => {
  const initiate = (AuthFlow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'CUSTOM_AUTH' | 'USER_AUTH', parameters: Record<string, string>) => (secretHash: string | undefined) =>
    h.sdk.send(new InitiateAuthCommand({ AuthFlow, ClientId: setup.clientId, AuthParameters: { ...parameters, ...withHash(secretHash) } }));
  const answer = (name: string, session: string | undefined, responses: Record<string, string>) => (secretHash: string | undefined) =>
    respond(h.sdk, setup, name, session, { ...responses, ...withHash(secretHash) });

  /** A challenge answer must hash the canonical name: the typed e-mail is a wrong hash. */
  const checksCanonical = <T>(send: (secretHash: string | undefined) => Promise<T>, email: string) => checksSecret(send, canonical[email]!, email);

  async function srpVerifier(email: string): Promise<{ srp: CognitoSrpClient; a: ReturnType<CognitoSrpClient['createEphemeral']>; started: InitiateAuthCommandOutput }> {
    const srp = new CognitoSrpClient(setup.poolId, engine);
    const a = srp.createEphemeral();
    const started = await checksSecret(initiate('USER_SRP_AUTH', { USERNAME: email, SRP_A: a.A.toString(16) }), email);
    expect(started.ChallengeParameters!['USER_ID_FOR_SRP']).toBe(canonical[email]);
    return { srp, a, started };
  }

  async function claim(email: string, v: Awaited<ReturnType<typeof srpVerifier>>, extra: Record<string, string> = {}): Promise<Record<string, string>> {
    const parameters = v.started.ChallengeParameters!;
    const timestamp = cognitoTimestamp(new Date(h.clock.now()));
    return {
      USERNAME: canonical[email]!,
      PASSWORD_CLAIM_SECRET_BLOCK: parameters['SECRET_BLOCK']!,
      PASSWORD_CLAIM_SIGNATURE: await signClaim(v.srp, v.a, parameters, STRONG_PASSWORD, timestamp),
      TIMESTAMP: timestamp,
      ...extra,
    };
  }

  it('USER_SRP_AUTH and PASSWORD_VERIFIER; then the device challenges (the new device confirmed first)', async () => {
    const v = await srpVerifier('dana@example.com');
    const done = await checksCanonical(answer('PASSWORD_VERIFIER', v.started.Session, await claim('dana@example.com', v)), 'dana@example.com');
    const tokens = done.AuthenticationResult!;
    const made = await deviceVerifier(tokens.NewDeviceMetadata!.DeviceKey!, tokens.NewDeviceMetadata!.DeviceGroupKey!);
    await h.sdk.send(new ConfirmDeviceCommand({ AccessToken: tokens.AccessToken!, DeviceKey: made.secret.deviceKey, DeviceSecretVerifierConfig: made.config }));

    const again = await srpVerifier('dana@example.com');
    const deviceChallenge = await answer('PASSWORD_VERIFIER', again.started.Session, await claim('dana@example.com', again, { DEVICE_KEY: made.secret.deviceKey }))(hash(canonical['dana@example.com']!));
    expect(deviceChallenge.ChallengeName).toBe('DEVICE_SRP_AUTH');
    const ephemeral = deviceEphemeral();
    const srpStep = { USERNAME: canonical['dana@example.com']!, DEVICE_KEY: made.secret.deviceKey, SRP_A: ephemeral.A.toString(16) };
    const verifier = await checksCanonical(answer('DEVICE_SRP_AUTH', deviceChallenge.Session, srpStep), 'dana@example.com');
    const proof = { USERNAME: canonical['dana@example.com']!, DEVICE_KEY: made.secret.deviceKey, ...(await deviceClaim(made.secret, ephemeral, verifier.ChallengeParameters!, new Date(h.clock.now()))) };
    expect((await checksCanonical(answer('DEVICE_PASSWORD_VERIFIER', verifier.Session, proof), 'dana@example.com')).AuthenticationResult).toBeDefined();
  });

  it('USER_PASSWORD_AUTH, then SMS_MFA', async () => {
    const mfa = await checksSecret(initiate('USER_PASSWORD_AUTH', { USERNAME: 'sam@example.com', PASSWORD: STRONG_PASSWORD }), 'sam@example.com');
    expect(mfa.ChallengeName).toBe('SMS_MFA');
    const code = lastCode(h.pool, canonical['sam@example.com']!);
    const done = await checksCanonical(answer('SMS_MFA', mfa.Session, { USERNAME: canonical['sam@example.com']!, SMS_MFA_CODE: code }), 'sam@example.com');
    expect(done.AuthenticationResult).toBeDefined();
  });

  it('NEW_PASSWORD_REQUIRED', async () => {
    const challenge = await initiate('USER_PASSWORD_AUTH', { USERNAME: 'nina@example.com', PASSWORD: STRONG_PASSWORD })(hash('nina@example.com'));
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const done = await checksCanonical(
      answer('NEW_PASSWORD_REQUIRED', challenge.Session, { USERNAME: canonical['nina@example.com']!, NEW_PASSWORD: 'N3w!permanent-pass' }),
      'nina@example.com',
    );
    expect(done.AuthenticationResult).toBeDefined();
  });

  it('USER_AUTH and SELECT_CHALLENGE', async () => {
    const select = await checksSecret(initiate('USER_AUTH', { USERNAME: 'dana@example.com' }), 'dana@example.com');
    expect(select.ChallengeName).toBe('SELECT_CHALLENGE');
    const done = await checksCanonical(
      answer('SELECT_CHALLENGE', select.Session, { USERNAME: canonical['dana@example.com']!, ANSWER: 'PASSWORD', PASSWORD: STRONG_PASSWORD }),
      'dana@example.com',
    );
    expect(done.AuthenticationResult).toBeDefined();
  });

  it('CUSTOM_AUTH and CUSTOM_CHALLENGE', async () => {
    const first: InitiateAuthCommandOutput | RespondToAuthChallengeCommandOutput = await checksSecret(initiate('CUSTOM_AUTH', { USERNAME: 'dana@example.com' }), 'dana@example.com');
    expect(first.ChallengeName).toBe('CUSTOM_CHALLENGE');
    const second = await checksCanonical(answer('CUSTOM_CHALLENGE', first.Session, { USERNAME: canonical['dana@example.com']!, ANSWER: 'Paris' }), 'dana@example.com');
    const done = await answer('CUSTOM_CHALLENGE', second.Session, { USERNAME: canonical['dana@example.com']!, ANSWER: '5' })(hash(canonical['dana@example.com']!));
    expect(done.AuthenticationResult).toBeDefined();
  });
});

describe('refresh and revocation', () => {
  let refreshToken: string;
  beforeAll(async () => {
    const out = await h.sdk.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: setup.clientId,
        AuthParameters: { USERNAME: 'dana@example.com', PASSWORD: STRONG_PASSWORD, SECRET_HASH: hash('dana@example.com') },
      }),
    );
    refreshToken = out.AuthenticationResult!.RefreshToken!;
  });

  it('REFRESH_TOKEN_AUTH hashes the token\'s username (the e-mail is a wrong hash)', async () => {
    const send = (secretHash: string | undefined) =>
      h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: setup.clientId, AuthParameters: { REFRESH_TOKEN: refreshToken, ...withHash(secretHash) } }));
    expect((await checksSecret(send, canonical['dana@example.com']!, 'dana@example.com')).AuthenticationResult!.AccessToken).toBeDefined();
  });

  it('GetTokensFromRefreshToken and RevokeToken take the ClientSecret itself', async () => {
    const wrongSecret = 'x'.repeat(52);
    const getTokens = (ClientSecret?: string) =>
      h.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: setup.clientId, RefreshToken: refreshToken, ...(ClientSecret ? { ClientSecret } : {}) }));
    expect(await failure(getTokens())).toEqual(secretNotReceived());
    expect(await failure(getTokens(wrongSecret))).toEqual(mismatch());
    expect((await getTokens(setup.clientSecret)).AuthenticationResult!.AccessToken).toBeDefined();
    const revoke = (ClientSecret?: string) => h.sdk.send(new RevokeTokenCommand({ ClientId: setup.clientId, Token: refreshToken, ...(ClientSecret ? { ClientSecret } : {}) }));
    expect(await failure(revoke())).toEqual(secretNotReceived());
    expect(await failure(revoke(wrongSecret))).toEqual(mismatch());
    await revoke(setup.clientSecret);
    expect((await failure(getTokens(setup.clientSecret))).message).toBe('Refresh Token has been revoked');
  });
});

it('a client without a secret ignores SECRET_HASH, whatever it holds', async () => {
  const out = await h.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: setup.poolId, ClientName: 'public', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
  const publicClient = out.UserPoolClient!.ClientId!;
  const signedIn = await h.sdk.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: publicClient, AuthParameters: { USERNAME: 'dana@example.com', PASSWORD: STRONG_PASSWORD, SECRET_HASH: 'bm90IGEgaGFzaA==' } }),
  );
  expect(signedIn.AuthenticationResult).toBeDefined();
});
