// The signed-in user's own account, over HTTP with the AWS SDK: ChangePassword,
// GetUserAttributeVerificationCode, VerifyUserAttribute, UpdateUserAttributes (with and without
// UserAttributeUpdateSettings), DeleteUserAttributes and DeleteUser.
import {
  AdminGetUserCommand,
  ChangePasswordCommand,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { STRONG_PASSWORD, createPoolAndClient, createUser, failure, passwordSignIn, startPool, type PoolHarness, type Setup } from './support.js';

const NEW_PASSWORD = 'N3w!Passw0rd';
let h: PoolHarness;
let setup: Setup;
let keeping: Setup;
let n = 0;

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk, {
    AutoVerifiedAttributes: ['email'],
    Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }],
  });
  keeping = await createPoolAndClient(h.sdk, {
    PoolName: 'keeping',
    AutoVerifiedAttributes: ['email', 'phone_number'],
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
  });
});
afterAll(() => h.close());

/** A confirmed user with a verified address, signed in: its access token. */
async function signedIn(s: Setup = setup, attributes: Record<string, string> = {}): Promise<{ username: string; email: string; token: string }> {
  n += 1;
  const username = `acct${n}`;
  const email = `acct${n}@example.com`;
  await createUser(h.sdk, s.poolId, username, STRONG_PASSWORD, { attributes: { email, email_verified: 'true', name: 'A', ...attributes } });
  const token = (await passwordSignIn(h.sdk, s, username, STRONG_PASSWORD)).AuthenticationResult!.AccessToken!;
  return { username, email, token };
}
const attributesOf = async (s: Setup, username: string) =>
  Object.fromEntries(((await h.sdk.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: username }))).UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
const update = (token: string, attributes: Record<string, string>) =>
  h.sdk.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })) }));
const codeTo = (to: string) => h.pool.outbox({ recipient: to }).at(-1)?.code ?? '';
const MISMATCH = { name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' };

describe('ChangePassword', () => {
  it('checks the previous password and the policy, then the new password signs in', async () => {
    const { username, token } = await signedIn();
    expect(await failure(h.sdk.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: 'Wr0ng!password', ProposedPassword: NEW_PASSWORD })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect(await failure(h.sdk.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: STRONG_PASSWORD, ProposedPassword: 'nouppercase1!' })))).toEqual({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password must have uppercase characters',
    });
    await h.sdk.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: STRONG_PASSWORD, ProposedPassword: NEW_PASSWORD }));
    expect((await failure(passwordSignIn(h.sdk, setup, username, STRONG_PASSWORD))).message).toBe('Incorrect username or password.');
    expect((await passwordSignIn(h.sdk, setup, username, NEW_PASSWORD)).AuthenticationResult).toBeDefined();
    // The token it was changed with still works (ChangePassword signs nobody out).
    expect((await h.sdk.send(new GetUserCommand({ AccessToken: token }))).Username).toBe(username);
  });

  it('wrong previous passwords count towards the lockout: then LimitExceeded', async () => {
    const { token } = await signedIn();
    for (let i = 0; i < 5; i++) {
      await failure(h.sdk.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: 'Wr0ng!password', ProposedPassword: NEW_PASSWORD })));
    }
    await failure(h.sdk.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: 'Wr0ng!password', ProposedPassword: NEW_PASSWORD })));
    expect(await failure(h.sdk.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: STRONG_PASSWORD, ProposedPassword: NEW_PASSWORD })))).toEqual({
      name: 'LimitExceededException',
      message: 'Attempt limit exceeded, please try after some time.',
    });
  });
});

describe('attribute verification', () => {
  it('GetUserAttributeVerificationCode sends a code; VerifyUserAttribute verifies; a wrong code is CodeMismatch', async () => {
    const { username, email, token } = await signedIn(setup, { email_verified: 'false' });
    const out = await h.sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'email' }));
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const message = h.pool.outbox({ recipient: email }).at(-1)!;
    expect(message).toMatchObject({ purpose: 'VERIFY_ATTRIBUTE', subject: 'Your verification code', message: `Your verification code is ${message.code}.` });
    expect(await failure(h.sdk.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: '000000x' })))).toEqual(MISMATCH);
    await h.sdk.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: message.code! }));
    expect((await attributesOf(setup, username))['email_verified']).toBe('true');
    expect(await failure(h.sdk.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: message.code! })))).toEqual(MISMATCH);
    expect((await failure(h.sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'phone_number' })))).name).toBe(
      'InvalidParameterException',
    );
  });

  it('attribute codes live 24 hours (checked with a fresh token: access tokens live one hour)', async () => {
    const { username, email, token } = await signedIn(setup, { email_verified: 'false' });
    await h.sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'email' }));
    const code = codeTo(email);
    h.clock.advance(24 * 3600_000 - 60_000);
    const before = (await passwordSignIn(h.sdk, setup, username, STRONG_PASSWORD)).AuthenticationResult!.AccessToken!;
    expect(await failure(h.sdk.send(new VerifyUserAttributeCommand({ AccessToken: before, AttributeName: 'email', Code: code === '000000' ? '000001' : '000000' })))).toEqual(MISMATCH);
    h.clock.advance(60_000);
    expect(await failure(h.sdk.send(new VerifyUserAttributeCommand({ AccessToken: before, AttributeName: 'email', Code: code })))).toEqual({
      name: 'ExpiredCodeException',
      message: 'Invalid code provided, please request a code again.',
    });
  });
});

