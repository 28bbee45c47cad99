// A confidential app client (GenerateSecret) through every flow of the chart, with createAuth({ clientSecret }) on
// both transports, against the local pool over HTTP, in pools whose usernames are e-mail addresses (the canonical
// name, the sub, differs from what was typed): sign-up with its code (resent) and auto sign-in (SRP, or ConfirmSignUp's
// Session), an unconfirmed account at sign-in, password reset (forgot, or required by an administrator), a temporary
// password, USER_AUTH (EMAIL_OTP, PASSWORD, PASSWORD_SRP, WEB_AUTHN, the factor selection), CUSTOM_WITHOUT_SRP and
// CUSTOM_WITH_SRP (the quiz functions), MFA (setup, selection, TOTP, SMS), refresh by GetTokensFromRefreshToken and by
// the REFRESH_TOKEN_AUTH fallback, sign-out, and a remembered device's challenges.
// Without the secret, or with a wrong one, the first call of each flow is refused with Cognito's error; a later step
// whose hash is dropped, made with another key or computed over the name typed instead of the canonical one is
// refused too (the requests are altered on their way, after the chart made them).
import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListDevicesCommand,
  AdminResetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createAuth, selectView, type Auth, type CreateAuthOptions } from '../../src/index.node.js';
import { rest, until, view, type Snap } from '../support/chart-waits.js';
import { createFetchPort } from '../../src/cognito/fetch-port.js';
import { DeviceStore } from '../../src/session/device-store.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { decodeClaims, TokenStore } from '../../src/session/tokens.js';
import type { SeedUser } from '../../src/local-pool/pools/seed.js';
import type { PasskeyCeremonies } from '../../src/webauthn/ceremonies.js';
import { authenticatorCode } from '../support/authenticator.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';

const PASSWORD = 'Passw0rd!strong';
const NEW_PASSWORD = 'N3w-Passw0rd!strong';
/** Shaped like a client secret (so the pool's input checks pass) and not this client's. */
const WRONG_SECRET = 'wrongsecretwrongsecretwrongsecretwrongsecretwrongse';
const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const TRANSPORTS = ['sdk', 'fetch'] as const;
type Transport = (typeof TRANSPORTS)[number];

interface ClientRef {
  readonly poolId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}
let env: TestPool;
/** password: SRP, plain password and custom auth; choice: USER_AUTH; devices: a pool that remembers every device; mfa: MFA required. */
const clients: Record<'password' | 'choice' | 'devices' | 'mfa', ClientRef> = {} as never;
const POOL_NAMES = new Map<ClientRef, string>();
const running: Auth[] = [];

async function confidentialClient(poolId: string, flows: ExplicitAuthFlowsType[]): Promise<ClientRef> {
  const created = await env.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'server', GenerateSecret: true, ExplicitAuthFlows: flows }));
  return { poolId, clientId: created.UserPoolClient!.ClientId!, clientSecret: created.UserPoolClient!.ClientSecret! };
}

beforeAll(async () => {
  env = await startTestPool({
    functions: resolve(__dirname, '../local-pool/functions'),
    poolName: 'e-mail names',
    poolProperties: {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      // choice-based sign-in with e-mailed codes (Cognito's Essentials tier)
      UserPoolTier: 'ESSENTIALS',
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN'] } },
      LambdaConfig: { DefineAuthChallenge: arn('quiz-define'), CreateAuthChallenge: arn('quiz-create'), VerifyAuthChallengeResponse: arn('quiz-verify') },
    },
  });
  await env.admin.send(
    new SetUserPoolMfaConfigCommand({ UserPoolId: env.userPoolId, MfaConfiguration: 'OFF', WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'preferred' } }),
  );
  clients.password = await confidentialClient(env.userPoolId, ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  clients.choice = await confidentialClient(env.userPoolId, ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  const devicesPool = await env.admin.send(
    new CreateUserPoolCommand({
      PoolName: 'devices',
      UsernameAttributes: ['email'],
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
    }),
  );
  clients.devices = await confidentialClient(devicesPool.UserPool!.Id!, ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  const mfaPool = (await env.admin.send(new CreateUserPoolCommand({ PoolName: 'mfa', UsernameAttributes: ['email'], MfaConfiguration: 'ON' }))).UserPool!.Id!;
  await env.admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: mfaPool,
      MfaConfiguration: 'ON',
      SoftwareTokenMfaConfiguration: { Enabled: true },
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your code is {####}' },
    }),
  );
  clients.mfa = await confidentialClient(mfaPool, ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  POOL_NAMES.set(clients.password, 'e-mail names').set(clients.choice, 'e-mail names').set(clients.devices, 'devices').set(clients.mfa, 'mfa');
}, 30_000);
afterAll(async () => {
  running.splice(0).forEach((a) => a.stop());
  await env.close();
});
afterEach(() => {
  running.splice(0).forEach((a) => a.stop());
  env.pool.clearFaults();
});

let n = 0;
/** A confirmed user of its own with a verified e-mail address (what the user types to sign in), and a verified phone number when given. */
async function user(ref: ClientRef = clients.password, extra: Partial<SeedUser> & { phone?: string } = {}): Promise<string> {
  n += 1;
  const email = `sam${n}@example.com`;
  const { phone, ...seeded } = extra;
  const attributes = { email, email_verified: 'true', ...(phone ? { phone_number: phone, phone_number_verified: 'true' } : {}) };
  env.pool.seed({ pools: [{ id: ref.poolId, name: POOL_NAMES.get(ref)!, users: [{ username: email, password: PASSWORD, attributes, ...seeded }] }] });
  return email;
}
const TOTP_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
/** A software authenticator in place of the browser's passkey prompt. */
const passkeysOf = (authenticator: SoftAuthenticator): PasskeyCeremonies => ({
  supported: () => true,
  get: async (request) => JSON.stringify(authenticator.get(request as never)),
  create: async (options) => JSON.stringify(authenticator.create(options as never)),
});
/** A user of the USER_AUTH client with a passkey registered (signed in with the password, then passkey.register). */
async function userWithPasskey(transport: Transport): Promise<{ email: string; passkeys: PasskeyCeremonies }> {
  const email = await user(clients.choice);
  const passkeys = passkeysOf(new SoftAuthenticator({ origin: 'http://localhost:5173' }));
  const owner = open(transport, { ref: clients.choice, options: { passkeys } });
  await signIn(owner, { username: email, password: PASSWORD, authFlow: 'USER_AUTH', preferredFirstFactor: 'PASSWORD' });
  owner.actor.send({ type: 'passkey.register' });
  await rest(owner);
  expect(view(owner)).toMatchObject({ route: 'signedIn', error: null });
  owner.stop();
  return { email, passkeys };
}
const PHONE = '+15555550100';
/** SMS and TOTP both on, neither preferred: SELECT_MFA_TYPE. */
const PHONE_AND_TOTP = { totpSecret: TOTP_SECRET, mfa: { totp: true, sms: true }, phone: PHONE };
/** The pool takes a TOTP code once: each use moves to the next time step first. */
const nextTotp = (secret: string) => {
  env.clock.advance(30_000);
  return authenticatorCode(secret, env.clock.now());
};
/** Created by an administrator, with PASSWORD as its temporary password. */
async function temporaryUser(): Promise<string> {
  n += 1;
  const email = `temp${n}@example.com`;
  await env.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: env.userPoolId,
      Username: email,
      TemporaryPassword: PASSWORD,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
    }),
  );
  return email;
}
const freshAddress = () => {
  n += 1;
  return `new${n}@example.com`;
};

