// Parity: the same scripted flows through Amplify JS v6 (aws-amplify/auth, unchanged) and through authchart/amplify
// (the promise API over the chart), against one local pool. Each script records every call's output or error
// (name and message), and the Hub's auth events; the two recordings must be equal, and the chart may not make more
// Cognito calls than Amplify (the pool's request log). Each side signs in as its own user (same attributes, same
// MFA), so neither sees the other's codes or sessions.
import { join } from 'node:path';
import { Amplify } from 'aws-amplify';
import * as amplify from 'aws-amplify/auth';
import { Hub as AmplifyHub } from 'aws-amplify/utils';
import * as chart from '../../../src/amplify/index.node.js';
import { CompleteWebAuthnRegistrationCommand, SetUserPoolMfaConfigCommand, StartWebAuthnRegistrationCommand } from '@aws-sdk/client-cognito-identity-provider';
import { authenticatorCode } from '../../support/authenticator.js';
import { SoftAuthenticator, type CreationOptions } from '../../support/soft-authenticator.js';
import {
  STRONG_PASSWORD,
  createPoolAndClient,
  nextTotpStep,
  quietAmplifyEndpointWarning,
  setPoolMfa,
  startPool,
  targets,
  type PoolHarness,
  type Setup,
} from '../../local-pool/support.js';
import { inOrderWithin } from './call-counts.js';

quietAmplifyEndpointWarning();

const NEW_PASSWORD = 'N3w!Passw0rd';
const SECRET = 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BA';
const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** What both modules offer, as the scripts call it (Amplify's signatures). */
type Api = Pick<
  typeof amplify,
  | 'signIn'
  | 'confirmSignIn'
  | 'signOut'
  | 'signUp'
  | 'confirmSignUp'
  | 'autoSignIn'
  | 'resendSignUpCode'
  | 'resetPassword'
  | 'confirmResetPassword'
  | 'getCurrentUser'
  | 'fetchMFAPreference'
  | 'fetchAuthSession'
  | 'fetchUserAttributes'
  | 'updateUserAttributes'
  | 'deleteUserAttributes'
  | 'confirmUserAttribute'
  | 'sendUserAttributeVerificationCode'
  | 'updatePassword'
  | 'setUpTOTP'
  | 'verifyTOTPSetup'
  | 'updateMFAPreference'
  | 'deleteUser'
  | 'listWebAuthnCredentials'
>;
type Side = 'amplify' | 'chart';

let h: PoolHarness;
/** A pool with MFA (OPTIONAL, every factor) and the quiz's custom challenge; one with passwordless first factors. */
let mfaPool: Setup;
let passwordlessPool: Setup;
const hubEvents: Record<Side, string[]> = { amplify: [], chart: [] };

const twins = (username: string, extra: object) => (['amplify', 'chart'] as const).map((side) => ({ username: `${username}-${side}`, ...extra }));
const email = (name: string) => ({ email: `${name}@example.com`, email_verified: 'true' });

beforeAll(async () => {
  h = await startPool({ functions: join(__dirname, '../../local-pool/functions') });
  mfaPool = await createPoolAndClient(
    h.sdk,
    {
      AutoVerifiedAttributes: ['email'],
      LambdaConfig: { DefineAuthChallenge: arn('quiz-define'), CreateAuthChallenge: arn('quiz-create'), VerifyAuthChallengeResponse: arn('quiz-verify') },
    },
    { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  );
  await setPoolMfa(h.sdk, mfaPool.poolId, 'OPTIONAL');
  passwordlessPool = await createPoolAndClient(
    h.sdk,
    { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] } } },
    { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  );
  h.pool.seed({
    pools: [
      {
        id: mfaPool.poolId,
        name: 'parity-mfa',
        users: [
          ...twins('alice', { password: STRONG_PASSWORD, attributes: email('alice') }),
          ...twins('nora', { temporaryPassword: STRONG_PASSWORD, attributes: email('nora') }),
          ...twins('sam', { password: STRONG_PASSWORD, attributes: { phone_number: '+15555550100', phone_number_verified: 'true' }, mfa: { sms: true, preferred: 'SMS' } }),
          ...twins('tina', { password: STRONG_PASSWORD, totpSecret: SECRET, mfa: { totp: true } }),
          ...twins('emma', { password: STRONG_PASSWORD, attributes: email('emma'), mfa: { email: true } }),
          ...twins('max', { password: STRONG_PASSWORD, attributes: { phone_number: '+15555550101', phone_number_verified: 'true' }, totpSecret: SECRET, mfa: { sms: true, totp: true } }),
          ...twins('rita', { password: STRONG_PASSWORD, attributes: email('rita') }),
          ...twins('quinn', { password: STRONG_PASSWORD }),
          ...twins('ada', { password: STRONG_PASSWORD, attributes: { ...email('ada'), name: 'Ada' } }),
          ...twins('dora', { password: STRONG_PASSWORD, attributes: email('dora') }),
          ...twins('nina', { password: STRONG_PASSWORD, attributes: { ...email('nina'), name: 'Nina', nickname: 'nin' } }),
        ],
      },
      { id: passwordlessPool.poolId, name: 'parity-passwordless', users: [...twins('olga', { password: STRONG_PASSWORD, attributes: email('olga') })] },
    ],
  });
  AmplifyHub.listen('auth', ({ payload }) => hubEvents.amplify.push(payload.event));
  chart.Hub.listen('auth', ({ payload }) => hubEvents.chart.push(payload.event));
});
afterAll(async () => {
  chart.currentAuth().stop();
  await h.close();
});

