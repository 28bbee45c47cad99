// Sign-in straight after sign-up over HTTP with the AWS SDK (USER_AUTH clients): SignUp's Session,
// ConfirmSignUp's Session, and InitiateAuth USER_AUTH with it; single use (also in parallel), expiry,
// other users and clients, clients without ALLOW_USER_AUTH, and the pool's MFA rules.
import {
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type ConfirmSignUpCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { STRONG_PASSWORD, createPoolAndClient, failure, lastCode, setPoolMfa, startPool, type PoolHarness, type Setup } from './support.js';

const USER_AUTH_FLOWS = ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
const EMAIL_POOL = { AutoVerifiedAttributes: ['email' as const] };
const INVALID = { name: 'NotAuthorizedException', message: 'Invalid session for the user.' };

let h: PoolHarness;
let withUserAuth: Setup;
let withoutUserAuth: Setup;
let n = 0;
const fresh = () => {
  n += 1;
  return `auto${n}`;
};

beforeAll(async () => {
  h = await startPool();
  withUserAuth = await createPoolAndClient(h.sdk, EMAIL_POOL, { ExplicitAuthFlows: [...USER_AUTH_FLOWS] });
  withoutUserAuth = await createPoolAndClient(h.sdk, EMAIL_POOL);
});
afterAll(() => h.close());

const signUp = (s: Setup, username: string) =>
  h.sdk.send(
    new SignUpCommand({ ClientId: s.clientId, Username: username, Password: STRONG_PASSWORD, UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }] }),
  );
const confirm = (s: Setup, username: string, session?: string) =>
  h.sdk.send(new ConfirmSignUpCommand({ ClientId: s.clientId, Username: username, ConfirmationCode: lastCode(h.pool, username), ...(session ? { Session: session } : {}) }));
const userAuth = (s: Setup, username: string, session: string, how: 'parameter' | 'member' = 'parameter') =>
  h.sdk.send(
    new InitiateAuthCommand({
      ClientId: s.clientId,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: username, ...(how === 'parameter' ? { SESSION: session } : {}) },
      ...(how === 'member' ? { Session: session } : {}),
    }),
  );

/** SignUp and ConfirmSignUp (with SignUp's Session) on the USER_AUTH client; returns ConfirmSignUp's answer. */
async function signedUp(s: Setup = withUserAuth): Promise<{ username: string; confirmed: ConfirmSignUpCommandOutput }> {
  const username = fresh();
  const started = await signUp(s, username);
  return { username, confirmed: await confirm(s, username, started.Session) };
}

describe('sessions from sign-up', () => {
  it('SignUp answers a Session only for clients with ALLOW_USER_AUTH', async () => {
    const first = await signUp(withUserAuth, fresh());
    expect(first.Session).toEqual(expect.stringMatching(/^[\w-]{100,}$/));
    expect((await signUp(withoutUserAuth, fresh())).Session).toBeUndefined();
  });

  it("ConfirmSignUp with SignUp's Session answers a new Session; without ALLOW_USER_AUTH none", async () => {
    const { confirmed } = await signedUp();
    expect(confirmed.Session).toEqual(expect.stringMatching(/^[\w-]{100,}$/));
    const other = fresh();
    await signUp(withoutUserAuth, other);
    expect((await confirm(withoutUserAuth, other)).Session).toBeUndefined();
  });

  it("ConfirmSignUp with another user's SignUp Session is refused before the code is used", async () => {
    const a = fresh();
    const b = fresh();
    const started = await signUp(withUserAuth, a);
    await signUp(withUserAuth, b);
    expect(await failure(confirm(withUserAuth, b, started.Session))).toEqual(INVALID);
    // The code still works; without a Session given (as Amplify JS v6 confirms) a Session is still answered.
    expect((await confirm(withUserAuth, b)).Session).toBeDefined();
  });
});

