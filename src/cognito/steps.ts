// THE step table: every Cognito challenge (and every exception that is really a next step) the chart
// handles, keyed by Cognito's name. Per entry: the result's `step`, Amplify's nextStep name, the view
// route, how challenge parameters decode into step data, how the user's answer encodes into
// ChallengeResponses, and the inverse of decode (step data -> parameters) for the test fakes.
// Types of results, answers and routes derive from it. Pure: no I/O, no clock, table-tested.
import { AuthError, type AuthErrorCode } from './errors.js';
import type { CognitoAuthResponse, CognitoTokens } from './port.js';

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
    case 'EMAIL_MFA': // older name some SDKs and docs use
      return 'EMAIL';
    default:
      return undefined;
  }
}

/** USER_AUTH's first factors (Cognito's names; Amplify's AuthFactorType). */
export type FirstFactor = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';
export const FIRST_FACTORS: readonly FirstFactor[] = ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];
export const isFirstFactor = (value: unknown): value is FirstFactor => (FIRST_FACTORS as readonly unknown[]).includes(value);
/** The factors that need the password. */
export const isPasswordFactor = (factor: FirstFactor): factor is 'PASSWORD' | 'PASSWORD_SRP' => factor === 'PASSWORD' || factor === 'PASSWORD_SRP';

/** WEB_AUTHN's CREDENTIAL_REQUEST_OPTIONS: PublicKeyCredentialRequestOptionsJSON (public data: a challenge, no secret). */
export interface PasskeyRequest {
  readonly challenge: string;
  readonly rpId?: string;
  readonly timeout?: number;
  readonly userVerification?: 'required' | 'preferred' | 'discouraged';
  readonly allowCredentials?: ReadonlyArray<{ readonly type: 'public-key'; readonly id: string; readonly transports?: readonly string[] }>;
}

export interface CodeDelivery {
  readonly deliveryMedium: 'SMS' | 'EMAIL';
  /** Masked by Cognito, e.g. +*******0008 or a***@e***. */
  readonly destination: string;
  /** The attribute the code went to (email / phone_number), when Cognito says (sign-up, password reset). */
  readonly attributeName?: string;
}

/** Step data for NEW_PASSWORD_REQUIRED. */
export interface NewPasswordChallenge {
  readonly missingAttributes: readonly string[];
  readonly userAttributes: Readonly<Record<string, string>>;
}

/** What the SRP proof needs from PASSWORD_VERIFIER (kept by the runtime, never in machine context). */
export interface SrpChallengeData {
  readonly userIdForSrp: string;
  readonly srpB: string;
  readonly salt: string;
  readonly secretBlock: string;
}

/** The SRP proof the runtime computed for PASSWORD_VERIFIER. */
export interface PasswordClaim {
  readonly secretBlock: string;
  readonly signature: string;
  readonly timestamp: string;
}

type Params = Readonly<Record<string, string>>;

const codeDelivery = (params: Params, fallback: CodeDelivery['deliveryMedium']): { codeDelivery: CodeDelivery } => ({
  codeDelivery: {
    deliveryMedium: params['CODE_DELIVERY_DELIVERY_MEDIUM'] === 'EMAIL' ? 'EMAIL' : params['CODE_DELIVERY_DELIVERY_MEDIUM'] === 'SMS' ? 'SMS' : fallback,
    destination: params['CODE_DELIVERY_DESTINATION'] ?? '',
  },
});
const deliveryParameters = (data: { codeDelivery: CodeDelivery }): Params => ({
  CODE_DELIVERY_DELIVERY_MEDIUM: data.codeDelivery.deliveryMedium,
  CODE_DELIVERY_DESTINATION: data.codeDelivery.destination,
});
const mfaNames = (types: readonly MfaType[]) => JSON.stringify(types.map((t) => COGNITO_MFA_NAME[t]));

/**
 * The challenges. `step` is what the chart's results carry (Amplify's nextStep name where the step is
 * one; the challenge name where the chart decides more itself: PASSWORD_VERIFIER is answered without the
 * user, MFA_SETUP routes to one of three setup steps).
 */
