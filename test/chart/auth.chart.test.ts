// The chart alone: authMachine with hand-provided fake actors (no createAuth, no port, no storage).
// Each test says what the chart itself decides: where each error goes, what runs side by side, what waits.
import { createActor, fromPromise, SimulatedClock, waitFor, type AnyActorLogic, type SnapshotFrom } from 'xstate';
import { authMachine, type AuthMachine } from '../../machines/auth.machine.js';
import type { AuthUser, SignInResult, StoredSessionStatus } from '../../machines/auth.types.js';
import { AuthError, type AuthErrorCode } from '../../src/cognito/errors.js';

const T0 = 1_900_000_000_000;
const LIFETIME = 180_000;
const user: AuthUser = { username: 'alice', userId: 'sub-alice', attributes: {}, tokensExpireAt: T0 + 3_600_000 };
const stamp = { session: 'S1', sessionIssuedAt: T0, sessionExpiresAt: T0 + LIFETIME, username: 'alice', secretRef: 'ref-1' } as const;
const sms: SignInResult = { ...stamp, step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDelivery: { deliveryMedium: 'SMS', destination: '+*******0001' } };
const totpSetup: SignInResult = { ...stamp, step: 'MFA_SETUP', allowedMfaTypes: ['TOTP'] };
const done: SignInResult = { step: 'DONE', user };

/** A promise actor whose calls the test answers by hand, one deferred per call. */
function manual<Output>() {
  const calls: Array<{ input: unknown; resolve: (o: Output) => void; reject: (e: unknown) => void; signal: AbortSignal }> = [];
  const logic = fromPromise<Output, unknown>(
    ({ input, signal }) => new Promise<Output>((resolve, reject) => calls.push({ input, resolve, reject, signal })),
  );
  return { logic, calls };
}

const answered = <Output>(output: Output) => fromPromise<Output, unknown>(async () => output);
const failing = (code: AuthErrorCode) => fromPromise<never, unknown>(async () => Promise.reject(new AuthError(code)));

function start(actors: Record<string, AnyActorLogic>, stored: StoredSessionStatus = { status: 'none' }) {
  const clock = new SimulatedClock();
  clock.set(T0);
  const machine = authMachine.provide({
    actors: { loadStoredSession: answered(stored), ...actors } as never,
    delays: { challengeSession: ({ context }) => Math.max(0, (context.sessionExpiresAt ?? 0) - clock.now()) },
  });
  const actor = createActor(machine, { clock, input: { authFlow: 'USER_PASSWORD_AUTH' } }).start();
  return { actor, clock };
}
type Snap = SnapshotFrom<AuthMachine>;
const until = (actor: { getSnapshot(): Snap; subscribe: never } | ReturnType<typeof start>['actor'], p: (s: Snap) => boolean) =>
  waitFor(actor as ReturnType<typeof start>['actor'], p, { timeout: 2000 });