describe('USER_AUTH with the ConfirmSignUp Session', () => {
  it('answers tokens for that user (SESSION parameter or the Session member)', async () => {
    for (const how of ['parameter', 'member'] as const) {
      const { username, confirmed } = await signedUp();
      const signedIn = await userAuth(withUserAuth, username, confirmed.Session!, how);
      expect(signedIn.AuthenticationResult).toMatchObject({ AccessToken: expect.any(String), IdToken: expect.any(String), RefreshToken: expect.any(String) });
      const me = await h.sdk.send(new GetUserCommand({ AccessToken: signedIn.AuthenticationResult!.AccessToken }));
      expect(me.Username).toBe(username);
    }
  });

  it('is single use', async () => {
    const { username, confirmed } = await signedUp();
    await userAuth(withUserAuth, username, confirmed.Session!);
    expect(await failure(userAuth(withUserAuth, username, confirmed.Session!))).toEqual(INVALID);
  });

  it("refuses another user's, a SignUp, a made-up and an expired Session", async () => {
    const a = await signedUp();
    const b = await signedUp();
    expect(await failure(userAuth(withUserAuth, b.username, a.confirmed.Session!))).toEqual(INVALID);
    expect(await failure(userAuth(withUserAuth, 'nobody', a.confirmed.Session!))).toEqual(INVALID);
    const c = fresh();
    const started = await signUp(withUserAuth, c);
    expect(await failure(userAuth(withUserAuth, c, started.Session!))).toEqual(INVALID);
    expect(await failure(userAuth(withUserAuth, a.username, 'x'.repeat(128)))).toEqual(INVALID);
    h.clock.advance(3 * 60_000); // the client's AuthSessionValidity (3 minutes by default)
    expect(await failure(userAuth(withUserAuth, a.username, a.confirmed.Session!))).toEqual(INVALID);
  });

  it('is refused on a client without ALLOW_USER_AUTH, and on another client of the pool', async () => {
    const { username, confirmed } = await signedUp();
    const other = await h.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: withUserAuth.poolId,
        ClientName: 'other',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
      }),
    );
    const plain = { poolId: withUserAuth.poolId, clientId: other.UserPoolClient!.ClientId! };
    expect(await failure(userAuth(plain, username, confirmed.Session!))).toEqual({
      name: 'InvalidParameterException',
      message: 'USER_AUTH flow not enabled for this client',
    });
    const second = await h.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: withUserAuth.poolId,
        ClientName: 'second',
        ExplicitAuthFlows: [...USER_AUTH_FLOWS],
      }),
    );
    expect(await failure(userAuth({ poolId: withUserAuth.poolId, clientId: second.UserPoolClient!.ClientId! }, username, confirmed.Session!))).toEqual(INVALID);
    // Still usable on its own client.
    expect((await userAuth(withUserAuth, username, confirmed.Session!)).AuthenticationResult).toBeDefined();
  });

  it('USER_AUTH without a Session is choice-based sign-in (the pool allows passwords only: the password factors)', async () => {
    const { username } = await signedUp();
    const answer = await h.sdk.send(new InitiateAuthCommand({ ClientId: withUserAuth.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username } }));
    expect(answer).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: ['PASSWORD_SRP', 'PASSWORD'] });
  });

  it('two parallel uses: exactly one signs in', async () => {
    const { username, confirmed } = await signedUp();
    const results = await Promise.allSettled(Array.from({ length: 2 }, () => userAuth(withUserAuth, username, confirmed.Session!)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect({ name: lost.reason.name, message: lost.reason.message }).toEqual(INVALID);
  });

  it('follows the pool MFA rules: MFA required means a challenge, not tokens', async () => {
    const mfa = await createPoolAndClient(h.sdk, EMAIL_POOL, { ExplicitAuthFlows: [...USER_AUTH_FLOWS] });
    await setPoolMfa(h.sdk, mfa.poolId, 'ON');
    const { username, confirmed } = await signedUp(mfa);
    const answer = await userAuth(mfa, username, confirmed.Session!);
    expect(answer.AuthenticationResult).toBeUndefined();
    expect(answer.ChallengeName).toEqual(expect.stringMatching(/^(EMAIL_OTP|MFA_SETUP)$/));
    expect(answer.Session).toBeDefined();
  });
});