type Secret = 'right' | 'missing' | 'wrong';
interface Open {
  readonly ref?: ClientRef;
  readonly secret?: Secret;
  readonly storage?: MemoryStorage;
  readonly options?: Partial<CreateAuthOptions>;
}

/** The chart as an app would create it, for a transport and a secret (right, none, another). */
function open(transport: Transport, { ref = clients.password, secret = 'right', storage = new MemoryStorage(), options = {} }: Open = {}): Auth {
  const clientSecret = secret === 'right' ? ref.clientSecret : secret === 'wrong' ? WRONG_SECRET : undefined;
  const auth = createAuth({
    userPoolId: ref.poolId,
    clientId: ref.clientId,
    endpoint: env.pool.url,
    storage,
    transport,
    clock: { now: () => env.clock.now() },
    deviceName: 'Server',
    ...(clientSecret === undefined ? {} : { clientSecret }),
    ...options,
  });
  running.push(auth);
  storages.set(auth, storage);
  return auth;
}
/** The storage each chart was given. */
const storages = new WeakMap<Auth, MemoryStorage>();

// ---------- a request altered on its way: what a client that got the hash wrong at one step would send ----------

const hmac = (key: string, username: string, clientId: string) => createHmac('sha256', key).update(username + clientId).digest('base64');
type Alteration = 'dropped' | 'anotherKey' | 'typedName';
interface Step {
  /** The X-Amz-Target suffix. */
  readonly operation: string;
  /** RespondToAuthChallenge only: which challenge's answer. */
  readonly challengeName?: string;
}

/** How the pool answered each request openAltering altered, per chart: 'ok' or the error's __type. */
const alteredAnswers = new WeakMap<Auth, string[]>();

/** The chart with the right secret over the fetch transport, whose requests for `step` are altered as said. */
function openAltering(step: Step, alteration: Alteration, typed: string, { ref = clients.password, storage = new MemoryStorage(), options = {} }: Open = {}): Auth {
  const answers: string[] = [];
  const altering: typeof fetch = async (url, init) => {
    const target = new Headers(init?.headers).get('X-Amz-Target') ?? '';
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    if (target.endsWith(`.${step.operation}`) && (step.challengeName === undefined || body['ChallengeName'] === step.challengeName)) {
      const responses = (body['ChallengeResponses'] ?? body['AuthParameters']) as Record<string, string> | undefined;
      const holder: Record<string, unknown> = responses ?? body;
      const key = responses ? 'SECRET_HASH' : 'SecretHash';
      if (!(key in holder)) throw new Error(`${step.operation} carried no ${key}`);
      if (alteration === 'dropped') delete holder[key];
      if (alteration === 'anotherKey') holder[key] = hmac(WRONG_SECRET, String(responses?.['USERNAME'] ?? body['Username']), ref.clientId);
      if (alteration === 'typedName') holder[key] = hmac(ref.clientSecret, typed, ref.clientId);
      const answer = await globalThis.fetch(url, { ...init, body: JSON.stringify(body) });
      answers.push(answer.ok ? 'ok' : String(((await answer.clone().json()) as { __type?: string }).__type).split('#').pop()!);
      return answer;
    }
    return globalThis.fetch(url, init);
  };
  const port = createFetchPort({ userPoolId: ref.poolId, clientId: ref.clientId, clientSecret: ref.clientSecret, endpoint: env.pool.url, fetch: altering });
  const auth = createAuth({ userPoolId: ref.poolId, clientId: ref.clientId, storage, port, clock: { now: () => env.clock.now() }, deviceName: 'Server', ...options });
  running.push(auth);
  alteredAnswers.set(auth, answers);
  return auth;
}

