// Amplify JS v6: NEW_PASSWORD_REQUIRED through confirmSignIn, with a required attribute.
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchUserAttributes, signIn, signOut } from 'aws-amplify/auth';
import { createPoolAndClient, createUser, quietAmplifyEndpointWarning, startPool, type PoolHarness, type Setup } from '../../local-pool/support.js';

quietAmplifyEndpointWarning();
let h: PoolHarness;
let setup: Setup;

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk, { Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }] });
  await createUser(h.sdk, setup.poolId, 'nina', 'Temp0rary!pass', { temporary: true, attributes: { email: 'nina@example.com' } });
  Amplify.configure({ Auth: { Cognito: { userPoolId: setup.poolId, userPoolClientId: setup.clientId, userPoolEndpoint: h.pool.url } } });
});
afterAll(() => h.close());

it('signIn -> CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED -> confirmSignIn -> DONE', async () => {
  const first = await signIn({ username: 'nina', password: 'Temp0rary!pass' });
  expect(first.isSignedIn).toBe(false);
  expect(first.nextStep).toEqual({
    signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED',
    missingAttributes: ['name'],
  });

  await expect(confirmSignIn({ challengeResponse: 'weak' , options: { userAttributes: { name: 'Nina' } } })).rejects.toMatchObject({
    name: 'InvalidPasswordException',
    message: 'Password did not conform with policy: Password not long enough',
  });
  const done = await confirmSignIn({ challengeResponse: 'N3w!permanent', options: { userAttributes: { name: 'Nina' } } });
  expect(done).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  expect(await fetchUserAttributes()).toMatchObject({ name: 'Nina', email: 'nina@example.com' });
  await signOut();
  expect(await signIn({ username: 'nina', password: 'N3w!permanent' })).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
});
