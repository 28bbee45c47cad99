// Starts the stand-in OpenID provider (src/cli/stand-in-provider.ts, oidc-provider) in a child process
// on 127.0.0.1 for a test file, and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { StandInOptions } from '../../src/cli/stand-in-provider.js';

export interface RunningStandIn {
  issuer: string;
  /** What it wrote to stderr (its log), for failures. */
  log: string[];
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '../..');

export function startStandIn(options: Omit<StandInOptions, 'log'>): Promise<RunningStandIn> {
  const child: ChildProcess = spawn(process.execPath, [resolve(ROOT, 'scripts/run-ts.mjs'), resolve(__dirname, 'stand-in-idp-main.ts'), JSON.stringify(options)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return new Promise((resolveStart, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the stand-in provider did not start in 30 s:\n${log.join('')}`));
    }, 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      resolveStart({ issuer: (JSON.parse(line) as { issuer: string }).issuer, log, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the stand-in provider exited (${code}):\n${log.join('')}`));
    });
  });
}
