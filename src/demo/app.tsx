// The demo page `npm start` serves from the local pool: a sign-in UI for every step (authchart/react),
// the live statechart, the pool's outbox, and the demo users. Forms: forms.tsx; the signed-in account:
// account.tsx; the statechart panel: chart.tsx; what only a local pool has: tools.tsx; words: copy.ts.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { useSelector } from '@xstate/react';
import { createAuth, webStorage, type Auth, type AuthView, type MfaType } from '../index.js';
import { useAuth } from '../frameworks/react.js';
import { Account } from './account.js';
import { Chart } from './chart.js';
import { FACTOR_LABELS, MFA_HINTS, MFA_LABELS, STEP_COPY } from './copy.js';
import {
  CodeForm,
  CredentialsForm,
  CustomChallengeForm,
  deliveryWords,
  EmailForm,
  INLINE_FIELDS,
  NewPasswordForm,
  OneFieldForm,
  PasswordForm,
  PasswordRules,
  ResetPasswordForm,
  SignUpForm,
} from './forms.js';
import { passwordRules, pools, type SeedPool } from './seed.js';
import { Outbox, PASSKEY_USER, ResetNotice, TotpHelper, Users } from './tools.js';

const endpoint = window.location.origin;
type Prefill = { username: string; password: string } | null;

function App(): ReactNode {
  const [poolId, setPoolId] = useState(pools[0]!.id);
  const pool = pools.find((p) => p.id === poolId)!;
  const [prefill, setPrefill] = useState<Prefill>(null);
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
    <PasswordRules.Provider value={passwordRules(pool)}>
      <header>
        <div className="brand">
          <h1>authchart</h1>
          <span className="tagline">Cognito sign-in as one statechart, against a local pool at {endpoint}</span>
        </div>
        <div className="pool-picker">
          <label htmlFor="pool-select">User pool</label>
          <select id="pool-select" value={poolId} onChange={(e) => setPoolId(e.target.value)}>
            {pools.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.id})
              </option>
            ))}
          </select>
        </div>
      </header>
      <main>
        <div className="column">
          <ResetNotice />
          <SignInPanel key={pool.id} auth={auth} prefill={prefill} pool={pool} />
          <Users pool={pool} onPick={setPrefill} />
        </div>
        <div className="column">
          <ChartPanel auth={auth} />
          <Outbox poolId={pool.id} />
        </div>
      </main>
    </PasswordRules.Provider>
  );
}

function ChartPanel({ auth }: { auth: Auth }): ReactNode {
  const { view } = useAuth(auth);
  return <Chart auth={auth} view={view} />;
}

/** After an MFA enrolment (at sign-in or from the account) ends signed in: what is set up now, and what is left to do. */
function useEnrolmentNotice(view: AuthView): string | null {
  const enrolling = useRef<'TOTP at sign-in' | 'TOTP in the account' | 'EMAIL' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (view.route === 'totpSetup') enrolling.current = view.duringSignIn ? 'TOTP at sign-in' : 'TOTP in the account';
    else if (view.route === 'emailMfaSetup') enrolling.current = 'EMAIL';
    else if (view.route === 'signedIn' && enrolling.current && !view.error) {
      setNotice(ENROLMENT_NOTICES[enrolling.current]);
      enrolling.current = null;
    } else if (view.route === 'signIn') {
      enrolling.current = null;
      setNotice(null);
    }
  }, [view.route, view.error]);
  return view.route === 'signedIn' ? notice : null;
}

const ENROLMENT_NOTICES = {
  // MFA_SETUP turns the factor on (the pool requires one)
  'TOTP at sign-in': 'Your authenticator app is set up. From now on, signing in asks for the code it shows.',
  EMAIL: 'Sign-in codes by e-mail are set up. From now on, signing in asks for the code we e-mail you.',
  // VerifySoftwareToken alone does not turn TOTP MFA on (as in Cognito and Amplify): the preference does
  'TOTP in the account': 'Your authenticator app is added. Turn it on under Two-step verification below to be asked for its code when you sign in.',
} as const;

function SignInPanel({ auth, prefill, pool }: { auth: Auth; prefill: Prefill; pool: SeedPool }): ReactNode {
  const { view, commands } = useAuth(auth);
  const copy = STEP_COPY[view.route];
  const enrolled = useEnrolmentNotice(view);
  // Moving to another step moves the focus to its heading, so keyboard and screen-reader users start there.
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = useRef(view.route);
  useEffect(() => {
    if (shown.current !== view.route && shown.current !== 'checkingSession') heading.current?.focus();
    shown.current = view.route;
  }, [view.route]);
  // An error about a field this screen shows goes under that field; any other error goes on top.
  const inline = view.error?.field !== undefined && INLINE_FIELDS[view.route]?.includes(view.error.field);
  return (
    <section aria-label="sign-in" className="sign-in" data-route={view.route} aria-busy={view.busy}>
      <h2 id="step-title" className="step-title" ref={heading} tabIndex={-1}>
        {copy.title}
      </h2>
      {copy.lead && <p className="lead">{copy.lead}</p>}
      {enrolled && (
        <p className="notice" role="status" data-testid="enrolment-notice">
          {enrolled}
        </p>
      )}
      {view.error && !inline && (
        <p className="error" role="alert">
          {view.error.message}
        </p>
      )}
      <Step key={view.route} auth={auth} view={view} commands={commands} prefill={prefill} pool={pool} />
      {view.route === 'signIn' && pool.domain && (
        <div className="row providers" role="group" aria-label="other ways to sign in">
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
          <button type="button" className="secondary" onClick={() => commands.cancel()}>
            Cancel
          </button>
        </p>
      )}
    </section>
  );
}

