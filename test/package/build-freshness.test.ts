// `npm start` rebuilds only when the sources changed since the last build: scripts/build-if-stale.mjs compares the
// hash of the build's inputs with the one scripts/postbuild.mjs recorded. Run here in a small project of its own
// whose "build" script only says it ran.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'authchart-fresh-'));
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'src'));
  for (const file of ['build-inputs.mjs', 'build-if-stale.mjs']) copyFileSync(join(root, 'scripts', file), join(dir, 'scripts', file));
  // The build records its inputs as postbuild does (the real postbuild needs a real dist/).
  writeFileSync(
    join(dir, 'scripts/fake-build.mjs'),
    `import { mkdirSync, writeFileSync } from 'node:fs';
     import { inputsHash, STAMP } from './build-inputs.mjs';
     console.log('BUILT');
     mkdirSync('dist', { recursive: true });
     writeFileSync(STAMP, inputsHash() + '\\n');`,
  );
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fresh', type: 'module', scripts: { build: 'node scripts/fake-build.mjs' } }));
  writeFileSync(join(dir, 'src/a.ts'), 'export const a = 1;\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const prestart = () => execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: dir, encoding: 'utf8' });

describe('npm start’s build check', () => {
  it('builds when there is no build, not again while nothing changed, and again after a source changed', () => {
    expect(prestart()).toContain('BUILT');
    const second = prestart();
    expect(second).toContain('up to date');
    expect(second).not.toContain('BUILT');
    writeFileSync(join(dir, 'src/a.ts'), 'export const a = 2;\n');
    const third = prestart();
    expect(third).toContain('sources changed');
    expect(third).toContain('BUILT');
    expect(prestart()).not.toContain('BUILT');
  });

  it('a new source file or a changed package.json counts as a change', () => {
    prestart();
    writeFileSync(join(dir, 'src/b.ts'), 'export const b = 1;\n');
    expect(prestart()).toContain('BUILT');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fresh', version: '2.0.0', type: 'module', scripts: { build: 'node scripts/fake-build.mjs' } }));
    expect(prestart()).toContain('BUILT');
  });
});
