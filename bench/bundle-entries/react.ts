// authchart/react on the lean transport: createAuth + useAuth in a component that shows every route's name and
// sends a sign-in. React and React DOM are not counted (the app has them anyway); @xstate/react is.
import { createElement, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAuth } from 'authchart';
import { AuthProvider, useAuthContext } from 'authchart/react';

const auth = createAuth({ userPoolId: 'us-east-1_example', clientId: 'exampleclient000000000000', transport: 'fetch' });

function App(): ReactNode {
  const { view, commands } = useAuthContext();
  return createElement(
    'main',
    null,
    view.error?.message,
    view.route,
    createElement('button', { disabled: view.busy, onClick: () => commands.signIn('alice', 'correct horse battery staple') }, 'Sign in'),
    view.canCancel && createElement('button', { onClick: commands.cancel }, 'Cancel'),
  );
}

createRoot(document.getElementById('app')!).render(createElement(AuthProvider, { auth }, createElement(App)));
