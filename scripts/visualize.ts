// npm run visualize            writes the diagrams and docs/states.md from the machine
// npm run visualize -- --check regenerates in memory; exits 1 listing the stale files
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { authMachine } from '../machines/auth.machine.js';
import { generate, staleFiles } from './visualize-lib.js';

/** The repository root: the nearest directory up from the working directory with the machine in it. */
function findRoot(): string {
  for (let dir = resolve(process.cwd()); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'machines/auth.machine.ts'))) return dir;
    if (dirname(dir) === dir) throw new Error('Run from inside the authchart repository (no machines/auth.machine.ts found).');
  }
}

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--check');
if (unknown.length > 0) {
  process.stderr.write(`visualize: unknown argument(s) ${unknown.join(' ')}\nusage: npm run visualize [-- --check]\n`);
  process.exit(2);
}

const root = findRoot();
const files = await generate(authMachine);

if (args.includes('--check')) {
  const stale = await staleFiles(files, root);
  if (stale.length > 0) {
    process.stderr.write(
      `visualize: ${stale.length} generated file(s) out of date with machines/auth.machine.ts:\n` +
        stale.map((p) => `  ${p}\n`).join('') +
        'Fix: npm run visualize (then commit the files).\n',
    );
    process.exit(1);
  }
  process.stdout.write(`visualize: ${files.length} generated files are up to date\n`);
} else {
  const changed = await staleFiles(files, root);
  for (const file of files) {
    const path = join(root, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
  }
  process.stdout.write(
    files.map((f) => `visualize: ${changed.includes(f.path) ? 'wrote    ' : 'unchanged'} ${f.path}\n`).join(''),
  );
}
