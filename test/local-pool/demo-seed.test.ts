// The demo seed's account users complete their flows against the pool: uma confirms her sign-up,
// rita resets her password, erin signs in with her e-mail address, eli confirms the sign-up he
// made with his. Codes are read from the outbox, as the demo page and `authchart outbox` do.
import { readFileSync } from 'node:fs';
import {
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  ResendConfirmationCodeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { SeedDocument } from '../../src/local-pool/index.js';
import { failure, passwordSignIn, rawCall, startPool, type PoolHarness, type Setup } from './support.js';

const seed = JSON.parse(readFileSync('seeds/demo.json', 'utf8')) as SeedDocument;
const PASSWORD = 'Passw0rd!demo';
const demo: Setup = { poolId: 'us-east-1_authchart', clientId: 'authchartdemoclient0000000' };
const byEmail: Setup = { poolId: 'us-east-1_authchartemail', clientId: 'authchartemailclient000000' };
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
