// Sign-up and password recovery over HTTP with the AWS SDK: SignUp, ConfirmSignUp,
// ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword; code lifetimes and attempt limits on
// the pool's clock, PreventUserExistenceErrors, sign-up and sign-in by email (UsernameAttributes and
// AliasAttributes), case sensitivity, a restart, and parallel wrong codes.
import {
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHash } from '../../src/local-pool/crypto/secrets.js';
import {
  STRONG_PASSWORD,
  createPoolAndClient,
  createUser,
  failure,
  passwordSignIn,
  srpSignIn,
  startPool,
  type PoolHarness,
  type Setup,
} from './support.js';

const HOUR = 3600_000;
const NEW_PASSWORD = 'N3w!Passw0rd';
const EMAIL_POOL = { AutoVerifiedAttributes: ['email' as const], UsernameConfiguration: { CaseSensitive: false } };

let h: PoolHarness;
let setup: Setup;
let n = 0;
const fresh = (prefix = 'user') => {
  n += 1;
  return { username: `${prefix}${n}`, email: `${prefix}${n}@example.com` };
};

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(
    h.sdk,
    { ...EMAIL_POOL, Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }] },
    { PreventUserExistenceErrors: 'LEGACY' },
  );
});
afterAll(() => h.close());

function signUp(sdk: CognitoIdentityProviderClient, s: Setup, username: string, attributes: Record<string, string>, password = STRONG_PASSWORD) {
  return sdk.send(
    new SignUpCommand({
      ClientId: s.clientId,
      Username: username,
      Password: password,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      ...(s.clientSecret ? { SecretHash: secretHash(s.clientSecret, username, s.clientId) } : {}),
    }),
  );
}
const confirm = (s: Setup, username: string, code: string, extra: { ForceAliasCreation?: boolean } = {}) =>
  h.sdk.send(new ConfirmSignUpCommand({ ClientId: s.clientId, Username: username, ConfirmationCode: code, ...extra }));
const resend = (s: Setup, username: string) => h.sdk.send(new ResendConfirmationCodeCommand({ ClientId: s.clientId, Username: username }));
const forgot = (s: Setup, username: string) => h.sdk.send(new ForgotPasswordCommand({ ClientId: s.clientId, Username: username }));
const confirmForgot = (s: Setup, username: string, code: string, password = NEW_PASSWORD) =>
  h.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: s.clientId, Username: username, ConfirmationCode: code, Password: password }));
