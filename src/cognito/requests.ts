// Pure request builders: what each chart step sends to Cognito, beside the port that sends it (as
// oauth4webapi pairs requests and responses). USERNAME and SECRET_HASH rules live here and in the port.
import { challengeResponses, type ChallengeAnswerOf, type ChallengeName, type FirstFactor } from './steps.js';
import type { InitiateAuthRequest, RespondToAuthChallengeRequest } from './port.js';

export function passwordAuthRequest(loginId: string, password: string): InitiateAuthRequest {
  return { authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: loginId, PASSWORD: password } };
}

/** SRP_A in hex, as Cognito expects it. */
export function srpAuthRequest(loginId: string, srpA: bigint): InitiateAuthRequest {
  return { authFlow: 'USER_SRP_AUTH', parameters: { USERNAME: loginId, SRP_A: srpA.toString(16) } };
}

/**
 * USER_AUTH (choice-based sign-in): with a preferred first factor or without one (SELECT_CHALLENGE). A password
 * factor carries its proof at once: PASSWORD with the password, PASSWORD_SRP with SRP_A (as Amplify sends them).
 */
export function userAuthRequest(loginId: string, preferred: FirstFactor | null, proof: { password?: string; srpA?: bigint } = {}): InitiateAuthRequest {
  return {
    authFlow: 'USER_AUTH',
    parameters: {
      USERNAME: loginId,
      ...(preferred === null ? {} : { PREFERRED_CHALLENGE: preferred }),
      ...(proof.password === undefined ? {} : { PASSWORD: proof.password }),
      ...(proof.srpA === undefined ? {} : { SRP_A: proof.srpA.toString(16) }),
    },
  };
}

/**
 * CUSTOM_AUTH: without SRP only USERNAME (DefineAuthChallenge starts the custom rounds); with SRP the password is
 * proved first (CHALLENGE_NAME SRP_A, then PASSWORD_VERIFIER), as Amplify's CUSTOM_WITH_SRP.
 */
export function customAuthRequest(loginId: string, srpA?: bigint): InitiateAuthRequest {
  return {
    authFlow: 'CUSTOM_AUTH',
    parameters: { USERNAME: loginId, ...(srpA === undefined ? {} : { CHALLENGE_NAME: 'SRP_A', SRP_A: srpA.toString(16) }) },
  };
}

/** USER_AUTH with the Session ConfirmSignUp answered with (auto sign-in after sign-up), as InitiateAuth's own Session member. */
export function sessionAuthRequest(username: string, session: string): InitiateAuthRequest {
  return { authFlow: 'USER_AUTH', parameters: { USERNAME: username }, session };
}

/** REFRESH_TOKEN_AUTH; SECRET_HASH (confidential clients) uses the token's own user name. */
export function refreshTokenAuthRequest(refreshToken: string, username: string, deviceKey?: string): InitiateAuthRequest {
  return { authFlow: 'REFRESH_TOKEN_AUTH', parameters: { REFRESH_TOKEN: refreshToken, ...(deviceKey === undefined ? {} : { DEVICE_KEY: deviceKey }) }, secretHashUsername: username };
}

/** RespondToAuthChallenge: the answer encoded by the step table, with the canonical USERNAME every answer carries. */
export function challengeRequest<C extends ChallengeName>(challengeName: C, session: string, username: string, answer: ChallengeAnswerOf<C>): RespondToAuthChallengeRequest {
  return { challengeName, session, responses: { USERNAME: username, ...challengeResponses(challengeName, answer) } };
}

/** A remembered device's key rides on the password step (USER_SRP_AUTH / USER_PASSWORD_AUTH / USER_AUTH), as Cognito's own clients send it. */
export function withDeviceKey(request: InitiateAuthRequest, deviceKey: string | undefined): InitiateAuthRequest {
  return deviceKey === undefined ? request : { ...request, parameters: { ...request.parameters, DEVICE_KEY: deviceKey } };
}

/** The same key on a challenge answer (PASSWORD_VERIFIER checks it once the user is known). */
export function withChallengeDeviceKey(request: RespondToAuthChallengeRequest, deviceKey: string | undefined): RespondToAuthChallengeRequest {
  return deviceKey === undefined ? request : { ...request, responses: { ...request.responses, DEVICE_KEY: deviceKey } };
}

/** DEVICE_SRP_AUTH: the device starts its own SRP round (the runtime answers it, never the user). */
export function deviceSrpRequest(session: string, username: string, deviceKey: string, srpA: bigint): RespondToAuthChallengeRequest {
  return { challengeName: 'DEVICE_SRP_AUTH', session, responses: { USERNAME: username, DEVICE_KEY: deviceKey, SRP_A: srpA.toString(16) } };
}

/** DEVICE_PASSWORD_VERIFIER: the device's claim over DEVICE_SRP_AUTH's answer. */
export function devicePasswordVerifierRequest(
  session: string,
  username: string,
  deviceKey: string,
  claim: { readonly secretBlock: string; readonly signature: string; readonly timestamp: string },
): RespondToAuthChallengeRequest {
  return {
    challengeName: 'DEVICE_PASSWORD_VERIFIER',
    session,
    responses: { USERNAME: username, DEVICE_KEY: deviceKey, PASSWORD_CLAIM_SECRET_BLOCK: claim.secretBlock, PASSWORD_CLAIM_SIGNATURE: claim.signature, TIMESTAMP: claim.timestamp },
  };
}
