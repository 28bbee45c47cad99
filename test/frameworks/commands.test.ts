/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
// commands(actor) sends exactly the documented events, one per call; every adapter hands out those same senders;
// and the events do what docs/statechart.md says in the states that accept them.
import '../support/jsdom-env.js';
import type { AuthEvent } from '../../machines/auth.types.js';
import type { Auth } from '../../src/runtime/create-auth.js';
import { commands, selectView, type AuthCommands } from '../../src/view.js';
import { adapters, reference } from '../support/framework-harness.js';
import { done, mfaSetup, offline, PASSWORD, release, scriptedAuth, smsMfa, settle, type GatedScript, type Step } from '../support/scripted-auth.js';

type Call = [name: string, call: (c: AuthCommands) => void, event: AuthEvent];

// The table of docs/embedding.md ("Commands").
const calls: Call[] = [
  ['signIn', (c) => c.signIn('alice', 'pw'), { type: 'signIn.submit', username: 'alice', password: 'pw' }],
  ['signIn with a flow', (c) => c.signIn('alice', 'pw', 'USER_PASSWORD_AUTH'), { type: 'signIn.submit', username: 'alice', password: 'pw', authFlow: 'USER_PASSWORD_AUTH' }],
  ['submitNewPassword', (c) => c.submitNewPassword('N3w!pass'), { type: 'password.submit', newPassword: 'N3w!pass' }],
  ['submitNewPassword with attributes', (c) => c.submitNewPassword('N3w!pass', { name: 'Nina' }), { type: 'password.submit', newPassword: 'N3w!pass', attributes: { name: 'Nina' } }],
  ['submitCode', (c) => c.submitCode('123456'), { type: 'code.submit', code: '123456' }],
  ['resendCode', (c) => c.resendCode(), { type: 'code.resend' }],
  ['selectMfaType', (c) => c.selectMfaType('TOTP'), { type: 'mfa.select', mfaType: 'TOTP' }],
  ['submitEmail', (c) => c.submitEmail('a@example.com'), { type: 'email.submit', email: 'a@example.com' }],
  ['retry', (c) => c.retry(), { type: 'flow.retry' }],
  ['cancel', (c) => c.cancel(), { type: 'flow.cancel' }],
  ['restart', (c) => c.restart(), { type: 'flow.restart' }],
  ['checkSession', (c) => c.checkSession(), { type: 'session.check' }],
  ['refresh', (c) => c.refresh(), { type: 'session.refresh' }],
  ['signOut', (c) => c.signOut(), { type: 'session.signOut' }],
  ['signOut globally', (c) => c.signOut({ global: true }), { type: 'session.signOut', global: true }],
  ['setUpTotp', (c) => c.setUpTotp(), { type: 'mfa.setUpTotp' }],
  ['updateMfaPreference', (c) => c.updateMfaPreference({ totp: 'PREFERRED' }), { type: 'mfa.updatePreference', preference: { totp: 'PREFERRED' } }],
  ['fetchMfaPreference', (c) => c.fetchMfaPreference(), { type: 'mfa.fetchPreference' }],
  ['startSignUp', (c) => c.startSignUp(), { type: 'signUp.start' }],
  ['signUp', (c) => c.signUp('ann', 'Pw-1234!'), { type: 'signUp.submit', username: 'ann', password: 'Pw-1234!' }],
  [
    'signUp with attributes, no auto sign-in',
    (c) => c.signUp('ann', 'Pw-1234!', { attributes: { email: 'ann@example.com' }, autoSignIn: false }),
    { type: 'signUp.submit', username: 'ann', password: 'Pw-1234!', attributes: { email: 'ann@example.com' }, autoSignIn: false },
  ],
  ['confirmSignUp', (c) => c.confirmSignUp(' 123 456 '), { type: 'code.submit', code: '123456' }],
  ['forgotPassword', (c) => c.forgotPassword('ann'), { type: 'password.forgot', username: 'ann' }],
  ['resetPassword', (c) => c.resetPassword('123456', 'N3w!pass'), { type: 'password.reset', code: '123456', newPassword: 'N3w!pass' }],
  ['resetPassword and sign in', (c) => c.resetPassword('123456', 'N3w!pass', { signIn: true }), { type: 'password.reset', code: '123456', newPassword: 'N3w!pass', signIn: true }],
  ['changePassword', (c) => c.changePassword('old', 'N3w!pass'), { type: 'password.change', oldPassword: 'old', newPassword: 'N3w!pass' }],
  ['fetchUserAttributes', (c) => c.fetchUserAttributes(), { type: 'attributes.fetch' }],
  ['updateUserAttributes', (c) => c.updateUserAttributes({ name: 'Ann' }), { type: 'attributes.update', attributes: { name: 'Ann' } }],
  ['listPasskeys', (c) => c.listPasskeys('next-page', 5), { type: 'passkeys.list', nextToken: 'next-page', pageSize: 5 }],
  ['deleteUserAttributes', (c) => c.deleteUserAttributes(['custom:team', 'nickname']), { type: 'attributes.delete', names: ['custom:team', 'nickname'] }],
  ['sendAttributeCode', (c) => c.sendAttributeCode('email'), { type: 'attribute.sendCode', name: 'email' }],
  ['verifyAttribute', (c) => c.verifyAttribute('email', '123456'), { type: 'attribute.verify', name: 'email', code: '123456' }],
  ['deleteUser', (c) => c.deleteUser(), { type: 'account.delete' }],
  ['signInWithChoice', (c) => c.signInWithChoice('olive'), { type: 'signIn.submit', username: 'olive', authFlow: 'USER_AUTH' }],
  [
    'signInWithChoice with a preferred factor and the password',
    (c) => c.signInWithChoice('olive', { preferredFirstFactor: 'PASSWORD', password: 'pw' }),
    { type: 'signIn.submit', username: 'olive', authFlow: 'USER_AUTH', preferredFirstFactor: 'PASSWORD', password: 'pw' },
  ],
  ['signInWithCustomChallenge', (c) => c.signInWithCustomChallenge('quinn'), { type: 'signIn.submit', username: 'quinn', authFlow: 'CUSTOM_WITHOUT_SRP' }],
  ['selectFirstFactor', (c) => c.selectFirstFactor('EMAIL_OTP'), { type: 'factor.select', factor: 'EMAIL_OTP' }],
  ['selectFirstFactor with the password', (c) => c.selectFirstFactor('PASSWORD', 'pw'), { type: 'factor.select', factor: 'PASSWORD', password: 'pw' }],
  ['submitPassword', (c) => c.submitPassword('pw'), { type: 'factor.password', password: 'pw' }],
  ['answerChallenge', (c) => c.answerChallenge('paris'), { type: 'challenge.answer', answer: 'paris' }],
  ['startPasskey', (c) => c.startPasskey(), { type: 'passkey.start' }],
  ['autofillPasskey', (c) => c.autofillPasskey('paula'), { type: 'passkey.autofill', username: 'paula' }],
  ['registerPasskey', (c) => c.registerPasskey(), { type: 'passkey.register' }],
  ['listPasskeys', (c) => c.listPasskeys(), { type: 'passkeys.list' }],
  ['listPasskeys next page', (c) => c.listPasskeys('token-2'), { type: 'passkeys.list', nextToken: 'token-2' }],
  ['deletePasskey', (c) => c.deletePasskey('cred-1'), { type: 'passkey.delete', credentialId: 'cred-1' }],
  ['fetchDevices', (c) => c.fetchDevices(), { type: 'devices.list' }],
  ['fetchDevices next page', (c) => c.fetchDevices('page-2'), { type: 'devices.list', nextToken: 'page-2' }],
  ['rememberDevice', (c) => c.rememberDevice(), { type: 'device.remember' }],
  ['forgetDevice (this browser)', (c) => c.forgetDevice(), { type: 'device.forget' }],
  ['forgetDevice (another)', (c) => c.forgetDevice('us-east-1_abc-123'), { type: 'device.forget', deviceId: 'us-east-1_abc-123' }],
  ['signInWithRedirect', (c) => c.signInWithRedirect({ provider: 'Google' }), { type: 'redirect.start', provider: 'Google' }],
  ['handleRedirectCallback', (c) => c.handleRedirectCallback('https://app.example/cb?code=c&state=s'), { type: 'redirect.callback', url: 'https://app.example/cb?code=c&state=s' }],
];

