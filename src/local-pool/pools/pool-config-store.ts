// The pool's hosted-UI branding (SetUICustomization), risk configuration (SetRiskConfiguration),
// log delivery configuration and auth events (tables of migration 11). Every write is one statement
// (an upsert or an insert), so nothing is read and written back across an await.
import type { Store } from '../store/store.js';

type Row = Record<string, unknown>;

/** The client id Cognito uses for the pool-wide row (UI customization and risk configuration). */
export const ALL_CLIENTS = 'ALL';

export interface UiCustomizationRecord {
  poolId: string;
  clientId: string;
  css: string | undefined;
  cssVersion: string | undefined;
  image: Buffer | undefined;
  imageType: string | undefined;
  createdAt: number;
  updatedAt: number;
}

export interface RiskConfigurationRecord {
  poolId: string;
  clientId: string;
  /** The members as validated: CompromisedCredentialsRiskConfiguration, AccountTakeoverRiskConfiguration, RiskExceptionConfiguration. */
  config: Record<string, unknown>;
  updatedAt: number;
}

export type AuthEventResponse = 'Pass' | 'Fail';

export interface AuthEventRecord {
  poolId: string;
  userSub: string;
  eventId: string;
  eventType: 'SignIn';
  eventResponse: AuthEventResponse;
  createdAt: number;
  /** SHA-256 of the event's feedback token; the token itself is never kept. */
  feedbackTokenHash: string;
  feedbackValue: 'Valid' | 'Invalid' | undefined;
  feedbackProvider: 'Admin' | 'User' | undefined;
  feedbackAt: number | undefined;
}

const optional = <T>(value: unknown): T | undefined => (value === null || value === undefined ? undefined : (value as T));

const toUi = (row: Row): UiCustomizationRecord => ({
  poolId: row['pool_id'] as string,
  clientId: row['client_id'] as string,
  css: optional<string>(row['css']),
  cssVersion: optional<string>(row['css_version']),
  image: optional<Buffer>(row['image']),
  imageType: optional<string>(row['image_type']),
  createdAt: row['created_at'] as number,
  updatedAt: row['updated_at'] as number,
});

const toEvent = (row: Row): AuthEventRecord => ({
  poolId: row['pool_id'] as string,
  userSub: row['user_sub'] as string,
  eventId: row['event_id'] as string,
  eventType: row['event_type'] as 'SignIn',
  eventResponse: row['event_response'] as AuthEventResponse,
  createdAt: row['created_at'] as number,
  feedbackTokenHash: row['feedback_token_hash'] as string,
  feedbackValue: optional(row['feedback_value']),
  feedbackProvider: optional(row['feedback_provider']),
  feedbackAt: optional<number>(row['feedback_at']),
});

export class PoolConfigStore {
  constructor(private readonly store: Store) {}

  /** Replaces the row of (pool, client) in one statement; its CreationDate stays that of the first. */
  putUiCustomization(record: Omit<UiCustomizationRecord, 'createdAt' | 'updatedAt'>, now: number): UiCustomizationRecord {
    const row = this.store
      .prepare(
        `INSERT INTO ui_customizations (pool_id, client_id, css, css_version, image, image_type, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (pool_id, client_id) DO UPDATE SET css = excluded.css, css_version = excluded.css_version,
           image = excluded.image, image_type = excluded.image_type, updated_at = excluded.updated_at
         RETURNING *`,
      )
      .get(record.poolId, record.clientId, record.css ?? null, record.cssVersion ?? null, record.image ?? null, record.imageType ?? null, now, now) as Row;
    return toUi(row);
  }

  getUiCustomization(poolId: string, clientId: string): UiCustomizationRecord | undefined {
    const row = this.store.prepare('SELECT * FROM ui_customizations WHERE pool_id = ? AND client_id = ?').get(poolId, clientId) as Row | undefined;
    return row && toUi(row);
  }

