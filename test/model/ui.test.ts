// Model-testing a UI of your own with authchart/testing: every generated path, driven through the UI (typing
// and pressing buttons, never actor.send), with the fake port scripted from the path, and what the UI shows
// checked at every step the chart rests in. docs/testing.md quotes this file.
import { commands, selectView, type Auth, type AuthView, type AuthEvent } from '../../src/index.js';
import { describePath, modelPaths, replayOnFakePort } from '../../src/testing/index.js';

/** The UI under test: a screen title per route, fields, buttons. A real app would render React/Vue/Svelte here. */
const TITLES: Record<AuthView['route'], string> = {
  checkingSession: 'Loading…', signIn: 'Sign in', firstFactorSelection: 'How do you want to sign in?', password: 'Enter your password',
  passkey: 'Sign in with a passkey', customChallenge: 'Answer the challenge', redirecting: 'Taking you to the sign-in page…', newPassword: 'Choose a new password', smsCode: 'Enter the code we texted you',
  emailCode: 'Enter the code we e-mailed you', totpCode: 'Enter the code from your authenticator', mfaSelection: 'How do you want to verify?',
  mfaSetupSelection: 'Set up two-step verification', totpSetup: 'Add an authenticator', emailMfaSetup: 'Verify with e-mail',
  signUp: 'Create an account', confirmSignUp: 'Confirm your account', resetPassword: 'Reset your password', signedIn: 'Welcome', signingOut: 'Signing out…',
  sessionExpired: 'This sign-in expired', failed: 'Something is wrong with the set-up',
};

class TextUi {
  private readonly fields = new Map<string, string>();
  constructor(private readonly auth: Auth) {}
  get screen(): string {
    const view = selectView(this.auth.actor.getSnapshot());
    return [TITLES[view.route], view.busy ? '[busy]' : '', view.error ? `! ${view.error.message}` : ''].filter(Boolean).join(' ');
  }
  /** Not something the user does here: another tab reports a sign-in or sign-out. */
  otherTab(event: AuthEvent) {
    this.auth.actor.send(event);
  }
  type(field: string, value: string) {
    this.fields.set(field, value);
  }
  press(button: string) {
    const c = commands(this.auth.actor);
    const field = (name: string) => this.fields.get(name) ?? '';
    const buttons: Record<string, () => void> = {
      'Sign in': () => c.signIn(field('username'), field('password')),
      'Sign in another way': () =>
        c.signInWithChoice(field('username'), {
          ...(field('factor') ? { preferredFirstFactor: field('factor') as never } : {}),
          ...(field('password') ? { password: field('password') } : {}),
        }),
      'Use this way': () => c.selectFirstFactor(field('factor') as never, field('password') || undefined),
      Continue: () => c.submitPassword(field('password')),
      'Sign in with a challenge': () => c.signInWithCustomChallenge(field('username')),
      Answer: () => c.answerChallenge(field('answer')),
      'Use a passkey': () => c.startPasskey(),
      'Page load (remembered user)': () => c.autofillPasskey(field('remembered')),
      'Continue with a provider': () => c.signInWithRedirect({ provider: field('provider'), ...(field('custom state') ? { customState: field('custom state') } : {}) }),
      'Back from the provider (native host)': () => c.handleRedirectCallback(field('callback')),
      'Add a passkey': () => c.registerPasskey(),
      'My passkeys': () => c.listPasskeys(field('next page') || undefined),
      'Remove passkey': () => c.deletePasskey(field('passkey')),
      'My devices': () => c.fetchDevices(field('devices page') || undefined),
      'Remember this device': () => c.rememberDevice(),
      'Forget device': () => c.forgetDevice(field('device') || undefined),
      'Set password': () => c.submitNewPassword(field('new password'), field('name') ? { name: field('name') } : undefined),
      Verify: () => c.submitCode(field('code')),
      'Send a new code': () => c.resendCode(),
      SMS: () => c.selectMfaType('SMS'),
      TOTP: () => c.selectMfaType('TOTP'),
      EMAIL: () => c.selectMfaType('EMAIL'),
      'Send the code': () => c.submitEmail(field('email')),
      Cancel: () => c.cancel(),
      'Start again': () => c.restart(),
      Retry: () => c.retry(),
      'Check again': () => c.checkSession(),
      Refresh: () => c.refresh(),
      'Sign out': () => c.signOut(),
      'Sign out everywhere': () => c.signOut({ global: true }),
      'Add an authenticator': () => c.setUpTotp(),
      'Save MFA preferences': () => c.updateMfaPreference(JSON.parse(field('mfa preferences') || '{}')),
      'MFA settings': () => c.fetchMfaPreference(),
      'Create an account': () => c.startSignUp(),
      'Sign up': () =>
        c.signUp(field('username'), field('password'), { attributes: JSON.parse(field('attributes') || '{}'), autoSignIn: field('auto sign-in') !== 'no' }),
      'Forgot password?': () => c.forgotPassword(field('username')),
      'Reset password': () => c.resetPassword(field('code'), field('new password'), { signIn: field('sign in after') === 'yes' }),
      'Change password': () => c.changePassword(field('current password'), field('new password')),
      'My details': () => c.fetchUserAttributes(),
      'Save details': () => c.updateUserAttributes(JSON.parse(field('attributes') || '{}')),
      'Delete details': () => c.deleteUserAttributes(JSON.parse(field('attribute names') || '[]')),
      'Send a verification code': () => c.sendAttributeCode(field('attribute')),
      'Verify detail': () => c.verifyAttribute(field('attribute'), field('code')),
      'Delete my account': () => c.deleteUser(),
    };
    buttons[button]!();
  }
}

