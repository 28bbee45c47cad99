// Choice-based sign-in (USER_AUTH) against the local pool over HTTP with the AWS SDK: the pool's
// sign-in policy and feature plan, every first factor with and without PREFERRED_CHALLENGE, the
// selection (SELECT_CHALLENGE), OTP codes (wrong, expired, resent), what follows a password,
// names that are no user with PreventUserExistenceErrors on and off, and GetUserAuthFactors.
// (Passkeys are in webauthn.test.ts.)
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserAuthFactorsCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CognitoSrpClient } from '../../src/cognito/srp.js';
import { startLocalPool } from '../../src/local-pool/index.js';
import { migrations } from '../../src/local-pool/store/migrations.js';
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';
import { secretHash } from '../../src/local-pool/crypto/secrets.js';
import {
  ALL_FACTORS,
  STRONG_PASSWORD,
  answerVerifier,
  createPoolAndClient,
  failure,
  lastCode,
  passwordSignIn,
  respond,
  sdkClient,
  setPoolMfa,
  startPool,
  type PoolHarness,
  type Setup,
} from './support.js';

const USER_AUTH_FLOWS = ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
const OTP_POLICY = { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD' as const, 'EMAIL_OTP' as const, 'SMS_OTP' as const] } };
const INVALID_CODE = { name: 'CodeMismatchException', message: 'Invalid code or auth state for the user.' };
const INVALID_SESSION = { name: 'NotAuthorizedException', message: 'Invalid session for the user.' };
const INCORRECT = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const PASSWORDS = ['PASSWORD_SRP', 'PASSWORD'];
const EVERY_FACTOR = ['PASSWORD_SRP', 'PASSWORD', 'EMAIL_OTP', 'SMS_OTP'];

let h: PoolHarness;
/** ENABLED client of the OTP pool. */
let hidden: Setup;
/** LEGACY client of the same pool. */
let legacy: Setup;

const engine = createOpenSslEngine();
const verified = (email: string, phone?: string) => ({
  email,
  email_verified: 'true',
  ...(phone ? { phone_number: phone, phone_number_verified: 'true' } : {}),
});

async function addClient(poolId: string, settings: object = {}): Promise<Setup> {
  const app = await h.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: [...USER_AUTH_FLOWS], ...settings }));
  return { poolId, clientId: app.UserPoolClient!.ClientId!, ...(app.UserPoolClient!.ClientSecret ? { clientSecret: app.UserPoolClient!.ClientSecret } : {}) };
}

beforeAll(async () => {
  h = await startPool();
  hidden = await createPoolAndClient(h.sdk, { Policies: OTP_POLICY }, { ExplicitAuthFlows: [...USER_AUTH_FLOWS], PreventUserExistenceErrors: 'ENABLED' });
  legacy = await addClient(hidden.poolId, { PreventUserExistenceErrors: 'LEGACY' });
  h.pool.seed({
    pools: [
      {
        id: hidden.poolId,
        name: 'test',
        users: [
          { username: 'eve', password: STRONG_PASSWORD, attributes: verified('eve@example.com', '+15555550110') },
          { username: 'ed', password: STRONG_PASSWORD, attributes: { email: 'ed@example.com' } },
          { username: 'pia', password: STRONG_PASSWORD, attributes: { phone_number: '+15555550111', phone_number_verified: 'true' } },
          { username: 'nina', temporaryPassword: STRONG_PASSWORD, attributes: verified('nina@example.com') },
          { username: 'dora', password: STRONG_PASSWORD, enabled: false, attributes: verified('dora@example.com') },
          { username: 'uma', password: STRONG_PASSWORD, status: 'UNCONFIRMED', attributes: verified('uma@example.com') },
          { username: 'otto', password: STRONG_PASSWORD, attributes: verified('otto@example.com', '+15555550112') },
          { username: 'rosa', password: STRONG_PASSWORD, attributes: verified('rosa@example.com', '+15555550113') },
        ],
      },
    ],
  });
});
afterAll(() => h.close());

const userAuth = (s: Setup, username: string, extra: Record<string, string> = {}): Promise<InitiateAuthCommandOutput> =>
  h.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_AUTH',
      ClientId: s.clientId,
      AuthParameters: { USERNAME: username, ...extra, ...(s.clientSecret ? { SECRET_HASH: secretHash(s.clientSecret, username, s.clientId) } : {}) },
    }),
  );

const select = (s: Setup, session: string | undefined, username: string, answer: Record<string, string>) =>
  respond(h.sdk, s, 'SELECT_CHALLENGE', session, { USERNAME: username, ...answer });

/** An SRP ephemeral for PASSWORD_SRP, and answerVerifier's view of the PASSWORD_VERIFIER challenge. */
function srpFor(s: Setup) {
  const srp = new CognitoSrpClient(s.poolId, engine);
  const ephemeral = srp.createEphemeral();
  return { srpA: ephemeral.A.toString(16), started: (response: InitiateAuthCommandOutput) => ({ srp, ephemeral, response }) };
}