/** Both modules pointed at one pool, from the same Amplify config. */
function configureBoth(pool: () => Setup): void {
  beforeAll(() => {
    const config = { Auth: { Cognito: { userPoolId: pool().poolId, userPoolClientId: pool().clientId, userPoolEndpoint: h.pool.url } } };
    Amplify.configure(config);
    chart.configure(config);
  });
}

/** The newest code the pool sent to this user. */
const codeOf = (username: string) => h.pool.outbox({ username }).at(-1)?.code ?? 'no code';

/** A call's outcome, comparable across the two modules: outputs with the side's name and ids made neutral. */
async function outcome(call: Promise<unknown>, side: Side): Promise<unknown> {
  try {
    return neutral(await call, side);
  } catch (error) {
    const e = error as Error;
    return { error: e.name, message: e.message.replaceAll(`-${side}`, '-<side>') };
  }
}

function neutral(value: unknown, side: Side): unknown {
  if (value === undefined || value === null || typeof value !== 'object') {
    return typeof value === 'string' ? value.replaceAll(`-${side}`, '-<side>').replace(/^[0-9a-f-]{36}$/, '<uuid>') : value;
  }
  if (Array.isArray(value)) return value.map((v) => neutral(v, side));
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return Object.fromEntries(
    entries.map(([key, v]) => {
      if (key === 'totpSetupDetails') {
        const details = v as { sharedSecret: string; getSetupUri(appName: string): URL };
        return [key, { sharedSecret: details.sharedSecret.length > 0, uri: details.getSetupUri('Parity').toString().replace(details.sharedSecret, '<secret>') }];
      }
      return [key, neutral(v, side)];
    }),
  );
}

interface Recording {
  readonly steps: unknown[];
  readonly calls: string[];
  readonly hub: string[];
}

type Script = (api: Api, name: (base: string) => string, record: (call: Promise<unknown>) => Promise<unknown>) => Promise<void>;

async function play(side: Side, script: Script): Promise<Recording> {
  // (Amplify's functions are overloaded with a server-context form, so the chart's module is not assignable as a type.)
  const api: Api = side === 'amplify' ? amplify : (chart as unknown as Api);
  h.pool.resetRequestLog();
  hubEvents[side].length = 0;
  const steps: unknown[] = [];
  const record = async (call: Promise<unknown>) => {
    const result = await outcome(call, side);
    steps.push(result);
    return result;
  };
  await script(api, (base) => `${base}-${side}`, record);
  await record(api.signOut());
  // Hub listeners run in the same turn as the change; give Amplify's a turn to drain
  await new Promise((resolve) => setTimeout(resolve, 10));
  return { steps, calls: targets(h.pool), hub: [...hubEvents[side]] };
}

