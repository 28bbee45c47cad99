// amazon-cognito-identity-js, unchanged, through the account calls against the local pool: signUp,
// confirmRegistration, resendConfirmationCode, forgotPassword, confirmPassword, changePassword, deleteAttributes.
// Codes are read from the pool's outbox.
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
  type ISignUpResult,
} from 'amazon-cognito-identity-js';
import { STRONG_PASSWORD, createPoolAndClient, createUser, startPool, type PoolHarness, type Setup } from '../../local-pool/support.js';

const NEW_PASSWORD = 'N3w!Passw0rd';
let h: PoolHarness;
let setup: Setup;
let userPool: CognitoUserPool;
const codeTo = (to: string) => h.pool.outbox({ recipient: to }).at(-1)?.code ?? '';

beforeAll(async () => {
  h = await startPool();
  setup = await createPoolAndClient(h.sdk, {
    AutoVerifiedAttributes: ['email'],
    Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }],
  });
  userPool = new CognitoUserPool({ UserPoolId: setup.poolId, ClientId: setup.clientId, endpoint: h.pool.url });
});
afterAll(() => h.close());

type Failure = { code?: string; name?: string; message: string };
const settle = <T>(run: (done: (error: Failure | null | undefined, result?: T) => void) => void): Promise<{ error?: Failure; result?: T }> =>
  new Promise((resolve) => run((error, result) => resolve(error ? { error } : { result: result as T })));

function signUp(username: string, email: string, password = STRONG_PASSWORD, name = 'Iggy') {
  const attributes = [new CognitoUserAttribute({ Name: 'email', Value: email }), ...(name ? [new CognitoUserAttribute({ Name: 'name', Value: name })] : [])];
  return settle<ISignUpResult>((done) => userPool.signUp(username, password, attributes, [], (error, result) => done(error as Failure, result)));
}

function authenticate(user: CognitoUser, password: string): Promise<{ session?: CognitoUserSession; error?: Failure }> {
  return new Promise((resolve) =>
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
      onSuccess: (session) => resolve({ session }),
      onFailure: (error: Failure) => resolve({ error }),
    }),
  );
}
const cognitoUser = (username: string) => new CognitoUser({ Username: username, Pool: userPool });

