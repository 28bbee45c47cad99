// Configuration through Cognito's own admin API: pools, app clients, users.
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { STRONG_PASSWORD, createPoolAndClient, failure, passwordSignIn, startPool, type PoolHarness } from './support.js';

let h: PoolHarness;
beforeAll(async () => {
  h = await startPool();
});
afterAll(() => h.close());

describe('user pools', () => {
  it('create, describe, list and delete', async () => {
    const created = await h.sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'shop',
        Policies: { PasswordPolicy: { MinimumLength: 10, RequireNumbers: true } },
        AutoVerifiedAttributes: ['email'],
        Schema: [{ Name: 'name', Required: true, AttributeDataType: 'String', Mutable: true }],
      }),
    );
    const pool = created.UserPool!;
    expect(pool.Id).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(pool.Name).toBe('shop');
    expect(pool.Policies!.PasswordPolicy).toEqual({
      MinimumLength: 10,
      RequireUppercase: false,
      RequireLowercase: false,
      RequireNumbers: true,
      RequireSymbols: false,
      TemporaryPasswordValidityDays: 7,
    });
    expect(pool.CreationDate).toBeInstanceOf(Date);
    expect(pool.MfaConfiguration).toBe('OFF');
    expect(pool.SchemaAttributes!.find((a) => a.Name === 'name')!.Required).toBe(true);
    expect(pool.SchemaAttributes!.find((a) => a.Name === 'email')!.Required).toBe(false);

    const described = await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id! }));
    expect(described.UserPool!.AutoVerifiedAttributes).toEqual(['email']);
    expect(described.UserPool!.EstimatedNumberOfUsers).toBe(0);

    const listed = await h.sdk.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(listed.UserPools!.map((p) => p.Id)).toContain(pool.Id);

    await h.sdk.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id! }));
    expect((await failure(h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id! })))).name).toBe('ResourceNotFoundException');
  });

  it('defaults to the full password policy and paginates listings', async () => {
    const ids: string[] = [];
    for (const name of ['p1', 'p2', 'p3']) {
      const pool = (await h.sdk.send(new CreateUserPoolCommand({ PoolName: name }))).UserPool!;
      expect(pool.Policies!.PasswordPolicy).toMatchObject({ MinimumLength: 8, RequireUppercase: true, RequireSymbols: true });
      ids.push(pool.Id!);
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await h.sdk.send(new ListUserPoolsCommand({ MaxResults: 2, ...(token ? { NextToken: token } : {}) }));
      expect(page.UserPools!.length).toBeLessThanOrEqual(2);
      seen.push(...page.UserPools!.map((p) => p.Id!));
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual(expect.arrayContaining(ids));
  });

  it('rejects UsernameAttributes together with AliasAttributes', async () => {
    const error = await failure(h.sdk.send(new CreateUserPoolCommand({ PoolName: 'both', UsernameAttributes: ['email'], AliasAttributes: ['email'] })));
    expect(error.name).toBe('InvalidParameterException');
  });
});

