// A scripted hosted UI for unit and model tests (the redirect's stand-in): each start / finish takes the next reply.
import type { CognitoTokens } from '../cognito/port.js';
import type { HostedUi } from '../oauth/redirect.js';

export type FakeHostedUiReply<T> = T | Error | (() => T | Promise<T>);
export interface FakeHostedUiScript {
  readonly start?: ReadonlyArray<FakeHostedUiReply<void>>;
  readonly finish?: ReadonlyArray<FakeHostedUiReply<{ tokens: CognitoTokens; customState: string | null }>>;
  /** The URL the app is opened at (a callback when it has code and state). */
  readonly currentUrl?: string | null;
  /** Or one URL per stored-session check, in order (a model path's loads); then null. */
  readonly callbacks?: ReadonlyArray<string | null>;
}
export interface FakeHostedUi extends HostedUi {
  readonly calls: Array<{ readonly kind: 'start' | 'finish' | 'navigate'; readonly detail: unknown }>;
  /** What the next page load is opened at. */
  openAt(url: string | null): void;
}

export function createFakeHostedUi(script: FakeHostedUiScript = {}): FakeHostedUi {
  const starts = [...(script.start ?? [])];
  const finishes = [...(script.finish ?? [])];
  let current = script.currentUrl ?? null;
  const loads = script.callbacks ? [...script.callbacks] : null;
  const calls: FakeHostedUi['calls'] = [];
  const take = async <T>(queue: Array<FakeHostedUiReply<T>>, kind: string): Promise<T> => {
    if (queue.length === 0) throw new Error(`fake hosted UI: no scripted reply left for ${kind}`);
    const reply = queue.shift()!;
    if (reply instanceof Error) throw reply;
    return typeof reply === 'function' ? (reply as () => T | Promise<T>)() : reply;
  };
  const isCallback = (url: string) => /[?&]state=/.test(url) && /[?&](code|error)=/.test(url);
  return {
    calls,
    openAt: (url) => (current = url),
    isCallback,
    pendingCallback: () => {
      if (loads) current = loads.shift() ?? null;
      return current && isCallback(current) ? current : null;
    },
    start: async (request) => {
      calls.push({ kind: 'start', detail: request });
      await take(starts, 'start');
    },
    finish: async (callbackUrl) => {
      calls.push({ kind: 'finish', detail: callbackUrl });
      current = null; // handled once: the address bar forgets it
      return take(finishes, 'finish');
    },
    logoutUrl: () => null,
    navigate: async (url) => {
      calls.push({ kind: 'navigate', detail: url });
    },
  };
}
