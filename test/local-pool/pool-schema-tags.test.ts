// AddCustomAttributes, GetCSVHeader and the tag operations, through the AWS SDK over HTTP.
import {
  AddCustomAttributesCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetCSVHeaderCommand,
  GetUserCommand,
  ListTagsForResourceCommand,
  SignUpCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolCommand,
  type AttributeType,
  type SchemaAttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { STRONG_PASSWORD, createPoolAndClient, failure, passwordSignIn, startPool, type PoolHarness, type Setup } from './support.js';

let h: PoolHarness;
let s: Setup;
let arn: string;

const added: SchemaAttributeType[] = [
  { Name: 'age', AttributeDataType: 'Number', Mutable: true, NumberAttributeConstraints: { MinValue: '0', MaxValue: '150' } },
  { Name: 'nick', AttributeDataType: 'String', Mutable: false, StringAttributeConstraints: { MinLength: '2', MaxLength: '5' } },
];

const attribute = (list: AttributeType[] | undefined, name: string) => list?.find((a) => a.Name === name)?.Value;
const schemaOf = async (poolId: string) => (await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.SchemaAttributes!;
const invalid = (message: string) => ({ name: 'InvalidParameterException', message });

beforeAll(async () => {
  h = await startPool();
  s = await createPoolAndClient(h.sdk, { Schema: [{ Name: 'team', AttributeDataType: 'String' }], UserPoolTags: { env: 'dev' } });
  arn = (await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: s.poolId }))).UserPool!.Arn!;
});
afterAll(() => h.close());