const status = async (poolId: string, username: string) => (await h.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;
const attribute = async (poolId: string, username: string, name: string) =>
  (await h.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserAttributes?.find((a) => a.Name === name)?.Value;
/** The newest code sent to an address or phone number. */
const codeTo = (to: string) => h.pool.outbox({ recipient: to }).at(-1)?.code ?? '';
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

const MISMATCH = { name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' };
const EXPIRED = { name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' };
const LIMIT = { name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' };

describe('SignUp and ConfirmSignUp', () => {
  it('signs up UNCONFIRMED, e-mails a 6-digit code with the default text, and ConfirmSignUp confirms and verifies the address', async () => {
    const { username, email } = fresh();
    const started = h.clock.now();
    const out = await signUp(h.sdk, setup, username, { email, name: 'New User' });
    expect(out.UserConfirmed).toBe(false);
    expect(out.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: `u***@e***`, DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const [message] = h.pool.outbox({ recipient: email });
    expect(message).toMatchObject({
      userPoolId: setup.poolId,
      username,
      medium: 'EMAIL',
      destination: email,
      subject: 'Your verification code',
      message: `Your verification code is ${message!.code}.`,
      code: expect.stringMatching(/^\d{6}$/),
      purpose: 'SIGN_UP',
      createdAt: started,
    });
    expect(await status(setup.poolId, username)).toBe('UNCONFIRMED');
    expect(await failure(passwordSignIn(h.sdk, setup, username, STRONG_PASSWORD))).toEqual({ name: 'UserNotConfirmedException', message: 'User is not confirmed.' });

    expect(await confirm(setup, username, message!.code!)).toBeDefined();
    expect(await status(setup.poolId, username)).toBe('CONFIRMED');
    expect(await attribute(setup.poolId, username, 'email_verified')).toBe('true');
    expect((await passwordSignIn(h.sdk, setup, username, STRONG_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
    // Single use: the same code again finds a CONFIRMED user.
    expect(await failure(confirm(setup, username, message!.code!))).toEqual({
      name: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
  });

  it('refuses an existing name, a weak password (naming the rule) and a missing required attribute', async () => {
    const { username, email } = fresh();
    await signUp(h.sdk, setup, username, { email, name: 'X' });
    expect(await failure(signUp(h.sdk, setup, username, { email, name: 'X' }))).toEqual({ name: 'UsernameExistsException', message: 'User already exists' });
    const other = fresh();
    const weak = (password: string) => failure(signUp(h.sdk, setup, other.username, { email: other.email, name: 'X' }, password));
    expect(await weak('Sh0rt!')).toEqual({ name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' });
    expect((await weak('passw0rd!long')).message).toBe('Password did not conform with policy: Password must have uppercase characters');
    expect((await weak('PASSW0RD!LONG')).message).toBe('Password did not conform with policy: Password must have lowercase characters');
    expect((await weak('Password!long')).message).toBe('Password did not conform with policy: Password must have numeric characters');
    expect((await weak('Passw0rdlong')).message).toBe('Password did not conform with policy: Password must have symbol characters');
    expect(await failure(signUp(h.sdk, setup, other.username, { email: other.email }))).toEqual({
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: name: The attribute is required',
    });
    expect(await failure(signUp(h.sdk, setup, other.username, { email: other.email, name: 'X', email_verified: 'true' }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    });
    // Nothing of the refused attempts was kept.
    expect(h.pool.outbox({ recipient: other.email })).toEqual([]);
  });

  it('a wrong code is CodeMismatch; the code after the fifth wrong one is LimitExceeded until a new code is sent', async () => {
    const { username, email } = fresh();
    await signUp(h.sdk, setup, username, { email, name: 'X' });
    const code = codeTo(email);
    for (let i = 0; i < 5; i++) expect(await failure(confirm(setup, username, wrong(code)))).toEqual(MISMATCH);
    expect(await failure(confirm(setup, username, code))).toEqual(LIMIT);
    await resend(setup, username);
    const next = codeTo(email);
    expect(await failure(confirm(setup, username, code === next ? wrong(next) : code))).toEqual(MISMATCH);
    await confirm(setup, username, next);
    expect(await status(setup.poolId, username)).toBe('CONFIRMED');
  });

  it('codes live 24 hours; a resent code replaces the old one', async () => {
    const { username, email } = fresh();
    await signUp(h.sdk, setup, username, { email, name: 'X' });
    const first = codeTo(email);
    h.clock.advance(24 * HOUR);
    expect(await failure(confirm(setup, username, first))).toEqual(EXPIRED);
    const resent = await resend(setup, username);
    expect(resent.CodeDeliveryDetails).toEqual({ Destination: 'u***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const second = codeTo(email);
    if (second !== first) expect(await failure(confirm(setup, username, first))).toEqual(MISMATCH);
    h.clock.advance(24 * HOUR - 1000);
    await confirm(setup, username, second);
    expect(await status(setup.poolId, username)).toBe('CONFIRMED');
  });

  it('ResendConfirmationCode: five sends an hour per user, then LimitExceeded; a confirmed user is refused', async () => {
    const { username, email } = fresh();
    await signUp(h.sdk, setup, username, { email, name: 'X' });
    for (let i = 0; i < 4; i++) await resend(setup, username);
    expect(await failure(resend(setup, username))).toEqual(LIMIT);
    expect(h.pool.outbox({ recipient: email })).toHaveLength(5);
    h.clock.advance(HOUR);
    await resend(setup, username);
    await confirm(setup, username, codeTo(email));
    expect(await failure(resend(setup, username))).toEqual({ name: 'InvalidParameterException', message: 'User is already confirmed.' });
  });

  it('without auto-verified attributes nothing is sent and the user waits for an administrator', async () => {
    const quiet = await createPoolAndClient(h.sdk, { PoolName: 'quiet' });
    const out = await signUp(h.sdk, quiet, 'quinn', { email: 'quinn@example.com' });
    expect(out.CodeDeliveryDetails).toBeUndefined();
    expect(h.pool.outbox({ recipient: 'quinn@example.com' })).toEqual([]);
    expect(await failure(resend(quiet, 'quinn'))).toEqual({ name: 'InvalidParameterException', message: 'Auto verification not turned on.' });
  });

  it('a phone number gets an SMS when it is auto-verified, masked as Cognito masks it', async () => {
    const sms = await createPoolAndClient(h.sdk, { PoolName: 'sms', AutoVerifiedAttributes: ['phone_number', 'email'] });
    const out = await signUp(h.sdk, sms, 'pat', { phone_number: '+15555550123', email: 'pat@example.com' });
    expect(out.CodeDeliveryDetails).toEqual({ Destination: '+*******0123', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    const [message] = h.pool.outbox({ recipient: '+15555550123' });
    expect(message).toMatchObject({ medium: 'SMS', subject: null, message: `Your verification code is ${message!.code}.` });
    await confirm(sms, 'pat', message!.code!);
    expect(await attribute(sms.poolId, 'pat', 'phone_number_verified')).toBe('true');
    expect(await attribute(sms.poolId, 'pat', 'email_verified')).toBeUndefined();
  });

  it("the pool's VerificationMessageTemplate is used; AllowAdminCreateUserOnly refuses SignUp", async () => {
    const custom = await createPoolAndClient(h.sdk, {
      PoolName: 'custom',
      AutoVerifiedAttributes: ['email'],
      VerificationMessageTemplate: { EmailSubject: 'Welcome', EmailMessage: 'Code: {####} (valid one day)' },
    });
    await signUp(h.sdk, custom, 'cara', { email: 'cara@example.com' });
    const [message] = h.pool.outbox({ recipient: 'cara@example.com' });
    expect(message).toMatchObject({ subject: 'Welcome', message: `Code: ${message!.code} (valid one day)` });
    const closed = await createPoolAndClient(h.sdk, { PoolName: 'closed', AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    expect(await failure(signUp(h.sdk, closed, 'nope', {}))).toEqual({ name: 'NotAuthorizedException', message: 'SignUp is not permitted for this user pool' });
  });

  it('a client with a secret needs the SecretHash', async () => {
    const secret = await createPoolAndClient(h.sdk, { PoolName: 'secret', AutoVerifiedAttributes: ['email'] }, { GenerateSecret: true });
    await signUp(h.sdk, secret, 'sid', { email: 'sid@example.com' });
    const bare = { ...secret, clientSecret: undefined } as unknown as Setup;
    delete (bare as { clientSecret?: string }).clientSecret;
    expect((await failure(signUp(h.sdk, bare, 'sid2', { email: 'sid2@example.com' }))).message).toBe(
      `Client ${secret.clientId} is configured with secret but SECRET_HASH was not received`,
    );
  });
});

describe('ForgotPassword and ConfirmForgotPassword', () => {
  async function confirmedUser(prefix = 'fp') {
    const { username, email } = fresh(prefix);
    await createUser(h.sdk, setup.poolId, username, STRONG_PASSWORD, { attributes: { email, email_verified: 'true', name: 'F P' } });
    return { username, email };
  }

  it('mails a reset code (1 hour) with the reset text; ConfirmForgotPassword sets the new password', async () => {
    const { username, email } = await confirmedUser();
    const out = await forgot(setup, username);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'f***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const message = h.pool.outbox({ recipient: email }).at(-1)!;
    expect(message).toMatchObject({ subject: 'Your password reset code', message: `Your password reset code is ${message.code}.`, purpose: 'FORGOT_PASSWORD' });
    // The old password keeps working until the reset is confirmed.
    expect((await passwordSignIn(h.sdk, setup, username, STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
    expect(await failure(confirmForgot(setup, username, message.code!, 'weak'))).toEqual({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    await confirmForgot(setup, username, message.code!);
    expect(await failure(passwordSignIn(h.sdk, setup, username, STRONG_PASSWORD))).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect((await srpSignIn(h.sdk, setup, username, NEW_PASSWORD, new Date(h.clock.now()))).AuthenticationResult).toBeDefined();
    expect(await failure(confirmForgot(setup, username, message.code!))).toEqual(MISMATCH);
  });

  it('the code expires after an hour; wrong codes are counted up to the limit', async () => {
    const { username, email } = await confirmedUser();
    await forgot(setup, username);
    h.clock.advance(HOUR);
    expect(await failure(confirmForgot(setup, username, codeTo(email)))).toEqual(EXPIRED);
    await forgot(setup, username);
    const code = codeTo(email);
    h.clock.advance(HOUR - 1000);
    for (let i = 0; i < 5; i++) expect(await failure(confirmForgot(setup, username, wrong(code)))).toEqual(MISMATCH);
    expect(await failure(confirmForgot(setup, username, code))).toEqual(LIMIT);
  });

  it('needs a verified email or phone number; follows AccountRecoverySetting; refuses admin_only pools', async () => {
    await createUser(h.sdk, setup.poolId, 'unverified', STRONG_PASSWORD, { attributes: { email: 'unverified@example.com', name: 'U' } });
    expect(await failure(forgot(setup, 'unverified'))).toEqual({
      name: 'InvalidParameterException',
      message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
    });
    const both = { email: 'both@example.com', email_verified: 'true', phone_number: '+15555550188', phone_number_verified: 'true' };
    const emailFirst = await createPoolAndClient(h.sdk, {
      PoolName: 'recovery',
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }, { Name: 'verified_phone_number', Priority: 2 }] },
    });
    await createUser(h.sdk, emailFirst.poolId, 'both', STRONG_PASSWORD, { attributes: both });
    expect((await forgot(emailFirst, 'both')).CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    const legacy = await createPoolAndClient(h.sdk, { PoolName: 'legacy' });
    await createUser(h.sdk, legacy.poolId, 'both', STRONG_PASSWORD, { attributes: both });
    expect((await forgot(legacy, 'both')).CodeDeliveryDetails).toEqual({ Destination: '+*******0188', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    const adminOnly = await createPoolAndClient(h.sdk, { PoolName: 'adminonly', AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] } });
    await createUser(h.sdk, adminOnly.poolId, 'both', STRONG_PASSWORD, { attributes: both });
    expect(await failure(forgot(adminOnly, 'both'))).toEqual({ name: 'NotAuthorizedException', message: 'Contact administrator to reset password.' });
  });

  it('five reset codes an hour per user', async () => {
    const { username } = await confirmedUser();
    for (let i = 0; i < 5; i++) await forgot(setup, username);
    expect(await failure(forgot(setup, username))).toEqual(LIMIT);
  });
});

describe('PreventUserExistenceErrors', () => {
  let enabled: Setup;
  beforeAll(async () => {
    enabled = await createPoolAndClient(h.sdk, { ...EMAIL_POOL, PoolName: 'prevent' }, { PreventUserExistenceErrors: 'ENABLED' });
  });

  it('ENABLED: ForgotPassword and ResendConfirmationCode of an unknown user answer a plausible delivery and send nothing', async () => {
    const before = h.pool.outbox().length;
    const forgotten = await forgot(enabled, 'ghost@example.com');
    expect(forgotten.CodeDeliveryDetails).toEqual({ Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const again = await forgot(enabled, 'ghost');
    expect(again.CodeDeliveryDetails).toEqual({ Destination: expect.stringMatching(/^[a-z]\*\*\*@[a-z]\*\*\*$/), DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect((await forgot(enabled, 'ghost')).CodeDeliveryDetails).toEqual(again.CodeDeliveryDetails);
    expect((await resend(enabled, 'ghost')).CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    expect(h.pool.outbox()).toHaveLength(before);
  });

  it('ENABLED: ConfirmSignUp and ConfirmForgotPassword of an unknown user are CodeMismatch; SignUp still says the name exists', async () => {
    expect(await failure(confirm(enabled, 'ghost', '123456'))).toEqual(MISMATCH);
    expect(await failure(confirmForgot(enabled, 'ghost', '123456'))).toEqual(MISMATCH);
    await signUp(h.sdk, enabled, 'taken', { email: 'taken@example.com' });
    expect(await failure(signUp(h.sdk, enabled, 'taken', { email: 'taken@example.com' }))).toEqual({ name: 'UsernameExistsException', message: 'User already exists' });
  });

  it('LEGACY: unknown users are UserNotFoundException', async () => {
    const notFound = { name: 'UserNotFoundException', message: 'Username/client id combination not found.' };
    expect(await failure(forgot(setup, 'ghost'))).toEqual(notFound);
    expect(await failure(resend(setup, 'ghost'))).toEqual(notFound);
    expect(await failure(confirm(setup, 'ghost', '123456'))).toEqual(notFound);
    expect(await failure(confirmForgot(setup, 'ghost', '123456'))).toEqual(notFound);
  });
});

describe('sign-up and sign-in by email', () => {
  it('UsernameAttributes email: the address is the name, the username is the sub, any case of the address signs in', async () => {
    const byEmail = await createPoolAndClient(h.sdk, { ...EMAIL_POOL, PoolName: 'byemail', UsernameAttributes: ['email'] });
    const out = await signUp(h.sdk, byEmail, 'Erin@Example.com', {});
    expect(out.CodeDeliveryDetails?.Destination).toBe('E***@E***');
    const [message] = h.pool.outbox({ recipient: 'erin@example.com' });
    expect(message!.username).toBe(out.UserSub);
    await confirm(byEmail, 'erin@example.com', message!.code!);
    const signedIn = await passwordSignIn(h.sdk, byEmail, 'ERIN@example.com', STRONG_PASSWORD);
    const claims = JSON.parse(Buffer.from(signedIn.AuthenticationResult!.IdToken!.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ 'cognito:username': out.UserSub, email: 'Erin@Example.com', email_verified: true });
    expect(await failure(signUp(h.sdk, byEmail, 'erin@example.com', {}))).toEqual({
      name: 'UsernameExistsException',
      message: 'An account with the given email already exists.',
    });
    expect((await failure(signUp(h.sdk, byEmail, 'erin', {}))).message).toBe('Username should be an email.');
    // ForgotPassword by address too.
    await forgot(byEmail, 'erin@example.com');
    await confirmForgot(byEmail, 'Erin@Example.com', codeTo('erin@example.com'));
    expect((await srpSignIn(h.sdk, byEmail, 'erin@example.com', NEW_PASSWORD, new Date(h.clock.now()))).AuthenticationResult).toBeDefined();
  });

  it('AliasAttributes email: the address signs in once confirmed; a taken alias needs ForceAliasCreation, which moves it', async () => {
    const alias = await createPoolAndClient(h.sdk, { ...EMAIL_POOL, PoolName: 'alias', AliasAttributes: ['email'] });
    expect((await failure(signUp(h.sdk, alias, 'al@example.com', { email: 'al@example.com' }))).message).toBe(
      'Username cannot be of email format, since user pool is configured for email alias.',
    );
    await signUp(h.sdk, alias, 'al', { email: 'al@example.com' });
    expect((await failure(passwordSignIn(h.sdk, alias, 'al@example.com', STRONG_PASSWORD))).name).toBe('UserNotFoundException');
    await confirm(alias, 'al', codeTo('al@example.com'));
    expect((await passwordSignIn(h.sdk, alias, 'AL@example.com', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();

    await signUp(h.sdk, alias, 'bo', { email: 'al@example.com' });
    const code = codeTo('al@example.com');
    expect(await failure(confirm(alias, 'bo', code))).toEqual({ name: 'AliasExistsException', message: 'An account with the given email already exists.' });
    await confirm(alias, 'bo', code, { ForceAliasCreation: true });
    expect(await attribute(alias.poolId, 'al', 'email_verified')).toBe('false');
    const claims = JSON.parse(
      Buffer.from((await passwordSignIn(h.sdk, alias, 'al@example.com', STRONG_PASSWORD)).AuthenticationResult!.IdToken!.split('.')[1]!, 'base64url').toString(),
    );
    expect(claims['cognito:username']).toBe('bo');
  });
});

describe('username case', () => {
  it('pools are case sensitive unless UsernameConfiguration says CaseSensitive false (Cognito default)', async () => {
    const sensitive = await createPoolAndClient(h.sdk, { PoolName: 'sensitive' });
    await createUser(h.sdk, sensitive.poolId, 'Carl', STRONG_PASSWORD);
    expect((await failure(passwordSignIn(h.sdk, sensitive, 'carl', STRONG_PASSWORD))).name).toBe('UserNotFoundException');
    expect((await passwordSignIn(h.sdk, sensitive, 'Carl', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
    await signUp(h.sdk, sensitive, 'carl', {});
    expect(await status(sensitive.poolId, 'carl')).toBe('UNCONFIRMED');
    expect(await status(sensitive.poolId, 'Carl')).toBe('CONFIRMED');

    const insensitive = await createPoolAndClient(h.sdk, { PoolName: 'insensitive', UsernameConfiguration: { CaseSensitive: false } });
    await createUser(h.sdk, insensitive.poolId, 'Carl', STRONG_PASSWORD);
    expect((await passwordSignIn(h.sdk, insensitive, 'CARL', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
    expect(await failure(signUp(h.sdk, insensitive, 'carl', {}))).toEqual({ name: 'UsernameExistsException', message: 'User already exists' });
  });
});

describe('atomicity and durability', () => {
  it('parallel wrong codes are all counted: of 12 at once, 5 are CodeMismatch and 7 LimitExceeded', async () => {
    const { username, email } = fresh('par');
    await signUp(h.sdk, setup, username, { email, name: 'X' });
    const code = codeTo(email);
    const answers = await Promise.all(Array.from({ length: 12 }, () => failure(confirm(setup, username, wrong(code)))));
    expect(answers.filter((a) => a.name === 'CodeMismatchException')).toHaveLength(5);
    expect(answers.filter((a) => a.name === 'LimitExceededException')).toHaveLength(7);
    expect(await failure(confirm(setup, username, code))).toEqual(LIMIT);
  });

  it('parallel right codes: exactly one confirms the reset', async () => {
    const { username, email } = fresh('twice');
    await createUser(h.sdk, setup.poolId, username, STRONG_PASSWORD, { attributes: { email, email_verified: 'true', name: 'T' } });
    await forgot(setup, username);
    const code = codeTo(email);
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => confirmForgot(setup, username, code)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('a restart keeps users, codes, wrong-code counts, send counts and the outbox', async () => {
    const { username, email } = fresh('restart');
    await signUp(h.sdk, setup, username, { email, name: 'R' });
    const code = codeTo(email);
    for (let i = 0; i < 4; i++) expect(await failure(confirm(setup, username, wrong(code)))).toEqual(MISMATCH);
    for (let i = 0; i < 4; i++) await resend(setup, username);
    const latest = codeTo(email);
    for (let i = 0; i < 4; i++) expect(await failure(confirm(setup, username, wrong(latest)))).toEqual(MISMATCH);
    h = await h.restart();
    expect(h.pool.outbox({ recipient: email })).toHaveLength(5);
    expect(await failure(resend(setup, username))).toEqual(LIMIT);
    expect(await failure(confirm(setup, username, wrong(latest)))).toEqual(MISMATCH);
    expect(await failure(confirm(setup, username, latest))).toEqual(LIMIT);
    h.clock.advance(HOUR);
    await resend(setup, username);
    await confirm(setup, username, codeTo(email));
    h = await h.restart();
    expect(await status(setup.poolId, username)).toBe('CONFIRMED');
    expect(await attribute(setup.poolId, username, 'email_verified')).toBe('true');
  });
});
