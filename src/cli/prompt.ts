// Line prompts that work on a terminal (hidden input for secrets) and on piped stdin (tests, scripts).
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export class Prompter {
  private muted = false;
  private readonly lines: AsyncIterator<string>;
  private readonly close: () => void;

  constructor(input: NodeJS.ReadableStream = process.stdin, private readonly output: NodeJS.WritableStream = process.stdout) {
    const echo = new Writable({
      write: (chunk, _encoding, done) => {
        if (!this.muted) output.write(chunk);
        done();
      },
    });
    const terminal = Boolean((input as { isTTY?: boolean }).isTTY);
    const rl = createInterface({ input, output: echo, terminal });
    this.lines = rl[Symbol.asyncIterator]();
    this.close = () => rl.close();
  }

  /** Asks one question; `hidden` keeps typed characters off the screen. Null when input has ended. */
  async ask(question: string, options: { hidden?: boolean } = {}): Promise<string | null> {
    this.output.write(question);
    this.muted = options.hidden === true;
    try {
      const next = await this.lines.next();
      if (options.hidden) this.output.write('\n');
      return next.done ? null : next.value;
    } finally {
      this.muted = false;
    }
  }

  dispose(): void {
    this.close();
  }
}
