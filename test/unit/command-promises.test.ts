// commands(actor): each command's promise settles with the view the chart next waits for the user at; a command
// sent while the chart still checks the stored session (right after start) waits for that instead of being dropped.
import { commands } from '../../src/view.js';
import { codeMismatch, done, PASSWORD, scriptedAuth, settle, smsMfa } from '../support/scripted-auth.js';

const stop: Array<() => void> = [];
afterEach(() => stop.splice(0).forEach((f) => f()));

function started(script: Parameters<typeof scriptedAuth>[0]) {
  const scripted = scriptedAuth(script, { authFlow: 'USER_PASSWORD_AUTH' });
  stop.push(() => scripted.auth.stop());
  return { ...scripted, c: commands(scripted.auth.actor) };
}

it('a sign-in sent right after start (still checking the session) is sent once the check ends, and settles at the next step', async () => {
  const { auth, gate, port, c } = started({ initiateAuth: [smsMfa()] });
  auth.start();
  expect(auth.actor.getSnapshot().matches('checkingSession')).toBe(true);
  let view: unknown = null;
  const signingIn = c.signIn('alice', PASSWORD).then((v) => (view = v));
  await settle(auth, gate);
  expect(port.callsOf('initiateAuth')).toHaveLength(1);
  expect(view).toBeNull(); // the InitiateAuth answer is still held
  gate.release();
  await signingIn;
  expect(view).toMatchObject({ route: 'smsCode', busy: false, error: null, codeDelivery: { deliveryMedium: 'SMS', destination: '+*******0008' } });
});

it('a command sent before the actor starts waits for the start and the session check', async () => {
  const { auth, gate, port, c } = started({ initiateAuth: [smsMfa()] });
  const signingIn = c.signIn('alice', PASSWORD);
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(port.callsOf('initiateAuth')).toHaveLength(0);
  auth.start();
  await settle(auth, gate);
  gate.release();
  expect(await signingIn).toMatchObject({ route: 'smsCode' });
});

it('a refused code settles at the same step with the error; the right one settles signed in', async () => {
  const { auth, gate, c } = started({ initiateAuth: [smsMfa()], respondToAuthChallenge: [codeMismatch(), done()] });
  auth.start();
  const atCode = c.signIn('alice', PASSWORD);
  await settle(auth, gate);
  gate.release();
  await atCode;
  const wrong = c.submitCode('000000');
  await settle(auth, gate);
  gate.release();
  expect(await wrong).toMatchObject({ route: 'smsCode', busy: false, error: { code: 'CodeMismatch' } });
  const right = c.submitCode('123456');
  await settle(auth, gate);
  gate.release();
  expect(await right).toMatchObject({ route: 'signedIn', busy: false, error: null });
});

it('an event the state ignores settles at once with the current view', async () => {
  const { auth, gate, port, c } = started({});
  auth.start();
  await settle(auth, gate);
  expect(await c.submitCode('123456')).toMatchObject({ route: 'signIn', busy: false });
  expect(port.calls).toHaveLength(0);
});

it('an input the chart refuses settles at once with the error', async () => {
  const { auth, gate, c } = started({});
  auth.start();
  await settle(auth, gate);
  expect(await c.signIn('', '')).toMatchObject({ route: 'signIn', error: { code: 'InvalidInput', field: 'credentials' } });
});
