// authchart with React: the whole sign-in / sign-up UI is a switch on view.route; every button is one command.
import { type FormEvent, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAuth, webStorage } from 'authchart';
import { AuthProvider, useAuthContext, type AuthView } from 'authchart/react';

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
 * http://127.0.0.1:8000/react/, as the README serves it). A page opened from file:// has no address the hosted UI
 * can come back to, so its served twin is named: the sign-in ends there.
 */
function pageAddress(): string {
  return location.protocol === 'file:' ? 'http://127.0.0.1:8000/react/' : location.origin + location.pathname.replace(/index\.html$/, '');
}

/** The named fields of a submitted form. */
function fields(event: FormEvent<HTMLFormElement>): Record<string, string> {
  event.preventDefault();
  return Object.fromEntries([...new FormData(event.currentTarget)].map(([k, v]) => [k, String(v)]));
}

/** An attribute the user may remove: not sub, and a verified flag goes with its address. */
const removable = (name: string): boolean => name !== 'sub' && !name.endsWith('_verified');

function App(): ReactNode {
  const { view } = useAuthContext();
  return (
    <main>
      <h1>authchart · React</h1>
      {view.error && (
        <p className="error" role="alert">
          {view.error.message} ({view.error.code})
        </p>
      )}
      {/* keyed by route, so that each step's form starts empty */}
      <Step key={view.route} view={view} />
      {view.busy && <p className="busy">Working…</p>}
    </main>
  );
}

