// The CognitoPort's device operations, for both transports (the AWS SDK, and AWS JSON 1.1 over fetch), against the
// local pool over HTTP: NewDeviceMetadata read off the tokens, ConfirmDevice with a real verifier (the device then
// answers DEVICE_SRP_AUTH), the device's secret, verifier and DEVICE_PASSWORD_VERIFIER claim from src/cognito/srp.ts
// accepted by the pool's real SRP verification (also for a client with a secret),
// ListDevices with its name and dates, UpdateDeviceStatus, ForgetDevice, and their errors.
import { isAuthError, type AuthErrorData } from '../../src/cognito/errors.js';
import { createFetchPort } from '../../src/cognito/fetch-port.js';
import type { CognitoPort, CognitoTokens } from '../../src/cognito/port.js';
import { createSdkPort } from '../../src/cognito/sdk-port.js';
import { devicePasswordVerifierRequest, deviceSrpRequest, passwordAuthRequest, srpAuthRequest, withDeviceKey } from '../../src/cognito/requests.js';
import { CognitoSrpClient, cognitoTimestamp } from '../../src/cognito/srp.js';
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';
import { deviceVerifier } from '../support/device-srp.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';

const PASSWORD = 'Passw0rd!strong';
const TRANSPORTS = ['sdk', 'fetch'] as const;
type Transport = (typeof TRANSPORTS)[number];

const live = () => new AbortController().signal;

async function failure(call: Promise<unknown>): Promise<AuthErrorData> {
  let result: unknown;
  try {
    result = await call;
  } catch (error) {
    if (!isAuthError(error)) throw error;
    return error.toJSON();
  }
  throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
}

let env: TestPool;
let clientId: string;

beforeAll(async () => {
  // remembered at once (no user prompt), and a remembered device is challenged
  env = await startTestPool({ poolProperties: { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } } });
  ({ clientId } = await env.createClient());
});
afterAll(() => env.close());

const portFor = (transport: Transport): CognitoPort =>
  transport === 'sdk' ? createSdkPort({ userPoolId: env.userPoolId, clientId, endpoint: env.pool.url }) : createFetchPort({ userPoolId: env.userPoolId, clientId, endpoint: env.pool.url });

async function passwordSignIn(port: CognitoPort, username: string, extra: { DEVICE_KEY?: string } = {}) {
  return port.initiateAuth(withDeviceKey(passwordAuthRequest(username, PASSWORD), extra.DEVICE_KEY), live());
}

