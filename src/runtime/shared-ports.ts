// Cognito ports hold no per-user state (the SDK port makes its client once and reuses it), so createAuth()
// instances with the same connection share one: a server making an instance per request does not make a port
// (and an SDK client) per request too. The last few connections are kept, so many pools cannot grow it for ever.
import type { CognitoPort } from '../cognito/port.js';

const KEPT = 16;
const ports = new Map<string, CognitoPort>();

/** The port made for this connection before, or a new one from `make`. */
export function sharedPort(connection: Readonly<Record<string, string | number | undefined>>, make: () => CognitoPort): CognitoPort {
  const key = JSON.stringify(Object.entries(connection).sort(([a], [b]) => (a < b ? -1 : 1)));
  const known = ports.get(key);
  if (known) {
    ports.delete(key); // most recently used last
    ports.set(key, known);
    return known;
  }
  const port = make();
  ports.set(key, port);
  if (ports.size > KEPT) ports.delete(ports.keys().next().value!);
  return port;
}
