// MFA after the first factor: SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA and SELECT_MFA_TYPE, with the
// exact parameters, codes from the outbox, wrong codes, attempt limits, expiry and replay.
import { AdminGetUserCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
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

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const INVALID_CODE = { name: 'CodeMismatchException', message: 'Invalid code or auth state for the user.' };
const INVALID_SESSION = { name: 'NotAuthorizedException', message: 'Invalid session for the user.' };

let h: PoolHarness;
let setup: Setup;

const user = (username: string, extra: object) => ({ username, password: STRONG_PASSWORD, ...extra });

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk);
  await setPoolMfa(h.sdk, setup.poolId, 'OPTIONAL');
  h.pool.seed({
    pools: [
      {
        id: setup.poolId,
        name: 'test',
        users: [
          user('sam', { attributes: { phone_number: '+15555550100' }, mfa: { sms: true } }),
          user('emma', { attributes: { email: 'emma@example.com' }, mfa: { email: true } }),
          user('tina', { totpSecret: SECRET, totpDeviceName: 'Pixel', mfa: { totp: true } }),
          user('max', { attributes: { phone_number: '+15555550101' }, totpSecret: SECRET, mfa: { sms: true, totp: true } }),
          user('pat', {
            attributes: { phone_number: '+15555550102', email: 'pat@example.com' },
            totpSecret: SECRET,
            mfa: { sms: true, totp: true, email: true, preferred: 'EMAIL' },
          }),
          user('olga', { attributes: { phone_number: '+15555550103', email: 'olga@example.com' } }),
        ],
      },
    ],
  });
});
afterAll(() => h.close());

