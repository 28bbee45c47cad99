// The CognitoPort contract, the same suite for both transports (the AWS SDK, and AWS JSON 1.1 over fetch) against the
// local pool over HTTP: each method's result shape and its typical errors, failures on the wire (the pool's injected
// faults, nobody listening, a cancelled call) classified alike, and odd but legal error answers read alike.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { isAuthError, type AuthErrorData } from '../../src/cognito/errors.js';
import type { CognitoPort, CognitoTokens } from '../../src/cognito/port.js';
// The factories as 'authchart' exports them: their code loads with the Cognito chunk on the first call.
import { createFetchPort, createSdkPort } from '../../src/index.js';
import { CognitoSrpClient } from '../../src/cognito/srp.js';
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';
import type { FaultKind } from '../../src/local-pool/index.js';
import { authenticatorCode } from '../support/authenticator.js';
import { SoftAuthenticator, type CreationOptions } from '../support/soft-authenticator.js';
import { startTestPool, type TestPool } from '../support/local-pool.js';

const PASSWORD = 'Passw0rd!strong';
const NEW_PASSWORD = 'N3w-Passw0rd!strong';
const TRANSPORTS = ['sdk', 'fetch'] as const;
type Transport = (typeof TRANSPORTS)[number];
type Connection = { userPoolId: string; clientId: string; clientSecret?: string; endpoint: string; requestTimeoutMs?: number };

const portFor = (transport: Transport, connection: Connection): CognitoPort =>
  transport === 'sdk' ? createSdkPort(connection) : createFetchPort(connection);
const live = () => new AbortController().signal;

/** The AuthError a call fails with, as data (a success fails the test). */
async function failure(call: Promise<unknown>): Promise<AuthErrorData> {
  let result: unknown;
  try {
    result = await call;
  } catch (error) {
    if (!isAuthError(error)) throw error;
    return error.toJSON();
  }
  throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
}

let env: TestPool;
let clientId: string;
let secretClient: { clientId: string; clientSecret?: string };
let srpOnlyClientId: string;

beforeAll(async () => {
  env = await startTestPool({ poolProperties: { AutoVerifiedAttributes: ['email'] } });
  await env.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: env.userPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  ({ clientId } = await env.createClient());
  secretClient = await env.createClient({ ClientName: 'server', GenerateSecret: true });
  ({ clientId: srpOnlyClientId } = await env.createClient({ ClientName: 'srp-only', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
});
afterAll(() => env.close());
afterEach(() => env.pool.clearFaults());

let passkeyPool: Promise<{ userPoolId: string; clientId: string }> | undefined;
/** A third pool: passkeys on (WEB_AUTHN a first factor, relying party localhost), for the WebAuthn operations. */
function passkeysPool() {
  return (passkeyPool ??= (async () => {
    const userPoolId = (
      await env.admin.send(new CreateUserPoolCommand({ PoolName: 'passkeys', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } }))
    ).UserPool!.Id!;
    await env.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: 'OFF', WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'preferred' } }));
    const created = await env.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    return { userPoolId, clientId: created.UserPoolClient!.ClientId! };
  })());
}

let mfaPool: Promise<{ userPoolId: string; clientId: string; createUser(username: string): Promise<void> }> | undefined;
/** A second pool on the same server that requires MFA with TOTP only: a new user must set it up while signing in. */
function requiredMfaPool() {
  return (mfaPool ??= (async () => {
    const userPoolId = (await env.admin.send(new CreateUserPoolCommand({ PoolName: 'mfa-required' }))).UserPool!.Id!;
    await env.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const created = await env.admin.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
    const createUser = async (username: string) => {
      await env.admin.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username, TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
      await env.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
    };
    return { userPoolId, clientId: created.UserPoolClient!.ClientId!, createUser };
  })());
}

