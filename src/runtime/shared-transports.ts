// Transports hold no per-user state (the SDK transport makes its client once and reuses it), so createAuth()
// instances that reach Cognito the same way share one: a server making an instance per request does not make an SDK
// client per request too. The port around it (mapping, timeouts, ClientMetadata and UserContextData providers) is an
// instance's own only when the instance brings providers; otherwise it is shared the same way (about 4.5 KB an
// instance). The last few connections are kept, so many pools cannot grow it for ever.

const KEPT = 16;
const transports = new Map<string, unknown>();

/** The transport made for this connection before, or a new one from `make`. */
export function sharedTransport<T>(connection: Readonly<Record<string, string | number | undefined>>, make: () => T): T {
  const key = JSON.stringify(Object.entries(connection).sort(([a], [b]) => (a < b ? -1 : 1)));
  if (transports.has(key)) {
    const known = transports.get(key) as T;
    transports.delete(key); // most recently used last
    transports.set(key, known);
    return known;
  }
  const made = make();
  transports.set(key, made);
  if (transports.size > KEPT) transports.delete(transports.keys().next().value!);
  return made;
}
