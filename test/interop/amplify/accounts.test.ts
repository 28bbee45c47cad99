// Amplify JS v6, unchanged, through the account APIs against the local pool: signUp, confirmSignUp,
// autoSignIn, resendSignUpCode, resetPassword, confirmResetPassword, updatePassword,
// updateUserAttributes, confirmUserAttribute, deleteUser. Codes are read from the pool's outbox.
import { Amplify } from 'aws-amplify';
import {
  autoSignIn,
  confirmResetPassword,
  confirmSignUp,
  confirmUserAttribute,
  deleteUser,
  fetchUserAttributes,
  resendSignUpCode,
  resetPassword,
  signIn,
  signOut,
  signUp,
  updatePassword,
  updateUserAttributes,
} from 'aws-amplify/auth';
import { AdminGetUserCommand, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { STRONG_PASSWORD, createPoolAndClient, createUser, quietAmplifyEndpointWarning, startPool, targets, type PoolHarness, type Setup } from '../../local-pool/support.js';

quietAmplifyEndpointWarning();

const NEW_PASSWORD = 'N3w!Passw0rd';
let h: PoolHarness;
let setup: Setup;
let n = 0;
const fresh = () => {
  n += 1;
  return { username: `amp${n}`, email: `amp${n}@example.com` };
};
const codeTo = (to: string) => h.pool.outbox({ recipient: to }).at(-1)?.code ?? '';

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(
    h.sdk,
    { AutoVerifiedAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false }, AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] } },
    { PreventUserExistenceErrors: 'ENABLED' },
  );
  Amplify.configure({ Auth: { Cognito: { userPoolId: setup.poolId, userPoolClientId: setup.clientId, userPoolEndpoint: h.pool.url } } });
});
afterEach(() => signOut().catch(() => undefined));
afterAll(() => h.close());

describe('sign-up', () => {
  it('signUp -> CONFIRM_SIGN_UP with the masked address; confirmSignUp -> COMPLETE_AUTO_SIGN_IN; autoSignIn signs in (SRP)', async () => {
    const { username, email } = fresh();
    const started = await signUp({ username, password: STRONG_PASSWORD, options: { userAttributes: { email }, autoSignIn: true } });
    expect(started).toEqual({
      isSignUpComplete: false,
      nextStep: { signUpStep: 'CONFIRM_SIGN_UP', codeDeliveryDetails: { destination: 'a***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' } },
      userId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    h.pool.resetRequestLog();
    expect(await confirmSignUp({ username, confirmationCode: codeTo(email) })).toEqual({
      isSignUpComplete: true,
      nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' },
    });
    expect(await autoSignIn()).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(targets(h.pool)).toEqual(['ConfirmSignUp', 'InitiateAuth', 'RespondToAuthChallenge']);
    expect(await fetchUserAttributes()).toMatchObject({ email, email_verified: 'true' });
  });

  it('a wrong code is CodeMismatchException; resendSignUpCode sends a new one', async () => {
    const { username, email } = fresh();
    await signUp({ username, password: STRONG_PASSWORD, options: { userAttributes: { email } } });
    const first = codeTo(email);
    await expect(confirmSignUp({ username, confirmationCode: first === '000000' ? '111111' : '000000' })).rejects.toMatchObject({
      name: 'CodeMismatchException',
      message: 'Invalid verification code provided, please try again.',
    });
    expect(await resendSignUpCode({ username })).toEqual({ destination: 'a***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' });
    expect(h.pool.outbox({ recipient: email })).toHaveLength(2);
    expect(await confirmSignUp({ username, confirmationCode: codeTo(email) })).toEqual({ isSignUpComplete: true, nextStep: { signUpStep: 'DONE' } });
    expect(await signIn({ username, password: STRONG_PASSWORD })).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  });

  it('an existing name is UsernameExistsException; a weak password InvalidPasswordException', async () => {
    const { username, email } = fresh();
    await signUp({ username, password: STRONG_PASSWORD, options: { userAttributes: { email } } });
    await expect(signUp({ username, password: STRONG_PASSWORD, options: { userAttributes: { email } } })).rejects.toMatchObject({
      name: 'UsernameExistsException',
      message: 'User already exists',
    });
    await expect(signUp({ username: fresh().username, password: 'weak', options: { userAttributes: { email } } })).rejects.toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
  });

  it("autoSignIn with authFlowType USER_AUTH signs in with ConfirmSignUp's Session (client with ALLOW_USER_AUTH)", async () => {
    const userAuthClient = await h.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: setup.poolId,
        ClientName: 'user-auth',
        ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
      }),
    );
    Amplify.configure({ Auth: { Cognito: { userPoolId: setup.poolId, userPoolClientId: userAuthClient.UserPoolClient!.ClientId!, userPoolEndpoint: h.pool.url } } });
    try {
      const { username, email } = fresh();
      await signUp({ username, password: STRONG_PASSWORD, options: { userAttributes: { email }, autoSignIn: { authFlowType: 'USER_AUTH' } } });
      h.pool.resetRequestLog();
      expect((await confirmSignUp({ username, confirmationCode: codeTo(email) })).nextStep).toEqual({ signUpStep: 'COMPLETE_AUTO_SIGN_IN' });
      // Amplify sends InitiateAuth USER_AUTH with ConfirmSignUp's Session as the request's Session: tokens, no password.
      expect(await autoSignIn()).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
      expect(targets(h.pool)).toEqual(['ConfirmSignUp', 'InitiateAuth']);
      expect(await fetchUserAttributes()).toMatchObject({ email, email_verified: 'true' });
    } finally {
      await signOut().catch(() => undefined);
      Amplify.configure({ Auth: { Cognito: { userPoolId: setup.poolId, userPoolClientId: setup.clientId, userPoolEndpoint: h.pool.url } } });
    }
  });
});

