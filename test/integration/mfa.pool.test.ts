// Every MFA step through the chart with the real SDK port, over HTTP, against the local pool:
// codes read from the pool's outbox, TOTP codes computed from the secret the chart exposed,
// and the Cognito calls each flow makes compared with Amplify JS's (no more than Amplify).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { waitFor, type SnapshotFrom } from 'xstate';
import { authenticatorCode } from '../support/authenticator.js';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createAuth, type Auth, type AuthMachine } from '../../src/index.node.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { ENGLISH, messageFor } from '../../src/messages.js';
import { AMPLIFY_MFA_CALLS, type AmplifyMfaFlow } from '../interop/amplify/call-counts.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';

const seed = JSON.parse(readFileSync(resolve(__dirname, '../../seeds/demo.json'), 'utf8'));
const DEMO = { userPoolId: 'us-east-1_authchart', clientId: 'authchartdemoclient0000000' };
const MFA = { userPoolId: 'us-east-1_authchartmfa', clientId: 'authchartmfaclient00000000' };
const PASSWORD = 'Passw0rd!demo';
const TINA_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

let env: TestPool;
const running: Auth[] = [];
beforeAll(async () => {
  env = await startTestPool({ seed });
});
afterAll(async () => {
  running.forEach((a) => a.stop());
  await env.close();
});
afterEach(() => {
  running.splice(0).forEach((a) => a.stop());
  env.clock.advance(30_000); // next TOTP time step: a code is never replayable
});

function client(pool: { userPoolId: string; clientId: string } = DEMO) {
  // The chart reads the pool's clock, so SRP timestamps stay fresh while tests move time forward.
  const auth = createAuth({ ...pool, endpoint: env.pool.url, storage: new MemoryStorage(), totpIssuer: 'authchart tests', clock: { now: () => env.clock.now() } });
  running.push(auth);
  return auth;
}
const until = (auth: Auth, p: (s: SnapshotFrom<AuthMachine>) => boolean) => waitFor(auth.actor, p, { timeout: 10_000 });
const idle = (auth: Auth) => until(auth, (s) => !s.hasTag('busy'));
const calls = (mark: number) => env.pool.requests.slice(mark).map((r) => r.target.replace('AWSCognitoIdentityProviderService.', ''));
const totp = (secret: string, offsetSteps = 0) => authenticatorCode(secret, env.clock.now(), offsetSteps);
const latestCode = (username: string, userPoolId = DEMO.userPoolId) => {
  const messages = env.pool.outbox({ userPoolId, username });
  return messages[messages.length - 1]?.code ?? '';
};

/** Signs in with SRP and returns where the chart stopped, plus a request-log mark taken before. */
async function signIn(auth: Auth, username: string, password = PASSWORD) {
  await until(auth, (s) => s.matches('signedOut'));
  const mark = env.pool.requests.length;
  auth.actor.send({ type: 'signIn.submit', username, password });
  const snap = await until(auth, (s) => !s.hasTag('busy') && (!s.matches('signedOut') || s.context.error !== null));
  expect(snap.context.error?.category === 'credentials' ? snap.context.error : null).toBeNull();
  return { snap, mark };
}

/** The chart needs no more Cognito calls than Amplify for the same flow, in the same order here. */
function expectNoMoreThanAmplify(mark: number, flow: AmplifyMfaFlow) {
  const ours = calls(mark);
  expect(ours.length).toBeLessThanOrEqual(AMPLIFY_MFA_CALLS[flow].length);
  expect(ours).toEqual([...AMPLIFY_MFA_CALLS[flow]]);
}

