// THE sign-in statechart. One setup().createMachine() literal: no spreads, no computed keys,
// so the Stately editor, xstate/graph and machine.toJSON() see all of it.
// Actors are slots named after Cognito operations; createAuth() fills them (machine.provide).
import { assertEvent, assign, fromPromise, setup } from 'xstate';
import { AuthError, type AuthErrorCode } from '../src/cognito/errors.js';
import * as reduce from './signIn.actions.js';
import * as is from './signIn.guards.js';
import type {
  AssociateSoftwareTokenInput,
  AssociateSoftwareTokenOutput,
  InitiateAuthInput,
  MfaPreference,
  MfaPreferenceUpdate,
  RefreshResult,
  RespondToAuthChallengeInput,
  SignInContext,
  SignInEvent,
  SignInInput,
  SignInResult,
  SignOutResult,
  StateMeta,
  StoredSessionStatus,
  VerifySoftwareTokenInput,
  VerifySoftwareTokenOutput,
} from './signIn.types.js';

/** Placeholder actor: the machine runs in visualizers and graph tools without any I/O. */
const notProvided = <Output, Input = unknown>(name: string) =>
  fromPromise<Output, Input>(async () => {
    throw new AuthError('NotProvided', `The "${name}" actor is not provided; create the actor with createAuth()`);
  });

/** The fields every challenge answer carries, read from context. */
const challengeContext = (context: SignInContext) => ({
  session: context.session ?? '',
  username: context.challengeUsername ?? '',
  loginId: context.username ?? '',
  authFlow: context.authFlow,
  secretRef: context.secretRef,
});

