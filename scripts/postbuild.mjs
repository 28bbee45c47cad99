// After scripts/build.mjs (npm runs it as "postbuild"): the CLI keeps its execute bit, CommonJS consumers get
// .d.cts types, and dist/ records what it was built from (scripts/build-if-stale.mjs).
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
// A package that is ESM only (jose, oauth4webapi) can't be require()d by a .d.cts either (TS1479 again, for
// consumers with skipLibCheck: false): its type imports get resolution-mode "import" (TypeScript 5.3+).
const esmOnly = new Map();
function isEsmOnly(name) {
  if (!esmOnly.has(name)) {
    const manifest = join('node_modules', name, 'package.json');
    const json = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')) : {};
    esmOnly.set(name, json.type === 'module' && !JSON.stringify(json.exports ?? {}).includes('"require"'));
  }
  return esmOnly.get(name);
}
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const bareImport = /^import\s+(type\s+)?\{([^}]*)\}\s+from\s+(['"])([^'".][^'"]*)\3;?$/gm;
function typeImportsAsEsm(text) {
  return text
    .replace(bareImport, (line, _type, names, quote, specifier) => {
      if (!isEsmOnly(packageOf(specifier))) return line;
      const plain = names.split(',').map((n) => n.trim().replace(/^type\s+/, '')).filter(Boolean).join(', ');
      return `import type { ${plain} } from ${quote}${specifier}${quote} with { "resolution-mode": "import" };`;
    })
    .replace(/\bimport\((['"])([^'".][^'"]*)\1\)/g, (call, quote, specifier) =>
      isEsmOnly(packageOf(specifier)) ? `import(${quote}${specifier}${quote}, { with: { "resolution-mode": "import" } })` : call);
}
let count = 0;
for (const file of declarations(ESM_TYPES)) {
  const target = join(CJS_TYPES, relative(ESM_TYPES, file)).replace(/\.d\.ts$/, '.d.cts');
  mkdirSync(dirname(target), { recursive: true });
  const text = readFileSync(file, 'utf8').replace(relativeJs, (_, lead, quote, path) => `${lead}${quote}${path}.cjs${quote}`);
  writeFileSync(target, typeImportsAsEsm(text));
  count++;
}
writeFileSync(STAMP, `${inputsHash()}\n`);
process.stdout.write(`[build] CLI executable, ${count} CommonJS declarations in ${CJS_TYPES}, build inputs recorded\n`);
