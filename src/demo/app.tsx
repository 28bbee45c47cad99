// The demo page `npm start` serves from the local pool: the sign-in UI for every step (authchart/react),
// the live statechart with the active states highlighted, the pool's outbox, and the demo users.
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { useSelector } from '@xstate/react';
import { createAuth, webStorage, type Auth, type AuthView, type MfaType } from '../index.js';
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
            <SignIn auth={auth} prefill={prefill} />
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

function SignIn({ auth, prefill }: { auth: Auth; prefill: { username: string; password: string } | null }): ReactNode {
  const { view, commands } = useAuth(auth);
  return (
    <div data-route={view.route}>
      {view.signInStep && <div className="step">next step: {view.signInStep}</div>}
      {view.error && (
        <p className="error" role="alert">
          {view.error.message} <span className="mono">({view.error.code})</span>
        </p>
      )}
      <Step view={view} commands={commands} prefill={prefill} />
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

type Commands = ReturnType<typeof useAuth>['commands'];

function Step({ view, commands, prefill }: { view: AuthView; commands: Commands; prefill: { username: string; password: string } | null }): ReactNode {
  switch (view.route) {
    case 'checkingSession':
      return <p>Checking for a stored session…</p>;
    case 'signIn':
      return <CredentialsForm busy={view.busy} prefill={prefill} onSubmit={commands.signIn} />;
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
    case 'confirmSignUp':
      return <p>{view.username} has not confirmed the account yet (sign-up confirmation comes with the sign-up flow).</p>;
    case 'resetPassword':
      return <p>An administrator asked {view.username} to reset the password (the reset flow comes with password reset).</p>;
    case 'signedIn':
      return (
        <>
          <p>
            Signed in as <strong data-testid="signed-in-user">{view.user?.username}</strong>
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
        </>
      );
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

function CredentialsForm(props: { busy: boolean; prefill: { username: string; password: string } | null; onSubmit: (u: string, p: string, flow?: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH') => void }): ReactNode {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [flow, setFlow] = useState<'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH'>('USER_SRP_AUTH');
  useEffect(() => {
    if (props.prefill) {
      setUsername(props.prefill.username);
      setPassword(props.prefill.password);
    }
  }, [props.prefill]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit(username, password, flow);
    setPassword('');
  };
  return (
    <form onSubmit={submit}>
      <label>
        Username
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
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
        </select>
      </label>
      <button type="submit" disabled={props.busy}>
        {props.busy ? 'Signing in…' : 'Sign in'}
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

function CodeForm(props: { busy: boolean; label: string; onSubmit: (code: string) => void }): ReactNode {
  const [code, setCode] = useState('');
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
        <input name="code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />
      </label>
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
