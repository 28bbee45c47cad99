// authchart with Vue 3: the whole sign-in / sign-up UI is a switch on view.route; every button is one command.
// Written with defineComponent + h() (no .vue files), so that tsc type-checks every line of it.
import { createApp, defineComponent, h, type VNode } from 'vue';
import { createAuth, webStorage } from 'authchart';
import { useAuth, type AuthCommands, type AuthView } from 'authchart/vue';

const auth = createAuth({
  userPoolId: 'us-east-1_authchart',
  clientId: 'authchartdemoclient0000000',
  endpoint: 'http://127.0.0.1:9229', // the local pool (npm start); omit for real Cognito
  storage: webStorage(sessionStorage),
  // the local pool's hosted UI; it sends the browser back to this page's address (see pageAddress)
  oauth: { domain: 'http://127.0.0.1:9229/_domain/authchart-demo', redirectSignIn: pageAddress(), redirectSignOut: pageAddress() },
});

/**
 * Where the hosted UI may send the browser back: this page served over http (the demo client registers
 * http://127.0.0.1:8000/vue/, as the README serves it). A page opened from file:// has no address the hosted UI
 * can come back to, so its served twin is named: the sign-in ends there.
 */
function pageAddress(): string {
  return location.protocol === 'file:' ? 'http://127.0.0.1:8000/vue/' : location.origin + location.pathname.replace(/index\.html$/, '');
}

/** The named fields of a submitted form. */
function fields(event: Event): Record<string, string> {
  event.preventDefault();
  return Object.fromEntries([...new FormData(event.currentTarget as HTMLFormElement)].map(([k, v]) => [k, String(v)]));
}

/** An attribute the user may remove: not sub, and a verified flag goes with its address. */
const removable = (name: string): boolean => name !== 'sub' && !name.endsWith('_verified');

