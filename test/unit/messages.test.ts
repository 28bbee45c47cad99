// Words live in the message catalogue, looked up by the view; the chart carries codes only.
import { waitFor } from 'xstate';
import { AUTH_ERROR_CODES, type AuthErrorCode } from '../../src/cognito/errors.js';
import { ENGLISH, messageFor, type MessageCatalogue } from '../../src/messages.js';
import { createAuth } from '../../src/runtime/create-auth.js';
import { createFakePort } from '../../src/testing/fake-port.js';
import { viewSelector } from '../../src/frameworks/shared.js';
import { selectView } from '../../src/view.js';

const GERMAN: MessageCatalogue = {
  IncorrectUsernameOrPassword: 'Benutzername oder Passwort ist falsch.',
  InvalidInput: 'Bitte prüfen Sie Ihre Eingabe.',
  'InvalidInput.code@smsCode': 'Geben Sie den Code aus der SMS ein.',
  'InvalidInput.credentials': 'Geben Sie Benutzername und Passwort ein.',
};

const ids = { userPoolId: 'us-east-1_TestPool1', clientId: 'testclient' };
const sms = {
  challengeName: 'SMS_MFA',
  session: 'S'.repeat(40),
  challengeParameters: { USER_ID_FOR_SRP: 'alice', CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+***1' },
};
const notAuthorized = Object.assign(new Error('Incorrect username or password.'), { name: 'NotAuthorizedException' });

describe('the English catalogue', () => {
  it('has words for every error code', () => {
    const missing = (Object.keys(AUTH_ERROR_CODES) as AuthErrorCode[]).filter((code) => !(code in ENGLISH));
    expect(missing).toEqual([]);
  });

  it('looks up step, then field, then code', () => {
    expect(messageFor({ code: 'InvalidInput', field: 'code' }, ENGLISH, 'smsCode')).toBe('Enter the code from the text message.');
    expect(messageFor({ code: 'InvalidInput', field: 'code' }, ENGLISH, 'totpCode')).toBe('Enter the code you received.');
    expect(messageFor({ code: 'InvalidInput' })).toBe('Check what you entered and try again.');
    // a field without an entry of its own falls back to the code's words
    expect(messageFor({ code: 'CodeMismatch', field: 'code' }, ENGLISH, 'smsCode')).toBe(ENGLISH.CodeMismatch);
    expect(messageFor({ code: 'CodeMismatch' })).toBe(ENGLISH.CodeMismatch);
  });

  it('a required attribute: missing from a form, or (signed in) one that cannot be removed', () => {
    expect(messageFor({ code: 'MissingAttributes', field: 'attributes' }, ENGLISH, 'newPassword')).toBe('Some required details are missing.');
    expect(messageFor({ code: 'MissingAttributes', field: 'attributes' }, ENGLISH, 'signedIn')).toBe('A required detail cannot be removed or left empty.');
  });
});

describe('a second language', () => {
  it('replaces the words, most specific entry first, English where the catalogue has none', () => {
    expect(messageFor({ code: 'InvalidInput', field: 'code' }, GERMAN, 'smsCode')).toBe('Geben Sie den Code aus der SMS ein.');
    // the German code-level entry wins over English's more specific one
    expect(messageFor({ code: 'InvalidInput', field: 'code' }, GERMAN, 'emailCode')).toBe('Bitte prüfen Sie Ihre Eingabe.');
    expect(messageFor({ code: 'Network' }, GERMAN)).toBe(ENGLISH.Network);
  });

  it('reaches the view through selectView options and through createAuth({ messages }) in the adapters', async () => {
    const port = createFakePort({ initiateAuth: [notAuthorized as never, sms as never] }, ids);
    const auth = createAuth({ ...ids, port, authFlow: 'USER_PASSWORD_AUTH', messages: GERMAN });
    try {
      await waitFor(auth.actor, (s) => s.matches('signedOut'));
      auth.actor.send({ type: 'signIn.submit', username: '', password: '' });
      expect(viewSelector(auth)(auth.actor.getSnapshot()).error?.message).toBe('Geben Sie Benutzername und Passwort ein.');
      auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'wrong' });
      const refused = await waitFor(auth.actor, (s) => s.matches('signedOut') && s.context.error?.code === 'IncorrectUsernameOrPassword');
      // context holds the code, the field and Cognito's own text; never our words
      expect(refused.context.error).toEqual({
        code: 'IncorrectUsernameOrPassword',
        category: 'credentials',
        retryable: false,
        field: 'credentials',
        cognitoName: 'NotAuthorizedException',
        cognitoMessage: 'Incorrect username or password.',
      });
      expect(selectView(refused, { messages: GERMAN }).error?.message).toBe('Benutzername oder Passwort ist falsch.');
      expect(selectView(refused).error?.message).toBe('Incorrect username or password.');
      auth.actor.send({ type: 'signIn.submit', username: 'alice', password: 'right' });
      await waitFor(auth.actor, (s) => s.matches({ signingIn: { mfa: 'smsCode' } }));
      auth.actor.send({ type: 'code.submit', code: 'abc' });
      const view = viewSelector(auth)(auth.actor.getSnapshot());
      expect(view).toMatchObject({ route: 'smsCode', error: { code: 'InvalidInput', field: 'code', message: 'Geben Sie den Code aus der SMS ein.' } });
    } finally {
      auth.stop();
    }
  });
});
