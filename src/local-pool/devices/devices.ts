// Remembered devices (docs/local-pool.md, "Remembered devices"): the device key a sign-in is given
// (NewDeviceMetadata), ConfirmDevice's verifier, the DEVICE_KEY a sign-in presents (checked once,
// then remembered for the attempt's later steps), whether a device stands in for MFA, and the
// device a refresh must name. The device challenges themselves are in ./challenge.ts.
import { randomBytes, randomUUID } from 'node:crypto';
import { N, bytesToHex, base64Decode } from '../../cognito/srp-math.js';
import type { PoolContext } from '../context.js';
import { Errors } from '../api/errors.js';
import type { JsonObject } from '../api/validation.js';
import type { AuthSessionRecord, ClientRecord, DeviceRecord, PoolRecord, TokenFamilyRecord, UserRecord } from '../store/model.js';
import { deviceTracking } from './config.js';

/** The parts of a sign-in the device steps read (a subset of SignInParties). */
export interface DeviceParties {
  pool: PoolRecord;
  user: UserRecord;
  attemptId?: string | null | undefined;
  /** DEVICE_KEY of the request that completed the first factor; later steps find it by attempt. */
  deviceKey?: string | undefined;
  /** The device DEVICE_PASSWORD_VERIFIER proved in this attempt. */
  provenDevice?: DeviceRecord | undefined;
  /** An MFA challenge was answered in this attempt. */
  mfaPassed?: boolean | undefined;
}

/** A device key as Cognito makes them: <region>_<uuid>. */
export const newDeviceKey = (pool: PoolRecord): string => `${pool.id.split('_')[0]}_${randomUUID()}`;

/** A DeviceGroupKey shaped like Cognito's ("-" and 8 URL-safe characters). */
export const newDeviceGroupKey = (): string => `-${randomBytes(6).toString('base64url')}`;

/** The user's confirmed device with this key, if the pool tracks devices. */
function devicesOwn(ctx: PoolContext, pool: PoolRecord, user: UserRecord | undefined, deviceKey: string): DeviceRecord | undefined {
  const device = ctx.store.getDevice(pool.id, deviceKey);
  return device && user && device.userSub === user.sub ? device : undefined;
}

/**
 * A DEVICE_KEY sent with a first factor (USER_PASSWORD_AUTH, the PASSWORD answer of USER_AUTH): it
 * must name a confirmed device of the user, else ResourceNotFoundException "Device does not exist."
 * (clients then forget it and repeat the call without it). Checked before the password, so the retry
 * costs no failed attempt; an unknown name gets the same answer as a wrong key when existence is
 * hidden (PreventUserExistenceErrors ENABLED), and its own UserNotFoundException later otherwise.
 * Pools that track no devices ignore the key.
 */
export function checkPresentedDevice(ctx: PoolContext, pool: PoolRecord, client: ClientRecord, user: UserRecord | undefined, deviceKey: string | undefined): void {
  if (deviceKey === undefined || !deviceTracking(pool)) return;
  if (!user && client.config.PreventUserExistenceErrors !== 'ENABLED') return;
  if (!devicesOwn(ctx, pool, user, deviceKey)) throw Errors.deviceNotFound();
}

/** Remembers the DEVICE_KEY for the attempt's later steps; the attempt id is made here when there is none yet. */
export function withAttemptDevice<P extends DeviceParties>(ctx: PoolContext, parties: P): P {
  if (parties.deviceKey === undefined || !deviceTracking(parties.pool)) return parties;
  const attemptId = parties.attemptId ?? randomUUID();
  ctx.store.setAttemptDevice(attemptId, parties.deviceKey, ctx.clock.now());
  return { ...parties, attemptId };
}

/** InitiateAuth USER_SRP_AUTH: a DEVICE_KEY there is checked at PASSWORD_VERIFIER (with the user known); the attempt id to open it with. */
export function attemptForInitiatedDevice(ctx: PoolContext, pool: PoolRecord, deviceKey: string | undefined): string | undefined {
  if (deviceKey === undefined || !deviceTracking(pool)) return undefined;
  const attemptId = randomUUID();
  ctx.store.setAttemptDevice(attemptId, deviceKey, ctx.clock.now());
  return attemptId;
}

/**
 * Every RespondToAuthChallenge, before the answer is looked at: the DEVICE_KEY it carries, or the
 * one the attempt presented before, must name a confirmed device of the session's user. A wrong one
 * is refused without using the Session up, and the attempt forgets it, so the client's retry without
 * it (Amplify and identity-js repeat the same call) goes on as a sign-in without a device.
 */
