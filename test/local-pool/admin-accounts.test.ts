// The admin side of accounts over HTTP with the AWS SDK: AdminCreateUser's invitation (SUPPRESS,
// RESEND, DesiredDeliveryMediums), AdminResetUserPassword's code, AdminConfirmSignUp,
// AdminUpdateUserAttributes / AdminDeleteUserAttributes, AdminUserGlobalSignOut, AdminDeleteUser,
// ListUsers filters and pages, DescribeUserPool / UpdateUserPool (kept across a restart).
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { STRONG_PASSWORD, createPoolAndClient, createUser, failure, passwordSignIn, setPoolMfa, startPool, type PoolHarness, type Setup } from './support.js';

let h: PoolHarness;
let setup: Setup;

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk, { AutoVerifiedAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false } });
});
afterAll(() => h.close());

const get = (Username: string, s: Setup = setup) => h.sdk.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username }));
const attributesOf = async (username: string, s: Setup = setup) => Object.fromEntries(((await get(username, s)).UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
const codeTo = (to: string) => h.pool.outbox({ recipient: to }).at(-1)?.code ?? '';

describe('AdminCreateUser invitations', () => {
  it('sends the temporary password by e-mail when the user has no phone number, with the default text', async () => {
    const out = await h.sdk.send(
      new AdminCreateUserCommand({ UserPoolId: setup.poolId, Username: 'ivy', UserAttributes: [{ Name: 'email', Value: 'ivy@example.com' }] }),
    );
    expect(out.User!.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    const [message] = h.pool.outbox({ recipient: 'ivy@example.com' });
    expect(message).toMatchObject({
      medium: 'EMAIL',
      subject: 'Your temporary password',
      message: `Your username is ivy and temporary password is ${message!.code}.`,
      purpose: 'INVITATION',
    });
    const signIn = await passwordSignIn(h.sdk, setup, 'ivy', message!.code!);
    expect(signIn.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('SMS by default when there is a phone number; DesiredDeliveryMediums picks; SUPPRESS sends nothing', async () => {
    const attributes = [{ Name: 'email', Value: 'jo@example.com' }, { Name: 'phone_number', Value: '+15555550160' }];
    await h.sdk.send(new AdminCreateUserCommand({ UserPoolId: setup.poolId, Username: 'jo', TemporaryPassword: 'Temp0rary!jo', UserAttributes: attributes }));
    expect(h.pool.outbox({ recipient: '+15555550160' }).map((m) => [m.medium, m.subject, m.message])).toEqual([
      ['SMS', null, 'Your username is jo and temporary password is Temp0rary!jo.'],
    ]);
    expect(h.pool.outbox({ recipient: 'jo@example.com' })).toEqual([]);
    await h.sdk.send(
      new AdminCreateUserCommand({ UserPoolId: setup.poolId, Username: 'kit', UserAttributes: [{ Name: 'email', Value: 'kit@example.com' }, { Name: 'phone_number', Value: '+15555550161' }], DesiredDeliveryMediums: ['EMAIL', 'SMS'] }),
    );
    expect(h.pool.outbox({ username: 'kit' }).map((m) => m.medium)).toEqual(['EMAIL', 'SMS']);
    await h.sdk.send(
      new AdminCreateUserCommand({ UserPoolId: setup.poolId, Username: 'lee', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'lee@example.com' }] }),
    );
    expect(h.pool.outbox({ username: 'lee' })).toEqual([]);
  });

  it('RESEND sends a new temporary password (the old one stops working); only to FORCE_CHANGE_PASSWORD users', async () => {
    await h.sdk.send(new AdminCreateUserCommand({ UserPoolId: setup.poolId, Username: 'max', TemporaryPassword: 'Temp0rary!max', UserAttributes: [{ Name: 'email', Value: 'max@example.com' }] }));
    await h.sdk.send(new AdminCreateUserCommand({ UserPoolId: setup.poolId, Username: 'max', MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] }));
    const messages = h.pool.outbox({ recipient: 'max@example.com' });
    expect(messages).toHaveLength(2);
    expect(messages[1]!.code).not.toBe('Temp0rary!max');
    expect((await failure(passwordSignIn(h.sdk, setup, 'max', 'Temp0rary!max'))).message).toBe('Incorrect username or password.');
    expect((await passwordSignIn(h.sdk, setup, 'max', messages[1]!.code!)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    await createUser(h.sdk, setup.poolId, 'ned', STRONG_PASSWORD);
    expect(await failure(h.sdk.send(new AdminCreateUserCommand({ UserPoolId: setup.poolId, Username: 'ned', MessageAction: 'RESEND' })))).toEqual({
      name: 'UnsupportedUserStateException',
      message: 'Resend not possible. ned status is not FORCE_CHANGE_PASSWORD.',
    });
    expect((await failure(h.sdk.send(new AdminCreateUserCommand({ UserPoolId: setup.poolId, Username: 'nobody', MessageAction: 'RESEND' })))).name).toBe('UserNotFoundException');
  });

  it("the pool's InviteMessageTemplate; in email-as-username pools {username} is the address", async () => {
    const byEmail = await createPoolAndClient(h.sdk, {
      PoolName: 'invite',
      UsernameAttributes: ['email'],
      AdminCreateUserConfig: { InviteMessageTemplate: { EmailSubject: 'Welcome aboard', EmailMessage: 'Sign in as {username} with {####}' } },
    });
    await h.sdk.send(new AdminCreateUserCommand({ UserPoolId: byEmail.poolId, Username: 'oli@example.com', TemporaryPassword: 'Temp0rary!oli' }));
    expect(h.pool.outbox({ recipient: 'oli@example.com' }).map((m) => [m.subject, m.message])).toEqual([['Welcome aboard', 'Sign in as oli@example.com with Temp0rary!oli']]);
    expect((await failure(createPoolAndClient(h.sdk, { PoolName: 'bad', AdminCreateUserConfig: { InviteMessageTemplate: { EmailMessage: 'no placeholders here' } } }))).name).toBe(
      'InvalidParameterException',
    );
  });
});

describe('AdminResetUserPassword', () => {
  it('sends a reset code to the verified address; sign-in is PasswordResetRequired until ConfirmForgotPassword', async () => {
    await createUser(h.sdk, setup.poolId, 'pia', STRONG_PASSWORD, { attributes: { email: 'pia@example.com', email_verified: 'true' } });
    await h.sdk.send(new AdminResetUserPasswordCommand({ UserPoolId: setup.poolId, Username: 'pia' }));
    expect((await get('pia')).UserStatus).toBe('RESET_REQUIRED');
    const message = h.pool.outbox({ recipient: 'pia@example.com' }).at(-1)!;
    expect(message).toMatchObject({ purpose: 'ADMIN_RESET_PASSWORD', message: `Your password reset code is ${message.code}.` });
    expect(await failure(passwordSignIn(h.sdk, setup, 'pia', STRONG_PASSWORD))).toEqual({
      name: 'PasswordResetRequiredException',
      message: 'Password reset required for the user',
    });
    await h.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: setup.clientId, Username: 'pia', ConfirmationCode: message.code!, Password: 'N3w!Passw0rd' }));
    expect((await get('pia')).UserStatus).toBe('CONFIRMED');
    expect((await passwordSignIn(h.sdk, setup, 'pia', 'N3w!Passw0rd')).AuthenticationResult).toBeDefined();
  });

  it('without a verified address nothing is sent; the user is RESET_REQUIRED all the same', async () => {
    await createUser(h.sdk, setup.poolId, 'quin', STRONG_PASSWORD, { attributes: { email: 'quin@example.com' } });
    await h.sdk.send(new AdminResetUserPasswordCommand({ UserPoolId: setup.poolId, Username: 'quin' }));
    expect((await get('quin')).UserStatus).toBe('RESET_REQUIRED');
    expect(h.pool.outbox({ recipient: 'quin@example.com' })).toEqual([]);
  });
});

describe('admin attribute and user operations', () => {
  it('AdminConfirmSignUp confirms a signed-up user; its sign-up code is void afterwards', async () => {
    await h.sdk.send(new SignUpCommand({ ClientId: setup.clientId, Username: 'rae', Password: STRONG_PASSWORD, UserAttributes: [{ Name: 'email', Value: 'rae@example.com' }] }));
    await h.sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: setup.poolId, Username: 'rae' }));
    expect((await get('rae')).UserStatus).toBe('CONFIRMED');
    expect((await attributesOf('rae'))['email_verified']).toBeUndefined();
    expect((await failure(h.sdk.send(new ConfirmSignUpCommand({ ClientId: setup.clientId, Username: 'rae', ConfirmationCode: codeTo('rae@example.com') })))).name).toBe(
      'NotAuthorizedException',
    );
  });

  it('AdminUpdateUserAttributes: a new auto-verified address gets a code unless email_verified is given', async () => {
    await createUser(h.sdk, setup.poolId, 'sol', STRONG_PASSWORD, { attributes: { email: 'sol@example.com', email_verified: 'true' } });
    await h.sdk.send(new AdminUpdateUserAttributesCommand({ UserPoolId: setup.poolId, Username: 'sol', UserAttributes: [{ Name: 'email', Value: 'sol2@example.com' }] }));
    expect(await attributesOf('sol')).toMatchObject({ email: 'sol2@example.com', email_verified: 'false' });
    expect(h.pool.outbox({ recipient: 'sol2@example.com' }).map((m) => m.purpose)).toEqual(['VERIFY_ATTRIBUTE']);
    await h.sdk.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: setup.poolId,
        Username: 'sol',
        UserAttributes: [{ Name: 'email', Value: 'sol3@example.com' }, { Name: 'email_verified', Value: 'true' }],
      }),
    );
    expect(await attributesOf('sol')).toMatchObject({ email: 'sol3@example.com', email_verified: 'true' });
    expect(h.pool.outbox({ recipient: 'sol3@example.com' })).toEqual([]);
    await h.sdk.send(new AdminDeleteUserAttributesCommand({ UserPoolId: setup.poolId, Username: 'sol', UserAttributeNames: ['email'] }));
    expect(await attributesOf('sol')).not.toHaveProperty('email');
  });

  it('AdminUserGlobalSignOut revokes the refresh tokens; AdminDeleteUser removes the user', async () => {
    await createUser(h.sdk, setup.poolId, 'tam', STRONG_PASSWORD);
    const tokens = (await passwordSignIn(h.sdk, setup, 'tam', STRONG_PASSWORD)).AuthenticationResult!;
    await h.sdk.send(new AdminUserGlobalSignOutCommand({ UserPoolId: setup.poolId, Username: 'tam' }));
    const refresh = () =>
      h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: setup.clientId, AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }));
    expect((await failure(refresh())).name).toBe('NotAuthorizedException');
    await h.sdk.send(new AdminDeleteUserCommand({ UserPoolId: setup.poolId, Username: 'tam' }));
    expect((await failure(get('tam'))).name).toBe('UserNotFoundException');
  });
});

