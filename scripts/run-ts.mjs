// Runs a TypeScript entry point: node scripts/run-ts.mjs <entry.ts> [args...]
// Bundles the entry with esbuild (dependencies stay external, tssrp6a gets its WebCrypto shim),
// writes it under node_modules/.cache/authchart (so bare imports resolve from the project) and imports it.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tssrp6aWebCrypto } from './esbuild-plugins.mjs';

const [entryArg, ...args] = process.argv.slice(2);
if (!entryArg) {
  process.stderr.write('usage: node scripts/run-ts.mjs <entry.ts> [args...]\n');
  process.exit(2);
}
const entry = resolve(entryArg);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = resolve(root, 'node_modules/.cache/authchart');

const result = await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  target: 'node20',
  sourcemap: 'inline',
  write: false,
  logLevel: 'warning',
  plugins: [tssrp6aWebCrypto],
});
const code = result.outputFiles[0].contents;
// Content-addressed: concurrent runs of the same code share one file; a run never sees a half-written one.
const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
const name = basename(entry).replace(/\.[cm]?tsx?$/, '');
const out = resolve(cacheDir, `${name}-${hash}.mjs`);
if (existsSync(out)) {
  const now = new Date();
  utimesSync(out, now, now);
} else {
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, out);
}
// Bundles of earlier versions of this entry, unused for 10 minutes, go.
for (const file of readdirSync(cacheDir)) {
  const path = resolve(cacheDir, file);
  if (path === out || !file.startsWith(`${name}-`) || !/\.(mjs|tmp)$/.test(file)) continue;
  try {
    if (Date.now() - statSync(path).mtimeMs > 10 * 60_000) rmSync(path, { force: true });
  } catch {
    // another run removed it first
  }
}
process.setSourceMapsEnabled(true); // stack traces point into the .ts sources
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(out).href);
