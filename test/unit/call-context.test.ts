// ClientMetadata and UserContextData (src/cognito/call-context.ts), added by the wire port to every operation that
// takes them: which operations those are comes from the AWS SDK's own service model, not from our table.
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoCall } from '../../src/cognito/call-context.js';
import { advancedSecurityContextData } from '../../src/cognito/security-context.js';
import { WIRE_OPERATIONS, type WireObject } from '../../src/cognito/wire.js';
import { createWirePort } from '../../src/cognito/wire-port.js';

const ids = { userPoolId: 'eu-west-1_Context1', clientId: 'contextclient' };
const CONTEXT_MEMBERS = ['ClientMetadata', 'UserContextData'];

/** The request members the SDK's schema of an operation's input lists (`XRequest$`: [3, namespace, name, traits, members, ...]). */
function sdkRequestMembers(operation: string): string[] {
  const schema = (sdk as unknown as Record<string, unknown>)[`${operation}Request$`];
  if (!Array.isArray(schema) || !Array.isArray(schema[4])) throw new Error(`the SDK has no schema for ${operation}Request`);
  return schema[4] as string[];
}

/** A transport that records what it was asked to send and answers each operation with `{}` or tokens. */
function recordingTransport() {
  const sent: Array<{ operation: string; input: WireObject }> = [];
  const tokens = { AuthenticationResult: { AccessToken: 'a', IdToken: 'i', ExpiresIn: 3600, TokenType: 'Bearer' } };
  return {
    sent,
    transport: {
      async send(operation: string, input: WireObject): Promise<WireObject> {
        sent.push({ operation, input });
        if (operation === 'GetTokensFromRefreshToken') return tokens;
        if (operation === 'SignUp') return { UserConfirmed: false, UserSub: 'sub-1' };
        return {};
      },
    },
  };
}

const signal = new AbortController().signal;

/** One call of every port method that takes the members, with a plausible request. */
const CALLS: Record<string, (port: ReturnType<typeof createWirePort>) => Promise<unknown>> = {
  InitiateAuth: (p) => p.initiateAuth({ authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: 'ada', PASSWORD: 'pw' } }, signal),
  RespondToAuthChallenge: (p) => p.respondToAuthChallenge({ challengeName: 'SOFTWARE_TOKEN_MFA', session: 's'.repeat(20), responses: { USERNAME: 'sub-ada', SOFTWARE_TOKEN_MFA_CODE: '123456' } }, signal),
  GetTokensFromRefreshToken: (p) => p.getTokensFromRefreshToken({ refreshToken: 'r' }, signal),
  SignUp: (p) => p.signUp({ username: 'ada', password: 'pw', attributes: {} }, signal),
  ConfirmSignUp: (p) => p.confirmSignUp({ username: 'ada', code: '1' }, signal),
  ResendConfirmationCode: (p) => p.resendConfirmationCode({ username: 'ada' }, signal),
  ForgotPassword: (p) => p.forgotPassword({ username: 'ada' }, signal),
  ConfirmForgotPassword: (p) => p.confirmForgotPassword({ username: 'ada', code: '1', password: 'pw' }, signal),
  UpdateUserAttributes: (p) => p.updateUserAttributes({ accessToken: 'a', attributes: { name: 'Ada' } }, signal),
  GetUserAttributeVerificationCode: (p) => p.getUserAttributeVerificationCode({ accessToken: 'a', attributeName: 'email' }, signal),
  VerifyUserAttribute: (p) => p.verifyUserAttribute({ accessToken: 'a', attributeName: 'email', code: '1' }, signal),
  ChangePassword: (p) => p.changePassword({ accessToken: 'a', previousPassword: 'x', proposedPassword: 'y' }, signal),
  GetUser: (p) => p.getUser({ accessToken: 'a' }, signal),
  GlobalSignOut: (p) => p.globalSignOut({ accessToken: 'a' }, signal),
};

describe('the operations that take ClientMetadata / UserContextData', () => {
  const entries = Object.values(WIRE_OPERATIONS).map((entry) => [entry.operation, entry] as const);

  it.each(entries)('%s: as the SDK model says', (operation, entry) => {
    const expected = sdkRequestMembers(operation).filter((member) => CONTEXT_MEMBERS.includes(member)).sort();
    expect([...(entry.accepts ?? [])].sort()).toEqual(expected);
  });
});

