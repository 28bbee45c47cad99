// Choice-based sign-in (USER_AUTH) and passkeys through the chart, with the real SDK port over HTTP, against a local
// pool configured through Cognito's own API: every first factor with and without a preference, the selection, the
// password factor (plain and SRP), OTP codes (wrong, resent, an expired session), a preference the user cannot use,
// MFA after a password, names that are no user (PreventUserExistenceErrors on and off), and passkeys (register,
// list, sign in, delete) with a software authenticator standing in for the browser's prompt (test/e2e has Chromium).
// Codes come from the pool's outbox; Cognito calls are compared with what Amplify JS v6 makes for the same flows.
import { waitFor, type SnapshotFrom } from 'xstate';
import { CreateUserPoolClientCommand, CreateUserPoolCommand, InitiateAuthCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createAuth, selectView, type Auth, type AuthMachine, type FirstFactor } from '../../src/index.node.js';
import type { PasskeyCeremonies } from '../../src/webauthn/ceremonies.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { authenticatorCode } from '../support/authenticator.js';

const PASSWORD = 'Passw0rd!strong';
const ORIGIN = 'http://localhost:5173';
const TOTP_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
let env: TestPool;
let clientId: string;
let legacyClientId: string;
const running: Auth[] = [];

const verified = (name: string, phone?: string) => ({
  email: `${name}@example.com`,
  email_verified: 'true',
  ...(phone ? { phone_number: phone, phone_number_verified: 'true' } : {}),
});

beforeAll(async () => {
  env = await startTestPool({
    poolProperties: {
      UserPoolTier: 'ESSENTIALS',
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] } },
    },
  });
  await env.admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: env.userPoolId,
      // Cognito allows OTP first factors only without MFA (the MFA-after-a-password test has a pool of its own)
      MfaConfiguration: 'OFF',
      WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'preferred' },
    }),
  );
  const flows = ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
  ({ clientId } = await env.createClient({ ExplicitAuthFlows: [...flows], PreventUserExistenceErrors: 'ENABLED' }));
  ({ clientId: legacyClientId } = await env.createClient({ ExplicitAuthFlows: [...flows], PreventUserExistenceErrors: 'LEGACY' }));
});
afterAll(async () => {
  running.splice(0).forEach((a) => a.stop());
  await env.close();
});
afterEach(() => running.splice(0).forEach((a) => a.stop()));

let n = 0;
/** A user of its own for each test: a verified e-mail, and a verified phone unless asked otherwise. */
async function user(options: { phone?: boolean; email?: boolean } = {}) {
  n += 1;
  const username = `pat${n}`;
  const phone = options.phone === false ? undefined : `+1555555${String(1000 + n)}`;
  const attributes = options.email === false ? { phone_number: phone!, phone_number_verified: 'true' } : verified(username, phone);
  await env.createUser(username, PASSWORD, { attributes });
  return { username, email: `${username}@example.com`, phone };
}

function client(options: { clientId?: string; userPoolId?: string; passkeys?: PasskeyCeremonies } = {}) {
  const auth = createAuth({
    userPoolId: options.userPoolId ?? env.userPoolId,
    clientId: options.clientId ?? clientId,
    endpoint: env.pool.url,
    storage: new MemoryStorage(),
    authFlow: 'USER_AUTH',
    clock: { now: () => env.clock.now() },
    ...(options.passkeys ? { passkeys: options.passkeys } : {}),
  });
  running.push(auth);
  return auth;
}

type Snap = SnapshotFrom<AuthMachine>;
const until = (auth: Auth, predicate: (s: Snap) => boolean) =>
  waitFor(auth.actor, predicate, { timeout: 10_000 }).catch((error: unknown) => {
    const s = auth.actor.getSnapshot();
    throw new Error(`${String(error)}; the chart is at ${JSON.stringify(s.value)} with error ${JSON.stringify(s.context.error)}`);
  });
