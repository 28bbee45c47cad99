// Actor outcome catalogues: what each actor slot can resolve or reject with, where it is invoked.
import type { AnyStateNode } from 'xstate';
import type {
  CodeSentOutput,
  RefreshResult,
  SignInResult,
  SignOutResult,
  SignUpOutput,
  StoredSessionStatus,
  UpdateAttributesOutput,
  UserProfile,
} from '../../../machines/auth.types.js';
import { AuthError, type AuthErrorCode } from '../../cognito/errors.js';
import type { FirstFactor } from '../../cognito/steps.js';
import type { ModelSnapshot } from './types.js';
import { ERRORS, MODEL, modelUser, RESULTS, stamp, T0, type ResultName } from './values.js';

/** Where an actor is invoked: the snapshot, the invoking state node and its invoke definition. */
export interface InvokeSite {
  readonly snapshot: ModelSnapshot;
  readonly node: AnyStateNode;
  readonly invokeId: string;
  readonly src: string;
  /** The invoke's `input` when it is a literal object (e.g. `{ authFlow: 'REFRESH_TOKEN_AUTH' }`). */
  readonly staticInput: Readonly<Record<string, unknown>> | undefined;
}

export interface ActorOutcomes {
  readonly outputs: ReadonlyArray<readonly [label: string, output: unknown]>;
  readonly errors: readonly AuthErrorCode[];
}

const results = (...names: ResultName[]) => names.map((name) => [name, RESULTS[name]] as const);
const duringSignIn = (site: InvokeSite) => site.snapshot.matches('signingIn');
const resultNameOfStep = (step: SignInResult['step'] | null): ResultName | undefined =>
  (Object.keys(RESULTS) as ResultName[]).find((name) => RESULTS[name].step === step);

const FIRST_ANSWERS: ResultName[] = [
  'PASSWORD_VERIFIER', 'NEW_PASSWORD', 'SMS_CODE', 'EMAIL_CODE', 'TOTP_CODE', 'MFA_SELECTION',
  'MFA_SETUP_TOTP_EMAIL', 'MFA_SETUP_TOTP', 'MFA_SETUP_EMAIL', 'MFA_SETUP_SMS', 'CONFIRM_SIGN_UP', 'RESET_PASSWORD', 'DONE',
  'DEVICE_PROOF', 'DONE_NEW_DEVICE',
];

/** USER_AUTH's first answer, by the preferred factor: its challenge, or the choice when the user cannot use it. */
const USER_AUTH_ANSWERS: Readonly<Record<FirstFactor | 'none', ResultName[]>> = {
  none: ['FIRST_FACTOR_SELECTION'],
  EMAIL_OTP: ['EMAIL_OTP', 'FIRST_FACTOR_SELECTION'],
  SMS_OTP: ['SMS_OTP', 'FIRST_FACTOR_SELECTION'],
  WEB_AUTHN: ['PASSKEY', 'FIRST_FACTOR_SELECTION'],
  PASSWORD: ['DONE', 'TOTP_CODE', 'NEW_PASSWORD'],
  PASSWORD_SRP: ['PASSWORD_VERIFIER'],
};

