// A confidential app client (GenerateSecret) signing in through the chart with createAuth({ clientSecret }), against
// the local pool over HTTP: SRP and plain password, each followed by TOTP MFA, in a pool whose usernames are e-mail
// addresses, so that the canonical username (the sub) every RespondToAuthChallenge hashes differs from what was
// typed. The pool refuses a SECRET_HASH over the wrong name, so a hash over the login id would fail these sign-ins.
import { CreateUserPoolClientCommand, CreateUserPoolCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createAuth, type Auth } from '../../src/index.node.js';
import { rest, until, view } from '../support/chart-waits.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { TokenStore, decodeClaims } from '../../src/session/tokens.js';
import { authenticatorCode } from '../support/authenticator.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';

const PASSWORD = 'Passw0rd!strong';
const TOTP_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const EMAIL = 'tess@example.com';
let env: TestPool;
let poolId: string;
let secretClient: { clientId: string; clientSecret: string };
const running: Auth[] = [];

beforeAll(async () => {
  env = await startTestPool();
  poolId = (await env.admin.send(new CreateUserPoolCommand({ PoolName: 'e-mail names', UsernameAttributes: ['email'], MfaConfiguration: 'OPTIONAL' }))).UserPool!.Id!;
  await env.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  const created = await env.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'server',
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  secretClient = { clientId: created.UserPoolClient!.ClientId!, clientSecret: created.UserPoolClient!.ClientSecret! };
  env.pool.seed({
    pools: [
      {
        id: poolId,
        name: 'e-mail names',
        users: [{ username: EMAIL, password: PASSWORD, attributes: { email: EMAIL, email_verified: 'true' }, totpSecret: TOTP_SECRET, mfa: { totp: true, preferred: 'TOTP' } }],
      },
    ],
  });
});
afterAll(async () => {
  running.splice(0).forEach((a) => a.stop());
  await env.close();
});
afterEach(() => running.splice(0).forEach((a) => a.stop()));

const requestsSince = (mark: number) => env.pool.requests.slice(mark).map((r) => r.target.replace('AWSCognitoIdentityProviderService.', ''));

function client(clientSecret: string | undefined) {
  const storage = new MemoryStorage();
  const auth = createAuth({
    userPoolId: poolId,
    clientId: secretClient.clientId,
    endpoint: env.pool.url,
    storage,
    clock: { now: () => env.clock.now() },
    ...(clientSecret === undefined ? {} : { clientSecret }),
  });
  running.push(auth);
  return { auth, tokens: new TokenStore(storage, secretClient.clientId) };
}

describe.each(['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] as const)('a client with a secret, %s then TOTP MFA', (authFlow) => {
  it('signs in with the e-mail address; the challenge answers are hashed with the sub', async () => {
    const { auth, tokens } = client(secretClient.clientSecret);
    await rest(auth);
    const mark = env.pool.requests.length;
    auth.actor.send({ type: 'signIn.submit', username: EMAIL, password: PASSWORD, authFlow });
    await rest(auth);
    expect(view(auth)).toMatchObject({ route: 'totpCode' });
    // the next code step: the pool refuses a code of a step it already took
    env.clock.advance(30_000);
    auth.actor.send({ type: 'code.submit', code: authenticatorCode(TOTP_SECRET, env.clock.now()) });
    const signedIn = await until(auth, (s) => s.matches('signedIn'));
    expect(requestsSince(mark).filter((target) => target !== 'GetUser')).toEqual(
      authFlow === 'USER_SRP_AUTH' ? ['InitiateAuth', 'RespondToAuthChallenge', 'RespondToAuthChallenge'] : ['InitiateAuth', 'RespondToAuthChallenge'],
    );
    expect(env.pool.requests.slice(mark).map((r) => r.outcome)).toEqual(env.pool.requests.slice(mark).map(() => 'ok'));
    const claims = decodeClaims((await tokens.load())!.accessToken);
    // the canonical name is the sub, not the e-mail address typed
    expect(claims['username']).toBe(claims['sub']);
    expect(claims['username']).not.toBe(EMAIL);
    expect(signedIn.context.user).toMatchObject({ attributes: { email: EMAIL } });
  });
});

it('without the secret, the same sign-in fails on the missing hash', async () => {
  const { auth } = client(undefined);
  await rest(auth);
  auth.actor.send({ type: 'signIn.submit', username: EMAIL, password: PASSWORD, authFlow: 'USER_SRP_AUTH' });
  const failed = await rest(auth);
  expect(failed.context.error).toMatchObject({ cognitoName: 'NotAuthorizedException', cognitoMessage: `Client ${secretClient.clientId} is configured with secret but SECRET_HASH was not received` });
});