describe('SMS_MFA', () => {
  it('follows the password with exact parameters; the code is in the outbox; the phone becomes verified', async () => {
    const challenge = await firstFactor(h, setup, 'sam', STRONG_PASSWORD);
    expect(challenge.ChallengeName).toBe('SMS_MFA');
    expect(challenge.Session!.length).toBeGreaterThanOrEqual(20);
    expect(challenge.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
      CODE_DELIVERY_DESTINATION: '+*******0100',
      USER_ID_FOR_SRP: 'sam',
      USERNAME: 'sam',
    });
    const sent = h.pool.outbox({ username: 'sam' }).at(-1)!;
    expect(sent).toMatchObject({ userPoolId: setup.poolId, medium: 'SMS', destination: '+15555550100', subject: null, purpose: 'MFA' });
    expect(sent.code).toMatch(/^\d{6}$/);
    expect(sent.message).toBe(`Your authentication code is ${sent.code}`);

    const done = await respond(h.sdk, setup, 'SMS_MFA', challenge.Session, { USERNAME: 'sam', SMS_MFA_CODE: sent.code! });
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
    expect(done.Session).toBeUndefined();
    const attributes = (await h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: 'sam' }))).UserAttributes;
    expect(attributes).toContainEqual({ Name: 'phone_number_verified', Value: 'true' });

    // Single use.
    expect(await failure(respond(h.sdk, setup, 'SMS_MFA', challenge.Session, { USERNAME: 'sam', SMS_MFA_CODE: sent.code! }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session can only be used once.',
    });
  });

  it('USER_PASSWORD_AUTH leads to it too; a new sign-in sends a new code (resend)', async () => {
    const first = await firstFactor(h, setup, 'sam', STRONG_PASSWORD, 'PASSWORD');
    expect(first.ChallengeName).toBe('SMS_MFA');
    const firstCode = lastCode(h.pool, 'sam');
    const second = await firstFactor(h, setup, 'sam', STRONG_PASSWORD, 'PASSWORD');
    const secondCode = lastCode(h.pool, 'sam');
    expect(h.pool.outbox({ username: 'sam' }).length).toBeGreaterThanOrEqual(2);
    // Each Session has its own code.
    if (firstCode !== secondCode) {
      expect(await failure(respond(h.sdk, setup, 'SMS_MFA', second.Session, { USERNAME: 'sam', SMS_MFA_CODE: firstCode }))).toEqual(INVALID_CODE);
    }
    const done = await respond(h.sdk, setup, 'SMS_MFA', second.Session, { USERNAME: 'sam', SMS_MFA_CODE: secondCode });
    expect(done.AuthenticationResult).toBeDefined();
  });

  it('a wrong code keeps the Session; the third wrong code ends it', async () => {
    const challenge = await firstFactor(h, setup, 'sam', STRONG_PASSWORD);
    const code = lastCode(h.pool, 'sam');
    const wrong = code === '000000' ? '111111' : '000000';
    const answer = (value: string) => respond(h.sdk, setup, 'SMS_MFA', challenge.Session, { USERNAME: 'sam', SMS_MFA_CODE: value });
    expect(await failure(answer(wrong))).toEqual(INVALID_CODE);
    expect(await failure(answer(wrong))).toEqual(INVALID_CODE);
    expect(await failure(answer(wrong))).toEqual(INVALID_SESSION);
    expect(await failure(answer(code))).toEqual(INVALID_SESSION);

    // Wrong, then right, on one Session.
    const again = await firstFactor(h, setup, 'sam', STRONG_PASSWORD);
    const right = lastCode(h.pool, 'sam');
    expect(await failure(respond(h.sdk, setup, 'SMS_MFA', again.Session, { USERNAME: 'sam', SMS_MFA_CODE: right === '000000' ? '111111' : '000000' }))).toEqual(INVALID_CODE);
    expect((await respond(h.sdk, setup, 'SMS_MFA', again.Session, { USERNAME: 'sam', SMS_MFA_CODE: right })).AuthenticationResult).toBeDefined();
  });

  it('the code is valid as long as the Session (AuthSessionValidity)', async () => {
    const challenge = await firstFactor(h, setup, 'sam', STRONG_PASSWORD);
    const code = lastCode(h.pool, 'sam');
    h.clock.advance(3 * 60_000);
    expect(await failure(respond(h.sdk, setup, 'SMS_MFA', challenge.Session, { USERNAME: 'sam', SMS_MFA_CODE: code }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });

  it('a missing code is an input mistake; the USERNAME must be the session user', async () => {
    const challenge = await firstFactor(h, setup, 'sam', STRONG_PASSWORD);
    expect(await failure(respond(h.sdk, setup, 'SMS_MFA', challenge.Session, { USERNAME: 'sam' }))).toEqual({
      name: 'InvalidParameterException',
      message: 'Missing required parameter SMS_MFA_CODE',
    });
    expect(await failure(respond(h.sdk, setup, 'SMS_MFA', challenge.Session, { USERNAME: 'emma', SMS_MFA_CODE: '123456' }))).toEqual(INVALID_SESSION);
    expect(await failure(respond(h.sdk, setup, 'EMAIL_OTP', challenge.Session, { USERNAME: 'sam', EMAIL_OTP_CODE: '123456' }))).toEqual(INVALID_SESSION);
    const done = await respond(h.sdk, setup, 'SMS_MFA', challenge.Session, { USERNAME: 'sam', SMS_MFA_CODE: lastCode(h.pool, 'sam') });
    expect(done.AuthenticationResult).toBeDefined();
  });

  it('wrong MFA codes do not count towards the password lockout', async () => {
    for (let round = 0; round < 3; round++) {
      const challenge = await firstFactor(h, setup, 'sam', STRONG_PASSWORD, 'PASSWORD');
      const code = lastCode(h.pool, 'sam');
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 2; i++) {
        expect(await failure(respond(h.sdk, setup, 'SMS_MFA', challenge.Session, { USERNAME: 'sam', SMS_MFA_CODE: wrong }))).toEqual(INVALID_CODE);
      }
    }
    expect((await firstFactor(h, setup, 'sam', STRONG_PASSWORD, 'PASSWORD')).ChallengeName).toBe('SMS_MFA');
  });
});

describe('EMAIL_OTP', () => {
  it('has the masked address, an 8-digit code with the pool subject, and takes the EMAIL_MFA aliases', async () => {
    const challenge = await firstFactor(h, setup, 'emma', STRONG_PASSWORD);
    expect(challenge.ChallengeName).toBe('EMAIL_OTP');
    expect(challenge.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL',
      CODE_DELIVERY_DESTINATION: 'e***@e***',
      USER_ID_FOR_SRP: 'emma',
      USERNAME: 'emma',
    });
    const sent = h.pool.outbox({ recipient: 'emma@example.com' }).at(-1)!;
    expect(sent).toMatchObject({ medium: 'EMAIL', subject: 'Your code', purpose: 'MFA' });
    expect(sent.code).toMatch(/^\d{8}$/);
    const done = await respond(h.sdk, setup, 'EMAIL_OTP', challenge.Session, { USERNAME: 'emma', EMAIL_OTP_CODE: sent.code! });
    expect(done.AuthenticationResult).toBeDefined();

    const again = await firstFactor(h, setup, 'emma', STRONG_PASSWORD);
    const aliased = await respond(h.sdk, setup, 'EMAIL_MFA', again.Session, { USERNAME: 'emma', EMAIL_MFA_CODE: lastCode(h.pool, 'emma') });
    expect(aliased.AuthenticationResult).toBeDefined();
    const attributes = (await h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: 'emma' }))).UserAttributes;
    expect(attributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
  });

  it('the preferred factor wins over the others', async () => {
    const challenge = await firstFactor(h, setup, 'pat', STRONG_PASSWORD);
    expect(challenge.ChallengeName).toBe('EMAIL_OTP');
    expect(challenge.ChallengeParameters!['CODE_DELIVERY_DESTINATION']).toBe('p***@e***');
  });
});

