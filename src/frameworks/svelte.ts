// authchart/svelte: authStore(auth) -> { view: Readable<AuthView>, commands } on @xstate/svelte.
// A subscription bridge only: the view is selectView(snapshot), the senders are commands(actor).
// The store subscribes to the actor while it has subscribers ($view in a component).
import type { Readable } from 'svelte/store';
import { useSelector } from '@xstate/svelte';
import { commands, type AuthCommands, type AuthView } from '../view.js';
import { sameView, viewSelector, type AuthSource } from './shared.js';

export type { AuthCommands, AuthView } from '../view.js';
export type { AuthSource } from './shared.js';
export { sameView } from './shared.js';

export interface AuthStore {
  /** Emits only when the view changes (structural comparison). */
  readonly view: Readable<AuthView>;
  readonly commands: AuthCommands;
}

export function authStore(auth: AuthSource): AuthStore {
  return { view: useSelector(auth.actor, viewSelector(auth), sameView), commands: commands(auth.actor) };
}

/** The same as authStore(), named like the React and Vue adapters. */
export const useAuth = authStore;
