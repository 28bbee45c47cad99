// npm run api-docs: writes docs/api/*.md from the TSDoc of every package export (scripts/api-docs-lib.ts);
// npm run api-docs -- --check regenerates in memory and exits 1 listing the stale files.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateApiDocs } from './api-docs-lib.js';

const root = process.cwd();
const check = process.argv.includes('--check');
const files = generateApiDocs(root);
const wanted = new Set(files.map((f) => f.path));
const existing = existsSync(join(root, 'docs/api')) ? readdirSync(join(root, 'docs/api')).map((f) => `docs/api/${f}`) : [];
const stale = [
  ...files.filter((f) => !existsSync(join(root, f.path)) || readFileSync(join(root, f.path), 'utf8') !== f.content).map((f) => f.path),
  ...existing.filter((p) => !wanted.has(p)),
];
if (check) {
  if (stale.length > 0) {
    process.stderr.write(`api-docs: stale: ${stale.join(', ')} (run npm run api-docs)\n`);
    process.exit(1);
  }
  process.stdout.write('api-docs: up to date\n');
} else {
  for (const path of existing.filter((p) => !wanted.has(p))) rmSync(join(root, path));
  for (const file of files) {
    mkdirSync(dirname(join(root, file.path)), { recursive: true });
    writeFileSync(join(root, file.path), file.content);
  }
  process.stdout.write(`api-docs: wrote ${files.length} files (${stale.length} changed)\n`);
}
