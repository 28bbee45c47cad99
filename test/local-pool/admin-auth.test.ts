// AdminInitiateAuth / AdminRespondToAuthChallenge over HTTP with the AWS SDK: the admin password flow and
// its refusals, the challenges after it, refresh, SRP, USER_AUTH, CUSTOM_AUTH, a client with a secret, what
// PreAuthentication / PostAuthentication are given, and Sessions answered across the admin and public operations.
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  CreateUserPoolClientCommand,
  GetUserCommand,
  InitiateAuthCommand,
  VerifySoftwareTokenCommand,
  type AdminInitiateAuthCommandInput,
  type AdminRespondToAuthChallengeCommandInput,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSrpClient, cognitoTimestamp } from '../../src/cognito/srp.js';
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';
import { secretHash } from '../../src/local-pool/crypto/secrets.js';
import { METADATA_FUNCTIONS, triggerRecorder } from '../support/trigger-records.js';
import {
  ALL_FACTORS,
  STRONG_PASSWORD,
  createPoolAndClient,
  createUser,
  failure,
  lastCode,
  nextTotpStep,
  rawCall,
  respond,
  setPoolMfa,
  signClaim,
  startPool,
  totpAt,
  type PoolHarness,
  type Setup,
} from './support.js';

const ADMIN_FLOWS: CreateUserPoolClientCommandInput['ExplicitAuthFlows'] = [
  'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH',
];
const INCORRECT = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const triggers = triggerRecorder();
const RECORD = 'arn:aws:lambda:us-east-1:123456789012:function:metadata-record';

let h: PoolHarness;
/** The main pool's admin client (LEGACY existence errors). */
let admin: Setup;
/** Same pool: PreventUserExistenceErrors ENABLED, a client with a secret, one with the default flows, one with USER_AUTH. */
let hiding: Setup;
let secret: Setup;
let defaults: Setup;
let choice: Setup;
/** A second pool whose PreAuthentication and PostAuthentication functions record their events. */
let triggered: Setup;

async function addClient(setup: Setup, extra: Partial<CreateUserPoolClientCommandInput>): Promise<Setup> {
  const made = await h.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: setup.poolId, ClientName: 'more', ExplicitAuthFlows: ADMIN_FLOWS, ...extra }));
  const clientSecret = made.UserPoolClient!.ClientSecret;
  return { poolId: setup.poolId, clientId: made.UserPoolClient!.ClientId!, ...(clientSecret ? { clientSecret } : {}) };
}

function adminSignIn(setup: Setup, username: string, password: string, extra: Partial<AdminInitiateAuthCommandInput> = {}) {
  return h.sdk.send(
    new AdminInitiateAuthCommand({
      UserPoolId: setup.poolId,
      ClientId: setup.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
      ...extra,
    }),
  );
}

function adminRespond(setup: Setup, challengeName: string, session: string | undefined, responses: Record<string, string>, extra: Partial<AdminRespondToAuthChallengeCommandInput> = {}) {
  return h.sdk.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: setup.poolId,
      ClientId: setup.clientId,
      ChallengeName: challengeName as AdminRespondToAuthChallengeCommandInput['ChallengeName'],
      Session: session,
      ChallengeResponses: responses,
      ...extra,
    }),
  );
}

const usernameOf = async (accessToken: string) => (await h.sdk.send(new GetUserCommand({ AccessToken: accessToken }))).Username;

beforeAll(async () => {
  h = await startPool({ functions: METADATA_FUNCTIONS });
  admin = await createPoolAndClient(h.sdk, { UserPoolTier: 'ESSENTIALS' }, { ExplicitAuthFlows: ADMIN_FLOWS });
  hiding = await addClient(admin, { PreventUserExistenceErrors: 'ENABLED' });
  secret = await addClient(admin, { GenerateSecret: true });
  defaults = await addClient(admin, { ExplicitAuthFlows: undefined });
  choice = await addClient(admin, { ExplicitAuthFlows: ['ALLOW_USER_AUTH'] });
  await setPoolMfa(h.sdk, admin.poolId, 'OPTIONAL', ALL_FACTORS);
  await createUser(h.sdk, admin.poolId, 'alice', STRONG_PASSWORD);
  triggered = await createPoolAndClient(
    h.sdk,
    { LambdaConfig: { PreAuthentication: RECORD, PostAuthentication: RECORD } },
    { ExplicitAuthFlows: ADMIN_FLOWS },
  );
  await createUser(h.sdk, triggered.poolId, 'tara', 'Temp-pass1!', { temporary: true });
});
afterAll(async () => {
  await h.close();
  triggers.remove();
});