/** Runs the script through both modules; same outcomes, same Hub events, no more Cognito calls. */
async function parity(script: Script): Promise<Recording> {
  const through = { amplify: await play('amplify', script), chart: await play('chart', script) };
  expect(through.chart.steps).toEqual(through.amplify.steps);
  expect(through.chart.hub).toEqual(through.amplify.hub);
  // No call Amplify does not make, in Amplify's order (fewer is allowed: deleteUser needs no RevokeToken after it).
  expect(through.chart.calls.length).toBeLessThanOrEqual(through.amplify.calls.length);
  expect(inOrderWithin(through.chart.calls, through.amplify.calls)).toEqual(through.chart.calls);
  return through.amplify;
}

const DONE = { isSignedIn: true, nextStep: { signInStep: 'DONE' } };

describe('a pool with MFA and custom challenges', () => {
  configureBoth(() => mfaPool);

  it('SRP sign-in: DONE, the user, a second signIn refused, a wrong password and an unknown user refused', async () => {
    const amplified = await parity(async (api, name, record) => {
      await record(api.signIn({ username: name('alice'), password: 'wrong-Passw0rd' }));
      await record(api.signIn({ username: 'nobody-at-all', password: STRONG_PASSWORD }));
      await record(api.signIn({ username: name('alice'), password: STRONG_PASSWORD }));
      await record(api.getCurrentUser());
      await record(api.signIn({ username: name('alice'), password: STRONG_PASSWORD }));
    });
    expect(amplified.steps).toEqual([
      { error: 'NotAuthorizedException', message: 'Incorrect username or password.' },
      { error: 'UserNotFoundException', message: expect.any(String) },
      DONE,
      { username: 'alice-<side>', userId: '<uuid>', signInDetails: { loginId: 'alice-<side>', authFlowType: 'USER_SRP_AUTH' } },
      { error: 'UserAlreadyAuthenticatedException', message: 'There is already a signed in user.' },
      undefined,
    ]);
    expect(amplified.hub).toEqual(['signedIn', 'signedOut']);
  });

  it('USER_PASSWORD_AUTH and empty inputs: the same validation errors before any call', async () => {
    await parity(async (api, name, record) => {
      await record(api.signIn({ username: '', password: STRONG_PASSWORD }));
      await record(api.signIn({ username: name('alice') }));
      await record(api.confirmSignIn({ challengeResponse: '' }));
      await record(api.signIn({ username: name('alice'), password: STRONG_PASSWORD, options: { authFlowType: 'USER_PASSWORD_AUTH' } }));
    });
  });

  it('NEW_PASSWORD_REQUIRED: the step, then DONE with the new password', async () => {
    const amplified = await parity(async (api, name, record) => {
      await record(api.signIn({ username: name('nora'), password: STRONG_PASSWORD }));
      await record(api.confirmSignIn({ challengeResponse: NEW_PASSWORD }));
    });
    expect(amplified.steps[0]).toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' } });
    expect(amplified.steps[1]).toEqual(DONE);
  });

  it('SMS MFA: the masked number, a wrong code refused, the right one DONE', async () => {
    const amplified = await parity(async (api, name, record) => {
      await record(api.signIn({ username: name('sam'), password: STRONG_PASSWORD }));
      await record(api.confirmSignIn({ challengeResponse: codeOf(name('sam')) === '000000' ? '111111' : '000000' }));
      await record(api.confirmSignIn({ challengeResponse: codeOf(name('sam')) }));
    });
    expect(amplified.steps.slice(0, 3)).toEqual([
      { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS', destination: '+*******0100' } } },
      { error: 'CodeMismatchException', message: 'Invalid code or auth state for the user.' },
      DONE,
    ]);
  });

  it('TOTP MFA: the code step, then DONE', async () => {
    await parity(async (api, name, record) => {
      nextTotpStep(h);
      await record(api.signIn({ username: name('tina'), password: STRONG_PASSWORD }));
      await record(api.confirmSignIn({ challengeResponse: authenticatorCode(SECRET, h.clock.now()) }));
    });
  });

  it('e-mail MFA: the masked address, then DONE; the MFA preference afterwards', async () => {
    const amplified = await parity(async (api, name, record) => {
      await record(api.signIn({ username: name('emma'), password: STRONG_PASSWORD }));
      await record(api.confirmSignIn({ challengeResponse: codeOf(name('emma')) }));
      await record(api.fetchMFAPreference());
    });
    expect(amplified.steps[0]).toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' } });
  });

  it('MFA selection: the offered types, TOTP chosen, an unknown choice refused, then DONE', async () => {
    await parity(async (api, name, record) => {
      nextTotpStep(h);
      await record(api.signIn({ username: name('max'), password: STRONG_PASSWORD }));
      await record(api.confirmSignIn({ challengeResponse: 'VOICE' }));
      await record(api.confirmSignIn({ challengeResponse: 'TOTP' }));
      await record(api.confirmSignIn({ challengeResponse: authenticatorCode(SECRET, h.clock.now()) }));
    });
  });

  it('sign-up, confirmation and auto sign-in: CONFIRM_SIGN_UP, a resent code, COMPLETE_AUTO_SIGN_IN, DONE', async () => {
    const amplified = await parity(async (api, name, record) => {
      const username = name('newbie');
      await record(api.signUp({ username, password: STRONG_PASSWORD, options: { userAttributes: { email: `${username}@example.com` }, autoSignIn: true } }));
      await record(api.resendSignUpCode({ username }));
      await record(api.confirmSignUp({ username, confirmationCode: codeOf(username) }));
      await record(api.autoSignIn());
    });
    expect(amplified.steps.at(-2)).toEqual(DONE);
  });

  it('reset password: the code step, a wrong code refused, the new password, a sign-in with it', async () => {
    await parity(async (api, name, record) => {
      const username = name('rita');
      await record(api.resetPassword({ username }));
      await record(api.confirmResetPassword({ username, newPassword: NEW_PASSWORD, confirmationCode: codeOf(username) === '000000' ? '111111' : '000000' }));
      await record(api.confirmResetPassword({ username, newPassword: NEW_PASSWORD, confirmationCode: codeOf(username) }));
      await record(api.signIn({ username, password: NEW_PASSWORD }));
    });
  });

  it('the signed-in account: attributes, an e-mail change with its code, the password, TOTP set up and preferred, a forced refresh', async () => {
    const amplified = await parity(async (api, name, record) => {
      const username = name('ada');
      await record(api.signIn({ username, password: STRONG_PASSWORD }));
      await record(api.fetchUserAttributes());
      await record(api.updateUserAttributes({ userAttributes: { name: 'Ada L.', email: `${username}@example.org` } }));
      await record(api.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: '000000' }));
      await record(api.sendUserAttributeVerificationCode({ userAttributeKey: 'email' }));
      await record(api.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: codeOf(username) }));
      await record(api.updatePassword({ oldPassword: 'not-the-Passw0rd', newPassword: NEW_PASSWORD }));
      await record(api.updatePassword({ oldPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD }));
      const totp = await api.setUpTOTP();
      await record(Promise.resolve({ secretLength: totp.sharedSecret.length, uri: totp.getSetupUri('Parity').toString().replace(totp.sharedSecret, '<secret>') }));
      nextTotpStep(h);
      await record(api.verifyTOTPSetup({ code: authenticatorCode(totp.sharedSecret, h.clock.now()) }));
      await record(api.updateMFAPreference({ totp: 'PREFERRED' }));
      await record(api.fetchMFAPreference());
      const session = await api.fetchAuthSession({ forceRefresh: true });
      await record(Promise.resolve({ username: session.tokens?.accessToken.payload['username'], id: session.tokens?.idToken?.payload['email'], userSub: typeof session.userSub }));
    });
    expect(amplified.hub).toEqual(['signedIn', 'tokenRefresh', 'signedOut']);
  });

  it('deleteUserAttributes: a nickname (named twice), then the e-mail with its verified flag; sub and an unknown attribute refused by Cognito; an empty list removes nothing; signed out refused first', async () => {
    const nothing = [] as unknown as [string]; // outside Amplify's type, as a JavaScript caller may send it
    const amplified = await parity(async (api, name, record) => {
      await record(api.deleteUserAttributes({ userAttributeKeys: ['nickname'] }));
      await record(api.deleteUserAttributes({ userAttributeKeys: nothing }));
      await record(api.signIn({ username: name('nina'), password: STRONG_PASSWORD }));
      await record(api.deleteUserAttributes({ userAttributeKeys: ['nickname', 'nickname'] }));
      await record(api.fetchUserAttributes());
      await record(api.deleteUserAttributes({ userAttributeKeys: ['sub'] }));
      await record(api.deleteUserAttributes({ userAttributeKeys: nothing }));
      await record(api.deleteUserAttributes({ userAttributeKeys: ['email', 'name'] }));
      await record(api.fetchUserAttributes());
      await record(api.deleteUserAttributes({ userAttributeKeys: ['custom:shoe_size'] }));
    });
    const signedOut = { error: 'UserUnAuthenticatedException', message: 'User needs to be authenticated to call this API.' };
    expect(amplified.steps.slice(0, 2)).toEqual([signedOut, signedOut]);
    expect(amplified.steps[3]).toBeUndefined();
    expect(amplified.steps[4]).toEqual({ sub: '<uuid>', email: 'nina@example.com', email_verified: 'true', name: 'Nina' });
    expect(amplified.steps[5]).toMatchObject({ error: 'NotAuthorizedException' });
    expect(amplified.steps.slice(6, 9)).toEqual([undefined, undefined, { sub: '<uuid>' }]);
    expect(amplified.steps[9]).toMatchObject({ error: 'InvalidParameterException' });
  });

  it('deleteUserAttributes: a name over Cognito\'s 32 characters is InvalidParameterException on both (the chart says it before any call, in its own words)', async () => {
    const tooLong = `custom:${'n'.repeat(26)}`;
    for (const side of ['amplify', 'chart'] as const) {
      const played = await play(side, async (api, name, record) => {
        await record(api.signIn({ username: name('nina'), password: STRONG_PASSWORD }));
        await record(api.deleteUserAttributes({ userAttributeKeys: [tooLong] }));
      });
      expect(played.steps[1]).toMatchObject({ error: 'InvalidParameterException' });
      expect(played.calls.filter((call) => call.endsWith('DeleteUserAttributes'))).toHaveLength(side === 'amplify' ? 1 : 0);
    }
  });

  it('signed out: the account APIs refuse; deleteUser ends the session', async () => {
    const amplified = await parity(async (api, name, record) => {
      await record(api.fetchUserAttributes());
      await record(api.getCurrentUser());
      await record(api.fetchAuthSession());
      await record(api.signIn({ username: name('dora'), password: STRONG_PASSWORD }));
      await record(api.deleteUser());
      await record(api.getCurrentUser());
      await record(api.signIn({ username: name('dora'), password: STRONG_PASSWORD }));
    });
    expect(amplified.steps[0]).toEqual({ error: 'UserUnAuthenticatedException', message: 'User needs to be authenticated to call this API.' });
  });

  it('custom challenge (CUSTOM_WITHOUT_SRP): each round, a wrong answer, then DONE', async () => {
    const amplified = await parity(async (api, name, record) => {
      await record(api.signIn({ username: name('quinn'), options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } }));
      await record(api.confirmSignIn({ challengeResponse: 'Berlin' }));
      await record(api.confirmSignIn({ challengeResponse: 'Paris' }));
      await record(api.confirmSignIn({ challengeResponse: '5' }));
    });
    expect(amplified.steps.at(-2)).toEqual(DONE);
  });
});

