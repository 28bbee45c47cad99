// The package as `npm pack` makes it from the current dist/ (npm test builds first), packed once per test file,
// and a consumer project that has it installed (its other dependencies linked from this repository's node_modules).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface PackedFile {
  readonly path: string;
  readonly size: number;
  readonly mode: number;
}
export interface Packed {
  readonly tarball: string;
  /** Compressed size of the tarball, and the size of what it unpacks to, in bytes. */
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly PackedFile[];
}

let packed: Packed | undefined;

export function pack(): Packed {
  if (packed) return packed;
  if (!existsSync(join(root, 'dist/cli/authchart.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  const out = mkdtempSync(join(tmpdir(), 'authchart-pack-'));
  const json = execFileSync(npm, ['pack', '--json', '--pack-destination', out], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(json) as Array<{ filename: string; size: number; unpackedSize: number; files: PackedFile[] }>;
  packed = { tarball: join(out, info!.filename), size: info!.size, unpackedSize: info!.unpackedSize, files: info!.files };
  return packed;
}

/** A new project directory with the packed authchart in node_modules (extracted as npm would). */
export function consumerProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'authchart-consumer-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, 'authchart'), { recursive: true });
  execFileSync('tar', ['-xzf', pack().tarball, '-C', join(modules, 'authchart'), '--strip-components=1']);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === 'authchart' || entry.startsWith('.')) continue;
    symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
  return dir;
}
