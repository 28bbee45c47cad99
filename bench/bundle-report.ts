// What the bundle and memory benches share for their reports: progress on stderr, Markdown tables, the machine
// they ran on, and their own section of docs/benchmarks.md (rewritten from each run, between two markers).
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';

const tty = process.stderr.isTTY === true;

/** One progress line: updated in place on a terminal, printed as it comes when piped. */
export function progress(text: string): void {
  if (tty) process.stderr.write(`\r\x1b[2K${text}`);
  else process.stderr.write(`${text}\n`);
}

export function progressDone(): void {
  if (tty) process.stderr.write('\r\x1b[2K');
}

/** A Markdown table; columns whose header ends in ':' are right-aligned (the colon is dropped). */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const right = header.map((h) => h.endsWith(':'));
  const names = header.map((h) => h.replace(/:$/, ''));
  const widths = names.map((name, i) => Math.max(name.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(names), rule, ...rows.map(line)].join('\n');
}

/** CPU, cores, memory, OS and Node, as the docs name the machine a run was made on. */
export function machineDescription(): string {
  const cpus = os.cpus();
  const memory = Math.round(os.totalmem() / 1024 ** 3);
  return `${cpus.length} × "${cpus[0]?.model.trim() ?? 'unknown CPU'}", ${memory} GiB RAM, ${os.type()} ${os.arch()}; Node ${process.version} (V8 ${process.versions.v8})`;
}

/** A package's installed version, read from its package.json under `nodeModules`. */
export function versionOf(nodeModules: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(resolve(nodeModules, name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

/**
 * Replaces the section between `<!-- <name>:begin -->` and `<!-- <name>:end -->` in docs/benchmarks.md (appends it,
 * markers included, the first time). The rest of the page (other benches' sections) is left as it is.
 */
export function writeDocsSection(root: string, name: string, markdown: string): string {
  const file = resolve(root, 'docs/benchmarks.md');
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const page = readFileSync(file, 'utf8');
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  const from = page.indexOf(begin);
  const to = page.indexOf(end);
  const next = from >= 0 && to > from ? page.slice(0, from) + block + page.slice(to + end.length) : `${page.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
  return file;
}
