// Resumable sign-in: a waiting attempt is saved without secrets and resumed by a new actor (a reload,
// another tab) until its Cognito session expires; attempts left mid-request are never resumed.
import { SimulatedClock, waitFor, type SnapshotFrom } from 'xstate';
import { type AuthMachine } from '../../machines/auth.machine.js';
import { createAuth, type Auth, type CreateAuthOptions } from '../../src/runtime/create-auth.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { selectView } from '../../src/view.js';
import { cognitoError, createFakePort, fakeTokens, type FakePort, type FakeScript } from '../../src/testing/fake-port.js';

const ids = { userPoolId: 'us-east-1_TestPool1', clientId: 'testclient' };
const PASSWORD = 'Corr3ct-Horse!';
const running: Auth[] = [];
afterEach(() => running.splice(0).forEach((a) => a.stop()));

const session = (n: number) => `session-${n}-${'x'.repeat(24)}`;
const smsMfa = (n = 1) => ({
  challengeName: 'SMS_MFA',
  session: session(n),
  challengeParameters: { USER_ID_FOR_SRP: 'sam-id', CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0100' },
});
const done = () => ({ challengeParameters: {}, tokens: fakeTokens({ username: 'sam-id', refreshToken: 'refresh-token-value-123' }) });
const until = (auth: Auth, p: (s: SnapshotFrom<AuthMachine>) => boolean) => waitFor(auth.actor, p, { timeout: 5000 });
const settle = () => new Promise((r) => setTimeout(r, 20)); // saves are asynchronous

function page(port: FakePort, resume: MemoryStorage, extra: Partial<CreateAuthOptions> = {}) {
  const auth = createAuth({ ...ids, port, storage: new MemoryStorage(), resume, authFlow: 'USER_PASSWORD_AUTH', ...extra });
  running.push(auth);
  return auth;
}

async function reachSmsCode(script: FakeScript = {}, extra: Partial<CreateAuthOptions> = {}) {
  const port = createFakePort({ initiateAuth: [smsMfa()], ...script }, ids);
  const resume = new MemoryStorage();
  const auth = page(port, resume, extra);
  await until(auth, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signIn.submit', username: 'sam', password: PASSWORD });
  await until(auth, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
  await settle();
  return { port, resume, auth };
}

const saved = (resume: MemoryStorage) => resume.getItem(`authchart.${ids.clientId}.attempt`);

it('saves the waiting step without secrets, and a new page resumes it with the same Session', async () => {
  const { port, resume, auth } = await reachSmsCode({ respondToAuthChallenge: [done()] });
  const record = saved(resume);
  expect(record).not.toBeNull();
  expect(record).not.toContain(PASSWORD);
  expect(record).not.toContain('secret-'); // no vault reference
  expect(JSON.parse(record!).attempt).toMatchObject({ step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', session: session(1), username: 'sam' });
  auth.stop(); // the page goes away

  const reloaded = page(port, resume);
  const resumed = await until(reloaded, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
  expect(resumed.context.codeDelivery).toEqual({ deliveryMedium: 'SMS', destination: '+*******0100' });
  expect(resumed.context.secretRef).toBeNull(); // the password did not survive the reload: no resend
  expect(port.calls.map((c) => c.operation)).toEqual(['initiateAuth']); // resuming costs no Cognito call
  reloaded.actor.send({ type: 'code.submit', code: '123456' });
  await until(reloaded, (s) => s.matches('signedIn'));
  expect(port.callsOf('respondToAuthChallenge')[0]?.request).toMatchObject({ session: session(1), responses: { USERNAME: 'sam-id', SMS_MFA_CODE: '123456' } });
  await settle();
  expect(saved(resume)).toBeNull();
  const persisted = JSON.stringify(resume);
  expect(persisted).not.toContain('refresh-token-value-123');
  expect(persisted).not.toContain('123456');
});

it('a resumed code step cannot resend (the password stayed in the old page) and says so', async () => {
  const { port, resume, auth } = await reachSmsCode();
  auth.stop();
  const reloaded = page(port, resume);
  await until(reloaded, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
  reloaded.actor.send({ type: 'code.resend' });
  expect(reloaded.actor.getSnapshot().context.error?.code).toBe('ResendUnavailable');
  expect(port.callsOf('initiateAuth')).toHaveLength(1);
});

it('an attempt whose Cognito session expired lands in sessionExpired', async () => {
  let now = Date.now();
  const clock = { now: () => now };
  const { port, resume, auth } = await reachSmsCode({}, { clock });
  auth.stop();
  now += 3 * 60_000 + 1;
  const later = page(port, resume, { clock });
  const expired = await until(later, (s) => !s.matches('checkingSession'));
  expect(expired.value).toBe('sessionExpired');
  expect(expired.context.error).toMatchObject({ code: 'SessionExpired', category: 'session' });
  expect(selectView(expired).error?.message).toBe('This sign-in attempt has expired. Please start again.');
  await settle();
  expect(saved(resume)).toBeNull();
});

it('a resumed step keeps the original expiry, not a fresh one', async () => {
  const clock = new SimulatedClock();
  clock.set(Date.now());
  const { port, resume, auth } = await reachSmsCode({}, { clock });
  auth.stop();
  clock.increment(2 * 60_000);
  const later = page(port, resume, { clock });
  await until(later, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
  clock.increment(60_000 - 1);
  expect(later.actor.getSnapshot().matches({ signingIn: { mfa: 'smsCode' } })).toBe(true);
  clock.increment(1);
  expect(later.actor.getSnapshot().value).toBe('sessionExpired');
});

it('an attempt left while its answer was in flight is not resumed (its session may be used up)', async () => {
  const { port, resume, auth } = await reachSmsCode({ respondToAuthChallenge: [() => new Promise(() => {})] });
  auth.actor.send({ type: 'code.submit', code: '123456' });
  await until(auth, (s) => s.hasTag('busy'));
  await settle();
  expect(JSON.parse(saved(resume)!).inFlight).toBe(true);
  auth.stop();
  const reloaded = page(port, resume);
  const snap = await until(reloaded, (s) => !s.matches('checkingSession'));
  expect(snap.value).toBe('sessionExpired');
  expect(snap.context.error?.code).toBe('SignInInterrupted');
  expect(selectView(snap).error?.message).toMatch(/request was in progress/);
  expect(port.callsOf('respondToAuthChallenge')).toHaveLength(1); // never resent
});

it('TOTP setup is never saved: the shared secret stays out of storage', async () => {
  const port = createFakePort(
    {
      initiateAuth: [{ challengeName: 'MFA_SETUP', session: session(1), challengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' } }],
      associateSoftwareToken: [{ secretCode: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', session: session(2) }],
    },
    ids,
  );
  const resume = new MemoryStorage();
  const auth = page(port, resume);
  await until(auth, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signIn.submit', username: 'otto', password: PASSWORD });
  await until(auth, (s) => s.matches({ signingIn: { enrolment: { totpSetup: 'idle' } } }));
  await settle();
  expect(JSON.stringify(resume)).not.toContain('JBSWY3DPEHPK3PXP');
  expect(saved(resume)).toBeNull(); // nothing resumable was ever waiting
  auth.stop();
  const reloaded = page(port, resume);
  expect((await until(reloaded, (s) => !s.matches('checkingSession'))).value).toBe('signedOut');
});

it('cancelling or failing forgets the attempt; another tab with the same storage resumes it', async () => {
  const { port, resume, auth } = await reachSmsCode({ respondToAuthChallenge: [cognitoError('NotAuthorizedException', 'Invalid session for the user.')] });
  const otherTab = page(port, resume);
  await until(otherTab, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
  otherTab.actor.send({ type: 'code.submit', code: '000000' });
  await until(otherTab, (s) => s.matches('sessionExpired'));
  auth.actor.send({ type: 'flow.cancel' });
  await settle();
  expect(saved(resume)).toBeNull();
});

it('a page with fresh stored tokens is signed in without waiting for the saved attempt to be cleared', async () => {
  const tokens = new MemoryStorage();
  const port = createFakePort({ initiateAuth: [done()] }, ids);
  const first = createAuth({ ...ids, port, storage: tokens, authFlow: 'USER_PASSWORD_AUTH' });
  running.push(first);
  await until(first, (s) => s.matches('signedOut'));
  first.actor.send({ type: 'signIn.submit', username: 'sam', password: PASSWORD });
  await until(first, (s) => s.matches('signedIn'));
  first.stop();
  // An attempt storage whose writes never finish (a slow or stuck async store).
  const stuck = new MemoryStorage();
  stuck.setItem(`authchart.${ids.clientId}.attempt`, JSON.stringify({ version: 1, savedAt: 0, attempt: {}, inFlight: false }));
  const never = new Promise<void>(() => undefined);
  const slowResume = { getItem: (key: string) => stuck.getItem(key), setItem: () => never, removeItem: () => never };
  const reloaded = createAuth({ ...ids, port, storage: tokens, resume: slowResume, authFlow: 'USER_PASSWORD_AUTH' });
  running.push(reloaded);
  const signedIn = await until(reloaded, (s) => s.matches('signedIn'));
  expect(signedIn.context.user?.username).toBe('sam-id');
  expect(port.callsOf('initiateAuth')).toHaveLength(1); // restored from storage, no new sign-in
});