// ---------- driving the chart ----------

const operation = (target: string) => target.replace('AWSCognitoIdentityProviderService.', '');
/** The Cognito calls since `mark`, with how the pool answered each (GetUser, the chart's own follow-up, left out). */
const callsSince = (mark: number) =>
  env.pool.requests
    .slice(mark)
    .filter((r) => operation(r.target) !== 'GetUser')
    .map((r) => `${operation(r.target)} ${r.outcome}`);
const latestCode = (ref: ClientRef, to: string) => {
  const messages = env.pool.outbox({ userPoolId: ref.poolId, recipient: to });
  return messages[messages.length - 1]?.code ?? '';
};

async function signedInAs(auth: Auth, typed: string, ref: ClientRef = clients.password): Promise<void> {
  const snapshot = await until(auth, (s) => s.matches('signedIn') && !s.hasTag('busy'));
  expect(view(auth)).toMatchObject({ route: 'signedIn', error: null });
  const claims = decodeClaims((await new TokenStore(storages.get(auth)!, ref.clientId).load())!.accessToken);
  // signed in as the canonical name (the sub), not as the address typed
  expect(claims['username']).toBe(claims['sub']);
  expect(claims['username']).not.toBe(typed);
  expect(snapshot.context.user).toMatchObject({ username: claims['sub'], attributes: { email: typed } });
  // neither the client secret nor a password is left in the chart, or in the snapshot an app would persist
  for (const held of [JSON.stringify(snapshot.context), JSON.stringify(auth.actor.getPersistedSnapshot())]) {
    for (const secret of [ref.clientSecret, PASSWORD, NEW_PASSWORD]) expect(held).not.toContain(secret);
  }
}

async function submitSignUp(auth: Auth, email: string): Promise<Snap> {
  await rest(auth);
  auth.actor.send({ type: 'signUp.start' });
  auth.actor.send({ type: 'signUp.submit', username: email, password: PASSWORD, attributes: { email } });
  return rest(auth);
}
async function signIn(auth: Auth, event: Record<string, unknown>): Promise<Snap> {
  await rest(auth);
  auth.actor.send({ type: 'signIn.submit', ...event } as never);
  return rest(auth);
}
async function answer(auth: Auth, text: string): Promise<Snap> {
  auth.actor.send({ type: 'challenge.answer', answer: text });
  return rest(auth);
}

// A SECRET_HASH left out and a ClientSecret (GetTokensFromRefreshToken) left out are worded differently.
const refusal = (secret: 'missing' | 'wrong', ref: ClientRef, member: 'SECRET_HASH' | 'ClientSecret' = 'SECRET_HASH') => ({
  cognitoName: 'NotAuthorizedException',
  cognitoMessage:
    secret === 'wrong'
      ? `Unable to verify secret hash for client ${ref.clientId}`
      : member === 'ClientSecret'
        ? `Client ${ref.clientId} is configured for secret but secret was not received`
        : `Client ${ref.clientId} is configured with secret but SECRET_HASH was not received`,
});

// ---------- every flow with the right secret ----------

