// Builds the library (ESM + CJS + .d.ts), the CLI and the benchmarks with esbuild.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { tssrp6aWebCrypto } from './esbuild-plugins.mjs';

const started = Date.now();
const say = (m) => process.stdout.write(`[build] ${m}\n`);
rmSync('dist', { recursive: true, force: true });

// Entry points of the package's exports (see package.json "exports"); entries still being written are skipped.
const library = Object.fromEntries(
  Object.entries({
    'index': 'src/index.ts',
    'index.node': 'src/index.node.ts',
    'machine': 'machines/auth.machine.ts',
    'local-pool': 'src/local-pool/index.ts',
    'testing': 'src/testing/index.ts',
    'react': 'src/frameworks/react.ts',
    'vue': 'src/frameworks/vue.ts',
    'svelte': 'src/frameworks/svelte.ts',
    'amplify': 'src/amplify/index.ts',
    'amplify.node': 'src/amplify/index.node.ts',
  }).filter(([, file]) => existsSync(file)),
);
const common = { bundle: true, packages: 'external', sourcemap: true, target: 'es2022', logLevel: 'warning', plugins: [tssrp6aWebCrypto] };

const jobs = [
  build({ ...common, entryPoints: library, outdir: 'dist/esm', format: 'esm', platform: 'neutral', mainFields: ['module', 'main'] }),
  build({ ...common, entryPoints: library, outdir: 'dist/cjs', format: 'cjs', platform: 'node', outExtension: { '.js': '.cjs' } }),
  build({ ...common, entryPoints: { authchart: 'src/cli/authchart.ts' }, outdir: 'dist/cli', format: 'esm', platform: 'node', target: 'node20', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, packages: undefined, external: ['better-sqlite3', '@aws-sdk/*', 'aws-amplify', 'amazon-cognito-identity-js', 'jose'], entryPoints: { 'srp.bench': 'bench/srp.bench.ts', 'pool.bench': 'bench/pool.bench.ts' }, outdir: 'dist/bench', format: 'esm', platform: 'node', target: 'node20' }),
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
