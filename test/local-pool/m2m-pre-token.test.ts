// Pre token generation for machine tokens, over HTTP: a pool's V3_0 function (LambdaConfig set with
// CreateUserPool / UpdateUserPool) is called with TokenGeneration_ClientCredentials at the token
// endpoint's client_credentials grant and at GetClientToken, and its accessTokenGeneration answer shapes
// the access token (verified with jose against the pool's JWKS). V1_0 and V2_0 functions are not called.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  GetClientTokenCommand,
  UpdateUserPoolCommand,
  type ExplicitAuthFlowsType,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import * as oauth from 'oauth4webapi';
import { form } from './hosted-ui-support.js';
import { failure, startPool, type PoolHarness } from './support.js';

const FUNCTIONS = join(__dirname, 'functions');
const arn = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;
const API = 'inventory';
const SCOPES = [`${API}/read`, `${API}/write`];
const preToken = (version: 'V1_0' | 'V2_0' | 'V3_0', name = 'pre-token-m2m'): LambdaConfigType => ({
  PreTokenGenerationConfig: { LambdaVersion: version, LambdaArn: arn(name) },
});

interface Recorded {
  event: {
    version: string;
    triggerSource: string;
    userPoolId: string;
    userName: unknown;
    callerContext: { awsSdkVersion: string; clientId: string };
    request: Record<string, unknown>;
    response: Record<string, unknown>;
  };
}

const recordDir = mkdtempSync(join(tmpdir(), 'authchart-m2m-pre-token-'));
const recordFile = join(recordDir, 'events.jsonl');
process.env['TRIGGER_RECORD'] = recordFile;

let h: PoolHarness;
const logLines: string[] = [];
let domains = 0;

beforeAll(async () => {
  h = await startPool({ functions: FUNCTIONS, log: (line) => logLines.push(line) });
}, 60_000);
afterAll(async () => {
  await h?.close();
  rmSync(recordDir, { recursive: true, force: true });
});
beforeEach(() => writeFileSync(recordFile, ''));

const recorded = (): Recorded[] =>
  readFileSync(recordFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Recorded);

interface MachinePool {
  poolId: string;
  /** The pool's domain: /oauth2/token is under it. */
  base: string;
  /** client_credentials, allowed inventory/read and inventory/write, 10-minute access tokens. */
  machine: { id: string; secret: string };
  /** ALLOW_CLIENT_TOKEN_AUTH (GetClientToken), the same scopes. */
  api: { id: string; secret: string };
}

async function machinePool(LambdaConfig: LambdaConfigType): Promise<MachinePool> {
  const poolId = (await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'm2m-pre-token', LambdaConfig }))).UserPool!.Id!;
  const domain = `m2m-pre-token-${++domains}`;
  await h.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain }));
  await h.sdk.send(new CreateResourceServerCommand({
    UserPoolId: poolId, Identifier: API, Name: 'Inventory',
    Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }, { ScopeName: 'write', ScopeDescription: 'Write' }],
  }));
  const machine = (await h.sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: 'machine', GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: SCOPES, AccessTokenValidity: 10, TokenValidityUnits: { AccessToken: 'minutes' },
  }))).UserPoolClient!;
  const api = (await h.sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: 'api', GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_CLIENT_TOKEN_AUTH' as ExplicitAuthFlowsType], AllowedOAuthScopes: SCOPES,
  }))).UserPoolClient!;
  return {
    poolId,
    base: `${h.pool.url}/_domain/${domain}`,
    machine: { id: machine.ClientId!, secret: machine.ClientSecret! },
    api: { id: api.ClientId!, secret: api.ClientSecret! },
  };
}

async function clientCredentials(p: MachinePool, fields: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${p.base}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${p.machine.id}:${p.machine.secret}`).toString('base64')}`,
    },
    body: form({ grant_type: 'client_credentials', ...fields }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function verified(p: MachinePool, token: unknown): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(`${h.pool.url}/${p.poolId}/.well-known/jwks.json`));
  return (await jwtVerify(String(token), jwks, { issuer: `${h.pool.url}/${p.poolId}`, currentDate: new Date(h.clock.now()) })).payload;
}

