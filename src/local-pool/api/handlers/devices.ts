// Remembered devices: ConfirmDevice, UpdateDeviceStatus, GetDevice, ListDevices and ForgetDevice
// with the user's access token, and the Admin* versions (IAM-signed in Cognito, admin operations
// here). The rules are in devices/devices.ts.
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import type { PoolRecord, UserRecord } from '../../store/model.js';
import { Rules, Validator } from '../validation.js';
import {
  MAX_DEVICES_PER_PAGE,
  confirmDevice,
  describeDevice,
  forgetDevice,
  listDevices,
  requireDevice,
  updateDeviceStatus,
  type DeviceVerifierInput,
} from '../../devices/devices.js';
import { authenticateWithClient } from './user.js';
import { target } from './admin-users.js';

/** DeviceKeyType of the service model. */
const DEVICE_KEY = { min: 1, max: 55, pattern: /^[\w-]+_[0-9a-f-]+$/, patternText: '[\\w-]+_[0-9a-f-]+' };
const REMEMBERED_STATUS = { oneOf: ['remembered', 'not_remembered'] };

type Who = () => Promise<{ pool: PoolRecord; user: UserRecord }>;

/** The user of an access token (the public operations). */
function byToken(ctx: PoolContext, v: Validator): Who {
  const token = v.requiredString('AccessToken', Rules.token);
  return async () => {
    const { pool, user } = await authenticateWithClient(ctx, token);
    return { pool, user };
  };
}

/** UserPoolId + Username (the Admin* operations). */
function byName(ctx: PoolContext, v: Validator): Who {
  const resolve = target(ctx, v);
  return async () => resolve();
}

const confirmDeviceHandler: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const who = byToken(ctx, v);
  const deviceKey = v.requiredString('DeviceKey', DEVICE_KEY);
  const config = v.optionalObject('DeviceSecretVerifierConfig');
  const name = v.optionalString('DeviceName', { min: 1, max: 1024 });
  v.done();
  let verifier: DeviceVerifierInput | undefined;
  if (config) {
    const c = new Validator(config);
    const passwordVerifier = c.optionalString('PasswordVerifier', { max: 131072 });
    const salt = c.optionalString('Salt', { max: 131072 });
    c.done();
    verifier = { ...(passwordVerifier !== undefined ? { PasswordVerifier: passwordVerifier } : {}), ...(salt !== undefined ? { Salt: salt } : {}) };
  }
  const { pool, user } = await who();
  return { UserConfirmationNecessary: confirmDevice(ctx, pool, user, { deviceKey, verifier, name }) };
};

const updateStatus = (resolveWho: (ctx: PoolContext, v: Validator) => Who): Handler => async (input, ctx) => {
  const v = new Validator(input);
  const who = resolveWho(ctx, v);
  const deviceKey = v.requiredString('DeviceKey', DEVICE_KEY);
  const status = v.optionalString('DeviceRememberedStatus', REMEMBERED_STATUS);
  v.done();
  const { pool, user } = await who();
  updateDeviceStatus(ctx, pool, user, deviceKey, status);
  return {};
};

const getDevice = (resolveWho: (ctx: PoolContext, v: Validator) => Who): Handler => async (input, ctx) => {
  const v = new Validator(input);
  const who = resolveWho(ctx, v);
  const deviceKey = v.requiredString('DeviceKey', DEVICE_KEY);
  v.done();
  const { pool, user } = await who();
  return { Device: describeDevice(requireDevice(ctx, pool, user, deviceKey)) };
};

const listDevicesHandler = (resolveWho: (ctx: PoolContext, v: Validator) => Who): Handler => async (input, ctx) => {
  const v = new Validator(input);
  const who = resolveWho(ctx, v);
  const limit = v.optionalInteger('Limit', 0, MAX_DEVICES_PER_PAGE);
  const token = v.optionalString('PaginationToken', Rules.paginationKey);
  v.done();
  const { pool, user } = await who();
  return listDevices(ctx, pool, user, limit, token);
};

const forget = (resolveWho: (ctx: PoolContext, v: Validator) => Who): Handler => async (input, ctx) => {
  const v = new Validator(input);
  const who = resolveWho(ctx, v);
  const deviceKey = v.requiredString('DeviceKey', DEVICE_KEY);
  v.done();
  const { pool, user } = await who();
  forgetDevice(ctx, pool, user, deviceKey);
  return {};
};

export const deviceHandlers: HandlerRegistry = {
  ConfirmDevice: confirmDeviceHandler,
  UpdateDeviceStatus: updateStatus(byToken),
  GetDevice: getDevice(byToken),
  ListDevices: listDevicesHandler(byToken),
  ForgetDevice: forget(byToken),
  AdminUpdateDeviceStatus: updateStatus(byName),
  AdminGetDevice: getDevice(byName),
  AdminListDevices: listDevicesHandler(byName),
  AdminForgetDevice: forget(byName),
};
