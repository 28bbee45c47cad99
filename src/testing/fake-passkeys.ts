// Scripted passkey prompts for unit and model tests (the browser's WebAuthn ceremonies stand-in), recording each call.
import type { PasskeyCeremonies } from '../webauthn/ceremonies.js';

/** A reply: the credential JSON, an Error to throw, or a function of the options (e.g. one that never settles). */
export type FakePasskeyReply = string | Error | ((options: unknown, signal: AbortSignal, mode: { conditional?: boolean }) => string | Promise<string>);
export interface FakePasskeyScript {
  readonly get?: readonly FakePasskeyReply[];
  readonly create?: readonly FakePasskeyReply[];
}
export interface FakePasskeys extends PasskeyCeremonies {
  readonly calls: Array<{ readonly kind: 'get' | 'create'; readonly options: unknown; readonly conditional: boolean }>;
}

export function createFakePasskeys(script: FakePasskeyScript = {}): FakePasskeys {
  const queues = { get: [...(script.get ?? [])], create: [...(script.create ?? [])] };
  const calls: FakePasskeys['calls'] = [];
  const run = (kind: 'get' | 'create') => async (options: unknown, signal: AbortSignal, mode: { conditional?: boolean } = {}): Promise<string> => {
    calls.push({ kind, options, conditional: mode.conditional === true });
    const reply = queues[kind].shift();
    if (reply === undefined) throw new Error(`fake passkeys: no scripted reply left for ${kind}`);
    if (reply instanceof Error) throw reply;
    return typeof reply === 'function' ? reply(options, signal, mode) : reply;
  };
  return { calls, supported: () => true, get: run('get'), create: run('create') };
}
