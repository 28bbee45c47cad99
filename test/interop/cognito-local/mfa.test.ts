// authchart's MFA steps against cognito-local (an emulator this team did not write):
// TOTP enrolment for a signed-in user, SOFTWARE_TOKEN_MFA at sign-in, and SELECT_MFA_TYPE.
import { waitFor, type SnapshotFrom } from 'xstate';
import { authenticatorCode } from '../../support/authenticator.js';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createAuth, type Auth, type AuthMachine } from '../../../src/index.node.js';
import { MemoryStorage } from '../../../src/session/storage.js';
import { startCognitoLocal, type CognitoLocal } from '../../support/cognito-local.js';
import { adminClient } from '../../support/sdk.js';

let peer: CognitoLocal;
let userPoolId: string;
let clientId: string;
const running: Auth[] = [];
const PASSWORD = 'Passw0rd!one';

beforeAll(async () => {
  peer = await startCognitoLocal();
  const admin = adminClient(peer.url);
  userPoolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'mfa' }))).UserPool!.Id!;
  await admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: userPoolId,
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
      SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/sms' } },
    }),
  );
  clientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'web' }))).UserPoolClient!.ClientId!;
  for (const username of ['tara', 'mia']) {
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: username,
        TemporaryPassword: PASSWORD,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'phone_number', Value: '+15555550123' }],
      }),
    );
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
  }
}, 30_000);
afterAll(async () => {
  running.forEach((a) => a.stop());
  await peer?.stop();
});

function client() {
  const auth = createAuth({ userPoolId, clientId, endpoint: peer.url, storage: new MemoryStorage(), authFlow: 'USER_PASSWORD_AUTH', totpIssuer: 'authchart-interop' });
  running.push(auth);
  return auth;
}
const until = (auth: Auth, p: (s: SnapshotFrom<AuthMachine>) => boolean) => waitFor(auth.actor, p, { timeout: 10_000 });
const totpNow = (secret: string, offsetSteps = 0) => authenticatorCode(secret, Date.now(), offsetSteps);

async function signIn(auth: Auth, username: string) {
  await until(auth, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signIn.submit', username, password: PASSWORD });
  return until(auth, (s) => !s.hasTag('busy') && !s.matches('signedOut'));
}

/** Enrols TOTP for a signed-in user through the chart and returns the shared secret. */
async function enrolTotp(auth: Auth, preference: 'PREFERRED' | 'ENABLED'): Promise<string> {
  auth.actor.send({ type: 'mfa.setUpTotp' });
  const setup = await until(auth, (s) => s.matches({ signedIn: { account: { settingUpTotp: 'idle' } } }));
  const secret = setup.context.totpSetup!.sharedSecret;
  expect(setup.context.totpSetup!.setupUri).toMatch(/^otpauth:\/\/totp\/authchart-interop:/);
  auth.actor.send({ type: 'code.submit', code: totpNow(secret) });
  const verified = await until(auth, (s) => s.matches({ signedIn: { tokens: 'active', account: 'idle' } }));
  expect(verified.context.error).toBeNull();
  auth.actor.send({ type: 'mfa.updatePreference', preference: { totp: preference } });
  const updated = await until(auth, (s) => s.matches({ signedIn: { tokens: 'active', account: 'idle' } }) && !s.hasTag('busy'));
  expect(updated.context.error).toBeNull();
  return secret;
}

it('TOTP: enrol while signed in, then SOFTWARE_TOKEN_MFA at the next sign-in', async () => {
  const first = client();
  expect((await signIn(first, 'tara')).matches('signedIn')).toBe(true);
  const secret = await enrolTotp(first, 'PREFERRED');

  const second = client();
  const step = await signIn(second, 'tara');
  expect(step.matches({ signingIn: { mfa: 'totpCode' } })).toBe(true);
  second.actor.send({ type: 'code.submit', code: '000000' === totpNow(secret) ? '111111' : '000000' });
  const wrong = await until(second, (s) => s.context.error !== null);
  expect(wrong.matches({ signingIn: { mfa: 'totpCode' } })).toBe(true);
  expect(wrong.context.error?.code).toBe('CodeMismatch');
  second.actor.send({ type: 'code.submit', code: totpNow(secret) });
  expect((await until(second, (s) => s.matches('signedIn'))).context.user?.username).toBe('tara');
});

it('SELECT_MFA_TYPE: SMS and TOTP enabled, none preferred; the user picks TOTP', async () => {
  const first = client();
  await signIn(first, 'mia');
  const secret = await enrolTotp(first, 'ENABLED');
  first.actor.send({ type: 'mfa.updatePreference', preference: { sms: 'ENABLED' } });
  await until(first, (s) => s.matches({ signedIn: { tokens: 'active', account: 'idle' } }) && !s.hasTag('busy'));

  const second = client();
  const step = await signIn(second, 'mia');
  expect(step.matches({ signingIn: { mfa: 'selection' } })).toBe(true);
  expect([...step.context.allowedMfaTypes!].sort()).toEqual(['SMS', 'TOTP']);
  second.actor.send({ type: 'mfa.select', mfaType: 'TOTP' });
  await until(second, (s) => s.matches({ signingIn: { mfa: 'totpCode' } }));
  second.actor.send({ type: 'code.submit', code: totpNow(secret) });
  await until(second, (s) => s.matches('signedIn'));
});
