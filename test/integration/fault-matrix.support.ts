// The fault matrix's frame: every Cognito call the chart makes (a row: how to get the chart right before the call,
// the event that makes it, where it must end and what the user does next) × seven faults on the wire. Each cell
// drives createAuth with the real SDK port over HTTP to the local pool, through a network that can be cut.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { waitFor, type SnapshotFrom } from 'xstate';
import type { AuthErrorCode, AuthErrorData } from '../../src/cognito/errors.js';
import { createAuth, type Auth, type AuthMachine, type CreateAuthOptions } from '../../src/index.node.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { authenticatorCode } from '../support/authenticator.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';
import { startNetworkSwitch, type NetworkSwitch } from '../support/network-switch.js';

export const PASSWORD = 'Passw0rd!strong';
export const NEW_PASSWORD = 'N3w-Passw0rd!strong';

/** The faults: nobody listening, the pool's own (see src/local-pool/api/faults.ts), and an answer later than the chart waits. */
export const FAULTS = ['refused', 'drop', 'reset', '500', '503', 'html502', 'timeout'] as const;
export type Fault = (typeof FAULTS)[number];

/**
 * How a call takes a lost answer. `repeatable`: doing it twice is harmless. `once`: it spends a Session or a code, or
 * cannot be done twice, so an answer lost after it was sent leaves the outcome unknown. `signOut`: done locally
 * whatever Cognito answers.
 */
export type CallKind = 'repeatable' | 'once' | 'signOut';

/** The error the chart must show: written out here, not taken from the code under test. */
export function expectedError(fault: Fault, kind: CallKind): { code: AuthErrorCode; retryable: boolean } {
  if (kind === 'signOut') return { code: 'SignOutIncomplete', retryable: true };
  switch (fault) {
    case 'refused': // never sent: safe to repeat, whatever the call
      return { code: 'Network', retryable: true };
    case 'drop':
    case 'reset':
    case 'timeout':
      return kind === 'once' ? { code: 'OutcomeUnknown', retryable: false } : { code: 'Network', retryable: true };
    case '500':
    case 'html502':
      return { code: 'ServiceUnavailable', retryable: true };
    case '503':
      return { code: 'TooManyRequests', retryable: true };
  }
}

/** Whether the pool carried the call out: a reset cuts the answer after the operation ran; a late answer comes after it ran. */
export const ranOnPool = (fault: Fault) => fault === 'reset' || fault === 'timeout';

/** Short enough to keep the suite quick, long enough for a loaded machine's normal answers. */
const TIMEOUT_MS = 800;
const LATE_MS = 2 * TIMEOUT_MS;

export type Snapshot = SnapshotFrom<AuthMachine>;
export interface PoolRef {
  readonly userPoolId: string;
  readonly clientId: string;
}

export interface Matrix {
  readonly env: TestPool;
  readonly net: NetworkSwitch;
  /** MFA optional (TOTP, e-mail), codes by e-mail, recovery by verified e-mail. */
  readonly main: PoolRef;
  /** MFA required, TOTP only: a user without MFA must set it up while signing in (MFA_SETUP). */
  readonly mfaRequired: PoolRef;
  /** A chart for one cell, through the switchable network, on the pool's clock (TOTP codes, session lifetimes). */
  chart(pool: PoolRef, fault: Fault, options?: Partial<CreateAuthOptions>): Auth;
  /** A new user of its own (no state shared between cells), permanent password unless `temporary`. */
  user(pool: PoolRef, options?: { attributes?: Record<string, string>; temporary?: boolean }): Promise<string>;
  /** The latest code the pool "sent" the user. */
  latestCode(pool: PoolRef, username: string): string;
  /** The current code of the user's authenticator (a verified one, or the pending one during setup). */
  totp(secret: string): string;
  userExists(pool: PoolRef, username: string): Promise<boolean>;
  close(): Promise<void>;
}

let counter = 0;

