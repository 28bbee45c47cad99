// Federation against a real OpenID provider: the stand-in (oidc-provider) runs in its own process on
// 127.0.0.1. Identity providers through the SDK (OIDC with an http loopback issuer), the round trip
// authorize -> provider sign-in -> /oauth2/idpresponse -> code -> tokens (the pool's user
// <NAME>_<sub>, EXTERNAL_PROVIDER, identities, AttributeMapping), links to native users and their
// removal, and what a cancelled, replayed or forged answer of the provider gets.
import {
  AdminDisableProviderForUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteIdentityProviderCommand,
  DescribeIdentityProviderCommand,
  GetIdentityProviderByIdentifierCommand,
  ListIdentityProvidersCommand,
  UpdateIdentityProviderCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { createUser, startPool, type PoolHarness } from './support.js';
import { Browser, form, formWith, pkce, type Answer } from './hosted-ui-support.js';
import { startStandIn, type RunningStandIn } from '../support/stand-in-idp.js';

const CALLBACK = 'http://localhost:3000/callback';
const DOMAIN = 'fed-test';
const PROVIDER = 'StandIn';
const UPSTREAM_CLIENT = { clientId: 'local-pool', clientSecret: 'stand-in-secret-0123456789' };

let h: PoolHarness;
let idp: RunningStandIn;
let poolId: string;
let clientId: string;
let base: string;

beforeAll(async () => {
  h = await startPool();
  poolId = (await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'federated' }))).UserPool!.Id!;
  await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: DOMAIN }));
  base = `${h.pool.url}/_domain/${DOMAIN}`;
  idp = await startStandIn({
    name: 'Stand-in for tests',
    clients: [{ ...UPSTREAM_CLIENT, redirectUris: [`${base}/oauth2/idpresponse`] }],
    users: [
      { username: 'gina', password: 'gina-pass', sub: 'g-123', claims: { email: 'gina@example.com', email_verified: true, name: 'Gina Upstream' } },
      { username: 'pete', password: 'pete-pass', sub: 'p-456', claims: { email: 'pete@example.com', email_verified: true, name: 'Pete Upstream' } },
    ],
  });
  await h.sdk.send(
    new CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: PROVIDER,
      ProviderType: 'OIDC',
      ProviderDetails: { client_id: UPSTREAM_CLIENT.clientId, client_secret: UPSTREAM_CLIENT.clientSecret, authorize_scopes: 'openid email profile', oidc_issuer: idp.issuer, attributes_request_method: 'GET' },
      AttributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name' },
      IdpIdentifiers: ['standin.example'],
    }),
  );
  clientId = (await h.sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId,
    ClientName: 'web',
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'profile'],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ['COGNITO', PROVIDER],
  }))).UserPoolClient!.ClientId!;
}, 90_000);
afterAll(async () => {
  await idp?.stop();
  await h?.close();
});

const withinLoopback = (url: URL) => url.origin === h.pool.url || url.origin === idp.issuer;

function authorizeUrl(extra: Record<string, string> = {}, challenge = pkce().challenge): string {
  return `${base}/oauth2/authorize?${form({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid email profile', state: 'st-1', code_challenge: challenge, code_challenge_method: 'S256', ...extra })}`;
}

/** The browser through the provider's sign-in: what comes back to the app. */
async function federatedSignIn(browser: Browser, username: string, password: string, challenge?: string): Promise<Answer> {
  const loginPage = await browser.follow(await browser.get(authorizeUrl({ identity_provider: PROVIDER }, challenge)), withinLoopback);
  expect(loginPage.status).toBe(200);
  expect(new URL(loginPage.url).origin).toBe(idp.issuer);
  const login = formWith(loginPage, 'password');
  return browser.follow(await browser.post(login.action, { ...login.fields, username, password }), withinLoopback);
}

