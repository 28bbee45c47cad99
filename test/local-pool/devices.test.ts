// Remembered devices on the local pool, over HTTP with the AWS SDK: DeviceConfiguration,
// NewDeviceMetadata and the access token's device_key, ConfirmDevice with a real device verifier,
// DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER verified with real SRP (the client side is
// test/support/device-srp.ts on authchart's own SRP math), the MFA a remembered device stands in
// for, unknown keys, refresh with the device key, the device operations and their Admin* versions.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminUpdateDeviceStatusCommand,
  ConfirmDeviceCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  UpdateDeviceStatusCommand,
  UpdateUserPoolCommand,
  type AuthenticationResultType,
  type CreateUserPoolCommandInput,
  type DeviceType,
  type InitiateAuthCommandOutput,
  type RespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSrpClient, cognitoTimestamp, type SrpEphemeral } from '../../src/cognito/srp.js';
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';
import { deviceClaim, deviceEphemeral, deviceVerifier, type DeviceSecret } from '../support/device-srp.js';
import {
  STRONG_PASSWORD,
  createPoolAndClient,
  failure,
  lastCode,
  rawCall,
  respond,
  setPoolMfa,
  signClaim,
  startPool,
  type PoolHarness,
  type Setup,
} from './support.js';

type Answer = InitiateAuthCommandOutput | RespondToAuthChallengeCommandOutput;

const DEVICE_NOT_FOUND = { name: 'ResourceNotFoundException', message: 'Device does not exist.' };
const INCORRECT = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const INVALID_REFRESH = { name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' };
const SESSION_USED = { name: 'NotAuthorizedException', message: 'Invalid session for the user, session can only be used once.' };

const engine = createOpenSslEngine();
let h: PoolHarness;
let phoneCounter = 0;

// The test functions record what they were sent here (test/local-pool/functions/_record.mjs).
const recordDir = mkdtempSync(join(tmpdir(), 'authchart-devices-'));
const recordFile = join(recordDir, 'events.jsonl');
process.env['TRIGGER_RECORD'] = recordFile;

beforeAll(async () => {
  h = await startPool({ functions: join(__dirname, 'functions') });
});
afterAll(async () => {
  await h.close();
  rmSync(recordDir, { recursive: true, force: true });
});

const now = () => new Date(h.clock.now());
const claims = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

/** A pool with DeviceConfiguration, SMS MFA OPTIONAL and users with SMS MFA on (sam, sue) and without (alice). */
async function trackedPool(deviceConfiguration: CreateUserPoolCommandInput['DeviceConfiguration'], extra: Partial<CreateUserPoolCommandInput> = {}): Promise<Setup> {
  const setup = await createPoolAndClient(h.sdk, { PoolName: 'devices', ...(deviceConfiguration ? { DeviceConfiguration: deviceConfiguration } : {}), ...extra });
  await setPoolMfa(h.sdk, setup.poolId, 'OPTIONAL');
  const sms = (username: string) => ({ username, password: STRONG_PASSWORD, attributes: { phone_number: `+1555555${String(1000 + phoneCounter++)}` }, mfa: { sms: true } });
  h.pool.seed({ pools: [{ id: setup.poolId, name: 'devices', users: [sms('sam'), sms('sue'), { username: 'alice', password: STRONG_PASSWORD }] }] });
  return setup;
}

/** The password step: SRP (DEVICE_KEY with the password claim, or only at InitiateAuth) or USER_PASSWORD_AUTH. */
async function passwordStep(
  setup: Setup,
  username: string,
  options: { deviceKey?: string | undefined; flow?: 'SRP' | 'PASSWORD'; keyOnlyAtInitiate?: boolean; password?: string } = {},
): Promise<Answer> {
  const { deviceKey, flow = 'SRP', password = STRONG_PASSWORD } = options;
  const withKey = deviceKey !== undefined ? { DEVICE_KEY: deviceKey } : {};
  if (flow === 'PASSWORD') {
    return h.sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: username, PASSWORD: password, ...withKey } }),
    );
  }
  const verifier = await startVerifier(setup, username, options.keyOnlyAtInitiate ? withKey : {});
  return answerVerifier(setup, verifier, password, options.keyOnlyAtInitiate ? {} : withKey);
}

interface StartedVerifier {
  srp: CognitoSrpClient;
  ephemeral: SrpEphemeral;
  response: InitiateAuthCommandOutput;
}

async function startVerifier(setup: Setup, username: string, extra: Record<string, string> = {}): Promise<StartedVerifier> {
  const srp = new CognitoSrpClient(setup.poolId, engine);
  const ephemeral = srp.createEphemeral();
  const response = await h.sdk.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: username, SRP_A: ephemeral.A.toString(16), ...extra } }),
  );
  return { srp, ephemeral, response };
}

