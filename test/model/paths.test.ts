// Every generated model path, replayed against the runtime (createAuth) with the fake Cognito port scripted
// from the path: each step's state, the view invariants and "no secret in the persisted snapshot".
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';
import { cognitoAnswerFor } from '../../src/testing/cognito-answers.js';
import { createFakePort, fakeTokens } from '../../src/testing/fake-port.js';
import { MODEL, RESULTS, describePath, modelPaths, replayOnFakePort, scriptFromPath, type ModelPath } from '../../src/testing/model/index.js';

const srpEngine = createOpenSslEngine();
const paths = modelPaths({ deduplicate: false });


describe('model paths replayed on the fake port', () => {
  it.each(paths.map((path) => [describePath(path), path] as const))('%s', async (_, path: ModelPath) => {
    await replayOnFakePort(path, { srpEngine });
  });
});

describe('the replay', () => {
  const find = (predicate: (p: ModelPath) => boolean) => {
    const path = paths.find(predicate);
    if (!path) throw new Error('no such generated path');
    return path;
  };
  const toSmsCode = () => find((p) => p.state.matches({ signingIn: { mfa: 'smsCode' } }) && p.state.context.error === null && p.steps.length === 4);

  it('scripts the fake port with the Cognito answers behind the path', () => {
    const script = scriptFromPath(toSmsCode());
    expect(script.initiateAuth).toHaveLength(1);
    expect(script.initiateAuth![0]).toMatchObject({ challengeName: 'SMS_MFA', challengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS' } });
  });

  it('fails when the runtime goes elsewhere than the path (a port answering e-mail instead of SMS)', async () => {
    const wrong = createFakePort({ initiateAuth: [cognitoAnswerFor(RESULTS.EMAIL_CODE, () => fakeTokens({ username: 'x' }))] as never }, MODEL);
    await expect(replayOnFakePort(toSmsCode(), { srpEngine, auth: { port: wrong } })).rejects.toThrow(/expected .*smsCode[\s\S]*got .*emailCode/);
  });

  it('keeps a busy end state busy (the last call never settles)', async () => {
    const path = find((p) => p.state.matches({ signingIn: 'initiating' }));
    const { port } = await replayOnFakePort(path, { srpEngine });
    expect(port.callsOf('initiateAuth')).toHaveLength(1);
  });
});

describe('fixed issues stay fixed', () => {
  const violations = async (predicate: (p: ModelPath) => boolean) => {
    const path = paths.find(predicate)!;
    expect(path).toBeDefined();
    return (await replayOnFakePort(path, { srpEngine, tolerate: () => true })).tolerated;
  };

  it('no password in actor.getPersistedSnapshot() while InitiateAuth is in flight', async () => {
    expect(await violations((p) => p.state.matches({ signingIn: 'initiating' }))).toEqual([]);
  });

  it('no code in actor.getPersistedSnapshot() while it is being checked', async () => {
    expect(await violations((p) => p.state.matches({ signingIn: 'answering' }))).toEqual([]);
  });

  it('session.signOut clears the previous error', async () => {
    expect(await violations((p) => p.state.matches('signingOut'))).toEqual([]);
  });
});