async function atSmsCode(respond: AnyActorLogic, initiate: AnyActorLogic = answered(sms)) {
  const { actor, clock } = start({ initiateAuth: initiate, respondToAuthChallenge: respond });
  await until(actor, (s) => s.matches('signedOut'));
  actor.send({ type: 'signIn.submit', username: 'alice', password: 'pw' });
  await until(actor, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
  return { actor, clock };
}

describe('error routing: every answer error goes where its transition says', () => {
  it.each<[AuthErrorCode, string]>([
    ['CodeMismatch', 'signingIn.mfa.smsCode'],
    ['Network', 'signingIn.mfa.smsCode'],
    ['SessionExpired', 'sessionExpired'],
    ['UnexpectedChallenge', 'failed'],
    ['AuthFlowNotEnabled', 'failed'],
  ])('%s while answering the SMS code -> %s', async (code, where) => {
    const { actor } = await atSmsCode(failing(code));
    actor.send({ type: 'code.submit', code: '123456' });
    const after = await until(actor, (s) => !s.hasTag('busy') && s.context.error !== null);
    expect(after.matches(where as never)).toBe(true);
    expect(after.context.error?.code).toBe(code);
    // a dead session or a fatal error leaves nothing of the attempt behind
    if (where !== 'signingIn.mfa.smsCode') expect(after.context.session).toBeNull();
    else expect(after.context.session).toBe('S1');
  });
});

describe('one request at a time in the code steps', () => {
  it('a code or a second resend sent while the resend runs is ignored, not a second request', async () => {
    const resend = manual<SignInResult>();
    const respond = manual<SignInResult>();
    const initiate = manual<SignInResult>();
    const { actor, clock } = start({ initiateAuth: initiate.logic, respondToAuthChallenge: respond.logic });
    void clock;
    await until(actor, (s) => s.matches('signedOut'));
    actor.send({ type: 'signIn.submit', username: 'alice', password: 'pw' });
    initiate.calls[0]!.resolve(sms);
    await until(actor, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
    actor.send({ type: 'code.resend' });
    expect(actor.getSnapshot().matches({ signingIn: { mfa: 'resending' } })).toBe(true);
    actor.send({ type: 'code.submit', code: '123456' });
    actor.send({ type: 'code.resend' });
    expect(actor.getSnapshot().matches({ signingIn: { mfa: { resending: 'requesting' } } })).toBe(true);
    expect(initiate.calls).toHaveLength(2); // the sign-in and one resend
    expect(initiate.calls[1]!.signal.aborted).toBe(false);
    expect(respond.calls).toHaveLength(0);
    void resend;
    initiate.calls[1]!.resolve({ ...sms, session: 'S2' });
    const back = await until(actor, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
    expect(back.context.session).toBe('S2');
  });

  it('TOTP has nothing to resend: code.resend is not taken there', async () => {
    const { actor } = start({ initiateAuth: answered({ ...stamp, step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' }) });
    await until(actor, (s) => s.matches('signedOut'));
    actor.send({ type: 'signIn.submit', username: 'alice', password: 'pw' });
    const at = await until(actor, (s) => s.matches({ signingIn: { mfa: 'totpCode' } }));
    expect(at.can({ type: 'code.resend' })).toBe(false);
    expect(at.hasTag('canResend')).toBe(false);
  });
});

describe('one session timer per phase', () => {
  it('a wrong code does not restart the clock: the phase expires when the Session does', async () => {
    const { actor, clock } = await atSmsCode(failing('CodeMismatch'));
    clock.increment(LIFETIME - 10_000);
    actor.send({ type: 'code.submit', code: '123456' });
    await until(actor, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }) && s.context.error?.code === 'CodeMismatch');
    clock.increment(9_999);
    expect(actor.getSnapshot().matches('sessionExpired')).toBe(false);
    clock.increment(1);
    expect(actor.getSnapshot().matches('sessionExpired')).toBe(true);
  });

  it('a TOTP enrolment expires with its Session too, and leaves no secret behind', async () => {
    const associate = answered({ totpSetup: { sharedSecret: 'JBSWY3DPEHPK3PXP', setupUri: 'otpauth://totp/x' } });
    const { actor, clock } = start({ initiateAuth: answered(totpSetup), associateSoftwareToken: associate });
    await until(actor, (s) => s.matches('signedOut'));
    actor.send({ type: 'signIn.submit', username: 'alice', password: 'pw' });
    const idle = await until(actor, (s) => s.matches({ signingIn: { enrolment: { totpSetup: 'idle' } } }));
    expect(idle.context.totpSetup?.sharedSecret).toBe('JBSWY3DPEHPK3PXP');
    clock.increment(LIFETIME);
    const expired = actor.getSnapshot();
    expect(expired.matches('sessionExpired')).toBe(true);
    expect(expired.context.totpSetup).toBeNull();
  });
});

describe('signedIn runs its regions side by side', () => {
  it('a token refresh runs while a TOTP enrolment waits for its code, and neither blocks the other', async () => {
    const refresh = manual<{ user: AuthUser }>();
    const associate = answered({ totpSetup: { sharedSecret: 'JBSWY3DPEHPK3PXP', setupUri: 'otpauth://totp/x' } });
    const { actor } = start({ getTokensFromRefreshToken: refresh.logic, associateSoftwareToken: associate }, { status: 'fresh', user });
    await until(actor, (s) => s.matches('signedIn'));
    actor.send({ type: 'mfa.setUpTotp' });
    await until(actor, (s) => s.matches({ signedIn: { account: { settingUpTotp: 'idle' } } }));
    expect(actor.getSnapshot().can({ type: 'session.refresh' })).toBe(true);
    actor.send({ type: 'session.refresh' });
    const both = actor.getSnapshot();
    expect(both.matches({ signedIn: { tokens: 'refreshing', account: { settingUpTotp: 'idle' } } })).toBe(true);
    refresh.calls[0]!.resolve({ user });
    const after = await until(actor, (s) => s.matches({ signedIn: { tokens: 'active' } }));
    expect(after.matches({ signedIn: { account: { settingUpTotp: 'idle' } } })).toBe(true);
    expect(after.context.totpSetup?.sharedSecret).toBe('JBSWY3DPEHPK3PXP');
  });

  it('an MFA-preference call in flight does not hold a refresh back, and a token error in either region signs out', async () => {
    const getUser = manual<never>();
    const { actor } = start({ getUser: getUser.logic, getTokensFromRefreshToken: answered({ user }) }, { status: 'fresh', user });
    await until(actor, (s) => s.matches('signedIn'));
    actor.send({ type: 'mfa.fetchPreference' });
    actor.send({ type: 'session.refresh' });
    await until(actor, (s) => s.matches({ signedIn: { tokens: 'active', account: 'fetchingProfile' } }));
    getUser.calls[0]!.reject(new AuthError('TokenRevoked'));
    const out = await until(actor, (s) => s.matches('signedOut'));
    expect(out.context.error?.code).toBe('TokenRevoked');
    expect(out.context.user).toBeNull();
  });
});

describe('cancel, one per phase', () => {
  it('flow.cancel aborts the request in flight wherever the sign-in is', async () => {
    const respond = manual<SignInResult>();
    const { actor } = await atSmsCode(respond.logic);
    actor.send({ type: 'code.submit', code: '123456' });
    expect(actor.getSnapshot().matches({ signingIn: 'answering' })).toBe(true);
    actor.send({ type: 'flow.cancel' });
    expect(actor.getSnapshot().matches('signedOut')).toBe(true);
    expect(respond.calls[0]!.signal.aborted).toBe(true);
    respond.calls[0]!.resolve(done); // a late answer changes nothing
    await new Promise((r) => setTimeout(r, 10));
    expect(actor.getSnapshot().matches('signedOut')).toBe(true);
    expect(actor.getSnapshot().context.session).toBeNull();
  });
});