describe('app clients', () => {
  it('create with a secret, describe, update (unset fields reset), list', async () => {
    const poolId = (await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'clients' }))).UserPool!.Id!;
    const created = (
      await h.sdk.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'backend',
          GenerateSecret: true,
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          PreventUserExistenceErrors: 'ENABLED',
          AuthSessionValidity: 5,
        }),
      )
    ).UserPoolClient!;
    expect(created.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(created.ClientSecret).toMatch(/^[a-z0-9]{52}$/);
    expect(created).toMatchObject({
      UserPoolId: poolId,
      ClientName: 'backend',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AuthSessionValidity: 5,
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
      RefreshTokenRotation: { Feature: 'DISABLED', RetryGracePeriodSeconds: 0 },
    });

    const described = (await h.sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId! }))).UserPoolClient!;
    expect(described.ClientSecret).toBe(created.ClientSecret);

    const updated = (
      await h.sdk.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId!, AuthSessionValidity: 15 }))
    ).UserPoolClient!;
    expect(updated).toMatchObject({
      ClientName: 'backend',
      AuthSessionValidity: 15,
      PreventUserExistenceErrors: 'LEGACY',
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'],
      ClientSecret: created.ClientSecret,
    });

    const publicClient = (await h.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }))).UserPoolClient!;
    expect(publicClient.ClientSecret).toBeUndefined();
    const listed = await h.sdk.send(new ListUserPoolClientsCommand({ UserPoolId: poolId }));
    expect(listed.UserPoolClients!.map((c) => c.ClientName).sort()).toEqual(['backend', 'web']);
  });

  it('validates settings', async () => {
    const poolId = (await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'checks' }))).UserPool!.Id!;
    const make = (extra: object) => h.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', ...extra }));
    expect((await failure(make({ AuthSessionValidity: 2 }))).message).toBe(
      "1 validation error detected: Value at 'authSessionValidity' failed to satisfy constraint: Member must have value greater than or equal to 3",
    );
    expect((await failure(make({ ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'] }))).name).toBe('InvalidParameterException');
    expect((await failure(make({ AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'days' } }))).message).toBe(
      'Access token validity must be between 5 minutes and 1 day.',
    );
    expect((await failure(h.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: 'us-east-1_nothere00', ClientName: 'c' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });
});

describe('users', () => {
  let poolId: string;
  beforeAll(async () => {
    ({ poolId } = await createPoolAndClient(h.sdk, { PoolName: 'people', UsernameConfiguration: { CaseSensitive: false } }));
  });
  const get = (Username: string) => h.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username }));

  it('AdminCreateUser: FORCE_CHANGE_PASSWORD, attributes with a sub, duplicates refused', async () => {
    const created = await h.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'ann',
        TemporaryPassword: STRONG_PASSWORD,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'ann@example.com' }],
      }),
    );
    expect(created.User).toMatchObject({ Username: 'ann', Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    expect(created.User!.Attributes![0]!.Name).toBe('sub');
    expect(created.User!.Attributes).toContainEqual({ Name: 'email', Value: 'ann@example.com' });
    expect(await failure(h.sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'ANN', TemporaryPassword: STRONG_PASSWORD })))).toEqual({
      name: 'UsernameExistsException',
      message: 'User account already exists',
    });
    // AdminCreateUser says "with password policy" (SignUp: "with policy").
    expect(await failure(h.sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'weak', TemporaryPassword: 'short' })))).toEqual({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with password policy: Password not long enough',
    });
    expect(await failure(h.sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'weak', TemporaryPassword: 'passw0rd!long' })))).toEqual({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with password policy: Password must have uppercase characters',
    });
    expect(
      (await failure(h.sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'odd', UserAttributes: [{ Name: 'shoe_size', Value: '9' }] })))).name,
    ).toBe('InvalidParameterException');
    const generated = await h.sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'gen', MessageAction: 'SUPPRESS' }));
    expect(generated.User!.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
  });

  it('AdminSetUserPassword: permanent confirms, temporary forces a change', async () => {
    await h.sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'ann', Password: STRONG_PASSWORD, Permanent: true }));
    expect((await get('ann')).UserStatus).toBe('CONFIRMED');
    await h.sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'ann', Password: STRONG_PASSWORD, Permanent: false }));
    expect((await get('ann')).UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect((await failure(h.sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'ann', Password: 'nodigits!', Permanent: true })))).name).toBe(
      'InvalidPasswordException',
    );
  });

  it('AdminUpdateUserAttributes: a new email is unverified unless stated', async () => {
    await h.sdk.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: 'ann',
        UserAttributes: [{ Name: 'email', Value: 'ann@example.com' }, { Name: 'email_verified', Value: 'true' }],
      }),
    );
    expect((await get('ann')).UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
    await h.sdk.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'ann', UserAttributes: [{ Name: 'email', Value: 'new@example.com' }] }));
    const attributes = (await get('ann')).UserAttributes;
    expect(attributes).toContainEqual({ Name: 'email', Value: 'new@example.com' });
    expect(attributes).toContainEqual({ Name: 'email_verified', Value: 'false' });
  });

  it('AdminResetUserPassword, AdminConfirmSignUp and AdminDeleteUser', async () => {
    await h.sdk.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'ann' }));
    expect((await get('ann')).UserStatus).toBe('RESET_REQUIRED');
    expect(await failure(h.sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'ann' })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is RESET_REQUIRED',
    });
    h.pool.seed({ pools: [{ id: poolId, name: 'people', users: [{ username: 'newbie', password: STRONG_PASSWORD, status: 'UNCONFIRMED' }] }] });
    await h.sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'newbie' }));
    expect((await get('newbie')).UserStatus).toBe('CONFIRMED');
    await h.sdk.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'newbie' }));
    expect(await failure(get('newbie'))).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
  });

  it('ListUsers: filters, attributes to get, pagination', async () => {
    for (const name of ['lu1', 'lu2', 'lu3']) {
      await h.sdk.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: name, TemporaryPassword: STRONG_PASSWORD, UserAttributes: [{ Name: 'email', Value: `${name}@list.test` }] }),
      );
    }
    const exact = await h.sdk.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'email = "lu2@list.test"' }));
    expect(exact.Users!.map((u) => u.Username)).toEqual(['lu2']);
    const prefix = await h.sdk.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'username ^= "lu"', AttributesToGet: ['email'] }));
    expect(prefix.Users!.map((u) => u.Username)).toEqual(['lu1', 'lu2', 'lu3']);
    expect(prefix.Users![0]!.Attributes).toEqual([{ Name: 'email', Value: 'lu1@list.test' }]);
    const first = await h.sdk.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'username ^= "lu"', Limit: 2 }));
    expect(first.Users).toHaveLength(2);
    const second = await h.sdk.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'username ^= "lu"', Limit: 2, PaginationToken: first.PaginationToken! }));
    expect(second.Users!.map((u) => u.Username)).toEqual(['lu3']);
    expect(second.PaginationToken).toBeUndefined();
    expect((await failure(h.sdk.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'shoe = 1' })))).name).toBe('InvalidParameterException');
  });

  it('in a pool with email as username the username is the sub and the email signs in', async () => {
    const byEmail = await createPoolAndClient(h.sdk, { PoolName: 'by-email', UsernameAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false } });
    const created = await h.sdk.send(
      new AdminCreateUserCommand({ UserPoolId: byEmail.poolId, Username: 'Erin@Example.com', TemporaryPassword: STRONG_PASSWORD }),
    );
    const sub = created.User!.Attributes!.find((a) => a.Name === 'sub')!.Value;
    expect(created.User!.Username).toBe(sub);
    expect(created.User!.Attributes).toContainEqual({ Name: 'email', Value: 'Erin@Example.com' });
    expect((await failure(h.sdk.send(new AdminCreateUserCommand({ UserPoolId: byEmail.poolId, Username: 'erin' })))).message).toBe(
      'Username should be an email.',
    );
    expect((await failure(h.sdk.send(new AdminCreateUserCommand({ UserPoolId: byEmail.poolId, Username: 'erin@example.com' })))).name).toBe(
      'UsernameExistsException',
    );
    await h.sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: byEmail.poolId, Username: 'erin@example.com', Password: STRONG_PASSWORD, Permanent: true }));
    const signedIn = await passwordSignIn(h.sdk, byEmail, 'erin@example.com', STRONG_PASSWORD);
    const idClaims = JSON.parse(Buffer.from(signedIn.AuthenticationResult!.IdToken!.split('.')[1]!, 'base64url').toString());
    expect(idClaims['cognito:username']).toBe(sub);
  });
});