describe.each(TRANSPORTS)('a device made by CognitoSrpClient, over %s', (transport) => {
  const username = `srp-device-${transport}`;
  const srp = new CognitoSrpClient('us-east-1_unused', createOpenSslEngine());

  it('is confirmed, then proves itself at sign-in (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER) and gets tokens', async () => {
    const port = portFor(transport);
    await env.createUser(username, PASSWORD);
    const first = (await passwordSignIn(port, username)).tokens!;
    const { secret, verifier } = await srp.newDevice(first.newDevice!);
    expect(secret).toEqual({ ...first.newDevice, devicePassword: expect.stringMatching(/^[A-Za-z0-9+/]{54}={2}$/) });
    await port.confirmDevice({ accessToken: first.accessToken, deviceKey: secret.deviceKey, verifier }, live());

    // this time SRP for the password, then the device
    const userSrp = new CognitoSrpClient(env.userPoolId, createOpenSslEngine());
    const userEphemeral = userSrp.createEphemeral();
    const passwordChallenge = await port.initiateAuth(withDeviceKey(srpAuthRequest(username, userEphemeral.A), secret.deviceKey), live());
    expect(passwordChallenge.challengeName).toBe('PASSWORD_VERIFIER');
    const p = passwordChallenge.challengeParameters;
    const canonical = p['USER_ID_FOR_SRP']!;
    const proof = await userSrp.passwordClaim(userEphemeral, { userIdForSrp: canonical, srpB: p['SRP_B']!, salt: p['SALT']!, secretBlock: p['SECRET_BLOCK']! }, PASSWORD, new Date(env.clock.now()));
    const challenged = await port.respondToAuthChallenge(
      {
        challengeName: 'PASSWORD_VERIFIER',
        session: passwordChallenge.session!,
        responses: { USERNAME: canonical, PASSWORD_CLAIM_SECRET_BLOCK: p['SECRET_BLOCK']!, PASSWORD_CLAIM_SIGNATURE: proof.signature, TIMESTAMP: proof.timestamp },
      },
      live(),
    );
    expect(challenged.challengeName).toBe('DEVICE_SRP_AUTH');
    const ephemeral = srp.createEphemeral();
    const verifierChallenge = await port.respondToAuthChallenge(deviceSrpRequest(challenged.session!, canonical, secret.deviceKey, ephemeral.A), live());
    expect(verifierChallenge.challengeName).toBe('DEVICE_PASSWORD_VERIFIER');
    const parameters = verifierChallenge.challengeParameters;
    const claim = await srp.deviceClaim(ephemeral, { srpB: parameters['SRP_B']!, salt: parameters['SALT']!, secretBlock: parameters['SECRET_BLOCK']! }, secret, new Date(env.clock.now()));
    expect(claim.timestamp).toBe(cognitoTimestamp(new Date(env.clock.now())));
    const signedIn = await port.respondToAuthChallenge(
      devicePasswordVerifierRequest(verifierChallenge.session!, canonical, secret.deviceKey, { secretBlock: parameters['SECRET_BLOCK']!, ...claim }),
      live(),
    );
    expect(signedIn.tokens?.accessToken).toEqual(expect.any(String));
    // a known device gets no new one
    expect(signedIn.tokens?.newDevice).toBeUndefined();
  });

  it('a wrong device secret does not sign in', async () => {
    const port = portFor(transport);
    const first = (await passwordSignIn(port, username)).tokens!;
    const { secret, verifier } = await srp.newDevice(first.newDevice!);
    await port.confirmDevice({ accessToken: first.accessToken, deviceKey: secret.deviceKey, verifier }, live());
    const challenged = await passwordSignIn(port, username, { DEVICE_KEY: secret.deviceKey });
    const ephemeral = srp.createEphemeral();
    const verifierChallenge = await port.respondToAuthChallenge(deviceSrpRequest(challenged.session!, username, secret.deviceKey, ephemeral.A), live());
    const parameters = verifierChallenge.challengeParameters;
    const impostor = { ...secret, devicePassword: (await srp.newDevice(first.newDevice!)).secret.devicePassword };
    const claim = await srp.deviceClaim(ephemeral, { srpB: parameters['SRP_B']!, salt: parameters['SALT']!, secretBlock: parameters['SECRET_BLOCK']! }, impostor, new Date(env.clock.now()));
    expect(
      await failure(
        port.respondToAuthChallenge(devicePasswordVerifierRequest(verifierChallenge.session!, username, secret.deviceKey, { secretBlock: parameters['SECRET_BLOCK']!, ...claim }), live()),
      ),
    ).toMatchObject({ cognitoName: 'NotAuthorizedException' });
  });
});

