// Custom challenges through the chart, with the real SDK port over HTTP, against a local pool running a two-question
// quiz as its Define / Create / VerifyAuthChallenge Lambda functions (test/local-pool/functions): the rounds with
// Cognito's public parameters, a wrong answer asked again, a failed final round ending the attempt, and
// CUSTOM_WITH_SRP (the password proved first). Calls are compared with what Amplify JS v6 makes for the same flows.
import { resolve } from 'node:path';
import { waitFor, type SnapshotFrom } from 'xstate';
import { createAuth, selectView, type Auth, type AuthMachine } from '../../src/index.node.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';

const PASSWORD = 'Passw0rd!strong';
const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
let env: TestPool;
let clientId: string;
const running: Auth[] = [];

beforeAll(async () => {
  env = await startTestPool({
    functions: resolve(__dirname, '../local-pool/functions'),
    poolProperties: {
      LambdaConfig: { DefineAuthChallenge: arn('quiz-define'), CreateAuthChallenge: arn('quiz-create'), VerifyAuthChallengeResponse: arn('quiz-verify') },
    },
  });
  ({ clientId } = await env.createClient({ ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
}, 30_000);
afterAll(async () => {
  running.splice(0).forEach((a) => a.stop());
  await env.close();
});
afterEach(() => running.splice(0).forEach((a) => a.stop()));

let n = 0;
async function user() {
  n += 1;
  const username = `quinn${n}`;
  await env.createUser(username, PASSWORD, { attributes: { email: `${username}@example.com` } });
  return username;
}
function client() {
  const auth = createAuth({ userPoolId: env.userPoolId, clientId, endpoint: env.pool.url, storage: new MemoryStorage(), clock: { now: () => env.clock.now() } });
  running.push(auth);
  return auth;
}
type Snap = SnapshotFrom<AuthMachine>;
const until = (auth: Auth, predicate: (s: Snap) => boolean) =>
  waitFor(auth.actor, predicate, { timeout: 10_000 }).catch((error: unknown) => {
    const s = auth.actor.getSnapshot();
    throw new Error(`${String(error)}; the chart is at ${JSON.stringify(s.value)} with error ${JSON.stringify(s.context.error)}`);
  });
const rest = (auth: Auth) => until(auth, (s) => !s.hasTag('busy') && !s.matches('checkingSession'));
const view = (auth: Auth) => selectView(auth.actor.getSnapshot());
const requestsSince = (mark: number) => env.pool.requests.slice(mark).map((r) => r.target.replace('AWSCognitoIdentityProviderService.', ''));
const answer = async (auth: Auth, text: string) => {
  auth.actor.send({ type: 'challenge.answer', answer: text });
  return rest(auth);
};

it('CUSTOM_WITHOUT_SRP: each round shows its public parameters; two right answers sign in (3 calls, as Amplify)', async () => {
  const username = await user();
  const auth = client();
  await rest(auth);
  const mark = env.pool.requests.length;
  auth.actor.send({ type: 'signIn.submit', username, authFlow: 'CUSTOM_WITHOUT_SRP' });
  await rest(auth);
  expect(view(auth)).toMatchObject({ route: 'customChallenge', signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', parameters: { question: 'What is the capital of France?' } });
  await answer(auth, 'Paris');
  expect(view(auth)).toMatchObject({ route: 'customChallenge', parameters: { question: 'What is 2 + 3?' }, error: null });
  await answer(auth, '5');
  expect(auth.actor.getSnapshot().matches('signedIn')).toBe(true);
  expect(requestsSince(mark)).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'RespondToAuthChallenge']);
});

it('a wrong answer gets the question again; a second wrong answer ends the attempt with the typed error, and a new one works', async () => {
  const username = await user();
  const auth = client();
  await rest(auth);
  auth.actor.send({ type: 'signIn.submit', username, authFlow: 'CUSTOM_WITHOUT_SRP' });
  await rest(auth);
  await answer(auth, 'Lyon');
  expect(view(auth)).toMatchObject({ route: 'customChallenge', parameters: { question: 'What is the capital of France?' } });
  await answer(auth, 'Marseille');
  expect(view(auth)).toMatchObject({ route: 'signIn', error: { code: 'IncorrectUsernameOrPassword', cognitoName: 'NotAuthorizedException' } });

  auth.actor.send({ type: 'signIn.submit', username, authFlow: 'CUSTOM_WITHOUT_SRP' });
  await rest(auth);
  await answer(auth, 'paris');
  await answer(auth, '5');
  expect(auth.actor.getSnapshot().matches('signedIn')).toBe(true);
});

it('a blank answer is refused without a call', async () => {
  const username = await user();
  const auth = client();
  await rest(auth);
  auth.actor.send({ type: 'signIn.submit', username, authFlow: 'CUSTOM_WITHOUT_SRP' });
  await rest(auth);
  const mark = env.pool.requests.length;
  auth.actor.send({ type: 'challenge.answer', answer: '' });
  expect(view(auth)).toMatchObject({ route: 'customChallenge', error: { code: 'InvalidInput', field: 'answer' } });
  expect(requestsSince(mark)).toEqual([]);
});

it('CUSTOM_WITH_SRP: the password is proved first (SRP_A, PASSWORD_VERIFIER), then the rounds (4 calls, as Amplify)', async () => {
  const username = await user();
  const auth = client();
  await rest(auth);
  const mark = env.pool.requests.length;
  auth.actor.send({ type: 'signIn.submit', username, password: PASSWORD, authFlow: 'CUSTOM_WITH_SRP' });
  await rest(auth);
  expect(view(auth)).toMatchObject({ route: 'customChallenge', parameters: { question: 'What is the capital of France?' } });
  await answer(auth, 'paris');
  await answer(auth, '5');
  expect(auth.actor.getSnapshot().matches('signedIn')).toBe(true);
  expect(requestsSince(mark)).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'RespondToAuthChallenge', 'RespondToAuthChallenge']);
  expect(auth.actor.getSnapshot().context.user?.signInDetails?.authFlowType).toBe('CUSTOM_WITH_SRP');
});

it('CUSTOM_WITH_SRP with a wrong password: back at sign-in before any question', async () => {
  const username = await user();
  const auth = client();
  await rest(auth);
  auth.actor.send({ type: 'signIn.submit', username, password: 'Wrong-passw0rd!', authFlow: 'CUSTOM_WITH_SRP' });
  await rest(auth);
  expect(view(auth)).toMatchObject({ route: 'signIn', error: { code: 'IncorrectUsernameOrPassword' } });
});