async function answerVerifier(setup: Setup, started: StartedVerifier, password: string, extra: Record<string, string>): Promise<RespondToAuthChallengeCommandOutput> {
  const parameters = started.response.ChallengeParameters!;
  const timestamp = cognitoTimestamp(now());
  return respond(h.sdk, setup, 'PASSWORD_VERIFIER', started.response.Session, {
    USERNAME: parameters['USER_ID_FOR_SRP']!,
    PASSWORD_CLAIM_SECRET_BLOCK: parameters['SECRET_BLOCK']!,
    PASSWORD_CLAIM_SIGNATURE: await signClaim(started.srp, started.ephemeral, parameters, password, timestamp),
    TIMESTAMP: timestamp,
    ...extra,
  });
}

/** SMS_MFA with the code from the outbox. */
async function answerSms(setup: Setup, username: string, challenge: Answer, extra: Record<string, string> = {}): Promise<RespondToAuthChallengeCommandOutput> {
  expect(challenge.ChallengeName).toBe('SMS_MFA');
  return respond(h.sdk, setup, 'SMS_MFA', challenge.Session, { USERNAME: username, SMS_MFA_CODE: lastCode(h.pool, username), ...extra });
}

/** DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER with the device's claim (or a wrong one). */
async function proveDevice(setup: Setup, username: string, challenge: Answer, secret: DeviceSecret, options: { wrongPassword?: boolean } = {}): Promise<RespondToAuthChallengeCommandOutput> {
  expect(challenge.ChallengeName).toBe('DEVICE_SRP_AUTH');
  const ephemeral = deviceEphemeral();
  const verifier = await respond(h.sdk, setup, 'DEVICE_SRP_AUTH', challenge.Session, {
    USERNAME: username,
    DEVICE_KEY: secret.deviceKey,
    SRP_A: ephemeral.A.toString(16),
  });
  expect(verifier.ChallengeName).toBe('DEVICE_PASSWORD_VERIFIER');
  const claimed = options.wrongPassword ? { ...secret, password: secret.password.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) } : secret;
  return respond(h.sdk, setup, 'DEVICE_PASSWORD_VERIFIER', verifier.Session, {
    USERNAME: username,
    DEVICE_KEY: secret.deviceKey,
    ...(await deviceClaim(claimed, ephemeral, verifier.ChallengeParameters!, now())),
  });
}

function tokensOf(answer: Answer): AuthenticationResultType {
  if (!answer.AuthenticationResult) throw new Error(`expected tokens, got ${answer.ChallengeName}`);
  return answer.AuthenticationResult;
}

/** A first sign-in (SMS MFA for sam and sue) that gets a new device and confirms it. */
async function rememberDevice(setup: Setup, username: string, name = 'test laptop'): Promise<{ secret: DeviceSecret; tokens: AuthenticationResultType; saltHex: string; necessary: boolean }> {
  let answer = await passwordStep(setup, username);
  if (answer.ChallengeName === 'SMS_MFA') answer = await answerSms(setup, username, answer);
  const tokens = tokensOf(answer);
  const metadata = tokens.NewDeviceMetadata!;
  const made = await deviceVerifier(metadata.DeviceKey!, metadata.DeviceGroupKey!);
  const confirmed = await h.sdk.send(
    new ConfirmDeviceCommand({ AccessToken: tokens.AccessToken!, DeviceKey: metadata.DeviceKey!, DeviceSecretVerifierConfig: made.config, DeviceName: name }),
  );
  return { secret: made.secret, tokens, saltHex: made.saltHex, necessary: confirmed.UserConfirmationNecessary! };
}

const refreshWith = (setup: Setup, REFRESH_TOKEN: string, DEVICE_KEY: string) =>
  h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: setup.clientId, AuthParameters: { REFRESH_TOKEN, DEVICE_KEY } }));

const attribute = (device: DeviceType, name: string) => device.DeviceAttributes?.find((a) => a.Name === name)?.Value;

describe('DeviceConfiguration', () => {
  it('is kept and described; any member turns tracking on; UpdateUserPool without it turns it off', async () => {
    const created = await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'dc', DeviceConfiguration: { ChallengeRequiredOnNewDevice: true } }));
    const poolId = created.UserPool!.Id!;
    expect(created.UserPool!.DeviceConfiguration).toEqual({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false });
    const describe = async () => (await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.DeviceConfiguration;
    await h.sdk.send(new UpdateUserPoolCommand({ UserPoolId: poolId, DeviceConfiguration: { DeviceOnlyRememberedOnUserPrompt: true } }));
    expect(await describe()).toEqual({ ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: true });
    await h.sdk.send(new UpdateUserPoolCommand({ UserPoolId: poolId }));
    expect(await describe()).toBeUndefined();
    await h.sdk.send(new UpdateUserPoolCommand({ UserPoolId: poolId, DeviceConfiguration: {} }));
    expect(await describe()).toBeUndefined();
    const wrong = await rawCall(h.pool.url, {
      target: 'AWSCognitoIdentityProviderService.CreateUserPool',
      body: JSON.stringify({ PoolName: 'bad', DeviceConfiguration: { ChallengeRequiredOnNewDevice: 'yes' } }),
    });
    expect(wrong.json).toMatchObject({ __type: 'SerializationException' });
  });

  it('a pool without it gives no device and ignores DEVICE_KEY', async () => {
    const setup = await trackedPool(undefined);
    const tokens = tokensOf(await passwordStep(setup, 'alice', { flow: 'PASSWORD', deviceKey: 'us-east-1_00000000-0000-0000-0000-000000000000' }));
    expect(tokens.NewDeviceMetadata).toBeUndefined();
    expect(claims(tokens.AccessToken!)['device_key']).toBeUndefined();
  });
});