describe.each(TRANSPORTS)('device operations over %s', (transport) => {
  const username = `device-${transport}`;
  let port: CognitoPort;
  let tokens: CognitoTokens;

  beforeAll(async () => {
    port = portFor(transport);
    await env.createUser(username, PASSWORD);
    const answer = await passwordSignIn(port, username);
    tokens = answer.tokens!;
  });

  it('tokens carry the new device the pool wants confirmed', () => {
    expect(tokens.newDevice).toEqual({ deviceKey: expect.stringMatching(/^us-east-1_[0-9a-f-]+$/), deviceGroupKey: expect.any(String) });
  });

  it('confirm, list, update, forget', async () => {
    const { deviceKey, deviceGroupKey } = tokens.newDevice!;
    const { config } = await deviceVerifier(deviceKey, deviceGroupKey);
    const confirmed = await port.confirmDevice(
      { accessToken: tokens.accessToken, deviceKey, verifier: { passwordVerifier: config.PasswordVerifier, salt: config.Salt }, deviceName: 'Test browser' },
      live(),
    );
    expect(confirmed).toEqual({ userConfirmationNecessary: false });

    const listed = await port.listDevices({ accessToken: tokens.accessToken }, live());
    expect(listed.paginationToken).toBeUndefined();
    expect(listed.devices).toHaveLength(1);
    const [device] = listed.devices;
    expect(device!.deviceKey).toBe(deviceKey);
    expect(device!.name).toBe('Test browser');
    expect(device!.attributes['device_status']).toBe('valid');
    expect(device!.attributes['dev:device_remembered_status']).toBe('remembered');
    expect(Math.abs(device!.createdAt.getTime() - env.clock.now())).toBeLessThan(2000);
    expect(Number.isNaN(device!.lastModifiedAt.getTime())).toBe(false);

    // the confirmed, remembered device is now asked to prove itself at sign-in
    const challenged = await passwordSignIn(port, username, { DEVICE_KEY: deviceKey });
    expect(challenged.challengeName).toBe('DEVICE_SRP_AUTH');
    expect(challenged.tokens).toBeUndefined();

    await port.updateDeviceStatus({ accessToken: tokens.accessToken, deviceKey, status: 'not_remembered' }, live());
    const after = await port.listDevices({ accessToken: tokens.accessToken, limit: 10 }, live());
    expect(after.devices[0]!.attributes['dev:device_remembered_status']).toBe('not_remembered');

    // confirming it twice is refused: the once-only entry must not be retried
    expect(await failure(port.confirmDevice({ accessToken: tokens.accessToken, deviceKey, verifier: { passwordVerifier: config.PasswordVerifier, salt: config.Salt } }, live()))).toMatchObject({
      cognitoName: 'DeviceKeyExistsException',
    });

    await port.forgetDevice({ accessToken: tokens.accessToken, deviceKey }, live());
    expect((await port.listDevices({ accessToken: tokens.accessToken }, live())).devices).toEqual([]);
    expect(await failure(port.forgetDevice({ accessToken: tokens.accessToken, deviceKey }, live()))).toMatchObject({
      code: 'ResourceNotFound',
      cognitoName: 'ResourceNotFoundException', cognitoMessage: 'Device does not exist.',
    });
    // a forgotten key named at sign-in
    expect(await failure(passwordSignIn(port, username, { DEVICE_KEY: deviceKey }))).toMatchObject({
      code: 'ResourceNotFound',
      cognitoName: 'ResourceNotFoundException', cognitoMessage: 'Device does not exist.',
    });
  });

  it('a verifier that is not one is refused with Cognito\'s InvalidParameterException', async () => {
    const again = (await passwordSignIn(port, username)).tokens!;
    expect(await failure(port.confirmDevice({ accessToken: again.accessToken, deviceKey: again.newDevice!.deviceKey, verifier: { passwordVerifier: '', salt: '' } }, live()))).toMatchObject({
      cognitoName: 'InvalidParameterException',
    });
  });
});

describe('a client with a secret', () => {
  it('answers the device challenges with SECRET_HASH over the canonical name', async () => {
    const confidential = await env.createClient({ ClientName: 'server', GenerateSecret: true });
    const port = createSdkPort({ userPoolId: env.userPoolId, clientId: confidential.clientId, clientSecret: confidential.clientSecret!, endpoint: env.pool.url });
    const srp = new CognitoSrpClient(env.userPoolId, createOpenSslEngine());
    await env.createUser('secret-device', PASSWORD);
    const first = (await passwordSignIn(port, 'secret-device')).tokens!;
    const { secret, verifier } = await srp.newDevice(first.newDevice!);
    await port.confirmDevice({ accessToken: first.accessToken, deviceKey: secret.deviceKey, verifier }, live());
    const challenged = await passwordSignIn(port, 'secret-device', { DEVICE_KEY: secret.deviceKey });
    const ephemeral = srp.createEphemeral();
    const verifierChallenge = await port.respondToAuthChallenge(deviceSrpRequest(challenged.session!, 'secret-device', secret.deviceKey, ephemeral.A), live());
    const parameters = verifierChallenge.challengeParameters;
    const claim = await srp.deviceClaim(ephemeral, { srpB: parameters['SRP_B']!, salt: parameters['SALT']!, secretBlock: parameters['SECRET_BLOCK']! }, secret, new Date(env.clock.now()));
    const signedIn = await port.respondToAuthChallenge(devicePasswordVerifierRequest(verifierChallenge.session!, 'secret-device', secret.deviceKey, { secretBlock: parameters['SECRET_BLOCK']!, ...claim }), live());
    expect(signedIn.tokens?.accessToken).toEqual(expect.any(String));
    // a device answer without the secret is refused for that
    const fresh = await passwordSignIn(port, 'secret-device', { DEVICE_KEY: secret.deviceKey });
    const bare = createSdkPort({ userPoolId: env.userPoolId, clientId: confidential.clientId, endpoint: env.pool.url });
    expect(await failure(bare.respondToAuthChallenge(deviceSrpRequest(fresh.session!, 'secret-device', secret.deviceKey, ephemeral.A), live()))).toMatchObject({
      cognitoName: 'NotAuthorizedException',
      cognitoMessage: `Client ${confidential.clientId} is configured with secret but SECRET_HASH was not received`,
    });
  });
});