describe('ListUsers', () => {
  let listing: Setup;
  beforeAll(async () => {
    listing = await createPoolAndClient(h.sdk, { PoolName: 'listing' });
    for (let i = 0; i < 65; i++) {
      await h.sdk.send(
        new AdminCreateUserCommand({
          UserPoolId: listing.poolId,
          Username: `u${String(i).padStart(2, '0')}`,
          MessageAction: 'SUPPRESS',
          TemporaryPassword: STRONG_PASSWORD,
          UserAttributes: [
            { Name: 'email', Value: `u${i}@${i % 2 ? 'odd' : 'even'}.test` },
            { Name: 'given_name', Value: i < 3 ? 'Ann' : 'Bob' },
          ],
        }),
      );
    }
    for (let i = 60; i < 65; i++) {
      await h.sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: listing.poolId, Username: `u${i}`, Password: STRONG_PASSWORD, Permanent: true }));
    }
  });
  const list = (input: Omit<ConstructorParameters<typeof ListUsersCommand>[0], 'UserPoolId'>) => h.sdk.send(new ListUsersCommand({ UserPoolId: listing.poolId, ...input }));

  it('pages of at most 60 with a PaginationToken, every user once', async () => {
    const first = await list({});
    expect(first.Users).toHaveLength(60);
    const second = await list({ PaginationToken: first.PaginationToken! });
    expect(second.Users).toHaveLength(5);
    expect(second.PaginationToken).toBeUndefined();
    expect(new Set([...first.Users!, ...second.Users!].map((u) => u.Username)).size).toBe(65);
    expect((await failure(list({ Limit: 61 }))).message).toBe("1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60");
  });

  it('Filter: = and ^= on attributes, username, status, cognito:user_status and sub; AttributesToGet', async () => {
    expect((await list({ Filter: 'given_name = "Ann"' })).Users!.map((u) => u.Username)).toEqual(['u00', 'u01', 'u02']);
    expect((await list({ Filter: 'email ^= "u1"' })).Users!.length).toBe(11);
    expect((await list({ Filter: 'username ^= "u6"', Limit: 2 })).Users!.map((u) => u.Username)).toEqual(['u60', 'u61']);
    expect((await list({ Filter: 'cognito:user_status = "FORCE_CHANGE_PASSWORD"' })).Users!.length).toBe(60);
    expect((await list({ Filter: 'status = "Enabled"', Limit: 5 })).Users!.length).toBe(5);
    const one = (await list({ Filter: 'username = "u07"', AttributesToGet: ['email'] })).Users![0]!;
    expect(one.Attributes).toEqual([{ Name: 'email', Value: 'u7@odd.test' }]);
    const sub = (await get('u07', listing)).UserAttributes!.find((a) => a.Name === 'sub')!.Value!;
    expect((await list({ Filter: `sub = "${sub}"` })).Users!.map((u) => u.Username)).toEqual(['u07']);
    expect((await failure(list({ Filter: 'email contains "x"' }))).name).toBe('InvalidParameterException');
  });
});

