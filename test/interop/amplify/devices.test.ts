// Amplify JS v6, unchanged, with remembered devices on the local pool (the user opts in: the pool's
// DeviceOnlyRememberedOnUserPrompt; a remembered device stands in for the SMS code). Amplify confirms
// each new device by itself after sign-in; rememberDevice, fetchDevices and forgetDevice act on it; a
// remembered device signs in without the SMS code (Amplify answers the device challenges), and
// refreshes name it; a device forgotten elsewhere is dropped and the sign-in retried.
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, fetchDevices, forgetDevice, rememberDevice, signIn, signOut } from 'aws-amplify/auth';
import { AdminForgetDeviceCommand, AdminListDevicesCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  STRONG_PASSWORD,
  createPoolAndClient,
  lastCode,
  quietAmplifyEndpointWarning,
  setPoolMfa,
  startPool,
  targets,
  type PoolHarness,
  type Setup,
} from '../../local-pool/support.js';

quietAmplifyEndpointWarning();

// Amplify names the device from navigator.userAgent (as in a browser); Node 20 has no navigator, and
// Amplify would then skip ConfirmDevice silently.
const amplifyUserAgent = 'Mozilla/5.0 (authchart Amplify interop)';
if (typeof globalThis.navigator === 'undefined') {
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: amplifyUserAgent }, configurable: true });
}

let h: PoolHarness;
let setup: Setup;

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true } });
  await setPoolMfa(h.sdk, setup.poolId, 'OPTIONAL');
  h.pool.seed({
    pools: [{ id: setup.poolId, name: 'test', users: [{ username: 'sam', password: STRONG_PASSWORD, attributes: { phone_number: '+15555550160' }, mfa: { sms: true } }] }],
  });
  Amplify.configure({ Auth: { Cognito: { userPoolId: setup.poolId, userPoolClientId: setup.clientId, userPoolEndpoint: h.pool.url } } });
});
afterAll(() => h.close());
beforeEach(() => h.pool.resetRequestLog());

const DONE = { isSignedIn: true, nextStep: { signInStep: 'DONE' } };
const I = 'InitiateAuth';
const R = 'RespondToAuthChallenge';

async function signInWithSms(): Promise<void> {
  expect(await signIn({ username: 'sam', password: STRONG_PASSWORD })).toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE' } });
  expect(await confirmSignIn({ challengeResponse: lastCode(h.pool, 'sam') })).toEqual(DONE);
}

const accessTokenDevice = async () => (await fetchAuthSession()).tokens?.accessToken.payload['device_key'];
const poolDevices = async () => (await h.sdk.send(new AdminListDevicesCommand({ UserPoolId: setup.poolId, Username: 'sam' }))).Devices ?? [];

let deviceKey: string;

it('the first sign-in (SMS code) confirms the new device; it is not remembered until rememberDevice', async () => {
  await signInWithSms();
  expect(targets(h.pool)).toEqual([I, R, R, 'ConfirmDevice']);
  const [device, ...others] = await fetchDevices();
  expect(others).toEqual([]);
  deviceKey = device!.id;
  expect(await accessTokenDevice()).toBe(deviceKey);
  expect(device!.attributes['dev:device_remembered_status']).toBe('not_remembered');
  expect(device!.createDate).toBeInstanceOf(Date);
  expect(device!.name).toBe(navigator.userAgent);

  await rememberDevice();
  const [remembered] = await fetchDevices();
  expect(remembered!.attributes['dev:device_remembered_status']).toBe('remembered');
  await signOut();
});

it('a remembered device signs in without the SMS code; Amplify answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER', async () => {
  const sent = h.pool.outbox({ username: 'sam' }).length;
  expect(await signIn({ username: 'sam', password: STRONG_PASSWORD })).toEqual(DONE);
  expect(targets(h.pool)).toEqual([I, R, R, R]);
  expect(h.pool.requests.every((r) => r.outcome === 'ok')).toBe(true);
  expect(h.pool.outbox({ username: 'sam' })).toHaveLength(sent);
  expect(await accessTokenDevice()).toBe(deviceKey);
});

it('a refresh names the device', async () => {
  h.pool.resetRequestLog();
  const refreshed = await fetchAuthSession({ forceRefresh: true });
  expect(targets(h.pool)).toEqual(['GetTokensFromRefreshToken']);
  expect(h.pool.requests[0]!.outcome).toBe('ok');
  expect(refreshed.tokens?.accessToken.payload['device_key']).toBe(deviceKey);
  await signOut();
});

it('a device forgotten elsewhere: Amplify drops it on "Device does not exist.", retries, and confirms a new one', async () => {
  await h.sdk.send(new AdminForgetDeviceCommand({ UserPoolId: setup.poolId, Username: 'sam', DeviceKey: deviceKey }));
  h.pool.resetRequestLog();
  await signInWithSms();
  expect(h.pool.requests.map((r) => `${r.target.split('.')[1]}:${r.outcome}`)).toEqual([
    'InitiateAuth:ok',
    'RespondToAuthChallenge:ResourceNotFoundException',
    'RespondToAuthChallenge:ok',
    'RespondToAuthChallenge:ok',
    'ConfirmDevice:ok',
  ]);
  const devices = await poolDevices();
  expect(devices).toHaveLength(1);
  deviceKey = devices[0]!.DeviceKey!;
  expect(await accessTokenDevice()).toBe(deviceKey);
});

it('forgetDevice: the device goes; the next sign-in asks for the SMS code again', async () => {
  await forgetDevice();
  expect(await fetchDevices()).toEqual([]);
  expect(await poolDevices()).toEqual([]);
  await signOut();
  await signInWithSms();
  await signOut();
});