describe('a new device', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await trackedPool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false });
  });

  it('every sign-in without DEVICE_KEY gets NewDeviceMetadata, and its access token (not the ID token) carries device_key', async () => {
    const first = tokensOf(await passwordStep(setup, 'alice'));
    const second = tokensOf(await passwordStep(setup, 'alice', { flow: 'PASSWORD' }));
    for (const tokens of [first, second]) {
      expect(tokens.NewDeviceMetadata!.DeviceKey).toMatch(/^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(tokens.NewDeviceMetadata!.DeviceGroupKey).toMatch(/^-[A-Za-z0-9_-]{8}$/);
      expect(claims(tokens.AccessToken!)['device_key']).toBe(tokens.NewDeviceMetadata!.DeviceKey);
      expect(claims(tokens.IdToken!)['device_key']).toBeUndefined();
    }
    expect(second.NewDeviceMetadata!.DeviceKey).not.toBe(first.NewDeviceMetadata!.DeviceKey);
  });

  it('ConfirmDevice stores it (remembered at once here), GetDevice and ListDevices show it; confirming twice is DeviceKeyExistsException', async () => {
    h.clock.advance(1000);
    const before = h.clock.now();
    const { secret, tokens, necessary } = await rememberDevice(setup, 'alice', 'Kitchen tablet');
    expect(necessary).toBe(false);
    const device = (await h.sdk.send(new GetDeviceCommand({ AccessToken: tokens.AccessToken!, DeviceKey: secret.deviceKey }))).Device!;
    expect(device.DeviceKey).toBe(secret.deviceKey);
    expect(device.DeviceAttributes).toEqual([
      { Name: 'device_status', Value: 'valid' },
      { Name: 'device_name', Value: 'Kitchen tablet' },
      { Name: 'dev:device_remembered_status', Value: 'remembered' },
    ]);
    expect(device.DeviceCreateDate!.getTime()).toBe(before);
    const listed = (await h.sdk.send(new ListDevicesCommand({ AccessToken: tokens.AccessToken! }))).Devices!;
    expect(listed.map((d) => d.DeviceKey)).toContain(secret.deviceKey);
    const again = await deviceVerifier(secret.deviceKey, secret.groupKey);
    expect(
      await failure(h.sdk.send(new ConfirmDeviceCommand({ AccessToken: tokens.AccessToken!, DeviceKey: secret.deviceKey, DeviceSecretVerifierConfig: again.config }))),
    ).toEqual({ name: 'DeviceKeyExistsException', message: 'Device key already exists.' });
  });

  it('ConfirmDevice refuses a key the user was never given, another user\'s key, and a missing or unusable verifier', async () => {
    const mine = tokensOf(await passwordStep(setup, 'alice'));
    const theirs = tokensOf(await answerSms(setup, 'sam', await passwordStep(setup, 'sam')));
    const made = await deviceVerifier(mine.NewDeviceMetadata!.DeviceKey!, mine.NewDeviceMetadata!.DeviceGroupKey!);
    const confirm = (DeviceKey: string, config?: { Salt?: string; PasswordVerifier?: string }, token = mine.AccessToken!) =>
      failure(h.sdk.send(new ConfirmDeviceCommand({ AccessToken: token, DeviceKey, ...(config ? { DeviceSecretVerifierConfig: config } : {}) })));
    expect(await confirm('us-east-1_00000000-0000-0000-0000-000000000000', made.config)).toEqual(DEVICE_NOT_FOUND);
    expect(await confirm(theirs.NewDeviceMetadata!.DeviceKey!, made.config)).toEqual(DEVICE_NOT_FOUND);
    const unusable = { name: 'InvalidParameterException', message: expect.stringContaining('DeviceSecretVerifierConfig') };
    const key = mine.NewDeviceMetadata!.DeviceKey!;
    expect(await confirm(key)).toEqual(unusable);
    expect(await confirm(key, { Salt: made.config.Salt })).toEqual(unusable);
    expect(await confirm(key, { Salt: made.config.Salt, PasswordVerifier: 'AQ==' })).toEqual(unusable);
    expect(await confirm(key, { Salt: '%%%', PasswordVerifier: made.config.PasswordVerifier })).toEqual(unusable);
    // Still unconfirmed after the refusals: the right verifier goes in.
    await h.sdk.send(new ConfirmDeviceCommand({ AccessToken: mine.AccessToken!, DeviceKey: key, DeviceSecretVerifierConfig: made.config }));
  });
});

