// The demo page `npm start` serves from the local pool: the sign-in UI for every step (authchart/react),
// the live statechart with the active states highlighted, the pool's outbox, and the demo users.
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { useSelector } from '@xstate/react';
import { createAuth, webStorage, type Auth, type AuthView, type FirstFactor, type MfaType, type ViewError } from '../index.js';
import { useAuth } from '../frameworks/react.js';
import chartSvg from '../../visualizations/auth.svg';
import seed from '../../seeds/demo.json' with { type: 'json' };

interface SeedUser {
  username: string;
  password?: string;
  temporaryPassword?: string;
  description?: string;
  totpSecret?: string;
}
interface SeedPool {
  id: string;
  name: string;
  clients?: Array<{ id: string; name: string }>;
  users?: SeedUser[];
  /** The hosted UI's domain prefix, and the external providers it offers. */
  domain?: string;
  identityProviders?: Array<{ name: string; standIn?: { name: string } }>;
}
const pools = (seed as { pools: SeedPool[] }).pools.filter((p) => p.clients?.length);
const endpoint = window.location.origin;

function App(): ReactNode {
  const [poolId, setPoolId] = useState(pools[0]!.id);
  const pool = pools.find((p) => p.id === poolId)!;
  const [prefill, setPrefill] = useState<{ username: string; password: string } | null>(null);
  const auth = useMemo(() => {
    const clientId = pool.clients![0]!.id;
    return createAuth({
      userPoolId: pool.id,
      clientId,
      endpoint,
      storage: webStorage(window.sessionStorage),
      resume: webStorage(window.sessionStorage),
      totpIssuer: 'authchart demo',
      // the pool's hosted UI, where the demo seed gives it a domain (the demo client's callback is this page)
      ...(pool.domain ? { oauth: { domain: `${endpoint}/_domain/${pool.domain}`, redirectSignIn: `${endpoint}/`, redirectSignOut: `${endpoint}/` } } : {}),
    });
  }, [pool]);
  useEffect(() => () => auth.stop(), [auth]);

  return (
    <>
      <header>
        <h1>authchart</h1>
        <span className="muted">Cognito sign-in as one statechart · local pool at {endpoint}</span>
        <select aria-label="user pool" value={poolId} onChange={(e) => setPoolId(e.target.value)}>
          {pools.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.id})
            </option>
          ))}
        </select>
      </header>
      <main>
        <div className="column">
          <section aria-label="sign-in">
            <h2>Sign in</h2>
            <SignIn auth={auth} prefill={prefill} pool={pool} />
          </section>
          <Users pool={pool} onPick={setPrefill} />
        </div>
        <div className="column">
          <Chart auth={auth} />
          <Outbox poolId={pool.id} />
        </div>
      </main>
    </>
  );
}

// ---------- the sign-in UI: one form per route ----------

function SignIn({ auth, prefill, pool }: { auth: Auth; prefill: { username: string; password: string } | null; pool: SeedPool }): ReactNode {
  const { view, commands } = useAuth(auth);
  // An error about a field this screen shows goes next to that field; any other error goes on top.
  const inline = view.error?.field !== undefined && INLINE_FIELDS[view.route]?.includes(view.error.field);
  return (
    <div data-route={view.route}>
      {view.signInStep && <div className="step">next step: {view.signInStep}</div>}
      {view.error && !inline && (
        <p className="error" role="alert">
          {view.error.message} <span className="mono">({view.error.code})</span>
        </p>
      )}
      <Step key={view.route} view={view} commands={commands} prefill={prefill} />
      {view.route === 'signIn' && pool.domain && (
        <div className="row" aria-label="hosted UI">
          <button type="button" className="secondary" disabled={view.busy} onClick={() => commands.signInWithRedirect()}>
            Continue with the hosted UI
          </button>
          {(pool.identityProviders ?? []).map((provider) => (
            <button key={provider.name} type="button" className="secondary" disabled={view.busy} onClick={() => commands.signInWithRedirect({ provider: provider.name })}>
              Continue with {provider.standIn?.name ?? provider.name}
            </button>
          ))}
        </div>
      )}
      {view.canCancel && (
        <p>
          <button type="button" className="secondary" onClick={commands.cancel}>
            Cancel
          </button>
        </p>
      )}
    </div>
  );
}

