// Passkeys against the local pool, over HTTP with the SDK and a software authenticator
// (test/support/soft-authenticator.ts): registration (StartWebAuthnRegistration ->
// CompleteWebAuthnRegistration), sign-in (USER_AUTH WEB_AUTHN), origins, replayed challenges, the
// sign counter, listing with pages, deletion, and the configuration errors.
import {
  CompleteWebAuthnRegistrationCommand,
  CreateUserPoolClientCommand,
  DeleteWebAuthnCredentialCommand,
  GetUserAuthFactorsCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
  type CognitoIdentityProviderClient,
  type RespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { SoftAuthenticator, type CreationOptions, type RequestOptions } from '../support/soft-authenticator.js';
import { STRONG_PASSWORD, createPoolAndClient, createUser, failure, passwordSignIn, respond, startPool, type PoolHarness, type Setup } from './support.js';

const ORIGIN = 'http://localhost:5173';
const USER_AUTH_FLOWS = ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
const INCORRECT = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };

let h: PoolHarness;
let setup: Setup;
let userCount = 0;

async function passkeyPool(sdk: CognitoIdentityProviderClient, relyingPartyId: string | null = 'localhost'): Promise<Setup> {
  const created = await createPoolAndClient(
    sdk,
    { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } },
    { ExplicitAuthFlows: [...USER_AUTH_FLOWS] },
  );
  if (relyingPartyId !== null) {
    await sdk.send(
      new SetUserPoolMfaConfigCommand({ UserPoolId: created.poolId, WebAuthnConfiguration: { RelyingPartyId: relyingPartyId, UserVerification: 'preferred' } }),
    );
  }
  return created;
}

/** A new user of the pool, signed in with its password: its name and access token. */
async function signedInUser(on: Setup = setup): Promise<{ username: string; accessToken: string }> {
  const username = `user${++userCount}`;
  await createUser(h.sdk, on.poolId, username, STRONG_PASSWORD);
  const signedIn = await passwordSignIn(h.sdk, on, username, STRONG_PASSWORD);
  return { username, accessToken: signedIn.AuthenticationResult!.AccessToken! };
}

const start = async (accessToken: string): Promise<CreationOptions> =>
  (await h.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }))).CredentialCreationOptions as unknown as CreationOptions;

const complete = (accessToken: string, credential: object) =>
  h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: credential as never }));

/** Start + create + Complete; returns the new credential's id. */
async function register(accessToken: string, authenticator: SoftAuthenticator): Promise<string> {
  const credential = authenticator.create(await start(accessToken));
  await complete(accessToken, credential);
  return credential['id'] as string;
}

const list = (accessToken: string, page: { MaxResults?: number; NextToken?: string } = {}) =>
  h.sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken, ...page }));

/** InitiateAuth USER_AUTH preferring WEB_AUTHN: the challenge and its parsed request options. */
async function passkeyChallenge(username: string, on: Setup = setup) {
  const challenge = await h.sdk.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: on.clientId, AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'WEB_AUTHN' } }),
  );
  const options = JSON.parse(challenge.ChallengeParameters?.['CREDENTIAL_REQUEST_OPTIONS'] ?? 'null') as RequestOptions | null;
  return { challenge, options: options! };
}

const answer = (username: string, session: string | undefined, credential: object, on: Setup = setup): Promise<RespondToAuthChallengeCommandOutput> =>
  respond(h.sdk, on, 'WEB_AUTHN', session, { USERNAME: username, CREDENTIAL: JSON.stringify(credential) });

beforeAll(async () => {
  h = await startPool();
  setup = await passkeyPool(h.sdk);
});
afterAll(() => h.close());