describe('SOFTWARE_TOKEN_MFA', () => {
  it('tina: a wrong code keeps the step, the right one signs in; calls as Amplify', async () => {
    const auth = client();
    const { snap, mark } = await signIn(auth, 'tina');
    expect(snap.matches({ signingIn: { mfa: 'totpCode' } })).toBe(true);
    auth.actor.send({ type: 'code.submit', code: totp(TINA_SECRET, 5) });
    const wrong = await until(auth, (s) => s.context.error !== null);
    expect(wrong.context.error).toMatchObject({ code: 'CodeMismatch', category: 'challenge' });
    expect(wrong.matches({ signingIn: { mfa: 'totpCode' } })).toBe(true);
    auth.actor.send({ type: 'code.submit', code: totp(TINA_SECRET) });
    expect((await until(auth, (s) => s.matches('signedIn'))).context.user?.username).toBe('tina');
    expectNoMoreThanAmplify(mark, 'SRP + SOFTWARE_TOKEN_MFA, wrong code then retry');
  });

  it('three wrong codes kill the Session: sessionExpired', async () => {
    const auth = client();
    await signIn(auth, 'tina');
    for (let i = 1; i <= 3; i++) {
      auth.actor.send({ type: 'code.submit', code: totp(TINA_SECRET, 10 + i) });
      await until(auth, (s) => !s.hasTag('busy') && s.context.error !== null);
    }
    const expired = auth.actor.getSnapshot();
    expect(expired.value).toBe('sessionExpired');
    expect(expired.context.error?.code).toBe('SessionExpired');
  });

  it('a Session past AuthSessionValidity (on the pool\'s clock) lands in sessionExpired', async () => {
    const auth = client();
    await signIn(auth, 'tina');
    env.clock.advance(3 * 60_000 + 1_000);
    auth.actor.send({ type: 'code.submit', code: totp(TINA_SECRET) });
    expect((await until(auth, (s) => s.matches('sessionExpired'))).context.error?.code).toBe('SessionExpired');
  });
});

