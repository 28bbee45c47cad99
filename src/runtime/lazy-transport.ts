// A transport whose code loads with import() on its first call, so a chunk that can make either transport carries
// only the one an instance chose: the SDK transport's sign-in loads no fetch transport.
import type { WireTransport } from '../cognito/wire-port.js';
import { lazyChunk } from './lazy-chunk.js';

export function lazyTransport(load: () => Promise<WireTransport>): WireTransport {
  const loaded = lazyChunk(load);
  return {
    ready: async () => {
      const transport = await loaded();
      await transport.ready?.();
    },
    send: async (operation, input, signal) => (await loaded()).send(operation, input, signal),
  };
}
