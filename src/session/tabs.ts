// Tabs that share the token storage (localStorage, cookies) hear of each other's sign-in and sign-out through
// a BroadcastChannel, and refresh one at a time through the Web Locks API, where the platform has them.

export type TabChange = 'signedIn' | 'signedOut';

export interface TabChannel {
  post(change: TabChange): void;
  /** Returns the function that stops listening. */
  listen(handler: (change: TabChange) => void): () => void;
  close(): void;
}

interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

/** A channel named after the app client, or undefined where BroadcastChannel does not exist. */
export function broadcastTabs(name: string): TabChannel | undefined {
  const Channel = (globalThis as { BroadcastChannel?: new (name: string) => BroadcastChannelLike }).BroadcastChannel;
  if (!Channel) return undefined;
  const channel = new Channel(name);
  return {
    post: (change) => channel.postMessage({ authchart: 1, change }),
    listen(handler) {
      const listener = (event: { data: unknown }) => {
        const data = event.data as { authchart?: unknown; change?: unknown } | null;
        if (data?.authchart === 1 && (data.change === 'signedIn' || data.change === 'signedOut')) handler(data.change);
      };
      channel.addEventListener('message', listener);
      return () => channel.removeEventListener('message', listener);
    },
    close: () => channel.close(),
  };
}

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
  request<T>(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

/**
 * Runs `work` holding the cross-tab lock `name` (Web Locks), or at once where the platform has none.
 * `waited` tells the work that another tab held the lock first: what that tab wrote to the shared storage
 * before letting go may reach this tab's storage a moment later (browsers pass localStorage changes
 * between tabs asynchronously, key by key).
 */
export async function withTabLock<T>(name: string, work: (waited: boolean) => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (!locks?.request) return work(false);
  const atOnce = await locks.request(name, { ifAvailable: true }, async (lock) => (lock ? { result: await work(false) } : undefined));
  return atOnce ? atOnce.result : locks.request(name, () => work(true));
}

/**
 * Resolves once `check` holds, looking every 20 ms, or after `timeoutMs` anyway: for a change another tab
 * announced (or made under a lock) to reach this tab's storage.
 */
export async function untilStored(check: () => Promise<boolean>, timeoutMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
