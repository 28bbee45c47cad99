// Exposure to browser pages. The pool listens on loopback, but any page the developer opens can send
// requests to it: pages of other origins get the public Cognito operations only (and only from the
// allowed origins), never the admin operations or /_local/*; a DNS-rebinding page (Host: its own
// name) gets nothing.
import { startLocalPool, type LocalPool } from '../../src/local-pool/index.js';
import { premadeSigningKeyPairs } from '../support/signing-keys.js';
import { nodeRequest } from './support.js';

let pool: LocalPool;
beforeAll(async () => {
  pool = await startLocalPool({ signingKeyPairs: premadeSigningKeyPairs, localApi: true });
});
afterAll(() => pool.close());

const EVIL = 'http://evil.example';
const LOCAL_PAGE = 'http://localhost:5173';
const TARGET = 'AWSCognitoIdentityProviderService.';

function api(operation: string, body: object, headers: Record<string, string>): Promise<Response> {
  return fetch(pool.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': TARGET + operation, ...headers },
    body: JSON.stringify(body),
  });
}

function preflight(path: string, origin: string): Promise<Response> {
  return fetch(`${pool.url}${path}`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-amz-target' },
  });
}

const LOCAL_PATHS = ['/_local/outbox', '/_local/totp?userPoolId=us-east-1_x&username=u', '/_local/requests'];