/** What Cognito answers a challenge with, by the step being answered (context.step). */
const NEXT_AFTER: Partial<Record<SignInResult['step'], ResultName[]>> = {
  PASSWORD_VERIFIER: FIRST_ANSWERS.filter((n) => n !== 'PASSWORD_VERIFIER'),
  CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED: ['DONE', 'TOTP_CODE'],
  CONFIRM_SIGN_IN_WITH_SMS_CODE: ['DONE'],
  CONFIRM_SIGN_IN_WITH_EMAIL_CODE: ['DONE'],
  // after MFA Cognito may hand out a new device to confirm
  CONFIRM_SIGN_IN_WITH_TOTP_CODE: ['DONE', 'DONE_NEW_DEVICE'],
  DEVICE_SRP_AUTH: ['DONE_DEVICE_PROVED'],
  CONTINUE_SIGN_IN_WITH_MFA_SELECTION: ['SMS_CODE', 'TOTP_CODE', 'EMAIL_CODE'],
  // TOTP setup confirmed -> tokens; e-mail setup -> Cognito mails a code first.
  MFA_SETUP: ['DONE', 'EMAIL_CODE'],
  SMS_OTP: ['DONE'],
  WEB_AUTHN: ['DONE'],
  // another round, or done
  CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE: ['CUSTOM_CHALLENGE', 'DONE'],
};
const ANSWER_ERRORS: Partial<Record<SignInResult['step'], AuthErrorCode[]>> = {
  PASSWORD_VERIFIER: [ERRORS.credentials, ERRORS.throttle, ERRORS.network, ERRORS.session, ERRORS.protocol],
  CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED: [ERRORS.weakPassword, ERRORS.session, ERRORS.network, ERRORS.protocol],
  CONFIRM_SIGN_IN_WITH_SMS_CODE: [ERRORS.challenge, ERRORS.session, ERRORS.network, ERRORS.protocol],
  CONFIRM_SIGN_IN_WITH_EMAIL_CODE: [ERRORS.challenge, ERRORS.session, ERRORS.network, ERRORS.protocol],
  CONFIRM_SIGN_IN_WITH_TOTP_CODE: [ERRORS.challenge, ERRORS.session, ERRORS.network, ERRORS.protocol],
  // a device secret Cognito refuses (NotAuthorized), a dead session, offline, or a device challenge with nothing stored
  DEVICE_SRP_AUTH: [ERRORS.credentials, ERRORS.session, ERRORS.network, ERRORS.protocol],
  CONTINUE_SIGN_IN_WITH_MFA_SELECTION: [ERRORS.session, ERRORS.network, ERRORS.protocol],
  MFA_SETUP: [ERRORS.session, ERRORS.network, ERRORS.configuration],
  CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION: [ERRORS.credentials, ERRORS.session, ERRORS.network, ERRORS.protocol],
  SMS_OTP: [ERRORS.challenge, ERRORS.session, ERRORS.network, ERRORS.protocol],
  WEB_AUTHN: [ERRORS.passkeyRejected, ERRORS.session, ERRORS.network],
  // a failed final round: NotAuthorized
  CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE: [ERRORS.credentials, ERRORS.session, ERRORS.network],
};

export const resumableAttempt = {
  username: MODEL.username,
  challengeUsername: MODEL.username,
  authFlow: 'USER_PASSWORD_AUTH',
  session: stamp.session,
  sessionIssuedAt: stamp.sessionIssuedAt,
  sessionExpiresAt: stamp.sessionExpiresAt,
  step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE',
  newPassword: null,
  codeDelivery: RESULTS.SMS_CODE.codeDelivery,
  allowedMfaTypes: null,
} as const;

/**
 * Per actor slot (the `src` of setup({ actors })): its outcomes at a site. An actor the chart invokes that is
 * missing here makes the alphabet throw, so a new actor cannot go unmodelled.
 */