describe.each(TRANSPORTS)('with the secret, over the %s transport', (transport) => {
  it('sign-up: the code resent, confirmed with the e-mailed one, signed in without asking again', async () => {
    const email = freshAddress();
    const auth = open(transport);
    await rest(auth);
    const mark = env.pool.requests.length;
    expect((await submitSignUp(auth, email)).matches({ signingUp: { confirming: 'idle' } })).toBe(true);
    const first = latestCode(clients.password, email);
    auth.actor.send({ type: 'code.resend' });
    await rest(auth);
    const resent = latestCode(clients.password, email);
    expect(resent).not.toBe(first);
    auth.actor.send({ type: 'code.submit', code: resent });
    await signedInAs(auth, email);
    expect(callsSince(mark)).toEqual(['SignUp ok', 'ResendConfirmationCode ok', 'ConfirmSignUp ok', 'InitiateAuth ok', 'RespondToAuthChallenge ok']);
    expect((await env.admin.send(new AdminGetUserCommand({ UserPoolId: env.userPoolId, Username: email }))).UserStatus).toBe('CONFIRMED');
  });

  it('sign-up on a USER_AUTH client: ConfirmSignUp’s Session signs in', async () => {
    const email = freshAddress();
    const auth = open(transport, { ref: clients.choice });
    await rest(auth);
    const mark = env.pool.requests.length;
    await submitSignUp(auth, email);
    auth.actor.send({ type: 'code.submit', code: latestCode(clients.choice, email) });
    await signedInAs(auth, email, clients.choice);
    expect(callsSince(mark)).toEqual(['SignUp ok', 'ConfirmSignUp ok', 'InitiateAuth ok']);
  });

  it('forgot password: the e-mailed code and the new password, then signed in with it', async () => {
    const email = await user();
    const auth = open(transport);
    await rest(auth);
    const mark = env.pool.requests.length;
    auth.actor.send({ type: 'password.forgot', username: email });
    expect(selectView(await rest(auth))).toMatchObject({ route: 'resetPassword' });
    auth.actor.send({ type: 'password.reset', code: latestCode(clients.password, email), newPassword: NEW_PASSWORD, signIn: true });
    await signedInAs(auth, email);
    expect(callsSince(mark)).toEqual(['ForgotPassword ok', 'ConfirmForgotPassword ok', 'InitiateAuth ok', 'RespondToAuthChallenge ok']);
  });

  it('USER_AUTH with EMAIL_OTP: the e-mailed code signs in; with PASSWORD: one call', async () => {
    const email = await user(clients.choice);
    const otp = open(transport, { ref: clients.choice });
    let mark = env.pool.requests.length;
    await signIn(otp, { username: email, authFlow: 'USER_AUTH', preferredFirstFactor: 'EMAIL_OTP' });
    expect(view(otp)).toMatchObject({ route: 'emailCode' });
    otp.actor.send({ type: 'code.submit', code: latestCode(clients.choice, email) });
    await signedInAs(otp, email, clients.choice);
    expect(callsSince(mark)).toEqual(['InitiateAuth ok', 'RespondToAuthChallenge ok']);

    const password = open(transport, { ref: clients.choice });
    mark = env.pool.requests.length;
    await signIn(password, { username: email, password: PASSWORD, authFlow: 'USER_AUTH', preferredFirstFactor: 'PASSWORD' });
    await signedInAs(password, email, clients.choice);
    expect(callsSince(mark)).toEqual(['InitiateAuth ok']);
  });

  it('CUSTOM_WITHOUT_SRP: two rounds answered, signed in', async () => {
    const email = await user();
    const auth = open(transport);
    const mark = env.pool.requests.length;
    await signIn(auth, { username: email, authFlow: 'CUSTOM_WITHOUT_SRP' });
    expect(view(auth)).toMatchObject({ route: 'customChallenge', parameters: { question: 'What is the capital of France?' } });
    await answer(auth, 'Paris');
    await answer(auth, '5');
    await signedInAs(auth, email);
    expect(callsSince(mark)).toEqual(['InitiateAuth ok', 'RespondToAuthChallenge ok', 'RespondToAuthChallenge ok']);
  });

  it('CUSTOM_WITH_SRP: the password proved, then the rounds, signed in', async () => {
    const email = await user();
    const auth = open(transport);
    const mark = env.pool.requests.length;
    await signIn(auth, { username: email, password: PASSWORD, authFlow: 'CUSTOM_WITH_SRP' });
    expect(view(auth)).toMatchObject({ route: 'customChallenge' });
    await answer(auth, 'Paris');
    await answer(auth, '5');
    await signedInAs(auth, email);
    expect(callsSince(mark)).toEqual(['InitiateAuth ok', 'RespondToAuthChallenge ok', 'RespondToAuthChallenge ok', 'RespondToAuthChallenge ok']);
  });

  it('refresh by GetTokensFromRefreshToken, and by REFRESH_TOKEN_AUTH where the server lacks it; sign-out revokes the token', async () => {
    const email = await user();
    const auth = open(transport, { options: { authFlow: 'USER_PASSWORD_AUTH' } });
    await signIn(auth, { username: email, password: PASSWORD });
    await signedInAs(auth, email);
    const signedIn = (await new TokenStore(storages.get(auth)!, clients.password.clientId).load())!.accessToken;

    let mark = env.pool.requests.length;
    const refreshed = await auth.getTokens({ forceRefresh: true });
    expect(refreshed?.accessToken).not.toBe(signedIn);
    expect(callsSince(mark)).toEqual(['GetTokensFromRefreshToken ok']);

    env.pool.injectFault({ operation: 'GetTokensFromRefreshToken', fault: 'unsupported' });
    mark = env.pool.requests.length;
    const fallback = await auth.getTokens({ forceRefresh: true });
    expect(fallback?.accessToken).not.toBe(refreshed?.accessToken);
    expect(callsSince(mark)).toEqual(['GetTokensFromRefreshToken UnsupportedOperationException', 'InitiateAuth ok']);
    await signedInAs(auth, email);

    mark = env.pool.requests.length;
    auth.actor.send({ type: 'session.signOut' });
    await until(auth, (s) => s.matches('signedOut'));
    expect(callsSince(mark)).toEqual(['RevokeToken ok']);
    expect(view(auth)).toMatchObject({ route: 'signIn', error: null });
  });

  it('a remembered device: confirmed after the first sign-in, then DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER; the refresh carries its key', async () => {
    const email = await user(clients.devices);
    const storage = new MemoryStorage();
    const first = open(transport, { ref: clients.devices, storage });
    await signIn(first, { username: email, password: PASSWORD });
    await signedInAs(first, email, clients.devices);
    const canonical = first.actor.getSnapshot().context.user!.username;
    const device = await new DeviceStore(storage, clients.devices.clientId).load(canonical);
    expect(device).not.toBeNull();
    first.actor.send({ type: 'session.signOut' });
    await until(first, (s) => s.matches('signedOut'));
    first.stop();

    const again = open(transport, { ref: clients.devices, storage });
    let mark = env.pool.requests.length;
    await signIn(again, { username: email, password: PASSWORD });
    await signedInAs(again, email, clients.devices);
    // PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER
    expect(callsSince(mark)).toEqual(['InitiateAuth ok', 'RespondToAuthChallenge ok', 'RespondToAuthChallenge ok', 'RespondToAuthChallenge ok']);
    const claims = decodeClaims((await new TokenStore(storage, clients.devices.clientId).load())!.accessToken);
    expect(claims['device_key']).toBe(device!.deviceKey);

    mark = env.pool.requests.length;
    expect(await again.getTokens({ forceRefresh: true })).not.toBeNull();
    expect(callsSince(mark)).toEqual(['GetTokensFromRefreshToken ok']);
    const [listed] = (await env.admin.send(new AdminListDevicesCommand({ UserPoolId: clients.devices.poolId, Username: email }))).Devices ?? [];
    expect(listed?.DeviceKey).toBe(device!.deviceKey);
  });

  it('USER_AUTH without a preference: the factor chosen (SELECT_CHALLENGE), EMAIL_OTP or PASSWORD_SRP, signed in', async () => {
    const email = await user(clients.choice);
    const otp = open(transport, { ref: clients.choice });
    let mark = env.pool.requests.length;
    await signIn(otp, { username: email, authFlow: 'USER_AUTH' });
    expect(view(otp)).toMatchObject({ route: 'firstFactorSelection' });
    otp.actor.send({ type: 'factor.select', factor: 'EMAIL_OTP' });
    expect(selectView(await rest(otp))).toMatchObject({ route: 'emailCode' });
    otp.actor.send({ type: 'code.submit', code: latestCode(clients.choice, email) });
    await signedInAs(otp, email, clients.choice);
    expect(callsSince(mark)).toEqual(['InitiateAuth ok', 'RespondToAuthChallenge ok', 'RespondToAuthChallenge ok']);

    const srp = open(transport, { ref: clients.choice });
    mark = env.pool.requests.length;
    await signIn(srp, { username: email, password: PASSWORD, authFlow: 'USER_AUTH', preferredFirstFactor: 'PASSWORD_SRP' });
    await signedInAs(srp, email, clients.choice);
    expect(callsSince(mark)).toEqual(['InitiateAuth ok', 'RespondToAuthChallenge ok']);
  });

  it('USER_AUTH with WEB_AUTHN: a passkey registered, then signed in with it', async () => {
    const { email, passkeys } = await userWithPasskey(transport);
    const auth = open(transport, { ref: clients.choice, options: { passkeys } });
    const mark = env.pool.requests.length;
    await signIn(auth, { username: email, authFlow: 'USER_AUTH', preferredFirstFactor: 'WEB_AUTHN' });
    expect(view(auth)).toMatchObject({ route: 'passkey' });
    auth.actor.send({ type: 'passkey.start' });
    await signedInAs(auth, email, clients.choice);
    expect(callsSince(mark)).toEqual(['InitiateAuth ok', 'RespondToAuthChallenge ok']);
  });

  it('a temporary password: NEW_PASSWORD_REQUIRED answered, signed in', async () => {
    const email = await temporaryUser();
    const auth = open(transport);
    const mark = env.pool.requests.length;
    await signIn(auth, { username: email, password: PASSWORD });
    expect(view(auth)).toMatchObject({ route: 'newPassword' });
    auth.actor.send({ type: 'password.submit', newPassword: NEW_PASSWORD });
    await signedInAs(auth, email);
    expect(callsSince(mark)).toEqual(['InitiateAuth ok', 'RespondToAuthChallenge ok', 'RespondToAuthChallenge ok']);
  });

  it('an unconfirmed account at sign-in: the code resent, confirmed, signed in with the password typed', async () => {
    const email = freshAddress();
    const first = open(transport);
    await rest(first);
    first.actor.send({ type: 'signUp.start' });
    first.actor.send({ type: 'signUp.submit', username: email, password: PASSWORD, attributes: { email }, autoSignIn: false });
    await rest(first);
    first.stop();
    const auth = open(transport, { options: { authFlow: 'USER_PASSWORD_AUTH' } });
    const mark = env.pool.requests.length;
    await signIn(auth, { username: email, password: PASSWORD });
    expect(view(auth)).toMatchObject({ route: 'confirmSignUp' });
    auth.actor.send({ type: 'code.resend' });
    await rest(auth);
    auth.actor.send({ type: 'code.submit', code: latestCode(clients.password, email) });
    await signedInAs(auth, email);
    expect(callsSince(mark)).toEqual(['InitiateAuth UserNotConfirmedException', 'ResendConfirmationCode ok', 'ConfirmSignUp ok', 'InitiateAuth ok']);
  });

  it('a password reset by the administrator: RESET_PASSWORD from sign-in, the code, signed in', async () => {
    const email = await user();
    await env.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: env.userPoolId, Username: email }));
    const auth = open(transport);
    const mark = env.pool.requests.length;
    await signIn(auth, { username: email, password: PASSWORD });
    expect(view(auth)).toMatchObject({ route: 'resetPassword' });
    auth.actor.send({ type: 'password.reset', code: latestCode(clients.password, email), newPassword: NEW_PASSWORD, signIn: true });
    await signedInAs(auth, email);
    // the SRP proof first: Cognito tells of the reset once the password is proven
    expect(callsSince(mark)).toEqual([
      'InitiateAuth ok',
      'RespondToAuthChallenge PasswordResetRequiredException',
      'ConfirmForgotPassword ok',
      'InitiateAuth ok',
      'RespondToAuthChallenge ok',
    ]);
  });

  it('MFA required: set up TOTP while signing in (MFA_SETUP), then SOFTWARE_TOKEN_MFA; SELECT_MFA_TYPE, then SMS_MFA', async () => {
    const fresh = await user(clients.mfa);
    const setup = open(transport, { ref: clients.mfa });
    let mark = env.pool.requests.length;
    await signIn(setup, { username: fresh, password: PASSWORD });
    // TOTP is the one factor a user sets up here (SMS needs a phone number)
    expect(view(setup)).toMatchObject({ route: 'totpSetup' });
    const secret = setup.actor.getSnapshot().context.totpSetup!.sharedSecret;
    setup.actor.send({ type: 'code.submit', code: nextTotp(secret) });
    await signedInAs(setup, fresh, clients.mfa);
    expect(callsSince(mark)).toEqual(['InitiateAuth ok', 'RespondToAuthChallenge ok', 'AssociateSoftwareToken ok', 'VerifySoftwareToken ok', 'RespondToAuthChallenge ok']);

    const totp = open(transport, { ref: clients.mfa });
    mark = env.pool.requests.length;
    await signIn(totp, { username: fresh, password: PASSWORD });
    expect(view(totp)).toMatchObject({ route: 'totpCode' });
    totp.actor.send({ type: 'code.submit', code: nextTotp(secret) });
    await signedInAs(totp, fresh, clients.mfa);
    expect(callsSince(mark)).toEqual(['InitiateAuth ok', 'RespondToAuthChallenge ok', 'RespondToAuthChallenge ok']);

    const both = await user(clients.mfa, PHONE_AND_TOTP);
    const select = open(transport, { ref: clients.mfa });
    mark = env.pool.requests.length;
    await signIn(select, { username: both, password: PASSWORD });
    expect(view(select)).toMatchObject({ route: 'mfaSelection' });
    select.actor.send({ type: 'mfa.select', mfaType: 'SMS' });
    expect(selectView(await rest(select))).toMatchObject({ route: 'smsCode' });
    select.actor.send({ type: 'code.submit', code: latestCode(clients.mfa, PHONE) });
    await signedInAs(select, both, clients.mfa);
    expect(callsSince(mark)).toEqual(['InitiateAuth ok', 'RespondToAuthChallenge ok', 'RespondToAuthChallenge ok', 'RespondToAuthChallenge ok']);
  });
});

