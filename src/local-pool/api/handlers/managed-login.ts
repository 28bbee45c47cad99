// Managed login's branding styles (Create/Describe/DescribeByClient/Update/DeleteManagedLoginBranding)
// and terms documents (Create/Describe/DescribeByClient/List/Update/DeleteTerms), per app client. The
// pages of a ManagedLoginVersion 2 domain show a style's FORM_LOGO and PAGE_BACKGROUND and the terms
// links on sign-up (hosted-ui/managed-login.ts); the rest of a style is kept and returned only.
import { randomUUID } from 'node:crypto';
import type { Handler, HandlerRegistry } from '../../context.js';
import { CognitoError, Errors } from '../errors.js';
import { isPlainObject, Rules, Validator, type JsonObject } from '../validation.js';
import { requireClientOfPool } from '../../flows/sign-in.js';
import { managedLoginStoreOf, type BrandingAsset, type BrandingChange, type BrandingRecord, type TermsRecord } from '../../pools/managed-login-store.js';
import {
  ASSET_CATEGORIES,
  ASSET_EXTENSIONS,
  checkAsset,
  COLOR_MODES,
  DEFAULT_SETTINGS,
  isWebUrl,
  ManagedLoginRules,
  MAX_ASSET_BYTES,
  MAX_ASSETS,
  MAX_LINK,
  MAX_LINKS,
  MAX_SETTINGS_CHARS,
  mergeSettings,
  TERMS_LANGUAGES,
  termsKindOf,
  type AssetExtension,
} from '../../pools/managed-login.js';
import { page, requirePool } from './pools.js';

const epochSeconds = (ms: number): number => Math.floor(ms / 1000);
const constraint = (member: string, text: string) => Errors.invalidParameter(`1 validation error detected: Value at '${member}' failed to satisfy constraint: ${text}`);

const brandingNotFound = () => new CognitoError('ResourceNotFoundException', 'Managed login branding style does not exist.');
const termsNotFound = () => new CognitoError('ResourceNotFoundException', 'Terms documents do not exist.');

// ---------- branding ----------

function readSettings(input: JsonObject): Record<string, unknown> | undefined {
  const value = input['Settings'];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw Errors.invalidParameter('Settings must be a JSON object.');
  if (JSON.stringify(value).length > MAX_SETTINGS_CHARS) throw Errors.invalidParameter(`Settings must be at most ${MAX_SETTINGS_CHARS} characters of JSON.`);
  return value;
}

function readAssets(input: JsonObject): BrandingAsset[] | undefined {
  const value = input['Assets'];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw Errors.serialization('Assets must be a list');
  if (value.length > MAX_ASSETS) throw constraint('assets', `Member must have length less than or equal to ${MAX_ASSETS}`);
  const seen = new Set<string>();
  return value.map((entry, i) => {
    const index = i + 1;
    if (!isPlainObject(entry)) throw Errors.serialization(`Assets.${index} must be a structure`);
    const v = new Validator(entry);
    const category = v.requiredString('Category', { oneOf: ASSET_CATEGORIES });
    const colorMode = v.requiredString('ColorMode', { oneOf: COLOR_MODES });
    const extension = v.requiredString('Extension', { oneOf: ASSET_EXTENSIONS }) as AssetExtension;
    const resourceId = v.optionalString('ResourceId', ManagedLoginRules.resourceId);
    const raw = v.optionalString('Bytes');
    v.done();
    if (raw === undefined) throw Errors.invalidParameter(`Asset ${index} (${category}, ${colorMode}) has no Bytes.`);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw) || raw.length % 4 !== 0) throw Errors.serialization(`Assets.${index}.Bytes is not valid base64`);
    const bytes = Buffer.from(raw, 'base64');
    if (bytes.length > MAX_ASSET_BYTES) throw constraint(`assets.${index}.member.bytes`, `Member must have length less than or equal to ${MAX_ASSET_BYTES}`);
    checkAsset(category, extension, bytes, index);
    const key = `${category}/${colorMode}`;
    if (seen.has(key)) throw Errors.invalidParameter(`Assets has ${category} for ColorMode ${colorMode} more than once.`);
    seen.add(key);
    return { category, colorMode, extension, bytes, resourceId };
  });
}

