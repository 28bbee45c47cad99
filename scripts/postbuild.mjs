// After scripts/build.mjs (npm runs it as "postbuild"): the CLI keeps its execute bit, CommonJS consumers get
// .d.cts types, and dist/ records what it was built from (scripts/build-if-stale.mjs).
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { inputsHash, STAMP } from './build-inputs.mjs';

chmodSync('dist/cli/authchart.js', 0o755);

// A .d.ts next to "type": "module" is an ES module to TypeScript, so a CommonJS project that require()s the
// package would fail with TS1479. Each declaration is copied as .d.cts with its relative imports pointing at the
// .cjs twins (the "require" condition's "types" in package.json points here).
const ESM_TYPES = 'dist/types';
const CJS_TYPES = 'dist/types-cjs';
rmSync(CJS_TYPES, { recursive: true, force: true });
const relativeJs = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*?)\.js\2/g;
function* declarations(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* declarations(path);
    else if (entry.name.endsWith('.d.ts')) yield path;
  }
}
let count = 0;
for (const file of declarations(ESM_TYPES)) {
  const target = join(CJS_TYPES, relative(ESM_TYPES, file)).replace(/\.d\.ts$/, '.d.cts');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, readFileSync(file, 'utf8').replace(relativeJs, (_, lead, quote, path) => `${lead}${quote}${path}.cjs${quote}`));
  count++;
}
writeFileSync(STAMP, `${inputsHash()}\n`);
process.stdout.write(`[build] CLI executable, ${count} CommonJS declarations in ${CJS_TYPES}, build inputs recorded\n`);
