// The client side of Cognito's device SRP, on authchart's own SRP math (src/cognito/srp.ts): the
// verifier a client makes for ConfirmDevice, and the device's answers to DEVICE_SRP_AUTH and
// DEVICE_PASSWORD_VERIFIER. The DeviceGroupKey takes the pool name's place, the device key the
// username's, and a random device secret the password's (as amazon-cognito-identity-js and Amplify do).
import { randomBytes } from 'node:crypto';
import {
  CognitoSrpRoutines,
  base64Encode,
  bytesToBigInt,
  cognitoHkdf,
  cognitoTimestamp,
  hexToBigInt,
  hexToBytes,
  padHex,
  passwordClaimSignature,
  srpK,
  srpU,
  srpX,
  type SrpEphemeral,
} from '../../src/cognito/srp.js';
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';

const routines = new CognitoSrpRoutines(createOpenSslEngine());

/** What a client keeps of a confirmed device. */
export interface DeviceSecret {
  deviceKey: string;
  groupKey: string;
  /** The device "password": base64 of 40 random bytes. */
  password: string;
}

/** A device secret and ConfirmDevice's DeviceSecretVerifierConfig for it (padded-hex bytes, base64). */
export async function deviceVerifier(deviceKey: string, groupKey: string): Promise<{ secret: DeviceSecret; config: { Salt: string; PasswordVerifier: string }; saltHex: string }> {
  const password = randomBytes(40).toString('base64');
  const saltHex = padHex(bytesToBigInt(randomBytes(16)));
  const x = await srpX(groupKey + deviceKey, hexToBigInt(saltHex), password);
  const verifier = routines.computeVerifier(x);
  return {
    secret: { deviceKey, groupKey, password },
    config: { Salt: base64Encode(hexToBytes(saltHex)), PasswordVerifier: base64Encode(hexToBytes(padHex(verifier))) },
    saltHex,
  };
}

/** DEVICE_SRP_AUTH's SRP_A, with the private value to answer the verifier challenge. */
export function deviceEphemeral(): SrpEphemeral {
  const a = routines.generatePrivateValue();
  return { a, A: routines.computeClientPublicValue(a) };
}

/** DEVICE_PASSWORD_VERIFIER's claim over SRP_B, SALT and SECRET_BLOCK, signed for `now` (or any TIMESTAMP text). */
export async function deviceClaim(
  secret: DeviceSecret,
  ephemeral: SrpEphemeral,
  parameters: Record<string, string>,
  now: Date,
  timestamp: string = cognitoTimestamp(now),
): Promise<{ PASSWORD_CLAIM_SIGNATURE: string; PASSWORD_CLAIM_SECRET_BLOCK: string; TIMESTAMP: string }> {
  const B = hexToBigInt(parameters['SRP_B']!);
  const u = await srpU(ephemeral.A, B);
  const x = await srpX(secret.groupKey + secret.deviceKey, hexToBigInt(parameters['SALT']!), secret.password);
  const S = routines.computeClientSessionKey(await srpK(), x, u, ephemeral.a, B);
  const key = await cognitoHkdf(S, u);
  const secretBlock = parameters['SECRET_BLOCK']!;
  return {
    PASSWORD_CLAIM_SIGNATURE: await passwordClaimSignature(key, secret.groupKey, secret.deviceKey, secretBlock, timestamp),
    PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
    TIMESTAMP: timestamp,
  };
}
