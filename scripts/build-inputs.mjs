// What a build is made from, as one hash: `npm start` rebuilds only when it changed (scripts/build-if-stale.mjs),
// and scripts/postbuild.mjs records it in dist/ after each build.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const DIRECTORIES = ['src', 'machines', 'scripts', 'bench'];
const FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const SKIPPED = new Set(['node_modules', 'dist', '.git']);
export const STAMP = 'dist/.build-inputs';

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

export function inputsHash(root = '.') {
  const hash = createHash('sha256');
  const files = [...FILES.map((f) => join(root, f)), ...DIRECTORIES.flatMap((d) => (existsSync(join(root, d)) ? [...walk(join(root, d))] : []))];
  for (const file of files) {
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}
