// Parity of Amplify's per-call `options.clientMetadata`: the same script through Amplify JS v6 and through
// authchart/amplify, against one local pool whose Lambda functions record the ClientMetadata each trigger got
// (PreTokenGeneration puts it into an ID token claim). Both sides must give every trigger the same metadata — that
// of the API call that made the Cognito call, never a previous call's — and the same outputs.
import { Amplify } from 'aws-amplify';
import * as amplify from 'aws-amplify/auth';
import * as chart from '../../../src/amplify/index.node.js';
import { authenticatorCode } from '../../support/authenticator.js';
import { METADATA_FUNCTIONS, METADATA_LAMBDA_CONFIG, triggerRecorder } from '../../support/trigger-records.js';
import { STRONG_PASSWORD, createPoolAndClient, nextTotpStep, quietAmplifyEndpointWarning, setPoolMfa, startPool, type PoolHarness, type Setup } from '../../local-pool/support.js';

quietAmplifyEndpointWarning();

const NEW_PASSWORD = 'N3w!Passw0rd';
const SECRET = 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BA';
type Side = 'amplify' | 'chart';
type Api = Pick<
  typeof amplify,
  | 'signIn'
  | 'confirmSignIn'
  | 'signOut'
  | 'signUp'
  | 'confirmSignUp'
  | 'autoSignIn'
  | 'resendSignUpCode'
  | 'resetPassword'
  | 'confirmResetPassword'
  | 'fetchAuthSession'
  | 'updateUserAttributes'
  | 'sendUserAttributeVerificationCode'
  | 'confirmUserAttribute'
>;

const triggers = triggerRecorder();

let h: PoolHarness;
let setup: Setup;

beforeAll(async () => {
  h = await startPool({ functions: METADATA_FUNCTIONS });
  setup = await createPoolAndClient(h.sdk, {
    AutoVerifiedAttributes: ['email'],
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    LambdaConfig: METADATA_LAMBDA_CONFIG,
  });
  await setPoolMfa(h.sdk, setup.poolId, 'OPTIONAL');
  h.pool.seed({
    pools: [
      {
        id: setup.poolId,
        name: 'metadata',
        users: (['amplify', 'chart'] as const).map((side) => ({ username: `tina-${side}`, password: STRONG_PASSWORD, totpSecret: SECRET, mfa: { totp: true } })),
      },
    ],
  });
  const config = { Auth: { Cognito: { userPoolId: setup.poolId, userPoolClientId: setup.clientId, userPoolEndpoint: h.pool.url } } };
  Amplify.configure(config);
  chart.configure(config);
});
afterAll(async () => {
  chart.currentAuth().stop();
  await h.close();
  triggers.remove();
});

const codeOf = (username: string) => h.pool.outbox({ username }).at(-1)?.code ?? 'no code';

/** What each trigger got, for one side's users, with the side's name made neutral. */
function triggersOf(side: Side): unknown[] {
  return triggers
    .records()
    .filter((r) => r.userName.endsWith(`-${side}`))
    .map((r) => ({ ...r, userName: r.userName.replace(`-${side}`, '-<side>') }));
}

/** An output, or an error's name, comparable across the sides. */
async function outcome(call: Promise<unknown>, side: Side): Promise<unknown> {
  try {
    return JSON.parse(JSON.stringify((await call) ?? null).replaceAll(`-${side}`, '-<side>').replace(/"userId":"[0-9a-f-]{36}"/, '"userId":"<uuid>"'));
  } catch (error) {
    return { error: (error as Error).name };
  }
}

type Script = (api: Api, name: (base: string) => string, record: (call: Promise<unknown>) => Promise<unknown>) => Promise<void>;

async function play(side: Side, script: Script) {
  const api: Api = side === 'amplify' ? amplify : (chart as unknown as Api);
  const steps: unknown[] = [];
  const record = async (call: Promise<unknown>) => {
    const result = await outcome(call, side);
    steps.push(result);
    return result;
  };
  await script(api, (base) => `${base}-${side}`, record);
  await api.signOut();
  return { steps, triggers: triggersOf(side) };
}

/** The ID token's claim the PreTokenGeneration function wrote: the metadata of the call that issued the tokens. */
const tokenMetadata = async (api: Api, options: { forceRefresh?: boolean; clientMetadata?: Record<string, string> } = {}) => {
  const session = await api.fetchAuthSession(options);
  return { client_metadata: session.tokens?.idToken?.payload['client_metadata'], token_source: session.tokens?.idToken?.payload['token_source'] };
};

async function parity(script: Script) {
  const through = { amplify: await play('amplify', script), chart: await play('chart', script) };
  expect(through.chart.steps).toEqual(through.amplify.steps);
  expect(through.chart.triggers).toEqual(through.amplify.triggers);
  return through.amplify;
}

const md = (call: string) => ({ call });

