// AWS JSON 1.1 as the real service speaks it: error shapes and headers, unknown operations,
// malformed bodies, CORS, health, request log and the control API.
import { DescribeUserPoolCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Store } from '../../src/local-pool/store/store.js';
import { failure, rawCall, startPool, type PoolHarness } from './support.js';

let h: PoolHarness;
beforeAll(async () => {
  h = await startPool({ enableControlApi: true });
});
afterAll(() => h.close());

const TARGET = 'AWSCognitoIdentityProviderService.';

describe('errors on the wire', () => {
  it('a client fault is HTTP 400 with __type/message and the x-amzn-Error* headers', async () => {
    const res = await rawCall(h.pool.url, {
      target: `${TARGET}DescribeUserPool`,
      body: JSON.stringify({ UserPoolId: 'us-east-1_nope12345' }),
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ __type: 'ResourceNotFoundException', message: 'User pool us-east-1_nope12345 does not exist.' });
    expect(res.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException:');
    expect(res.headers.get('x-amzn-errormessage')).toBe('User pool us-east-1_nope12345 does not exist.');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
  });

  it('the SDK maps it to the typed exception', async () => {
    const error = await failure(h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_nope12345' })));
    expect(error).toEqual({ name: 'ResourceNotFoundException', message: 'User pool us-east-1_nope12345 does not exist.' });
  });

  it('an unknown operation is a JSON UnknownOperationException, never HTML', async () => {
    const res = await rawCall(h.pool.url, { target: `${TARGET}MakeCoffee`, body: '{}' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      __type: 'UnknownOperationException',
      message: `Operation ${TARGET}MakeCoffee is not supported by the local pool.`,
    });
    const missing = await rawCall(h.pool.url, { body: '{}' });
    expect((missing.json as { __type: string }).__type).toBe('UnknownOperationException');
  });

  it('a body that is not JSON is a SerializationException', async () => {
    const res = await rawCall(h.pool.url, { target: `${TARGET}InitiateAuth`, body: '{"AuthFlow":' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ __type: 'SerializationException', message: 'The request body is not valid JSON.' });
    const wrongType = await rawCall(h.pool.url, { target: `${TARGET}InitiateAuth`, body: '{"AuthFlow": 5, "ClientId": "abc"}' });
    expect((wrongType.json as { __type: string }).__type).toBe('SerializationException');
  });

  it('constraint failures are one InvalidParameterException in AWS wording', async () => {
    const error = await failure(
      h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: 'bad id!', AuthParameters: {} })),
    );
    expect(error).toEqual({
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+",
    });
    const res = await rawCall(h.pool.url, {
      target: `${TARGET}RespondToAuthChallenge`,
      body: JSON.stringify({ ClientId: 'abc', ChallengeName: 'PASSWORD_VERIFIER', Session: 'short' }),
    });
    expect((res.json as { message: string }).message).toBe(
      "1 validation error detected: Value at 'session' failed to satisfy constraint: Member must have length greater than or equal to 20",
    );
    const two = await rawCall(h.pool.url, { target: `${TARGET}InitiateAuth`, body: '{}' });
    expect((two.json as { message: string }).message).toBe(
      "2 validation errors detected: Value at 'authFlow' failed to satisfy constraint: Member must not be null; " +
        "Value at 'clientId' failed to satisfy constraint: Member must not be null",
    );
  });

  it('an unexpected server failure is InternalErrorException with HTTP 500', async () => {
    const lines: string[] = [];
    const broken = await startPool({ log: (line) => lines.push(line) });
    try {
      // The store fails as if the schema had been broken behind the running server's back (the data
      // file itself is locked to the running pool).
      jest.spyOn(Store.prototype, 'getClient').mockImplementationOnce(() => {
        throw new Error('no such table: app_clients');
      });
      const res = await rawCall(broken.pool.url, {
        target: `${TARGET}InitiateAuth`,
        body: JSON.stringify({ AuthFlow: 'USER_SRP_AUTH', ClientId: 'abc', AuthParameters: {} }),
      });
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ __type: 'InternalErrorException', message: 'Internal error in the local pool.' });
      expect(res.headers.get('x-amzn-errortype')).toBe('InternalErrorException:');
      expect(lines.some((line) => line.includes('internal error in InitiateAuth') && line.includes('no such table'))).toBe(true);
    } finally {
      jest.restoreAllMocks();
      await broken.close();
    }
  });
});

describe('plumbing', () => {
  it('answers CORS preflight and adds CORS headers to responses', async () => {
    const preflight = await rawCall(h.pool.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent,cache-control',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const allowed = preflight.headers.get('access-control-allow-headers')!;
    for (const header of ['x-amz-target', 'x-amz-user-agent', 'amz-sdk-invocation-id', 'amz-sdk-request', 'cache-control', 'content-type', 'authorization', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token']) {
      expect(allowed).toContain(header);
    }
    const res = await rawCall(h.pool.url, { target: `${TARGET}Nope`, body: '{}', headers: { origin: 'http://localhost:5173' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('access-control-expose-headers')).toContain('x-amzn-ErrorType');
  });

  it('GET /health', async () => {
    const res = await rawCall(`${h.pool.url}/health`, { method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true });
  });

  it('keeps a request log (pool.requests and GET /_local/requests)', async () => {
    h.pool.resetRequestLog();
    await failure(h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_nope12345' })));
    expect(h.pool.requests).toEqual([
      { target: `${TARGET}DescribeUserPool`, at: h.clock.now(), outcome: 'ResourceNotFoundException' },
    ]);
    const res = await rawCall(`${h.pool.url}/_local/requests`, { method: 'GET' });
    expect(res.json).toEqual({ requests: [{ target: `${TARGET}DescribeUserPool`, at: h.clock.now(), outcome: 'ResourceNotFoundException' }] });
  });

  it('moves a ManualClock through POST /_local/clock when the control API is on', async () => {
    const before = h.clock.now();
    const res = await rawCall(`${h.pool.url}/_local/clock`, { body: JSON.stringify({ advanceMs: 60_000 }) });
    expect(res.json).toEqual({ now: before + 60_000 });
    expect(h.clock.now()).toBe(before + 60_000);
  });

  it('refuses the control API when it is off', async () => {
    const other = await startPool();
    try {
      const res = await rawCall(`${other.pool.url}/_local/clock`, { body: JSON.stringify({ advanceMs: 1 }) });
      expect(res.status).toBe(400);
      expect((res.json as { __type: string }).__type).toBe('ForbiddenException');
    } finally {
      await other.close();
    }
  });

  it('answers unknown paths with JSON 404', async () => {
    const res = await rawCall(`${h.pool.url}/nothing/here`, { method: 'GET' });
    expect(res.status).toBe(404);
    expect((res.json as { __type: string }).__type).toBe('ResourceNotFoundException');
  });

  it('listens on loopback only by default', () => {
    expect(h.pool.url).toBe(`http://127.0.0.1:${h.pool.port}`);
  });
});
