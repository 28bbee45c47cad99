// createAuth({ inspect }) with the real @statelyai/inspect: the inspector sees the chart work,
// but no password, code, TOTP secret, Session, token or device secret ever reaches it.
import { waitFor, type InspectionEvent } from 'xstate';
import { createInspector } from '@statelyai/inspect';
import vector from '../fixtures/srp-test-vector.json' with { type: 'json' };
import { createAuth, type Auth } from '../../src/runtime/create-auth.js';
import { MemoryStorage } from '../../src/session/storage.js';
import { TokenStore } from '../../src/session/tokens.js';
import { createFakePort, fakeTokens } from '../../src/testing/fake-port.js';
import { createFakeHostedUi } from '../../src/testing/fake-hosted-ui.js';
import { redact, REDACTED } from '../../src/runtime/redact.js';
import { bigIntEngine } from '../../src/cognito/srp-math.js';
import { DeviceStore } from '../../src/session/device-store.js';

const ids = { userPoolId: 'us-east-1_TestPool1', clientId: 'testclient' };
const PASSWORD = 'Pa55word-that-must-not-leak';
const NEW_PASSWORD = 'N3w-pa55word-that-must-not-leak';
const SMS_CODE = '918273';
const TOTP_CODE = '564738';
const SECRET = 'KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF';
const session = (n: number) => `cognito-session-${n}-must-not-leak`;

/** Everything an observer could read from raw inspection events (refs and xstate's own definitions left out). */
function serialize(events: InspectionEvent[]): string {
  return JSON.stringify(events, (key, value) => (key === 'actorRef' || key === 'sourceRef' || key.startsWith('_') ? undefined : value));
}

