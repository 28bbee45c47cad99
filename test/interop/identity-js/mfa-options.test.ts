// amazon-cognito-identity-js, unchanged, through the legacy SMS MFA calls against the local pool:
// enableMFA / disableMFA (SetUserSettings) and getMFAOptions (GetUser's MFAOptions), and what the next
// authenticateUser then meets. The SMS code is read from the pool's outbox.
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { ALL_FACTORS, STRONG_PASSWORD, createPoolAndClient, createUser, lastCode, setPoolMfa, startPool, type PoolHarness } from '../../local-pool/support.js';

let h: PoolHarness;
let userPool: CognitoUserPool;

beforeAll(async () => {
  h = await startPool();
  const setup = await createPoolAndClient(h.sdk);
  await setPoolMfa(h.sdk, setup.poolId, 'OPTIONAL', ALL_FACTORS);
  await createUser(h.sdk, setup.poolId, 'mia', STRONG_PASSWORD, { attributes: { phone_number: '+15555550123' } });
  await createUser(h.sdk, setup.poolId, 'noa', STRONG_PASSWORD);
  userPool = new CognitoUserPool({ UserPoolId: setup.poolId, ClientId: setup.clientId, endpoint: h.pool.url });
});
afterAll(() => h.close());

type Failure = { code?: string; message: string };
type SignIn =
  | { kind: 'success'; session: CognitoUserSession }
  | { kind: 'failure'; error: Failure }
  | { kind: 'mfaRequired'; challengeName: string; parameters: Record<string, string> };

function authenticate(user: CognitoUser): Promise<SignIn> {
  return new Promise((resolve) =>
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: STRONG_PASSWORD }), {
      onSuccess: (session) => resolve({ kind: 'success', session }),
      onFailure: (error: Failure) => resolve({ kind: 'failure', error }),
      mfaRequired: (challengeName: string, parameters: Record<string, string>) => resolve({ kind: 'mfaRequired', challengeName, parameters }),
    }),
  );
}

const settle = <T>(run: (done: (error: Error | Failure | null | undefined, result?: T) => void) => void): Promise<{ error?: Failure; result?: T }> =>
  new Promise((resolve) => run((error, result) => resolve(error ? { error: error as Failure } : { result: result as T })));

/** A CognitoUser signed in with its password (no MFA on yet). */
async function signedIn(username: string): Promise<CognitoUser> {
  const user = new CognitoUser({ Username: username, Pool: userPool });
  const outcome = await authenticate(user);
  if (outcome.kind !== 'success') throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
  return user;
}

it('enableMFA -> the next sign-in gets mfaRequired (SMS_MFA) and sendMFACode finishes it; disableMFA -> none; getMFAOptions follows', async () => {
  const user = await signedIn('mia');
  const options = () => settle<unknown>((done) => user.getMFAOptions((error, result) => done(error, result)));
  expect(await options()).toEqual({ result: undefined });

  expect(await settle<string>((done) => user.enableMFA((error, result) => done(error, result)))).toEqual({ result: 'SUCCESS' });
  expect(await options()).toEqual({ result: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] });

  const again = new CognitoUser({ Username: 'mia', Pool: userPool });
  expect(await authenticate(again)).toEqual({
    kind: 'mfaRequired',
    challengeName: 'SMS_MFA',
    parameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0123', USERNAME: 'mia', USER_ID_FOR_SRP: 'mia' },
  });
  const answered = await new Promise<SignIn>((resolve) =>
    again.sendMFACode(lastCode(h.pool, 'mia'), {
      onSuccess: (session) => resolve({ kind: 'success', session }),
      onFailure: (error: Failure) => resolve({ kind: 'failure', error }),
    }),
  );
  expect(answered.kind).toBe('success');

  expect(await settle<string>((done) => again.disableMFA((error, result) => done(error, result)))).toEqual({ result: 'SUCCESS' });
  expect(await settle<unknown>((done) => again.getMFAOptions((error, result) => done(error, result)))).toEqual({ result: undefined });
  expect((await authenticate(new CognitoUser({ Username: 'mia', Pool: userPool }))).kind).toBe('success');
});

it('enableMFA for a user without a phone number fails with InvalidParameterException and changes nothing', async () => {
  const user = await signedIn('noa');
  const enabled = await settle<string>((done) => user.enableMFA((error, result) => done(error, result)));
  expect(enabled.error).toMatchObject({ code: 'InvalidParameterException', message: 'User does not have a phone_number set to turn on SMS MFA' });
  expect((await authenticate(new CognitoUser({ Username: 'noa', Pool: userPool }))).kind).toBe('success');
});
