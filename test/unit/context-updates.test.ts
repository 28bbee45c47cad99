// The chart's context updates (machines/auth.actions.ts), table by table: what each result and event leaves in context.
import * as updates from '../../machines/auth.actions.js';
import type { AuthContext, SignInResult } from '../../machines/auth.types.js';

const base: AuthContext = updates.initialContext('USER_SRP_AUTH');
const stamp = { session: 'S', sessionIssuedAt: 1000, sessionExpiresAt: 181_000, username: 'alice-id', secretRef: 'ref' } as const;
const totp = { sharedSecret: 'SECRET', setupUri: 'otpauth://totp/x', qrCodeSvg: '<svg></svg>' };

describe('storeResult: each step of the table leaves exactly its data', () => {
  it.each<[string, SignInResult, Partial<AuthContext>]>([
    [
      'SMS code',
      { ...stamp, step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDelivery: { deliveryMedium: 'SMS', destination: '+***1' } },
      { step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDelivery: { deliveryMedium: 'SMS', destination: '+***1' }, allowedMfaTypes: null, newPassword: null },
    ],
    [
      'new password',
      { ...stamp, step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', challenge: { missingAttributes: ['name'], userAttributes: {} } },
      { newPassword: { missingAttributes: ['name'], userAttributes: {} }, codeDelivery: null },
    ],
    ['MFA selection', { ...stamp, step: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMfaTypes: ['SMS', 'TOTP'] }, { allowedMfaTypes: ['SMS', 'TOTP'] }],
    ['TOTP code', { ...stamp, step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' }, { codeDelivery: null, allowedMfaTypes: null }],
    ['confirm sign-up', { step: 'CONFIRM_SIGN_UP', username: 'uma' }, { step: 'CONFIRM_SIGN_UP', challengeUsername: 'uma', session: null, secretRef: null }],
  ])('%s', (_name, result, expected) => {
    const before: AuthContext = { ...base, codeDelivery: { deliveryMedium: 'EMAIL', destination: 'old' }, totpSetup: totp, error: { code: 'CodeMismatch', category: 'challenge', retryable: false } };
    const after = { ...before, ...updates.storeResult(before, { result }) };
    expect(after).toMatchObject(expected);
    expect(after.error).toBeNull();
    expect(after.totpSetup).toBeNull(); // a secret never outlives its setup step
  });

  it('the SRP proof inside a step keeps the shown step’s data', () => {
    const shown: AuthContext = { ...base, step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDelivery: { deliveryMedium: 'SMS', destination: '+***1' } };
    const after = { ...shown, ...updates.storeResult(shown, { result: { ...stamp, step: 'PASSWORD_VERIFIER' } }) };
    expect(after.codeDelivery).toEqual(shown.codeDelivery);
    expect(after.session).toBe('S');
  });

  it('MFA_SETUP keeps the setup already chosen; another step forgets it', () => {
    const choosing: AuthContext = { ...base, step: 'MFA_SETUP', setupChoice: 'EMAIL' };
    expect(updates.storeResult(choosing, { result: { ...stamp, step: 'MFA_SETUP', allowedMfaTypes: ['TOTP', 'EMAIL'] } }).setupChoice).toBe('EMAIL');
    expect(updates.storeResult(choosing, { result: { ...stamp, step: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDelivery: { deliveryMedium: 'EMAIL', destination: 'x' } } }).setupChoice).toBeNull();
  });

  it('DONE clears the attempt and keeps the user', () => {
    const user = { username: 'alice', userId: 'sub', attributes: {}, tokensExpireAt: 1 };
    const after = { ...base, session: 'S', secretRef: 'ref', ...updates.storeResult(base, { result: { step: 'DONE', user } }) };
    expect(after).toMatchObject({ step: 'DONE', user, session: null, secretRef: null, error: null });
  });
});

describe('other updates', () => {
  it.each<[string, Partial<AuthContext>, Parameters<typeof updates.storeSession>[1], Partial<AuthContext>]>([
    ['a new Session keeps the lifetime', { session: 'S', sessionIssuedAt: 1000, sessionExpiresAt: 181_000 }, { session: 'S2', sessionIssuedAt: 5000 }, { session: 'S2', sessionIssuedAt: 5000, sessionExpiresAt: 185_000 }],
    ['no Session: nothing changes', { session: 'S', sessionIssuedAt: 1000, sessionExpiresAt: 181_000 }, {}, {}],
  ])('storeSession: %s', (_n, context, params, expected) => {
    expect(updates.storeSession({ ...base, ...context }, params)).toEqual(expected);
  });

  it.each<[string, AuthContext['step'], 'code' | 'totpCode']>([
    ['SMS', 'CONFIRM_SIGN_IN_WITH_SMS_CODE', 'code'],
    ['TOTP', 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', 'totpCode'],
  ])('codeInputError names the field of the %s step', (_n, step, field) => {
    expect(updates.codeInputError({ ...base, step }).error).toEqual({ code: 'InvalidInput', category: 'input', retryable: false, field });
  });

  it.each<[string, Parameters<typeof updates.applyMfaPreference>[1]['update'], { enabled: string[]; preferred: string | null }]>([
    ['prefer TOTP', { totp: 'PREFERRED' }, { enabled: ['SMS', 'TOTP'], preferred: 'TOTP' }],
    ['disable the preferred SMS', { sms: 'DISABLED' }, { enabled: [], preferred: null }],
    ['enable e-mail, not preferred', { email: 'NOT_PREFERRED' }, { enabled: ['SMS', 'EMAIL'], preferred: 'SMS' }],
  ])('applyMfaPreference: %s', (_n, update, expected) => {
    const context: AuthContext = { ...base, mfaPreference: { enabled: ['SMS'], preferred: 'SMS' } };
    expect(updates.applyMfaPreference(context, { update }).mfaPreference).toEqual(expected);
  });

  it('an interrupted attempt and an expired one are told apart by code', () => {
    expect(updates.interruptedError({ status: { status: 'interrupted', reason: 'inFlight' } }).error?.code).toBe('SignInInterrupted');
    expect(updates.interruptedError({ status: { status: 'interrupted', reason: 'expired' } }).error?.code).toBe('SessionExpired');
  });
});