const outboxFor = (username: string) => h.pool.outbox({ username });

describe('pool settings: SignInPolicy, UserPoolTier, WebAuthnConfiguration', () => {
  it('CreateUserPool / DescribeUserPool keep the sign-in policy and the feature plan; the defaults are PASSWORD and ESSENTIALS', async () => {
    const plain = await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'plain' }));
    expect(plain.UserPool!.Policies!.SignInPolicy).toEqual({ AllowedFirstAuthFactors: ['PASSWORD'] });
    expect(plain.UserPool!.UserPoolTier).toBe('ESSENTIALS');
    const described = await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: hidden.poolId }));
    expect(described.UserPool!.Policies!.SignInPolicy).toEqual({ AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] });

    const plus = await h.sdk.send(
      new CreateUserPoolCommand({ PoolName: 'plus', UserPoolTier: 'PLUS', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['WEB_AUTHN', 'PASSWORD'] } } }),
    );
    const id = plus.UserPool!.Id!;
    expect(plus.UserPool).toMatchObject({ UserPoolTier: 'PLUS', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } });
    // UpdateUserPool: the policy left out goes back to PASSWORD, the plan left out stays.
    await h.sdk.send(new UpdateUserPoolCommand({ UserPoolId: id }));
    expect((await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool).toMatchObject({
      UserPoolTier: 'PLUS',
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] } },
    });
    await h.sdk.send(new UpdateUserPoolCommand({ UserPoolId: id, UserPoolTier: 'LITE' }));
    expect((await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!.UserPoolTier).toBe('LITE');
  });

  it('LITE: passwordless factors, e-mail MFA, passkey MFA and USER_AUTH itself are FeatureUnavailableInTierException', async () => {
    const otp = { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD' as const, 'EMAIL_OTP' as const] } };
    expect(await failure(h.sdk.send(new CreateUserPoolCommand({ PoolName: 'lite', UserPoolTier: 'LITE', Policies: otp })))).toEqual({
      name: 'FeatureUnavailableInTierException',
      message: 'Choice-based sign-in with EMAIL_OTP is not available in the LITE feature plan; it needs ESSENTIALS or PLUS.',
    });
    const lite = await createPoolAndClient(h.sdk, { UserPoolTier: 'LITE' }, { ExplicitAuthFlows: [...USER_AUTH_FLOWS] });
    expect(await failure(h.sdk.send(new UpdateUserPoolCommand({ UserPoolId: lite.poolId, Policies: otp })))).toMatchObject({ name: 'FeatureUnavailableInTierException' });
    expect(
      await failure(h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: lite.poolId, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: {} }))),
    ).toMatchObject({ name: 'FeatureUnavailableInTierException' });
    expect(
      await failure(
        h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: lite.poolId, WebAuthnConfiguration: { FactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION' } })),
      ),
    ).toMatchObject({ name: 'FeatureUnavailableInTierException' });
    expect(await failure(userAuth(lite, 'anyone'))).toEqual({
      name: 'FeatureUnavailableInTierException',
      message: 'Choice-based sign-in (USER_AUTH) is not available in the LITE feature plan; it needs ESSENTIALS or PLUS.',
    });
    // Upgrading makes them available.
    await h.sdk.send(new UpdateUserPoolCommand({ UserPoolId: lite.poolId, UserPoolTier: 'ESSENTIALS', Policies: otp }));
    expect((await failure(userAuth(lite, 'anyone'))).name).toBe('UserNotFoundException');
  });

  it('refuses SOFTWARE_TOKEN and a policy without PASSWORD; OTP first factors only with MFA OFF; passkeys with MFA ON only as MFA', async () => {
    const create = (factors: string[], extra: object = {}) =>
      failure(h.sdk.send(new CreateUserPoolCommand({ PoolName: 'p', Policies: { SignInPolicy: { AllowedFirstAuthFactors: factors as never } }, ...extra })));
    expect(await create(['PASSWORD', 'SOFTWARE_TOKEN'])).toEqual({ name: 'InvalidParameterException', message: 'SOFTWARE_TOKEN is not supported as a first auth factor.' });
    expect(await create(['EMAIL_OTP'])).toEqual({ name: 'InvalidParameterException', message: 'AllowedFirstAuthFactors must include PASSWORD.' });
    expect(await create(['PASSWORD', 'SMS_OTP'], { MfaConfiguration: 'OPTIONAL' })).toEqual({
      name: 'InvalidParameterException',
      message: 'Only PASSWORD and WEB_AUTHN (if configured) can be enabled as an auth factor if MFA is enabled',
    });
    expect(await failure(setPoolMfa(h.sdk, hidden.poolId, 'OPTIONAL'))).toMatchObject({ name: 'InvalidParameterException' });

    const passkeys = await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'p', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } }));
    const id = passkeys.UserPool!.Id!;
    expect(await failure(setPoolMfa(h.sdk, id, 'ON', { SoftwareTokenMfaConfiguration: { Enabled: true } }))).toEqual({
      name: 'InvalidParameterException',
      message: 'Cannot set WebAuthn factor configuration to SINGLE_FACTOR if MFA is required and WebAuthn is an allowed first auth factor',
    });
    await setPoolMfa(h.sdk, id, 'OPTIONAL', { SoftwareTokenMfaConfiguration: { Enabled: true } });
    await setPoolMfa(h.sdk, id, 'ON', {
      SoftwareTokenMfaConfiguration: { Enabled: true },
      WebAuthnConfiguration: { RelyingPartyId: 'example.com', UserVerification: 'required', FactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION' },
    });
    expect((await h.sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: id }))).WebAuthnConfiguration).toEqual({
      RelyingPartyId: 'example.com',
      UserVerification: 'required',
      FactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION',
    });
    // WebAuthnConfiguration left out of SetUserPoolMfaConfig stays.
    await setPoolMfa(h.sdk, id, 'ON', { SoftwareTokenMfaConfiguration: { Enabled: true } });
    expect((await h.sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: id }))).WebAuthnConfiguration?.RelyingPartyId).toBe('example.com');
    expect((await h.sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: hidden.poolId }))).WebAuthnConfiguration).toEqual({
      UserVerification: 'preferred',
      FactorConfiguration: 'SINGLE_FACTOR',
    });
    expect(
      await failure(h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: id, WebAuthnConfiguration: { RelyingPartyId: 'https://example.com' } }))),
    ).toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('without PREFERRED_CHALLENGE: SELECT_CHALLENGE', () => {
  it('lists exactly what the user can use, with the policy: a password, a verified email, a verified phone number', async () => {
    const expected: Record<string, string[]> = {
      eve: EVERY_FACTOR,
      ed: PASSWORDS, // email not verified
      pia: [...PASSWORDS, 'SMS_OTP'],
      nina: PASSWORDS, // FORCE_CHANGE_PASSWORD: the password factors only
    };
    for (const [username, available] of Object.entries(expected)) {
      const challenge = await userAuth(hidden, username);
      expect(challenge).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: available, ChallengeParameters: { USERNAME: username } });
      expect(challenge.Session!.length).toBeGreaterThanOrEqual(20);
    }
  });

  it('ANSWER PASSWORD + PASSWORD: tokens; a missing PASSWORD keeps the Session; ChallengeName PASSWORD is the same answer', async () => {
    const challenge = await userAuth(hidden, 'eve');
    expect(await failure(select(hidden, challenge.Session, 'eve', { ANSWER: 'PASSWORD' }))).toEqual({
      name: 'InvalidParameterException',
      message: 'Missing required parameter PASSWORD',
    });
    const done = await select(hidden, challenge.Session, 'eve', { ANSWER: 'PASSWORD', PASSWORD: STRONG_PASSWORD });
    expect(done.AuthenticationResult?.RefreshToken).toEqual(expect.any(String));
    expect(await failure(select(hidden, challenge.Session, 'eve', { ANSWER: 'PASSWORD', PASSWORD: STRONG_PASSWORD }))).toMatchObject({
      message: 'Invalid session for the user, session can only be used once.',
    });

    const again = await userAuth(hidden, 'eve');
    const named = await respond(h.sdk, hidden, 'PASSWORD', again.Session, { USERNAME: 'eve', PASSWORD: STRONG_PASSWORD });
    expect(named.AuthenticationResult).toBeDefined();
  });

  it('a wrong PASSWORD is "Incorrect username or password." and counts towards the lockout', async () => {
    const attempt = async () => {
      const challenge = await userAuth(hidden, 'rosa');
      return failure(select(hidden, challenge.Session, 'rosa', { ANSWER: 'PASSWORD', PASSWORD: 'Wr0ng!password' }));
    };
    for (let i = 0; i < 5; i++) expect(await attempt()).toEqual(INCORRECT);
    await attempt();
    expect(await failure(passwordSignIn(h.sdk, hidden, 'rosa', STRONG_PASSWORD))).toEqual({ name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
  });

  it('ANSWER PASSWORD_SRP + SRP_A: PASSWORD_VERIFIER, then tokens', async () => {
    const { srpA, started } = srpFor(hidden);
    const challenge = await userAuth(hidden, 'eve');
    const verifier = await select(hidden, challenge.Session, 'eve', { ANSWER: 'PASSWORD_SRP', SRP_A: srpA });
    expect(verifier.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(Object.keys(verifier.ChallengeParameters!).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
    const done = await answerVerifier(h.sdk, hidden, started(verifier), STRONG_PASSWORD, new Date(h.clock.now()));
    expect(done.AuthenticationResult).toBeDefined();
  });

  it('ANSWER EMAIL_OTP / SMS_OTP: the code challenge follows (no AvailableChallenges there), then tokens', async () => {
    for (const [factor, codeKey] of [['EMAIL_OTP', 'EMAIL_OTP_CODE'], ['SMS_OTP', 'SMS_OTP_CODE']] as const) {
      const challenge = await userAuth(hidden, 'eve');
      const otp = await select(hidden, challenge.Session, 'eve', { ANSWER: factor });
      expect(otp.ChallengeName).toBe(factor);
      expect((otp as { AvailableChallenges?: unknown }).AvailableChallenges).toBeUndefined();
      const done = await respond(h.sdk, hidden, factor, otp.Session, { USERNAME: 'eve', [codeKey]: lastCode(h.pool, 'eve') });
      expect(done.AuthenticationResult).toBeDefined();
    }
  });

  it('refuses an ANSWER that is no factor or was not offered, and CREDENTIAL before the passkey challenge; the Session stays', async () => {
    const challenge = await userAuth(hidden, 'ed');
    expect(await failure(select(hidden, challenge.Session, 'ed', { ANSWER: 'SMS_MFA' }))).toEqual({
      name: 'InvalidParameterException',
      message: 'ANSWER must be one of PASSWORD_SRP, PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN.',
    });
    expect(await failure(select(hidden, challenge.Session, 'ed', { ANSWER: 'EMAIL_OTP' }))).toEqual({
      name: 'InvalidParameterException',
      message: 'EMAIL_OTP is not one of the AvailableChallenges of this sign-in.',
    });
    expect(outboxFor('ed')).toEqual([]);
    expect(await failure(select(hidden, challenge.Session, 'other', { ANSWER: 'PASSWORD', PASSWORD: STRONG_PASSWORD }))).toEqual(INVALID_SESSION);
    expect((await select(hidden, challenge.Session, 'ed', { ANSWER: 'PASSWORD', PASSWORD: STRONG_PASSWORD })).AuthenticationResult).toBeDefined();
  });
});

describe('with PREFERRED_CHALLENGE', () => {
  it('PASSWORD + PASSWORD: tokens in one call; a temporary password gets NEW_PASSWORD_REQUIRED', async () => {
    const done = await userAuth(hidden, 'eve', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: STRONG_PASSWORD });
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    const nina = await userAuth(hidden, 'nina', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: STRONG_PASSWORD });
    expect(nina.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(await failure(userAuth(hidden, 'eve', { PREFERRED_CHALLENGE: 'PASSWORD' }))).toEqual({
      name: 'InvalidParameterException',
      message: 'Missing required parameter PASSWORD',
    });
  });

  it('PASSWORD_SRP + SRP_A: PASSWORD_VERIFIER, then tokens', async () => {
    const { srpA, started } = srpFor(hidden);
    const verifier = await userAuth(hidden, 'eve', { PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: srpA });
    expect(verifier.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect((await answerVerifier(h.sdk, hidden, started(verifier), STRONG_PASSWORD, new Date(h.clock.now()))).AuthenticationResult).toBeDefined();
    expect(await failure(userAuth(hidden, 'eve', { PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: '0' }))).toMatchObject({ name: 'InvalidParameterException' });
  });

  it('EMAIL_OTP: an 8-digit code by e-mail, the masked address, AvailableChallenges [EMAIL_OTP]; the code signs in (no MFA after it)', async () => {
    const challenge = await userAuth(hidden, 'eve', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    expect(challenge.ChallengeName).toBe('EMAIL_OTP');
    expect(challenge.AvailableChallenges).toEqual(['EMAIL_OTP']);
    expect(challenge.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL',
      CODE_DELIVERY_DESTINATION: 'e***@e***',
      USER_ID_FOR_SRP: 'eve',
      USERNAME: 'eve',
    });
    const message = outboxFor('eve').at(-1)!;
    expect(message).toMatchObject({ medium: 'EMAIL', destination: 'eve@example.com', purpose: 'SIGN_IN', code: expect.stringMatching(/^\d{8}$/) });
    const done = await respond(h.sdk, hidden, 'EMAIL_OTP', challenge.Session, { USERNAME: 'eve', EMAIL_OTP_CODE: message.code! });
    expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
  });

  it('SMS_OTP: a 6-digit code by SMS to the masked number; SMS_OTP_CODE signs in', async () => {
    const challenge = await userAuth(hidden, 'pia', { PREFERRED_CHALLENGE: 'SMS_OTP' });
    expect(challenge).toMatchObject({
      ChallengeName: 'SMS_OTP',
      AvailableChallenges: ['SMS_OTP'],
      ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0111', USERNAME: 'pia' },
    });
    const message = outboxFor('pia').at(-1)!;
    expect(message).toMatchObject({ medium: 'SMS', destination: '+15555550111', purpose: 'SIGN_IN', code: expect.stringMatching(/^\d{6}$/) });
    expect(await failure(respond(h.sdk, hidden, 'SMS_OTP', challenge.Session, { USERNAME: 'pia', SMS_MFA_CODE: message.code! }))).toEqual({
      name: 'InvalidParameterException',
      message: 'Missing required parameter SMS_OTP_CODE',
    });
    expect((await respond(h.sdk, hidden, 'SMS_OTP', challenge.Session, { USERNAME: 'pia', SMS_OTP_CODE: message.code! })).AuthenticationResult).toBeDefined();
  });

  it('a factor the user cannot use is answered with SELECT_CHALLENGE and the real list (nothing sent)', async () => {
    expect(await userAuth(hidden, 'ed', { PREFERRED_CHALLENGE: 'EMAIL_OTP' })).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: PASSWORDS });
    expect(await userAuth(hidden, 'nina', { PREFERRED_CHALLENGE: 'SMS_OTP' })).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: PASSWORDS });
    expect(await userAuth(hidden, 'eve', { PREFERRED_CHALLENGE: 'WEB_AUTHN' })).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: EVERY_FACTOR });
    expect(outboxFor('ed')).toEqual([]);
    expect(outboxFor('nina')).toEqual([]);
    expect(await failure(userAuth(hidden, 'eve', { PREFERRED_CHALLENGE: 'SMS_MFA' }))).toEqual({
      name: 'InvalidParameterException',
      message: 'PREFERRED_CHALLENGE must be one of PASSWORD_SRP, PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN.',
    });
  });
});

