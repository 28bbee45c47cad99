// Amplify JS v6, unchanged, signs in against the local pool with its default SRP flow.
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { STRONG_PASSWORD, createPoolAndClient, createUser, quietAmplifyEndpointWarning, startPool, type PoolHarness, type Setup } from '../../local-pool/support.js';

quietAmplifyEndpointWarning();

let h: PoolHarness;
let setup: Setup;

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk);
  await createUser(h.sdk, setup.poolId, 'alice', STRONG_PASSWORD, { attributes: { email: 'alice@example.com' } });
  Amplify.configure({ Auth: { Cognito: { userPoolId: setup.poolId, userPoolClientId: setup.clientId, userPoolEndpoint: h.pool.url } } });
});
afterAll(() => h.close());

it('signIn (USER_SRP_AUTH), getCurrentUser, fetchAuthSession, signOut', async () => {
  h.pool.resetRequestLog();
  const result = await signIn({ username: 'alice', password: STRONG_PASSWORD });
  expect(result).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  expect(h.pool.requests.map((r) => r.target)).toEqual([
    'AWSCognitoIdentityProviderService.InitiateAuth',
    'AWSCognitoIdentityProviderService.RespondToAuthChallenge',
  ]);

  const user = await getCurrentUser();
  expect(user.username).toBe('alice');
  const session = await fetchAuthSession();
  expect(session.tokens?.idToken?.payload['email']).toBe('alice@example.com');
  expect(session.tokens?.accessToken.payload['token_use']).toBe('access');

  const refreshed = await fetchAuthSession({ forceRefresh: true });
  expect(refreshed.tokens?.accessToken.toString()).not.toBe(session.tokens?.accessToken.toString());
  expect(h.pool.requests.map((r) => r.target)).toContain('AWSCognitoIdentityProviderService.GetTokensFromRefreshToken');

  await signOut();
  expect(h.pool.requests.at(-1)).toMatchObject({ target: 'AWSCognitoIdentityProviderService.RevokeToken', outcome: 'ok' });
  await expect(getCurrentUser()).rejects.toMatchObject({ name: 'UserUnAuthenticatedException' });
});

it('a wrong password surfaces as NotAuthorizedException', async () => {
  await expect(signIn({ username: 'alice', password: 'Wr0ng!password' })).rejects.toMatchObject({
    name: 'NotAuthorizedException',
    message: 'Incorrect username or password.',
  });
});
