// Cognito answers -> sign-in steps. Pure: no I/O, no clock, table-tested.
import { AuthError, type AuthErrorCode } from './errors.js';
import type { CognitoAuthResponse, CognitoTokens } from './port.js';

/** Amplify's `nextStep.signInStep` names for the steps the chart implements. */
export type SignInStepName =
  | 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED'
  | 'CONFIRM_SIGN_IN_WITH_SMS_CODE'
  | 'CONFIRM_SIGN_IN_WITH_TOTP_CODE'
  | 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE'
  | 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION'
  | 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION'
  | 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP'
  | 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP'
  | 'CONFIRM_SIGN_UP'
  | 'RESET_PASSWORD'
  | 'DONE';

/** Amplify's AuthMFAType. */
export type MfaType = 'SMS' | 'TOTP' | 'EMAIL';

/** Cognito's names for the MFA types (SELECT_MFA_TYPE answers, MFAS_CAN_* lists, UserMFASettingList). */
export const COGNITO_MFA_NAME: Readonly<Record<MfaType, string>> = { SMS: 'SMS_MFA', TOTP: 'SOFTWARE_TOKEN_MFA', EMAIL: 'EMAIL_OTP' };

export function mfaTypeFromCognito(name: string): MfaType | undefined {
  switch (name) {
    case 'SMS_MFA':
      return 'SMS';
    case 'SOFTWARE_TOKEN_MFA':
      return 'TOTP';
    case 'EMAIL_OTP':
    case 'EMAIL_MFA': // name used in parts of the model's prose
      return 'EMAIL';
    default:
      return undefined;
  }
}

export interface CodeDelivery {
  readonly deliveryMedium: 'SMS' | 'EMAIL';
  /** Masked by Cognito, e.g. +*******0008 or a***@e***. */
  readonly destination: string;
}

/** Each challenge answer is one of these; the runtime turns it into ChallengeResponses. */
export type ChallengeAnswer =
  | { readonly challengeName: 'SMS_MFA' | 'EMAIL_OTP' | 'SOFTWARE_TOKEN_MFA'; readonly code: string }
  | { readonly challengeName: 'SELECT_MFA_TYPE'; readonly mfaType: MfaType }
  | { readonly challengeName: 'MFA_SETUP'; readonly email: string }
  | { readonly challengeName: 'MFA_SETUP' };

/** ChallengeResponses for an answer, without USERNAME / SECRET_HASH (the port adds those). */
export function challengeResponses(answer: ChallengeAnswer): Record<string, string> {
  switch (answer.challengeName) {
    case 'SMS_MFA':
      return { SMS_MFA_CODE: answer.code };
    case 'EMAIL_OTP':
      return { EMAIL_OTP_CODE: answer.code };
    case 'SOFTWARE_TOKEN_MFA':
      return { SOFTWARE_TOKEN_MFA_CODE: answer.code };
    case 'SELECT_MFA_TYPE':
      return { ANSWER: COGNITO_MFA_NAME[answer.mfaType] };
    case 'MFA_SETUP':
      return 'email' in answer ? { EMAIL: answer.email } : {};
  }
}

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
  | {
      readonly step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE' | 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE';
      readonly session: string;
      readonly username: string;
      readonly codeDelivery: CodeDelivery;
    }
  | { readonly step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE'; readonly session: string; readonly username: string }
  | {
      readonly step: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION';
      readonly session: string;
      readonly username: string;
      readonly allowedMfaTypes: readonly MfaType[];
    }
  | {
      /** MFA_SETUP: which types can be set up decides the next step (selection, TOTP, email, or none possible). */
      readonly step: 'MFA_SETUP';
      readonly session: string;
      readonly username: string;
      readonly allowedMfaTypes: readonly MfaType[];
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
    case 'SMS_MFA':
    case 'EMAIL_OTP':
      return {
        step: name === 'SMS_MFA' ? 'CONFIRM_SIGN_IN_WITH_SMS_CODE' : 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
        session,
        username,
        codeDelivery: {
          deliveryMedium: params['CODE_DELIVERY_DELIVERY_MEDIUM'] === 'EMAIL' || (name === 'EMAIL_OTP' && !params['CODE_DELIVERY_DELIVERY_MEDIUM']) ? 'EMAIL' : 'SMS',
          destination: params['CODE_DELIVERY_DESTINATION'] ?? '',
        },
      };
    case 'SOFTWARE_TOKEN_MFA':
      return { step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', session, username };
    case 'SELECT_MFA_TYPE':
      return { step: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', session, username, allowedMfaTypes: mfaTypes(params['MFAS_CAN_CHOOSE']) };
    case 'MFA_SETUP':
      return { step: 'MFA_SETUP', session, username, allowedMfaTypes: mfaTypes(params['MFAS_CAN_SETUP']) };
    default:
      throw new AuthError('UnexpectedChallenge', `This version of authchart cannot answer the ${name} challenge yet`);
  }
}

/** A JSON-string list of Cognito MFA names -> our MFA types, unknown names dropped, order kept. */
function mfaTypes(text: string | undefined): MfaType[] {
  const names = parseJson<string[]>(text, [], isStringArray);
  return [...new Set(names.map(mfaTypeFromCognito).filter((t): t is MfaType => t !== undefined))];
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