export const CHALLENGES = {
  PASSWORD_VERIFIER: {
    step: 'PASSWORD_VERIFIER',
    signInStep: null,
    route: 'signIn',
    decode: (_params: Params) => ({}),
    secret: (params: Params): SrpChallengeData => ({
      userIdForSrp: params['USER_ID_FOR_SRP'] ?? params['USERNAME'] ?? '',
      srpB: required(params, 'SRP_B', 'PASSWORD_VERIFIER'),
      salt: required(params, 'SALT', 'PASSWORD_VERIFIER'),
      secretBlock: required(params, 'SECRET_BLOCK', 'PASSWORD_VERIFIER'),
    }),
    encode: (claim: PasswordClaim): Params => ({
      PASSWORD_CLAIM_SECRET_BLOCK: claim.secretBlock,
      PASSWORD_CLAIM_SIGNATURE: claim.signature,
      TIMESTAMP: claim.timestamp,
    }),
    parameters: (_data: object): Params => ({}),
  },
  NEW_PASSWORD_REQUIRED: {
    step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED',
    signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED',
    route: 'newPassword',
    decode: (params: Params): { challenge: NewPasswordChallenge } => ({
      challenge: {
        missingAttributes: parseJson<string[]>(params['requiredAttributes'], [], isStringArray).map((a) => a.replace(/^userAttributes\./, '')),
        userAttributes: parseJson<Record<string, string>>(params['userAttributes'], {}, isStringRecord),
      },
    }),
    encode: (answer: { newPassword: string; attributes: Readonly<Record<string, string>> }): Params => {
      const responses: Record<string, string> = { NEW_PASSWORD: answer.newPassword };
      for (const [name, value] of Object.entries(answer.attributes)) responses[`userAttributes.${name}`] = value;
      return responses;
    },
    parameters: (data: { challenge: NewPasswordChallenge }): Params => ({
      requiredAttributes: JSON.stringify(data.challenge.missingAttributes.map((a) => `userAttributes.${a}`)),
      userAttributes: JSON.stringify(data.challenge.userAttributes),
    }),
  },
  SMS_MFA: {
    step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE',
    signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE',
    route: 'smsCode',
    decode: (params: Params) => codeDelivery(params, 'SMS'),
    encode: (answer: { code: string }): Params => ({ SMS_MFA_CODE: answer.code }),
    parameters: deliveryParameters,
  },
  EMAIL_OTP: {
    step: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
    signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
    route: 'emailCode',
    decode: (params: Params) => codeDelivery(params, 'EMAIL'),
    encode: (answer: { code: string }): Params => ({ EMAIL_OTP_CODE: answer.code }),
    parameters: deliveryParameters,
  },
  SOFTWARE_TOKEN_MFA: {
    step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE',
    signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE',
    route: 'totpCode',
    decode: (_params: Params) => ({}),
    encode: (answer: { code: string }): Params => ({ SOFTWARE_TOKEN_MFA_CODE: answer.code }),
    parameters: (_data: object): Params => ({}),
  },
  SELECT_MFA_TYPE: {
    step: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION',
    signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION',
    route: 'mfaSelection',
    decode: (params: Params) => ({ allowedMfaTypes: mfaTypes(params['MFAS_CAN_CHOOSE']) }),
    encode: (answer: { mfaType: MfaType }): Params => ({ ANSWER: COGNITO_MFA_NAME[answer.mfaType] }),
    parameters: (data: { allowedMfaTypes: readonly MfaType[] }): Params => ({ MFAS_CAN_CHOOSE: mfaNames(data.allowedMfaTypes) }),
  },
  CUSTOM_CHALLENGE: {
    step: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE',
    signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE',
    route: 'customChallenge',
    // CreateAuthChallenge's publicChallengeParameters, as Cognito sends them (USERNAME is the chart's, not the app's)
    decode: (params: Params): { customParameters: Readonly<Record<string, string>> } => ({
      customParameters: Object.fromEntries(Object.entries(params).filter(([name]) => name !== 'USERNAME' && name !== 'USER_ID_FOR_SRP')),
    }),
    encode: (answer: { answer: string }): Params => ({ ANSWER: answer.answer }),
    parameters: (data: { customParameters: Readonly<Record<string, string>> }): Params => data.customParameters,
  },
  SELECT_CHALLENGE: {
    step: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
    signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
    route: 'firstFactorSelection',
    // The choices are the response's AvailableChallenges, not a parameter.
    decode: (_params: Params, available: readonly string[]) => ({ availableFactors: firstFactors(available) }),
    // A password factor answers at once (PASSWORD, or SRP_A for PASSWORD_SRP); the others ask for their challenge.
    encode: (answer: { factor: FirstFactor; password?: string; srpA?: string }): Params => ({
      ANSWER: answer.factor,
      ...(answer.password === undefined ? {} : { PASSWORD: answer.password }),
      ...(answer.srpA === undefined ? {} : { SRP_A: answer.srpA }),
    }),
    parameters: (_data: { availableFactors: readonly FirstFactor[] }): Params => ({}),
    availableChallenges: (data: { availableFactors: readonly FirstFactor[] }): readonly string[] => data.availableFactors,
  },
  SMS_OTP: {
    // The same screen as SMS_MFA (Amplify's CONFIRM_SIGN_IN_WITH_SMS_CODE), but a first factor: resent by a new USER_AUTH.
    step: 'SMS_OTP',
    signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE',
    route: 'smsCode',
    decode: (params: Params) => codeDelivery(params, 'SMS'),
    encode: (answer: { code: string }): Params => ({ SMS_OTP_CODE: answer.code }),
    parameters: deliveryParameters,
  },
  WEB_AUTHN: {
    // No Amplify nextStep (Amplify runs the browser prompt itself): here it is a step the UI starts.
    step: 'WEB_AUTHN',
    signInStep: null,
    route: 'passkey',
    decode: (params: Params): { passkeyRequest: PasskeyRequest } => ({
      passkeyRequest: parseJson<PasskeyRequest>(params['CREDENTIAL_REQUEST_OPTIONS'] ?? '{}', { challenge: '' }, isPasskeyRequest),
    }),
    /** The AuthenticationResponseJSON from the browser, as the JSON string Cognito takes. */
    encode: (answer: { credential: string }): Params => ({ CREDENTIAL: answer.credential }),
    parameters: (data: { passkeyRequest: PasskeyRequest }): Params => ({ CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(data.passkeyRequest) }),
  },
  DEVICE_SRP_AUTH: {
    // A remembered device proves itself (DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER) without the user: the runtime
    // answers both rounds in one actor, so the device's private SRP value never leaves it.
    step: 'DEVICE_SRP_AUTH',
    signInStep: null,
    route: 'signIn',
    decode: (_params: Params) => ({}),
    encode: (answer: { deviceKey: string; srpA: string }): Params => ({ DEVICE_KEY: answer.deviceKey, SRP_A: answer.srpA }),
    parameters: (_data: object): Params => ({}),
  },
  MFA_SETUP: {
    step: 'MFA_SETUP',
    // Which of the setup steps (selection, TOTP, e-mail) depends on what can be set up: the chart routes it.
    signInStep: null,
    route: null,
    decode: (params: Params) => ({ allowedMfaTypes: mfaTypes(params['MFAS_CAN_SETUP']) }),
    // TOTP is confirmed by VerifySoftwareToken's Session (no answer); e-mail MFA sends the address.
    encode: (answer: { email?: string }): Params => (answer.email === undefined ? {} : { EMAIL: answer.email }),
    parameters: (data: { allowedMfaTypes: readonly MfaType[] }): Params => ({ MFAS_CAN_SETUP: mfaNames(data.allowedMfaTypes) }),
  },
} as const;

