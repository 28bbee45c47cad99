// Pure builders of each invoked actor's input, from context and the event that started the request.
// The password, codes and new password go from the event into the input and nowhere else.
import { challengeOfStep, isChallengeStep } from '../src/cognito/steps.js';
import { normalizeCode } from './auth.guards.js';
import type {
  AssociateSoftwareTokenInput,
  AuthContext,
  AuthEvent,
  ChangePasswordInput,
  ConfirmForgotPasswordInput,
  ConfirmSignUpInput,
  InitiateAuthInput,
  RespondToAuthChallengeInput,
  SignUpInput,
  VerifySoftwareTokenInput,
} from './auth.types.js';

/** The fields every challenge answer carries, read from context. */
const challengeContext = (context: AuthContext) => ({
  session: context.session ?? '',
  username: context.challengeUsername ?? '',
  loginId: context.username ?? '',
  authFlow: context.authFlow,
  secretRef: context.secretRef,
});

/** InitiateAuth with what the user typed (USER_AUTH: with the preferred first factor, if any). */
export function signInInput(context: AuthContext, event: AuthEvent): InitiateAuthInput {
  const password = event.type === 'signIn.submit' ? event.password : undefined;
  if (context.autofill) return { authFlow: 'USER_AUTH', username: context.username ?? '', preferred: 'WEB_AUTHN' };
  if (context.authFlow === 'USER_AUTH') {
    return { authFlow: 'USER_AUTH', username: context.username ?? '', preferred: context.preferredFactor, ...(password === undefined ? {} : { password }) };
  }
  if (context.authFlow === 'CUSTOM_WITHOUT_SRP' || context.authFlow === 'CUSTOM_WITH_SRP') {
    return { authFlow: context.authFlow, username: context.username ?? '', ...(context.authFlow === 'CUSTOM_WITH_SRP' && password !== undefined ? { password } : {}) };
  }
  return { authFlow: context.authFlow, username: context.username ?? '', password: password ?? '' };
}

/** InitiateAuth again with the credentials kept for this attempt (Cognito cannot resend an MFA code). */
export function resendInput(context: AuthContext): InitiateAuthInput {
  if (context.authFlow === 'USER_AUTH') {
    return { authFlow: 'USER_AUTH', username: context.username ?? '', preferred: context.firstFactor, secretRef: context.secretRef ?? '' };
  }
  if (context.authFlow === 'CUSTOM_WITHOUT_SRP' || context.authFlow === 'CUSTOM_WITH_SRP') {
    return { authFlow: context.authFlow, username: context.username ?? '', ...(context.secretRef ? { secretRef: context.secretRef } : {}) };
  }
  return { authFlow: context.authFlow, username: context.username ?? '', secretRef: context.secretRef ?? '' };
}

/** A first factor's code again (Cognito has no resend): a new USER_AUTH with the same factor; no password needed. */
export function firstFactorResendInput(context: AuthContext): InitiateAuthInput {
  return { authFlow: 'USER_AUTH', username: context.username ?? context.challengeUsername ?? '', preferred: context.firstFactor };
}

/** Another factor than the passkey (factor.select at the passkey step): a new USER_AUTH preferring it. */
export function otherFactorInput(context: AuthContext, event: AuthEvent): InitiateAuthInput {
  const factor = event.type === 'factor.select' ? event.factor : null;
  const password = event.type === 'factor.select' ? event.password : undefined;
  return { authFlow: 'USER_AUTH', username: context.username ?? '', preferred: factor, ...(password === undefined ? {} : { password }) };
}

/** What the passkey prompt needs: Cognito's request options. */
export function passkeyCeremonyInput(context: AuthContext, mediation: 'modal' | 'conditional' = 'modal') {
  return { request: context.passkeyRequest ?? { challenge: '' }, ...(mediation === 'conditional' ? { conditional: true } : {}) };
}

/** The done event of the browser's passkey prompt carries the assertion; it goes into the answer and nowhere else. */
const credentialOf = (event: AuthEvent): string => {
  const output = (event as unknown as { output?: { credential?: unknown } }).output;
  return typeof output?.credential === 'string' ? output.credential : '';
};

/** PASSWORD_VERIFIER: the runtime computes the proof from the attempt's vault entry. A resend's proof has its own Session. */
export function passwordVerifierInput(context: AuthContext, use: 'signIn' | 'resend' = 'signIn'): RespondToAuthChallengeInput {
  return {
    ...challengeContext(context),
    ...(use === 'resend' ? { session: context.proofSession ?? '' } : {}),
    challengeName: 'PASSWORD_VERIFIER',
    secretRef: context.secretRef ?? '',
  };
}

