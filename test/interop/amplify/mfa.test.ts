// Amplify JS v6, unchanged, through every MFA challenge of a sign-in against the local pool (MFA
// OPTIONAL, SMS + TOTP + e-mail): TOTP (codes computed with otpauth from the seeded secret), SMS and
// e-mail (codes read from the outbox), the MFA selection, and the signed-in MFA APIs. The calls the
// pool receives must be exactly Amplify's (call-counts.ts).
import { Amplify } from 'aws-amplify';
import {
  confirmSignIn,
  fetchMFAPreference,
  setUpTOTP,
  signIn,
  signOut,
  updateMFAPreference,
  verifyTOTPSetup,
} from 'aws-amplify/auth';
import { authenticatorCode } from '../../support/authenticator.js';
import { AMPLIFY_MFA_CALLS, type AmplifyMfaFlow } from './call-counts.js';
import {
  STRONG_PASSWORD,
  createPoolAndClient,
  lastCode,
  nextTotpStep,
  quietAmplifyEndpointWarning,
  setPoolMfa,
  startPool,
  targets,
  type PoolHarness,
  type Setup,
} from '../../local-pool/support.js';

quietAmplifyEndpointWarning();

const SECRET = 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BA';
let h: PoolHarness;
let setup: Setup;

/** What an authenticator app shows now, by the pool's clock (otpauth, independently of the pool). */
const authenticator = (secret: string) => authenticatorCode(secret, h.clock.now());

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
          user('tina', { totpSecret: SECRET, mfa: { totp: true } }),
          user('sam', { attributes: { phone_number: '+15555550100' }, mfa: { sms: true, preferred: 'SMS' } }),
          user('emma', { attributes: { email: 'emma@example.com' }, mfa: { email: true } }),
          user('max', { attributes: { phone_number: '+15555550101' }, totpSecret: SECRET, mfa: { sms: true, totp: true } }),
          user('alice', { attributes: { email: 'alice@example.com' } }),
          { username: 'nora', temporaryPassword: STRONG_PASSWORD, attributes: { email: 'nora@example.com' }, mfa: { email: true } },
        ],
      },
    ],
  });
  Amplify.configure({ Auth: { Cognito: { userPoolId: setup.poolId, userPoolClientId: setup.clientId, userPoolEndpoint: h.pool.url } } });
});
afterAll(() => h.close());

beforeEach(() => h.pool.resetRequestLog());
afterEach(async () => {
  await signOut();
});

const DONE = { isSignedIn: true, nextStep: { signInStep: 'DONE' } };
const expectCalls = (flow: AmplifyMfaFlow) => expect(targets(h.pool)).toEqual(AMPLIFY_MFA_CALLS[flow]);

it('TOTP: CONFIRM_SIGN_IN_WITH_TOTP_CODE -> code -> DONE', async () => {
  nextTotpStep(h);
  const first = await signIn({ username: 'tina', password: STRONG_PASSWORD });
  expect(first).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
  expect(await confirmSignIn({ challengeResponse: authenticator(SECRET) })).toEqual(DONE);
  expectCalls('SRP + SOFTWARE_TOKEN_MFA');
});

it('TOTP: a wrong code is CodeMismatchException, and the retry on the same Session works', async () => {
  nextTotpStep(h);
  await signIn({ username: 'tina', password: STRONG_PASSWORD });
  const right = authenticator(SECRET);
  await expect(confirmSignIn({ challengeResponse: right === '000000' ? '111111' : '000000' })).rejects.toMatchObject({
    name: 'CodeMismatchException',
    message: 'Invalid code or auth state for the user.',
  });
  expect(await confirmSignIn({ challengeResponse: right })).toEqual(DONE);
  expectCalls('SRP + SOFTWARE_TOKEN_MFA, wrong code then retry');
});

it('SMS: CONFIRM_SIGN_IN_WITH_SMS_CODE with the masked number -> code from the outbox -> DONE', async () => {
  const first = await signIn({ username: 'sam', password: STRONG_PASSWORD });
  expect(first).toEqual({
    isSignedIn: false,
    nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS', destination: '+*******0100' } },
  });
  expect(await confirmSignIn({ challengeResponse: lastCode(h.pool, 'sam') })).toEqual(DONE);
  expectCalls('SRP + SMS_MFA');
});

it('e-mail: CONFIRM_SIGN_IN_WITH_EMAIL_CODE with the masked address -> code from the outbox -> DONE', async () => {
  const first = await signIn({ username: 'emma', password: STRONG_PASSWORD });
  expect(first).toEqual({
    isSignedIn: false,
    nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'e***@e***' } },
  });
  expect(await confirmSignIn({ challengeResponse: lastCode(h.pool, 'emma') })).toEqual(DONE);
  expectCalls('SRP + EMAIL_OTP');
});

it("selection: CONTINUE_SIGN_IN_WITH_MFA_SELECTION -> 'TOTP' -> CONFIRM_SIGN_IN_WITH_TOTP_CODE -> code -> DONE", async () => {
  nextTotpStep(h);
  const first = await signIn({ username: 'max', password: STRONG_PASSWORD });
  expect(first).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMFATypes: ['SMS', 'TOTP'] } });
  expect(await confirmSignIn({ challengeResponse: 'TOTP' })).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
  expect(await confirmSignIn({ challengeResponse: authenticator(SECRET) })).toEqual(DONE);
  expectCalls('SRP + SELECT_MFA_TYPE -> TOTP');
});

it('temporary password, then e-mail MFA: NEW_PASSWORD_REQUIRED -> CONFIRM_SIGN_IN_WITH_EMAIL_CODE -> code -> DONE', async () => {
  expect((await signIn({ username: 'nora', password: STRONG_PASSWORD })).nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
  expect(await confirmSignIn({ challengeResponse: 'N3w!permanent' })).toEqual({
    isSignedIn: false,
    nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'n***@e***' } },
  });
  expect(await confirmSignIn({ challengeResponse: lastCode(h.pool, 'nora') })).toEqual(DONE);
  expectCalls('SRP + NEW_PASSWORD_REQUIRED -> EMAIL_OTP');
});

it('signed in: setUpTOTP, verifyTOTPSetup, updateMFAPreference, fetchMFAPreference; the next sign-in asks for TOTP', async () => {
  expect(await signIn({ username: 'alice', password: STRONG_PASSWORD })).toEqual(DONE);
  expect(await fetchMFAPreference()).toEqual({ enabled: undefined, preferred: undefined });

  h.pool.resetRequestLog();
  const details = await setUpTOTP();
  expectCalls('setUpTOTP');
  expect(details.getSetupUri('authchart').protocol).toBe('otpauth:');
  nextTotpStep(h);
  h.pool.resetRequestLog();
  await verifyTOTPSetup({ code: authenticator(details.sharedSecret) });
  expectCalls('verifyTOTPSetup');
  h.pool.resetRequestLog();
  await updateMFAPreference({ totp: 'PREFERRED' });
  expectCalls('updateMFAPreference');
  h.pool.resetRequestLog();
  expect(await fetchMFAPreference()).toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });
  expectCalls('fetchMFAPreference');

  await signOut();
  nextTotpStep(h);
  expect((await signIn({ username: 'alice', password: STRONG_PASSWORD })).nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
  expect(await confirmSignIn({ challengeResponse: authenticator(details.sharedSecret) })).toEqual(DONE);
});
