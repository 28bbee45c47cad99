// Remembered devices through the chart, against the local pool over HTTP (the AWS SDK transport and the fetch one):
// after an MFA sign-in the chart confirms the device Cognito issued (signedIn.account.confirmingDevice) and keeps its
// secret in the token storage; the next sign-in on that storage proves the device (signingIn.verifyingDevice:
// DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER) instead of asking for the code; refreshes carry the device key; a device
// the pool forgot is dropped and the sign-in repeated once without it; fetchDevices / rememberDevice / forgetDevice
// in the account region; an e-mail alias keeps its device; a failed ConfirmDevice is shown, not swallowed.
import {
  AdminForgetDeviceCommand,
  AdminListDevicesCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createAuth, type Auth } from '../../src/index.node.js';
import { rest, until, view } from '../support/chart-waits.js';
import type { CognitoPort } from '../../src/cognito/port.js';
import { createFetchPort } from '../../src/cognito/fetch-port.js';
import { createSdkPort } from '../../src/cognito/sdk-port.js';
import { DeviceStore } from '../../src/session/device-store.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { decodeClaims, TokenStore } from '../../src/session/tokens.js';
import { authenticatorCode } from '../support/authenticator.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';

const PASSWORD = 'Passw0rd!strong';
const TOTP_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const FLOWS = ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] as const;
const AUTH_FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

let env: TestPool;
/** Devices remembered at once and standing in for MFA; opt-in (UserConfirmationNecessary); e-mail usernames. */
const pools: Record<'always' | 'optIn' | 'email', { poolId: string; clientId: string }> = {} as never;
const running: Auth[] = [];

async function makePool(name: string, deviceConfiguration: Record<string, boolean>, extra: Record<string, unknown> = {}) {
  const poolId = (await env.admin.send(new CreateUserPoolCommand({ PoolName: name, MfaConfiguration: 'OPTIONAL', DeviceConfiguration: deviceConfiguration, ...extra }))).UserPool!.Id!;
  await env.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  const clientId = (await env.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: AUTH_FLOWS }))).UserPoolClient!.ClientId!;
  return { poolId, clientId };
}

const totpUser = (username: string, attributes: Record<string, string> = {}) => ({
  username,
  password: PASSWORD,
  attributes,
  totpSecret: TOTP_SECRET,
  mfa: { totp: true, preferred: 'TOTP' as const },
});

beforeAll(async () => {
  env = await startTestPool();
  pools.always = await makePool('always', { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false });
  pools.optIn = await makePool('opt-in', { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true });
  pools.email = await makePool('e-mail', { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false }, { UsernameAttributes: ['email'] });
  env.pool.seed({
    pools: [
      {
        id: pools.always.poolId,
        name: 'always',
        users: [...FLOWS.flatMap((f) => [`dana-${f}-sdk`, `dana-${f}-fetch`, `stale-${f}`, `forget-${f}`, `refresh-${f}`]), 'broken', 'gone'].map((u) => totpUser(u)),
      },
      { id: pools.optIn.poolId, name: 'opt-in', users: [totpUser('olga')] },
      { id: pools.email.poolId, name: 'e-mail', users: [totpUser('ella@example.com', { email: 'ella@example.com', email_verified: 'true' })] },
    ],
  });
});
afterAll(async () => {
  running.splice(0).forEach((a) => a.stop());
  await env.close();
});
afterEach(() => running.splice(0).forEach((a) => a.stop()));

const operationsSince = (mark: number) => env.pool.requests.slice(mark).map((r) => r.target.replace('AWSCognitoIdentityProviderService.', ''));

/** What the chart's port sent (the real port, watched): method and request, oldest first. */
const sent: Array<{ method: string; request: Record<string, unknown> }> = [];
function watched(port: CognitoPort): CognitoPort {
  return new Proxy(port, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (request: Record<string, unknown>, ...rest: unknown[]) => {
        sent.push({ method: String(name), request });
        return (value as (...args: unknown[]) => unknown).call(target, request, ...rest);
      };
    },
  });
}
const challengesSince = (mark: number) =>
  sent
    .slice(mark)
    .filter((s) => s.method === 'respondToAuthChallenge')
    .map((s) => s.request['challengeName'] as string);