describe('OTP codes', () => {
  it('a wrong code is CodeMismatch and keeps the Session; the third ends it; wrong codes do not lock the password', async () => {
    const challenge = await userAuth(hidden, 'otto', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    const code = lastCode(h.pool, 'otto');
    const wrong = code === '00000000' ? '11111111' : '00000000';
    const answer = (value: string) => respond(h.sdk, hidden, 'EMAIL_OTP', challenge.Session, { USERNAME: 'otto', EMAIL_OTP_CODE: value });
    expect(await failure(answer(wrong))).toEqual(INVALID_CODE);
    expect(await failure(answer(wrong))).toEqual(INVALID_CODE);
    expect(await failure(answer(wrong))).toEqual(INVALID_SESSION);
    expect(await failure(answer(code))).toEqual(INVALID_SESSION);
    expect((await passwordSignIn(h.sdk, hidden, 'otto', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('wrong codes sent in parallel all count: the Session ends after three', async () => {
    const challenge = await userAuth(hidden, 'otto', { PREFERRED_CHALLENGE: 'SMS_OTP' });
    const code = lastCode(h.pool, 'otto');
    const wrong = code === '000000' ? '111111' : '000000';
    const results = await Promise.all(
      Array.from({ length: 6 }, () => failure(respond(h.sdk, hidden, 'SMS_OTP', challenge.Session, { USERNAME: 'otto', SMS_OTP_CODE: wrong }))),
    );
    expect(results.filter((r) => r.name === 'CodeMismatchException')).toHaveLength(2);
    expect(await failure(respond(h.sdk, hidden, 'SMS_OTP', challenge.Session, { USERNAME: 'otto', SMS_OTP_CODE: code }))).toEqual(INVALID_SESSION);
  });

  it('the code lives as long as the Session: AuthSessionValidity (3 minutes by default, 5 here)', async () => {
    const challenge = await userAuth(hidden, 'otto', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    h.clock.advance(3 * 60_000);
    expect(await failure(respond(h.sdk, hidden, 'EMAIL_OTP', challenge.Session, { USERNAME: 'otto', EMAIL_OTP_CODE: lastCode(h.pool, 'otto') }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
    const five = await addClient(hidden.poolId, { AuthSessionValidity: 5, PreventUserExistenceErrors: 'ENABLED' });
    const longer = await userAuth(five, 'otto', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    h.clock.advance(4 * 60_000 + 59_000);
    expect((await respond(h.sdk, five, 'EMAIL_OTP', longer.Session, { USERNAME: 'otto', EMAIL_OTP_CODE: lastCode(h.pool, 'otto') })).AuthenticationResult).toBeDefined();
  });

  it('resend is a new InitiateAuth: a new code, and the earlier code and Session stop working', async () => {
    const first = await userAuth(hidden, 'otto', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    const firstCode = lastCode(h.pool, 'otto');
    const second = await userAuth(hidden, 'otto', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    const secondCode = lastCode(h.pool, 'otto');
    expect(second.Session).not.toBe(first.Session);
    expect(await failure(respond(h.sdk, hidden, 'EMAIL_OTP', first.Session, { USERNAME: 'otto', EMAIL_OTP_CODE: firstCode }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session can only be used once.',
    });
    if (firstCode !== secondCode) {
      expect(await failure(respond(h.sdk, hidden, 'EMAIL_OTP', second.Session, { USERNAME: 'otto', EMAIL_OTP_CODE: firstCode }))).toEqual(INVALID_CODE);
    }
    expect((await respond(h.sdk, hidden, 'EMAIL_OTP', second.Session, { USERNAME: 'otto', EMAIL_OTP_CODE: secondCode })).AuthenticationResult).toBeDefined();
  });
});

describe('names that are no user, and closed accounts', () => {
  it('ENABLED: an unknown name gets a plausible SELECT_CHALLENGE and a simulated code challenge; nothing is sent and nothing passes', async () => {
    const select0 = await userAuth(hidden, 'nobody');
    expect(select0).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: EVERY_FACTOR, ChallengeParameters: { USERNAME: 'nobody' } });

    const email = await userAuth(hidden, 'ghost@example.com', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    expect(email).toMatchObject({
      ChallengeName: 'EMAIL_OTP',
      AvailableChallenges: ['EMAIL_OTP'],
      ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'g***@e***', USERNAME: 'ghost@example.com' },
    });
    const made = (await userAuth(hidden, 'nobody', { PREFERRED_CHALLENGE: 'EMAIL_OTP' })).ChallengeParameters!['CODE_DELIVERY_DESTINATION'];
    expect(made).toMatch(/^[a-z]\*\*\*@[a-z]\*\*\*$/);
    expect((await userAuth(hidden, 'nobody', { PREFERRED_CHALLENGE: 'EMAIL_OTP' })).ChallengeParameters!['CODE_DELIVERY_DESTINATION']).toBe(made);
    expect((await userAuth(hidden, 'nobody', { PREFERRED_CHALLENGE: 'SMS_OTP' })).ChallengeParameters!['CODE_DELIVERY_DESTINATION']).toMatch(/^\+\*{7}\d{4}$/);
    expect(h.pool.outbox({ username: 'nobody' })).toEqual([]);
    expect(h.pool.outbox({ recipient: 'ghost@example.com' })).toEqual([]);

    const answer = (code: string) => respond(h.sdk, hidden, 'EMAIL_OTP', email.Session, { USERNAME: 'ghost@example.com', EMAIL_OTP_CODE: code });
    expect(await failure(answer('12345678'))).toEqual(INVALID_CODE);
    expect(await failure(answer('87654321'))).toEqual(INVALID_CODE);
    expect(await failure(answer('11111111'))).toEqual(INVALID_SESSION);

    const chosen = await select(hidden, select0.Session, 'nobody', { ANSWER: 'SMS_OTP' });
    expect(chosen.ChallengeName).toBe('SMS_OTP');
    expect(await failure(select(hidden, (await userAuth(hidden, 'nobody')).Session, 'nobody', { ANSWER: 'PASSWORD', PASSWORD: STRONG_PASSWORD }))).toEqual(INCORRECT);
    expect(await failure(userAuth(hidden, 'nobody', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: STRONG_PASSWORD }))).toEqual(INCORRECT);

    const { srpA, started } = srpFor(hidden);
    const verifier = await userAuth(hidden, 'nobody', { PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: srpA });
    expect(verifier.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(await failure(answerVerifier(h.sdk, hidden, started(verifier), STRONG_PASSWORD, new Date(h.clock.now())))).toEqual(INCORRECT);
  });

  it('ENABLED: a disabled or unconfirmed account looks the same (nothing sent); its right password tells', async () => {
    for (const username of ['dora', 'uma']) {
      expect(await userAuth(hidden, username)).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: EVERY_FACTOR });
      const otp = await userAuth(hidden, username, { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
      expect(otp.ChallengeName).toBe('EMAIL_OTP');
      expect(otp.ChallengeParameters!['CODE_DELIVERY_DESTINATION']).toBe(`${username[0]}***@e***`);
      expect(outboxFor(username)).toEqual([]);
    }
    expect(await failure(userAuth(hidden, 'dora', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Wr0ng!password' }))).toEqual(INCORRECT);
    expect(await failure(userAuth(hidden, 'dora', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: STRONG_PASSWORD }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'User is disabled.',
    });
    expect((await failure(userAuth(hidden, 'uma', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: STRONG_PASSWORD }))).name).toBe('UserNotConfirmedException');
  });

  it('LEGACY: UserNotFoundException, "User is disabled.", UserNotConfirmedException, before anything else', async () => {
    expect(await failure(userAuth(legacy, 'nobody'))).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
    expect(await failure(userAuth(legacy, 'nobody', { PREFERRED_CHALLENGE: 'EMAIL_OTP' }))).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
    expect(await failure(userAuth(legacy, 'dora', { PREFERRED_CHALLENGE: 'EMAIL_OTP' }))).toEqual({ name: 'NotAuthorizedException', message: 'User is disabled.' });
    expect(await failure(userAuth(legacy, 'uma'))).toEqual({ name: 'UserNotConfirmedException', message: 'User is not confirmed.' });
    expect(await userAuth(legacy, 'eve')).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: EVERY_FACTOR });
  });
});

describe('clients and pools', () => {
  it('needs ALLOW_USER_AUTH on the client', async () => {
    const plain = await addClient(hidden.poolId, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    expect(await failure(userAuth(plain, 'eve'))).toEqual({ name: 'InvalidParameterException', message: 'USER_AUTH flow not enabled for this client' });
  });

  it('a client with a secret: SECRET_HASH over the typed name at InitiateAuth, over the canonical name on every answer', async () => {
    const withSecret = await addClient(hidden.poolId, { GenerateSecret: true });
    const challenge = await userAuth(withSecret, 'eve');
    const answer = { USERNAME: 'eve', ANSWER: 'EMAIL_OTP' };
    expect((await failure(respond(h.sdk, withSecret, 'SELECT_CHALLENGE', challenge.Session, answer))).message).toBe(`Client ${withSecret.clientId} is configured with secret but SECRET_HASH was not received`);
    const otp = await respond(h.sdk, withSecret, 'SELECT_CHALLENGE', challenge.Session, { ...answer, SECRET_HASH: secretHash(withSecret.clientSecret!, 'eve', withSecret.clientId) });
    const done = await respond(h.sdk, withSecret, 'EMAIL_OTP', otp.Session, {
      USERNAME: 'eve',
      EMAIL_OTP_CODE: lastCode(h.pool, 'eve'),
      SECRET_HASH: secretHash(withSecret.clientSecret!, 'eve', withSecret.clientId),
    });
    expect(done.AuthenticationResult).toBeDefined();
  });

  it('e-mail as username: the challenges name the user by its sub; the address signs in', async () => {
    const byEmail = await createPoolAndClient(
      h.sdk,
      { UsernameAttributes: ['email'], Policies: OTP_POLICY },
      { ExplicitAuthFlows: [...USER_AUTH_FLOWS], PreventUserExistenceErrors: 'ENABLED' },
    );
    const result = h.pool.seed({ pools: [{ id: byEmail.poolId, name: 'test', users: [{ username: 'erin@example.com', password: STRONG_PASSWORD, attributes: { email_verified: 'true' } }] }] });
    expect(result.created.users).toHaveLength(1);
    const challenge = await userAuth(byEmail, 'erin@example.com', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    const sub = challenge.ChallengeParameters!['USERNAME']!;
    expect(sub).toMatch(/^[0-9a-f-]{36}$/);
    const code = h.pool.outbox({ recipient: 'erin@example.com' }).at(-1)!.code!;
    expect((await respond(h.sdk, byEmail, 'EMAIL_OTP', challenge.Session, { USERNAME: sub, EMAIL_OTP_CODE: code })).AuthenticationResult).toBeDefined();
    // An unknown address shows a UUID too, as a user of this pool would; and its answers may name it
    // by the typed address, as a user's may (Amplify does), with the same outcome as for a user.
    const unknown = await userAuth(byEmail, 'nobody@example.com');
    expect(unknown.ChallengeParameters!['USERNAME']).toMatch(/^[0-9a-f-]{36}$/);
    const known = await userAuth(byEmail, 'erin@example.com');
    for (const [typed, challenge] of [['erin@example.com', known], ['nobody@example.com', unknown]] as const) {
      const otp = await select(byEmail, challenge.Session, typed, { ANSWER: 'EMAIL_OTP' });
      expect(otp.ChallengeName).toBe('EMAIL_OTP');
      expect(await failure(respond(h.sdk, byEmail, 'EMAIL_OTP', otp.Session, { USERNAME: typed, EMAIL_OTP_CODE: '00000000' }))).toEqual(INVALID_CODE);
    }
  });

  it('after the PASSWORD factor the pool\'s MFA follows as after any password', async () => {
    const mfa = await createPoolAndClient(h.sdk, {}, { ExplicitAuthFlows: [...USER_AUTH_FLOWS] });
    await setPoolMfa(h.sdk, mfa.poolId, 'OPTIONAL', ALL_FACTORS);
    h.pool.seed({ pools: [{ id: mfa.poolId, name: 'test', users: [{ username: 'emma', password: STRONG_PASSWORD, attributes: { email: 'emma@example.com' }, mfa: { email: true } }] }] });
    const challenge = await userAuth(mfa, 'emma', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: STRONG_PASSWORD });
    expect(challenge.ChallengeName).toBe('EMAIL_OTP');
    expect(h.pool.outbox({ username: 'emma' }).at(-1)!.purpose).toBe('MFA');
    expect((await respond(h.sdk, mfa, 'EMAIL_OTP', challenge.Session, { USERNAME: 'emma', EMAIL_OTP_CODE: lastCode(h.pool, 'emma') })).AuthenticationResult).toBeDefined();
  });
});

describe('users without a password', () => {
  it('a seed user without a password gets the passwordless factors only; a pool without any refuses such a user', async () => {
    h.pool.seed({ pools: [{ id: hidden.poolId, name: 'test', users: [{ username: 'wanda', attributes: verified('wanda@example.com', '+15555550114') }] }] });
    expect(await userAuth(hidden, 'wanda')).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: ['EMAIL_OTP', 'SMS_OTP'] });
    expect(await userAuth(hidden, 'wanda', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: STRONG_PASSWORD })).toMatchObject({
      ChallengeName: 'SELECT_CHALLENGE',
      AvailableChallenges: ['EMAIL_OTP', 'SMS_OTP'],
    });
    const otp = await userAuth(hidden, 'wanda', { PREFERRED_CHALLENGE: 'SMS_OTP' });
    const tokens = await respond(h.sdk, hidden, 'SMS_OTP', otp.Session, { USERNAME: 'wanda', SMS_OTP_CODE: lastCode(h.pool, 'wanda') });
    expect(await h.sdk.send(new GetUserAuthFactorsCommand({ AccessToken: tokens.AuthenticationResult!.AccessToken! }))).toMatchObject({
      ConfiguredUserAuthFactors: ['EMAIL_OTP', 'SMS_OTP'],
    });

    const plain = await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'plain' }));
    expect(() => h.pool.seed({ pools: [{ id: plain.UserPool!.Id!, name: 'plain', users: [{ username: 'x' }] }] })).toThrow(
      'seed: pools[0].users[0] (x): "password" or "temporaryPassword" is required (the pool allows no passwordless sign-in factor)',
    );
    expect(() => h.pool.seed({ pools: [{ id: hidden.poolId, name: 'test', users: [{ username: 'y', status: 'RESET_REQUIRED' }] }] })).toThrow(
      'seed: pools[0].users[0] (y): a user without a password cannot be RESET_REQUIRED',
    );
  });
});

describe('GetUserAuthFactors', () => {
  it('the user\'s name, MFA settings and configured factors', async () => {
    const eve = (await passwordSignIn(h.sdk, hidden, 'eve', STRONG_PASSWORD)).AuthenticationResult!.AccessToken!;
    expect(await h.sdk.send(new GetUserAuthFactorsCommand({ AccessToken: eve }))).toMatchObject({
      Username: 'eve',
      ConfiguredUserAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'],
    });
    const ed = (await passwordSignIn(h.sdk, hidden, 'ed', STRONG_PASSWORD)).AuthenticationResult!.AccessToken!;
    const edFactors = await h.sdk.send(new GetUserAuthFactorsCommand({ AccessToken: ed }));
    expect(edFactors.ConfiguredUserAuthFactors).toEqual(['PASSWORD']);
    expect(edFactors.UserMFASettingList).toBeUndefined();

    const mfa = await createPoolAndClient(h.sdk, {}, { ExplicitAuthFlows: [...USER_AUTH_FLOWS] });
    await setPoolMfa(h.sdk, mfa.poolId, 'OPTIONAL', ALL_FACTORS);
    h.pool.seed({
      pools: [
        {
          id: mfa.poolId,
          name: 'test',
          users: [
            {
              username: 'max',
              password: STRONG_PASSWORD,
              attributes: { phone_number: '+15555550120' },
              totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
              mfa: { sms: true, totp: true, preferred: 'TOTP' },
            },
          ],
        },
      ],
    });
    const signIn = await passwordSignIn(h.sdk, mfa, 'max', STRONG_PASSWORD);
    expect(signIn.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const { totpCode } = await import('../../src/local-pool/index.js');
    const tokens = await respond(h.sdk, mfa, 'SOFTWARE_TOKEN_MFA', signIn.Session, {
      USERNAME: 'max',
      SOFTWARE_TOKEN_MFA_CODE: totpCode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', h.clock.now()),
    });
    expect(await h.sdk.send(new GetUserAuthFactorsCommand({ AccessToken: tokens.AuthenticationResult!.AccessToken! }))).toMatchObject({
      Username: 'max',
      PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
      UserMFASettingList: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'],
      ConfiguredUserAuthFactors: ['PASSWORD', 'SMS_OTP', 'SOFTWARE_TOKEN'],
    });
    expect(await failure(h.sdk.send(new GetUserAuthFactorsCommand({ AccessToken: 'not.a.token' })))).toMatchObject({ name: 'NotAuthorizedException' });
  });
});

describe('schema migration 4', () => {
  it('a pool stored before keeps the feature plan it was created with and gets the password-only sign-in policy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authchart-migrate-'));
    const file = join(dir, 'old.sqlite');
    try {
      const db = new Database(file);
      for (const migration of migrations.slice(0, 3)) migration(db);
      db.pragma('user_version = 3');
      const base = { MfaConfiguration: 'OFF', SoftwareTokenMfaConfiguration: { Enabled: false }, UsernameAttributes: [], AliasAttributes: [], AutoVerifiedAttributes: [], Schema: [] };
      const insert = db.prepare('INSERT INTO user_pools (id, name, config, created_at, updated_at) VALUES (?, ?, ?, 0, 0)');
      insert.run('us-east-1_oldplus', 'old', JSON.stringify({ ...base, Policies: { PasswordPolicy: {} }, Stored: { UserPoolTier: 'PLUS' } }));
      insert.run('us-east-1_oldplain', 'old', JSON.stringify({ ...base, Policies: { PasswordPolicy: {} } }));
      db.close();
      const pool = await startLocalPool({ dataFile: file });
      const sdk = sdkClient(pool.url);
      try {
        const plus = (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_oldplus' }))).UserPool!;
        expect(plus.UserPoolTier).toBe('PLUS');
        expect(plus.Policies!.SignInPolicy).toEqual({ AllowedFirstAuthFactors: ['PASSWORD'] });
        expect((await sdk.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_oldplain' }))).UserPool!.UserPoolTier).toBe('ESSENTIALS');
      } finally {
        sdk.destroy();
        await pool.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
