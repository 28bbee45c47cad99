// The classic hosted UI's branding (SetUICustomization) on the pages: the client's own, else the
// pool's (ALL); and the logo, served by the pool under its own URL (GetUICustomization's ImageUrl).
import type { PoolContext } from '../context.js';
import type { HttpContext } from '../oauth/http.js';
import { ALL_CLIENTS, poolConfigStoreOf } from '../pools/pool-config-store.js';
import { logoPath } from '../pools/ui-customization.js';

export interface Branding {
  css?: string | undefined;
  /** Root-relative, so the page loads it from its own origin (img-src 'self'), whatever host the domain is reached by. */
  logoUrl?: string | undefined;
  /** A managed login style's PAGE_BACKGROUND (version 2 domains), root-relative as the logo. */
  backgroundUrl?: string | undefined;
}

export function brandingOf(ctx: PoolContext, poolId: string, clientId: string): Branding | undefined {
  const record = poolConfigStoreOf(ctx.store).effectiveUiCustomization(poolId, clientId);
  if (!record) return undefined;
  return { css: record.css, logoUrl: record.image ? `${logoPath(record.poolId, record.clientId)}?v=${record.updatedAt}` : undefined };
}

function notFound(http: HttpContext): void {
  const body = 'No logo here.';
  http.res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), 'X-Content-Type-Options': 'nosniff' });
  http.res.end(http.req.method === 'HEAD' ? undefined : body);
}

/** GET /<poolId>/_ui-customization/<ALL | client id>/logo: the row's image with its type, or 404. */
export function sendLogo(ctx: PoolContext, http: HttpContext, poolId: string, rawClientId: string): void {
  let clientId: string;
  try {
    clientId = decodeURIComponent(rawClientId);
  } catch {
    return notFound(http);
  }
  const record = poolConfigStoreOf(ctx.store).getUiCustomization(poolId, clientId === ALL_CLIENTS ? ALL_CLIENTS : clientId);
  if (!record?.image || !record.imageType) return notFound(http);
  http.res.writeHead(200, {
    'Content-Type': record.imageType,
    'Content-Length': String(record.image.length),
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    // An image, never a document: a logo opened on its own runs nothing.
    'Content-Security-Policy': "default-src 'none'; sandbox",
  });
  http.res.end(http.req.method === 'HEAD' ? undefined : record.image);
}