interface Browser {
  readonly storage: MemoryStorage;
}
const newBrowser = (): Browser => ({ storage: new MemoryStorage() });

function open(browser: Browser, pool: keyof typeof pools, options: { transport?: 'sdk' | 'fetch'; port?: CognitoPort } = {}) {
  const { poolId, clientId } = pools[pool];
  const connection = { userPoolId: poolId, clientId, endpoint: env.pool.url };
  const port = options.port ?? watched(options.transport === 'fetch' ? createFetchPort(connection) : createSdkPort(connection));
  const auth = createAuth({
    userPoolId: poolId,
    clientId,
    endpoint: env.pool.url,
    storage: browser.storage,
    clock: { now: () => env.clock.now() },
    deviceName: 'Test browser',
    port,
  });
  running.push(auth);
  return auth;
}

/** This tab signs out (the device stays) and closes. */
async function leave(auth: Auth): Promise<void> {
  auth.actor.send({ type: 'session.signOut' });
  await until(auth, (s) => s.matches('signedOut'));
  auth.stop();
}

/** Signs in; answers the TOTP step when asked. Resolves with whether the code was asked for. */
async function signIn(auth: Auth, username: string, authFlow: (typeof FLOWS)[number] = 'USER_SRP_AUTH'): Promise<{ askedForCode: boolean }> {
  await rest(auth);
  auth.actor.send({ type: 'signIn.submit', username, password: PASSWORD, authFlow });
  await rest(auth);
  let askedForCode = false;
  if (view(auth).route === 'totpCode') {
    askedForCode = true;
    // the pool takes a TOTP code once: the next window's code for this sign-in
    env.clock.advance(30_000);
    auth.actor.send({ type: 'code.submit', code: authenticatorCode(TOTP_SECRET, env.clock.now()) });
    await rest(auth);
  }
  expect(view(auth)).toMatchObject({ route: 'signedIn', error: null });
  return { askedForCode };
}

const deviceStoreOf = (browser: Browser, pool: keyof typeof pools) => new DeviceStore(browser.storage, pools[pool].clientId);
const poolDevices = async (pool: keyof typeof pools, username: string) =>
  (await env.admin.send(new AdminListDevicesCommand({ UserPoolId: pools[pool].poolId, Username: username }))).Devices ?? [];

