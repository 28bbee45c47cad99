/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
// The three adapters expose the same views, in the same order, as the actor through selectView, for the same
// scripted Cognito flows; none drops, repeats or invents a view.
import '../support/jsdom-env.js';
import { createElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { get } from 'svelte/store';
import type { CreateAuthOptions } from '../../src/runtime/create-auth.js';
import { AuthProvider, useAuthContext, useAuth as useReactAuth } from '../../src/frameworks/react.js';
import { sameView } from '../../src/frameworks/shared.js';
import { authStore, useAuth as useSvelteAuth } from '../../src/frameworks/svelte.js';
import { selectView, type AuthView } from '../../src/view.js';
import { adapters, reference, type Harness, type Recording } from '../support/framework-harness.js';
import {
  codeMismatch,
  done,
  emailOtp,
  mfaSetup,
  newPasswordRequired,
  offline,
  passwordVerifier,
  PASSWORD,
  release,
  scriptedAuth,
  SECRET,
  selectMfa,
  session,
  sessionDied,
  settle,
  smsMfa,
  totpMfa,
  type GatedScript,
  type Step,
} from '../support/scripted-auth.js';
import { cognitoError } from '../../src/testing/fake-port.js';

interface Flow {
  readonly name: string;
  readonly script: GatedScript;
  readonly options?: Partial<CreateAuthOptions>;
  readonly steps: Step[];
  /** route/busy/error of the reference sequence: the flow did what it says. */
  readonly expected: string[];
}

const flows: Flow[] = [
  {
    name: 'SRP sign-in, SMS_MFA, wrong code, resend, right code, sign-out',
    options: { authFlow: 'USER_SRP_AUTH' },
    script: {
      initiateAuth: [passwordVerifier(), passwordVerifier(3)],
      respondToAuthChallenge: [smsMfa(2), codeMismatch(), smsMfa(4), done()],
      revokeToken: [undefined],
    },
    steps: [
      (c) => c.signIn('alice', PASSWORD),
      release, // InitiateAuth -> PASSWORD_VERIFIER
      release, // PASSWORD_VERIFIER -> SMS_MFA
      (c) => c.submitCode('000000'),
      release, // CodeMismatch
      (c) => c.resendCode(),
      release, // InitiateAuth again -> PASSWORD_VERIFIER
      release, // -> SMS_MFA with a new Session
      (c) => c.submitCode('123456'),
      release, // DONE
      (c) => c.signOut(),
      release, // RevokeToken
    ],
    expected: [
      'checkingSession busy',
      'signIn',
      'signIn busy',
      'smsCode',
      'smsCode busy',
      'smsCode CodeMismatch',
      // SRP resend: InitiateAuth and the SRP proof both run inside the code step (smsCode.resending, .verifyingPassword)
      'smsCode busy',
      'smsCode',
      'smsCode busy',
      'signedIn',
      'signingOut busy',
      'signIn',
    ],
  },
  {
    name: 'NEW_PASSWORD_REQUIRED with a missing attribute, MFA setup selection, TOTP setup (offline, retry, wrong code), then TOTP for a signed-in user',
    options: { authFlow: 'USER_PASSWORD_AUTH' },
    script: {
      initiateAuth: [newPasswordRequired(['name'])],
      respondToAuthChallenge: [mfaSetup(['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'], 2), done()],
      associateSoftwareToken: [offline(), { secretCode: SECRET, session: session(3) }, { secretCode: SECRET }],
      verifySoftwareToken: [cognitoError('EnableSoftwareTokenMFAException', 'Code mismatch'), { status: 'SUCCESS', session: session(4) }],
    },
    steps: [
      (c) => c.signIn('nina', PASSWORD),
      release, // NEW_PASSWORD_REQUIRED
      (c) => c.submitNewPassword('N3w-Passw0rd!'), // refused locally: name is missing
      (c) => c.submitNewPassword('N3w-Passw0rd!', { name: 'Nina' }),
      release, // MFA_SETUP (TOTP, EMAIL)
      (c) => c.selectMfaType('TOTP'),
      release, // AssociateSoftwareToken fails offline
      (c) => c.retry(),
      release, // secret
      (c) => c.submitCode('000000'),
      release, // mismatch
      (c) => c.submitCode('123456'),
      release, // VerifySoftwareToken SUCCESS
      release, // RespondToAuthChallenge MFA_SETUP -> DONE
      (c) => c.setUpTotp(),
      release, // AssociateSoftwareToken with the access token
      (c) => c.cancel(),
    ],
    expected: [
      'checkingSession busy',
      'signIn',
      'signIn busy',
      'newPassword',
      'newPassword InvalidInput',
      'newPassword busy',
      'mfaSetupSelection',
      'totpSetup busy',
      'totpSetup Network',
      'totpSetup busy',
      'totpSetup',
      'totpSetup busy',
      'totpSetup CodeMismatch',
      'totpSetup busy',
      'signedIn',
      'totpSetup busy',
      'totpSetup',
      'signedIn',
    ],
  },
  {
    name: 'MFA selection, e-mail code, dead session and restart; TOTP code and cancel; unconfirmed, reset and failed',
    options: { authFlow: 'USER_PASSWORD_AUTH' },
    script: {
      initiateAuth: [
        selectMfa(['SMS_MFA', 'EMAIL_OTP']),
        totpMfa(),
        cognitoError('UserNotConfirmedException', 'User is not confirmed.'),
        cognitoError('PasswordResetRequiredException', 'Password reset required for the user'),
        mfaSetup(['EMAIL_OTP']),
        mfaSetup(['SMS_MFA']),
      ],
      respondToAuthChallenge: [emailOtp(2), sessionDied(), emailOtp(3)],
    },
    steps: [
      (c) => c.signIn('alice', PASSWORD),
      release, // SELECT_MFA_TYPE
      (c) => c.selectMfaType('EMAIL'),
      release, // EMAIL_OTP
      (c) => c.submitCode('12345678'),
      release, // the Session died
      (c) => c.restart(),
      (c) => c.signIn('alice', PASSWORD),
      release, // SOFTWARE_TOKEN_MFA
      (c) => c.cancel(),
      (c) => c.signIn('uma', PASSWORD),
      release, // UserNotConfirmed
      (c) => c.cancel(),
      (c) => c.signIn('rita', PASSWORD),
      release, // PasswordResetRequired
      (c) => c.cancel(),
      (c) => c.signIn('erin', PASSWORD),
      release, // MFA_SETUP EMAIL only
      (c) => c.submitEmail('erin@example.com'),
      release, // EMAIL_OTP
      (c) => c.cancel(),
      (c) => c.signIn('sam', PASSWORD),
      release, // MFA_SETUP SMS only: failed
      (c) => c.restart(),
    ],
    expected: [
      'checkingSession busy',
      'signIn',
      'signIn busy',
      'mfaSelection',
      'mfaSelection busy',
      'emailCode',
      'emailCode busy',
      'sessionExpired SessionExpired',
      'signIn',
      'signIn busy',
      'totpCode',
      'signIn',
      'signIn busy',
      'confirmSignUp',
      'signIn',
      'signIn busy',
      'resetPassword',
      'signIn',
      'signIn busy',
      'emailMfaSetup',
      'emailMfaSetup busy',
      'emailCode',
      'signIn',
      'signIn busy',
      'failed MfaSetupUnavailable',
      'signIn',
    ],
  },
];

const summary = (view: AuthView) => [view.route, view.busy ? 'busy' : null, view.error?.code ?? null].filter(Boolean).join(' ');

async function run(flow: Flow, harness: Harness): Promise<Recording> {
  const { auth, gate } = scriptedAuth(flow.script, { totpIssuer: 'Example App', ...flow.options });
  const recording = harness(auth);
  try {
    auth.start();
    await settle(auth, gate);
    for (const step of flow.steps) {
      step(recording.commands, gate);
      await settle(auth, gate);
    }
    expect(gate.pending).toHaveLength(0);
  } finally {
    recording.stop();
    auth.stop();
  }
  return recording;
}

describe.each(flows)('$name', (flow) => {
  let expected: AuthView[];

  beforeAll(async () => {
    expected = (await run(flow, reference)).views;
  });

  it('the reference (actor + selectView) goes through the expected views', () => {
    expect(expected.map(summary)).toEqual(flow.expected);
  });

  it.each(Object.keys(adapters) as Array<keyof typeof adapters>)('%s exposes exactly the same views, each once', async (name) => {
    const recording = await run(flow, adapters[name]);
    expect(recording.views.map(summary)).toEqual(expected.map(summary));
    expect(recording.views).toEqual(expected);
    // no wasted renders / notifications: one per distinct view
    expect(recording.updates()).toBe(expected.length);
  });

  it('all adapters agree with each other', async () => {
    const sequences: Record<string, AuthView[]> = {};
    for (const [name, harness] of Object.entries(adapters)) sequences[name] = (await run(flow, harness)).views;
    expect(sequences).toEqual(Object.fromEntries(Object.keys(adapters).map((name) => [name, expected])));
  });
});

it('the flows cover every route', () => {
  const routes = new Set(flows.flatMap((f) => f.expected.map((s) => s.split(' ')[0])));
  expect(routes.size).toBe(16);
});

describe('React', () => {
  it('renders the current view and follows the actor; AuthProvider + useAuthContext give the same', async () => {
    const { auth, gate } = scriptedAuth({ initiateAuth: [smsMfa()] }, { authFlow: 'USER_PASSWORD_AUTH' });
    const container = document.body.appendChild(document.createElement('div'));
    const root = createRoot(container);
    const seen: Array<[string, string]> = [];
    function Direct() {
      const { view } = useReactAuth(auth);
      return createElement('span', null, view.route);
    }
    function FromContext() {
      const { view, commands } = useAuthContext();
      seen.push([view.route, typeof commands.signIn]);
      return createElement('b', null, view.route);
    }
    flushSync(() => root.render(createElement(AuthProvider, { auth }, createElement(Direct), createElement(FromContext))));
    expect(container.textContent).toBe('checkingSessioncheckingSession');
    auth.start();
    await settle(auth, gate);
    expect(container.textContent).toBe('signInsignIn');
    auth.actor.send({ type: 'signIn.submit', username: 'alice', password: PASSWORD });
    // the call goes out once the runtime has looked for a remembered device
    await settle(auth, gate);
    gate.release();
    await settle(auth, gate);
    expect(container.textContent).toBe('smsCodesmsCode');
    expect(seen.map(([route]) => route)).toEqual(['checkingSession', 'signIn', 'signIn', 'smsCode']);
    root.unmount();
    auth.stop();
  });

  it('useAuthContext without a provider says what is missing', () => {
    const errors: unknown[] = [];
    const root = createRoot(document.createElement('div'), { onUncaughtError: (error) => errors.push(error) });
    function Orphan() {
      useAuthContext();
      return null;
    }
    flushSync(() => root.render(createElement(Orphan)));
    expect(errors).toEqual([new Error('useAuthContext() needs an <AuthProvider auth={...}> above it')]);
    root.unmount();
  });

  it('unsubscribes from the actor on unmount', async () => {
    const { auth, gate } = scriptedAuth({});
    const before = observers(auth);
    const recording = adapters.react(auth);
    auth.start();
    await settle(auth, gate);
    expect(observers(auth)).toBe(before + 1);
    recording.stop();
    expect(observers(auth)).toBe(before);
    auth.stop();
  });
});

describe('Vue', () => {
  it('the subscription ends with the effect scope / app', async () => {
    for (const harness of [adapters.vueScope, adapters.vueApp]) {
      const { auth, gate } = scriptedAuth({});
      const before = observers(auth);
      const recording = harness(auth);
      expect(observers(auth)).toBe(before + 1);
      auth.start();
      await settle(auth, gate);
      expect(recording.views.map((v) => v.route)).toEqual(['checkingSession', 'signIn']);
      recording.stop();
      expect(observers(auth)).toBe(before);
      auth.stop();
    }
  });
});

describe('Svelte', () => {
  it('the store subscribes to the actor only while it has subscribers; get() reads the current view', async () => {
    const { auth, gate } = scriptedAuth({});
    const before = observers(auth);
    const { view } = authStore(auth);
    expect(useSvelteAuth).toBe(authStore);
    expect(observers(auth)).toBe(before);
    auth.start();
    await settle(auth, gate);
    expect(get(view).route).toBe('signIn');
    expect(observers(auth)).toBe(before);
    const seen: string[] = [];
    const unsubscribe = view.subscribe((v) => seen.push(v.route));
    expect(observers(auth)).toBe(before + 1);
    auth.actor.send({ type: 'session.check' });
    await settle(auth, gate);
    unsubscribe();
    expect(observers(auth)).toBe(before);
    expect(seen).toEqual(['signIn', 'checkingSession', 'signIn']);
    auth.stop();
  });
});

describe('sameView', () => {
  const base = selectView(scriptedAuth({}).auth.actor.getSnapshot());
  it('compares structure, not identity', () => {
    expect(sameView(base, { ...base })).toBe(true);
    expect(sameView(base, { ...base, busy: !base.busy })).toBe(false);
    const a = { ...base, route: 'mfaSelection', allowedMfaTypes: ['SMS', 'TOTP'] } as AuthView;
    expect(sameView(a, { ...a, allowedMfaTypes: ['SMS', 'TOTP'] } as AuthView)).toBe(true);
    expect(sameView(a, { ...a, allowedMfaTypes: ['TOTP', 'SMS'] } as AuthView)).toBe(false);
    expect(sameView(a, { ...a, allowedMfaTypes: ['SMS'] } as AuthView)).toBe(false);
    const e = { ...base, error: { code: 'CodeMismatch', category: 'challenge', message: 'm', retryable: false } } as AuthView;
    expect(sameView(e, { ...e, error: { ...e.error! } })).toBe(true);
    expect(sameView(e, { ...e, error: { ...e.error!, message: 'other' } })).toBe(false);
    expect(sameView(e, base)).toBe(false);
    expect(sameView({ ...base, extra: undefined } as unknown as AuthView, base)).toBe(false);
  });
});

/** How many observers the actor has (XState keeps them in a Set on the actor). */
function observers(auth: { actor: object }): number {
  const set = (auth.actor as { observers?: Set<unknown> }).observers;
  if (!(set instanceof Set)) throw new Error('xstate internals changed: Actor.observers is not a Set');
  return set.size;
}
