// A stretch of network between a client and the local pool that can be switched off: an HTTP relay on 127.0.0.1
// that forwards each request and closes the connection after its answer. No connection is ever kept alive, so
// while the relay is off every call really meets a refused connection (ECONNREFUSED), never a reused socket.
// What the pool does to a connection (a drop, a reset mid-answer) reaches the client as it happened.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NetworkSwitch {
  /** Where clients connect (the pool behind it). */
  readonly url: string;
  /** Nobody listens any more: new connections are refused at once (synchronously, so it can be done mid-transition). */
  off(): void;
  /** Listening again, on the same port. */
  on(): Promise<void>;
  close(): Promise<void>;
}

export async function startNetworkSwitch(target: string): Promise<NetworkSwitch> {
  const upstream = new URL(target);
  const relay = (req: IncomingMessage, res: ServerResponse) => {
    const forwarded = request({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent: false });
    forwarded.on('response', (answer) => {
      const headers: Record<string, string | string[] | undefined> = { ...answer.headers, connection: 'close' };
      delete headers['keep-alive'];
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
      // the pool cut its answer short: so is the client's
      answer.on('close', () => {
        if (!answer.complete) res.destroy();
      });
    });
    // the pool closed the connection without an answer: the client's connection is cut the same way
    forwarded.on('error', () => res.destroy());
    res.on('close', () => {
      if (!res.writableFinished) forwarded.destroy();
    });
    req.pipe(forwarded);
  };

  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer(relay);
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        port = (next.address() as AddressInfo).port;
        server = next;
        resolve();
      });
    });
  const stop = () => {
    const current = server;
    server = undefined;
    if (!current) return Promise.resolve();
    const closed = new Promise<void>((resolve) => current.close(() => resolve()));
    current.closeAllConnections();
    return closed;
  };
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    off: () => void stop(),
    on: async () => {
      if (!server) await listen();
    },
    close: stop,
  };
}
