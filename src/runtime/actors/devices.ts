// Remembered-device actors: ConfirmDevice after a sign-in that brought NewDeviceMetadata, and the signed-in user's
// devices (fetchDevices / rememberDevice / forgetDevice). The device's secret lives in the token storage
// (src/session/device-store.ts); what these return is what a UI may show.
import type { DeviceConfirmation, DevicePage, UserDevice } from '../../../machines/auth.types.js';
import { AuthError, toAuthError } from '../../cognito/errors.js';
import type { CognitoDevice } from '../../cognito/port.js';
import { userFromTokens } from '../../session/tokens.js';
import { actor, type ActorDeps, type SharedHelpers } from './shared.js';

/** ListDevices takes at most 60 a page. */
const PAGE_SIZE = 60;
/** ConfirmDevice's DeviceName is at most 1024 characters. */
const MAX_DEVICE_NAME = 1024;

const time = (date: Date | undefined): number | null => (date && !Number.isNaN(date.getTime()) ? date.getTime() : null);

export function toUserDevice(device: CognitoDevice, currentKey: string | undefined): UserDevice {
  return {
    id: device.deviceKey,
    name: device.name ?? null,
    attributes: device.attributes,
    current: device.deviceKey === currentKey,
    createdAt: time(device.createdAt) ?? 0,
    lastModifiedAt: time(device.lastModifiedAt) ?? 0,
    lastAuthenticatedAt: time(device.lastAuthenticatedAt),
  };
}

/** What the browser calls itself, as Cognito's own clients name devices (their user agent). */
function defaultDeviceName(): string {
  const agent = (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent;
  return typeof agent === 'string' && agent !== '' ? agent : 'authchart';
}

export function deviceActors(deps: ActorDeps, shared: SharedHelpers) {
  const { port, srp, tokens } = deps;

  /** The signed-in user's canonical name, which keys this browser's device. */
  async function signedInUsername(): Promise<string> {
    const stored = await tokens.load();
    if (!stored) throw new AuthError('NoStoredSession', 'Not signed in.');
    return userFromTokens(stored).username;
  }

  async function currentDevice() {
    return deps.devices ? deps.devices.load(await signedInUsername()) : null;
  }

  return {
    confirmDevice: actor<{ confirmation: DeviceConfirmation | null }>(async ({ signal }) => {
      const pending = deps.devices?.takePending();
      if (!pending || !deps.devices) return { confirmation: null };
      const { secret, verifier } = await srp.newDevice(pending.metadata);
      const deviceName = (deps.deviceName ?? defaultDeviceName()).slice(0, MAX_DEVICE_NAME);
      const answer = await shared
        .asSignedInUser(signal, (accessToken) => port.confirmDevice({ accessToken, deviceKey: secret.deviceKey, verifier, deviceName }, signal))
        .catch((error: unknown) => {
          // reported as the device's failure: the sign-in itself went through
          const cause = toAuthError(error);
          throw new AuthError(cause.code, cause.message, { cause, field: 'device', ...(cause.cognitoName ? { cognitoName: cause.cognitoName } : {}), ...(cause.cognitoMessage ? { cognitoMessage: cause.cognitoMessage } : {}) });
        });
      await deps.devices.save(pending.username, secret, pending.loginId);
      // UserConfirmationNecessary: the pool remembers devices only when the user says so (rememberDevice)
      return { confirmation: { status: answer.userConfirmationNecessary ? 'notRemembered' : 'remembered' } };
    }),

    listDevices: actor<{ page: DevicePage; which: 'first' | 'next' }, { nextToken: string | null }>(({ input, signal }) =>
      shared.asSignedInUser(signal, async (accessToken) => {
        const [listed, current] = await Promise.all([
          port.listDevices({ accessToken, limit: PAGE_SIZE, ...(input.nextToken ? { paginationToken: input.nextToken } : {}) }, signal),
          currentDevice(),
        ]);
        return {
          page: { devices: listed.devices.map((device) => toUserDevice(device, current?.deviceKey)), nextToken: listed.paginationToken ?? null },
          which: input.nextToken ? 'next' : 'first',
        };
      }),
    ),

    rememberDevice: actor<void>(async ({ signal }) => {
      const device = await currentDevice();
      if (!device) throw new AuthError('InvalidInput', 'This browser is not a device of the signed-in user', { field: 'device' });
      await shared.asSignedInUser(signal, (accessToken) => port.updateDeviceStatus({ accessToken, deviceKey: device.deviceKey, status: 'remembered' }, signal));
    }),

    forgetDevice: actor<{ deviceId: string; current: boolean }, { deviceId: string | null }>(async ({ input, signal }) => {
      const username = await signedInUsername();
      const current = deps.devices ? await deps.devices.load(username) : null;
      const deviceId = input.deviceId ?? current?.deviceKey;
      if (!deviceId) throw new AuthError('InvalidInput', 'This browser is not a device of the signed-in user', { field: 'device' });
      await shared.asSignedInUser(signal, (accessToken) => port.forgetDevice({ accessToken, deviceKey: deviceId }, signal));
      const isCurrent = deviceId === current?.deviceKey;
      if (isCurrent) await deps.devices!.forget(username, deviceId);
      return { deviceId, current: isCurrent };
    }),
  };
}