it('signUp -> codeDeliveryDetails; confirmRegistration confirms; the user signs in with SRP', async () => {
  const out = await signUp('iggy', 'iggy@example.com');
  expect(out.result!.userConfirmed).toBe(false);
  expect(out.result!.codeDeliveryDetails).toEqual({ Destination: 'i***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  expect(out.result!.userSub).toMatch(/^[0-9a-f-]{36}$/);
  const user = cognitoUser('iggy');
  expect((await authenticate(user, STRONG_PASSWORD)).error).toMatchObject({ code: 'UserNotConfirmedException' });
  const wrong = await settle<string>((done) => user.confirmRegistration('000000x', true, (error, result) => done(error, result)));
  expect(wrong.error).toMatchObject({ code: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' });
  const resent = await settle<unknown>((done) => user.resendConfirmationCode((error, result) => done(error, result)));
  expect(resent.result).toEqual({ CodeDeliveryDetails: { Destination: 'i***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' } });
  const confirmed = await settle<string>((done) => user.confirmRegistration(codeTo('iggy@example.com'), true, (error, result) => done(error, result)));
  expect(confirmed.result).toBe('SUCCESS');
  const signedIn = await authenticate(cognitoUser('iggy'), STRONG_PASSWORD);
  expect(signedIn.session?.getIdToken().decodePayload()).toMatchObject({ email: 'iggy@example.com', email_verified: true, name: 'Iggy' });
});

it("signUp errors come back with Cognito's codes and messages", async () => {
  await signUp('jill', 'jill@example.com');
  expect((await signUp('jill', 'jill@example.com')).error).toMatchObject({ code: 'UsernameExistsException', message: 'User already exists' });
  expect((await signUp('kate', 'kate@example.com', 'alllowercase1!')).error).toMatchObject({
    code: 'InvalidPasswordException',
    message: 'Password did not conform with policy: Password must have uppercase characters',
  });
  expect((await signUp('kate', 'kate@example.com', STRONG_PASSWORD, '')).error).toMatchObject({
    code: 'InvalidParameterException',
    message: 'Attributes did not conform to the schema: name: The attribute is required',
  });
});

it('forgotPassword -> inputVerificationCode; confirmPassword sets the new password', async () => {
  await createUser(h.sdk, setup.poolId, 'lola', STRONG_PASSWORD, { attributes: { email: 'lola@example.com', email_verified: 'true', name: 'Lola' } });
  const user = cognitoUser('lola');
  const details = await new Promise<unknown>((resolve, reject) =>
    user.forgotPassword({ onSuccess: () => reject(new Error('expected inputVerificationCode')), onFailure: reject, inputVerificationCode: resolve }),
  );
  expect(details).toEqual({ CodeDeliveryDetails: { Destination: 'l***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' } });
  const code = codeTo('lola@example.com');
  const bad = await new Promise<Failure | string>((resolve) =>
    user.confirmPassword(code, 'weak', { onSuccess: (result) => resolve(result), onFailure: (error: Failure) => resolve(error) }),
  );
  expect(bad).toMatchObject({ code: 'InvalidPasswordException' });
  const done = await new Promise<Failure | string>((resolve) =>
    user.confirmPassword(code, NEW_PASSWORD, { onSuccess: (result) => resolve(result), onFailure: (error: Failure) => resolve(error) }),
  );
  expect(done).toBe('SUCCESS');
  expect((await authenticate(cognitoUser('lola'), STRONG_PASSWORD)).error).toMatchObject({ code: 'NotAuthorizedException' });
  expect((await authenticate(cognitoUser('lola'), NEW_PASSWORD)).session?.isValid()).toBe(true);
});

it('changePassword checks the old password; the new one signs in', async () => {
  await createUser(h.sdk, setup.poolId, 'mona', STRONG_PASSWORD, { attributes: { name: 'Mona' } });
  const user = cognitoUser('mona');
  expect((await authenticate(user, STRONG_PASSWORD)).session).toBeDefined();
  const wrong = await settle<string>((done) => user.changePassword('Wr0ng!password', NEW_PASSWORD, (error, result) => done(error, result)));
  expect(wrong.error).toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  const changed = await settle<string>((done) => user.changePassword(STRONG_PASSWORD, NEW_PASSWORD, (error, result) => done(error, result)));
  expect(changed.result).toBe('SUCCESS');
  expect((await authenticate(cognitoUser('mona'), NEW_PASSWORD)).session?.isValid()).toBe(true);
});

it('deleteAttributes removes an attribute (and an address its verified flag); the required name is refused', async () => {
  await createUser(h.sdk, setup.poolId, 'nell', STRONG_PASSWORD, { attributes: { name: 'Nell', nickname: 'nel', email: 'nell@example.com', email_verified: 'true' } });
  const user = cognitoUser('nell');
  expect((await authenticate(user, STRONG_PASSWORD)).session?.isValid()).toBe(true);
  const names = async () =>
    (await settle<CognitoUserAttribute[] | undefined>((done) => user.getUserAttributes((error, result) => done(error, result)))).result?.map((a) => a.getName()).sort();
  expect(await names()).toEqual(['email', 'email_verified', 'name', 'nickname', 'sub']);
  const deleted = await settle<string>((done) => user.deleteAttributes(['nickname', 'email'], (error, result) => done(error, result)));
  expect(deleted.result).toBe('SUCCESS');
  expect(await names()).toEqual(['name', 'sub']);
  const refused = await settle<string>((done) => user.deleteAttributes(['name'], (error, result) => done(error, result)));
  expect(refused.error).toMatchObject({ code: 'InvalidParameterException' });
  expect(await names()).toEqual(['name', 'sub']);
});