/** UseCognitoProvidedValues, Settings and Assets as one change; true goes with neither of the others. */
function readChange(input: JsonObject, v: Validator): BrandingChange {
  const useDefaults = v.optionalBoolean('UseCognitoProvidedValues') ?? false;
  const settings = readSettings(input);
  const assets = readAssets(input);
  if (useDefaults && (settings !== undefined || assets !== undefined)) {
    throw Errors.invalidParameter('When UseCognitoProvidedValues is true, Settings and Assets must be omitted.');
  }
  return { useCognitoProvidedValues: useDefaults, settings, assets };
}

function describeBranding(record: BrandingRecord, merged: boolean): JsonObject {
  const own = record.settings ?? {};
  const settings = record.useCognitoProvidedValues ? DEFAULT_SETTINGS : merged ? mergeSettings(DEFAULT_SETTINGS, own) : own;
  return {
    ManagedLoginBrandingId: record.brandingId,
    UserPoolId: record.poolId,
    UseCognitoProvidedValues: record.useCognitoProvidedValues,
    Settings: settings,
    Assets: record.assets.map((a) => ({
      Category: a.category,
      ColorMode: a.colorMode,
      Extension: a.extension,
      Bytes: a.bytes.toString('base64'),
      ...(a.resourceId !== undefined ? { ResourceId: a.resourceId } : {}),
    })),
    CreationDate: epochSeconds(record.createdAt),
    LastModifiedDate: epochSeconds(record.updatedAt),
  };
}

const createManagedLoginBranding: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const clientId = v.requiredString('ClientId', Rules.clientId);
  const change = readChange(input, v);
  v.done();
  const record = ctx.store.transaction(() => {
    const { pool, client } = requireClientOfPool(ctx, poolId, clientId);
    const created = managedLoginStoreOf(ctx.store).insertBranding(randomUUID(), pool.id, client.id, change, ctx.clock.now());
    if (!created) throw new CognitoError('ManagedLoginBrandingExistsException', `App client ${client.id} already has a managed login branding style.`);
    return created;
  });
  return { ManagedLoginBranding: describeBranding(record, false) };
};

const describeManagedLoginBranding: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const brandingId = v.requiredString('ManagedLoginBrandingId', ManagedLoginRules.brandingId);
  const merged = v.optionalBoolean('ReturnMergedResources') ?? false;
  v.done();
  const pool = requirePool(ctx, poolId);
  const record = managedLoginStoreOf(ctx.store).getBranding(pool.id, brandingId);
  if (!record) throw brandingNotFound();
  return { ManagedLoginBranding: describeBranding(record, merged) };
};

const describeManagedLoginBrandingByClient: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const clientId = v.requiredString('ClientId', Rules.clientId);
  const merged = v.optionalBoolean('ReturnMergedResources') ?? false;
  v.done();
  const { pool, client } = requireClientOfPool(ctx, poolId, clientId);
  const record = managedLoginStoreOf(ctx.store).brandingOfClient(pool.id, client.id);
  if (!record) throw brandingNotFound();
  return { ManagedLoginBranding: describeBranding(record, merged) };
};