function Step({ view }: { view: AuthView }): ReactNode {
  const { commands } = useAuthContext();
  const cancel = view.canCancel && (
    <button type="button" className="secondary" onClick={commands.cancel}>
      Cancel
    </button>
  );
  switch (view.route) {
    case 'checkingSession':
      return <p className="busy">Checking for a stored session…</p>;

    case 'signIn':
      return (
        <form onSubmit={(e) => { const f = fields(e); commands.signIn(f['username']!, f['password']!); }}>
          <label>Username <input name="username" autoComplete="username webauthn" defaultValue={view.username ?? ''} required /></label>
          <label>Password <input name="password" type="password" autoComplete="current-password" required /></label>
          <div className="row"><button disabled={view.busy}>Sign in</button>{cancel}</div>
          <div className="row">
            {/* choice-based sign-in (USER_AUTH): Cognito offers what this user can use (codes, a passkey, the password) */}
            <button type="button" className="secondary" disabled={view.busy} onClick={(e) => commands.signInWithChoice(String(new FormData(e.currentTarget.form!).get('username')))}>Sign in without a password</button>
            <button type="button" className="secondary" disabled={view.busy} onClick={() => commands.signInWithRedirect({ provider: 'Google' })}>Continue with Google</button>
          </div>
          <div className="row">
            <button type="button" className="link" onClick={commands.startSignUp}>Create an account</button>
            {/* the username typed above is the account to reset */}
            <button type="button" className="link" onClick={(e) => commands.forgotPassword(String(new FormData(e.currentTarget.form!).get('username')))}>Forgot password?</button>
          </div>
        </form>
      );

    case 'firstFactorSelection':
      return (
        <section>
          <p>How do you want to sign in?</p>
          <div className="row">
            {view.availableFactors.map((factor) => (
              <button key={factor} disabled={view.busy} onClick={() => commands.selectFirstFactor(factor)}>{FACTORS[factor]}</button>
            ))}
            {cancel}
          </div>
        </section>
      );

    case 'customChallenge':
      return (
        <form onSubmit={(e) => commands.answerChallenge(fields(e)['answer']!)}>
          {Object.entries(view.parameters).map(([name, value]) => <p key={name}>{name}: {value}</p>)}
          <label>Answer <input name="answer" autoComplete="off" required /></label>
          <div className="row"><button disabled={view.busy}>Answer</button>{cancel}</div>
        </form>
      );

    case 'password':
      return (
        <form onSubmit={(e) => commands.submitPassword(fields(e)['password']!)}>
          <label>Password <input name="password" type="password" autoComplete="current-password" required /></label>
          <div className="row"><button disabled={view.busy}>Sign in</button>{cancel}</div>
        </form>
      );

    case 'passkey':
      return (
        <section>
          <p>{view.prompting ? 'Confirm with your passkey…' : 'Use the passkey on this device.'}</p>
          <div className="row">
            <button disabled={view.busy} onClick={commands.startPasskey}>Sign in with a passkey</button>
            <button className="secondary" disabled={view.busy} onClick={() => commands.selectFirstFactor('EMAIL_OTP')}>E-mail me a code instead</button>
            {cancel}
          </div>
        </section>
      );

    case 'signUp':
      return (
        <form onSubmit={(e) => { const { username, password, ...attributes } = fields(e); commands.signUp(username!, password!, { attributes: present(attributes) }); }}>
          <label>Username <input name="username" autoComplete="username" defaultValue={view.username ?? ''} required /></label>
          <label>Password <input name="password" type="password" autoComplete="new-password" required /></label>
          <label>E-mail <input name="email" type="email" autoComplete="email" required /></label>
          <label>Phone number (optional) <input name="phone_number" type="tel" autoComplete="tel" placeholder="+15551234567" /></label>
          <label>Name <input name="name" autoComplete="name" /></label>
          <div className="row"><button disabled={view.busy}>Create account</button>{cancel}</div>
        </form>
      );

    case 'newPassword':
      return (
        <form onSubmit={(e) => { const { newPassword, ...attributes } = fields(e); commands.submitNewPassword(newPassword!, attributes); }}>
          <p>Choose a new password.</p>
          <label>New password <input name="newPassword" type="password" autoComplete="new-password" required /></label>
          {view.missingAttributes.map((name) => (
            <label key={name}>{name} <input name={name} required /></label>
          ))}
          <div className="row"><button disabled={view.busy}>Set password</button>{cancel}</div>
        </form>
      );

    case 'smsCode':
    case 'emailCode':
      return (
        <form onSubmit={(e) => commands.submitCode(fields(e)['code']!)}>
          <p>We sent a code by {view.codeDelivery?.deliveryMedium === 'SMS' ? 'text message' : 'e-mail'} to {view.codeDelivery?.destination}.</p>
          <label>Code <input name="code" inputMode="numeric" autoComplete="one-time-code" required /></label>
          <div className="row">
            <button disabled={view.busy}>Confirm</button>
            <button type="button" className="secondary" disabled={!view.canResend} onClick={commands.resendCode}>Send a new code</button>
            {cancel}
          </div>
        </form>
      );

    case 'totpCode':
      return (
        <form onSubmit={(e) => commands.submitCode(fields(e)['code']!)}>
          <label>Code from your authenticator app <input name="code" inputMode="numeric" autoComplete="one-time-code" required /></label>
          <div className="row"><button disabled={view.busy}>Confirm</button>{cancel}</div>
        </form>
      );

    case 'mfaSelection':
    case 'mfaSetupSelection':
      return (
        <section>
          <p>{view.route === 'mfaSelection' ? 'How do you want to confirm it is you?' : 'Choose a second factor to set up.'}</p>
          <div className="row">
            {view.allowedMfaTypes.map((type) => (
              <button key={type} disabled={view.busy} onClick={() => commands.selectMfaType(type)}>{type}</button>
            ))}
            {cancel}
          </div>
        </section>
      );

    case 'totpSetup':
      return (
        <form onSubmit={(e) => commands.submitCode(fields(e)['code']!)}>
          <p>Add this account to your authenticator app{view.duringSignIn ? ' to finish signing in' : ''}.</p>
          {view.totpSetup && (
            <>
              <div className="qr" dangerouslySetInnerHTML={{ __html: view.totpSetup.qrCodeSvg }} />
              <p>Or type the key: <code>{view.totpSetup.sharedSecret}</code></p>
              <label>Code from the app <input name="code" inputMode="numeric" autoComplete="one-time-code" required /></label>
            </>
          )}
          <div className="row">
            {view.totpSetup && <button disabled={view.busy}>Verify</button>}
            {view.canRetry && <button type="button" onClick={commands.retry}>Try again</button>}
            {cancel}
          </div>
        </form>
      );

    case 'emailMfaSetup':
      return (
        <form onSubmit={(e) => commands.submitEmail(fields(e)['email']!)}>
          <label>E-mail address for sign-in codes <input name="email" type="email" autoComplete="email" required /></label>
          <div className="row"><button disabled={view.busy}>Send code</button>{cancel}</div>
        </form>
      );

    case 'confirmSignUp':
      return (
        <form onSubmit={(e) => commands.confirmSignUp(fields(e)['code']!)}>
          <p>{view.codeDelivery ? `We sent a confirmation code to ${view.codeDelivery.destination}.` : `The account ${view.username ?? ''} is not confirmed yet: ask for a code.`}</p>
          <label>Confirmation code <input name="code" inputMode="numeric" autoComplete="one-time-code" required /></label>
          <div className="row">
            <button disabled={view.busy}>Confirm</button>
            <button type="button" className="secondary" disabled={!view.canResend} onClick={commands.resendCode}>Send a new code</button>
            {cancel}
          </div>
        </form>
      );

    case 'resetPassword':
      return (
        <form onSubmit={(e) => { const f = fields(e); commands.resetPassword(f['code']!, f['newPassword']!, { signIn: f['signIn'] === 'on' }); }}>
          <p>{view.codeDelivery ? `We sent a code to ${view.codeDelivery.destination}.` : `The password of ${view.username ?? ''} must be reset: ask for a code.`}</p>
          <label>Code <input name="code" inputMode="numeric" autoComplete="one-time-code" required /></label>
          <label>New password <input name="newPassword" type="password" autoComplete="new-password" required /></label>
          <label className="check"><input name="signIn" type="checkbox" defaultChecked /> Sign me in afterwards</label>
          <div className="row">
            <button disabled={view.busy}>Set new password</button>
            <button type="button" className="secondary" disabled={!view.canResend} onClick={commands.resendCode}>Send a new code</button>
            {cancel}
          </div>
        </form>
      );

    case 'signedIn':
      return (
        <section>
          <p>Signed in as <strong>{view.user?.attributes['email'] ?? view.user?.username}</strong>{view.refreshing ? ' (refreshing tokens…)' : ''}.</p>
          <div className="row">
            <button disabled={view.busy} onClick={() => commands.signOut()}>Sign out</button>
            <button className="secondary" disabled={view.busy} onClick={() => commands.signOut({ global: true })}>Sign out everywhere</button>
            <button className="secondary" disabled={view.busy} onClick={commands.setUpTotp}>Add an authenticator app</button>
          </div>
          <Account view={view} />
        </section>
      );

    case 'redirecting':
      return <p className="busy">Taking you to the sign-in page…</p>;

    case 'signingOut':
      return <p className="busy">Signing out…</p>;

    case 'sessionExpired':
    case 'failed':
      return (
        <section>
          <p>{view.route === 'sessionExpired' ? 'The sign-in took too long or the code was wrong too often.' : 'Signing in is not possible right now.'}</p>
          <div className="row"><button onClick={commands.restart}>Start again</button></div>
        </section>
      );

    default:
      return unreachable(view);
  }
}

