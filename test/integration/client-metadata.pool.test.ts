// createAuth({ clientMetadata, userContextData }) through the chart, on both transports, against the local pool with
// real Lambda functions (./functions): each trigger records the ClientMetadata its operation carried, and
// PreTokenGeneration writes it into an ID token claim. UserContextData is asked for on exactly the calls that take
// it, and the pool's own validation of it (an over-long member refused) proves it is on the wire.
import { createAuth, type Auth, type CognitoCall } from '../../src/index.node.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { TokenStore, decodeClaims } from '../../src/session/tokens.js';
import { rest, until } from '../support/chart-waits.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';
import { METADATA_FUNCTIONS, METADATA_LAMBDA_CONFIG, triggerRecorder } from '../support/trigger-records.js';

const PASSWORD = 'Passw0rd!strong';
const NEW_PASSWORD = 'N3w-Passw0rd!strong';
const CONTEXT_OPERATIONS = ['InitiateAuth', 'RespondToAuthChallenge', 'SignUp', 'ConfirmSignUp', 'ResendConfirmationCode', 'ForgotPassword', 'ConfirmForgotPassword'];

const triggers = triggerRecorder();

let env: TestPool;
let clientId: string;
const running: Auth[] = [];

beforeAll(async () => {
  env = await startTestPool({
    functions: METADATA_FUNCTIONS,
    poolProperties: {
      AutoVerifiedAttributes: ['email'],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      LambdaConfig: METADATA_LAMBDA_CONFIG,
    },
  });
  ({ clientId } = await env.createClient());
});
afterAll(async () => {
  running.splice(0).forEach((a) => a.stop());
  await env.close();
  triggers.remove();
});
afterEach(() => running.splice(0).forEach((a) => a.stop()));

const requestsSince = (mark: number) => env.pool.requests.slice(mark).map((r) => r.target.replace('AWSCognitoIdentityProviderService.', ''));
const latestCode = (to: string) => env.pool.outbox({ userPoolId: env.userPoolId, recipient: to }).at(-1)?.code ?? '';
const recorded = (userName: string) => triggers.records().filter((r) => r.userName === userName);

