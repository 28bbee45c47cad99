// USER_SRP_AUTH against the local pool, with authchart's SRP client doing the client side.
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import vector from '../fixtures/srp-test-vector.json' with { type: 'json' };
import { CognitoSrpRoutines, hexToBigInt, cognitoTimestamp } from '../../src/cognito/srp.js';
import { SrpServer } from '../../src/local-pool/crypto/srp-server.js';
import {
  STRONG_PASSWORD,
  answerVerifier,
  createPoolAndClient,
  createUser,
  failure,
  startPool,
  startSrp,
  type PoolHarness,
  type Setup,
} from './support.js';

let h: PoolHarness;
let setup: Setup;
// A single-digit day, so a zero-padded TIMESTAMP can be tried.
const NOW = Date.UTC(2026, 1, 5, 10, 0, 0);
const now = () => new Date(h.clock.now());

beforeAll(async () => {
  h = await startPool();
  h.clock.set(NOW);
  setup = await createPoolAndClient(h.sdk, { UsernameConfiguration: { CaseSensitive: false } });
  await createUser(h.sdk, setup.poolId, 'alice', STRONG_PASSWORD, { attributes: { email: 'alice@example.com' } });
});
afterAll(() => h.close());

describe('verifier', () => {
  it('matches the shared vector and CognitoSrpRoutines.computeX', async () => {
    const server = new SrpServer();
    const salt = Buffer.from(vector.SALT, 'hex');
    const made = server.createVerifier(`us-east-1_${vector.poolName}`, vector.username, vector.password, salt);
    expect(made).toEqual({ salt: vector.SALT, verifier: vector.v });
    const routines = new CognitoSrpRoutines();
    const x = await routines.computeX(vector.poolName + vector.username, hexToBigInt(vector.SALT), vector.password);
    expect(routines.computeVerifier(x).toString(16)).toBe(made.verifier);
  });

  it('normalises a salt with a leading zero byte the way clients read it', async () => {
    const server = new SrpServer();
    const salt = Buffer.from('00' + 'ab'.repeat(15), 'hex');
    const made = server.createVerifier('us-east-1_Pool', 'bob', 'pw', salt);
    const routines = new CognitoSrpRoutines();
    const x = await routines.computeX('Pool' + 'bob', hexToBigInt(made.salt), 'pw');
    expect(routines.computeVerifier(x).toString(16)).toBe(made.verifier);
  });
});