type Commands = ReturnType<typeof useAuth>['commands'];
type ViewOf<R extends AuthView['route']> = Extract<AuthView, { route: R }>;

const rememberPasskeyUser = (username: string | null | undefined) => {
  if (username) window.localStorage.setItem(PASSKEY_USER, username);
};

/** Who the current sign-in is for (Cognito's name for the user), for the demo's TOTP helper. */
function useSigningInUser(auth: Auth): string | null {
  return useSelector(auth.actor, (s) => s.context.user?.username ?? s.context.challengeUsername ?? s.context.username);
}

function Step({ auth, view, commands, prefill, pool }: { auth: Auth; view: AuthView; commands: Commands; prefill: Prefill; pool: SeedPool }): ReactNode {
  const username = useSigningInUser(auth);
  switch (view.route) {
    case 'checkingSession':
      return null;
    case 'signIn':
      return <SignInScreen view={view} commands={commands} prefill={prefill} />;
    case 'firstFactorSelection':
      return (
        <>
          <p>
            How do you want to sign in as <strong>{view.username}</strong>?
          </p>
          <div className="choices" role="group" aria-label="ways to sign in">
            {view.availableFactors.map((factor) => (
              <button key={factor} type="button" disabled={view.busy} onClick={() => commands.selectFirstFactor(factor)}>
                {FACTOR_LABELS[factor]}
              </button>
            ))}
          </div>
        </>
      );
    case 'customChallenge':
      return <CustomChallengeForm busy={view.busy} error={view.error} parameters={view.parameters} onSubmit={commands.answerChallenge} />;
    case 'password':
      return <PasswordForm busy={view.busy} error={view.error} onSubmit={commands.submitPassword} />;
    case 'passkey':
      return (
        <>
          <p>{view.prompting ? 'Confirm with your passkey in the browser’s prompt…' : 'Your passkey prompt is ready. Use the passkey you saved for this site.'}</p>
          <div className="row">
            <button
              type="button"
              disabled={view.busy}
              onClick={() => {
                rememberPasskeyUser(view.username);
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
      return <NewPasswordForm busy={view.busy} error={view.error} missing={view.missingAttributes} onSubmit={commands.submitNewPassword} />;
    case 'smsCode':
    case 'emailCode':
      return (
        <>
          <p>
            {view.codeDelivery ? (
              <>
                We sent a code by {deliveryWords(view.codeDelivery.deliveryMedium)} to <span className="mono">{view.codeDelivery.destination}</span>. In this demo it is in the outbox.
              </>
            ) : (
              <>We sent you a code. In this demo it is in the outbox.</>
            )}
          </p>
          <CodeForm busy={view.busy} label={view.route === 'smsCode' ? 'Code from the text message' : 'Code from the e-mail'} error={view.error} onSubmit={commands.submitCode} />
          {view.canResend && (
            <button type="button" className="secondary" disabled={view.busy} onClick={() => commands.resendCode()}>
              Send a new code
            </button>
          )}
        </>
      );
    case 'totpCode':
      return (
        <CodeForm
          busy={view.busy}
          label="Code from your authenticator app"
          error={view.error}
          fields={['code', 'totpCode']}
          onSubmit={commands.submitCode}
          helper={(fill) => <TotpHelper poolId={pool.id} username={username} pending={false} fill={fill} />}
        />
      );
    case 'mfaSelection':
    case 'mfaSetupSelection':
      return (
        <div className="choices" role="group" aria-label={view.route === 'mfaSelection' ? 'second steps' : 'second steps to set up'}>
          {view.allowedMfaTypes.map((type: MfaType) => (
            <button key={type} type="button" disabled={view.busy} onClick={() => commands.selectMfaType(type)}>
              {MFA_LABELS[type]}
              <span className="choice-hint">{MFA_HINTS[type]}</span>
            </button>
          ))}
        </div>
      );
    case 'totpSetup':
      return <TotpSetup view={view} commands={commands} poolId={pool.id} username={username} />;
    case 'emailMfaSetup':
      return <EmailForm busy={view.busy} error={view.error} onSubmit={commands.submitEmail} />;
    case 'signUp':
      return <SignUpForm view={view} onSubmit={commands.signUp} />;
    case 'confirmSignUp':
      return (
        <>
          <p>
            {view.codeDelivery ? (
              <>
                We sent a confirmation code for <strong>{view.username}</strong> by {deliveryWords(view.codeDelivery.deliveryMedium)} to{' '}
                <span className="mono">{view.codeDelivery.destination}</span> (see the outbox).
              </>
            ) : (
              <>
                The account <strong>{view.username}</strong> is not confirmed yet. Ask for a confirmation code, then enter it here.
              </>
            )}
          </p>
          <CodeForm busy={view.busy} label="Confirmation code" error={view.error} onSubmit={commands.confirmSignUp} />
          {view.canResend && (
            <button type="button" className="secondary" disabled={view.busy} onClick={() => commands.resendCode()}>
              {view.codeDelivery ? 'Send a new code' : 'Send me a code'}
            </button>
          )}
        </>
      );
    case 'resetPassword':
      return <ResetPasswordForm view={view} onSubmit={commands.resetPassword} onResend={() => commands.resendCode()} />;
    case 'signedIn':
      return <SignedIn view={view} commands={commands} />;
    case 'redirecting':
    case 'signingOut':
      return null;
    case 'sessionExpired':
    case 'failed':
      return (
        <button type="button" onClick={() => commands.restart()}>
          Start again
        </button>
      );
  }
}

function TotpSetup({ view, commands, poolId, username }: { view: ViewOf<'totpSetup'>; commands: Commands; poolId: string; username: string | null }): ReactNode {
  if (!view.totpSetup) {
    return view.canRetry ? (
      <button type="button" onClick={() => commands.retry()}>
        Try again
      </button>
    ) : (
      <p>Preparing your authenticator key…</p>
    );
  }
  return (
    <>
      <ol className="steps">
        <li>Open an authenticator app (Google Authenticator, 1Password, Authy…) and add an account.</li>
        <li>Scan this QR code, or type the key below it.</li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <div className="qr" role="img" aria-label="QR code of the authenticator key" dangerouslySetInnerHTML={{ __html: view.totpSetup.qrCodeSvg }} />
      <p>
        Key: <code data-testid="totp-secret">{view.totpSetup.sharedSecret}</code>
      </p>
      <CodeForm
        busy={view.busy}
        label="Code from your authenticator app"
        error={view.error}
        fields={['code', 'totpCode']}
        onSubmit={commands.submitCode}
        helper={(fill) => <TotpHelper poolId={poolId} username={username} pending fill={fill} />}
      />
    </>
  );
}

function SignedIn({ view, commands }: { view: ViewOf<'signedIn'>; commands: Commands }): ReactNode {
  return (
    <>
      <p>
        Welcome, <strong data-testid="signed-in-user">{view.user?.username}</strong>
        {view.user?.attributes?.['name'] && view.user.attributes['name'] !== view.user.username && <> ({view.user.attributes['name']})</>}.
        {view.refreshing && <span className="muted"> Refreshing your session…</span>}
      </p>
      <div className="row">
        <button type="button" disabled={view.busy} onClick={() => commands.signOut()}>
          Sign out
        </button>
        <button type="button" className="secondary" disabled={view.busy} onClick={() => commands.signOut({ global: true })}>
          Sign out everywhere
        </button>
      </div>
      <details className="claims">
        <summary>What the ID token says</summary>
        <table>
          <tbody>
            {Object.entries(view.user?.attributes ?? {}).map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <Account view={view} commands={commands} />
    </>
  );
}

function SignInScreen({ view, commands, prefill }: { view: ViewOf<'signIn'>; commands: Commands; prefill: Prefill }): ReactNode {
  const [forgot, setForgot] = useState(false);
  // Passkey autofill: the remembered user's passkey is offered in the username field while the form stays usable.
  useEffect(() => {
    const remembered = window.localStorage.getItem(PASSKEY_USER);
    if (remembered && !view.passkeyAutofill && !view.busy && !view.error) commands.autofillPasskey(remembered);
  }, []);
  if (forgot) {
    return (
      <OneFieldForm
        aria-label="forgot password"
        busy={view.busy}
        error={view.error}
        label="Username"
        input={{ name: 'username', autoComplete: 'username' }}
        fields={['username']}
        initial={view.username ?? ''}
        button="Send a reset code"
        onSubmit={(username) => commands.forgotPassword(username)}
        before={<p>We send a code to the e-mail address or phone number of the account.</p>}
        aside={
          <button type="button" className="secondary" onClick={() => setForgot(false)}>
            Back to sign-in
          </button>
        }
      />
    );
  }
  return (
    <>
      <CredentialsForm
        busy={view.busy}
        error={view.error}
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
        <button type="button" className="link" disabled={view.busy} onClick={() => commands.startSignUp()}>
          Create an account
        </button>
        <button type="button" className="link" disabled={view.busy} onClick={() => setForgot(true)}>
          Forgot password?
        </button>
      </div>
    </>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
