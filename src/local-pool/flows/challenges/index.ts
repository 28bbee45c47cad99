// RespondToAuthChallenge dispatches on ChallengeName through this table; MFA, custom and
// passwordless challenges are added here as new entries.
import type { PoolContext } from '../../context.js';
import type { AuthSessionRecord, ClientRecord, PoolRecord } from '../../store/model.js';
import type { JsonObject } from '../../api/validation.js';
import { firstFactorResponders } from './first-factor.js';
import { mfaResponders } from './mfa.js';
import { respondToNewPassword } from './new-password.js';
import { respondToPasswordVerifier } from './password-verifier.js';
import { respondToCustomChallenge } from '../custom-auth.js';
import { respondToDevicePasswordVerifier, respondToDeviceSrpAuth } from '../../devices/challenge.js';

export interface ChallengeStep {
  pool: PoolRecord;
  client: ClientRecord;
  /** Loaded and checked (client, expiry, not yet used); the responder claims it. */
  session: AuthSessionRecord;
  responses: Record<string, string>;
  /** The request's ClientMetadata, passed on to the Lambda triggers. */
  clientMetadata?: Record<string, string> | undefined;
}

export type ChallengeResponder = (ctx: PoolContext, step: ChallengeStep) => Promise<JsonObject>;

export const challengeResponders: Readonly<Record<string, ChallengeResponder>> = {
  PASSWORD_VERIFIER: respondToPasswordVerifier,
  NEW_PASSWORD_REQUIRED: respondToNewPassword,
  CUSTOM_CHALLENGE: respondToCustomChallenge,
  DEVICE_SRP_AUTH: respondToDeviceSrpAuth,
  DEVICE_PASSWORD_VERIFIER: respondToDevicePasswordVerifier,
  ...mfaResponders,
  ...firstFactorResponders,
};
