// The legacy SMS MFA switch (SetUserSettings / AdminSetUserSettings with MFAOptions) and
// AdminGetUserAuthFactors, with the AWS SDK over HTTP against one pool: MFAOptions turn SMS MFA on
// and off as SetUserMFAPreference does, so the next sign-in asks SMS_MFA or not.
import {
  AdminGetUserAuthFactorsCommand,
  AdminGetUserCommand,
  AdminSetUserSettingsCommand,
  CompleteWebAuthnRegistrationCommand,
  GetUserAuthFactorsCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  ListUsersCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  SetUserSettingsCommand,
  StartWebAuthnRegistrationCommand,
  type MFAOptionType,
} from '@aws-sdk/client-cognito-identity-provider';
import { SoftAuthenticator, type CreationOptions } from '../support/soft-authenticator.js';
import {
  ALL_FACTORS,
  STRONG_PASSWORD,
  createPoolAndClient,
  createUser,
  failure,
  lastCode,
  passwordSignIn,
  respond,
  startPool,
  type PoolHarness,
  type Setup,
} from './support.js';

const SMS_ON: MFAOptionType[] = [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }];
let h: PoolHarness;
let setup: Setup;
let phones = 0;

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(
    h.sdk,
    { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } },
    { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  );
  await h.sdk.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: setup.poolId,
      MfaConfiguration: 'OPTIONAL',
      ...ALL_FACTORS,
      WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'preferred' },
    }),
  );
});
afterAll(() => h.close());

/** A user with a phone number (unless `phone` is false), signed in with its password: its access token. */
async function signedIn(username: string, phone = true): Promise<string> {
  const attributes: Record<string, string> = phone ? { phone_number: `+1555555${String(100 + ++phones).padStart(4, '0')}` } : {};
  await createUser(h.sdk, setup.poolId, username, STRONG_PASSWORD, { attributes });
  const result = await passwordSignIn(h.sdk, setup, username, STRONG_PASSWORD);
  if (!result.AuthenticationResult) throw new Error(`expected tokens for ${username}, got ${result.ChallengeName}`);
  return result.AuthenticationResult.AccessToken!;
}

/** The password sign-in's outcome: 'tokens', or the challenge, answered with the outbox's SMS code when it is SMS_MFA. */
async function nextSignIn(username: string): Promise<{ outcome: string; destination?: string }> {
  const first = await passwordSignIn(h.sdk, setup, username, STRONG_PASSWORD);
  if (first.AuthenticationResult) return { outcome: 'tokens' };
  if (first.ChallengeName !== 'SMS_MFA') return { outcome: first.ChallengeName ?? 'nothing' };
  const answered = await respond(h.sdk, setup, 'SMS_MFA', first.Session, { USERNAME: username, SMS_MFA_CODE: lastCode(h.pool, username) });
  if (!answered.AuthenticationResult) throw new Error('the SMS code was refused');
  return { outcome: 'SMS_MFA', destination: first.ChallengeParameters!['CODE_DELIVERY_DESTINATION']! };
}

const mfaMembers = async (AccessToken: string) => {
  const { MFAOptions, UserMFASettingList, PreferredMfaSetting } = await h.sdk.send(new GetUserCommand({ AccessToken }));
  return { MFAOptions, UserMFASettingList, PreferredMfaSetting };
};