/** The error fields each screen shows next to an input (see FieldError). */
const INLINE_FIELDS: Partial<Record<AuthView['route'], readonly string[]>> = {
  signUp: ['username', 'password', 'attributes'],
  confirmSignUp: ['code'],
  resetPassword: ['code', 'password', 'newPassword'],
  signedIn: ['attributes', 'attributeName', 'code', 'oldPassword', 'password', 'newPassword'],
  password: ['password'],
};

/** The error's message under the input it is about (`error.field`), announced to screen readers. */
function FieldError({ error, field, id }: { error: ViewError | null; field: string | readonly string[]; id: string }): ReactNode {
  const fields: readonly string[] = typeof field === 'string' ? [field] : field;
  if (!error?.field || !fields.includes(error.field)) return null;
  return (
    <span className="field-error" id={id} role="alert">
      {error.message} <span className="mono">({error.code})</span>
    </span>
  );
}

/** aria-invalid / aria-describedby for an input that FieldError may describe. */
function invalid(error: ViewError | null, field: string | readonly string[], id: string) {
  const fields: readonly string[] = typeof field === 'string' ? [field] : field;
  return error?.field && fields.includes(error.field) ? { 'aria-invalid': true, 'aria-describedby': id } : {};
}

type Commands = ReturnType<typeof useAuth>['commands'];