describe('UpdateUserAttributes', () => {
  it('a new email is unverified at once and gets a code (auto-verified); other attributes just change', async () => {
    const { username, token } = await signedIn();
    const out = await update(token, { email: `changed${n}@example.com`, name: 'Renamed' });
    expect(out.CodeDeliveryDetailsList).toEqual([{ Destination: 'c***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
    expect(await attributesOf(setup, username)).toMatchObject({ email: `changed${n}@example.com`, email_verified: 'false', name: 'Renamed' });
    await h.sdk.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: codeTo(`changed${n}@example.com`) }));
    expect((await attributesOf(setup, username))['email_verified']).toBe('true');
    expect((await update(token, { name: 'Only name' })).CodeDeliveryDetailsList).toBeUndefined();
  });

  it('refuses what the client may not write, unknown and emptied required attributes', async () => {
    const { token } = await signedIn();
    expect(await failure(update(token, { email_verified: 'true' }))).toEqual({ name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' });
    expect((await failure(update(token, { shoe_size: '9' }))).message).toBe('Attributes did not conform to the schema: Type for attribute {shoe_size} could not be determined');
    expect(await failure(update(token, { name: '' }))).toEqual({ name: 'InvalidParameterException', message: 'Attributes did not conform to the schema: name: The attribute is required' });
  });

  it('with AttributesRequireVerificationBeforeUpdate the old address stays (and signs in) until the new one is verified, also across a restart', async () => {
    const aliasPool = await createPoolAndClient(h.sdk, {
      PoolName: 'keeping-alias',
      AliasAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
    const { username, email, token } = await signedIn(aliasPool);
    const next = `next${n}@example.com`;
    const out = await update(token, { email: next });
    expect(out.CodeDeliveryDetailsList).toEqual([{ Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
    expect(await attributesOf(aliasPool, username)).toMatchObject({ email, email_verified: 'true' });
    expect((await passwordSignIn(h.sdk, aliasPool, email, STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
    expect((await failure(passwordSignIn(h.sdk, aliasPool, next, STRONG_PASSWORD))).name).toBe('UserNotFoundException');
    h = await h.restart(); // the pending address and its code are durable
    await h.sdk.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: codeTo(next) }));
    expect(await attributesOf(aliasPool, username)).toMatchObject({ email: next, email_verified: 'true' });
    expect((await passwordSignIn(h.sdk, aliasPool, next, STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('without the setting a new phone number replaces the old one at once, unverified, with an SMS code', async () => {
    const { username, token } = await signedIn(keeping, { phone_number: '+15555550140', phone_number_verified: 'true' });
    const out = await update(token, { phone_number: '+15555550141' });
    expect(out.CodeDeliveryDetailsList).toEqual([{ Destination: '+*******0141', DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);
    expect(await attributesOf(keeping, username)).toMatchObject({ phone_number: '+15555550141', phone_number_verified: 'false' });
  });
});

describe('DeleteUserAttributes and DeleteUser', () => {
  it('deletes attributes (an email takes its verified flag along), not required ones', async () => {
    const { username, token } = await signedIn(setup, { nickname: 'nick' });
    await h.sdk.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['nickname', 'email'] }));
    const attributes = await attributesOf(setup, username);
    expect(attributes['nickname']).toBeUndefined();
    expect(attributes['email']).toBeUndefined();
    expect(attributes['email_verified']).toBeUndefined();
    expect(await failure(h.sdk.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['name'] })))).toEqual({
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: name: The attribute is required',
    });
  });

  it('DeleteUser removes the user; its tokens stop working', async () => {
    const { username, token } = await signedIn();
    await h.sdk.send(new DeleteUserCommand({ AccessToken: token }));
    expect(await failure(h.sdk.send(new GetUserCommand({ AccessToken: token })))).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
    expect((await failure(h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: username })))).name).toBe('UserNotFoundException');
  });
});