describe.each(['sdk', 'fetch'] as const)('over the %s transport', (transport) => {
  function client(extra: Partial<Parameters<typeof createAuth>[0]> = {}) {
    const storage = new MemoryStorage();
    const contextCalls: CognitoCall[] = [];
    const auth = createAuth({
      userPoolId: env.userPoolId,
      clientId,
      endpoint: env.pool.url,
      transport,
      storage,
      clock: { now: () => env.clock.now() },
      clientMetadata: (call) => ({ app: 'chart-test', op: call.operation, transport }),
      userContextData: (call) => {
        contextCalls.push(call);
        return { IpAddress: '203.0.113.9', EncodedData: `fingerprint-${transport}` };
      },
      ...extra,
    });
    running.push(auth);
    return { auth, tokens: new TokenStore(storage, clientId), contextCalls };
  }
  const metadataOf = (op: string) => ({ app: 'chart-test', op, transport });

  it('sign-up, confirmation, sign-in, refresh, attribute codes and a password reset: each trigger gets its call’s metadata', async () => {
    const username = `meta-${transport}`;
    const email = `${username}@example.com`;
    const { auth, tokens, contextCalls } = client();
    await rest(auth);
    const mark = env.pool.requests.length;

    auth.actor.send({ type: 'signUp.start' });
    auth.actor.send({ type: 'signUp.submit', username, password: PASSWORD, attributes: { email } });
    await rest(auth);
    auth.actor.send({ type: 'code.submit', code: latestCode(email) });
    await until(auth, (s) => s.matches('signedIn'));
    // auto sign-in with SRP: the tokens come from RespondToAuthChallenge, whose metadata PreTokenGeneration gets
    expect(decodeClaims((await tokens.load())!.idToken)).toMatchObject({
      client_metadata: JSON.stringify(metadataOf('RespondToAuthChallenge')),
      token_source: 'TokenGeneration_Authentication',
    });

    const refreshed = await auth.getTokens({ forceRefresh: true });
    expect(decodeClaims(refreshed!.idToken)).toMatchObject({ client_metadata: JSON.stringify(metadataOf('GetTokensFromRefreshToken')), token_source: 'TokenGeneration_RefreshTokens' });

    auth.actor.send({ type: 'attributes.update', attributes: { email: `changed-${email}` } });
    await rest(auth);
    auth.actor.send({ type: 'attribute.sendCode', name: 'email' });
    await rest(auth);
    // verified, so the reset's code can go to it
    auth.actor.send({ type: 'attribute.verify', name: 'email', code: latestCode(`changed-${email}`) });
    expect((await rest(auth)).context.error).toBeNull();
    auth.actor.send({ type: 'session.signOut' });
    await until(auth, (s) => s.matches('signedOut'));

    auth.actor.send({ type: 'password.forgot', username });
    await rest(auth);
    auth.actor.send({ type: 'password.reset', code: latestCode(`changed-${email}`), newPassword: NEW_PASSWORD });
    const reset = await rest(auth);
    expect(reset.context.error).toBeNull();

    expect(recorded(username).map(({ triggerSource, clientMetadata, validationData }) => ({ triggerSource, clientMetadata, validationData }))).toEqual([
      { triggerSource: 'PreSignUp_SignUp', clientMetadata: metadataOf('SignUp'), validationData: null },
      { triggerSource: 'CustomMessage_SignUp', clientMetadata: metadataOf('SignUp'), validationData: null },
      { triggerSource: 'PostConfirmation_ConfirmSignUp', clientMetadata: metadataOf('ConfirmSignUp'), validationData: null },
      // Cognito hands InitiateAuth's metadata to PreAuthentication as validationData
      { triggerSource: 'PreAuthentication_Authentication', clientMetadata: null, validationData: metadataOf('InitiateAuth') },
      { triggerSource: 'PostAuthentication_Authentication', clientMetadata: metadataOf('RespondToAuthChallenge'), validationData: null },
      { triggerSource: 'CustomMessage_UpdateUserAttribute', clientMetadata: metadataOf('UpdateUserAttributes'), validationData: null },
      { triggerSource: 'CustomMessage_VerifyUserAttribute', clientMetadata: metadataOf('GetUserAttributeVerificationCode'), validationData: null },
      { triggerSource: 'CustomMessage_ForgotPassword', clientMetadata: metadataOf('ForgotPassword'), validationData: null },
      { triggerSource: 'PostConfirmation_ConfirmForgotPassword', clientMetadata: metadataOf('ConfirmForgotPassword'), validationData: null },
    ]);

    // UserContextData was asked for on exactly the calls that take it, in order, with the user each was about
    const calls = requestsSince(mark);
    expect(contextCalls.map((c) => c.operation)).toEqual(calls.filter((operation) => CONTEXT_OPERATIONS.includes(operation)));
    expect(contextCalls.map((c) => c.operation)).toEqual(['SignUp', 'ConfirmSignUp', 'InitiateAuth', 'RespondToAuthChallenge', 'ForgotPassword', 'ConfirmForgotPassword']);
    expect(contextCalls.filter((c) => c.operation !== 'RespondToAuthChallenge').every((c) => c.username === username)).toBe(true);
    expect(env.pool.requests.slice(mark).every((r) => r.outcome === 'ok')).toBe(true);
  });

  it('the pool checks the UserContextData it is sent: an over-long fingerprint is refused, with Cognito’s validation error', async () => {
    const { auth } = client({ userContextData: (call) => (call.operation === 'ForgotPassword' ? { EncodedData: 'x'.repeat(131073) } : undefined) });
    await rest(auth);
    auth.actor.send({ type: 'password.forgot', username: `meta-${transport}` });
    const refused = await rest(auth);
    expect(refused.context.error).toMatchObject({
      cognitoName: 'InvalidParameterException',
      cognitoMessage: "1 validation error detected: Value at 'userContextData.encodedData' failed to satisfy constraint: Member must have length less than or equal to 131072",
    });
  });

  it('two instances on one connection share the transport but each sends its own metadata', async () => {
    const username = `meta-${transport}`;
    const sign = async (tenant: string) => {
      const { auth, tokens } = client({ clientMetadata: { tenant } });
      await rest(auth);
      auth.actor.send({ type: 'signIn.submit', username, password: NEW_PASSWORD });
      await until(auth, (s) => s.matches('signedIn'));
      return decodeClaims((await tokens.load())!.idToken)['client_metadata'];
    };
    expect(await Promise.all([sign('north'), sign('south')])).toEqual([JSON.stringify({ tenant: 'north' }), JSON.stringify({ tenant: 'south' })]);
  });
});