export async function startMatrix(): Promise<Matrix> {
  const lines: string[] = [];
  const env = await startTestPool({
    poolProperties: {
      AutoVerifiedAttributes: ['email'],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    },
    log: (line: string) => {
      lines.push(line);
      // not a fault the matrix injected: show it, it explains the failure that follows
      if (line.startsWith('[pool] internal error')) console.log(line);
    },
  });
  const net = await startNetworkSwitch(env.pool.url);
  const email = { Message: 'Your code is {####}', Subject: 'Your code' };
  await env.admin.send(
    new SetUserPoolMfaConfigCommand({ UserPoolId: env.userPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: email }),
  );
  const main = { userPoolId: env.userPoolId, clientId: (await env.createClient()).clientId };
  const required = (await env.admin.send(new CreateUserPoolCommand({ PoolName: 'mfa-required' }))).UserPool!.Id!;
  await env.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: required, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  const requiredClient = await env.admin.send(
    new CreateUserPoolClientCommand({ UserPoolId: required, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
  );
  const mfaRequired = { userPoolId: required, clientId: requiredClient.UserPoolClient!.ClientId! };
  const running: Auth[] = [];
  active = { env, net, running, lines };

  return {
    env,
    net,
    main,
    mfaRequired,
    chart(pool, fault, options = {}) {
      const auth = createAuth({
        ...pool,
        endpoint: net.url,
        storage: new MemoryStorage(),
        authFlow: 'USER_PASSWORD_AUTH',
        requestTimeoutMs: fault === 'timeout' ? TIMEOUT_MS : 10_000,
        clock: { now: () => env.clock.now() },
        ...options,
      });
      running.push(auth);
      return auth;
    },
    async user(pool, { attributes, temporary = false } = {}) {
      const username = `user${++counter}`;
      const attrs = attributes ?? { email: `${username}@example.com`, email_verified: 'true' };
      await env.admin.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.userPoolId,
          Username: username,
          TemporaryPassword: PASSWORD,
          MessageAction: 'SUPPRESS',
          UserAttributes: Object.entries(attrs).map(([Name, Value]) => ({ Name, Value })),
        }),
      );
      if (!temporary) await env.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
      return username;
    },
    latestCode(pool, username) {
      const messages = env.pool.outbox({ userPoolId: pool.userPoolId, username });
      const code = messages.at(-1)?.code;
      if (!code) throw new Error(`no code was sent to ${username}`);
      return code;
    },
    totp: (secret) => authenticatorCode(secret, env.clock.now()),
    async userExists(pool, username) {
      try {
        await env.admin.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: username }));
        return true;
      } catch (error) {
        if ((error as Error).name === 'UserNotFoundException') return false;
        throw error;
      }
    },
    async close() {
      running.splice(0).forEach((a) => a.stop());
      await net.close();
      await env.close();
    },
  };
}

// ---------- driving a chart ----------

export const until = (auth: Auth, p: (s: Snapshot) => boolean) => waitFor(auth.actor, p, { timeout: 10_000 });
/** At rest: no request the user waits for, no stored-session check. */
export const rest = (auth: Auth) => until(auth, (s) => !s.hasTag('busy') && !s.hasTag('refreshing') && !s.matches('checkingSession'));
/** Resting with no error: the step worked. */
export async function worked(auth: Auth, p: (s: Snapshot) => boolean): Promise<Snapshot> {
  const snap = await rest(auth);
  expect(snap.context.error).toBeNull();
  expect(p(snap)).toBe(true);
  return snap;
}

export async function signIn(auth: Auth, username: string, password = PASSWORD): Promise<Snapshot> {
  await rest(auth);
  auth.actor.send({ type: 'signIn.submit', username, password });
  return rest(auth);
}

/** A chart signed in as a new user of `pool`. */
export async function signedIn(m: Matrix, fault: Fault, options: { pool?: PoolRef; attributes?: Record<string, string> } = {}) {
  const pool = options.pool ?? m.main;
  const username = await m.user(pool, options.attributes ? { attributes: options.attributes } : {});
  const auth = m.chart(pool, fault);
  await rest(auth);
  auth.actor.send({ type: 'signIn.submit', username, password: PASSWORD });
  await worked(auth, (s) => s.matches('signedIn'));
  return { auth, username, pool };
}

// ---------- the rows and the cells ----------

export interface Cell {
  readonly fault: Fault;
  readonly error: AuthErrorData;
  /** Whether the pool carried the failed call out (the user cannot know; the test does). */
  readonly ran: boolean;
}

export interface CallRow<T extends { auth: Auth }> {
  /** The Cognito operation, as the pool names it (faults are injected for it). */
  readonly operation: string;
  /** Where the chart makes it. */
  readonly from: string;
  readonly kind: CallKind;
  /** A chart right before the call. */
  arrange(m: Matrix, fault: Fault): Promise<T>;
  /** What makes the call (a user event, or starting the chart). */
  act(t: T): void;
  /** `act` starts the chart (arrange returns it unstarted). */
  readonly startsTheChart?: boolean;
  /** Cells that show a bug not fixed yet, with why: they run as expected failures, and pass once it is fixed. */
  readonly knownBugs?: Partial<Record<Fault, string>>;
  /** For a call the chart makes by itself after `act` (no user event between): the state that makes it. */
  readonly callIn?: (s: Snapshot) => boolean;
  /** Where the chart must rest with the error. */
  endsIn(s: Snapshot, error: AuthErrorData): boolean;
  /** The natural next action (retry, start again, check), which must work. */
  next(m: Matrix, t: T, cell: Cell): Promise<void>;
}

