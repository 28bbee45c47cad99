// A generated fuzz test of the local pool's whole HTTP API (fixed seed). Every operation of the
// dispatch table, unknown targets, the /_local endpoints and other paths get requests that are wrong
// in every way a client can be wrong: methods, Content-Types, broken JSON, wrong member types,
// missing and extra members, nulls, huge strings, deep nesting, unicode, and plausible-but-wrong
// values — with real pool ids, client ids, user names, tokens, Sessions and codes mixed in, so that
// many requests get past the shape checks into the operations. Every request must get an answer
// (no reset, no hang), never a 5xx, and a 4xx must be Cognito's error shape. Afterwards the pool
// must still be alive: /health, a normal sign-in, and SQLite's integrity check. A sweep then puts
// each of a set of odd values into every member of every operation, one at a time; and each bug the
// fuzz found has its own test at the end.
import { request } from 'node:http';
import { connect } from 'node:net';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import {
  AdminAddUserToGroupCommand,
  AssociateSoftwareTokenCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserImportJobCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { operations } from '../../src/local-pool/api/handlers/index.js';
import { secretHash } from '../../src/local-pool/crypto/secrets.js';
import { CognitoSrpClient, cognitoTimestamp } from '../../src/cognito/srp.js';
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';
import {
  createPoolAndClient,
  createUser,
  passwordSignIn,
  setPoolMfa,
  srpSignIn,
  startPool,
  startSrp,
  STRONG_PASSWORD,
  type PoolHarness,
  type Setup,
} from './support.js';

/** Fixed, so a failure repeats; FUZZ_SEED=<n> explores other sequences. */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_240_612);
const ROUNDS = 6;
/** In proportion to the operations, so that each still gets enough requests (the coverage checks) as more are added. */
const REQUESTS_PER_ROUND = 8 * Object.keys(operations).length;
const PARALLEL = 4;
/** Generous: the machine may be loaded; the pool answers in milliseconds. */
const ANSWER_WITHIN_MS = 20_000;
const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const JSON_TYPE = 'application/x-amz-json-1.1';
const OPERATIONS = Object.keys(operations).sort();

// ---------- what the fuzzer knows about the pool (real values to mix in) ----------

interface Known {
  poolIds: string[];
  /** Pools DeleteUserPool may get with their real id (so that the others stay for the rest of the round). */
  disposablePoolIds: string[];
  clientIds: string[];
  /** A client of the first pool DeleteUserPoolClient may get with its real id. */
  disposableClientIds: string[];
  /** Groups of the first pool (alice is in the first); DeleteGroup only ever gets the last one. */
  groupNames: string[];
  /** A user import job of the first pool (Created: no file yet). */
  importJobIds: string[];
  clientSecrets: string[];
  usernames: string[];
  passwords: string[];
  accessTokens: string[];
  idTokens: string[];
  refreshTokens: string[];
  sessions: string[];
  codes: string[];
  secretHashes: string[];
  srpA: string[];
  emails: string[];
}

const srpEngine = createOpenSslEngine();

/** A fresh set of pools, clients and users in every state, with tokens, Sessions and codes. */
async function provision(h: PoolHarness, round: number): Promise<Known> {
  const sdk = h.sdk;
  const tag = `r${round}`;
  const plain = await createPoolAndClient(sdk, { PoolName: `fuzz-${tag}`, AutoVerifiedAttributes: ['email'] });
  await setPoolMfa(sdk, plain.poolId, 'OPTIONAL');
  const hiding = await createPoolAndClient(sdk, { PoolName: `fuzz-hiding-${tag}` }, { PreventUserExistenceErrors: 'ENABLED' });
  const secret = await createPoolAndClient(sdk, { PoolName: `fuzz-secret-${tag}` }, { GenerateSecret: true });
  const byEmail = await createPoolAndClient(
    sdk,
    { PoolName: `fuzz-email-${tag}`, UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] },
    { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'] },
  );
  const disposable = await sdk.send(new CreateUserPoolCommand({ PoolName: `fuzz-disposable-${tag}` }));
  const disposableClient = await sdk.send(new CreateUserPoolClientCommand({ UserPoolId: plain.poolId, ClientName: `fuzz-disposable-${tag}` }));
  const groupNames = [`fuzz-group-${tag}`, `fuzz-disposable-${tag}`];
  for (const [index, GroupName] of groupNames.entries()) {
    await sdk.send(new CreateGroupCommand({ UserPoolId: plain.poolId, GroupName, Precedence: index, RoleArn: 'arn:aws:iam::123456789012:role/fuzz' }));
  }

  const importJob = await sdk.send(new CreateUserImportJobCommand({ UserPoolId: plain.poolId, JobName: `fuzz-${tag}`, CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/fuzz' }));

  const alice = `alice-${tag}`;
  const email = `erin-${tag}@example.com`;
  await createUser(sdk, plain.poolId, alice, STRONG_PASSWORD, { attributes: { email: `alice-${tag}@example.com`, email_verified: 'true' } });
  await createUser(sdk, plain.poolId, `temp-${tag}`, STRONG_PASSWORD, { temporary: true });
  await sdk.send(new AdminAddUserToGroupCommand({ UserPoolId: plain.poolId, Username: alice, GroupName: groupNames[0]! }));
  await createUser(sdk, hiding.poolId, alice, STRONG_PASSWORD);
  await createUser(sdk, secret.poolId, alice, STRONG_PASSWORD);
  await sdk.send(new SignUpCommand({ ClientId: plain.clientId, Username: `new-${tag}`, Password: STRONG_PASSWORD, UserAttributes: [{ Name: 'email', Value: `new-${tag}@example.com` }] }));
  await sdk.send(new SignUpCommand({ ClientId: byEmail.clientId, Username: email, Password: STRONG_PASSWORD }));

  const signedIn = (await passwordSignIn(sdk, plain, alice, STRONG_PASSWORD)).AuthenticationResult!;
  const second = (await srpSignIn(sdk, plain, alice, STRONG_PASSWORD, new Date(h.clock.now()))).AuthenticationResult!;
  await sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: second.AccessToken! }));
  await sdk.send(new ForgotPasswordCommand({ ClientId: plain.clientId, Username: alice }));
  const srpSession = (await startSrp(sdk, plain, alice)).response.Session!;
  const newPasswordSession = (await passwordSignIn(sdk, plain, `temp-${tag}`, STRONG_PASSWORD)).Session!;
  const totp = h.pool.totpCode(plain.poolId, alice, { pending: true });
  const codes = h.pool.outbox().flatMap((m) => (m.code ? [m.code] : [])).slice(-8);
  const srpA = new CognitoSrpClient(plain.poolId, srpEngine).createEphemeral().A.toString(16);
  const setups: Setup[] = [plain, hiding, secret, byEmail];

  return {
    poolIds: setups.map((s) => s.poolId),
    disposablePoolIds: [disposable.UserPool!.Id!],
    clientIds: setups.map((s) => s.clientId),
    disposableClientIds: [disposableClient.UserPoolClient!.ClientId!],
    groupNames,
    importJobIds: [importJob.UserImportJob!.JobId!],
    clientSecrets: [secret.clientSecret!],
    usernames: [alice, `temp-${tag}`, `new-${tag}`, email, alice.toUpperCase()],
    passwords: [STRONG_PASSWORD, 'Passw0rd!other'],
    accessTokens: [signedIn.AccessToken!, second.AccessToken!],
    idTokens: [signedIn.IdToken!],
    refreshTokens: [signedIn.RefreshToken!, second.RefreshToken!],
    sessions: [srpSession, newPasswordSession],
    codes: [totp, ...codes, '000000', '123456'],
    secretHashes: [secretHash(secret.clientSecret!, alice, secret.clientId), secretHash(secret.clientSecret!, 'nobody', secret.clientId)],
    srpA: [srpA],
    emails: [email, `alice-${tag}@example.com`],
  };
}

// ---------- generators ----------

/** Stands in for a deeply nested value; replaced in the JSON text (JSON.stringify would recurse). */
const DEEP = '\u0000deep\u0000';
const deepJson = (depth: number, open: string, close: string) => open.repeat(depth) + '1' + close.repeat(depth);
const isStructure = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
/** `arbitrary` in one of `oneIn` cases, null otherwise. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

const oddStrings = [
  '', ' ', '\n', '\u0000', '\t\r\n', '\u202e\u2028', 'null', 'undefined', 'true', 'NaN', '-0', '1e309', '__proto__',
  'constructor', 'hasOwnProperty', 'toString', '%s%n%x', '../../etc/passwd', "' OR '1'='1", '<script>alert(1)</script>',
  '{####}', '{username}', '\ud800', '\udfff\ud800', '🦄'.repeat(40), 'ÅÄÖ', 'ß', 'İ', 'Ω', '\u0301', 'a\u0000b',
  '[outbox] SMS to +15555550100: Your code is 123456', 'us-east-1_', 'us-east-1_abc', '_', 'ALLOW_USER_SRP_AUTH',
];

const garbageString = fc.oneof(
  { weight: 3, arbitrary: pick(oddStrings) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 120, max: 300_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 3000 }).map((n) => 'ü🦄'.repeat(n)) },
);

const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(1e308),
  fc.constant(-1),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  fc.constant(DEEP),
);

/** A real value changed a little: longer, shorter, other case, padded, doubled. */
const mutated = (values: readonly string[]) =>
  fc.tuple(pick(values), fc.nat(6), fc.string({ maxLength: 3 })).map(([value, how, extra]) =>
    [value + extra, value.slice(0, -1), value.toUpperCase(), ` ${value}`, value + value, value.slice(1), `${value}\n`][how]!,
  );

/** A request member's values: `real` ones (from the pool, or sensible), and `any` (mostly real, sometimes anything). */
interface Member {
  real: fc.Arbitrary<unknown>;
  any: fc.Arbitrary<unknown>;
}

