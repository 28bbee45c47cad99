// SetUICustomization's rules: the CSS may only style the hosted UI's customizable classes (as
// Cognito's classic hosted UI allows), the logo must be a PNG or JPEG; and how the pages embed both
// without the CSS being able to leave its <style> element.
import { createHash } from 'node:crypto';
import { Errors } from '../api/errors.js';

/** The class selectors Cognito's classic hosted UI lets a CSS file style. */
export const CUSTOMIZABLE_CLASSES: readonly string[] = [
  'background-customizable',
  'banner-customizable',
  'errorMessage-customizable',
  'idpButton-customizable',
  'idpButton-customizable:hover',
  'idpDescription-customizable',
  'inputField-customizable',
  'inputField-customizable:focus',
  'label-customizable',
  'legalText-customizable',
  'logo-customizable',
  'passwordCheck-valid-customizable',
  'passwordCheck-notValid-customizable',
  'redirect-customizable',
  'socialButton-customizable',
  'submitButton-customizable',
  'submitButton-customizable:hover',
  'textDescription-customizable',
];

const ALLOWED_SELECTORS = new Set(CUSTOMIZABLE_CLASSES.map((name) => `.${name}`));

/** Statements Cognito refuses in the CSS. */
const FORBIDDEN_AT_RULES = /@(import|supports|page|media)\b/i;

/** The model's limit on CSS (characters) and on ImageFile (bytes). */
export const MAX_CSS = 131_072;
export const MAX_IMAGE = 131_072;

const invalidCss = (reason: string) => Errors.invalidParameter(`Invalid CSS: ${reason}`);

/**
 * Checks that `css` is a list of `selectors { declarations }` rules whose every selector is one of the
 * customizable classes; comments are allowed, at-rules and nested blocks are not.
 */
export function checkCss(css: string): void {
  if (FORBIDDEN_AT_RULES.test(css)) throw invalidCss('@import, @supports, @page and @media are not allowed.');
  const text = css.replace(/\/\*[\s\S]*?\*\//g, ' ');
  if (text.includes('/*')) throw invalidCss('a comment is not closed.');
  let rest = text;
  while (rest.trim() !== '') {
    const open = rest.indexOf('{');
    const close = rest.indexOf('}');
    if (open === -1 || close === -1 || close < open) throw invalidCss(`"${rest.trim().slice(0, 60)}" is not a rule (selector { declarations }).`);
    const body = rest.slice(open + 1, close);
    if (body.includes('{')) throw invalidCss('nested blocks are not allowed.');
    for (const selector of rest.slice(0, open).split(',').map((s) => s.trim())) {
      if (!ALLOWED_SELECTORS.has(selector)) {
        throw invalidCss(`${selector === '' ? 'an empty selector' : `"${selector.slice(0, 60)}"`} is not one of the customizable classes (${CUSTOMIZABLE_CLASSES.map((c) => `.${c}`).join(', ')}).`);
      }
    }
    rest = rest.slice(close + 1);
  }
}

/** The logo's Content-Type by its first bytes: PNG or JPEG, as Cognito takes. */
export function imageType(image: Buffer): 'image/png' | 'image/jpeg' {
  if (image.length >= 8 && image.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (image.length >= 3 && image[0] === 0xff && image[1] === 0xd8 && image[2] === 0xff) return 'image/jpeg';
  throw Errors.invalidParameter('Invalid ImageFile: the logo must be a PNG or JPEG image.');
}

/** CSSVersion: changes whenever the CSS does (Cognito's is an opaque string too). */
export const cssVersion = (css: string): string => createHash('sha256').update(css).digest('hex').slice(0, 20);

/**
 * The CSS as the body of a <style> element. The HTML parser ends the element at the first "</style",
 * so every "<" becomes the CSS escape \3c (the same character to CSS, none to HTML): nothing in
 * the CSS can close the element or open another one.
 */
export const cssForStyleElement = (css: string): string => css.replace(/</g, '\\3c ');

/** Where the pool serves a branding row's logo (oauth/routes.ts): under its own URL, as its issuer is. */
export const logoPath = (poolId: string, clientId: string): string => `/${poolId}/_ui-customization/${encodeURIComponent(clientId)}/logo`;
