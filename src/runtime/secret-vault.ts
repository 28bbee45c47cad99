// Holds what must survive between two Cognito calls but may never enter machine context
// (password + SRP private value between InitiateAuth and PASSWORD_VERIFIER). One vault per auth actor.

export class SecretVault<T> {
  private readonly entries = new Map<string, { value: T; timer: ReturnType<typeof setTimeout> }>();
  private counter = 0;

  /** Stores `value` until taken or until `ttlMs` passes; returns an opaque reference. */
  put(value: T, ttlMs: number): string {
    const ref = `secret-${++this.counter}-${randomSuffix()}`;
    const timer = setTimeout(() => this.entries.delete(ref), Math.max(0, ttlMs));
    (timer as { unref?: () => void }).unref?.();
    this.entries.set(ref, { value, timer });
    return ref;
  }

  /** Returns the value once; a second take (or a take after expiry) gets undefined. */
  take(ref: string): T | undefined {
    const entry = this.entries.get(ref);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.entries.delete(ref);
    return entry.value;
  }

  /** Reads without taking (the value stays until taken or expired). */
  peek(ref: string): T | undefined {
    return this.entries.get(ref)?.value;
  }

  /** Replaces the value (the entry keeps its expiry); false when the entry is gone. */
  replace(ref: string, value: T): boolean {
    const entry = this.entries.get(ref);
    if (!entry) return false;
    entry.value = value;
    return true;
  }

  /** Restarts the expiry of an entry (a new Cognito session gives the attempt more time). */
  touch(ref: string, ttlMs: number): void {
    const entry = this.entries.get(ref);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => this.entries.delete(ref), Math.max(0, ttlMs));
    (entry.timer as { unref?: () => void }).unref?.();
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    for (const { timer } of this.entries.values()) clearTimeout(timer);
    this.entries.clear();
  }
}

// The references' random part, drawn from a pool refilled a few hundred bytes at a time: getRandomValues costs about
// as much for 6 bytes as for 384, and a sign-in puts more than one secret.
const SUFFIX_BYTES = 6;
let pool = new Uint8Array(0);
let used = 0;

function randomSuffix(): string {
  if (used + SUFFIX_BYTES > pool.length) {
    pool = globalThis.crypto.getRandomValues(new Uint8Array(SUFFIX_BYTES * 64));
    used = 0;
  }
  let hex = '';
  for (let i = used; i < used + SUFFIX_BYTES; i++) hex += pool[i]!.toString(16).padStart(2, '0');
  used += SUFFIX_BYTES;
  return hex;
}
