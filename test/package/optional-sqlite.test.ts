// better-sqlite3 is an optional peer dependency: an app without it signs in with the built package, and the local
// pool, started there, says what to install instead of failing with a module-resolution stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');
// A resolve hook in the child makes better-sqlite3 not installed, as in an app that never added it.
const HOOK = `export async function resolve(specifier, context, next) {
  if (specifier === 'better-sqlite3') {
    const error = new Error("Cannot find package 'better-sqlite3' imported from " + context.parentURL);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}`;

function runWithoutSqlite(body: string): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(resolve(root, 'dist/esm/index.node.js'))) throw new Error('dist/ is missing: run npm run build (npm test does it first)');
  const script = `
    import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));
    ${body}
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe('without better-sqlite3 installed', () => {
  it('the sign-in engine loads and runs (createAuth against a scripted port)', () => {
    const run = runWithoutSqlite(`
      const { createAuth } = await import(${JSON.stringify(resolve(root, 'dist/esm/index.node.js'))});
      const { createFakePort, cognitoError } = await import(${JSON.stringify(resolve(root, 'dist/esm/testing.js'))});
      const ids = { userPoolId: 'us-east-1_NoSql1', clientId: 'nosqlclient' };
      const port = createFakePort({ initiateAuth: [cognitoError('NotAuthorizedException', 'Incorrect username or password.')] }, ids);
      const auth = createAuth({ ...ids, authFlow: 'USER_PASSWORD_AUTH', port });
      await new Promise((r) => auth.actor.subscribe((s) => s.matches('signedOut') && r()));
      auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'pw' });
      await new Promise((r) => auth.actor.subscribe((s) => s.matches('signedOut') && s.context.error && r()));
      console.log(auth.actor.getSnapshot().context.error.code);
      auth.stop();
    `);
    expect(run.stderr).not.toContain('better-sqlite3');
    expect(run.stdout.trim()).toBe('IncorrectUsernameOrPassword');
    expect(run.status).toBe(0);
  });

  it('importing authchart/local-pool works; starting a pool says how to install the driver', () => {
    const run = runWithoutSqlite(`
      const { startLocalPool } = await import(${JSON.stringify(resolve(root, 'dist/esm/local-pool.js'))});
      try {
        await startLocalPool({ port: 0 });
        console.log('started');
      } catch (error) {
        console.log('ERROR ' + error.message);
      }
    `);
    expect(run.stdout).toContain('ERROR The local pool stores its data with better-sqlite3, which is not installed: run `npm install better-sqlite3`');
    expect(run.status).toBe(0);
  });

  it('with it installed (this repository), the same start works', () => {
    const child = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `const { startLocalPool } = await import(${JSON.stringify(resolve(root, 'dist/esm/local-pool.js'))}); const pool = await startLocalPool({ port: 0 }); console.log((await fetch(pool.url + '/health')).status); await pool.close();`],
      { cwd: root, encoding: 'utf8', timeout: 30_000 },
    );
    expect(child.stdout.trim()).toBe('200');
  });
});
