// Import first in @jest-environment jsdom tests of the framework adapters (with the "node" export condition, so that
// the AWS SDK and the runtime load as in Node; the DOM is jsdom).
// 1. jest's jsdom environment has no WebCrypto subtle, TextEncoder or TextDecoder (the runtime's SRP needs them):
//    use Node's, as a browser would have its own.
// 2. svelte ships ES modules only, and jest (CommonJS, node_modules untransformed but for a list in jest.config.cjs)
//    cannot require them: the real svelte and svelte/store are bundled to CommonJS with esbuild and registered as those modules
//    (adding svelte|esm-env to transformIgnorePatterns in jest.config.cjs would make this unnecessary).
import { webcrypto } from 'node:crypto';
import { TextDecoder, TextEncoder } from 'node:util';
import { execFileSync } from 'node:child_process';

const g = globalThis as unknown as Record<string, unknown> & { crypto?: Crypto };
if (!g.crypto?.subtle) {
  // Node's SubtleCrypto only takes buffers of its own realm; the test code runs in jsdom's: copy views over.
  const own = (value: unknown) =>
    ArrayBuffer.isView(value)
      ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
      : Object.prototype.toString.call(value) === '[object ArrayBuffer]'
        ? Buffer.from(value as ArrayBuffer)
        : value;
  const subtle = new Proxy(webcrypto.subtle, {
    get(target, key) {
      const member = Reflect.get(target, key, target) as unknown;
      return typeof member === 'function' ? (...args: unknown[]) => member.apply(target, args.map(own)) : member;
    },
  });
  if (g.crypto) Object.defineProperty(g.crypto, 'subtle', { value: subtle, configurable: true });
  else Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true, writable: true });
}
if (typeof g['TextEncoder'] === 'undefined') Object.assign(globalThis, { TextEncoder, TextDecoder });

let svelteModules: { svelte: object; store: object } | undefined;
/** svelte and svelte/store (browser builds) in one CommonJS bundle, so that they share svelte's internals. */
function svelteBundle() {
  if (!svelteModules) {
    // esbuild refuses to run inside jsdom's realm: bundle in a child process.
    const options = {
      stdin: { contents: "export * as svelte from 'svelte'; export * as store from 'svelte/store';", resolveDir: process.cwd() },
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'browser',
      logLevel: 'error',
    };
    const script = `process.stdout.write(require('esbuild').buildSync(${JSON.stringify(options)}).outputFiles[0].text)`;
    const code = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    const module = { exports: {} as { svelte: object; store: object } };
    new Function('module', 'exports', 'require', code)(module, module.exports, require);
    svelteModules = module.exports;
  }
  return svelteModules;
}
jest.mock('svelte', () => svelteBundle().svelte);
jest.mock('svelte/store', () => svelteBundle().store);
