// Amplify JS v6, unchanged, through MFA_SETUP against the local pool (MFA required): the setup
// selection with TOTP and with e-mail, a pool that offers only TOTP (Amplify associates inside
// signIn), and one that offers only SMS (Amplify cannot set that up during sign-in).
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchMFAPreference, signIn, signOut } from 'aws-amplify/auth';
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

let h: PoolHarness;
let totpAndEmail: Setup;
let totpOnly: Setup;
let smsOnly: Setup;

const authenticator = (secret: string) => authenticatorCode(secret, h.clock.now());

const configure = (setup: Setup) =>
  Amplify.configure({ Auth: { Cognito: { userPoolId: setup.poolId, userPoolClientId: setup.clientId, userPoolEndpoint: h.pool.url } } });

beforeAll(async () => {
  h = await startPool();
  [totpAndEmail, totpOnly, smsOnly] = await Promise.all([createPoolAndClient(h.sdk), createPoolAndClient(h.sdk), createPoolAndClient(h.sdk)]);
  await setPoolMfa(h.sdk, totpAndEmail.poolId, 'ON', { SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} });
  await setPoolMfa(h.sdk, totpOnly.poolId, 'ON', { SoftwareTokenMfaConfiguration: { Enabled: true } });
  await setPoolMfa(h.sdk, smsOnly.poolId, 'ON', { SmsMfaConfiguration: {} });
  const users = (...names: string[]) => names.map((username) => ({ username, password: STRONG_PASSWORD }));
  h.pool.seed({
    pools: [
      { id: totpAndEmail.poolId, name: 'test', users: users('otto', 'oscar') },
      { id: totpOnly.poolId, name: 'test', users: users('tom') },
      { id: smsOnly.poolId, name: 'test', users: users('simon') },
    ],
  });
});
afterAll(() => h.close());

beforeEach(() => h.pool.resetRequestLog());
afterEach(async () => {
  await signOut();
});

const DONE = { isSignedIn: true, nextStep: { signInStep: 'DONE' } };
const expectCalls = (flow: AmplifyMfaFlow) => expect(targets(h.pool)).toEqual(AMPLIFY_MFA_CALLS[flow]);

describe('TOTP and e-mail can be set up', () => {
  beforeAll(() => configure(totpAndEmail));

  it("CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION -> 'TOTP' -> CONTINUE_SIGN_IN_WITH_TOTP_SETUP -> code -> DONE", async () => {
    const first = await signIn({ username: 'otto', password: STRONG_PASSWORD });
    expect(first).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION', allowedMFATypes: ['TOTP', 'EMAIL'] } });
    const setup = await confirmSignIn({ challengeResponse: 'TOTP' });
    expect(setup.nextStep.signInStep).toBe('CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    const secret = (setup.nextStep as { totpSetupDetails: { sharedSecret: string } }).totpSetupDetails.sharedSecret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    nextTotpStep(h);
    expect(await confirmSignIn({ challengeResponse: authenticator(secret) })).toEqual(DONE);
    expectCalls('SRP + MFA_SETUP selection -> TOTP');
    expect(await fetchMFAPreference()).toEqual({ enabled: ['TOTP'] });

    // From now on otto is asked for a TOTP code.
    await signOut();
    nextTotpStep(h);
    expect(await signIn({ username: 'otto', password: STRONG_PASSWORD })).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    expect(await confirmSignIn({ challengeResponse: authenticator(secret) })).toEqual(DONE);
  });

  it("CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION -> 'EMAIL' -> CONTINUE_SIGN_IN_WITH_EMAIL_SETUP -> address -> CONFIRM_SIGN_IN_WITH_EMAIL_CODE -> code -> DONE", async () => {
    expect((await signIn({ username: 'oscar', password: STRONG_PASSWORD })).nextStep.signInStep).toBe('CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION');
    expect(await confirmSignIn({ challengeResponse: 'EMAIL' })).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' } });
    expect(await confirmSignIn({ challengeResponse: 'oscar@example.com' })).toEqual({
      isSignedIn: false,
      nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'o***@e***' } },
    });
    expect(h.pool.outbox({ recipient: 'oscar@example.com' }).at(-1)!.purpose).toBe('MFA_SETUP');
    expect(await confirmSignIn({ challengeResponse: lastCode(h.pool, 'oscar') })).toEqual(DONE);
    expectCalls('SRP + MFA_SETUP selection -> EMAIL -> address -> code');
    expect(await fetchMFAPreference()).toEqual({ enabled: ['EMAIL'] });
  });
});

describe('only TOTP can be set up', () => {
  beforeAll(() => configure(totpOnly));

  it('signIn associates the authenticator itself: CONTINUE_SIGN_IN_WITH_TOTP_SETUP -> code -> DONE', async () => {
    const first = await signIn({ username: 'tom', password: STRONG_PASSWORD });
    expect(first.nextStep.signInStep).toBe('CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    const details = (first.nextStep as { totpSetupDetails: { sharedSecret: string; getSetupUri(app: string): URL } }).totpSetupDetails;
    expect(details.getSetupUri('authchart').toString()).toContain(`secret=${details.sharedSecret}`);
    nextTotpStep(h);
    expect(await confirmSignIn({ challengeResponse: authenticator(details.sharedSecret) })).toEqual(DONE);
    expectCalls('SRP + MFA_SETUP (TOTP only)');
  });
});

describe('only SMS can be set up', () => {
  beforeAll(() => configure(smsOnly));

  it('Amplify cannot set SMS up during sign-in (the pool offers ["SMS_MFA"])', async () => {
    await expect(signIn({ username: 'simon', password: STRONG_PASSWORD })).rejects.toMatchObject({
      name: 'SignInException',
      message: 'Cannot initiate MFA setup from available types: SMS',
    });
    expect(targets(h.pool)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
  });
});