/** What pre-token-m2m.mjs makes of a machine token granted `inventory/read inventory/write`. */
function expectCustomised(payload: JWTPayload, clientId: string, tenant: string): void {
  expect(payload).toMatchObject({ tenant, limits: { calls: 100, burst: [1, 2] }, sub: clientId, client_id: clientId, token_use: 'access' });
  // The added scope in, the suppressed one out, the function's own `scope` claim ignored.
  expect(payload['scope']).toBe(`${API}/read audit/read`);
  // Fixed claims stay, whatever the function adds or suppresses.
  expect(typeof payload.jti).toBe('string');
  expect(payload['auth_time']).toBe(payload.iat);
  expect(payload.exp! - payload.iat!).toBeGreaterThan(60);
  // Added and suppressed: suppressed; `version` is not a fixed claim, so it may go.
  expect(payload).not.toHaveProperty('temporary');
  expect(payload).not.toHaveProperty('version');
  // Neither the ID token answer nor the group override reach a machine token.
  expect(payload).not.toHaveProperty('id_only');
  expect(payload).not.toHaveProperty('cognito:groups');
  expect(payload).not.toHaveProperty('username');
}

describe('V3_0 at the token endpoint (client_credentials)', () => {
  let p: MachinePool;
  beforeAll(async () => {
    p = await machinePool(preToken('V3_0'));
  });

  it('sends TokenGeneration_ClientCredentials without a user, with the scopes and aws_client_metadata; the answer shapes the access token', async () => {
    const answer = await clientCredentials(p, { aws_client_metadata: JSON.stringify({ tenant: 'acme', caller: 'batch' }) });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    const payload = await verified(p, answer.body['access_token']);
    expectCustomised(payload, p.machine.id, 'acme');
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.iss).toBe(`${h.pool.url}/${p.poolId}`);

    const events = recorded();
    expect(events).toHaveLength(1);
    expect(events[0]!.event).toEqual({
      version: '3',
      triggerSource: 'TokenGeneration_ClientCredentials',
      region: p.poolId.split('_')[0],
      userPoolId: p.poolId,
      userName: null,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: p.machine.id },
      request: { userAttributes: {}, groupConfiguration: null, scopes: SCOPES, clientMetadata: { tenant: 'acme', caller: 'batch' } },
      response: { claimsAndScopeOverrideDetails: null },
    });
  });

  it('a client nobody on the team wrote (oauth4webapi, client_secret_basic) gets the shaped machine token', async () => {
    const as: oauth.AuthorizationServer = { issuer: `${h.pool.url}/${p.poolId}`, token_endpoint: `${p.base}/oauth2/token` };
    const client: oauth.Client = { client_id: p.machine.id };
    const options = { [oauth.allowInsecureRequests]: true };
    const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(p.machine.secret), { aws_client_metadata: JSON.stringify({ tenant: 'o4w' }) }, options);
    const answer = await oauth.processClientCredentialsResponse(as, client, response);
    expect(answer.token_type.toLowerCase()).toBe('bearer');
    expectCustomised(await verified(p, answer.access_token), p.machine.id, 'o4w');
    expect(recorded().map(({ event }) => event.triggerSource)).toEqual(['TokenGeneration_ClientCredentials']);
  });

  it('shows the scopes asked for; no aws_client_metadata, no clientMetadata', async () => {
    const answer = await clientCredentials(p, { scope: `${API}/write` });
    expect(answer.status).toBe(200);
    const claims = decodeJwt(String(answer.body['access_token']));
    expect(claims['tenant']).toBe('none');
    // Only inventory/write was granted, and the function suppresses it: the added scope is all that is left.
    expect(claims['scope']).toBe('audit/read');
    const [{ event }] = recorded() as [Recorded];
    expect(event.request).toEqual({ userAttributes: {}, groupConfiguration: null, scopes: [`${API}/write`] });
  });

  it.each([
    ['not JSON', '{tenant: acme'],
    ['a JSON list', '["acme"]'],
    ['an object with a number', '{"tenant": 7}'],
  ])('answers invalid_request for aws_client_metadata that is %s, without calling the function', async (_what, metadata) => {
    expect(await clientCredentials(p, { aws_client_metadata: metadata })).toEqual({ status: 400, body: { error: 'invalid_request' } });
    expect(recorded()).toEqual([]);
  });
});