const input = (label: string, attrs: Record<string, unknown>) => h('label', [label, ' ', h('input', { required: true, ...attrs })]);
const codeInput = (label: string) => input(label, { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code' });
const row = (...children: Array<VNode | false | null>) => h('div', { class: 'row' }, children.filter(Boolean) as VNode[]);

function step(view: AuthView, c: AuthCommands): VNode {
  const cancel = view.canCancel && h('button', { type: 'button', class: 'secondary', onClick: c.cancel }, 'Cancel');
  const submit = (label: string) => h('button', { disabled: view.busy }, label);
  const resend = (can: boolean) => h('button', { type: 'button', class: 'secondary', disabled: !can, onClick: c.resendCode }, 'Send a new code');

  switch (view.route) {
    case 'checkingSession':
      return h('p', { class: 'busy' }, 'Checking for a stored session…');

    case 'signIn':
      return h('form', { onSubmit: (e: Event) => { const f = fields(e); c.signIn(f['username']!, f['password']!); } }, [
        input('Username', { name: 'username', autocomplete: 'username webauthn', value: view.username ?? '' }),
        input('Password', { name: 'password', type: 'password', autocomplete: 'current-password' }),
        row(submit('Sign in'), cancel),
        // choice-based sign-in (USER_AUTH): Cognito offers what this user can use (codes, a passkey, the password)
        row(
          h('button', { type: 'button', class: 'secondary', disabled: view.busy, onClick: (e: Event) => c.signInWithChoice(String(new FormData((e.currentTarget as HTMLButtonElement).form!).get('username'))) }, 'Sign in without a password'),
          h('button', { type: 'button', class: 'secondary', disabled: view.busy, onClick: () => c.signInWithRedirect({ provider: 'Google' }) }, 'Continue with Google'),
        ),
        row(
          h('button', { type: 'button', class: 'link', onClick: c.startSignUp }, 'Create an account'),
          // the username typed above is the account to reset
          h('button', { type: 'button', class: 'link', onClick: (e: Event) => c.forgotPassword(String(new FormData((e.currentTarget as HTMLButtonElement).form!).get('username'))) }, 'Forgot password?'),
        ),
      ]);

    case 'firstFactorSelection':
      return h('section', [
        h('p', 'How do you want to sign in?'),
        row(...view.availableFactors.map((factor) => h('button', { key: factor, disabled: view.busy, onClick: () => c.selectFirstFactor(factor) }, FACTORS[factor])), cancel),
      ]);

    case 'customChallenge':
      return h('form', { onSubmit: (e: Event) => c.answerChallenge(fields(e)['answer']!) }, [
        ...Object.entries(view.parameters).map(([name, value]) => h('p', { key: name }, `${name}: ${value}`)),
        input('Answer', { name: 'answer', autocomplete: 'off' }),
        row(submit('Answer'), cancel),
      ]);

    case 'password':
      return h('form', { onSubmit: (e: Event) => c.submitPassword(fields(e)['password']!) }, [
        input('Password', { name: 'password', type: 'password', autocomplete: 'current-password' }),
        row(submit('Sign in'), cancel),
      ]);

    case 'passkey':
      return h('section', [
        h('p', view.prompting ? 'Confirm with your passkey…' : 'Use the passkey on this device.'),
        row(
          h('button', { disabled: view.busy, onClick: c.startPasskey }, 'Sign in with a passkey'),
          h('button', { class: 'secondary', disabled: view.busy, onClick: () => c.selectFirstFactor('EMAIL_OTP') }, 'E-mail me a code instead'),
          cancel,
        ),
      ]);

    case 'signUp':
      return h('form', { onSubmit: (e: Event) => { const { username, password, ...attributes } = fields(e); c.signUp(username!, password!, { attributes: present(attributes) }); } }, [
        input('Username', { name: 'username', autocomplete: 'username', value: view.username ?? '' }),
        input('Password', { name: 'password', type: 'password', autocomplete: 'new-password' }),
        input('E-mail', { name: 'email', type: 'email', autocomplete: 'email' }),
        input('Phone number (optional)', { name: 'phone_number', type: 'tel', autocomplete: 'tel', placeholder: '+15551234567', required: false }),
        input('Name', { name: 'name', autocomplete: 'name', required: false }),
        row(submit('Create account'), cancel),
      ]);

    case 'newPassword':
      return h('form', { onSubmit: (e: Event) => { const { newPassword, ...attributes } = fields(e); c.submitNewPassword(newPassword!, attributes); } }, [
        h('p', 'Choose a new password.'),
        input('New password', { name: 'newPassword', type: 'password', autocomplete: 'new-password' }),
        ...view.missingAttributes.map((name) => input(name, { name, key: name })),
        row(submit('Set password'), cancel),
      ]);

    case 'smsCode':
    case 'emailCode':
      return h('form', { onSubmit: (e: Event) => c.submitCode(fields(e)['code']!) }, [
        h('p', `We sent a code by ${view.codeDelivery?.deliveryMedium === 'SMS' ? 'text message' : 'e-mail'} to ${view.codeDelivery?.destination ?? ''}.`),
        codeInput('Code'),
        row(submit('Confirm'), h('button', { type: 'button', class: 'secondary', disabled: !view.canResend, onClick: c.resendCode }, 'Send a new code'), cancel),
      ]);

    case 'totpCode':
      return h('form', { onSubmit: (e: Event) => c.submitCode(fields(e)['code']!) }, [codeInput('Code from your authenticator app'), row(submit('Confirm'), cancel)]);

    case 'mfaSelection':
    case 'mfaSetupSelection':
      return h('section', [
        h('p', view.route === 'mfaSelection' ? 'How do you want to confirm it is you?' : 'Choose a second factor to set up.'),
        row(...view.allowedMfaTypes.map((type) => h('button', { key: type, disabled: view.busy, onClick: () => c.selectMfaType(type) }, type)), cancel),
      ]);

    case 'totpSetup': {
      const setup = view.totpSetup;
      return h('form', { onSubmit: (e: Event) => c.submitCode(fields(e)['code']!) }, [
        h('p', `Add this account to your authenticator app${view.duringSignIn ? ' to finish signing in' : ''}.`),
        ...(setup
          ? [h('div', { class: 'qr', innerHTML: setup.qrCodeSvg }), h('p', ['Or type the key: ', h('code', setup.sharedSecret)]), codeInput('Code from the app')]
          : []),
        row(setup && submit('Verify'), view.canRetry && h('button', { type: 'button', onClick: c.retry }, 'Try again'), cancel),
      ]);
    }

    case 'emailMfaSetup':
      return h('form', { onSubmit: (e: Event) => c.submitEmail(fields(e)['email']!) }, [
        input('E-mail address for sign-in codes', { name: 'email', type: 'email', autocomplete: 'email' }),
        row(submit('Send code'), cancel),
      ]);

    case 'confirmSignUp':
      return h('form', { onSubmit: (e: Event) => c.confirmSignUp(fields(e)['code']!) }, [
        h('p', view.codeDelivery ? `We sent a confirmation code to ${view.codeDelivery.destination}.` : `The account ${view.username ?? ''} is not confirmed yet: ask for a code.`),
        codeInput('Confirmation code'),
        row(submit('Confirm'), resend(view.canResend), cancel),
      ]);

    case 'resetPassword':
      return h('form', { onSubmit: (e: Event) => { const f = fields(e); c.resetPassword(f['code']!, f['newPassword']!, { signIn: f['signIn'] === 'on' }); } }, [
        h('p', view.codeDelivery ? `We sent a code to ${view.codeDelivery.destination}.` : `The password of ${view.username ?? ''} must be reset: ask for a code.`),
        codeInput('Code'),
        input('New password', { name: 'newPassword', type: 'password', autocomplete: 'new-password' }),
        h('label', { class: 'check' }, [h('input', { name: 'signIn', type: 'checkbox', checked: true }), ' Sign me in afterwards']),
        row(submit('Set new password'), resend(view.canResend), cancel),
      ]);

    case 'signedIn':
      return h('section', [
        h('p', ['Signed in as ', h('strong', view.user?.attributes['email'] ?? view.user?.username ?? ''), view.refreshing ? ' (refreshing tokens…).' : '.']),
        row(
          h('button', { disabled: view.busy, onClick: () => c.signOut() }, 'Sign out'),
          h('button', { class: 'secondary', disabled: view.busy, onClick: () => c.signOut({ global: true }) }, 'Sign out everywhere'),
          h('button', { class: 'secondary', disabled: view.busy, onClick: c.setUpTotp }, 'Add an authenticator app'),
        ),
        ...account(view, c),
      ]);

    case 'redirecting':
      return h('p', { class: 'busy' }, 'Taking you to the sign-in page…');

    case 'signingOut':
      return h('p', { class: 'busy' }, 'Signing out…');

    case 'sessionExpired':
    case 'failed':
      return h('section', [
        h('p', view.route === 'sessionExpired' ? 'The sign-in took too long or the code was wrong too often.' : 'Signing in is not possible right now.'),
        row(h('button', { onClick: c.restart }, 'Start again')),
      ]);

    default:
      return unreachable(view);
  }
}

/** The signed-in user's own account: attributes (and verifying them), the password, deleting the account. */
function account(view: Extract<AuthView, { route: 'signedIn' }>, c: AuthCommands): VNode[] {
  const button = (label: string, onClick: () => void) => h('button', { type: 'button', class: 'secondary', disabled: view.busy, onClick }, label);
  const submit = (label: string) => row(h('button', { disabled: view.busy }, label));
  const pending = view.attributeDelivery;
  return [
    h('h2', 'Account'),
    row(button('Show my attributes', c.fetchUserAttributes), button('Verify my e-mail', () => c.sendAttributeCode('email'))),
    view.userAttributes &&
      h('dl', Object.entries(view.userAttributes).map(([name, value]) =>
        h('div', { key: name }, [
          h('dt', name),
          h('dd', [`${value} `, removable(name) && h('button', { type: 'button', class: 'link', 'aria-label': `Remove ${name}`, disabled: view.busy, onClick: () => c.deleteUserAttributes([name]) }, 'Remove')]),
        ]),
      )),
    h('form', { onSubmit: (e: Event) => { const f = fields(e); c.updateUserAttributes({ [f['attribute']!]: f['value']! }); } }, [
      h('label', ['Attribute ', h('select', { name: 'attribute' }, [h('option', 'email'), h('option', 'name'), h('option', 'nickname')])]),
      input('New value', { name: 'value' }),
      submit('Update'),
    ]),
    pending &&
      h('form', { onSubmit: (e: Event) => c.verifyAttribute(pending.attributeName, fields(e)['code']!) }, [
        h('p', `We sent a code for ${pending.attributeName} to ${pending.destination}.`),
        codeInput('Verification code'),
        submit('Verify'),
      ]),
    h('form', { onSubmit: (e: Event) => { const f = fields(e); c.changePassword(f['oldPassword']!, f['newPassword']!); (e.currentTarget as HTMLFormElement).reset(); } }, [
      input('Current password', { name: 'oldPassword', type: 'password', autocomplete: 'current-password' }),
      input('New password', { name: 'newPassword', type: 'password', autocomplete: 'new-password' }),
      submit('Change password'),
    ]),
    h('h2', 'Passkeys'),
    row(button('Add a passkey', c.registerPasskey), button('Show my passkeys', () => c.listPasskeys())),
    view.passkeys && h('ul', view.passkeys.map((p) => h('li', { key: p.credentialId }, [p.friendlyName ?? 'Passkey', ' ', button('Remove', () => c.deletePasskey(p.credentialId))]))),
    view.passkeysNextToken && row(button('More', () => c.listPasskeys(view.passkeysNextToken!))),
    h('h2', 'Devices'),
    h('p', view.deviceStatus === 'remembered' ? 'This browser is remembered.' : view.deviceStatus === 'notRemembered' ? 'This browser is not remembered.' : 'Is this browser remembered? Show your devices.'),
    row(view.deviceStatus === 'notRemembered' && button('Remember this browser', c.rememberDevice), button('Show my devices', () => c.fetchDevices())),
    view.devices && h('ul', view.devices.map((d) => h('li', { key: d.id }, [`${d.name ?? 'Device'}${d.current ? ' (this browser)' : ''}`, ' ', button('Forget', () => c.forgetDevice(d.id))]))),
    row(button('Delete my account', () => confirm('Delete your account for good?') && c.deleteUser())),
  ].filter((node): node is VNode => Boolean(node));
}

const FACTORS = { PASSWORD: 'Password', PASSWORD_SRP: 'Password', EMAIL_OTP: 'A code by e-mail', SMS_OTP: 'A code by text', WEB_AUTHN: 'A passkey' } as const;

/** The attributes that were filled in. */
function present(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== ''));
}

/** Every route is handled above: a new route is a type error here. */
function unreachable(view: never): never {
  throw new Error(`unhandled route ${(view as AuthView).route}`);
}

const App = defineComponent({
  setup() {
    const { view, commands } = useAuth(auth);
    return () =>
      h('main', [
        h('h1', 'authchart · Vue'),
        view.value.error && h('p', { class: 'error', role: 'alert' }, `${view.value.error.message} (${view.value.error.code})`),
        // keyed by route, so that each step's form starts empty
        h('div', { key: view.value.route }, [step(view.value, commands)]),
        view.value.busy && h('p', { class: 'busy' }, 'Working…'),
      ]);
  },
});

createApp(App).mount('#app');