export const signInMachine = setup({
  types: {
    context: {} as SignInContext,
    events: {} as SignInEvent,
    input: {} as SignInInput,
    tags: {} as 'busy' | 'refreshing' | 'canCancel' | 'canResend',
    meta: {} as StateMeta,
  },
  actors: {
    loadStoredSession: notProvided<StoredSessionStatus>('loadStoredSession'),
    initiateAuth: notProvided<SignInResult, InitiateAuthInput>('initiateAuth'),
    respondToAuthChallenge: notProvided<SignInResult, RespondToAuthChallengeInput>('respondToAuthChallenge'),
    associateSoftwareToken: notProvided<AssociateSoftwareTokenOutput, AssociateSoftwareTokenInput>('associateSoftwareToken'),
    verifySoftwareToken: notProvided<VerifySoftwareTokenOutput, VerifySoftwareTokenInput>('verifySoftwareToken'),
    getTokensFromRefreshToken: notProvided<RefreshResult>('getTokensFromRefreshToken'),
    getUser: notProvided<MfaPreference>('getUser'),
    setUserMfaPreference: notProvided<MfaPreferenceUpdate, MfaPreferenceUpdate>('setUserMfaPreference'),
    revokeToken: notProvided<SignOutResult>('revokeToken'),
    globalSignOut: notProvided<SignOutResult>('globalSignOut'),
  },
  guards: {
    stepIs: ({ context }, params: { step: SignInResult['step'] }) => is.stepIs(context, params),
    resultIs: (_, params: { result: SignInResult; step: SignInResult['step'] }) => params.result.step === params.step,
    setupOffers: ({ context }, params: Parameters<typeof is.setupOffers>[1]) => is.setupOffers(context, params),
    hasErrorIn: ({ context }, params: Parameters<typeof is.hasErrorIn>[1]) => is.hasErrorIn(context, params),
    hasSecretRef: ({ context }) => is.hasSecretRef(context),
    isCredentialInput: (_, params: Parameters<typeof is.isCredentialInput>[0]) => is.isCredentialInput(params),
    isMfaPreferenceUpdate: (_, params: Parameters<typeof is.isMfaPreferenceUpdate>[0]) => is.isMfaPreferenceUpdate(params),
    isNewPasswordInput: ({ context }, params: Parameters<typeof is.isNewPasswordInput>[1]) => is.isNewPasswordInput(context, params),
    isCodeInput: (_, params: Parameters<typeof is.isCodeInput>[0]) => is.isCodeInput(params),
    isTotpCodeInput: (_, params: Parameters<typeof is.isTotpCodeInput>[0]) => is.isTotpCodeInput(params),
    isEmailInput: (_, params: Parameters<typeof is.isEmailInput>[0]) => is.isEmailInput(params),
    isOfferedMfaType: ({ context }, params: Parameters<typeof is.isOfferedMfaType>[1]) => is.isOfferedMfaType(context, params),
    selectsMfaType: ({ context }, params: Parameters<typeof is.selectsMfaType>[1]) => is.selectsMfaType(context, params),
    errorInCategory: (_, params: Parameters<typeof is.errorInCategory>[0]) => is.errorInCategory(params),
    errorIs: (_, params: Parameters<typeof is.errorIs>[0]) => is.errorIs(params),
    storedSessionIs: (_, params: Parameters<typeof is.storedSessionIs>[0]) => is.storedSessionIs(params),
    isGlobalSignOut: (_, params: { global: boolean | undefined }) => params.global === true,
  },
  actions: {
    startSignIn: assign((_, params: Parameters<typeof reduce.startSignIn>[0]) => reduce.startSignIn(params)),
    storeResult: assign(({ context }, params: { result: SignInResult }) => reduce.storeResult(context, params)),
    storeSession: assign(({ context }, params: Parameters<typeof reduce.storeSession>[1]) => reduce.storeSession(context, params)),
    storeTotpSetup: assign((_, params: Parameters<typeof reduce.storeTotpSetup>[0]) => reduce.storeTotpSetup(params)),
    storeMfaPreference: assign((_, params: Parameters<typeof reduce.storeMfaPreference>[0]) => reduce.storeMfaPreference(params)),
    applyMfaPreference: assign(({ context }, params: Parameters<typeof reduce.applyMfaPreference>[1]) => reduce.applyMfaPreference(context, params)),
    storeUser: assign((_, params: Parameters<typeof reduce.storeUser>[0]) => reduce.storeUser(params)),
    storeError: assign((_, params: { error: unknown }) => reduce.storeError(params)),
    storeInputError: assign((_, params: { code: AuthErrorCode; message: string }) => reduce.inputError(params.code, params.message)),
    restoreAttempt: assign((_, params: Parameters<typeof reduce.restoreAttempt>[0]) => reduce.restoreAttempt(params)),
    storeInterruptedError: assign((_, params: Parameters<typeof reduce.interruptedError>[0]) => reduce.interruptedError(params)),
    storeWarning: assign((_, params: { warning: SignInContext['error'] }) => ({ error: params.warning })),
    clearError: assign({ error: null }),
    clearFlow: assign(() => reduce.clearFlow()),
    clearTotpSetup: assign({ totpSetup: null }),
    forgetSecretRef: assign({ secretRef: null }),
    storeResendProof: assign((_, params: Parameters<typeof reduce.storeResendProof>[0]) => reduce.storeResendProof(params)),
    clearProofSession: assign({ proofSession: null }),
    clearUser: assign({ user: null, mfaPreference: null }),
  },
  delays: {
    // createAuth() replaces this with the time left by its clock; here: the full lifetime.
    challengeSession: ({ context }) => Math.max(0, (context.sessionExpiresAt ?? 0) - (context.sessionIssuedAt ?? 0)),
  },
}).createMachine({
  id: 'auth',
  description: 'Amazon Cognito user-pool sign-in. One long-lived actor per app: nothing is final at the root.',
  context: ({ input }) => reduce.initialContext(input?.authFlow),
  initial: 'checkingSession',
  states: {
    checkingSession: {
      description:
        'At start: restores stored tokens (refreshing them when stale), or resumes a saved sign-in attempt at its step.',
      meta: { route: 'checkingSession' },
      tags: ['busy'],
      initial: 'loading',
      states: {
        loading: {
          description: 'Reads the token store and the saved attempt (no Cognito call).',
          invoke: {
            id: 'loadStoredSession',
            src: 'loadStoredSession',
            onDone: [
              {
                guard: { type: 'storedSessionIs', params: ({ event }) => ({ output: event.output, status: 'fresh' }) },
                target: '#auth.signedIn',
                actions: { type: 'storeUser', params: ({ event }) => ({ user: event.output.status === 'fresh' ? event.output.user : null }) },
              },
              {
                guard: { type: 'storedSessionIs', params: ({ event }) => ({ output: event.output, status: 'stale' }) },
                target: 'refreshing',
              },
              {
                guard: { type: 'storedSessionIs', params: ({ event }) => ({ output: event.output, status: 'resumable' }) },
                target: '#auth.signingIn.routing',
                actions: {
                  type: 'restoreAttempt',
                  params: ({ event }) => ({ attempt: (event.output as Extract<StoredSessionStatus, { status: 'resumable' }>).attempt }),
                },
              },
              {
                guard: { type: 'storedSessionIs', params: ({ event }) => ({ output: event.output, status: 'interrupted' }) },
                target: '#auth.sessionExpired',
                actions: { type: 'storeInterruptedError', params: ({ event }) => ({ status: event.output }) },
              },
              { target: '#auth.signedOut' },
            ],
            onError: { target: '#auth.signedOut', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
          },
        },
        refreshing: {
          description: 'GetTokensFromRefreshToken with the stored refresh token.',
          invoke: {
            id: 'getTokensFromRefreshToken',
            src: 'getTokensFromRefreshToken',
            onDone: { target: '#auth.signedIn', actions: { type: 'storeUser', params: ({ event }) => ({ user: event.output.user }) } },
            onError: [
              {
                guard: { type: 'errorIs', params: ({ event }) => ({ error: event.error, code: 'UnsupportedOperation' }) },
                target: 'refreshingWithInitiateAuth',
              },
              { target: '#auth.signedOut', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
            ],
          },
        },
        refreshingWithInitiateAuth: {
          description: 'Fallback for pools without GetTokensFromRefreshToken: InitiateAuth REFRESH_TOKEN_AUTH.',
          invoke: {
            id: 'initiateAuth',
            src: 'initiateAuth',
            input: { authFlow: 'REFRESH_TOKEN_AUTH' },
            onDone: { target: '#auth.signedIn', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
            onError: { target: '#auth.signedOut', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
          },
        },
      },
    },

    signedOut: {
      description: 'Waiting for credentials. `error` explains why the last attempt failed.',
      meta: { route: 'signIn' },
      on: {
        'signIn.submit': [
          {
            guard: { type: 'isCredentialInput', params: ({ event }) => ({ username: event.username, password: event.password, authFlow: event.authFlow }) },
            target: 'signingIn',
            actions: {
              type: 'startSignIn',
              params: ({ context, event }) => ({ username: event.username, authFlow: event.authFlow ?? context.authFlow }),
            },
          },
          { actions: { type: 'storeInputError', params: { code: 'InvalidInput', message: 'Enter your username and password.' } } },
        ],
        'session.check': { target: 'checkingSession', actions: 'clearError' },
      },
    },

    signingIn: {
      description:
        'A sign-in in progress. Leaving it (flow.cancel) aborts the request in flight. ' +
        'Any step whose Cognito session dies goes to sessionExpired; configuration or protocol errors go to failed.',
      initial: 'initiating',
      always: [
        { guard: { type: 'hasErrorIn', params: { categories: ['session'] } }, target: 'sessionExpired', actions: 'clearFlow' },
        { guard: { type: 'hasErrorIn', params: { categories: ['configuration', 'protocol'] } }, target: 'failed', actions: 'clearFlow' },
      ],
      on: {
        'flow.cancel': { target: 'signedOut', actions: ['clearFlow', 'clearError'] },
      },
      states: {
        initiating: {
          description: 'InitiateAuth with USER_SRP_AUTH (SRP_A) or USER_PASSWORD_AUTH.',
          meta: { route: 'signIn' },
          tags: ['busy', 'canCancel'],
          invoke: {
            id: 'initiateAuth',
            src: 'initiateAuth',
            input: ({ context, event }) => {
              assertEvent(event, 'signIn.submit');
              return { authFlow: context.authFlow, username: context.username ?? '', password: event.password };
            },
            onDone: { target: 'routing', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
            onError: [
              {
                guard: { type: 'errorInCategory', params: ({ event }) => ({ error: event.error, categories: ['configuration', 'protocol'] }) },
                target: '#auth.failed',
                actions: ['clearFlow', { type: 'storeError', params: ({ event }) => ({ error: event.error }) }],
              },
              { target: '#auth.signedOut', actions: ['clearFlow', { type: 'storeError', params: ({ event }) => ({ error: event.error }) }] },
            ],
          },
        },

        verifyingPassword: {
          description: 'RespondToAuthChallenge PASSWORD_VERIFIER: the SRP proof, computed without the user.',
          meta: { route: 'signIn' },
          tags: ['busy', 'canCancel'],
          invoke: {
            id: 'respondToAuthChallenge',
            src: 'respondToAuthChallenge',
            input: ({ context }) => ({ ...challengeContext(context), challengeName: 'PASSWORD_VERIFIER', secretRef: context.secretRef ?? '' }),
            onDone: { target: 'routing', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
            onError: [
              {
                guard: { type: 'errorInCategory', params: ({ event }) => ({ error: event.error, categories: ['configuration', 'protocol'] }) },
                target: '#auth.failed',
                actions: ['clearFlow', { type: 'storeError', params: ({ event }) => ({ error: event.error }) }],
              },
              // A wrong password, or a session that died while proving it: the user types the password again.
              { target: '#auth.signedOut', actions: ['clearFlow', { type: 'storeError', params: ({ event }) => ({ error: event.error }) }] },
            ],
          },
        },

        routing: {
          description: 'Turns every Cognito answer into the next step.',
          always: [
            { guard: { type: 'stepIs', params: { step: 'PASSWORD_VERIFIER' } }, target: 'verifyingPassword' },
            { guard: { type: 'stepIs', params: { step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' } }, target: 'newPassword' },
            { guard: { type: 'stepIs', params: { step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE' } }, target: 'smsCode' },
            { guard: { type: 'stepIs', params: { step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } }, target: 'totpCode' },
            { guard: { type: 'stepIs', params: { step: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' } }, target: 'emailCode' },
            { guard: { type: 'stepIs', params: { step: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION' } }, target: 'mfaSelection' },
            {
              guard: { type: 'setupOffers', params: { types: ['TOTP', 'EMAIL'] } },
              target: 'mfaSetupSelection',
            },
            { guard: { type: 'setupOffers', params: { types: ['TOTP'] } }, target: 'totpSetup' },
            { guard: { type: 'setupOffers', params: { types: ['EMAIL'] } }, target: 'emailMfaSetup' },
            {
              guard: { type: 'stepIs', params: { step: 'MFA_SETUP' } },
              target: '#auth.failed',
              actions: {
                type: 'storeInputError',
                params: {
                  code: 'MfaSetupUnavailable',
                  message: 'This account must set up MFA, but only SMS is allowed and SMS cannot be set up while signing in. Ask an administrator to add a phone number.',
                },
              },
            },
            { guard: { type: 'stepIs', params: { step: 'CONFIRM_SIGN_UP' } }, target: 'confirmSignUp' },
            { guard: { type: 'stepIs', params: { step: 'RESET_PASSWORD' } }, target: 'resetPassword' },
            { guard: { type: 'stepIs', params: { step: 'DONE' } }, target: '#auth.signedIn' },
            {
              target: '#auth.failed',
              actions: { type: 'storeInputError', params: { code: 'UnexpectedResponse', message: 'Cognito answered with no next step.' } },
            },
          ],
        },

        newPassword: {
          description: 'NEW_PASSWORD_REQUIRED: choose a new password and give the missing required attributes.',
          meta: { route: 'newPassword', signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' },
          initial: 'idle',
          states: {
            idle: {
              description: 'Waiting for the new password (and the missing attributes).',
              after: { challengeSession: { target: '#auth.sessionExpired', actions: 'clearFlow' } },
              tags: ['canCancel'],
              on: {
                'password.submit': [
                  {
                    guard: { type: 'isNewPasswordInput', params: ({ event }) => ({ newPassword: event.newPassword, attributes: event.attributes }) },
                    target: 'submitting',
                    actions: 'clearError',
                  },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', message: 'Enter a new password and every required attribute.' } } },
                ],
              },
            },
            submitting: {
              description: 'RespondToAuthChallenge NEW_PASSWORD_REQUIRED.',
              tags: ['busy'],
              invoke: {
                id: 'respondToAuthChallenge',
                src: 'respondToAuthChallenge',
                input: ({ context, event }) => {
                  assertEvent(event, 'password.submit');
                  return { ...challengeContext(context), challengeName: 'NEW_PASSWORD_REQUIRED', newPassword: event.newPassword, attributes: event.attributes ?? {} };
                },
                onDone: { target: '#auth.signingIn.routing', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
                onError: { target: 'idle', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
              },
            },
          },
        },

        smsCode: {
          description: 'SMS_MFA: the code texted to the user. code.resend signs in again for a new code.',
          meta: { route: 'smsCode', signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE' },
          initial: 'idle',
          states: {
            idle: {
              description: 'Waiting for the code from the text message.',
              after: { challengeSession: { target: '#auth.sessionExpired', actions: 'clearFlow' } },
              tags: ['canCancel', 'canResend'],
              on: {
                'code.submit': [
                  { guard: { type: 'isCodeInput', params: ({ event }) => ({ code: event.code }) }, target: 'submitting', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', message: 'Enter the code from the text message.' } } },
                ],
                'code.resend': [
                  { guard: 'hasSecretRef', target: 'resending', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'ResendUnavailable', message: 'A new code needs your password again: please sign in again.' } } },
                ],
              },
            },
            submitting: {
              description: 'RespondToAuthChallenge SMS_MFA.',
              tags: ['busy'],
              invoke: {
                id: 'respondToAuthChallenge',
                src: 'respondToAuthChallenge',
                input: ({ context, event }) => {
                  assertEvent(event, 'code.submit');
                  return { ...challengeContext(context), challengeName: 'SMS_MFA', code: event.code.replace(/\s/g, '') };
                },
                onDone: { target: '#auth.signingIn.routing', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
                onError: { target: 'idle', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
              },
            },
            resending: {
              description: 'Cognito cannot resend an MFA code: InitiateAuth again with the credentials kept for this attempt.',
              tags: ['busy'],
              invoke: {
                id: 'initiateAuth',
                src: 'initiateAuth',
                input: ({ context }) => ({ authFlow: context.authFlow, username: context.username ?? '', secretRef: context.secretRef ?? '' }),
                onDone: [
                  {
                    guard: { type: 'resultIs', params: ({ event }) => ({ result: event.output, step: 'PASSWORD_VERIFIER' }) },
                    target: 'verifyingPassword',
                    actions: { type: 'storeResendProof', params: ({ event }) => ({ result: event.output }) },
                  },
                  { target: '#auth.signingIn.routing', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
                ],
                onError: [
                  {
                    // The kept password was refused: a resend can no longer work.
                    guard: { type: 'errorInCategory', params: ({ event }) => ({ error: event.error, categories: ['credentials'] }) },
                    target: 'idle',
                    actions: ['forgetSecretRef', { type: 'storeError', params: ({ event }) => ({ error: event.error }) }],
                  },
                  { target: 'idle', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
                ],
              },
            },
            verifyingPassword: {
              description: 'RespondToAuthChallenge PASSWORD_VERIFIER for the resend, shown as part of this step.',
              tags: ['busy'],
              exit: 'clearProofSession',
              invoke: {
                id: 'respondToAuthChallenge',
                src: 'respondToAuthChallenge',
                input: ({ context }) => ({
                  ...challengeContext(context),
                  session: context.proofSession ?? '',
                  challengeName: 'PASSWORD_VERIFIER',
                  secretRef: context.secretRef ?? '',
                }),
                onDone: { target: '#auth.signingIn.routing', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
                onError: { target: 'idle', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
              },
            },
          },
        },

        emailCode: {
          description: 'EMAIL_OTP: the code e-mailed to the user. code.resend signs in again for a new code.',
          meta: { route: 'emailCode', signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' },
          initial: 'idle',
          states: {
            idle: {
              description: 'Waiting for the code from the e-mail.',
              after: { challengeSession: { target: '#auth.sessionExpired', actions: 'clearFlow' } },
              tags: ['canCancel', 'canResend'],
              on: {
                'code.submit': [
                  { guard: { type: 'isCodeInput', params: ({ event }) => ({ code: event.code }) }, target: 'submitting', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', message: 'Enter the code from the e-mail.' } } },
                ],
                'code.resend': [
                  { guard: 'hasSecretRef', target: 'resending', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'ResendUnavailable', message: 'A new code needs your password again: please sign in again.' } } },
                ],
              },
            },
            submitting: {
              description: 'RespondToAuthChallenge EMAIL_OTP.',
              tags: ['busy'],
              invoke: {
                id: 'respondToAuthChallenge',
                src: 'respondToAuthChallenge',
                input: ({ context, event }) => {
                  assertEvent(event, 'code.submit');
                  return { ...challengeContext(context), challengeName: 'EMAIL_OTP', code: event.code.replace(/\s/g, '') };
                },
                onDone: { target: '#auth.signingIn.routing', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
                onError: { target: 'idle', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
              },
            },
            resending: {
              description: 'InitiateAuth again with the credentials kept for this attempt, for a new code.',
              tags: ['busy'],
              invoke: {
                id: 'initiateAuth',
                src: 'initiateAuth',
                input: ({ context }) => ({ authFlow: context.authFlow, username: context.username ?? '', secretRef: context.secretRef ?? '' }),
                onDone: [
                  {
                    guard: { type: 'resultIs', params: ({ event }) => ({ result: event.output, step: 'PASSWORD_VERIFIER' }) },
                    target: 'verifyingPassword',
                    actions: { type: 'storeResendProof', params: ({ event }) => ({ result: event.output }) },
                  },
                  { target: '#auth.signingIn.routing', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
                ],
                onError: [
                  {
                    // The kept password was refused: a resend can no longer work.
                    guard: { type: 'errorInCategory', params: ({ event }) => ({ error: event.error, categories: ['credentials'] }) },
                    target: 'idle',
                    actions: ['forgetSecretRef', { type: 'storeError', params: ({ event }) => ({ error: event.error }) }],
                  },
                  { target: 'idle', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
                ],
              },
            },
            verifyingPassword: {
              description: 'RespondToAuthChallenge PASSWORD_VERIFIER for the resend, shown as part of this step.',
              tags: ['busy'],
              exit: 'clearProofSession',
              invoke: {
                id: 'respondToAuthChallenge',
                src: 'respondToAuthChallenge',
                input: ({ context }) => ({
                  ...challengeContext(context),
                  session: context.proofSession ?? '',
                  challengeName: 'PASSWORD_VERIFIER',
                  secretRef: context.secretRef ?? '',
                }),
                onDone: { target: '#auth.signingIn.routing', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
                onError: { target: 'idle', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
              },
            },
          },
        },

        totpCode: {
          description: 'SOFTWARE_TOKEN_MFA: the 6-digit code from the authenticator app.',
          meta: { route: 'totpCode', signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' },
          initial: 'idle',
          states: {
            idle: {
              description: 'Waiting for the code from the authenticator app.',
              after: { challengeSession: { target: '#auth.sessionExpired', actions: 'clearFlow' } },
              tags: ['canCancel'],
              on: {
                'code.submit': [
                  { guard: { type: 'isTotpCodeInput', params: ({ event }) => ({ code: event.code }) }, target: 'submitting', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', message: 'Enter the 6-digit code from your authenticator app.' } } },
                ],
              },
            },
            submitting: {
              description: 'RespondToAuthChallenge SOFTWARE_TOKEN_MFA.',
              tags: ['busy'],
              invoke: {
                id: 'respondToAuthChallenge',
                src: 'respondToAuthChallenge',
                input: ({ context, event }) => {
                  assertEvent(event, 'code.submit');
                  return { ...challengeContext(context), challengeName: 'SOFTWARE_TOKEN_MFA', code: event.code.replace(/\s/g, '') };
                },
                onDone: { target: '#auth.signingIn.routing', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
                onError: { target: 'idle', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
              },
            },
          },
        },

        mfaSelection: {
          description: 'SELECT_MFA_TYPE: the user picks one of the MFA types Cognito offers.',
          meta: { route: 'mfaSelection', signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION' },
          initial: 'idle',
          states: {
            idle: {
              description: 'Waiting for the user to pick an MFA type.',
              after: { challengeSession: { target: '#auth.sessionExpired', actions: 'clearFlow' } },
              tags: ['canCancel'],
              on: {
                'mfa.select': [
                  { guard: { type: 'isOfferedMfaType', params: ({ event }) => ({ mfaType: event.mfaType }) }, target: 'submitting', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', message: 'Choose one of the offered MFA types.' } } },
                ],
              },
            },
            submitting: {
              description: 'RespondToAuthChallenge SELECT_MFA_TYPE.',
              tags: ['busy'],
              invoke: {
                id: 'respondToAuthChallenge',
                src: 'respondToAuthChallenge',
                input: ({ context, event }) => {
                  assertEvent(event, 'mfa.select');
                  return { ...challengeContext(context), challengeName: 'SELECT_MFA_TYPE', mfaType: event.mfaType };
                },
                onDone: { target: '#auth.signingIn.routing', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
                onError: { target: 'idle', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
              },
            },
          },
        },

        mfaSetupSelection: {
          description: 'MFA_SETUP offering TOTP and e-mail: the user picks which to set up. No Cognito call.',
          meta: { route: 'mfaSetupSelection', signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION' },
          tags: ['canCancel'],
          after: { challengeSession: { target: '#auth.sessionExpired', actions: 'clearFlow' } },
          on: {
            'mfa.select': [
              { guard: { type: 'selectsMfaType', params: ({ event }) => ({ mfaType: event.mfaType, expected: 'TOTP' }) }, target: 'totpSetup', actions: 'clearError' },
              { guard: { type: 'selectsMfaType', params: ({ event }) => ({ mfaType: event.mfaType, expected: 'EMAIL' }) }, target: 'emailMfaSetup', actions: 'clearError' },
              { actions: { type: 'storeInputError', params: { code: 'InvalidInput', message: 'Choose TOTP or EMAIL.' } } },
            ],
          },
        },

        totpSetup: {
          description: 'MFA_SETUP with TOTP: AssociateSoftwareToken, the user adds the secret to an app, VerifySoftwareToken, then RespondToAuthChallenge MFA_SETUP.',
          meta: { route: 'totpSetup', signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP' },
          initial: 'associating',
          exit: 'clearTotpSetup',
          states: {
            associating: {
              description: 'AssociateSoftwareToken with the challenge Session.',
              tags: ['busy', 'canCancel'],
              invoke: {
                id: 'associateSoftwareToken',
                src: 'associateSoftwareToken',
                input: ({ context }) => ({ session: context.session ?? '', accountName: context.username ?? context.challengeUsername ?? '' }),
                onDone: {
                  target: 'idle',
                  actions: [
                    { type: 'storeSession', params: ({ event }) => ({ session: event.output.session, sessionIssuedAt: event.output.sessionIssuedAt }) },
                    { type: 'storeTotpSetup', params: ({ event }) => ({ totpSetup: event.output.totpSetup }) },
                  ],
                },
                onError: { target: 'associationFailed', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
              },
            },
            associationFailed: {
              after: { challengeSession: { target: '#auth.sessionExpired', actions: 'clearFlow' } },
              description: 'AssociateSoftwareToken failed (e.g. offline); the session may still be alive.',
              tags: ['canCancel'],
              on: { 'flow.retry': { target: 'associating', actions: 'clearError' } },
            },
            idle: {
              description: 'Waiting for the first code from the newly added authenticator.',
              after: { challengeSession: { target: '#auth.sessionExpired', actions: 'clearFlow' } },
              tags: ['canCancel'],
              on: {
                'code.submit': [
                  { guard: { type: 'isTotpCodeInput', params: ({ event }) => ({ code: event.code }) }, target: 'verifying', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', message: 'Enter the 6-digit code from your authenticator app.' } } },
                ],
              },
            },
            verifying: {
              description: 'VerifySoftwareToken with the Session and the code.',
              tags: ['busy'],
              invoke: {
                id: 'verifySoftwareToken',
                src: 'verifySoftwareToken',
                input: ({ context, event }) => {
                  assertEvent(event, 'code.submit');
                  return { session: context.session ?? '', code: event.code.replace(/\s/g, '') };
                },
                onDone: {
                  target: 'confirming',
                  actions: { type: 'storeSession', params: ({ event }) => ({ session: event.output.session, sessionIssuedAt: event.output.sessionIssuedAt }) },
                },
                onError: { target: 'idle', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
              },
            },
            confirming: {
              description: 'RespondToAuthChallenge MFA_SETUP with the Session VerifySoftwareToken returned.',
              tags: ['busy'],
              invoke: {
                id: 'respondToAuthChallenge',
                src: 'respondToAuthChallenge',
                input: ({ context }) => ({ ...challengeContext(context), challengeName: 'MFA_SETUP' }),
                onDone: { target: '#auth.signingIn.routing', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
                onError: { target: 'idle', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
              },
            },
          },
        },

        emailMfaSetup: {
          description: 'MFA_SETUP with e-mail: the user gives an address, Cognito e-mails a code (EMAIL_OTP).',
          meta: { route: 'emailMfaSetup', signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' },
          initial: 'idle',
          states: {
            idle: {
              description: 'Waiting for the e-mail address MFA codes should go to.',
              after: { challengeSession: { target: '#auth.sessionExpired', actions: 'clearFlow' } },
              tags: ['canCancel'],
              on: {
                'email.submit': [
                  { guard: { type: 'isEmailInput', params: ({ event }) => ({ email: event.email }) }, target: 'submitting', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', message: 'Enter a valid e-mail address.' } } },
                ],
              },
            },
            submitting: {
              description: 'RespondToAuthChallenge MFA_SETUP with EMAIL.',
              tags: ['busy'],
              invoke: {
                id: 'respondToAuthChallenge',
                src: 'respondToAuthChallenge',
                input: ({ context, event }) => {
                  assertEvent(event, 'email.submit');
                  return { ...challengeContext(context), challengeName: 'MFA_SETUP', email: event.email.trim() };
                },
                onDone: { target: '#auth.signingIn.routing', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
                onError: { target: 'idle', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
              },
            },
          },
        },

        confirmSignUp: {
          description: 'UserNotConfirmedException: the account must be confirmed before it can sign in.',
          meta: { route: 'confirmSignUp', signInStep: 'CONFIRM_SIGN_UP' },
          tags: ['canCancel'],
        },

        resetPassword: {
          description: 'PasswordResetRequiredException: the password must be reset before signing in.',
          meta: { route: 'resetPassword', signInStep: 'RESET_PASSWORD' },
          tags: ['canCancel'],
        },
      },
    },

    signedIn: {
      description: 'Tokens are in the token store; context only has who the user is. Token errors sign the user out.',
      meta: { route: 'signedIn', signInStep: 'DONE' },
      initial: 'active',
      always: { guard: { type: 'hasErrorIn', params: { categories: ['token'] } }, target: 'signedOut', actions: 'clearUser' },
      on: {
        'session.signOut': [
          {
            guard: { type: 'isGlobalSignOut', params: ({ event }) => ({ global: event.global }) },
            target: 'signingOut.globalSignOut',
            actions: 'clearError',
          },
          { target: 'signingOut.revokeToken', actions: 'clearError' },
        ],
      },
      states: {
        active: {
          description: 'Signed in: the app runs; tokens are refreshed on demand (getTokens) or with session.refresh.',
          on: {
            'session.refresh': 'refreshing',
            'mfa.setUpTotp': { target: 'settingUpTotp', actions: 'clearError' },
            'mfa.updatePreference': [
              {
                guard: { type: 'isMfaPreferenceUpdate', params: ({ event }) => ({ preference: event.preference }) },
                target: 'updatingMfaPreference',
                actions: 'clearError',
              },
              {
                actions: {
                  type: 'storeInputError',
                  params: { code: 'InvalidInput', message: 'Give sms, totp or email as ENABLED, DISABLED, PREFERRED or NOT_PREFERRED (one PREFERRED at most).' },
                },
              },
            ],
            'mfa.fetchPreference': { target: 'fetchingMfaPreference', actions: 'clearError' },
          },
        },
        refreshing: {
          description: 'GetTokensFromRefreshToken. Concurrent refresh requests collapse into this one state.',
          tags: ['refreshing'],
          invoke: {
            id: 'getTokensFromRefreshToken',
            src: 'getTokensFromRefreshToken',
            onDone: { target: 'active', actions: { type: 'storeUser', params: ({ event }) => ({ user: event.output.user }) } },
            onError: [
              {
                guard: { type: 'errorIs', params: ({ event }) => ({ error: event.error, code: 'UnsupportedOperation' }) },
                target: 'refreshingWithInitiateAuth',
              },
              // Offline or throttled: keep the session and its tokens, report the error.
              { target: 'active', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
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
            onDone: { target: 'active', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
            onError: { target: 'active', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
          },
        },
        settingUpTotp: {
          description: 'Adds an authenticator app for the signed-in user (setUpTOTP / verifyTOTPSetup).',
          meta: { route: 'totpSetup' },
          initial: 'associating',
          exit: 'clearTotpSetup',
          on: { 'flow.cancel': { target: 'active', actions: 'clearError' } },
          states: {
            associating: {
              description: 'AssociateSoftwareToken with the access token.',
              tags: ['busy'],
              invoke: {
                id: 'associateSoftwareToken',
                src: 'associateSoftwareToken',
                input: ({ context }) => ({ accountName: context.user?.signInDetails?.loginId ?? context.user?.username ?? '' }),
                onDone: { target: 'idle', actions: { type: 'storeTotpSetup', params: ({ event }) => ({ totpSetup: event.output.totpSetup }) } },
                onError: { target: '#auth.signedIn.active', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
              },
            },
            idle: {
              description: 'Waiting for the first code from the newly added authenticator.',
              tags: ['canCancel'],
              on: {
                'code.submit': [
                  { guard: { type: 'isTotpCodeInput', params: ({ event }) => ({ code: event.code }) }, target: 'verifying', actions: 'clearError' },
                  { actions: { type: 'storeInputError', params: { code: 'InvalidInput', message: 'Enter the 6-digit code from your authenticator app.' } } },
                ],
              },
            },
            verifying: {
              description: 'VerifySoftwareToken with the access token.',
              tags: ['busy'],
              invoke: {
                id: 'verifySoftwareToken',
                src: 'verifySoftwareToken',
                input: ({ event }) => {
                  assertEvent(event, 'code.submit');
                  return { code: event.code.replace(/\s/g, '') };
                },
                onDone: { target: '#auth.signedIn.active' },
                onError: { target: 'idle', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
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
            input: ({ event }) => {
              assertEvent(event, 'mfa.updatePreference');
              return event.preference;
            },
            onDone: { target: 'active', actions: { type: 'applyMfaPreference', params: ({ event }) => ({ update: event.output }) } },
            onError: { target: 'active', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
          },
        },
        fetchingMfaPreference: {
          description: 'GetUser: which MFA types are enabled and preferred (fetchMFAPreference).',
          tags: ['busy'],
          invoke: {
            id: 'getUser',
            src: 'getUser',
            onDone: { target: 'active', actions: { type: 'storeMfaPreference', params: ({ event }) => ({ mfaPreference: event.output }) } },
            onError: { target: 'active', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
          },
        },
      },
    },

    signingOut: {
      description: 'Local tokens are cleared whatever Cognito answers; an offline sign-out is reported, not blocked.',
      meta: { route: 'signingOut' },
      tags: ['busy'],
      initial: 'revokeToken',
      states: {
        revokeToken: {
          description: "RevokeToken: this device's refresh token and the access tokens minted from it.",
          invoke: {
            id: 'revokeToken',
            src: 'revokeToken',
            onDone: { target: '#auth.signedOut', actions: ['clearUser', { type: 'storeWarning', params: ({ event }) => ({ warning: event.output.warning }) }] },
            onError: { target: '#auth.signedOut', actions: ['clearUser', { type: 'storeError', params: ({ event }) => ({ error: event.error }) }] },
          },
        },
        globalSignOut: {
          description: 'GlobalSignOut: every session of the user, on every device.',
          invoke: {
            id: 'globalSignOut',
            src: 'globalSignOut',
            onDone: { target: '#auth.signedOut', actions: ['clearUser', { type: 'storeWarning', params: ({ event }) => ({ warning: event.output.warning }) }] },
            onError: { target: '#auth.signedOut', actions: ['clearUser', { type: 'storeError', params: ({ event }) => ({ error: event.error }) }] },
          },
        },
      },
    },

    sessionExpired: {
      description: 'The Cognito sign-in session expired, was already used, or took too many wrong codes; the user starts again.',
      meta: { route: 'sessionExpired' },
      on: { 'flow.restart': { target: 'signedOut', actions: ['clearFlow', 'clearError'] } },
    },

    failed: {
      description: 'A configuration or protocol error: retrying the same thing will not help.',
      meta: { route: 'failed' },
      on: { 'flow.restart': { target: 'signedOut', actions: ['clearFlow', 'clearError'] } },
    },
  },
});

export type SignInMachine = typeof signInMachine;
