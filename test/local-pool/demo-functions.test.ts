// The example Lambda functions of seeds/functions, as the demo seed wires them (what `npm start`
// runs): the security question with and without the password first, the e-mailed sign-in code
// (mailed through the pool's outbox helper), the plan claim and scope of pre token generation, and
// auto-confirmation for a trusted domain.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InitiateAuthCommand, RespondToAuthChallengeCommand, SignUpCommand, type InitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { CognitoSrpClient } from '../../src/cognito/srp.js';
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';
import type { SeedDocument } from '../../src/local-pool/index.js';
import { answerVerifier, failure, startPool, type PoolHarness, type Setup } from './support.js';

const root = join(__dirname, '../..');
const seed = JSON.parse(readFileSync(join(root, 'seeds/demo.json'), 'utf8')) as SeedDocument;
const PASSWORD = 'Passw0rd!demo';
const question: Setup = { poolId: 'us-east-1_authchartquestion', clientId: 'authchartquestionclient000' };
const magic: Setup = { poolId: 'us-east-1_authchartmagic', clientId: 'authchartmagicclient000000' };
let h: PoolHarness;

beforeAll(async () => {
  expect(seed.functions).toBe('functions');
  h = await startPool({ seed, functions: join(root, 'seeds', seed.functions!) });
});
afterAll(() => h.close());

const startCustom = (setup: Setup, username: string) =>
  h.sdk.send(new InitiateAuthCommand({ AuthFlow: 'CUSTOM_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: username } }));

const answer = (setup: Setup, challenge: Pick<InitiateAuthCommandOutput, 'Session' | 'ChallengeParameters'>, text: string) =>
  h.sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: setup.clientId,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: challenge.Session!,
      ChallengeResponses: { USERNAME: challenge.ChallengeParameters!['USERNAME']!, ANSWER: text },
    }),
  );

describe('the security question (quentin)', () => {
  it('CUSTOM_WITH_SRP: the password, then the question; the tokens carry his plan', async () => {
    const srp = new CognitoSrpClient(question.poolId, createOpenSslEngine());
    const ephemeral = srp.createEphemeral();
    const response = await h.sdk.send(
      new InitiateAuthCommand({
        AuthFlow: 'CUSTOM_AUTH',
        ClientId: question.clientId,
        AuthParameters: { USERNAME: 'quentin', SRP_A: ephemeral.A.toString(16), CHALLENGE_NAME: 'SRP_A' },
      }),
    );
    expect(response.ChallengeName).toBe('PASSWORD_VERIFIER');
    const asked = await answerVerifier(h.sdk, question, { srp, ephemeral, response }, PASSWORD, new Date(h.clock.now()));
    expect(asked).toMatchObject({ ChallengeName: 'CUSTOM_CHALLENGE', ChallengeParameters: { question: 'What was the name of your first pet?', attemptsLeft: '3' } });
    const done = await answer(question, asked, '  rex ');
    const id = decodeJwt(done.AuthenticationResult!.IdToken!);
    const access = decodeJwt(done.AuthenticationResult!.AccessToken!);
    expect(id['plan']).toBe('pro');
    expect(access).toMatchObject({ plan: 'pro', scope: 'aws.cognito.signin.user.admin plan/pro' });
  });

  it('without SRP the question alone; three wrong answers end the attempt', async () => {
    let round = await startCustom(question, 'quentin');
    for (const left of ['3', '2']) {
      expect(round.ChallengeParameters!['attemptsLeft']).toBe(left);
      round = await answer(question, round, 'Fido');
    }
    expect(round.ChallengeParameters!['attemptsLeft']).toBe('1');
    expect(await failure(answer(question, round, 'Fido'))).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect((await answer(question, await startCustom(question, 'quentin'), 'Rex')).AuthenticationResult).toBeDefined();
  });

  it('a sign-up at example.com is confirmed at once; one elsewhere waits for its code', async () => {
    const signUp = (username: string, email: string) =>
      h.sdk.send(new SignUpCommand({ ClientId: question.clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));
    expect(await signUp('trusted', 'trusted@example.com')).toMatchObject({ UserConfirmed: true });
    expect(h.pool.outbox({ username: 'trusted' })).toEqual([]);
    expect(await signUp('stranger', 'stranger@elsewhere.test')).toMatchObject({ UserConfirmed: false, CodeDeliveryDetails: { DeliveryMedium: 'EMAIL' } });
  });
});

describe('the e-mailed sign-in code (mandy)', () => {
  it('CUSTOM_WITHOUT_SRP: the code arrives in the outbox (sent by the function), a wrong code keeps it, the right one signs in', async () => {
    const first = await startCustom(magic, 'mandy');
    expect(first).toMatchObject({ ChallengeName: 'CUSTOM_CHALLENGE', ChallengeParameters: { deliveryMedium: 'EMAIL', destination: 'm***@e***', USERNAME: 'mandy' } });
    const mails = h.pool.outbox({ recipient: 'mandy@example.com' });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ medium: 'EMAIL', subject: 'Your sign-in code', purpose: 'LAMBDA', userPoolId: magic.poolId, username: 'mandy' });
    const code = mails[0]!.code!;
    expect(code).toMatch(/^\d{6}$/);
    expect(mails[0]!.message).toContain(code);
    const retry = await answer(magic, first, code === '000000' ? '111111' : '000000');
    expect(retry.ChallengeName).toBe('CUSTOM_CHALLENGE');
    // The same code still works: nothing new was mailed.
    expect(h.pool.outbox({ recipient: 'mandy@example.com' })).toHaveLength(1);
    const done = await answer(magic, retry, code);
    expect(decodeJwt(done.AuthenticationResult!.IdToken!)['email']).toBe('mandy@example.com');
  });

  it('a name that is no user gets a challenge of the same shape, and no mail', async () => {
    const sent = h.pool.outbox().length;
    expect(await startCustom(magic, 'nobody')).toMatchObject({ ChallengeName: 'CUSTOM_CHALLENGE', ChallengeParameters: { deliveryMedium: 'EMAIL', USERNAME: 'nobody' } });
    expect(h.pool.outbox()).toHaveLength(sent);
  });
});
