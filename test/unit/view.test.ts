// selectView: machine states (reached through the chart with a scripted, gated fake Cognito port) -> the view UIs read.
import type { SignInStepName } from '../../machines/auth.types.js';
import type { Auth, CreateAuthOptions } from '../../src/runtime/create-auth.js';
import { cognitoError } from '../../src/testing/fake-port.js';
import { commands, selectView, type AuthView } from '../../src/view.js';
import {
  codeMismatch,
  done,
  emailOtp,
  mfaSetup,
  newPasswordRequired,
  offline,
  PASSWORD,
  release,
  scriptedAuth,
  SECRET,
  selectMfa,
  sessionDied,
  settle,
  smsMfa,
  totpMfa,
  type GatedScript,
  type Step,
} from '../support/scripted-auth.js';

const running: Auth[] = [];
afterEach(() => running.splice(0).forEach((a) => a.stop()));

async function reach(script: GatedScript, steps: Step[], options: Partial<CreateAuthOptions> = {}) {
  const { auth, gate } = scriptedAuth(script, { authFlow: 'USER_PASSWORD_AUTH', totpIssuer: 'Example App', ...options });
  running.push(auth);
  auth.start();
  await settle(auth, gate);
  const send = commands(auth.actor);
  for (const step of steps) {
    step(send, gate);
    await settle(auth, gate);
  }
  return { auth, snapshot: auth.actor.getSnapshot(), view: selectView(auth.actor.getSnapshot()) };
}

const signIn = (username = 'alice'): Step => (c) => c.signIn(username, PASSWORD);
const code = (value: string): Step => (c) => c.submitCode(value);
const error = (code: string, category?: string) => expect.objectContaining({ code, ...(category ? { category } : {}) });
const none = { error: null, busy: false, canCancel: false, signInStep: null };
const step = (signInStep: SignInStepName) => ({ error: null, busy: false, canCancel: true, signInStep });
const delivery = { sms: { deliveryMedium: 'SMS', destination: '+*******0008' }, email: { deliveryMedium: 'EMAIL', destination: 'a***@e***' } } as const;
const totpSetupData = {
  sharedSecret: SECRET,
  setupUri: expect.stringMatching(/^otpauth:\/\/totp\/Example%20App:alice\?.*secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP/),
  qrCodeSvg: expect.stringMatching(/^<svg[\s\S]*<\/svg>$/),
};
const user = expect.objectContaining({ username: 'alice-id', userId: 'sub-alice-id', attributes: { email: 'alice@example.com' } });

const smsStep: GatedScript = { initiateAuth: [smsMfa()] };
const totpSetupStep: GatedScript = { initiateAuth: [mfaSetup(['SOFTWARE_TOKEN_MFA'])], associateSoftwareToken: [{ secretCode: SECRET, session: 'session-2-xxxxxxxxxxxxxxxxxxxxxxxx' }] };
const signedIn: GatedScript = { initiateAuth: [done()] };