function Step({ view, commands, prefill }: { view: AuthView; commands: Commands; prefill: { username: string; password: string } | null }): ReactNode {
  switch (view.route) {
    case 'checkingSession':
      return <p>Checking for a stored session…</p>;
    case 'signIn':
      return <SignInScreen view={view} commands={commands} prefill={prefill} />;
    case 'firstFactorSelection':
      return (
        <>
          <p>Choose how to sign in as <strong>{view.username}</strong>:</p>
          <div className="row">
            {view.availableFactors.map((factor) => (
              <button key={factor} type="button" disabled={view.busy} onClick={() => commands.selectFirstFactor(factor)}>
                {FACTOR_LABELS[factor]}
              </button>
            ))}
          </div>
        </>
      );
    case 'customChallenge':
      return <CustomChallengeForm busy={view.busy} parameters={view.parameters} onSubmit={commands.answerChallenge} />;
    case 'password':
      return <PasswordForm busy={view.busy} error={view.error} onSubmit={commands.submitPassword} />;
    case 'passkey':
      return (
        <>
          <p>{view.prompting ? 'Confirm with your passkey in the browser’s prompt…' : 'Your passkey prompt is ready.'}</p>
          <div className="row">
            <button
              type="button"
              disabled={view.busy}
              onClick={() => {
                rememberPasskeyUser(view.username ?? undefined);
                commands.startPasskey();
              }}
            >
              Sign in with a passkey
            </button>
            {!view.prompting &&
              (['EMAIL_OTP', 'SMS_OTP'] as const).map((factor) => (
                <button key={factor} type="button" className="secondary" onClick={() => commands.selectFirstFactor(factor)}>
                  {FACTOR_LABELS[factor]} instead
                </button>
              ))}
          </div>
        </>
      );
    case 'newPassword':
      return <NewPasswordForm busy={view.busy} missing={view.missingAttributes} onSubmit={commands.submitNewPassword} />;
    case 'smsCode':
    case 'emailCode':
      return (
        <>
          <p>
            Code sent by {view.codeDelivery?.deliveryMedium} to <span className="mono">{view.codeDelivery?.destination}</span> (see the outbox).
          </p>
          <CodeForm busy={view.busy} label="Code" onSubmit={commands.submitCode} />
          {view.canResend && (
            <button type="button" className="secondary" disabled={view.busy} onClick={commands.resendCode}>
              Send a new code
            </button>
          )}
        </>
      );
    case 'totpCode':
      return <CodeForm busy={view.busy} label="Code from your authenticator app" onSubmit={commands.submitCode} />;
    case 'mfaSelection':
    case 'mfaSetupSelection':
      return (
        <>
          <p>{view.route === 'mfaSelection' ? 'Choose how to confirm it is you:' : 'Your account needs MFA. Set up:'}</p>
          <div className="row">
            {view.allowedMfaTypes.map((type: MfaType) => (
              <button key={type} type="button" disabled={view.busy} onClick={() => commands.selectMfaType(type)}>
                {type}
              </button>
            ))}
          </div>
        </>
      );
    case 'totpSetup':
      if (!view.totpSetup) {
        return view.canRetry ? (
          <button type="button" onClick={commands.retry}>
            Try again
          </button>
        ) : (
          <p>Preparing your authenticator key…</p>
        );
      }
      return (
        <>
          <p>Scan with an authenticator app, or enter the key:</p>
          <div className="qr" dangerouslySetInnerHTML={{ __html: view.totpSetup.qrCodeSvg }} />
          <p>
            <code data-testid="totp-secret">{view.totpSetup.sharedSecret}</code>
          </p>
          <CodeForm busy={view.busy} label="Code from your authenticator app" onSubmit={commands.submitCode} />
        </>
      );
    case 'emailMfaSetup':
      return <EmailForm busy={view.busy} onSubmit={commands.submitEmail} />;
    case 'signUp':
      return <SignUpForm view={view} onSubmit={commands.signUp} />;
    case 'confirmSignUp':
      return (
        <>
          <p>
            {view.codeDelivery ? (
              <>
                Confirmation code for <strong>{view.username}</strong> sent by {view.codeDelivery.deliveryMedium} to{' '}
                <span className="mono">{view.codeDelivery.destination}</span> (see the outbox).
              </>
            ) : (
              <>
                The account <strong>{view.username}</strong> is not confirmed yet: ask for a confirmation code.
              </>
            )}
          </p>
          <CodeForm busy={view.busy} label="Confirmation code" error={view.error} onSubmit={commands.confirmSignUp} />
          {view.canResend && (
            <button type="button" className="secondary" disabled={view.busy} onClick={commands.resendCode}>
              Send a new code
            </button>
          )}
        </>
      );
    case 'resetPassword':
      return <ResetPasswordForm view={view} commands={commands} />;
    case 'signedIn':
      return (
        <>
          <p>
            Signed in as <strong data-testid="signed-in-user">{view.user?.username}</strong>
            {view.refreshing && <span className="muted"> (refreshing tokens…)</span>}
          </p>
          <table>
            <tbody>
              {Object.entries(view.user?.attributes ?? {}).map(([name, value]) => (
                <tr key={name}>
                  <th>{name}</th>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <button type="button" disabled={view.busy} onClick={() => commands.signOut()}>
              Sign out
            </button>
            <button type="button" className="secondary" disabled={view.busy} onClick={() => commands.signOut({ global: true })}>
              Sign out everywhere
            </button>
            <button type="button" className="secondary" disabled={view.busy} onClick={commands.setUpTotp}>
              Add an authenticator app
            </button>
          </div>
          <Account view={view} commands={commands} />
        </>
      );
    case 'redirecting':
      return <p>Taking you to the sign-in page…</p>;
    case 'signingOut':
      return <p>Signing out…</p>;
    case 'sessionExpired':
    case 'failed':
      return (
        <button type="button" onClick={commands.restart}>
          Start again
        </button>
      );
  }
}

const FACTOR_LABELS: Readonly<Record<FirstFactor, string>> = {
  PASSWORD: 'Password',
  PASSWORD_SRP: 'Password (SRP)',
  EMAIL_OTP: 'A code by e-mail',
  SMS_OTP: 'A code by text message',
  WEB_AUTHN: 'A passkey',
};

type Flow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'USER_AUTH' | 'CUSTOM_WITHOUT_SRP' | 'CUSTOM_WITH_SRP';

function CredentialsForm(props: {
  busy: boolean;
  username: string | null;
  prefill: { username: string; password: string } | null;
  onSubmit: (u: string, p: string, flow: Flow, factor: FirstFactor | '') => void;
}): ReactNode {
  const [username, setUsername] = useState(props.username ?? '');
  const [password, setPassword] = useState('');
  const [flow, setFlow] = useState<Flow>('USER_SRP_AUTH');
  const [factor, setFactor] = useState<FirstFactor | ''>('');
  // A username the chart kept (after a sign-up or a failed attempt) wins over an earlier pick from the demo users.
  const mounted = useRef(false);
  useEffect(() => {
    const first = !mounted.current;
    mounted.current = true;
    if (first && props.username) return;
    if (props.prefill) {
      setUsername(props.prefill.username);
      setPassword(props.prefill.password);
    }
  }, [props.prefill]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit(username, password, flow, factor);
    setPassword('');
  };
  return (
    <form onSubmit={submit}>
      <label>
        Username
        <input name="username" autoComplete="username webauthn" value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <label>
        Flow
        <select name="flow" value={flow} onChange={(e) => setFlow(e.target.value as typeof flow)}>
          <option value="USER_SRP_AUTH">USER_SRP_AUTH (SRP, the default)</option>
          <option value="USER_PASSWORD_AUTH">USER_PASSWORD_AUTH</option>
          <option value="USER_AUTH">USER_AUTH (choice-based: passwordless or password)</option>
          <option value="CUSTOM_WITHOUT_SRP">CUSTOM_WITHOUT_SRP (the pool's Lambda challenge)</option>
          <option value="CUSTOM_WITH_SRP">CUSTOM_WITH_SRP (password, then the Lambda challenge)</option>
        </select>
      </label>
      {flow === 'USER_AUTH' && (
        <label>
          Preferred first factor
          <select name="factor" value={factor} onChange={(e) => setFactor(e.target.value as FirstFactor | '')}>
            <option value="">none: let Cognito offer the choice</option>
            {(Object.keys(FACTOR_LABELS) as FirstFactor[]).map((f) => (
              <option key={f} value={f}>
                {f} — {FACTOR_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" disabled={props.busy}>
        {props.busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

function CustomChallengeForm(props: { busy: boolean; parameters: Readonly<Record<string, string>>; onSubmit: (answer: string) => void }): ReactNode {
  const [answer, setAnswer] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(answer);
      }}
    >
      <table>
        <tbody>
          {Object.entries(props.parameters).map(([name, value]) => (
            <tr key={name}>
              <th>{name}</th>
              <td data-testid={`challenge-${name}`}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <label>
        Answer
        <input name="answer" autoComplete="off" value={answer} onChange={(e) => setAnswer(e.target.value)} />
      </label>
      <button type="submit" disabled={props.busy}>
        Answer
      </button>
    </form>
  );
}

function PasswordForm(props: { busy: boolean; error: ViewError | null; onSubmit: (password: string) => void }): ReactNode {
  const [password, setPassword] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(password);
      }}
    >
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} {...invalid(props.error, 'password', 'password-error')} />
      </label>
      <FieldError error={props.error} field="password" id="password-error" />
      <button type="submit" disabled={props.busy}>
        Continue
      </button>
    </form>
  );
}

function NewPasswordForm(props: { busy: boolean; missing: readonly string[]; onSubmit: (password: string, attributes: Record<string, string>) => void }): ReactNode {
  const [password, setPassword] = useState('');
  const [attributes, setAttributes] = useState<Record<string, string>>({});
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(password, attributes);
      }}
    >
      <label>
        New password
        <input name="newPassword" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {props.missing.map((name) => (
        <label key={name}>
          {name}
          <input name={`attribute-${name}`} value={attributes[name] ?? ''} onChange={(e) => setAttributes({ ...attributes, [name]: e.target.value })} />
        </label>
      ))}
      <button type="submit" disabled={props.busy}>
        Set password
      </button>
    </form>
  );
}

function CodeForm(props: { busy: boolean; label: string; error?: ViewError | null; onSubmit: (code: string) => void }): ReactNode {
  const [code, setCode] = useState('');
  const error = props.error ?? null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(code);
        setCode('');
      }}
    >
      <label>
        {props.label}
        <input
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          {...invalid(error, 'code', 'code-error')}
        />
      </label>
      <FieldError error={error} field="code" id="code-error" />
      <button type="submit" disabled={props.busy}>
        Confirm
      </button>
    </form>
  );
}

function EmailForm(props: { busy: boolean; onSubmit: (email: string) => void }): ReactNode {
  const [email, setEmail] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(email);
      }}
    >
      <label>
        E-mail address for MFA codes
        <input name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <button type="submit" disabled={props.busy}>
        Send code
      </button>
    </form>
  );
}

