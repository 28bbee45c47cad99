// Jest transformer: TypeScript and ESM-only packages -> CommonJS with esbuild (no ts-jest).
const { transformSync } = require('esbuild');
const path = require('node:path');

const loaders = { '.ts': 'ts', '.tsx': 'tsx', '.mts': 'ts', '.cts': 'ts', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };

module.exports = {
  process(source, filename) {
    const loader = loaders[path.extname(filename)] ?? 'js';
    const { code, map } = transformSync(source, {
      loader,
      format: 'cjs',
      target: 'node20',
      // Jest's CJS runtime has no import(): lazy imports (the SDK port loads the SDK on first use) become require().
      supported: { 'dynamic-import': false },
      sourcemap: 'external',
      sourcefile: filename,
      // import.meta.url has no CJS equivalent; tests run from source files.
      define: { 'import.meta.url': '__authchartImportMetaUrl' },
      banner: source.includes('import.meta.url')
        ? 'var __authchartImportMetaUrl = require("node:url").pathToFileURL(__filename).href;'
        : '',
    });
    return { code, map };
  },
};
