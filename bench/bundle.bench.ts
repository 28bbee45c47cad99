// Bundle sizes: authchart's entries (each transport, the React adapter, the chart alone) beside Amplify's sign-in,
// amazon-cognito-identity-js and the Amplify UI authenticator machine, all built in this run by esbuild as an app's
// bundler builds them (browser, ESM, minified, code splitting, production). Each entry is a file in
// bench/bundle-entries importing its package by its public name; `authchart` resolves to this repository's build.
//
//   npm run bench                        # builds first; this bench is one part of it
//   node dist/bench/bundle.bench.js      # after npm run build; --no-docs leaves docs/benchmarks.md alone
//
// "first load" is the entry chunk and the chunks it imports statically: what the page loads before the app runs.
// "later" is what import() loads when a step needs it (the SRP math, the TOTP QR encoder, the passkey ceremony,
// the AWS SDK), each chunk compressed on its own as it is served.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUDGET, BUNDLE_ENTRIES, kb, measureEntry, signInGzip, totalGzip, type BundleEntry, type Measured } from './bundle-measure.js';
import { machineDescription, progress, progressDone, table, versionOf, writeDocsSection } from './bundle-report.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const writeDocs = !process.argv.includes('--no-docs');
const peers = resolve(root, 'bench/peers');

if (!existsSync(resolve(root, 'dist/esm/index.js'))) {
  console.error('dist/ is missing: run `npm run build` first (npm run bench does).');
  process.exit(1);
}

// The peers that cannot live in the root (xstate 4 for the Amplify UI machine) are installed on the first run.
if (!existsSync(resolve(peers, 'node_modules/@aws-amplify/ui/package.json'))) {
  progressDone();
  process.stderr.write('[bundle] first run: installing the bench-only peers into bench/peers (npm install)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(npm, ['install', '--no-fund', '--no-audit'], { cwd: peers, stdio: ['ignore', 'inherit', 'inherit'] });
  if (install.status !== 0) {
    console.error('[bundle] npm install in bench/peers failed; the Amplify UI entry cannot be built.');
    process.exit(1);
  }
}

const started = Date.now();
const results = new Map<BundleEntry, Measured>();
for (const [i, entry] of BUNDLE_ENTRIES.entries()) {
  progress(`[bundle] building ${i + 1}/${BUNDLE_ENTRIES.length}: ${entry.file}`);
  results.set(entry, await measureEntry(root, entry.file, entry.options));
}
progressDone();
process.stderr.write(`[bundle] ${BUNDLE_ENTRIES.length} entries built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

const byFile = (file: string): Measured => results.get(BUNDLE_ENTRIES.find((e) => e.file.endsWith(file))!)!;
const amplify = byFile('peer-amplify.ts');
const lean = byFile('lean.ts');
const sdk = byFile('sdk.ts');
const awsSdk = byFile('aws-sdk.ts');
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const name = (entry: BundleEntry) => `\`${entry.file.replace('bench/bundle-entries/', '')}\``;

const sizes = table(
  ['entry', 'what it is', 'first load min KB:', 'first load gzip KB:', 'brotli KB:', 'files:', 'later gzip KB (chunks):', 'a sign-in loads, gzip KB:', 'all gzip KB:', 'first load ÷ Amplify:'],
  BUNDLE_ENTRIES.map((entry) => {
    const m = results.get(entry)!;
    return [
      name(entry),
      entry.label,
      kb(m.initial.minified),
      kb(m.initial.gzip),
      kb(m.initial.brotli),
      String(m.initialChunks),
      m.lazy.chunks ? `${kb(m.lazy.gzip)} (${m.lazy.chunks})` : '—',
      kb(signInGzip(m, entry.transport)),
      kb(totalGzip(m)),
      ratio(m.initial.gzip, amplify.initial.gzip),
    ];
  }),
);

const leanPass = lean.initial.gzip <= BUDGET.leanInitialGzip;
const sdkOver = signInGzip(sdk) - signInGzip(awsSdk);
const sdkPass = sdkOver <= BUDGET.sdkOverSdkGzip;
const goals = table(
  ['goal (issue 14)', 'measured', 'result'],
  [
    ['lean app, first load ≤ 40 KB gzip', `${kb(lean.initial.gzip)} KB`, leanPass ? 'PASS' : 'FAIL'],
    ['SDK transport, what a sign-in loads ≤ the SDK alone + 35 KB gzip', `SDK + ${kb(sdkOver)} KB (${kb(signInGzip(sdk))} vs ${kb(signInGzip(awsSdk))})`, sdkPass ? 'PASS' : 'FAIL'],
  ],
);

const contributors = (m: Measured, which: 'initialBy' | 'lazyBy', top = 8) =>
  m[which]
    .slice(0, top)
    .map(([owner, bytes]) => `${owner.replace('bench/bundle-entries/', '')} ${kb(bytes)}`)
    .join(', ');
const breakdown = table(
  ['entry', 'first load, minified KB by package', 'later, minified KB by package'],
  BUNDLE_ENTRIES.filter((e) => e.kind === 'authchart').map((entry) => {
    const m = results.get(entry)!;
    return [name(entry), contributors(m, 'initialBy'), contributors(m, 'lazyBy') || '—'];
  }),
);

const versions = [
  ['esbuild', versionOf(resolve(root, 'node_modules'), 'esbuild')],
  ['xstate', versionOf(resolve(root, 'node_modules'), 'xstate')],
  ['aws-amplify', versionOf(resolve(root, 'node_modules'), 'aws-amplify')],
  ['@aws-amplify/auth', versionOf(resolve(root, 'node_modules'), '@aws-amplify/auth')],
  ['amazon-cognito-identity-js', versionOf(resolve(root, 'node_modules'), 'amazon-cognito-identity-js')],
  ['@aws-sdk/client-cognito-identity-provider', versionOf(resolve(root, 'node_modules'), '@aws-sdk/client-cognito-identity-provider')],
  ['@aws-amplify/ui (bench/peers)', versionOf(resolve(peers, 'node_modules'), '@aws-amplify/ui')],
  ['xstate for @aws-amplify/ui (bench/peers)', versionOf(resolve(peers, 'node_modules'), 'xstate')],
]
  .map(([pkg, version]) => `${pkg} ${version}`)
  .join(', ');

const report = `Sizes in KB of 1,024 bytes; gzip level 9, brotli quality 11, each file compressed on its own. "× Amplify" divides
an entry's first load by that of Amplify's configure + signIn + confirmSignIn.

${sizes}

${goals}

What the bytes are (minified, before compression; \`authchart\` is this package's build):

${breakdown}`;

console.log(`## Bundle sizes\n\n${report}\n`);

if (writeDocs) {
  const file = writeDocsSection(
    root,
    'bundle-bench',
    `### Results on this machine

Generated by \`node dist/bench/bundle.bench.js\` (part of \`npm run bench\`) on ${new Date().toISOString().slice(0, 10)}, on ${machineDescription()}.
Packages: ${versions}.

${report}`,
  );
  process.stderr.write(`[bundle] wrote the results into ${file}\n`);
}