// ---------- accounts: sign-up, password reset, the signed-in user's account ----------

type ViewOf<R extends AuthView['route']> = Extract<AuthView, { route: R }>;

/** The demo remembers who last used a passkey on this device, for passkey autofill (the chart keeps no such list). */
const PASSKEY_USER = 'authchart.demo.passkeyUser';
const rememberPasskeyUser = (username: string | undefined) => {
  if (username) window.localStorage.setItem(PASSKEY_USER, username);
};

function SignInScreen({ view, commands, prefill }: { view: ViewOf<'signIn'>; commands: Commands; prefill: { username: string; password: string } | null }): ReactNode {
  const [forgot, setForgot] = useState(false);
  // Passkey autofill: the remembered user's passkey is offered in the username field while the form stays usable.
  useEffect(() => {
    const remembered = window.localStorage.getItem(PASSKEY_USER);
    if (remembered && !view.passkeyAutofill && !view.busy && !view.error) commands.autofillPasskey(remembered);
  }, []);
  const [username, setUsername] = useState(view.username ?? '');
  if (forgot) {
    return (
      <form
        aria-label="forgot password"
        onSubmit={(e) => {
          e.preventDefault();
          commands.forgotPassword(username);
        }}
      >
        <p>We send a code to the e-mail address or phone number of the account.</p>
        <label>
          Username
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <div className="row">
          <button type="submit" disabled={view.busy}>
            Send a reset code
          </button>
          <button type="button" className="secondary" onClick={() => setForgot(false)}>
            Back to sign-in
          </button>
        </div>
      </form>
    );
  }
  return (
    <>
      <CredentialsForm
        busy={view.busy}
        username={view.username}
        prefill={prefill}
        onSubmit={(username, password, flow, factor) =>
          flow === 'USER_AUTH'
            ? commands.signInWithChoice(username, { ...(factor ? { preferredFirstFactor: factor } : {}), ...(password ? { password } : {}) })
            : flow === 'CUSTOM_WITHOUT_SRP'
              ? commands.signInWithCustomChallenge(username)
              : commands.signIn(username, password, flow)
        }
      />
      <div className="row links">
        <button type="button" className="link" disabled={view.busy} onClick={commands.startSignUp}>
          Create an account
        </button>
        <button type="button" className="link" disabled={view.busy} onClick={() => setForgot(true)}>
          Forgot password?
        </button>
      </div>
    </>
  );
}

