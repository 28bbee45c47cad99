// What the pages of a ManagedLoginVersion 2 domain take from managed login: the client's branding
// style's FORM_LOGO (in the banner) and PAGE_BACKGROUND (behind the page), served by the pool under
// its own URL so the page's img-src 'self' covers them; and the client's terms documents, linked on
// the sign-up page once both kinds exist (as managed login shows them).
import type { PoolContext } from '../context.js';
import type { HttpContext } from '../oauth/http.js';
import { managedLoginStoreOf, type BrandingRecord } from '../pools/managed-login-store.js';
import { CONTENT_TYPES, isWebUrl, linkFor, termsKindOf, type AssetExtension, type TermsKind } from '../pools/managed-login.js';
import type { Branding } from './branding.js';
import { escapeHtml } from './pages.js';

/** Light first: the pages have no dark mode. */
const COLOR_PREFERENCE = ['LIGHT', 'DYNAMIC', 'DARK'];

/** Where the pool serves an asset of a style (oauth/routes.ts). */
export const assetPath = (poolId: string, brandingId: string, category: string, colorMode: string): string =>
  `/${poolId}/_managed-login/${brandingId}/${category}/${colorMode}`;

function assetUrl(record: BrandingRecord, category: string): string | undefined {
  const asset = COLOR_PREFERENCE.map((mode) => record.assets.find((a) => a.category === category && a.colorMode === mode)).find(Boolean);
  return asset && `${assetPath(record.poolId, record.brandingId, category, asset.colorMode)}?v=${record.updatedAt}`;
}

/** The page branding of a version 2 domain: the client's style's logo and background, or none. */
export function managedLoginBrandingOf(ctx: PoolContext, poolId: string, clientId: string): Branding | undefined {
  const record = managedLoginStoreOf(ctx.store).brandingOfClient(poolId, clientId);
  if (!record) return undefined;
  return { logoUrl: assetUrl(record, 'FORM_LOGO'), backgroundUrl: assetUrl(record, 'PAGE_BACKGROUND') };
}

function notFound(http: HttpContext): void {
  const body = 'No such asset.';
  http.res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), 'X-Content-Type-Options': 'nosniff' });
  http.res.end(http.req.method === 'HEAD' ? undefined : body);
}

/** GET /<poolId>/_managed-login/<brandingId>/<category>/<colorMode>: the asset's bytes with its type, or 404. */
export function sendAsset(ctx: PoolContext, http: HttpContext, poolId: string, brandingId: string, category: string, colorMode: string): void {
  const asset = managedLoginStoreOf(ctx.store).getAsset(poolId, brandingId, category, colorMode);
  const type = asset && CONTENT_TYPES[asset.extension as AssetExtension];
  if (!asset || !type) return notFound(http);
  http.res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': String(asset.bytes.length),
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    // An image, never a document: an SVG opened on its own runs no script.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  });
  http.res.end(http.req.method === 'HEAD' ? undefined : asset.bytes);
}

const TERMS_TEXT: Record<TermsKind, string> = { 'terms-of-use': 'Terms of use', 'privacy-policy': 'Privacy policy' };

/**
 * The sign-up page's terms links for the client, in the page's language (else cognito:default); empty
 * until the client has both a terms-of-use and a privacy-policy document. Only http(s) URLs are shown.
 */
export function termsLinksHtml(ctx: PoolContext, poolId: string, clientId: string, lang: string | undefined): string {
  const chosen = new Map<TermsKind, string>();
  for (const terms of managedLoginStoreOf(ctx.store).termsOfClient(poolId, clientId)) {
    const kind = termsKindOf(terms.termsName);
    const url = linkFor(terms.links, lang);
    if (kind && url && isWebUrl(url) && !chosen.has(kind)) chosen.set(kind, url);
  }
  if (chosen.size < 2) return '';
  const anchor = (kind: TermsKind) =>
    `<a class="legalText-customizable" id="${kind}" href="${escapeHtml(chosen.get(kind)!)}" target="_blank" rel="noopener noreferrer">${TERMS_TEXT[kind]}</a>`;
  return `<p class="terms" id="terms">By signing up, you agree to the ${anchor('terms-of-use')} and the ${anchor('privacy-policy')}.</p>`;
}