export function checkChallengeDevice(ctx: PoolContext, pool: PoolRecord, session: AuthSessionRecord, sent: string | undefined): void {
  if (!deviceTracking(pool)) return;
  const attemptId = session.attemptId;
  const deviceKey = sent ?? (attemptId ? ctx.store.getAttemptDevice(attemptId) : undefined);
  if (deviceKey === undefined) return;
  const user = session.userSub === null ? undefined : ctx.store.getUserBySub(pool.id, session.userSub);
  if (!devicesOwn(ctx, pool, user, deviceKey)) {
    if (attemptId) ctx.store.clearAttemptDevice(attemptId);
    throw Errors.deviceNotFound();
  }
  if (sent !== undefined && attemptId) ctx.store.setAttemptDevice(attemptId, sent, ctx.clock.now());
}

/** The confirmed device this sign-in presented (this request's DEVICE_KEY, or the attempt's), if the pool tracks devices. */
export function presentedDevice(ctx: PoolContext, parties: DeviceParties): DeviceRecord | undefined {
  if (!deviceTracking(parties.pool)) return undefined;
  const deviceKey = parties.deviceKey ?? (parties.attemptId ? ctx.store.getAttemptDevice(parties.attemptId) : undefined);
  return deviceKey === undefined ? undefined : devicesOwn(ctx, parties.pool, parties.user, deviceKey);
}

/**
 * Whether the sign-in skips its MFA step: the pool lets remembered devices stand in for MFA
 * (ChallengeRequiredOnNewDevice) and the sign-in presented a remembered device; DEVICE_SRP_AUTH then
 * comes instead of the MFA challenge.
 */
export function deviceReplacesMfa(ctx: PoolContext, parties: DeviceParties): boolean {
  if (!deviceTracking(parties.pool)?.deviceReplacesMfa) return false;
  return presentedDevice(ctx, parties)?.remembered === true;
}

export type DeviceStep =
  /** DEVICE_SRP_AUTH first: the sign-in presented a confirmed device it has not proved yet. */
  | { kind: 'prove'; device: DeviceRecord }
  /** Tokens, for `device` (the presented one, or a new one that goes out as NewDeviceMetadata). */
  | { kind: 'tokens'; device?: { deviceKey: string; groupKey: string }; isNew: boolean };

/**
 * What comes between the last challenge and the tokens. A sign-in that presented a confirmed device
 * proves it (DEVICE_SRP_AUTH) unless it answered an MFA challenge: the tokens are then for that device
 * without a device challenge (amazon-cognito-identity-js answers a DEVICE_SRP_AUTH after an MFA code
 * with the MFA code's used Session, which Cognito would refuse; see docs/local-pool.md). Without a
 * device, a new one (NewDeviceMetadata).
 */
export function deviceStepBeforeTokens(ctx: PoolContext, parties: DeviceParties): DeviceStep {
  if (!deviceTracking(parties.pool)) return { kind: 'tokens', isNew: false };
  const device = parties.provenDevice ?? presentedDevice(ctx, parties);
  if (device && !parties.provenDevice && !parties.mfaPassed) return { kind: 'prove', device };
  if (device) return { kind: 'tokens', device: { deviceKey: device.deviceKey, groupKey: device.groupKey }, isNew: false };
  return { kind: 'tokens', device: { deviceKey: newDeviceKey(parties.pool), groupKey: newDeviceGroupKey() }, isNew: true };
}

/** NewDeviceMetadata of a sign-in given a new device. */
export const newDeviceMetadata = (step: DeviceStep): JsonObject =>
  step.kind === 'tokens' && step.isNew && step.device ? { NewDeviceMetadata: { DeviceKey: step.device.deviceKey, DeviceGroupKey: step.device.groupKey } } : {};

/**
 * A refresh (REFRESH_TOKEN_AUTH, GetTokensFromRefreshToken) of tokens made on a device: it names that
 * device again, as Cognito requires "if device remembering is enabled". Another device's key is
 * refused; so is no key while the family's device is confirmed. A device never confirmed (or
 * forgotten since) needs no key: its client holds none.
 */
export function checkRefreshDevice(ctx: PoolContext, family: TokenFamilyRecord, presented: string | undefined): void {
  const bound = family.deviceKey;
  if (bound === null) return;
  if (presented !== undefined) {
    if (presented !== bound) throw Errors.invalidRefreshToken();
    return;
  }
  const device = ctx.store.getDevice(family.poolId, bound);
  if (device && device.userSub === family.userSub) throw Errors.invalidRefreshToken();
}

// ---------- ConfirmDevice, UpdateDeviceStatus, and what the device operations return ----------

export interface DeviceVerifierInput {
  PasswordVerifier?: string;
  Salt?: string;
}

