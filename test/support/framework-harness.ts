// One harness per adapter, and the reference (the actor + selectView directly). Each records the distinct views it
// exposes while a scripted flow runs, and gives the commands the flow sends.
import { isDeepStrictEqual } from 'node:util';
import { createElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { createApp, defineComponent, effectScope, h, watch } from 'vue';
import type { Auth } from '../../src/runtime/create-auth.js';
import { commands, selectView, type AuthCommands, type AuthView } from '../../src/view.js';
import { useAuth as useReactAuth, type UseAuthResult } from '../../src/frameworks/react.js';
import { useAuth as useVueAuth } from '../../src/frameworks/vue.js';
import { authStore } from '../../src/frameworks/svelte.js';

export interface Recording {
  /** The views in the order the UI got them (adapters: every view object they published). */
  readonly views: AuthView[];
  /** How often the UI ran (React/Vue renders, store notifications); equals views.length when nothing is wasted. */
  readonly updates: () => number;
  readonly commands: AuthCommands;
  /** What the UI shows, where there is a DOM. */
  readonly text: () => string | null;
  stop(): void;
}

export type Harness = (auth: Auth) => Recording;

/** The actor's snapshots through selectView, consecutive equal views collapsed (util.isDeepStrictEqual). */
export const reference: Harness = (auth) => {
  const views: AuthView[] = [selectView(auth.actor.getSnapshot())];
  let updates = 1;
  const subscription = auth.actor.subscribe((snapshot) => {
    const view = selectView(snapshot);
    if (!isDeepStrictEqual(view, views[views.length - 1])) {
      views.push(view);
      updates++;
    }
  });
  return { views, updates: () => updates, commands: commands(auth.actor), text: () => null, stop: () => subscription.unsubscribe() };
};

/** A real React 19 root in jsdom; the component records the view of each render where it changed. */
export const react: Harness = (auth) => {
  const container = document.body.appendChild(document.createElement('div'));
  const root = createRoot(container);
  const views: AuthView[] = [];
  let renders = 0;
  let result: UseAuthResult | undefined;
  function Probe() {
    result = useReactAuth(auth);
    renders++;
    if (views[views.length - 1] !== result.view) views.push(result.view);
    return createElement('p', { 'data-busy': String(result.view.busy) }, result.view.route);
  }
  flushSync(() => root.render(createElement(Probe)));
  return {
    views,
    updates: () => renders,
    commands: result!.commands,
    text: () => container.textContent,
    stop: () => {
      root.unmount();
      container.remove();
    },
  };
};

/** A Vue app mounted in jsdom; the render function records the view of each render. */
export const vueApp: Harness = (auth) => {
  const container = document.body.appendChild(document.createElement('div'));
  const views: AuthView[] = [];
  let renders = 0;
  let senders: AuthCommands | undefined;
  const app = createApp(
    defineComponent({
      setup() {
        const { view, commands } = useVueAuth(auth);
        senders = commands;
        return () => {
          renders++;
          if (views[views.length - 1] !== view.value) views.push(view.value);
          return h('p', view.value.route);
        };
      },
    }),
  );
  app.mount(container);
  return {
    views,
    updates: () => renders,
    commands: senders!,
    text: () => container.textContent,
    stop: () => {
      app.unmount();
      container.remove();
    },
  };
};

/** The Vue composable in a bare effectScope (no component), observed with a synchronous watcher. */
export const vueScope: Harness = (auth) => {
  const scope = effectScope();
  const views: AuthView[] = [];
  const senders = scope.run(() => {
    const { view, commands } = useVueAuth(auth);
    watch(view, (value) => views.push(value), { immediate: true, flush: 'sync' });
    return commands;
  })!;
  return { views, updates: () => views.length, commands: senders, text: () => null, stop: () => scope.stop() };
};

/** The Svelte store; every notification is recorded (a store that repeats a view shows up as a duplicate). */
export const svelte: Harness = (auth) => {
  const store = authStore(auth);
  const views: AuthView[] = [];
  const unsubscribe = store.view.subscribe((value) => views.push(value));
  return { views, updates: () => views.length, commands: store.commands, text: () => null, stop: unsubscribe };
};

export const adapters = { react, vueApp, vueScope, svelte } as const;
