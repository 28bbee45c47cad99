// Account flows through the chart, with the real SDK port over HTTP, against a local pool started here:
// sign-up (policy and schema errors, codes, resend, auto sign-in both ways), password reset from both entries,
// and the signed-in account (attributes and their verification, password change, deletion). Codes come from
// the pool's outbox; Cognito calls are compared with what Amplify JS v6 makes for the same flows.
import { waitFor, type SnapshotFrom } from 'xstate';
import { AdminGetUserCommand, AdminResetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createAuth, selectView, type Auth, type AuthMachine } from '../../src/index.node.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { TokenStore } from '../../src/session/tokens.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';

const PASSWORD = 'Passw0rd!strong';
const NEW_PASSWORD = 'N3w-Passw0rd!strong';
let env: TestPool;
let clientId: string;
const running: Auth[] = [];

beforeAll(async () => {
  env = await startTestPool({
    poolProperties: {
      Policies: { PasswordPolicy: { MinimumLength: 10, RequireNumbers: true, RequireUppercase: true, RequireLowercase: true, RequireSymbols: false } },
      Schema: [{ Name: 'name', Required: true, AttributeDataType: 'String', Mutable: true }],
      AutoVerifiedAttributes: ['email'],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    },
  });
  ({ clientId } = await env.createClient({ PreventUserExistenceErrors: 'ENABLED' }));
});
afterAll(async () => {
  running.splice(0).forEach((a) => a.stop());
  await env.close();
});
afterEach(() => running.splice(0).forEach((a) => a.stop()));

function client(options: { authFlow?: 'USER_PASSWORD_AUTH' } = {}) {
  const storage = new MemoryStorage();
  // The chart reads the pool's clock, so SRP timestamps stay right while a test moves time forward.
  const auth = createAuth({
    userPoolId: env.userPoolId,
    clientId,
    endpoint: env.pool.url,
    storage,
    clock: { now: () => env.clock.now() },
    ...(options.authFlow ? { authFlow: options.authFlow } : {}),
  });
  running.push(auth);
  return { auth, tokens: new TokenStore(storage, clientId) };
}
type Snap = SnapshotFrom<AuthMachine>;
const until = (auth: Auth, predicate: (s: Snap) => boolean) =>
  waitFor(auth.actor, predicate, { timeout: 10_000 }).catch((error: unknown) => {
    const s = auth.actor.getSnapshot();
    throw new Error(`${String(error)}; the chart is at ${JSON.stringify(s.value)} with error ${JSON.stringify(s.context.error)}`);
  });
const rest = (auth: Auth) => until(auth, (s) => !s.hasTag('busy') && !s.matches('checkingSession'));
const requestsSince = (mark: number) => env.pool.requests.slice(mark).map((r) => r.target.replace('AWSCognitoIdentityProviderService.', ''));
const latestCode = (to: string) => {
  const messages = env.pool.outbox({ userPoolId: env.userPoolId, recipient: to });
  return messages[messages.length - 1]?.code ?? '';
};
let n = 0;
const fresh = () => {
  n += 1;
  return { username: `newbie${n}`, email: `newbie${n}@example.com` };
};

async function startSignUp(auth: Auth, username: string, attributes: Record<string, string>, password = PASSWORD, autoSignIn = true) {
  await rest(auth);
  auth.actor.send({ type: 'signUp.start' });
  auth.actor.send({ type: 'signUp.submit', username, password, attributes, ...(autoSignIn ? {} : { autoSignIn: false }) });
  return rest(auth);
}

