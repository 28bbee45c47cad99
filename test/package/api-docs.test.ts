// docs/api is the API reference generated from the TSDoc (npm run api-docs): the committed pages are what the
// generator makes from the sources today, and every value an entry point exports at run time (read from the built
// CommonJS files, not through the generator) has its section.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { apiEntries, generateApiDocs } from '../../scripts/api-docs-lib.js';

const root = resolve(__dirname, '../..');
const manifest = require('../../package.json') as { exports: Record<string, { require?: { default?: string } }> };

describe('the API reference (docs/api)', () => {
  const generated = generateApiDocs(root);

  it('is up to date with the sources (npm run api-docs regenerates it)', () => {
    const stale = generated.filter((f) => !existsSync(join(root, f.path)) || readFileSync(join(root, f.path), 'utf8') !== f.content).map((f) => f.path);
    const extra = readdirSync(join(root, 'docs/api')).map((f) => `docs/api/${f}`).filter((p) => !generated.some((f) => f.path === p));
    expect({ stale, extra }).toEqual({ stale: [], extra: [] });
  });

  it('has a page per package export, listed in the index', () => {
    const index = generated.find((f) => f.path === 'docs/api/README.md')!.content;
    const exportKeys = Object.keys(manifest.exports).filter((k) => k !== './package.json');
    expect(apiEntries(root).map((e) => e.specifier).sort()).toEqual(exportKeys.map((k) => (k === '.' ? 'authchart' : `authchart/${k.slice(2)}`)).sort());
    for (const entry of apiEntries(root)) expect(index).toContain(`(${entry.file})`);
  });

  it.each(apiEntries(root).map((e) => [e.specifier, e] as const))('%s: every run-time export has its section', (specifier, entry) => {
    const key = specifier === 'authchart' ? '.' : `./${specifier.slice('authchart/'.length)}`;
    const built = manifest.exports[key]?.require?.default;
    expect(built).toBeDefined();
    const file = join(root, built!);
    if (!existsSync(file)) throw new Error(`${built} is missing: run npm run build`);
    const values = Object.keys(require(file) as object).filter((name) => name !== '__esModule' && name !== 'default');
    const page = generated.find((f) => f.path === `docs/api/${entry.file}`)!.content;
    const missing = values.filter((name) => !page.includes(`\n## ${name}\n`));
    expect(missing).toEqual([]);
    expect(values.length).toBeGreaterThan(0);
  });
});