/** What a user does in the UI for each event of a path. */
function perform(ui: TextUi, event: AuthEvent) {
  switch (event.type) {
    case 'signIn.submit':
      ui.type('username', event.username);
      if (event.authFlow === 'CUSTOM_WITHOUT_SRP') return ui.press('Sign in with a challenge');
      if (event.authFlow === 'USER_AUTH') {
        ui.type('factor', event.preferredFirstFactor ?? '');
        ui.type('password', event.password ?? '');
        return ui.press('Sign in another way');
      }
      ui.type('password', event.password ?? '');
      return ui.press('Sign in');
    case 'factor.select':
      ui.type('factor', event.factor);
      ui.type('password', event.password ?? '');
      return ui.press('Use this way');
    case 'challenge.answer':
      ui.type('answer', event.answer);
      return ui.press('Answer');
    case 'factor.password':
      ui.type('password', event.password);
      return ui.press('Continue');
    case 'passkey.start':
      return ui.press('Use a passkey');
    case 'redirect.start':
      ui.type('provider', event.provider ?? '');
      ui.type('custom state', event.customState ?? '');
      return ui.press('Continue with a provider');
    case 'redirect.callback':
      ui.type('callback', event.url);
      return ui.press('Back from the provider (native host)');
    case 'passkey.autofill':
      ui.type('remembered', event.username);
      return ui.press('Page load (remembered user)');
    case 'passkey.register':
      return ui.press('Add a passkey');
    case 'passkeys.list':
      ui.type('next page', event.nextToken ?? '');
      return ui.press('My passkeys');
    case 'passkey.delete':
      ui.type('passkey', event.credentialId);
      return ui.press('Remove passkey');
    case 'devices.list':
      ui.type('devices page', event.nextToken ?? '');
      return ui.press('My devices');
    case 'device.remember':
      return ui.press('Remember this device');
    case 'device.forget':
      ui.type('device', event.deviceId ?? '');
      return ui.press('Forget device');
    case 'password.submit':
      ui.type('new password', event.newPassword);
      ui.type('name', event.attributes?.['name'] ?? '');
      return ui.press('Set password');
    case 'code.submit':
      ui.type('code', event.code);
      return ui.press('Verify');
    case 'email.submit':
      ui.type('email', event.email);
      return ui.press('Send the code');
    case 'mfa.select':
      return ui.press(event.mfaType);
    case 'session.signOut':
      return ui.press(event.global ? 'Sign out everywhere' : 'Sign out');
    case 'session.changedElsewhere':
      return ui.otherTab(event);
    case 'mfa.updatePreference':
      ui.type('mfa preferences', JSON.stringify(event.preference));
      return ui.press('Save MFA preferences');
    case 'signUp.submit':
      ui.type('username', event.username);
      ui.type('password', event.password);
      ui.type('attributes', JSON.stringify(event.attributes ?? {}));
      ui.type('auto sign-in', event.autoSignIn === false ? 'no' : 'yes');
      return ui.press('Sign up');
    case 'password.forgot':
      ui.type('username', event.username);
      return ui.press('Forgot password?');
    case 'password.reset':
      ui.type('code', event.code);
      ui.type('new password', event.newPassword);
      ui.type('sign in after', event.signIn ? 'yes' : 'no');
      return ui.press('Reset password');
    case 'password.change':
      ui.type('current password', event.oldPassword);
      ui.type('new password', event.newPassword);
      return ui.press('Change password');
    case 'attributes.update':
      ui.type('attributes', JSON.stringify(event.attributes));
      return ui.press('Save details');
    case 'attributes.delete':
      ui.type('attribute names', JSON.stringify(event.names));
      return ui.press('Delete details');
    case 'attribute.sendCode':
      ui.type('attribute', event.name);
      return ui.press('Send a verification code');
    case 'attribute.verify':
      ui.type('attribute', event.name);
      ui.type('code', event.code);
      return ui.press('Verify detail');
    default: {
      const buttons: Record<string, string> = {
        'code.resend': 'Send a new code', 'flow.cancel': 'Cancel', 'flow.restart': 'Start again', 'flow.retry': 'Retry',
        'session.check': 'Check again', 'session.refresh': 'Refresh', 'mfa.setUpTotp': 'Add an authenticator',
        'mfa.fetchPreference': 'MFA settings', 'signUp.start': 'Create an account', 'attributes.fetch': 'My details',
        'account.delete': 'Delete my account',
      };
      return ui.press(buttons[event.type]!);
    }
  }
}

describe('a sign-in UI on every model path', () => {
  it.each(modelPaths().map((path) => [describePath(path), path] as const))('%s', async (_, path) => {
    let ui!: TextUi;
    await replayOnFakePort(path, {
      ui: {
        mount: (auth) => void (ui = new TextUi(auth)),
        send: (event) => perform(ui, event),
        check: (snapshot) => {
          const view = selectView(snapshot);
          expect(ui.screen.startsWith(TITLES[view.route])).toBe(true);
          expect(ui.screen.includes('[busy]')).toBe(view.busy);
          if (view.error) expect(ui.screen).toContain(view.error.message);
        },
      },
    });
  });
});