describe('pages of another origin', () => {
  it.each(LOCAL_PATHS)('cannot call %s (preflight and request refused)', async (path) => {
    for (const origin of [EVIL, LOCAL_PAGE, 'null']) {
      const response = await fetch(`${pool.url}${path}`, { headers: { Origin: origin } });
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(((await response.json()) as { __type: string }).__type).toBe('ForbiddenException');
      const options = await preflight(path, origin);
      expect(options.status).toBe(403);
      expect(options.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('cannot reach /_local/* without an Origin either, when the browser says the request is cross-site', async () => {
    const response = await fetch(`${pool.url}/_local/outbox`, { headers: { 'Sec-Fetch-Site': 'cross-site' } });
    expect(response.status).toBe(403);
  });

  it('cannot call admin operations, even from an allowed origin', async () => {
    for (const origin of [EVIL, LOCAL_PAGE, 'null']) {
      for (const [operation, body] of [
        ['ListUserPools', { MaxResults: 1 }],
        ['CreateUserPool', { PoolName: 'evil' }],
        ['AdminCreateUser', { UserPoolId: 'us-east-1_x', Username: 'evil' }],
        ['AdminResetUserPassword', { UserPoolId: 'us-east-1_x', Username: 'evil' }],
        ['AdminUpdateUserAttributes', { UserPoolId: 'us-east-1_x', Username: 'evil', UserAttributes: [] }],
        ['UpdateUserPool', { UserPoolId: 'us-east-1_x' }],
        ['SetUserPoolMfaConfig', { UserPoolId: 'us-east-1_x', MfaConfiguration: 'OFF' }],
      ] as const) {
        const response = await api(operation, body, { Origin: origin });
        expect(response.status).toBe(403);
        expect(((await response.json()) as { __type: string }).__type).toBe('ForbiddenException');
      }
    }
    const pools = await api('ListUserPools', { MaxResults: 60 }, {});
    expect(((await pools.json()) as { UserPools: unknown[] }).UserPools).toEqual([]); // nothing was created
  });

  it('of a foreign site get nothing at all, not even the public operations', async () => {
    const response = await api('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'x', AuthParameters: {} }, { Origin: EVIL });
    expect(response.status).toBe(403);
    const options = await preflight('/', EVIL);
    expect(options.status).toBe(403);
    expect(options.headers.get('access-control-allow-origin')).toBeNull();
    expect(options.headers.get('access-control-allow-private-network')).toBeNull();
  });
});

describe('pages on localhost (any port) and file:// pages', () => {
  it.each([LOCAL_PAGE, 'http://127.0.0.1:3000', 'http://app.localhost:8080', 'http://[::1]:4200', 'null'])(
    'may call the public operations from %s (CORS preflight and answer)',
    async (origin) => {
      const options = await preflight('/', origin);
      expect(options.status).toBe(204);
      expect(options.headers.get('access-control-allow-origin')).toBe(origin);
      expect(options.headers.get('access-control-allow-headers')).toContain('x-amz-target');
      const response = await api('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'nosuchclient', AuthParameters: {} }, { Origin: origin });
      expect(response.status).toBe(400); // the operation ran: the client does not exist
      expect(((await response.json()) as { __type: string }).__type).toBe('ResourceNotFoundException');
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    },
  );
});

describe('the account operations', () => {
  it.each([
    ['SignUp', { ClientId: 'nosuchclient', Username: 'u', Password: 'p' }],
    ['ConfirmSignUp', { ClientId: 'nosuchclient', Username: 'u', ConfirmationCode: '1' }],
    ['ResendConfirmationCode', { ClientId: 'nosuchclient', Username: 'u' }],
    ['ForgotPassword', { ClientId: 'nosuchclient', Username: 'u' }],
    ['ConfirmForgotPassword', { ClientId: 'nosuchclient', Username: 'u', ConfirmationCode: '1', Password: 'p' }],
    ['ChangePassword', { AccessToken: 'x.y.z', PreviousPassword: 'p', ProposedPassword: 'q' }],
    ['GetUserAttributeVerificationCode', { AccessToken: 'x.y.z', AttributeName: 'email' }],
    ['VerifyUserAttribute', { AccessToken: 'x.y.z', AttributeName: 'email', Code: '1' }],
    ['UpdateUserAttributes', { AccessToken: 'x.y.z', UserAttributes: [] }],
    ['DeleteUserAttributes', { AccessToken: 'x.y.z', UserAttributeNames: ['nickname'] }],
    ['DeleteUser', { AccessToken: 'x.y.z' }],
  ] as const)('%s is public: allowed pages call it with CORS (Cognito answers it for any origin)', async (operation, body) => {
    const response = await api(operation, body, { Origin: LOCAL_PAGE });
    expect(response.status).toBe(400); // it ran: no such client / not a valid token
    expect(['ResourceNotFoundException', 'NotAuthorizedException']).toContain(((await response.json()) as { __type: string }).__type);
    expect(response.headers.get('access-control-allow-origin')).toBe(LOCAL_PAGE);
  });
});

describe("the pool's own pages and non-browser clients", () => {
  it('may call everything', async () => {
    const own = pool.url;
    expect((await api('ListUserPools', { MaxResults: 1 }, { Origin: own })).status).toBe(200);
    expect((await fetch(`${pool.url}/_local/outbox`, { headers: { Origin: own } })).status).toBe(200);
    expect((await fetch(`${pool.url}/_local/outbox`, { headers: { 'Sec-Fetch-Site': 'same-origin' } })).status).toBe(200);
    // Typed into the address bar: Sec-Fetch-Site none.
    expect((await fetch(`${pool.url}/_local/outbox`, { headers: { 'Sec-Fetch-Site': 'none' } })).status).toBe(200);
    expect((await api('ListUserPools', { MaxResults: 1 }, {})).status).toBe(200);
  });
});

/** A raw request with any Host header (fetch does not let one set it). */
const withHost = async (host: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string; url?: string } = {}) => {
  const { status, text } = await nodeRequest(`${init.url ?? pool.url}${path}`, { ...init, headers: { ...init.headers, Host: host } });
  return { status, body: text };
};

describe('DNS rebinding', () => {
  it.each(['evil.example', `evil.example:${0}`, 'localhost.evil.example', '127.0.0.1.nip.io'])('Host %s is refused with a JSON error', async (name) => {
    const host = name.replace(':0', `:${pool.port}`);
    for (const path of ['/_local/outbox', '/_local/totp?userPoolId=us-east-1_x&username=u', '/health']) {
      const answer = await withHost(host, path);
      expect(answer.status).toBe(421);
      expect(JSON.parse(answer.body)).toEqual({ __type: 'ForbiddenException', message: expect.stringContaining('is not a name of this local pool') });
    }
    const call = await withHost(host, '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}ListUserPools` },
      body: '{"MaxResults":1}',
    });
    expect(call.status).toBe(421);
  });

  it.each(['localhost', `localhost:${0}`, `127.0.0.1:${0}`, `[::1]:${0}`, `dev.localhost:${0}`])('Host %s is accepted', async (name) => {
    const answer = await withHost(name.replace(':0', `:${pool.port}`), '/health');
    expect(answer.status).toBe(200);
  });

  it('accepts the names given in allowedHosts', async () => {
    const named = await startLocalPool({ signingKeyPairs: premadeSigningKeyPairs, allowedHosts: ['pool.internal', '.dev.test'] });
    try {
      const get = async (host: string) => (await withHost(host, '/health', { url: named.url })).status;
      expect(await get('pool.internal:9229')).toBe(200);
      expect(await get('a.dev.test')).toBe(200);
      expect(await get('dev.test.evil.example')).toBe(421);
    } finally {
      await named.close();
    }
  });
});

describe('/_local/*', () => {
  it('is off unless asked for (localApi), and says how to turn it on', async () => {
    const plain = await startLocalPool({ signingKeyPairs: premadeSigningKeyPairs });
    try {
      const response = await fetch(`${plain.url}/_local/outbox`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { message: string }).message).toContain('localApi');
    } finally {
      await plain.close();
    }
  });
});