/** Hex of the base64 bytes; undefined when they are not base64 or empty. */
function decodedHex(text: string | undefined): string | undefined {
  if (text === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const bytes = base64Decode(text);
  return bytes.length === 0 ? undefined : bytesToHex(bytes);
}

/**
 * ConfirmDevice: a device key this user's sign-in was given becomes a confirmed device with the
 * SRP verifier the client made for it; remembered at once unless the pool remembers only on the
 * user's word. Returns UserConfirmationNecessary.
 */
export function confirmDevice(
  ctx: PoolContext,
  pool: PoolRecord,
  user: UserRecord,
  request: { deviceKey: string; verifier: DeviceVerifierInput | undefined; name: string | undefined },
): boolean {
  const tracking = deviceTracking(pool);
  const groupKey = tracking && ctx.store.issuedDeviceGroupKey(pool.id, user.sub, request.deviceKey);
  if (!tracking || !groupKey) {
    // A key confirmed already (by this user) is told apart from one never given.
    throw devicesOwn(ctx, pool, user, request.deviceKey) ? Errors.deviceKeyExists() : Errors.deviceNotFound();
  }
  const salt = decodedHex(request.verifier?.Salt);
  const verifier = decodedHex(request.verifier?.PasswordVerifier);
  const v = verifier === undefined ? 0n : BigInt('0x' + verifier);
  if (salt === undefined || verifier === undefined || v <= 1n || v >= N) {
    throw Errors.invalidParameter('DeviceSecretVerifierConfig needs a Salt and a PasswordVerifier (base64; the verifier a value 1 < v < N).');
  }
  const now = ctx.clock.now();
  const confirmed = ctx.store.insertDevice({
    poolId: pool.id,
    userSub: user.sub,
    deviceKey: request.deviceKey,
    groupKey,
    name: request.name ?? null,
    salt,
    verifier,
    remembered: !tracking.rememberOnUserPrompt,
    createdAt: now,
    updatedAt: now,
    lastAuthenticatedAt: now,
  });
  if (!confirmed) throw Errors.deviceKeyExists();
  return tracking.rememberOnUserPrompt;
}

/** The user's device, or ResourceNotFoundException. */
export function requireDevice(ctx: PoolContext, pool: PoolRecord, user: UserRecord, deviceKey: string): DeviceRecord {
  const device = devicesOwn(ctx, pool, user, deviceKey);
  if (!device) throw Errors.deviceNotFound();
  return device;
}

/** UpdateDeviceStatus: remembered / not_remembered (left out: no change). */
export function updateDeviceStatus(ctx: PoolContext, pool: PoolRecord, user: UserRecord, deviceKey: string, status: string | undefined): void {
  if (status === undefined) {
    requireDevice(ctx, pool, user, deviceKey);
    return;
  }
  if (!ctx.store.setDeviceRemembered(pool.id, user.sub, deviceKey, status === 'remembered', ctx.clock.now())) throw Errors.deviceNotFound();
}

export function forgetDevice(ctx: PoolContext, pool: PoolRecord, user: UserRecord, deviceKey: string): void {
  if (!ctx.store.deleteDevice(pool.id, user.sub, deviceKey)) throw Errors.deviceNotFound();
}

const seconds = (ms: number): number => ms / 1000;

/** DeviceType, as GetDevice and ListDevices return it (dates in epoch seconds). */
export function describeDevice(device: DeviceRecord): JsonObject {
  return {
    DeviceKey: device.deviceKey,
    DeviceAttributes: [
      { Name: 'device_status', Value: 'valid' },
      ...(device.name !== null ? [{ Name: 'device_name', Value: device.name }] : []),
      { Name: 'dev:device_remembered_status', Value: device.remembered ? 'remembered' : 'not_remembered' },
    ],
    DeviceCreateDate: seconds(device.createdAt),
    DeviceLastModifiedDate: seconds(device.updatedAt),
    DeviceLastAuthenticatedDate: seconds(device.lastAuthenticatedAt),
  };
}

/** The most devices one ListDevices page holds (the service model's limit). */
export const MAX_DEVICES_PER_PAGE = 60;

/** PaginationToken: where the previous page ended (keyset, so forgetting a device never skips another). */
const pageAfter = {
  encode: (last: DeviceRecord): string => Buffer.from(JSON.stringify([last.createdAt, last.deviceKey])).toString('base64url'),
  decode(token: string): { createdAt: number; deviceKey: string } {
    try {
      const [createdAt, deviceKey] = JSON.parse(Buffer.from(token, 'base64url').toString()) as unknown[];
      if (typeof createdAt === 'number' && typeof deviceKey === 'string') return { createdAt, deviceKey };
    } catch {
      // reported below
    }
    throw Errors.invalidParameter('Invalid PaginationToken.');
  },
};

/** One page of the user's devices, oldest first; Limit 0 or left out is the most a page holds. */
export function listDevices(ctx: PoolContext, pool: PoolRecord, user: UserRecord, limit: number | undefined, token: string | undefined): JsonObject {
  const after = token === undefined ? undefined : pageAfter.decode(token);
  const size = limit || MAX_DEVICES_PER_PAGE;
  const rows = ctx.store.listDevices(pool.id, user.sub, size + 1, after);
  const page = rows.slice(0, size);
  return { Devices: page.map(describeDevice), ...(rows.length > size ? { PaginationToken: pageAfter.encode(page.at(-1)!) } : {}) };
}
