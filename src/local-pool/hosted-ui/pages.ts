// The hosted UI's pages: plain HTML forms (no script), every value escaped. Input names follow
// Cognito's hosted UI where apps and tests rely on them (username, password).
import { renderSVG } from 'uqr';
import { cssForStyleElement } from '../pools/ui-customization.js';
import type { Branding } from './branding.js';

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;background:#f3f4f6;margin:0;color:#111827}
main{max-width:360px;margin:48px auto;background:#fff;border-radius:8px;padding:24px 28px;box-shadow:0 1px 3px #0002}
h1{font-size:20px;margin:0 0 4px}p.app{color:#6b7280;margin:0 0 16px;font-size:13px}
label{display:block;margin:12px 0 4px;font-weight:600;font-size:13px}
input[type=text],input[type=password],input[type=email]{width:100%;box-sizing:border-box;padding:8px;border:1px solid #d1d5db;border-radius:4px;font:inherit}
button{margin-top:16px;width:100%;padding:9px;border:0;border-radius:4px;background:#2563eb;color:#fff;font:inherit;font-weight:600;cursor:pointer}
button.secondary{background:#e5e7eb;color:#111827}
.error{background:#fef2f2;color:#991b1b;border:1px solid #fecaca;padding:8px;border-radius:4px;margin:12px 0}
.notice{background:#eff6ff;color:#1e3a8a;border:1px solid #bfdbfe;padding:8px;border-radius:4px;margin:12px 0}
.links{margin-top:16px;font-size:13px;display:flex;justify-content:space-between}
.or{text-align:center;color:#6b7280;margin:16px 0 0;font-size:13px}
a.provider{display:block;text-align:center;margin-top:10px;padding:9px;border:1px solid #d1d5db;border-radius:4px;color:#111827;text-decoration:none;font-weight:600}
code{word-break:break-all}.qr svg{width:180px;height:180px;display:block;margin:8px auto}
footer{max-width:360px;margin:8px auto;color:#9ca3af;font-size:12px;text-align:center}`;

export interface PageFrame {
  title: string;
  /** The app client's name, under the title. */
  appName?: string;
  lang?: string | undefined;
  error?: string | undefined;
  notice?: string | undefined;
  /** SetUICustomization's CSS and logo for the page's pool and client. */
  branding?: Branding | undefined;
}

/** The pool's CSS after the page's own, so its rules win; the logo in the banner. */
const brandingStyle = (branding: Branding | undefined): string =>
  (branding?.css ? `<style id="ui-customization">${cssForStyleElement(branding.css)}</style>` : '') +
  // The URL is the pool's own asset path (ids, category and mode of fixed alphabets); escaped for CSS anyway.
  (branding?.backgroundUrl ? `<style id="managed-login">.background-customizable{background:url("${cssForStyleElement(branding.backgroundUrl.replace(/["\\\n]/g, ''))}") center/cover no-repeat}</style>` : '');
const banner = (branding: Branding | undefined): string =>
  `<div class="banner-customizable">${branding?.logoUrl ? `<img class="logo-customizable" id="logo" src="${escapeHtml(branding.logoUrl)}" alt="">` : ''}</div>`;

export function page(frame: PageFrame, body: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(frame.lang ?? 'en')}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(frame.title)}</title><style>${STYLE}</style>${brandingStyle(frame.branding)}</head>
<body class="background-customizable"><main>
${banner(frame.branding)}
<h1>${escapeHtml(frame.title)}</h1>${frame.appName ? `<p class="app">${escapeHtml(frame.appName)}</p>` : ''}
${frame.error ? `<div class="errorMessage-customizable"><div class="error" role="alert" id="error">${escapeHtml(frame.error)}</div></div>` : ''}
${frame.notice ? `<div class="notice" role="status" id="notice">${escapeHtml(frame.notice)}</div>` : ''}
${body}
</main><footer>authchart local pool: hosted UI</footer></body></html>`;
}

const hidden = (fields: Record<string, string>): string =>
  Object.entries(fields).map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('');

export interface FormSpec {
  action: string;
  csrf: string;
  hidden?: Record<string, string>;
  fields: string;
  submit: string;
  name?: string;
}

export const form = (spec: FormSpec): string =>
  `<form method="post" action="${escapeHtml(spec.action)}"${spec.name ? ` name="${escapeHtml(spec.name)}"` : ''}>${hidden({ _csrf: spec.csrf, ...spec.hidden })}${spec.fields}<button type="submit" class="submitButton-customizable">${escapeHtml(spec.submit)}</button></form>`;

export function input(name: string, label: string, options: { type?: string; value?: string; autocomplete?: string; required?: boolean; autofocus?: boolean; inputmode?: string } = {}): string {
  const id = `field-${name.replace(/[^\w-]/g, '_')}`;
  const attributes = [
    `type="${options.type ?? 'text'}"`,
    `id="${id}"`,
    `name="${escapeHtml(name)}"`,
    options.value !== undefined ? `value="${escapeHtml(options.value)}"` : '',
    options.autocomplete ? `autocomplete="${options.autocomplete}"` : '',
    options.inputmode ? `inputmode="${options.inputmode}"` : '',
    options.required === false ? '' : 'required',
    options.autofocus ? 'autofocus' : '',
    'class="inputField-customizable"',
  ].filter(Boolean);
  return `<label for="${id}" class="label-customizable">${escapeHtml(label)}</label><input ${attributes.join(' ')}>`;
}

export const link = (href: string, text: string, id?: string): string =>
  `<a href="${escapeHtml(href)}"${id ? ` id="${id}"` : ''}>${escapeHtml(text)}</a>`;

export const providerButton = (href: string, name: string): string =>
  `<a class="provider idpButton-customizable" href="${escapeHtml(href)}" data-provider="${escapeHtml(name)}">Continue with ${escapeHtml(name)}</a>`;

/** The TOTP setup's QR code, inline (no image request, no script). */
export const qrCode = (uri: string): string => `<div class="qr">${renderSVG(uri, { border: 2 })}</div>`;

export const paragraph = (text: string): string => `<p>${escapeHtml(text)}</p>`;