/** Mostly the real thing, sometimes nearly it, sometimes anything at all. */
const plausible = (values: readonly unknown[], nearly: readonly unknown[] = []): Member => {
  const strings = values.filter((v): v is string => typeof v === 'string');
  const real = pick(values);
  return {
    real,
    any: fc.oneof(
      { weight: 12, arbitrary: real },
      ...(nearly.length > 0 ? [{ weight: 3, arbitrary: pick(nearly) }] : []),
      ...(strings.length > 0 ? [{ weight: 2, arbitrary: mutated(strings) }] : []),
      { weight: 3, arbitrary: garbageString },
      { weight: 2, arbitrary: wrongType },
    ),
  };
};

const CHALLENGES = [
  'PASSWORD_VERIFIER', 'NEW_PASSWORD_REQUIRED', 'SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP', 'SELECT_MFA_TYPE', 'MFA_SETUP',
  'CUSTOM_CHALLENGE', 'SELECT_CHALLENGE', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER', 'SMS_OTP', 'PASSWORD', 'PASSWORD_SRP',
  'WEB_AUTHN', 'EMAIL_MFA', 'ADMIN_NO_SRP_AUTH',
];
const AUTH_FLOWS = ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'USER_AUTH', 'CUSTOM_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'];
const ATTRIBUTE_NAMES = ['email', 'phone_number', 'name', 'email_verified', 'phone_number_verified', 'sub', 'preferred_username', 'custom:team', 'address', 'updated_at'];

