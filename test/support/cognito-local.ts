// Starts cognito-local in a child process on a free port with a fresh data directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface CognitoLocal {
  readonly url: string;
  readonly log: () => string;
  stop(): Promise<void>;
}

export async function startCognitoLocal(options: { code?: string } = {}): Promise<CognitoLocal> {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-local-'));
  const child: ChildProcess = spawn(process.execPath, [resolve(__dirname, 'cognito-local-launcher.cjs')], {
    cwd: dir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...(options.code ? { CODE: options.code } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const port = await new Promise<number>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`cognito-local did not start:\n${log}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /LISTENING (\d+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        ok(Number(match[1]));
      }
    });
    child.on('exit', (code) => fail(new Error(`cognito-local exited with ${code}:\n${log}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => log,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
