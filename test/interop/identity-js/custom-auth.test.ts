// amazon-cognito-identity-js, unchanged, through the local pool's custom authentication: the
// CUSTOM_AUTH flow driven by the pool's Lambda triggers (the quiz functions of
// test/local-pool/functions: two questions, a second wrong answer ends the attempt), without SRP
// (initiateAuth) and with SRP first (authenticateUser, which sends CHALLENGE_NAME=SRP_A).
import { join } from 'node:path';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { STRONG_PASSWORD, createPoolAndClient, createUser, startPool, type PoolHarness, type Setup } from '../../local-pool/support.js';

const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

let h: PoolHarness;
let setup: Setup;
let userPool: CognitoUserPool;

beforeAll(async () => {
  h = await startPool({ functions: join(__dirname, '../../local-pool/functions') });
  setup = await createPoolAndClient(
    h.sdk,
    { LambdaConfig: { DefineAuthChallenge: arn('quiz-define'), CreateAuthChallenge: arn('quiz-create'), VerifyAuthChallengeResponse: arn('quiz-verify') } },
    { ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  );
  await createUser(h.sdk, setup.poolId, 'quinn', STRONG_PASSWORD, { attributes: { email: 'quinn@example.com' } });
  userPool = new CognitoUserPool({ UserPoolId: setup.poolId, ClientId: setup.clientId, endpoint: h.pool.url });
});
afterAll(() => h.close());

type Outcome = { kind: 'success'; session: CognitoUserSession } | { kind: 'failure'; error: { code?: string; message: string } };

/**
 * Runs a custom sign-in to its end, answering each challenge from `answers` (in turn) and noting
 * what identity-js showed; `start` is initiateAuth or authenticateUser.
 */
function customSignIn(user: CognitoUser, start: 'initiateAuth' | 'authenticateUser', answers: string[]): Promise<{ outcome: Outcome; shown: Array<Record<string, string>> }> {
  const shown: Array<Record<string, string>> = [];
  const details = new AuthenticationDetails({ Username: user.getUsername(), Password: STRONG_PASSWORD });
  return new Promise((resolve) => {
    const callbacks = {
      onSuccess: (session: CognitoUserSession) => resolve({ outcome: { kind: 'success', session }, shown }),
      onFailure: (error: { code?: string; message: string }) => resolve({ outcome: { kind: 'failure', error }, shown }),
      customChallenge(parameters: Record<string, string>) {
        shown.push(parameters);
        const next = answers.shift();
        if (next === undefined) throw new Error('ran out of answers');
        user.sendCustomChallengeAnswer(next, callbacks);
      },
    };
    user[start](details, callbacks);
  });
}

function customUser(): CognitoUser {
  const user = new CognitoUser({ Username: 'quinn', Pool: userPool });
  user.setAuthenticationFlowType('CUSTOM_AUTH');
  return user;
}

const operations = () => h.pool.requests.map((r) => r.target.split('.')[1]);

it('without SRP: initiateAuth, then one sendCustomChallengeAnswer per round (a wrong answer asked again)', async () => {
  h.pool.resetRequestLog();
  const { outcome, shown } = await customSignIn(customUser(), 'initiateAuth', ['Lyon', 'paris', '5']);
  if (outcome.kind !== 'success') throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
  expect(outcome.session.isValid()).toBe(true);
  expect(outcome.session.getIdToken().decodePayload()['email']).toBe('quinn@example.com');
  expect(shown.map((p) => p['question'])).toEqual(['What is the capital of France?', 'What is the capital of France?', 'What is 2 + 3?']);
  expect(operations()).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'RespondToAuthChallenge', 'RespondToAuthChallenge']);
});

it('with SRP: authenticateUser proves the password (PASSWORD_VERIFIER), then the custom rounds', async () => {
  h.pool.resetRequestLog();
  const { outcome, shown } = await customSignIn(customUser(), 'authenticateUser', ['Paris', '5']);
  if (outcome.kind !== 'success') throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
  expect(shown).toHaveLength(2);
  expect(operations()).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'RespondToAuthChallenge', 'RespondToAuthChallenge']);
});

it('a failed final round reaches onFailure with NotAuthorizedException', async () => {
  const { outcome } = await customSignIn(customUser(), 'initiateAuth', ['Rome', 'Madrid']);
  expect(outcome).toEqual({ kind: 'failure', error: expect.objectContaining({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' }) });
});