const rest = (auth: Auth) => until(auth, (s) => !s.hasTag('busy') && !s.matches('checkingSession'));
const view = (auth: Auth) => selectView(auth.actor.getSnapshot());
const requestsSince = (mark: number) => env.pool.requests.slice(mark).map((r) => r.target.replace('AWSCognitoIdentityProviderService.', ''));
const latestCode = (to: string) => {
  const messages = env.pool.outbox({ userPoolId: env.userPoolId, recipient: to });
  return messages[messages.length - 1]?.code ?? '';
};

async function signIn(auth: Auth, username: string, options: { preferredFirstFactor?: FirstFactor; password?: string } = {}) {
  await rest(auth);
  auth.actor.send({ type: 'signIn.submit', username, authFlow: 'USER_AUTH', ...options });
  return rest(auth);
}

describe('a preferred first factor', () => {
  it('EMAIL_OTP: the code e-mailed, the delivery in the view, signed in (2 calls, as Amplify)', async () => {
    const pat = await user();
    const auth = client();
    const mark = env.pool.requests.length;
    await signIn(auth, pat.username, { preferredFirstFactor: 'EMAIL_OTP' });
    const shown = view(auth);
    expect(auth.actor.getSnapshot().matches({ signingIn: { firstFactor: 'emailCode' } })).toBe(true);
    expect(shown).toMatchObject({ route: 'emailCode', signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', canResend: true, codeDelivery: { deliveryMedium: 'EMAIL' } });
    expect(shown.route === 'emailCode' && shown.codeDelivery?.destination).not.toContain(pat.email);
    auth.actor.send({ type: 'code.submit', code: latestCode(pat.email) });
    await until(auth, (s) => s.matches('signedIn'));
    expect(requestsSince(mark)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    expect(auth.actor.getSnapshot().context.user?.signInDetails?.authFlowType).toBe('USER_AUTH');
  });

  it('SMS_OTP: the code texted, signed in (2 calls)', async () => {
    const pat = await user();
    const auth = client();
    const mark = env.pool.requests.length;
    await signIn(auth, pat.username, { preferredFirstFactor: 'SMS_OTP' });
    expect(view(auth)).toMatchObject({ route: 'smsCode', signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDelivery: { deliveryMedium: 'SMS' } });
    auth.actor.send({ type: 'code.submit', code: latestCode(pat.phone!) });
    await until(auth, (s) => s.matches('signedIn'));
    expect(requestsSince(mark)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
  });

  it('PASSWORD with the password: signed in with one call; PASSWORD_SRP: the proof follows (2 calls)', async () => {
    const pat = await user();
    const plain = client();
    let mark = env.pool.requests.length;
    await signIn(plain, pat.username, { preferredFirstFactor: 'PASSWORD', password: PASSWORD });
    expect(plain.actor.getSnapshot().matches('signedIn')).toBe(true);
    expect(requestsSince(mark)).toEqual(['InitiateAuth']);

    const srp = client();
    mark = env.pool.requests.length;
    await signIn(srp, pat.username, { preferredFirstFactor: 'PASSWORD_SRP', password: PASSWORD });
    expect(srp.actor.getSnapshot().matches('signedIn')).toBe(true);
    expect(requestsSince(mark)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
  });

  it('a wrong password with PASSWORD: back to sign-in with the credentials error', async () => {
    const pat = await user();
    const auth = client();
    await signIn(auth, pat.username, { preferredFirstFactor: 'PASSWORD', password: 'Wrong-passw0rd!' });
    expect(view(auth)).toMatchObject({ route: 'signIn', error: { code: 'IncorrectUsernameOrPassword' } });
  });

  it('a factor the user cannot use (SMS_OTP without a phone): Cognito offers the choice, and the chart shows exactly it', async () => {
    const pat = await user({ phone: false });
    const direct = await env.admin.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: pat.username, PREFERRED_CHALLENGE: 'SMS_OTP' } }),
    );
    expect(direct.ChallengeName).toBe('SELECT_CHALLENGE');
    const auth = client();
    await signIn(auth, pat.username, { preferredFirstFactor: 'SMS_OTP' });
    const shown = view(auth);
    expect(shown.route).toBe('firstFactorSelection');
    expect(shown.route === 'firstFactorSelection' && [...shown.availableFactors].sort()).toEqual([...(direct.AvailableChallenges ?? [])].sort());
    expect(shown.route === 'firstFactorSelection' && shown.availableFactors).not.toContain('SMS_OTP');
  });
});

describe('the first-factor selection', () => {
  it('lists exactly what Cognito returned, and EMAIL_OTP picked there signs in (3 calls, as Amplify)', async () => {
    const pat = await user();
    const direct = await env.admin.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: pat.username } }),
    );
    const auth = client();
    const mark = env.pool.requests.length;
    await signIn(auth, pat.username);
    const shown = view(auth);
    expect(shown).toMatchObject({ route: 'firstFactorSelection', signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION' });
    expect(shown.route === 'firstFactorSelection' && shown.availableFactors).toEqual(direct.AvailableChallenges);
    auth.actor.send({ type: 'factor.select', factor: 'EMAIL_OTP' });
    await rest(auth);
    expect(view(auth).route).toBe('emailCode');
    auth.actor.send({ type: 'code.submit', code: latestCode(pat.email) });
    await until(auth, (s) => s.matches('signedIn'));
    expect(requestsSince(mark)).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'RespondToAuthChallenge']);
  });

  it('a factor Cognito did not offer is refused without a call', async () => {
    const pat = await user({ phone: false });
    const auth = client();
    await signIn(auth, pat.username);
    const mark = env.pool.requests.length;
    auth.actor.send({ type: 'factor.select', factor: 'SMS_OTP' });
    expect(view(auth)).toMatchObject({ route: 'firstFactorSelection', error: { code: 'InvalidInput', field: 'factor' } });
    expect(requestsSince(mark)).toEqual([]);
  });

  it('PASSWORD picked: the password step (confirmSignInWithPassword), then signed in with the choice and the password in one answer', async () => {
    const pat = await user();
    const auth = client();
    const mark = env.pool.requests.length;
    await signIn(auth, pat.username);
    auth.actor.send({ type: 'factor.select', factor: 'PASSWORD' });
    expect(view(auth)).toMatchObject({ route: 'password', signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD' });
    auth.actor.send({ type: 'factor.password', password: PASSWORD });
    await until(auth, (s) => s.matches('signedIn'));
    expect(requestsSince(mark)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
  });

  it('PASSWORD_SRP picked with the password: SRP_A with the choice, then the proof (3 calls)', async () => {
    const pat = await user();
    const auth = client();
    const mark = env.pool.requests.length;
    await signIn(auth, pat.username);
    auth.actor.send({ type: 'factor.select', factor: 'PASSWORD_SRP', password: PASSWORD });
    await until(auth, (s) => s.matches('signedIn'));
    expect(requestsSince(mark)).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'RespondToAuthChallenge']);
  });

  it('a password given at signIn.submit is kept for the choice: PASSWORD picked answers at once', async () => {
    const pat = await user();
    const auth = client();
    await signIn(auth, pat.username, { password: PASSWORD });
    expect(view(auth).route).toBe('firstFactorSelection');
    auth.actor.send({ type: 'factor.select', factor: 'PASSWORD' });
    await until(auth, (s) => s.matches('signedIn'));
  });

  it('MFA after a password factor: the TOTP code Cognito asks for, then signed in', async () => {
    const mfaPool = await env.admin.send(
      new CreateUserPoolCommand({
        PoolName: 'passwords and MFA',
        UserPoolTier: 'ESSENTIALS',
        MfaConfiguration: 'OPTIONAL',
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] } },
      }),
    );
    const poolId = mfaPool.UserPool!.Id!;
    await env.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const app = await env.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    env.pool.seed({
      pools: [{ id: poolId, name: 'passwords and MFA', users: [{ username: 'tess', password: PASSWORD, attributes: verified('tess'), totpSecret: TOTP_SECRET, mfa: { totp: true, preferred: 'TOTP' } }] }],
    });
    const auth = client({ userPoolId: poolId, clientId: app.UserPoolClient!.ClientId! });
    await signIn(auth, 'tess');
    auth.actor.send({ type: 'factor.select', factor: 'PASSWORD', password: PASSWORD });
    await rest(auth);
    expect(view(auth)).toMatchObject({ route: 'totpCode' });
    auth.actor.send({ type: 'code.submit', code: authenticatorCode(TOTP_SECRET, env.clock.now()) });
    await until(auth, (s) => s.matches('signedIn'));
  });
});