describe('SetUserSettings', () => {
  it('SMS for phone_number turns SMS MFA on (GetUser shows it, the next sign-in asks SMS_MFA); an empty list turns it off', async () => {
    const token = await signedIn('sam');
    expect(await mfaMembers(token)).toEqual({ MFAOptions: undefined, UserMFASettingList: undefined, PreferredMfaSetting: undefined });

    expect(await h.sdk.send(new SetUserSettingsCommand({ AccessToken: token, MFAOptions: SMS_ON }))).toMatchObject({ $metadata: { httpStatusCode: 200 } });
    expect(await mfaMembers(token)).toEqual({ MFAOptions: SMS_ON, UserMFASettingList: ['SMS_MFA'], PreferredMfaSetting: undefined });
    expect(await nextSignIn('sam')).toEqual({ outcome: 'SMS_MFA', destination: '+*******0101' });
    // Again: nothing changes.
    await h.sdk.send(new SetUserSettingsCommand({ AccessToken: token, MFAOptions: SMS_ON }));
    expect((await mfaMembers(token)).UserMFASettingList).toEqual(['SMS_MFA']);

    await h.sdk.send(new SetUserSettingsCommand({ AccessToken: token, MFAOptions: [] }));
    expect(await mfaMembers(token)).toEqual({ MFAOptions: undefined, UserMFASettingList: undefined, PreferredMfaSetting: undefined });
    expect(await nextSignIn('sam')).toEqual({ outcome: 'tokens' });
  });

  it('phone_number without a DeliveryMedium removes the option too', async () => {
    const token = await signedIn('sue');
    await h.sdk.send(new SetUserSettingsCommand({ AccessToken: token, MFAOptions: SMS_ON }));
    expect((await nextSignIn('sue')).outcome).toBe('SMS_MFA');
    await h.sdk.send(new SetUserSettingsCommand({ AccessToken: token, MFAOptions: [{ AttributeName: 'phone_number' }] }));
    expect((await mfaMembers(token)).MFAOptions).toBeUndefined();
    expect((await nextSignIn('sue')).outcome).toBe('tokens');
  });

  it('is the same switch as SetUserMFAPreference: a preference set there shows MFAOptions, and an empty list clears it', async () => {
    const token = await signedIn('pia');
    await h.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
    expect(await mfaMembers(token)).toEqual({ MFAOptions: SMS_ON, UserMFASettingList: ['SMS_MFA'], PreferredMfaSetting: 'SMS_MFA' });
    await h.sdk.send(new SetUserSettingsCommand({ AccessToken: token, MFAOptions: [] }));
    expect(await mfaMembers(token)).toEqual({ MFAOptions: undefined, UserMFASettingList: undefined, PreferredMfaSetting: undefined });
    expect((await nextSignIn('pia')).outcome).toBe('tokens');
  });

  it('refuses e-mail, another attribute, a user without a phone number and bad shapes; the setting stays as it was', async () => {
    const token = await signedIn('eli');
    const set = (MFAOptions: MFAOptionType[] | undefined) => failure(h.sdk.send(new SetUserSettingsCommand({ AccessToken: token, MFAOptions: MFAOptions as MFAOptionType[] })));
    expect(await set([{ DeliveryMedium: 'EMAIL', AttributeName: 'email' }])).toEqual({
      name: 'InvalidParameterException',
      message: 'Only SMS can be set as an MFA option here; use SetUserMFAPreference for email MFA.',
    });
    expect(await set([{ DeliveryMedium: 'SMS', AttributeName: 'email' }])).toEqual({
      name: 'InvalidParameterException',
      message: 'The MFA option must name the phone_number attribute.',
    });
    expect(await set([{ DeliveryMedium: 'SMS' }])).toMatchObject({ name: 'InvalidParameterException' });
    expect(await set([{ DeliveryMedium: 'VOICE' as 'SMS', AttributeName: 'phone_number' }])).toEqual({
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value at 'mFAOptions.1.member.deliveryMedium' failed to satisfy constraint: Member must satisfy enum value set: [SMS, EMAIL]",
    });
    expect(await set(undefined)).toEqual({
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value at 'mFAOptions' failed to satisfy constraint: Member must not be null",
    });
    expect(await mfaMembers(token)).toEqual({ MFAOptions: undefined, UserMFASettingList: undefined, PreferredMfaSetting: undefined });

    const noPhone = await signedIn('nat', false);
    expect(await failure(h.sdk.send(new SetUserSettingsCommand({ AccessToken: noPhone, MFAOptions: SMS_ON })))).toEqual({
      name: 'InvalidParameterException',
      message: 'User does not have a phone_number set to turn on SMS MFA',
    });
  });

  it('answers a bad or revoked access token as GetUser does', async () => {
    const token = await signedIn('rex');
    const both = async (AccessToken: string) => [
      await failure(h.sdk.send(new SetUserSettingsCommand({ AccessToken, MFAOptions: SMS_ON }))),
      await failure(h.sdk.send(new GetUserCommand({ AccessToken }))),
    ];
    const [settings, getUser] = await both('not.a.token');
    expect(settings).toEqual(getUser);
    expect(settings!.name).toBe('NotAuthorizedException');
    await h.sdk.send(new GlobalSignOutCommand({ AccessToken: token }));
    expect(await both(token)).toEqual([
      { name: 'NotAuthorizedException', message: 'Access Token has been revoked' },
      { name: 'NotAuthorizedException', message: 'Access Token has been revoked' },
    ]);
    expect((await nextSignIn('rex')).outcome).toBe('tokens');
  });
});

