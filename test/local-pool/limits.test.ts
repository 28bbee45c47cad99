// Oversized and odd requests get an answer, never a connection reset: a body over 1 MiB, over-long
// fields inside AuthParameters / ChallengeResponses, and bodies of the wrong Content-Type.
import { InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createPoolAndClient, failure, nodeRequest, rawCall, startPool, type PoolHarness, type Setup } from './support.js';

let h: PoolHarness;
let setup: Setup;
beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk);
});
afterAll(() => h.close());

const TARGET = 'AWSCognitoIdentityProviderService.';
const MiB = 1024 * 1024;

/** A JSON InitiateAuth body of exactly `bytes` bytes (the padding sits in ClientMetadata). */
function bodyOf(bytes: number): string {
  const shell = JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: setup.clientId, AuthParameters: {}, ClientMetadata: { pad: '' } });
  return shell.replace('"pad":""', `"pad":"${'x'.repeat(bytes - shell.length)}"`);
}

/** POST with node:http, chunked or with a Content-Length, written in pieces as a streaming client would. */
async function post(body: string, { chunked = false } = {}): Promise<{ status: number; json: unknown; connection: string | undefined }> {
  const res = await nodeRequest(h.pool.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}InitiateAuth` },
    body,
    chunked,
  });
  return { status: res.status, json: JSON.parse(res.text), connection: res.headers.connection };
}

describe('a body over 1 MiB', () => {
  it.each([false, true])('gets 413 SerializationException, not a reset (chunked: %s)', async (chunked) => {
    const answer = await post(bodyOf(MiB + 1), { chunked });
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({ __type: 'SerializationException', message: 'Request body is larger than 1 MiB.' });
    expect(answer.connection).toBe('close');
  });

  it('of 5 MiB too, and the pool keeps answering', async () => {
    expect((await post(bodyOf(5 * MiB))).status).toBe(413);
    expect((await rawCall(`${h.pool.url}/health`, { method: 'GET' })).status).toBe(200);
  });

  it('of exactly 1 MiB is read', async () => {
    const answer = await post(bodyOf(MiB));
    expect(answer.status).toBe(400);
    expect((answer.json as { __type: string }).__type).toBe('InvalidParameterException'); // USERNAME missing: the operation ran
  });

  it('through the SDK is a SerializationException', async () => {
    const error = await failure(
      h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: setup.clientId, ClientMetadata: { pad: 'x'.repeat(2 * MiB) } })),
    );
    expect(error.name).toBe('SerializationException');
  });
});

describe('over-long fields in the parameter maps', () => {
  const tooLong = (member: string, max: number) =>
    `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`;

  it('a 1 MB USERNAME in AuthParameters is an InvalidParameterException', async () => {
    const error = await failure(
      h.sdk.send(
        new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: 'u'.repeat(1_000_000), PASSWORD: 'x' } }),
      ),
    );
    expect(error).toEqual({ name: 'InvalidParameterException', message: tooLong('authParameters.USERNAME', 128) });
  });

  it('so are an over-long PASSWORD and SECRET_HASH, counted together', async () => {
    const error = await failure(
      h.sdk.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: setup.clientId,
          AuthParameters: { USERNAME: 'u', PASSWORD: 'p'.repeat(257), SECRET_HASH: 's'.repeat(129) },
        }),
      ),
    );
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toMatch(/^2 validation errors detected: /);
    expect(error.message).toContain("Value at 'authParameters.PASSWORD' failed to satisfy constraint: Member must have length less than or equal to 256");
    expect(error.message).toContain("Value at 'authParameters.SECRET_HASH' failed to satisfy constraint: Member must have length less than or equal to 128");
    expect(error.message).not.toContain('ppp');
  });

  it('and in ChallengeResponses', async () => {
    const error = await failure(
      h.sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: setup.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: 's'.repeat(40),
          ChallengeResponses: { USERNAME: 'u'.repeat(200), NEW_PASSWORD: 'n'.repeat(300) },
        }),
      ),
    );
    expect(error.message).toBe(
      "2 validation errors detected: Value at 'challengeResponses.USERNAME' failed to satisfy constraint: Member must have length less than or equal to 128; " +
        "Value at 'challengeResponses.NEW_PASSWORD' failed to satisfy constraint: Member must have length less than or equal to 256",
    );
  });
});

describe('Content-Type', () => {
  const initiate = JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'nosuchclient', AuthParameters: {} });
  const call = (contentType: string | undefined) =>
    rawCall(h.pool.url, {
      body: initiate,
      headers: { 'x-amz-target': `${TARGET}InitiateAuth`, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
    });

  it.each(['application/x-amz-json-1.1', 'application/x-amz-json-1.0', 'application/json', 'application/json; charset=utf-8'])('%s is read', async (type) => {
    expect((await call(type)).json).toEqual({ __type: 'ResourceNotFoundException', message: 'User pool client nosuchclient does not exist.' });
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])('%s is a SerializationException', async (type) => {
    const answer = await call(type);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      __type: 'SerializationException',
      message: 'The request Content-Type is not supported: send application/x-amz-json-1.1.',
    });
  });

  it('a missing Content-Type is read as JSON (hand-written clients)', async () => {
    const answer = await nodeRequest(h.pool.url, { method: 'POST', headers: { 'x-amz-target': `${TARGET}InitiateAuth` }, body: initiate });
    expect(JSON.parse(answer.text)).toEqual({ __type: 'ResourceNotFoundException', message: 'User pool client nosuchclient does not exist.' });
  });
});
