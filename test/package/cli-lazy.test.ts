// The built CLI imports only the command it runs: a running `authchart pool` has loaded no AWS SDK and no xstate
// (the sign-in command's), and `authchart signin` none of the pool's packages. (The QR encoder is the pool's own
// too now: its hosted UI draws TOTP setup codes.)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const cli = resolve(root, 'dist/cli/authchart.js');
// A resolve hook in the child reports every package it loads from node_modules.
const HOOK = `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(result.url);
  if (m) process.stderr.write('LOADED ' + m[1] + '\\n');
  return result;
}`;
const REGISTER = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));`;

/** Runs the CLI until `done(stdout)` says it got far enough (or it exits); the packages it loaded by then. */
function packagesLoaded(args: string[], done: (stdout: string) => boolean): Promise<Set<string>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, cli, ...args], {
      cwd: root,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let stdout = '';
    let stderr = '';
    const finish = () => resolvePromise(new Set([...stderr.matchAll(/^LOADED (.+)$/gm)].map((m) => m[1]!)));
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the CLI did not get there in 20 s: ${stdout}${stderr}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (done(stdout)) child.kill();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', () => {
      clearTimeout(timer);
      finish();
    });
  });
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/ is missing: npm test builds it first (npm run build)');
});

describe('the CLI loads only the command it runs', () => {
  it('a serving `authchart pool` has loaded its own packages but no AWS SDK and no xstate', async () => {
    const loaded = await packagesLoaded(['pool', '--port', '0', '--data', ':memory:'], (out) => /endpoint\s+http:\/\/127\.0\.0\.1:\d+/.test(out));
    expect(loaded).toContain('jose'); // the detector sees what the pool does load (it signs tokens with jose)
    for (const name of ['@aws-sdk/client-cognito-identity-provider', '@smithy/core', 'xstate']) expect(loaded).not.toContain(name);
  });

  it('`authchart signin --help` loads the sign-in command without the pool (its JWT signing, its passkey server)', async () => {
    const loaded = await packagesLoaded(['signin', '--help'], () => false);
    expect(loaded).toContain('xstate');
    for (const name of ['jose', '@simplewebauthn/server']) expect(loaded).not.toContain(name);
  });
});
