// Resource servers and their custom scopes (table of migration 10). A server's scopes are one JSON
// column, so each change is one statement; statements are prepared once by the Store.
import type { Store } from '../store/store.js';

type Row = Record<string, unknown>;

export interface ResourceServerScope {
  ScopeName: string;
  ScopeDescription: string;
}

export interface ResourceServerRecord {
  poolId: string;
  identifier: string;
  name: string;
  scopes: ResourceServerScope[];
  createdAt: number;
  updatedAt: number;
}

const toServer = (row: Row): ResourceServerRecord => ({
  poolId: row['pool_id'] as string,
  identifier: row['identifier'] as string,
  name: row['name'] as string,
  scopes: JSON.parse(row['scopes'] as string) as ResourceServerScope[],
  createdAt: row['created_at'] as number,
  updatedAt: row['updated_at'] as number,
});

/** `<identifier>/<scope name>`: scope names have no "/", so the last one splits them. */
export function splitCustomScope(scope: string): { identifier: string; scopeName: string } | undefined {
  const slash = scope.lastIndexOf('/');
  if (slash <= 0 || slash === scope.length - 1) return undefined;
  return { identifier: scope.slice(0, slash), scopeName: scope.slice(slash + 1) };
}

export const customScopesOf = (server: ResourceServerRecord): string[] => server.scopes.map((s) => `${server.identifier}/${s.ScopeName}`);

export class ResourceServerStore {
  constructor(private readonly store: Store) {}

  /** false when the pool already has a server with this identifier. */
  insert(server: ResourceServerRecord): boolean {
    return (
      this.store
        .prepare('INSERT OR IGNORE INTO resource_servers (pool_id, identifier, name, scopes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(server.poolId, server.identifier, server.name, JSON.stringify(server.scopes), server.createdAt, server.updatedAt).changes === 1
    );
  }

  count(poolId: string): number {
    return (this.store.prepare('SELECT count(*) AS n FROM resource_servers WHERE pool_id = ?').get(poolId) as Row)['n'] as number;
  }

  get(poolId: string, identifier: string): ResourceServerRecord | undefined {
    const row = this.store.prepare('SELECT * FROM resource_servers WHERE pool_id = ? AND identifier = ?').get(poolId, identifier) as Row | undefined;
    return row && toServer(row);
  }

  /** Name and scopes replaced in one statement; the server as it is now, or undefined when it is gone. */
  update(poolId: string, identifier: string, name: string, scopes: readonly ResourceServerScope[], now: number): ResourceServerRecord | undefined {
    const row = this.store
      .prepare('UPDATE resource_servers SET name = ?, scopes = ?, updated_at = ? WHERE pool_id = ? AND identifier = ? RETURNING *')
      .get(name, JSON.stringify(scopes), now, poolId, identifier) as Row | undefined;
    return row && toServer(row);
  }

  /** false when there was none. */
  delete(poolId: string, identifier: string): boolean {
    return this.store.prepare('DELETE FROM resource_servers WHERE pool_id = ? AND identifier = ?').run(poolId, identifier).changes === 1;
  }

  /** The pool's servers, oldest first. */
  list(poolId: string, offset: number, limit: number): ResourceServerRecord[] {
    return (
      this.store.prepare('SELECT * FROM resource_servers WHERE pool_id = ? ORDER BY created_at, identifier LIMIT ? OFFSET ?').all(poolId, limit, offset) as Row[]
    ).map(toServer);
  }

  /** Whether `<identifier>/<scope name>` is a scope of one of the pool's servers now. */
  hasScope(poolId: string, scope: string): boolean {
    const parts = splitCustomScope(scope);
    if (!parts) return false;
    return this.get(poolId, parts.identifier)?.scopes.some((s) => s.ScopeName === parts.scopeName) ?? false;
  }
}

const stores = new WeakMap<Store, ResourceServerStore>();

export function resourceServerStoreOf(store: Store): ResourceServerStore {
  let servers = stores.get(store);
  if (!servers) stores.set(store, (servers = new ResourceServerStore(store)));
  return servers;
}
