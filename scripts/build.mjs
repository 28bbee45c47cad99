// Builds the library (ESM + CJS + .d.ts), the CLI and the benchmarks with esbuild.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import ts from 'typescript';
import { chartWithoutDescriptions, tssrp6aWebCrypto } from './esbuild-plugins.mjs';

const started = Date.now();
const say = (m) => process.stdout.write(`[build] ${m}\n`);
rmSync('dist', { recursive: true, force: true });

// Entry points of the package's exports (see package.json "exports"); entries still being written are skipped.
const entries = (table) => Object.fromEntries(Object.entries(table).filter(([, file]) => existsSync(file)));
// What browsers load: the chart without its state descriptions (chartWithoutDescriptions), one copy of what the
// entries share (code splitting), and the code only some steps need in chunks of its own (import()).
const browser = entries({
  'index': 'src/index.ts',
  'react': 'src/frameworks/react.ts',
  'vue': 'src/frameworks/vue.ts',
  'svelte': 'src/frameworks/svelte.ts',
  'amplify': 'src/amplify/index.ts',
  'srp': 'src/cognito/srp.ts',
  // Not an export: as an entry of its own, the index re-exports totpQrCodeSvg from a chunk that only it uses, so an
  // app's bundler can drop that chunk, and the QR encoder stays in the TOTP step's lazy chunk (see totp-qr-lazy.ts).
  'totp-qr': 'src/session/totp-qr.ts',
});
// Node, tools and tests: the full chart (visualizers and the testing helpers read its descriptions).
const full = entries({
  'index.node': 'src/index.node.ts',
  'amplify.node': 'src/amplify/index.node.ts',
  'machine': 'machines/auth.machine.ts',
  'local-pool': 'src/local-pool/index.ts',
  'testing': 'src/testing/index.ts',
});
const library = { ...browser, ...full };
/** The CLI's imports of the local pool's entry resolve to the package's export of it (dist/esm/local-pool.js). */
const poolFromPackage = {
  name: 'pool-from-package',
  setup(b) {
    b.onResolve({ filter: /\/local-pool\/index\.js$/ }, (args) => (args.importer.includes('/src/cli/') ? { path: 'authchart/local-pool', external: true } : undefined));
  },
};
const common = { bundle: true, packages: 'external', sourcemap: true, target: 'es2022', logLevel: 'warning', plugins: [tssrp6aWebCrypto] };
const esm = { ...common, outdir: 'dist/esm', format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], splitting: true };
// Every bench/*.bench.ts is built; what they measure (the package, esbuild, the peers) is loaded at run time.
const benches = Object.fromEntries(
  readdirSync('bench').filter((f) => f.endsWith('.bench.ts')).map((f) => [f.replace(/\.ts$/, ''), `bench/${f}`]),
);
const benchExternal = ['better-sqlite3', '@aws-sdk/*', 'aws-amplify', 'amazon-cognito-identity-js', 'jose', 'esbuild', 'xstate', 'authchart', 'authchart/*'];

const jobs = [
  build({ ...esm, entryPoints: browser, chunkNames: 'chunks/[name]-[hash]', plugins: [...common.plugins, chartWithoutDescriptions(ts)] }),
  build({ ...esm, entryPoints: full, chunkNames: 'chunks/full-[name]-[hash]' }),
  build({ ...common, entryPoints: library, outdir: 'dist/cjs', format: 'cjs', platform: 'node', outExtension: { '.js': '.cjs' } }),
  // The CLI imports each command when it runs (src/cli/authchart.ts): `authchart pool` loads no SDK, xstate or QR code.
  // Its `pool` command loads the package's own authchart/local-pool (a self-reference) instead of a third copy of the pool.
  build({ ...common, plugins: [...common.plugins, poolFromPackage], entryPoints: { authchart: 'src/cli/authchart.ts' }, outdir: 'dist/cli', format: 'esm', platform: 'node', target: 'node20', splitting: true, chunkNames: 'chunks/[name]-[hash]', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, packages: undefined, external: benchExternal, entryPoints: benches, outdir: 'dist/bench', format: 'esm', platform: 'node', target: 'node20' }),
  // The demo page the local pool serves (npm start): everything bundled for the browser.
  build({
    ...common,
    packages: undefined,
    entryPoints: { app: 'src/demo/app.tsx' },
    outdir: 'dist/demo',
    format: 'esm',
    platform: 'browser',
    minify: true,
    jsx: 'automatic',
    loader: { '.svg': 'text' },
    define: { 'process.env.NODE_ENV': '"production"' },
  }).then(() => {
    mkdirSync('dist/demo', { recursive: true });
    for (const file of ['index.html', 'app.css']) copyFileSync(`src/demo/${file}`, `dist/demo/${file}`);
  }),
];
say('bundling library (esm, cjs), cli, benchmarks, demo page');
await Promise.all(jobs.map((p) => p.catch((e) => { process.exitCode = 1; throw e; })));
say('emitting type declarations');
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
say(`done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