describe('registration', () => {
  it('Start answers creation options for the relying party; Complete stores the passkey; List shows it', async () => {
    const { username, accessToken } = await signedInUser();
    const options = (await h.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }))).CredentialCreationOptions as Record<string, unknown>;
    expect(options).toMatchObject({
      rp: { id: 'localhost', name: 'test' },
      user: { name: username, displayName: username },
      attestation: 'none',
      timeout: 300_000,
      excludeCredentials: [],
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' },
    });
    expect(options['challenge']).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(options['pubKeyCredParams']).toEqual(expect.arrayContaining([{ alg: -7, type: 'public-key' }]));

    const authenticator = new SoftAuthenticator({ origin: ORIGIN, attachment: 'cross-platform', transports: ['usb', 'nfc'] });
    const credential = authenticator.create(options as unknown as CreationOptions);
    expect(await complete(accessToken, credential)).toMatchObject({ $metadata: { httpStatusCode: 200 } });

    const listed = await list(accessToken);
    expect(listed.NextToken).toBeUndefined();
    expect(listed.Credentials).toEqual([
      {
        CredentialId: credential['id'],
        FriendlyCredentialName: 'Passkey on localhost:5173',
        RelyingPartyId: 'localhost',
        AuthenticatorAttachment: 'cross-platform',
        AuthenticatorTransports: ['usb', 'nfc'],
        CreatedAt: new Date(h.clock.now()),
      },
    ]);
    expect((await h.sdk.send(new GetUserAuthFactorsCommand({ AccessToken: accessToken }))).ConfiguredUserAuthFactors).toEqual(['PASSWORD', 'WEB_AUTHN']);
    // A second registration excludes the passkey the user already has.
    expect((await start(accessToken)).excludeCredentials).toEqual([{ id: credential['id'], type: 'public-key', transports: ['usb', 'nfc'] }]);
  });

  it('accepts the relying party host and its subdomains over https, and localhost over http on any port', async () => {
    const example = await passkeyPool(h.sdk, 'example.com');
    const { accessToken } = await signedInUser(example);
    for (const origin of ['https://example.com', 'https://login.example.com:8443']) {
      await register(accessToken, new SoftAuthenticator({ origin }));
    }
    const refused = ['http://example.com', 'https://notexample.com', 'https://example.com.evil.test', 'http://localhost:5173'];
    for (const origin of refused) {
      const options = await start(accessToken);
      expect(await failure(complete(accessToken, new SoftAuthenticator({ origin }).create(options)))).toMatchObject({
        name: 'WebAuthnOriginNotAllowedException',
      });
    }
    const local = await signedInUser();
    for (const origin of ['http://localhost:1', 'http://localhost:65535', 'http://app.localhost:3000', 'https://localhost']) {
      await register(local.accessToken, new SoftAuthenticator({ origin }));
    }
    for (const origin of ['http://127.0.0.1:5173', 'http://localhost.evil.test']) {
      const options = await start(local.accessToken);
      expect(await failure(complete(local.accessToken, new SoftAuthenticator({ origin }).create(options)))).toMatchObject({
        name: 'WebAuthnOriginNotAllowedException',
      });
    }
    expect((await list(accessToken)).Credentials).toHaveLength(2);
    expect((await list(local.accessToken)).Credentials).toHaveLength(4);
  });

  it('a registration challenge is single use and expires; a replay, a late answer or another challenge is refused', async () => {
    const { accessToken } = await signedInUser();
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const notFound = { name: 'WebAuthnChallengeNotFoundException' };
    expect(await failure(complete(accessToken, authenticator.create(await startNothing())))).toMatchObject(notFound);

    const credential = authenticator.create(await start(accessToken));
    await complete(accessToken, credential);
    expect(await failure(complete(accessToken, credential))).toMatchObject(notFound);

    const late = authenticator.create(await start(accessToken));
    h.clock.advance(5 * 60_000);
    expect(await failure(complete(accessToken, late))).toMatchObject(notFound);

    // A second Start replaces the first: an answer to the first challenge is refused.
    const first = await start(accessToken);
    await start(accessToken);
    expect(await failure(complete(accessToken, authenticator.create(first)))).toMatchObject(notFound);
    expect((await list(accessToken)).Credentials).toHaveLength(1);
  });

  it('refuses another relying party, another app client, a malformed credential', async () => {
    const { username, accessToken } = await signedInUser();
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    expect(await failure(complete(accessToken, authenticator.create(await start(accessToken), { rpId: 'example.com' })))).toMatchObject({
      name: 'WebAuthnRelyingPartyMismatchException',
    });

    const other = await createPoolAndClientOn(setup.poolId);
    const otherToken = (await passwordSignIn(h.sdk, other, username, STRONG_PASSWORD)).AuthenticationResult!.AccessToken!;
    const options = await start(accessToken);
    expect(await failure(complete(otherToken, authenticator.create(options)))).toMatchObject({ name: 'WebAuthnClientMismatchException' });

    await start(accessToken);
    expect(await failure(complete(accessToken, { id: 'x', type: 'public-key' }))).toEqual({ name: 'InvalidParameterException', message: 'Credential data is not valid' });
    await start(accessToken);
    const unreadable = { id: 'x', rawId: 'x', type: 'public-key', response: { clientDataJSON: 'not-json', attestationObject: 'x' } };
    expect(await failure(complete(accessToken, unreadable))).toEqual({ name: 'InvalidParameterException', message: 'Credential data is not valid' });
    expect(await failure(h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken } as never)))).toMatchObject({
      name: 'InvalidParameterException',
    });
    expect((await list(accessToken)).Credentials).toEqual([]);
  });

  it('needs WEB_AUTHN in the sign-in policy and a relying party ID', async () => {
    const plain = await createPoolAndClient(h.sdk, {}, { ExplicitAuthFlows: [...USER_AUTH_FLOWS] });
    expect(await failure(start((await signedInUser(plain)).accessToken))).toMatchObject({ name: 'WebAuthnNotEnabledException' });
    const unconfigured = await passkeyPool(h.sdk, null);
    expect(await failure(start((await signedInUser(unconfigured)).accessToken))).toMatchObject({ name: 'WebAuthnConfigurationMissingException' });
  });

  it('a user has at most 20 passkeys', async () => {
    const { accessToken } = await signedInUser();
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    for (let i = 0; i < 20; i++) await register(accessToken, authenticator);
    expect(await failure(start(accessToken))).toMatchObject({ name: 'LimitExceededException' });
  });
});