/** The signed-in user's own account: attributes (and verifying them), the password, deleting the account. */
function Account({ view }: { view: Extract<AuthView, { route: 'signedIn' }> }): ReactNode {
  const { commands } = useAuthContext();
  const pending = view.attributeDelivery;
  return (
    <>
      <h2>Account</h2>
      <div className="row">
        <button className="secondary" disabled={view.busy} onClick={commands.fetchUserAttributes}>Show my attributes</button>
        <button className="secondary" disabled={view.busy} onClick={() => commands.sendAttributeCode('email')}>Verify my e-mail</button>
      </div>
      {view.userAttributes && (
        <dl>
          {Object.entries(view.userAttributes).map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>
                {value}{' '}
                {removable(name) && <button type="button" className="link" aria-label={`Remove ${name}`} disabled={view.busy} onClick={() => commands.deleteUserAttributes([name])}>Remove</button>}
              </dd>
            </div>
          ))}
        </dl>
      )}
      <form onSubmit={(e) => { const f = fields(e); commands.updateUserAttributes({ [f['attribute']!]: f['value']! }); }}>
        <label>Attribute <select name="attribute"><option>email</option><option>name</option><option>nickname</option></select></label>
        <label>New value <input name="value" required /></label>
        <div className="row"><button disabled={view.busy}>Update</button></div>
      </form>
      {pending && (
        <form onSubmit={(e) => commands.verifyAttribute(pending.attributeName, fields(e)['code']!)}>
          <p>We sent a code for {pending.attributeName} to {pending.destination}.</p>
          <label>Verification code <input name="code" inputMode="numeric" autoComplete="one-time-code" required /></label>
          <div className="row"><button disabled={view.busy}>Verify</button></div>
        </form>
      )}
      <form onSubmit={(e) => { const f = fields(e); commands.changePassword(f['oldPassword']!, f['newPassword']!); e.currentTarget.reset(); }}>
        <label>Current password <input name="oldPassword" type="password" autoComplete="current-password" required /></label>
        <label>New password <input name="newPassword" type="password" autoComplete="new-password" required /></label>
        <div className="row"><button disabled={view.busy}>Change password</button></div>
      </form>
      <h2>Passkeys</h2>
      <div className="row">
        <button className="secondary" disabled={view.busy} onClick={commands.registerPasskey}>Add a passkey</button>
        <button className="secondary" disabled={view.busy} onClick={() => commands.listPasskeys()}>Show my passkeys</button>
      </div>
      {view.passkeys && (
        <ul>
          {view.passkeys.map((p) => (
            <li key={p.credentialId}>
              {p.friendlyName ?? 'Passkey'} <button className="secondary" disabled={view.busy} onClick={() => commands.deletePasskey(p.credentialId)}>Remove</button>
            </li>
          ))}
        </ul>
      )}
      {view.passkeysNextToken && <button className="secondary" onClick={() => commands.listPasskeys(view.passkeysNextToken!)}>More</button>}
      <h2>Devices</h2>
      <p>{view.deviceStatus === 'remembered' ? 'This browser is remembered.' : view.deviceStatus === 'notRemembered' ? 'This browser is not remembered.' : 'Is this browser remembered? Show your devices.'}</p>
      <div className="row">
        {view.deviceStatus === 'notRemembered' && <button className="secondary" disabled={view.busy} onClick={commands.rememberDevice}>Remember this browser</button>}
        <button className="secondary" disabled={view.busy} onClick={() => commands.fetchDevices()}>Show my devices</button>
      </div>
      {view.devices && (
        <ul>
          {view.devices.map((d) => (
            <li key={d.id}>
              {d.name ?? 'Device'}{d.current ? ' (this browser)' : ''} <button className="secondary" disabled={view.busy} onClick={() => commands.forgetDevice(d.id)}>Forget</button>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <button className="secondary" disabled={view.busy} onClick={() => confirm('Delete your account for good?') && commands.deleteUser()}>Delete my account</button>
      </div>
    </>
  );
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

createRoot(document.getElementById('root')!).render(
  <AuthProvider auth={auth}>
    <App />
  </AuthProvider>,
);
