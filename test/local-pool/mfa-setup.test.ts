// MFA_SETUP (a pool that requires MFA, a user with no factor) and TOTP authenticators set up with
// AssociateSoftwareToken / VerifySoftwareToken, during sign-in (Session) and after (AccessToken).
import {
  AdminGetUserCommand,
  AssociateSoftwareTokenCommand,
  GetUserCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  STRONG_PASSWORD,
  createPoolAndClient,
  failure,
  firstFactor,
  lastCode,
  nextTotpStep,
  respond,
  setPoolMfa,
  startPool,
  totpAt,
  type PoolHarness,
  type Setup,
} from './support.js';

let h: PoolHarness;
let required: Setup;
let optional: Setup;

const user = (username: string, extra: object = {}) => ({ username, password: STRONG_PASSWORD, ...extra });

beforeAll(async () => {
  h = await startPool();
  required = await createPoolAndClient(h.sdk);
  await setPoolMfa(h.sdk, required.poolId, 'ON', { SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} });
  optional = await createPoolAndClient(h.sdk, { AliasAttributes: ['email'] });
  await setPoolMfa(h.sdk, optional.poolId, 'OPTIONAL');
  h.pool.seed({
    pools: [
      { id: required.poolId, name: 'test', users: ['otto', 'ola', 'oskar', 'olli'].map((name) => user(name)) },
      {
        id: optional.poolId,
        name: 'test',
        users: [user('alice', { attributes: { email: 'alice@example.com', email_verified: 'true' } })],
      },
    ],
  });
});
afterAll(() => h.close());

const associate = (input: { Session: string } | { AccessToken: string }) => h.sdk.send(new AssociateSoftwareTokenCommand(input));
const verify = (input: ({ Session: string } | { AccessToken: string }) & { UserCode: string; FriendlyDeviceName?: string }) =>
  h.sdk.send(new VerifySoftwareTokenCommand(input));

