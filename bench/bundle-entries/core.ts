// The engine without a transport of its own: createAuth with the caller's port + selectView + commands.
// What every transport adds to is this: the chart, xstate, SRP, the view and the runtime.
import { createAuth, selectView, commands, type CognitoPort } from 'authchart';

declare const port: CognitoPort; // an app's own port (tests, custom transports)

const auth = createAuth({ userPoolId: 'us-east-1_example', clientId: 'exampleclient000000000000', port });
const c = commands(auth.actor);
auth.actor.subscribe((snapshot) => {
  const view = selectView(snapshot);
  document.title = view.error ? view.error.message : view.route;
  if (view.route === 'signIn') c.signIn('alice', 'correct horse battery staple');
});
