// The fault matrix, sign-in and session: InitiateAuth, a challenge answer, the token refresh (signed in and at
// start), RevokeToken and GlobalSignOut × {refused, drop, reset mid-answer, 500, 503 throttling, HTML 502, timeout}.
// Each cell ends in a defined state with the typed error, and the natural next action works (see the support file).
import type { Auth } from '../../src/index.node.js';
import { MemoryStorage } from '../../src/session/storage.js';
import {
  describeCalls,
  NEW_PASSWORD,
  PASSWORD,
  rest,
  signedIn,
  signIn,
  startMatrix,
  worked,
  type CallRow,
  type Matrix,
} from './fault-matrix.support.js';

let m: Matrix;
beforeAll(async () => {
  m = await startMatrix();
});
afterAll(() => m.close());

type WithUser = { auth: Auth; username: string };

const rows: ReadonlyArray<CallRow<any>> = [
  {
    operation: 'InitiateAuth',
    from: 'sign-in with a password',
    kind: 'repeatable',
    async arrange(m, fault) {
      return { auth: m.chart(m.main, fault), username: await m.user(m.main) };
    },
    act: ({ auth, username }) => auth.actor.send({ type: 'signIn.submit', username, password: PASSWORD }),
    endsIn: (s) => s.matches('signedOut'),
    async next(_, { auth, username }) {
      auth.actor.send({ type: 'signIn.submit', username, password: PASSWORD });
      await worked(auth, (s) => s.matches('signedIn'));
    },
  } satisfies CallRow<WithUser>,

  {
    operation: 'RespondToAuthChallenge',
    from: 'the new-password step',
    kind: 'once',
    async arrange(m, fault) {
      const username = await m.user(m.main, { temporary: true });
      const auth = m.chart(m.main, fault);
      expect((await signIn(auth, username)).matches({ signingIn: 'newPassword' })).toBe(true);
      return { auth, username };
    },
    act: ({ auth }) => auth.actor.send({ type: 'password.submit', newPassword: NEW_PASSWORD }),
    // a spent (or maybe spent) Session ends the attempt; otherwise the step stays, its Session alive
    endsIn: (s, error) => (error.code === 'OutcomeUnknown' ? s.matches('sessionExpired') : s.matches({ signingIn: 'newPassword' })),
    async next(_, { auth, username }, { error, ran }) {
      if (error.retryable) {
        auth.actor.send({ type: 'password.submit', newPassword: NEW_PASSWORD });
        await worked(auth, (s) => s.matches('signedIn'));
        return;
      }
      // Start again, as the user would: the new password first; if it was not set, the temporary one.
      auth.actor.send({ type: 'flow.restart' });
      const tried = await signIn(auth, username, NEW_PASSWORD);
      if (ran) {
        expect(tried.matches('signedIn')).toBe(true);
        return;
      }
      expect(tried.context.error?.code).toBe('IncorrectUsernameOrPassword');
      expect((await signIn(auth, username, PASSWORD)).matches({ signingIn: 'newPassword' })).toBe(true);
      auth.actor.send({ type: 'password.submit', newPassword: NEW_PASSWORD });
      await worked(auth, (s) => s.matches('signedIn'));
    },
  } satisfies CallRow<WithUser>,

  {
    operation: 'GetTokensFromRefreshToken',
    from: 'session.refresh while signed in',
    kind: 'repeatable',
    async arrange(m, fault) {
      const { auth } = await signedIn(m, fault);
      return { auth, before: (await auth.getTokens())!.accessToken };
    },
    act: ({ auth }) => auth.actor.send({ type: 'session.refresh' }),
    endsIn: (s) => s.matches({ signedIn: { tokens: 'active' } }),
    async next(_, { auth, before }) {
      // the tokens, still valid, are kept and handed out; the next refresh works
      expect((await auth.getTokens())?.accessToken).toBe(before);
      auth.actor.send({ type: 'session.refresh' });
      await worked(auth, (s) => s.matches({ signedIn: { tokens: 'active' } }));
      expect((await auth.getTokens())?.accessToken).not.toBe(before);
    },
  } satisfies CallRow<{ auth: Auth; before: string }>,

  {
    operation: 'GetTokensFromRefreshToken',
    from: 'the stored session at start, its tokens stale',
    kind: 'repeatable',
    startsTheChart: true,
    async arrange(m, fault) {
      const storage = new MemoryStorage();
      const username = await m.user(m.main);
      const first = m.chart(m.main, fault, { storage });
      await signIn(first, username);
      first.stop();
      // two hours later: the access token has expired, the refresh token has not
      m.env.clock.advance(2 * 3_600_000);
      return { auth: m.chart(m.main, fault, { storage, autoStart: false }) };
    },
    act: ({ auth }) => auth.start(),
    // signed in on the stale tokens, the error shown, a retry planned
    endsIn: (s) => s.matches({ signedIn: { tokens: 'waitingToRetry' } }) && s.context.tokensStale,
    async next(_, { auth }) {
      auth.actor.send({ type: 'session.refresh' });
      await worked(auth, (s) => s.matches({ signedIn: { tokens: 'active' } }) && !s.context.tokensStale);
      expect(await auth.getTokens()).not.toBeNull();
    },
  } satisfies CallRow<{ auth: Auth }>,

  {
    operation: 'RevokeToken',
    from: 'sign-out on this device',
    kind: 'signOut',
    arrange: (m, fault) => signedIn(m, fault),
    act: ({ auth }) => auth.actor.send({ type: 'session.signOut' }),
    endsIn: (s) => s.matches('signedOut'),
    next: signedOutLocally,
  } satisfies CallRow<WithUser>,

  {
    operation: 'GlobalSignOut',
    from: 'sign-out everywhere',
    kind: 'signOut',
    arrange: (m, fault) => signedIn(m, fault),
    act: ({ auth }) => auth.actor.send({ type: 'session.signOut', global: true }),
    endsIn: (s) => s.matches('signedOut'),
    next: signedOutLocally,
  } satisfies CallRow<WithUser>,
];

/** Cognito was maybe not told, but this device is signed out: no tokens handed out; signing in again works. */
async function signedOutLocally(_: Matrix, { auth, username }: WithUser) {
  expect((await rest(auth)).context.error?.category).toBe('network');
  expect(await auth.getTokens()).toBeNull();
  auth.actor.send({ type: 'signIn.submit', username, password: PASSWORD });
  await worked(auth, (s) => s.matches('signedIn'));
}

describeCalls(rows, () => m);