describe('V3_0 at GetClientToken', () => {
  it('the same event (ClientMetadata as clientMetadata) and the same customised token', async () => {
    const p = await machinePool(preToken('V3_0'));
    const result = await h.sdk.send(new GetClientTokenCommand({ ClientId: p.api.id, Secret: p.api.secret, ClientMetadata: { tenant: 'globex' } } as never));
    const payload = await verified(p, result.ClientAuthenticationResult?.AccessToken);
    expectCustomised(payload, p.api.id, 'globex');
    const [{ event }] = recorded() as [Recorded];
    expect(event).toMatchObject({ version: '3', triggerSource: 'TokenGeneration_ClientCredentials', userName: null, callerContext: { clientId: p.api.id } });
    expect(event.request).toEqual({ userAttributes: {}, groupConfiguration: null, scopes: SCOPES, clientMetadata: { tenant: 'globex' } });
  });
});

describe('V1_0 and V2_0 are not called for machine tokens', () => {
  it.each(['V1_0', 'V2_0'] as const)('%s: a plain machine token, no event; UpdateUserPool to V3_0 turns the function on', async (version) => {
    const p = await machinePool(preToken(version));
    const answer = await clientCredentials(p, { aws_client_metadata: '{"tenant":"acme"}' });
    expect(answer.status).toBe(200);
    const payload = await verified(p, answer.body['access_token']);
    expect(payload).toMatchObject({ sub: p.machine.id, scope: SCOPES.join(' '), version: 2 });
    expect(payload).not.toHaveProperty('tenant');
    const viaApi = await h.sdk.send(new GetClientTokenCommand({ ClientId: p.api.id, Secret: p.api.secret }));
    expect(decodeJwt(viaApi.ClientAuthenticationResult!.AccessToken!)).not.toHaveProperty('tenant');
    expect(recorded()).toEqual([]);

    await h.sdk.send(new UpdateUserPoolCommand({ UserPoolId: p.poolId, LambdaConfig: preToken('V3_0') }));
    const after = await clientCredentials(p, { aws_client_metadata: '{"tenant":"acme"}' });
    expect(decodeJwt(String(after.body['access_token']))['tenant']).toBe('acme');
    expect(recorded().map((r) => r.event.triggerSource)).toEqual(['TokenGeneration_ClientCredentials']);
  });
});

describe('a failing V3_0 function means no machine token', () => {
  it('a function that throws: invalid_request at the token endpoint (why in the log), UserLambdaValidationException at GetClientToken', async () => {
    const p = await machinePool(preToken('V3_0', 'refuse'));
    logLines.length = 0;
    expect(await clientCredentials(p)).toEqual({ status: 400, body: { error: 'invalid_request' } });
    expect(logLines.some((line) => line.includes('TokenGeneration_ClientCredentials') && line.includes('Not today, null'))).toBe(true);
    expect(await failure(h.sdk.send(new GetClientTokenCommand({ ClientId: p.api.id, Secret: p.api.secret })))).toEqual({
      name: 'UserLambdaValidationException',
      message: 'PreTokenGeneration failed with error Not today, null.',
    });
    expect(recorded()).toHaveLength(2);
    // The log says why, never with the secrets the clients authenticated with.
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of [p.machine.secret, p.api.secret]) expect(logLines.join('\n')).not.toContain(secret);
  });

  it('an answer of the wrong JSON type: invalid_request, InvalidLambdaResponseException', async () => {
    const p = await machinePool(preToken('V3_0', 'pre-token-m2m-bad'));
    expect(await clientCredentials(p)).toEqual({ status: 400, body: { error: 'invalid_request' } });
    expect(await failure(h.sdk.send(new GetClientTokenCommand({ ClientId: p.api.id, Secret: p.api.secret })))).toEqual({
      name: 'InvalidLambdaResponseException',
      message: 'Invalid lambda function output : Invalid JSON',
    });
  });
});