/** DEVICE_SRP_AUTH: the runtime proves the remembered device (its key and secret are in the token storage). */
export function deviceProofInput(context: AuthContext): RespondToAuthChallengeInput {
  return { ...challengeContext(context), challengeName: 'DEVICE_SRP_AUTH' };
}

/**
 * RespondToAuthChallenge for the step the user is at (context.step), with the answer the event carries.
 * One builder for every step: the challenge comes from the step table, the answer from the event.
 */
export function answerInput(context: AuthContext, event: AuthEvent): RespondToAuthChallengeInput {
  const base = challengeContext(context);
  const step = context.step;
  if (!isChallengeStep(step)) return { ...base, challengeName: 'MFA_SETUP' };
  const challengeName = challengeOfStep(step);
  switch (challengeName) {
    case 'PASSWORD_VERIFIER':
      return passwordVerifierInput(context);
    case 'DEVICE_SRP_AUTH':
      return deviceProofInput(context);
    case 'NEW_PASSWORD_REQUIRED':
      return event.type === 'password.submit'
        ? { ...base, challengeName, newPassword: event.newPassword, attributes: event.attributes ?? {} }
        : { ...base, challengeName, newPassword: '', attributes: {} };
    case 'SELECT_CHALLENGE': {
      // factor.select answers at once; factor.password answers the password factor chosen before
      const factor = event.type === 'factor.select' ? event.factor : (context.firstFactor ?? 'PASSWORD');
      const password = event.type === 'factor.select' ? event.password : event.type === 'factor.password' ? event.password : undefined;
      return { ...base, challengeName, factor, ...(password === undefined ? {} : { password }) };
    }
    case 'WEB_AUTHN':
      return { ...base, challengeName, credential: credentialOf(event) };
    case 'CUSTOM_CHALLENGE':
      return { ...base, challengeName, answer: event.type === 'challenge.answer' ? event.answer : '' };
    case 'SMS_MFA':
    case 'SMS_OTP':
    case 'EMAIL_OTP':
    case 'SOFTWARE_TOKEN_MFA':
      return { ...base, challengeName, code: event.type === 'code.submit' ? normalizeCode(event.code) : '' };
    case 'SELECT_MFA_TYPE':
      return { ...base, challengeName, mfaType: event.type === 'mfa.select' ? event.mfaType : 'SMS' };
    case 'MFA_SETUP':
      // E-mail MFA sends the address; TOTP was confirmed by VerifySoftwareToken, whose Session is the answer.
      return event.type === 'email.submit' ? { ...base, challengeName, email: event.email.trim() } : { ...base, challengeName };
  }
}

/** AssociateSoftwareToken with the challenge Session during sign-in, with the access token when signed in. */
export function associateInput(context: AuthContext, during: 'signIn' | 'signedIn'): AssociateSoftwareTokenInput {
  return during === 'signIn'
    ? { session: context.session ?? '', accountName: context.username ?? context.challengeUsername ?? '' }
    : { accountName: context.user?.signInDetails?.loginId ?? context.user?.username ?? '' };
}

export function verifySoftwareTokenInput(context: AuthContext, event: AuthEvent, during: 'signIn' | 'signedIn'): VerifySoftwareTokenInput {
  const code = event.type === 'code.submit' ? normalizeCode(event.code) : '';
  return during === 'signIn' ? { session: context.session ?? '', code } : { code };
}

export function mfaPreferenceInput(event: AuthEvent) {
  return event.type === 'mfa.updatePreference' ? event.preference : {};
}

/** The login id an account flow works on: Cognito's canonical name when a sign-in told us, else what was typed. */
const accountUsername = (context: AuthContext) => context.challengeUsername ?? context.username ?? '';

export function signUpInput(context: AuthContext, event: AuthEvent): SignUpInput {
  return event.type === 'signUp.submit'
    ? {
        username: event.username.trim(),
        password: event.password,
        attributes: event.attributes ?? {},
        ...(event.validationData ? { validationData: event.validationData } : {}),
        autoSignIn: context.autoSignIn,
        authFlow: context.authFlow,
      }
    : { username: '', password: '', attributes: {}, autoSignIn: false, authFlow: context.authFlow };
}