/** A Start for nobody: options a browser could have made up (no registration is waiting). */
async function startNothing(): Promise<CreationOptions> {
  return { challenge: Buffer.from('made-up challenge').toString('base64url'), rp: { id: 'localhost' }, user: { id: 'AAAA', name: 'nobody' } };
}

/** A second app client of the same pool (same users, other tokens). */
async function createPoolAndClientOn(poolId: string): Promise<Setup> {
  const app = await h.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'other', ExplicitAuthFlows: [...USER_AUTH_FLOWS] }));
  return { poolId, clientId: app.UserPoolClient!.ClientId! };
}

describe('sign-in with a passkey (USER_AUTH)', () => {
  it('PREFERRED_CHALLENGE WEB_AUTHN: CREDENTIAL_REQUEST_OPTIONS for the user\'s passkeys, then tokens', async () => {
    const { username, accessToken } = await signedInUser();
    const authenticator = new SoftAuthenticator({ origin: ORIGIN, transports: ['internal'] });
    const id = await register(accessToken, authenticator);

    const { challenge, options } = await passkeyChallenge(username);
    expect(challenge.ChallengeName).toBe('WEB_AUTHN');
    expect(challenge.AvailableChallenges).toEqual(['WEB_AUTHN']);
    expect(challenge.ChallengeParameters).toEqual({ CREDENTIAL_REQUEST_OPTIONS: expect.any(String), USERNAME: username });
    expect(options).toMatchObject({ rpId: 'localhost', timeout: 180_000, userVerification: 'preferred', allowCredentials: [{ id, type: 'public-key', transports: ['internal'] }] });

    const signedIn = await answer(username, challenge.Session, authenticator.get(options));
    expect(signedIn.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(signedIn.ChallengeName).toBeUndefined();
  });

  it('from SELECT_CHALLENGE: ANSWER WEB_AUTHN opens the passkey challenge', async () => {
    const { username, accessToken } = await signedInUser();
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    await register(accessToken, authenticator);
    const select = await h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: username } }));
    expect(select.ChallengeName).toBe('SELECT_CHALLENGE');
    expect(select.AvailableChallenges).toEqual(['PASSWORD_SRP', 'PASSWORD', 'WEB_AUTHN']);
    const webAuthn = await respond(h.sdk, setup, 'SELECT_CHALLENGE', select.Session, { USERNAME: username, ANSWER: 'WEB_AUTHN' });
    expect(webAuthn.ChallengeName).toBe('WEB_AUTHN');
    const options = JSON.parse(webAuthn.ChallengeParameters!['CREDENTIAL_REQUEST_OPTIONS']!) as RequestOptions;
    expect((await answer(username, webAuthn.Session, authenticator.get(options))).AuthenticationResult).toBeDefined();
  });

  it('a user without a passkey is offered the other factors instead', async () => {
    const { username } = await signedInUser();
    const { challenge } = await passkeyChallenge(username);
    expect(challenge.ChallengeName).toBe('SELECT_CHALLENGE');
    expect(challenge.AvailableChallenges).toEqual(['PASSWORD_SRP', 'PASSWORD']);
  });

  it('refuses an assertion from another origin, for another challenge, for another relying party, or without a passkey of the user', async () => {
    const { username, accessToken } = await signedInUser();
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    await register(accessToken, authenticator);
    const stranger = await signedInUser();
    const strangerKeys = new SoftAuthenticator({ origin: ORIGIN });
    const strangerId = await register(stranger.accessToken, strangerKeys);

    const cases: Array<(options: RequestOptions) => object> = [
      (options) => authenticator.get(options, { origin: 'https://evil.test' }),
      (options) => authenticator.get(options, { origin: 'http://127.0.0.1:5173' }),
      (options) => authenticator.get(options, { challenge: Buffer.from('another challenge').toString('base64url') }),
      (options) => authenticator.get(options, { rpId: 'example.com' }),
      (options) => strangerKeys.get({ ...options, allowCredentials: [{ id: strangerId }] }),
    ];
    for (const make of cases) {
      const { challenge, options } = await passkeyChallenge(username);
      expect(await failure(answer(username, challenge.Session, make(options)))).toEqual(INCORRECT);
      // The Session is used up by the failed assertion.
      expect(await failure(answer(username, challenge.Session, authenticator.get(options)))).toMatchObject({ name: 'NotAuthorizedException' });
    }
    const { challenge, options } = await passkeyChallenge(username);
    expect(await failure(answer(username, challenge.Session, { id: 'x' }))).toMatchObject({ name: 'InvalidParameterException' });
    // An input mistake keeps the Session: the real assertion still signs in.
    expect((await answer(username, challenge.Session, authenticator.get(options))).AuthenticationResult).toBeDefined();
  });

  it('a replayed assertion is refused: its Session is used up, and another Session has another challenge', async () => {
    const { username, accessToken } = await signedInUser();
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    await register(accessToken, authenticator);
    const first = await passkeyChallenge(username);
    const assertion = authenticator.get(first.options);
    await answer(username, first.challenge.Session, assertion);
    expect(await failure(answer(username, first.challenge.Session, assertion))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session can only be used once.',
    });
    const second = await passkeyChallenge(username);
    expect(second.options.challenge).not.toBe(first.options.challenge);
    expect(await failure(answer(username, second.challenge.Session, assertion))).toEqual(INCORRECT);
  });

  it('the sign counter must grow; a cloned authenticator replaying an old counter is refused; authenticators without a counter work', async () => {
    const { username, accessToken } = await signedInUser();
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    await register(accessToken, authenticator);
    for (let i = 0; i < 3; i++) {
      const { challenge, options } = await passkeyChallenge(username);
      expect((await answer(username, challenge.Session, authenticator.get(options))).AuthenticationResult).toBeDefined();
    }
    // The counter is 3 now: a clone that reports 3 (or less) again is refused.
    for (const counter of [3, 1]) {
      const { challenge, options } = await passkeyChallenge(username);
      expect(await failure(answer(username, challenge.Session, authenticator.get(options, { counter })))).toEqual(INCORRECT);
    }
    const { challenge, options } = await passkeyChallenge(username);
    expect((await answer(username, challenge.Session, authenticator.get(options, { counter: 10 })))?.AuthenticationResult).toBeDefined();

    const counterless = await signedInUser();
    const noCounter = new SoftAuthenticator({ origin: ORIGIN, counterStep: 0 });
    await register(counterless.accessToken, noCounter);
    for (let i = 0; i < 2; i++) {
      const next = await passkeyChallenge(counterless.username);
      expect((await answer(counterless.username, next.challenge.Session, noCounter.get(next.options))).AuthenticationResult).toBeDefined();
    }
  });

  it('of two sign-ins with the same counter value in parallel exactly one succeeds', async () => {
    const { username, accessToken } = await signedInUser();
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    await register(accessToken, authenticator);
    const one = await passkeyChallenge(username);
    const two = await passkeyChallenge(username);
    const results = await Promise.allSettled([
      answer(username, one.challenge.Session, authenticator.get(one.options, { counter: 7 })),
      answer(username, two.challenge.Session, authenticator.get(two.options, { counter: 7 })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('user verification: a pool that requires it refuses a passkey without it', async () => {
    const strict = await passkeyPool(h.sdk);
    await h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: strict.poolId, WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' } }));
    const { username, accessToken } = await signedInUser(strict);
    expect((await start(accessToken)).rp.id).toBe('localhost');
    expect(await failure(complete(accessToken, new SoftAuthenticator({ origin: ORIGIN, userVerified: false }).create(await start(accessToken))))).toMatchObject({
      name: 'WebAuthnCredentialNotSupportedException',
    });
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    await register(accessToken, authenticator);
    const { challenge, options } = await passkeyChallenge(username, strict);
    expect(options.userVerification).toBe('required');
    expect(await failure(answer(username, challenge.Session, authenticator.get(options, { userVerified: false }), strict))).toEqual(INCORRECT);
  });
});

describe('listing and deleting', () => {
  it('pages with MaxResults and NextToken, oldest first; deleting one between pages skips nothing', async () => {
    const { accessToken } = await signedInUser();
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await register(accessToken, authenticator));
      h.clock.advance(1000);
    }
    const first = await list(accessToken, { MaxResults: 2 });
    expect(first.Credentials!.map((c) => c.CredentialId)).toEqual(ids.slice(0, 2));
    expect(first.NextToken).toEqual(expect.any(String));
    await h.sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: ids[1]! }));
    const second = await list(accessToken, { MaxResults: 2, NextToken: first.NextToken! });
    expect(second.Credentials!.map((c) => c.CredentialId)).toEqual(ids.slice(2, 4));
    const third = await list(accessToken, { MaxResults: 2, NextToken: second.NextToken! });
    expect(third.Credentials!.map((c) => c.CredentialId)).toEqual([ids[4]]);
    expect(third.NextToken).toBeUndefined();
    expect((await list(accessToken, { MaxResults: 0 })).Credentials).toHaveLength(4);

    expect(await failure(list(accessToken, { MaxResults: 21 }))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await failure(list(accessToken, { NextToken: 'not-a-token' }))).toEqual({ name: 'InvalidParameterException', message: 'Invalid NextToken.' });
  });

  it('DeleteWebAuthnCredential: the passkey no longer signs in; unknown ids and other users\' passkeys are ResourceNotFound', async () => {
    const { username, accessToken } = await signedInUser();
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const id = await register(accessToken, authenticator);
    const other = await signedInUser();
    const otherId = await register(other.accessToken, new SoftAuthenticator({ origin: ORIGIN }));
    const notFound = { name: 'ResourceNotFoundException', message: 'The passkey credential does not exist.' };
    expect(await failure(h.sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: otherId })))).toEqual(notFound);

    const pending = await passkeyChallenge(username);
    await h.sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: id }));
    expect((await list(accessToken)).Credentials).toEqual([]);
    expect(await failure(h.sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: id })))).toEqual(notFound);
    // A challenge opened before the deletion does not sign in with the deleted passkey.
    expect(await failure(answer(username, pending.challenge.Session, authenticator.get(pending.options)))).toEqual(INCORRECT);
    expect((await passkeyChallenge(username)).challenge.ChallengeName).toBe('SELECT_CHALLENGE');
    expect((await list(other.accessToken)).Credentials).toHaveLength(1);
  });

  it('passkeys and their counters survive a restart of the pool', async () => {
    const { username, accessToken } = await signedInUser();
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    await register(accessToken, authenticator);
    h = await h.restart();
    const { challenge, options } = await passkeyChallenge(username);
    expect((await answer(username, challenge.Session, authenticator.get(options))).AuthenticationResult).toBeDefined();
    expect((await list(accessToken)).Credentials).toHaveLength(1);
  });
});
