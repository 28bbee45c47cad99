// Remembered devices, the same script through Amplify JS v6 (aws-amplify/auth, unchanged) and through authchart/amplify
// (fetchDevices / rememberDevice / forgetDevice over the chart's account region), against one local pool whose users
// opt in to remembering (DeviceOnlyRememberedOnUserPrompt; a remembered device stands in for the SMS code). The two
// recordings must be equal, and the chart may make no Cognito call Amplify does not, in Amplify's order.
import { Amplify } from 'aws-amplify';
import * as amplify from 'aws-amplify/auth';
import * as chart from '../../../src/amplify/index.node.js';
import { STRONG_PASSWORD, createPoolAndClient, lastCode, quietAmplifyEndpointWarning, setPoolMfa, startPool, targets, type PoolHarness, type Setup } from '../../local-pool/support.js';
import { inOrderWithin } from './call-counts.js';

quietAmplifyEndpointWarning();

// Both name the device from navigator.userAgent, as in a browser (Node 20 has no navigator: Amplify would skip ConfirmDevice).
if (typeof globalThis.navigator === 'undefined') {
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Mozilla/5.0 (authchart device parity)' }, configurable: true });
}

type Api = Pick<typeof amplify, 'signIn' | 'confirmSignIn' | 'signOut' | 'fetchDevices' | 'rememberDevice' | 'forgetDevice'>;
type Side = 'amplify' | 'chart';

let h: PoolHarness;
let setup: Setup;

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true } });
  await setPoolMfa(h.sdk, setup.poolId, 'OPTIONAL');
  h.pool.seed({
    pools: [
      {
        id: setup.poolId,
        name: 'devices',
        users: (['amplify', 'chart'] as const).map((side) => ({
          username: `sam-${side}`,
          password: STRONG_PASSWORD,
          attributes: { phone_number: '+15555550170', phone_number_verified: 'true' },
          mfa: { sms: true, preferred: 'SMS' as const },
        })),
      },
    ],
  });
  const config = { Auth: { Cognito: { userPoolId: setup.poolId, userPoolClientId: setup.clientId, userPoolEndpoint: h.pool.url } } };
  Amplify.configure(config);
  chart.configure(config);
});
afterAll(async () => {
  chart.currentAuth().stop();
  await h.close();
});

async function outcome(call: Promise<unknown>, side: Side): Promise<unknown> {
  try {
    const value = await call;
    return value === undefined ? 'ok' : JSON.parse(JSON.stringify(value).replaceAll(`-${side}`, '-<side>'));
  } catch (error) {
    const e = error as Error;
    return { error: e.name, message: e.message };
  }
}

/** A device list without what differs by run (keys, dates): its names and remembered states. */
const described = (devices: Awaited<ReturnType<Api['fetchDevices']>>) =>
  devices.map((d) => ({ name: d.name, remembered: d.attributes?.['dev:device_remembered_status'], hasDates: d.createDate instanceof Date && d.lastModifiedDate instanceof Date }));

async function play(side: Side): Promise<{ steps: unknown[]; calls: string[] }> {
  const api: Api = side === 'amplify' ? amplify : (chart as unknown as Api);
  const username = `sam-${side}`;
  const steps: unknown[] = [];
  const record = async (call: Promise<unknown>) => steps.push(await outcome(call, side));
  h.pool.resetRequestLog();

  await record(api.signIn({ username, password: STRONG_PASSWORD }));
  await record(api.confirmSignIn({ challengeResponse: lastCode(h.pool, username) }));
  await record(api.fetchDevices().then(described));
  await record(api.rememberDevice());
  await record(api.fetchDevices().then(described));
  await record(api.signOut());
  // the remembered device answers instead of the SMS code
  await record(api.signIn({ username, password: STRONG_PASSWORD }));
  await record(api.forgetDevice());
  await record(api.fetchDevices().then(described));
  await record(api.signOut());
  // forgotten: the code is asked again
  await record(api.signIn({ username, password: STRONG_PASSWORD }));
  await record(api.confirmSignIn({ challengeResponse: lastCode(h.pool, username) }));
  await record(api.signOut());
  return { steps, calls: targets(h.pool) };
}

it('remember, sign in without the code, forget, and the code again: the same outcomes, no extra Cognito calls', async () => {
  const amplifyRun = await play('amplify');
  const chartRun = await play('chart');
  const DONE = { isSignedIn: true, nextStep: { signInStep: 'DONE' } };
  const device = (remembered: string) => [{ name: 'Mozilla/5.0 (authchart device parity)', remembered, hasDates: true }];
  // what Amplify does, pinned (so the comparison cannot pass with both sides broken)
  expect(amplifyRun.steps).toEqual([
    expect.objectContaining({ nextStep: expect.objectContaining({ signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE' }) }),
    DONE,
    device('not_remembered'),
    'ok',
    device('remembered'),
    'ok',
    DONE,
    'ok',
    [],
    'ok',
    expect.objectContaining({ nextStep: expect.objectContaining({ signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE' }) }),
    DONE,
    'ok',
  ]);
  expect(chartRun.steps).toEqual(amplifyRun.steps);
  expect(chartRun.calls.length).toBeLessThanOrEqual(amplifyRun.calls.length);
  expect(inOrderWithin(chartRun.calls, amplifyRun.calls)).toEqual(chartRun.calls);
  expect(chartRun.calls).toEqual(expect.arrayContaining(['ConfirmDevice', 'UpdateDeviceStatus', 'ListDevices', 'ForgetDevice']));
});