describe('commands(actor)', () => {
  it.each(calls)('%s sends exactly one event, exactly as documented', (_name, call, event) => {
    const sent: unknown[] = [];
    call(commands({ send: (e) => sent.push(e) }));
    expect(sent).toEqual([event]);
    // no undefined-valued optional keys either (exactOptionalPropertyTypes on the wire)
    expect(Object.keys(sent[0] as object).sort()).toEqual(Object.keys(event).sort());
  });

  it('has a sender for every command in the table and nothing else', () => {
    const names = new Set(calls.map(([name]) => name.split(' ')[0]));
    expect(Object.keys(commands({ send: () => {} })).sort()).toEqual([...names].sort());
  });
});

describe.each(Object.entries({ reference, ...adapters }))('%s commands', (_name, harness) => {
  it('reach the actor as exactly the documented events', async () => {
    const { auth, gate } = scriptedAuth({});
    // (XState inspection would show them redacted: the runtime masks codes and passwords for inspectors.)
    const send = jest.spyOn(auth.actor, 'send');
    const recording = harness(auth);
    auth.start();
    await settle(auth, gate);
    // From signedOut most of these are ignored by the chart; the actor still receives each one. signIn.submit would
    // start a sign-in (and session.check a session check), so session.check goes last and signIn.submit is left out.
    const order = [...calls.filter(([, , e]) => e.type !== 'signIn.submit' && e.type !== 'session.check'), ...calls.filter(([, , e]) => e.type === 'session.check')];
    for (const [, call] of order) call(recording.commands);
    expect(send.mock.calls).toEqual(order.map(([, , event]) => [event]));
    recording.stop();
    auth.stop();
  });

  it('signIn.submit starts a sign-in', async () => {
    const { auth, gate, port } = scriptedAuth({ initiateAuth: [smsMfa()] }, { authFlow: 'USER_PASSWORD_AUTH' });
    const send = jest.spyOn(auth.actor, 'send');
    const recording = harness(auth);
    auth.start();
    await settle(auth, gate);
    recording.commands.signIn('alice', PASSWORD);
    await settle(auth, gate);
    expect(send.mock.calls).toEqual([[{ type: 'signIn.submit', username: 'alice', password: PASSWORD }]]);
    expect(port.callsOf('initiateAuth').map((c) => c.request)).toMatchObject([{ authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: 'alice', PASSWORD } }]);
    expect(recording.views[recording.views.length - 1]).toMatchObject({ route: 'signIn', busy: true });
    recording.stop();
    auth.stop();
  });
});