describe('OTP codes', () => {
  it('a wrong code: the error on the same step, and the right code still signs in', async () => {
    const pat = await user();
    const auth = client();
    await signIn(auth, pat.username, { preferredFirstFactor: 'EMAIL_OTP' });
    const code = latestCode(pat.email);
    const wrong = code === '12345678' ? '87654321' : '12345678';
    auth.actor.send({ type: 'code.submit', code: wrong });
    await rest(auth);
    expect(view(auth)).toMatchObject({ route: 'emailCode', error: { code: 'CodeMismatch', field: 'code' } });
    auth.actor.send({ type: 'code.submit', code });
    await until(auth, (s) => s.matches('signedIn'));
  });

  it('resend: a new USER_AUTH sends a new code (no password needed); the new code signs in', async () => {
    const pat = await user();
    const auth = client();
    await signIn(auth, pat.username, { preferredFirstFactor: 'SMS_OTP' });
    const first = latestCode(pat.phone!);
    const mark = env.pool.requests.length;
    auth.actor.send({ type: 'code.resend' });
    await rest(auth);
    expect(requestsSince(mark)).toEqual(['InitiateAuth']);
    expect(view(auth)).toMatchObject({ route: 'smsCode', error: null });
    const second = latestCode(pat.phone!);
    expect(env.pool.outbox({ userPoolId: env.userPoolId, recipient: pat.phone! })).toHaveLength(2);
    expect(second).toMatch(/^\d{6}$/);
    if (first !== second) {
      // the first code belonged to the Session the resend replaced: it no longer signs in
      auth.actor.send({ type: 'code.submit', code: first });
      await rest(auth);
      expect(view(auth)).toMatchObject({ route: 'smsCode', error: { code: 'CodeMismatch' } });
    }
    auth.actor.send({ type: 'code.submit', code: second });
    await until(auth, (s) => s.matches('signedIn'));
  });

  it('a session that expired while the code was typed: sessionExpired, and a new sign-in works', async () => {
    const pat = await user();
    const auth = client();
    await signIn(auth, pat.username, { preferredFirstFactor: 'EMAIL_OTP' });
    const code = latestCode(pat.email);
    env.clock.advance(4 * 60_000);
    auth.actor.send({ type: 'code.submit', code });
    await rest(auth);
    expect(view(auth)).toMatchObject({ route: 'sessionExpired', error: { code: 'SessionExpired' } });
    auth.actor.send({ type: 'flow.restart' });
    await signIn(auth, pat.username, { preferredFirstFactor: 'EMAIL_OTP' });
    auth.actor.send({ type: 'code.submit', code: latestCode(pat.email) });
    await until(auth, (s) => s.matches('signedIn'));
  });
});

