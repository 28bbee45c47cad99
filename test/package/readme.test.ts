// The README works verbatim on a fresh clone: every command of its sh blocks runs as written in a clone of the
// committed repository (node_modules linked from this checkout instead of `npm install`), against the pool its own
// `npm start` started, and its embedding example runs in Node against that pool. A README command this test has no
// check for fails it, so a new line in the README comes with its check here.
//
// What differs from a person at a terminal, and why: AUTHCHART_PORT=0 (npm start picks a free port instead of 9229,
// which another pool or a debugger may hold) and AUTHCHART_ENDPOINT (the CLI's default --endpoint, so the CLI lines
// stay verbatim); the embedding example's endpoint string is replaced by that pool's URL; the example gets the
// app's functions it calls (showSignIn, askForCode, ...) and an in-memory localStorage / sessionStorage.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { transformSync } from 'esbuild';

const root = resolve(__dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const DEMO_PASSWORD = 'Passw0rd!demo';

/** The commands of the README's sh blocks (comments after two spaces and "#" removed), and its ts blocks. */
function readmeBlocks(): { commands: string[]; examples: string[] } {
  const commands: string[] = [];
  const examples: string[] = [];
  for (const [, lang, body] of readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)) {
    if (lang === 'sh') commands.push(...body!.split('\n').map((l) => l.replace(/\s{2,}#.*$/, '').trim()).filter(Boolean));
    else if (lang === 'ts') examples.push(body!);
  }
  return { commands, examples };
}

/** A process run by `sh -c` in the clone, answered line by line. */
class Session {
  private out = '';
  private seen = 0;
  readonly exited: Promise<number | null>;
  exitCode: number | null | undefined;
  private readonly child: ChildProcess;

  constructor(command: string, cwd: string, env: Record<string, string>) {
    this.child = spawn('sh', ['-c', command], { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.child.stdout!.on('data', (c: Buffer) => (this.out += c.toString()));
    this.child.stderr!.on('data', (c: Buffer) => (this.out += c.toString()));
    this.exited = new Promise((done) => this.child.on('exit', (code) => done((this.exitCode = code))));
  }

  get output(): string {
    return this.out;
  }

  /** Waits for `pattern` after what the last expect() saw; answers `line` when given. Returns the match. */
  async expect(pattern: string | RegExp, line?: string, timeoutMs = 30_000): Promise<RegExpExecArray> {
    const regex = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = regex.exec(this.out.slice(this.seen));
      if (match) {
        this.seen += match.index + match[0].length;
        if (line !== undefined) this.child.stdin!.write(`${line}\n`);
        return match;
      }
      if (this.exitCode !== undefined || Date.now() > deadline) throw new Error(`no ${regex} in the output of the README command:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async finish(): Promise<number | null> {
    this.child.stdin!.end();
    return this.exited;
  }

  /** Ctrl-C to the whole process group (npm and the pool under it). */
  async interrupt(): Promise<void> {
    if (this.exitCode !== undefined) return;
    process.kill(-this.child.pid!, 'SIGINT');
    await this.exited;
  }
}

let clone: string;
let pool: { session: Session; url: string } | undefined;
const sessions: Session[] = [];

// AUTHCHART_README_CHECKOUT: a checkout prepared by hand to run this against instead of a new clone of HEAD.
const prepared = process.env['AUTHCHART_README_CHECKOUT'];
beforeAll(() => {
  if (prepared) {
    clone = prepared;
    return;
  }
  clone = mkdtempSync(join(tmpdir(), 'authchart-readme-'));
  execFileSync('git', ['clone', '--quiet', '--no-local', root, clone]);
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'));
});
afterAll(async () => {
  for (const session of sessions) await session.interrupt().catch(() => undefined);
  if (!prepared) rmSync(clone, { recursive: true, force: true });
});

function run(command: string, env: Record<string, string> = {}): Session {
  const session = new Session(command, clone, { AUTHCHART_PORT: '0', ...(pool ? { AUTHCHART_ENDPOINT: pool.url } : {}), ...env });
  sessions.push(session);
  return session;
}

async function newestCode(username: string, after = 0): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { messages } = (await (await fetch(`${pool!.url}/_local/outbox?username=${encodeURIComponent(username)}`)).json()) as { messages: Array<{ code: string | null; id: number }> };
    const fresh = messages.filter((m) => m.code && m.id > after);
    if (fresh.length > 0) return fresh[fresh.length - 1]!.code!;
    if (Date.now() > deadline) throw new Error(`no code for ${username} in the outbox`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** npm start (with any flags): stops the running pool first (it holds the data file), then waits for the new one. */
async function startPool(command: string, expectedOutput?: string): Promise<void> {
  if (pool) await pool.session.interrupt();
  pool = undefined;
  const session = run(command);
  if (expectedOutput) await session.expect(expectedOutput, undefined, 300_000);
  // The first start of a fresh clone builds (prestart) before the pool starts.
  const [, url] = await session.expect(/endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/, undefined, 300_000);
  await session.expect('[pool] ready');
  pool = { session, url: url! };
}

const signUpName = `readme${Date.now().toString(36)}`;

/** Each README command, as a person would answer it. */
const CHECKS: Record<string, (command: string) => Promise<void>> = {
  'npm install': async () => {
    // Linked from this checkout in beforeAll (installing again would change that checkout's node_modules).
  },
  'npm start': async (command) => {
    await startPool(command);
    expect((await fetch(`${pool!.url}/health`)).status).toBe(200);
  },
  'npx authchart signin': async (command) => {
    const cli = run(command);
    await cli.expect('username:', 'alice');
    await cli.expect('password:', DEMO_PASSWORD);
    await cli.expect('signed in as alice');
    expect(await cli.finish()).toBe(0);
  },
  'npx authchart signin --flow USER_PASSWORD_AUTH --username sam': async (command) => {
    const cli = run(command);
    await cli.expect('password:', DEMO_PASSWORD);
    await cli.expect('code');
    await cli.expect(/: $/, await newestCode('sam'));
    await cli.expect('signed in as sam');
    expect(await cli.finish()).toBe(0);
  },
  'npx authchart signup': async (command) => {
    const cli = run(command);
    await cli.expect('username:', signUpName);
    await cli.expect('password:', DEMO_PASSWORD);
    await cli.expect('email:', `${signUpName}@example.com`);
    await cli.expect('name (Enter to skip if the pool does not require it):', 'Readme Tester');
    await cli.expect('confirmation code');
    await cli.expect(/: $/, await newestCode(signUpName));
    await cli.expect(`signed in as ${signUpName}`);
    expect(await cli.finish()).toBe(0);
  },
  'npx authchart outbox': async (command) => {
    const cli = run(command);
    expect(await cli.finish()).toBe(0);
    expect(cli.output).toMatch(/sam\s/);
    expect(cli.output).toContain(signUpName);
  },
  'npx authchart --version': async (command) => {
    const cli = run(command);
    expect(await cli.finish()).toBe(0);
    expect(cli.output.trim()).toBe(version);
  },
  'npm start -- --reset': async (command) => {
    await startPool(command, 'resetting: deleting .authchart/demo.sqlite');
    // The account made above is gone with the rest of the data; the demo users are back.
    const outbox = run('npx authchart outbox');
    expect(await outbox.finish()).toBe(0);
    expect(outbox.output).toContain('The outbox is empty');
  },
  'npm start -- --port 9339': async (command) => {
    await startPool(command);
    expect(pool!.url).toBe('http://127.0.0.1:9339');
    const cli = run('npx authchart signin --endpoint http://127.0.0.1:9339 --username alice');
    await cli.expect('password:', DEMO_PASSWORD);
    await cli.expect('signed in as alice');
    expect(await cli.finish()).toBe(0);
  },
};

/** What the embedding example needs from the app around it, and what the test reads back. */
const PRELUDE = `
class MemoryStorage {
  #items = new Map();
  get length() { return this.#items.size; }
  key(i) { return [...this.#items.keys()][i] ?? null; }
  getItem(k) { return this.#items.has(k) ? this.#items.get(k) : null; }
  setItem(k, v) { this.#items.set(k, String(v)); }
  removeItem(k) { this.#items.delete(k); }
  clear() { this.#items.clear(); }
}
globalThis.localStorage = new MemoryStorage();
globalThis.sessionStorage = new MemoryStorage();
const shown = [];
const showSignIn = () => shown.push('signIn');
const showCode = (delivery) => shown.push('code:' + delivery?.deliveryMedium);
const showQr = () => shown.push('qr');
const showApp = (user) => shown.push('app:' + user?.username);
const username = 'sam';
const password = ${JSON.stringify(DEMO_PASSWORD)};
async function askForCode() {
  for (;;) {
    const { messages } = await (await fetch(process.env.POOL_URL + '/_local/outbox?username=sam')).json();
    const code = messages.filter((m) => m.code).at(-1)?.code;
    if (code) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
}
`;
const EPILOGUE = `
const stored = await auth.getTokens();
console.log('README-RESULT ' + JSON.stringify({ route: view.route, shown, idToken: typeof stored?.idToken, stored: localStorage.length > 0 }));
auth.stop();
`;

describe('the README, verbatim, on a fresh clone', () => {
  const { commands, examples } = readmeBlocks();

  it('has commands and an embedding example to check', () => {
    expect(commands.length).toBeGreaterThan(5);
    expect(examples.length).toBe(1);
  });

  it('every README command has its check here', () => {
    expect(commands.filter((c) => !(c in CHECKS))).toEqual([]);
  });

  it('every command runs as the README says (in README order)', async () => {
    for (const command of commands) {
      try {
        await CHECKS[command]!(command);
      } catch (error) {
        throw new Error(`README command \`${command}\`: ${(error as Error).message}`);
      }
    }
  }, 900_000);

  it('the embedding example signs in against the pool npm start runs (SMS MFA through the outbox)', async () => {
    expect(pool).toBeDefined();
    const example = examples[0]!;
    expect(example).toContain("'http://127.0.0.1:9229'");
    // Written into the clone, 'authchart' resolves to the clone's own build (package self-reference).
    const source = `${PRELUDE}\n${example.replace("'http://127.0.0.1:9229'", JSON.stringify(pool!.url))}\n${EPILOGUE}`;
    const { code } = transformSync(source, { loader: 'ts', format: 'esm', target: 'node20' });
    writeFileSync(join(clone, 'readme-example.mjs'), code);
    const node = run(`node readme-example.mjs`, { POOL_URL: pool!.url });
    const [, json] = await node.expect(/README-RESULT (.*)\n/, undefined, 60_000);
    expect(await node.finish()).toBe(0);
    const result = JSON.parse(json!) as { route: string; shown: string[]; idToken: string; stored: boolean };
    expect(result.route).toBe('signedIn');
    expect(result.shown).toEqual(expect.arrayContaining(['signIn', 'code:SMS', 'app:sam']));
    expect(result.idToken).toBe('string');
    expect(result.stored).toBe(true);
  }, 120_000);
});
