// A complete browser sign-in app on the lean transport, without a UI framework: what a real app pays for authchart.
// Every route has its screen and every command a control, so whatever a step loads on demand (SRP's math, the TOTP
// QR encoder, the passkey ceremony, the hosted UI's OAuth) is reachable from here. The bundle bench and the size budget measure this file.
import { createAuth, selectView, commands, webStorage, type AuthView } from 'authchart';

const auth = createAuth({
  userPoolId: 'us-east-1_example',
  clientId: 'exampleclient000000000000',
  transport: 'fetch',
  oauth: { domain: 'https://example.auth.us-east-1.amazoncognito.com', redirectSignIn: location.origin + '/', redirectSignOut: location.origin + '/' },
  storage: webStorage(localStorage),
  resume: webStorage(sessionStorage),
});
const c = commands(auth.actor);

type Child = Node | string | false | null | undefined;
const h = (tag: string, props: Record<string, unknown>, ...children: Child[]): HTMLElement => {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children.filter((child): child is Node | string => Boolean(child)));
  return el;
};
const button = (label: string, onclick: (event: Event) => void, disabled = false) => h('button', { type: 'button', onclick, disabled }, label);
/** What is typed in the username field of the form the button is in. */
const typedUsername = (event: Event): string => (event.target as HTMLButtonElement).form!['username'].value;
// The username the passkey autofill was offered for: once, or every render would offer it again.
let autofilledFor: string | null = null;

/** A form of named text fields; submitting it sends their values, in order. */
function form(view: AuthView, fields: string[], send: (...values: string[]) => void, ...extra: Child[]): HTMLElement {
  const inputs = fields.map((name) => h('input', { name, placeholder: name, type: /password/i.test(name) ? 'password' : 'text' }) as HTMLInputElement);
  const onsubmit = (event: Event) => {
    event.preventDefault();
    send(...inputs.map((input) => input.value));
  };
  return h('form', { onsubmit }, ...inputs, h('button', { disabled: view.busy }, 'OK'), ...extra);
}

function screen(view: AuthView): HTMLElement {
  const cancel = view.canCancel && button('Cancel', c.cancel);
  const resend = (can: boolean) => button('Send a new code', c.resendCode, !can);
  switch (view.route) {
    case 'checkingSession':
    case 'redirecting':
    case 'signingOut':
      return h('p', {}, '…');
    case 'signIn':
      // passkey autofill for the username the chart remembers, on the idle form (an error stays on screen)
      if (view.username && view.username !== autofilledFor && !view.busy && !view.error) c.autofillPasskey((autofilledFor = view.username));
      return form(
        view,
        ['username', 'password'],
        (u, p) => (p ? c.signIn(u!, p) : c.signInWithChoice(u!)),
        button('Custom challenge', (event) => c.signInWithCustomChallenge(typedUsername(event))),
        button('Sign in with Google', () => c.signInWithRedirect({ provider: 'Google' })),
        button('Create an account', c.startSignUp),
        button('Forgot password?', (event) => c.forgotPassword(typedUsername(event))),
        cancel,
      );
    case 'firstFactorSelection':
      return h('div', {}, ...view.availableFactors.map((factor) => button(factor, () => c.selectFirstFactor(factor))), cancel);
    case 'password':
      return form(view, ['password'], c.submitPassword, cancel);
    case 'passkey':
      return h('div', {}, button('Use a passkey', c.startPasskey, view.prompting), cancel);
    case 'newPassword':
      return form(view, ['newPassword', ...view.missingAttributes], (password, ...values) => c.submitNewPassword(password!, Object.fromEntries(view.missingAttributes.map((name, i) => [name, values[i]!]))), cancel);
    case 'customChallenge':
      return form(view, ['answer'], c.answerChallenge, JSON.stringify(view.parameters), cancel);
    case 'smsCode':
    case 'emailCode':
      return form(view, ['code'], c.submitCode, view.codeDelivery?.destination, resend(view.canResend), cancel);
    case 'totpCode':
      return form(view, ['code'], c.submitCode, cancel);
    case 'mfaSelection':
    case 'mfaSetupSelection':
      return h('div', {}, ...view.allowedMfaTypes.map((type) => button(type, () => c.selectMfaType(type), view.busy)), cancel);
    case 'totpSetup':
      return view.totpSetup
        ? form(view, ['code'], c.submitCode, h('div', { innerHTML: view.totpSetup.qrCodeSvg }), view.totpSetup.sharedSecret, cancel)
        : h('div', {}, view.canRetry && button('Try again', c.retry), cancel);
    case 'emailMfaSetup':
      return form(view, ['email'], c.submitEmail, cancel);
    case 'signUp':
      return form(view, ['username', 'password', 'email'], (username, password, email) => c.signUp(username!, password!, { attributes: { email: email! } }), cancel);
    case 'confirmSignUp':
      return form(view, ['code'], c.confirmSignUp, resend(view.canResend), cancel);
    case 'resetPassword':
      return form(view, ['code', 'newPassword'], (code, password) => c.resetPassword(code!, password!, { signIn: true }), resend(view.canResend), cancel);
    case 'signedIn': {
      const pending = view.attributeDelivery;
      return h(
        'section',
        {},
        view.user?.username,
        button('Refresh', c.refresh, view.refreshing),
        button('Sign out', () => c.signOut()),
        button('Sign out everywhere', () => c.signOut({ global: true })),
        button('Add an authenticator app', c.setUpTotp),
        button('MFA settings', c.fetchMfaPreference),
        view.mfaPreference && button('Prefer TOTP', () => c.updateMfaPreference({ totp: 'PREFERRED' })),
        button('My details', c.fetchUserAttributes),
        view.userAttributes && JSON.stringify(view.userAttributes),
        form(view, ['attribute', 'value'], (name, value) => c.updateUserAttributes({ [name!]: value! })),
        form(view, ['attribute'], (name) => c.deleteUserAttributes([name!])),
        button('Verify my e-mail', () => c.sendAttributeCode('email')),
        pending && form(view, ['code'], (code) => c.verifyAttribute(pending.attributeName, code!)),
        form(view, ['oldPassword', 'newPassword'], (old, next) => c.changePassword(old!, next!)),
        button('Add a passkey', c.registerPasskey),
        button('My passkeys', () => c.listPasskeys(view.passkeysNextToken ?? undefined)),
        ...(view.passkeys ?? []).map((p) => button(`Delete ${p.friendlyName ?? p.credentialId}`, () => c.deletePasskey(p.credentialId))),
        button('Delete my account', () => confirm('Delete your account?') && c.deleteUser()),
      );
    }
    case 'sessionExpired':
    case 'failed':
      return h('div', {}, button('Start again', c.restart), button('Check the session', c.checkSession));
    default:
      return unreachable(view);
  }
}

function unreachable(view: never): never {
  throw new Error(`unhandled route ${(view as AuthView).route}`);
}

// Back from the hosted UI: the callback URL carries the code.
if (location.search.includes('code=')) c.handleRedirectCallback(location.href);

const root = document.getElementById('app')!;
// Drawn again only when the view changed: a snapshot that changes nothing on screen keeps what is being typed.
let shown = '';
auth.actor.subscribe((snapshot) => {
  const view = selectView(snapshot);
  const now = JSON.stringify(view);
  if (now === shown) return;
  shown = now;
  root.replaceChildren(h('p', { role: 'alert' }, view.error?.message), screen(view));
});