describe('SOFTWARE_TOKEN_MFA', () => {
  it('names the device, accepts one step either side, refuses replays', async () => {
    nextTotpStep(h);
    const challenge = await firstFactor(h, setup, 'tina', STRONG_PASSWORD);
    expect(challenge.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(challenge.ChallengeParameters).toEqual({ FRIENDLY_DEVICE_NAME: 'Pixel', USER_ID_FOR_SRP: 'tina', USERNAME: 'tina' });
    const answer = (code: string) => respond(h.sdk, setup, 'SOFTWARE_TOKEN_MFA', challenge.Session, { USERNAME: 'tina', SOFTWARE_TOKEN_MFA_CODE: code });
    const current = totpAt(SECRET, h);
    const near = [totpAt(SECRET, h, -1), current, totpAt(SECRET, h, 1)];
    const farAway = [totpAt(SECRET, h, 2), totpAt(SECRET, h, -2), totpAt(SECRET, h, 3)].find((c) => !near.includes(c))!;
    expect(await failure(answer(farAway))).toEqual(INVALID_CODE);
    // The previous step's code (a slow user) is still good.
    const done = await answer(totpAt(SECRET, h, -1));
    expect(done.AuthenticationResult).toBeDefined();

    // That step and older ones are used up; the current code still works once.
    const replay = await firstFactor(h, setup, 'tina', STRONG_PASSWORD);
    expect(
      await failure(respond(h.sdk, setup, 'SOFTWARE_TOKEN_MFA', replay.Session, { USERNAME: 'tina', SOFTWARE_TOKEN_MFA_CODE: totpAt(SECRET, h, -1) })),
    ).toEqual(INVALID_CODE);
    expect((await respond(h.sdk, setup, 'SOFTWARE_TOKEN_MFA', replay.Session, { USERNAME: 'tina', SOFTWARE_TOKEN_MFA_CODE: current })).AuthenticationResult).toBeDefined();
    const third = await firstFactor(h, setup, 'tina', STRONG_PASSWORD);
    expect(await failure(respond(h.sdk, setup, 'SOFTWARE_TOKEN_MFA', third.Session, { USERNAME: 'tina', SOFTWARE_TOKEN_MFA_CODE: current }))).toEqual(INVALID_CODE);
    nextTotpStep(h);
    expect((await respond(h.sdk, setup, 'SOFTWARE_TOKEN_MFA', third.Session, { USERNAME: 'tina', SOFTWARE_TOKEN_MFA_CODE: totpAt(SECRET, h) })).AuthenticationResult).toBeDefined();
  });
});

describe('SELECT_MFA_TYPE', () => {
  it('offers the usable factors; the chosen challenge follows with a new Session', async () => {
    const choose = await firstFactor(h, setup, 'max', STRONG_PASSWORD);
    expect(choose.ChallengeName).toBe('SELECT_MFA_TYPE');
    expect(choose.ChallengeParameters).toEqual({ MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]', USER_ID_FOR_SRP: 'max', USERNAME: 'max' });
    const select = (answer: string) => respond(h.sdk, setup, 'SELECT_MFA_TYPE', choose.Session, { USERNAME: 'max', ANSWER: answer });
    expect(await failure(select('EMAIL_OTP'))).toEqual({ name: 'MFAMethodNotFoundException', message: 'MFA method EMAIL_OTP is not available for this user.' });
    expect(await failure(select('TOTP'))).toEqual({ name: 'InvalidParameterException', message: 'ANSWER must be one of SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP.' });
    const sentBefore = h.pool.outbox({ username: 'max' }).length;
    const totp = await select('SOFTWARE_TOKEN_MFA');
    expect(totp.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(totp.ChallengeParameters).toEqual({ FRIENDLY_DEVICE_NAME: 'TOTP device', USER_ID_FOR_SRP: 'max', USERNAME: 'max' });
    expect(totp.Session).not.toBe(choose.Session);
    expect(h.pool.outbox({ username: 'max' })).toHaveLength(sentBefore);
    expect(await failure(select('SMS_MFA'))).toMatchObject({ message: 'Invalid session for the user, session can only be used once.' });
    nextTotpStep(h);
    const done = await respond(h.sdk, setup, 'SOFTWARE_TOKEN_MFA', totp.Session, { USERNAME: 'max', SOFTWARE_TOKEN_MFA_CODE: totpAt(SECRET, h) });
    expect(done.AuthenticationResult).toBeDefined();
  });

  it('choosing SMS sends the SMS', async () => {
    const choose = await firstFactor(h, setup, 'max', STRONG_PASSWORD, 'PASSWORD');
    const sms = await respond(h.sdk, setup, 'SELECT_MFA_TYPE', choose.Session, { USERNAME: 'max', ANSWER: 'SMS_MFA' });
    expect(sms.ChallengeName).toBe('SMS_MFA');
    expect(sms.ChallengeParameters!['CODE_DELIVERY_DESTINATION']).toBe('+*******0101');
    const done = await respond(h.sdk, setup, 'SMS_MFA', sms.Session, { USERNAME: 'max', SMS_MFA_CODE: lastCode(h.pool, 'max') });
    expect(done.AuthenticationResult).toBeDefined();
  });
});

describe('which step follows the password', () => {
  it('OPTIONAL: a user without MFA settings gets tokens, whatever attributes it has', async () => {
    expect((await firstFactor(h, setup, 'olga', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('ON: a phone number or address is used without any user setting; NEW_PASSWORD_REQUIRED comes first', async () => {
    const on = await createPoolAndClient(h.sdk);
    await setPoolMfa(h.sdk, on.poolId, 'ON');
    h.pool.seed({
      pools: [
        {
          id: on.poolId,
          name: 'test',
          users: [
            user('phil', { attributes: { phone_number: '+15555550104' } }),
            user('both', { attributes: { phone_number: '+15555550105', email: 'both@example.com' } }),
            { username: 'newbie', temporaryPassword: STRONG_PASSWORD, attributes: { email: 'newbie@example.com' } },
          ],
        },
      ],
    });
    expect((await firstFactor(h, on, 'phil', STRONG_PASSWORD)).ChallengeName).toBe('SMS_MFA');
    const both = await firstFactor(h, on, 'both', STRONG_PASSWORD);
    expect(both.ChallengeName).toBe('SELECT_MFA_TYPE');
    expect(both.ChallengeParameters!['MFAS_CAN_CHOOSE']).toBe('["SMS_MFA","EMAIL_OTP"]');

    const newbie = await firstFactor(h, on, 'newbie', STRONG_PASSWORD, 'PASSWORD');
    expect(newbie.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const email = await respond(h.sdk, on, 'NEW_PASSWORD_REQUIRED', newbie.Session, { USERNAME: 'newbie', NEW_PASSWORD: 'N3w!permanent' });
    expect(email.ChallengeName).toBe('EMAIL_OTP');
    expect(email.ChallengeParameters!['CODE_DELIVERY_DESTINATION']).toBe('n***@e***');
    const done = await respond(h.sdk, on, 'EMAIL_OTP', email.Session, { USERNAME: 'newbie', EMAIL_OTP_CODE: lastCode(h.pool, 'newbie') });
    expect(done.AuthenticationResult).toBeDefined();

    // Turning MFA off skips every factor, settings or not.
    await h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: on.poolId, MfaConfiguration: 'OFF' }));
    expect((await firstFactor(h, on, 'phil', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('a factor the pool no longer offers is not used', async () => {
    const pool = await createPoolAndClient(h.sdk);
    await setPoolMfa(h.sdk, pool.poolId, 'OPTIONAL');
    h.pool.seed({ pools: [{ id: pool.poolId, name: 'test', users: [user('sid', { attributes: { phone_number: '+15555550106' }, mfa: { sms: true } })] }] });
    expect((await firstFactor(h, pool, 'sid', STRONG_PASSWORD)).ChallengeName).toBe('SMS_MFA');
    await setPoolMfa(h.sdk, pool.poolId, 'OPTIONAL', { SoftwareTokenMfaConfiguration: { Enabled: true } });
    expect((await firstFactor(h, pool, 'sid', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
  });
});
