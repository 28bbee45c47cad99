// A UI (or a script) can send anything: malformed payloads get a typed InvalidInput error or are ignored,
// and never crash the app-wide actor.
import { waitFor, type SnapshotFrom } from 'xstate';
import { type AuthMachine } from '../../machines/auth.machine.js';
import { createAuth, type Auth } from '../../src/runtime/create-auth.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { createFakePort, fakeTokens, type FakeScript } from '../../src/testing/fake-port.js';

const ids = { userPoolId: 'us-east-1_TestPool1', clientId: 'testclient' };
const running: Auth[] = [];
afterEach(() => running.splice(0).forEach((a) => a.stop()));
const until = (auth: Auth, p: (s: SnapshotFrom<AuthMachine>) => boolean) => waitFor(auth.actor, p, { timeout: 5000 });
const challenge = (challengeName: string, challengeParameters: Record<string, string> = {}) => ({
  challengeName,
  session: 'session-for-malformed-input-xx',
  challengeParameters: { USER_ID_FOR_SRP: 'u', ...challengeParameters },
});

const garbage: unknown[] = [undefined, null, 42, true, {}, [], { toString: 42 }, 'x'.repeat(10_000)];
const malformedEvents = (): Array<Record<string, unknown>> =>
  garbage.flatMap((bad) => [
    { type: 'signIn.submit', username: bad, password: bad },
    { type: 'signIn.submit', username: 'alice', password: 'x', authFlow: bad ?? 'NOT_A_FLOW' },
    { type: 'password.submit', newPassword: bad, attributes: bad },
    { type: 'password.submit', newPassword: 'N3w-Passw0rd!', attributes: { name: bad } },
    { type: 'code.submit', code: bad },
    { type: 'mfa.select', mfaType: bad },
    { type: 'email.submit', email: bad },
    { type: 'mfa.updatePreference', preference: bad },
    { type: 'mfa.updatePreference', preference: { sms: bad, totp: 'PREFERRED', email: 'PREFERRED' } },
    { type: 'session.signOut', global: bad },
  ]);

const places: Array<[string, FakeScript, (s: SnapshotFrom<AuthMachine>) => boolean]> = [
  ['signedOut', {}, (s) => s.matches('signedOut')],
  ['newPassword', { initiateAuth: [challenge('NEW_PASSWORD_REQUIRED', { requiredAttributes: '["userAttributes.name"]' })] }, (s) => s.matches({ signingIn: 'newPassword' })],
  ['smsCode', { initiateAuth: [challenge('SMS_MFA', { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+***1' })] }, (s) => s.matches({ signingIn: { mfa: 'smsCode' } })],
  ['mfaSelection', { initiateAuth: [challenge('SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]' })] }, (s) => s.matches({ signingIn: { mfa: 'selection' } })],
  ['mfaSetupSelection', { initiateAuth: [challenge('MFA_SETUP', { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]' })] }, (s) => s.matches({ signingIn: { enrolment: 'setupSelection' } })],
  ['emailMfaSetup', { initiateAuth: [challenge('MFA_SETUP', { MFAS_CAN_SETUP: '["EMAIL_OTP"]' })] }, (s) => s.matches({ signingIn: { enrolment: 'emailSetup' } })],
  ['signedIn', { initiateAuth: [{ challengeParameters: {}, tokens: fakeTokens({ username: 'u' }) }] }, (s) => s.matches({ signedIn: { tokens: 'active', account: 'idle' } })],
];

it.each(places)('%s: every malformed event leaves the actor running, and calls Cognito for none of them', async (name, script, reached) => {
  const port = createFakePort(script, ids);
  const auth = createAuth({ ...ids, port, storage: new MemoryStorage(), authFlow: 'USER_PASSWORD_AUTH' });
  running.push(auth);
  await until(auth, (s) => s.matches('signedOut'));
  if (name !== 'signedOut') auth.actor.send({ type: 'signIn.submit', username: 'u', password: 'p' });
  await until(auth, (s) => !s.hasTag('busy') && reached(s));
  const callsBefore = port.calls.length;
  const value = auth.actor.getSnapshot().value;

  for (const event of malformedEvents()) {
    if (event['type'] === 'session.signOut') continue; // a real sign-out: checked below
    auth.actor.send(event as never);
    const snapshot = auth.actor.getSnapshot();
    expect(snapshot.status).toBe('active');
    expect(snapshot.value).toEqual(value);
    if (snapshot.can(event as never) && snapshot.context.error) expect(snapshot.context.error.code).toBe('InvalidInput');
  }
  expect(port.calls.length).toBe(callsBefore);
});
