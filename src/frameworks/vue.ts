// authchart/vue: useAuth(auth) -> { view, commands } on @xstate/vue.
// A subscription bridge only: the view is selectView(snapshot), the senders are commands(actor).
// Call it in setup() (or inside an effectScope): the subscription ends with the component / scope.
import { shallowReadonly, type Ref } from 'vue';
import { useSelector } from '@xstate/vue';
import { commands, type AuthCommands, type AuthView } from '../view.js';
import { sameView, viewSelector, type AuthSource } from './shared.js';

export type { AuthCommands, AuthView } from '../view.js';
export type { AuthSource } from './shared.js';
export { sameView } from './shared.js';

export interface UseAuthResult {
  /** A read-only shallow ref; it changes only when the view changes (structural comparison). */
  readonly view: Readonly<Ref<AuthView>>;
  readonly commands: AuthCommands;
}

export function useAuth(auth: AuthSource): UseAuthResult {
  const view = useSelector(auth.actor, viewSelector(auth), sameView);
  return { view: shallowReadonly(view), commands: commands(auth.actor) };
}