describe('signing in with a remembered device', () => {
  let setup: Setup;
  let sam: Awaited<ReturnType<typeof rememberDevice>>;
  beforeAll(async () => {
    setup = await trackedPool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false });
    sam = await rememberDevice(setup, 'sam');
  });

  it('SRP: DEVICE_SRP_AUTH instead of SMS_MFA, then DEVICE_PASSWORD_VERIFIER with the device salt; tokens without NewDeviceMetadata', async () => {
    h.pool.resetRequestLog();
    const sent = h.pool.outbox({ username: 'sam' }).length;
    const challenge = await passwordStep(setup, 'sam', { deviceKey: sam.secret.deviceKey });
    expect(challenge.ChallengeName).toBe('DEVICE_SRP_AUTH');
    expect(challenge.ChallengeParameters).toEqual({ USERNAME: 'sam', DEVICE_KEY: sam.secret.deviceKey });
    const ephemeral = deviceEphemeral();
    const verifier = await respond(h.sdk, setup, 'DEVICE_SRP_AUTH', challenge.Session, { USERNAME: 'sam', DEVICE_KEY: sam.secret.deviceKey, SRP_A: ephemeral.A.toString(16) });
    expect(verifier.ChallengeName).toBe('DEVICE_PASSWORD_VERIFIER');
    expect(Object.keys(verifier.ChallengeParameters!).sort()).toEqual(['DEVICE_KEY', 'SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME']);
    expect(verifier.ChallengeParameters!['SALT']).toBe(sam.saltHex);
    const done = await respond(h.sdk, setup, 'DEVICE_PASSWORD_VERIFIER', verifier.Session, {
      USERNAME: 'sam',
      DEVICE_KEY: sam.secret.deviceKey,
      ...(await deviceClaim(sam.secret, ephemeral, verifier.ChallengeParameters!, now())),
    });
    const tokens = tokensOf(done);
    expect(tokens.NewDeviceMetadata).toBeUndefined();
    expect(claims(tokens.AccessToken!)['device_key']).toBe(sam.secret.deviceKey);
    expect(h.pool.outbox({ username: 'sam' })).toHaveLength(sent);
    expect(h.pool.requests.map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('the DEVICE_KEY may come with InitiateAuth only', async () => {
    const challenge = await passwordStep(setup, 'sam', { deviceKey: sam.secret.deviceKey, keyOnlyAtInitiate: true });
    expect(tokensOf(await proveDevice(setup, 'sam', challenge, sam.secret)).NewDeviceMetadata).toBeUndefined();
  });

  it('USER_PASSWORD_AUTH: InitiateAuth answers DEVICE_SRP_AUTH itself', async () => {
    const challenge = await passwordStep(setup, 'sam', { flow: 'PASSWORD', deviceKey: sam.secret.deviceKey });
    expect(challenge.ChallengeName).toBe('DEVICE_SRP_AUTH');
    const tokens = tokensOf(await proveDevice(setup, 'sam', challenge, sam.secret));
    expect(claims(tokens.AccessToken!)['device_key']).toBe(sam.secret.deviceKey);
  });

  it('a wrong device secret ends the sign-in with "Incorrect username or password." and does not count towards the lockout', async () => {
    for (let i = 0; i < 6; i++) {
      const challenge = await passwordStep(setup, 'sam', { flow: 'PASSWORD', deviceKey: sam.secret.deviceKey });
      expect(await failure(proveDevice(setup, 'sam', challenge, sam.secret, { wrongPassword: true }))).toEqual(INCORRECT);
    }
    const challenge = await passwordStep(setup, 'sam', { flow: 'PASSWORD', deviceKey: sam.secret.deviceKey });
    expect(tokensOf(await proveDevice(setup, 'sam', challenge, sam.secret)).AccessToken).toBeDefined();
  });

  it('the device challenges are single use; of two parallel proofs one wins', async () => {
    const challenge = await passwordStep(setup, 'sam', { deviceKey: sam.secret.deviceKey });
    const ephemeral = deviceEphemeral();
    const srpAnswer = { USERNAME: 'sam', DEVICE_KEY: sam.secret.deviceKey, SRP_A: ephemeral.A.toString(16) };
    const verifier = await respond(h.sdk, setup, 'DEVICE_SRP_AUTH', challenge.Session, srpAnswer);
    expect(await failure(respond(h.sdk, setup, 'DEVICE_SRP_AUTH', challenge.Session, srpAnswer))).toEqual(SESSION_USED);
    const proof = { USERNAME: 'sam', DEVICE_KEY: sam.secret.deviceKey, ...(await deviceClaim(sam.secret, ephemeral, verifier.ChallengeParameters!, now())) };
    const both = await Promise.allSettled([0, 1].map(() => respond(h.sdk, setup, 'DEVICE_PASSWORD_VERIFIER', verifier.Session, proof)));
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect({ name: lost.reason.name, message: lost.reason.message }).toEqual(SESSION_USED);
  });

  it('input mistakes keep the DEVICE_SRP_AUTH Session; another device key than the challenge\'s is refused', async () => {
    const sue = await rememberDevice(setup, 'sue');
    const challenge = await passwordStep(setup, 'sam', { deviceKey: sam.secret.deviceKey });
    expect((await failure(respond(h.sdk, setup, 'DEVICE_SRP_AUTH', challenge.Session, { USERNAME: 'sam', DEVICE_KEY: sam.secret.deviceKey, SRP_A: '0' }))).name).toBe(
      'InvalidParameterException',
    );
    expect(
      await failure(respond(h.sdk, setup, 'DEVICE_SRP_AUTH', challenge.Session, { USERNAME: 'sam', DEVICE_KEY: sue.secret.deviceKey, SRP_A: deviceEphemeral().A.toString(16) })),
    ).toEqual(DEVICE_NOT_FOUND);
    expect(tokensOf(await proveDevice(setup, 'sam', challenge, sam.secret)).AccessToken).toBeDefined();
  });

  it('a stale TIMESTAMP in the device claim is refused', async () => {
    const challenge = await passwordStep(setup, 'sam', { deviceKey: sam.secret.deviceKey });
    const ephemeral = deviceEphemeral();
    const verifier = await respond(h.sdk, setup, 'DEVICE_SRP_AUTH', challenge.Session, { USERNAME: 'sam', DEVICE_KEY: sam.secret.deviceKey, SRP_A: ephemeral.A.toString(16) });
    const old = cognitoTimestamp(new Date(h.clock.now() - 10 * 60_000));
    const claim = await deviceClaim(sam.secret, ephemeral, verifier.ChallengeParameters!, now(), old);
    expect(await failure(respond(h.sdk, setup, 'DEVICE_PASSWORD_VERIFIER', verifier.Session, { USERNAME: 'sam', DEVICE_KEY: sam.secret.deviceKey, ...claim }))).toEqual(INCORRECT);
  });

  it('a device not remembered: SMS_MFA, then tokens for that device (no device challenge after MFA); remembered again, MFA is skipped again', async () => {
    await h.sdk.send(new UpdateDeviceStatusCommand({ AccessToken: sam.tokens.AccessToken!, DeviceKey: sam.secret.deviceKey, DeviceRememberedStatus: 'not_remembered' }));
    const device = (await h.sdk.send(new GetDeviceCommand({ AccessToken: sam.tokens.AccessToken!, DeviceKey: sam.secret.deviceKey }))).Device!;
    expect(attribute(device, 'dev:device_remembered_status')).toBe('not_remembered');
    const mfa = await passwordStep(setup, 'sam', { deviceKey: sam.secret.deviceKey });
    expect(mfa.ChallengeName).toBe('SMS_MFA');
    // The MFA answer need not name the device again: the attempt remembers it.
    const tokens = tokensOf(await answerSms(setup, 'sam', mfa));
    expect(tokens.NewDeviceMetadata).toBeUndefined();
    expect(claims(tokens.AccessToken!)['device_key']).toBe(sam.secret.deviceKey);
    expect((await refreshWith(setup, tokens.RefreshToken!, sam.secret.deviceKey)).AuthenticationResult!.AccessToken).toBeDefined();
    await h.sdk.send(new UpdateDeviceStatusCommand({ AccessToken: sam.tokens.AccessToken!, DeviceKey: sam.secret.deviceKey, DeviceRememberedStatus: 'remembered' }));
    expect((await passwordStep(setup, 'sam', { deviceKey: sam.secret.deviceKey })).ChallengeName).toBe('DEVICE_SRP_AUTH');
  });

  it('PreTokenGeneration is told TokenGeneration_AuthenticateDevice after the device is proved', async () => {
    const withTrigger = await trackedPool(
      { ChallengeRequiredOnNewDevice: true },
      { LambdaConfig: { PreTokenGeneration: 'arn:aws:lambda:us-east-1:000000000000:function:pre-token-v1' } },
    );
    writeFileSync(recordFile, '');
    const { secret } = await rememberDevice(withTrigger, 'alice');
    const proved = tokensOf(await proveDevice(withTrigger, 'alice', await passwordStep(withTrigger, 'alice', { deviceKey: secret.deviceKey }), secret));
    expect(claims(proved.IdToken!)['tier']).toBe('gold');
    const sources = readFileSync(recordFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line).event.triggerSource as string);
    expect(sources).toEqual(['TokenGeneration_Authentication', 'TokenGeneration_AuthenticateDevice']);
  });

  it('survives a restart of the pool', async () => {
    h = await h.restart();
    const challenge = await passwordStep(setup, 'sam', { deviceKey: sam.secret.deviceKey });
    expect(tokensOf(await proveDevice(setup, 'sam', challenge, sam.secret)).AccessToken).toBeDefined();
  });
});

