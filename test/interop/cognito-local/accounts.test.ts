// authchart's account flows against cognito-local, a Cognito emulator nobody on this team wrote: sign-up with
// confirmation (then the auto sign-in with the kept password) and a forgotten password. cognito-local has no SRP,
// so the chart uses USER_PASSWORD_AUTH; its codes are fixed through its CODE setting.
import { waitFor, type SnapshotFrom } from 'xstate';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand, CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createAuth, type Auth, type AuthMachine } from '../../../src/index.node.js';
import { MemoryStorage } from '../../../src/session/storage.js';
import { startCognitoLocal, type CognitoLocal } from '../../support/cognito-local.js';
import { adminClient } from '../../support/sdk.js';

const CODE = '424242';
let peer: CognitoLocal;
let userPoolId: string;
let clientId: string;
const running: Auth[] = [];

beforeAll(async () => {
  peer = await startCognitoLocal({ code: CODE });
  const admin = adminClient(peer.url);
  userPoolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'interop-accounts', AutoVerifiedAttributes: ['email'] }))).UserPool!.Id!;
  clientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'web' }))).UserPoolClient!.ClientId!;
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: 'fiona',
      TemporaryPassword: 'Passw0rd!one',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'fiona@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: 'fiona', Password: 'Passw0rd!one', Permanent: true }));
}, 30_000);
afterAll(async () => {
  running.forEach((a) => a.stop());
  await peer?.stop();
});

function client() {
  const auth = createAuth({ userPoolId, clientId, endpoint: peer.url, storage: new MemoryStorage(), authFlow: 'USER_PASSWORD_AUTH' });
  running.push(auth);
  return auth;
}
const until = (auth: Auth, p: (s: SnapshotFrom<AuthMachine>) => boolean) => waitFor(auth.actor, p, { timeout: 10_000 });

it('signs up, confirms with the code, and the kept password signs in', async () => {
  const auth = client();
  await until(auth, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signUp.start' });
  auth.actor.send({ type: 'signUp.submit', username: 'gus', password: 'Passw0rd!two', attributes: { email: 'gus@example.com' } });
  await until(auth, (s) => s.matches({ signingUp: { confirming: 'idle' } }));
  auth.actor.send({ type: 'code.submit', code: CODE });
  const snap = await until(auth, (s) => s.matches('signedIn') || s.context.error !== null);
  expect(snap.context.error).toBeNull();
  expect(snap.context.user?.username).toBe('gus');
});

it('a forgotten password: the code and a new password, then signed in with it', async () => {
  const auth = client();
  await until(auth, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'password.forgot', username: 'fiona' });
  await until(auth, (s) => s.matches({ resettingPassword: { confirming: 'idle' } }));
  auth.actor.send({ type: 'password.reset', code: CODE, newPassword: 'N3w-Passw0rd!', signIn: true });
  const snap = await until(auth, (s) => s.matches('signedIn') || (s.context.error !== null && !s.hasTag('busy')));
  expect(snap.context.error).toBeNull();
  expect(snap.context.user?.username).toBe('fiona');
});