async function tokensFor(username: string, password: string): Promise<Record<string, unknown>> {
  const { verifier, challenge } = pkce();
  const back = await federatedSignIn(new Browser(), username, password, challenge);
  expect(back.status).toBe(302);
  const code = new URL(back.location!).searchParams.get('code');
  expect(code).toBeTruthy();
  const response = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ grant_type: 'authorization_code', client_id: clientId, code: code!, redirect_uri: CALLBACK, code_verifier: verifier }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function idClaims(tokens: Record<string, unknown>): Promise<Record<string, unknown>> {
  const keys = createLocalJWKSet((await (await fetch(`${h.pool.url}/${poolId}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
  return (await jwtVerify(String(tokens['id_token']), keys, { issuer: `${h.pool.url}/${poolId}`, audience: clientId, currentDate: new Date(h.clock.now()) })).payload;
}

describe('identity providers (CreateIdentityProvider / Describe / Update / List / Delete)', () => {
  it('describes an OIDC provider as created, with username mapped to sub', async () => {
    const { IdentityProvider } = await h.sdk.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: PROVIDER }));
    expect(IdentityProvider).toMatchObject({
      ProviderType: 'OIDC',
      ProviderDetails: { oidc_issuer: idp.issuer, authorize_scopes: 'openid email profile', attributes_request_method: 'GET', attributes_url_add_attributes: 'false' },
      AttributeMapping: { username: 'sub', email: 'email', email_verified: 'email_verified', name: 'name' },
      IdpIdentifiers: ['standin.example'],
    });
    const found = await h.sdk.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: 'standin.example' }));
    expect(found.IdentityProvider?.ProviderName).toBe(PROVIDER);
    const listed = await h.sdk.send(new ListIdentityProvidersCommand({ UserPoolId: poolId }));
    expect(listed.Providers?.map((p) => p.ProviderName)).toEqual([PROVIDER]);
  });

  it('fills in Google with the endpoints Cognito describes, and lets them be pointed elsewhere', async () => {
    const { IdentityProvider } = await h.sdk.send(new CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: 'Google',
      ProviderType: 'Google',
      ProviderDetails: { client_id: 'g.apps.googleusercontent.com', client_secret: 'secret', authorize_scopes: 'openid email profile' },
    }));
    expect(IdentityProvider?.ProviderDetails).toMatchObject({ oidc_issuer: 'https://accounts.google.com', authorize_url: 'https://accounts.google.com/o/oauth2/v2/auth' });
    const updated = await h.sdk.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Google', ProviderDetails: { oidc_issuer: idp.issuer } }));
    expect(updated.IdentityProvider?.ProviderDetails).toMatchObject({ oidc_issuer: idp.issuer, client_id: 'g.apps.googleusercontent.com' });
    await h.sdk.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Google' }));
    await expect(h.sdk.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Google' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it.each([
    ['an http issuer off loopback', { ProviderName: 'Web', ProviderType: 'OIDC', ProviderDetails: { client_id: 'a', client_secret: 'b', authorize_scopes: 'openid', oidc_issuer: 'http://idp.example.com' } }, 'InvalidParameterException'],
    ['an OIDC provider without an issuer', { ProviderName: 'NoIssuer', ProviderType: 'OIDC', ProviderDetails: { client_id: 'a', client_secret: 'b', authorize_scopes: 'openid' } }, 'InvalidParameterException'],
    ['a name taken (in another case)', { ProviderName: 'standin', ProviderType: 'OIDC', ProviderDetails: { client_id: 'a', client_secret: 'b', authorize_scopes: 'openid', oidc_issuer: 'https://idp.example.com' } }, 'DuplicateProviderException'],
    ['a social type under another name', { ProviderName: 'MyGoogle', ProviderType: 'Google', ProviderDetails: { client_id: 'a', client_secret: 'b', authorize_scopes: 'openid' } }, 'InvalidParameterException'],
    ['an identifier another provider has', { ProviderName: 'Other', ProviderType: 'OIDC', ProviderDetails: { client_id: 'a', client_secret: 'b', authorize_scopes: 'openid', oidc_issuer: 'https://idp.example.com' }, IdpIdentifiers: ['standin.example'] }, 'DuplicateProviderException'],
  ])('refuses %s', async (_what, input, name) => {
    await expect(h.sdk.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ...input } as never))).rejects.toMatchObject({ name });
  });

  it('refuses to delete a provider an app client supports', async () => {
    await expect(h.sdk.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: PROVIDER }))).rejects.toMatchObject({ name: 'UnsupportedIdentityProviderException' });
  });
});

describe('signing in through the provider', () => {
  it('offers "Continue with StandIn" on the sign-in page', async () => {
    const browser = new Browser();
    const page = await browser.follow(await browser.get(authorizeUrl()), withinLoopback);
    expect(page.body).toContain(`data-provider="${PROVIDER}"`);
    expect(page.body).toContain(`Continue with ${PROVIDER}`);
  });

  it('sends the browser to the provider with the pool as its client, then makes the user StandIn_<sub>', async () => {
    const browser = new Browser();
    const toProvider = await browser.get(authorizeUrl({ identity_provider: PROVIDER }));
    expect(toProvider.status).toBe(302);
    const upstream = new URL(toProvider.location!);
    expect(upstream.origin).toBe(idp.issuer);
    expect(Object.fromEntries(upstream.searchParams)).toMatchObject({
      client_id: UPSTREAM_CLIENT.clientId,
      redirect_uri: `${base}/oauth2/idpresponse`,
      response_type: 'code',
      scope: 'openid email profile',
    });
    expect(upstream.searchParams.get('state')).toBeTruthy();
    expect(upstream.searchParams.get('nonce')).toBeTruthy();

    const tokens = await tokensFor('gina', 'gina-pass');
    const claims = await idClaims(tokens);
    expect(claims).toMatchObject({ 'cognito:username': `${PROVIDER}_g-123`, email: 'gina@example.com', email_verified: true, name: 'Gina Upstream' });
    expect(claims['identities']).toEqual([
      { userId: 'g-123', providerName: PROVIDER, providerType: 'OIDC', issuer: null, primary: 'true', dateCreated: expect.stringMatching(/^\d+$/) },
    ]);
    const user = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: `${PROVIDER}_g-123` }));
    expect(user.UserStatus).toBe('EXTERNAL_PROVIDER');
    const attributes = Object.fromEntries(user.UserAttributes!.map((a) => [a.Name, a.Value]));
    expect(attributes).toMatchObject({ email: 'gina@example.com', name: 'Gina Upstream' });
    expect(JSON.parse(attributes['identities']!)).toEqual([expect.objectContaining({ userId: 'g-123', providerName: PROVIDER, primary: true })]);
  });

  it('signs the same identity in as the same user the next time', async () => {
    const first = await idClaims(await tokensFor('gina', 'gina-pass'));
    const second = await idClaims(await tokensFor('gina', 'gina-pass'));
    expect(second['sub']).toBe(first['sub']);
  });

  it('UpdateIdentityProvider: a changed AttributeMapping is applied at the next sign-in', async () => {
    const mapping = { email: 'email', email_verified: 'email_verified', name: 'name' };
    const updated = await h.sdk.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: PROVIDER, AttributeMapping: { ...mapping, nickname: 'name' } }));
    expect(updated.IdentityProvider?.AttributeMapping).toEqual({ username: 'sub', ...mapping, nickname: 'name' });
    expect(updated.IdentityProvider?.ProviderDetails).toMatchObject({ oidc_issuer: idp.issuer, client_id: UPSTREAM_CLIENT.clientId }); // the rest stays
    try {
      expect(await idClaims(await tokensFor('gina', 'gina-pass'))).toMatchObject({ nickname: 'Gina Upstream' });
      const user = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: `${PROVIDER}_g-123` }));
      expect(user.UserAttributes).toContainEqual({ Name: 'nickname', Value: 'Gina Upstream' });
    } finally {
      await h.sdk.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: PROVIDER, AttributeMapping: mapping }));
    }
  });

  it('sends a cancelled sign-in back to the app as the provider said it, with the state', async () => {
    const browser = new Browser();
    const loginPage = await browser.follow(await browser.get(authorizeUrl({ identity_provider: PROVIDER })), withinLoopback);
    const cancel = (await import('./hosted-ui-support.js')).forms(loginPage.body, loginPage.url).find((f) => f.action.endsWith('/abort'))!;
    const back = await browser.follow(await browser.post(cancel.action, cancel.fields), withinLoopback);
    expect(back.status).toBe(302);
    const params = new URL(back.location!).searchParams;
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe('st-1');
    expect(params.get('code')).toBeNull();
  });

  it('takes the answer of the provider once, and refuses a state it did not send', async () => {
    const browser = new Browser();
    const loginPage = await browser.follow(await browser.get(authorizeUrl({ identity_provider: PROVIDER })), withinLoopback);
    const login = formWith(loginPage, 'password');
    let answer = await browser.post(login.action, { ...login.fields, username: 'gina', password: 'gina-pass' });
    // Follow up to the pool's /oauth2/idpresponse, and keep that URL.
    while (answer.location && !answer.location.startsWith(`${base}/oauth2/idpresponse`)) answer = await browser.get(answer.location);
    const idpResponse = answer.location!;
    const first = await browser.get(idpResponse);
    expect(first.status).toBe(302);
    expect(new URL(first.location!).searchParams.get('code')).toBeTruthy();
    const replay = await browser.get(idpResponse);
    expect(replay.status).toBe(400);
    expect(replay.location).toBeUndefined();
    const forged = new URL(idpResponse);
    forged.searchParams.set('state', 'not-a-state-the-pool-sent');
    expect((await browser.get(forged.toString())).status).toBe(400);
  });

  it('idp_identifier finds the provider', async () => {
    const answer = await new Browser().get(authorizeUrl({ idp_identifier: 'standin.example' }));
    expect(new URL(answer.location!).origin).toBe(idp.issuer);
  });

  it('refuses a provider the client does not support', async () => {
    const other = (await h.sdk.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'native-only', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'],
    }))).UserPoolClient!.ClientId!;
    const answer = await new Browser().get(authorizeUrl({ client_id: other, identity_provider: PROVIDER, scope: 'openid' }));
    expect(new URL(answer.location!).searchParams.get('error')).toBe('invalid_request');
  });
});

describe('linking an external identity to a user (AdminLinkProviderForUser / AdminDisableProviderForUser)', () => {
  it('signs a linked identity in as the native user, and as a user of its own once the link is removed', async () => {
    await createUser(h.sdk, poolId, 'paul', 'Passw0rd!paul', { attributes: { email: 'paul@example.com' } });
    await h.sdk.send(new AdminLinkProviderForUserCommand({
      UserPoolId: poolId,
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'paul' },
      SourceUser: { ProviderName: PROVIDER, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'p-456' },
    }));
    const linked = await idClaims(await tokensFor('pete', 'pete-pass'));
    expect(linked['cognito:username']).toBe('paul');
    expect(linked['identities']).toEqual([expect.objectContaining({ userId: 'p-456', providerName: PROVIDER })]);

    await h.sdk.send(new AdminDisableProviderForUserCommand({
      UserPoolId: poolId,
      User: { ProviderName: PROVIDER, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'p-456' },
    }));
    const paul = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'paul' }));
    expect(paul.UserAttributes?.some((a) => a.Name === 'identities')).toBe(false);
    const own = await idClaims(await tokensFor('pete', 'pete-pass'));
    expect(own['cognito:username']).toBe(`${PROVIDER}_p-456`);
  });

  it('refuses to link an identity that already signed in as a user of its own, and an unknown destination', async () => {
    await expect(h.sdk.send(new AdminLinkProviderForUserCommand({
      UserPoolId: poolId,
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'paul' },
      SourceUser: { ProviderName: PROVIDER, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'g-123' },
    }))).rejects.toMatchObject({ name: 'AliasExistsException' });
    await expect(h.sdk.send(new AdminLinkProviderForUserCommand({
      UserPoolId: poolId,
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'nobody' },
      SourceUser: { ProviderName: PROVIDER, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'x-1' },
    }))).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });

  it('a user disabled by an admin cannot sign in through the provider', async () => {
    const { AdminDisableUserCommand, AdminEnableUserCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    await h.sdk.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: `${PROVIDER}_g-123` }));
    const back = await federatedSignIn(new Browser(), 'gina', 'gina-pass');
    expect(new URL(back.location!).searchParams.get('error_description')).toBe('User is disabled.');
    await h.sdk.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: `${PROVIDER}_g-123` }));
  });
});

describe('a provider that cannot be reached', () => {
  it('sends the app an error instead of a dead end', async () => {
    await h.sdk.send(new CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: 'Gone',
      ProviderType: 'OIDC',
      ProviderDetails: { client_id: 'a', client_secret: 'b', authorize_scopes: 'openid', oidc_issuer: 'http://127.0.0.1:9' },
    }));
    await h.sdk.send(new UpdateUserPoolClientCommand({
      UserPoolId: poolId, ClientId: clientId, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid', 'email', 'profile'], CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO', PROVIDER, 'Gone'],
    }));
    const answer = await new Browser().get(authorizeUrl({ identity_provider: 'Gone' }));
    expect(answer.status).toBe(302);
    const params = new URL(answer.location!).searchParams;
    expect(params.get('error')).toBe('invalid_request');
    expect(params.get('state')).toBe('st-1');
  });
});