describe.each(TRANSPORTS)('the %s transport', (transport) => {
  let port: CognitoPort;
  /** A user of this transport's own (the suites share one pool). */
  const name = (base: string) => `${transport}-${base}`;
  beforeAll(() => {
    port = portFor(transport, { userPoolId: env.userPoolId, clientId, endpoint: env.pool.url });
  });

  async function signedIn(username: string, password = PASSWORD): Promise<CognitoTokens> {
    const answer = await port.initiateAuth({ authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: username, PASSWORD: password } }, live());
    if (!answer.tokens) throw new Error(`no tokens: ${JSON.stringify(answer)}`);
    return answer.tokens;
  }
  async function newUser(base: string, attributes: Record<string, string> = {}): Promise<string> {
    const username = name(base);
    await env.createUser(username, PASSWORD, { attributes: { email: `${username}@example.com`, email_verified: 'true', ...attributes } });
    return username;
  }
  const latestCode = (username: string) => env.pool.outbox({ userPoolId: env.userPoolId, username }).at(-1)?.code ?? '';

  describe('sign-in', () => {
    it('initiateAuth USER_PASSWORD_AUTH: tokens; a wrong password, an unknown user, a flow the client lacks are typed', async () => {
      const username = await newUser('password');
      const answer = await port.initiateAuth({ authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: username, PASSWORD: PASSWORD } }, live());
      expect(answer).toEqual({
        challengeParameters: {},
        tokens: { accessToken: expect.stringMatching(/^ey/), idToken: expect.stringMatching(/^ey/), refreshToken: expect.any(String), expiresIn: 3600, tokenType: 'Bearer' },
      });
      expect(await failure(port.initiateAuth({ authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: username, PASSWORD: 'Wr0ng!password' } }, live()))).toEqual({
        code: 'IncorrectUsernameOrPassword',
        category: 'credentials',
        retryable: false,
        field: 'credentials',
        cognitoName: 'NotAuthorizedException',
        cognitoMessage: 'Incorrect username or password.',
      });
      expect(await failure(port.initiateAuth({ authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: name('nobody'), PASSWORD } }, live()))).toMatchObject({
        code: 'UserNotFound',
        cognitoName: 'UserNotFoundException',
      });
      const srpOnly = portFor(transport, { userPoolId: env.userPoolId, clientId: srpOnlyClientId, endpoint: env.pool.url });
      expect(await failure(srpOnly.initiateAuth({ authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: username, PASSWORD } }, live()))).toMatchObject({
        code: 'AuthFlowNotEnabled',
        category: 'configuration',
        cognitoName: 'InvalidParameterException',
      });
    });

    it('USER_SRP_AUTH: PASSWORD_VERIFIER with its parameters, then respondToAuthChallenge with the proof: tokens', async () => {
      const username = await newUser('srp');
      const srp = new CognitoSrpClient(env.userPoolId, createOpenSslEngine());
      const ephemeral = srp.createEphemeral();
      const challenge = await port.initiateAuth({ authFlow: 'USER_SRP_AUTH', parameters: { USERNAME: username, SRP_A: ephemeral.A.toString(16) } }, live());
      expect(challenge).toEqual({
        challengeName: 'PASSWORD_VERIFIER',
        session: expect.any(String),
        challengeParameters: { USERNAME: username, USER_ID_FOR_SRP: username, SALT: expect.stringMatching(/^[0-9a-f]+$/), SRP_B: expect.stringMatching(/^[0-9a-f]+$/), SECRET_BLOCK: expect.any(String) },
      });
      const p = challenge.challengeParameters;
      const claim = await srp.passwordClaim(ephemeral, { userIdForSrp: p['USER_ID_FOR_SRP']!, srpB: p['SRP_B']!, salt: p['SALT']!, secretBlock: p['SECRET_BLOCK']! }, PASSWORD, new Date(env.clock.now()));
      const done = await port.respondToAuthChallenge(
        {
          challengeName: 'PASSWORD_VERIFIER',
          session: challenge.session ?? '',
          responses: { USERNAME: username, PASSWORD_CLAIM_SECRET_BLOCK: p['SECRET_BLOCK']!, PASSWORD_CLAIM_SIGNATURE: claim.signature, TIMESTAMP: claim.timestamp },
        },
        live(),
      );
      expect(done.tokens?.accessToken).toMatch(/^ey/);
      expect(done.challengeName).toBeUndefined();
    });

    it('respondToAuthChallenge NEW_PASSWORD_REQUIRED: a weak password is refused, a good one signs in, the spent Session is refused', async () => {
      const username = name('temporary');
      await env.createUser(username, 'Temp0rary!pw', { temporary: true });
      const challenge = await port.initiateAuth({ authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: username, PASSWORD: 'Temp0rary!pw' } }, live());
      expect(challenge).toMatchObject({ challengeName: 'NEW_PASSWORD_REQUIRED', session: expect.any(String), challengeParameters: { USER_ID_FOR_SRP: username } });
      const answer = (newPassword: string) =>
        port.respondToAuthChallenge({ challengeName: 'NEW_PASSWORD_REQUIRED', session: challenge.session!, responses: { USERNAME: username, NEW_PASSWORD: newPassword } }, live());
      expect(await failure(answer('short'))).toMatchObject({ code: 'InvalidPassword', field: 'password', cognitoName: 'InvalidPasswordException' });
      expect((await answer(NEW_PASSWORD)).tokens?.idToken).toMatch(/^ey/);
      expect(await failure(answer(NEW_PASSWORD))).toMatchObject({ code: 'SessionExpired', category: 'session', cognitoName: 'NotAuthorizedException' });
    });

    it('a confidential client: SECRET_HASH in InitiateAuth, the secret with GetTokensFromRefreshToken; a wrong secret is typed', async () => {
      const username = await newUser('confidential');
      const confidential = portFor(transport, { userPoolId: env.userPoolId, ...secretClient, endpoint: env.pool.url });
      const answer = await confidential.initiateAuth({ authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: username, PASSWORD } }, live());
      expect(answer.tokens?.refreshToken).toEqual(expect.any(String));
      expect((await confidential.getTokensFromRefreshToken({ refreshToken: answer.tokens!.refreshToken! }, live())).accessToken).toMatch(/^ey/);
      const wrong = portFor(transport, { userPoolId: env.userPoolId, clientId: secretClient.clientId, clientSecret: 'not-the-secret', endpoint: env.pool.url });
      expect(await failure(wrong.initiateAuth({ authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: username, PASSWORD } }, live()))).toMatchObject({
        code: 'SecretHashMismatch',
        cognitoName: 'NotAuthorizedException',
      });
    });
  });

  describe('tokens and sign-out', () => {
    it('getTokensFromRefreshToken: new tokens; a made-up token is InvalidToken', async () => {
      const tokens = await signedIn(await newUser('refresh'));
      const refreshed = await port.getTokensFromRefreshToken({ refreshToken: tokens.refreshToken! }, live());
      expect(refreshed).toMatchObject({ accessToken: expect.stringMatching(/^ey/), idToken: expect.stringMatching(/^ey/), expiresIn: 3600, tokenType: 'Bearer' });
      expect(await failure(port.getTokensFromRefreshToken({ refreshToken: 'not-a-refresh-token' }, live()))).toMatchObject({ code: 'InvalidToken', category: 'token' });
    });

    it('getUser: the user name, attributes and MFA settings; a made-up access token is InvalidToken', async () => {
      const username = await newUser('getuser', { name: 'Ann' });
      const user = await port.getUser({ accessToken: (await signedIn(username)).accessToken }, live());
      expect(user).toEqual({
        username,
        attributes: expect.objectContaining({ sub: expect.any(String), email: `${username}@example.com`, email_verified: 'true', name: 'Ann' }),
        mfaSettings: [],
      });
      expect(await failure(port.getUser({ accessToken: 'not-a-token' }, live()))).toMatchObject({ code: 'InvalidToken', cognitoName: 'NotAuthorizedException' });
    });

    it('revokeToken: the refresh token no longer works (TokenRevoked)', async () => {
      const tokens = await signedIn(await newUser('revoke'));
      await expect(port.revokeToken({ refreshToken: tokens.refreshToken! }, live())).resolves.toBeUndefined();
      expect(await failure(port.getTokensFromRefreshToken({ refreshToken: tokens.refreshToken! }, live()))).toMatchObject({ code: 'TokenRevoked', category: 'token' });
    });

    it('globalSignOut: the access token no longer works (TokenRevoked)', async () => {
      const tokens = await signedIn(await newUser('global'));
      await expect(port.globalSignOut({ accessToken: tokens.accessToken }, live())).resolves.toBeUndefined();
      expect(await failure(port.getUser({ accessToken: tokens.accessToken }, live()))).toMatchObject({ code: 'TokenRevoked' });
      expect(await failure(port.globalSignOut({ accessToken: tokens.accessToken }, live()))).toMatchObject({ code: 'TokenRevoked' });
    });
  });

  describe('TOTP', () => {
    it('associate, a wrong code (CodeMismatch), the right code, then the preference; TOTP preferred before it is verified is refused', async () => {
      const username = await newUser('totp');
      const { accessToken } = await signedIn(username);
      expect(await failure(port.setUserMfaPreference({ accessToken, totp: { enabled: true, preferred: true } }, live()))).toMatchObject({ code: 'MfaMethodNotFound', field: 'preference', cognitoName: 'InvalidParameterException' });
      const associated = await port.associateSoftwareToken({ accessToken }, live());
      expect(associated).toEqual({ secretCode: expect.stringMatching(/^[A-Z2-7]{16,}$/) });
      const right = authenticatorCode(associated.secretCode, env.clock.now());
      const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
      expect(await failure(port.verifySoftwareToken({ accessToken, userCode: wrong }, live()))).toMatchObject({ code: 'CodeMismatch', field: 'code', cognitoName: 'EnableSoftwareTokenMFAException' });
      expect(await port.verifySoftwareToken({ accessToken, userCode: right, friendlyDeviceName: 'phone' }, live())).toEqual({ status: 'SUCCESS' });
      await expect(port.setUserMfaPreference({ accessToken, totp: { enabled: true, preferred: true } }, live())).resolves.toBeUndefined();
      expect(await port.getUser({ accessToken }, live())).toMatchObject({ mfaSettings: ['SOFTWARE_TOKEN_MFA'], preferredMfa: 'SOFTWARE_TOKEN_MFA' });
    });

    it('during sign-in (MFA_SETUP), with the challenge Session: associate and verify each answer the next Session; a made-up Session is typed', async () => {
      const username = name('totp-setup');
      const required = await requiredMfaPool();
      await required.createUser(username);
      const mfaPort = portFor(transport, { userPoolId: required.userPoolId, clientId: required.clientId, endpoint: env.pool.url });
      const challenge = await mfaPort.initiateAuth({ authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: username, PASSWORD } }, live());
      expect(challenge).toMatchObject({ challengeName: 'MFA_SETUP', session: expect.any(String) });
      const associated = await mfaPort.associateSoftwareToken({ session: challenge.session! }, live());
      expect(associated).toEqual({ secretCode: expect.stringMatching(/^[A-Z2-7]{16,}$/), session: expect.any(String) });
      const verified = await mfaPort.verifySoftwareToken({ session: associated.session!, userCode: authenticatorCode(associated.secretCode, env.clock.now()) }, live());
      expect(verified).toEqual({ status: 'SUCCESS', session: expect.any(String) });
      const done = await mfaPort.respondToAuthChallenge({ challengeName: 'MFA_SETUP', session: verified.session!, responses: { USERNAME: username } }, live());
      expect(done.tokens?.accessToken).toMatch(/^ey/);
      expect(await failure(mfaPort.associateSoftwareToken({ session: 'S'.repeat(64) }, live()))).toMatchObject({ code: 'SessionExpired', category: 'session' });
    });
  });

  describe('accounts', () => {
    it('signUp: unconfirmed, its sub, where the code went; the same name again is UsernameExists, a weak password InvalidPassword', async () => {
      const username = name('signup');
      const answer = await port.signUp({ username, password: PASSWORD, attributes: { email: `${username}@example.com` } }, live());
      expect(answer).toEqual({
        userConfirmed: false,
        userSub: expect.stringMatching(/^[0-9a-f-]{36}$/),
        codeDelivery: { deliveryMedium: 'EMAIL', destination: expect.stringMatching(/\*/), attributeName: 'email' },
      });
      expect(await failure(port.signUp({ username, password: PASSWORD, attributes: { email: `${username}@example.com` } }, live()))).toMatchObject({ code: 'UsernameExists', field: 'username' });
      expect(await failure(port.signUp({ username: name('weak'), password: 'short', attributes: { email: 'weak@example.com' } }, live()))).toMatchObject({ code: 'InvalidPassword' });
    });

    it('confirmSignUp: a wrong code is CodeMismatch, the right one confirms; resendConfirmationCode says where; an unknown user is UserNotFound', async () => {
      const username = name('confirm');
      await port.signUp({ username, password: PASSWORD, attributes: { email: `${username}@example.com` } }, live());
      expect(await port.resendConfirmationCode({ username }, live())).toEqual({ codeDelivery: { deliveryMedium: 'EMAIL', destination: expect.any(String), attributeName: 'email' } });
      const code = latestCode(username);
      expect(code).toMatch(/^\d{6}$/);
      const wrong = code === '000000' ? '111111' : '000000';
      expect(await failure(port.confirmSignUp({ username, code: wrong }, live()))).toMatchObject({ code: 'CodeMismatch', cognitoName: 'CodeMismatchException' });
      const confirmed = await port.confirmSignUp({ username, code }, live());
      expect(confirmed).toEqual(confirmed.session === undefined ? {} : { session: expect.any(String) });
      expect((await signedIn(username)).accessToken).toMatch(/^ey/);
      expect(await failure(port.resendConfirmationCode({ username: name('nobody') }, live()))).toMatchObject({ code: 'UserNotFound' });
    });

    it('forgotPassword then confirmForgotPassword: a wrong code is CodeMismatch, the right one sets the password', async () => {
      const username = await newUser('forgot');
      expect(await port.forgotPassword({ username }, live())).toEqual({ codeDelivery: { deliveryMedium: 'EMAIL', destination: expect.any(String), attributeName: 'email' } });
      const code = latestCode(username);
      const wrong = code === '000000' ? '111111' : '000000';
      expect(await failure(port.confirmForgotPassword({ username, code: wrong, password: NEW_PASSWORD }, live()))).toMatchObject({ code: 'CodeMismatch' });
      await expect(port.confirmForgotPassword({ username, code, password: NEW_PASSWORD }, live())).resolves.toBeUndefined();
      expect((await signedIn(username, NEW_PASSWORD)).accessToken).toMatch(/^ey/);
      expect(await failure(port.forgotPassword({ username: name('nobody') }, live()))).toMatchObject({ code: 'UserNotFound' });
    });

    it('changePassword: a wrong previous password is IncorrectUsernameOrPassword; the right one changes it', async () => {
      const username = await newUser('change');
      const { accessToken } = await signedIn(username);
      expect(await failure(port.changePassword({ accessToken, previousPassword: 'Wr0ng!password', proposedPassword: NEW_PASSWORD }, live()))).toMatchObject({
        code: 'IncorrectUsernameOrPassword',
      });
      await expect(port.changePassword({ accessToken, previousPassword: PASSWORD, proposedPassword: NEW_PASSWORD }, live())).resolves.toBeUndefined();
      expect((await signedIn(username, NEW_PASSWORD)).idToken).toMatch(/^ey/);
    });

    it('updateUserAttributes sends a code for a new e-mail; getUserAttributeVerificationCode sends another; verifyUserAttribute checks it', async () => {
      const username = await newUser('attributes');
      const { accessToken } = await signedIn(username);
      const updated = await port.updateUserAttributes({ accessToken, attributes: { email: `${username}.new@example.com`, name: 'Bea' } }, live());
      expect(updated).toEqual({ codeDeliveries: [{ deliveryMedium: 'EMAIL', destination: expect.any(String), attributeName: 'email' }] });
      expect(await port.getUserAttributeVerificationCode({ accessToken, attributeName: 'email' }, live())).toEqual({ codeDelivery: { deliveryMedium: 'EMAIL', destination: expect.any(String), attributeName: 'email' } });
      const code = latestCode(username);
      const wrong = code === '000000' ? '111111' : '000000';
      expect(await failure(port.verifyUserAttribute({ accessToken, attributeName: 'email', code: wrong }, live()))).toMatchObject({ code: 'CodeMismatch' });
      await expect(port.verifyUserAttribute({ accessToken, attributeName: 'email', code }, live())).resolves.toBeUndefined();
      expect((await port.getUser({ accessToken }, live())).attributes).toMatchObject({ email: `${username}.new@example.com`, email_verified: 'true', name: 'Bea' });
    });

    it('deleteUserAttributes: the attribute and an e-mail\'s verified flag are gone; an unknown attribute is InvalidParameter', async () => {
      const username = await newUser('unattribute');
      const { accessToken } = await signedIn(username);
      await port.updateUserAttributes({ accessToken, attributes: { nickname: 'bee' } }, live());
      const before = (await port.getUser({ accessToken }, live())).attributes;
      expect(before).toMatchObject({ nickname: 'bee', email: expect.any(String), email_verified: expect.any(String) });
      await expect(port.deleteUserAttributes({ accessToken, attributeNames: ['nickname', 'email'] }, live())).resolves.toBeUndefined();
      const left = (await port.getUser({ accessToken }, live())).attributes;
      expect(Object.keys(left).sort()).toEqual(Object.keys(before).filter((name) => !['nickname', 'email', 'email_verified'].includes(name)).sort());
      expect(left['sub']).toBe(before['sub']);
      expect(await failure(port.deleteUserAttributes({ accessToken, attributeNames: ['custom:shoe_size'] }, live()))).toMatchObject({ code: 'InvalidParameter', field: 'attributes' });
    });

    it('deleteUser: gone; its token then fails and the name signs in no more', async () => {
      const username = await newUser('delete');
      const { accessToken } = await signedIn(username);
      await expect(port.deleteUser({ accessToken }, live())).resolves.toBeUndefined();
      expect((await failure(port.getUser({ accessToken }, live()))).category).toMatch(/token|credentials/);
      expect(await failure(signedIn(username))).toMatchObject({ code: 'UserNotFound' });
    });
  });

  describe('passkeys and the user’s factors', () => {
    let passkeys: CognitoPort;
    let userPoolId: string;
    const ORIGIN = 'http://localhost:5173';
    beforeAll(async () => {
      const pool = await passkeysPool();
      userPoolId = pool.userPoolId;
      passkeys = portFor(transport, { ...pool, endpoint: env.pool.url });
    });
    async function passkeyUser(base: string): Promise<string> {
      const username = name(base);
      await env.admin.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username, TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
      await env.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
      const answer = await passkeys.initiateAuth({ authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: username, PASSWORD } }, live());
      return answer.tokens!.accessToken;
    }
    async function register(accessToken: string, authenticator: SoftAuthenticator) {
      const { credentialCreationOptions } = await passkeys.startWebAuthnRegistration({ accessToken }, live());
      const credential = authenticator.create(credentialCreationOptions as unknown as CreationOptions);
      await passkeys.completeWebAuthnRegistration({ accessToken, credential }, live());
      return credential;
    }

    it('startWebAuthnRegistration: creation options as a JSON object, for the pool’s relying party and this user', async () => {
      const accessToken = await passkeyUser('start');
      const { credentialCreationOptions } = await passkeys.startWebAuthnRegistration({ accessToken }, live());
      expect(credentialCreationOptions).toMatchObject({
        challenge: expect.stringMatching(/^[\w-]+$/),
        rp: { id: 'localhost' },
        user: { id: expect.any(String), name: name('start') },
        pubKeyCredParams: expect.arrayContaining([{ alg: -7, type: 'public-key' }]),
      });
    });

    it('completeWebAuthnRegistration stores it; the same answer again is PasskeyRejected (the challenge is spent), a malformed one InvalidParameter', async () => {
      const accessToken = await passkeyUser('complete');
      const credential = await register(accessToken, new SoftAuthenticator({ origin: ORIGIN }));
      expect(await failure(passkeys.completeWebAuthnRegistration({ accessToken, credential }, live()))).toMatchObject({
        code: 'PasskeyRejected',
        cognitoName: 'WebAuthnChallengeNotFoundException',
      });
      await passkeys.startWebAuthnRegistration({ accessToken }, live());
      expect(await failure(passkeys.completeWebAuthnRegistration({ accessToken, credential: { id: 'x' } }, live()))).toMatchObject({ code: 'InvalidParameter' });
    });

    it('listWebAuthnCredentials: each passkey described, createdAt a Date; pages with maxResults and nextToken', async () => {
      const accessToken = await passkeyUser('list');
      expect(await passkeys.listWebAuthnCredentials({ accessToken }, live())).toEqual({ credentials: [] });
      const first = await register(accessToken, new SoftAuthenticator({ origin: ORIGIN, attachment: 'platform', transports: ['internal', 'hybrid'] }));
      const second = await register(accessToken, new SoftAuthenticator({ origin: ORIGIN, attachment: 'cross-platform', transports: ['usb'] }));
      const page1 = await passkeys.listWebAuthnCredentials({ accessToken, maxResults: 1 }, live());
      expect(page1).toEqual({ credentials: [expect.any(Object)], nextToken: expect.any(String) });
      const page2 = await passkeys.listWebAuthnCredentials({ accessToken, maxResults: 1, nextToken: page1.nextToken! }, live());
      const listed = [...page1.credentials, ...page2.credentials].sort((a, b) => (a.authenticatorAttachment ?? '').localeCompare(b.authenticatorAttachment ?? ''));
      expect(listed).toEqual([
        { credentialId: second['id'], friendlyName: expect.any(String), relyingPartyId: 'localhost', authenticatorAttachment: 'cross-platform', transports: ['usb'], createdAt: expect.any(Date) },
        { credentialId: first['id'], friendlyName: expect.any(String), relyingPartyId: 'localhost', authenticatorAttachment: 'platform', transports: ['internal', 'hybrid'], createdAt: expect.any(Date) },
      ]);
      for (const { createdAt } of listed) expect(Math.abs(createdAt.getTime() - env.clock.now())).toBeLessThan(5_000);
      expect(page2.nextToken).toBeUndefined();
    });

    it('deleteWebAuthnCredential: gone from the list; an unknown id is ResourceNotFound', async () => {
      const accessToken = await passkeyUser('delete');
      const credential = await register(accessToken, new SoftAuthenticator({ origin: ORIGIN }));
      await expect(passkeys.deleteWebAuthnCredential({ accessToken, credentialId: credential['id'] as string }, live())).resolves.toBeUndefined();
      expect((await passkeys.listWebAuthnCredentials({ accessToken }, live())).credentials).toEqual([]);
      expect(await failure(passkeys.deleteWebAuthnCredential({ accessToken, credentialId: credential['id'] as string }, live()))).toMatchObject({ code: 'ResourceNotFound' });
    });

    it('getUserAuthFactors: the user name, MFA settings and configured factors, WEB_AUTHN once a passkey is registered', async () => {
      const accessToken = await passkeyUser('factors');
      expect(await passkeys.getUserAuthFactors({ accessToken }, live())).toEqual({ username: name('factors'), mfaSettings: [], configuredFactors: ['PASSWORD'] });
      await register(accessToken, new SoftAuthenticator({ origin: ORIGIN }));
      expect((await passkeys.getUserAuthFactors({ accessToken }, live())).configuredFactors).toEqual(expect.arrayContaining(['PASSWORD', 'WEB_AUTHN']));
      expect(await failure(passkeys.getUserAuthFactors({ accessToken: 'not-a-token' }, live()))).toMatchObject({ code: 'InvalidToken' });
    });

    it('a pool without passkeys: startWebAuthnRegistration is PasskeysNotEnabled', async () => {
      const { accessToken } = await signedIn(await newUser('no-passkeys'));
      expect(await failure(port.startWebAuthnRegistration({ accessToken }, live()))).toMatchObject({ code: 'PasskeysNotEnabled', cognitoName: 'WebAuthnNotEnabledException' });
    });
  });

  describe('faults on the wire', () => {
    const inject = (operation: string, fault: FaultKind) => env.pool.injectFault({ operation, fault, ...(fault === 'delay' ? { delayMs: 1500 } : {}) });
    const quick = () => portFor(transport, { userPoolId: env.userPoolId, clientId, endpoint: env.pool.url, requestTimeoutMs: 500 });

    // fault -> the error of a call that can be repeated / of one that spends a Session or code once sent
    const FAULTS: ReadonlyArray<[FaultKind, string, string]> = [
      ['drop', 'Network', 'OutcomeUnknown'],
      ['reset', 'Network', 'OutcomeUnknown'],
      ['500', 'ServiceUnavailable', 'ServiceUnavailable'],
      ['503', 'TooManyRequests', 'TooManyRequests'],
      ['html502', 'ServiceUnavailable', 'ServiceUnavailable'],
      ['delay', 'Network', 'OutcomeUnknown'],
    ];

    it.each(FAULTS)('%s: %s for InitiateAuth (repeatable), %s for ConfirmForgotPassword (spends a code)', async (fault, repeatable, once) => {
      const username = await newUser(`fault-${fault}`);
      const port = quick();
      inject('InitiateAuth', fault);
      const first = await failure(port.initiateAuth({ authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: username, PASSWORD } }, live()));
      expect(first).toMatchObject({ code: repeatable, retryable: true });
      // a call that would succeed: a reset answers only after the operation ran
      await port.forgotPassword({ username }, live());
      inject('ConfirmForgotPassword', fault);
      const second = await failure(port.confirmForgotPassword({ username, code: latestCode(username), password: NEW_PASSWORD }, live()));
      expect(second).toMatchObject({ code: once, retryable: once !== 'OutcomeUnknown' });
      if (fault === 'delay') await new Promise((r) => setTimeout(r, 1200)); // the late answers land before the next test
    });

    it('nobody listening: Network, retryable, even for a call that spends a code (the request never left)', async () => {
      const closed = await closedPort();
      const port = portFor(transport, { userPoolId: env.userPoolId, clientId, endpoint: `http://127.0.0.1:${closed}` });
      expect(await failure(port.initiateAuth({ authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: 'a', PASSWORD } }, live()))).toMatchObject({ code: 'Network', retryable: true });
      expect(await failure(port.confirmSignUp({ username: 'a', code: '123456' }, live()))).toMatchObject({ code: 'Network', retryable: true });
    });

    it('the caller cancels (the chart left the state): Aborted, at once, also for a call that spends a code', async () => {
      const port = quick();
      inject('RespondToAuthChallenge', 'delay');
      const controller = new AbortController();
      const pending = failure(port.respondToAuthChallenge({ challengeName: 'SMS_MFA', session: 'S'.repeat(64), responses: { USERNAME: 'a', SMS_MFA_CODE: '123456' } }, controller.signal));
      setTimeout(() => controller.abort(), 100);
      expect(await pending).toMatchObject({ code: 'Aborted', category: 'aborted' });
      const already = new AbortController();
      already.abort();
      expect(await failure(port.getUser({ accessToken: 'x' }, already.signal))).toMatchObject({ code: 'Aborted' });
      await new Promise((r) => setTimeout(r, 1500));
    });
  });

  describe('odd but legal answers from a stand-in server, read as the SDK reads them', () => {
    let server: Server;
    let answer: (res: ServerResponse, req: IncomingMessage) => void;
    let standIn: CognitoPort;
    beforeAll(async () => {
      server = createServer((req, res) => {
        req.resume();
        req.on('end', () => answer(res, req));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      standIn = portFor(transport, { userPoolId: 'us-east-1_standin', clientId: 'standin', endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
    afterAll(() => new Promise((r) => server.close(r)));
    const json = (status: number, body: string, headers: Record<string, string> = {}) => (res: ServerResponse) => {
      res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', ...headers });
      res.end(body);
    };

    const CASES: ReadonlyArray<[string, (res: ServerResponse) => void, Partial<AuthErrorData>]> = [
      ['a namespaced __type and a capitalised Message', json(400, '{"__type":"com.amazonaws.cognito.identity.idp#UserNotFoundException","Message":"User does not exist."}'), { code: 'UserNotFound', cognitoName: 'UserNotFoundException', cognitoMessage: 'User does not exist.' }],
      ['the name only in x-amzn-ErrorType (with its colon suffix)', json(400, '{"message":"Invalid session for the user."}', { 'x-amzn-ErrorType': 'NotAuthorizedException:http://internal.amazon.com/coral/' }), { code: 'SessionExpired', cognitoName: 'NotAuthorizedException' }],
      ['`code` instead of __type', json(400, '{"code":"ExpiredCodeException","message":"Invalid code provided, please request a code again."}'), { code: 'ExpiredCode' }],
      ['an exception this client does not know', json(400, '{"__type":"BrandNewException","message":"new"}'), { code: 'Unknown', category: 'protocol', cognitoName: 'BrandNewException' }],
      ['an HTML 403 from a firewall', (res) => (res.writeHead(403, { 'Content-Type': 'text/html' }), res.end('<html>Forbidden</html>')), { code: 'Unknown', category: 'protocol' }],
      ['an HTML 200 from a captive portal', (res) => (res.writeHead(200, { 'Content-Type': 'text/html' }), res.end('<html>Log in to the Wi-Fi</html>')), { code: 'Unknown', category: 'protocol' }],
      ['an empty 500', (res) => (res.writeHead(500), res.end()), { code: 'ServiceUnavailable', retryable: true }],
      ['a 504 with a JSON body that names nothing', json(504, '{"message":"gateway timeout"}'), { code: 'ServiceUnavailable', retryable: true }],
    ];
    it.each(CASES)('%s', async (_, respond, expected) => {
      answer = respond;
      expect(await failure(standIn.getUser({ accessToken: 'x' }, live()))).toMatchObject(expected);
    });

    it('sends AWS JSON 1.1: POST /, the content type, the target, unsigned, the wire JSON', async () => {
      let seen: { method: string | undefined; url: string | undefined; headers: IncomingMessage['headers']; body: string } | undefined;
      const previous = server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
      server.removeAllListeners('request');
      server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          seen = { method: req.method, url: req.url, headers: req.headers, body };
          json(200, '{"Username":"ann","UserAttributes":[{"Name":"sub","Value":"s-1"}],"UserMFASettingList":["SMS_MFA"],"PreferredMfaSetting":"SMS_MFA"}')(res);
        });
      });
      try {
        expect(await standIn.getUser({ accessToken: 'the-token' }, live())).toEqual({ username: 'ann', attributes: { sub: 's-1' }, mfaSettings: ['SMS_MFA'], preferredMfa: 'SMS_MFA' });
      } finally {
        server.removeAllListeners('request');
        server.on('request', previous);
      }
      expect(seen).toMatchObject({ method: 'POST', url: '/', body: '{"AccessToken":"the-token"}' });
      expect(seen!.headers).toMatchObject({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser' });
      expect(seen!.headers.authorization).toBeUndefined();
    });
  });
});

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}
