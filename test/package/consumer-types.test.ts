// The packed package's types, as TypeScript projects that install it see them: ESM and CommonJS projects under
// node16 (nodenext), bundler and node10 resolution import every export without an error (a CommonJS project used
// to get TS1479: every entry "masqueraded" as ESM), and each export's types are the ones of that format.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { consumerProject, root } from './packed.js';

const manifest = require('../../package.json') as { exports: Record<string, unknown> };
/** Every export but package.json: 'authchart', 'authchart/react', ... */
const specifiers = Object.keys(manifest.exports)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? 'authchart' : `authchart/${key.slice(2)}`));
const tsc = resolve(root, 'node_modules/typescript/bin/tsc');

interface Setup {
  readonly name: string;
  readonly packageType: 'module' | 'commonjs';
  readonly compilerOptions: Record<string, unknown>;
  readonly extension: string;
}

const SETUPS: readonly Setup[] = [
  { name: 'ESM project, node16', packageType: 'module', compilerOptions: { module: 'node16', moduleResolution: 'node16' }, extension: 'ts' },
  { name: 'CommonJS project, node16', packageType: 'commonjs', compilerOptions: { module: 'node16', moduleResolution: 'node16' }, extension: 'ts' },
  { name: 'ESM project, nodenext', packageType: 'module', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' }, extension: 'ts' },
  { name: 'CommonJS project, nodenext (.cts)', packageType: 'module', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' }, extension: 'cts' },
  { name: 'bundler', packageType: 'module', compilerOptions: { module: 'esnext', moduleResolution: 'bundler' }, extension: 'ts' },
  { name: 'node10 (CommonJS)', packageType: 'commonjs', compilerOptions: { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '5.0' }, extension: 'ts' },
];

/** Imports each export and uses one thing from it, so a wrong or missing type is an error. */
function consumerSource(): string {
  const lines = specifiers.map((specifier, i) => `import * as entry${i} from '${specifier}';`);
  lines.push(`import { createAuth, selectView } from 'authchart';`);
  lines.push(`const usesEntries: unknown[] = [${specifiers.map((_, i) => `entry${i}`).join(', ')}];`);
  lines.push(`const auth: ReturnType<typeof createAuth> | undefined = undefined as ReturnType<typeof createAuth> | undefined;`);
  // A wrong argument must be an error: the types are real, not `any`.
  lines.push(`// @ts-expect-error createAuth takes an options object`);
  lines.push(`createAuth(42);`);
  lines.push(`export const used = [usesEntries, auth, selectView];`);
  return `${lines.join('\n')}\n`;
}

function compile(setup: Setup, extra: Record<string, unknown> = {}): { code: number; out: string } {
  const dir = consumerProject();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: setup.packageType }));
  writeFileSync(join(dir, `index.${setup.extension}`), consumerSource());
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], lib: ['es2022', 'dom'], jsx: 'react-jsx', ...setup.compilerOptions, ...extra },
      files: [`index.${setup.extension}`],
    }),
  );
  try {
    return { code: 0, out: execFileSync(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, out: `${failed.stdout}${failed.stderr}` };
  }
}

describe('types for the projects that install authchart', () => {
  it('covers every export of package.json', () => {
    expect(specifiers).toEqual(expect.arrayContaining(['authchart', 'authchart/react', 'authchart/local-pool', 'authchart/testing']));
  });

  it.each(SETUPS.map((s) => [s.name, s] as const))('%s: every export type-checks', (_, setup) => {
    const { code, out } = compile(setup);
    expect(out).toBe('');
    expect(code).toBe(0);
  }, 120_000);

  // Projects that type-check their dependencies too: the published declarations (and what they import from xstate,
  // React, Vue, Svelte, ...) have no errors of their own. The AWS SDK's types are not part of the public API.
  it.each([SETUPS[0]!, SETUPS[1]!, SETUPS[4]!].map((s) => [s.name, s] as const))('%s, skipLibCheck: false: no errors in the declarations', (_, setup) => {
    const { code, out } = compile(setup, { skipLibCheck: false });
    expect(out).toBe('');
    expect(code).toBe(0);
  }, 180_000);

  it('a CommonJS project gets the CommonJS declarations (.d.cts), an ESM project the ESM ones', () => {
    const cjs = compile(SETUPS[1]!, { traceResolution: true, noEmit: true });
    const esm = compile(SETUPS[0]!, { traceResolution: true, noEmit: true });
    const resolvedTo = (out: string) => /Module name 'authchart' was successfully resolved to '([^']+)'/.exec(out)?.[1];
    expect(resolvedTo(cjs.out)).toMatch(/dist\/types-cjs\/src\/index\.d\.cts$/);
    expect(resolvedTo(esm.out)).toMatch(/dist\/types\/src\/index\.d\.ts$/);
  }, 120_000);
});
