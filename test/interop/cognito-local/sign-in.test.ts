// authchart's chart against cognito-local, a Cognito emulator nobody on this team wrote.
// cognito-local has no SRP, so this covers USER_PASSWORD_AUTH and NEW_PASSWORD_REQUIRED.
import { waitFor, type SnapshotFrom } from 'xstate';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand, CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createAuth, type Auth, type AuthMachine } from '../../../src/index.node.js';
import { MemoryStorage } from '../../../src/session/storage.js';
import { TokenStore } from '../../../src/session/tokens.js';
import { startCognitoLocal, type CognitoLocal } from '../../support/cognito-local.js';
import { adminClient } from '../../support/sdk.js';

let peer: CognitoLocal;
let userPoolId: string;
let clientId: string;
const running: Auth[] = [];

beforeAll(async () => {
  peer = await startCognitoLocal();
  const admin = adminClient(peer.url);
  userPoolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'interop' }))).UserPool!.Id!;
  clientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'web' }))).UserPoolClient!.ClientId!;
  await admin.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'alice', TemporaryPassword: 'Passw0rd!one', MessageAction: 'SUPPRESS' }));
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: 'alice', Password: 'Passw0rd!one', Permanent: true }));
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: 'carol',
      TemporaryPassword: 'Temp0rary!pw',
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: 'carol@example.com' }],
    }),
  );
}, 30_000);
afterAll(async () => {
  running.forEach((a) => a.stop());
  await peer?.stop();
});

function client() {
  const storage = new MemoryStorage();
  const auth = createAuth({ userPoolId, clientId, endpoint: peer.url, storage, authFlow: 'USER_PASSWORD_AUTH' });
  running.push(auth);
  return { auth, tokens: new TokenStore(storage, clientId) };
}
const until = (auth: Auth, p: (s: SnapshotFrom<AuthMachine>) => boolean) => waitFor(auth.actor, p, { timeout: 10_000 });

it('USER_PASSWORD_AUTH signs in; cognito-local omits ExpiresIn, the chart reads expiry from the token', async () => {
  const { auth, tokens } = client();
  await until(auth, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'Passw0rd!one' });
  const snap = await until(auth, (s) => s.matches('signedIn'));
  expect(snap.context.user?.username).toBe('alice');
  const stored = await tokens.load();
  expect(stored?.refreshToken).toBeTruthy();
  expect(stored!.expiresAt).toBeGreaterThan(Date.now());
});

it('a wrong password is an error the user can correct (cognito-local says InvalidPasswordException)', async () => {
  const { auth } = client();
  await until(auth, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'wrong' });
  const snap = await until(auth, (s) => s.context.error !== null);
  expect(snap.value).toBe('signedOut');
  expect(['IncorrectUsernameOrPassword', 'InvalidPassword']).toContain(snap.context.error?.code);
});

it('NEW_PASSWORD_REQUIRED: the temporary-password user sets a new password and is signed in', async () => {
  const { auth } = client();
  await until(auth, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signIn.submit', username: 'carol', password: 'Temp0rary!pw' });
  const step = await until(auth, (s) => s.matches({ signingIn: 'newPassword' }));
  expect(step.context.newPassword?.userAttributes).toMatchObject({ email: 'carol@example.com' });
  auth.actor.send({ type: 'password.submit', newPassword: 'N3w-Passw0rd!' });
  expect((await until(auth, (s) => s.matches('signedIn'))).context.user?.username).toBe('carol');

  const again = client();
  await until(again.auth, (s) => s.matches('signedOut'));
  again.auth.actor.send({ type: 'signIn.submit', username: 'carol', password: 'N3w-Passw0rd!' });
  await until(again.auth, (s) => s.matches('signedIn'));
});

it('refresh: cognito-local lacks GetTokensFromRefreshToken, the chart falls back to REFRESH_TOKEN_AUTH', async () => {
  const { auth, tokens } = client();
  await until(auth, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'Passw0rd!one' });
  await until(auth, (s) => s.matches('signedIn'));
  const before = (await tokens.load())!;
  const refreshed = await auth.getTokens({ forceRefresh: true });
  expect(auth.actor.getSnapshot().matches('signedIn')).toBe(true);
  expect(auth.actor.getSnapshot().context.error).toBeNull();
  expect(refreshed?.accessToken).not.toBe(before.accessToken);
  expect(refreshed?.refreshToken).toBe(before.refreshToken);
  expect(refreshed?.idToken).toBeTruthy();
});
