// Amplify JS v6 with authFlowType USER_PASSWORD_AUTH, and the next steps it derives from the
// local pool's exceptions.
import { Amplify } from 'aws-amplify';
import { signIn, signOut } from 'aws-amplify/auth';
import { STRONG_PASSWORD, createPoolAndClient, createUser, quietAmplifyEndpointWarning, startPool, type PoolHarness, type Setup } from '../../local-pool/support.js';

quietAmplifyEndpointWarning();
let h: PoolHarness;
let setup: Setup;

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk, {}, { PreventUserExistenceErrors: 'ENABLED' });
  await createUser(h.sdk, setup.poolId, 'alice', STRONG_PASSWORD);
  h.pool.seed({
    pools: [
      {
        id: setup.poolId,
        name: 'test',
        users: [
          { username: 'uma', password: STRONG_PASSWORD, status: 'UNCONFIRMED' },
          { username: 'rita', password: STRONG_PASSWORD, status: 'RESET_REQUIRED' },
        ],
      },
    ],
  });
  Amplify.configure({ Auth: { Cognito: { userPoolId: setup.poolId, userPoolClientId: setup.clientId, userPoolEndpoint: h.pool.url } } });
});
afterAll(() => h.close());

const plain = { authFlowType: 'USER_PASSWORD_AUTH' } as const;

it('signs in with one InitiateAuth call', async () => {
  h.pool.resetRequestLog();
  expect(await signIn({ username: 'alice', password: STRONG_PASSWORD, options: plain })).toEqual({
    isSignedIn: true,
    nextStep: { signInStep: 'DONE' },
  });
  expect(h.pool.requests.map((r) => r.target)).toEqual(['AWSCognitoIdentityProviderService.InitiateAuth']);
  await signOut();
});

it('maps UserNotConfirmedException and PasswordResetRequiredException to next steps', async () => {
  expect(await signIn({ username: 'uma', password: STRONG_PASSWORD, options: plain })).toEqual({
    isSignedIn: false,
    nextStep: { signInStep: 'CONFIRM_SIGN_UP' },
  });
  expect(await signIn({ username: 'rita', password: STRONG_PASSWORD, options: plain })).toEqual({
    isSignedIn: false,
    nextStep: { signInStep: 'RESET_PASSWORD' },
  });
});

it('an unknown user gets the generic failure', async () => {
  await expect(signIn({ username: 'nobody', password: STRONG_PASSWORD, options: plain })).rejects.toMatchObject({
    name: 'NotAuthorizedException',
    message: 'Incorrect username or password.',
  });
});
