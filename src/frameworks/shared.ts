// What the three framework adapters share: the auth they read and the structural view comparison.
// No flow logic here: views come from selectView, events go through commands (src/view.ts).
import type { Auth } from '../runtime/create-auth.js';
import { selectView, type AuthView } from '../view.js';

/** What an adapter needs from createAuth(): its actor (and the message catalogue, when one was given). */
export type AuthSource = Pick<Auth, 'actor'> & Partial<Pick<Auth, 'messages'>>;

/** selectView with the source's message catalogue. */
export const viewSelector =
  (auth: AuthSource) =>
  (snapshot: Parameters<typeof selectView>[0]): AuthView =>
    selectView(snapshot, auth.messages ? { messages: auth.messages } : {});

/**
 * Structural equality of two views (plain data: primitives, arrays, records).
 * selectView builds a new object for every snapshot; adapters publish a view only when this says it changed.
 */
export function sameView(a: AuthView, b: AuthView): boolean {
  return same(a, b);
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => Object.prototype.hasOwnProperty.call(b, key) && same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