let active: { env: TestPool; net: NetworkSwitch; running: Auth[]; lines: string[] } | undefined;

/** What the pool's request log says of the call each of its faults hit. */
const POOL_LOGS: Record<Exclude<Fault, 'refused'>, string> = {
  drop: 'injected drop',
  reset: 'injected reset',
  '500': 'InternalErrorException',
  '503': 'TooManyRequestsException',
  html502: 'injected html502',
  timeout: 'injected delay',
};

/** Cuts the network or has the pool fail the next call of `operation`. */
function arm(fault: Fault, operation: string) {
  const { env, net } = active!;
  if (fault === 'refused') net.off();
  else if (fault === 'timeout') env.pool.injectFault({ operation, fault: 'delay', delayMs: LATE_MS });
  else env.pool.injectFault({ operation, fault });
}

/** Until the pool has finished the call it answered late (its log line comes after the handler ran). */
async function landed(operation: string, mark: number) {
  const { lines } = active!;
  const done = () => lines.slice(mark).some((line) => line.startsWith(`[pool] ${operation} -> `));
  for (let waited = 0; !done(); waited += 20) {
    if (waited > 10_000) throw new Error(`the late ${operation} never finished on the pool`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One describe per row, one test per fault; the test name says what the chart must show. */
export function describeCalls(rows: ReadonlyArray<CallRow<any>>, matrix: () => Matrix) {
  afterEach(async () => {
    if (!active) return;
    active.running.splice(0).forEach((a) => a.stop());
    active.env.pool.clearFaults();
    await active.net.on();
    active.env.clock.advance(30_000); // the next TOTP time step: no code is replayed across cells
  });
  describe.each(rows.map((row) => [`${row.operation} (${row.from})`, row] as const))('%s', (_, row) => {
    const cells = FAULTS.map((fault) => {
      const { code, retryable } = expectedError(fault, row.kind);
      return [fault, `${code}${retryable ? ', retryable' : ', not retryable'}`] as const;
    });
    const run = async (fault: Fault) => {
      const m = matrix();
      const t = await row.arrange(m, fault);
      if (!row.startsTheChart) expect((await rest(t.auth)).context.error).toBeNull();
      const mark = active!.lines.length;
      const sent = m.env.pool.requests.length;
      if (row.callIn) {
        const watch = t.auth.actor.subscribe((s: Snapshot) => {
          if (!row.callIn!(s)) return;
          watch.unsubscribe();
          arm(fault, row.operation); // synchronously, before the call leaves
        });
      } else arm(fault, row.operation);
      row.act(t);
      const failed = await until(t.auth, (s) => !s.hasTag('busy') && !s.hasTag('refreshing') && !s.matches('checkingSession') && s.context.error !== null);
      await active!.net.on();
      // the fault happened as meant: nothing reached the pool while nobody listened; else the pool's fault hit this call
      const reached = m.env.pool.requests.slice(sent).filter((r) => r.target.endsWith(`.${row.operation}`));
      expect(reached.map((r) => r.outcome)).toEqual(fault === 'refused' ? [] : [POOL_LOGS[fault]]);
      const expected = expectedError(fault, row.kind);
      expect(failed.context.error).toMatchObject(expected);
      expect({ state: failed.value, endsWhereItShould: row.endsIn(failed, failed.context.error!) }).toMatchObject({ endsWhereItShould: true });
      if (fault === 'timeout') await landed(row.operation, mark);
      await row.next(m, t, { fault, error: failed.context.error!, ran: ranOnPool(fault) });
    };
    const title = '× %s → %s; a defined state, and the next action works';
    const fixed = cells.filter(([fault]) => !row.knownBugs?.[fault]);
    if (fixed.length > 0) it.each(fixed)(title, (fault) => run(fault));
    const known = cells.filter(([fault]) => row.knownBugs?.[fault]).map(([fault, outcome]) => [fault, outcome, row.knownBugs![fault]!] as const);
    if (known.length > 0) it.failing.each(known)(`${title} — KNOWN BUG: %s`, (fault) => run(fault));
  });
}
