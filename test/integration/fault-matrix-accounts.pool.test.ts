// The fault matrix, accounts: sign-up and its confirmation, password reset, and the signed-in user's own account
// (profile, attributes and their verification, password change, deletion) × the seven faults (see the support file).
import type { Auth } from '../../src/index.node.js';
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
  type PoolRef,
} from './fault-matrix.support.js';

let m: Matrix;
beforeAll(async () => {
  m = await startMatrix();
});
afterAll(() => m.close());

let signUps = 0;
const newName = () => `signup${++signUps}`;
const signUpEvent = (username: string) => ({ type: 'signUp.submit', username, password: PASSWORD, attributes: { email: `${username}@example.com` } }) as const;
const atSignUpCode = { signingUp: { confirming: 'idle' } } as const;
const atResetCode = { resettingPassword: { confirming: 'idle' } } as const;
const accountIdle = { signedIn: { account: 'idle' } } as const;

/** A chart at the code step of a new sign-up (SignUp went through, the code is in the outbox). */
async function atConfirmation(m: Matrix, fault: Parameters<Matrix['chart']>[1]) {
  const auth = m.chart(m.main, fault);
  const username = newName();
  await rest(auth);
  auth.actor.send({ type: 'signUp.start' });
  auth.actor.send(signUpEvent(username));
  await worked(auth, (s) => s.matches(atSignUpCode));
  return { auth, username, code: m.latestCode(m.main, username) };
}

/** A chart at the reset step of a forgotten password (ForgotPassword went through). */
async function atReset(m: Matrix, fault: Parameters<Matrix['chart']>[1]) {
  const username = await m.user(m.main);
  const auth = m.chart(m.main, fault);
  await rest(auth);
  auth.actor.send({ type: 'password.forgot', username });
  await worked(auth, (s) => s.matches(atResetCode));
  return { auth, username, code: m.latestCode(m.main, username) };
}

type WithCode = { auth: Auth; username: string; code: string };
type SignedIn = { auth: Auth; username: string; pool: PoolRef };
const unverified = (username: string) => ({ email: `${username}@example.com`, email_verified: 'false' });