// ---------- without the secret, or with another: the first call of each flow ----------

/** Each flow up to its first call's answer. */
const FIRST_CALLS: ReadonlyArray<readonly [string, () => ClientRef, (auth: Auth, email: string) => Promise<unknown>, boolean]> = [
  ['sign-up (SignUp)', () => clients.password, (auth, email) => submitSignUp(auth, email), false],
  [
    'forgot password (ForgotPassword)',
    () => clients.password,
    async (auth, email) => {
      await rest(auth);
      auth.actor.send({ type: 'password.forgot', username: email });
      return rest(auth);
    },
    true,
  ],
  ['USER_AUTH with EMAIL_OTP (InitiateAuth)', () => clients.choice, (auth, email) => signIn(auth, { username: email, authFlow: 'USER_AUTH', preferredFirstFactor: 'EMAIL_OTP' }), true],
  ['USER_AUTH with PASSWORD (InitiateAuth)', () => clients.choice, (auth, email) => signIn(auth, { username: email, password: PASSWORD, authFlow: 'USER_AUTH', preferredFirstFactor: 'PASSWORD' }), true],
  ['CUSTOM_WITHOUT_SRP (InitiateAuth)', () => clients.password, (auth, email) => signIn(auth, { username: email, authFlow: 'CUSTOM_WITHOUT_SRP' }), true],
  ['CUSTOM_WITH_SRP (InitiateAuth)', () => clients.password, (auth, email) => signIn(auth, { username: email, password: PASSWORD, authFlow: 'CUSTOM_WITH_SRP' }), true],
  ['USER_SRP_AUTH to a remembered device’s pool (InitiateAuth)', () => clients.devices, (auth, email) => signIn(auth, { username: email, password: PASSWORD }), true],
];

