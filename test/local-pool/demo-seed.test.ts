// The demo seed's account users complete their flows against the pool: uma confirms her sign-up,
// rita resets her password, erin signs in with her e-mail address, eli confirms the sign-up he
// made with his; in the passwordless pool olive and simon sign in with one-time codes, paula
// registers a passkey and signs in with it, chris is offered every factor, wes has no password. Codes are read from the
// outbox, as the demo page and `authchart outbox` do.
import { readFileSync } from 'node:fs';
import {
  CompleteWebAuthnRegistrationCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { SeedDocument } from '../../src/local-pool/index.js';
import { SoftAuthenticator, type CreationOptions, type RequestOptions } from '../support/soft-authenticator.js';
import { failure, passwordSignIn, rawCall, respond, startPool, type PoolHarness, type Setup } from './support.js';

const seed = JSON.parse(readFileSync('seeds/demo.json', 'utf8')) as SeedDocument;
const PASSWORD = 'Passw0rd!demo';
const demo: Setup = { poolId: 'us-east-1_authchart', clientId: 'authchartdemoclient0000000' };
const byEmail: Setup = { poolId: 'us-east-1_authchartemail', clientId: 'authchartemailclient000000' };
const passwordless: Setup = { poolId: 'us-east-1_authchartpasswordless', clientId: 'authchartpasswordlessclient' };
let h: PoolHarness;

beforeAll(async () => {
  h = await startPool({ seed });
});
afterAll(() => h.close());

/** The newest code to an address, read over GET /_local/outbox?to=, as a demo page would. */
async function codeTo(address: string): Promise<string> {
  const { json } = await rawCall(`${h.pool.url}/_local/outbox?to=${encodeURIComponent(address)}`, { method: 'GET' });
  return (json as { messages: Array<{ code: string }> }).messages.at(-1)!.code;
}

it('uma: UserNotConfirmed, resend, confirm with the code from the outbox, signed in', async () => {
  expect((await failure(passwordSignIn(h.sdk, demo, 'uma', PASSWORD))).name).toBe('UserNotConfirmedException');
  const sent = await h.sdk.send(new ResendConfirmationCodeCommand({ ClientId: demo.clientId, Username: 'uma' }));
  expect(sent.CodeDeliveryDetails).toEqual({ Destination: 'u***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  await h.sdk.send(new ConfirmSignUpCommand({ ClientId: demo.clientId, Username: 'uma', ConfirmationCode: await codeTo('uma@example.com') }));
  expect((await passwordSignIn(h.sdk, demo, 'Uma', PASSWORD)).AuthenticationResult?.IdToken).toBeDefined();
});

it('rita: PasswordResetRequired, ForgotPassword, ConfirmForgotPassword, signed in with the new password', async () => {
  expect((await failure(passwordSignIn(h.sdk, demo, 'rita', PASSWORD))).name).toBe('PasswordResetRequiredException');
  await h.sdk.send(new ForgotPasswordCommand({ ClientId: demo.clientId, Username: 'rita' }));
  await h.sdk.send(
    new ConfirmForgotPasswordCommand({ ClientId: demo.clientId, Username: 'rita', ConfirmationCode: await codeTo('rita@example.com'), Password: 'N3w!Passw0rd' }),
  );
  expect((await passwordSignIn(h.sdk, demo, 'rita', 'N3w!Passw0rd')).AuthenticationResult?.IdToken).toBeDefined();
});

it('erin signs in with her address in any case; eli confirms the sign-up he made with his', async () => {
  const erin = await passwordSignIn(h.sdk, byEmail, 'Erin@Example.com', PASSWORD);
  const claims = JSON.parse(Buffer.from(erin.AuthenticationResult!.IdToken!.split('.')[1]!, 'base64url').toString());
  expect(claims).toMatchObject({ email: 'erin@example.com', email_verified: true, name: 'Erin Email' });
  expect(claims['cognito:username']).toBe(claims.sub);
  expect((await failure(passwordSignIn(h.sdk, byEmail, 'eli@example.com', PASSWORD))).name).toBe('UserNotConfirmedException');
  await h.sdk.send(new ResendConfirmationCodeCommand({ ClientId: byEmail.clientId, Username: 'eli@example.com' }));
  await h.sdk.send(new ConfirmSignUpCommand({ ClientId: byEmail.clientId, Username: 'eli@example.com', ConfirmationCode: await codeTo('eli@example.com') }));
  expect((await passwordSignIn(h.sdk, byEmail, 'ELI@example.com', PASSWORD)).AuthenticationResult).toBeDefined();
});

const userAuth = (username: string, preferred?: string) =>
  h.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_AUTH',
      ClientId: passwordless.clientId,
      AuthParameters: { USERNAME: username, ...(preferred ? { PREFERRED_CHALLENGE: preferred } : {}) },
    }),
  );