describe('sign-up', () => {
  it('signs up, confirms with the e-mailed code, and is signed in without asking again (4 calls, as Amplify with SRP)', async () => {
    const { auth, tokens } = client();
    const { username, email } = fresh();
    await rest(auth);
    const mark = env.pool.requests.length;
    const confirming = await startSignUp(auth, username, { email, name: 'New Bie' });
    expect(confirming.matches({ signingUp: { confirming: 'idle' } })).toBe(true);
    expect(selectView(confirming)).toMatchObject({ route: 'confirmSignUp', signInStep: 'CONFIRM_SIGN_UP', codeDelivery: { deliveryMedium: 'EMAIL', destination: expect.stringMatching(/^n\*+@e\*+/) } });
    expect(JSON.stringify(auth.actor.getPersistedSnapshot())).not.toContain(PASSWORD);
    auth.actor.send({ type: 'code.submit', code: latestCode(email) });
    const signedIn = await until(auth, (s) => s.matches('signedIn'));
    expect(signedIn.context.user?.username).toBe(username);
    expect(requestsSince(mark)).toEqual(['SignUp', 'ConfirmSignUp', 'InitiateAuth', 'RespondToAuthChallenge']);
    expect(await tokens.load()).not.toBeNull();
    const user = await env.admin.send(new AdminGetUserCommand({ UserPoolId: env.userPoolId, Username: username }));
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'email_verified', Value: 'true' }]));
  });

  it('with a USER_AUTH app client: ConfirmSignUp’s Session signs in (3 calls, as Amplify’s autoSignIn), no password kept in use', async () => {
    const { CreateUserPoolClientCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    const userAuthClient = (
      await env.admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: env.userPoolId,
          ClientName: 'user-auth',
          ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      )
    ).UserPoolClient!.ClientId!;
    const auth = createAuth({ userPoolId: env.userPoolId, clientId: userAuthClient, endpoint: env.pool.url, storage: new MemoryStorage(), clock: { now: () => env.clock.now() } });
    running.push(auth);
    const { username, email } = fresh();
    await rest(auth);
    const mark = env.pool.requests.length;
    const confirming = await startSignUp(auth, username, { email, name: 'Session User' });
    expect(confirming.context.session).not.toBeNull();
    auth.actor.send({ type: 'code.submit', code: latestCode(email) });
    const signedIn = await until(auth, (s) => s.matches('signedIn'));
    expect(signedIn.context.user?.username).toBe(username);
    expect(requestsSince(mark)).toEqual(['SignUp', 'ConfirmSignUp', 'InitiateAuth']);
    expect(signedIn.context.user?.signInDetails).toMatchObject({ loginId: username, authFlowType: 'USER_AUTH' });
  });

  it('without auto sign-in: back to sign-in with the username filled', async () => {
    const { auth } = client();
    const { username, email } = fresh();
    await startSignUp(auth, username, { email, name: 'New Bie' }, PASSWORD, false);
    auth.actor.send({ type: 'code.submit', code: latestCode(email) });
    const out = await until(auth, (s) => s.matches('signedOut'));
    expect(selectView(out)).toMatchObject({ route: 'signIn', username, error: null });
  });

  it('the password policy and the required attributes come back as typed errors naming the field', async () => {
    const { auth } = client();
    const { username, email } = fresh();
    const weak = await startSignUp(auth, username, { email, name: 'X' }, 'short1A');
    expect(weak.matches({ signingUp: 'form' })).toBe(true);
    expect(weak.context.error).toMatchObject({ code: 'InvalidPassword', field: 'password', cognitoName: 'InvalidPasswordException' });
    auth.actor.send({ type: 'signUp.submit', username, password: PASSWORD, attributes: { email } });
    const missing = await rest(auth);
    expect(missing.context.error).toMatchObject({ code: 'MissingAttributes', field: 'attributes' });
    expect(missing.context.error?.cognitoMessage).toMatch(/name/);
  });

  it('an existing username is UsernameExists on the username field', async () => {
    const { auth } = client();
    const { username, email } = fresh();
    await env.createUser(username, PASSWORD, { attributes: { email, name: 'Taken' } });
    const taken = await startSignUp(auth, username, { email: `other-${email}`, name: 'Other' });
    expect(taken.context.error).toMatchObject({ code: 'UsernameExists', field: 'username' });
  });

  it('a wrong code stays in the step; resend sends a new code (the old one no longer works); the new one confirms', async () => {
    const { auth } = client();
    const { username, email } = fresh();
    await startSignUp(auth, username, { email, name: 'New Bie' });
    const first = latestCode(email);
    auth.actor.send({ type: 'code.submit', code: first === '000000' ? '111111' : '000000' });
    const wrong = await rest(auth);
    expect(wrong.matches({ signingUp: { confirming: 'idle' } })).toBe(true);
    expect(wrong.context.error).toMatchObject({ code: 'CodeMismatch', field: 'code' });
    auth.actor.send({ type: 'code.resend' });
    await rest(auth);
    const second = latestCode(email);
    expect(second).not.toBe(first);
    auth.actor.send({ type: 'code.submit', code: first });
    expect((await rest(auth)).context.error?.code).toMatch(/CodeMismatch|ExpiredCode/);
    auth.actor.send({ type: 'code.submit', code: second });
    await until(auth, (s) => s.matches('signedIn'));
  });

  it('an expired code is ExpiredCode and a resend recovers', async () => {
    const { auth } = client();
    const { username, email } = fresh();
    await startSignUp(auth, username, { email, name: 'New Bie' });
    env.clock.advance(25 * 3600_000);
    auth.actor.send({ type: 'code.submit', code: latestCode(email) });
    expect((await rest(auth)).context.error?.code).toBe('ExpiredCode');
    auth.actor.send({ type: 'code.resend' });
    await rest(auth);
    auth.actor.send({ type: 'code.submit', code: latestCode(email) });
    await until(auth, (s) => s.matches('signedIn'));
  });

  it('UserNotConfirmed at sign-in lands in the same step; resend and confirm sign in with the password typed', async () => {
    const first = client();
    const { username, email } = fresh();
    await startSignUp(first.auth, username, { email, name: 'Later' }, PASSWORD, false);
    first.auth.stop();
    const { auth } = client({ authFlow: 'USER_PASSWORD_AUTH' });
    await rest(auth);
    auth.actor.send({ type: 'signIn.submit', username, password: PASSWORD });
    const step = await rest(auth);
    expect(step.matches({ signingUp: { confirming: 'idle' } })).toBe(true);
    expect(selectView(step)).toMatchObject({ route: 'confirmSignUp', username, canResend: true });
    auth.actor.send({ type: 'code.resend' });
    await rest(auth);
    auth.actor.send({ type: 'code.submit', code: latestCode(email) });
    await until(auth, (s) => s.matches('signedIn'));
  });
});