export const ACTOR_OUTCOMES: Readonly<Record<string, (site: InvokeSite) => ActorOutcomes>> = {
  loadStoredSession: () => ({
    outputs: [
      ['fresh', { status: 'fresh', user: modelUser } satisfies StoredSessionStatus],
      ['stale', { status: 'stale', user: modelUser } satisfies StoredSessionStatus],
      ['none', { status: 'none' } satisfies StoredSessionStatus],
      ['resumable SMS', { status: 'resumable', attempt: resumableAttempt } satisfies StoredSessionStatus],
      [
        'resumable e-mail',
        { status: 'resumable', attempt: { ...resumableAttempt, step: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDelivery: RESULTS.EMAIL_CODE.codeDelivery } } satisfies StoredSessionStatus,
      ],
      ['interrupted', { status: 'interrupted', reason: 'inFlight' } satisfies StoredSessionStatus],
      ['hosted-UI callback', { status: 'redirectCallback', callbackUrl: MODEL.callbackUrl } satisfies StoredSessionStatus],
    ],
    errors: [ERRORS.storage],
  }),
  getTokensFromRefreshToken: () => ({
    outputs: [['tokens', { user: modelUser } satisfies RefreshResult]],
    errors: [ERRORS.token, ERRORS.network, ERRORS.unsupported],
  }),
  initiateAuth: (site) => {
    if (site.staticInput?.['authFlow'] === 'REFRESH_TOKEN_AUTH') return { outputs: results('DONE'), errors: [ERRORS.token, ERRORS.network] };
    // After a confirmed sign-up or a reset: a sign-in like the first one, with the kept password.
    // A new or just-reset user has no MFA factor of its own yet: tokens, or the SRP proof first.
    // Straight after a sign-up a trigger confirmed (no step in between): the representative answer is tokens.
    if (site.node.key === 'autoSignIn') {
      // (with ConfirmSignUp's Session, USER_AUTH answers with tokens: no SRP proof)
      const outputs = site.snapshot.context.step === null || site.snapshot.context.session ? results('DONE') : results('DONE', 'PASSWORD_VERIFIER');
      return { outputs, errors: [ERRORS.credentials, ERRORS.network, ERRORS.configuration] };
    }
    // Custom authentication: DefineAuthChallenge's first round (or tokens at once).
    const flowInUse = site.snapshot.context.authFlow;
    if ((flowInUse === 'CUSTOM_WITHOUT_SRP' || flowInUse === 'CUSTOM_WITH_SRP') && site.node.key === 'initiating') {
      return { outputs: results('CUSTOM_CHALLENGE', 'DONE'), errors: [ERRORS.credentials, ERRORS.network, ERRORS.configuration] };
    }
    // Choice-based: a first factor's challenge, the choice, or tokens; a code resent is the same step again.
    if ((site.snapshot.context.authFlow === 'USER_AUTH' || site.snapshot.context.autofill) && site.node.key !== 'requesting') {
      const again = site.node.key === 'resending' ? resultNameOfStep(site.snapshot.context.step) : undefined;
      return {
        outputs: results(...(again ? [again === 'EMAIL_CODE' ? 'EMAIL_OTP' : again] : USER_AUTH_ANSWERS[site.snapshot.context.preferredFactor ?? 'none'])),
        errors: [ERRORS.credentials, ERRORS.throttle, ERRORS.network, ERRORS.configuration],
      };
    }
    const current = resultNameOfStep(site.snapshot.context.step);
    // A resend signs in again: SRP asks for the proof first, USER_PASSWORD_AUTH answers with the same step.
    if (current) return { outputs: results('PASSWORD_VERIFIER', current), errors: [ERRORS.credentials, ERRORS.throttle, ERRORS.network, ERRORS.protocol] };
    return { outputs: results(...FIRST_ANSWERS), errors: [ERRORS.credentials, ERRORS.throttle, ERRORS.network, ERRORS.configuration, ERRORS.protocol] };
  },
  respondToAuthChallenge: (site) => {
    const step = site.snapshot.context.step;
    // The SRP proof of an auto sign-in (a user just confirmed or reset): tokens (MFA at sign-up: test/integration).
    if (step === 'PASSWORD_VERIFIER' && site.snapshot.context.autoSignIn) return { outputs: results('DONE'), errors: ANSWER_ERRORS.PASSWORD_VERIFIER ?? [] };
    // The choice answers with the chosen factor's challenge (a password: tokens or MFA; SRP: the proof first).
    if (step === 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION') {
      const chosen = site.snapshot.context.firstFactor;
      const after: ResultName[] = chosen === 'EMAIL_OTP' ? ['EMAIL_OTP'] : chosen === 'WEB_AUTHN' ? ['PASSKEY'] : chosen === 'PASSWORD_SRP' ? ['PASSWORD_VERIFIER'] : ['DONE', 'TOTP_CODE'];
      return { outputs: results(...after), errors: ANSWER_ERRORS[step] ?? [] };
    }
    return { outputs: results(...((step && NEXT_AFTER[step]) ?? [])), errors: (step && ANSWER_ERRORS[step]) ?? [] };
  },
  associateSoftwareToken: (site) =>
    duringSignIn(site)
      ? { outputs: [['secret', { session: 'model-session-2', sessionIssuedAt: T0, totpSetup: { sharedSecret: MODEL.totpSecret, setupUri: 'otpauth://totp/model', qrCodeSvg: '<svg></svg>' } }]], errors: [ERRORS.network, ERRORS.session, ERRORS.protocol] }
      : { outputs: [['secret', { totpSetup: { sharedSecret: MODEL.totpSecret, setupUri: 'otpauth://totp/model', qrCodeSvg: '<svg></svg>' } }]], errors: [ERRORS.network, ERRORS.token] },
  verifySoftwareToken: (site) =>
    duringSignIn(site)
      ? { outputs: [['verified', { session: 'model-session-3', sessionIssuedAt: T0 }]], errors: [ERRORS.challenge, ERRORS.session, ERRORS.network, ERRORS.protocol] }
      : { outputs: [['verified', {}]], errors: [ERRORS.challenge, ERRORS.network, ERRORS.token] },
  getUser: () => ({ outputs: [['profile', profile]], errors: [ERRORS.network, ERRORS.token] }),
  // The password is kept (secretRef) exactly when the user asked to be signed in afterwards.
  signUp: (site) => ({
    outputs: [
      ['unconfirmed', { userConfirmed: false, codeDelivery: emailDelivery, secretRef: kept(site), session: null } satisfies SignUpOutput],
      ['unconfirmed, Session', { userConfirmed: false, codeDelivery: emailDelivery, secretRef: kept(site), session: site.snapshot.context.autoSignIn ? 'model-signup-session' : null } satisfies SignUpOutput],
      ['confirmed', { userConfirmed: true, codeDelivery: null, secretRef: kept(site), session: null } satisfies SignUpOutput],
    ],
    errors: [ERRORS.weakPassword, ERRORS.taken, ERRORS.network, ERRORS.configuration],
  }),
  // With the sign-up Session (USER_AUTH clients) ConfirmSignUp answers a sign-in Session for the auto sign-in.
  confirmSignUp: (site) => ({
    outputs: [['confirmed', { session: site.snapshot.context.session ? 'model-confirm-session' : null }]], errors: [ERRORS.challenge, ERRORS.limit, ERRORS.network, ERRORS.configuration] }),
  resendConfirmationCode: () => ({ outputs: [['sent', { codeDelivery: emailDelivery } satisfies CodeSentOutput]], errors: [ERRORS.limit, ERRORS.network, ERRORS.configuration] }),
  forgotPassword: () => ({ outputs: [['sent', { codeDelivery: emailDelivery } satisfies CodeSentOutput]], errors: [ERRORS.limit, ERRORS.network, ERRORS.configuration] }),
  confirmForgotPassword: (site) => ({
    outputs: [['reset', { secretRef: kept(site) }]],
    errors: [ERRORS.challenge, ERRORS.weakPassword, ERRORS.network, ERRORS.configuration],
  }),
  updateUserAttributes: () => ({
    outputs: [
      ['e-mail changed, code sent', { attributes: { email: MODEL.email }, codeDeliveries: [{ ...emailDelivery, attributeName: 'email' }] } satisfies UpdateAttributesOutput],
      ['name changed', { attributes: { name: 'Model' }, codeDeliveries: [] } satisfies UpdateAttributesOutput],
    ],
    errors: [ERRORS.network, ERRORS.token],
  }),
  getUserAttributeVerificationCode: () => ({ outputs: [['sent', { codeDelivery: { ...emailDelivery, attributeName: 'email' } }]], errors: [ERRORS.limit, ERRORS.network, ERRORS.token] }),
  deleteUserAttributes: () => ({ outputs: [['deleted', { attributeNames: ['nickname'] }]], errors: [ERRORS.network, ERRORS.token] }),
  verifyUserAttribute: () => ({ outputs: [['verified', { attributeName: 'email' }]], errors: [ERRORS.challenge, ERRORS.network, ERRORS.token] }),
  changePassword: () => ({ outputs: [['changed', undefined]], errors: [ERRORS.credentials, ERRORS.weakPassword, ERRORS.network, ERRORS.token] }),
  deleteUser: () => ({ outputs: [['deleted', undefined]], errors: [ERRORS.network, ERRORS.token] }),
  setUserMfaPreference: () => ({ outputs: [['updated', { totp: 'PREFERRED' }]], errors: [ERRORS.network, ERRORS.token] }),
  getPasskeyCredential: () => ({ outputs: [['assertion', { credential: '{"id":"bW9kZWwtcGFzc2tleQ"}' }]], errors: [ERRORS.passkeyNotAllowed, ERRORS.passkeyUnsupported, ERRORS.aborted] }),
  startWebAuthnRegistration: () => ({ outputs: [['options', { creationOptions: { challenge: 'bW9kZWw', rp: { id: 'localhost', name: 'model' } } }]], errors: [ERRORS.network, ERRORS.token] }),
  createPasskey: () => ({ outputs: [['created', { credential: '{"id":"bW9kZWwtcGFzc2tleQ"}' }]], errors: [ERRORS.passkeyNotAllowed, ERRORS.passkeyUnsupported, ERRORS.aborted] }),
  completeWebAuthnRegistration: () => ({ outputs: [['registered', undefined]], errors: [ERRORS.passkeyRejected, ERRORS.network, ERRORS.token] }),
  listWebAuthnCredentials: () => ({
    outputs: [['one passkey', { credentials: [modelPasskey], nextToken: null, page: 'first' }]],
    errors: [ERRORS.network, ERRORS.token],
  }),
  deleteWebAuthnCredential: () => ({ outputs: [['deleted', { credentialId: MODEL.passkeyId }]], errors: [ERRORS.network, ERRORS.token] }),
  confirmDevice: () => ({
    outputs: [
      ['remembered', { confirmation: { status: 'remembered' } }],
      ['tracked, not remembered', { confirmation: { status: 'notRemembered' } }],
    ],
    errors: [ERRORS.network, ERRORS.token],
  }),
  listDevices: () => ({ outputs: [['this device', { page: { devices: [modelDevice], nextToken: null }, which: 'first' }]], errors: [ERRORS.network, ERRORS.token] }),
  rememberDevice: () => ({ outputs: [['remembered', undefined]], errors: [ERRORS.network, ERRORS.token] }),
  forgetDevice: () => ({ outputs: [['forgotten', { deviceId: MODEL.deviceKey, current: true }]], errors: [ERRORS.network, ERRORS.token] }),
  authorize: () => ({ outputs: [['sent away', undefined]], errors: [ERRORS.redirectSetup] }),
  exchangeAuthorizationCode: () => ({
    outputs: [['tokens', { user: modelUser, customState: 'model-state' }]],
    errors: [ERRORS.redirectState, ERRORS.redirectProvider, ERRORS.network, ERRORS.protocol],
  }),
  revokeToken: () => ({ outputs: signOutOutputs, errors: [ERRORS.storage] }),
  globalSignOut: () => ({ outputs: signOutOutputs, errors: [ERRORS.storage] }),
};
const modelPasskey = { credentialId: MODEL.passkeyId, friendlyName: 'Model key', relyingPartyId: 'localhost', authenticatorAttachment: 'platform', transports: ['internal'], createdAt: T0 };
export const modelDevice = {
  id: MODEL.deviceKey,
  name: 'Model browser',
  attributes: { device_status: 'valid', 'dev:device_remembered_status': 'remembered' },
  current: true,
  createdAt: T0,
  lastModifiedAt: T0,
  lastAuthenticatedAt: T0,
};
const kept = (site: InvokeSite) => (site.snapshot.context.autoSignIn ? stamp.secretRef : null);
const emailDelivery = { deliveryMedium: 'EMAIL', destination: 'm***@e***' } as const;
const profile: UserProfile = { attributes: { email: MODEL.email, email_verified: 'false' }, mfaPreference: { enabled: ['TOTP'], preferred: 'TOTP' } };
const signOutOutputs: ActorOutcomes['outputs'] = [
  ['ok', { warning: null } satisfies SignOutResult],
  ['offline', { warning: new AuthError('SignOutIncomplete').toJSON() } satisfies SignOutResult],
];
