// Import first in @jest-environment jsdom tests of the framework adapters (with the "node" export condition, so that
// the AWS SDK and the runtime load as in Node; the DOM is jsdom).
// 1. jest's jsdom environment has no WebCrypto subtle, TextEncoder or TextDecoder (the runtime's SRP needs them):
//    use Node's, as a browser would have its own.
// (svelte ships ES modules only: jest.config.cjs compiles it to CommonJS like the other ESM-only packages.)
import { webcrypto } from 'node:crypto';
import { TextDecoder, TextEncoder } from 'node:util';

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