describe('PASSWORD_VERIFIER', () => {
  it('issues the challenge Cognito issues', async () => {
    const { response } = await startSrp(h.sdk, setup, 'alice');
    expect(response.ChallengeName).toBe('PASSWORD_VERIFIER');
    const p = response.ChallengeParameters!;
    expect(Object.keys(p).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
    expect(p['USER_ID_FOR_SRP']).toBe('alice');
    expect(p['USERNAME']).toBe('alice');
    expect(p['SALT']).toMatch(/^[0-9a-f]{32}$/);
    expect(p['SRP_B']).toMatch(/^[0-9a-f]{700,768}$/);
    expect(Buffer.from(p['SECRET_BLOCK']!, 'base64').length).toBeGreaterThanOrEqual(64);
    expect(p['SECRET_BLOCK']).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(response.Session!.length).toBeGreaterThanOrEqual(20);
    expect(response.AuthenticationResult).toBeUndefined();
  });

  it('the right password gives tokens', async () => {
    const result = await answerVerifier(h.sdk, setup, await startSrp(h.sdk, setup, 'alice'), STRONG_PASSWORD, now());
    expect(result.ChallengeName).toBeUndefined();
    expect(result.Session).toBeUndefined();
    expect(result.ChallengeParameters).toEqual({});
    expect(result.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
    expect(result.AuthenticationResult!.AccessToken!.split('.')).toHaveLength(3);
    expect(result.AuthenticationResult!.IdToken!.split('.')).toHaveLength(3);
    expect(result.AuthenticationResult!.RefreshToken).toMatch(/^[A-Za-z0-9-_=.]{40,}$/);
  });

  it('a username typed in another case signs in as the same user', async () => {
    const started = await startSrp(h.sdk, setup, 'ALICE');
    expect(started.response.ChallengeParameters!['USER_ID_FOR_SRP']).toBe('alice');
    const result = await answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, now());
    expect(result.AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('a wrong password is "Incorrect username or password."', async () => {
    const started = await startSrp(h.sdk, setup, 'alice');
    expect(await failure(answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, now(), { password: 'Wr0ng!password' }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('an altered secret block fails', async () => {
    const started = await startSrp(h.sdk, setup, 'alice');
    const block = Buffer.from(started.response.ChallengeParameters!['SECRET_BLOCK']!, 'base64');
    block[0] = block[0]! ^ 1;
    const error = await failure(answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, now(), { secretBlock: block.toString('base64') }));
    expect(error).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('a zero-padded day or a wrong weekday fails like a wrong password', async () => {
    expect(cognitoTimestamp(now())).toBe('Thu Feb 5 10:00:00 UTC 2026');
    for (const timestamp of ['Thu Feb 05 10:00:00 UTC 2026', 'Fri Feb 5 10:00:00 UTC 2026']) {
      const started = await startSrp(h.sdk, setup, 'alice');
      const error = await failure(answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, now(), { timestamp }));
      expect(error).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    }
  });

  it('an unparsable TIMESTAMP is InvalidParameterException and leaves the session usable', async () => {
    const started = await startSrp(h.sdk, setup, 'alice');
    const error = await failure(answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, now(), { timestamp: '2026-02-05T10:00:00Z' }));
    expect(error).toEqual({
      name: 'InvalidParameterException',
      message: 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.',
    });
    const retry = await answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, now());
    expect(retry.AuthenticationResult?.IdToken).toBeDefined();
  });

  it('accepts a TIMESTAMP up to 5 minutes off and refuses a staler one', async () => {
    const fine = await answerVerifier(h.sdk, setup, await startSrp(h.sdk, setup, 'alice'), STRONG_PASSWORD, new Date(NOW - 4 * 60_000));
    expect(fine.AuthenticationResult?.IdToken).toBeDefined();
    const started = await startSrp(h.sdk, setup, 'alice');
    const error = await failure(answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, new Date(NOW - 6 * 60_000)));
    expect(error).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('USERNAME must name the session user', async () => {
    await createUser(h.sdk, setup.poolId, 'mallory', STRONG_PASSWORD);
    const started = await startSrp(h.sdk, setup, 'alice');
    const error = await failure(answerVerifier(h.sdk, setup, started, STRONG_PASSWORD, now(), { username: 'mallory' }));
    expect(error).toEqual({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
  });

  it('refuses an SRP_A that is 0 mod N', async () => {
    const error = await failure(
      h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: 'alice', SRP_A: '0' } })),
    );
    expect(error).toEqual({
      name: 'InvalidParameterException',
      message: 'SRP_A must be a hexadecimal SRP public value that is not 0 mod N',
    });
  });
});

describe('email as username', () => {
  it('USER_ID_FOR_SRP is the sub and the proof is computed with it', async () => {
    const emailSetup = await createPoolAndClient(h.sdk, { PoolName: 'by-email', UsernameAttributes: ['email'] });
    await createUser(h.sdk, emailSetup.poolId, 'carol@example.com', STRONG_PASSWORD);
    const started = await startSrp(h.sdk, emailSetup, 'carol@example.com');
    const userId = started.response.ChallengeParameters!['USER_ID_FOR_SRP']!;
    expect(userId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const result = await answerVerifier(h.sdk, emailSetup, started, STRONG_PASSWORD, now());
    expect(result.AuthenticationResult?.AccessToken).toBeDefined();
  });
});
