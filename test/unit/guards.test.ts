// The chart's guards, table by table: pure predicates over context and event data.
import { initialContext } from '../../machines/auth.actions.js';
import * as is from '../../machines/auth.guards.js';
import type { AuthContext, StepName } from '../../machines/auth.types.js';

const at = (step: StepName | null, more: Partial<AuthContext> = {}): AuthContext => ({ ...initialContext('USER_SRP_AUTH'), step, ...more });

describe('input guards', () => {
  it.each<[unknown, unknown, unknown, boolean]>([
    ['alice', 'pw', undefined, true],
    ['alice', 'pw', 'USER_PASSWORD_AUTH', true],
    ['alice', 'pw', 'CUSTOM_AUTH', false],
    ['  ', 'pw', undefined, false],
    ['alice', '', undefined, false],
    ['a'.repeat(129), 'pw', undefined, false],
    ['alice', 'p'.repeat(257), undefined, false],
    [42, 'pw', undefined, false],
    ['alice', null, undefined, false],
  ])('isCredentialInput(%j, %j, %j) = %s', (username, password, authFlow, expected) => {
    expect(is.isCredentialInput({ username, password, authFlow })).toBe(expected);
  });

  it.each<[unknown, boolean, boolean]>([
    ['123456', true, true],
    [' 123 456 ', true, true],
    ['12345678', true, false],
    ['1234', true, false],
    ['12ab56', false, false],
    ['', false, false],
    [123456, false, false],
  ])('code %j: SMS/e-mail %s, TOTP %s', (code, sms, totp) => {
    expect(is.isCodeInput({ code })).toBe(sms);
    expect(is.isTotpCodeInput({ code })).toBe(totp);
    expect(is.isCodeForStep(at('CONFIRM_SIGN_IN_WITH_SMS_CODE'), { code })).toBe(sms);
    expect(is.isCodeForStep(at('CONFIRM_SIGN_IN_WITH_TOTP_CODE'), { code })).toBe(totp);
  });

  it.each<[unknown, unknown, readonly string[], boolean]>([
    ['N3w!pass', undefined, [], true],
    ['N3w!pass', { name: 'Ann' }, ['name'], true],
    ['N3w!pass', { name: '  ' }, ['name'], false],
    ['N3w!pass', {}, ['name'], false],
    ['N3w!pass', { name: 7 }, [], false],
    ['N3w!pass', ['name'], [], false],
    ['', {}, [], false],
  ])('isNewPasswordInput(%j, %j) with missing %j = %s', (newPassword, attributes, missing, expected) => {
    const context = at('CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', { newPassword: { missingAttributes: missing, userAttributes: {} } });
    expect(is.isNewPasswordInput(context, { newPassword, attributes })).toBe(expected);
  });

  it.each<[unknown, boolean]>([
    ['a@b.io', true],
    [' a@b.io ', true],
    ['a@b', false],
    ['not an address', false],
    ['', false],
  ])('isEmailInput(%j) = %s', (email, expected) => expect(is.isEmailInput({ email })).toBe(expected));

  it.each<[unknown, boolean]>([
    [{ totp: 'PREFERRED' }, true],
    [{ sms: 'ENABLED', email: 'DISABLED' }, true],
    [{ sms: 'PREFERRED', totp: 'PREFERRED' }, false],
    [{}, false],
    [{ push: 'ENABLED' }, false],
    [{ totp: 'ON' }, false],
    [null, false],
  ])('isMfaPreferenceUpdate(%j) = %s', (preference, expected) => expect(is.isMfaPreferenceUpdate({ preference })).toBe(expected));
});

describe('step guards', () => {
  it.each<[StepName | null, boolean, boolean, boolean]>([
    ['CONFIRM_SIGN_IN_WITH_SMS_CODE', true, true, true],
    ['CONFIRM_SIGN_IN_WITH_EMAIL_CODE', true, true, true],
    ['CONFIRM_SIGN_IN_WITH_TOTP_CODE', true, false, false],
    ['CONTINUE_SIGN_IN_WITH_MFA_SELECTION', false, false, false],
    [null, false, false, false],
  ])('%s: a code step %s, resendable %s, resend possible with the password kept %s', (step, code, resendable, resend) => {
    expect(is.isAtCodeStep(at(step))).toBe(code);
    expect(is.isAtResendableStep(at(step))).toBe(resendable);
    expect(is.canResendCode(at(step, { secretRef: 'ref' }))).toBe(resend);
    expect(is.canResendCode(at(step, { secretRef: null }))).toBe(false);
  });

  it.each<[readonly ('SMS' | 'TOTP' | 'EMAIL')[], readonly ('TOTP' | 'EMAIL')[], boolean]>([
    [['TOTP', 'EMAIL'], ['TOTP', 'EMAIL'], true],
    [['SMS', 'TOTP', 'EMAIL'], ['TOTP', 'EMAIL'], true],
    [['TOTP'], ['TOTP'], true],
    [['SMS', 'TOTP'], ['TOTP'], true],
    [['TOTP', 'EMAIL'], ['TOTP'], false],
    [['SMS'], ['TOTP'], false],
    [['EMAIL'], ['EMAIL'], true],
  ])('MFA_SETUP offering %j: setupOffers(%j) = %s (SMS cannot be set up while signing in)', (offered, types, expected) => {
    expect(is.setupOffers(at('MFA_SETUP', { allowedMfaTypes: offered }), { types })).toBe(expected);
    expect(is.setupOffers(at('CONTINUE_SIGN_IN_WITH_MFA_SELECTION', { allowedMfaTypes: offered }), { types })).toBe(false);
  });

  it('isOfferedMfaType / selectsMfaType only accept what the step offers', () => {
    const context = at('MFA_SETUP', { allowedMfaTypes: ['TOTP', 'EMAIL'] });
    expect(is.isOfferedMfaType(context, { mfaType: 'TOTP' })).toBe(true);
    expect(is.isOfferedMfaType(context, { mfaType: 'SMS' })).toBe(false);
    expect(is.selectsMfaType(context, { mfaType: 'EMAIL', expected: 'EMAIL' })).toBe(true);
    expect(is.selectsMfaType(context, { mfaType: 'EMAIL', expected: 'TOTP' })).toBe(false);
    expect(is.isOfferedMfaType(at('MFA_SETUP'), { mfaType: 'TOTP' })).toBe(false);
  });
});

describe('error guards', () => {
  it.each<[unknown, string, boolean]>([
    [{ code: 'SessionExpired', category: 'session', retryable: false }, 'session', true],
    [{ code: 'CodeMismatch', category: 'challenge', retryable: false }, 'session', false],
    [new Error('boom'), 'protocol', true], // anything unknown is a protocol error: fatal, never a silent retry
  ])('errorInCategory(%j, %s) = %s', (error, category, expected) => {
    expect(is.errorInCategory({ error, categories: [category as never] })).toBe(expected);
  });
});