/** AuthParameters / ChallengeResponses: the key sets flows send (real), or any keys and values. */
function parameterMap(k: Known): Member & { entries: Record<string, Member> } {
  const entries: Record<string, Member> = {
    USERNAME: plausible(k.usernames),
    PASSWORD: plausible(k.passwords),
    NEW_PASSWORD: plausible(k.passwords),
    SRP_A: plausible([...k.srpA, '0', '1', 'zz', 'f'.repeat(1024)]),
    SECRET_HASH: plausible(k.secretHashes),
    REFRESH_TOKEN: plausible([...k.refreshTokens, ...k.accessTokens]),
    SESSION: plausible(k.sessions),
    DEVICE_KEY: plausible(['us-east-1_00000000-0000-0000-0000-000000000000', 'x']),
    PASSWORD_CLAIM_SECRET_BLOCK: plausible(['AAAA', k.sessions[0]!]),
    PASSWORD_CLAIM_SIGNATURE: plausible(['AAAA', 'bm90IGEgc2lnbmF0dXJl']),
    TIMESTAMP: plausible(['Tue Sep 3 07:05:21 UTC 2024', 'Tue Sep 03 07:05:21 UTC 2024', cognitoTimestamp(new Date()), 'yesterday']),
    SOFTWARE_TOKEN_MFA_CODE: plausible(k.codes),
    SMS_MFA_CODE: plausible(k.codes),
    EMAIL_OTP_CODE: plausible(k.codes),
    ANSWER: plausible([...CHALLENGES, 'TOTP', 'EMAIL', 'SMS']),
    EMAIL: plausible(k.emails),
    PREFERRED_CHALLENGE: plausible(['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'WEB_AUTHN']),
    'userAttributes.name': plausible(['Alice']),
    'userAttributes.email_verified': plausible(['true']),
    CREDENTIAL: plausible(['{}', '{"id":"x","response":{}}']),
  };
  const keySets = [
    ['USERNAME', 'PASSWORD'], ['USERNAME', 'SRP_A'], ['REFRESH_TOKEN'], ['USERNAME', 'PASSWORD', 'SECRET_HASH'], ['USERNAME', 'SRP_A', 'SECRET_HASH'],
    ['USERNAME'], ['USERNAME', 'PREFERRED_CHALLENGE'], ['USERNAME', 'NEW_PASSWORD'], ['USERNAME', 'NEW_PASSWORD', 'userAttributes.name'],
    ['USERNAME', 'PASSWORD_CLAIM_SECRET_BLOCK', 'PASSWORD_CLAIM_SIGNATURE', 'TIMESTAMP'], ['USERNAME', 'SOFTWARE_TOKEN_MFA_CODE'],
    ['USERNAME', 'SMS_MFA_CODE'], ['USERNAME', 'EMAIL_OTP_CODE'], ['USERNAME', 'ANSWER'], ['USERNAME', 'EMAIL'], ['USERNAME', 'CREDENTIAL'],
  ];
  const real = pick(keySets).chain((keys) => fc.record(Object.fromEntries(keys.map((key) => [key, entries[key]!.real]))));
  const entry = fc.oneof(
    { weight: 6, arbitrary: pick(Object.keys(entries)).chain((key) => entries[key]!.any.map((value) => [key, value] as const)) },
    { weight: 1, arbitrary: fc.tuple(garbageString, garbageString) },
  );
  return {
    entries,
    real,
    any: fc.oneof(
      { weight: 4, arbitrary: real },
      { weight: 8, arbitrary: fc.array(entry, { maxLength: 6 }).map((pairs) => Object.fromEntries(pairs)) },
      { weight: 1, arbitrary: wrongType },
    ),
  };
}

function attributeList(k: Known): Member {
  const name = plausible(ATTRIBUTE_NAMES);
  const value = plausible([...k.emails, '+15555550100', 'true', 'false', 'Alice', '']);
  const attribute = fc.oneof(
    { weight: 6, arbitrary: fc.record({ Name: name.any, Value: value.any }, { requiredKeys: ['Name'] }) },
    { weight: 1, arbitrary: fc.record({ Name: name.any, Value: value.any, Extra: garbageString }) },
    { weight: 1, arbitrary: wrongType },
  );
  return {
    real: fc.array(fc.record({ Name: name.real, Value: value.real }), { maxLength: 3 }),
    any: fc.oneof({ weight: 8, arbitrary: fc.array(attribute, { maxLength: 4 }) }, { weight: 1, arbitrary: wrongType }),
  };
}

const stringList = (values: readonly string[], nearly: readonly string[] = []): Member => {
  const entry = plausible(values, nearly);
  return {
    real: fc.array(entry.real, { minLength: 1, maxLength: 3 }),
    any: fc.oneof({ weight: 6, arbitrary: fc.array(entry.any, { maxLength: 4 }) }, { weight: 1, arbitrary: wrongType }),
  };
};

/** A settings structure: a sensible sample (real), or one nearly so, or any JSON. */
const structure = (sensible: readonly unknown[], nearly: readonly unknown[] = []): Member => ({
  real: pick(sensible),
  any: fc.oneof(
    { weight: 4, arbitrary: pick([...sensible, ...nearly]) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: wrongType },
  ),
});

const mfaSettings = structure([{ Enabled: true, PreferredMfa: true }, { Enabled: false }], [{ Enabled: 'yes' }, { PreferredMfa: true }]);

/** Every request member the fuzzer knows, and what to put in it. */
function memberValues(k: Known): Record<string, Member> {
  const weak = ['short', 'nouppercase1!', 'NoSymbols123'];
  return {
    UserPoolId: plausible([...k.poolIds, 'us-east-1_doesnotexist'], ['eu-west-1_X']),
    ClientId: plausible([...k.clientIds, 'doesnotexist00000000000000']),
    ClientSecret: plausible(k.clientSecrets, ['x'.repeat(24)]),
    SecretHash: plausible(k.secretHashes),
    Username: plausible(k.usernames),
    Password: plausible(k.passwords, weak),
    TemporaryPassword: plausible(k.passwords, weak),
    PreviousPassword: plausible(k.passwords, weak),
    ProposedPassword: plausible(k.passwords, weak),
    Session: plausible(k.sessions),
    ConfirmationCode: plausible(k.codes),
    Code: plausible(k.codes),
    UserCode: plausible(k.codes),
    AccessToken: plausible(k.accessTokens, [...k.idTokens, 'eyJhbGciOiJub25lIn0.e30.', 'a.b.c']),
    RefreshToken: plausible(k.refreshTokens, [k.accessTokens[0]!]),
    Token: plausible(k.refreshTokens, [k.accessTokens[0]!]),
    AuthFlow: plausible(AUTH_FLOWS),
    ChallengeName: plausible(CHALLENGES),
    AuthParameters: parameterMap(k),
    ChallengeResponses: parameterMap(k),
    ClientMetadata: structure([{ a: 'b' }, {}]),
    UserPoolTags: structure([{ team: 'auth' }, {}]),
    UserAttributes: attributeList(k),
    ValidationData: attributeList(k),
    UserAttributeNames: stringList(ATTRIBUTE_NAMES),
    AttributesToGet: stringList(ATTRIBUTE_NAMES),
    AttributeName: plausible(ATTRIBUTE_NAMES),
    DesiredDeliveryMediums: stringList(['SMS', 'EMAIL'], ['VOICE']),
    ExplicitAuthFlows: stringList(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'], ['USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH']),
    UsernameAttributes: stringList(['email', 'phone_number'], ['name']),
    AliasAttributes: stringList(['email', 'phone_number', 'preferred_username'], ['sub']),
    AutoVerifiedAttributes: stringList(['email', 'phone_number']),
    ReadAttributes: stringList(ATTRIBUTE_NAMES),
    WriteAttributes: stringList(ATTRIBUTE_NAMES),
    Permanent: plausible([true, false]),
    GenerateSecret: plausible([true, false]),
    ForceAliasCreation: plausible([true, false]),
    EnableTokenRevocation: plausible([true, false]),
    MaxResults: plausible([1, 10, 60], [0, 61, -1, 1.5, 2 ** 53]),
    Limit: plausible([0, 1, 60], [61, -5]),
    AuthSessionValidity: plausible([3, 15], [2, 16]),
    AccessTokenValidity: plausible([1, 60], [0, 86401]),
    IdTokenValidity: plausible([1, 60], [0]),
    RefreshTokenValidity: plausible([30, 3650], [0, 315360001]),
    GroupName: plausible([...k.groupNames.slice(0, -1), 'nosuchgroup'], ['', 'x'.repeat(129), 'has space']),
    Description: plausible(['a group', ''], ['d'.repeat(2049)]),
    RoleArn: plausible(['arn:aws:iam::123456789012:role/fuzz'], ['arn:short', 'arn:aws:iam::123456789012 role/x']),
    Precedence: plausible([0, 1, 2 ** 31 - 1], [-1, 2 ** 31, 1.5]),
    NextToken: plausible(['b2Zmc2V0OjE'], ['b2Zmc2V0Ojk5OTk5OTk5OTk5OTk5OTk5OTk5', 'not-a-token']),
    PaginationToken: plausible(['b2Zmc2V0OjE'], ['b2Zmc2V0Ojk5OTk5OTk5OTk5OTk5OTk5OTk5', '!!']),
    Filter: plausible(['username = "alice"', 'email ^= "a"', 'sub = ""', 'cognito:user_status = "CONFIRMED"'], ['bogus', 'username = "\\"']),
    MessageAction: plausible(['RESEND', 'SUPPRESS'], ['SEND']),
    PoolName: plausible(['fuzz pool', 'a'], ['x'.repeat(129)]),
    ClientName: plausible(['web'], ['x'.repeat(129)]),
    FriendlyDeviceName: plausible(['phone', '']),
    DeviceKey: plausible(['us-east-1_00000000-0000-0000-0000-000000000000'], ['x', 'us-east-1_NOTHEX']),
    DeviceName: plausible(['laptop'], ['']),
    DeviceRememberedStatus: plausible(['remembered', 'not_remembered'], ['forgotten']),
    DeviceSecretVerifierConfig: structure([{ Salt: 'AAECAwQFBgcICQoLDA0ODw==', PasswordVerifier: 'Ag==' }], [{ Salt: '' }, { PasswordVerifier: '%%' }, { Salt: 5 }]),
    DeviceConfiguration: structure([{ ChallengeRequiredOnNewDevice: true }, { DeviceOnlyRememberedOnUserPrompt: true }, {}], [{ ChallengeRequiredOnNewDevice: 'yes' }]),
    MfaConfiguration: plausible(['OFF', 'ON', 'OPTIONAL'], ['MAYBE']),
    DeletionProtection: plausible(['ACTIVE', 'INACTIVE']),
    PreventUserExistenceErrors: plausible(['LEGACY', 'ENABLED']),
    UserPoolTier: plausible(['LITE', 'ESSENTIALS', 'PLUS'], ['GOLD']),
    SmsAuthenticationMessage: plausible(['Your code is {####}'], ['no code']),
    EmailVerificationMessage: plausible(['Your code is {####}'], ['no code']),
    Policies: structure([{ PasswordPolicy: { MinimumLength: 6, RequireUppercase: false } }], [{ PasswordPolicy: { MinimumLength: 100 } }, { PasswordPolicy: { MinimumLength: '8' } }, { PasswordPolicy: null }]),
    Schema: structure([[{ Name: 'team', AttributeDataType: 'String', Mutable: true }], [{ Name: 'email', Required: true }]], [[{ Name: 'x', Required: true }], [null, 5, 'x']]),
    AdminCreateUserConfig: structure([{ AllowAdminCreateUserOnly: true }, { AllowAdminCreateUserOnly: false }], [{ InviteMessageTemplate: { SMSMessage: 'hi' } }, { UnusedAccountValidityDays: 400 }]),
    VerificationMessageTemplate: structure([{ DefaultEmailOption: 'CONFIRM_WITH_LINK' }, { EmailMessage: 'Code {####}' }], [{ SmsMessage: 'no placeholder' }]),
    AccountRecoverySetting: structure(
      [{ RecoveryMechanisms: [{ Priority: 1, Name: 'verified_email' }] }],
      [{ RecoveryMechanisms: [] }, { RecoveryMechanisms: [{ Priority: 1, Name: 'admin_only' }, { Priority: 2, Name: 'verified_email' }] }, { RecoveryMechanisms: 'all' }],
    ),
    UsernameConfiguration: structure([{ CaseSensitive: false }], [{ CaseSensitive: 'no' }]),
    UserAttributeUpdateSettings: structure([{ AttributesRequireVerificationBeforeUpdate: [] }], [{ AttributesRequireVerificationBeforeUpdate: ['phone_number'] }]),
    LambdaConfig: structure([{ PreSignUp: 'arn:aws:lambda:us-east-1:0:function:x' }, {}]),
    TokenValidityUnits: structure([{ AccessToken: 'hours' }, { IdToken: 'days', RefreshToken: 'days' }], [{ AccessToken: 'weeks' }, { AccessToken: 'seconds' }]),
    RefreshTokenRotation: structure([{ Feature: 'ENABLED', RetryGracePeriodSeconds: 10 }], [{ Feature: 'ON' }, { RetryGracePeriodSeconds: 61 }]),
    SmsMfaConfiguration: structure([{ SmsAuthenticationMessage: 'Code {####}' }], [{ SmsConfiguration: { SnsCallerArn: 'arn' } }]),
    SoftwareTokenMfaConfiguration: structure([{ Enabled: true }], [{ Enabled: 'true' }]),
    EmailMfaConfiguration: structure([{ Message: 'Code {####}', Subject: 'Code' }], [{ Message: 'none' }]),
    WebAuthnConfiguration: structure([{ RelyingPartyId: 'localhost', UserVerification: 'preferred' }]),
    SMSMfaSettings: mfaSettings,
    SoftwareTokenMfaSettings: mfaSettings,
    EmailMfaSettings: mfaSettings,
    WebAuthnMfaSettings: mfaSettings,
    MFAOptions: structure(
      [[{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }], [], [{ AttributeName: 'phone_number' }]],
      [[{ DeliveryMedium: 'EMAIL', AttributeName: 'email' }], [{ DeliveryMedium: 'VOICE' }], [null], {}],
    ),
    AnalyticsMetadata: structure([{ AnalyticsEndpointId: 'x' }]),
    UserContextData: structure([{ EncodedData: 'x', IpAddress: '127.0.0.1' }]),
    ContextData: structure(
      [{ IpAddress: '127.0.0.1', ServerName: 'app.example.com', ServerPath: '/login', HttpHeaders: [{ headerName: 'User-Agent', headerValue: 'x' }] }],
      [{ IpAddress: '127.0.0.1' }, { IpAddress: '127.0.0.1', ServerName: 'a', ServerPath: '/', HttpHeaders: 'x' }],
    ),
    Credential: structure([{ id: 'x', rawId: 'x', type: 'public-key', response: {} }]),
    CredentialId: plausible(['x', 'AAAA']),
    Domain: plausible(['fuzz-domain', 'fuzz-other'], ['Bad_Domain', 'x'.repeat(64), 'my-cognito-app']),
    ManagedLoginVersion: plausible([1, 2], [0, 3]),
    CustomDomainConfig: structure([{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/fuzz' }], [{}, { CertificateArn: 5 }]),
    ProviderName: plausible(['FuzzIdP', 'Google'], ['_bad', 'x'.repeat(33)]),
    ProviderType: plausible(['OIDC', 'Google', 'SAML'], ['LDAP']),
    ProviderDetails: structure(
      [{ client_id: 'a', client_secret: 'b', authorize_scopes: 'openid', oidc_issuer: 'https://idp.example.com' }, { client_id: 'a', client_secret: 'b', authorize_scopes: 'openid' }],
      [{ oidc_issuer: 'http://idp.example.com' }, { client_id: 5 }],
    ),
    AttributeMapping: structure([{ email: 'email' }, {}], [{ sub: 'sub' }, { nothing: 'x' }]),
    IdpIdentifiers: stringList(['fuzz.example'], ['!bad!']),
    IdpIdentifier: plausible(['fuzz.example'], ['!']),
    Identifier: plausible(['https://api.fuzz.example', 'fuzz-api'], ['', 'has\\backslash', 'x'.repeat(257)]),
    Name: plausible(['Fuzz API'], ['', 'no/slash', 'x'.repeat(257)]),
    Scopes: structure(
      [[{ ScopeName: 'read', ScopeDescription: 'Read' }], []],
      [[{ ScopeName: 'a/b', ScopeDescription: 'd' }], [{ ScopeName: 'x' }], [null], Array.from({ length: 101 }, (_, i) => ({ ScopeName: `s${i}`, ScopeDescription: 'd' }))],
    ),
    DestinationUser: providerUser(k),
    SourceUser: providerUser(k),
    User: providerUser(k),
    CustomAttributes: structure(
      [[{ Name: 'fuzzed', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '0', MaxValue: '9' } }], [{ Name: 'team' }]],
      [[], [{ Name: 'x', Required: true }], [{ Name: 'n', AttributeDataType: 'String', NumberAttributeConstraints: { MaxValue: 'x' } }], [null]],
    ),
    ResourceArn: plausible(
      k.poolIds.map((id) => `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${id}`),
      ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_doesnotexist', 'arn:aws:iam::123456789012:role/x', 'not-an-arn'],
    ),
    Tags: structure([{ team: 'auth' }, {}], [{ ['k'.repeat(129)]: 'v' }, { k: 5 }]),
    TagKeys: stringList(['team', 'absent'], ['']),
    CSS: plausible(['.label-customizable { color: red; }', ''], ['.nope { color: red }', '@import url(x);', '.label-customizable{x}</style><script>', 'x'.repeat(131_073)]),
    ImageFile: plausible(['iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='], ['not base64!', 'R0lGODlhAQABAAAAACw=', '']),
    CompromisedCredentialsRiskConfiguration: structure(
      [{ Actions: { EventAction: 'BLOCK' } }, { EventFilter: ['SIGN_IN', 'SIGN_UP'], Actions: { EventAction: 'NO_ACTION' } }],
      [{}, { Actions: { EventAction: 'MAYBE' } }, { Actions: 5 }, { EventFilter: [5], Actions: { EventAction: 'BLOCK' } }],
    ),
    AccountTakeoverRiskConfiguration: structure(
      [{ Actions: { LowAction: { Notify: false, EventAction: 'NO_ACTION' } } }, { NotifyConfiguration: { SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/fuzz' }, Actions: { HighAction: { Notify: true, EventAction: 'BLOCK' } } }],
      [{ Actions: { LowAction: { Notify: true, EventAction: 'BLOCK' } } }, { NotifyConfiguration: { SourceArn: 'x' }, Actions: {} }, {}, { Actions: { LowAction: { EventAction: 'BLOCK' } } }],
    ),
    RiskExceptionConfiguration: structure(
      [{ BlockedIPRangeList: ['192.0.2.0/24'] }, { SkippedIPRangeList: ['2001:db8::/32'] }],
      [{ BlockedIPRangeList: ['nope'] }, { BlockedIPRangeList: 'x' }, { SkippedIPRangeList: ['10.0.0.0/99'] }],
    ),
    LogConfigurations: structure(
      [[{ LogLevel: 'ERROR', EventSource: 'userNotification', CloudWatchLogsConfiguration: { LogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:fuzz' } }], []],
      [[{ LogLevel: 'INFO', EventSource: 'userAuthEvents', S3Configuration: { BucketArn: 'arn:aws:s3:::fuzz-bucket' } }], [null], [{}], 'x', [{ LogLevel: 'ERROR', EventSource: 'userNotification' }]],
    ),
    EventId: plausible(['00000000-0000-0000-0000-000000000000'], ['', 'has space', 'x'.repeat(51)]),
    FeedbackToken: plausible(['dG9rZW4'], ['!!', '']),
    FeedbackValue: plausible(['Valid', 'Invalid'], ['Maybe']),
    ManagedLoginBrandingId: plausible(['00000000-0000-4000-8000-000000000000'], ['not-a-uuid', '', 'x'.repeat(37)]),
    UseCognitoProvidedValues: plausible([true, false], ['true']),
    ReturnMergedResources: plausible([true, false], ['yes']),
    Settings: structure([{ components: { form: { borderRadius: 4 } } }, {}], [[], 'x', 5, JSON.parse('{"__proto__":{"polluted":true}}')]),
    Assets: structure(
      [[{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=' }], []],
      [[{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG' }], [{ Category: 'NOPE', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: 'AAAA' }], [{ Category: 'FAVICON_SVG', ColorMode: 'DARK', Extension: 'SVG', Bytes: 'not base64!' }], [null], 'x'],
    ),
    TermsId: plausible(['00000000-0000-4000-8000-000000000000'], ['', 'x'.repeat(37)]),
    TermsName: plausible(['terms-of-use', 'privacy-policy'], ['cookies', '', 'x'.repeat(31)]),
    TermsSource: plausible(['LINK'], ['FILE']),
    Enforcement: plausible(['NONE'], ['STRICT']),
    Links: structure(
      [{ 'cognito:default': 'https://terms.example' }, { 'cognito:default': 'https://terms.example', 'cognito:spanish': 'https://terms.example/es' }],
      [{}, { 'cognito:default': 'javascript:alert(1)' }, { 'cognito:klingon': 'https://terms.example' }, { 'cognito:default': 5 }],
    ),
    JobName: plausible(['fuzz import'], ['', 'no/slash', 'x'.repeat(129)]),
    JobId: plausible([...k.importJobIds, 'import-doesnotexist'], ['import-', 'import_bad', `import-${'x'.repeat(49)}`]),
    CloudWatchLogsRoleArn: plausible(['arn:aws:iam::123456789012:role/fuzz'], ['arn:short', 'not-an-arn-but-long-enough', 'arn:aws:iam::account:role/x']),
    Secret: plausible(k.clientSecrets, ['x'.repeat(24)]),
    ClientSecretId: plausible(k.clientIds.map((id) => `${id}--1700000000000`), ['', 'no-dashes', `${'x'.repeat(30)}--`]),
    SessionId: plausible([`tkn${'a'.repeat(25)}`, `sso${'0'.repeat(25)}`], ['tkn', `TKN${'a'.repeat(25)}`, `xyz${'a'.repeat(25)}`]),
    RevokeAssociatedSessions: plausible(['NONE', 'LINKED'], ['ALL']),
    UserSessionTracking: plausible(['ENABLED', 'DISABLED'], ['ON']),
    TokenSession: structure([{ MaxPerUser: 20 }, { MaxPerUser: 100 }], [{ MaxPerUser: 0 }, { MaxPerUser: 101 }, {}, { MaxPerUser: '5' }]),
    SSOSession: structure([{ MaxValidityMinutes: 60 }, { MaxValidityMinutes: 0 }], [{ MaxValidityMinutes: 129_601 }, { MaxValidityMinutes: -1 }, {}]),
    RegionName: plausible(['eu-west-1', 'ap-south-1'], ['us-east-1', 'moon-base', 'eu', 'x'.repeat(33)]),
    Status: plausible(['ACTIVE', 'INACTIVE'], ['DELETING', 'CREATING']),
    LimitDefinition: structure(
      [{ LimitClass: 'API_CATEGORY', Attributes: { Category: 'UserAuthentication' } }, { LimitClass: 'API_CATEGORY', Attributes: { Category: 'UserCreation' } }],
      [{ LimitClass: 'API_CATEGORY', Attributes: { Category: 'Nothing' } }, { LimitClass: 'OTHER', Attributes: {} }, { LimitClass: 'API_CATEGORY' }, { Attributes: { Category: 5 } }],
    ),
    RequestedLimitValue: plausible([120, 200], [0, 49, 100_000, -1, 1.5, 2 ** 31]),
  };
}

/** AdminLinkProviderForUser's users: a native one by name, an external identity by its id. */
const providerUser = (k: Known): Member =>
  structure(
    [{ ProviderName: 'Cognito', ProviderAttributeValue: k.usernames[0] }, { ProviderName: 'FuzzIdP', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 's-1' }],
    [{}, { ProviderName: 5 }, { ProviderName: 'Cognito' }],
  );

const POOL_SETTINGS = [
  'Policies', 'MfaConfiguration', 'UsernameAttributes', 'AliasAttributes', 'AutoVerifiedAttributes', 'Schema', 'AdminCreateUserConfig',
  'DeletionProtection', 'UserPoolTags', 'UsernameConfiguration', 'VerificationMessageTemplate', 'AccountRecoverySetting',
  'UserAttributeUpdateSettings', 'LambdaConfig', 'SmsAuthenticationMessage', 'EmailVerificationMessage', 'UserPoolTier',
  'DeviceConfiguration',
];
const CLIENT_SETTINGS = [
  'ExplicitAuthFlows', 'PreventUserExistenceErrors', 'EnableTokenRevocation', 'AuthSessionValidity', 'AccessTokenValidity',
  'IdTokenValidity', 'RefreshTokenValidity', 'TokenValidityUnits', 'RefreshTokenRotation', 'ReadAttributes', 'WriteAttributes',
];
const MFA_PREFERENCES = ['SMSMfaSettings', 'SoftwareTokenMfaSettings', 'EmailMfaSettings', 'WebAuthnMfaSettings'];
const ADMIN_USER = ['UserPoolId*', 'Username*'];

/** The members of each operation's input (the service model's, as far as the fuzzer uses them); * marks a required one. */
const MEMBERS: Readonly<Record<string, readonly string[]>> = {
  InitiateAuth: ['AuthFlow*', 'ClientId*', 'AuthParameters', 'ClientMetadata', 'Session', 'AnalyticsMetadata', 'UserContextData'],
  RespondToAuthChallenge: ['ClientId*', 'ChallengeName*', 'Session', 'ChallengeResponses', 'ClientMetadata'],
  AdminInitiateAuth: ['UserPoolId*', 'ClientId*', 'AuthFlow*', 'AuthParameters', 'ClientMetadata', 'Session', 'AnalyticsMetadata', 'ContextData'],
  AdminRespondToAuthChallenge: ['UserPoolId*', 'ClientId*', 'ChallengeName*', 'Session', 'ChallengeResponses', 'ClientMetadata', 'AnalyticsMetadata', 'ContextData'],
  GetTokensFromRefreshToken: ['RefreshToken*', 'ClientId*', 'ClientSecret', 'DeviceKey', 'ClientMetadata'],
  SignUp: ['ClientId*', 'SecretHash', 'Username*', 'Password*', 'UserAttributes', 'ValidationData', 'ClientMetadata'],
  ConfirmSignUp: ['ClientId*', 'SecretHash', 'Username*', 'ConfirmationCode*', 'ForceAliasCreation', 'Session'],
  ResendConfirmationCode: ['ClientId*', 'SecretHash', 'Username*', 'ClientMetadata'],
  ForgotPassword: ['ClientId*', 'SecretHash', 'Username*', 'ClientMetadata'],
  ConfirmForgotPassword: ['ClientId*', 'SecretHash', 'Username*', 'ConfirmationCode*', 'Password*'],
  GetUser: ['AccessToken*'],
  GlobalSignOut: ['AccessToken*'],
  RevokeToken: ['Token*', 'ClientId*', 'ClientSecret'],
  ChangePassword: ['PreviousPassword', 'ProposedPassword*', 'AccessToken*'],
  GetUserAttributeVerificationCode: ['AccessToken*', 'AttributeName*', 'ClientMetadata'],
  VerifyUserAttribute: ['AccessToken*', 'AttributeName*', 'Code*'],
  UpdateUserAttributes: ['UserAttributes*', 'AccessToken*', 'ClientMetadata'],
  DeleteUserAttributes: ['UserAttributeNames*', 'AccessToken*'],
  DeleteUser: ['AccessToken*'],
  CreateUserPool: ['PoolName*', ...POOL_SETTINGS],
  DescribeUserPool: ['UserPoolId*'],
  UpdateUserPool: ['UserPoolId*', 'PoolName', ...POOL_SETTINGS],
  ListUserPools: ['MaxResults*', 'NextToken'],
  DeleteUserPool: ['UserPoolId*'],
  CreateUserPoolClient: ['UserPoolId*', 'ClientName*', 'GenerateSecret', ...CLIENT_SETTINGS],
  DescribeUserPoolClient: ['UserPoolId*', 'ClientId*'],
  UpdateUserPoolClient: ['UserPoolId*', 'ClientId*', 'ClientName', ...CLIENT_SETTINGS],
  ListUserPoolClients: ['UserPoolId*', 'MaxResults', 'NextToken'],
  AdminCreateUser: [...ADMIN_USER, 'UserAttributes', 'ValidationData', 'TemporaryPassword', 'MessageAction', 'DesiredDeliveryMediums', 'ForceAliasCreation', 'ClientMetadata'],
  AdminSetUserPassword: [...ADMIN_USER, 'Password*', 'Permanent'],
  AdminGetUser: ADMIN_USER,
  AdminDeleteUser: ADMIN_USER,
  AdminDisableUser: ADMIN_USER,
  AdminEnableUser: ADMIN_USER,
  AdminResetUserPassword: [...ADMIN_USER, 'ClientMetadata'],
  AdminUpdateUserAttributes: [...ADMIN_USER, 'UserAttributes*', 'ClientMetadata'],
  AdminDeleteUserAttributes: [...ADMIN_USER, 'UserAttributeNames*'],
  AdminConfirmSignUp: [...ADMIN_USER, 'ClientMetadata'],
  AdminUserGlobalSignOut: ADMIN_USER,
  ListUsers: ['UserPoolId*', 'AttributesToGet', 'Limit', 'PaginationToken', 'Filter'],
  SetUserPoolMfaConfig: ['UserPoolId*', 'MfaConfiguration', 'SmsMfaConfiguration', 'SoftwareTokenMfaConfiguration', 'EmailMfaConfiguration', 'WebAuthnConfiguration'],
  GetUserPoolMfaConfig: ['UserPoolId*'],
  AssociateSoftwareToken: ['AccessToken', 'Session'],
  VerifySoftwareToken: ['AccessToken', 'Session', 'UserCode*', 'FriendlyDeviceName'],
  SetUserMFAPreference: ['AccessToken*', ...MFA_PREFERENCES],
  AdminSetUserMFAPreference: [...ADMIN_USER, ...MFA_PREFERENCES],
  SetUserSettings: ['AccessToken*', 'MFAOptions*'],
  AdminSetUserSettings: [...ADMIN_USER, 'MFAOptions*'],
  AdminGetUserAuthFactors: ADMIN_USER,
  StartWebAuthnRegistration: ['AccessToken*'],
  CompleteWebAuthnRegistration: ['AccessToken*', 'Credential*'],
  ListWebAuthnCredentials: ['AccessToken*', 'NextToken', 'MaxResults'],
  DeleteWebAuthnCredential: ['AccessToken*', 'CredentialId*'],
  ConfirmDevice: ['AccessToken*', 'DeviceKey*', 'DeviceSecretVerifierConfig', 'DeviceName'],
  UpdateDeviceStatus: ['AccessToken*', 'DeviceKey*', 'DeviceRememberedStatus'],
  GetDevice: ['AccessToken*', 'DeviceKey*'],
  ListDevices: ['AccessToken*', 'Limit', 'PaginationToken'],
  ForgetDevice: ['AccessToken*', 'DeviceKey*'],
  AdminUpdateDeviceStatus: [...ADMIN_USER, 'DeviceKey*', 'DeviceRememberedStatus'],
  AdminGetDevice: [...ADMIN_USER, 'DeviceKey*'],
  AdminListDevices: [...ADMIN_USER, 'Limit', 'PaginationToken'],
  AdminForgetDevice: [...ADMIN_USER, 'DeviceKey*'],
  CreateUserPoolDomain: ['UserPoolId*', 'Domain*', 'ManagedLoginVersion', 'CustomDomainConfig'],
  DescribeUserPoolDomain: ['Domain*'],
  UpdateUserPoolDomain: ['UserPoolId*', 'Domain*', 'ManagedLoginVersion', 'CustomDomainConfig'],
  DeleteUserPoolDomain: ['UserPoolId*', 'Domain*'],
  CreateIdentityProvider: ['UserPoolId*', 'ProviderName*', 'ProviderType*', 'ProviderDetails*', 'AttributeMapping', 'IdpIdentifiers'],
  DescribeIdentityProvider: ['UserPoolId*', 'ProviderName*'],
  UpdateIdentityProvider: ['UserPoolId*', 'ProviderName*', 'ProviderDetails', 'AttributeMapping', 'IdpIdentifiers'],
  ListIdentityProviders: ['UserPoolId*', 'MaxResults', 'NextToken'],
  DeleteIdentityProvider: ['UserPoolId*', 'ProviderName*'],
  GetIdentityProviderByIdentifier: ['UserPoolId*', 'IdpIdentifier*'],
  CreateResourceServer: ['UserPoolId*', 'Identifier*', 'Name*', 'Scopes'],
  DescribeResourceServer: ['UserPoolId*', 'Identifier*'],
  ListResourceServers: ['UserPoolId*', 'MaxResults', 'NextToken'],
  UpdateResourceServer: ['UserPoolId*', 'Identifier*', 'Name*', 'Scopes'],
  DeleteResourceServer: ['UserPoolId*', 'Identifier*'],
  AdminLinkProviderForUser: ['UserPoolId*', 'DestinationUser*', 'SourceUser*'],
  AdminDisableProviderForUser: ['UserPoolId*', 'User*'],
  DeleteUserPoolClient: ['UserPoolId*', 'ClientId*'],
  CreateGroup: ['UserPoolId*', 'GroupName*', 'Description', 'RoleArn', 'Precedence'],
  GetGroup: ['UserPoolId*', 'GroupName*'],
  UpdateGroup: ['UserPoolId*', 'GroupName*', 'Description', 'RoleArn', 'Precedence'],
  DeleteGroup: ['UserPoolId*', 'GroupName*'],
  ListGroups: ['UserPoolId*', 'Limit', 'NextToken'],
  AdminAddUserToGroup: [...ADMIN_USER, 'GroupName*'],
  AdminRemoveUserFromGroup: [...ADMIN_USER, 'GroupName*'],
  AdminListGroupsForUser: [...ADMIN_USER, 'Limit', 'NextToken'],
  ListUsersInGroup: ['UserPoolId*', 'GroupName*', 'Limit', 'NextToken'],
  AddCustomAttributes: ['UserPoolId*', 'CustomAttributes*'],
  GetCSVHeader: ['UserPoolId*'],
  CreateUserImportJob: ['JobName*', 'UserPoolId*', 'CloudWatchLogsRoleArn*'],
  DescribeUserImportJob: ['UserPoolId*', 'JobId*'],
  ListUserImportJobs: ['UserPoolId*', 'MaxResults*', 'PaginationToken'],
  StartUserImportJob: ['UserPoolId*', 'JobId*'],
  StopUserImportJob: ['UserPoolId*', 'JobId*'],
  TagResource: ['ResourceArn*', 'Tags'],
  UntagResource: ['ResourceArn*', 'TagKeys'],
  ListTagsForResource: ['ResourceArn*'],
  SetUICustomization: ['UserPoolId*', 'ClientId', 'CSS', 'ImageFile'],
  GetUICustomization: ['UserPoolId*', 'ClientId'],
  SetRiskConfiguration: ['UserPoolId*', 'ClientId', 'CompromisedCredentialsRiskConfiguration', 'AccountTakeoverRiskConfiguration', 'RiskExceptionConfiguration'],
  DescribeRiskConfiguration: ['UserPoolId*', 'ClientId'],
  SetLogDeliveryConfiguration: ['UserPoolId*', 'LogConfigurations*'],
  GetLogDeliveryConfiguration: ['UserPoolId*'],
  AdminListUserAuthEvents: [...ADMIN_USER, 'MaxResults', 'NextToken'],
  AdminUpdateAuthEventFeedback: [...ADMIN_USER, 'EventId*', 'FeedbackValue*'],
  UpdateAuthEventFeedback: [...ADMIN_USER, 'EventId*', 'FeedbackToken*', 'FeedbackValue*'],
  CreateManagedLoginBranding: ['UserPoolId*', 'ClientId*', 'UseCognitoProvidedValues', 'Settings', 'Assets'],
  DescribeManagedLoginBranding: ['UserPoolId*', 'ManagedLoginBrandingId*', 'ReturnMergedResources'],
  DescribeManagedLoginBrandingByClient: ['UserPoolId*', 'ClientId*', 'ReturnMergedResources'],
  UpdateManagedLoginBranding: ['UserPoolId', 'ManagedLoginBrandingId', 'UseCognitoProvidedValues', 'Settings', 'Assets'],
  DeleteManagedLoginBranding: ['ManagedLoginBrandingId*', 'UserPoolId*'],
  CreateTerms: ['UserPoolId*', 'ClientId*', 'TermsName*', 'TermsSource*', 'Enforcement*', 'Links'],
  DescribeTerms: ['TermsId*', 'UserPoolId*'],
  DescribeTermsByClient: ['ClientId*', 'UserPoolId*', 'TermsName*'],
  ListTerms: ['UserPoolId*', 'MaxResults', 'NextToken'],
  UpdateTerms: ['TermsId*', 'UserPoolId*', 'TermsName', 'TermsSource', 'Enforcement', 'Links'],
  DeleteTerms: ['TermsId*', 'UserPoolId*'],
  GetClientToken: ['ClientId*', 'Secret*', 'Scopes', 'ClientMetadata'],
  AddUserPoolClientSecret: ['UserPoolId*', 'ClientId*', 'ClientSecret'],
  ListUserPoolClientSecrets: ['UserPoolId*', 'ClientId*', 'NextToken'],
  DeleteUserPoolClientSecret: ['UserPoolId*', 'ClientId*', 'ClientSecretId*'],
  ListUserSessions: ['AccessToken*', 'NextToken'],
  AdminListUserSessions: [...ADMIN_USER, 'NextToken'],
  RevokeUserSession: ['AccessToken*', 'SessionId*', 'RevokeAssociatedSessions'],
  AdminRevokeUserSession: [...ADMIN_USER, 'SessionId*', 'RevokeAssociatedSessions'],
  GetUserPoolSessionConfiguration: ['UserPoolId*'],
  SetUserPoolSessionConfiguration: ['UserPoolId*', 'UserSessionTracking*', 'TokenSession*'],
  GetUserPoolClientSessionConfiguration: ['UserPoolId*', 'ClientId*'],
  SetUserPoolClientSessionConfiguration: ['UserPoolId*', 'ClientId*', 'SSOSession*'],
  AdminDeleteSoftwareToken: ADMIN_USER,
  GetSigningCertificate: ['UserPoolId*'],
  CreateUserPoolReplica: ['UserPoolId*', 'RegionName*', 'UserPoolTags'],
  ListUserPoolReplicas: ['UserPoolId*', 'NextToken'],
  UpdateUserPoolReplica: ['UserPoolId*', 'RegionName*', 'Status*'],
  DeleteUserPoolReplica: ['UserPoolId*', 'RegionName*'],
  GetProvisionedLimit: ['LimitDefinition*'],
  UpdateProvisionedLimit: ['LimitDefinition*', 'RequestedLimitValue*'],
};
/** For an operation the table above does not know yet: the members most operations start with. */
const COMMON_MEMBERS = ['AccessToken', 'UserPoolId', 'Username', 'ClientId', 'Session', 'Credential', 'CredentialId', 'MaxResults'];

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

/** Printable ASCII only: node:http refuses other header bytes before anything is sent. */
const headerSafe = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');

/**
 * Sign-in bodies whose flow or challenge and parameters belong together (as clients send them), so
 * that they reach the flows themselves; from there on the values are real or nearly.
 */
function coherentSignIn(k: Known, values: Record<string, Member>): Record<string, fc.Arbitrary<Record<string, unknown>>> {
  const v = (name: string) => values[name]!.real;
  const params = parameterMap(k);
  const p = (key: string) => params.entries[key]!.real;
  const withHash = <T extends Record<string, unknown>>(map: fc.Arbitrary<T>) =>
    fc.tuple(map, fc.option(p('SECRET_HASH'), { nil: undefined })).map(([m, hash]) => (hash === undefined ? m : { ...m, SECRET_HASH: hash }));
  const initiate = (flow: fc.Arbitrary<string>, parameters: fc.Arbitrary<Record<string, unknown>>, extra: Record<string, fc.Arbitrary<unknown>> = {}) =>
    fc.record({ AuthFlow: flow, ClientId: v('ClientId'), AuthParameters: withHash(parameters), ...extra }, { requiredKeys: ['AuthFlow', 'ClientId', 'AuthParameters'] });
  const respond = (challenge: string, responses: Record<string, fc.Arbitrary<unknown>>) =>
    fc.record({ ClientId: v('ClientId'), ChallengeName: fc.constant(challenge), Session: v('Session'), ChallengeResponses: withHash(fc.record({ USERNAME: p('USERNAME'), ...responses })) });
  return {
    InitiateAuth: fc.oneof(
      initiate(fc.constant('USER_PASSWORD_AUTH'), fc.record({ USERNAME: p('USERNAME'), PASSWORD: p('PASSWORD') })),
      initiate(fc.constant('USER_SRP_AUTH'), fc.record({ USERNAME: p('USERNAME'), SRP_A: p('SRP_A') })),
      initiate(pick(['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN']), fc.record({ REFRESH_TOKEN: p('REFRESH_TOKEN') })),
      initiate(fc.constant('USER_AUTH'), fc.record({ USERNAME: p('USERNAME'), PREFERRED_CHALLENGE: p('PREFERRED_CHALLENGE') }, { requiredKeys: ['USERNAME'] }), { Session: v('Session') }),
    ),
    RespondToAuthChallenge: fc.oneof(
      respond('PASSWORD_VERIFIER', { PASSWORD_CLAIM_SECRET_BLOCK: p('PASSWORD_CLAIM_SECRET_BLOCK'), PASSWORD_CLAIM_SIGNATURE: p('PASSWORD_CLAIM_SIGNATURE'), TIMESTAMP: p('TIMESTAMP') }),
      respond('NEW_PASSWORD_REQUIRED', { NEW_PASSWORD: p('NEW_PASSWORD') }),
      respond('SOFTWARE_TOKEN_MFA', { SOFTWARE_TOKEN_MFA_CODE: p('SOFTWARE_TOKEN_MFA_CODE') }),
      respond('SMS_MFA', { SMS_MFA_CODE: p('SMS_MFA_CODE') }),
      respond('EMAIL_OTP', { EMAIL_OTP_CODE: p('EMAIL_OTP_CODE') }),
      respond('SELECT_MFA_TYPE', { ANSWER: p('ANSWER') }),
      respond('MFA_SETUP', { EMAIL: p('EMAIL') }),
      respond('SELECT_CHALLENGE', { ANSWER: p('ANSWER'), PASSWORD: p('PASSWORD') }),
    ),
  };
}

/**
 * A body for `operation`. Clean: the required members and some optional ones, all real, then maybe one
 * of them spoilt (these get past the shape checks). Wild: any members with any values, extra ones too.
 */
const membersOf = (operation: string) => (MEMBERS[operation] ?? COMMON_MEMBERS).map((m) => ({ name: m.replace('*', ''), required: m.endsWith('*') }));

/**
 * A member's values; DeleteUserPool, DeleteUserPoolClient and DeleteGroup only ever get the disposable pool,
 * client and group by their real names (the others stay for the rest of the round).
 */
const memberOf = (k: Known, values: Record<string, Member>, operation: string, member: string): Member => {
  if (operation === 'DeleteUserPool' && member === 'UserPoolId') return plausible([...k.disposablePoolIds, 'us-east-1_doesnotexist']);
  if (operation === 'DeleteUserPoolClient' && member === 'ClientId') return plausible([...k.disposableClientIds, 'doesnotexist00000000000000']);
  if (operation === 'DeleteGroup' && member === 'GroupName') return plausible([k.groupNames.at(-1)!, 'nosuchgroup']);
  return values[member]!;
};

/** A body as a client would send it: the coherent sign-in ones, or the required members and some optional ones, all real. */
function sensibleBody(k: Known, values: Record<string, Member>, operation: string): fc.Arbitrary<Record<string, unknown>> {
  const members = membersOf(operation);
  const required = members.filter((m) => m.required).map((m) => m.name);
  const optional = members.filter((m) => !m.required).map((m) => m.name);
  return (
    coherentSignIn(k, values)[operation] ??
    fc.subarray(optional).chain((chosen) => fc.record(Object.fromEntries([...required, ...chosen].map((name) => [name, memberOf(k, values, operation, name).real]))))
  );
}

function operationBody(k: Known, values: Record<string, Member>, operation: string): fc.Arbitrary<Record<string, unknown>> {
  const members = membersOf(operation);
  const valueOf = (member: string) => memberOf(k, values, operation, member);
  const realBody = sensibleBody(k, values, operation);
  const clean = realBody.chain((body) =>
    fc.oneof(
      fc.constant(body),
      pick(members.map((m) => m.name)).chain((spoilt) => valueOf(spoilt).any.map((value) => ({ ...body, [spoilt]: value }))),
    ),
  );
  const wild = fc
    .subarray(members.map((m) => m.name))
    .chain((chosen) => fc.record(Object.fromEntries(chosen.map((name) => [name, valueOf(name).any]))));
  // Extra members: another operation's (a type the pool may read wrongly), or a made-up one.
  const extra = fc.dictionary(fc.oneof(pick(Object.keys(values)), garbageString.filter((s) => s.length < 200)), fc.oneof(pick(oddStrings), wrongType), { maxKeys: 3 });
  // Every structure of a real body nested deeply instead (what is stored goes through JSON.stringify).
  const deep = realBody.map((body) => Object.fromEntries(Object.entries(body).map(([name, value]) => [name, isStructure(value) ? DEEP : value])));
  return fc.oneof(
    { weight: 4, arbitrary: clean },
    { weight: 1, arbitrary: deep },
    { weight: 6, arbitrary: fc.tuple(wild, sometimes(extra, 3)).map(([body, more]) => ({ ...(more ?? {}), ...body })) },
  );
}

const INVALID_JSON = [
  '{', '}', '{"ClientId":', '{"ClientId":"a",}', "{'ClientId':'a'}", '{"a":1}{"b":2}', 'NaN', '[1,2', '{"a":"\\x41"}',
  '{"a":"\\ud800"}', '\ufeff{}', '{"a":01}', '{"a":1e99999}', '// comment\n{}', '{"__proto__":{"polluted":true}}', 'null',
  '"just a string"', '42', '[]', 'true', '{"a":"b"', '\u0000', ' ', '\n\n',
];

function bodyText(k: Known, values: Record<string, Member>, operation: string): fc.Arbitrary<string | Buffer | undefined> {
  const json = operationBody(k, values, operation).chain((body) =>
    fc
      .tuple(fc.integer({ min: 2, max: 150_000 }), fc.oneof(fc.constant(false), fc.constant(false), fc.constant(true)))
      .map(([depth, arrays]) => JSON.stringify(body).replaceAll(JSON.stringify(DEEP), arrays ? deepJson(depth, '[', ']') : deepJson(depth, '{"a":', '}'))),
  );
  return fc.oneof(
    { weight: 60, arbitrary: json },
    { weight: 3, arbitrary: pick(INVALID_JSON) },
    { weight: 2, arbitrary: json.chain((text) => fc.nat(Math.max(0, text.length - 1)).map((cut) => text.slice(0, cut))) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, '') },
    { weight: 2, arbitrary: fc.integer({ min: 100, max: 300_000 }).chain((depth) => pick([deepJson(depth, '[', ']'), deepJson(depth, '{"a":', '}')])) },
    // Duplicate members: the last one counts for JSON.parse; both must be survivable.
    { weight: 1, arbitrary: json.map((text) => (text.length > 2 ? `{"ClientId":1,${text.slice(1)}` : text)) },
    // Not UTF-8, or UTF-16.
    { weight: 1, arbitrary: json.map((text) => Buffer.from(text, 'utf16le')) },
    { weight: 1, arbitrary: json.map((text) => Buffer.concat([Buffer.from([0xff, 0xfe, 0xc0, 0x80]), Buffer.from(text)])) },
    // Just over 1 MiB: a 413.
    { weight: 1, arbitrary: fc.constant(JSON.stringify({ ClientMetadata: { pad: 'x'.repeat(1024 * 1024) } })) },
  );
}

const CONTENT_TYPES = [
  'application/json', 'application/x-amz-json-1.0', 'application/json; charset=utf-8', 'APPLICATION/X-AMZ-JSON-1.1', 'text/plain',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', ';', 'application/x-amz-json-1.1; charset=utf-16',
  'application/x-amz-json-1.1;;;', '*/*', 'x'.repeat(5000),
];

function headersFor(target: fc.Arbitrary<string | undefined>): fc.Arbitrary<Record<string, string>> {
  return fc
    .record({
      target,
      contentType: fc.oneof({ weight: 12, arbitrary: fc.constant(JSON_TYPE) }, { weight: 3, arbitrary: pick(CONTENT_TYPES) }, { weight: 1, arbitrary: fc.constant(undefined) }),
      origin: sometimes(pick(['http://localhost:3000', 'http://127.0.0.1:5173', 'null', 'https://evil.example', 'http://localhost.evil.example']), 10),
      fetchSite: sometimes(pick(['cross-site', 'same-site', 'same-origin', 'none']), 15),
      host: sometimes(pick(['evil.example', 'localhost', '127.0.0.1:1', '[::1]', 'LOCALHOST', 'a'.repeat(300)]), 15),
      // Past node's 16 KiB header limit: answered by the pool's clientError handler.
      huge: sometimes(fc.integer({ min: 4_000, max: 40_000 }), 60),
      userAgent: sometimes(garbageString.map(headerSafe), 6),
    })
    .map(({ target: t, contentType, origin, fetchSite, host, huge, userAgent }) => {
      const headers: Record<string, string> = {};
      if (t !== undefined) headers['x-amz-target'] = headerSafe(t);
      if (contentType !== undefined) headers['content-type'] = contentType;
      if (origin !== null) headers['origin'] = origin;
      if (fetchSite !== null) headers['sec-fetch-site'] = fetchSite;
      if (host !== null) headers['host'] = host;
      if (huge !== null) headers['x-amz-user-agent'] = 'u'.repeat(huge);
      else if (userAgent !== null) headers['x-amz-user-agent'] = userAgent.slice(0, 2000);
      return headers;
    });
}

const UNKNOWN_TARGETS = [
  `${TARGET_PREFIX}NoSuchOperation`, `${TARGET_PREFIX}`, `${TARGET_PREFIX}__proto__`, `${TARGET_PREFIX}constructor`,
  `${TARGET_PREFIX}hasOwnProperty`, `${TARGET_PREFIX}initiateauth`, 'InitiateAuth', 'AWSCognitoIdentityService.GetId',
  `${TARGET_PREFIX}InitiateAuth.Extra`, `${TARGET_PREFIX}InitiateAuth `, '', 'x'.repeat(3000), `${TARGET_PREFIX}CreateManagedLoginBranding`,
];

function apiRequest(k: Known, values: Record<string, Member>): fc.Arbitrary<FuzzRequest> {
  const known = pick(OPERATIONS).chain((operation) =>
    fc.record({
      headers: headersFor(fc.constant(`${TARGET_PREFIX}${operation}`)),
      body: bodyText(k, values, operation),
      method: fc.oneof({ weight: 30, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND']) }),
    }),
  );
  const unknown = fc.record({
    headers: headersFor(fc.oneof(pick(UNKNOWN_TARGETS), fc.constant(undefined), garbageString)),
    body: pick(OPERATIONS).chain((operation) => bodyText(k, values, operation)),
    method: fc.constant('POST'),
  });
  return fc.oneof({ weight: 10, arbitrary: known }, { weight: 1, arbitrary: unknown }).map((r) => ({ ...r, path: '/' }));
}

function otherRequest(k: Known): fc.Arbitrary<FuzzRequest> {
  // Through a Buffer first: a lone surrogate becomes U+FFFD (encodeURIComponent throws on it).
  const q = (value: string) => encodeURIComponent(Buffer.from(value).toString());
  const text = fc.oneof(pick([...k.poolIds, ...k.usernames, ...k.emails]), garbageString.filter((s) => s.length < 5000));
  const path = fc.oneof(
    pick(['/health', '/_local/outbox', '/_local/requests', '/_local/totp', '/_local/clock', '/_local/faults', '/_local/', '/_local', '/_local/nothing']),
    fc.tuple(text, text).map(([to, user]) => `/_local/outbox?to=${q(to)}&username=${q(user)}&since=${q(user)}`),
    fc.tuple(text, text, fc.boolean()).map(([pool, user, pending]) => `/_local/totp?userPoolId=${q(pool)}&username=${q(user)}${pending ? '&pending=1' : ''}`),
    text.map((pool) => `/${q(pool)}/.well-known/jwks.json`),
    pick(k.poolIds).map((pool) => `/${pool}/.well-known/jwks.json`),
    pick(['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/%00', '/index.html', '//', '/?', '/health?x=%ZZ', '/%E0%A4%A', '/favicon.ico']),
    garbageString.filter((s) => s.length < 5000).map((s) => `/${q(s)}`),
  );
  return fc.record({
    method: fc.oneof({ weight: 4, arbitrary: fc.constant('GET') }, { weight: 2, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: pick(['DELETE', 'PUT', 'OPTIONS', 'HEAD']) }),
    path,
    headers: headersFor(fc.constant(undefined)),
    body: sometimes(fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), pick(INVALID_JSON)), 2).map((b) => b ?? undefined),
  });
}

/** The control API: moving the clock, injecting faults (never a valid one: an injected fault answers 5xx on purpose). */
function controlRequest(): fc.Arbitrary<FuzzRequest> {
  const clock = fc.record({ advanceMs: plausible([1000, 0, 60_000, -1, 1e300, 8.64e15, Number.MAX_SAFE_INTEGER, 'soon']).any }, { requiredKeys: [] });
  const fault = fc.record(
    {
      operation: plausible(['*', 'InitiateAuth', '']).any,
      fault: plausible(['explode', 'reset-ish', 'DROP', 'Delay']).any,
      count: plausible([1, 0, 1001, 'x']).any,
      delayMs: plausible([0, -1, 120_001]).any,
    },
    { requiredKeys: [] },
  );
  const body = (shape: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 6, arbitrary: shape.map((v) => JSON.stringify(v)) }, { weight: 1, arbitrary: pick(INVALID_JSON) }, { weight: 1, arbitrary: fc.constant(undefined) });
  return fc.oneof(
    fc.record({ method: fc.constant('POST'), path: fc.constant('/_local/clock'), body: body(clock) }),
    fc.record({ method: pick(['POST', 'DELETE', 'GET']), path: fc.constant('/_local/faults'), body: body(fault) }),
  ).chain((r) => headersFor(fc.constant(undefined)).map((headers) => ({ ...r, headers })));
}

function fuzzRequests(k: Known, seed: number, count: number): FuzzRequest[] {
  const values = memberValues(k);
  const arbitrary = fc.oneof(
    { weight: 18, arbitrary: apiRequest(k, values) },
    { weight: 2, arbitrary: otherRequest(k) },
    { weight: 1, arbitrary: controlRequest() },
  );
  return fc.sample(arbitrary, { seed, numRuns: count });
}

/** What the sweep puts into each member, one at a time: every JSON type, and strings that are not what they seem (or look right and are not). */
const SWEEP_BASES = 2;
const ODD_VALUES: readonly unknown[] = [null, 0, -1, 1e308, true, [], ['x'], {}, '', ' ', '\u0000\ud800', '🦄'.repeat(200), 'x'.repeat(70_000), '__proto__', 'eu-west-1_NoSuchPool0', 'arn:aws:cognito-idp:eu-west-1:000000000000:userpool/eu-west-1_NoSuchPool0'];

/**
 * Every member of every operation, one odd value at a time, in an otherwise sensible body that has
 * every member the fuzzer knows for the operation; inside structures and maps, every key too.
 */
function sweepRequests(k: Known, seed: number): FuzzRequest[] {
  const values = memberValues(k);
  return OPERATIONS.flatMap((operation) => {
    const members = membersOf(operation).map((m) => m.name);
    const bases = fc.sample(sensibleBody(k, values, operation), { seed, numRuns: SWEEP_BASES });
    const bodies = bases.flatMap((base) =>
      [...new Set([...members, ...Object.keys(base)])].flatMap((member) => {
        const inner = base[member];
        const nested = isStructure(inner) ? Object.keys(inner as object).flatMap((key) => ODD_VALUES.map((odd) => ({ ...base, [member]: { ...(inner as object), [key]: odd } }))) : [];
        return [...ODD_VALUES.map((odd) => ({ ...base, [member]: odd })), ...nested];
      }),
    );
    return bodies.map((body) => ({
      method: 'POST',
      path: '/',
      headers: { 'x-amz-target': `${TARGET_PREFIX}${operation}`, 'content-type': JSON_TYPE },
      body: JSON.stringify(body),
    }));
  });
}

// ---------- sending and judging ----------

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function send(port: number, r: FuzzRequest): Promise<Answer | { error: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: Answer | { error: string }) => {
      if (!settled) resolve(result);
      settled = true;
    };
    const length = r.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(r.body)) };
    const req = request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers: { ...length, ...r.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => settle({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error: NodeJS.ErrnoException) => settle({ error: `answer broke off (${error.code ?? error.message})` }));
    });
    req.setTimeout(ANSWER_WITHIN_MS, () => {
      settle({ error: `no answer within ${ANSWER_WITHIN_MS} ms` });
      req.destroy();
    });
    req.on('error', (error: NodeJS.ErrnoException) => settle({ error: `no answer (${error.code ?? error.message})` }));
    req.end(r.body);
  });
}

/** What is wrong with the answer, or undefined; and the outcome for the coverage count. */
function judge(r: FuzzRequest, answer: Answer | { error: string }): { problem?: string; outcome: string } {
  if ('error' in answer) return { problem: answer.error, outcome: 'no answer' };
  const { status, headers, text } = answer;
  if (status >= 500) return { problem: `status ${status}: ${text.slice(0, 300)}`, outcome: String(status) };
  if (status < 200 || (status >= 300 && status < 400)) return { problem: `status ${status}`, outcome: String(status) };
  if (r.method === 'HEAD' || status === 204) return { outcome: String(status) };
  if (headers['content-type'] !== JSON_TYPE) return { problem: `${status} with Content-Type ${headers['content-type']}`, outcome: String(status) };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { problem: `${status} body is not JSON: ${text.slice(0, 200)}`, outcome: String(status) };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problem: `${status} body is not an object`, outcome: String(status) };
  if (status < 300) return { outcome: 'ok' };
  const { __type: type, message } = body as { __type?: unknown; message?: unknown };
  if (typeof type !== 'string' || !/^[A-Za-z]+Exception$/.test(type) || typeof message !== 'string' || message === '') {
    return { problem: `${status} body is not Cognito's error shape: ${text.slice(0, 200)}`, outcome: String(status) };
  }
  if (headers['x-amzn-errortype'] !== `${type}:`) return { problem: `x-amzn-ErrorType ${headers['x-amzn-errortype']} for ${type}`, outcome: type };
  const shape = type === 'SerializationException' || /validation errors? detected/.test(message) ? 'shape' : type;
  return { outcome: shape };
}

const describe_ = (r: FuzzRequest): string => {
  const body = r.body === undefined ? '(none)' : Buffer.isBuffer(r.body) ? `<${r.body.length} bytes>` : r.body.length > 300 ? `${r.body.slice(0, 300)}… (${r.body.length} chars)` : r.body;
  const headers = Object.fromEntries(Object.entries(r.headers).map(([name, value]) => [name, value.length > 100 ? `${value.slice(0, 100)}… (${value.length})` : value]));
  return `${r.method} ${r.path.slice(0, 200)} ${JSON.stringify(headers)} ${body}`;
};

/** Sends the requests, PARALLEL at a time. */
async function run(port: number, requests: FuzzRequest[], record: (r: FuzzRequest, answer: Answer | { error: string }) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++]!;
      record(r, await send(port, r));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

// ---------- the test ----------

describe('the fuzz', () => {
  let h: PoolHarness;
  const logLines: string[] = [];
  beforeAll(async () => {
    h = await startPool({ enableControlApi: true, log: (line) => logLines.push(line) });
  });
  afterAll(() => h?.close());

  it(`${ROUNDS * REQUESTS_PER_ROUND} generated requests over every target: each answered, none 5xx, every 4xx Cognito-shaped; the pool alive after`, async () => {
    // A pool the fuzzer never hears of: it must sign in at the end as it did at the start.
    const untouched = await createPoolAndClient(h.sdk, { PoolName: 'untouched' });
    await createUser(h.sdk, untouched.poolId, 'keeper', STRONG_PASSWORD);

    const problems: string[] = [];
    const calls = new Map<string, number>();
    const pastShape = new Map<string, Set<string>>();
    let sent = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const known = await provision(h, round);
      const requests = fuzzRequests(known, SEED + round, REQUESTS_PER_ROUND);
      await run(h.pool.port, requests, (r, answer) => {
        sent++;
        const verdict = judge(r, answer);
        if (verdict.problem && problems.length < 25) problems.push(`${verdict.problem}\n    for ${describe_(r)}`);
        const target = r.path === '/' && r.method === 'POST' ? r.headers['x-amz-target'] ?? '' : '';
        const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
        if (!OPERATIONS.includes(operation)) return;
        calls.set(operation, (calls.get(operation) ?? 0) + 1);
        if (verdict.outcome !== 'shape' && verdict.outcome !== 'ForbiddenException') {
          pastShape.set(operation, (pastShape.get(operation) ?? new Set()).add(verdict.outcome));
        }
      });
    }

    expect(problems).toEqual([]);
    expect(logLines.filter((line) => line.includes('internal error'))).toEqual([]);
    expect(sent).toBe(ROUNDS * REQUESTS_PER_ROUND);
    // Every operation was called, and got past the shape checks into its own logic at least once.
    expect(OPERATIONS.filter((operation) => (calls.get(operation) ?? 0) < 10)).toEqual([]);
    expect(OPERATIONS.filter((operation) => !pastShape.has(operation))).toEqual([]);

    // Still alive: health, a new pool's sign-in (plain and SRP), the untouched pool's user.
    const health = await send(h.pool.port, { method: 'GET', path: '/health', headers: {}, body: undefined });
    expect(health).toMatchObject({ status: 200, text: '{"ok":true}' });
    const fresh = await createPoolAndClient(h.sdk, { PoolName: 'after-fuzz' });
    await createUser(h.sdk, fresh.poolId, 'after', STRONG_PASSWORD);
    const tokens = (await passwordSignIn(h.sdk, fresh, 'after', STRONG_PASSWORD)).AuthenticationResult!;
    expect((await h.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }))).Username).toBe('after');
    expect((await srpSignIn(h.sdk, fresh, 'after', STRONG_PASSWORD, new Date(h.clock.now()))).AuthenticationResult?.AccessToken).toBeDefined();
    expect((await srpSignIn(h.sdk, untouched, 'keeper', STRONG_PASSWORD, new Date(h.clock.now()))).AuthenticationResult?.AccessToken).toBeDefined();

    // The file passes SQLite's full integrity check, and the pool starts on it again.
    await h.pool.close();
    const db = new Database(h.dataFile, { readonly: true });
    try {
      expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    } finally {
      db.close();
    }
    h = await h.restart();
    const again = await h.sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: fresh.clientId, AuthParameters: { USERNAME: 'after', PASSWORD: STRONG_PASSWORD } }),
    );
    expect(again.AuthenticationResult?.AccessToken).toBeDefined();
  }, 180_000);
});

describe('the sweep', () => {
  let h: PoolHarness;
  const logLines: string[] = [];
  beforeAll(async () => {
    h = await startPool({ enableControlApi: true, log: (line) => logLines.push(line) });
  });
  afterAll(() => h.close());

  it('every member of every operation, one odd value at a time: each answered, none 5xx, every 4xx Cognito-shaped', async () => {
    const requests = sweepRequests(await provision(h, 0), SEED);
    const problems: string[] = [];
    const pastShape = new Set<string>();
    await run(h.pool.port, requests, (r, answer) => {
      const verdict = judge(r, answer);
      if (verdict.problem && problems.length < 25) problems.push(`${verdict.problem}\n    for ${describe_(r)}`);
      if (verdict.outcome !== 'shape') pastShape.add(r.headers['x-amz-target']!.slice(TARGET_PREFIX.length));
    });
    expect(problems).toEqual([]);
    expect(logLines.filter((line) => line.includes('internal error'))).toEqual([]);
    // Some odd value of the right shape reaches every operation's own logic.
    expect(OPERATIONS.filter((operation) => !pastShape.has(operation))).toEqual([]);
  }, 120_000);
});

describe('what the fuzz found, each on its own', () => {
  let h: PoolHarness;
  beforeAll(async () => {
    h = await startPool({ enableControlApi: true });
  });
  afterAll(() => h.close());

  /** Bytes straight onto a socket, for requests node:http would not send; the whole answer as text. */
  const rawHttp = (bytes: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(h.pool.port, '127.0.0.1', () => socket.end(bytes));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
  const errorOf = (answer: Answer | { error: string }) => {
    if ('error' in answer) throw new Error(answer.error);
    expect(answer.headers['content-type']).toBe(JSON_TYPE);
    return { status: answer.status, ...(JSON.parse(answer.text) as { __type: string; message: string }) };
  };

  it('headers over 16 KiB: 431 in Cognito\'s shape (node answered a bare 431)', async () => {
    const answer = await send(h.pool.port, { method: 'POST', path: '/', headers: { 'x-amz-user-agent': 'u'.repeat(20_000) }, body: '{}' });
    expect(errorOf(answer)).toEqual({ status: 431, __type: 'SerializationException', message: 'Request headers are larger than 16 KiB.' });
  });

  it('a request that is not HTTP: 400 in Cognito\'s shape, then the connection closes', async () => {
    const text = await rawHttp('HELLO POOL\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toContain(`Content-Type: ${JSON_TYPE}\r\n`);
    expect(text).toContain('x-amzn-ErrorType: SerializationException:\r\n');
    expect(text.slice(text.indexOf('\r\n\r\n') + 4)).toBe('{"__type":"SerializationException","message":"The request is not valid HTTP/1.1."}');
  });

  it.each(['//', '//x/.well-known/jwks.json'])('GET %s is a 404, not an internal error', async (path) => {
    expect(errorOf(await send(h.pool.port, { method: 'GET', path, headers: {}, body: undefined }))).toMatchObject({ status: 404, __type: 'ResourceNotFoundException' });
  });

  it('a body nesting deeper than 64 levels is a SerializationException (a kept structure 5000 deep was a stack overflow in JSON.stringify)', async () => {
    const createPool = (depth: number) =>
      send(h.pool.port, {
        method: 'POST',
        path: '/',
        headers: { 'x-amz-target': `${TARGET_PREFIX}CreateUserPool`, 'content-type': JSON_TYPE },
        body: `{"PoolName":"deep","LambdaConfig":${deepJson(depth, '{"a":', '}')}}`,
      });
    for (const depth of [64, 5000, 150_000]) {
      expect(errorOf(await createPool(depth))).toEqual({ status: 400, __type: 'SerializationException', message: 'The request body nests deeper than 64 levels.' });
    }
    expect(await createPool(63)).toMatchObject({ status: 200 }); // the body, LambdaConfig and 62 more: 64 levels
  });

  it('a pagination token with an offset SQLite cannot take is an InvalidParameterException, not an internal error', async () => {
    const NextToken = Buffer.from('offset:99999999999999999999').toString('base64url');
    await expect(h.sdk.send(new ListUserPoolsCommand({ MaxResults: 1, NextToken }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid pagination token.',
    });
  });

  it.each([1e300, Number.MAX_SAFE_INTEGER, 101 * 365.25 * 86_400_000])('the control clock does not move %d ms (past any valid date, or over 100 years at once)', async (advanceMs) => {
    const before = h.clock.now();
    const answer = await send(h.pool.port, { method: 'POST', path: '/_local/clock', headers: {}, body: JSON.stringify({ advanceMs }) });
    expect(errorOf(answer)).toMatchObject({ status: 400, __type: 'InvalidParameterException' });
    expect(h.clock.now()).toBe(before);
  });
});
