// Managed login (ManagedLoginVersion 2) branding styles and terms documents: the model's rules for
// their members, the small default settings document the pool stands in for Cognito's with, and the
// asset types the pool serves. docs/local-pool.md, "Managed login branding and terms", says what is kept.
import { Errors } from '../api/errors.js';
import type { StringRule } from '../api/validation.js';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const UUID_TEXT = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const ManagedLoginRules = {
  brandingId: { min: 1, max: 36, pattern: UUID, patternText: UUID_TEXT },
  termsId: { min: 1, max: 36, pattern: UUID, patternText: UUID_TEXT },
  termsName: { min: 1, max: 30, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, patternText: '^[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+$' },
  resourceId: { min: 1, max: 40, pattern: /^[\w\- ]+$/, patternText: '^[\\w\\- ]+$' },
} satisfies Record<string, StringRule>;

export const ASSET_CATEGORIES = [
  'FAVICON_ICO', 'FAVICON_SVG', 'EMAIL_GRAPHIC', 'SMS_GRAPHIC', 'AUTH_APP_GRAPHIC', 'PASSWORD_GRAPHIC', 'PASSKEY_GRAPHIC',
  'PAGE_HEADER_LOGO', 'PAGE_HEADER_BACKGROUND', 'PAGE_FOOTER_LOGO', 'PAGE_FOOTER_BACKGROUND', 'PAGE_BACKGROUND',
  'FORM_BACKGROUND', 'FORM_LOGO', 'IDP_BUTTON_ICON',
] as const;
export const COLOR_MODES = ['LIGHT', 'DARK', 'DYNAMIC'] as const;
export const ASSET_EXTENSIONS = ['ICO', 'JPEG', 'PNG', 'SVG', 'WEBP'] as const;
export type AssetExtension = (typeof ASSET_EXTENSIONS)[number];

/** The model's limits: an asset's Bytes, and assets in one request. */
export const MAX_ASSET_BYTES = 1_000_000;
export const MAX_ASSETS = 40;
/** The settings document as JSON text; Cognito's whole request is capped at 2 MB. */
export const MAX_SETTINGS_CHARS = 1_048_576;

export const CONTENT_TYPES: Record<AssetExtension, string> = {
  ICO: 'image/x-icon',
  JPEG: 'image/jpeg',
  PNG: 'image/png',
  SVG: 'image/svg+xml',
  WEBP: 'image/webp',
};

/** The two favicon categories take only their own file type. */
const CATEGORY_EXTENSION: Partial<Record<string, AssetExtension>> = { FAVICON_ICO: 'ICO', FAVICON_SVG: 'SVG' };

const startsWith = (bytes: Buffer, prefix: number[], at = 0) => bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);

/** Whether the bytes are a file of `extension` (by their first bytes; an SVG by its <svg element). */
function isOfType(bytes: Buffer, extension: AssetExtension): boolean {
  switch (extension) {
    case 'PNG':
      return startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'JPEG':
      return startsWith(bytes, [0xff, 0xd8, 0xff]);
    case 'ICO':
      return startsWith(bytes, [0x00, 0x00, 0x01, 0x00]);
    case 'WEBP':
      return startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8);
    case 'SVG':
      return /<svg[\s>]/i.test(bytes.subarray(0, 4096).toString('utf8'));
  }
}

/** An asset's Category, Extension and Bytes belong together, as managed login shows them. */
export function checkAsset(category: string, extension: AssetExtension, bytes: Buffer, index: number): void {
  const required = CATEGORY_EXTENSION[category];
  if (required && extension !== required) throw Errors.invalidParameter(`Asset ${index}: ${category} must be a ${required} file.`);
  if (!isOfType(bytes, extension)) throw Errors.invalidParameter(`Asset ${index}: the Bytes are not a ${extension} file.`);
}

/**
 * What the pool returns as Cognito's default settings (UseCognitoProvidedValues, and under a style's own
 * values with ReturnMergedResources). Cognito's own document is far larger; this keeps its two top-level
 * parts (components, categories) and a few of its values, enough for a script to read and edit.
 */
export const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  components: {
    primaryButton: {
      lightMode: { defaults: { backgroundColor: '0972d3ff', textColor: 'ffffffff' } },
      darkMode: { defaults: { backgroundColor: '539fe5ff', textColor: '000716ff' } },
    },
    pageBackground: { lightMode: { color: 'ffffffff' }, darkMode: { color: '0f1b2aff' }, image: { enabled: true } },
    form: { borderRadius: 8, logo: { location: 'CENTER', position: 'TOP', enabled: false, formInclusion: 'IN' } },
  },
  categories: {
    global: { colorSchemeMode: 'LIGHT', pageHeader: { enabled: false }, pageFooter: { enabled: false } },
    form: { displayGraphics: true, location: { horizontal: 'CENTER', vertical: 'CENTER' } },
  },
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `own` over `defaults`, object by object (lists and values of `own` replace). */
export function mergeSettings(defaults: Readonly<Record<string, unknown>>, own: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(own)) {
    const base = merged[key];
    // defineProperty: a "__proto__" key in the document is data, not the object's prototype.
    Object.defineProperty(merged, key, { value: isObject(base) && isObject(value) ? mergeSettings(base, value) : value, enumerable: true, writable: true, configurable: true });
  }
  return merged;
}

// ---------- terms ----------

/** A terms document's name says which kind it is. */
export const TERMS_KINDS = ['terms-of-use', 'privacy-policy'] as const;
export type TermsKind = (typeof TERMS_KINDS)[number];
export const termsKindOf = (name: string): TermsKind | undefined => TERMS_KINDS.find((kind) => name.startsWith(kind));

/** Managed login's languages, as the Links keys name them. */
export const TERMS_LANGUAGES: Readonly<Record<string, string>> = {
  'cognito:default': '',
  'cognito:english': 'en',
  'cognito:french': 'fr',
  'cognito:spanish': 'es',
  'cognito:german': 'de',
  'cognito:bahasa-indonesia': 'id',
  'cognito:italian': 'it',
  'cognito:japanese': 'ja',
  'cognito:korean': 'ko',
  'cognito:portuguese-brazil': 'pt-BR',
  'cognito:chinese-simplified': 'zh-CN',
  'cognito:chinese-traditional': 'zh-TW',
};
export const MAX_LINKS = 12;
export const MAX_LINK = 1024;

/** Only http(s) URLs: a link the sign-up page shows must not be able to run script (javascript:, data:). */
export function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The Links key for a page language (lang=es), else cognito:default. */
export function linkFor(links: Record<string, string>, lang: string | undefined): string | undefined {
  if (lang !== undefined) {
    const wanted = lang.toLowerCase();
    const key =
      Object.keys(TERMS_LANGUAGES).find((k) => TERMS_LANGUAGES[k]!.toLowerCase() === wanted) ??
      Object.keys(TERMS_LANGUAGES).find((k) => TERMS_LANGUAGES[k] !== '' && TERMS_LANGUAGES[k]!.toLowerCase() === wanted.split('-')[0]);
    if (key && links[key]) return links[key];
  }
  return links['cognito:default'];
}