const rows: ReadonlyArray<CallRow<any>> = [
  {
    operation: 'SignUp',
    from: 'the sign-up form',
    // a second SignUp of the same name answers UsernameExists: a lost answer cannot be retried
    kind: 'once',
    async arrange(m, fault) {
      const auth = m.chart(m.main, fault);
      await rest(auth);
      auth.actor.send({ type: 'signUp.start' });
      return { auth, username: newName() };
    },
    act: ({ auth, username }) => auth.actor.send(signUpEvent(username)),
    endsIn: (s) => s.matches({ signingUp: 'form' }),
    async next(m, { auth, username }, { error, ran }) {
      if (!error.retryable) {
        // check by signing in: an account that exists is not confirmed yet and goes to its code step
        auth.actor.send({ type: 'flow.cancel' });
        const tried = await signIn(auth, username);
        if (ran) {
          expect(tried.matches(atSignUpCode)).toBe(true);
          auth.actor.send({ type: 'code.submit', code: m.latestCode(m.main, username) });
          await worked(auth, (s) => s.matches('signedIn'));
          return;
        }
        expect(tried.context.error?.category).toBe('credentials');
        auth.actor.send({ type: 'signUp.start' });
      }
      auth.actor.send(signUpEvent(username));
      await worked(auth, (s) => s.matches(atSignUpCode));
    },
  } satisfies CallRow<{ auth: Auth; username: string }>,

  {
    operation: 'ConfirmSignUp',
    from: 'the sign-up code step',
    kind: 'once',
    arrange: atConfirmation,
    act: ({ auth, code }) => auth.actor.send({ type: 'code.submit', code }),
    endsIn: (s) => s.matches(atSignUpCode),
    async next(_, { auth, username, code }, { error, ran }) {
      if (error.retryable) {
        // the same code again; then the kept password signs in
        auth.actor.send({ type: 'code.submit', code });
        await worked(auth, (s) => s.matches('signedIn'));
        return;
      }
      // check by signing in: a confirmed account signs in, an unconfirmed one is back at its code step
      auth.actor.send({ type: 'flow.cancel' });
      const tried = await signIn(auth, username);
      if (ran) {
        expect(tried.matches('signedIn')).toBe(true);
        return;
      }
      expect(tried.matches(atSignUpCode)).toBe(true);
      auth.actor.send({ type: 'code.submit', code });
      await worked(auth, (s) => s.matches('signedIn'));
    },
  } satisfies CallRow<WithCode>,

  {
    operation: 'ResendConfirmationCode',
    from: 'the sign-up code step',
    kind: 'repeatable',
    arrange: atConfirmation,
    act: ({ auth }) => auth.actor.send({ type: 'code.resend' }),
    endsIn: (s) => s.matches(atSignUpCode),
    async next(m, { auth, username }) {
      auth.actor.send({ type: 'code.resend' });
      await worked(auth, (s) => s.matches(atSignUpCode));
      auth.actor.send({ type: 'code.submit', code: m.latestCode(m.main, username) });
      await worked(auth, (s) => s.matches('signedIn'));
    },
  } satisfies CallRow<WithCode>,

  {
    operation: 'ForgotPassword',
    from: 'a forgotten password',
    kind: 'repeatable',
    async arrange(m, fault) {
      return { auth: m.chart(m.main, fault), username: await m.user(m.main) };
    },
    act: ({ auth, username }) => auth.actor.send({ type: 'password.forgot', username }),
    endsIn: (s) => s.matches('signedOut'),
    async next(m, { auth, username }) {
      auth.actor.send({ type: 'password.forgot', username });
      await worked(auth, (s) => s.matches(atResetCode));
      auth.actor.send({ type: 'password.reset', code: m.latestCode(m.main, username), newPassword: NEW_PASSWORD, signIn: true });
      await worked(auth, (s) => s.matches('signedIn'));
    },
  } satisfies CallRow<{ auth: Auth; username: string }>,

  {
    operation: 'ConfirmForgotPassword',
    from: 'the reset step',
    kind: 'once',
    arrange: atReset,
    act: ({ auth, code }) => auth.actor.send({ type: 'password.reset', code, newPassword: NEW_PASSWORD, signIn: true }),
    endsIn: (s) => s.matches(atResetCode),
    async next(m, { auth, username, code }, { error, ran }) {
      if (error.retryable) {
        auth.actor.send({ type: 'password.reset', code, newPassword: NEW_PASSWORD, signIn: true });
        await worked(auth, (s) => s.matches('signedIn'));
        return;
      }
      // check by signing in with the new password; if it was not set, start the reset again
      auth.actor.send({ type: 'flow.cancel' });
      const tried = await signIn(auth, username, NEW_PASSWORD);
      if (ran) {
        expect(tried.matches('signedIn')).toBe(true);
        return;
      }
      expect(tried.context.error?.code).toBe('IncorrectUsernameOrPassword');
      auth.actor.send({ type: 'password.forgot', username });
      await worked(auth, (s) => s.matches(atResetCode));
      auth.actor.send({ type: 'password.reset', code: m.latestCode(m.main, username), newPassword: NEW_PASSWORD, signIn: true });
      await worked(auth, (s) => s.matches('signedIn'));
    },
  } satisfies CallRow<WithCode>,

  {
    operation: 'GetUser',
    from: 'reading the attributes',
    kind: 'repeatable',
    arrange: (m, fault) => signedIn(m, fault),
    act: ({ auth }) => auth.actor.send({ type: 'attributes.fetch' }),
    endsIn: (s) => s.matches(accountIdle),
    async next(_, { auth, username }) {
      auth.actor.send({ type: 'attributes.fetch' });
      await worked(auth, (s) => s.context.userAttributes?.['email'] === `${username}@example.com`);
    },
  } satisfies CallRow<SignedIn>,

  {
    operation: 'UpdateUserAttributes',
    from: 'changing the name',
    kind: 'repeatable',
    arrange: (m, fault) => signedIn(m, fault),
    act: ({ auth }) => auth.actor.send({ type: 'attributes.update', attributes: { name: 'Renamed' } }),
    endsIn: (s) => s.matches(accountIdle),
    async next(_, { auth }) {
      auth.actor.send({ type: 'attributes.update', attributes: { name: 'Renamed' } });
      await worked(auth, (s) => s.matches(accountIdle));
      auth.actor.send({ type: 'attributes.fetch' });
      await worked(auth, (s) => s.context.userAttributes?.['name'] === 'Renamed');
    },
  } satisfies CallRow<SignedIn>,

  {
    operation: 'GetUserAttributeVerificationCode',
    from: 'verifying the e-mail',
    kind: 'repeatable',
    async arrange(m, fault) {
      const username = await m.user(m.main, { attributes: unverified(`code${++signUps}`) });
      const auth = m.chart(m.main, fault);
      await signIn(auth, username);
      return { auth, username };
    },
    act: ({ auth }) => auth.actor.send({ type: 'attribute.sendCode', name: 'email' }),
    endsIn: (s) => s.matches(accountIdle),
    async next(m, { auth, username }) {
      auth.actor.send({ type: 'attribute.sendCode', name: 'email' });
      await worked(auth, (s) => s.context.attributeDelivery?.attributeName === 'email');
      expect(m.latestCode(m.main, username)).toMatch(/^\d{6}$/);
    },
  } satisfies CallRow<{ auth: Auth; username: string }>,

  {
    operation: 'VerifyUserAttribute',
    from: 'the e-mail code',
    kind: 'once',
    async arrange(m, fault) {
      const username = await m.user(m.main, { attributes: unverified(`verify${++signUps}`) });
      const auth = m.chart(m.main, fault);
      await signIn(auth, username);
      auth.actor.send({ type: 'attribute.sendCode', name: 'email' });
      await worked(auth, (s) => s.context.attributeDelivery !== null);
      return { auth, username, code: m.latestCode(m.main, username) };
    },
    act: ({ auth, code }) => auth.actor.send({ type: 'attribute.verify', name: 'email', code }),
    endsIn: (s) => s.matches(accountIdle),
    async next(_, { auth, code }, { error, ran }) {
      if (!error.retryable) {
        // check: the attributes say whether the address is verified
        auth.actor.send({ type: 'attributes.fetch' });
        const fetched = await worked(auth, (s) => s.context.userAttributes !== null);
        expect(fetched.context.userAttributes?.['email_verified']).toBe(ran ? 'true' : 'false');
        if (ran) return;
      }
      auth.actor.send({ type: 'attribute.verify', name: 'email', code });
      await worked(auth, (s) => s.matches(accountIdle));
      auth.actor.send({ type: 'attributes.fetch' });
      await worked(auth, (s) => s.context.userAttributes?.['email_verified'] === 'true');
    },
  } satisfies CallRow<WithCode>,

  {
    operation: 'ChangePassword',
    from: 'changing the password',
    kind: 'once',
    arrange: (m, fault) => signedIn(m, fault),
    act: ({ auth }) => auth.actor.send({ type: 'password.change', oldPassword: PASSWORD, newPassword: NEW_PASSWORD }),
    endsIn: (s) => s.matches(accountIdle),
    async next(_, { auth, username }, { error, ran }) {
      // the same change again: it works, unless the first one had gone through (the old password is refused then)
      auth.actor.send({ type: 'password.change', oldPassword: PASSWORD, newPassword: NEW_PASSWORD });
      const after = await rest(auth);
      expect(after.matches(accountIdle)).toBe(true);
      expect(after.context.error?.code ?? null).toBe(!error.retryable && ran ? 'IncorrectUsernameOrPassword' : null);
      // either way the new password signs in
      auth.actor.send({ type: 'session.signOut' });
      await worked(auth, (s) => s.matches('signedOut'));
      expect((await signIn(auth, username, NEW_PASSWORD)).matches('signedIn')).toBe(true);
    },
  } satisfies CallRow<SignedIn>,

  {
    operation: 'DeleteUser',
    from: 'deleting the account',
    kind: 'once',
    arrange: (m, fault) => signedIn(m, fault),
    act: ({ auth }) => auth.actor.send({ type: 'account.delete' }),
    // still signed in: the account may still be there
    endsIn: (s) => s.matches(accountIdle),
    async next(m, { auth, username }) {
      // deleting again works whether the first one went through or not
      auth.actor.send({ type: 'account.delete' });
      await worked(auth, (s) => s.matches('signedOut'));
      expect(await auth.getTokens()).toBeNull();
      expect(await m.userExists(m.main, username)).toBe(false);
    },
  } satisfies CallRow<SignedIn>,
];

describeCalls(rows, () => m);