describe('a pool with passwordless first factors (USER_AUTH)', () => {
  configureBoth(() => passwordlessPool);

  it('USER_AUTH with EMAIL_OTP preferred: the masked address, then DONE', async () => {
    await parity(async (api, name, record) => {
      await record(api.signIn({ username: name('olga'), options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } }));
      await record(api.confirmSignIn({ challengeResponse: codeOf(name('olga')) }));
    });
  });

  it('USER_AUTH without a preference: the selection, EMAIL_OTP chosen, the code, DONE', async () => {
    const amplified = await parity(async (api, name, record) => {
      await record(api.signIn({ username: name('olga'), options: { authFlowType: 'USER_AUTH' } }));
      await record(api.confirmSignIn({ challengeResponse: 'EMAIL_OTP' }));
      await record(api.confirmSignIn({ challengeResponse: codeOf(name('olga')) }));
    });
    expect(amplified.steps.slice(0, 3)).toMatchObject([
      { nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION' } },
      { nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' } },
      DONE,
    ]);
  });

  it('USER_AUTH with PASSWORD_SRP preferred and the password given: DONE at once; a wrong password refused', async () => {
    const amplified = await parity(async (api, name, record) => {
      await record(api.signIn({ username: name('olga'), password: 'wrong-Passw0rd', options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD_SRP' } }));
      await record(api.signIn({ username: name('olga'), password: STRONG_PASSWORD, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD_SRP' } }));
    });
    expect(amplified.steps.slice(0, 2)).toEqual([{ error: 'NotAuthorizedException', message: 'Incorrect username or password.' }, DONE]);
  });

  it('USER_AUTH without a preference: the first-factor selection, PASSWORD, the password, DONE', async () => {
    await parity(async (api, name, record) => {
      await record(api.signIn({ username: name('olga'), options: { authFlowType: 'USER_AUTH' } }));
      await record(api.confirmSignIn({ challengeResponse: 'PASSWORD' }));
      await record(api.confirmSignIn({ challengeResponse: STRONG_PASSWORD }));
    });
  });
});

describe('a client with USER_PASSWORD_AUTH and no SRP', () => {
  let passwordOnlyPool: Setup;
  beforeAll(async () => {
    passwordOnlyPool = await createPoolAndClient(h.sdk, { AutoVerifiedAttributes: ['email'] }, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  });
  configureBoth(() => passwordOnlyPool);

  it("sign-up with autoSignIn's authFlowType USER_PASSWORD_AUTH: the auto sign-in uses that flow and is DONE", async () => {
    const amplified = await parity(async (api, name, record) => {
      const username = name('paul');
      await record(api.signUp({ username, password: STRONG_PASSWORD, options: { userAttributes: { email: `${username}@example.com` }, autoSignIn: { authFlowType: 'USER_PASSWORD_AUTH' } } }));
      await record(api.confirmSignUp({ username, confirmationCode: codeOf(username) }));
      await record(api.autoSignIn());
    });
    expect(amplified.steps.slice(1, 3)).toEqual([{ isSignUpComplete: true, nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } }, DONE]);
    expect(amplified.calls).toEqual(['SignUp', 'ConfirmSignUp', 'InitiateAuth', 'RevokeToken']);
  });
});

describe('a pool with passkeys', () => {
  let passkeyPool: Setup;
  beforeAll(async () => {
    passkeyPool = await createPoolAndClient(
      h.sdk,
      { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } },
      { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    );
    await h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: passkeyPool.poolId, WebAuthnConfiguration: { RelyingPartyId: 'localhost' } }));
    h.pool.seed({ pools: [{ id: passkeyPool.poolId, name: 'parity-passkeys', users: twins('pia', { password: STRONG_PASSWORD }) }] });
  });
  configureBoth(() => passkeyPool);

  it('listWebAuthnCredentials with pageSize: pages of that size, then the rest with the token', async () => {
    await parity(async (api, name, record) => {
      await record(api.signIn({ username: name('pia'), password: STRONG_PASSWORD }));
      const accessToken = (await api.fetchAuthSession()).tokens!.accessToken.toString();
      const authenticator = new SoftAuthenticator({ origin: 'http://localhost:5173' });
      for (let i = 0; i < 3; i++) {
        const options = (await h.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }))).CredentialCreationOptions as unknown as CreationOptions;
        await h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: authenticator.create(options) as never }));
      }
      // the credential ids differ between the sides: the pages' sizes and tokens are compared
      const first = await api.listWebAuthnCredentials({ pageSize: 2 });
      await record(Promise.resolve({ count: first.credentials.length, more: first.nextToken !== undefined }));
      const rest = await api.listWebAuthnCredentials({ pageSize: 2, nextToken: first.nextToken! });
      await record(Promise.resolve({ count: rest.credentials.length, more: rest.nextToken !== undefined }));
    });
  });
});

it('decodeJWT: the same payload and token, the same errors for malformed ones', () => {
  const outcomeOf = (decode: (token: string) => { payload: unknown; toString(): string }, token: string) => {
    try {
      const decoded = decode(token);
      return { payload: decoded.payload, token: decoded.toString() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const real = `x.${Buffer.from(JSON.stringify({ sub: 'abc', 'cognito:username': 'ünï', 'cognito:groups': ['a'], exp: 1 })).toString('base64url')}.y`;
  for (const token of [real, 'not-a-token', 'a.b', 'a.%%%.c', `a.${Buffer.from('{"unterminated"').toString('base64url')}.c`]) {
    expect(outcomeOf(chart.decodeJWT, token)).toEqual(outcomeOf(amplify.decodeJWT, token));
  }
  expect(outcomeOf(chart.decodeJWT, real)).toMatchObject({ payload: { sub: expect.any(String) } });
});
