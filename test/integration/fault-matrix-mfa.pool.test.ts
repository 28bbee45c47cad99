// The fault matrix, MFA: AssociateSoftwareToken and VerifySoftwareToken while signing in (MFA_SETUP, with the
// challenge Session) and signed in (access token), and SetUserMFAPreference × the seven faults (see the support file).
import {
  describeCalls,
  PASSWORD,
  rest,
  signedIn,
  signIn,
  startMatrix,
  worked,
  type CallRow,
  type Matrix,
  type Snapshot,
} from './fault-matrix.support.js';
import type { Auth } from '../../src/index.node.js';

let m: Matrix;
beforeAll(async () => {
  m = await startMatrix();
});
afterAll(() => m.close());

const settingUp = { signingIn: { enrolment: 'totpSetup' } } as const;
const atSetupCode = (s: Snapshot) => s.matches({ signingIn: { enrolment: { totpSetup: 'idle' } } }) && s.context.totpSetup !== null;
const secretOf = (s: Snapshot) => s.context.totpSetup!.sharedSecret;

/** Signed in through MFA_SETUP: the code of the authenticator just added, then the MFA_SETUP answer. */
async function finishSetup(m: Matrix, auth: Auth) {
  const shown = await worked(auth, atSetupCode);
  auth.actor.send({ type: 'code.submit', code: m.totp(secretOf(shown)) });
  await worked(auth, (s) => s.matches('signedIn'));
}

type InSetup = { auth: Auth; username: string; secret: string };

const rows: ReadonlyArray<CallRow<any>> = [
  {
    operation: 'AssociateSoftwareToken',
    from: 'MFA_SETUP while signing in',
    kind: 'repeatable',
    async arrange(m, fault) {
      return { auth: m.chart(m.mfaRequired, fault), username: await m.user(m.mfaRequired) };
    },
    // the sign-in answers MFA_SETUP and the chart associates at once: the fault is set as it enters that state
    act: ({ auth, username }) => auth.actor.send({ type: 'signIn.submit', username, password: PASSWORD }),
    callIn: (s) => s.matches({ signingIn: { enrolment: { totpSetup: 'associating' } } }),
    endsIn: (s) => s.matches({ signingIn: { enrolment: { totpSetup: 'associationFailed' } } }),
    async next(m, { auth }) {
      auth.actor.send({ type: 'flow.retry' });
      await finishSetup(m, auth);
    },
  } satisfies CallRow<{ auth: Auth; username: string }>,

  {
    operation: 'VerifySoftwareToken',
    from: 'MFA_SETUP while signing in',
    kind: 'once',
    async arrange(m, fault) {
      const username = await m.user(m.mfaRequired);
      const auth = m.chart(m.mfaRequired, fault);
      const shown = await signIn(auth, username);
      expect(atSetupCode(shown)).toBe(true);
      return { auth, username, secret: secretOf(shown) };
    },
    act: ({ auth, secret }) => auth.actor.send({ type: 'code.submit', code: m.totp(secret) }),
    // the Session is spent (or maybe spent): the attempt ends; otherwise another code from the app verifies again
    endsIn: (s, error) => (error.code === 'OutcomeUnknown' ? s.matches('sessionExpired') : s.matches(settingUp) && atSetupCode(s)),
    async next(m, { auth, username, secret }, { error, ran }) {
      if (error.retryable) {
        auth.actor.send({ type: 'code.submit', code: m.totp(secret) });
        await worked(auth, (s) => s.matches('signedIn'));
        return;
      }
      auth.actor.send({ type: 'flow.restart' });
      const again = await signIn(auth, username);
      if (ran) {
        // the authenticator was verified before the answer was lost: it now answers the sign-in's MFA
        expect(again.matches({ signingIn: { mfa: 'totpCode' } })).toBe(true);
        m.env.clock.advance(30_000); // its last code is spent
        auth.actor.send({ type: 'code.submit', code: m.totp(secret) });
        await worked(auth, (s) => s.matches('signedIn'));
      } else await finishSetup(m, auth);
    },
  } satisfies CallRow<InSetup>,

  {
    operation: 'AssociateSoftwareToken',
    from: 'adding an authenticator while signed in',
    kind: 'repeatable',
    arrange: (m, fault) => signedIn(m, fault),
    act: ({ auth }) => auth.actor.send({ type: 'mfa.setUpTotp' }),
    endsIn: (s) => s.matches({ signedIn: { account: 'idle' } }),
    async next(_, { auth }) {
      auth.actor.send({ type: 'mfa.setUpTotp' });
      await worked(auth, (s) => s.matches({ signedIn: { account: { settingUpTotp: 'idle' } } }) && s.context.totpSetup !== null);
    },
  } satisfies CallRow<{ auth: Auth }>,

  {
    operation: 'VerifySoftwareToken',
    from: 'adding an authenticator while signed in',
    kind: 'once',
    async arrange(m, fault) {
      const { auth } = await signedIn(m, fault);
      auth.actor.send({ type: 'mfa.setUpTotp' });
      const shown = await worked(auth, (s) => s.matches({ signedIn: { account: { settingUpTotp: 'idle' } } }));
      return { auth, username: '', secret: secretOf(shown) };
    },
    act: ({ auth, secret }) => auth.actor.send({ type: 'code.submit', code: m.totp(secret) }),
    // still signed in, the secret still on screen
    endsIn: (s) => s.matches({ signedIn: { account: { settingUpTotp: 'idle' } } }) && s.context.totpSetup !== null,
    async next(m, { auth, secret }, { error }) {
      if (error.retryable) {
        auth.actor.send({ type: 'code.submit', code: m.totp(secret) });
        await worked(auth, (s) => s.matches({ signedIn: { account: 'idle' } }));
        return;
      }
      // whether it went through or not, starting the setup again works
      auth.actor.send({ type: 'flow.cancel' });
      await rest(auth);
      auth.actor.send({ type: 'mfa.setUpTotp' });
      const shown = await worked(auth, (s) => s.matches({ signedIn: { account: { settingUpTotp: 'idle' } } }));
      auth.actor.send({ type: 'code.submit', code: m.totp(secretOf(shown)) });
      await worked(auth, (s) => s.matches({ signedIn: { account: 'idle' } }));
    },
  } satisfies CallRow<InSetup>,

  {
    operation: 'SetUserMFAPreference',
    from: 'choosing e-mail MFA while signed in',
    kind: 'repeatable',
    arrange: (m, fault) => signedIn(m, fault),
    act: ({ auth }) => auth.actor.send({ type: 'mfa.updatePreference', preference: { email: 'PREFERRED' } }),
    endsIn: (s) => s.matches({ signedIn: { account: 'idle' } }),
    async next(_, { auth }) {
      auth.actor.send({ type: 'mfa.updatePreference', preference: { email: 'PREFERRED' } });
      await worked(auth, (s) => s.matches({ signedIn: { account: 'idle' } }));
      auth.actor.send({ type: 'mfa.fetchPreference' });
      await worked(auth, (s) => s.context.mfaPreference?.preferred === 'EMAIL');
    },
  } satisfies CallRow<{ auth: Auth }>,
];

describeCalls(rows, () => m);