export function confirmSignUpInput(context: AuthContext, event: AuthEvent): ConfirmSignUpInput {
  return { username: accountUsername(context), session: context.session, code: event.type === 'code.submit' ? normalizeCode(event.code) : '' };
}

/** After a confirmed sign-up: the Session ConfirmSignUp gave (USER_AUTH, Amplify's way), else the kept password. */
export function autoSignInInput(context: AuthContext): InitiateAuthInput {
  return context.step === 'CONFIRM_SIGN_UP' && context.session
    ? { authFlow: 'USER_AUTH', username: accountUsername(context), session: context.session }
    : resendInput(context);
}

export function usernameInput(context: AuthContext): { username: string } {
  return { username: accountUsername(context) };
}

export function confirmForgotPasswordInput(context: AuthContext, event: AuthEvent): ConfirmForgotPasswordInput {
  return event.type === 'password.reset'
    ? { username: accountUsername(context), code: normalizeCode(event.code), newPassword: event.newPassword, signIn: context.autoSignIn, authFlow: context.authFlow }
    : { username: accountUsername(context), code: '', newPassword: '', signIn: false, authFlow: context.authFlow };
}

export function changePasswordInput(event: AuthEvent): ChangePasswordInput {
  return event.type === 'password.change' ? { oldPassword: event.oldPassword, newPassword: event.newPassword } : { oldPassword: '', newPassword: '' };
}

export function attributeUpdateInput(event: AuthEvent): { attributes: Readonly<Record<string, string>> } {
  return { attributes: event.type === 'attributes.update' ? event.attributes : {} };
}

export function attributeDeletionInput(event: AuthEvent): { attributeNames: readonly string[] } {
  return { attributeNames: event.type === 'attributes.delete' ? event.names : [] };
}

export function attributeCodeInput(event: AuthEvent): { attributeName: string } {
  return { attributeName: event.type === 'attribute.sendCode' ? event.name : '' };
}

export function attributeVerifyInput(event: AuthEvent): { attributeName: string; code: string } {
  return event.type === 'attribute.verify' ? { attributeName: event.name, code: normalizeCode(event.code) } : { attributeName: '', code: '' };
}

/** The creation options StartWebAuthnRegistration answered with (its done event). */
export function creationOptionsOf(event: AuthEvent): { creationOptions: Readonly<Record<string, unknown>> } {
  const output = (event as unknown as { output?: { creationOptions?: Readonly<Record<string, unknown>> } }).output;
  return { creationOptions: output?.creationOptions ?? {} };
}

/** The new passkey from the browser's prompt (its done event), for CompleteWebAuthnRegistration. */
export function registrationOf(event: AuthEvent): { credential: string } {
  return { credential: credentialOf(event) };
}

export function passkeyPageInput(event: AuthEvent): { nextToken: string | null; pageSize: number | null } {
  if (event.type !== 'passkeys.list') return { nextToken: null, pageSize: null };
  const { nextToken, pageSize } = event;
  return {
    nextToken: typeof nextToken === 'string' && nextToken !== '' ? nextToken : null,
    pageSize: Number.isInteger(pageSize) && pageSize! >= 1 && pageSize! <= 20 ? pageSize! : null,
  };
}

export function devicePageInput(event: AuthEvent): { nextToken: string | null } {
  return { nextToken: event.type === 'devices.list' && typeof event.nextToken === 'string' && event.nextToken !== '' ? event.nextToken : null };
}

/** forgetDevice: the device named, or this browser's (null). */
export function deviceIdInput(event: AuthEvent): { deviceId: string | null } {
  return { deviceId: event.type === 'device.forget' && typeof event.deviceId === 'string' ? event.deviceId : null };
}

export function passkeyIdInput(event: AuthEvent): { credentialId: string } {
  return { credentialId: event.type === 'passkey.delete' ? event.credentialId : '' };
}

/** What redirect.start asked for (all optional). */
export function redirectInput(event: AuthEvent) {
  if (event.type !== 'redirect.start') return {};
  const { type: _type, ...request } = event;
  return request;
}

/** The callback to exchange: the URL the app was opened at (the stored-session check found it), or the host's. */
export function callbackInput(event: AuthEvent): { callbackUrl: string } {
  if (event.type === 'redirect.callback') return { callbackUrl: event.url };
  const output = (event as unknown as { output?: { callbackUrl?: unknown } }).output;
  return { callbackUrl: typeof output?.callbackUrl === 'string' ? output.callbackUrl : '' };
}
