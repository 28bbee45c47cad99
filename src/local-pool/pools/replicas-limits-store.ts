// The pool's SAML signing certificate, its replica records and the account's provisioned limits
// (tables of migration 15). Each change is one statement, or a synchronous transaction of the
// store, so nothing is read and written back across an await.
import type { Store } from '../store/store.js';

type Row = Record<string, unknown>;

export interface SamlCertificateRecord {
  poolId: string;
  privateKeyPem: string;
  certificateDer: Buffer;
  createdAt: number;
}

/** What is stored: CREATING is not, it is read from createdAt (api/handlers/replicas-limits.ts). */
export type StoredReplicaStatus = 'ACTIVE' | 'INACTIVE';

export interface ReplicaRecord {
  poolId: string;
  region: string;
  status: StoredReplicaStatus;
  tags: Record<string, string>;
  createdAt: number;
}

const toReplica = (row: Row): ReplicaRecord => ({
  poolId: row['pool_id'] as string,
  region: row['region'] as string,
  status: row['status'] as StoredReplicaStatus,
  tags: JSON.parse(row['tags'] as string) as Record<string, string>,
  createdAt: row['created_at'] as number,
});

export class ReplicaLimitStore {
  constructor(private readonly store: Store) {}

  samlCertificate(poolId: string): SamlCertificateRecord | undefined {
    const row = this.store.prepare('SELECT * FROM saml_signing_certificates WHERE pool_id = ?').get(poolId) as Row | undefined;
    return (
      row && {
        poolId,
        privateKeyPem: row['private_pem'] as string,
        certificateDer: row['certificate'] as Buffer,
        createdAt: row['created_at'] as number,
      }
    );
  }

  /** Keeps the first certificate made for the pool: of two made at once, the later insert is ignored. */
  putSamlCertificateOnce(record: SamlCertificateRecord): void {
    this.store
      .prepare('INSERT INTO saml_signing_certificates (pool_id, private_pem, certificate, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (pool_id) DO NOTHING')
      .run(record.poolId, record.privateKeyPem, record.certificateDer, record.createdAt);
  }

  replica(poolId: string, region: string): ReplicaRecord | undefined {
    const row = this.store.prepare('SELECT * FROM user_pool_replicas WHERE pool_id = ? AND region = ?').get(poolId, region) as Row | undefined;
    return row && toReplica(row);
  }

  countReplicas(poolId: string): number {
    return (this.store.prepare('SELECT count(*) AS n FROM user_pool_replicas WHERE pool_id = ?').get(poolId) as Row)['n'] as number;
  }

  /** The pool's replicas, oldest first (rowid: in the order they were made). */
  listReplicas(poolId: string, offset: number, limit: number): ReplicaRecord[] {
    return (
      this.store.prepare('SELECT * FROM user_pool_replicas WHERE pool_id = ? ORDER BY created_at, rowid LIMIT ? OFFSET ?').all(poolId, limit, offset) as Row[]
    ).map(toReplica);
  }

  insertReplica(record: ReplicaRecord): void {
    this.store
      .prepare('INSERT INTO user_pool_replicas (pool_id, region, status, tags, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(record.poolId, record.region, record.status, JSON.stringify(record.tags), record.createdAt);
  }

  setReplicaStatus(poolId: string, region: string, status: StoredReplicaStatus): ReplicaRecord | undefined {
    const row = this.store.prepare('UPDATE user_pool_replicas SET status = ? WHERE pool_id = ? AND region = ? RETURNING *').get(status, poolId, region) as Row | undefined;
    return row && toReplica(row);
  }

  deleteReplica(poolId: string, region: string): boolean {
    return this.store.prepare('DELETE FROM user_pool_replicas WHERE pool_id = ? AND region = ?').run(poolId, region).changes === 1;
  }

  /** The provisioned value of an account limit, when one was set. */
  provisionedLimit(limitClass: string, category: string): number | undefined {
    const row = this.store.prepare('SELECT value FROM provisioned_limits WHERE limit_class = ? AND category = ?').get(limitClass, category) as Row | undefined;
    return row === undefined ? undefined : (row['value'] as number);
  }

  setProvisionedLimit(limitClass: string, category: string, value: number, at: number): void {
    this.store
      .prepare(
        'INSERT INTO provisioned_limits (limit_class, category, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (limit_class, category) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(limitClass, category, value, at);
  }
}

const stores = new WeakMap<Store, ReplicaLimitStore>();

export function replicaLimitStoreOf(store: Store): ReplicaLimitStore {
  let found = stores.get(store);
  if (!found) stores.set(store, (found = new ReplicaLimitStore(store)));
  return found;
}
