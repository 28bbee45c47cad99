// THE auth statechart. One setup().createMachine() literal: no spreads, no computed keys, so the Stately
// editor, xstate/graph and machine.toJSON() see all of it. Grouped by phase: checkingSession, signedOut,
// signingIn { initiating, routing, newPassword, mfa, enrolment, ... }, signedIn (tokens ‖ account),
// signingOut, sessionExpired, failed. Every error goes where its transition says; no parent re-targets it.
// Actors are slots named after Cognito operations; createAuth() fills them (machine.provide).
import { assign, fromPromise, setup } from 'xstate';
import { AuthError } from '../src/cognito/errors.js';
import * as updates from './auth.actions.js';
import * as is from './auth.guards.js';
import * as inputs from './auth.inputs.js';
import type {
  AttributeCodeDelivery,
  ChangePasswordInput,
  CodeSentOutput,
  ConfirmForgotPasswordInput,
  ConfirmSignUpInput,
  SignUpInput,
  SignUpOutput,
  UpdateAttributesOutput,
  UserProfile,
  AssociateSoftwareTokenInput,
  AssociateSoftwareTokenOutput,
  AuthContext,
  AuthEvent,
  AuthInput,
  InitiateAuthInput,
  InputErrorParams,
  MfaPreference,
  MfaPreferenceUpdate,
  PasskeyCredential,
  DeviceConfirmation,
  DevicePage,
  PasskeyRequest,
  RedirectInput,
  RefreshResult,
  AuthUser,
  RespondToAuthChallengeInput,
  SignInResult,
  SignOutResult,
  StateMeta,
  StoredSessionStatus,
  VerifySoftwareTokenInput,
  VerifySoftwareTokenOutput,
} from './auth.types.js';

/** Placeholder actor: the machine runs in visualizers and graph tools without any I/O. */
const notProvided = <Output, Input = unknown>(name: string) =>
  fromPromise<Output, Input>(async () => {
    throw new AuthError('NotProvided', `The "${name}" actor is not provided; create the actor with createAuth()`);
  });

// Done / error events of invoked actors, narrowed once here: actions and guards below take no params.
const errorOf = (event: AuthEvent | { type: string }): unknown => (event as { error?: unknown }).error;
const outputOf = <T>(event: AuthEvent | { type: string }): T => (event as unknown as { output: T }).output;

