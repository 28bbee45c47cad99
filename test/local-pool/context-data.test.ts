// UserContextData (threat protection's EncodedData / IpAddress) and AnalyticsMetadata on every public operation that
// takes them, over raw HTTP so the shapes can be wrong: a well-formed one changes nothing about the answer, a wrong
// type is a SerializationException and an over-long member Cognito's validation error.
import { createPoolAndClient, createUser, rawCall, startPool, STRONG_PASSWORD, type PoolHarness, type Setup } from './support.js';

let h: PoolHarness;
let setup: Setup;
let signUps = 0;

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk);
  await createUser(h.sdk, setup.poolId, 'ada', STRONG_PASSWORD);
});
afterAll(() => h.close());

/** A request of each operation that the pool reads through (its answer may be an error of the operation itself). */
const REQUESTS: Record<string, () => Record<string, unknown>> = {
  InitiateAuth: () => ({ ClientId: setup.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ada', PASSWORD: STRONG_PASSWORD } }),
  RespondToAuthChallenge: () => ({ ClientId: setup.clientId, ChallengeName: 'SMS_MFA', Session: 's'.repeat(40), ChallengeResponses: { USERNAME: 'ada', SMS_MFA_CODE: '123456' } }),
  SignUp: () => ({ ClientId: setup.clientId, Username: `new-${++signUps}`, Password: STRONG_PASSWORD }),
  ConfirmSignUp: () => ({ ClientId: setup.clientId, Username: 'nobody', ConfirmationCode: '123456' }),
  ResendConfirmationCode: () => ({ ClientId: setup.clientId, Username: 'nobody' }),
  ForgotPassword: () => ({ ClientId: setup.clientId, Username: 'nobody' }),
  ConfirmForgotPassword: () => ({ ClientId: setup.clientId, Username: 'nobody', ConfirmationCode: '123456', Password: STRONG_PASSWORD }),
};

async function send(operation: string, extra: Record<string, unknown>) {
  const response = await rawCall(h.pool.url, { target: `AWSCognitoIdentityProviderService.${operation}`, body: JSON.stringify({ ...REQUESTS[operation]!(), ...extra }) });
  const json = (response.json ?? {}) as { __type?: string; message?: string };
  return { status: response.status, type: json.__type ?? null, message: json.message ?? null };
}

describe.each(Object.keys(REQUESTS))('%s', (operation) => {
  it('takes well-formed UserContextData and AnalyticsMetadata and answers as without them', async () => {
    const without = await send(operation, {});
    const withContext = await send(operation, {
      UserContextData: { EncodedData: 'e'.repeat(131072), IpAddress: '203.0.113.9' },
      AnalyticsMetadata: { AnalyticsEndpointId: 'endpoint-1' },
    });
    expect(withContext.status).toBe(without.status);
    expect(withContext.type).toBe(without.type);
    expect(without.type).not.toBe('SerializationException');
  });

  it('refuses members that are not strings', async () => {
    expect(await send(operation, { UserContextData: { EncodedData: 42 } })).toMatchObject({ status: 400, type: 'SerializationException' });
    expect(await send(operation, { UserContextData: 'not a structure' })).toMatchObject({ status: 400, type: 'SerializationException' });
    expect(await send(operation, { AnalyticsMetadata: { AnalyticsEndpointId: ['x'] } })).toMatchObject({ status: 400, type: 'SerializationException' });
  });

  it('refuses a member over 131072 characters with the validation error', async () => {
    expect(await send(operation, { UserContextData: { IpAddress: 'i'.repeat(131073) } })).toEqual({
      status: 400,
      type: 'InvalidParameterException',
      message: "1 validation error detected: Value at 'userContextData.ipAddress' failed to satisfy constraint: Member must have length less than or equal to 131072",
    });
  });
});
