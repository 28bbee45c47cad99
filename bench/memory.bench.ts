// Memory per live createAuth() instance: 1,000 instances kept alive, heap measured after garbage collection,
// divided by 1,000. What every instance shares (the provided machine, the loaded modules) is counted once, apart.
//
//   npm run bench                        # builds first; this bench is one part of it
//   node dist/bench/memory.bench.js      # after npm run build; --runs N (default 3), --no-docs
//
// Method: each kind runs in fresh Node processes (node --expose-gc) that import the built package by its name
// (`authchart`, the Node entry), make 20 instances (the shared parts get made), collect garbage, read heapUsed,
// make 1,000 more and keep them, let them settle (each is at signedOut, its SRP ephemeral prepared), collect
// again and read heapUsed. Per instance = the growth ÷ 1,000; shared = the growth from the import to the first 20,
// less 20 instances. The median of the runs is reported, with the range.
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineDescription, progress, progressDone, table, versionOf, writeDocsSection } from './bundle-report.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const INSTANCES = 1000;
const WARM = 20;
/** The goal: what one more instance costs beyond what all share. */
const GOAL_KB = 16;

const KINDS = {
  actor: 'a started actor of the chart alone (createActor(authMachine), no runtime)',
  port: "createAuth with the app's own port",
  fetch: "createAuth({ transport: 'fetch' })",
  sdk: 'createAuth() on the default SDK transport',
} as const;
type Kind = keyof typeof KINDS;

interface Sample {
  readonly perInstance: number;
  readonly shared: number;
  readonly rssPerInstance: number;
}

// ---------------------------------------------------------------- child: one kind, one process

async function child(kind: Kind): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 25));
      gc();
    }
  };
  const { createAuth } = await import('authchart');
  const { authMachine } = await import('authchart/machine');
  const { createFakePort } = await import('authchart/testing');
  const { createActor } = await import('xstate');
  const ids = { userPoolId: 'us-east-1_Memory1', clientId: 'memoryclient0000000000000' };
  const port = createFakePort({}, ids);
  const make = (): { stop(): void } => {
    switch (kind) {
      case 'actor':
        return createActor(authMachine, { input: { authFlow: 'USER_SRP_AUTH' } }).start();
      case 'port':
        return createAuth({ ...ids, port });
      case 'fetch':
        return createAuth({ ...ids, transport: 'fetch', endpoint: 'http://127.0.0.1:9' });
      case 'sdk':
        return createAuth({ ...ids, endpoint: 'http://127.0.0.1:9' });
    }
  };
  await settle();
  const h0 = process.memoryUsage();
  const kept: Array<{ stop(): void }> = [];
  for (let i = 0; i < WARM; i++) kept.push(make());
  await settle();
  const h1 = process.memoryUsage();
  for (let i = 0; i < INSTANCES; i++) kept.push(make());
  await settle();
  const h2 = process.memoryUsage();
  const perInstance = (h2.heapUsed - h1.heapUsed) / INSTANCES;
  const sample: Sample = {
    perInstance,
    shared: h1.heapUsed - h0.heapUsed - WARM * perInstance,
    rssPerInstance: (h2.rss - h1.rss) / INSTANCES,
  };
  process.stdout.write(JSON.stringify({ sample, kept: kept.length }));
  for (const instance of kept) instance.stop();
}

// ---------------------------------------------------------------- parent

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs expects a positive integer');
  const kinds = Object.keys(KINDS) as Kind[];
  const samples = new Map<Kind, Sample[]>(kinds.map((k) => [k, []]));
  let done = 0;
  // Kinds interleaved, run by run, so that a noisy moment does not fall on one kind only.
  for (let run = 0; run < runs; run++) {
    for (const kind of kinds) {
      progress(`[memory] ${++done}/${runs * kinds.length}: ${INSTANCES} × ${kind}`);
      const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', kind], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      });
      samples.get(kind)!.push((JSON.parse(out) as { sample: Sample }).sample);
    }
  }
  progressDone();

  const kbOf = (bytes: number) => (bytes / 1024).toFixed(1);
  const rows = kinds.map((kind) => {
    const per = samples.get(kind)!.map((s) => s.perInstance);
    const verdict = kind === 'actor' ? 'reference' : median(per) / 1024 <= GOAL_KB ? 'PASS' : 'FAIL';
    return [
      KINDS[kind],
      kbOf(median(per)),
      `${kbOf(Math.min(...per))}–${kbOf(Math.max(...per))}`,
      kbOf(median(samples.get(kind)!.map((s) => s.rssPerInstance))),
      kbOf(median(samples.get(kind)!.map((s) => s.shared))),
      verdict,
    ];
  });
  const report = `${INSTANCES.toLocaleString('en')} live instances per process, heap after \`gc()\`; median of ${runs} processes per kind (range). KB of 1,024 bytes.
Goal (issue 14): at most ${GOAL_KB} KB per instance beyond what all instances share.

${table(['kind', 'heap per instance KB:', 'range KB:', 'RSS per instance KB:', 'shared once KB:', 'goal ≤ 16 KB'], rows)}`;
  console.log(`## Memory per createAuth() instance\n\n${report}\n`);
  if (!process.argv.includes('--no-docs')) {
    const file = writeDocsSection(
      root,
      'memory-bench',
      `### Results on this machine

Generated by \`node dist/bench/memory.bench.js\` (part of \`npm run bench\`) on ${new Date().toISOString().slice(0, 10)}, on ${machineDescription()}; xstate ${versionOf(resolve(root, 'node_modules'), 'xstate')}.

${report}`,
    );
    process.stderr.write(`[memory] wrote the results into ${file}\n`);
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt > 0) await child(process.argv[childAt + 1] as Kind);
else await main();
