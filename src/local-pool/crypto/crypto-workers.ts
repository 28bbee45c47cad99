// Worker threads that compute SRP verifiers (seeding many users, password checks) and the server's SRP
// exponentiations, so that they run on every core while the main thread keeps answering requests. The workers run the
// kernel of ./srp-kernel.ts from its source text: no worker file has to be found next to a bundle.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { N_HEX } from '../../cognito/srp-math.js';
import { createSrpKernel } from './srp-kernel.js';

/** identity (poolName + USER_ID_FOR_SRP), password, salt hex */
export type VerifierInput = readonly [identity: string, password: string, saltHex: string];

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const kernel = (${createSrpKernel.toString()})(require('node:crypto'), ${JSON.stringify(N_HEX)});
const N = BigInt('0x' + ${JSON.stringify(N_HEX)});
const big = (hex) => BigInt('0x' + hex);
parentPort.on('message', ({ id, items, wide, srp }) => {
  try {
    // The wide table lives while a large seed runs; the first other task frees it.
    if (!wide) kernel.releaseWide();
    if (srp) {
      // SRP's server side: g^b for B, or S = (A·v^u)^b.
      const [A, v, u, b] = srp.map(big);
      const result = srp.length === 1 ? kernel.powG(A) : kernel.modPow((A * kernel.modPow(v, u)) % N, b);
      parentPort.postMessage({ id, verifiers: [result.toString(16)] });
      return;
    }
    parentPort.postMessage({ id, verifiers: kernel.verifiers(items, Boolean(wide)) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.stack) || error) });
  }
});
`;

interface Task {
  resolve: (verifiers: string[]) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  tasks: Map<number, Task>;
}

export class CryptoWorkers {
  private readonly threads: Thread[] = [];
  private nextId = 0;
  private closed = false;

  /** At most `threadLimit` threads, started on first use; default one per core (at most 4). */
  constructor(readonly threadLimit: number = Math.max(1, Math.min(availableParallelism(), 4))) {}

  /** Verifiers of `items` in order, computed by the least busy thread; `wide`: part of a large seed (srp-kernel's wide table). */
  verifiers(items: readonly VerifierInput[], wide = false): Promise<string[]> {
    if (this.closed) return Promise.reject(new Error('crypto workers are closed'));
    if (items.length === 0) return Promise.resolve([]);
    const thread = this.pick();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      thread.tasks.set(id, { resolve, reject });
      thread.worker.ref();
      thread.worker.postMessage({ id, items, wide });
    });
  }

  /** g^e (one hex argument, e) or S = (A·v^u)^b (hex A, v, u, b) on the least busy thread, as hex. */
  srp(args: readonly [string] | readonly [string, string, string, string]): Promise<string> {
    if (this.closed) return Promise.reject(new Error('crypto workers are closed'));
    const thread = this.pick();
    const id = this.nextId++;
    return new Promise<string[]>((resolve, reject) => {
      thread.tasks.set(id, { resolve, reject });
      thread.worker.ref();
      thread.worker.postMessage({ id, srp: args });
    }).then(([hex]) => hex!);
  }

  /** Whether a task given now would start at once (a thread is idle, or another may be started). */
  hasIdleThread(): boolean {
    return !this.closed && (this.threads.length < this.threadLimit || this.threads.some((t) => t.tasks.size === 0));
  }

  /** Ends the threads; tasks still running are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
    for (const t of threads) this.fail(t, new Error('crypto workers are closed'));
  }

  private pick(): Thread {
    const idle = this.threads.find((t) => t.tasks.size === 0);
    if (idle) return idle;
    if (this.threads.length < this.threadLimit) return this.spawn();
    return this.threads.reduce((a, b) => (b.tasks.size < a.tasks.size ? b : a));
  }

  private spawn(): Thread {
    const worker = new Worker(WORKER_SOURCE, { eval: true, name: 'authchart-local-pool-srp' });
    const thread: Thread = { worker, tasks: new Map() };
    worker.unref();
    worker.on('message', (message: { id: number; verifiers?: string[]; error?: string }) => {
      const task = thread.tasks.get(message.id);
      if (!task) return;
      thread.tasks.delete(message.id);
      if (thread.tasks.size === 0) worker.unref();
      if (message.verifiers) task.resolve(message.verifiers);
      else task.reject(new Error(`crypto worker: ${message.error}`));
    });
    // A thread that dies takes its tasks with it; the next call starts a new one.
    const lost = (error: Error) => {
      const index = this.threads.indexOf(thread);
      if (index >= 0) this.threads.splice(index, 1);
      this.fail(thread, error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`crypto worker exited with code ${code}`)));
    this.threads.push(thread);
    return thread;
  }

  private fail(thread: Thread, error: Error): void {
    for (const task of thread.tasks.values()) task.reject(error);
    thread.tasks.clear();
  }
}
