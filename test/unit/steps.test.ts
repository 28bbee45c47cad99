import { AuthError } from '../../src/cognito/errors.js';
import { stepFromError, stepFromResponse } from '../../src/cognito/steps.js';
import type { CognitoAuthResponse } from '../../src/cognito/port.js';

const tokens = { accessToken: 'a', idToken: 'i', refreshToken: 'r', expiresIn: 3600, tokenType: 'Bearer' };
const session = 's'.repeat(40);

describe('stepFromResponse', () => {
  it.each<[string, CognitoAuthResponse, string, object]>([
    ['tokens -> DONE', { challengeParameters: {}, tokens }, 'alice', { step: 'DONE', tokens }],
    [
      'PASSWORD_VERIFIER keeps the canonical user id',
      { challengeName: 'PASSWORD_VERIFIER', session, challengeParameters: { SALT: 'ab', SRP_B: 'cd', SECRET_BLOCK: 'ZZ==', USER_ID_FOR_SRP: 'uuid-1', USERNAME: 'uuid-1' } },
      'alice@example.com',
      { step: 'PASSWORD_VERIFIER', session, username: 'uuid-1', srp: { userIdForSrp: 'uuid-1', srpB: 'cd', salt: 'ab', secretBlock: 'ZZ==' } },
    ],
    [
      'NEW_PASSWORD_REQUIRED parses the JSON-string parameters and strips the prefix',
      {
        challengeName: 'NEW_PASSWORD_REQUIRED',
        session,
        challengeParameters: { USER_ID_FOR_SRP: 'carol', requiredAttributes: '["userAttributes.name","userAttributes.family_name"]', userAttributes: '{"email":"c@x.io","email_verified":"true"}' },
      },
      'carol',
      { step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', session, username: 'carol', missingAttributes: ['name', 'family_name'], userAttributes: { email: 'c@x.io', email_verified: 'true' } },
    ],
    [
      'NEW_PASSWORD_REQUIRED with "[]" and no userAttributes',
      { challengeName: 'NEW_PASSWORD_REQUIRED', session, challengeParameters: { requiredAttributes: '[]' } },
      'typed',
      { step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', session, username: 'typed', missingAttributes: [], userAttributes: {} },
    ],
  ])('%s', (_label, response, typed, expected) => {
    expect(stepFromResponse(response, typed)).toEqual(expected);
  });

  it.each<[string, CognitoAuthResponse, string]>([
    ['neither tokens nor challenge', { challengeParameters: {} }, 'UnexpectedResponse'],
    ['a challenge without Session', { challengeName: 'NEW_PASSWORD_REQUIRED', challengeParameters: {} }, 'UnexpectedResponse'],
    ['PASSWORD_VERIFIER without SRP_B', { challengeName: 'PASSWORD_VERIFIER', session, challengeParameters: { SALT: 'ab', SECRET_BLOCK: 'x' } }, 'UnexpectedResponse'],
    ['malformed requiredAttributes', { challengeName: 'NEW_PASSWORD_REQUIRED', session, challengeParameters: { requiredAttributes: '[oops' } }, 'UnexpectedResponse'],
    ['requiredAttributes of the wrong shape', { challengeName: 'NEW_PASSWORD_REQUIRED', session, challengeParameters: { requiredAttributes: '{"a":1}' } }, 'UnexpectedResponse'],
    ['a challenge not implemented yet', { challengeName: 'CUSTOM_CHALLENGE', session, challengeParameters: {} }, 'UnexpectedChallenge'],
  ])('%s -> %s', (_label, response, code) => {
    expect(() => stepFromResponse(response, 'alice')).toThrow(AuthError);
    try {
      stepFromResponse(response, 'alice');
    } catch (error) {
      expect((error as AuthError).code).toBe(code);
    }
  });
});

describe('stepFromError', () => {
  it.each([
    ['UserNotConfirmed', 'CONFIRM_SIGN_UP'],
    ['PasswordResetRequired', 'RESET_PASSWORD'],
    ['IncorrectUsernameOrPassword', undefined],
    ['UserNotFound', undefined],
    ['SessionExpired', undefined],
  ] as const)('%s -> %s', (code, step) => {
    expect(stepFromError(new AuthError(code, 'x'))).toBe(step);
  });
});
