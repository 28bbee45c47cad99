// What only a demo of a local pool has: the outbox (the SMS and e-mail the pool "sent"), the demo
// users, the current code of a user's authenticator, and resetting the demo data. All of it reads the
// pool's /_local endpoints, which answer this page (the pool's own origin) and no other.
import { useEffect, useState, type ReactNode } from 'react';
import type { SeedPool } from './seed.js';

interface OutboxMessage {
  id?: number;
  createdAt: number;
  medium: string;
  destination: string;
  username?: string;
  message: string;
  code?: string;
}

/** Runs `load` at once and every second while `deps` stay; a failed load waits for the next (the pool may be restarting). */
function useEverySecond(load: (stopped: () => boolean) => Promise<void>, deps: readonly unknown[]): void {
  useEffect(() => {
    let stopped = false;
    const run = () => load(() => stopped).catch(() => undefined);
    void run();
    const timer = setInterval(run, 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, deps);
}

export function Outbox({ poolId }: { poolId: string }): ReactNode {
  const [messages, setMessages] = useState<OutboxMessage[]>([]);
  useEverySecond(
    async (stopped) => {
      const response = await fetch(`/_local/outbox?userPoolId=${encodeURIComponent(poolId)}`);
      if (response.ok && !stopped()) {
        const body = (await response.json()) as { messages?: OutboxMessage[] } | OutboxMessage[];
        setMessages((Array.isArray(body) ? body : (body.messages ?? [])).slice(-8).reverse());
      }
    },
    [poolId],
  );
  return (
    <section aria-labelledby="outbox-title">
      <h2 id="outbox-title">Outbox: what the pool “sent”</h2>
      {messages.length === 0 ? (
        <p className="muted">No text messages or e-mails yet. Codes the pool sends appear here.</p>
      ) : (
        <table className="outbox">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">To</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m, i) => (
              <tr key={m.id ?? i}>
                <td>{new Date(m.createdAt).toLocaleTimeString()}</td>
                <td>
                  {m.medium === 'SMS' ? 'Text to' : 'E-mail to'} <span className="mono">{m.destination}</span>
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

interface CurrentTotp {
  code: string;
  expiresInSeconds: number;
}

/** The code the user's authenticator app shows now (the pool knows the secret), every second. */
function useCurrentTotp(poolId: string, username: string | null | undefined, pending: boolean): CurrentTotp | null {
  const [current, setCurrent] = useState<CurrentTotp | null>(null);
  useEverySecond(
    async (stopped) => {
      if (!username) return;
      const query = `userPoolId=${encodeURIComponent(poolId)}&username=${encodeURIComponent(username)}${pending ? '&pending=1' : ''}`;
      const response = await fetch(`/_local/totp?${query}`);
      const body = (await response.json()) as Partial<CurrentTotp>;
      if (!stopped()) setCurrent(response.ok && body.code ? { code: body.code, expiresInSeconds: body.expiresInSeconds ?? 0 } : null);
    },
    [poolId, username, pending],
  );
  return current;
}

/** Demo help at a TOTP step: what the user's authenticator shows now, and a button that fills it in. */
export function TotpHelper(props: { poolId: string; username: string | null | undefined; pending: boolean; fill: (code: string) => void }): ReactNode {
  const current = useCurrentTotp(props.poolId, props.username, props.pending);
  if (!current) return null;
  return (
    <div className="demo-help" role="group" aria-label="demo helper">
      <span>
        Demo helper: {props.pending ? 'the new authenticator' : 'the authenticator'} of <strong>{props.username}</strong> shows{' '}
        <strong className="mono" data-testid="totp-helper-code">
          {current.code}
        </strong>{' '}
        <span className="muted">(for {current.expiresInSeconds} s more)</span>
      </span>
      <button type="button" className="secondary small" onClick={() => props.fill(current.code)}>
        Fill in
      </button>
    </div>
  );
}

export function Users({ pool, onPick }: { pool: SeedPool; onPick: (p: { username: string; password: string }) => void }): ReactNode {
  return (
    <section aria-labelledby="users-title">
      <div className="section-head">
        <h2 id="users-title">Demo users</h2>
        <ResetDemoData />
      </div>
      <p className="muted">Choose a user to fill the sign-in form; each one shows a different part of Cognito.</p>
      <table className="users">
        <tbody>
          {(pool.users ?? []).map((u) => {
            const password = u.temporaryPassword ?? u.password ?? '';
            const pick = () => onPick({ username: u.username, password });
            return (
              <tr key={u.username} className="user" onClick={pick}>
                <th scope="row">
                  <button type="button" className="link" aria-label={`Fill in ${u.username}`} onClick={(e) => (e.stopPropagation(), pick())}>
                    {u.username}
                  </button>
                  <div className="mono">{password || 'no password'}</div>
                </th>
                <td>
                  {u.description}
                  {u.totpSecret && <SeededTotp poolId={pool.id} username={u.username} />}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** The current code of a seeded TOTP user, on demand. */
function SeededTotp({ poolId, username }: { poolId: string; username: string }): ReactNode {
  const [shown, setShown] = useState(false);
  const current = useCurrentTotp(poolId, shown ? username : null, false);
  return (
    <div className="row totp-row" onClick={(e) => e.stopPropagation()}>
      {shown ? (
        <span>
          Authenticator code now: <strong className="mono">{current?.code ?? '…'}</strong>
        </span>
      ) : (
        <button type="button" className="secondary small" onClick={() => setShown(true)}>
          Show {username}’s authenticator code
        </button>
      )}
    </div>
  );
}

/** Set before the page reloads after a reset, read once by ResetNotice. */
const RESET_NOTICE = 'authchart.demo.resetNotice';
export const PASSKEY_USER = 'authchart.demo.passkeyUser';

function ResetDemoData(): ReactNode {
  const [asking, setAsking] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const reset = async () => {
    setFailure(null);
    try {
      const response = await fetch('/_local/reset', { method: 'POST', headers: { 'x-authchart-reset': 'demo-data' } });
      const body = (await response.json()) as { seededUsers?: number; message?: string };
      if (!response.ok) throw new Error(body.message ?? `the pool answered ${response.status}`);
      // Sessions, resumable sign-ins and the remembered passkey user all belong to users that are gone.
      window.sessionStorage.clear();
      window.localStorage.removeItem(PASSKEY_USER);
      window.sessionStorage.setItem(RESET_NOTICE, `Demo data reset: the ${body.seededUsers ?? ''} demo users are back as the seed describes them, the outbox is empty.`);
      window.location.reload();
    } catch (error) {
      setFailure(`The demo data could not be reset: ${(error as Error).message}`);
    }
  };
  if (!asking) {
    return (
      <button type="button" className="secondary small" onClick={() => setAsking(true)}>
        Reset demo data…
      </button>
    );
  }
  return (
    <div role="group" aria-label="confirm reset" className="confirm">
      <p>Every demo user goes back to how the seed file describes them; sign-ups, new passwords, authenticators and passkeys are removed, and you are signed out.</p>
      <div className="row">
        <button type="button" className="danger" onClick={() => void reset()}>
          Reset demo data
        </button>
        <button type="button" className="secondary" onClick={() => setAsking(false)}>
          Keep my changes
        </button>
      </div>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
    </div>
  );
}

/** After a reset's reload: what was reset. */
export function ResetNotice(): ReactNode {
  const [notice] = useState(() => {
    const text = window.sessionStorage.getItem(RESET_NOTICE);
    window.sessionStorage.removeItem(RESET_NOTICE);
    return text;
  });
  return notice ? (
    <p className="notice" role="status" data-testid="reset-notice">
      {notice}
    </p>
  ) : null;
}
