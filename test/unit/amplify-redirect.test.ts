// authchart/amplify over the chart's hosted-UI phase (scripted hosted UI, no network): signInWithRedirect sends
// redirect.start with Cognito's provider name; the next page load's callback signs in and the Hub says
// customOAuthState, signInWithRedirect, then signedIn (Amplify's order); the device APIs ask for a signed-in user.
import * as auth from '../../src/amplify/index.js';
import { createFakeHostedUi } from '../../src/testing/fake-hosted-ui.js';
import { createFakePort, fakeTokens } from '../../src/testing/fake-port.js';
import { MemoryStorage } from '../../src/session/storage.js';

const config = { Auth: { Cognito: { userPoolId: 'us-east-1_TestPool1', userPoolClientId: 'testclient' } } };
afterEach(() => auth.currentAuth().stop());

it('signInWithRedirect: Amplify provider names become Cognito names, the options go with them', async () => {
  const hostedUi = createFakeHostedUi({ start: [undefined] });
  auth.configure(config, { port: createFakePort({}), hostedUi });
  await auth.signInWithRedirect({ provider: 'Apple', customState: 'cart-42', options: { lang: 'fr', loginHint: 'ann@example.com' } });
  expect(hostedUi.calls).toEqual([{ kind: 'start', detail: expect.objectContaining({ provider: 'SignInWithApple', customState: 'cart-42', lang: 'fr', loginHint: 'ann@example.com' }) }]);
});

it('the callback on the next load signs in: Hub customOAuthState, signInWithRedirect, then signedIn with the user', async () => {
  const storage = new MemoryStorage();
  const hostedUi = createFakeHostedUi({
    currentUrl: 'https://app.example.com/?code=abc&state=xyz',
    finish: [{ tokens: fakeTokens({ username: 'ann', attributes: { email: 'ann@example.com' } }), customState: 'cart-42' }],
  });
  const heard: Array<{ event: string; data?: unknown }> = [];
  const stop = auth.Hub.listen('auth', ({ payload }) => heard.push(payload));
  auth.configure(config, { port: createFakePort({}), hostedUi, storage });
  expect(await auth.getCurrentUser()).toMatchObject({ username: 'ann' });
  stop();
  expect(heard.map((p) => p.event)).toEqual(['customOAuthState', 'signInWithRedirect', 'signedIn']);
  expect(heard[0]!.data).toBe('cart-42');
  expect(heard[2]!.data).toMatchObject({ username: 'ann' });
});

it('a refused callback: Hub signInWithRedirect_failure, nobody signed in', async () => {
  const hostedUi = createFakeHostedUi({ currentUrl: 'https://app.example.com/?code=abc&state=xyz', finish: [new Error('state mismatch')] });
  const heard: string[] = [];
  const stop = auth.Hub.listen('auth', ({ payload }) => heard.push(payload.event));
  auth.configure(config, { port: createFakePort({}), hostedUi });
  await expect(auth.getCurrentUser()).rejects.toMatchObject({ name: 'UserUnAuthenticatedException' });
  stop();
  expect(heard).toEqual(['signInWithRedirect_failure']);
});

it('the device APIs need a signed-in user (UserUnAuthenticatedException), as Amplify\'s', async () => {
  auth.configure(config, { port: createFakePort({}) });
  await expect(auth.fetchDevices()).rejects.toMatchObject({ name: 'UserUnAuthenticatedException' });
  await expect(auth.rememberDevice()).rejects.toMatchObject({ name: 'UserUnAuthenticatedException' });
  await expect(auth.forgetDevice()).rejects.toMatchObject({ name: 'UserUnAuthenticatedException' });
});
