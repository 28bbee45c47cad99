// The pool's log lines. Requests put their own text into them (operation names, error messages that
// name members and keys, outbox messages built from pool settings), so every line is escaped on its
// way out: one log call is one line, and nothing a client sends can start a line of its own (forge
// an "[outbox]" line, say) or drive the terminal.

// C0 and C1 control characters (newlines, carriage return, escape ...) and the Unicode line separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control character and line separator written as an escape (\n, \r, \t, \xNN, \uNNNN). */
export function escapeLogText(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

/** The log callback the pool writes through: each line escaped (an internal error's stack trace becomes one line too). */
export function oneLineLog(log: ((line: string) => void) | undefined): (line: string) => void {
  return log ? (line) => log(escapeLogText(line)) : () => {};
}
