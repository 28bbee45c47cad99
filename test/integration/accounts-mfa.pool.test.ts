// MFA at sign-up, end to end through the chart against the local pool: in a pool that requires MFA with SMS,
// e-mail and TOTP enabled, a new user who gave an e-mail address (verified by the confirmation) and a phone
// number already has two factors, so Cognito offers the choice between them (SELECT_MFA_TYPE); one who gave
// neither has none and must set one up (MFA_SETUP: TOTP, or e-mail by giving an address — SMS cannot be set up
// while signing in). Each completes and is signed in.
import { waitFor, type SnapshotFrom } from 'xstate';
import {
  AdminConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createAuth, selectView, type Auth, type AuthMachine } from '../../src/index.node.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { authenticatorCode } from '../support/authenticator.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';

const PASSWORD = 'Passw0rd!strong';
let env: TestPool;
let pool: { userPoolId: string; clientId: string };
const running: Auth[] = [];

beforeAll(async () => {
  env = await startTestPool();
  const userPoolId = (await env.admin.send(new CreateUserPoolCommand({ PoolName: 'mfa-at-sign-up', AutoVerifiedAttributes: ['email'] }))).UserPool!.Id!;
  await env.admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: userPoolId,
      MfaConfiguration: 'ON',
      SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/sms' } },
      SoftwareTokenMfaConfiguration: { Enabled: true },
      EmailMfaConfiguration: { Message: 'Your code is {####}', Subject: 'Your code' },
    }),
  );
  const clientId = (
    await env.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    )
  ).UserPoolClient!.ClientId!;
  pool = { userPoolId, clientId };
});
afterAll(async () => {
  running.splice(0).forEach((a) => a.stop());
  await env.close();
});
afterEach(() => {
  running.splice(0).forEach((a) => a.stop());
  env.clock.advance(30_000);
});

function client() {
  const auth = createAuth({ ...pool, endpoint: env.pool.url, storage: new MemoryStorage(), clock: { now: () => env.clock.now() } });
  running.push(auth);
  return auth;
}
const until = (auth: Auth, p: (s: SnapshotFrom<AuthMachine>) => boolean) =>
  waitFor(auth.actor, p, { timeout: 10_000 }).catch((error: unknown) => {
    const s = auth.actor.getSnapshot();
    throw new Error(`${String(error)}; the chart is at ${JSON.stringify(s.value)} with error ${JSON.stringify(s.context.error)}`);
  });
const rest = (auth: Auth) => until(auth, (s) => !s.hasTag('busy') && !s.matches('checkingSession'));
const latestCode = (to: string) => env.pool.outbox({ userPoolId: pool.userPoolId, recipient: to }).at(-1)?.code ?? '';

it('signed up with an e-mail address and a phone number: the choice between them (SMS, e-mail), the e-mailed code, signed in', async () => {
  const auth = client();
  await rest(auth);
  auth.actor.send({ type: 'signUp.start' });
  auth.actor.send({ type: 'signUp.submit', username: 'both', password: PASSWORD, attributes: { email: 'both@example.com', phone_number: '+15555550111' } });
  await until(auth, (s) => s.matches({ signingUp: { confirming: 'idle' } }));
  auth.actor.send({ type: 'code.submit', code: latestCode('both@example.com') });
  // confirmed -> auto sign-in -> the choice of the factors the account has: SMS or e-mail
  const choice = await until(auth, (s) => s.matches({ signingIn: { mfa: 'selection' } }));
  expect(selectView(choice)).toMatchObject({ route: 'mfaSelection', signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION' });
  expect([...choice.context.allowedMfaTypes!].sort()).toEqual(['EMAIL', 'SMS']);
  auth.actor.send({ type: 'mfa.select', mfaType: 'EMAIL' });
  await until(auth, (s) => s.matches({ signingIn: { mfa: 'emailCode' } }));
  auth.actor.send({ type: 'code.submit', code: latestCode('both@example.com') });
  const signedIn = await until(auth, (s) => s.matches('signedIn'));
  expect(signedIn.context.user?.username).toBe('both');
});

it('signed up with neither: a factor to set up (TOTP or e-mail), TOTP set up, signed in', async () => {
  const auth = client();
  await rest(auth);
  auth.actor.send({ type: 'signUp.start' });
  auth.actor.send({ type: 'signUp.submit', username: 'neither', password: PASSWORD, attributes: {} });
  const confirming = await until(auth, (s) => s.matches({ signingUp: { confirming: 'idle' } }));
  // No address to send a code to: an administrator confirms the account, and the user signs in.
  expect(confirming.context.codeDelivery).toBeNull();
  await env.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.userPoolId, Username: 'neither' }));
  auth.actor.send({ type: 'flow.cancel' });
  await rest(auth);
  auth.actor.send({ type: 'signIn.submit', username: 'neither', password: PASSWORD });
  const choice = await until(auth, (s) => s.matches({ signingIn: { enrolment: 'setupSelection' } }));
  expect(selectView(choice)).toMatchObject({ route: 'mfaSetupSelection', allowedMfaTypes: expect.arrayContaining(['TOTP', 'EMAIL']) });
  auth.actor.send({ type: 'mfa.select', mfaType: 'TOTP' });
  const setup = await until(auth, (s) => s.matches({ signingIn: { enrolment: { totpSetup: 'idle' } } }));
  const secret = setup.context.totpSetup!.sharedSecret;
  auth.actor.send({ type: 'code.submit', code: authenticatorCode(secret, env.clock.now()) });
  const signedIn = await until(auth, (s) => s.matches('signedIn'));
  expect(signedIn.context.user?.username).toBe('neither');
});
