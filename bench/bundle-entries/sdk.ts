// The core on the default transport (the AWS SDK v3 client): createAuth + selectView + commands and a sign-in.
// The size budget holds this to the SDK's own size (aws-sdk.ts) + 35 KB gzip.
import { createAuth, selectView, commands } from 'authchart';

const auth = createAuth({ userPoolId: 'us-east-1_example', clientId: 'exampleclient000000000000' });
const c = commands(auth.actor);
auth.actor.subscribe((snapshot) => {
  const view = selectView(snapshot);
  document.title = view.error ? view.error.message : view.route;
  if (view.route === 'signIn') c.signIn('alice', 'correct horse battery staple');
  if (view.route === 'totpCode' || view.route === 'smsCode' || view.route === 'emailCode') c.submitCode(prompt('Code') ?? '');
});
