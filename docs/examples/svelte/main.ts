// authchart with Svelte 5: App.svelte renders the view store; main.ts creates the auth and mounts it.
import { mount } from 'svelte';
import { createAuth, webStorage } from 'authchart';
import App from './App.svelte';

const auth = createAuth({
  userPoolId: 'us-east-1_authchart',
  clientId: 'authchartdemoclient0000000',
  endpoint: 'http://127.0.0.1:9229', // the local pool (npm start); omit for real Cognito
  storage: webStorage(sessionStorage),
  // the local pool's hosted UI (its demo client lists this page's origin + '/' as a callback when served at :9229)
  oauth: { domain: 'http://127.0.0.1:9229/_domain/authchart-demo', redirectSignIn: `${location.origin}/`, redirectSignOut: `${location.origin}/` },
});

mount(App, { target: document.getElementById('app')!, props: { auth } });