describe('what the events do (through commands, observed as views)', () => {
  async function at(script: GatedScript, steps: Step[]) {
    const { auth, gate } = scriptedAuth(script, { authFlow: 'USER_PASSWORD_AUTH' });
    auth.start();
    await settle(auth, gate);
    const c = commands(auth.actor);
    for (const step of steps) {
      step(c, gate);
      await settle(auth, gate);
    }
    return { auth, gate, c, view: () => selectView(auth.actor.getSnapshot()) };
  }
  const signIn: Step = (c) => c.signIn('alice', PASSWORD);
  const stopAll: Auth[] = [];
  afterEach(() => stopAll.splice(0).forEach((a) => a.stop()));

  it('cancel leaves a code step for the sign-in form, without an error', async () => {
    const { auth, c, gate, view } = await at({ initiateAuth: [smsMfa()] }, [signIn, release]);
    stopAll.push(auth);
    expect(view().route).toBe('smsCode');
    c.cancel();
    await settle(auth, gate);
    expect(view()).toMatchObject({ route: 'signIn', error: null, busy: false });
  });

  it('cancel while a code is being checked aborts the Cognito call', async () => {
    const { auth, c, gate, view } = await at({ initiateAuth: [smsMfa()], respondToAuthChallenge: [done()] }, [signIn, release, (x) => x.submitCode('123456')]);
    stopAll.push(auth);
    expect(gate.pending.map((p) => p.operation)).toEqual(['respondToAuthChallenge']);
    c.cancel();
    await settle(auth, gate);
    expect(gate.pending).toEqual([]);
    expect(view()).toMatchObject({ route: 'signIn', busy: false });
  });

  it('retry re-runs a failed TOTP association; restart leaves failed', async () => {
    const { auth, c, gate, view } = await at(
      { initiateAuth: [mfaSetup(['SOFTWARE_TOKEN_MFA']), mfaSetup(['SMS_MFA'])], associateSoftwareToken: [offline(), { secretCode: 'JBSWY3DPEHPK3PXP' }] },
      [signIn, release, release],
    );
    stopAll.push(auth);
    expect(view()).toMatchObject({ route: 'totpSetup', canRetry: true });
    c.retry();
    expect(view()).toMatchObject({ route: 'totpSetup', busy: true, canRetry: false, error: null });
    c.cancel();
    c.signIn('sam', PASSWORD);
    // the call goes out once the runtime has looked for a remembered device
    await settle(auth, gate);
    gate.release();
    await settle(auth, gate);
    expect(view().route).toBe('failed');
    c.restart();
    expect(view()).toMatchObject({ route: 'signIn', error: null });
  });

  it('events a state does not accept change nothing', async () => {
    const { auth, c, view } = await at({}, []);
    stopAll.push(auth);
    const before = auth.actor.getSnapshot();
    c.submitCode('123456');
    c.resendCode();
    c.selectMfaType('TOTP');
    c.retry();
    c.cancel();
    c.restart();
    c.refresh();
    c.signOut();
    c.setUpTotp();
    expect(auth.actor.getSnapshot()).toBe(before);
    expect(view()).toMatchObject({ route: 'signIn', error: null });
  });
});
