// amazon-cognito-identity-js, unchanged, remembering devices on the local pool by itself: after
// the SMS code it confirms the new device (ConfirmDevice, its own verifier); the next sign-in answers
// DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER with the device secret it keeps and skips the SMS code;
// refreshSession sends the device key; its device API (getDevice, listDevices, status, forgetDevice)
// works; a device forgotten behind its back is dropped and the sign-in retried on the same Session.
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { AdminForgetDeviceCommand, AdminListDevicesCommand } from '@aws-sdk/client-cognito-identity-provider';
import { STRONG_PASSWORD, createPoolAndClient, lastCode, setPoolMfa, startPool, targets, type PoolHarness, type Setup } from '../../local-pool/support.js';

let h: PoolHarness;
let setup: Setup;
let userPool: CognitoUserPool;

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } });
  await setPoolMfa(h.sdk, setup.poolId, 'OPTIONAL');
  h.pool.seed({
    pools: [{ id: setup.poolId, name: 'test', users: [{ username: 'sam', password: STRONG_PASSWORD, attributes: { phone_number: '+15555550150' }, mfa: { sms: true } }] }],
  });
  userPool = new CognitoUserPool({ UserPoolId: setup.poolId, ClientId: setup.clientId, endpoint: h.pool.url });
});
afterAll(() => h.close());
beforeEach(() => h.pool.resetRequestLog());

type Outcome = { kind: 'success'; session: CognitoUserSession } | { kind: 'mfa'; challenge: string } | { kind: 'failure'; error: Error };

const callbacks = (resolve: (o: Outcome) => void) => ({
  onSuccess: (session: CognitoUserSession) => resolve({ kind: 'success', session }),
  onFailure: (error: Error) => resolve({ kind: 'failure', error }),
  mfaRequired: (challenge: string) => resolve({ kind: 'mfa', challenge }),
});

function authenticate(user: CognitoUser): Promise<Outcome> {
  return new Promise((resolve) => user.authenticateUser(new AuthenticationDetails({ Username: 'sam', Password: STRONG_PASSWORD }), callbacks(resolve)));
}

function sendMfaCode(user: CognitoUser, code: string): Promise<Outcome> {
  return new Promise((resolve) => user.sendMFACode(code, callbacks(resolve)));
}

/** A node-style identity-js call as a promise. */
function call<T>(run: (callbacks: { onSuccess: (value: T) => void; onFailure: (error: Error) => void }) => void): Promise<T> {
  return new Promise((resolve, reject) => run({ onSuccess: resolve, onFailure: reject }));
}

const newUser = () => new CognitoUser({ Username: 'sam', Pool: userPool });

async function signInWithSms(): Promise<{ user: CognitoUser; session: CognitoUserSession }> {
  const user = newUser();
  const first = await authenticate(user);
  expect(first).toEqual({ kind: 'mfa', challenge: 'SMS_MFA' });
  const done = await sendMfaCode(user, lastCode(h.pool, 'sam'));
  if (done.kind !== 'success') throw new Error(`expected success, got ${JSON.stringify(done)}`);
  return { user, session: done.session };
}

async function signInWithDevice(): Promise<{ user: CognitoUser; session: CognitoUserSession }> {
  const user = newUser();
  const done = await authenticate(user);
  if (done.kind !== 'success') throw new Error(`expected success without MFA, got ${JSON.stringify(done)}`);
  return { user, session: done.session };
}

const adminDevices = async () => (await h.sdk.send(new AdminListDevicesCommand({ UserPoolId: setup.poolId, Username: 'sam' }))).Devices ?? [];

let deviceKey: string;

it('the first sign-in (SMS code) confirms the new device by itself', async () => {
  const { session } = await signInWithSms();
  expect(targets(h.pool)).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'RespondToAuthChallenge', 'ConfirmDevice']);
  const devices = await adminDevices();
  expect(devices).toHaveLength(1);
  deviceKey = devices[0]!.DeviceKey!;
  expect(session.getAccessToken().decodePayload()['device_key']).toBe(deviceKey);
});

