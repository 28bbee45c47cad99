// What `npm pack` ships: what users run (the built library, types for ESM and CommonJS, the CLI with its execute
// bit, the demo page, the seeds), nothing they do not (source maps, benchmarks, sources, tests), within a budget.
import { pack } from './packed.js';

/**
 * The tarball's budget: it was 2.1 MB compressed, 9.2 MB unpacked with the source maps and the benchmarks; now about
 * 1.5 MB / 6.2 MB, most of it the demo page's bundle (1.1 MB), the CommonJS build (unsplit) and the local pool's ESM
 * and CommonJS builds (the CLI's `pool` command loads the ESM one through the package's own export).
 */
const MAX_PACKED_BYTES = 1_600_000;
const MAX_UNPACKED_BYTES = 7_000_000;

describe('the published package', () => {
  const packed = pack();
  const paths = packed.files.map((f) => f.path);

  it(`stays within ${MAX_PACKED_BYTES / 1e6} MB packed and ${MAX_UNPACKED_BYTES / 1e6} MB unpacked`, () => {
    expect(packed.size).toBeLessThanOrEqual(MAX_PACKED_BYTES);
    expect(packed.unpackedSize).toBeLessThanOrEqual(MAX_UNPACKED_BYTES);
  });

  it('ships the license, the readme, the changelog and the manifest', () => {
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']));
  });

  it('ships the seeds `authchart pool --demo` applies, with their Lambda functions', () => {
    expect(paths).toContain('seeds/demo.json');
    expect(paths.some((p) => p.startsWith('seeds/functions/'))).toBe(true);
  });

  it('ships the built demo page without its source map', () => {
    expect(paths).toEqual(expect.arrayContaining(['dist/demo/index.html', 'dist/demo/app.js']));
  });

  it('ships no source maps, benchmarks, TypeScript sources or tests', () => {
    const unwanted = paths.filter((p) => p.endsWith('.map') || p.startsWith('dist/bench/') || p.startsWith('bench/') || p.startsWith('src/') || p.startsWith('test/') || /(?<!\.d)\.m?ts$/.test(p));
    expect(unwanted).toEqual([]);
  });

  it('has every file package.json points at: exports, types for both formats, the bin (executable)', () => {
    const manifest = require('../../package.json') as { bin: Record<string, string>; main: string; module: string; types: string; exports: unknown };
    const targets = new Set<string>([manifest.main, manifest.module, manifest.types, ...Object.values(manifest.bin)]);
    const walk = (value: unknown): void => {
      if (typeof value === 'string') targets.add(value);
      else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    walk(manifest.exports);
    const missing = [...targets].map((t) => t.replace(/^\.\//, '')).filter((t) => !paths.includes(t));
    expect(missing).toEqual([]);
    const bin = packed.files.find((f) => f.path === manifest.bin['authchart']!.replace(/^\.\//, ''));
    expect(bin!.mode & 0o111).toBe(0o111);
  });
});