describe('password reset', () => {
  it('forgot password: the code goes to the verified e-mail; the new password signs in when asked (ForgotPassword, ConfirmForgotPassword, then the sign-in)', async () => {
    const { username, email } = fresh();
    await env.createUser(username, PASSWORD, { attributes: { email, email_verified: 'true', name: 'Forgetful' } });
    const { auth } = client({ authFlow: 'USER_PASSWORD_AUTH' });
    await rest(auth);
    const mark = env.pool.requests.length;
    auth.actor.send({ type: 'password.forgot', username });
    const step = await rest(auth);
    expect(selectView(step)).toMatchObject({ route: 'resetPassword', signInStep: 'RESET_PASSWORD', codeDelivery: { deliveryMedium: 'EMAIL' } });
    auth.actor.send({ type: 'password.reset', code: latestCode(email), newPassword: NEW_PASSWORD, signIn: true });
    await until(auth, (s) => s.matches('signedIn'));
    expect(requestsSince(mark)).toEqual(['ForgotPassword', 'ConfirmForgotPassword', 'InitiateAuth']);
    expect(JSON.stringify(auth.actor.getPersistedSnapshot())).not.toContain(NEW_PASSWORD);
  });

  it('without signing in: back to sign-in; the old password no longer works, the new one does', async () => {
    const { username, email } = fresh();
    await env.createUser(username, PASSWORD, { attributes: { email, email_verified: 'true', name: 'Forgetful' } });
    const { auth } = client({ authFlow: 'USER_PASSWORD_AUTH' });
    await rest(auth);
    auth.actor.send({ type: 'password.forgot', username });
    await rest(auth);
    auth.actor.send({ type: 'password.reset', code: latestCode(email), newPassword: NEW_PASSWORD });
    const out = await until(auth, (s) => s.matches('signedOut'));
    expect(selectView(out)).toMatchObject({ route: 'signIn', username });
    auth.actor.send({ type: 'signIn.submit', username, password: PASSWORD });
    expect((await rest(auth)).context.error?.code).toBe('IncorrectUsernameOrPassword');
    auth.actor.send({ type: 'signIn.submit', username, password: NEW_PASSWORD });
    await until(auth, (s) => s.matches('signedIn'));
  });

  it('RESET_PASSWORD from sign-in after an administrator reset: the admin-sent code works, no extra ForgotPassword', async () => {
    const { username, email } = fresh();
    await env.createUser(username, PASSWORD, { attributes: { email, email_verified: 'true', name: 'Reset' } });
    await env.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: env.userPoolId, Username: username }));
    const { auth } = client({ authFlow: 'USER_PASSWORD_AUTH' });
    await rest(auth);
    const mark = env.pool.requests.length;
    auth.actor.send({ type: 'signIn.submit', username, password: PASSWORD });
    const step = await rest(auth);
    expect(step.matches({ resettingPassword: { confirming: 'idle' } })).toBe(true);
    auth.actor.send({ type: 'password.reset', code: latestCode(email), newPassword: NEW_PASSWORD, signIn: true });
    await until(auth, (s) => s.matches('signedIn'));
    expect(requestsSince(mark)).toEqual(['InitiateAuth', 'ConfirmForgotPassword', 'InitiateAuth']);
  });

  it('a wrong reset code stays in the step with CodeMismatch; a weak new password with InvalidPassword', async () => {
    const { username, email } = fresh();
    await env.createUser(username, PASSWORD, { attributes: { email, email_verified: 'true', name: 'Careful' } });
    const { auth } = client();
    await rest(auth);
    auth.actor.send({ type: 'password.forgot', username });
    await rest(auth);
    const code = latestCode(email);
    auth.actor.send({ type: 'password.reset', code: code === '000000' ? '111111' : '000000', newPassword: NEW_PASSWORD });
    const wrong = await rest(auth);
    expect(wrong.matches({ resettingPassword: { confirming: 'idle' } })).toBe(true);
    expect(wrong.context.error?.code).toBe('CodeMismatch');
    auth.actor.send({ type: 'password.reset', code, newPassword: 'weak' });
    expect((await rest(auth)).context.error).toMatchObject({ code: 'InvalidPassword', field: 'password' });
  });

  it('an unknown user gets a code delivery all the same (PreventUserExistenceErrors), and no message is sent', async () => {
    const { auth } = client();
    await rest(auth);
    const before = env.pool.outbox({ userPoolId: env.userPoolId }).length;
    auth.actor.send({ type: 'password.forgot', username: 'nobody-at-all' });
    const step = await rest(auth);
    expect(step.matches({ resettingPassword: { confirming: 'idle' } })).toBe(true);
    expect(env.pool.outbox({ userPoolId: env.userPoolId })).toHaveLength(before);
  });
});