  /** The client's own row, else the pool's (ALL): one statement, so both are read at one moment. */
  effectiveUiCustomization(poolId: string, clientId: string): UiCustomizationRecord | undefined {
    const row = this.store
      .prepare(`SELECT * FROM ui_customizations WHERE pool_id = ? AND client_id IN (?, '${ALL_CLIENTS}') ORDER BY client_id = '${ALL_CLIENTS}' LIMIT 1`)
      .get(poolId, clientId) as Row | undefined;
    return row && toUi(row);
  }

  putRiskConfiguration(poolId: string, clientId: string, config: Record<string, unknown>, now: number): RiskConfigurationRecord {
    this.store
      .prepare(
        `INSERT INTO risk_configurations (pool_id, client_id, config, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (pool_id, client_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at`,
      )
      .run(poolId, clientId, JSON.stringify(config), now);
    return { poolId, clientId, config, updatedAt: now };
  }

  deleteRiskConfiguration(poolId: string, clientId: string): void {
    this.store.prepare('DELETE FROM risk_configurations WHERE pool_id = ? AND client_id = ?').run(poolId, clientId);
  }

  getRiskConfiguration(poolId: string, clientId: string): RiskConfigurationRecord | undefined {
    const row = this.store.prepare('SELECT * FROM risk_configurations WHERE pool_id = ? AND client_id = ?').get(poolId, clientId) as Row | undefined;
    return row && { poolId, clientId, config: JSON.parse(row['config'] as string) as Record<string, unknown>, updatedAt: row['updated_at'] as number };
  }

  putLogDelivery(poolId: string, configurations: unknown[], now: number): void {
    this.store
      .prepare(
        `INSERT INTO log_delivery_configurations (pool_id, configurations, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (pool_id) DO UPDATE SET configurations = excluded.configurations, updated_at = excluded.updated_at`,
      )
      .run(poolId, JSON.stringify(configurations), now);
  }

  getLogDelivery(poolId: string): unknown[] | undefined {
    const row = this.store.prepare('SELECT configurations FROM log_delivery_configurations WHERE pool_id = ?').get(poolId) as Row | undefined;
    return row && (JSON.parse(row['configurations'] as string) as unknown[]);
  }

  insertAuthEvent(event: Omit<AuthEventRecord, 'feedbackValue' | 'feedbackProvider' | 'feedbackAt'>): void {
    this.store
      .prepare(
        `INSERT INTO auth_events (pool_id, user_sub, event_id, event_type, event_response, created_at, feedback_token_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(event.poolId, event.userSub, event.eventId, event.eventType, event.eventResponse, event.createdAt, event.feedbackTokenHash);
  }

  /** The user's events, newest first. */
  listAuthEvents(poolId: string, userSub: string, offset: number, limit: number): AuthEventRecord[] {
    return (
      this.store
        .prepare('SELECT * FROM auth_events WHERE pool_id = ? AND user_sub = ? ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?')
        .all(poolId, userSub, limit, offset) as Row[]
    ).map(toEvent);
  }

  /**
   * Records feedback on the user's event in one statement; `tokenHash` (UpdateAuthEventFeedback) must
   * match the event's. false when there is no such event (or the token does not match).
   */
  setFeedback(poolId: string, userSub: string, eventId: string, value: 'Valid' | 'Invalid', provider: 'Admin' | 'User', now: number, tokenHash?: string): boolean {
    const sql = `UPDATE auth_events SET feedback_value = ?, feedback_provider = ?, feedback_at = ?
                 WHERE pool_id = ? AND user_sub = ? AND event_id = ?${tokenHash === undefined ? '' : ' AND feedback_token_hash = ?'}`;
    const parameters = [value, provider, now, poolId, userSub, eventId, ...(tokenHash === undefined ? [] : [tokenHash])];
    return this.store.prepare(sql).run(...parameters).changes === 1;
  }
}

const stores = new WeakMap<Store, PoolConfigStore>();

export function poolConfigStoreOf(store: Store): PoolConfigStore {
  let configs = stores.get(store);
  if (!configs) stores.set(store, (configs = new PoolConfigStore(store)));
  return configs;
}
