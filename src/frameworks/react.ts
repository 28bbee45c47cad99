// authchart/react: useAuth(auth) -> { view, commands } on @xstate/react, plus an optional context provider.
// A subscription bridge only: the view is selectView(snapshot), the senders are commands(actor).
import { createContext, createElement, useContext, useMemo, type ReactNode } from 'react';
import { useSelector } from '@xstate/react';
import { commands, type AuthCommands, type AuthView } from '../view.js';
import { sameView, viewSelector, type AuthSource } from './shared.js';

export type { AuthCommands, AuthView } from '../view.js';
export type { AuthSource } from './shared.js';
export { sameView } from './shared.js';

export interface UseAuthResult {
  readonly view: AuthView;
  readonly commands: AuthCommands;
}

/** Re-renders only when the view changes (structural comparison), not on every snapshot. */
export function useAuth(auth: AuthSource): UseAuthResult {
  const select = useMemo(() => viewSelector(auth), [auth]);
  const view = useSelector(auth.actor, select, sameView);
  const senders = useMemo(() => commands(auth.actor), [auth.actor]);
  return useMemo(() => ({ view, commands: senders }), [view, senders]);
}

const AuthContext = createContext<AuthSource | null>(null);

/** Makes one createAuth() instance available to useAuthContext() below it. */
export function AuthProvider(props: { auth: AuthSource; children?: ReactNode }): ReactNode {
  return createElement(AuthContext.Provider, { value: props.auth }, props.children);
}

/** useAuth() on the auth given to the nearest AuthProvider. */
export function useAuthContext(): UseAuthResult {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuthContext() needs an <AuthProvider auth={...}> above it');
  return useAuth(auth);
}
