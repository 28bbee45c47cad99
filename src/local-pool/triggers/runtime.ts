// Runs the pool's Lambda functions: DIR/NAME.mjs, .js or .cjs is the function NAME. Each function
// gets warm "sandboxes" (worker threads, see worker-source.ts) that take one invocation at a time,
// so a function that computes or hangs never blocks the pool's own thread, and a timeout can always
// be enforced: the sandbox of an invocation that runs out of time is terminated, as Lambda recycles
// one. A function file that changed since its sandboxes loaded it is loaded afresh (a "deploy").
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LAMBDA_WORKER_SOURCE } from './worker-source.js';

/** What one invocation came to. `payload` is the handler's result after JSON, as Lambda returns it. */
export type InvokeOutcome =
  | { kind: 'ok'; payload: unknown }
  | { kind: 'error'; errorType: string; errorMessage: string }
  | { kind: 'timeout' }
  | { kind: 'missing' };

export interface FunctionRunnerOptions {
  /** Where the function files are; none: every function is missing. */
  directory?: string | undefined;
  /** How long an invocation may take, queueing and loading included (Cognito waits 5 s). */
  timeoutMs: number;
  /** Where the functions' console output goes, one line each. */
  log: (line: string) => void;
  /** A message a running function hands to authchartLocalPool.sendMessage, with the event it runs for. */
  deliver?: (event: unknown, message: unknown) => void;
}

/** Lambda's rule for function names. */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const EXTENSIONS = ['.mjs', '.js', '.cjs'] as const;
/** Invocations of one function that run at the same time; more wait for a sandbox. */
const SANDBOXES_PER_FUNCTION = 4;

interface Invocation {
  id: number;
  event: unknown;
  deadline: number;
  awsRequestId: string;
  timer: NodeJS.Timeout;
  done: (outcome: InvokeOutcome) => void;
}

interface Sandbox {
  worker: Worker;
  /** mtime of the file it loaded. */
  version: number;
  running?: Invocation | undefined;
  retired: boolean;
}

interface FunctionState {
  name: string;
  /** The ARN the latest invocation named it by (what new sandboxes see as their own). */
  arn: string;
  file: string;
  version: number;
  sandboxes: Sandbox[];
  waiting: Invocation[];
}

export class FunctionRunner {
  private readonly functions = new Map<string, FunctionState>();
  private nextId = 0;
  private closed = false;
  private readonly directory: string | undefined;

  constructor(private readonly options: FunctionRunnerOptions) {
    this.directory = options.directory === undefined ? undefined : resolve(options.directory);
  }

  /** The file of function `name`, if there is one. */
  fileOf(name: string): string | undefined {
    if (this.directory === undefined || !FUNCTION_NAME.test(name)) return undefined;
    return EXTENSIONS.map((ext) => join(this.directory!, `${name}${ext}`)).find((file) => existsSync(file));
  }

  /** Calls function `name` with `event`; never rejects. `arn` is what the function sees as its own. */
  invoke(name: string, arn: string, event: unknown): Promise<InvokeOutcome> {
    const file = this.closed ? undefined : this.fileOf(name);
    if (!file) return Promise.resolve({ kind: 'missing' });
    let version: number;
    try {
      version = statSync(file).mtimeMs;
    } catch {
      return Promise.resolve({ kind: 'missing' });
    }
    const state = this.stateOf(name, file, version);
    state.arn = arn;
    return new Promise<InvokeOutcome>((resolveOutcome) => {
      const invocation: Invocation = {
        id: this.nextId++,
        event,
        deadline: Date.now() + this.options.timeoutMs,
        awsRequestId: randomUUID(),
        timer: setTimeout(() => this.timedOut(state, invocation), this.options.timeoutMs),
        done: (outcome) => {
          clearTimeout(invocation.timer);
          resolveOutcome(outcome);
        },
      };
      state.waiting.push(invocation);
      this.dispatch(state);
    });
  }

  /** Ends every sandbox; invocations still running or waiting are answered as errors. */
  async close(): Promise<void> {
    this.closed = true;
    const states = [...this.functions.values()];
    this.functions.clear();
    const closedError: InvokeOutcome = { kind: 'error', errorType: 'Runtime.Closed', errorMessage: 'the local pool is closing' };
    for (const state of states) {
      for (const invocation of state.waiting.splice(0)) invocation.done(closedError);
      for (const sandbox of state.sandboxes) sandbox.running?.done(closedError);
    }
    await Promise.all(states.flatMap((s) => s.sandboxes.splice(0).map((sandbox) => sandbox.worker.terminate())));
  }

