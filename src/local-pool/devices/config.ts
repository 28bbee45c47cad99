// DeviceConfiguration (CreateUserPool, UpdateUserPool, DescribeUserPool): whether the pool tracks
// devices, whether a remembered device stands in for MFA, and whether devices are remembered only
// when the user says so. Kept in the pool's Stored members, in Cognito's shape.
import { Validator, type JsonObject } from '../api/validation.js';
import type { PoolRecord } from '../store/model.js';

export interface DeviceTracking {
  /** ChallengeRequiredOnNewDevice: a remembered device signs in with device authentication instead of the MFA step. */
  deviceReplacesMfa: boolean;
  /** DeviceOnlyRememberedOnUserPrompt: ConfirmDevice leaves the device not_remembered until UpdateDeviceStatus. */
  rememberOnUserPrompt: boolean;
}

/**
 * The member as it is stored and described: both booleans, false when left out. Any member given
 * turns tracking on, as Cognito documents; an empty DeviceConfiguration leaves it off (not stored).
 */
export function readDeviceConfiguration(input: JsonObject): JsonObject | undefined {
  const v = new Validator(input);
  const replacesMfa = v.optionalBoolean('ChallengeRequiredOnNewDevice');
  const onPrompt = v.optionalBoolean('DeviceOnlyRememberedOnUserPrompt');
  v.done();
  if (replacesMfa === undefined && onPrompt === undefined) return undefined;
  return { ChallengeRequiredOnNewDevice: replacesMfa ?? false, DeviceOnlyRememberedOnUserPrompt: onPrompt ?? false };
}

/** The pool's device tracking; undefined when it tracks no devices. */
export function deviceTracking(pool: PoolRecord): DeviceTracking | undefined {
  const stored = pool.config.Stored?.DeviceConfiguration as Record<string, unknown> | undefined;
  if (!stored) return undefined;
  return {
    deviceReplacesMfa: stored['ChallengeRequiredOnNewDevice'] === true,
    rememberOnUserPrompt: stored['DeviceOnlyRememberedOnUserPrompt'] === true,
  };
}