it('olive and simon sign in with one-time codes (e-mail, SMS) and no password', async () => {
  const olive = await userAuth('olive', 'EMAIL_OTP');
  expect(olive.ChallengeParameters).toMatchObject({ CODE_DELIVERY_DESTINATION: 'o***@e***' });
  const mail = await codeTo('olive@example.com');
  expect(mail).toMatch(/^\d{8}$/);
  expect((await respond(h.sdk, passwordless, 'EMAIL_OTP', olive.Session, { USERNAME: 'olive', EMAIL_OTP_CODE: mail })).AuthenticationResult).toBeDefined();
  const simon = await userAuth('simon', 'SMS_OTP');
  const text = await codeTo('+15555550140');
  expect((await respond(h.sdk, passwordless, 'SMS_OTP', simon.Session, { USERNAME: 'simon', SMS_OTP_CODE: text })).AuthenticationResult).toBeDefined();
});

it('paula registers a passkey for localhost and signs in with it; chris is offered every factor', async () => {
  // The passwordless client has no USER_PASSWORD_AUTH: the password goes through USER_AUTH.
  const accessToken = (await userAuthWithPassword('paula')).AuthenticationResult!.AccessToken!;
  const authenticator = new SoftAuthenticator({ origin: 'http://localhost:9229' });
  const options = (await h.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }))).CredentialCreationOptions as unknown as CreationOptions;
  expect(options.rp.id).toBe('localhost');
  await h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: authenticator.create(options) as never }));
  const challenge = await userAuth('paula', 'WEB_AUTHN');
  expect(challenge.ChallengeName).toBe('WEB_AUTHN');
  const request = JSON.parse(challenge.ChallengeParameters!['CREDENTIAL_REQUEST_OPTIONS']!) as RequestOptions;
  const signedIn = await respond(h.sdk, passwordless, 'WEB_AUTHN', challenge.Session, { USERNAME: 'paula', CREDENTIAL: JSON.stringify(authenticator.get(request)) });
  expect(signedIn.AuthenticationResult).toBeDefined();

  expect(await userAuth('chris')).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: ['PASSWORD_SRP', 'PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] });
});

it('wes has no password: only the e-mail code is offered, and it signs him in', async () => {
  const choice = await userAuth('wes');
  expect(choice).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: ['EMAIL_OTP'] });
  // A password preferred is not one he can use: the choice he has instead.
  expect(await userAuthWithPassword('wes')).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: ['EMAIL_OTP'] });
  const otp = await respond(h.sdk, passwordless, 'SELECT_CHALLENGE', choice.Session, { USERNAME: 'wes', ANSWER: 'EMAIL_OTP' });
  const code = await codeTo('wes@example.com');
  expect((await respond(h.sdk, passwordless, 'EMAIL_OTP', otp.Session, { USERNAME: 'wes', EMAIL_OTP_CODE: code })).AuthenticationResult).toBeDefined();
});

function userAuthWithPassword(username: string) {
  return h.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_AUTH',
      ClientId: passwordless.clientId,
      AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD },
    }),
  );
}
