// MFA steps on the chart with the scripted fake Cognito port.
import { SimulatedClock, waitFor, type SnapshotFrom } from 'xstate';
import { type AuthMachine } from '../../machines/auth.machine.js';
import { createAuth, type Auth } from '../../src/runtime/create-auth.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { TokenStore } from '../../src/session/tokens.js';
import { cognitoError, createFakePort, fakeTokens, type FakePort, type FakeScript } from '../../src/testing/fake-port.js';

const ids = { userPoolId: 'us-east-1_TestPool1', clientId: 'testclient' };
const PASSWORD = 'Corr3ct-Horse!';
const running: Auth[] = [];
afterEach(() => running.splice(0).forEach((a) => a.stop()));

const session = (n: number) => `session-${n}-${'x'.repeat(24)}`;
const challenge = (challengeName: string, parameters: Record<string, string>, n = 1) => ({
  challengeName,
  session: session(n),
  challengeParameters: { USER_ID_FOR_SRP: 'alice-id', ...parameters },
});
const smsMfa = (n = 1) => challenge('SMS_MFA', { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0008' }, n);
const emailOtp = (n = 1) => challenge('EMAIL_OTP', { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'a***@e***' }, n);
const totpMfa = (n = 1) => challenge('SOFTWARE_TOKEN_MFA', { FRIENDLY_DEVICE_NAME: 'phone' }, n);
const selectMfa = (types: string[]) => challenge('SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: JSON.stringify(types) });
const mfaSetup = (types: string[]) => challenge('MFA_SETUP', { MFAS_CAN_SETUP: JSON.stringify(types) });
const done = () => ({ challengeParameters: {}, tokens: fakeTokens({ username: 'alice-id' }) });
const passwordVerifier = (n: number) =>
  challenge('PASSWORD_VERIFIER', { SALT: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', SRP_B: '5670d4600b28c0d453bc6df45a041299', SECRET_BLOCK: 'c2VjcmV0LWJsb2Nr', USERNAME: 'alice-id' }, n);
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

const until = (auth: Auth, predicate: (s: SnapshotFrom<AuthMachine>) => boolean) => waitFor(auth.actor, predicate, { timeout: 5000 });
const idle = (auth: Auth) => until(auth, (s) => !s.hasTag('busy'));

/** Signs in with USER_PASSWORD_AUTH; `first` is Cognito's answer to InitiateAuth. */
async function signInTo(first: object, script: FakeScript = {}, options: { clock?: SimulatedClock } = {}) {
  const port = createFakePort({ initiateAuth: [first as never], ...script }, ids);
  const storage = new MemoryStorage();
  const auth = createAuth({ ...ids, port, storage, authFlow: 'USER_PASSWORD_AUTH', totpIssuer: 'Example App', ...(options.clock ? { clock: options.clock } : {}) });
  running.push(auth);
  await until(auth, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signIn.submit', username: 'alice@example.com', password: PASSWORD });
  const snap = await until(auth, (s) => !s.hasTag('busy') && !s.matches('signedOut'));
  return { auth, port, snap, tokens: new TokenStore(storage, ids.clientId) };
}
const answers = (port: FakePort) => port.callsOf('respondToAuthChallenge').map((c) => c.request);

describe('code steps', () => {
  it('SMS_MFA: delivery details in context, a malformed code is refused locally, the code is sent under the canonical name', async () => {
    const { auth, port, snap } = await signInTo(smsMfa(), { respondToAuthChallenge: [done()] });
    expect(snap.matches({ signingIn: { mfa: 'smsCode' } })).toBe(true);
    expect(snap.context.codeDelivery).toEqual({ deliveryMedium: 'SMS', destination: '+*******0008' });
    expect(snap.hasTag('canResend')).toBe(true);
    auth.actor.send({ type: 'code.submit', code: 'abc' });
    expect(auth.actor.getSnapshot().context.error?.code).toBe('InvalidInput');
    expect(answers(port)).toHaveLength(0);
    auth.actor.send({ type: 'code.submit', code: ' 123 456 ' });
    await until(auth, (s) => s.matches('signedIn'));
    expect(answers(port)).toEqual([{ challengeName: 'SMS_MFA', session: session(1), responses: { USERNAME: 'alice-id', SMS_MFA_CODE: '123456' } }]);
  });

  it('a wrong code keeps the step and the Session; the right one then signs in', async () => {
    const { auth, port } = await signInTo(smsMfa(), {
      respondToAuthChallenge: [cognitoError('CodeMismatchException', 'Invalid code or auth state for the user.'), done()],
    });
    auth.actor.send({ type: 'code.submit', code: '000000' });
    const wrong = await until(auth, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }) && s.context.error !== null);
    expect(wrong.context.error).toMatchObject({ code: 'CodeMismatch', category: 'challenge' });
    auth.actor.send({ type: 'code.submit', code: '123456' });
    await until(auth, (s) => s.matches('signedIn'));
    expect(answers(port).map((r) => (r as { session: string }).session)).toEqual([session(1), session(1)]);
  });

  it('too many wrong codes kill the Session: sessionExpired, then flow.restart', async () => {
    const { auth } = await signInTo(emailOtp(), {
      respondToAuthChallenge: [cognitoError('NotAuthorizedException', 'Invalid session for the user.')],
    });
    expect(auth.actor.getSnapshot().context.codeDelivery).toEqual({ deliveryMedium: 'EMAIL', destination: 'a***@e***' });
    auth.actor.send({ type: 'code.submit', code: '11111111' });
    const expired = await until(auth, (s) => s.matches('sessionExpired'));
    expect(expired.context.error?.code).toBe('SessionExpired');
    expect(expired.context.session).toBeNull();
    auth.actor.send({ type: 'flow.restart' });
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
  });

  it('code.resend signs in again with the kept credentials and lands on a fresh code step', async () => {
    const { auth, port } = await signInTo(smsMfa(1), { respondToAuthChallenge: [done()] });
    port.script({ initiateAuth: [smsMfa(2)] });
    auth.actor.send({ type: 'code.resend' });
    const again = await until(auth, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }) && s.context.session === session(2));
    expect(again.context.error).toBeNull();
    const [first, second] = port.callsOf('initiateAuth').map((c) => c.request);
    expect(second).toEqual(first);
    expect(JSON.stringify(again.context)).not.toContain(PASSWORD);
    auth.actor.send({ type: 'code.submit', code: '654321' });
    await until(auth, (s) => s.matches('signedIn'));
    expect((answers(port)[0] as { session: string }).session).toBe(session(2));
  });

  it('an SRP resend whose proof fails leaves the code step with its own, still valid Session', async () => {
    const port = createFakePort(
      {
        initiateAuth: [passwordVerifier(1), passwordVerifier(3)],
        respondToAuthChallenge: [smsMfa(2), new TypeError('fetch failed'), done()],
      },
      ids,
    );
    const auth = createAuth({ ...ids, port, storage: new MemoryStorage() });
    running.push(auth);
    await until(auth, (s) => s.matches('signedOut'));
    auth.actor.send({ type: 'signIn.submit', username: 'alice@example.com', password: PASSWORD });
    await until(auth, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
    auth.actor.send({ type: 'code.resend' });
    const failed = await until(auth, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }) && s.context.error !== null);
    expect(failed.context.error?.code).toBe('Network');
    expect(failed.context.session).toBe(session(2));
    expect(failed.context.proofSession).toBeNull();
    auth.actor.send({ type: 'code.submit', code: '123456' });
    await until(auth, (s) => s.matches('signedIn'));
    expect(answers(port).map((r) => (r as { challengeName: string; session: string }).session)).toEqual([session(1), session(3), session(2)]);
  });

  it('SOFTWARE_TOKEN_MFA takes exactly six digits', async () => {
    const { auth, port, snap } = await signInTo(totpMfa(), { respondToAuthChallenge: [done()] });
    expect(snap.matches({ signingIn: { mfa: 'totpCode' } })).toBe(true);
    expect(snap.hasTag('canResend')).toBe(false);
    auth.actor.send({ type: 'code.submit', code: '12345' });
    expect(auth.actor.getSnapshot().context.error?.code).toBe('InvalidInput');
    auth.actor.send({ type: 'code.resend' });
    expect(auth.actor.getSnapshot().matches({ signingIn: { mfa: 'totpCode' } })).toBe(true);
    auth.actor.send({ type: 'code.submit', code: '123456' });
    await until(auth, (s) => s.matches('signedIn'));
    expect(answers(port)[0]).toMatchObject({ challengeName: 'SOFTWARE_TOKEN_MFA', responses: { SOFTWARE_TOKEN_MFA_CODE: '123456' } });
  });

  it('a code step expires on the client after AuthSessionValidity', async () => {
    const clock = new SimulatedClock();
    clock.set(Date.now());
    const { auth } = await signInTo(totpMfa(), {}, { clock });
    clock.increment(3 * 60_000);
    expect(auth.actor.getSnapshot().value).toBe('sessionExpired');
  });
});

describe('MFA selection', () => {
  it('offers exactly the types Cognito allows and answers SELECT_MFA_TYPE with the Cognito name', async () => {
    const { auth, port, snap } = await signInTo(selectMfa(['SMS_MFA', 'SOFTWARE_TOKEN_MFA']), { respondToAuthChallenge: [totpMfa(2), done()] });
    expect(snap.matches({ signingIn: { mfa: 'selection' } })).toBe(true);
    expect(snap.context.allowedMfaTypes).toEqual(['SMS', 'TOTP']);
    auth.actor.send({ type: 'mfa.select', mfaType: 'EMAIL' });
    expect(auth.actor.getSnapshot().context.error?.code).toBe('InvalidInput');
    expect(answers(port)).toHaveLength(0);
    auth.actor.send({ type: 'mfa.select', mfaType: 'TOTP' });
    await until(auth, (s) => s.matches({ signingIn: { mfa: 'totpCode' } }));
    expect(answers(port)[0]).toEqual({ challengeName: 'SELECT_MFA_TYPE', session: session(1), responses: { USERNAME: 'alice-id', ANSWER: 'SOFTWARE_TOKEN_MFA' } });
  });
});

describe('MFA setup during sign-in', () => {
  it('TOTP and EMAIL offered: a local choice (no Cognito call), then TOTP setup end to end', async () => {
    const { auth, port, snap } = await signInTo(mfaSetup(['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']), {
      associateSoftwareToken: [{ secretCode: SECRET, session: session(2) }],
      verifySoftwareToken: [{ status: 'SUCCESS', session: session(3) }],
      respondToAuthChallenge: [done()],
    });
    expect(snap.matches({ signingIn: { enrolment: 'setupSelection' } })).toBe(true);
    expect(snap.context.allowedMfaTypes).toEqual(['TOTP', 'EMAIL']);
    const callsBefore = port.calls.length;
    auth.actor.send({ type: 'mfa.select', mfaType: 'SMS' });
    expect(auth.actor.getSnapshot().context.error?.code).toBe('InvalidInput');
    auth.actor.send({ type: 'mfa.select', mfaType: 'TOTP' });
    const setup = await until(auth, (s) => s.matches({ signingIn: { enrolment: { totpSetup: 'idle' } } }));
    expect(port.calls.slice(callsBefore).map((c) => c.operation)).toEqual(['associateSoftwareToken']);
    expect(port.callsOf('associateSoftwareToken')[0]?.request).toEqual({ session: session(1) });
    expect(setup.context.totpSetup?.sharedSecret).toBe(SECRET);
    const uri = new URL(setup.context.totpSetup!.setupUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Example App:alice@example.com');
    expect(uri.searchParams.get('secret')).toBe(SECRET);
    expect(uri.searchParams.get('issuer')).toBe('Example App');

    auth.actor.send({ type: 'code.submit', code: '123456' });
    const doneSnap = await until(auth, (s) => s.matches('signedIn'));
    expect(port.callsOf('verifySoftwareToken')[0]?.request).toEqual({ session: session(2), userCode: '123456' });
    expect(answers(port)).toEqual([{ challengeName: 'MFA_SETUP', session: session(3), responses: { USERNAME: 'alice-id' } }]);
    expect(doneSnap.context.totpSetup).toBeNull();
  });

  it('TOTP only: straight to association; a wrong code stays on the step; an offline association can be retried', async () => {
    const offline = new TypeError('fetch failed');
    const { auth, port, snap } = await signInTo(mfaSetup(['SOFTWARE_TOKEN_MFA']), {
      associateSoftwareToken: [offline, { secretCode: SECRET, session: session(2) }],
      verifySoftwareToken: [cognitoError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA'), { status: 'SUCCESS', session: session(3) }],
      respondToAuthChallenge: [done()],
    });
    expect(snap.matches({ signingIn: { enrolment: { totpSetup: 'associationFailed' } } })).toBe(true);
    expect(snap.context.error).toMatchObject({ code: 'Network', retryable: true });
    auth.actor.send({ type: 'flow.retry' });
    await until(auth, (s) => s.matches({ signingIn: { enrolment: { totpSetup: 'idle' } } }));
    auth.actor.send({ type: 'code.submit', code: '000000' });
    const wrong = await until(auth, (s) => s.matches({ signingIn: { enrolment: { totpSetup: 'idle' } } }) && s.context.error !== null);
    expect(wrong.context.error?.code).toBe('CodeMismatch');
    expect(wrong.context.totpSetup?.sharedSecret).toBe(SECRET);
    auth.actor.send({ type: 'code.submit', code: '123456' });
    await until(auth, (s) => s.matches('signedIn'));
    expect(port.callsOf('verifySoftwareToken').map((c) => (c.request as { session: string }).session)).toEqual([session(2), session(2)]);
  });

  it('EMAIL only: the user gives an address, Cognito e-mails a code, the code signs in', async () => {
    const { auth, port, snap } = await signInTo(mfaSetup(['EMAIL_OTP']), { respondToAuthChallenge: [emailOtp(2), done()] });
    expect(snap.matches({ signingIn: { enrolment: 'emailSetup' } })).toBe(true);
    auth.actor.send({ type: 'email.submit', email: 'not-an-address' });
    expect(auth.actor.getSnapshot().context.error?.code).toBe('InvalidInput');
    auth.actor.send({ type: 'email.submit', email: ' alice@example.com ' });
    await until(auth, (s) => s.matches({ signingIn: { mfa: 'emailCode' } }));
    auth.actor.send({ type: 'code.submit', code: '12345678' });
    await until(auth, (s) => s.matches('signedIn'));
    expect(answers(port)).toEqual([
      { challengeName: 'MFA_SETUP', session: session(1), responses: { USERNAME: 'alice-id', EMAIL: 'alice@example.com' } },
      { challengeName: 'EMAIL_OTP', session: session(2), responses: { USERNAME: 'alice-id', EMAIL_OTP_CODE: '12345678' } },
    ]);
  });

  it('only SMS could be set up: a clear, typed failure instead of a hang', async () => {
    const { snap } = await signInTo(mfaSetup(['SMS_MFA']));
    expect(snap.value).toBe('failed');
    expect(snap.context.error).toMatchObject({ code: 'MfaSetupUnavailable', category: 'configuration' });
  });
});

describe('MFA for a signed-in user', () => {
  async function signedIn(script: FakeScript) {
    const started = await signInTo(done(), script);
    expect(started.snap.matches('signedIn')).toBe(true);
    return started;
  }

  it('the authenticator account name is configurable', async () => {
    const port = createFakePort({ initiateAuth: [mfaSetup(['SOFTWARE_TOKEN_MFA']) as never], associateSoftwareToken: [{ secretCode: SECRET, session: session(2) }] }, ids);
    const auth = createAuth({ ...ids, port, authFlow: 'USER_PASSWORD_AUTH', totpIssuer: 'Example App', totpAccountName: (login) => `${login} (staging)` });
    running.push(auth);
    await until(auth, (s) => s.matches('signedOut'));
    auth.actor.send({ type: 'signIn.submit', username: 'alice@example.com', password: PASSWORD });
    const setup = await until(auth, (s) => s.matches({ signingIn: { enrolment: { totpSetup: 'idle' } } }));
    expect(decodeURIComponent(new URL(setup.context.totpSetup!.setupUri).pathname)).toBe('/Example App:alice@example.com (staging)');
  });

  it('sets up TOTP with the access token (setUpTOTP + verifyTOTPSetup)', async () => {
    const { auth, port, tokens } = await signedIn({
      associateSoftwareToken: [{ secretCode: SECRET }],
      verifySoftwareToken: [{ status: 'ERROR' }, { status: 'SUCCESS' }],
    });
    const { accessToken } = (await tokens.load())!;
    auth.actor.send({ type: 'mfa.setUpTotp' });
    const setup = await until(auth, (s) => s.matches({ signedIn: { account: { settingUpTotp: 'idle' } } }));
    expect(setup.context.totpSetup?.setupUri).toContain('otpauth://totp/Example%20App:alice%40example.com');
    expect(port.callsOf('associateSoftwareToken')[0]?.request).toEqual({ accessToken });
    auth.actor.send({ type: 'code.submit', code: '111111' });
    expect((await until(auth, (s) => s.context.error !== null)).context.error?.code).toBe('CodeMismatch');
    auth.actor.send({ type: 'code.submit', code: '222222' });
    const back = await until(auth, (s) => s.matches({ signedIn: { tokens: 'active', account: 'idle' } }));
    expect(back.context.totpSetup).toBeNull();
    expect(port.callsOf('verifySoftwareToken')[1]?.request).toEqual({ accessToken, userCode: '222222' });
  });

  it('fetches and updates the MFA preference with one call each', async () => {
    const { auth, port } = await signedIn({
      getUser: [{ username: 'alice-id', attributes: {}, mfaSettings: ['SMS_MFA'], preferredMfa: 'SMS_MFA' }],
      setUserMfaPreference: [undefined],
    });
    auth.actor.send({ type: 'mfa.fetchPreference' });
    expect((await until(auth, (s) => s.matches({ signedIn: { tokens: 'active', account: 'idle' } }) && s.context.mfaPreference !== null)).context.mfaPreference).toEqual({
      enabled: ['SMS'],
      preferred: 'SMS',
    });
    auth.actor.send({ type: 'mfa.updatePreference', preference: { totp: 'PREFERRED', sms: 'NOT_PREFERRED' } });
    await idle(auth);
    const after = await until(auth, (s) => s.matches({ signedIn: { tokens: 'active', account: 'idle' } }));
    expect(port.callsOf('setUserMfaPreference')[0]?.request).toMatchObject({
      sms: { enabled: true, preferred: false },
      totp: { enabled: true, preferred: true },
    });
    expect(after.context.mfaPreference).toEqual({ enabled: ['SMS', 'TOTP'], preferred: 'TOTP' });
    expect(port.callsOf('getUser')).toHaveLength(1);
  });

  it('a revoked access token during an MFA call signs the user out', async () => {
    const { auth, tokens } = await signedIn({ getUser: [cognitoError('NotAuthorizedException', 'Access Token has been revoked')] });
    auth.actor.send({ type: 'mfa.fetchPreference' });
    const out = await until(auth, (s) => s.matches('signedOut'));
    expect(out.context.error?.code).toBe('TokenRevoked');
    expect(out.context.user).toBeNull();
    expect(await tokens.load()).toBeNull();
  });
});