function SignUpForm({ view, onSubmit }: { view: ViewOf<'signUp'>; onSubmit: Commands['signUp'] }): ReactNode {
  const [values, setValues] = useState({ username: view.username ?? '', password: '', email: '', phone_number: '', name: '' });
  const [autoSignIn, setAutoSignIn] = useState(true);
  const set = (name: keyof typeof values) => (e: { target: { value: string } }) => setValues({ ...values, [name]: e.target.value });
  const { error } = view;
  return (
    <form
      aria-label="sign up"
      onSubmit={(e) => {
        e.preventDefault();
        const { username, password, ...rest } = values;
        const attributes = Object.fromEntries(Object.entries(rest).filter(([, v]) => v.trim() !== ''));
        onSubmit(username, password, { attributes, autoSignIn });
        setValues({ ...values, password: '' });
      }}
    >
      <label>
        Username
        <input name="username" autoComplete="username" value={values.username} onChange={set('username')} {...invalid(error, 'username', 'signup-username-error')} />
      </label>
      <FieldError error={error} field="username" id="signup-username-error" />
      <label>
        Password
        <input name="password" type="password" autoComplete="new-password" value={values.password} onChange={set('password')} {...invalid(error, 'password', 'signup-password-error')} />
      </label>
      <FieldError error={error} field="password" id="signup-password-error" />
      <label>
        E-mail
        <input name="email" type="email" autoComplete="email" value={values.email} onChange={set('email')} {...invalid(error, 'attributes', 'signup-attributes-error')} />
      </label>
      <label>
        Phone number (optional, +15551234567)
        <input name="phone_number" type="tel" autoComplete="tel" value={values.phone_number} onChange={set('phone_number')} />
      </label>
      <label>
        Name
        <input name="name" autoComplete="name" value={values.name} onChange={set('name')} {...invalid(error, 'attributes', 'signup-attributes-error')} />
      </label>
      <FieldError error={error} field="attributes" id="signup-attributes-error" />
      <label className="check">
        <input type="checkbox" name="autoSignIn" checked={autoSignIn} onChange={(e) => setAutoSignIn(e.target.checked)} />
        Sign me in once the account is confirmed
      </label>
      <button type="submit" disabled={view.busy}>
        {view.busy ? 'Creating…' : 'Create account'}
      </button>
    </form>
  );
}