  private stateOf(name: string, file: string, version: number): FunctionState {
    let state = this.functions.get(name);
    if (!state || state.file !== file) {
      state = { name, arn: '', file, version, sandboxes: [], waiting: [] };
      this.functions.set(name, state);
    }
    if (state.version !== version) {
      // The file changed: new invocations load it afresh; idle old sandboxes go now, busy ones when done.
      state.version = version;
      for (const sandbox of [...state.sandboxes]) {
        sandbox.retired = true;
        if (!sandbox.running) this.discard(state, sandbox);
      }
    }
    return state;
  }

  private dispatch(state: FunctionState): void {
    if (this.closed) return;
    while (state.waiting.length > 0) {
      let sandbox = state.sandboxes.find((s) => !s.running && !s.retired);
      if (!sandbox) {
        if (state.sandboxes.filter((s) => !s.retired).length >= SANDBOXES_PER_FUNCTION) return;
        sandbox = this.spawn(state);
      }
      const invocation = state.waiting.shift()!;
      sandbox.running = invocation;
      sandbox.worker.ref();
      sandbox.worker.postMessage({ id: invocation.id, event: invocation.event, deadline: invocation.deadline, awsRequestId: invocation.awsRequestId });
    }
  }

  private spawn(state: FunctionState): Sandbox {
    const arn = state.arn;
    const region = arn.split(':')[3] || 'us-east-1';
    const worker = new Worker(LAMBDA_WORKER_SOURCE, {
      eval: true,
      name: `lambda ${state.name}`,
      workerData: {
        file: state.file,
        functionName: state.name,
        functionArn: arn,
        logStreamName: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomUUID().replace(/-/g, '')}`,
      },
      env: {
        ...process.env,
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_LAMBDA_FUNCTION_NAME: state.name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${state.name}`,
        LAMBDA_TASK_ROOT: this.directory ?? '',
      },
      stdout: true,
      stderr: true,
    });
    const sandbox: Sandbox = { worker, version: state.version, retired: false };
    worker.unref();
    this.forwardOutput(state.name, worker);
    worker.on('message', (message: { id: number; ok: boolean; payload?: string; errorType?: string; errorMessage?: string; crashed?: boolean; outbox?: unknown }) => {
      const invocation = sandbox.running;
      if (!invocation || invocation.id !== message.id) return;
      if ('outbox' in message) {
        try {
          this.options.deliver?.(invocation.event, message.outbox);
        } catch (error) {
          this.options.log(`[lambda ${state.name}] authchartLocalPool.sendMessage: ${(error as Error).message}`);
        }
        return;
      }
      sandbox.running = undefined;
      worker.unref();
      invocation.done(
        message.ok
          ? { kind: 'ok', payload: JSON.parse(message.payload ?? 'null') as unknown }
          : { kind: 'error', errorType: message.errorType ?? 'Error', errorMessage: message.errorMessage ?? '' },
      );
      if (message.crashed || sandbox.retired) this.discard(state, sandbox);
      this.dispatch(state);
    });
    const lost = (reason: string) => {
      const index = state.sandboxes.indexOf(sandbox);
      if (index < 0) return;
      state.sandboxes.splice(index, 1);
      const invocation = sandbox.running;
      sandbox.running = undefined;
      invocation?.done({ kind: 'error', errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${invocation.awsRequestId} Error: Runtime exited with error: ${reason}` });
      if (!this.closed) this.dispatch(state);
    };
    worker.on('error', (error) => lost(error.message));
    worker.on('exit', (code) => lost(`exit status ${code}`));
    state.sandboxes.push(sandbox);
    return sandbox;
  }

  /** The function's console output, line by line, to the pool's log. */
  private forwardOutput(name: string, worker: Worker): void {
    for (const stream of [worker.stdout, worker.stderr]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (pending + chunk).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) this.options.log(`[lambda ${name}] ${line}`);
      });
      stream.on('end', () => {
        if (pending !== '') this.options.log(`[lambda ${name}] ${pending}`);
        pending = '';
      });
    }
  }

  private timedOut(state: FunctionState, invocation: Invocation): void {
    const waitingAt = state.waiting.indexOf(invocation);
    if (waitingAt >= 0) {
      state.waiting.splice(waitingAt, 1);
      invocation.done({ kind: 'timeout' });
      return;
    }
    const sandbox = state.sandboxes.find((s) => s.running === invocation);
    if (!sandbox) return;
    sandbox.running = undefined;
    invocation.done({ kind: 'timeout' });
    // Like Lambda after a timeout: this sandbox is not used again (whatever it still does is stopped).
    this.discard(state, sandbox);
    this.dispatch(state);
  }

  private discard(state: FunctionState, sandbox: Sandbox): void {
    const index = state.sandboxes.indexOf(sandbox);
    if (index >= 0) state.sandboxes.splice(index, 1);
    void sandbox.worker.terminate();
  }
}