/** Exceptions Cognito uses to say "your next step is elsewhere" (as Amplify's getSignInResultFromError). */
export const STEP_EXCEPTIONS = {
  UserNotConfirmedException: { code: 'UserNotConfirmed', step: 'CONFIRM_SIGN_UP', signInStep: 'CONFIRM_SIGN_UP', route: 'confirmSignUp' },
  PasswordResetRequiredException: { code: 'PasswordResetRequired', step: 'RESET_PASSWORD', signInStep: 'RESET_PASSWORD', route: 'resetPassword' },
} as const satisfies Record<string, { code: AuthErrorCode; step: string; signInStep: string; route: string }>;

type Challenges = typeof CHALLENGES;
type Exceptions = typeof STEP_EXCEPTIONS;
export type ChallengeName = keyof Challenges;
export type ExceptionName = keyof Exceptions;

/** A challenge's step data, as decoded from its parameters. */
export type StepData<C extends ChallengeName> = ReturnType<Challenges[C]['decode']>;
/** What the user answers a challenge with (PASSWORD_VERIFIER: the runtime's SRP proof). */
export type ChallengeAnswerOf<C extends ChallengeName> = Parameters<Challenges[C]['encode']>[0];
/** The `step` of every result: challenge steps, exception steps and DONE. */
export type ChallengeStep = Challenges[ChallengeName]['step'];
export type ExceptionStep = Exceptions[ExceptionName]['step'];
export type StepName = ChallengeStep | ExceptionStep | 'DONE';

/** Amplify's `nextStep.signInStep` names for the steps the chart implements. */
export type SignInStepName =
  | NonNullable<Challenges[ChallengeName]['signInStep']>
  | Exceptions[ExceptionName]['signInStep']
  | 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION'
  | 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP'
  | 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP'
  | 'CONFIRM_SIGN_IN_WITH_PASSWORD'
  | 'DONE';

