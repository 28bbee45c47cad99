// The built core entry does not load the AWS SDK when the caller passes its own port (and does when it does not).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');
// A resolve hook in the child reports every module it resolves that belongs to the AWS SDK.
const HOOK = `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (/@aws-sdk|@smithy/.test(result.url)) process.stderr.write('SDK ' + result.url + '\\n');
  return result;
}`;

function run(usePort: boolean): { sdkModules: string[]; out: string } {
  if (!existsSync(resolve(root, 'dist/esm/index.node.js'))) throw new Error('dist/ is missing: npm test builds it first (npm run build)');
  const script = `
    import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));
    const { createAuth } = await import(${JSON.stringify(resolve(root, 'dist/esm/index.node.js'))});
    const { createFakePort, cognitoError } = await import(${JSON.stringify(resolve(root, 'dist/esm/testing.js'))});
    const ids = { userPoolId: 'us-east-1_Lazy1', clientId: 'lazyclient' };
    const port = ${usePort} ? createFakePort({ initiateAuth: [cognitoError('NotAuthorizedException', 'Incorrect username or password.')] }, ids) : undefined;
    const auth = createAuth({ ...ids, authFlow: 'USER_PASSWORD_AUTH', endpoint: 'http://127.0.0.1:9', requestTimeoutMs: 2000, ...(port ? { port } : {}) });
    await new Promise((r) => auth.actor.subscribe((s) => s.matches('signedOut') && r()));
    auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'pw' });
    await new Promise((r) => auth.actor.subscribe((s) => s.matches('signedOut') && s.context.error && r()));
    console.log(auth.actor.getSnapshot().context.error.code);
    auth.stop();
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 20_000 });
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  return { sdkModules: child.stderr.split('\n').filter((l) => l.startsWith('SDK ')), out: child.stdout.trim() };
}

describe('the AWS SDK is loaded only when the SDK port is used', () => {
  it('with the caller’s own port: signs in (and fails as scripted) without loading a single SDK module', () => {
    const { sdkModules, out } = run(true);
    expect(out).toBe('IncorrectUsernameOrPassword');
    expect(sdkModules).toEqual([]);
  });

  it('without a port: the SDK port loads the SDK on its first call (the detector sees it)', () => {
    const { sdkModules, out } = run(false);
    expect(out).toBe('Network');
    expect(sdkModules.length).toBeGreaterThan(0);
  });
});