export const authMachine = setup({
  types: {
    context: {} as AuthContext,
    events: {} as AuthEvent,
    input: {} as AuthInput,
    // background: an actor runs that nobody waits for on screen (passkey autofill)
    tags: {} as 'busy' | 'refreshing' | 'canResend' | 'background',
    meta: {} as StateMeta,
  },
  actors: {
    loadStoredSession: notProvided<StoredSessionStatus>('loadStoredSession'),
    initiateAuth: notProvided<SignInResult, InitiateAuthInput>('initiateAuth'),
    respondToAuthChallenge: notProvided<SignInResult, RespondToAuthChallengeInput>('respondToAuthChallenge'),
    associateSoftwareToken: notProvided<AssociateSoftwareTokenOutput, AssociateSoftwareTokenInput>('associateSoftwareToken'),
    verifySoftwareToken: notProvided<VerifySoftwareTokenOutput, VerifySoftwareTokenInput>('verifySoftwareToken'),
    getTokensFromRefreshToken: notProvided<RefreshResult>('getTokensFromRefreshToken'),
    getUser: notProvided<UserProfile>('getUser'),
    setUserMfaPreference: notProvided<MfaPreferenceUpdate, MfaPreferenceUpdate>('setUserMfaPreference'),
    revokeToken: notProvided<SignOutResult>('revokeToken'),
    globalSignOut: notProvided<SignOutResult>('globalSignOut'),
    signUp: notProvided<SignUpOutput, SignUpInput>('signUp'),
    confirmSignUp: notProvided<{ session: string | null }, ConfirmSignUpInput>('confirmSignUp'),
    resendConfirmationCode: notProvided<CodeSentOutput, { username: string }>('resendConfirmationCode'),
    forgotPassword: notProvided<CodeSentOutput, { username: string }>('forgotPassword'),
    confirmForgotPassword: notProvided<{ secretRef: string | null }, ConfirmForgotPasswordInput>('confirmForgotPassword'),
    changePassword: notProvided<void, ChangePasswordInput>('changePassword'),
    updateUserAttributes: notProvided<UpdateAttributesOutput, { attributes: Readonly<Record<string, string>> }>('updateUserAttributes'),
    deleteUserAttributes: notProvided<{ attributeNames: readonly string[] }, { attributeNames: readonly string[] }>('deleteUserAttributes'),
    getUserAttributeVerificationCode: notProvided<{ codeDelivery: AttributeCodeDelivery | null }, { attributeName: string }>('getUserAttributeVerificationCode'),
    verifyUserAttribute: notProvided<{ attributeName: string }, { attributeName: string; code: string }>('verifyUserAttribute'),
    deleteUser: notProvided<void>('deleteUser'),
    // hosted UI (src/oauth): /oauth2/authorize (the browser goes there) and /oauth2/token
    authorize: notProvided<void, RedirectInput>('authorize'),
    exchangeAuthorizationCode: notProvided<{ user: AuthUser; customState: string | null }, { callbackUrl: string }>('exchangeAuthorizationCode'),
    // passkeys: the browser's prompts (src/webauthn) and Cognito's WebAuthn operations
    getPasskeyCredential: notProvided<{ credential: string }, { request: PasskeyRequest }>('getPasskeyCredential'),
    startWebAuthnRegistration: notProvided<{ creationOptions: Readonly<Record<string, unknown>> }>('startWebAuthnRegistration'),
    createPasskey: notProvided<{ credential: string }, { creationOptions: Readonly<Record<string, unknown>> }>('createPasskey'),
    completeWebAuthnRegistration: notProvided<void, { credential: string }>('completeWebAuthnRegistration'),
    listWebAuthnCredentials: notProvided<{ credentials: readonly PasskeyCredential[]; nextToken: string | null; page: 'first' | 'next' }, { nextToken: string | null; pageSize: number | null }>(
      'listWebAuthnCredentials',
    ),
    deleteWebAuthnCredential: notProvided<{ credentialId: string }, { credentialId: string }>('deleteWebAuthnCredential'),
    // remembered devices: the secrets stay in the token storage (src/session/device-store.ts)
    confirmDevice: notProvided<{ confirmation: DeviceConfirmation | null }>('confirmDevice'),
    listDevices: notProvided<{ page: DevicePage; which: 'first' | 'next' }, { nextToken: string | null }>('listDevices'),
    rememberDevice: notProvided<void>('rememberDevice'),
    forgetDevice: notProvided<{ deviceId: string; current: boolean }, { deviceId: string | null }>('forgetDevice'),
  },
  guards: {
    stepIs: ({ context }, params: Parameters<typeof is.stepIs>[1]) => is.stepIs(context, params),
    resultIsPasswordVerifier: ({ event }) => outputOf<SignInResult>(event).step === 'PASSWORD_VERIFIER',
    storedSessionIs: ({ event }, params: { status: StoredSessionStatus['status'] }) => is.storedSessionIs({ output: outputOf(event), status: params.status }),
    setupOffers: ({ context }, params: Parameters<typeof is.setupOffers>[1]) => is.setupOffers(context, params),
    setupChose: ({ context }, params: { type: 'TOTP' | 'EMAIL' }) => context.step === 'MFA_SETUP' && context.setupChoice === params.type,
    hasSecretRef: ({ context }) => is.hasSecretRef(context),
    hasErrorIn: ({ context }, params: Parameters<typeof is.hasErrorIn>[1]) => is.hasErrorIn(context, params),
    // errors an actor rejected with
    errorEndsSession: ({ event }) => is.errorInCategory({ error: errorOf(event), categories: ['session'] }),
    errorIsFatal: ({ event }) => is.errorInCategory({ error: errorOf(event), categories: ['configuration', 'protocol'] }),
    errorIsTokenError: ({ event }) => is.errorInCategory({ error: errorOf(event), categories: ['token'] }),
    errorIsCredentials: ({ event }) => is.errorInCategory({ error: errorOf(event), categories: ['credentials'] }),
    errorIsUnsupported: ({ event }) => is.errorIs({ error: errorOf(event), code: 'UnsupportedOperation' }),
    errorIsTransient: ({ event }) => is.errorInCategory({ error: errorOf(event), categories: ['network', 'throttle'] }),
    tokensAreStale: ({ context }) => context.tokensStale,
    // what the user sent
    isCredentialInput: ({ context, event }) =>
      event.type === 'signIn.submit' &&
      is.isCredentialInput({
        username: event.username,
        password: event.password,
        authFlow: event.authFlow,
        preferredFirstFactor: event.preferredFirstFactor,
        defaultFlow: context.authFlow,
      }),
    isOfferedFactor: ({ context, event }) => event.type === 'factor.select' && is.isOfferedFactor(context, { factor: event.factor, password: event.password }),
    canAnswerFactor: ({ context, event }) => event.type === 'factor.select' && is.canAnswerFactor(context, { factor: event.factor, password: event.password }),
    isPasswordInput: ({ event }) => event.type === 'factor.password' && is.isPasswordInput({ password: event.password }),
    isOtherFactor: ({ event }) => event.type === 'factor.select' && is.isOtherFactor({ factor: event.factor, password: event.password }),
    isFirstFactorCode: ({ context }) => is.isFirstFactorCode(context),
    isRedirectInput: ({ event }) => event.type === 'redirect.start' && is.isRedirectInput(event),
    isCallbackInput: ({ event }) => event.type === 'redirect.callback' && is.isCallbackInput({ url: event.url }),
    isAutofillUsername: ({ event }) => event.type === 'passkey.autofill' && is.isUsernameInput({ username: event.username }),
    isAutofill: ({ context }) => context.autofill,
    isAutofillRequest: ({ context }) => context.autofill && context.step === 'WEB_AUTHN',
    isChallengeAnswer: ({ event }) => event.type === 'challenge.answer' && is.isChallengeAnswer({ answer: event.answer }),
    isPasskeyId: ({ event }) => event.type === 'passkey.delete' && is.isPasskeyId({ credentialId: event.credentialId }),
    isDeviceForget: ({ event }) => event.type === 'device.forget' && is.isDeviceForget({ deviceId: event.deviceId }),
    deviceToConfirm: ({ context }) => context.deviceToConfirm,
    passkeysListed: ({ context }) => context.passkeys !== null,
    errorIsAborted: ({ event }) => is.errorIs({ error: errorOf(event), code: 'Aborted' }),
    isNewPasswordInput: ({ context, event }) =>
      event.type === 'password.submit' && is.isNewPasswordInput(context, { newPassword: event.newPassword, attributes: event.attributes }),
    isCodeForStep: ({ context, event }) => event.type === 'code.submit' && is.isCodeForStep(context, { code: event.code }),
    isAtCodeStep: ({ context }) => is.isAtCodeStep(context),
    isAtResendableStep: ({ context }) => is.isAtResendableStep(context),
    canResendCode: ({ context }) => is.canResendCode(context),
    isTotpCodeInput: ({ event }) => event.type === 'code.submit' && is.isTotpCodeInput({ code: event.code }),
    isEmailInput: ({ event }) => event.type === 'email.submit' && is.isEmailInput({ email: event.email }),
    isOfferedMfaType: ({ context, event }) => event.type === 'mfa.select' && is.isOfferedMfaType(context, { mfaType: event.mfaType }),
    selectsMfaType: ({ context, event }, params: { expected: 'TOTP' | 'EMAIL' }) =>
      event.type === 'mfa.select' && is.selectsMfaType(context, { mfaType: event.mfaType, expected: params.expected }),
    isMfaPreferenceUpdate: ({ event }) => event.type === 'mfa.updatePreference' && is.isMfaPreferenceUpdate({ preference: event.preference }),
    isGlobalSignOut: ({ event }) => event.type === 'session.signOut' && event.global === true,
    isSignUpInput: ({ event }) =>
      event.type === 'signUp.submit' && is.isSignUpInput({ username: event.username, password: event.password, attributes: event.attributes, validationData: event.validationData, authFlow: event.authFlow }),
    isUsernameInput: ({ event }) => event.type === 'password.forgot' && is.isUsernameInput({ username: event.username }),
    isPasswordResetInput: ({ event }) => event.type === 'password.reset' && is.isPasswordResetInput({ code: event.code, newPassword: event.newPassword }),
    isPasswordChangeInput: ({ event }) =>
      event.type === 'password.change' && is.isPasswordChangeInput({ oldPassword: event.oldPassword, newPassword: event.newPassword }),
    isAttributeUpdate: ({ event }) => event.type === 'attributes.update' && is.isAttributeUpdate({ attributes: event.attributes }),
    isAttributeDeletion: ({ event }) => event.type === 'attributes.delete' && is.isAttributeDeletion({ names: event.names }),
    isVerifiableAttribute: ({ event }) =>
      (event.type === 'attribute.sendCode' || event.type === 'attribute.verify') && is.isVerifiableAttribute({ name: event.name }),
    isAttributeCodeInput: ({ event }) =>
      event.type === 'attribute.verify' && is.isVerifiableAttribute({ name: event.name }) && is.isCodeInput({ code: event.code }),
    isCodeInput: ({ event }) => event.type === 'code.submit' && is.isCodeInput({ code: event.code }),
    signUpConfirmed: ({ event }) => outputOf<SignUpOutput>(event).userConfirmed && outputOf<SignUpOutput>(event).secretRef !== null,
    signUpConfirmedWithoutSignIn: ({ event }) => outputOf<SignUpOutput>(event).userConfirmed,
    hasCodeDelivery: ({ context }) => context.codeDelivery !== null,
    confirmedWithSession: ({ event }) => outputOf<{ session: string | null }>(event).session !== null,
    keptPasswordReturned: ({ event }) => outputOf<{ secretRef: string | null }>(event).secretRef !== null,
  },
  actions: {
    startSignIn: assign(({ context, event }) =>
      event.type === 'signIn.submit'
        ? updates.startSignIn({ username: event.username, authFlow: event.authFlow ?? context.authFlow, preferredFactor: event.preferredFirstFactor })
        : {},
    ),
    storeRedirectState: assign(({ event }) => ({ redirectState: outputOf<{ customState: string | null }>(event).customState })),
    startAutofill: assign(({ event }) => (event.type === 'passkey.autofill' ? updates.startAutofill({ username: event.username }) : {})),
    // the passkey was chosen: from here on a USER_AUTH passkey sign-in like any other
    endAutofill: assign({ autofill: false, authFlow: 'USER_AUTH' }),
    chooseFirstFactor: assign(({ event }) => (event.type === 'factor.select' ? updates.chooseFirstFactor({ factor: event.factor }) : {})),
    switchFirstFactor: assign(({ event }) => (event.type === 'factor.select' ? updates.switchFirstFactor({ factor: event.factor }) : {})),
    storePasskeys: assign(({ context, event }) =>
      updates.storePasskeys(context, outputOf<{ credentials: readonly PasskeyCredential[]; nextToken: string | null; page: 'first' | 'next' }>(event)),
    ),
    forgetPasskey: assign(({ context, event }) => updates.forgetPasskey(context, outputOf<{ credentialId: string }>(event))),
    storeDeviceConfirmation: assign(({ event }) => updates.storeDeviceConfirmation(outputOf<{ confirmation: DeviceConfirmation | null }>(event))),
    // a failed ConfirmDevice is reported (storeError), and not tried again
    dropDeviceToConfirm: assign({ deviceToConfirm: false }),
    storeDevices: assign(({ context, event }) => updates.storeDevices(context, outputOf<{ page: DevicePage; which: 'first' | 'next' }>(event))),
    storeDeviceRemembered: assign(({ context }) => updates.storeDeviceRemembered(context)),
    storeDeviceForgotten: assign(({ context, event }) => updates.storeDeviceForgotten(context, outputOf<{ deviceId: string; current: boolean }>(event))),
    storeResult: assign(({ context, event }) => updates.storeResult(context, { result: outputOf<SignInResult>(event) })),
    storeResendProof: assign(({ event }) => updates.storeResendProof({ result: outputOf<SignInResult>(event) })),
    storeSession: assign(({ context, event }) => updates.storeSession(context, outputOf<{ session?: string; sessionIssuedAt?: number }>(event))),
    storeTotpSetup: assign(({ event }) => updates.storeTotpSetup(outputOf<AssociateSoftwareTokenOutput>(event))),
    applyMfaPreference: assign(({ context, event }) => updates.applyMfaPreference(context, { update: outputOf<MfaPreferenceUpdate>(event) })),
    storeUser: assign(({ event }) => updates.storeUser({ user: outputOf<RefreshResult | Extract<StoredSessionStatus, { status: 'fresh' }>>(event).user })),
    restoreAttempt: assign(({ event }) => updates.restoreAttempt({ attempt: outputOf<Extract<StoredSessionStatus, { status: 'resumable' }>>(event).attempt })),
    storeInterruptedError: assign(({ event }) => updates.interruptedError({ status: outputOf<StoredSessionStatus>(event) })),
    storeWarning: assign(({ event }) => ({ error: outputOf<SignOutResult>(event).warning })),
    storeError: assign(({ event }) => updates.storeError({ error: errorOf(event) })),
    storeInputError: assign((_, params: InputErrorParams) => updates.inputError(params)),
    storeCodeInputError: assign(({ context }) => updates.codeInputError(context)),
    storeSetupChoice: assign((_, params: { type: 'TOTP' | 'EMAIL' }) => ({ setupChoice: params.type })),
    clearError: assign({ error: null }),
    markTokensStale: assign({ tokensStale: true }),
    clearFlow: assign(() => updates.clearFlow()),
    clearTotpSetup: assign({ totpSetup: null }),
    forgetSecretRef: assign({ secretRef: null }),
    clearProofSession: assign({ proofSession: null }),
    clearUser: assign({ user: null, mfaPreference: null, userAttributes: null, attributeDelivery: null, passkeys: null, passkeysNextToken: null, redirectState: null, ...updates.noDevices() }),
    startAccountFlow: assign(({ event }) =>
      event.type === 'signUp.submit'
        ? updates.startAccountFlow({ username: event.username, autoSignIn: event.autoSignIn !== false, authFlow: event.authFlow })
        : event.type === 'password.forgot'
          ? updates.startAccountFlow({ username: event.username, autoSignIn: false })
          : {},
    ),
    storeAutoSignIn: assign(({ event }) => (event.type === 'password.reset' ? { autoSignIn: event.signIn === true, error: null } : {})),
    storeSignUp: assign(({ event }) => updates.storeSignUp({ output: outputOf<SignUpOutput>(event) })),
    storeCodeDelivery: assign(({ context, event }) => updates.storeCodeDelivery(context, { output: outputOf<CodeSentOutput>(event) })),
    storeConfirmedSession: assign(({ event }) => updates.storeConfirmedSession({ session: outputOf<{ session: string | null }>(event).session })),
    storeKeptPassword: assign(({ event }) => updates.storeKeptPassword({ secretRef: outputOf<{ secretRef: string | null }>(event).secretRef })),
    storeProfile: assign(({ event }) => updates.storeProfile({ profile: outputOf<UserProfile>(event) })),
    applyAttributeUpdate: assign(({ context, event }) => updates.applyAttributeUpdate(context, { output: outputOf<UpdateAttributesOutput>(event) })),
    storeAttributeDelivery: assign(({ event }) =>
      updates.storeAttributeDelivery({ delivery: outputOf<{ codeDelivery: AttributeCodeDelivery | null }>(event).codeDelivery }),
    ),
    applyAttributeDeletion: assign(({ context, event }) =>
      updates.applyAttributeDeletion(context, { names: outputOf<{ attributeNames: readonly string[] }>(event).attributeNames }),
    ),
    applyAttributeVerified: assign(({ context, event }) => updates.applyAttributeVerified(context, { name: outputOf<{ attributeName: string }>(event).attributeName })),
  },
  delays: {
    // createAuth() replaces this with the time left by its clock; here: the full lifetime.
    challengeSession: ({ context }) => Math.max(0, (context.sessionExpiresAt ?? 0) - (context.sessionIssuedAt ?? 0)),
    // createAuth() sets this from its refreshRetryMs option.
    refreshRetry: 30_000,
  },
}).createMachine({
  id: 'auth',
  description: 'Amazon Cognito user-pool sign-in. One long-lived actor per app: nothing is final at the root.',
  context: ({ input }) => updates.initialContext(input?.authFlow),
  initial: 'checkingSession',
  states: {
    checkingSession: {
      description:
        'At start: restores stored tokens (refreshing them when stale), or resumes a saved sign-in attempt at its step.',
      meta: { route: 'checkingSession' },
      tags: ['busy'],
      // Also entered from a flow another tab made moot: nothing of that attempt stays.
      entry: 'clearFlow',
      initial: 'loading',
      states: {
        loading: {
          description: 'Reads the token store and the saved attempt (no Cognito call).',
          invoke: {
            id: 'loadStoredSession',
            src: 'loadStoredSession',
            onDone: [
              // opened at the hosted UI's callback: its code is exchanged before anything stored is looked at
              { guard: { type: 'storedSessionIs', params: { status: 'redirectCallback' } }, target: 'exchangingCode' },
              { guard: { type: 'storedSessionIs', params: { status: 'fresh' } }, target: '#auth.signedIn', actions: 'storeUser' },
              { guard: { type: 'storedSessionIs', params: { status: 'stale' } }, target: 'refreshing', actions: 'storeUser' },
              { guard: { type: 'storedSessionIs', params: { status: 'resumable' } }, target: '#auth.signingIn.routing', actions: 'restoreAttempt' },
              { guard: { type: 'storedSessionIs', params: { status: 'interrupted' } }, target: '#auth.sessionExpired', actions: 'storeInterruptedError' },
              { target: '#auth.signedOut' },
            ],
            onError: { target: '#auth.signedOut', actions: 'storeError' },
          },
        },
        exchangingCode: {
          description:
            'Back from the hosted UI: the callback’s state checked once, the code exchanged at /oauth2/token with the PKCE verifier, ' +
            'the id token validated (iss, aud, nonce, exp, signature). Tampered, replayed or stale callbacks are refused.',
          invoke: {
            id: 'exchangeAuthorizationCode',
            src: 'exchangeAuthorizationCode',
            input: ({ event }) => inputs.callbackInput(event),
            onDone: { target: '#auth.signedIn', actions: ['storeUser', 'storeRedirectState'] },
            onError: [
              { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
              { target: '#auth.signedOut', actions: 'storeError' },
            ],
          },
        },
        refreshing: {
          description: 'GetTokensFromRefreshToken with the stored refresh token.',
          invoke: {
            id: 'getTokensFromRefreshToken',
            src: 'getTokensFromRefreshToken',
            onDone: { target: '#auth.signedIn', actions: 'storeUser' },
            onError: [
              { guard: 'errorIsUnsupported', target: 'refreshingWithInitiateAuth' },
              // Offline or throttled at start: the session is not lost; signed in on stale tokens, retried.
              { guard: 'errorIsTransient', target: '#auth.signedIn.tokens.waitingToRetry', actions: ['storeError', 'markTokensStale'] },
              { target: '#auth.signedOut', actions: ['clearUser', 'storeError'] },
            ],
          },
        },
        refreshingWithInitiateAuth: {
          description: 'Fallback for pools without GetTokensFromRefreshToken: InitiateAuth REFRESH_TOKEN_AUTH.',
          invoke: {
            id: 'initiateAuth',
            src: 'initiateAuth',
            input: { authFlow: 'REFRESH_TOKEN_AUTH' },
            onDone: { target: '#auth.signedIn', actions: 'storeResult' },
            onError: [
              { guard: 'errorIsTransient', target: '#auth.signedIn.tokens.waitingToRetry', actions: ['storeError', 'markTokensStale'] },
              { target: '#auth.signedOut', actions: ['clearUser', 'storeError'] },
            ],
          },
        },
      },
    },

    signedOut: {
      description: 'Waiting for credentials. `error` explains why the last attempt failed.',
      meta: { route: 'signIn' },
      entry: 'clearFlow',
      on: {
        'signIn.submit': [
          { guard: 'isCredentialInput', target: 'signingIn', actions: 'startSignIn' },
          { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'credentials' } } },
        ],
        'session.check': { target: 'checkingSession', actions: 'clearError' },
        // another tab signed in or out (shared token storage): look again
        'session.changedElsewhere': { target: '#auth.checkingSession', actions: 'clearError' },
        'signUp.start': { target: 'signingUp', actions: 'clearError' },
        'password.forgot': [
          { guard: 'isUsernameInput', target: 'resettingPassword', actions: 'startAccountFlow' },
          { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'username' } } },
        ],
        'redirect.start': [
          { guard: 'isRedirectInput', target: 'redirecting', actions: 'clearError' },
          { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'provider' } } },
        ],
        // a host that receives the callback itself (native, popup) hands it over
        'redirect.callback': { guard: 'isCallbackInput', target: '#auth.checkingSession.exchangingCode', actions: 'clearError' },
        // a username the app remembered: its passkey is offered in the username field (nothing else changes on screen)
        'passkey.autofill': { guard: 'isAutofillUsername', target: 'signingIn', actions: 'startAutofill' },
      },
    },

    redirecting: {
      description:
        'Sign-in through the hosted UI (signInWithRedirect): the authorize URL with PKCE, state and nonce, what must survive the ' +
        'redirect kept in storage, the browser sent away. The chart comes back through checkingSession (the callback).',
      meta: { route: 'redirecting' },
      initial: 'authorizing',
      on: {
        'flow.cancel': { target: 'signedOut', actions: 'clearError' },
        'redirect.callback': { guard: 'isCallbackInput', target: '#auth.checkingSession.exchangingCode', actions: 'clearError' },
      },
      states: {
        authorizing: {
          description: 'Builds the /oauth2/authorize URL (identity_provider when one is named) and hands it to the host.',
          tags: ['busy'],
          invoke: {
            id: 'authorize',
            src: 'authorize',
            input: ({ event }) => inputs.redirectInput(event),
            onDone: { target: 'away' },
            // not set up, or the pending redirect could not be kept: said on the sign-in screen, where other ways still work
            onError: { target: '#auth.signedOut', actions: 'storeError' },
          },
        },
        away: {
          description: 'The browser is at the hosted UI (this page is being replaced); a host that stays hands back redirect.callback.',
        },
      },
    },

    signingUp: {
      description:
        'A new account: SignUp, then (unless a PreSignUp trigger confirmed it) the code Cognito sent; then signed in ' +
        'with the password kept in the runtime’s memory, or back to sign-in with the username filled. flow.cancel leaves.',
      initial: 'form',
      on: {
        'flow.cancel': { target: 'signedOut', actions: 'clearError' },
        'session.changedElsewhere': { target: '#auth.checkingSession', actions: 'clearError' },
      },
      states: {
        form: {
          description: 'Waiting for username, password and attributes (standard or custom:*).',
          meta: { route: 'signUp' },
          on: {
            'signUp.submit': [
              { guard: 'isSignUpInput', target: 'submitting', actions: 'startAccountFlow' },
              { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'credentials' } } },
            ],
          },
        },
        submitting: {
          description: 'SignUp. The pool’s password policy and required attributes come back as typed errors naming the field.',
          meta: { route: 'signUp' },
          tags: ['busy'],
          invoke: {
            id: 'signUp',
            src: 'signUp',
            input: ({ context, event }) => inputs.signUpInput(context, event),
            onDone: [
              // Confirmed already (a PreSignUp trigger): signed in with the kept password, or back to sign-in.
              { guard: 'signUpConfirmed', target: '#auth.signingIn.autoSignIn', actions: 'storeSignUp' },
              { guard: 'signUpConfirmedWithoutSignIn', target: '#auth.signedOut', actions: 'storeSignUp' },
              { target: 'confirming', actions: 'storeSignUp' },
            ],
            onError: [
              { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
              { target: 'form', actions: 'storeError' },
            ],
          },
        },
        confirming: {
          description: 'CONFIRM_SIGN_UP: the code Cognito sent (ConfirmSignUp); code.resend asks for a new one (ResendConfirmationCode).',
          meta: { route: 'confirmSignUp', signInStep: 'CONFIRM_SIGN_UP' },
          initial: 'idle',
          states: {
            idle: {
              description: 'Waiting for the confirmation code.',
              tags: ['canResend'],
              on: {
                'code.submit': [
                  { guard: 'isCodeInput', target: 'submitting', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'code' } } },
                ],
                'code.resend': { target: 'resending', actions: 'clearError' },
              },
            },
            submitting: {
              description: 'ConfirmSignUp; then the kept password signs in (auto sign-in), else back to sign-in with the username.',
              tags: ['busy'],
              invoke: {
                id: 'confirmSignUp',
                src: 'confirmSignUp',
                input: ({ context, event }) => inputs.confirmSignUpInput(context, event),
                onDone: [
                  { guard: 'confirmedWithSession', target: '#auth.signingIn.autoSignIn', actions: 'storeConfirmedSession' },
                  { guard: 'hasSecretRef', target: '#auth.signingIn.autoSignIn', actions: 'storeConfirmedSession' },
                  { target: '#auth.signedOut' },
                ],
                onError: [
                  { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
                  { target: 'idle', actions: 'storeError' },
                ],
              },
            },
            resending: {
              description: 'ResendConfirmationCode.',
              tags: ['busy'],
              invoke: {
                id: 'resendConfirmationCode',
                src: 'resendConfirmationCode',
                input: ({ context }) => inputs.usernameInput(context),
                onDone: { target: 'idle', actions: 'storeCodeDelivery' },
                onError: [
                  { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
                  { target: 'idle', actions: 'storeError' },
                ],
              },
            },
          },
        },
      },
    },

    resettingPassword: {
      description:
        'A forgotten password (or RESET_PASSWORD from sign-in): ForgotPassword sends a code, ConfirmForgotPassword sets ' +
        'the new password; then signed in with it when the user asked for that, else back to sign-in. flow.cancel leaves.',
      initial: 'requesting',
      on: {
        'flow.cancel': { target: 'signedOut', actions: 'clearError' },
        'session.changedElsewhere': { target: '#auth.checkingSession', actions: 'clearError' },
      },
      states: {
        requesting: {
          description: 'ForgotPassword: Cognito sends a code by the pool’s recovery channel.',
          meta: { route: 'resetPassword', signInStep: 'RESET_PASSWORD' },
          tags: ['busy'],
          invoke: {
            id: 'forgotPassword',
            src: 'forgotPassword',
            input: ({ context }) => inputs.usernameInput(context),
            onDone: { target: 'confirming', actions: 'storeCodeDelivery' },
            onError: [
              { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
              // A resend that failed (too many codes): the code already sent still works.
              { guard: 'hasCodeDelivery', target: 'confirming', actions: 'storeError' },
              { target: '#auth.signedOut', actions: 'storeError' },
            ],
          },
        },
        confirming: {
          description: 'RESET_PASSWORD: the code and a new password; code.resend sends a new code.',
          meta: { route: 'resetPassword', signInStep: 'RESET_PASSWORD' },
          initial: 'idle',
          states: {
            idle: {
              description: 'Waiting for the code and the new password.',
              tags: ['canResend'],
              on: {
                'password.reset': [
                  { guard: 'isPasswordResetInput', target: 'submitting', actions: 'storeAutoSignIn' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'code' } } },
                ],
                'code.resend': { target: '#auth.resettingPassword.requesting', actions: 'clearError' },
              },
            },
            submitting: {
              description: 'ConfirmForgotPassword; then a sign-in with the new password when asked for.',
              tags: ['busy'],
              invoke: {
                id: 'confirmForgotPassword',
                src: 'confirmForgotPassword',
                input: ({ context, event }) => inputs.confirmForgotPasswordInput(context, event),
                onDone: [
                  { guard: 'keptPasswordReturned', target: '#auth.signingIn.autoSignIn', actions: 'storeKeptPassword' },
                  { target: '#auth.signedOut' },
                ],
                onError: [
                  { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
                  { target: 'idle', actions: 'storeError' },
                ],
              },
            },
          },
        },
      },
    },

    signingIn: {
      description:
        'A sign-in in progress. flow.cancel (one for the whole phase) aborts the request in flight. ' +
        'A dead Cognito session goes to sessionExpired, a configuration or protocol error to failed; each transition says so.',
      initial: 'initiating',
      on: {
        'flow.cancel': { target: 'signedOut', actions: 'clearError' },
        // another tab signed in meanwhile: this attempt is moot, its session is adopted
        'session.changedElsewhere': { target: '#auth.checkingSession', actions: 'clearError' },
      },
      states: {
        initiating: {
          description: 'InitiateAuth with USER_SRP_AUTH (SRP_A) or USER_PASSWORD_AUTH.',
          meta: { route: 'signIn' },
          tags: ['busy'],
          invoke: {
            id: 'initiateAuth',
            src: 'initiateAuth',
            input: ({ context, event }) => inputs.signInInput(context, event),
            onDone: { target: 'routing', actions: 'storeResult' },
            onError: [
              // an autofill nobody asked for on screen fails quietly
              { guard: 'isAutofill', target: '#auth.signedOut' },
              { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
              { target: '#auth.signedOut', actions: 'storeError' },
            ],
          },
        },

        autoSignIn: {
          description:
            'After a confirmed sign-up or a password reset: InitiateAuth with the password kept in the runtime’s memory, ' +
            'without asking again. Nothing kept (a reload, another tab): back to sign-in with the username filled.',
          meta: { route: 'signIn' },
          tags: ['busy'],
          invoke: {
            id: 'initiateAuth',
            src: 'initiateAuth',
            input: ({ context }) => inputs.autoSignInInput(context),
            onDone: { target: 'routing', actions: 'storeResult' },
            onError: [
              { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
              { target: '#auth.signedOut', actions: 'storeError' },
            ],
          },
        },

        verifyingPassword: {
          description: 'RespondToAuthChallenge PASSWORD_VERIFIER: the SRP proof, computed without the user.',
          meta: { route: 'signIn' },
          tags: ['busy'],
          invoke: {
            id: 'respondToAuthChallenge',
            src: 'respondToAuthChallenge',
            input: ({ context }) => inputs.passwordVerifierInput(context),
            onDone: { target: 'routing', actions: 'storeResult' },
            onError: [
              { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
              // A wrong password, or a session that died while proving it: the user types the password again.
              { target: '#auth.signedOut', actions: 'storeError' },
            ],
          },
        },

        verifyingDevice: {
          description:
            'RespondToAuthChallenge DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER: the remembered device proves itself without the user ' +
            '(where the pool lets it stand in for MFA). A proof Cognito refuses forgets the device; the user signs in again.',
          meta: { route: 'signIn' },
          tags: ['busy'],
          invoke: {
            id: 'respondToAuthChallenge',
            src: 'respondToAuthChallenge',
            input: ({ context }) => inputs.deviceProofInput(context),
            onDone: { target: 'routing', actions: 'storeResult' },
            onError: [
              { guard: 'errorEndsSession', target: '#auth.sessionExpired', actions: 'storeError' },
              { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
              { target: '#auth.signedOut', actions: 'storeError' },
            ],
          },
        },

        routing: {
          description: 'Turns every Cognito answer into the next step (the step table decoded it into context.step).',
          always: [
            { guard: 'isAutofillRequest', target: 'passkeyAutofill' },
            // no passkey to offer for the remembered username (Cognito offered the choice): nothing to autofill
            { guard: 'isAutofill', target: '#auth.signedOut' },
            { guard: { type: 'stepIs', params: { step: 'PASSWORD_VERIFIER' } }, target: 'verifyingPassword' },
            { guard: { type: 'stepIs', params: { step: 'DEVICE_SRP_AUTH' } }, target: 'verifyingDevice' },
            { guard: { type: 'stepIs', params: { step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' } }, target: 'newPassword' },
            { guard: { type: 'stepIs', params: { step: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE' } }, target: 'customChallenge' },
            { guard: { type: 'stepIs', params: { step: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION' } }, target: 'firstFactor.selection' },
            { guard: { type: 'stepIs', params: { step: 'SMS_OTP' } }, target: 'firstFactor.smsCode' },
            // EMAIL_OTP as the first factor (USER_AUTH); after a password it is MFA
            { guard: 'isFirstFactorCode', target: 'firstFactor.emailCode' },
            { guard: { type: 'stepIs', params: { step: 'WEB_AUTHN' } }, target: 'firstFactor.passkey' },
            { guard: { type: 'stepIs', params: { step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE' } }, target: 'mfa.smsCode' },
            { guard: { type: 'stepIs', params: { step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } }, target: 'mfa.totpCode' },
            { guard: { type: 'stepIs', params: { step: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' } }, target: 'mfa.emailCode' },
            { guard: { type: 'stepIs', params: { step: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION' } }, target: 'mfa.selection' },
            // A setup already under way (an e-mail address refused, say) goes on where it was.
            { guard: { type: 'setupChose', params: { type: 'EMAIL' } }, target: 'enrolment.emailSetup' },
            { guard: { type: 'setupOffers', params: { types: ['TOTP', 'EMAIL'] } }, target: 'enrolment.setupSelection' },
            { guard: { type: 'setupOffers', params: { types: ['TOTP'] } }, target: 'enrolment.totpSetup' },
            { guard: { type: 'setupOffers', params: { types: ['EMAIL'] } }, target: 'enrolment.emailSetup' },
            {
              guard: { type: 'stepIs', params: { step: 'MFA_SETUP' } },
              target: '#auth.failed',
              actions: { type: 'storeInputError', params: { code: 'MfaSetupUnavailable' } },
            },
            { guard: { type: 'stepIs', params: { step: 'CONFIRM_SIGN_UP' } }, target: '#auth.signingUp.confirming' },
            // The code of an administrator's reset is already on its way: no ForgotPassword until a resend.
            { guard: { type: 'stepIs', params: { step: 'RESET_PASSWORD' } }, target: '#auth.resettingPassword.confirming' },
            { guard: { type: 'stepIs', params: { step: 'DONE' } }, target: '#auth.signedIn' },
            { target: '#auth.failed', actions: { type: 'storeInputError', params: { code: 'UnexpectedResponse' } } },
          ],
        },

        answering: {
          description:
            'RespondToAuthChallenge for the step the user is at (context.step: new password, MFA type, SMS / e-mail / TOTP code), ' +
            'with the answer from the event; the step table encodes it. The screen stays the step’s own; a refused answer returns to it with the error.',
          tags: ['busy'],
          invoke: {
            id: 'respondToAuthChallenge',
            src: 'respondToAuthChallenge',
            input: ({ context, event }) => inputs.answerInput(context, event),
            onDone: { target: 'routing', actions: 'storeResult' },
            onError: [
              { guard: 'errorEndsSession', target: '#auth.sessionExpired', actions: 'storeError' },
              { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
              // A first factor refused (a wrong password with the choice, a passkey Cognito did not accept): the attempt
              // is over, as with a wrong password at InitiateAuth.
              { guard: 'errorIsCredentials', target: '#auth.signedOut', actions: 'storeError' },
              // A TOTP setup whose confirmation failed: another code from the app (already added) verifies again.
              { guard: { type: 'setupChose', params: { type: 'TOTP' } }, target: 'enrolment.totpSetup.idle', actions: 'storeError' },
              // Wrong code, weak password, offline: back to the same step (routing re-enters it from context.step).
              { target: 'routing', actions: 'storeError' },
            ],
          },
        },

        firstFactor: {
          description:
            'USER_AUTH (choice-based sign-in): pick a first factor, or answer the one asked for: the password, a code ' +
            'texted or e-mailed, or a passkey. One session timer for the phase; codes are taken and resent here.',
          after: { challengeSession: '#auth.sessionExpired' },
          initial: 'selection',
          on: {
            'code.submit': [
              { guard: 'isCodeForStep', target: 'answering', actions: 'clearError' },
              { guard: 'isAtCodeStep', actions: 'storeCodeInputError' },
            ],
            // Cognito has no resend: a new USER_AUTH with the same factor sends a new code (no password needed).
            'code.resend': { guard: 'isAtCodeStep', target: '.resending', actions: 'clearError' },
          },
          states: {
            selection: {
              description: 'SELECT_CHALLENGE: the user picks one of the first factors Cognito offers (AvailableChallenges).',
              meta: { route: 'firstFactorSelection', signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION' },
              on: {
                'factor.select': [
                  // A passwordless factor, or a password factor with the password at hand: RespondToAuthChallenge at once.
                  { guard: 'canAnswerFactor', target: '#auth.signingIn.answering', actions: 'chooseFirstFactor' },
                  { guard: 'isOfferedFactor', target: 'password', actions: 'chooseFirstFactor' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'factor' } } },
                ],
              },
            },
            password: {
              description: 'PASSWORD / PASSWORD_SRP chosen: the password, sent with the choice (SRP: SRP_A, then the proof).',
              meta: { route: 'password', signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD' },
              on: {
                'factor.password': [
                  { guard: 'isPasswordInput', target: '#auth.signingIn.answering', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'password' } } },
                ],
              },
            },
            smsCode: {
              description: 'SMS_OTP: the code texted to the user, as the first factor; code.resend asks for a new one.',
              meta: { route: 'smsCode', signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE' },
              tags: ['canResend'],
            },
            emailCode: {
              description: 'EMAIL_OTP as the first factor: the code e-mailed to the user; code.resend asks for a new one.',
              meta: { route: 'emailCode', signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' },
              tags: ['canResend'],
            },
            passkey: {
              description:
                'WEB_AUTHN: Cognito sent the request for a passkey; the UI decides when the browser prompt runs. ' +
                'factor.select asks for another factor instead (a new USER_AUTH preferring it).',
              meta: { route: 'passkey' },
              initial: 'ready',
              on: {
                'factor.select': [
                  { guard: 'isOtherFactor', target: '#auth.signingIn.initiating', actions: 'switchFirstFactor' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'factor' } } },
                ],
              },
              states: {
                ready: {
                  description: 'The passkey prompt is ready: passkey.start opens it.',
                  on: { 'passkey.start': { target: 'prompting', actions: 'clearError' } },
                },
                prompting: {
                  description: 'The browser’s passkey prompt (navigator.credentials.get). flow.cancel closes it and waits again.',
                  tags: ['busy'],
                  on: {
                    'flow.cancel': { target: 'ready' },
                    // one prompt at a time
                    'passkey.start': {},
                    // another factor closes the prompt; a choice that is no factor is ignored while the prompt is open
                    'factor.select': [{ guard: 'isOtherFactor', target: '#auth.signingIn.initiating', actions: 'switchFirstFactor' }, {}],
                  },
                  invoke: {
                    id: 'getPasskeyCredential',
                    src: 'getPasskeyCredential',
                    input: ({ context }) => inputs.passkeyCeremonyInput(context),
                    // the assertion goes from this done event into the answer, not into context
                    onDone: { target: '#auth.signingIn.answering' },
                    onError: [
                      { guard: 'errorIsAborted', target: 'ready' },
                      // dismissed, timed out, no passkey here, no WebAuthn: say so; another try or another factor
                      { target: 'ready', actions: 'storeError' },
                    ],
                  },
                },
              },
            },
            resending: {
              description: 'A new first-factor code: InitiateAuth USER_AUTH with the same factor. The screen stays the code step.',
              tags: ['busy'],
              on: { 'code.submit': {}, 'code.resend': {} },
              invoke: {
                id: 'initiateAuth',
                src: 'initiateAuth',
                input: ({ context }) => inputs.firstFactorResendInput(context),
                onDone: { target: '#auth.signingIn.routing', actions: 'storeResult' },
                onError: [
                  { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
                  { target: '#auth.signingIn.routing', actions: 'storeError' },
                ],
              },
            },
          },
        },

        passkeyAutofill: {
          description:
            'Passkey autofill: the WEB_AUTHN request for a remembered username waits in the browser’s autofill (conditional ' +
            'mediation) while the sign-in form stays usable. Choosing the passkey signs in; submitting the form or passkey.start ' +
            'closes it first (one prompt at a time); when the Cognito session runs out it ends quietly.',
          meta: { route: 'signIn' },
          tags: ['background'],
          after: { challengeSession: '#auth.signedOut' },
          on: {
            'signIn.submit': [
              { guard: 'isCredentialInput', target: 'initiating', actions: 'startSignIn' },
              { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'credentials' } } },
            ],
            'passkey.start': { target: 'firstFactor.passkey.prompting', actions: ['endAutofill', 'clearError'] },
          },
          invoke: {
            id: 'getPasskeyCredential',
            src: 'getPasskeyCredential',
            input: ({ context }) => inputs.passkeyCeremonyInput(context, 'conditional'),
            // chosen in the autofill: from here on it is a passkey sign-in like any other
            onDone: { target: 'answering', actions: 'endAutofill' },
            onError: { target: '#auth.signedOut' },
          },
        },

        customChallenge: {
          description:
            'CUSTOM_CHALLENGE: a round of the app’s own challenge (CreateAuthChallenge), its public parameters shown; the answer is ' +
            'the user’s. As many rounds as DefineAuthChallenge asks for; a failed final round ends the attempt.',
          meta: { route: 'customChallenge', signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE' },
          after: { challengeSession: '#auth.sessionExpired' },
          on: {
            'challenge.answer': [
              { guard: 'isChallengeAnswer', target: 'answering', actions: 'clearError' },
              { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'answer' } } },
            ],
          },
        },

        newPassword: {
          description: 'NEW_PASSWORD_REQUIRED: choose a new password and give the missing required attributes.',
          meta: { route: 'newPassword', signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' },
          after: { challengeSession: '#auth.sessionExpired' },
          on: {
            'password.submit': [
              { guard: 'isNewPasswordInput', target: 'answering', actions: 'clearError' },
              { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'newPassword' } } },
            ],
          },
        },

        mfa: {
          description:
            'A second factor: pick an MFA type, or enter the SMS / e-mail / TOTP code. One session timer for the phase; ' +
            'codes are taken and resent here, once for every code step.',
          after: { challengeSession: '#auth.sessionExpired' },
          initial: 'smsCode',
          on: {
            'code.submit': [
              { guard: 'isCodeForStep', target: 'answering', actions: 'clearError' },
              { guard: 'isAtCodeStep', actions: 'storeCodeInputError' },
            ],
            'code.resend': [
              { guard: 'canResendCode', target: '.resending', actions: 'clearError' },
              // After a reload the password is gone: a new code needs a new sign-in.
              { guard: 'isAtResendableStep', actions: { type: 'storeInputError', params: { code: 'ResendUnavailable' } } },
            ],
          },
          states: {
            selection: {
              description: 'SELECT_MFA_TYPE: the user picks one of the MFA types Cognito offers.',
              meta: { route: 'mfaSelection', signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION' },
              on: {
                'mfa.select': [
                  { guard: 'isOfferedMfaType', target: '#auth.signingIn.answering', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'mfaType' } } },
                ],
              },
            },
            smsCode: {
              description: 'SMS_MFA: the code texted to the user; code.resend signs in again for a new one.',
              meta: { route: 'smsCode', signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE' },
              tags: ['canResend'],
            },
            emailCode: {
              description: 'EMAIL_OTP: the code e-mailed to the user; code.resend signs in again for a new one.',
              meta: { route: 'emailCode', signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' },
              tags: ['canResend'],
            },
            totpCode: {
              description: 'SOFTWARE_TOKEN_MFA: the 6-digit code from the authenticator app (nothing to resend).',
              meta: { route: 'totpCode', signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' },
            },

            resending: {
              description:
                'The shared resend of the SMS and e-mail code steps (Cognito cannot resend an MFA code): InitiateAuth ' +
                'again with the credentials kept for this attempt. The screen stays the code step; a failure returns to it with its Session intact.',
              tags: ['busy'],
              initial: 'requesting',
              // One request at a time: codes and resends wait until this one has answered.
              on: { 'code.submit': {}, 'code.resend': {} },
              states: {
                requesting: {
                  description: 'InitiateAuth with the kept password.',
                  invoke: {
                    id: 'initiateAuth',
                    src: 'initiateAuth',
                    input: ({ context }) => inputs.resendInput(context),
                    onDone: [
                      { guard: 'resultIsPasswordVerifier', target: 'verifyingPassword', actions: 'storeResendProof' },
                      { target: '#auth.signingIn.routing', actions: 'storeResult' },
                    ],
                    onError: [
                      { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
                      // The kept password was refused: a resend can no longer work.
                      { guard: 'errorIsCredentials', target: '#auth.signingIn.routing', actions: ['forgetSecretRef', 'storeError'] },
                      { target: '#auth.signingIn.routing', actions: 'storeError' },
                    ],
                  },
                },
                verifyingPassword: {
                  description: 'RespondToAuthChallenge PASSWORD_VERIFIER for the resend, with its own Session.',
                  exit: 'clearProofSession',
                  invoke: {
                    id: 'respondToAuthChallenge',
                    src: 'respondToAuthChallenge',
                    input: ({ context }) => inputs.passwordVerifierInput(context, 'resend'),
                    onDone: { target: '#auth.signingIn.routing', actions: 'storeResult' },
                    onError: [
                      { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
                      { target: '#auth.signingIn.routing', actions: 'storeError' },
                    ],
                  },
                },
              },
            },
          },
        },

        enrolment: {
          description: 'MFA_SETUP: the account must set up a second factor before it can sign in. One session timer for the phase.',
          after: { challengeSession: '#auth.sessionExpired' },
          initial: 'setupSelection',
          states: {
            setupSelection: {
              description: 'MFA_SETUP offering TOTP and e-mail: the user picks which to set up. No Cognito call.',
              meta: { route: 'mfaSetupSelection', signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION' },
              on: {
                'mfa.select': [
                  { guard: { type: 'selectsMfaType', params: { expected: 'TOTP' } }, target: 'totpSetup', actions: 'clearError' },
                  { guard: { type: 'selectsMfaType', params: { expected: 'EMAIL' } }, target: 'emailSetup', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'mfaType' } } },
                ],
              },
            },

            totpSetup: {
              description: 'MFA_SETUP with TOTP: AssociateSoftwareToken, the user adds the secret to an app, VerifySoftwareToken, then RespondToAuthChallenge MFA_SETUP.',
              meta: { route: 'totpSetup', signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP' },
              initial: 'associating',
              // The secret stays while the confirmation runs (the QR code stays on screen); the next step clears it.
              entry: { type: 'storeSetupChoice', params: { type: 'TOTP' } },
              states: {
                associating: {
                  description: 'AssociateSoftwareToken with the challenge Session.',
                  tags: ['busy'],
                  invoke: {
                    id: 'associateSoftwareToken',
                    src: 'associateSoftwareToken',
                    input: ({ context }) => inputs.associateInput(context, 'signIn'),
                    onDone: { target: 'idle', actions: ['storeSession', 'storeTotpSetup'] },
                    onError: [
                      { guard: 'errorEndsSession', target: '#auth.sessionExpired', actions: 'storeError' },
                      { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
                      { target: 'associationFailed', actions: 'storeError' },
                    ],
                  },
                },
                associationFailed: {
                  description: 'AssociateSoftwareToken failed (e.g. offline); the session may still be alive.',
                  on: { 'flow.retry': { target: 'associating', actions: 'clearError' } },
                },
                idle: {
                  description: 'Waiting for the first code from the newly added authenticator.',
                  on: {
                    'code.submit': [
                      { guard: 'isTotpCodeInput', target: 'verifying', actions: 'clearError' },
                      { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'totpCode' } } },
                    ],
                  },
                },
                verifying: {
                  description: 'VerifySoftwareToken with the Session and the code.',
                  tags: ['busy'],
                  invoke: {
                    id: 'verifySoftwareToken',
                    src: 'verifySoftwareToken',
                    input: ({ context, event }) => inputs.verifySoftwareTokenInput(context, event, 'signIn'),
                    // Verified: the authenticator is registered; the MFA_SETUP answer (the new Session) follows.
                    onDone: { target: '#auth.signingIn.answering', actions: 'storeSession' },
                    onError: [
                      { guard: 'errorEndsSession', target: '#auth.sessionExpired', actions: 'storeError' },
                      { guard: 'errorIsFatal', target: '#auth.failed', actions: 'storeError' },
                      { target: 'idle', actions: 'storeError' },
                    ],
                  },
                },
              },
            },

            emailSetup: {
              description: 'MFA_SETUP with e-mail: the user gives an address; Cognito then e-mails a code (EMAIL_OTP).',
              meta: { route: 'emailMfaSetup', signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' },
              entry: { type: 'storeSetupChoice', params: { type: 'EMAIL' } },
              on: {
                'email.submit': [
                  { guard: 'isEmailInput', target: '#auth.signingIn.answering', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'email' } } },
                ],
              },
            },
          },
        },

      },
    },

    signedIn: {
      description:
        'Tokens are in the token store; context only has who the user is. Two regions: tokens (refresh) and account ' +
        '(MFA settings), so a refresh never waits behind an account operation. Token errors sign the user out.',
      meta: { route: 'signedIn', signInStep: 'DONE' },
      type: 'parallel',
      on: {
        // another tab signed out, or in as someone else: the shared token store says who (if anyone) is signed in
        'session.changedElsewhere': { target: '#auth.checkingSession', actions: 'clearError' },
        // a second sign-in while signed in is a typed situation (Amplify throws "There is already a signed in user")
        'signIn.submit': { actions: { type: 'storeInputError', params: { code: 'AlreadySignedIn' } } },
        'session.signOut': [
          { guard: 'isGlobalSignOut', target: 'signingOut.globalSignOut', actions: 'clearError' },
          { target: 'signingOut.revokeToken', actions: 'clearError' },
        ],
      },
      states: {
        tokens: {
          description: 'The tokens: refreshed on demand (getTokens) or with session.refresh.',
          initial: 'active',
          states: {
            active: {
              description: 'Signed in; tokens are fresh or will be refreshed when asked for.',
              on: { 'session.refresh': 'refreshing' },
            },
            waitingToRetry: {
              description: 'The tokens are stale and the last refresh could not reach Cognito: it is retried after a while, or at once with session.refresh.',
              after: { refreshRetry: 'refreshing' },
              on: { 'session.refresh': 'refreshing' },
            },
            refreshing: {
              description: 'GetTokensFromRefreshToken. Concurrent refresh requests collapse into this one state.',
              tags: ['refreshing'],
              invoke: {
                id: 'getTokensFromRefreshToken',
                src: 'getTokensFromRefreshToken',
                onDone: { target: 'active', actions: 'storeUser' },
                onError: [
                  { guard: 'errorIsUnsupported', target: 'refreshingWithInitiateAuth' },
                  { guard: 'errorIsTokenError', target: '#auth.signedOut', actions: ['clearUser', 'storeError'] },
                  // Offline or throttled: keep the session and its tokens, report the error; stale tokens retry.
                  { guard: 'tokensAreStale', target: 'waitingToRetry', actions: 'storeError' },
                  { target: 'active', actions: 'storeError' },
                ],
              },
            },
            refreshingWithInitiateAuth: {
              description: 'Fallback: InitiateAuth REFRESH_TOKEN_AUTH.',
              tags: ['refreshing'],
              invoke: {
                id: 'initiateAuth',
                src: 'initiateAuth',
                input: { authFlow: 'REFRESH_TOKEN_AUTH' },
                onDone: { target: 'active', actions: 'storeResult' },
                onError: [
                  { guard: 'errorIsTokenError', target: '#auth.signedOut', actions: ['clearUser', 'storeError'] },
                  { guard: 'tokensAreStale', target: 'waitingToRetry', actions: 'storeError' },
                  { target: 'active', actions: 'storeError' },
                ],
              },
            },
          },
        },

        account: {
          description: "The signed-in user's own settings (MFA, attributes, password, passkeys); each operation shows busy and its error without blocking the tokens.",
          initial: 'idle',
          states: {
            idle: {
              description: 'No account operation in progress.',
              // tokens that came with NewDeviceMetadata: confirm the device before anything else
              always: { guard: 'deviceToConfirm', target: 'confirmingDevice' },
              on: {
                'mfa.setUpTotp': { target: 'settingUpTotp', actions: 'clearError' },
                'mfa.updatePreference': [
                  { guard: 'isMfaPreferenceUpdate', target: 'updatingMfaPreference', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'preference' } } },
                ],
                'mfa.fetchPreference': { target: 'fetchingProfile', actions: 'clearError' },
                'attributes.fetch': { target: 'fetchingProfile', actions: 'clearError' },
                'attributes.update': [
                  { guard: 'isAttributeUpdate', target: 'updatingAttributes', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'attributes' } } },
                ],
                'attributes.delete': [
                  { guard: 'isAttributeDeletion', target: 'deletingAttributes', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'attributes' } } },
                ],
                'attribute.sendCode': [
                  { guard: 'isVerifiableAttribute', target: 'sendingAttributeCode', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'attributeName' } } },
                ],
                'attribute.verify': [
                  { guard: 'isAttributeCodeInput', target: 'verifyingAttribute', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'code' } } },
                ],
                'password.change': [
                  { guard: 'isPasswordChangeInput', target: 'changingPassword', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'oldPassword' } } },
                ],
                'account.delete': { target: 'deletingUser', actions: 'clearError' },
                'passkey.register': { target: 'registeringPasskey', actions: 'clearError' },
                'passkeys.list': { target: 'listingPasskeys', actions: 'clearError' },
                'passkey.delete': [
                  { guard: 'isPasskeyId', target: 'deletingPasskey', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'passkey' } } },
                ],
                'devices.list': { target: 'listingDevices', actions: 'clearError' },
                'device.remember': { target: 'rememberingDevice', actions: 'clearError' },
                'device.forget': [
                  { guard: 'isDeviceForget', target: 'forgettingDevice', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'device' } } },
                ],
              },
            },
            confirmingDevice: {
              description:
                'ConfirmDevice for the device Cognito issued with the tokens: a new device secret and its SRP verifier (the secret is kept ' +
                'in the token storage). A failure is shown on the account screen; the user stays signed in without a remembered device.',
              tags: ['busy'],
              invoke: {
                id: 'confirmDevice',
                src: 'confirmDevice',
                onDone: { target: 'idle', actions: 'storeDeviceConfirmation' },
                onError: { target: 'refused', actions: ['dropDeviceToConfirm', 'storeError'] },
              },
            },
            listingDevices: {
              description: 'ListDevices (fetchDevices): the first page, or the next one with its token.',
              tags: ['busy'],
              invoke: {
                id: 'listDevices',
                src: 'listDevices',
                input: ({ event }) => inputs.devicePageInput(event),
                onDone: { target: 'idle', actions: 'storeDevices' },
                onError: { target: 'refused', actions: 'storeError' },
              },
            },
            rememberingDevice: {
              description: 'UpdateDeviceStatus remembered (rememberDevice): this browser may then stand in for MFA.',
              tags: ['busy'],
              invoke: {
                id: 'rememberDevice',
                src: 'rememberDevice',
                onDone: { target: 'idle', actions: 'storeDeviceRemembered' },
                onError: { target: 'refused', actions: 'storeError' },
              },
            },
            forgettingDevice: {
              description: 'ForgetDevice (forgetDevice): this browser’s device (its secret is dropped too) or another one of the user’s.',
              tags: ['busy'],
              invoke: {
                id: 'forgetDevice',
                src: 'forgetDevice',
                input: ({ event }) => inputs.deviceIdInput(event),
                onDone: { target: 'idle', actions: 'storeDeviceForgotten' },
                onError: { target: 'refused', actions: 'storeError' },
              },
            },
            registeringPasskey: {
              description: 'A new passkey (associateWebAuthnCredential): StartWebAuthnRegistration, the browser creates it, CompleteWebAuthnRegistration.',
              tags: ['busy'],
              initial: 'starting',
              on: { 'flow.cancel': { target: 'idle', actions: 'clearError' } },
              states: {
                starting: {
                  description: 'StartWebAuthnRegistration: the creation options for this user.',
                  invoke: {
                    id: 'startWebAuthnRegistration',
                    src: 'startWebAuthnRegistration',
                    onDone: { target: 'creating' },
                    onError: { target: '#auth.signedIn.account.refused', actions: 'storeError' },
                  },
                },
                creating: {
                  description: 'The browser’s prompt creates the passkey (navigator.credentials.create).',
                  invoke: {
                    id: 'createPasskey',
                    src: 'createPasskey',
                    // the options come with the done event of StartWebAuthnRegistration
                    input: ({ event }) => inputs.creationOptionsOf(event),
                    onDone: { target: 'completing' },
                    onError: [
                      { guard: 'errorIsAborted', target: '#auth.signedIn.account.idle' },
                      { target: '#auth.signedIn.account.refused', actions: 'storeError' },
                    ],
                  },
                },
                completing: {
                  description: 'CompleteWebAuthnRegistration with the new credential; a shown passkey list is read again.',
                  invoke: {
                    id: 'completeWebAuthnRegistration',
                    src: 'completeWebAuthnRegistration',
                    input: ({ event }) => inputs.registrationOf(event),
                    onDone: [
                      { guard: 'passkeysListed', target: '#auth.signedIn.account.listingPasskeys' },
                      { target: '#auth.signedIn.account.idle' },
                    ],
                    onError: { target: '#auth.signedIn.account.refused', actions: 'storeError' },
                  },
                },
              },
            },
            listingPasskeys: {
              description: 'ListWebAuthnCredentials (listWebAuthnCredentials): the first page, or the next one with its token.',
              tags: ['busy'],
              invoke: {
                id: 'listWebAuthnCredentials',
                src: 'listWebAuthnCredentials',
                input: ({ event }) => inputs.passkeyPageInput(event),
                onDone: { target: 'idle', actions: 'storePasskeys' },
                onError: { target: 'refused', actions: 'storeError' },
              },
            },
            deletingPasskey: {
              description: 'DeleteWebAuthnCredential (deleteWebAuthnCredential).',
              tags: ['busy'],
              invoke: {
                id: 'deleteWebAuthnCredential',
                src: 'deleteWebAuthnCredential',
                input: ({ event }) => inputs.passkeyIdInput(event),
                onDone: { target: 'idle', actions: 'forgetPasskey' },
                onError: { target: 'refused', actions: 'storeError' },
              },
            },
            settingUpTotp: {
              description: 'Adds an authenticator app for the signed-in user (setUpTOTP / verifyTOTPSetup).',
              meta: { route: 'totpSetup' },
              initial: 'associating',
              exit: 'clearTotpSetup',
              on: { 'flow.cancel': { target: 'idle', actions: 'clearError' } },
              states: {
                associating: {
                  description: 'AssociateSoftwareToken with the access token.',
                  tags: ['busy'],
                  invoke: {
                    id: 'associateSoftwareToken',
                    src: 'associateSoftwareToken',
                    input: ({ context }) => inputs.associateInput(context, 'signedIn'),
                    onDone: { target: 'idle', actions: 'storeTotpSetup' },
                    onError: { target: '#auth.signedIn.account.refused', actions: 'storeError' },
                  },
                },
                idle: {
                  description: 'The secret is shown; waiting for a code from the authenticator the user added it to.',
                  on: {
                    'code.submit': [
                      { guard: 'isTotpCodeInput', target: 'verifying', actions: 'clearError' },
                      { actions: { type: 'storeInputError', params: { code: 'InvalidInput', field: 'totpCode' } } },
                    ],
                  },
                },
                verifying: {
                  description: 'VerifySoftwareToken with the access token.',
                  tags: ['busy'],
                  invoke: {
                    id: 'verifySoftwareToken',
                    src: 'verifySoftwareToken',
                    input: ({ context, event }) => inputs.verifySoftwareTokenInput(context, event, 'signedIn'),
                    onDone: { target: '#auth.signedIn.account.idle' },
                    onError: [
                      { guard: 'errorIsTokenError', target: '#auth.signedOut', actions: ['clearUser', 'storeError'] },
                      { target: 'idle', actions: 'storeError' },
                    ],
                  },
                },
              },
            },
            updatingMfaPreference: {
              description: 'SetUserMFAPreference (updateMFAPreference).',
              tags: ['busy'],
              invoke: {
                id: 'setUserMfaPreference',
                src: 'setUserMfaPreference',
                input: ({ event }) => inputs.mfaPreferenceInput(event),
                onDone: { target: 'idle', actions: 'applyMfaPreference' },
                onError: { target: 'refused', actions: 'storeError' },
              },
            },
            refused: {
              description:
                'Where every account operation’s error goes: a token error means the session is gone (signed out), anything else is shown on the account screen.',
              always: [
                { guard: { type: 'hasErrorIn', params: { categories: ['token'] } }, target: '#auth.signedOut', actions: 'clearUser' },
                { target: 'idle' },
              ],
            },
            fetchingProfile: {
              description: 'GetUser: the attributes and the MFA settings (fetchUserAttributes, fetchMFAPreference).',
              tags: ['busy'],
              invoke: {
                id: 'getUser',
                src: 'getUser',
                onDone: { target: 'idle', actions: 'storeProfile' },
                onError: { target: 'refused', actions: 'storeError' },
              },
            },
            updatingAttributes: {
              description: 'UpdateUserAttributes; a changed e-mail or phone number gets a verification code.',
              tags: ['busy'],
              invoke: {
                id: 'updateUserAttributes',
                src: 'updateUserAttributes',
                input: ({ event }) => inputs.attributeUpdateInput(event),
                onDone: { target: 'idle', actions: 'applyAttributeUpdate' },
                onError: { target: 'refused', actions: 'storeError' },
              },
            },
            deletingAttributes: {
              description: 'DeleteUserAttributes (deleteUserAttributes): the named attributes are removed from the user.',
              tags: ['busy'],
              invoke: {
                id: 'deleteUserAttributes',
                src: 'deleteUserAttributes',
                input: ({ event }) => inputs.attributeDeletionInput(event),
                onDone: { target: 'idle', actions: 'applyAttributeDeletion' },
                onError: { target: 'refused', actions: 'storeError' },
              },
            },
            sendingAttributeCode: {
              description: 'GetUserAttributeVerificationCode (sendUserAttributeVerificationCode).',
              tags: ['busy'],
              invoke: {
                id: 'getUserAttributeVerificationCode',
                src: 'getUserAttributeVerificationCode',
                input: ({ event }) => inputs.attributeCodeInput(event),
                onDone: { target: 'idle', actions: 'storeAttributeDelivery' },
                onError: { target: 'refused', actions: 'storeError' },
              },
            },
            verifyingAttribute: {
              description: 'VerifyUserAttribute with the code (confirmUserAttribute).',
              tags: ['busy'],
              invoke: {
                id: 'verifyUserAttribute',
                src: 'verifyUserAttribute',
                input: ({ event }) => inputs.attributeVerifyInput(event),
                onDone: { target: 'idle', actions: 'applyAttributeVerified' },
                onError: { target: 'refused', actions: 'storeError' },
              },
            },
            changingPassword: {
              description: 'ChangePassword (updatePassword) with the current and the new password.',
              tags: ['busy'],
              invoke: {
                id: 'changePassword',
                src: 'changePassword',
                input: ({ event }) => inputs.changePasswordInput(event),
                onDone: { target: 'idle' },
                onError: { target: 'refused', actions: 'storeError' },
              },
            },
            deletingUser: {
              description: 'DeleteUser: the account is gone, and with it the session on this device.',
              tags: ['busy'],
              invoke: {
                id: 'deleteUser',
                src: 'deleteUser',
                onDone: { target: '#auth.signedOut', actions: 'clearUser' },
                onError: { target: 'refused', actions: 'storeError' },
              },
            },
          },
        },
      },
    },

    signingOut: {
      description: 'Local tokens are cleared whatever Cognito answers; an offline sign-out is reported, not blocked.',
      meta: { route: 'signingOut' },
      tags: ['busy'],
      initial: 'revokeToken',
      exit: 'clearUser',
      // The tokens here are gone already; flow.cancel stops waiting for Cognito to be told (it may not have been).
      on: { 'flow.cancel': { target: 'signedOut', actions: { type: 'storeInputError', params: { code: 'SignOutIncomplete' } } } },
      states: {
        revokeToken: {
          description: "RevokeToken: this device's refresh token and the access tokens minted from it.",
          invoke: {
            id: 'revokeToken',
            src: 'revokeToken',
            onDone: { target: '#auth.signedOut', actions: 'storeWarning' },
            onError: { target: '#auth.signedOut', actions: 'storeError' },
          },
        },
        globalSignOut: {
          description: 'GlobalSignOut: every session of the user, on every device.',
          invoke: {
            id: 'globalSignOut',
            src: 'globalSignOut',
            onDone: { target: '#auth.signedOut', actions: 'storeWarning' },
            onError: { target: '#auth.signedOut', actions: 'storeError' },
          },
        },
      },
    },

    sessionExpired: {
      description: 'The Cognito sign-in session expired, was already used, or took too many wrong codes; the user starts again.',
      meta: { route: 'sessionExpired' },
      entry: 'clearFlow',
      on: {
        'flow.restart': { target: 'signedOut', actions: 'clearError' },
        'session.changedElsewhere': { target: '#auth.checkingSession', actions: 'clearError' },
      },
    },

    failed: {
      description: 'A configuration or protocol error: retrying the same thing will not help.',
      meta: { route: 'failed' },
      entry: 'clearFlow',
      on: {
        'flow.restart': { target: 'signedOut', actions: 'clearError' },
        'session.changedElsewhere': { target: '#auth.checkingSession', actions: 'clearError' },
      },
    },
  },
});

export type AuthMachine = typeof authMachine;
