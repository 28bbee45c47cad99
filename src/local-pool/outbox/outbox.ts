// The outbox: every SMS and e-mail the local pool "sends" is stored here (SQLite), printed on the
// pool's log, and readable at GET /_local/outbox, with `authchart outbox`, and with pool.outbox().
// It is the only place codes ever appear.
import type { Clock } from '../clock.js';
import type { DeliveryMedium, OutboxMessage } from '../store/model.js';
import type { OutboxFilter, Store } from '../store/store.js';

export type { OutboxFilter } from '../store/store.js';

export interface MessageToSend {
  userPoolId: string;
  username: string;
  medium: DeliveryMedium;
  /** Unmasked phone number or e-mail address. */
  destination: string;
  /** E-mail only. */
  subject?: string;
  message: string;
  code?: string;
  purpose: string;
}

export class Outbox {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: (line: string) => void,
  ) {}

  send(message: MessageToSend): OutboxMessage {
    const stored = this.store.insertOutboxMessage({
      userPoolId: message.userPoolId,
      username: message.username,
      medium: message.medium,
      destination: message.destination,
      subject: message.subject ?? null,
      message: message.message,
      code: message.code ?? null,
      purpose: message.purpose,
      createdAt: this.clock.now(),
    });
    const subject = stored.subject === null ? '' : ` [${stored.subject}]`;
    this.log(`[outbox] ${stored.medium} to ${stored.destination}${subject}: ${oneLine(stored.message)}`);
    return stored;
  }

  /** Oldest first. */
  list(filter: OutboxFilter = {}): OutboxMessage[] {
    return this.store.listOutbox(filter);
  }
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();