it('sign-up, its confirmation and auto sign-in, refreshes, attribute codes and a reset: each trigger gets its own call’s metadata', async () => {
  const amplified = await parity(async (api, name, record) => {
    const username = name('newbie');
    const email = `${username}@example.com`;
    await record(
      api.signUp({
        username,
        password: STRONG_PASSWORD,
        // validationData goes to PreSignUp only (Cognito does not store it)
        options: { userAttributes: { email }, validationData: { captcha: 'pass' }, clientMetadata: md('signUp'), autoSignIn: { clientMetadata: md('autoSignIn') } },
      }),
    );
    await record(api.resendSignUpCode({ username, options: { clientMetadata: md('resendSignUpCode') } }));
    await record(api.confirmSignUp({ username, confirmationCode: codeOf(username), options: { clientMetadata: md('confirmSignUp') } }));
    await record(api.autoSignIn());
    await record(tokenMetadata(api));
    await record(tokenMetadata(api, { forceRefresh: true, clientMetadata: md('fetchAuthSession') }));
    await record(api.updateUserAttributes({ userAttributes: { email: `changed-${email}` }, options: { clientMetadata: md('updateUserAttributes') } }));
    await record(api.sendUserAttributeVerificationCode({ userAttributeKey: 'email', options: { clientMetadata: md('sendUserAttributeVerificationCode') } }));
    await record(api.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: codeOf(username) }));
    // a later refresh without metadata carries none: nothing of an earlier call's is left over
    await record(tokenMetadata(api, { forceRefresh: true }));
    await record(api.signOut());
    await record(api.resetPassword({ username, options: { clientMetadata: md('resetPassword') } }));
    await record(api.confirmResetPassword({ username, newPassword: NEW_PASSWORD, confirmationCode: codeOf(username), options: { clientMetadata: md('confirmResetPassword') } }));
    // an empty validationData is still sent: PreSignUp sees {} (not null) through both
    await record(api.signUp({ username: name('blank'), password: STRONG_PASSWORD, options: { userAttributes: { email: `blank-${email}` }, validationData: {} } }));
  });
  const sources = amplified.triggers.map((t) => (t as { triggerSource: string }).triggerSource);
  expect(sources).toEqual(
    expect.arrayContaining(['PreSignUp_SignUp', 'CustomMessage_ResendCode', 'PostConfirmation_ConfirmSignUp', 'CustomMessage_UpdateUserAttribute', 'CustomMessage_VerifyUserAttribute', 'CustomMessage_ForgotPassword', 'PostConfirmation_ConfirmForgotPassword']),
  );
  const preSignUps = amplified.triggers.filter((t) => (t as { triggerSource: string }).triggerSource === 'PreSignUp_SignUp');
  expect(preSignUps).toMatchObject([{ validationData: { captcha: 'pass' } }, { validationData: {} }]);
  expect(amplified.steps[5]).toEqual({ client_metadata: JSON.stringify(md('fetchAuthSession')), token_source: 'TokenGeneration_RefreshTokens' });
  expect(amplified.steps[9]).toEqual({ client_metadata: 'null', token_source: 'TokenGeneration_RefreshTokens' });
});

it('signIn’s metadata goes on InitiateAuth, confirmSignIn’s on the RespondToAuthChallenge that answers the code', async () => {
  const amplified = await parity(async (api, name, record) => {
    nextTotpStep(h);
    await record(api.signIn({ username: name('tina'), password: STRONG_PASSWORD, options: { clientMetadata: md('signIn') } }));
    await record(api.confirmSignIn({ challengeResponse: authenticatorCode(SECRET, h.clock.now()), options: { clientMetadata: md('confirmSignIn') } }));
    await record(tokenMetadata(api));
  });
  expect(amplified.steps.at(-1)).toEqual({ client_metadata: JSON.stringify(md('confirmSignIn')), token_source: 'TokenGeneration_Authentication' });
  expect(amplified.triggers).toEqual(
    expect.arrayContaining([
      { triggerSource: 'PreAuthentication_Authentication', userName: 'tina-<side>', clientMetadata: null, validationData: md('signIn') },
      { triggerSource: 'PostAuthentication_Authentication', userName: 'tina-<side>', clientMetadata: md('confirmSignIn'), validationData: null },
    ]),
  );
});

it('account calls made side by side all run, one after another, each with its own metadata', async () => {
  const username = 'side-by-side-chart';
  await chart.signUp({ username, password: STRONG_PASSWORD, options: { userAttributes: { email: `${username}@example.com` }, autoSignIn: true } });
  await chart.confirmSignUp({ username, confirmationCode: codeOf(username) });
  await chart.autoSignIn();
  await Promise.all([
    chart.updateUserAttributes({ userAttributes: { email: `first-${username}@example.com` }, options: { clientMetadata: md('first') } }),
    chart.updateUserAttributes({ userAttributes: { email: `second-${username}@example.com` }, options: { clientMetadata: md('second') } }),
  ]);
  await chart.signOut();
  const updates = (triggersOf('chart') as Array<{ triggerSource: string; userName: string; clientMetadata: unknown }>).filter(
    (t) => t.triggerSource === 'CustomMessage_UpdateUserAttribute' && t.userName === 'side-by-side-<side>',
  );
  expect(updates.map((t) => t.clientMetadata)).toEqual([md('first'), md('second')]);
});