describe('what the pool says about MFA and remembering', () => {
  it('ChallengeRequiredOnNewDevice false: a remembered device does not replace MFA (tokens for it after the code); without MFA it is proved', async () => {
    const setup = await trackedPool({ ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false });
    const { secret } = await rememberDevice(setup, 'sam');
    const mfa = await passwordStep(setup, 'sam', { deviceKey: secret.deviceKey });
    expect(mfa.ChallengeName).toBe('SMS_MFA');
    const tokens = tokensOf(await answerSms(setup, 'sam', mfa, { DEVICE_KEY: secret.deviceKey }));
    expect(tokens.NewDeviceMetadata).toBeUndefined();
    expect(claims(tokens.AccessToken!)['device_key']).toBe(secret.deviceKey);
    const alice = await rememberDevice(setup, 'alice');
    expect((await passwordStep(setup, 'alice', { deviceKey: alice.secret.deviceKey })).ChallengeName).toBe('DEVICE_SRP_AUTH');
  });

  it('DeviceOnlyRememberedOnUserPrompt: UserConfirmationNecessary, not remembered (MFA) until UpdateDeviceStatus says so', async () => {
    const setup = await trackedPool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true });
    const { secret, tokens, necessary } = await rememberDevice(setup, 'sam');
    expect(necessary).toBe(true);
    const device = (await h.sdk.send(new GetDeviceCommand({ AccessToken: tokens.AccessToken!, DeviceKey: secret.deviceKey }))).Device!;
    expect(attribute(device, 'dev:device_remembered_status')).toBe('not_remembered');
    expect((await passwordStep(setup, 'sam', { deviceKey: secret.deviceKey })).ChallengeName).toBe('SMS_MFA');
    await h.sdk.send(new UpdateDeviceStatusCommand({ AccessToken: tokens.AccessToken!, DeviceKey: secret.deviceKey, DeviceRememberedStatus: 'remembered' }));
    expect((await passwordStep(setup, 'sam', { deviceKey: secret.deviceKey })).ChallengeName).toBe('DEVICE_SRP_AUTH');
  });

  it('MFA ON with a user who has no factor yet: MFA_SETUP still comes (a device stands in for a factor, not for setting one up)', async () => {
    const setup = await trackedPool({ ChallengeRequiredOnNewDevice: true });
    await setPoolMfa(h.sdk, setup.poolId, 'OFF');
    const { secret } = await rememberDevice(setup, 'alice');
    await setPoolMfa(h.sdk, setup.poolId, 'ON');
    expect((await passwordStep(setup, 'alice', { deviceKey: secret.deviceKey })).ChallengeName).toBe('MFA_SETUP');
  });
});

