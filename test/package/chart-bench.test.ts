// The chart bench's correctness gate, not its times: every kind's scripted sign-in (the chart with instant actors,
// its pure transitions, createAuth on the fake port, the Amplify UI machine when bench/peers is installed) still
// reaches signedIn with the expected user and calls. The bench aborts with exit code 1 when one does not, so a chart
// change that adds a step to a password sign-in fails here instead of leaving `npm run bench` broken.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const bench = resolve(root, 'dist/bench/chart.bench.js');

beforeAll(() => {
  if (!existsSync(bench)) throw new Error('dist/bench/chart.bench.js is missing: npm test builds it first (npm run build)');
});

it('signs in with every kind of the chart bench (2 sign-ins each, one process per kind)', () => {
  const out = execFileSync(process.execPath, [bench, '--rounds', '2', '--warmup', '0', '--runs', '1', '--no-docs'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const rows = (label: string) => out.split('\n').filter((line) => line.startsWith(`| ${label}`)).length;
  expect(rows('chart as an actor, instant actors')).toBe(4);
  expect(rows('chart transitions alone, transition()')).toBe(3);
  expect(rows('createAuth on the fake port')).toBe(5);
  expect(out).toContain('Every sign-in ended in signedIn');
}, 120_000);
