// Amplify JS v6, unchanged, through the local pool's custom authentication (the quiz functions of
// test/local-pool/functions): signIn with authFlowType CUSTOM_WITHOUT_SRP (and CUSTOM_WITH_SRP),
// then confirmSignIn with each answer until DONE.
import { join } from 'node:path';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { STRONG_PASSWORD, createPoolAndClient, createUser, quietAmplifyEndpointWarning, startPool, type PoolHarness, type Setup } from '../../local-pool/support.js';

quietAmplifyEndpointWarning();
const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

let h: PoolHarness;
let setup: Setup;

beforeAll(async () => {
  h = await startPool({ functions: join(__dirname, '../../local-pool/functions') });
  setup = await createPoolAndClient(
    h.sdk,
    { LambdaConfig: { DefineAuthChallenge: arn('quiz-define'), CreateAuthChallenge: arn('quiz-create'), VerifyAuthChallengeResponse: arn('quiz-verify') } },
    { ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  );
  await createUser(h.sdk, setup.poolId, 'quinn', STRONG_PASSWORD);
  Amplify.configure({ Auth: { Cognito: { userPoolId: setup.poolId, userPoolClientId: setup.clientId, userPoolEndpoint: h.pool.url } } });
});
afterAll(() => h.close());
afterEach(() => signOut());

const operations = () => h.pool.requests.map((r) => r.target.split('.')[1]);
const customStep = (question: string) => ({
  isSignedIn: false,
  nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', additionalInfo: expect.objectContaining({ question }) },
});

it('CUSTOM_WITHOUT_SRP: signIn shows the challenge, confirmSignIn answers each round, DONE after the last', async () => {
  h.pool.resetRequestLog();
  expect(await signIn({ username: 'quinn', options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } })).toEqual(customStep('What is the capital of France?'));
  expect(await confirmSignIn({ challengeResponse: 'Berlin' })).toEqual(customStep('What is the capital of France?'));
  expect(await confirmSignIn({ challengeResponse: 'Paris' })).toEqual(customStep('What is 2 + 3?'));
  expect(await confirmSignIn({ challengeResponse: '5' })).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  expect((await fetchAuthSession()).tokens?.idToken?.payload['cognito:username']).toBe('quinn');
  expect(operations()).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'RespondToAuthChallenge', 'RespondToAuthChallenge']);
});

it('CUSTOM_WITH_SRP: the password first (Amplify answers PASSWORD_VERIFIER itself), then the rounds', async () => {
  h.pool.resetRequestLog();
  expect(await signIn({ username: 'quinn', password: STRONG_PASSWORD, options: { authFlowType: 'CUSTOM_WITH_SRP' } })).toEqual(
    customStep('What is the capital of France?'),
  );
  expect(await confirmSignIn({ challengeResponse: 'paris' })).toEqual(customStep('What is 2 + 3?'));
  expect(await confirmSignIn({ challengeResponse: '5' })).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  expect(operations()).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'RespondToAuthChallenge', 'RespondToAuthChallenge']);
});

it('a failed final round rejects confirmSignIn with NotAuthorizedException', async () => {
  await signIn({ username: 'quinn', options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
  await confirmSignIn({ challengeResponse: 'Rome' });
  await expect(confirmSignIn({ challengeResponse: 'Madrid' })).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
});