it('the next sign-in proves the device and skips the SMS code', async () => {
  const sent = h.pool.outbox({ username: 'sam' }).length;
  const { session } = await signInWithDevice();
  expect(targets(h.pool)).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'RespondToAuthChallenge', 'RespondToAuthChallenge']);
  expect(h.pool.requests.every((r) => r.outcome === 'ok')).toBe(true);
  expect(h.pool.outbox({ username: 'sam' })).toHaveLength(sent);
  expect(session.getAccessToken().decodePayload()['device_key']).toBe(deviceKey);
});

it('refreshSession sends the device key', async () => {
  const { user, session } = await signInWithDevice();
  const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
    user.refreshSession(session.getRefreshToken(), (error: Error | null, next: CognitoUserSession) => (error ? reject(error) : resolve(next))),
  );
  expect(refreshed.getAccessToken().decodePayload()['device_key']).toBe(deviceKey);
});

it('getDevice, listDevices and setDeviceStatusNotRemembered: the SMS code comes back, and the tokens are for the same device', async () => {
  const { user } = await signInWithDevice();
  // Typed as a string in identity-js's declarations; it is GetDevice's answer.
  const got = (await call<string>((cb) => user.getDevice(cb))) as unknown as { Device: { DeviceKey: string } };
  expect(got.Device.DeviceKey).toBe(deviceKey);
  const listed = await call<{ Devices: Array<{ DeviceKey: string }> }>((cb) => user.listDevices(10, null, cb));
  expect(listed.Devices.map((d) => d.DeviceKey)).toEqual([deviceKey]);
  await call((cb) => user.setDeviceStatusNotRemembered(cb));
  h.pool.resetRequestLog();
  const again = newUser();
  expect(await authenticate(again)).toEqual({ kind: 'mfa', challenge: 'SMS_MFA' });
  const done = await sendMfaCode(again, lastCode(h.pool, 'sam'));
  if (done.kind !== 'success') throw new Error(`expected success, got ${JSON.stringify(done)}`);
  // The SMS answer ends it: no device challenge, no new device to confirm.
  expect(targets(h.pool)).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'RespondToAuthChallenge']);
  expect(done.session.getAccessToken().decodePayload()['device_key']).toBe(deviceKey);
  await call((cb) => again.setDeviceStatusRemembered(cb));
  await signInWithDevice();
});

it('a device forgotten behind its back: Device does not exist., dropped, the verifier retried on the same Session, a new device confirmed', async () => {
  await h.sdk.send(new AdminForgetDeviceCommand({ UserPoolId: setup.poolId, Username: 'sam', DeviceKey: deviceKey }));
  h.pool.resetRequestLog();
  const { session } = await signInWithSms();
  expect(h.pool.requests.map((r) => `${r.target.split('.')[1]}:${r.outcome}`)).toEqual([
    'InitiateAuth:ok',
    'RespondToAuthChallenge:ResourceNotFoundException',
    'RespondToAuthChallenge:ok',
    'RespondToAuthChallenge:ok',
    'ConfirmDevice:ok',
  ]);
  const devices = await adminDevices();
  expect(devices).toHaveLength(1);
  expect(devices[0]!.DeviceKey).not.toBe(deviceKey);
  deviceKey = devices[0]!.DeviceKey!;
  expect(session.getAccessToken().decodePayload()['device_key']).toBe(deviceKey);
});

it('forgetDevice: the device goes, and the next sign-in asks for the SMS code again', async () => {
  const { user } = await signInWithDevice();
  await call((cb) => user.forgetDevice(cb));
  expect(await adminDevices()).toEqual([]);
  expect(await authenticate(newUser())).toEqual({ kind: 'mfa', challenge: 'SMS_MFA' });
});
