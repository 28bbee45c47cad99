import { AuthError } from '../../src/cognito/errors.js';
import { challengeResponses, mfaTypeFromCognito, stepFromError, stepFromResponse } from '../../src/cognito/steps.js';
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
      {
        step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED',
        session,
        username: 'carol',
        challenge: { missingAttributes: ['name', 'family_name'], userAttributes: { email: 'c@x.io', email_verified: 'true' } },
      },
    ],
    [
      'NEW_PASSWORD_REQUIRED with "[]" and no userAttributes',
      { challengeName: 'NEW_PASSWORD_REQUIRED', session, challengeParameters: { requiredAttributes: '[]' } },
      'typed',
      { step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', session, username: 'typed', challenge: { missingAttributes: [], userAttributes: {} } },
    ],
    [
      'SMS_MFA with the masked destination',
      { challengeName: 'SMS_MFA', session, challengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0100', USER_ID_FOR_SRP: 'sam-id' } },
      'sam',
      { step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', session, username: 'sam-id', codeDelivery: { deliveryMedium: 'SMS', destination: '+*******0100' } },
    ],
    [
      'EMAIL_OTP (as MFA or first factor)',
      { challengeName: 'EMAIL_OTP', session, challengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'e***@e***' } },
      'emma',
      { step: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', session, username: 'emma', codeDelivery: { deliveryMedium: 'EMAIL', destination: 'e***@e***' } },
    ],
    [
      'SOFTWARE_TOKEN_MFA',
      { challengeName: 'SOFTWARE_TOKEN_MFA', session, challengeParameters: { FRIENDLY_DEVICE_NAME: 'phone', USERNAME: 'tina-id' } },
      'tina',
      { step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', session, username: 'tina-id' },
    ],
    [
      'SELECT_MFA_TYPE: Cognito names to Amplify types, unknown names dropped',
      { challengeName: 'SELECT_MFA_TYPE', session, challengeParameters: { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA","EMAIL_OTP","FUTURE_MFA"]' } },
      'max',
      { step: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', session, username: 'max', allowedMfaTypes: ['SMS', 'TOTP', 'EMAIL'] },
    ],
    [
      'MFA_SETUP keeps what can be set up (the chart decides what it can do with SMS)',
      { challengeName: 'MFA_SETUP', session, challengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]' } },
      'otto',
      { step: 'MFA_SETUP', session, username: 'otto', allowedMfaTypes: ['TOTP', 'EMAIL'] },
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
    ['a challenge not implemented yet', { challengeName: 'FUTURE_CHALLENGE', session, challengeParameters: {} }, 'UnexpectedChallenge'],
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

describe('challengeResponses: each typed answer -> ChallengeResponses', () => {
  it.each([
    ['SMS_MFA', { code: '123456' }, { SMS_MFA_CODE: '123456' }],
    ['EMAIL_OTP', { code: '12345678' }, { EMAIL_OTP_CODE: '12345678' }],
    ['SOFTWARE_TOKEN_MFA', { code: '654321' }, { SOFTWARE_TOKEN_MFA_CODE: '654321' }],
    ['SELECT_MFA_TYPE', { mfaType: 'SMS' }, { ANSWER: 'SMS_MFA' }],
    ['SELECT_MFA_TYPE', { mfaType: 'TOTP' }, { ANSWER: 'SOFTWARE_TOKEN_MFA' }],
    ['SELECT_MFA_TYPE', { mfaType: 'EMAIL' }, { ANSWER: 'EMAIL_OTP' }],
    ['MFA_SETUP', { email: 'a@b.io' }, { EMAIL: 'a@b.io' }],
    ['MFA_SETUP', {}, {}],
    ['NEW_PASSWORD_REQUIRED', { newPassword: 'N3w!pass', attributes: { name: 'Carol' } }, { NEW_PASSWORD: 'N3w!pass', 'userAttributes.name': 'Carol' }],
    ['PASSWORD_VERIFIER', { secretBlock: 'SB', signature: 'SIG', timestamp: 'Tue Dec 1 10:00:00 UTC 2026' }, { PASSWORD_CLAIM_SECRET_BLOCK: 'SB', PASSWORD_CLAIM_SIGNATURE: 'SIG', TIMESTAMP: 'Tue Dec 1 10:00:00 UTC 2026' }],
  ] as const)('%s %j -> %j', (challengeName, answer, responses) => {
    expect(challengeResponses(challengeName, answer as never)).toEqual(responses);
  });

  it.each([
    ['SMS_MFA', 'SMS'],
    ['SOFTWARE_TOKEN_MFA', 'TOTP'],
    ['EMAIL_OTP', 'EMAIL'],
    ['EMAIL_MFA', 'EMAIL'],
    ['WEB_AUTHN', undefined],
  ])('mfaTypeFromCognito(%s) = %s', (name, type) => expect(mfaTypeFromCognito(name)).toBe(type));
});
