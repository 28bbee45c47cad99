// `authchart signin`: the built CLI drives the chart in a terminal-like session against the local pool.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startTestPool, type TestPool } from '../support/local-pool.js';
import { DEMO_CLIENT_ID, DEMO_USER_POOL_ID } from '../../src/cli/demo-ids.js';

const CLI = resolve(__dirname, '../../dist/cli/authchart.js');
const demoSeed = JSON.parse(readFileSync(resolve(__dirname, '../../seeds/demo.json'), 'utf8'));
let env: TestPool;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli/authchart.js is missing: run `npm run build` (npm test does it first)');
  env = await startTestPool({ seed: demoSeed });
});
afterAll(() => env.close());

function signin(args: string[], input: string): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, 'signin', '--endpoint', env.pool.url, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => done({ code, out }));
    child.stdin.end(input);
  });
}

it('the demo ids the CLI defaults to are the demo seed\'s', () => {
  expect(demoSeed.pools[0].id).toBe(DEMO_USER_POOL_ID);
  expect(demoSeed.pools[0].clients[0].id).toBe(DEMO_CLIENT_ID);
});

it('signs alice in with SRP, prints the user, signs out', async () => {
  const { code, out } = await signin(['--sign-out'], 'alice\nPassw0rd!demo\n');
  expect(out).toContain('next step: sign in');
  expect(out).toMatch(/next step: DONE — signed in as alice \(sub [0-9a-f-]{36}\)/);
  expect(out).toContain('email: alice@example.com');
  expect(out).toContain('signed out (refresh token revoked)');
  expect(out).not.toContain('Passw0rd!demo');
  expect(out).not.toContain('Warning');
  expect(code).toBe(0);
});

it('walks NEW_PASSWORD_REQUIRED, asking for the missing attribute', async () => {
  const { code, out } = await signin(['--flow', 'USER_PASSWORD_AUTH'], 'nina\nTemp0rary!demo\nN3w-Passw0rd!x\nNina N\n');
  expect(out).toContain('next step: CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
  expect(out).toContain('required attributes: name');
  expect(out).toContain('signed in as nina');
  expect(out).toContain('name: Nina N');
  expect(code).toBe(0);
});

it('reports a wrong password and asks again; stops at CONFIRM_SIGN_UP with exit code 2', async () => {
  const wrong = await signin(['--username', 'alice'], 'wrong-password\nPassw0rd!demo\n');
  expect(wrong.out).toContain('! IncorrectUsernameOrPassword: Incorrect username or password.');
  expect(wrong.out).toContain('signed in as alice');
  const unconfirmed = await signin([], 'uma\nPassw0rd!demo\n');
  expect(unconfirmed.out).toContain('next step: CONFIRM_SIGN_UP');
  expect(unconfirmed.code).toBe(2);
});