describe('browser pages', () => {
  const call = (operation: string, body: object) =>
    fetch(h.pool.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`, Origin: 'http://localhost:5173' },
      body: JSON.stringify(body),
    });

  it('of an allowed origin may call SetUserSettings (identity-js in a web app does), not the admin operations', async () => {
    const token = await signedIn('web');
    const own = await call('SetUserSettings', { AccessToken: token, MFAOptions: SMS_ON });
    expect([own.status, own.headers.get('access-control-allow-origin')]).toEqual([200, 'http://localhost:5173']);
    expect((await mfaMembers(token)).MFAOptions).toEqual(SMS_ON);
    for (const operation of ['AdminSetUserSettings', 'AdminGetUserAuthFactors']) {
      const admin = await call(operation, { UserPoolId: setup.poolId, Username: 'web', MFAOptions: [] });
      expect([operation, admin.status, ((await admin.json()) as { __type: string }).__type]).toEqual([operation, 403, 'ForbiddenException']);
    }
    expect((await mfaMembers(token)).MFAOptions).toEqual(SMS_ON);
  });
});

describe('AdminSetUserSettings', () => {
  it('turns SMS MFA on and off for any user; AdminGetUser and ListUsers show MFAOptions', async () => {
    await signedIn('ada');
    const admin = (MFAOptions: MFAOptionType[]) => h.sdk.send(new AdminSetUserSettingsCommand({ UserPoolId: setup.poolId, Username: 'ada', MFAOptions }));
    const listed = async () =>
      (await h.sdk.send(new ListUsersCommand({ UserPoolId: setup.poolId, Filter: 'username = "ada"' }))).Users!.map((u) => u.MFAOptions);

    await admin(SMS_ON);
    const user = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: 'ada' }));
    expect(user).toMatchObject({ MFAOptions: SMS_ON, UserMFASettingList: ['SMS_MFA'] });
    expect(user.PreferredMfaSetting).toBeUndefined();
    expect(await listed()).toEqual([SMS_ON]);
    expect((await nextSignIn('ada')).outcome).toBe('SMS_MFA');

    await admin([]);
    const after = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: 'ada' }));
    expect([after.MFAOptions, after.UserMFASettingList]).toEqual([undefined, undefined]);
    expect(await listed()).toEqual([undefined]);
    expect((await nextSignIn('ada')).outcome).toBe('tokens');
  });

  it('UserNotFoundException, ResourceNotFoundException, InvalidParameterException', async () => {
    const admin = (UserPoolId: string, Username: string, MFAOptions: MFAOptionType[]) =>
      failure(h.sdk.send(new AdminSetUserSettingsCommand({ UserPoolId, Username, MFAOptions })));
    expect(await admin(setup.poolId, 'nobody', SMS_ON)).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
    expect(await admin('us-east-1_nosuchpool', 'ada', SMS_ON)).toEqual({ name: 'ResourceNotFoundException', message: 'User pool us-east-1_nosuchpool does not exist.' });
    expect(await admin(setup.poolId, 'ada', [{ DeliveryMedium: 'EMAIL', AttributeName: 'email' }])).toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('AdminGetUserAuthFactors', () => {
  it('answers what GetUserAuthFactors answers the user itself: password, passkey, SMS', async () => {
    const token = await signedIn('kim');
    const options = (await h.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }))).CredentialCreationOptions as unknown as CreationOptions;
    const credential = new SoftAuthenticator({ origin: 'http://localhost:5173' }).create(options);
    await h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: credential as never }));
    await h.sdk.send(new SetUserSettingsCommand({ AccessToken: token, MFAOptions: SMS_ON }));

    const { $metadata: _own, ...own } = await h.sdk.send(new GetUserAuthFactorsCommand({ AccessToken: token }));
    const { $metadata: _admin, ...admin } = await h.sdk.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: setup.poolId, Username: 'kim' }));
    expect(own).toEqual({ Username: 'kim', UserMFASettingList: ['SMS_MFA'], ConfiguredUserAuthFactors: ['PASSWORD', 'SMS_OTP', 'WEB_AUTHN'] });
    expect(admin).toEqual(own);

    await h.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
    expect(await h.sdk.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: setup.poolId, Username: 'kim' }))).toMatchObject({ PreferredMfaSetting: 'SMS_MFA' });
  });

  it('a user with a password only; UserNotFoundException and ResourceNotFoundException', async () => {
    await signedIn('lou', false);
    const { $metadata, ...factors } = await h.sdk.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: setup.poolId, Username: 'lou' }));
    expect(factors).toEqual({ Username: 'lou', ConfiguredUserAuthFactors: ['PASSWORD'] });
    const get = (UserPoolId: string, Username: string) => failure(h.sdk.send(new AdminGetUserAuthFactorsCommand({ UserPoolId, Username })));
    expect(await get(setup.poolId, 'nobody')).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
    expect(await get('us-east-1_nosuchpool', 'lou')).toEqual({ name: 'ResourceNotFoundException', message: 'User pool us-east-1_nosuchpool does not exist.' });
  });
});