function ResetPasswordForm({ view, commands }: { view: ViewOf<'resetPassword'>; commands: Commands }): ReactNode {
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [signIn, setSignIn] = useState(true);
  const { error, codeDelivery } = view;
  return (
    <>
      <p>
        {codeDelivery ? (
          <>
            Reset code for <strong>{view.username}</strong> sent by {codeDelivery.deliveryMedium} to <span className="mono">{codeDelivery.destination}</span> (see the
            outbox).
          </>
        ) : view.busy ? (
          <>Sending a reset code for {view.username}…</>
        ) : (
          <>
            The password of <strong>{view.username}</strong> must be reset: ask for a code.
          </>
        )}
      </p>
      <form
        aria-label="reset password"
        onSubmit={(e) => {
          e.preventDefault();
          commands.resetPassword(code, password, { signIn });
          setPassword('');
        }}
      >
        <label>
          Code
          <input name="code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} {...invalid(error, 'code', 'reset-code-error')} />
        </label>
        <FieldError error={error} field="code" id="reset-code-error" />
        <label>
          New password
          <input
            name="newPassword"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            {...invalid(error, ['password', 'newPassword'], 'reset-password-error')}
          />
        </label>
        <FieldError error={error} field={['password', 'newPassword']} id="reset-password-error" />
        <label className="check">
          <input type="checkbox" name="signIn" checked={signIn} onChange={(e) => setSignIn(e.target.checked)} />
          Sign me in afterwards
        </label>
        <button type="submit" disabled={view.busy}>
          Set new password
        </button>
      </form>
      {view.canResend && (
        <button type="button" className="secondary" disabled={view.busy} onClick={commands.resendCode}>
          Send a new code
        </button>
      )}
    </>
  );
}

