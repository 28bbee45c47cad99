// Device authentication: DEVICE_SRP_AUTH (the client's SRP_A for its device) and
// DEVICE_PASSWORD_VERIFIER (SRP_B, SALT, SECRET_BLOCK out; the device's password claim in). The
// same SRP as the password's, with the DeviceGroupKey in the pool name's place, the device key in
// the username's and the device secret as the password, checked against the verifier ConfirmDevice stored.
import { parseCognitoTimestamp } from '../../cognito/srp-math.js';
import type { PoolContext } from '../context.js';
import { Errors } from '../api/errors.js';
import type { JsonObject } from '../api/validation.js';
import { safeEqual } from '../crypto/secrets.js';
import { isValidSrpA, newSecretBlock } from '../crypto/srp-server.js';
import type { DeviceRecord } from '../store/model.js';
import { claimSession, finishSignIn, openChallenge, requireParameter, unknownUserError, type SignInParties } from '../flows/sign-in.js';
import { TIMESTAMP_SHAPE, TIMESTAMP_TOLERANCE_MS } from '../flows/challenges/password-verifier.js';
import type { ChallengeStep } from '../flows/challenges/index.js';

interface DeviceSrpState {
  deviceKey: string;
}

interface DeviceVerifierState extends DeviceSrpState {
  A: string;
  b: string;
  B: string;
  secretBlock: string;
}

/** DEVICE_SRP_AUTH, before the tokens of a sign-in that presented a confirmed device. */
export function openDeviceChallenge(ctx: PoolContext, parties: SignInParties, device: DeviceRecord): JsonObject {
  const { client, user } = parties;
  const state: DeviceSrpState = { deviceKey: device.deviceKey };
  return openChallenge(ctx, {
    client,
    userSub: user.sub,
    username: user.username,
    challenge: 'DEVICE_SRP_AUTH',
    state: { ...state },
    attemptId: parties.attemptId ?? null,
    parameters: { USERNAME: user.username, DEVICE_KEY: device.deviceKey },
  });
}

/** The device key the answer names: the challenge's own (the handler checked it is a device of the user). */
function challengeDevice(responses: Record<string, string>, state: DeviceSrpState): string {
  const deviceKey = requireParameter(responses, 'DEVICE_KEY');
  if (deviceKey !== state.deviceKey) throw Errors.invalidParameter('DEVICE_KEY is not the device this challenge was issued for.');
  return deviceKey;
}

/** SRP_A for the device: answered with the device's salt and a fresh B (input mistakes keep the Session). */
export async function respondToDeviceSrpAuth(ctx: PoolContext, step: ChallengeStep): Promise<JsonObject> {
  const { pool, client, session, responses } = step;
  const state = session.state as unknown as DeviceSrpState;
  const deviceKey = challengeDevice(responses, state);
  const srpA = requireParameter(responses, 'SRP_A');
  if (!isValidSrpA(srpA)) throw Errors.invalidParameter('SRP_A must be a hexadecimal SRP public value that is not 0 mod N');
  const device = ctx.store.getDevice(pool.id, deviceKey);
  if (!device || device.userSub !== session.userSub) throw Errors.deviceNotFound();
  claimSession(ctx, session);
  const ephemeral = await ctx.srp.createEphemeral(device.verifier);
  const secretBlock = newSecretBlock();
  const next: DeviceVerifierState = { ...state, A: srpA, b: ephemeral.b, B: ephemeral.B, secretBlock };
  return openChallenge(ctx, {
    client,
    userSub: session.userSub,
    username: session.username,
    challenge: 'DEVICE_PASSWORD_VERIFIER',
    state: { ...next },
    attemptId: session.attemptId,
    parameters: { SRP_B: ephemeral.B, SALT: device.salt, SECRET_BLOCK: secretBlock, USERNAME: session.username, DEVICE_KEY: deviceKey },
  });
}

/**
 * The device's password claim, verified with real SRP against its stored verifier; then the tokens
 * (no NewDeviceMetadata: the sign-in was made on this device; PreTokenGeneration's triggerSource
 * TokenGeneration_AuthenticateDevice). A wrong claim ends the sign-in
 * ("Incorrect username or password."), without counting towards the password lockout.
 */
export async function respondToDevicePasswordVerifier(ctx: PoolContext, step: ChallengeStep): Promise<JsonObject> {
  const { pool, client, session, responses } = step;
  const state = session.state as unknown as DeviceVerifierState;
  const deviceKey = challengeDevice(responses, state);
  const signature = requireParameter(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const secretBlock = requireParameter(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const timestamp = requireParameter(responses, 'TIMESTAMP');
  if (!TIMESTAMP_SHAPE.test(timestamp)) {
    throw Errors.invalidParameter('TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');
  }
  claimSession(ctx, session);
  const device = ctx.store.getDevice(pool.id, deviceKey);
  if (!device || device.userSub !== session.userSub) throw Errors.deviceNotFound();
  const issuedAt = parseCognitoTimestamp(timestamp);
  const fresh = issuedAt !== undefined && Math.abs(ctx.clock.now() - issuedAt.getTime()) <= TIMESTAMP_TOLERANCE_MS;
  const verified = await ctx.srp.verifyClaim({
    A: state.A,
    b: state.b,
    B: state.B,
    verifier: device.verifier,
    poolId: pool.id,
    poolName: device.groupKey,
    userIdForSrp: device.deviceKey,
    secretBlock: state.secretBlock,
    timestamp,
    signature,
  });
  if (!(verified && fresh && safeEqual(secretBlock, state.secretBlock))) throw Errors.incorrectCredentials();
  // The check was an await: the user and the device as stored now.
  const user = session.userSub === null ? undefined : ctx.store.getUserBySub(pool.id, session.userSub);
  if (!user) throw unknownUserError(client);
  if (!user.enabled) throw Errors.userDisabled();
  const current = ctx.store.getDevice(pool.id, deviceKey);
  if (!current || current.userSub !== user.sub) throw Errors.deviceNotFound();
  return finishSignIn(ctx, {
    pool,
    client,
    user,
    attemptId: session.attemptId,
    clientMetadata: step.clientMetadata,
    tokenSource: 'TokenGeneration_AuthenticateDevice',
    provenDevice: current,
  });
}
