// Accessibility checks for browser tests: axe-core's rules run inside the page (its source injected with playwright),
// fields without an accessible name, and horizontal scrolling at a given width.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  /** CSS selectors of the offending elements. */
  readonly targets: string[];
}

interface AxeGlobal {
  run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }>;
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.x A/AA and best practices). */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: AxeGlobal }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations.map((v) => ({ rule: v.id, impact: v.impact ?? 'unknown', help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Visible form fields that no label, aria-label or aria-labelledby names (what a screen reader would read as "edit text"). */
export function unlabelledFields(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')]
      .filter((field) => field.type !== 'hidden' && field.getClientRects().length > 0)
      .filter((field) => !(field.labels?.length || field.getAttribute('aria-label')?.trim() || field.getAttribute('aria-labelledby')))
      .map((field) => field.name || field.id || field.outerHTML.slice(0, 80)),
  );
}

/** How many CSS pixels the page can scroll sideways (0: it fits the viewport's width). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth);
}
