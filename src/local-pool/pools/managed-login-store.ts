// Managed login branding styles (one per app client), their assets, and terms documents (tables of
// migration 15). Rows go with their client and pool (foreign keys, ON DELETE CASCADE). The handlers
// run each change in one synchronous transaction; "one style per client" and "one TermsName per
// client" are UNIQUE constraints, so two creates at once cannot both succeed.
import type { Store } from '../store/store.js';

type Row = Record<string, unknown>;

export interface BrandingAsset {
  category: string;
  colorMode: string;
  extension: string;
  bytes: Buffer;
  resourceId: string | undefined;
}

export interface BrandingRecord {
  brandingId: string;
  poolId: string;
  clientId: string;
  useCognitoProvidedValues: boolean;
  /** The style's own settings document; undefined with UseCognitoProvidedValues (or none given). */
  settings: Record<string, unknown> | undefined;
  assets: BrandingAsset[];
  createdAt: number;
  updatedAt: number;
}

export interface TermsRecord {
  termsId: string;
  poolId: string;
  clientId: string;
  termsName: string;
  termsSource: string;
  enforcement: string;
  links: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

const toTerms = (row: Row): TermsRecord => ({
  termsId: row['terms_id'] as string,
  poolId: row['pool_id'] as string,
  clientId: row['client_id'] as string,
  termsName: row['terms_name'] as string,
  termsSource: row['terms_source'] as string,
  enforcement: row['enforcement'] as string,
  links: JSON.parse(row['links'] as string) as Record<string, string>,
  createdAt: row['created_at'] as number,
  updatedAt: row['updated_at'] as number,
});

export interface BrandingChange {
  useCognitoProvidedValues: boolean;
  /** undefined: keep the style's settings. */
  settings?: Record<string, unknown> | undefined;
  /** Each replaces the style's asset of its Category and ColorMode; the others stay. */
  assets?: BrandingAsset[] | undefined;
}

export class ManagedLoginStore {
  constructor(private readonly store: Store) {}

  private assetsOf(brandingId: string): BrandingAsset[] {
    return (this.store.prepare('SELECT * FROM managed_login_assets WHERE branding_id = ? ORDER BY category, color_mode').all(brandingId) as Row[]).map((row) => ({
      category: row['category'] as string,
      colorMode: row['color_mode'] as string,
      extension: row['extension'] as string,
      bytes: row['bytes'] as Buffer,
      resourceId: (row['resource_id'] as string | null) ?? undefined,
    }));
  }

  private toBranding(row: Row): BrandingRecord {
    const brandingId = row['branding_id'] as string;
    return {
      brandingId,
      poolId: row['pool_id'] as string,
      clientId: row['client_id'] as string,
      useCognitoProvidedValues: row['use_cognito_values'] === 1,
      settings: row['settings'] === null ? undefined : (JSON.parse(row['settings'] as string) as Record<string, unknown>),
      assets: this.assetsOf(brandingId),
      createdAt: row['created_at'] as number,
      updatedAt: row['updated_at'] as number,
    };
  }

  private putAssets(brandingId: string, assets: BrandingAsset[]): void {
    const upsert = this.store.prepare(
      `INSERT INTO managed_login_assets (branding_id, category, color_mode, extension, bytes, resource_id) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (branding_id, category, color_mode) DO UPDATE SET extension = excluded.extension, bytes = excluded.bytes, resource_id = excluded.resource_id`,
    );
    for (const a of assets) upsert.run(brandingId, a.category, a.colorMode, a.extension, a.bytes, a.resourceId ?? null);
  }