describe('SMS_MFA and EMAIL_OTP', () => {
  it('sam: masked delivery in the view, code from the outbox; calls as Amplify', async () => {
    const auth = client();
    const { snap, mark } = await signIn(auth, 'sam');
    expect(snap.matches({ signingIn: { mfa: 'smsCode' } })).toBe(true);
    expect(snap.context.codeDelivery?.deliveryMedium).toBe('SMS');
    expect(snap.context.codeDelivery?.destination).toMatch(/^\+\*+0100$/);
    const code = latestCode('sam');
    expect(code).toMatch(/^\d{6}$/);
    auth.actor.send({ type: 'code.submit', code });
    await until(auth, (s) => s.matches('signedIn'));
    expectNoMoreThanAmplify(mark, 'SRP + SMS_MFA');
  });

  it('sam: code.resend signs in again and a new code arrives; the new one works', async () => {
    const auth = client();
    await signIn(auth, 'sam');
    const first = latestCode('sam');
    const before = env.pool.outbox({ username: 'sam' }).length;
    auth.actor.send({ type: 'code.resend' });
    await until(auth, (s) => s.hasTag('busy'));
    const again = await until(auth, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
    expect(again.context.error).toBeNull();
    const second = latestCode('sam');
    expect(env.pool.outbox({ username: 'sam' })).toHaveLength(before + 1);
    if (second !== first) {
      auth.actor.send({ type: 'code.submit', code: first }); // the old attempt's code does not open the new Session
      expect((await until(auth, (s) => s.context.error !== null)).context.error?.code).toBe('CodeMismatch');
    }
    auth.actor.send({ type: 'code.submit', code: second });
    await until(auth, (s) => s.matches('signedIn'));
  });

  it('emma: e-mail MFA with an 8-digit code; calls as Amplify', async () => {
    const auth = client();
    const { snap, mark } = await signIn(auth, 'emma');
    expect(snap.matches({ signingIn: { mfa: 'emailCode' } })).toBe(true);
    expect(snap.context.codeDelivery).toMatchObject({ deliveryMedium: 'EMAIL' });
    expect(snap.context.codeDelivery?.destination).toContain('***');
    auth.actor.send({ type: 'code.submit', code: latestCode('emma') });
    await until(auth, (s) => s.matches('signedIn'));
    expectNoMoreThanAmplify(mark, 'SRP + EMAIL_OTP');
  });
});

describe.each([
  { username: 'sam', route: 'smsCode', resend: true, code: () => latestCode('sam') },
  { username: 'emma', route: 'emailCode', resend: true, code: () => latestCode('emma') },
  { username: 'tina', route: 'totpCode', resend: false, code: () => totp(TINA_SECRET) },
] as const)('$route: wrong code, expired session, resend', ({ username, route, resend, code }) => {
  const wrongCode = () => (code().length === 8 ? '00000000' : code() === '000000' ? '111111' : '000000');

  it('a wrong code is a typed, correctable error on the same step', async () => {
    const auth = client();
    await signIn(auth, username);
    auth.actor.send({ type: 'code.submit', code: wrongCode() });
    const wrong = await until(auth, (s) => s.context.error !== null);
    expect(wrong.matches({ signingIn: { mfa: route } })).toBe(true);
    expect(wrong.context.error).toMatchObject({ code: 'CodeMismatch', retryable: false });
    auth.actor.send({ type: 'code.submit', code: code() });
    await until(auth, (s) => s.matches('signedIn'));
  });

  it('an expired Session goes to sessionExpired, and flow.restart leads back to sign-in', async () => {
    const auth = client();
    await signIn(auth, username);
    const answer = code();
    env.clock.advance(3 * 60_000 + 1_000);
    auth.actor.send({ type: 'code.submit', code: answer });
    await until(auth, (s) => s.matches('sessionExpired'));
    auth.actor.send({ type: 'flow.restart' });
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
  });

  it(resend ? 'code.resend delivers a new code that signs in' : 'code.resend is not offered for TOTP', async () => {
    const auth = client();
    const { snap } = await signIn(auth, username);
    expect(snap.hasTag('canResend')).toBe(resend);
    if (!resend) return;
    const count = env.pool.outbox({ username }).length;
    auth.actor.send({ type: 'code.resend' });
    await until(auth, (s) => s.hasTag('busy'));
    await until(auth, (s) => s.matches({ signingIn: { mfa: route } }));
    expect(env.pool.outbox({ username })).toHaveLength(count + 1);
    auth.actor.send({ type: 'code.submit', code: code() });
    await until(auth, (s) => s.matches('signedIn'));
  });
});

describe('SELECT_MFA_TYPE', () => {
  it('max: offered exactly SMS and TOTP; picks TOTP; calls as Amplify', async () => {
    const auth = client();
    const { snap, mark } = await signIn(auth, 'max');
    expect(snap.matches({ signingIn: { mfa: 'selection' } })).toBe(true);
    expect([...snap.context.allowedMfaTypes!].sort()).toEqual(['SMS', 'TOTP']);
    auth.actor.send({ type: 'mfa.select', mfaType: 'TOTP' });
    await until(auth, (s) => s.matches({ signingIn: { mfa: 'totpCode' } }));
    auth.actor.send({ type: 'code.submit', code: totp('KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU') });
    await until(auth, (s) => s.matches('signedIn'));
    expectNoMoreThanAmplify(mark, 'SRP + SELECT_MFA_TYPE -> TOTP');
  });

  it('max: picks SMS, code from the outbox', async () => {
    const auth = client();
    await signIn(auth, 'max');
    auth.actor.send({ type: 'mfa.select', mfaType: 'SMS' });
    await until(auth, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
    auth.actor.send({ type: 'code.submit', code: latestCode('max') });
    await until(auth, (s) => s.matches('signedIn'));
  });
});

describe('MFA_SETUP', () => {
  async function mfaPoolUser(username: string) {
    await env.admin.send(new AdminCreateUserCommand({ UserPoolId: MFA.userPoolId, Username: username, TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
    await env.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: MFA.userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
  }

  it('otto: choose TOTP (no call), scan the secret the view shows, verify; then TOTP at the next sign-in', async () => {
    const auth = client(MFA);
    const { snap, mark } = await signIn(auth, 'otto');
    expect(snap.matches({ signingIn: { enrolment: 'setupSelection' } })).toBe(true);
    expect(snap.context.allowedMfaTypes).toEqual(expect.arrayContaining(['TOTP', 'EMAIL']));
    auth.actor.send({ type: 'mfa.select', mfaType: 'TOTP' });
    const setup = await until(auth, (s) => s.matches({ signingIn: { enrolment: { totpSetup: 'idle' } } }));
    const secret = setup.context.totpSetup!.sharedSecret;
    expect(new URL(setup.context.totpSetup!.setupUri).searchParams.get('secret')).toBe(secret);
    auth.actor.send({ type: 'code.submit', code: totp(secret) });
    await until(auth, (s) => s.matches('signedIn'));
    expectNoMoreThanAmplify(mark, 'SRP + MFA_SETUP selection -> TOTP');

    env.clock.advance(30_000);
    const next = client(MFA);
    const { snap: step } = await signIn(next, 'otto');
    expect(step.matches({ signingIn: { mfa: 'totpCode' } })).toBe(true);
    next.actor.send({ type: 'code.submit', code: totp(secret) });
    await until(next, (s) => s.matches('signedIn'));
  });

  it('a new user: choose EMAIL, give an address, confirm the e-mailed code; calls as Amplify', async () => {
    await mfaPoolUser('elle');
    const auth = client(MFA);
    const { mark } = await signIn(auth, 'elle');
    auth.actor.send({ type: 'mfa.select', mfaType: 'EMAIL' });
    await until(auth, (s) => s.matches({ signingIn: { enrolment: 'emailSetup' } }));
    auth.actor.send({ type: 'email.submit', email: 'elle@example.com' });
    const code = await until(auth, (s) => s.matches({ signingIn: { mfa: 'emailCode' } }));
    expect(code.context.codeDelivery?.deliveryMedium).toBe('EMAIL');
    expect(env.pool.outbox({ username: 'elle' }).at(-1)?.destination).toBe('elle@example.com');
    auth.actor.send({ type: 'code.submit', code: latestCode('elle', MFA.userPoolId) });
    await until(auth, (s) => s.matches('signedIn'));
    expectNoMoreThanAmplify(mark, 'SRP + MFA_SETUP selection -> EMAIL -> address -> code');
  });

  it('a wrong TOTP setup code stays on the step; the right one completes', async () => {
    await mfaPoolUser('tom');
    const auth = client(MFA);
    await signIn(auth, 'tom');
    auth.actor.send({ type: 'mfa.select', mfaType: 'TOTP' });
    const setup = await until(auth, (s) => s.matches({ signingIn: { enrolment: { totpSetup: 'idle' } } }));
    const secret = setup.context.totpSetup!.sharedSecret;
    auth.actor.send({ type: 'code.submit', code: totp(secret, 7) });
    const wrong = await until(auth, (s) => s.context.error !== null);
    expect(wrong.matches({ signingIn: { enrolment: { totpSetup: 'idle' } } })).toBe(true);
    expect(wrong.context.error?.code).toBe('CodeMismatch');
    auth.actor.send({ type: 'code.submit', code: totp(secret) });
    await until(auth, (s) => s.matches('signedIn'));
  });

  it('a pool that can only set up SMS, a user without a phone: a clear, typed failure', async () => {
    const poolId = (await env.admin.send(new CreateUserPoolCommand({ PoolName: 'sms-only' }))).UserPool!.Id!;
    await env.admin.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: 'ON',
        SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/sms' } },
      }),
    );
    const clientId = (await env.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }))).UserPoolClient!.ClientId!;
    await env.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'pat', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
    await env.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'pat', Password: PASSWORD, Permanent: true }));
    const auth = client({ userPoolId: poolId, clientId });
    const { snap } = await signIn(auth, 'pat');
    expect(snap.value).toBe('failed');
    expect(snap.context.error).toMatchObject({ code: 'MfaSetupUnavailable', category: 'configuration' });
  });
});

