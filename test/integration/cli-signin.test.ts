// `authchart signin` / `authchart signup`: the built CLI drives the chart in a terminal-like session against the local pool.
// The account tests (confirmation, reset, sign-up) need the local pool's SignUp / ConfirmSignUp /
// ResendConfirmationCode / ForgotPassword / ConfirmForgotPassword.
import { spawn, type ChildProcess } from 'node:child_process';
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
// A dialogue a test left waiting for input ends with its test.
const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill();
  running.clear();
});

function run(command: 'signin' | 'signup', args: string[], input: string): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, command, '--endpoint', env.pool.url, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => done({ code, out }));
    child.stdin.end(input);
  });
}
const signin = (args: string[], input: string) => run('signin', args, input);

/** A CLI run answered line by line, for answers (codes) that only exist once the CLI has asked for them. */
function dialogue(command: 'signin' | 'signup', args: string[] = []) {
  const child = spawn(process.execPath, [CLI, command, '--endpoint', env.pool.url, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let exitCode: number | null | undefined;
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done((exitCode = code))));
  let seen = 0;
  return {
    get out() {
      return out;
    },
    get exited() {
      return exitCode !== undefined;
    },
    /** Waits for `text` after what the last expect() saw, then answers `line`. */
    async expect(text: string, line?: string): Promise<void> {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const at = out.indexOf(text, seen);
        if (at >= 0) {
          seen = at + text.length;
          break;
        }
        if (exitCode !== undefined || Date.now() > deadline) throw new Error(`no "${text}" in the CLI's output:\n${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      if (line !== undefined) child.stdin.write(`${line}\n`);
    },
    async end(): Promise<number | null> {
      child.stdin.end();
      return exited;
    },
  };
}

/** The newest code the pool "sent" to this user, once one newer than `after` messages is there. */
async function nextCode(username: string, after: number, cli: { out: string; exited: boolean }): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const messages = env.pool.outbox({ userPoolId: DEMO_USER_POOL_ID, username });
    if (messages.length > after && messages.at(-1)!.code) return messages.at(-1)!.code!;
    if (cli.exited || Date.now() > deadline) throw new Error(`no new code for ${username} in the outbox; the CLI said:\n${cli.out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const sent = (username: string) => env.pool.outbox({ userPoolId: DEMO_USER_POOL_ID, username }).length;

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

it('reports a wrong password and asks again; at CONFIRM_SIGN_UP asks for the confirmation code', async () => {
  const wrong = await signin(['--username', 'alice'], 'wrong-password\nPassw0rd!demo\n');
  expect(wrong.out).toContain('! IncorrectUsernameOrPassword: Incorrect username or password.');
  expect(wrong.out).toContain('signed in as alice');
  // input ends at the code: exit 1, nothing sent to Cognito for it
  const unconfirmed = await signin([], 'uma\nPassw0rd!demo\n');
  expect(unconfirmed.out).toContain('next step: CONFIRM_SIGN_UP — the account uma is not confirmed yet');
  expect(unconfirmed.out).toContain('confirmation code (or "resend"): ');
  expect(unconfirmed.out).toContain('input ended before sign-in finished');
  expect(unconfirmed.code).toBe(1);
});

it('help: signup is a command with its own usage; signin documents --forgot-password', async () => {
  const help = await run('signup', ['--help'], '');
  expect(help.out).toContain('Usage: authchart signup');
  expect(help.code).toBe(0);
  const signinHelp = await signin(['--help'], '');
  expect(signinHelp.out).toContain('--forgot-password');
});

// ---- these need the local pool's SignUp / ConfirmSignUp / ResendConfirmationCode / ForgotPassword / ConfirmForgotPassword ----

it('uma (unconfirmed): "resend" sends a code, the code confirms her, and the kept password signs her in', async () => {
  const cli = dialogue('signin');
  await cli.expect('username: ', 'uma');
  await cli.expect('password: ', 'Passw0rd!demo');
  const before = sent('uma');
  await cli.expect('confirmation code (or "resend"): ', 'resend');
  const code = await nextCode('uma', before, cli);
  await cli.expect('confirmation code (or "resend"): ', code);
  await cli.expect('next step: DONE — signed in as uma');
  expect(await cli.end()).toBe(0);
  expect(cli.out).not.toContain('Passw0rd!demo');
});

it('rita (RESET_REQUIRED): "resend" sends a reset code, then the code and a new password sign her in', async () => {
  const cli = dialogue('signin', ['--flow', 'USER_PASSWORD_AUTH']);
  await cli.expect('username: ', 'rita');
  await cli.expect('password: ', 'Passw0rd!demo');
  await cli.expect('next step: RESET_PASSWORD');
  const before = sent('rita');
  await cli.expect('code (or "resend"): ', 'resend');
  const code = await nextCode('rita', before, cli);
  await cli.expect('code sent by EMAIL to ');
  await cli.expect('code (or "resend"): ', code);
  await cli.expect('new password: ', 'R3set-Passw0rd!x');
  await cli.expect('next step: DONE — signed in as rita');
  expect(await cli.end()).toBe(0);
  expect(cli.out).not.toContain('R3set-Passw0rd!x');
});

it('--forgot-password: ForgotPassword sends the code, the new password signs in', async () => {
  env.pool.seed({
    pools: [
      {
        id: DEMO_USER_POOL_ID,
        name: 'authchart-demo',
        users: [{ username: 'fran', password: 'Passw0rd!demo', attributes: { email: 'fran@example.com', email_verified: 'true', name: 'Fran F' } }],
      },
    ],
  });
  const before = sent('fran');
  const cli = dialogue('signin', ['--forgot-password']);
  await cli.expect('next step: forgot password');
  await cli.expect('username: ', 'fran');
  const code = await nextCode('fran', before, cli);
  await cli.expect('next step: RESET_PASSWORD — code sent by EMAIL to ');
  await cli.expect('code (or "resend"): ', code);
  await cli.expect('new password: ', 'Fr3sh-Passw0rd!x');
  await cli.expect('next step: DONE — signed in as fran');
  expect(await cli.end()).toBe(0);
});

it('authchart signup: username, password, e-mail, name, then the code; signed in as the new user', async () => {
  const cli = dialogue('signup');
  await cli.expect('next step: sign up');
  await cli.expect('username: ', 'cleo');
  await cli.expect('password: ', 'Cl3o-Passw0rd!x');
  await cli.expect('email: ', 'cleo@example.com');
  const before = sent('cleo');
  await cli.expect('name (Enter to skip if the pool does not require it): ', 'Cleo C');
  const code = await nextCode('cleo', before, cli);
  await cli.expect('next step: CONFIRM_SIGN_UP — code sent by EMAIL to ');
  await cli.expect('confirmation code (or "resend"): ', code);
  await cli.expect('next step: DONE — signed in as cleo');
  await cli.expect('email: cleo@example.com');
  expect(await cli.end()).toBe(0);
  expect(cli.out).not.toContain('Cl3o-Passw0rd!x');
});
