// NEW_PASSWORD_REQUIRED for users created with a temporary password.
import { AdminGetUserCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  answerVerifier,
  createPoolAndClient,
  createUser,
  failure,
  passwordSignIn,
  startPool,
  startSrp,
  type PoolHarness,
  type Setup,
} from './support.js';

let h: PoolHarness;
let setup: Setup;
const TEMPORARY = 'Temp0rary!pass';
const NEW_PASSWORD = 'N3w!permanent';
const now = () => new Date(h.clock.now());

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk, {
    Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }],
  });
});
afterAll(() => h.close());

const respond = (session: string, responses: Record<string, string>) =>
  h.sdk.send(new RespondToAuthChallengeCommand({ ClientId: setup.clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: session, ChallengeResponses: responses }));

describe('NEW_PASSWORD_REQUIRED', () => {
  it('comes after a proven temporary password, with the required attributes it lacks', async () => {
    await createUser(h.sdk, setup.poolId, 'tess', TEMPORARY, { temporary: true, attributes: { email: 'tess@example.com', email_verified: 'true' } });
    const challenge = await passwordSignIn(h.sdk, setup, 'tess', TEMPORARY);
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(challenge.AuthenticationResult).toBeUndefined();
    expect(challenge.ChallengeParameters).toEqual({
      USER_ID_FOR_SRP: 'tess',
      requiredAttributes: '["userAttributes.name"]',
      userAttributes: JSON.stringify({ email: 'tess@example.com', email_verified: 'true' }),
    });
    const session = challenge.Session!;

    expect(await failure(respond(session, { USERNAME: 'tess', NEW_PASSWORD: NEW_PASSWORD }))).toEqual({
      name: 'InvalidParameterException',
      message: 'Invalid attributes given, name is missing',
    });
    expect(await failure(respond(session, { USERNAME: 'tess', NEW_PASSWORD: 'weak', 'userAttributes.name': 'Tess' }))).toEqual({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    expect(await failure(respond(session, { USERNAME: 'tess', NEW_PASSWORD: 'longbutnoupper1!', 'userAttributes.name': 'Tess' }))).toEqual({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password must have uppercase characters',
    });
    expect(
      await failure(respond(session, { USERNAME: 'tess', NEW_PASSWORD: NEW_PASSWORD, 'userAttributes.name': 'Tess', 'userAttributes.email_verified': 'false' })),
    ).toEqual({ name: 'InvalidParameterException', message: 'Invalid attributes given, email_verified is not writable by this client' });

    // Mistakes above did not use up the session.
    const done = await respond(session, { USERNAME: 'tess', NEW_PASSWORD: NEW_PASSWORD, 'userAttributes.name': 'Tess' });
    expect(done.AuthenticationResult).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    expect(done.AuthenticationResult!.RefreshToken).toBeDefined();

    expect(await failure(respond(session, { USERNAME: 'tess', NEW_PASSWORD: NEW_PASSWORD, 'userAttributes.name': 'Tess' }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session can only be used once.',
    });
    const user = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: 'tess' }));
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toContainEqual({ Name: 'name', Value: 'Tess' });

    expect(await failure(passwordSignIn(h.sdk, setup, 'tess', TEMPORARY))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect((await passwordSignIn(h.sdk, setup, 'tess', NEW_PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('follows SRP too, and the new password then works with SRP', async () => {
    await createUser(h.sdk, setup.poolId, 'sam', TEMPORARY, { temporary: true, attributes: { name: 'Sam' } });
    const challenge = await answerVerifier(h.sdk, setup, await startSrp(h.sdk, setup, 'sam'), TEMPORARY, now());
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(challenge.ChallengeParameters!['requiredAttributes']).toBe('[]');
    expect(await failure(respond(challenge.Session!, { USERNAME: 'sam', NEW_PASSWORD: NEW_PASSWORD, 'userAttributes.name': 'Other' }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Cannot modify an already provided name',
    });
    const done = await respond(challenge.Session!, { USERNAME: 'sam', NEW_PASSWORD: NEW_PASSWORD, 'userAttributes.family_name': 'Smith' });
    expect(done.AuthenticationResult?.IdToken).toBeDefined();
    const again = await answerVerifier(h.sdk, setup, await startSrp(h.sdk, setup, 'sam'), NEW_PASSWORD, now());
    expect(again.AuthenticationResult?.IdToken).toBeDefined();
  });

  it('a temporary password expires after TemporaryPasswordValidityDays', async () => {
    await createUser(h.sdk, setup.poolId, 'late', TEMPORARY, { temporary: true, attributes: { name: 'Late' } });
    h.clock.advance(8 * 86_400_000);
    expect(await failure(passwordSignIn(h.sdk, setup, 'late', TEMPORARY))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Temporary password has expired and must be reset by an administrator.',
    });
  });
});
