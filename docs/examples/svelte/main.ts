// authchart with Svelte 5: App.svelte renders the view store; main.ts creates the auth and mounts it.
import { mount } from 'svelte';
import { createAuth, webStorage } from 'authchart';
import App from './App.svelte';

const auth = createAuth({
  userPoolId: 'us-east-1_authchart',
  clientId: 'authchartdemoclient0000000',
  endpoint: 'http://127.0.0.1:9229', // the local pool (npm start); omit for real Cognito
  storage: webStorage(sessionStorage),
  // the local pool's hosted UI; it sends the browser back to this page's address (see pageAddress)
  oauth: { domain: 'http://127.0.0.1:9229/_domain/authchart-demo', redirectSignIn: pageAddress(), redirectSignOut: pageAddress() },
});

/**
 * Where the hosted UI may send the browser back: this page served over http (the demo client registers
 * http://127.0.0.1:8000/svelte/, as the README serves it). A page opened from file:// has no address the hosted UI
 * can come back to, so its served twin is named: the sign-in ends there.
 */
function pageAddress(): string {
  return location.protocol === 'file:' ? 'http://127.0.0.1:8000/svelte/' : location.origin + location.pathname.replace(/index\.html$/, '');
}

mount(App, { target: document.getElementById('app')!, props: { auth } });