describe.each(FLOWS)('%s, a pool that remembers every device and lets it stand in for MFA', (authFlow) => {
  describe.each(['sdk', 'fetch'] as const)('over the %s transport', (transport) => {
    it('confirms the device after the MFA sign-in; the next sign-in proves it instead of asking for the code', async () => {
      const username = `dana-${authFlow}-${transport}`;
      const browser = newBrowser();
      const first = open(browser, 'always', { transport });
      expect(await signIn(first, username, authFlow)).toEqual({ askedForCode: true });
      expect(view(first)).toMatchObject({ route: 'signedIn', deviceStatus: 'remembered' });
      const stored = await deviceStoreOf(browser, 'always').load(username);
      expect(stored).toEqual({ deviceKey: expect.stringMatching(/^us-east-1_/), deviceGroupKey: expect.any(String), devicePassword: expect.any(String) });
      // the device's secret and key are not in the chart's context, nor in the snapshot an app would persist
      for (const held of [JSON.stringify(first.actor.getSnapshot().context), JSON.stringify(first.actor.getPersistedSnapshot())]) {
        expect(held).not.toContain(stored!.devicePassword);
        expect(held).not.toContain(stored!.deviceKey);
      }
      const [device] = await poolDevices('always', username);
      expect(device).toMatchObject({ DeviceKey: stored!.deviceKey });
      expect(device!.DeviceAttributes).toEqual(expect.arrayContaining([{ Name: 'device_name', Value: 'Test browser' }, { Name: 'dev:device_remembered_status', Value: 'remembered' }]));
      await leave(first);
      // signing out keeps the device
      expect(await deviceStoreOf(browser, 'always').load(username)).toEqual(stored);

      const again = open(browser, 'always', { transport });
      const mark = env.pool.requests.length;
      const sentMark = sent.length;
      expect(await signIn(again, username, authFlow)).toEqual({ askedForCode: false });
      expect(view(again)).toMatchObject({ route: 'signedIn', deviceStatus: 'remembered' });
      expect(challengesSince(sentMark)).toEqual([...(authFlow === 'USER_SRP_AUTH' ? ['PASSWORD_VERIFIER'] : []), 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
      // a known device: nothing new to confirm
      expect(operationsSince(mark)).not.toContain('ConfirmDevice');
      const claims = decodeClaims((await new TokenStore(browser.storage, pools.always.clientId).load())!.accessToken);
      expect(claims['device_key']).toBe(stored!.deviceKey);
      // proving the device left its secret out of the chart too
      expect(JSON.stringify(again.actor.getPersistedSnapshot())).not.toContain(stored!.devicePassword);
    });
  });

  it('refreshes with the device key (the pool refuses the refresh token without it)', async () => {
    const username = `refresh-${authFlow}`;
    const browser = newBrowser();
    const auth = open(browser, 'always');
    await signIn(auth, username, authFlow);
    const mark = sent.length;
    const refreshed = await auth.getTokens({ forceRefresh: true });
    expect(refreshed?.accessToken).toEqual(expect.any(String));
    const refresh = sent.slice(mark).find((s) => s.method === 'getTokensFromRefreshToken');
    expect(refresh?.request['deviceKey']).toBe((await deviceStoreOf(browser, 'always').load(username))!.deviceKey);
    expect(view(auth)).toMatchObject({ route: 'signedIn', error: null });
    // the same refresh token without the device key: refused
    const bare = createSdkPort({ userPoolId: pools.always.poolId, clientId: pools.always.clientId, endpoint: env.pool.url });
    const stored = await new TokenStore(browser.storage, pools.always.clientId).load();
    await expect(bare.getTokensFromRefreshToken({ refreshToken: stored!.refreshToken! }, new AbortController().signal)).rejects.toMatchObject({ cognitoName: 'NotAuthorizedException' });
  });

  it('a device the pool forgot is dropped and the sign-in repeated once without it; MFA is asked again', async () => {
    const username = `stale-${authFlow}`;
    const browser = newBrowser();
    const first = open(browser, 'always');
    await signIn(first, username, authFlow);
    const stale = (await deviceStoreOf(browser, 'always').load(username))!;
    await env.admin.send(new AdminForgetDeviceCommand({ UserPoolId: pools.always.poolId, Username: username, DeviceKey: stale.deviceKey }));
    await leave(first);

    const again = open(browser, 'always');
    const mark = env.pool.requests.length;
    expect(await signIn(again, username, authFlow)).toEqual({ askedForCode: true });
    const refused = env.pool.requests.slice(mark).filter((r) => r.outcome !== 'ok').map((r) => r.outcome);
    expect(refused).toEqual(['ResourceNotFoundException']);
    // a new device was confirmed in its place
    const replaced = (await deviceStoreOf(browser, 'always').load(username))!;
    expect(replaced.deviceKey).not.toBe(stale.deviceKey);
    expect(operationsSince(mark)).toContain('ConfirmDevice');
  });

  it('fetchDevices lists this browser; forgetDevice forgets it here and at the pool; the next sign-in asks for the code', async () => {
    const username = `forget-${authFlow}`;
    const browser = newBrowser();
    const auth = open(browser, 'always');
    await signIn(auth, username, authFlow);
    const key = (await deviceStoreOf(browser, 'always').load(username))!.deviceKey;
    auth.actor.send({ type: 'devices.list' });
    await rest(auth);
    const listed = view(auth);
    if (listed.route !== 'signedIn') throw new Error(`at ${listed.route}`);
    expect(listed.devices).toEqual([expect.objectContaining({ id: key, name: 'Test browser', current: true, attributes: expect.objectContaining({ 'dev:device_remembered_status': 'remembered' }) })]);
    expect(listed.devices![0]!.createdAt).toBeGreaterThan(0);

    auth.actor.send({ type: 'device.forget' });
    await rest(auth);
    expect(view(auth)).toMatchObject({ route: 'signedIn', devices: [], deviceStatus: null, error: null });
    expect(await deviceStoreOf(browser, 'always').load(username)).toBeNull();
    expect(await poolDevices('always', username)).toEqual([]);
    await leave(auth);

    expect(await signIn(open(browser, 'always'), username, authFlow)).toEqual({ askedForCode: true });
  });
});

describe('a pool that remembers devices only when the user says so', () => {
  it('tracks the device unremembered (the code is asked again) until rememberDevice; then the device stands in for MFA', async () => {
    const browser = newBrowser();
    const first = open(browser, 'optIn');
    expect(await signIn(first, 'olga')).toEqual({ askedForCode: true });
    expect(view(first)).toMatchObject({ route: 'signedIn', deviceStatus: 'notRemembered' });
    await leave(first);

    const second = open(browser, 'optIn');
    expect(await signIn(second, 'olga')).toEqual({ askedForCode: true });
    second.actor.send({ type: 'device.remember' });
    await rest(second);
    expect(view(second)).toMatchObject({ route: 'signedIn', deviceStatus: 'remembered', error: null });
    const [device] = await poolDevices('optIn', 'olga');
    expect(device!.DeviceAttributes).toEqual(expect.arrayContaining([{ Name: 'dev:device_remembered_status', Value: 'remembered' }]));
    await leave(second);

    expect(await signIn(open(browser, 'optIn'), 'olga')).toEqual({ askedForCode: false });
  });
});

describe('an e-mail alias', () => {
  it('keeps its device: stored under the canonical name (the sub), found by the address typed', async () => {
    const browser = newBrowser();
    const first = open(browser, 'email');
    expect(await signIn(first, 'ella@example.com')).toEqual({ askedForCode: true });
    const canonical = first.actor.getSnapshot().context.user!.username;
    expect(canonical).not.toBe('ella@example.com');
    expect(await deviceStoreOf(browser, 'email').load(canonical)).not.toBeNull();
    await leave(first);
    expect(await signIn(open(browser, 'email'), 'ella@example.com')).toEqual({ askedForCode: false });
  });
});

describe('deleting the account', () => {
  it('drops the device secret with it', async () => {
    const browser = newBrowser();
    const auth = open(browser, 'always');
    await signIn(auth, 'gone', 'USER_PASSWORD_AUTH');
    expect(await deviceStoreOf(browser, 'always').load('gone')).not.toBeNull();
    auth.actor.send({ type: 'account.delete' });
    await until(auth, (s) => s.matches('signedOut'));
    expect(await deviceStoreOf(browser, 'always').load('gone')).toBeNull();
  });
});

describe('a ConfirmDevice that fails', () => {
  it('is reported on the account screen; the user stays signed in and no device is kept', async () => {
    const browser = newBrowser();
    const real = createSdkPort({ userPoolId: pools.always.poolId, clientId: pools.always.clientId, endpoint: env.pool.url });
    // the connection drops at ConfirmDevice only
    const dropsConfirm: CognitoPort = new Proxy(real, {
      get: (target, name, receiver) => (name === 'confirmDevice' ? () => Promise.reject(new TypeError('fetch failed')) : Reflect.get(target, name, receiver)),
    });
    const auth = open(browser, 'always', { port: dropsConfirm });
    await rest(auth);
    auth.actor.send({ type: 'signIn.submit', username: 'broken', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' });
    await rest(auth);
    auth.actor.send({ type: 'code.submit', code: authenticatorCode(TOTP_SECRET, env.clock.now()) });
    await rest(auth);
    expect(view(auth)).toMatchObject({ route: 'signedIn', deviceStatus: null, error: { code: 'Network', field: 'device' } });
    expect(await deviceStoreOf(browser, 'always').load('broken')).toBeNull();
  });
});