describe('password reset', () => {
  it('resetPassword -> CONFIRM_RESET_PASSWORD_WITH_CODE; confirmResetPassword; the new password signs in', async () => {
    const { username, email } = fresh();
    await createUser(h.sdk, setup.poolId, username, STRONG_PASSWORD, { attributes: { email, email_verified: 'true' } });
    expect(await resetPassword({ username })).toEqual({
      isPasswordReset: false,
      nextStep: {
        resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE',
        codeDeliveryDetails: { destination: 'a***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
      },
    });
    await expect(confirmResetPassword({ username, confirmationCode: 'x1', newPassword: NEW_PASSWORD })).rejects.toMatchObject({ name: 'CodeMismatchException' });
    await confirmResetPassword({ username, confirmationCode: codeTo(email), newPassword: NEW_PASSWORD });
    await expect(signIn({ username, password: STRONG_PASSWORD })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    expect(await signIn({ username, password: NEW_PASSWORD })).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  });

  it('an unknown user gets a code delivery all the same (PreventUserExistenceErrors) and nothing is sent', async () => {
    const before = h.pool.outbox().length;
    expect((await resetPassword({ username: 'nobody' })).nextStep.resetPasswordStep).toBe('CONFIRM_RESET_PASSWORD_WITH_CODE');
    expect(h.pool.outbox()).toHaveLength(before);
  });
});

describe('the signed-in account', () => {
  async function signedIn() {
    const { username, email } = fresh();
    await createUser(h.sdk, setup.poolId, username, STRONG_PASSWORD, { attributes: { email, email_verified: 'true' } });
    await signIn({ username, password: STRONG_PASSWORD });
    return { username, email };
  }

  it('updatePassword: the old password is checked; the new one signs in', async () => {
    const { username } = await signedIn();
    await expect(updatePassword({ oldPassword: 'Wr0ng!password', newPassword: NEW_PASSWORD })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    await updatePassword({ oldPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD });
    await signOut();
    expect(await signIn({ username, password: NEW_PASSWORD })).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  });

  it('updateUserAttributes -> CONFIRM_ATTRIBUTE_WITH_CODE for a new email; confirmUserAttribute verifies it', async () => {
    await signedIn();
    const next = `next${n}@example.com`;
    const updated = await updateUserAttributes({ userAttributes: { email: next, nickname: 'nick' } });
    expect(updated).toEqual({
      email: {
        isUpdated: false,
        nextStep: {
          updateAttributeStep: 'CONFIRM_ATTRIBUTE_WITH_CODE',
          codeDeliveryDetails: { destination: 'n***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
        },
      },
      nickname: { isUpdated: true, nextStep: { updateAttributeStep: 'DONE' } },
    });
    expect(await fetchUserAttributes()).toMatchObject({ email: next, email_verified: 'false', nickname: 'nick' });
    await confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: codeTo(next) });
    expect(await fetchUserAttributes()).toMatchObject({ email: next, email_verified: 'true' });
  });

  it('deleteUser removes the user and signs out', async () => {
    const { username } = await signedIn();
    await deleteUser();
    await expect(h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: username }))).rejects.toMatchObject({ name: 'UserNotFoundException' });
    await expect(signIn({ username, password: STRONG_PASSWORD })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });
});