type Row = [name: string, script: GatedScript, steps: Step[], expected: AuthView];
const table: Row[] = [
  ['signedOut', {}, [], { ...none, route: 'signIn', username: null, passkeyAutofill: false }],
  ['signedOut, empty credentials refused locally', {}, [(c) => c.signIn('', '')], { ...none, route: 'signIn', username: null, passkeyAutofill: false, error: error('InvalidInput', 'input') }],
  ['initiating (busy, cancellable)', smsStep, [signIn()], { ...none, route: 'signIn', username: 'alice', passkeyAutofill: false, busy: true, canCancel: true }],
  [
    'signedOut after a wrong password',
    { initiateAuth: [cognitoError('NotAuthorizedException', 'Incorrect username or password.')] },
    [signIn(), release],
    { ...none, route: 'signIn', username: 'alice', passkeyAutofill: false, error: error('IncorrectUsernameOrPassword', 'credentials') },
  ],
  [
    'newPassword',
    { initiateAuth: [newPasswordRequired(['name'])] },
    [signIn('nina'), release],
    {
      ...step('CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED'),
      route: 'newPassword',
      missingAttributes: ['name'],
      userAttributes: { email: 'nina@example.com', email_verified: 'true' },
    },
  ],
  [
    'newPassword without the missing attribute',
    { initiateAuth: [newPasswordRequired(['name'])] },
    [signIn('nina'), release, (c) => c.submitNewPassword('N3w-Passw0rd!')],
    {
      ...step('CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED'),
      route: 'newPassword',
      missingAttributes: ['name'],
      userAttributes: { email: 'nina@example.com', email_verified: 'true' },
      error: error('InvalidInput'),
    },
  ],
  [
    'newPassword submitting',
    { initiateAuth: [newPasswordRequired(['name'])], respondToAuthChallenge: [done()] },
    [signIn('nina'), release, (c) => c.submitNewPassword('N3w-Passw0rd!', { name: 'Nina' })],
    {
      ...step('CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED'),
      // flow.cancel aborts the request in flight, so it is offered while busy too.
      canCancel: true,
      busy: true,
      route: 'newPassword',
      missingAttributes: ['name'],
      userAttributes: { email: 'nina@example.com', email_verified: 'true' },
    },
  ],
  ['smsCode', smsStep, [signIn(), release], { ...step('CONFIRM_SIGN_IN_WITH_SMS_CODE'), route: 'smsCode', codeDelivery: delivery.sms, canResend: true }],
  [
    'smsCode after a wrong code',
    { ...smsStep, respondToAuthChallenge: [codeMismatch()] },
    [signIn(), release, code('000000'), release],
    { ...step('CONFIRM_SIGN_IN_WITH_SMS_CODE'), route: 'smsCode', codeDelivery: delivery.sms, canResend: true, error: error('CodeMismatch', 'challenge') },
  ],
  [
    'smsCode submitting: no resend while a code is checked',
    { ...smsStep, respondToAuthChallenge: [done()] },
    [signIn(), release, code('123456')],
    { ...step('CONFIRM_SIGN_IN_WITH_SMS_CODE'), route: 'smsCode', codeDelivery: delivery.sms, canResend: false, busy: true, canCancel: true },
  ],
  [
    'smsCode resending',
    { initiateAuth: [smsMfa(), smsMfa(2)] },
    [signIn(), release, (c) => c.resendCode()],
    { ...step('CONFIRM_SIGN_IN_WITH_SMS_CODE'), route: 'smsCode', codeDelivery: delivery.sms, canResend: false, busy: true, canCancel: true },
  ],
  ['emailCode', { initiateAuth: [emailOtp()] }, [signIn(), release], { ...step('CONFIRM_SIGN_IN_WITH_EMAIL_CODE'), route: 'emailCode', codeDelivery: delivery.email, canResend: true }],
  ['totpCode', { initiateAuth: [totpMfa()] }, [signIn(), release], { ...step('CONFIRM_SIGN_IN_WITH_TOTP_CODE'), route: 'totpCode' }],
  [
    'totpCode with a malformed code',
    { initiateAuth: [totpMfa()] },
    [signIn(), release, code('12345')],
    { ...step('CONFIRM_SIGN_IN_WITH_TOTP_CODE'), route: 'totpCode', error: error('InvalidInput') },
  ],
  [
    'mfaSelection',
    { initiateAuth: [selectMfa(['SMS_MFA', 'SOFTWARE_TOKEN_MFA'])] },
    [signIn(), release],
    { ...step('CONTINUE_SIGN_IN_WITH_MFA_SELECTION'), route: 'mfaSelection', allowedMfaTypes: ['SMS', 'TOTP'] },
  ],
  [
    'mfaSetupSelection',
    { initiateAuth: [mfaSetup(['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'])] },
    [signIn(), release],
    { ...step('CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION'), route: 'mfaSetupSelection', allowedMfaTypes: ['TOTP', 'EMAIL'] },
  ],
  [
    'totpSetup while associating',
    totpSetupStep,
    [signIn(), release],
    { ...step('CONTINUE_SIGN_IN_WITH_TOTP_SETUP'), route: 'totpSetup', busy: true, totpSetup: null, canRetry: false, duringSignIn: true },
  ],
  [
    'totpSetup after a failed association',
    { initiateAuth: [mfaSetup(['SOFTWARE_TOKEN_MFA'])], associateSoftwareToken: [offline()] },
    [signIn(), release, release],
    { ...step('CONTINUE_SIGN_IN_WITH_TOTP_SETUP'), route: 'totpSetup', totpSetup: null, canRetry: true, duringSignIn: true, error: error('Network', 'network') },
  ],
  [
    'totpSetup with the secret and its QR code',
    totpSetupStep,
    [signIn(), release, release],
    { ...step('CONTINUE_SIGN_IN_WITH_TOTP_SETUP'), route: 'totpSetup', totpSetup: totpSetupData, canRetry: false, duringSignIn: true },
  ],
  ['emailMfaSetup', { initiateAuth: [mfaSetup(['EMAIL_OTP'])] }, [signIn(), release], { ...step('CONTINUE_SIGN_IN_WITH_EMAIL_SETUP'), route: 'emailMfaSetup' }],
  [
    'confirmSignUp',
    { initiateAuth: [cognitoError('UserNotConfirmedException', 'User is not confirmed.')] },
    [signIn('uma'), release],
    { ...step('CONFIRM_SIGN_UP'), route: 'confirmSignUp', username: 'uma', codeDelivery: null, canResend: true },
  ],
  [
    'resetPassword',
    { initiateAuth: [cognitoError('PasswordResetRequiredException', 'Password reset required for the user')] },
    [signIn('rita'), release],
    { ...step('RESET_PASSWORD'), route: 'resetPassword', username: 'rita', codeDelivery: null, canResend: true },
  ],
  ['signedIn', signedIn, [signIn(), release], { ...none, signInStep: 'DONE', route: 'signedIn', user, mfaPreference: null, userAttributes: null, attributeDelivery: null, refreshing: false, tokensStale: false, passkeys: null, passkeysNextToken: null, deviceStatus: null, devices: null, devicesNextToken: null, redirectState: null }],
  [
    'signedIn while refreshing (not busy)',
    { ...signedIn, getTokensFromRefreshToken: [{ ...done().tokens }] },
    [signIn(), release, (c) => c.refresh()],
    { ...none, signInStep: 'DONE', route: 'signedIn', user, mfaPreference: null, userAttributes: null, attributeDelivery: null, refreshing: true, tokensStale: false, passkeys: null, passkeysNextToken: null, deviceStatus: null, devices: null, devicesNextToken: null, redirectState: null },
  ],
  [
    'signedIn with the MFA preference',
    { ...signedIn, getUser: [{ username: 'alice-id', attributes: {}, mfaSettings: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'], preferredMfa: 'SOFTWARE_TOKEN_MFA' }] },
    [signIn(), release, (c) => c.fetchMfaPreference(), release],
    {
      ...none,
      signInStep: 'DONE',
      route: 'signedIn',
      user,
      mfaPreference: { enabled: ['SMS', 'TOTP'], preferred: 'TOTP' },
      userAttributes: {},
      attributeDelivery: null,
      refreshing: false,
      tokensStale: false,
      passkeys: null,
      passkeysNextToken: null,
      deviceStatus: null,
      devices: null,
      devicesNextToken: null,
      redirectState: null,
    },
  ],
  ['signUp', {}, [(c) => c.startSignUp()], { ...none, canCancel: true, route: 'signUp', username: null }],
  [
    'totpSetup for a signed-in user',
    { ...signedIn, associateSoftwareToken: [{ secretCode: SECRET }] },
    [signIn(), release, (c) => c.setUpTotp(), release],
    { ...none, canCancel: true, route: 'totpSetup', totpSetup: totpSetupData, canRetry: false, duringSignIn: false },
  ],
  ['signingOut', { ...signedIn, revokeToken: [undefined] }, [signIn(), release, (c) => c.signOut()], { ...none, busy: true, canCancel: true, route: 'signingOut' }],
  [
    'sessionExpired',
    { ...smsStep, respondToAuthChallenge: [sessionDied()] },
    [signIn(), release, code('123456'), release],
    { ...none, route: 'sessionExpired', error: error('SessionExpired', 'session') },
  ],
  [
    'failed',
    { initiateAuth: [mfaSetup(['SMS_MFA'])] },
    [signIn(), release],
    { ...none, route: 'failed', error: error('MfaSetupUnavailable', 'configuration') },
  ],
];

describe('selectView', () => {
  it('checkingSession before the stored session is read', () => {
    const { auth } = scriptedAuth({});
    expect(selectView(auth.actor.getSnapshot())).toEqual({ ...none, busy: true, route: 'checkingSession' });
  });

  it.each(table)('%s', async (_name, script, steps, expected) => {
    const { view } = await reach(script, steps);
    expect(view).toEqual(expected);
    // exactly the documented keys, nothing more (toEqual ignores undefined-valued extras)
    expect(Object.keys(view).sort()).toEqual(Object.keys(expected).sort());
  });

  it('covers every route', () => {
    const routes = new Set(['checkingSession', ...table.map(([, , , expected]) => expected.route)]);
    expect([...routes].sort()).toEqual(
      [
        'checkingSession', 'signIn', 'newPassword', 'smsCode', 'totpCode', 'emailCode', 'mfaSelection', 'mfaSetupSelection',
        'totpSetup', 'emailMfaSetup', 'signUp', 'confirmSignUp', 'resetPassword', 'signedIn', 'signingOut', 'sessionExpired', 'failed',
      ].sort(),
    );
  });

  it('a code step cannot offer resend once the attempt has no kept credentials', async () => {
    const { auth } = await reach(smsStep, [signIn(), release]);
    // The secret vault is per runtime; a snapshot whose secretRef is gone (e.g. restored after a reload) cannot resend.
    const snapshot = auth.actor.getSnapshot();
    const reloaded = { ...snapshot, context: { ...snapshot.context, secretRef: null } } as typeof snapshot;
    Object.setPrototypeOf(reloaded, Object.getPrototypeOf(snapshot));
    expect(selectView(snapshot)).toMatchObject({ route: 'smsCode', canResend: true });
    expect(selectView(reloaded)).toMatchObject({ route: 'smsCode', canResend: false });
  });

  it('is a function of the snapshot: the same snapshot gives equal views, with the QR code rendered once', async () => {
    const { snapshot } = await reach(totpSetupStep, [signIn(), release, release]);
    const [a, b] = [selectView(snapshot), selectView(snapshot)];
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    if (a.route !== 'totpSetup' || b.route !== 'totpSetup') throw new Error('not on totpSetup');
    expect(a.totpSetup?.qrCodeSvg).toBe(b.totpSetup?.qrCodeSvg);
  });

  it('never exposes the Cognito session, the secret reference or state names', async () => {
    const { view } = await reach({ ...smsStep, respondToAuthChallenge: [codeMismatch()] }, [signIn(), release, code('000000'), release]);
    const text = JSON.stringify(view);
    expect(text).not.toContain('session-1');
    expect(text).not.toMatch(/secretRef|"idle"|submitting|signingIn/);
    expect(text).not.toContain(PASSWORD);
  });
});