describe('MFA for a signed-in user', () => {
  it('TOTP preferred before any authenticator is set up: MfaMethodNotFound on the preference, shown on the account screen, still signed in', async () => {
    await env.admin.send(new AdminCreateUserCommand({ UserPoolId: DEMO.userPoolId, Username: 'nora', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
    await env.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: DEMO.userPoolId, Username: 'nora', Password: PASSWORD, Permanent: true }));
    const auth = client();
    expect((await signIn(auth, 'nora')).snap.matches('signedIn')).toBe(true);
    const mark = env.pool.requests.length;
    auth.actor.send({ type: 'mfa.updatePreference', preference: { totp: 'PREFERRED' } });
    const refused = await until(auth, (s) => s.matches({ signedIn: { tokens: 'active', account: 'idle' } }) && !s.hasTag('busy'));
    expect(calls(mark)).toEqual(['SetUserMFAPreference']);
    expect(refused.context.error).toEqual({
      code: 'MfaMethodNotFound',
      category: 'configuration',
      retryable: false,
      field: 'preference',
      cognitoName: 'InvalidParameterException',
      cognitoMessage: 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA',
    });
    expect(messageFor(refused.context.error!)).toBe(ENGLISH['MfaMethodNotFound.preference']);
  });

  it('alice adds TOTP, prefers it, reads it back; one call each; TOTP is asked at her next sign-in', async () => {
    const auth = client();
    const { snap } = await signIn(auth, 'alice');
    expect(snap.matches('signedIn')).toBe(true);

    let mark = env.pool.requests.length;
    auth.actor.send({ type: 'mfa.setUpTotp' });
    const setup = await until(auth, (s) => s.matches({ signedIn: { account: { settingUpTotp: 'idle' } } }));
    expect(calls(mark)).toEqual([...AMPLIFY_MFA_CALLS.setUpTOTP]);
    const secret = setup.context.totpSetup!.sharedSecret;

    mark = env.pool.requests.length;
    auth.actor.send({ type: 'code.submit', code: totp(secret) });
    await until(auth, (s) => s.matches({ signedIn: { tokens: 'active', account: 'idle' } }));
    expect(calls(mark)).toEqual([...AMPLIFY_MFA_CALLS.verifyTOTPSetup]);

    mark = env.pool.requests.length;
    auth.actor.send({ type: 'mfa.fetchPreference' });
    await idle(auth);
    expect(calls(mark)).toEqual([...AMPLIFY_MFA_CALLS.fetchMFAPreference]);

    mark = env.pool.requests.length;
    auth.actor.send({ type: 'mfa.updatePreference', preference: { totp: 'PREFERRED' } });
    const updated = await until(auth, (s) => s.matches({ signedIn: { tokens: 'active', account: 'idle' } }) && !s.hasTag('busy'));
    expect(calls(mark)).toEqual([...AMPLIFY_MFA_CALLS.updateMFAPreference]);
    expect(updated.context.error).toBeNull();
    expect(updated.context.mfaPreference).toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });

    auth.actor.send({ type: 'mfa.fetchPreference' });
    expect((await until(auth, (s) => s.matches({ signedIn: { tokens: 'active', account: 'idle' } }) && !s.hasTag('busy'))).context.mfaPreference).toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });

    env.clock.advance(30_000);
    const next = client();
    const { snap: step } = await signIn(next, 'alice');
    expect(step.matches({ signingIn: { mfa: 'totpCode' } })).toBe(true);
    next.actor.send({ type: 'code.submit', code: totp(secret) });
    await until(next, (s) => s.matches('signedIn'));
  });
});
