// Resumable sign-in: the attempt a user is answering is saved (without secrets) so a reload or another tab
// can continue it until its Cognito session expires. Attempts left mid-request are never resumed.
import type { SnapshotFrom } from 'xstate';
import type { AuthMachine } from '../../machines/auth.machine.js';
import type { ResumableAttempt, StoredSessionStatus } from '../../machines/auth.types.js';
import type { KeyValueStorage } from '../session/storage.js';

export interface AttemptRecord {
  readonly version: 1;
  readonly savedAt: number;
  readonly attempt: ResumableAttempt;
  /** A request using this session was in flight: the session may be used up, so it is not resumed. */
  readonly inFlight: boolean;
}

export type AttemptState = { readonly kind: 'waiting'; readonly attempt: ResumableAttempt } | { readonly kind: 'inFlight' } | { readonly kind: 'ended' } | { readonly kind: 'unknown' };

/** What the current snapshot means for the saved attempt. Pure. */
export function attemptState(snapshot: SnapshotFrom<AuthMachine>): AttemptState {
  if (snapshot.matches('checkingSession')) return { kind: 'unknown' };
  if (!snapshot.matches('signingIn')) return { kind: 'ended' };
  const { context } = snapshot;
  // The TOTP secret cannot be saved, and association used the session up: not resumable.
  if (snapshot.hasTag('busy') || snapshot.matches({ signingIn: { enrolment: 'totpSetup' } })) return { kind: 'inFlight' };
  if (!context.session || context.sessionIssuedAt === null || context.sessionExpiresAt === null || context.step === null) return { kind: 'ended' };
  return {
    kind: 'waiting',
    attempt: {
      username: context.username,
      challengeUsername: context.challengeUsername,
      authFlow: context.authFlow,
      session: context.session,
      sessionIssuedAt: context.sessionIssuedAt,
      sessionExpiresAt: context.sessionExpiresAt,
      step: context.step,
      newPassword: context.newPassword,
      codeDelivery: context.codeDelivery,
      allowedMfaTypes: context.allowedMfaTypes,
    },
  };
}

/** One saved attempt per app client, in any KeyValueStorage (sessionStorage: this tab; localStorage: every tab). */
export class AttemptStore {
  readonly key: string;
  private last: string | null = null;

  constructor(private readonly storage: KeyValueStorage, clientId: string) {
    this.key = `authchart.${clientId}.attempt`;
  }

  async load(): Promise<AttemptRecord | null> {
    const text = await this.storage.getItem(this.key);
    if (!text) return null;
    try {
      const record = JSON.parse(text) as AttemptRecord;
      if (record.version === 1 && typeof record.attempt?.session === 'string' && typeof record.attempt.sessionExpiresAt === 'number') return record;
    } catch {
      // unreadable: dropped below
    }
    await this.clear();
    return null;
  }

  /** Follows the chart: saves waiting attempts, marks in-flight ones, forgets ended ones. */
  async follow(state: AttemptState, now: number): Promise<void> {
    switch (state.kind) {
      case 'unknown':
        return;
      case 'ended':
        if (this.last !== null) await this.clear();
        return;
      case 'waiting':
        return this.write({ version: 1, savedAt: now, attempt: state.attempt, inFlight: false });
      case 'inFlight': {
        const saved = this.last ? (JSON.parse(this.last) as AttemptRecord) : await this.load();
        if (saved && !saved.inFlight) await this.write({ ...saved, inFlight: true });
        return;
      }
    }
  }

  /** What checkingSession finds: a resumable attempt, or an interrupted one (which is then forgotten). */
  async status(now: number): Promise<StoredSessionStatus> {
    const record = await this.load();
    if (!record) return { status: 'none' };
    if (record.inFlight || record.attempt.sessionExpiresAt <= now) {
      await this.clear();
      return { status: 'interrupted', reason: record.inFlight ? 'inFlight' : 'expired' };
    }
    return { status: 'resumable', attempt: record.attempt };
  }

  async clear(): Promise<void> {
    this.last = null;
    await this.storage.removeItem(this.key);
  }

  private async write(record: AttemptRecord): Promise<void> {
    const text = JSON.stringify(record);
    if (text === this.last) return;
    this.last = text;
    await this.storage.setItem(this.key, text);
  }
}