describe('the signed-in account', () => {
  async function signedIn() {
    const { username, email } = fresh();
    await env.createUser(username, PASSWORD, { attributes: { email, email_verified: 'true', name: 'Account' } });
    const { auth, tokens } = client({ authFlow: 'USER_PASSWORD_AUTH' });
    await rest(auth);
    auth.actor.send({ type: 'signIn.submit', username, password: PASSWORD });
    await until(auth, (s) => s.matches('signedIn'));
    return { auth, tokens, username, email };
  }

  it('fetches attributes with GetUser, updates an e-mail and verifies it with its code', async () => {
    const { auth, email } = await signedIn();
    auth.actor.send({ type: 'attributes.fetch' });
    const fetched = await rest(auth);
    expect(fetched.context.userAttributes).toMatchObject({ email, name: 'Account' });
    const next = `changed-${email}`;
    auth.actor.send({ type: 'attributes.update', attributes: { email: next } });
    const updated = await rest(auth);
    expect(selectView(updated)).toMatchObject({ route: 'signedIn', attributeDelivery: { attributeName: 'email', deliveryMedium: 'EMAIL' } });
    auth.actor.send({ type: 'attribute.verify', name: 'email', code: latestCode(next) });
    const verified = await rest(auth);
    expect(verified.context.error).toBeNull();
    expect(verified.context.attributeDelivery).toBeNull();
    auth.actor.send({ type: 'attributes.fetch' });
    expect((await rest(auth)).context.userAttributes).toMatchObject({ email: next, email_verified: 'true' });
  });

  it('a refresh is not held back by an account operation in flight (parallel regions)', async () => {
    const { auth } = await signedIn();
    env.pool.injectFault({ operation: 'GetUser', fault: 'delay', delayMs: 1500 }); // GetUser stays in flight a while
    auth.actor.send({ type: 'attributes.fetch' });
    const tokens = await auth.getTokens({ forceRefresh: true });
    expect(tokens).not.toBeNull();
    // the refresh came back while the account call was still running
    expect(auth.actor.getSnapshot().matches({ signedIn: { account: 'fetchingProfile' } })).toBe(true);
    await rest(auth);
    expect(auth.actor.getSnapshot().context.userAttributes).not.toBeNull();
  });

  it('changes the password (a wrong current password is a typed error), then signs in with the new one', async () => {
    const { auth, username } = await signedIn();
    auth.actor.send({ type: 'password.change', oldPassword: 'Wr0ng-password!', newPassword: NEW_PASSWORD });
    expect((await rest(auth)).context.error?.code).toBe('IncorrectUsernameOrPassword');
    auth.actor.send({ type: 'password.change', oldPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect((await rest(auth)).context.error).toBeNull();
    const other = client({ authFlow: 'USER_PASSWORD_AUTH' });
    await rest(other.auth);
    other.auth.actor.send({ type: 'signIn.submit', username, password: NEW_PASSWORD });
    await until(other.auth, (s) => s.matches('signedIn'));
  });

  it('deletes the account: signed out, tokens gone, the user does not exist any more', async () => {
    const { auth, tokens, username } = await signedIn();
    auth.actor.send({ type: 'account.delete' });
    await until(auth, (s) => s.matches('signedOut'));
    expect(await tokens.load()).toBeNull();
    await expect(env.admin.send(new AdminGetUserCommand({ UserPoolId: env.userPoolId, Username: username }))).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });
});

describe('each kind of username', () => {
  async function poolWith(properties: Record<string, unknown>) {
    const { CreateUserPoolCommand, CreateUserPoolClientCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    const userPoolId = (await env.admin.send(new CreateUserPoolCommand({ PoolName: 'usernames', AutoVerifiedAttributes: ['email'], ...properties }))).UserPool!.Id!;
    const id = (
      await env.admin.send(
        new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
      )
    ).UserPoolClient!.ClientId!;
    const make = () => {
      const auth = createAuth({ userPoolId, clientId: id, endpoint: env.pool.url, storage: new MemoryStorage(), clock: { now: () => env.clock.now() } });
      running.push(auth);
      return auth;
    };
    const code = (to: string) => env.pool.outbox({ userPoolId, recipient: to }).at(-1)?.code ?? '';
    return { make, code };
  }

  it('e-mail as the username (UsernameAttributes): sign up with the address, confirm, signed in; signs in with it again', async () => {
    const { make, code } = await poolWith({ UsernameAttributes: ['email'] });
    const auth = make();
    await rest(auth);
    auth.actor.send({ type: 'signUp.start' });
    auth.actor.send({ type: 'signUp.submit', username: 'erin@example.com', password: PASSWORD, attributes: { email: 'erin@example.com' } });
    await until(auth, (s) => s.matches({ signingUp: { confirming: 'idle' } }));
    auth.actor.send({ type: 'code.submit', code: code('erin@example.com') });
    const signedIn = await until(auth, (s) => s.matches('signedIn'));
    // Cognito names the user by a generated id; the address is the login id
    expect(signedIn.context.user?.username).not.toBe('erin@example.com');
    expect(signedIn.context.user?.attributes['email']).toBe('erin@example.com');
    const again = make();
    await rest(again);
    again.actor.send({ type: 'signIn.submit', username: 'erin@example.com', password: PASSWORD });
    expect((await until(again, (s) => s.matches('signedIn'))).context.user?.username).toBe(signedIn.context.user?.username);
  });

  it('an e-mail alias (AliasAttributes): sign up with a username, then sign in with the verified address', async () => {
    const { make, code } = await poolWith({ AliasAttributes: ['email'] });
    const auth = make();
    await rest(auth);
    auth.actor.send({ type: 'signUp.start' });
    auth.actor.send({ type: 'signUp.submit', username: 'alias-user', password: PASSWORD, attributes: { email: 'alias@example.com' }, autoSignIn: false });
    await until(auth, (s) => s.matches({ signingUp: { confirming: 'idle' } }));
    auth.actor.send({ type: 'code.submit', code: code('alias@example.com') });
    await until(auth, (s) => s.matches('signedOut'));
    auth.actor.send({ type: 'signIn.submit', username: 'alias@example.com', password: PASSWORD });
    expect((await until(auth, (s) => s.matches('signedIn'))).context.user?.username).toBe('alias-user');
  });
});