describe('AddCustomAttributes', () => {
  it('adds custom:<Name> attributes that DescribeUserPool shows as a pool created with them does', async () => {
    await h.sdk.send(new AddCustomAttributesCommand({ UserPoolId: s.poolId, CustomAttributes: added }));
    const created = await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'created-with-them', Schema: added }));
    const mine = await schemaOf(s.poolId);
    const theirs = created.UserPool!.SchemaAttributes!;
    for (const name of ['custom:age', 'custom:nick']) {
      expect(mine.find((a) => a.Name === name)).toEqual(theirs.find((a) => a.Name === name));
    }
    expect(mine.find((a) => a.Name === 'custom:age')).toEqual({
      Name: 'custom:age',
      AttributeDataType: 'Number',
      Mutable: true,
      Required: false,
      DeveloperOnlyAttribute: false,
      NumberAttributeConstraints: { MinValue: '0', MaxValue: '150' },
    });
    // After the standard attributes and the pool's first custom attribute, in the order added.
    expect(mine.map((a) => a.Name).slice(-3)).toEqual(['custom:team', 'custom:age', 'custom:nick']);
  });

  it("refuses a name the pool has, a required custom attribute, a bad type or constraint, and an unknown pool", async () => {
    const add = (CustomAttributes: SchemaAttributeType[], UserPoolId = s.poolId) =>
      failure(h.sdk.send(new AddCustomAttributesCommand({ UserPoolId, CustomAttributes })));
    expect(await add([{ Name: 'age', AttributeDataType: 'Number' }])).toEqual(invalid('custom:age: Existing attribute already has name custom:age.'));
    expect(await add([{ Name: 'twice' }, { Name: 'twice' }])).toEqual(invalid('custom:twice: Existing attribute already has name custom:twice.'));
    expect(await add([{ Name: 'must', Required: true }])).toEqual(invalid('Required custom attributes are not supported currently. (custom:must)'));
    expect(await add([{ Name: 'x'.repeat(21) }])).toEqual(
      invalid("1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length less than or equal to 20"),
    );
    expect(await add([{ Name: 'when', AttributeDataType: 'Text' as 'String' }])).toEqual(
      invalid("1 validation error detected: Value at 'attributeDataType' failed to satisfy constraint: Member must satisfy enum value set: [String, Number, DateTime, Boolean]"),
    );
    expect(await add([{ Name: 'level', AttributeDataType: 'String', NumberAttributeConstraints: { MaxValue: '3' } }])).toEqual(
      invalid('custom:level: NumberAttributeConstraints apply only to attributes of AttributeDataType Number.'),
    );
    expect(await add([{ Name: 'level', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '9', MaxValue: '3' } }])).toEqual(
      invalid('custom:level: NumberAttributeConstraints.MinValue is greater than MaxValue.'),
    );
    expect(await add([])).toEqual(
      invalid("1 validation error detected: Value at 'customAttributes' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    );
    expect(await add([{ Name: 'lost' }], 'us-east-1_nothere')).toEqual({ name: 'ResourceNotFoundException', message: 'User pool us-east-1_nothere does not exist.' });
    // Nothing of the refused requests was kept.
    expect((await schemaOf(s.poolId)).filter((a) => a.Name!.startsWith('custom:')).map((a) => a.Name)).toEqual(['custom:team', 'custom:age', 'custom:nick']);
  });

  it('stops at 50 custom attributes', async () => {
    const { UserPool } = await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'full' }));
    const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ Name: `a${from + i}` }));
    await h.sdk.send(new AddCustomAttributesCommand({ UserPoolId: UserPool!.Id!, CustomAttributes: batch(0, 25) }));
    await h.sdk.send(new AddCustomAttributesCommand({ UserPoolId: UserPool!.Id!, CustomAttributes: batch(25, 24) }));
    expect(await failure(h.sdk.send(new AddCustomAttributesCommand({ UserPoolId: UserPool!.Id!, CustomAttributes: batch(49, 2) })))).toEqual(
      invalid('A user pool can have at most 50 custom attributes; this would make 51.'),
    );
    await h.sdk.send(new AddCustomAttributesCommand({ UserPoolId: UserPool!.Id!, CustomAttributes: batch(49, 1) }));
  });

  it('lets SignUp, AdminCreateUser and the attribute updates use them, within their constraints', async () => {
    const signUp = (age: string, nick = 'Al', Username = 'ada') =>
      h.sdk.send(
        new SignUpCommand({
          ClientId: s.clientId,
          Username,
          Password: STRONG_PASSWORD,
          UserAttributes: [{ Name: 'email', Value: `${Username}@example.com` }, { Name: 'custom:age', Value: age }, { Name: 'custom:nick', Value: nick }],
        }),
      );
    expect(await failure(signUp('151'))).toEqual(invalid('Attributes did not conform to the schema: custom:age: Number must be no greater than 150.'));
    expect(await failure(signUp('-1'))).toEqual(invalid('Attributes did not conform to the schema: custom:age: Number must be no less than 0.'));
    expect(await failure(signUp('4.5'))).toEqual(invalid('Attributes did not conform to the schema: custom:age: Number must be a whole number.'));
    expect(await failure(signUp('36', 'Augusta'))).toEqual(invalid('Attributes did not conform to the schema: custom:nick: String must be no longer than 5 characters.'));
    expect(await failure(signUp('36', 'A'))).toEqual(invalid('Attributes did not conform to the schema: custom:nick: String must be at least 2 characters long.'));

    await signUp('36');
    await h.sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: s.poolId, Username: 'ada' }));
    const accessToken = (await passwordSignIn(h.sdk, s, 'ada', STRONG_PASSWORD)).AuthenticationResult!.AccessToken!;
    const own = await h.sdk.send(new GetUserCommand({ AccessToken: accessToken }));
    expect(attribute(own.UserAttributes, 'custom:age')).toBe('36');
    expect(attribute(own.UserAttributes, 'custom:nick')).toBe('Al');

    const update = (Value: string) => h.sdk.send(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'custom:age', Value }] }));
    expect(await failure(update('200'))).toEqual(invalid('Attributes did not conform to the schema: custom:age: Number must be no greater than 150.'));
    await update('37');
    const adminUpdate = (Value: string) =>
      h.sdk.send(new AdminUpdateUserAttributesCommand({ UserPoolId: s.poolId, Username: 'ada', UserAttributes: [{ Name: 'custom:age', Value }] }));
    expect(await failure(adminUpdate('ninety'))).toEqual(invalid('Attributes did not conform to the schema: custom:age: Number must be a whole number.'));
    const admin = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: 'ada' }));
    expect(attribute(admin.UserAttributes, 'custom:age')).toBe('37');

    const create = (Value: string) =>
      h.sdk.send(new AdminCreateUserCommand({ UserPoolId: s.poolId, Username: 'bob', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'custom:age', Value }] }));
    expect(await failure(create('151'))).toEqual(invalid('Attributes did not conform to the schema: custom:age: Number must be no greater than 150.'));
    await create('150');
    expect(attribute((await h.sdk.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: 'bob' }))).UserAttributes, 'custom:age')).toBe('150');
  });
});