/** View routes that come from the table (the setup steps and non-step screens are added by the view). */
export type StepRoute = NonNullable<Challenges[ChallengeName]['route']> | Exceptions[ExceptionName]['route'];

type ChallengeByStep = { [C in ChallengeName as Challenges[C]['step']]: C };
/** The Cognito challenge a step answers. */
export const challengeOfStep = <S extends ChallengeStep>(step: S): ChallengeByStep[S] =>
  (Object.keys(CHALLENGES) as ChallengeName[]).find((name) => CHALLENGES[name].step === step) as ChallengeByStep[S];

export const isChallengeStep = (step: string | null): step is ChallengeStep =>
  step !== null && (Object.values(CHALLENGES) as ReadonlyArray<{ step: string }>).some((entry) => entry.step === step);

/** A Cognito answer, decoded. */
export type CognitoStep =
  | {
      [C in ChallengeName]: { readonly step: Challenges[C]['step']; readonly session: string; readonly username: string } & StepData<C> &
        (C extends 'PASSWORD_VERIFIER' ? { readonly srp: SrpChallengeData } : unknown);
    }[ChallengeName]
  | { readonly step: 'DONE'; readonly tokens: CognitoTokens };

/** DEVICE_PASSWORD_VERIFIER's parameters (the second round of the device's proof, answered by the runtime). */
export function deviceVerifierChallenge(params: Params): { srpB: string; salt: string; secretBlock: string } {
  return {
    srpB: required(params, 'SRP_B', 'DEVICE_PASSWORD_VERIFIER'),
    salt: required(params, 'SALT', 'DEVICE_PASSWORD_VERIFIER'),
    secretBlock: required(params, 'SECRET_BLOCK', 'DEVICE_PASSWORD_VERIFIER'),
  };
}

export function stepFromError(error: AuthError): ExceptionStep | undefined {
  return (Object.values(STEP_EXCEPTIONS) as ReadonlyArray<Exceptions[ExceptionName]>).find((entry) => entry.code === error.code)?.step;
}

const isChallengeName = (name: string): name is ChallengeName => Object.prototype.hasOwnProperty.call(CHALLENGES, name);

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
  if (!isChallengeName(name)) throw new AuthError('UnexpectedChallenge', `No step for the ${name} challenge`, { cognitoName: name });
  if (!session) throw new AuthError('UnexpectedResponse', `Cognito sent ${name} without a Session`);
  const entry = CHALLENGES[name];
  const decoded = { step: entry.step, session, username, ...entry.decode(params, response.availableChallenges ?? []) };
  if (name === 'PASSWORD_VERIFIER') {
    const srp = CHALLENGES.PASSWORD_VERIFIER.secret(params);
    return { ...decoded, srp: { ...srp, userIdForSrp: srp.userIdForSrp || username } } as CognitoStep;
  }
  return decoded as CognitoStep;
}

/** ChallengeResponses for an answer, without USERNAME / SECRET_HASH (the request builder adds those). */
export function challengeResponses<C extends ChallengeName>(challengeName: C, answer: ChallengeAnswerOf<C>): Params {
  return (CHALLENGES[challengeName].encode as (a: ChallengeAnswerOf<C>) => Params)(answer);
}

/** The inverse of decode, for fakes: the parameters Cognito sends for a step's data. */
export function challengeParameters<C extends ChallengeName>(challengeName: C, data: StepData<C>): Params {
  return (CHALLENGES[challengeName].parameters as (d: StepData<C>) => Params)(data);
}

/** The AvailableChallenges a fake sends for a step (only SELECT_CHALLENGE has any). */
export function availableChallengesOf<C extends ChallengeName>(challengeName: C, data: StepData<C>): readonly string[] | undefined {
  const entry = CHALLENGES[challengeName] as { availableChallenges?: (d: StepData<C>) => readonly string[] };
  return entry.availableChallenges?.(data);
}

/** Cognito's AvailableChallenges -> the first factors we know, order kept (MFA names and others dropped). */
function firstFactors(names: readonly string[]): FirstFactor[] {
  return [...new Set(names.filter(isFirstFactor))];
}

const isPasskeyRequest = (v: unknown): v is PasskeyRequest =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { challenge?: unknown }).challenge === 'string' && (v as { challenge: string }).challenge !== '';

/** A JSON-string list of Cognito MFA names -> our MFA types, unknown names dropped, order kept. */
function mfaTypes(text: string | undefined): MfaType[] {
  const names = parseJson<string[]>(text, [], isStringArray);
  return [...new Set(names.map(mfaTypeFromCognito).filter((t): t is MfaType => t !== undefined))];
}

function required(params: Params, key: string, challenge: string): string {
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
