// npm run examples: type-checks and builds the example apps in docs/examples (React, Vue, Svelte) into
// docs/examples/<framework>/dist/main.js (IIFE, so index.html also works from file://).
//   type-check: tsc -p docs/examples (react/, vue/) and svelte-check (svelte/, with the .svelte component)
//   build:      esbuild; `authchart` and `authchart/<framework>` resolve to src/, .svelte files go through svelte/compiler
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { compile } from 'svelte/compiler';
import { tssrp6aWebCrypto } from './esbuild-plugins.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const examples = resolve(root, 'docs/examples');
const started = Date.now();
const say = (m) => process.stdout.write(`[examples] ${m}\n`);
const run = promisify(execFile);

/** .svelte -> JS with Svelte's own compiler (TypeScript in <script lang="ts"> is stripped by it); warnings fail the build. */
const svelte = {
  name: 'svelte',
  setup(b) {
    b.onLoad({ filter: /\.svelte$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const { js, warnings } = compile(source, { filename: relative(root, path), generate: 'client', css: 'injected' });
      return {
        contents: `${js.code}\n//# sourceMappingURL=${js.map.toUrl()}`,
        loader: 'js',
        resolveDir: dirname(path),
        errors: warnings.map((w) => ({ text: `${w.code}: ${w.message}`, location: w.start ? { file: path, line: w.start.line, column: w.start.column } : null })),
      };
    });
  },
};

const alias = {
  authchart: resolve(root, 'src/index.ts'),
  'authchart/react': resolve(root, 'src/frameworks/react.ts'),
  'authchart/vue': resolve(root, 'src/frameworks/vue.ts'),
  'authchart/svelte': resolve(root, 'src/frameworks/svelte.ts'),
};

const bundle = (name, entry, extra = {}) =>
  build({
    entryPoints: [resolve(examples, name, entry)],
    outfile: resolve(examples, name, 'dist/main.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
    alias,
    plugins: [tssrp6aWebCrypto, ...(extra.plugins ?? [])],
    define: { 'process.env.NODE_ENV': '"production"', ...extra.define },
    ...(extra.jsx ? { jsx: extra.jsx } : {}),
  });

const bin = (pkg, file) => resolve(root, 'node_modules', pkg, file);
const check = (label, args) =>
  run(process.execPath, args, { cwd: root, maxBuffer: 16 << 20 }).then(
    () => say(`${label}: ok`),
    (error) => {
      process.stderr.write(`${error.stdout ?? ''}${error.stderr ?? ''}`);
      throw new Error(`${label} failed`);
    },
  );

const jobs = {
  'react (esbuild)': bundle('react', 'main.tsx', { jsx: 'automatic' }),
  'vue (esbuild)': bundle('vue', 'main.ts', {
    define: { __VUE_OPTIONS_API__: 'false', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
  }),
  'svelte (esbuild + svelte/compiler)': bundle('svelte', 'main.ts', { plugins: [svelte] }),
  'tsc -p docs/examples (react, vue)': check('tsc -p docs/examples (react, vue)', [bin('typescript', 'bin/tsc'), '-p', 'docs/examples/tsconfig.json']),
  // --incremental: svelte2tsx output and a tsbuildinfo are cached in docs/examples/svelte/.svelte-check (gitignored).
  'svelte-check': check('svelte-check docs/examples/svelte', [
    bin('svelte-check', 'bin/svelte-check'),
    '--workspace', resolve(examples, 'svelte'),
    '--tsconfig', resolve(examples, 'svelte/tsconfig.json'),
    '--incremental',
    '--fail-on-warnings',
    '--output', 'human',
  ]),
};
const results = await Promise.allSettled(Object.values(jobs));
const failed = Object.keys(jobs).filter((_, i) => results[i].status === 'rejected');
for (const [i, name] of Object.keys(jobs).entries()) if (results[i].status === 'rejected' && !/failed$/.test(results[i].reason?.message ?? '')) process.stderr.write(`${name}: ${results[i].reason?.message ?? results[i].reason}\n`);
if (failed.length) {
  say(`FAILED: ${failed.join(', ')}`);
  process.exit(1);
}
say(`built docs/examples/{react,vue,svelte}/dist and type-checked them in ${((Date.now() - started) / 1000).toFixed(1)}s`);
