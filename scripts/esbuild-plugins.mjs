// esbuild plugins shared by scripts/build.mjs and scripts/run-ts.mjs.
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// tssrp6a is bundled, with its crossEnvCrypto (which require()s "crypto" outside browsers) replaced by WebCrypto.
export const tssrp6aWebCrypto = {
  name: 'tssrp6a-webcrypto',
  setup(b) {
    b.onResolve({ filter: /^tssrp6a$/ }, () => ({ path: resolve(root, 'node_modules/tssrp6a/dist/esm/index.js') }));
    b.onResolve({ filter: /crossEnvCrypto(\.js)?$/ }, (args) =>
      args.importer.includes(`${sep}tssrp6a${sep}`) ? { path: resolve(root, 'src/cognito/tssrp6a-webcrypto.ts') } : undefined,
    );
  },
};