describe('the wire port adds them', () => {
  it('a map goes on every call that takes ClientMetadata, and on no other', async () => {
    const { sent, transport } = recordingTransport();
    const port = createWirePort({ ...ids, clientMetadata: { tenant: 'acme' } }, transport);
    for (const call of Object.values(CALLS)) await call(port);
    const withMetadata = sent.filter((s) => 'ClientMetadata' in s.input).map((s) => s.operation);
    const expected = Object.keys(CALLS).filter((operation) => sdkRequestMembers(operation).includes('ClientMetadata'));
    expect(withMetadata).toEqual(expected);
    expect(expected).toHaveLength(10);
    for (const s of sent.filter((s) => 'ClientMetadata' in s.input)) expect(s.input['ClientMetadata']).toEqual({ tenant: 'acme' });
    expect(sent.some((s) => 'UserContextData' in s.input)).toBe(false);
  });

  it('a function is asked per call with the operation and the user name, and may answer nothing', async () => {
    const { sent, transport } = recordingTransport();
    const seen: CognitoCall[] = [];
    const port = createWirePort(
      {
        ...ids,
        clientMetadata: async (call) => {
          seen.push(call);
          return call.operation === 'SignUp' ? undefined : { op: call.operation };
        },
      },
      transport,
    );
    await CALLS['InitiateAuth']!(port);
    await CALLS['RespondToAuthChallenge']!(port);
    await CALLS['SignUp']!(port);
    await CALLS['GetTokensFromRefreshToken']!(port);
    expect(seen).toEqual([
      { operation: 'InitiateAuth', username: 'ada', ...ids },
      { operation: 'RespondToAuthChallenge', username: 'sub-ada', ...ids },
      { operation: 'SignUp', username: 'ada', ...ids },
      { operation: 'GetTokensFromRefreshToken', ...ids },
    ]);
    expect(sent.map((s) => s.input['ClientMetadata'])).toEqual([{ op: 'InitiateAuth' }, { op: 'RespondToAuthChallenge' }, undefined, { op: 'GetTokensFromRefreshToken' }]);
  });

  it('UserContextData goes on the sign-in, sign-up and reset calls only, with the members Cognito knows', async () => {
    const { sent, transport } = recordingTransport();
    const port = createWirePort({ ...ids, userContextData: () => ({ IpAddress: '203.0.113.7', EncodedData: 'enc', Other: 'x' }) as never }, transport);
    for (const call of Object.values(CALLS)) await call(port);
    const withContext = sent.filter((s) => 'UserContextData' in s.input);
    expect(withContext.map((s) => s.operation)).toEqual(Object.keys(CALLS).filter((operation) => sdkRequestMembers(operation).includes('UserContextData')));
    expect(withContext).toHaveLength(7);
    for (const s of withContext) expect(s.input['UserContextData']).toEqual({ IpAddress: '203.0.113.7', EncodedData: 'enc' });
  });

  it('the request members of the operation itself are kept', async () => {
    const { sent, transport } = recordingTransport();
    const port = createWirePort({ ...ids, clientSecret: 'secret', clientMetadata: { a: 'b' }, userContextData: () => ({ IpAddress: '198.51.100.1' }) }, transport);
    await CALLS['InitiateAuth']!(port);
    expect(sent[0]!.input).toMatchObject({
      ClientId: ids.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'ada', PASSWORD: 'pw', SECRET_HASH: expect.any(String) },
      ClientMetadata: { a: 'b' },
      UserContextData: { IpAddress: '198.51.100.1' },
    });
  });

  it('a provider that throws fails the call as a configuration error, and nothing is sent', async () => {
    const { sent, transport } = recordingTransport();
    const port = createWirePort(
      {
        ...ids,
        userContextData: () => {
          throw new Error('collector not loaded');
        },
      },
      transport,
    );
    await expect(CALLS['ForgotPassword']!(port)).rejects.toMatchObject({ code: 'NotProvided', message: expect.stringContaining('collector not loaded') });
    expect(sent).toEqual([]);
    // an operation that takes no UserContextData does not ask the provider
    await CALLS['GetUser']!(port);
    expect(sent.map((s) => s.operation)).toEqual(['GetUser']);
  });
});

describe('advancedSecurityContextData', () => {
  const global = globalThis as { AmazonCognitoAdvancedSecurityData?: unknown };
  afterEach(() => delete global.AmazonCognitoAdvancedSecurityData);

  it("answers nothing without Cognito's collection script", () => {
    expect(advancedSecurityContextData({ operation: 'InitiateAuth', username: 'ada', ...ids })).toBeUndefined();
  });

  it("asks the script for this user, pool and client, as Amplify does", () => {
    const asked: unknown[][] = [];
    global.AmazonCognitoAdvancedSecurityData = { getData: (...args: unknown[]) => (asked.push(args), 'fingerprint') };
    expect(advancedSecurityContextData({ operation: 'InitiateAuth', username: 'ada', ...ids })).toEqual({ EncodedData: 'fingerprint' });
    expect(asked).toEqual([['ada', ids.userPoolId, ids.clientId]]);
  });
});