  /** The new style, or undefined when the client has one already. Call inside a transaction (the assets are further rows). */
  insertBranding(brandingId: string, poolId: string, clientId: string, change: BrandingChange, now: number): BrandingRecord | undefined {
    const inserted = this.store
      .prepare(
        `INSERT INTO managed_login_brandings (branding_id, pool_id, client_id, use_cognito_values, settings, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(brandingId, poolId, clientId, change.useCognitoProvidedValues ? 1 : 0, change.settings === undefined ? null : JSON.stringify(change.settings), now, now);
    if (inserted.changes === 0) return undefined;
    this.putAssets(brandingId, change.assets ?? []);
    return this.getBranding(poolId, brandingId);
  }

  /** Applies `change` to the style; undefined when the pool has no such style. Call inside a transaction. */
  updateBranding(poolId: string, brandingId: string, change: BrandingChange, now: number): BrandingRecord | undefined {
    const reset = change.useCognitoProvidedValues;
    const updated = this.store
      .prepare(
        `UPDATE managed_login_brandings SET use_cognito_values = ?, settings = CASE WHEN ? THEN NULL WHEN ? IS NULL THEN settings ELSE ? END, updated_at = ?
         WHERE pool_id = ? AND branding_id = ?`,
      )
      .run(reset ? 1 : 0, reset ? 1 : 0, change.settings === undefined ? null : 1, change.settings === undefined ? null : JSON.stringify(change.settings), now, poolId, brandingId);
    if (updated.changes === 0) return undefined;
    if (reset) this.store.prepare('DELETE FROM managed_login_assets WHERE branding_id = ?').run(brandingId);
    else this.putAssets(brandingId, change.assets ?? []);
    return this.getBranding(poolId, brandingId);
  }

  getBranding(poolId: string, brandingId: string): BrandingRecord | undefined {
    const row = this.store.prepare('SELECT * FROM managed_login_brandings WHERE pool_id = ? AND branding_id = ?').get(poolId, brandingId) as Row | undefined;
    return row && this.toBranding(row);
  }

  /** The pool of a style, by its id alone (UpdateManagedLoginBranding may leave UserPoolId out). */
  poolOfBranding(brandingId: string): string | undefined {
    const row = this.store.prepare('SELECT pool_id FROM managed_login_brandings WHERE branding_id = ?').get(brandingId) as Row | undefined;
    return row?.['pool_id'] as string | undefined;
  }

  brandingOfClient(poolId: string, clientId: string): BrandingRecord | undefined {
    const row = this.store.prepare('SELECT * FROM managed_login_brandings WHERE pool_id = ? AND client_id = ?').get(poolId, clientId) as Row | undefined;
    return row && this.toBranding(row);
  }

  /** One statement; the assets go with it (ON DELETE CASCADE). */
  deleteBranding(poolId: string, brandingId: string): boolean {
    return this.store.prepare('DELETE FROM managed_login_brandings WHERE pool_id = ? AND branding_id = ?').run(poolId, brandingId).changes === 1;
  }

  /** One asset of a style, for the pages; with the style's updated_at for the URL's version. */
  getAsset(poolId: string, brandingId: string, category: string, colorMode: string): { extension: string; bytes: Buffer } | undefined {
    const row = this.store
      .prepare(
        `SELECT a.extension, a.bytes FROM managed_login_assets a JOIN managed_login_brandings b ON b.branding_id = a.branding_id
         WHERE b.pool_id = ? AND a.branding_id = ? AND a.category = ? AND a.color_mode = ?`,
      )
      .get(poolId, brandingId, category, colorMode) as Row | undefined;
    return row && { extension: row['extension'] as string, bytes: row['bytes'] as Buffer };
  }

  // ---------- terms ----------

  /** The new document, or undefined when the client has one of that name already. */
  insertTerms(record: Omit<TermsRecord, 'createdAt' | 'updatedAt'>, now: number): TermsRecord | undefined {
    const row = this.store
      .prepare(
        `INSERT INTO terms_documents (terms_id, pool_id, client_id, terms_name, terms_source, enforcement, links, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`,
      )
      .get(record.termsId, record.poolId, record.clientId, record.termsName, record.termsSource, record.enforcement, JSON.stringify(record.links), now, now) as Row | undefined;
    return row && toTerms(row);
  }

  getTerms(poolId: string, termsId: string): TermsRecord | undefined {
    const row = this.store.prepare('SELECT * FROM terms_documents WHERE pool_id = ? AND terms_id = ?').get(poolId, termsId) as Row | undefined;
    return row && toTerms(row);
  }

  termsByName(poolId: string, clientId: string, termsName: string): TermsRecord | undefined {
    const row = this.store.prepare('SELECT * FROM terms_documents WHERE pool_id = ? AND client_id = ? AND terms_name = ?').get(poolId, clientId, termsName) as Row | undefined;
    return row && toTerms(row);
  }

  termsOfClient(poolId: string, clientId: string): TermsRecord[] {
    return (this.store.prepare('SELECT * FROM terms_documents WHERE pool_id = ? AND client_id = ? ORDER BY created_at, terms_id').all(poolId, clientId) as Row[]).map(toTerms);
  }

  listTerms(poolId: string, offset: number, limit: number): TermsRecord[] {
    return (
      this.store.prepare('SELECT * FROM terms_documents WHERE pool_id = ? ORDER BY created_at, terms_id LIMIT ? OFFSET ?').all(poolId, limit, offset) as Row[]
    ).map(toTerms);
  }

  /** Replaces the document's members in one statement. */
  updateTerms(record: Omit<TermsRecord, 'createdAt' | 'updatedAt'>, now: number): TermsRecord {
    const row = this.store
      .prepare(
        `UPDATE terms_documents SET terms_name = ?, terms_source = ?, enforcement = ?, links = ?, updated_at = ?
         WHERE pool_id = ? AND terms_id = ? RETURNING *`,
      )
      .get(record.termsName, record.termsSource, record.enforcement, JSON.stringify(record.links), now, record.poolId, record.termsId) as Row;
    return toTerms(row);
  }

  deleteTerms(poolId: string, termsId: string): boolean {
    return this.store.prepare('DELETE FROM terms_documents WHERE pool_id = ? AND terms_id = ?').run(poolId, termsId).changes === 1;
  }
}

const stores = new WeakMap<Store, ManagedLoginStore>();

export function managedLoginStoreOf(store: Store): ManagedLoginStore {
  let managed = stores.get(store);
  if (!managed) stores.set(store, (managed = new ManagedLoginStore(store)));
  return managed;
}
