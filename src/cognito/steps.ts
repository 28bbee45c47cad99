// Cognito answers -> sign-in steps. Pure: no I/O, no clock, table-tested.
import { AuthError, type AuthErrorCode } from './errors.js';
import type { CognitoAuthResponse, CognitoTokens } from './port.js';

/** Amplify's `nextStep.signInStep` names for the steps the chart implements. */
export type SignInStepName =
  | 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED'
  | 'CONFIRM_SIGN_UP'
  | 'RESET_PASSWORD'
  | 'DONE';

/** A Cognito answer, decoded. PASSWORD_VERIFIER is internal: the chart answers it without the user. */
export type CognitoStep =
  | {
      readonly step: 'PASSWORD_VERIFIER';
      readonly session: string;
      readonly username: string;
      readonly srp: { readonly userIdForSrp: string; readonly srpB: string; readonly salt: string; readonly secretBlock: string };
    }
  | {
      readonly step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED';
      readonly session: string;
      readonly username: string;
      readonly missingAttributes: readonly string[];
      readonly userAttributes: Readonly<Record<string, string>>;
    }
  | { readonly step: 'DONE'; readonly tokens: CognitoTokens };

/** Exceptions Cognito uses to say "your next step is elsewhere" (as Amplify's getSignInResultFromError). */
const STEP_BY_ERROR: Partial<Record<AuthErrorCode, 'CONFIRM_SIGN_UP' | 'RESET_PASSWORD'>> = {
  UserNotConfirmed: 'CONFIRM_SIGN_UP',
  PasswordResetRequired: 'RESET_PASSWORD',
};

export function stepFromError(error: AuthError): 'CONFIRM_SIGN_UP' | 'RESET_PASSWORD' | undefined {
  return STEP_BY_ERROR[error.code];
}

/**
 * Decodes InitiateAuth / RespondToAuthChallenge output.
 * `typedUsername` is what the user typed; Cognito's canonical name wins when it sends one.
 */
export function stepFromResponse(response: CognitoAuthResponse, typedUsername: string): CognitoStep {
  if (response.tokens && !response.challengeName) return { step: 'DONE', tokens: response.tokens };

  const params = response.challengeParameters;
  const username = params['USERNAME'] ?? params['USER_ID_FOR_SRP'] ?? typedUsername;
  const session = response.session;
  const name = response.challengeName;
  if (!name) throw new AuthError('UnexpectedResponse', 'Cognito answered with neither tokens nor a challenge');
  if (!session) throw new AuthError('UnexpectedResponse', `Cognito sent ${name} without a Session`);

  switch (name) {
    case 'PASSWORD_VERIFIER': {
      const srp = {
        userIdForSrp: params['USER_ID_FOR_SRP'] ?? username,
        srpB: required(params, 'SRP_B', name),
        salt: required(params, 'SALT', name),
        secretBlock: required(params, 'SECRET_BLOCK', name),
      };
      return { step: 'PASSWORD_VERIFIER', session, username, srp };
    }
    case 'NEW_PASSWORD_REQUIRED':
      return {
        step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED',
        session,
        username,
        missingAttributes: parseJson<string[]>(params['requiredAttributes'], [], isStringArray).map((a) =>
          a.replace(/^userAttributes\./, ''),
        ),
        userAttributes: parseJson<Record<string, string>>(params['userAttributes'], {}, isStringRecord),
      };
    default:
      throw new AuthError('UnexpectedChallenge', `This version of authchart cannot answer the ${name} challenge yet`);
  }
}

function required(params: Readonly<Record<string, string>>, key: string, challenge: string): string {
  const value = params[key];
  if (!value) throw new AuthError('UnexpectedResponse', `${challenge} challenge without ${key}`);
  return value;
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isStringRecord = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/** Cognito sends lists and maps inside challenge parameters as JSON strings. */
function parseJson<T>(text: string | undefined, fallback: T, guard: (v: unknown) => v is T): T {
  if (text === undefined || text === '') return fallback;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new AuthError('UnexpectedResponse', `Malformed challenge parameter: ${text.slice(0, 40)}`, { cause });
  }
  if (!guard(value)) throw new AuthError('UnexpectedResponse', `Unexpected challenge parameter shape: ${text.slice(0, 40)}`);
  return value;
}