describe('MFA_SETUP', () => {
  it('lists what the pool offers, with the canonical username', async () => {
    const setup = await firstFactor(h, required, 'otto', STRONG_PASSWORD);
    expect(setup.ChallengeName).toBe('MFA_SETUP');
    expect(setup.Session).toBeDefined();
    expect(setup.ChallengeParameters).toEqual({ MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]', USER_ID_FOR_SRP: 'otto', USERNAME: 'otto' });
  });

  it('TOTP: AssociateSoftwareToken(Session) -> VerifySoftwareToken(Session) -> MFA_SETUP(Session) -> tokens; then SOFTWARE_TOKEN_MFA', async () => {
    nextTotpStep(h);
    const setup = await firstFactor(h, required, 'otto', STRONG_PASSWORD);
    const associated = await associate({ Session: setup.Session! });
    expect(associated.SecretCode).toMatch(/^[A-Z2-7]{32}$/);
    expect(associated.Session).toBeDefined();
    expect(associated.Session).not.toBe(setup.Session);
    const secret = associated.SecretCode!;
    expect(h.pool.currentTotp(required.poolId, 'otto')).toMatchObject({ code: totpAt(secret, h), secret: 'pending' });

    const wrong = totpAt(secret, h) === '000000' ? '111111' : '000000';
    expect(await failure(verify({ Session: associated.Session!, UserCode: wrong }))).toEqual({
      name: 'EnableSoftwareTokenMFAException',
      message: 'Code mismatch and fail enable Software Token MFA',
    });
    const verified = await verify({ Session: associated.Session!, UserCode: totpAt(secret, h), FriendlyDeviceName: 'Otto phone' });
    expect(verified.Status).toBe('SUCCESS');
    expect(verified.Session).toBeDefined();
    expect(await failure(verify({ Session: associated.Session!, UserCode: totpAt(secret, h) }))).toMatchObject({ name: 'NotAuthorizedException' });

    // The Session from VerifySoftwareToken finishes the setup; USERNAME is all the answer has.
    const done = await respond(h.sdk, required, 'MFA_SETUP', verified.Session, { USERNAME: 'otto' });
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
    // Every Session of that sign-in is over now, the first one included.
    expect(await failure(respond(h.sdk, required, 'MFA_SETUP', setup.Session, { USERNAME: 'otto', EMAIL: 'otto@example.com' }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session can only be used once.',
    });

    const me = await h.sdk.send(new GetUserCommand({ AccessToken: done.AuthenticationResult!.AccessToken! }));
    expect(me.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(me.PreferredMfaSetting).toBeUndefined();

    nextTotpStep(h);
    const next = await firstFactor(h, required, 'otto', STRONG_PASSWORD);
    expect(next.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(next.ChallengeParameters!['FRIENDLY_DEVICE_NAME']).toBe('Otto phone');
    const signedIn = await respond(h.sdk, required, 'SOFTWARE_TOKEN_MFA', next.Session, { USERNAME: 'otto', SOFTWARE_TOKEN_MFA_CODE: totpAt(secret, h) });
    expect(signedIn.AuthenticationResult).toBeDefined();
  });

  it('answering without EMAIL and before VerifySoftwareToken is refused; the Session stays usable', async () => {
    const setup = await firstFactor(h, required, 'ola', STRONG_PASSWORD);
    expect(await failure(respond(h.sdk, required, 'MFA_SETUP', setup.Session, { USERNAME: 'ola' }))).toEqual({
      name: 'SoftwareTokenMFANotFoundException',
      message: 'Software Token MFA does not exist for the user.',
    });
    expect(await failure(respond(h.sdk, required, 'MFA_SETUP', setup.Session, { USERNAME: 'ola', EMAIL: 'not-an-address' }))).toEqual({
      name: 'InvalidParameterException',
      message: 'Invalid email address format.',
    });
    // AssociateSoftwareToken leaves the first Session open: the e-mail path still works with it.
    await associate({ Session: setup.Session! });
    const email = await respond(h.sdk, required, 'MFA_SETUP', setup.Session, { USERNAME: 'ola', EMAIL: 'ola@example.com' });
    expect(email.ChallengeName).toBe('EMAIL_OTP');
  });

  it('EMAIL: MFA_SETUP(EMAIL) -> EMAIL_OTP to that address -> tokens; the address becomes the verified email and e-mail MFA is on', async () => {
    const setup = await firstFactor(h, required, 'oskar', STRONG_PASSWORD, 'PASSWORD');
    const email = await respond(h.sdk, required, 'MFA_SETUP', setup.Session, { USERNAME: 'oskar', EMAIL: 'oskar@example.com' });
    expect(email.ChallengeName).toBe('EMAIL_OTP');
    expect(email.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL',
      CODE_DELIVERY_DESTINATION: 'o***@e***',
      USER_ID_FOR_SRP: 'oskar',
      USERNAME: 'oskar',
    });
    const sent = h.pool.outbox({ recipient: 'oskar@example.com' }).at(-1)!;
    expect(sent).toMatchObject({ purpose: 'MFA_SETUP', username: 'oskar', medium: 'EMAIL' });
    expect(sent.code).toMatch(/^\d{8}$/);
    // Nothing is stored before the code proves the address.
    const before = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: required.poolId, Username: 'oskar' }));
    expect(before.UserAttributes?.find((a) => a.Name === 'email')).toBeUndefined();

    const wrong = sent.code === '00000000' ? '11111111' : '00000000';
    expect(await failure(respond(h.sdk, required, 'EMAIL_OTP', email.Session, { USERNAME: 'oskar', EMAIL_OTP_CODE: wrong }))).toMatchObject({
      name: 'CodeMismatchException',
    });
    const done = await respond(h.sdk, required, 'EMAIL_OTP', email.Session, { USERNAME: 'oskar', EMAIL_OTP_CODE: sent.code! });
    expect(done.AuthenticationResult).toBeDefined();
    const after = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: required.poolId, Username: 'oskar' }));
    expect(after.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: 'oskar@example.com' }, { Name: 'email_verified', Value: 'true' }]));
    expect(after.UserMFASettingList).toEqual(['EMAIL_OTP']);

    const next = await firstFactor(h, required, 'oskar', STRONG_PASSWORD);
    expect(next.ChallengeName).toBe('EMAIL_OTP');
    expect(h.pool.outbox({ username: 'oskar' }).at(-1)!.purpose).toBe('MFA');
  });

  it('an expired setup Session is refused by AssociateSoftwareToken; three wrong VerifySoftwareToken codes end the Session', async () => {
    const setup = await firstFactor(h, required, 'olli', STRONG_PASSWORD);
    h.clock.advance(3 * 60_000);
    expect(await failure(associate({ Session: setup.Session! }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });

    const again = await firstFactor(h, required, 'olli', STRONG_PASSWORD);
    const associated = await associate({ Session: again.Session! });
    const wrong = totpAt(associated.SecretCode!, h) === '000000' ? '111111' : '000000';
    expect(await failure(verify({ Session: associated.Session!, UserCode: wrong }))).toMatchObject({ name: 'EnableSoftwareTokenMFAException' });
    expect(await failure(verify({ Session: associated.Session!, UserCode: wrong }))).toMatchObject({ name: 'EnableSoftwareTokenMFAException' });
    expect(await failure(verify({ Session: associated.Session!, UserCode: wrong }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
    // A second association replaces the pending secret.
    const replaced = await associate({ Session: again.Session! });
    expect(replaced.SecretCode).not.toBe(associated.SecretCode);
    expect(h.pool.totpCode(required.poolId, 'olli')).toBe(totpAt(replaced.SecretCode!, h));
  });

  it('SMS in a pool that requires MFA: offered as SMS_MFA; a user with a phone number gets SMS_MFA instead', async () => {
    const sms = await createPoolAndClient(h.sdk);
    await setPoolMfa(h.sdk, sms.poolId, 'ON', { SmsMfaConfiguration: {} });
    h.pool.seed({ pools: [{ id: sms.poolId, name: 'test', users: [user('nophone'), user('phoned', { attributes: { phone_number: '+15555550109' } })] }] });
    const setup = await firstFactor(h, sms, 'nophone', STRONG_PASSWORD);
    expect(setup.ChallengeName).toBe('MFA_SETUP');
    expect(setup.ChallengeParameters!['MFAS_CAN_SETUP']).toBe('["SMS_MFA"]');
    expect(await failure(respond(h.sdk, sms, 'MFA_SETUP', setup.Session, { USERNAME: 'nophone' }))).toEqual({
      name: 'InvalidParameterException',
      message: 'Missing required parameter EMAIL',
    });
    expect(await failure(respond(h.sdk, sms, 'MFA_SETUP', setup.Session, { USERNAME: 'nophone', EMAIL: 'n@example.com' }))).toEqual({
      name: 'MFAMethodNotFoundException',
      message: 'MFA method EMAIL_OTP is not available for this user.',
    });
    expect(await failure(associate({ Session: setup.Session! }))).toEqual({
      name: 'InvalidParameterException',
      message: 'Software token MFA is not enabled for this user pool.',
    });
    expect((await firstFactor(h, sms, 'phoned', STRONG_PASSWORD)).ChallengeName).toBe('SMS_MFA');
  });
});

describe('TOTP with an access token (signed in)', () => {
  it('Associate -> Verify does not turn TOTP on; SetUserMFAPreference does; the next sign-in asks for the code', async () => {
    const tokens = (await firstFactor(h, optional, 'alice', STRONG_PASSWORD)).AuthenticationResult!;
    const AccessToken = tokens.AccessToken!;
    expect(await failure(h.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true } })))).toEqual({
      name: 'InvalidParameterException',
      message: 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA',
    });
    expect(await failure(verify({ AccessToken, UserCode: '123456' }))).toMatchObject({ name: 'SoftwareTokenMFANotFoundException' });
    expect(await failure(verify({ AccessToken, UserCode: '12345' }))).toEqual({
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value at 'userCode' failed to satisfy constraint: Member must have length greater than or equal to 6",
    });
    expect(await failure(h.sdk.send(new AssociateSoftwareTokenCommand({ AccessToken, Session: 'x'.repeat(40) })))).toEqual({
      name: 'InvalidParameterException',
      message: 'Either AccessToken or Session must be given, not both.',
    });
    const associated = await associate({ AccessToken });
    expect(associated.Session).toBeUndefined();
    // Associated but not verified yet: the other wording.
    expect(await failure(h.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true } })))).toEqual({
      name: 'InvalidParameterException',
      message: 'User has not verified software token mfa',
    });
    nextTotpStep(h);
    expect((await verify({ AccessToken, UserCode: totpAt(associated.SecretCode!, h) })).Status).toBe('SUCCESS');
    expect((await h.sdk.send(new GetUserCommand({ AccessToken }))).UserMFASettingList).toBeUndefined();
    expect((await firstFactor(h, optional, 'alice', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();

    await h.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    const me = await h.sdk.send(new GetUserCommand({ AccessToken }));
    expect(me.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(me.PreferredMfaSetting).toBe('SOFTWARE_TOKEN_MFA');
    nextTotpStep(h);
    const challenge = await firstFactor(h, optional, 'alice', STRONG_PASSWORD);
    expect(challenge.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(challenge.ChallengeParameters!['FRIENDLY_DEVICE_NAME']).toBe('TOTP device');

    // A new association keeps the old authenticator working until the new one is verified.
    const second = await associate({ AccessToken });
    const signedIn = await respond(h.sdk, optional, 'SOFTWARE_TOKEN_MFA', challenge.Session, {
      USERNAME: 'alice',
      SOFTWARE_TOKEN_MFA_CODE: totpAt(associated.SecretCode!, h),
    });
    expect(signedIn.AuthenticationResult).toBeDefined();
    expect(h.pool.currentTotp(optional.poolId, 'alice')).toMatchObject({ secret: 'verified', code: totpAt(associated.SecretCode!, h) });
    expect(h.pool.totpCode(optional.poolId, 'alice', { pending: true })).toBe(totpAt(second.SecretCode!, h));
    expect(await failure(verify({ AccessToken, UserCode: totpAt(associated.SecretCode!, h) === totpAt(second.SecretCode!, h) ? '000000' : totpAt(associated.SecretCode!, h) }))).toEqual({
      name: 'EnableSoftwareTokenMFAException',
      message: 'Code mismatch and fail enable Software Token MFA',
    });
  });

  it('MFA_SETUP e-mail path refuses an address another user signs in with', async () => {
    const strict = await createPoolAndClient(h.sdk, { AliasAttributes: ['email'] });
    await setPoolMfa(h.sdk, strict.poolId, 'ON', { EmailMfaConfiguration: {} });
    h.pool.seed({
      pools: [{ id: strict.poolId, name: 'test', users: [user('taken', { attributes: { email: 'taken@example.com', email_verified: 'true' } }), user('newcomer')] }],
    });
    const setup = await firstFactor(h, strict, 'newcomer', STRONG_PASSWORD);
    expect(setup.ChallengeParameters!['MFAS_CAN_SETUP']).toBe('["EMAIL_OTP"]');
    expect(await failure(respond(h.sdk, strict, 'MFA_SETUP', setup.Session, { USERNAME: 'newcomer', EMAIL: 'taken@example.com' }))).toEqual({
      name: 'AliasExistsException',
      message: 'An account with the given email already exists.',
    });
  });
});