describe('GetCSVHeader', () => {
  it("answers Cognito's import columns with the pool's custom attributes before cognito:mfa_enabled and cognito:username", async () => {
    expect(await h.sdk.send(new GetCSVHeaderCommand({ UserPoolId: s.poolId }))).toMatchObject({
      UserPoolId: s.poolId,
      CSVHeader: [
        'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website',
        'email', 'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'phone_number_verified', 'address',
        'updated_at', 'custom:team', 'custom:age', 'custom:nick', 'cognito:mfa_enabled', 'cognito:username',
      ],
    });
    expect(await failure(h.sdk.send(new GetCSVHeaderCommand({ UserPoolId: 'us-east-1_nothere' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'User pool us-east-1_nothere does not exist.',
    });
  });
});

describe('tags', () => {
  const listed = async () => (await h.sdk.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;

  it('TagResource, UntagResource and ListTagsForResource share the tags of CreateUserPool, UpdateUserPool and DescribeUserPool', async () => {
    expect(await listed()).toEqual({ env: 'dev' });
    await h.sdk.send(new TagResourceCommand({ ResourceArn: arn, Tags: { env: 'prod', owner: 'ada' } }));
    expect(await listed()).toEqual({ env: 'prod', owner: 'ada' });
    expect((await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: s.poolId }))).UserPool!.UserPoolTags).toEqual({ env: 'prod', owner: 'ada' });
    await h.sdk.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['env', 'absent'] }));
    expect(await listed()).toEqual({ owner: 'ada' });
    await h.sdk.send(new UpdateUserPoolCommand({ UserPoolId: s.poolId, UserPoolTags: { cost: 'centre' } }));
    expect(await listed()).toEqual({ cost: 'centre' });
  });

  it("refuses an unknown pool's ARN, a malformed ARN and tags beyond Cognito's limits", async () => {
    const tag = (Tags: Record<string, string>, ResourceArn = arn) => failure(h.sdk.send(new TagResourceCommand({ ResourceArn, Tags })));
    const otherPool = arn.replace(s.poolId, 'us-east-1_nothere');
    expect(await failure(h.sdk.send(new ListTagsForResourceCommand({ ResourceArn: otherPool })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'User pool us-east-1_nothere does not exist.',
    });
    expect(await tag({ a: 'b' }, 'not-an-arn-at-all-at-all')).toEqual(
      invalid(
        "1 validation error detected: Value at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?",
      ),
    );
    expect((await failure(h.sdk.send(new UntagResourceCommand({ ResourceArn: 'arn:aws:iam::123456789012:role/admin', TagKeys: ['a'] })))).name).toBe(
      'InvalidParameterException',
    );
    expect(await tag({ ['k'.repeat(129)]: 'v' })).toEqual(
      invalid(
        "1 validation error detected: Value at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]",
      ),
    );
    expect((await tag({ k: 'v'.repeat(257) })).message).toContain('Map value must satisfy constraint');
    const fortyNine = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`t${i}`, `${i}`]));
    expect(await tag({ ...fortyNine, one: '1', two: '2' })).toEqual(
      invalid("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"),
    );
    // 49 new tags beside the one the pool has is 50: allowed; one more is not.
    await h.sdk.send(new TagResourceCommand({ ResourceArn: arn, Tags: fortyNine }));
    expect(await tag({ fiftyFirst: 'x' })).toEqual(invalid('A user pool can have at most 50 tags; this would make 51.'));
    expect(Object.keys((await listed()) ?? {})).toHaveLength(50);
  });
});