const updateManagedLoginBranding: Handler = async (input, ctx) => {
  const v = new Validator(input);
  // Both optional in the model; the style's id is needed to find it, and names it alone (ids are unique).
  const poolId = v.optionalString('UserPoolId', Rules.userPoolId);
  const brandingId = v.requiredString('ManagedLoginBrandingId', ManagedLoginRules.brandingId);
  const change = readChange(input, v);
  v.done();
  const record = ctx.store.transaction(() => {
    const store = managedLoginStoreOf(ctx.store);
    const stylePool = poolId ?? store.poolOfBranding(brandingId);
    if (stylePool === undefined) throw brandingNotFound();
    const pool = requirePool(ctx, stylePool);
    const updated = store.updateBranding(pool.id, brandingId, change, ctx.clock.now());
    if (!updated) throw brandingNotFound();
    return updated;
  });
  return { ManagedLoginBranding: describeBranding(record, false) };
};

const deleteManagedLoginBranding: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const brandingId = v.requiredString('ManagedLoginBrandingId', ManagedLoginRules.brandingId);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  v.done();
  const pool = requirePool(ctx, poolId);
  if (!managedLoginStoreOf(ctx.store).deleteBranding(pool.id, brandingId)) throw brandingNotFound();
  return {};
};

// ---------- terms ----------

const TERMS_SOURCES = ['LINK'];
const ENFORCEMENTS = ['NONE'];

function readLinks(v: Validator, required: boolean): Record<string, string> | undefined {
  const links = v.optionalMap('Links');
  if (links === undefined) {
    if (required) throw Errors.invalidParameter('Links must give at least one URL (cognito:default for every language).');
    return undefined;
  }
  const entries = Object.entries(links);
  if (entries.length === 0) throw Errors.invalidParameter('Links must give at least one URL (cognito:default for every language).');
  if (entries.length > MAX_LINKS) throw constraint('links', `Member must have length less than or equal to ${MAX_LINKS}`);
  for (const [language, url] of entries) {
    if (!Object.hasOwn(TERMS_LANGUAGES, language)) {
      throw Errors.invalidParameter(`Links: ${language.slice(0, 64)} is not one of ${Object.keys(TERMS_LANGUAGES).join(', ')}.`);
    }
    if (url.length < 1 || url.length > MAX_LINK) throw constraint(`links.${language}`, `Member must have length between 1 and ${MAX_LINK}`);
    if (!isWebUrl(url)) throw Errors.invalidParameter(`Links: the URL for ${language} must be an http or https URL.`);
  }
  return links;
}

function checkTermsName(name: string): void {
  if (name !== '' && !termsKindOf(name)) throw Errors.invalidParameter('TermsName must begin with terms-of-use or privacy-policy.');
}

function describeTerms(record: TermsRecord): JsonObject {
  return {
    TermsId: record.termsId,
    UserPoolId: record.poolId,
    ClientId: record.clientId,
    TermsName: record.termsName,
    TermsSource: record.termsSource,
    Enforcement: record.enforcement,
    Links: record.links,
    CreationDate: epochSeconds(record.createdAt),
    LastModifiedDate: epochSeconds(record.updatedAt),
  };
}

const termsExist = (name: string) => new CognitoError('TermsExistsException', `Terms documents named ${name} already exist for this app client.`);

const createTerms: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const clientId = v.requiredString('ClientId', Rules.clientId);
  const termsName = v.requiredString('TermsName', ManagedLoginRules.termsName);
  const termsSource = v.requiredString('TermsSource', { oneOf: TERMS_SOURCES });
  const enforcement = v.requiredString('Enforcement', { oneOf: ENFORCEMENTS });
  v.done();
  checkTermsName(termsName);
  const links = readLinks(v, true)!;
  const record = ctx.store.transaction(() => {
    const { pool, client } = requireClientOfPool(ctx, poolId, clientId);
    const created = managedLoginStoreOf(ctx.store).insertTerms({ termsId: randomUUID(), poolId: pool.id, clientId: client.id, termsName, termsSource, enforcement, links }, ctx.clock.now());
    if (!created) throw termsExist(termsName);
    return created;
  });
  return { Terms: describeTerms(record) };
};

function readTermsTarget(input: JsonObject) {
  const v = new Validator(input);
  const termsId = v.requiredString('TermsId', ManagedLoginRules.termsId);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  return { v, termsId, poolId };
}

