// The built `authchart` command's own behaviour: --version, usage after an unknown flag or command, errors that say
// where the CLI looked and what to do next, and `pool --reset`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_CLIENT_ID, DEMO_USER_POOL_ID } from '../../src/cli/demo-ids.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';

const root = resolve(__dirname, '../..');
const CLI = join(root, 'dist/cli/authchart.js');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const demoSeed = JSON.parse(readFileSync(join(root, 'seeds/demo.json'), 'utf8'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { input?: string; env?: Record<string, string>; until?: RegExp } = {}): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: root, env: { ...process.env, AUTHCHART_ENDPOINT: '', AUTHCHART_PORT: '', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (options.until?.test(stdout)) child.kill('SIGINT');
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => done({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A port nothing listens on (bound and released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli/authchart.js is missing: run `npm run build` (npm test does it first)');
});

describe('authchart', () => {
  it('--version prints the package version', async () => {
    const run = await cli(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('an unknown command prints the commands and exits 64', async () => {
    const run = await cli(['frobnicate']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('Unknown command "frobnicate"');
    expect(run.stderr).toContain('authchart signin');
  });

  it.each([
    ['signin', ['--pasword', 'x'], "Unknown option '--pasword'", 'Usage: authchart signin'],
    ['signup', ['--atribute', 'x'], "Unknown option '--atribute'", 'Usage: authchart signup'],
    ['outbox', ['--json=yes'], '--json', 'authchart outbox [options]'],
    ['pool', ['--prot', '1'], "Unknown option '--prot'", 'authchart pool [options]'],
  ])('%s with a wrong flag says which and prints its usage (exit 64)', async (command, args, complaint, usage) => {
    const run = await cli([command, ...args]);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain(`authchart ${command}: `);
    expect(run.stderr).toContain(complaint);
    expect(run.stderr).toContain(usage);
  });

  it('signin with no pool at the endpoint names it and says how to start one', async () => {
    const port = await closedPort();
    const run = await cli(['signin', '--endpoint', `http://127.0.0.1:${port}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`no local pool at http://127.0.0.1:${port} — start it with npm start`);
  });

  it('the default endpoint comes from AUTHCHART_ENDPOINT', async () => {
    const port = await closedPort();
    const run = await cli(['outbox'], { env: { AUTHCHART_ENDPOINT: `http://127.0.0.1:${port}` } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`no local pool at http://127.0.0.1:${port}`);
    expect(run.stderr).toContain('start it with npm start');
  });

  describe('against a local pool with the demo seed', () => {
    let env: TestPool;
    beforeAll(async () => {
      env = await startTestPool({ seed: demoSeed });
    });
    afterAll(() => env.close());

    it('a user pool the pool does not have is named, with the ones it has (not "Incorrect username or password")', async () => {
      const run = await cli(['signin', '--endpoint', env.pool.url, '--user-pool-id', 'us-east-1_Missing1', '--username', 'alice'], { input: 'Passw0rd!demo\n' });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`no user pool us-east-1_Missing1 at ${env.pool.url}`);
      expect(run.stderr).toContain(DEMO_USER_POOL_ID);
      expect(run.stderr).toContain('--user-pool-id');
      expect(run.stdout + run.stderr).not.toContain('Incorrect username or password');
    });

    it('an app client the user pool does not have is named, with the ones it has', async () => {
      const run = await cli(['signup', '--endpoint', env.pool.url, '--client-id', 'nosuchclient'], { input: '' });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`no app client nosuchclient in user pool ${DEMO_USER_POOL_ID} at ${env.pool.url}`);
      expect(run.stderr).toContain(DEMO_CLIENT_ID);
    });

    it('the right ids pass the check and sign in', async () => {
      const run = await cli(['signin', '--endpoint', env.pool.url, '--username', 'alice'], { input: 'Passw0rd!demo\n' });
      expect(run.stdout).toContain('signed in as alice');
      expect(run.code).toBe(0);
    });
  });

  it('a pool that stops mid-sign-in: the error names the endpoint', async () => {
    const env = await startTestPool({ seed: demoSeed });
    const child = spawn(process.execPath, [CLI, 'signin', '--endpoint', env.pool.url, '--username', 'alice'], { cwd: root });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise((done) => child.on('exit', done));
    const waitFor = async (text: string, from = 0) => {
      for (let i = 0; i < 600 && !out.includes(text, from); i++) await new Promise((r) => setTimeout(r, 25));
      if (!out.includes(text, from)) throw new Error(`no "${text}" in:\n${out}`);
      return out.indexOf(text, from) + text.length;
    };
    try {
      const asked = await waitFor('password:');
      await env.close();
      child.stdin.write('Passw0rd!demo\n');
      await waitFor(`(${env.pool.url}: is the pool still running? npm start)`, asked);
      child.stdin.end();
      await exited;
    } finally {
      child.kill();
    }
  }, 60_000);

  describe('pool --reset', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'authchart-reset-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('starts from the seed again: what was added since is gone', async () => {
      const data = join(dir, 'pool.sqlite');
      const counts = (run: Run) => {
        const [, created, existing] = /(\d+) created, (\d+) already there/.exec(run.stdout) ?? [];
        return { created: Number(created), existing: Number(existing) };
      };
      const args = ['pool', '--port', '0', '--data', data, '--seed', 'seeds/demo.json'];
      const first = counts(await cli(args, { until: /\[pool\] ready/ }));
      expect(first.created).toBeGreaterThan(0);
      expect(first.existing).toBe(0);
      const again = await cli(args, { until: /\[pool\] ready/ });
      expect(counts(again)).toEqual({ created: 0, existing: first.created });
      const reset = await cli([...args, '--reset'], { until: /\[pool\] ready/ });
      expect(reset.stdout).toContain(`resetting: deleting ${data}`);
      expect(counts(reset)).toEqual(first);
    }, 60_000);

    it('refuses an in-memory pool (nothing to reset)', async () => {
      const run = await cli(['pool', '--data', ':memory:', '--reset']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('--reset: an in-memory pool');
    });
  });

  it('pool --demo without --seed applies the packaged demo seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authchart-demo-'));
    try {
      const run = await cli(['pool', '--port', '0', '--data', join(dir, 'p.sqlite'), '--demo'], { until: /\[pool\] ready/ });
      expect(run.stdout).toContain(`from ${join(root, 'seeds/demo.json')}`);
      expect(run.stdout).toContain(`user pool  ${DEMO_USER_POOL_ID}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