describe('ADMIN_USER_PASSWORD_AUTH', () => {
  it('signs the user in with tokens for that user', async () => {
    const result = await adminSignIn(admin, 'alice', STRONG_PASSWORD);
    expect(result.ChallengeName).toBeUndefined();
    expect(result.AuthenticationResult).toEqual(expect.objectContaining({ TokenType: 'Bearer', RefreshToken: expect.any(String) }));
    expect(await usernameOf(result.AuthenticationResult!.AccessToken!)).toBe('alice');
  });

  it('takes ADMIN_NO_SRP_AUTH, the legacy name, the same way', async () => {
    const result = await adminSignIn(admin, 'alice', STRONG_PASSWORD, { AuthFlow: 'ADMIN_NO_SRP_AUTH' });
    expect(result.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  it('needs ALLOW_ADMIN_USER_PASSWORD_AUTH on the client (not in the default flows)', async () => {
    expect(await failure(adminSignIn(defaults, 'alice', STRONG_PASSWORD))).toEqual({
      name: 'InvalidParameterException',
      message: 'Auth flow not enabled for this client',
    });
  });

  it('on a client of legacy flow names, needs ADMIN_NO_SRP_AUTH (USER_PASSWORD_AUTH is not it)', async () => {
    const legacyAdmin = await addClient(admin, { ExplicitAuthFlows: ['ADMIN_NO_SRP_AUTH'] });
    expect(await usernameOf((await adminSignIn(legacyAdmin, 'alice', STRONG_PASSWORD)).AuthenticationResult!.AccessToken!)).toBe('alice');
    const legacyPublic = await addClient(admin, { ExplicitAuthFlows: ['USER_PASSWORD_AUTH'] });
    expect(await failure(adminSignIn(legacyPublic, 'alice', STRONG_PASSWORD))).toEqual({
      name: 'InvalidParameterException',
      message: 'Auth flow not enabled for this client',
    });
  });

  it('is refused by InitiateAuth, and USER_PASSWORD_AUTH by AdminInitiateAuth', async () => {
    const notSupported = { name: 'InvalidParameterException', message: 'Initiate Auth method not supported.' };
    expect(await failure(h.sdk.send(new InitiateAuthCommand({
      ClientId: admin.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD: STRONG_PASSWORD },
    })))).toEqual(notSupported);
    expect(await failure(adminSignIn(admin, 'alice', STRONG_PASSWORD, { AuthFlow: 'USER_PASSWORD_AUTH' }))).toEqual(notSupported);
  });

  it('answers a wrong password, and counts it towards the lockout', async () => {
    await createUser(h.sdk, admin.poolId, 'lou', STRONG_PASSWORD);
    for (let i = 0; i < 6; i++) expect(await failure(adminSignIn(admin, 'lou', 'Wrong-pass1!'))).toEqual(INCORRECT);
    // The sixth failure locked the account: even the right password is refused now.
    expect(await failure(adminSignIn(admin, 'lou', STRONG_PASSWORD))).toEqual({ name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
  });

  it('tells of an unknown user as the client says: UserNotFound (LEGACY) or a wrong password (ENABLED)', async () => {
    expect(await failure(adminSignIn(admin, 'nobody', STRONG_PASSWORD))).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
    expect(await failure(adminSignIn(hiding, 'nobody', STRONG_PASSWORD))).toEqual(INCORRECT);
  });

  it('refuses a client of another pool, an unknown pool, and a missing USERNAME', async () => {
    expect(await failure(adminSignIn({ ...admin, clientId: triggered.clientId }, 'alice', STRONG_PASSWORD))).toEqual({
      name: 'ResourceNotFoundException',
      message: `User pool client ${triggered.clientId} does not exist.`,
    });
    expect(await failure(adminSignIn({ ...admin, poolId: 'us-east-1_Missing0' }, 'alice', STRONG_PASSWORD))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'User pool us-east-1_Missing0 does not exist.',
    });
    expect(await failure(adminSignIn(admin, 'alice', STRONG_PASSWORD, { AuthParameters: { PASSWORD: STRONG_PASSWORD } }))).toEqual({
      name: 'InvalidParameterException',
      message: 'Missing required parameter USERNAME',
    });
  });

  it('is an admin operation: refused to a browser page of another origin', async () => {
    const body = JSON.stringify({ UserPoolId: admin.poolId, ClientId: admin.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD: STRONG_PASSWORD } });
    for (const target of ['AdminInitiateAuth', 'AdminRespondToAuthChallenge']) {
      const response = await rawCall(h.pool.url, { target: `AWSCognitoIdentityProviderService.${target}`, body, headers: { Origin: 'https://evil.example' } });
      expect(response.status).toBe(403);
      expect((response.json as { __type: string }).__type).toBe('ForbiddenException');
    }
  });

  it('accepts ContextData of the admin shape and checks its required members', async () => {
    const ContextData = { IpAddress: '203.0.113.9', ServerName: 'app.example.com', ServerPath: '/login', HttpHeaders: [{ headerName: 'User-Agent', headerValue: 'test' }] };
    expect((await adminSignIn(admin, 'alice', STRONG_PASSWORD, { ContextData, AnalyticsMetadata: { AnalyticsEndpointId: 'e1' } })).AuthenticationResult).toBeDefined();
    const withoutPath = { ...ContextData, ServerPath: undefined } as unknown as typeof ContextData;
    expect(await failure(adminSignIn(admin, 'alice', STRONG_PASSWORD, { ContextData: withoutPath }))).toEqual({
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value at 'contextData.serverPath' failed to satisfy constraint: Member must not be null",
    });
  });
});

describe('challenges answered with AdminRespondToAuthChallenge', () => {
  it('NEW_PASSWORD_REQUIRED for an AdminCreateUser user, then tokens with the new password', async () => {
    await createUser(h.sdk, admin.poolId, 'newbie', 'Temp-pass1!', { temporary: true });
    const challenge = await adminSignIn(admin, 'newbie', 'Temp-pass1!');
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(challenge.ChallengeParameters?.['USER_ID_FOR_SRP']).toBe('newbie');
    const done = await adminRespond(admin, 'NEW_PASSWORD_REQUIRED', challenge.Session, { USERNAME: 'newbie', NEW_PASSWORD: STRONG_PASSWORD });
    expect(await usernameOf(done.AuthenticationResult!.AccessToken!)).toBe('newbie');
    // The Session was used up, and the new password is the one that works now.
    expect(await failure(adminRespond(admin, 'NEW_PASSWORD_REQUIRED', challenge.Session, { USERNAME: 'newbie', NEW_PASSWORD: STRONG_PASSWORD }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session can only be used once.',
    });
    expect((await adminSignIn(admin, 'newbie', STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('SMS_MFA with the code from the outbox; a wrong code is a CodeMismatch', async () => {
    await createUser(h.sdk, admin.poolId, 'sam', STRONG_PASSWORD, { attributes: { phone_number: '+15555550100' } });
    await h.sdk.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: admin.poolId, Username: 'sam', SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
    const challenge = await adminSignIn(admin, 'sam', STRONG_PASSWORD);
    expect(challenge.ChallengeName).toBe('SMS_MFA');
    const code = lastCode(h.pool, 'sam');
    expect(await failure(adminRespond(admin, 'SMS_MFA', challenge.Session, { USERNAME: 'sam', SMS_MFA_CODE: code === '000000' ? '111111' : '000000' }))).toEqual({
      name: 'CodeMismatchException',
      message: 'Invalid code or auth state for the user.',
    });
    const done = await adminRespond(admin, 'SMS_MFA', challenge.Session, { USERNAME: 'sam', SMS_MFA_CODE: code });
    expect(await usernameOf(done.AuthenticationResult!.AccessToken!)).toBe('sam');
  });

  it('SOFTWARE_TOKEN_MFA with the authenticator app code', async () => {
    await createUser(h.sdk, admin.poolId, 'tom', STRONG_PASSWORD);
    const first = await adminSignIn(admin, 'tom', STRONG_PASSWORD);
    const accessToken = first.AuthenticationResult!.AccessToken!;
    const { SecretCode } = await h.sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
    await h.sdk.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpAt(SecretCode!, h) }));
    await h.sdk.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: admin.poolId, Username: 'tom', SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    nextTotpStep(h);
    const challenge = await adminSignIn(admin, 'tom', STRONG_PASSWORD);
    expect(challenge.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const done = await adminRespond(admin, 'SOFTWARE_TOKEN_MFA', challenge.Session, { USERNAME: 'tom', SOFTWARE_TOKEN_MFA_CODE: totpAt(SecretCode!, h) });
    expect(await usernameOf(done.AuthenticationResult!.AccessToken!)).toBe('tom');
  });

  it('refuses a client of another pool, and a Session of another client of the pool', async () => {
    await createUser(h.sdk, admin.poolId, 'nina', 'Temp-pass1!', { temporary: true });
    const challenge = await adminSignIn(admin, 'nina', 'Temp-pass1!');
    const answer = { USERNAME: 'nina', NEW_PASSWORD: STRONG_PASSWORD };
    expect(await failure(adminRespond({ ...admin, clientId: triggered.clientId }, 'NEW_PASSWORD_REQUIRED', challenge.Session, answer))).toEqual({
      name: 'ResourceNotFoundException',
      message: `User pool client ${triggered.clientId} does not exist.`,
    });
    expect(await failure(adminRespond(hiding, 'NEW_PASSWORD_REQUIRED', challenge.Session, answer))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
    expect(await failure(adminRespond(admin, 'NEW_PASSWORD_REQUIRED', undefined, answer))).toEqual({
      name: 'InvalidParameterException',
      message: 'Missing required parameter Session',
    });
  });
});

describe('Sessions across the admin and public operations', () => {
  it('an AdminInitiateAuth Session is answered with RespondToAuthChallenge, and an InitiateAuth one with AdminRespondToAuthChallenge', async () => {
    await createUser(h.sdk, admin.poolId, 'ann', 'Temp-pass1!', { temporary: true });
    await createUser(h.sdk, admin.poolId, 'ben', 'Temp-pass1!', { temporary: true });
    const fromAdmin = await adminSignIn(admin, 'ann', 'Temp-pass1!');
    const viaPublic = await respond(h.sdk, admin, 'NEW_PASSWORD_REQUIRED', fromAdmin.Session, { USERNAME: 'ann', NEW_PASSWORD: STRONG_PASSWORD });
    expect(await usernameOf(viaPublic.AuthenticationResult!.AccessToken!)).toBe('ann');

    const fromPublic = await h.sdk.send(new InitiateAuthCommand({
      ClientId: admin.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ben', PASSWORD: 'Temp-pass1!' },
    }));
    const viaAdmin = await adminRespond(admin, 'NEW_PASSWORD_REQUIRED', fromPublic.Session, { USERNAME: 'ben', NEW_PASSWORD: STRONG_PASSWORD });
    expect(await usernameOf(viaAdmin.AuthenticationResult!.AccessToken!)).toBe('ben');
  });
});

describe('the other flows through AdminInitiateAuth', () => {
  it('REFRESH_TOKEN_AUTH gives new tokens for the refresh token', async () => {
    const signedIn = await adminSignIn(admin, 'alice', STRONG_PASSWORD);
    const refreshed = await h.sdk.send(new AdminInitiateAuthCommand({
      UserPoolId: admin.poolId, ClientId: admin.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: signedIn.AuthenticationResult!.RefreshToken! },
    }));
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
    expect(await usernameOf(refreshed.AuthenticationResult!.AccessToken!)).toBe('alice');
    expect(await failure(h.sdk.send(new AdminInitiateAuthCommand({
      UserPoolId: admin.poolId, ClientId: admin.clientId, AuthFlow: 'REFRESH_TOKEN', AuthParameters: { REFRESH_TOKEN: 'not-a-token' },
    })))).toEqual({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
  });

  it('USER_SRP_AUTH: PASSWORD_VERIFIER answered with AdminRespondToAuthChallenge; a wrong password fails', async () => {
    const srpSignIn = async (password: string) => {
      const srp = new CognitoSrpClient(admin.poolId, createOpenSslEngine());
      const ephemeral = srp.createEphemeral();
      const started = await h.sdk.send(new AdminInitiateAuthCommand({
        UserPoolId: admin.poolId, ClientId: admin.clientId, AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: 'alice', SRP_A: ephemeral.A.toString(16) },
      }));
      expect(started.ChallengeName).toBe('PASSWORD_VERIFIER');
      const parameters = started.ChallengeParameters!;
      const timestamp = cognitoTimestamp(new Date(h.clock.now()));
      return adminRespond(admin, 'PASSWORD_VERIFIER', started.Session, {
        USERNAME: parameters['USER_ID_FOR_SRP']!,
        PASSWORD_CLAIM_SECRET_BLOCK: parameters['SECRET_BLOCK']!,
        PASSWORD_CLAIM_SIGNATURE: await signClaim(srp, ephemeral, parameters, password, timestamp),
        TIMESTAMP: timestamp,
      });
    };
    expect(await usernameOf((await srpSignIn(STRONG_PASSWORD)).AuthenticationResult!.AccessToken!)).toBe('alice');
    expect(await failure(srpSignIn('Wrong-pass1!'))).toEqual(INCORRECT);
  });

  it('USER_AUTH: SELECT_CHALLENGE answered with PASSWORD through AdminRespondToAuthChallenge', async () => {
    const started = await h.sdk.send(new AdminInitiateAuthCommand({
      UserPoolId: choice.poolId, ClientId: choice.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'alice' },
    }));
    expect(started.ChallengeName).toBe('SELECT_CHALLENGE');
    expect(started.AvailableChallenges).toEqual(['PASSWORD_SRP', 'PASSWORD']);
    const done = await adminRespond(choice, 'SELECT_CHALLENGE', started.Session, { USERNAME: 'alice', ANSWER: 'PASSWORD', PASSWORD: STRONG_PASSWORD });
    expect(await usernameOf(done.AuthenticationResult!.AccessToken!)).toBe('alice');
  });

  it('CUSTOM_AUTH runs the custom flow (here: a pool without DefineAuthChallenge)', async () => {
    expect(await failure(h.sdk.send(new AdminInitiateAuthCommand({
      UserPoolId: defaults.poolId, ClientId: defaults.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'alice' },
    })))).toEqual({ name: 'NotAuthorizedException', message: 'Custom auth lambda trigger is not configured for the user pool.' });
  });

  it('a client with a secret needs SECRET_HASH (over USERNAME) on AdminInitiateAuth', async () => {
    expect(await failure(adminSignIn(secret, 'alice', STRONG_PASSWORD))).toEqual({
      name: 'NotAuthorizedException',
      message: `Client ${secret.clientId} is configured with secret but SECRET_HASH was not received`,
    });
    const wrongHash = { USERNAME: 'alice', PASSWORD: STRONG_PASSWORD, SECRET_HASH: secretHash(secret.clientSecret!, 'bob', secret.clientId) };
    expect(await failure(adminSignIn(secret, 'alice', STRONG_PASSWORD, { AuthParameters: wrongHash }))).toEqual({
      name: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${secret.clientId}`,
    });
    const hash = secretHash(secret.clientSecret!, 'alice', secret.clientId);
    const signedIn = await adminSignIn(secret, 'alice', STRONG_PASSWORD, { AuthParameters: { USERNAME: 'alice', PASSWORD: STRONG_PASSWORD, SECRET_HASH: hash } });
    expect(await usernameOf(signedIn.AuthenticationResult!.AccessToken!)).toBe('alice');
  });
});

describe('triggers', () => {
  it('PreAuthentication gets AdminInitiateAuth\'s ClientMetadata as validationData, PostAuthentication AdminRespondToAuthChallenge\'s', async () => {
    const challenge = await adminSignIn(triggered, 'tara', 'Temp-pass1!', { ClientMetadata: { caller: 'backend' } });
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const done = await adminRespond(triggered, 'NEW_PASSWORD_REQUIRED', challenge.Session, { USERNAME: 'tara', NEW_PASSWORD: STRONG_PASSWORD }, { ClientMetadata: { step: 'new-password' } });
    expect(done.AuthenticationResult).toBeDefined();
    expect(triggers.records().filter((r) => r.userName === 'tara')).toEqual([
      { triggerSource: 'PreAuthentication_Authentication', userName: 'tara', clientMetadata: null, validationData: { caller: 'backend' } },
      { triggerSource: 'PostAuthentication_Authentication', userName: 'tara', clientMetadata: { step: 'new-password' }, validationData: null },
    ]);
  });
});