describe('unknown and forgotten device keys', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await trackedPool({ ChallengeRequiredOnNewDevice: true });
  });
  const UNKNOWN = 'us-east-1_00000000-0000-0000-0000-000000000000';

  it('PASSWORD_VERIFIER with an unknown key: ResourceNotFoundException, and the same Session works without it', async () => {
    const started = await startVerifier(setup, 'sam');
    expect(await failure(answerVerifier(setup, started, STRONG_PASSWORD, { DEVICE_KEY: UNKNOWN }))).toEqual(DEVICE_NOT_FOUND);
    const mfa = await answerVerifier(setup, started, STRONG_PASSWORD, {});
    expect(tokensOf(await answerSms(setup, 'sam', mfa)).NewDeviceMetadata).toBeDefined();
  });

  it('a key sent only with InitiateAuth is refused at the password claim, once: the retry goes on without it', async () => {
    const started = await startVerifier(setup, 'alice', { DEVICE_KEY: UNKNOWN });
    expect(await failure(answerVerifier(setup, started, STRONG_PASSWORD, {}))).toEqual(DEVICE_NOT_FOUND);
    expect(tokensOf(await answerVerifier(setup, started, STRONG_PASSWORD, {})).NewDeviceMetadata).toBeDefined();
  });

  it('USER_PASSWORD_AUTH: refused before the password is checked (no failed attempt), a wrong password the same way', async () => {
    expect(await failure(passwordStep(setup, 'alice', { flow: 'PASSWORD', deviceKey: UNKNOWN }))).toEqual(DEVICE_NOT_FOUND);
    expect(await failure(passwordStep(setup, 'alice', { flow: 'PASSWORD', deviceKey: UNKNOWN, password: 'Wr0ng!password' }))).toEqual(DEVICE_NOT_FOUND);
    expect(tokensOf(await passwordStep(setup, 'alice', { flow: 'PASSWORD' })).AccessToken).toBeDefined();
  });

  it('hidden existence (PreventUserExistenceErrors ENABLED): an unknown name with a key gets what a known one gets', async () => {
    const hidden = await trackedPool({ ChallengeRequiredOnNewDevice: true });
    const enabled = { ...hidden, clientId: (await addClient(hidden.poolId, 'ENABLED')).clientId };
    expect(await failure(passwordStep(enabled, 'nobody', { flow: 'PASSWORD', deviceKey: UNKNOWN }))).toEqual(DEVICE_NOT_FOUND);
    expect(await failure(passwordStep(enabled, 'alice', { flow: 'PASSWORD', deviceKey: UNKNOWN }))).toEqual(DEVICE_NOT_FOUND);
    const simulated = await startVerifier(enabled, 'nobody');
    expect(await failure(answerVerifier(enabled, simulated, STRONG_PASSWORD, { DEVICE_KEY: UNKNOWN }))).toEqual(DEVICE_NOT_FOUND);
    const legacy = await failure(passwordStep(hidden, 'nobody', { flow: 'PASSWORD', deviceKey: UNKNOWN }));
    expect(legacy.name).toBe('UserNotFoundException');
  });

  it('another user\'s device is unknown to this one; a forgotten device is unknown afterwards', async () => {
    const sue = await rememberDevice(setup, 'sue');
    expect(await failure(passwordStep(setup, 'alice', { flow: 'PASSWORD', deviceKey: sue.secret.deviceKey }))).toEqual(DEVICE_NOT_FOUND);
    await h.sdk.send(new ForgetDeviceCommand({ AccessToken: sue.tokens.AccessToken!, DeviceKey: sue.secret.deviceKey }));
    expect(await failure(passwordStep(setup, 'sue', { flow: 'PASSWORD', deviceKey: sue.secret.deviceKey }))).toEqual(DEVICE_NOT_FOUND);
    expect(await failure(h.sdk.send(new GetDeviceCommand({ AccessToken: sue.tokens.AccessToken!, DeviceKey: sue.secret.deviceKey })))).toEqual(DEVICE_NOT_FOUND);
    expect(await failure(h.sdk.send(new ForgetDeviceCommand({ AccessToken: sue.tokens.AccessToken!, DeviceKey: sue.secret.deviceKey })))).toEqual(DEVICE_NOT_FOUND);
  });

  it('a DEVICE_KEY of null is no DEVICE_KEY (identity-js retries so)', async () => {
    const started = await startVerifier(setup, 'alice');
    const parameters = started.response.ChallengeParameters!;
    const timestamp = cognitoTimestamp(now());
    const raw = await rawCall(h.pool.url, {
      target: 'AWSCognitoIdentityProviderService.RespondToAuthChallenge',
      body: JSON.stringify({
        ClientId: setup.clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        Session: started.response.Session,
        ChallengeResponses: {
          USERNAME: 'alice',
          PASSWORD_CLAIM_SECRET_BLOCK: parameters['SECRET_BLOCK'],
          PASSWORD_CLAIM_SIGNATURE: await signClaim(started.srp, started.ephemeral, parameters, STRONG_PASSWORD, timestamp),
          TIMESTAMP: timestamp,
          DEVICE_KEY: null,
        },
      }),
    });
    expect(raw.status).toBe(200);
    expect(raw.json).toMatchObject({ AuthenticationResult: { NewDeviceMetadata: { DeviceKey: expect.any(String) } } });
  });

  async function addClient(poolId: string, prevent: 'ENABLED' | 'LEGACY') {
    const { CreateUserPoolClientCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    const out = await h.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'hidden',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: prevent,
      }),
    );
    return { clientId: out.UserPoolClient!.ClientId! };
  }
});

