// amazon-cognito-identity-js, unchanged, against the local pool: SRP, USER_PASSWORD_AUTH,
// newPasswordRequired -> completeNewPasswordChallenge, and refreshSession.
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { STRONG_PASSWORD, createPoolAndClient, createUser, startPool, type PoolHarness, type Setup } from '../../local-pool/support.js';

let h: PoolHarness;
let setup: Setup;
let userPool: CognitoUserPool;

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk, { Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }] });
  await createUser(h.sdk, setup.poolId, 'alice', STRONG_PASSWORD, { attributes: { name: 'Alice' } });
  await createUser(h.sdk, setup.poolId, 'nina', 'Temp0rary!pass', { temporary: true, attributes: { email: 'nina@example.com', email_verified: 'true' } });
  userPool = new CognitoUserPool({ UserPoolId: setup.poolId, ClientId: setup.clientId, endpoint: h.pool.url });
});
afterAll(() => h.close());

type Outcome =
  | { kind: 'success'; session: CognitoUserSession }
  | { kind: 'failure'; error: { code?: string; name?: string; message: string } }
  | { kind: 'newPassword'; userAttributes: Record<string, string>; requiredAttributes: string[] };

function authenticate(user: CognitoUser, password: string): Promise<Outcome> {
  return new Promise((resolve) =>
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
      onSuccess: (session) => resolve({ kind: 'success', session }),
      onFailure: (error) => resolve({ kind: 'failure', error }),
      newPasswordRequired: (userAttributes, requiredAttributes) => resolve({ kind: 'newPassword', userAttributes, requiredAttributes }),
    }),
  );
}

function completeNewPassword(user: CognitoUser, password: string, attributes: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) =>
    user.completeNewPasswordChallenge(password, attributes, {
      onSuccess: (session) => resolve({ kind: 'success', session }),
      onFailure: (error) => resolve({ kind: 'failure', error }),
    }),
  );
}

const newUser = (username: string) => new CognitoUser({ Username: username, Pool: userPool });

it('authenticateUser with SRP (the default)', async () => {
  h.pool.resetRequestLog();
  const outcome = await authenticate(newUser('alice'), STRONG_PASSWORD);
  if (outcome.kind !== 'success') throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
  expect(outcome.session.isValid()).toBe(true);
  expect(outcome.session.getIdToken().decodePayload()['name']).toBe('Alice');
  expect(h.pool.requests.map((r) => r.target.split('.')[1])).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
});

it('authenticateUser with a wrong password fails with NotAuthorizedException', async () => {
  const outcome = await authenticate(newUser('alice'), 'Wr0ng!password');
  expect(outcome).toEqual({ kind: 'failure', error: expect.objectContaining({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' }) });
});

it('authenticateUser with USER_PASSWORD_AUTH, then refreshSession', async () => {
  const user = newUser('alice');
  user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
  h.pool.resetRequestLog();
  const outcome = await authenticate(user, STRONG_PASSWORD);
  if (outcome.kind !== 'success') throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
  expect(h.pool.requests.map((r) => r.target.split('.')[1])).toEqual(['InitiateAuth']);

  const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
    user.refreshSession(outcome.session.getRefreshToken(), (error: Error | null, session: CognitoUserSession) => (error ? reject(error) : resolve(session))),
  );
  expect(refreshed.getAccessToken().getJwtToken()).not.toBe('');
  expect(refreshed.getRefreshToken().getToken()).toBe(outcome.session.getRefreshToken().getToken());
});

it('newPasswordRequired -> completeNewPasswordChallenge', async () => {
  const user = newUser('nina');
  const challenge = await authenticate(user, 'Temp0rary!pass');
  expect(challenge).toEqual({
    kind: 'newPassword',
    userAttributes: { email: 'nina@example.com', email_verified: 'true' },
    requiredAttributes: ['name'],
  });
  const done = await completeNewPassword(user, 'N3w!permanent', { name: 'Nina' });
  if (done.kind !== 'success') throw new Error(`expected success, got ${JSON.stringify(done)}`);
  expect(done.session.getIdToken().decodePayload()['name']).toBe('Nina');
  const again = await authenticate(newUser('nina'), 'N3w!permanent');
  expect(again.kind).toBe('success');
});
