// Amplify JS v6, unchanged, through choice-based sign-in (authFlowType USER_AUTH) against the local
// pool: e-mail and SMS one-time codes as first factors (codes read from the outbox), the first-factor
// selection ending in PASSWORD, PASSWORD_SRP as the preferred factor, and the signed-in passkey list
// (listWebAuthnCredentials with pages, deleteWebAuthnCredential) for passkeys registered with the
// software authenticator. Passkey sign-in itself needs navigator.credentials (real Chromium: e2e).
import { Amplify } from 'aws-amplify';
import { confirmSignIn, deleteWebAuthnCredential, fetchAuthSession, listWebAuthnCredentials, signIn, signOut } from 'aws-amplify/auth';
import {
  CompleteWebAuthnRegistrationCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SoftAuthenticator, type CreationOptions } from '../../support/soft-authenticator.js';
import {
  STRONG_PASSWORD,
  createPoolAndClient,
  lastCode,
  quietAmplifyEndpointWarning,
  startPool,
  targets,
  type PoolHarness,
  type Setup,
} from '../../local-pool/support.js';

quietAmplifyEndpointWarning();

let h: PoolHarness;
let setup: Setup;

const DONE = { isSignedIn: true, nextStep: { signInStep: 'DONE' } };
const userAuth = { authFlowType: 'USER_AUTH' } as const;

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(
    h.sdk,
    { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] } } },
    { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], PreventUserExistenceErrors: 'ENABLED' },
  );
  await h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: setup.poolId, WebAuthnConfiguration: { RelyingPartyId: 'localhost' } }));
  h.pool.seed({
    pools: [
      {
        id: setup.poolId,
        name: 'test',
        users: [
          {
            username: 'eve',
            password: STRONG_PASSWORD,
            attributes: { email: 'eve@example.com', email_verified: 'true', phone_number: '+15555550130', phone_number_verified: 'true' },
          },
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

it('preferredChallenge EMAIL_OTP: CONFIRM_SIGN_IN_WITH_EMAIL_CODE with the masked address, the code -> DONE (2 calls)', async () => {
  expect(await signIn({ username: 'eve', options: { ...userAuth, preferredChallenge: 'EMAIL_OTP' } })).toEqual({
    isSignedIn: false,
    nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'e***@e***' } },
  });
  expect(await confirmSignIn({ challengeResponse: lastCode(h.pool, 'eve') })).toEqual(DONE);
  expect(targets(h.pool)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
});

it('preferredChallenge SMS_OTP: CONFIRM_SIGN_IN_WITH_SMS_CODE with the masked number, the code -> DONE (2 calls)', async () => {
  expect(await signIn({ username: 'eve', options: { ...userAuth, preferredChallenge: 'SMS_OTP' } })).toEqual({
    isSignedIn: false,
    nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS', destination: '+*******0130' } },
  });
  expect(h.pool.outbox({ username: 'eve' }).at(-1)).toMatchObject({ medium: 'SMS', purpose: 'SIGN_IN' });
  expect(await confirmSignIn({ challengeResponse: lastCode(h.pool, 'eve') })).toEqual(DONE);
  expect(targets(h.pool)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
});

it('a wrong code is CodeMismatchException and the right one still signs in', async () => {
  await signIn({ username: 'eve', options: { ...userAuth, preferredChallenge: 'EMAIL_OTP' } });
  const code = lastCode(h.pool, 'eve');
  await expect(confirmSignIn({ challengeResponse: code === '00000000' ? '11111111' : '00000000' })).rejects.toMatchObject({ name: 'CodeMismatchException' });
  expect(await confirmSignIn({ challengeResponse: code })).toEqual(DONE);
});

it('no preference: CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION, PASSWORD, CONFIRM_SIGN_IN_WITH_PASSWORD, the password -> DONE (2 calls)', async () => {
  expect(await signIn({ username: 'eve', options: userAuth })).toEqual({
    isSignedIn: false,
    nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', availableChallenges: ['PASSWORD_SRP', 'PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] },
  });
  expect(await confirmSignIn({ challengeResponse: 'PASSWORD' })).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD' } });
  expect(await confirmSignIn({ challengeResponse: STRONG_PASSWORD })).toEqual(DONE);
  // Choosing PASSWORD is local to Amplify; the password goes with the SELECT_CHALLENGE answer.
  expect(targets(h.pool)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
});

it('no preference, then EMAIL_OTP chosen: the code challenge follows the selection', async () => {
  await signIn({ username: 'eve', options: userAuth });
  expect(await confirmSignIn({ challengeResponse: 'EMAIL_OTP' })).toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' } });
  expect(await confirmSignIn({ challengeResponse: lastCode(h.pool, 'eve') })).toEqual(DONE);
});

it('preferredChallenge PASSWORD_SRP with the password: SRP through USER_AUTH -> DONE', async () => {
  expect(await signIn({ username: 'eve', password: STRONG_PASSWORD, options: { ...userAuth, preferredChallenge: 'PASSWORD_SRP' } })).toEqual(DONE);
  expect(targets(h.pool)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
});

it('listWebAuthnCredentials pages through the passkeys; deleteWebAuthnCredential removes one', async () => {
  await signIn({ username: 'eve', password: STRONG_PASSWORD, options: { ...userAuth, preferredChallenge: 'PASSWORD' } });
  const accessToken = (await fetchAuthSession()).tokens!.accessToken.toString();
  const authenticator = new SoftAuthenticator({ origin: 'http://localhost:5173' });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const options = (await h.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }))).CredentialCreationOptions as unknown as CreationOptions;
    const credential = authenticator.create(options);
    await h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: credential as never }));
    ids.push(credential['id'] as string);
    h.clock.advance(1000);
  }

  const first = await listWebAuthnCredentials({ pageSize: 2 });
  expect(first.credentials.map((c) => c.credentialId)).toEqual(ids.slice(0, 2));
  expect(first.credentials[0]).toMatchObject({ friendlyCredentialName: 'Passkey on localhost:5173', relyingPartyId: 'localhost', authenticatorAttachment: 'platform' });
  expect(first.credentials[0]!.createdAt).toBeInstanceOf(Date);
  expect(first.nextToken).toEqual(expect.any(String));
  const second = await listWebAuthnCredentials({ pageSize: 2, nextToken: first.nextToken! });
  expect(second.credentials.map((c) => c.credentialId)).toEqual([ids[2]]);
  expect(second.nextToken).toBeUndefined();

  await deleteWebAuthnCredential({ credentialId: ids[0]! });
  expect((await listWebAuthnCredentials()).credentials.map((c) => c.credentialId)).toEqual(ids.slice(1));
});