describe('DescribeUserPool and UpdateUserPool', () => {
  it('UpdateUserPool keeps what it is given (also across a restart); left-out members return to their defaults', async () => {
    const pool = await createPoolAndClient(h.sdk, {
      PoolName: 'settings',
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }],
      UserPoolTags: { team: 'auth' },
    });
    await setPoolMfa(h.sdk, pool.poolId, 'OPTIONAL');
    await h.sdk.send(
      new UpdateUserPoolCommand({
        UserPoolId: pool.poolId,
        Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true } },
        AutoVerifiedAttributes: ['email'],
        VerificationMessageTemplate: { EmailSubject: 'Your code', EmailMessage: 'Code {####}', DefaultEmailOption: 'CONFIRM_WITH_CODE' },
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true, InviteMessageTemplate: { EmailMessage: 'Hi {username}: {####}', EmailSubject: 'Hi' } },
        DeletionProtection: 'ACTIVE',
        MfaConfiguration: 'OPTIONAL',
        LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:pre' },
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
      }),
    );
    h = await h.restart();
    const described = (await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: pool.poolId }))).UserPool!;
    expect(described).toMatchObject({
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true, RequireUppercase: false } },
      AutoVerifiedAttributes: ['email'],
      VerificationMessageTemplate: { EmailSubject: 'Your code', EmailMessage: 'Code {####}', DefaultEmailOption: 'CONFIRM_WITH_CODE' },
      EmailVerificationMessage: 'Code {####}',
      EmailVerificationSubject: 'Your code',
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true, InviteMessageTemplate: { EmailMessage: 'Hi {username}: {####}', EmailSubject: 'Hi' } },
      DeletionProtection: 'ACTIVE',
      MfaConfiguration: 'OPTIONAL',
      LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:pre' },
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    expect(described.SchemaAttributes!.find((a) => a.Name === 'name')!.Required).toBe(true);
    expect(described.UserPoolTags).toEqual({});
    // The MFA factors of SetUserPoolMfaConfig stay.
    expect((await h.sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId }))).SoftwareTokenMfaConfiguration).toEqual({ Enabled: true });

    await h.sdk.send(new UpdateUserPoolCommand({ UserPoolId: pool.poolId }));
    const reset = (await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: pool.poolId }))).UserPool!;
    expect(reset).toMatchObject({ AutoVerifiedAttributes: [], DeletionProtection: 'INACTIVE', MfaConfiguration: 'OFF', AdminCreateUserConfig: { AllowAdminCreateUserOnly: false } });
    expect(reset.Policies!.PasswordPolicy).toMatchObject({ MinimumLength: 8, RequireUppercase: true });
    expect(reset.AccountRecoverySetting).toBeUndefined();
    expect(reset.UsernameAttributes).toEqual(['email']);
  });

  it('refuses settings Cognito refuses', async () => {
    const pool = await createPoolAndClient(h.sdk, { PoolName: 'strict' });
    const update = (input: object) => failure(h.sdk.send(new UpdateUserPoolCommand({ UserPoolId: pool.poolId, ...input })));
    expect((await update({ UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } })).name).toBe('InvalidParameterException');
    expect((await update({ VerificationMessageTemplate: { EmailMessage: 'no code here' } })).name).toBe('InvalidParameterException');
    expect(
      (await update({ AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }, { Name: 'verified_email', Priority: 2 }] } })).name,
    ).toBe('InvalidParameterException');
  });
});