describe('refresh with the device key', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await trackedPool({ ChallengeRequiredOnNewDevice: true });
  });

  const refresh = (RefreshToken: string, DEVICE_KEY?: string) =>
    h.sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: setup.clientId, AuthParameters: { REFRESH_TOKEN: RefreshToken, ...(DEVICE_KEY ? { DEVICE_KEY } : {}) } }),
    );
  const getTokens = (RefreshToken: string, DeviceKey?: string) =>
    h.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: setup.clientId, RefreshToken, ...(DeviceKey ? { DeviceKey } : {}) }));

  it('tokens of a confirmed device refresh with its key (device_key stays), not without it or with another', async () => {
    const { secret, tokens } = await rememberDevice(setup, 'alice');
    for (const call of [refresh, getTokens]) {
      const refreshed = (await call(tokens.RefreshToken!, secret.deviceKey)).AuthenticationResult!;
      expect(claims(refreshed.AccessToken!)['device_key']).toBe(secret.deviceKey);
      expect(refreshed.NewDeviceMetadata).toBeUndefined();
      expect(await failure(call(tokens.RefreshToken!))).toEqual(INVALID_REFRESH);
      expect(await failure(call(tokens.RefreshToken!, 'us-east-1_00000000-0000-0000-0000-000000000000'))).toEqual(INVALID_REFRESH);
    }
    // Signed in with the device: the same rule.
    const proved = tokensOf(await proveDevice(setup, 'alice', await passwordStep(setup, 'alice', { deviceKey: secret.deviceKey }), secret));
    expect((await refresh(proved.RefreshToken!, secret.deviceKey)).AuthenticationResult!.AccessToken).toBeDefined();
    expect(await failure(refresh(proved.RefreshToken!))).toEqual(INVALID_REFRESH);
  });

  it('tokens whose device was never confirmed, or was forgotten, refresh without a key', async () => {
    const unconfirmed = tokensOf(await passwordStep(setup, 'alice'));
    expect((await refresh(unconfirmed.RefreshToken!)).AuthenticationResult!.AccessToken).toBeDefined();
    const { secret, tokens } = await rememberDevice(setup, 'alice');
    await h.sdk.send(new ForgetDeviceCommand({ AccessToken: tokens.AccessToken!, DeviceKey: secret.deviceKey }));
    expect((await getTokens(tokens.RefreshToken!)).AuthenticationResult!.AccessToken).toBeDefined();
  });
});