describe('a name that is no user', () => {
  it('PreventUserExistenceErrors ENABLED: a code step as for a real user (nothing sent), and the code is refused', async () => {
    const auth = client();
    const sent = env.pool.outbox({ userPoolId: env.userPoolId }).length;
    await signIn(auth, 'nobody-here', { preferredFirstFactor: 'EMAIL_OTP' });
    expect(view(auth)).toMatchObject({ route: 'emailCode', error: null });
    auth.actor.send({ type: 'code.submit', code: '12345678' });
    await rest(auth);
    // refused exactly as a real user's wrong code is, and no message went out for the name
    expect(view(auth)).toMatchObject({ route: 'emailCode', error: { code: 'CodeMismatch', cognitoName: 'CodeMismatchException' } });
    expect(env.pool.outbox({ userPoolId: env.userPoolId })).toHaveLength(sent);
  });

  it('LEGACY: UserNotFound, back at sign-in', async () => {
    const auth = client({ clientId: legacyClientId });
    await signIn(auth, 'nobody-here', { preferredFirstFactor: 'EMAIL_OTP' });
    expect(view(auth)).toMatchObject({ route: 'signIn', error: { code: 'UserNotFound' } });
  });
});

describe('passkeys (a software authenticator in place of the browser prompt)', () => {
  const ceremoniesOf = (authenticator: SoftAuthenticator): PasskeyCeremonies => ({
    supported: () => true,
    get: async (request) => JSON.stringify(authenticator.get(request as never)),
    create: async (options) => JSON.stringify(authenticator.create(options as never)),
  });

  /** A user who signed in with the password and registered a passkey on a software authenticator. */
  async function userWithPasskey() {
    const pat = await user();
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const owner = client({ passkeys: ceremoniesOf(authenticator) });
    await signIn(owner, pat.username, { preferredFirstFactor: 'PASSWORD', password: PASSWORD });
    owner.actor.send({ type: 'passkey.register' });
    await rest(owner);
    expect(authenticator.passkeys.size).toBe(1);
    return { pat, authenticator };
  }

  it('registers a passkey when signed in, lists it, signs in with it from the passkey step, and deletes it', async () => {
    const pat = await user();
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const auth = client({ passkeys: ceremoniesOf(authenticator) });
    await signIn(auth, pat.username, { preferredFirstFactor: 'PASSWORD', password: PASSWORD });
    expect(auth.actor.getSnapshot().matches('signedIn')).toBe(true);

    let mark = env.pool.requests.length;
    auth.actor.send({ type: 'passkey.register' });
    await rest(auth);
    expect(view(auth).error).toBeNull();
    expect(requestsSince(mark)).toEqual(['StartWebAuthnRegistration', 'CompleteWebAuthnRegistration']);
    expect(authenticator.passkeys.size).toBe(1);

    auth.actor.send({ type: 'passkeys.list' });
    await rest(auth);
    const listed = view(auth);
    const [credentialId] = [...authenticator.passkeys.keys()];
    expect(listed.route === 'signedIn' && listed.passkeys?.map((p) => p.credentialId)).toEqual([credentialId]);

    auth.actor.send({ type: 'session.signOut' });
    await until(auth, (s) => s.matches('signedOut'));

    mark = env.pool.requests.length;
    await signIn(auth, pat.username, { preferredFirstFactor: 'WEB_AUTHN' });
    expect(view(auth)).toMatchObject({ route: 'passkey', prompting: false });
    auth.actor.send({ type: 'passkey.start' });
    await until(auth, (s) => s.matches('signedIn'));
    expect(requestsSince(mark)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);

    auth.actor.send({ type: 'passkeys.list' });
    await rest(auth);
    auth.actor.send({ type: 'passkey.delete', credentialId: credentialId! });
    await rest(auth);
    const after = view(auth);
    expect(after.route === 'signedIn' && after.passkeys).toEqual([]);
    auth.actor.send({ type: 'passkeys.list' });
    await rest(auth);
    const relisted = view(auth);
    expect(relisted.route === 'signedIn' && relisted.passkeys).toEqual([]);
  });

  it('passkeys.list with pageSize reads pages of that size; the next token reads the rest', async () => {
    const pat = await user();
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const auth = client({ passkeys: ceremoniesOf(authenticator) });
    await signIn(auth, pat.username, { preferredFirstFactor: 'PASSWORD', password: PASSWORD });
    for (let i = 0; i < 2; i++) {
      auth.actor.send({ type: 'passkey.register' });
      await rest(auth);
      env.clock.advance(1000);
    }
    const ids = [...authenticator.passkeys.keys()];
    auth.actor.send({ type: 'passkeys.list', pageSize: 1 });
    await rest(auth);
    const first = view(auth);
    expect(first.route === 'signedIn' && { ids: first.passkeys?.map((p) => p.credentialId), more: first.passkeysNextToken !== null }).toEqual({ ids: [ids[0]], more: true });
    auth.actor.send({ type: 'passkeys.list', pageSize: 1, nextToken: first.route === 'signedIn' ? first.passkeysNextToken! : '' });
    await rest(auth);
    const second = view(auth);
    expect(second.route === 'signedIn' && second.passkeys?.map((p) => p.credentialId)).toEqual(ids);
    // a page size Cognito does not take is left out: the default page has both
    auth.actor.send({ type: 'passkeys.list', pageSize: 0 });
    await rest(auth);
    const all = view(auth);
    expect(all.route === 'signedIn' && { ids: all.passkeys?.map((p) => p.credentialId), more: all.passkeysNextToken }).toEqual({ ids, more: null });
  });

  it('a passkey answer from another origin is refused by Cognito: the attempt ends with the typed error, and another factor then works', async () => {
    const { pat, authenticator } = await userWithPasskey();

    const phishing: PasskeyCeremonies = {
      supported: () => true,
      get: async (request) => JSON.stringify(authenticator.get(request as never, { origin: 'https://evil.example' })),
      create: async () => '{}',
    };
    const auth = client({ passkeys: phishing });
    await signIn(auth, pat.username, { preferredFirstFactor: 'WEB_AUTHN' });
    auth.actor.send({ type: 'passkey.start' });
    await rest(auth);
    // Cognito answers a refused assertion like a wrong password (NotAuthorizedException): nothing about why
    expect(view(auth)).toMatchObject({ route: 'signIn', error: { code: 'IncorrectUsernameOrPassword', cognitoName: 'NotAuthorizedException' } });
    await signIn(auth, pat.username, { preferredFirstFactor: 'EMAIL_OTP' });
    auth.actor.send({ type: 'code.submit', code: latestCode(pat.email) });
    await until(auth, (s) => s.matches('signedIn'));
  });

  it('without WebAuthn (Node, here): the passkey step says so with PasskeyUnsupported and another factor still signs in', async () => {
    const { pat } = await userWithPasskey();

    const auth = client(); // the default ceremonies: the browser's, which Node does not have
    await signIn(auth, pat.username, { preferredFirstFactor: 'WEB_AUTHN' });
    const mark = env.pool.requests.length;
    auth.actor.send({ type: 'passkey.start' });
    await rest(auth);
    expect(view(auth)).toMatchObject({ route: 'passkey', error: { code: 'PasskeyUnsupported', category: 'configuration' } });
    expect(requestsSince(mark)).toEqual([]);
    auth.actor.send({ type: 'factor.select', factor: 'EMAIL_OTP' });
    await rest(auth);
    auth.actor.send({ type: 'code.submit', code: latestCode(pat.email) });
    await until(auth, (s) => s.matches('signedIn'));
  });

  it('the prompt dismissed (NotAllowedError): a retryable typed error at the passkey step; flow.cancel during the prompt aborts it', async () => {
    const { pat } = await userWithPasskey();

    let aborted = false;
    const dismissed = Object.assign(new Error('The operation either timed out or was not allowed.'), { name: 'NotAllowedError' });
    const { passkeyError } = await import('../../src/webauthn/ceremonies.js');
    const prompts: PasskeyCeremonies = {
      supported: () => true,
      get: (_request, signal) =>
        new Promise((_resolve, reject) => {
          if (!aborted) {
            // first prompt: the user dismisses it
            aborted = true;
            reject(passkeyError(dismissed, 'get'));
            return;
          }
          // second prompt: never answered until the chart aborts it
          signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
        }),
      create: async () => '{}',
    };
    const auth = client({ passkeys: prompts });
    await signIn(auth, pat.username, { preferredFirstFactor: 'WEB_AUTHN' });
    auth.actor.send({ type: 'passkey.start' });
    await rest(auth);
    expect(view(auth)).toMatchObject({ route: 'passkey', prompting: false, error: { code: 'PasskeyNotAllowed', retryable: true } });
    auth.actor.send({ type: 'passkey.start' });
    expect(view(auth)).toMatchObject({ route: 'passkey', prompting: true, busy: true });
    auth.actor.send({ type: 'flow.cancel' });
    expect(view(auth)).toMatchObject({ route: 'passkey', prompting: false, busy: false });
  });
});