describe.each(TRANSPORTS)('over the %s transport', (transport) => {
  describe.each(['missing', 'wrong'] as const)('with the secret %s', (secret) => {
    it.each(FIRST_CALLS.map(([name, ref, run, existing]) => ({ name, ref, run, existing })))('$name is refused with Cognito’s error', async ({ ref, run, existing }) => {
      const client = ref();
      const email = existing ? await user(client) : freshAddress();
      const auth = open(transport, { ref: client, secret });
      await rest(auth);
      const mark = env.pool.requests.length;
      await run(auth, email);
      expect(auth.actor.getSnapshot().context.error).toMatchObject({ code: 'SecretHashMismatch', ...refusal(secret, client) });
      expect(callsSince(mark)).toEqual([expect.stringMatching(/ NotAuthorizedException$/)]);
    });

    it('refresh: GetTokensFromRefreshToken and the REFRESH_TOKEN_AUTH fallback are refused', async () => {
      const email = await user();
      const storage = new MemoryStorage();
      const good = open(transport, { storage, options: { authFlow: 'USER_PASSWORD_AUTH' } });
      await signIn(good, { username: email, password: PASSWORD });
      await until(good, (s) => s.matches('signedIn'));
      good.stop();

      // the same stored session, in a chart given no secret or another one
      const auth = open(transport, { storage, secret });
      await until(auth, (s) => s.matches('signedIn'));
      let mark = env.pool.requests.length;
      // refused: no old token handed out as if it were new
      await expect(auth.getTokens({ forceRefresh: true })).rejects.toMatchObject(refusal(secret, clients.password, 'ClientSecret'));
      expect(callsSince(mark)).toEqual(['GetTokensFromRefreshToken NotAuthorizedException']);
      expect(auth.actor.getSnapshot().context.error).toMatchObject(refusal(secret, clients.password, 'ClientSecret'));

      // refused for the client, not for the session: still signed in, the tokens kept
      expect(auth.actor.getSnapshot().matches('signedIn')).toBe(true);
      env.pool.injectFault({ operation: 'GetTokensFromRefreshToken', fault: 'unsupported' });
      mark = env.pool.requests.length;
      // refused: no old token handed out as if it were new
      await expect(auth.getTokens({ forceRefresh: true })).rejects.toMatchObject(refusal(secret, clients.password));
      expect(callsSince(mark)).toEqual(['GetTokensFromRefreshToken UnsupportedOperationException', 'InitiateAuth NotAuthorizedException']);
      expect(auth.actor.getSnapshot().context.error).toMatchObject(refusal(secret, clients.password));
    });
  });
});

