// Scripted Cognito for the view and adapter tests: Cognito answers, and a gate that holds every reply until the
// test releases it, so each state (busy ones too) is observable and every adapter can render it.
import { waitFor, type SnapshotFrom } from 'xstate';
import vector from '../fixtures/srp-test-vector.json' with { type: 'json' };
import type { AuthMachine } from '../../machines/auth.machine.js';
import { createAuth, type Auth, type CreateAuthOptions } from '../../src/runtime/create-auth.js';
import { MemoryStorage } from '../../src/session/storage.js';
import type { AuthCommands } from '../../src/view.js';
import { cognitoError, createFakePort, fakeTokens, type FakePort, type FakeScript } from '../../src/testing/fake-port.js';

export const ids = { userPoolId: 'us-east-1_TestPool1', clientId: 'testclient' };
export const PASSWORD = 'Corr3ct-Horse!';
export const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

// ---------- Cognito answers ----------

export const session = (n: number) => `session-${n}-${'x'.repeat(24)}`;
const challenge = (challengeName: string, parameters: Record<string, string>, n = 1) => ({
  challengeName,
  session: session(n),
  challengeParameters: { USER_ID_FOR_SRP: 'alice-id', ...parameters },
});
export const passwordVerifier = (n = 1) =>
  challenge('PASSWORD_VERIFIER', { SALT: vector.SALT, SRP_B: vector.SRP_B, SECRET_BLOCK: vector.SECRET_BLOCK, USERNAME: 'alice-id' }, n);
export const smsMfa = (n = 1) => challenge('SMS_MFA', { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0008' }, n);
export const emailOtp = (n = 1) => challenge('EMAIL_OTP', { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'a***@e***' }, n);
export const totpMfa = (n = 1) => challenge('SOFTWARE_TOKEN_MFA', { FRIENDLY_DEVICE_NAME: 'phone' }, n);
export const selectMfa = (types: string[], n = 1) => challenge('SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: JSON.stringify(types) }, n);
export const mfaSetup = (types: string[], n = 1) => challenge('MFA_SETUP', { MFAS_CAN_SETUP: JSON.stringify(types) }, n);
export const newPasswordRequired = (required: string[], n = 1) =>
  challenge(
    'NEW_PASSWORD_REQUIRED',
    {
      requiredAttributes: JSON.stringify(required.map((a) => `userAttributes.${a}`)),
      userAttributes: JSON.stringify({ email: 'nina@example.com', email_verified: 'true' }),
    },
    n,
  );
export const done = (username = 'alice-id') => ({
  challengeParameters: {},
  tokens: fakeTokens({ username, attributes: { email: 'alice@example.com' } }),
});
export const codeMismatch = () => cognitoError('CodeMismatchException', 'Invalid code or auth state for the user.');
export const sessionDied = () => cognitoError('NotAuthorizedException', 'Invalid session for the user.');
export const offline = () => new TypeError('fetch failed');

// ---------- the gate ----------

/** Every scripted reply waits here until release(); a cancelled request leaves the queue. */
export class Gate {
  readonly pending: Array<{ operation: string; settle: () => void }> = [];
  debug?: () => string;

  /** A fake port reply that waits for release(). */
  hold<T>(operation: string, reply: T | Error): (request: unknown, signal: AbortSignal) => Promise<T> {
    return (_request, signal) =>
      new Promise<T>((resolve, reject) => {
        const entry = { operation, settle: () => (reply instanceof Error ? reject(reply) : resolve(reply)) };
        this.pending.push(entry);
        signal.addEventListener('abort', () => {
          const at = this.pending.indexOf(entry);
          if (at >= 0) this.pending.splice(at, 1);
        });
      });
  }

  /** Lets the oldest held reply through. */
  release(): void {
    const next = this.pending.shift();
    if (!next) throw new Error('gate: no Cognito call is waiting' + (this.debug ? ': ' + this.debug() : ''));
    next.settle();
  }
}

/** Replies per operation, each held by the gate. */
export type GatedScript = { [Op in keyof FakeScript]?: unknown[] };

export function gatedPort(gate: Gate, script: GatedScript): FakePort {
  const held: Record<string, unknown[]> = {};
  for (const [operation, replies] of Object.entries(script)) held[operation] = (replies ?? []).map((r) => gate.hold(operation, r));
  return createFakePort(held as FakeScript, ids);
}

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Waits until the chart rests: a Cognito call is held by the gate, or nothing is busy.
 * Then a few more macrotasks, so that framework renderers (microtask-scheduled) catch up.
 */
export async function settle(auth: Auth, gate: Gate): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    await macrotask();
    const snapshot = auth.actor.getSnapshot();
    if (gate.pending.length > 0 || !(snapshot.hasTag('busy') || snapshot.hasTag('refreshing'))) {
      await macrotask();
      await macrotask();
      return;
    }
  }
  throw new Error(`settle: the chart never rested (${JSON.stringify(auth.actor.getSnapshot().value)})`);
}

export interface Scripted {
  readonly auth: Auth;
  readonly gate: Gate;
  readonly port: FakePort;
}

/** createAuth on a gated fake port, not started (so observers can attach before the first snapshot). */
export function scriptedAuth(script: GatedScript, options: Partial<CreateAuthOptions> = {}): Scripted {
  const gate = new Gate();
  const port = gatedPort(gate, script);
  const auth = createAuth({ ...ids, port, storage: new MemoryStorage(), autoStart: false, ...options });
  gate.debug = () => JSON.stringify({ value: auth.actor.getSnapshot().value, error: auth.actor.getSnapshot().context.error })
  return { auth, gate, port };
}

export const until = (auth: Auth, predicate: (s: SnapshotFrom<AuthMachine>) => boolean) => waitFor(auth.actor, predicate, { timeout: 5000 });

/** One thing a test does to the chart: a command, or letting the held Cognito reply through. */
export type Step = (commands: AuthCommands, gate: Gate) => void;
export const release: Step = (_commands, gate) => gate.release();
