// THE sign-in statechart. One setup().createMachine() literal: no spreads, no computed keys,
// so the Stately editor, xstate/graph and machine.toJSON() see all of it.
// Actors are slots named after Cognito operations; createAuth() fills them (machine.provide).
import { assertEvent, assign, fromPromise, setup } from 'xstate';
import { AuthError, type AuthErrorCode } from '../src/cognito/errors.js';
import * as reduce from './signIn.actions.js';
import * as is from './signIn.guards.js';
import type {
  InitiateAuthInput,
  RefreshResult,
  RespondToAuthChallengeInput,
  SignInContext,
  SignInEvent,
  SignInInput,
  SignInResult,
  SignOutResult,
  StateMeta,
  StoredSessionStatus,
} from './signIn.types.js';

/** Placeholder actor: the machine runs in visualizers and graph tools without any I/O. */
const notProvided = <Output, Input = unknown>(name: string) =>
  fromPromise<Output, Input>(async () => {
    throw new AuthError('NotProvided', `The "${name}" actor is not provided; create the actor with createAuth()`);
  });

export const signInMachine = setup({
  types: {
    context: {} as SignInContext,
    events: {} as SignInEvent,
    input: {} as SignInInput,
    tags: {} as 'busy' | 'refreshing' | 'canCancel',
    meta: {} as StateMeta,
  },
  actors: {
    loadStoredSession: notProvided<StoredSessionStatus>('loadStoredSession'),
    initiateAuth: notProvided<SignInResult, InitiateAuthInput>('initiateAuth'),
    respondToAuthChallenge: notProvided<SignInResult, RespondToAuthChallengeInput>('respondToAuthChallenge'),
    getTokensFromRefreshToken: notProvided<RefreshResult>('getTokensFromRefreshToken'),
    revokeToken: notProvided<SignOutResult>('revokeToken'),
    globalSignOut: notProvided<SignOutResult>('globalSignOut'),
  },
  guards: {
    stepIs: ({ context }, params: { step: SignInResult['step'] }) => is.stepIs(context, params),
    isCredentialInput: (_, params: { username: string; password: string }) => is.isCredentialInput(params),
    isNewPasswordInput: ({ context }, params: Parameters<typeof is.isNewPasswordInput>[1]) =>
      is.isNewPasswordInput(context, params),
    errorInCategory: (_, params: Parameters<typeof is.errorInCategory>[0]) => is.errorInCategory(params),
    errorIs: (_, params: Parameters<typeof is.errorIs>[0]) => is.errorIs(params),
    storedSessionIs: (_, params: Parameters<typeof is.storedSessionIs>[0]) => is.storedSessionIs(params),
    isGlobalSignOut: (_, params: { global: boolean | undefined }) => params.global === true,
  },
  actions: {
    startSignIn: assign((_, params: Parameters<typeof reduce.startSignIn>[0]) => reduce.startSignIn(params)),
    storeResult: assign((_, params: { result: SignInResult }) => reduce.storeResult(params)),
    storeUser: assign((_, params: Parameters<typeof reduce.storeUser>[0]) => reduce.storeUser(params)),
    storeError: assign((_, params: { error: unknown }) => reduce.storeError(params)),
    storeInputError: assign((_, params: { code: AuthErrorCode; message: string }) => reduce.inputError(params.code, params.message)),
    clearError: assign({ error: null }),
    clearFlow: assign(() => reduce.clearFlow()),
    clearUser: assign({ user: null }),
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
      description: 'Restores a stored session at start, refreshing its tokens when they are stale.',
      meta: { route: 'checkingSession' },
      tags: ['busy'],
      initial: 'loading',
      states: {
        loading: {
          invoke: {
            id: 'loadStoredSession',
            src: 'loadStoredSession',
            onDone: [
              {
                guard: { type: 'storedSessionIs', params: ({ event }) => ({ output: event.output, status: 'fresh' }) },
                target: '#auth.signedIn',
                actions: {
                  type: 'storeUser',
                  params: ({ event }) => ({ user: event.output.status === 'fresh' ? event.output.user : null }),
                },
              },
              {
                guard: { type: 'storedSessionIs', params: ({ event }) => ({ output: event.output, status: 'stale' }) },
                target: 'refreshing',
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
            guard: { type: 'isCredentialInput', params: ({ event }) => ({ username: event.username, password: event.password }) },
            target: 'signingIn',
            actions: {
              type: 'startSignIn',
              params: ({ context, event }) => ({ username: event.username, authFlow: event.authFlow ?? context.authFlow }),
            },
          },
          {
            actions: { type: 'storeInputError', params: { code: 'InvalidInput', message: 'Enter your username and password.' } },
          },
        ],
        'session.check': { target: 'checkingSession', actions: 'clearError' },
      },
    },

    signingIn: {
      description: 'A sign-in in progress. Leaving it (flow.cancel) aborts the request in flight.',
      initial: 'initiating',
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
                actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) },
              },
              { target: '#auth.signedOut', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
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
            input: ({ context }) => ({
              challengeName: 'PASSWORD_VERIFIER',
              session: context.session ?? '',
              username: context.challengeUsername ?? '',
              loginId: context.username ?? '',
              secretRef: context.secretRef ?? '',
            }),
            onDone: { target: 'routing', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
            onError: [
              {
                guard: { type: 'errorInCategory', params: ({ event }) => ({ error: event.error, categories: ['configuration', 'protocol'] }) },
                target: '#auth.failed',
                actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) },
              },
              {
                target: '#auth.signedOut',
                actions: ['clearFlow', { type: 'storeError', params: ({ event }) => ({ error: event.error }) }],
              },
            ],
          },
        },

        routing: {
          description: 'Turns every Cognito answer into the next step.',
          always: [
            { guard: { type: 'stepIs', params: { step: 'PASSWORD_VERIFIER' } }, target: 'verifyingPassword' },
            { guard: { type: 'stepIs', params: { step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' } }, target: 'newPassword' },
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
          after: { challengeSession: { target: '#auth.sessionExpired', actions: 'clearFlow' } },
          states: {
            idle: {
              tags: ['canCancel'],
              on: {
                'password.submit': [
                  {
                    guard: {
                      type: 'isNewPasswordInput',
                      params: ({ event }) => ({ newPassword: event.newPassword, attributes: event.attributes }),
                    },
                    target: 'submitting',
                    actions: 'clearError',
                  },
                  {
                    actions: {
                      type: 'storeInputError',
                      params: { code: 'InvalidInput', message: 'Enter a new password and every required attribute.' },
                    },
                  },
                ],
              },
            },
            submitting: {
              tags: ['busy'],
              invoke: {
                id: 'respondToAuthChallenge',
                src: 'respondToAuthChallenge',
                input: ({ context, event }) => {
                  assertEvent(event, 'password.submit');
                  return {
                    challengeName: 'NEW_PASSWORD_REQUIRED',
                    session: context.session ?? '',
                    username: context.challengeUsername ?? '',
                    loginId: context.username ?? '',
                    authFlow: context.authFlow,
                    newPassword: event.newPassword,
                    attributes: event.attributes ?? {},
                  };
                },
                onDone: { target: '#auth.signingIn.routing', actions: { type: 'storeResult', params: ({ event }) => ({ result: event.output }) } },
                onError: [
                  {
                    guard: { type: 'errorInCategory', params: ({ event }) => ({ error: event.error, categories: ['session'] }) },
                    target: '#auth.sessionExpired',
                    actions: ['clearFlow', { type: 'storeError', params: ({ event }) => ({ error: event.error }) }],
                  },
                  {
                    guard: { type: 'errorInCategory', params: ({ event }) => ({ error: event.error, categories: ['configuration', 'protocol'] }) },
                    target: '#auth.failed',
                    actions: ['clearFlow', { type: 'storeError', params: ({ event }) => ({ error: event.error }) }],
                  },
                  { target: 'idle', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
                ],
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
      description: 'Tokens are in the token store; context only has who the user is.',
      meta: { route: 'signedIn', signInStep: 'DONE' },
      initial: 'active',
      on: {
        'session.signOut': [
          {
            guard: { type: 'isGlobalSignOut', params: ({ event }) => ({ global: event.global }) },
            target: 'signingOut.globalSignOut',
          },
          { target: 'signingOut.revokeToken' },
        ],
      },
      states: {
        active: {
          on: { 'session.refresh': 'refreshing' },
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
              {
                guard: { type: 'errorInCategory', params: ({ event }) => ({ error: event.error, categories: ['token'] }) },
                target: '#auth.signedOut',
                actions: ['clearUser', { type: 'storeError', params: ({ event }) => ({ error: event.error }) }],
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
            onError: [
              {
                guard: { type: 'errorInCategory', params: ({ event }) => ({ error: event.error, categories: ['token'] }) },
                target: '#auth.signedOut',
                actions: ['clearUser', { type: 'storeError', params: ({ event }) => ({ error: event.error }) }],
              },
              { target: 'active', actions: { type: 'storeError', params: ({ event }) => ({ error: event.error }) } },
            ],
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
          description: 'RevokeToken: this device\'s refresh token and the access tokens minted from it.',
          invoke: {
            id: 'revokeToken',
            src: 'revokeToken',
            onDone: { target: '#auth.signedOut', actions: ['clearUser', assign(({ event }) => ({ error: event.output.warning }))] },
            onError: { target: '#auth.signedOut', actions: ['clearUser', { type: 'storeError', params: ({ event }) => ({ error: event.error }) }] },
          },
        },
        globalSignOut: {
          description: 'GlobalSignOut: every session of the user, on every device.',
          invoke: {
            id: 'globalSignOut',
            src: 'globalSignOut',
            onDone: { target: '#auth.signedOut', actions: ['clearUser', assign(({ event }) => ({ error: event.output.warning }))] },
            onError: { target: '#auth.signedOut', actions: ['clearUser', { type: 'storeError', params: ({ event }) => ({ error: event.error }) }] },
          },
        },
      },
    },

    sessionExpired: {
      description: 'The Cognito sign-in session expired or was already used; the user starts again.',
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