// ---------- a later step's hash dropped, made with another key, or over the name typed ----------

describe('each later step checks its own hash', () => {
  const accountSteps = [
    { operation: 'ResendConfirmationCode' },
    { operation: 'ConfirmSignUp' },
    { operation: 'ConfirmForgotPassword' },
  ] as const;

  describe.each(['dropped', 'anotherKey'] as const)('the hash %s', (alteration) => {
    const secret = alteration === 'dropped' ? 'missing' : 'wrong';
    it.each(accountSteps)('$operation is refused', async (step) => {
      const forgot = step.operation === 'ConfirmForgotPassword';
      const email = forgot ? await user() : freshAddress();
      const auth = openAltering(step, alteration, email);
      if (forgot) {
        await rest(auth);
        auth.actor.send({ type: 'password.forgot', username: email });
        await rest(auth);
      } else {
        await submitSignUp(auth, email);
      }
      const mark = env.pool.requests.length;
      if (step.operation === 'ResendConfirmationCode') auth.actor.send({ type: 'code.resend' });
      if (step.operation === 'ConfirmSignUp') auth.actor.send({ type: 'code.submit', code: latestCode(clients.password, email) });
      if (forgot) auth.actor.send({ type: 'password.reset', code: latestCode(clients.password, email), newPassword: NEW_PASSWORD, signIn: true });
      await rest(auth);
      expect(callsSince(mark)).toEqual([`${step.operation} NotAuthorizedException`]);
      expect(auth.actor.getSnapshot().context.error).toMatchObject(refusal(secret, clients.password));
      // the one request altered is the one refused
      expect(alteredAnswers.get(auth)).toEqual(['NotAuthorizedException']);
    });
  });

  // The name typed is the e-mail address; every challenge answer must be hashed with the sub.
  const challengeSteps: ReadonlyArray<{
    name: string;
    step: Step;
    ref: () => ClientRef;
    reach: (auth: Auth, email: string) => Promise<unknown>;
    /** The user's MFA and phone number, when it has some. */
    seed?: Parameters<typeof user>[1];
    /** An administrator created the user with a temporary password. */
    temporary?: true;
    /** The user registered a passkey first. */
    passkey?: true;
  }> = [
    {
      name: 'PASSWORD_VERIFIER (USER_SRP_AUTH)',
      step: { operation: 'RespondToAuthChallenge', challengeName: 'PASSWORD_VERIFIER' },
      ref: () => clients.password,
      reach: (auth, email) => signIn(auth, { username: email, password: PASSWORD, authFlow: 'USER_SRP_AUTH' }),
    },
    {
      name: 'EMAIL_OTP (USER_AUTH)',
      step: { operation: 'RespondToAuthChallenge', challengeName: 'EMAIL_OTP' },
      ref: () => clients.choice,
      reach: async (auth, email) => {
        await signIn(auth, { username: email, authFlow: 'USER_AUTH', preferredFirstFactor: 'EMAIL_OTP' });
        auth.actor.send({ type: 'code.submit', code: latestCode(clients.choice, email) });
        return rest(auth);
      },
    },
    {
      name: 'CUSTOM_CHALLENGE (CUSTOM_WITHOUT_SRP)',
      step: { operation: 'RespondToAuthChallenge', challengeName: 'CUSTOM_CHALLENGE' },
      ref: () => clients.password,
      reach: async (auth, email) => {
        await signIn(auth, { username: email, authFlow: 'CUSTOM_WITHOUT_SRP' });
        return answer(auth, 'Paris');
      },
    },
    {
      name: 'PASSWORD_VERIFIER (CUSTOM_WITH_SRP)',
      step: { operation: 'RespondToAuthChallenge', challengeName: 'PASSWORD_VERIFIER' },
      ref: () => clients.password,
      reach: (auth, email) => signIn(auth, { username: email, password: PASSWORD, authFlow: 'CUSTOM_WITH_SRP' }),
    },
    {
      name: 'SELECT_CHALLENGE (USER_AUTH)',
      step: { operation: 'RespondToAuthChallenge', challengeName: 'SELECT_CHALLENGE' },
      ref: () => clients.choice,
      reach: async (auth, email) => {
        await signIn(auth, { username: email, authFlow: 'USER_AUTH' });
        auth.actor.send({ type: 'factor.select', factor: 'EMAIL_OTP' });
        return rest(auth);
      },
    },
    {
      name: 'WEB_AUTHN (USER_AUTH)',
      step: { operation: 'RespondToAuthChallenge', challengeName: 'WEB_AUTHN' },
      ref: () => clients.choice,
      passkey: true,
      reach: async (auth, email) => {
        await signIn(auth, { username: email, authFlow: 'USER_AUTH', preferredFirstFactor: 'WEB_AUTHN' });
        auth.actor.send({ type: 'passkey.start' });
        return rest(auth);
      },
    },
    {
      name: 'SOFTWARE_TOKEN_MFA',
      step: { operation: 'RespondToAuthChallenge', challengeName: 'SOFTWARE_TOKEN_MFA' },
      ref: () => clients.mfa,
      seed: { totpSecret: TOTP_SECRET, mfa: { totp: true, preferred: 'TOTP' } },
      reach: async (auth, email) => {
        await signIn(auth, { username: email, password: PASSWORD });
        auth.actor.send({ type: 'code.submit', code: nextTotp(TOTP_SECRET) });
        return rest(auth);
      },
    },
    {
      name: 'SELECT_MFA_TYPE',
      step: { operation: 'RespondToAuthChallenge', challengeName: 'SELECT_MFA_TYPE' },
      ref: () => clients.mfa,
      seed: PHONE_AND_TOTP,
      reach: async (auth, email) => {
        await signIn(auth, { username: email, password: PASSWORD });
        auth.actor.send({ type: 'mfa.select', mfaType: 'TOTP' });
        return rest(auth);
      },
    },
    {
      name: 'MFA_SETUP',
      step: { operation: 'RespondToAuthChallenge', challengeName: 'MFA_SETUP' },
      ref: () => clients.mfa,
      reach: async (auth, email) => {
        const enrolling = await signIn(auth, { username: email, password: PASSWORD });
        auth.actor.send({ type: 'code.submit', code: nextTotp(enrolling.context.totpSetup!.sharedSecret) });
        return rest(auth);
      },
    },
    {
      name: 'NEW_PASSWORD_REQUIRED',
      step: { operation: 'RespondToAuthChallenge', challengeName: 'NEW_PASSWORD_REQUIRED' },
      ref: () => clients.password,
      temporary: true,
      reach: async (auth, email) => {
        await signIn(auth, { username: email, password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' });
        auth.actor.send({ type: 'password.submit', newPassword: NEW_PASSWORD });
        return rest(auth);
      },
    },
    {
      name: 'the auto sign-in after sign-up (PASSWORD_VERIFIER)',
      step: { operation: 'RespondToAuthChallenge', challengeName: 'PASSWORD_VERIFIER' },
      ref: () => clients.password,
      reach: async (auth, email) => {
        await submitSignUp(auth, email);
        auth.actor.send({ type: 'code.submit', code: latestCode(clients.password, email) });
        return rest(auth);
      },
    },
  ];

  describe.each(['dropped', 'typedName'] as const)('the hash %s', (alteration) => {
    const secret = alteration === 'dropped' ? 'missing' : 'wrong';
    it.each(challengeSteps)('$name is refused', async ({ step, ref, reach, name, seed, temporary, passkey }) => {
      const client = ref();
      const withPasskey = passkey ? await userWithPasskey('fetch') : undefined;
      const email = withPasskey?.email ?? (name.startsWith('the auto sign-in') ? freshAddress() : temporary ? await temporaryUser() : await user(client, seed));
      const auth = openAltering(step, alteration, email, { ref: client, options: withPasskey ? { passkeys: withPasskey.passkeys } : {} });
      const mark = env.pool.requests.length;
      await reach(auth, email);
      const calls = callsSince(mark);
      expect(calls[calls.length - 1]).toBe('RespondToAuthChallenge NotAuthorizedException');
      expect(calls.slice(0, -1).every((call) => call.endsWith(' ok'))).toBe(true);
      expect(auth.actor.getSnapshot().context.error).toMatchObject(refusal(secret, client));
      // the one request altered is the one refused (not an earlier step's, let through)
      expect(alteredAnswers.get(auth)).toEqual(['NotAuthorizedException']);
    });

    it.each(['DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER'])('%s (a remembered device) is refused', async (challengeName) => {
      const email = await user(clients.devices);
      const storage = new MemoryStorage();
      const first = open('fetch', { ref: clients.devices, storage });
      await signIn(first, { username: email, password: PASSWORD });
      await until(first, (s) => s.matches('signedIn') && !s.hasTag('busy'));
      first.actor.send({ type: 'session.signOut' });
      await until(first, (s) => s.matches('signedOut'));
      first.stop();

      const auth = openAltering({ operation: 'RespondToAuthChallenge', challengeName }, alteration, email, { ref: clients.devices, storage });
      const mark = env.pool.requests.length;
      await signIn(auth, { username: email, password: PASSWORD });
      const calls = callsSince(mark);
      expect(calls).toEqual([
        'InitiateAuth ok',
        'RespondToAuthChallenge ok',
        ...(challengeName === 'DEVICE_PASSWORD_VERIFIER' ? ['RespondToAuthChallenge ok'] : []),
        'RespondToAuthChallenge NotAuthorizedException',
      ]);
      expect(auth.actor.getSnapshot().context.error).toMatchObject(refusal(secret, clients.devices));
      expect(alteredAnswers.get(auth)).toEqual(['NotAuthorizedException']);
    });
  });
});