describe('listing, and the Admin* operations', () => {
  let setup: Setup;
  let devices: Array<Awaited<ReturnType<typeof rememberDevice>>>;
  beforeAll(async () => {
    setup = await trackedPool({ ChallengeRequiredOnNewDevice: true });
    devices = [];
    for (const name of ['one', 'two', 'three']) {
      h.clock.advance(1000);
      devices.push(await rememberDevice(setup, 'alice', name));
    }
  });

  it('ListDevices pages oldest first with Limit and PaginationToken; a made-up token is refused', async () => {
    const token = devices[2]!.tokens.AccessToken!;
    const first = await h.sdk.send(new ListDevicesCommand({ AccessToken: token, Limit: 2 }));
    expect(first.Devices!.map((d) => attribute(d, 'device_name'))).toEqual(['one', 'two']);
    const second = await h.sdk.send(new ListDevicesCommand({ AccessToken: token, Limit: 2, PaginationToken: first.PaginationToken! }));
    expect(second.Devices!.map((d) => attribute(d, 'device_name'))).toEqual(['three']);
    expect(second.PaginationToken).toBeUndefined();
    expect((await failure(h.sdk.send(new ListDevicesCommand({ AccessToken: token, PaginationToken: 'bm9uc2Vuc2U' })))).name).toBe('InvalidParameterException');
    expect((await failure(h.sdk.send(new ListDevicesCommand({ AccessToken: token, Limit: 61 })))).name).toBe('InvalidParameterException');
  });

  it('AdminListDevices, AdminGetDevice, AdminUpdateDeviceStatus, AdminForgetDevice', async () => {
    const key = devices[0]!.secret.deviceKey;
    const target = { UserPoolId: setup.poolId, Username: 'alice' };
    const listed = await h.sdk.send(new AdminListDevicesCommand({ ...target, Limit: 60 }));
    expect(listed.Devices!.map((d) => d.DeviceKey)).toEqual(devices.map((d) => d.secret.deviceKey));
    await h.sdk.send(new AdminUpdateDeviceStatusCommand({ ...target, DeviceKey: key, DeviceRememberedStatus: 'not_remembered' }));
    const device = (await h.sdk.send(new AdminGetDeviceCommand({ ...target, DeviceKey: key }))).Device!;
    expect(attribute(device, 'dev:device_remembered_status')).toBe('not_remembered');
    await h.sdk.send(new AdminForgetDeviceCommand({ ...target, DeviceKey: key }));
    expect(await failure(h.sdk.send(new AdminGetDeviceCommand({ ...target, DeviceKey: key })))).toEqual(DEVICE_NOT_FOUND);
    expect(await failure(h.sdk.send(new AdminGetDeviceCommand({ ...target, Username: 'sam', DeviceKey: devices[1]!.secret.deviceKey })))).toEqual(DEVICE_NOT_FOUND);
  });

  it('the Admin* operations answer no browser page of another origin; the user\'s own ones do', async () => {
    const call = (target: string, body: object) =>
      rawCall(h.pool.url, { target: `AWSCognitoIdentityProviderService.${target}`, body: JSON.stringify(body), headers: { origin: 'http://localhost:5173' } });
    expect((await call('AdminListDevices', { UserPoolId: setup.poolId, Username: 'alice' })).json).toMatchObject({ __type: 'ForbiddenException' });
    const own = await call('ListDevices', { AccessToken: devices[2]!.tokens.AccessToken! });
    expect(own.status).toBe(200);
    const all = await h.sdk.send(new AdminListDevicesCommand({ UserPoolId: setup.poolId, Username: 'alice' }));
    expect((own.json as { Devices: Array<{ DeviceKey: string }> }).Devices.map((d) => d.DeviceKey)).toEqual(all.Devices!.map((d) => d.DeviceKey));
  });
});