it.each([
  ['@statelyai/inspect', 'stately'],
  ['a plain observer function (sees every event type, actions included)', 'observer'],
] as const)('sign-in with SRP, a new password, an SMS code and TOTP enrolment: %s sees no secret', async (_label, kind) => {
  const sent: unknown[] = [];
  const raw: InspectionEvent[] = [];
  const inspector = kind === 'stately' ? createInspector({ send: (event) => void sent.push(event) }) : (event: InspectionEvent) => void raw.push(event);
  const tokens = fakeTokens({ username: 'carol-id', refreshToken: 'refresh-token-must-not-leak' });
  const port = createFakePort(
    {
      initiateAuth: [{ challengeName: 'PASSWORD_VERIFIER', session: session(1), challengeParameters: { SALT: vector.SALT, SRP_B: vector.SRP_B, SECRET_BLOCK: vector.SECRET_BLOCK, USER_ID_FOR_SRP: 'carol-id' } }],
      respondToAuthChallenge: [
        { challengeName: 'NEW_PASSWORD_REQUIRED', session: session(2), challengeParameters: { requiredAttributes: '[]', userAttributes: '{}' } },
        { challengeName: 'SMS_MFA', session: session(3), challengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0100' } },
        { challengeParameters: {}, tokens },
      ],
      associateSoftwareToken: [{ secretCode: SECRET }],
      verifySoftwareToken: [{ status: 'SUCCESS' }],
    },
    ids,
  );
  const storage = new MemoryStorage();
  const auth: Auth = createAuth({ ...ids, port, storage, inspect: inspector });
  const until = (p: Parameters<typeof waitFor<typeof auth.actor>>[1]) => waitFor(auth.actor, p, { timeout: 5000 });

  await until((s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signIn.submit', username: 'carol', password: PASSWORD });
  await until((s) => s.matches({ signingIn: 'newPassword' }));
  auth.actor.send({ type: 'password.submit', newPassword: NEW_PASSWORD });
  await until((s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
  auth.actor.send({ type: 'code.submit', code: SMS_CODE });
  await until((s) => s.matches('signedIn'));
  auth.actor.send({ type: 'mfa.setUpTotp' });
  await until((s) => s.matches({ signedIn: { account: { settingUpTotp: 'idle' } } }));
  auth.actor.send({ type: 'code.submit', code: TOTP_CODE });
  await until((s) => s.matches({ signedIn: { tokens: 'active', account: 'idle' } }));
  await new Promise((r) => setTimeout(r, 100)); // the inspector sends when idle
  auth.stop();

  const stream = kind === 'stately' ? JSON.stringify(sent) : serialize(raw);
  // It saw the flow...
  expect(kind === 'stately' ? sent.length : raw.length).toBeGreaterThan(20);
  if (kind === 'observer') expect(raw.some((e) => e.type === '@xstate.action')).toBe(true);
  for (const visible of ['signIn.submit', 'password.submit', 'code.submit', 'xstate.done.actor.respondToAuthChallenge', 'smsCode', 'settingUpTotp', 'carol', '+*******0100']) {
    expect(stream).toContain(visible);
  }
  expect(stream).toContain(REDACTED);
  // ...and none of the secrets.
  const stored = (await new TokenStore(storage, ids.clientId).load())!;
  for (const secret of [PASSWORD, NEW_PASSWORD, SMS_CODE, TOTP_CODE, SECRET, session(1), session(2), session(3), stored.accessToken, stored.idToken, 'refresh-token-must-not-leak']) {
    expect(stream).not.toContain(secret);
  }
  // The inspected actor itself still works with the real values.
  expect(port.callsOf('respondToAuthChallenge')[2]?.request).toMatchObject({ responses: { SMS_MFA_CODE: SMS_CODE } });
});

it('a custom inspect function that digs through the refs (options.input, sourceRef, parent, system) finds no secret', async () => {
  const dug: unknown[] = [];
  const seen = (value: unknown) => dug.push(value === undefined ? null : value);
  const inspect = (event: InspectionEvent) => {
    const refs = [event.actorRef, (event as { sourceRef?: InspectionEvent['actorRef'] }).sourceRef];
    for (const ref of refs) {
      if (!ref) continue;
      const r = ref as unknown as Record<string, unknown> & { getSnapshot(): unknown; _parent?: { getSnapshot(): unknown } };
      seen(r.getSnapshot());
      seen((r['options'] as { input?: unknown } | undefined)?.input);
      seen(r._parent?.getSnapshot());
      seen((r as { getPersistedSnapshot?: () => unknown }).getPersistedSnapshot?.());
      expect(r['system']).toBeUndefined(); // the system reaches every actor, unredacted
    }
  };
  const port = createFakePort(
    {
      initiateAuth: [{ challengeName: 'SMS_MFA', session: session(1), challengeParameters: { USER_ID_FOR_SRP: 'dave', CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*1' } }],
      respondToAuthChallenge: [{ challengeParameters: {}, tokens: fakeTokens({ username: 'dave', refreshToken: 'refresh-token-must-not-leak' }) }],
    },
    ids,
  );
  const auth = createAuth({ ...ids, port, authFlow: 'USER_PASSWORD_AUTH', inspect });
  await waitFor(auth.actor, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signIn.submit', username: 'dave', password: PASSWORD });
  await waitFor(auth.actor, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
  auth.actor.send({ type: 'code.submit', code: SMS_CODE });
  await waitFor(auth.actor, (s) => s.matches('signedIn'));
  auth.stop();
  const text = JSON.stringify(dug, (_key, value) => (typeof value === 'function' ? undefined : value));
  expect(dug.length).toBeGreaterThan(20);
  expect(text).toContain('dave'); // it did read the actors' data...
  for (const secret of [PASSWORD, SMS_CODE, session(1), 'refresh-token-must-not-leak']) expect(text).not.toContain(secret); // ...but no secret
  expect(port.callsOf('respondToAuthChallenge')[0]?.request).toMatchObject({ responses: { SMS_MFA_CODE: SMS_CODE } });
});

/** Until the actor made its call (its body is loaded with import() first). */
async function sent(made: () => boolean): Promise<void> {
  for (let tries = 0; !made(); tries++) {
    if (tries > 200) throw new Error('the call was never made');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

it('a custom challenge answer and a hosted-UI callback (its code) reach neither the inspector nor a persisted snapshot', async () => {
  const seen: InspectionEvent[] = [];
  const ANSWER = 'my-secret-answer-42';
  const CALLBACK = 'https://app.example/callback?code=authorization-code-must-not-leak&state=some-state';
  const port = createFakePort(
    {
      initiateAuth: [{ challengeName: 'CUSTOM_CHALLENGE', session: session(1), challengeParameters: { USERNAME: 'quinn', question: 'Pet?' } }],
      respondToAuthChallenge: [() => new Promise(() => {})], // the answer stays in flight
    },
    ids,
  );
  const hostedUi = createFakeHostedUi({ finish: [() => new Promise(() => {})] });
  const auth = createAuth({ ...ids, port, hostedUi, inspect: (e: InspectionEvent) => seen.push(e) });
  await waitFor(auth.actor, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signIn.submit', username: 'quinn', authFlow: 'CUSTOM_WITHOUT_SRP' });
  await waitFor(auth.actor, (s) => s.matches({ signingIn: 'customChallenge' }));
  auth.actor.send({ type: 'challenge.answer', answer: ANSWER });
  await waitFor(auth.actor, (s) => s.matches({ signingIn: 'answering' }));
  await sent(() => port.callsOf('respondToAuthChallenge').length > 0); // the actor's code loads before it calls
  const persistedAnswer = JSON.stringify(auth.actor.getPersistedSnapshot());
  auth.actor.send({ type: 'flow.cancel' });
  await waitFor(auth.actor, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'redirect.callback', url: CALLBACK });
  await waitFor(auth.actor, (s) => s.matches({ checkingSession: 'exchangingCode' }));
  await sent(() => hostedUi.calls.some((call) => call.kind === 'finish'));
  const persistedCallback = JSON.stringify(auth.actor.getPersistedSnapshot());
  auth.stop();
  const text = JSON.stringify(seen, (_key, value) => (typeof value === 'function' ? undefined : value));
  expect(text).toContain('challenge.answer'); // it saw the events...
  for (const secret of [ANSWER, 'authorization-code-must-not-leak']) {
    expect(text).not.toContain(secret); // ...but not what they carry
    expect(persistedAnswer + persistedCallback).not.toContain(secret);
  }
  expect(port.callsOf('respondToAuthChallenge')[0]?.request).toMatchObject({ responses: { ANSWER } });
  expect(hostedUi.calls).toContainEqual({ kind: 'finish', detail: CALLBACK });
});

it('sign-up validationData (a captcha answer) reaches neither the inspector nor a persisted snapshot; SignUp carries it', async () => {
  const seen: InspectionEvent[] = [];
  const CAPTCHA = 'captcha-answer-must-not-leak';
  const port = createFakePort({ signUp: [() => new Promise(() => {})] }, ids); // the sign-up stays in flight
  const auth = createAuth({ ...ids, port, inspect: (e: InspectionEvent) => seen.push(e) });
  await waitFor(auth.actor, (s) => s.matches('signedOut'));
  auth.actor.send({ type: 'signUp.start' });
  auth.actor.send({ type: 'signUp.submit', username: 'vera', password: PASSWORD, attributes: { email: 'vera@example.com' }, validationData: { captcha: CAPTCHA } });
  await sent(() => port.callsOf('signUp').length > 0);
  const persisted = JSON.stringify(auth.actor.getPersistedSnapshot());
  auth.stop();
  const text = JSON.stringify(seen, (_key, value) => (typeof value === 'function' ? undefined : value));
  expect(text).toContain('signUp.submit');
  expect(text).toContain('vera@example.com');
  expect(text + persisted).not.toContain(CAPTCHA);
  expect(port.callsOf('signUp')[0]?.request).toMatchObject({ username: 'vera', validationData: { captcha: CAPTCHA } });
});

it('a remembered device (ConfirmDevice, then its SRP proof at the next sign-in): its secret, verifier and private SRP values reach neither the inspector nor a persisted snapshot', async () => {
  const seen: InspectionEvent[] = [];
  const persisted: string[] = [];
  // every exponent of g: the private SRP values a (user and device rounds) and the device's x
  const exponents: bigint[] = [];
  const srpEngine = { ...bigIntEngine, powG: (e: bigint) => (exponents.push(e), bigIntEngine.powG(e)) };
  const storage = new MemoryStorage();
  const deviceKey = 'us-east-1_0f1e2d3c-aaaa-bbbb-cccc-123456789abc';
  const first = fakeTokens({ username: 'erin', refreshToken: 'refresh-token-must-not-leak' });
  const port = createFakePort(
    {
      initiateAuth: [
        { challengeParameters: {}, tokens: { ...first, newDevice: { deviceKey, deviceGroupKey: '-erins-group' } } },
        { challengeName: 'DEVICE_SRP_AUTH', session: session(1), challengeParameters: { USERNAME: 'erin' } },
      ],
      confirmDevice: [{ userConfirmationNecessary: false }],
      respondToAuthChallenge: [
        { challengeName: 'DEVICE_PASSWORD_VERIFIER', session: session(2), challengeParameters: { USERNAME: 'erin', SALT: vector.SALT, SRP_B: vector.SRP_B, SECRET_BLOCK: vector.SECRET_BLOCK } },
        { challengeParameters: {}, tokens: fakeTokens({ username: 'erin', refreshToken: 'second-refresh-token-must-not-leak' }) },
      ],
    },
    ids,
  );
  const open = () => {
    const auth = createAuth({ ...ids, port, storage, srpEngine, authFlow: 'USER_PASSWORD_AUTH', inspect: (e: InspectionEvent) => seen.push(e) });
    auth.actor.subscribe(() => void persisted.push(JSON.stringify(auth.actor.getPersistedSnapshot())));
    return auth;
  };

  const page = open();
  await waitFor(page.actor, (s) => s.matches('signedOut'));
  page.actor.send({ type: 'signIn.submit', username: 'erin', password: PASSWORD });
  await waitFor(page.actor, (s) => s.matches({ signedIn: { account: 'idle' } }) && s.context.deviceStatus === 'remembered');
  page.stop();
  // the next visit: signed out here, the device still remembered
  await new TokenStore(storage, ids.clientId).clear();
  const next = open();
  await waitFor(next.actor, (s) => s.matches('signedOut'));
  next.actor.send({ type: 'signIn.submit', username: 'erin', password: PASSWORD });
  await waitFor(next.actor, (s) => s.matches('signedIn'));
  next.stop();

  const device = await new DeviceStore(storage, ids.clientId).load('erin');
  const confirmed = port.callsOf('confirmDevice')[0]!.request as { verifier: { passwordVerifier: string; salt: string } };
  const proof = port.callsOf('respondToAuthChallenge')[1]!.request as { responses: Record<string, string> };
  // the device did prove itself, with the secret ConfirmDevice stored
  expect(device).toMatchObject({ deviceKey, devicePassword: expect.any(String) });
  expect(proof.responses).toMatchObject({ DEVICE_KEY: deviceKey, PASSWORD_CLAIM_SIGNATURE: expect.any(String) });
  expect(exponents.length).toBeGreaterThanOrEqual(2);
  const text = JSON.stringify(seen, (_key, value) => (typeof value === 'function' ? undefined : typeof value === 'bigint' ? value.toString() : value));
  expect(text).toContain('verifyingDevice'); // it saw the proof...
  expect(text).toContain('confirmDevice');
  const secrets = [
    device!.devicePassword,
    confirmed.verifier.passwordVerifier,
    confirmed.verifier.salt,
    proof.responses['PASSWORD_CLAIM_SIGNATURE']!,
    ...exponents.flatMap((e) => [e.toString(16), e.toString()]),
    'refresh-token-must-not-leak',
    'second-refresh-token-must-not-leak',
  ];
  for (const secret of secrets) {
    expect(text).not.toContain(secret); // ...but none of what proves it
    for (const snapshot of persisted) expect(snapshot).not.toContain(secret);
  }
  // a Session is persisted (a resumed attempt needs it), never shown to the inspector
  for (const handle of [session(1), session(2)]) expect(text).not.toContain(handle);
  expect(persisted.length).toBeGreaterThan(5);
});

describe('redact', () => {
  it('replaces secret fields at any depth and keeps error codes', () => {
    expect(
      redact({
        type: 'code.submit',
        code: '123456',
        nested: [{ password: 'x', keep: 1 }],
        error: { code: 'CodeMismatch', message: 'm' },
        totpSetup: { sharedSecret: 's', setupUri: 'u' },
        fn: () => 1,
      }),
    ).toEqual({
      type: 'code.submit',
      code: REDACTED,
      nested: [{ password: REDACTED, keep: 1 }],
      error: { code: 'CodeMismatch', message: 'm' },
      totpSetup: { sharedSecret: REDACTED, setupUri: REDACTED },
    });
  });
});