/** The signed-in user's account: attributes, their verification, the password, deleting the account. */
function Account({ view, commands }: { view: ViewOf<'signedIn'>; commands: Commands }): ReactNode {
  const { error, busy, userAttributes, attributeDelivery } = view;
  const [pending, setPending] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [update, setUpdate] = useState({ name: 'email', value: '' });
  const [verifyName, setVerifyName] = useState('email');
  const [code, setCode] = useState('');
  const [passwords, setPasswords] = useState({ old: '', new: '' });
  const [confirmDelete, setConfirmDelete] = useState(false);
  // One notice when an operation ends without an error.
  useEffect(() => {
    if (busy || !pending) return;
    setNotice(error ? null : pending);
    setPending(null);
  }, [busy, error]);
  const run = (done: string, action: () => void) => {
    setNotice(null);
    setPending(done);
    action();
  };
  return (
    <section className="account" aria-label="account">
      <h3>Account</h3>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <div className="row">
        <button type="button" className="secondary" disabled={busy} onClick={() => run('Attributes loaded.', commands.fetchUserAttributes)}>
          {userAttributes ? 'Reload my attributes' : 'Show my attributes'}
        </button>
      </div>
      {userAttributes && (
        <table data-testid="user-attributes">
          <tbody>
            {Object.entries(userAttributes).map(([name, value]) => (
              <tr key={name}>
                <th>{name}</th>
                <td>{value}</td>
              </tr>
            ))}
            {view.mfaPreference && (
              <tr>
                <th>MFA</th>
                <td>
                  {view.mfaPreference.enabled.join(', ') || 'none'}
                  {view.mfaPreference.preferred && ` (preferred ${view.mfaPreference.preferred})`}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}

      <form
        aria-label="update an attribute"
        onSubmit={(e) => {
          e.preventDefault();
          run(`${update.name} updated.`, () => commands.updateUserAttributes({ [update.name]: update.value }));
        }}
      >
        <h4>Update an attribute</h4>
        <div className="row">
          <label>
            Attribute
            <select name="attributeName" value={update.name} onChange={(e) => setUpdate({ ...update, name: e.target.value })}>
              <option value="email">email</option>
              <option value="name">name</option>
            </select>
          </label>
          <label className="grow">
            New value
            <input name="attributeValue" value={update.value} onChange={(e) => setUpdate({ ...update, value: e.target.value })} {...invalid(error, 'attributes', 'update-error')} />
          </label>
        </div>
        <FieldError error={error} field="attributes" id="update-error" />
        <button type="submit" disabled={busy}>
          Update
        </button>
      </form>

      <div className="subform">
        <h4>Verify an attribute</h4>
        <div className="row">
          <label>
            Attribute to verify
            <select name="verifyName" value={verifyName} onChange={(e) => setVerifyName(e.target.value)} {...invalid(error, 'attributeName', 'verify-name-error')}>
              <option value="email">email</option>
              <option value="phone_number">phone_number</option>
            </select>
          </label>
          <button type="button" className="secondary" disabled={busy} onClick={() => run(`Code sent for ${verifyName}.`, () => commands.sendAttributeCode(verifyName))}>
            Send a verification code
          </button>
        </div>
        <FieldError error={error} field="attributeName" id="verify-name-error" />
        {attributeDelivery && (
          <form
            aria-label="verify an attribute"
            onSubmit={(e) => {
              e.preventDefault();
              run(`${attributeDelivery.attributeName} verified.`, () => commands.verifyAttribute(attributeDelivery.attributeName, code));
              setCode('');
            }}
          >
            <p>
              Code for <strong>{attributeDelivery.attributeName}</strong> sent by {attributeDelivery.deliveryMedium} to{' '}
              <span className="mono">{attributeDelivery.destination}</span> (see the outbox).
            </p>
            <label>
              Verification code
              <input name="attributeCode" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} {...invalid(error, 'code', 'verify-code-error')} />
            </label>
            <FieldError error={error} field="code" id="verify-code-error" />
            <button type="submit" disabled={busy}>
              Verify
            </button>
          </form>
        )}
      </div>

      <form
        aria-label="change password"
        onSubmit={(e) => {
          e.preventDefault();
          run('Password changed.', () => commands.changePassword(passwords.old, passwords.new));
          setPasswords({ old: '', new: '' });
        }}
      >
        <h4>Change password</h4>
        <label>
          Current password
          <input
            name="oldPassword"
            type="password"
            autoComplete="current-password"
            value={passwords.old}
            onChange={(e) => setPasswords({ ...passwords, old: e.target.value })}
            {...invalid(error, 'oldPassword', 'old-password-error')}
          />
        </label>
        <FieldError error={error} field="oldPassword" id="old-password-error" />
        <label>
          New password
          <input
            name="newPassword"
            type="password"
            autoComplete="new-password"
            value={passwords.new}
            onChange={(e) => setPasswords({ ...passwords, new: e.target.value })}
            {...invalid(error, ['password', 'newPassword'], 'new-password-error')}
          />
        </label>
        <FieldError error={error} field={['password', 'newPassword']} id="new-password-error" />
        <button type="submit" disabled={busy}>
          Change password
        </button>
      </form>

      <div className="subform" aria-label="passkeys">
        <h4>Passkeys</h4>
        <div className="row">
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              rememberPasskeyUser(view.user?.signInDetails?.loginId ?? view.user?.username);
              run('Passkey added.', commands.registerPasskey);
            }}
          >
            Add a passkey
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => run('Passkeys loaded.', () => commands.listPasskeys())}>
            {view.passkeys ? 'Reload my passkeys' : 'Show my passkeys'}
          </button>
        </div>
        {view.passkeys && (
          <ul data-testid="passkeys">
            {view.passkeys.length === 0 && <li className="muted">No passkeys yet.</li>}
            {view.passkeys.map((passkey) => (
              <li key={passkey.credentialId}>
                <span>{passkey.friendlyName ?? 'Passkey'}</span> <span className="muted">added {new Date(passkey.createdAt).toLocaleString()}</span>{' '}
                <button type="button" className="secondary" disabled={busy} onClick={() => run('Passkey removed.', () => commands.deletePasskey(passkey.credentialId))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        {view.passkeysNextToken && (
          <button type="button" className="secondary" disabled={busy} onClick={() => commands.listPasskeys(view.passkeysNextToken ?? undefined)}>
            More passkeys
          </button>
        )}
      </div>

      <div className="subform">
        <h4>Delete account</h4>
        {confirmDelete ? (
          <div role="group" aria-label="confirm deletion">
            <p>
              This deletes <strong>{view.user?.username}</strong> and signs you out. It cannot be undone.
            </p>
            <div className="row">
              <button type="button" className="danger" disabled={busy} onClick={commands.deleteUser}>
                Yes, delete my account
              </button>
              <button type="button" className="secondary" onClick={() => setConfirmDelete(false)}>
                Keep my account
              </button>
            </div>
          </div>
        ) : (
          <button type="button" className="secondary" disabled={busy} onClick={() => setConfirmDelete(true)}>
            Delete my account…
          </button>
        )}
      </div>
    </section>
  );
}

// ---------- the live statechart ----------

/** Ids of the active state nodes (the SVG's element ids), from a state value. */
function activeIds(value: unknown, prefix = 'auth'): string[] {
  if (typeof value === 'string') return [prefix, `${prefix}.${value}`];
  if (!value || typeof value !== 'object') return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, child]) => activeIds(child, `${prefix}.${key}`))];
}

function Chart({ auth }: { auth: Auth }): ReactNode {
  const value = useSelector(auth.actor, (s) => s.value);
  const tags = useSelector(auth.actor, (s) => [...s.tags].sort().join(', '));
  const box = useRef<HTMLDivElement>(null);
  const ids = activeIds(value);
  useEffect(() => {
    const root = box.current;
    if (!root) return;
    root.querySelectorAll('.active').forEach((el) => el.classList.remove('active'));
    let deepest: Element | null = null;
    for (const id of ids) {
      const el = root.querySelector(`[id="${id}"]`);
      el?.classList.add('active');
      deepest = el ?? deepest;
    }
    // Scroll the chart (not the page) so the current state is in view.
    if (deepest) {
      const box = deepest.getBoundingClientRect();
      const frame = root.getBoundingClientRect();
      root.scrollBy({ left: box.left - frame.left - frame.width / 2 + box.width / 2, top: box.top - frame.top - frame.height / 2 + box.height / 2, behavior: 'smooth' });
    }
  }, [ids.join('|')]);
  return (
    <section aria-label="statechart">
      <h2>Live statechart</h2>
      <div className="state-line" data-testid="state-value">
        {ids.reduce((deepest, id) => (id.split('.').length > deepest.split('.').length ? id : deepest), '')}
        {tags && <span className="badge">{tags}</span>}
      </div>
      <div className="chart" ref={box} dangerouslySetInnerHTML={{ __html: chartSvg }} />
    </section>
  );
}

// ---------- the outbox and the demo users ----------

interface OutboxMessage {
  id?: number;
  createdAt: number;
  medium: string;
  destination: string;
  username?: string;
  message: string;
  code?: string;
}

function Outbox({ poolId }: { poolId: string }): ReactNode {
  const [messages, setMessages] = useState<OutboxMessage[]>([]);
  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const response = await fetch(`/_local/outbox?userPoolId=${encodeURIComponent(poolId)}`);
        if (response.ok && !stopped) {
          const body = (await response.json()) as { messages?: OutboxMessage[] } | OutboxMessage[];
          setMessages((Array.isArray(body) ? body : (body.messages ?? [])).slice(-8).reverse());
        }
      } catch {
        // the pool may be restarting
      }
    };
    void load();
    const timer = setInterval(load, 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [poolId]);
  return (
    <section aria-label="outbox">
      <h2>Outbox — what the pool "sent"</h2>
      {messages.length === 0 ? (
        <p className="muted">No SMS or e-mail yet.</p>
      ) : (
        <table>
          <tbody>
            {messages.map((m, i) => (
              <tr key={m.id ?? i}>
                <td>{new Date(m.createdAt).toLocaleTimeString()}</td>
                <td>
                  {m.medium} to <span className="mono">{m.destination}</span>
                </td>
                <td>
                  {m.message} {m.code && <strong data-testid="outbox-code">{m.code}</strong>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Users({ pool, onPick }: { pool: SeedPool; onPick: (p: { username: string; password: string }) => void }): ReactNode {
  const [totp, setTotp] = useState<Record<string, string>>({});
  const showTotp = async (username: string) => {
    const response = await fetch(`/_local/totp?userPoolId=${encodeURIComponent(pool.id)}&username=${encodeURIComponent(username)}`);
    const body = (await response.json()) as { code?: string };
    if (body.code) setTotp({ ...totp, [username]: body.code });
  };
  return (
    <section aria-label="demo users">
      <h2>Demo users (click to fill the form)</h2>
      <table>
        <tbody>
          {(pool.users ?? []).map((u) => {
            const password = u.temporaryPassword ?? u.password ?? '';
            return (
              <tr key={u.username} className="user" onClick={() => onPick({ username: u.username, password })}>
                <td>
                  <strong>{u.username}</strong>
                  <div className="mono">{password}</div>
                </td>
                <td>
                  {u.description}
                  {u.totpSecret && (
                    <div>
                      <button
                        type="button"
                        className="secondary"
                        onClick={(e) => {
                          e.stopPropagation();
                          void showTotp(u.username);
                        }}
                      >
                        Current TOTP code
                      </button>{' '}
                      <span className="mono">{totp[u.username]}</span>
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