const describeTermsHandler: Handler = async (input, ctx) => {
  const { v, termsId, poolId } = readTermsTarget(input);
  v.done();
  const pool = requirePool(ctx, poolId);
  const record = managedLoginStoreOf(ctx.store).getTerms(pool.id, termsId);
  if (!record) throw termsNotFound();
  return { Terms: describeTerms(record) };
};

const describeTermsByClient: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const clientId = v.requiredString('ClientId', Rules.clientId);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const termsName = v.requiredString('TermsName', ManagedLoginRules.termsName);
  v.done();
  const { pool, client } = requireClientOfPool(ctx, poolId, clientId);
  const record = managedLoginStoreOf(ctx.store).termsByName(pool.id, client.id, termsName);
  if (!record) throw termsNotFound();
  return { Terms: describeTerms(record) };
};

const listTerms: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const maxResults = v.optionalInteger('MaxResults', 1, 60) ?? 60;
  const nextToken = v.optionalString('NextToken', Rules.paginationKey);
  v.done();
  const pool = requirePool(ctx, poolId);
  const { items, next } = page((offset, limit) => managedLoginStoreOf(ctx.store).listTerms(pool.id, offset, limit), nextToken, maxResults);
  return {
    Terms: items.map((t) => ({ TermsId: t.termsId, TermsName: t.termsName, Enforcement: t.enforcement, CreationDate: epochSeconds(t.createdAt), LastModifiedDate: epochSeconds(t.updatedAt) })),
    ...(next ? { NextToken: next } : {}),
  };
};

const updateTerms: Handler = async (input, ctx) => {
  const { v, termsId, poolId } = readTermsTarget(input);
  const termsName = v.optionalString('TermsName', ManagedLoginRules.termsName);
  const termsSource = v.optionalString('TermsSource', { oneOf: TERMS_SOURCES });
  const enforcement = v.optionalString('Enforcement', { oneOf: ENFORCEMENTS });
  v.done();
  if (termsName !== undefined) checkTermsName(termsName);
  const links = readLinks(v, false);
  const record = ctx.store.transaction(() => {
    const pool = requirePool(ctx, poolId);
    const store = managedLoginStoreOf(ctx.store);
    const current = store.getTerms(pool.id, termsId);
    if (!current) throw termsNotFound();
    if (termsName !== undefined && termsName !== current.termsName && store.termsByName(pool.id, current.clientId, termsName)) throw termsExist(termsName);
    // What the request leaves out stays as it was.
    return store.updateTerms(
      {
        ...current,
        termsName: termsName ?? current.termsName,
        termsSource: termsSource ?? current.termsSource,
        enforcement: enforcement ?? current.enforcement,
        links: links ?? current.links,
      },
      ctx.clock.now(),
    );
  });
  return { Terms: describeTerms(record) };
};

const deleteTerms: Handler = async (input, ctx) => {
  const { v, termsId, poolId } = readTermsTarget(input);
  v.done();
  const pool = requirePool(ctx, poolId);
  if (!managedLoginStoreOf(ctx.store).deleteTerms(pool.id, termsId)) throw termsNotFound();
  return {};
};

export const managedLoginHandlers: HandlerRegistry = {
  CreateManagedLoginBranding: createManagedLoginBranding,
  DescribeManagedLoginBranding: describeManagedLoginBranding,
  DescribeManagedLoginBrandingByClient: describeManagedLoginBrandingByClient,
  UpdateManagedLoginBranding: updateManagedLoginBranding,
  DeleteManagedLoginBranding: deleteManagedLoginBranding,
  CreateTerms: createTerms,
  DescribeTerms: describeTermsHandler,
  DescribeTermsByClient: describeTermsByClient,
  ListTerms: listTerms,
  UpdateTerms: updateTerms,
  DeleteTerms: deleteTerms,
};
