// User events: representative payloads, valid and invalid for each guard.
import type { AuthEvent } from '../../../machines/auth.types.js';
import type { ModelSnapshot } from './types.js';
import { MODEL } from './values.js';

type EventOf<T extends AuthEvent['type']> = Extract<AuthEvent, { type: T }>;
type UserCatalogue = { readonly [T in AuthEvent['type']]?: (snapshot: ModelSnapshot) => ReadonlyArray<readonly [label: string, event: EventOf<T>]> };

export const USER_EVENTS: UserCatalogue = {
  'signIn.submit': () => [
    ['valid', { type: 'signIn.submit', username: MODEL.username, password: MODEL.password }],
    ['blank', { type: 'signIn.submit', username: '  ', password: '' }],
    ['choice-based', { type: 'signIn.submit', username: MODEL.username, authFlow: 'USER_AUTH' }],
    ['e-mail code preferred', { type: 'signIn.submit', username: MODEL.username, authFlow: 'USER_AUTH', preferredFirstFactor: 'EMAIL_OTP' }],
    ['custom challenge', { type: 'signIn.submit', username: MODEL.username, authFlow: 'CUSTOM_WITHOUT_SRP' }],
  ],
  'challenge.answer': () => [
    ['an answer', { type: 'challenge.answer', answer: 'model answer' }],
    ['blank', { type: 'challenge.answer', answer: '' }],
  ],
  'factor.select': (snapshot) =>
    snapshot.matches({ signingIn: { firstFactor: 'passkey' } })
      ? [
          ['a texted code instead', { type: 'factor.select', factor: 'SMS_OTP' }],
          ['the passkey again', { type: 'factor.select', factor: 'WEB_AUTHN' }],
        ]
      : [
          ['EMAIL_OTP', { type: 'factor.select', factor: 'EMAIL_OTP' }],
          ['PASSWORD', { type: 'factor.select', factor: 'PASSWORD' }],
          ['PASSWORD with the password', { type: 'factor.select', factor: 'PASSWORD', password: MODEL.password }],
          ['WEB_AUTHN', { type: 'factor.select', factor: 'WEB_AUTHN' }],
          ['SMS_OTP (not offered)', { type: 'factor.select', factor: 'SMS_OTP' }],
        ],
  'factor.password': () => [
    ['valid', { type: 'factor.password', password: MODEL.password }],
    ['blank', { type: 'factor.password', password: '' }],
  ],
  'passkeys.list': () => [['first page', { type: 'passkeys.list' }]],
  'redirect.start': () => [
    ['through Google', { type: 'redirect.start', provider: 'Google', customState: 'model-state' }],
    ['an empty provider name', { type: 'redirect.start', provider: '' }],
  ],
  'redirect.callback': () => [['the callback', { type: 'redirect.callback', url: MODEL.callbackUrl }]],
  'passkey.autofill': () => [
    ['remembered user', { type: 'passkey.autofill', username: MODEL.username }],
    ['blank', { type: 'passkey.autofill', username: '' }],
  ],
  'passkey.delete': () => [
    ['valid', { type: 'passkey.delete', credentialId: MODEL.passkeyId }],
    ['blank', { type: 'passkey.delete', credentialId: '' }],
  ],
  'device.forget': () => [
    ['this browser', { type: 'device.forget' }],
    ['not a device key', { type: 'device.forget', deviceId: 'not-a-device' }],
  ],
  'password.submit': (snapshot) => {
    const missing = snapshot.context.newPassword?.missingAttributes ?? [];
    const attributes = Object.fromEntries(missing.map((name) => [name, `Model ${name}`]));
    return [
      ['valid', { type: 'password.submit', newPassword: MODEL.newPassword, attributes }],
      ...(missing.length > 0 ? [['missing attributes', { type: 'password.submit', newPassword: MODEL.newPassword }] as const] : []),
      ['blank', { type: 'password.submit', newPassword: '', attributes }],
    ];
  },
  'code.submit': () => [
    ['valid', { type: 'code.submit', code: MODEL.codes.six }],
    ['8 digits', { type: 'code.submit', code: MODEL.codes.eight }],
    ['malformed', { type: 'code.submit', code: MODEL.codes.malformed }],
  ],
  'mfa.select': () => (['TOTP', 'EMAIL', 'SMS'] as const).map((mfaType) => [mfaType, { type: 'mfa.select', mfaType }] as const),
  'email.submit': () => [
    ['valid', { type: 'email.submit', email: MODEL.email }],
    ['invalid', { type: 'email.submit', email: 'not-an-address' }],
  ],
  'mfa.updatePreference': () => [
    ['TOTP preferred', { type: 'mfa.updatePreference', preference: { totp: 'PREFERRED' } }],
    ['two preferred', { type: 'mfa.updatePreference', preference: { totp: 'PREFERRED', sms: 'PREFERRED' } }],
  ],
  'signUp.submit': () => [
    ['valid', { type: 'signUp.submit', username: MODEL.username, password: MODEL.password, attributes: { email: MODEL.email } }],
    ['valid, no auto sign-in', { type: 'signUp.submit', username: MODEL.username, password: MODEL.password, autoSignIn: false }],
    ['blank', { type: 'signUp.submit', username: '', password: '' }],
  ],
  'password.forgot': () => [
    ['valid', { type: 'password.forgot', username: MODEL.username }],
    ['blank', { type: 'password.forgot', username: ' ' }],
  ],
  'password.reset': () => [
    ['valid', { type: 'password.reset', code: MODEL.codes.six, newPassword: MODEL.newPassword }],
    ['valid, sign in', { type: 'password.reset', code: MODEL.codes.six, newPassword: MODEL.newPassword, signIn: true }],
    ['malformed', { type: 'password.reset', code: MODEL.codes.malformed, newPassword: MODEL.newPassword }],
  ],
  'password.change': () => [
    ['valid', { type: 'password.change', oldPassword: MODEL.password, newPassword: MODEL.newPassword }],
    ['blank', { type: 'password.change', oldPassword: '', newPassword: MODEL.newPassword }],
  ],
  'attributes.update': () => [
    ['e-mail', { type: 'attributes.update', attributes: { email: MODEL.email } }],
    ['none', { type: 'attributes.update', attributes: {} }],
  ],
  'attributes.delete': () => [
    ['nickname', { type: 'attributes.delete', names: ['nickname'] }],
    ['none', { type: 'attributes.delete', names: [] }],
  ],
  'attribute.sendCode': () => [
    ['email', { type: 'attribute.sendCode', name: 'email' }],
    ['unknown', { type: 'attribute.sendCode', name: 'shoe_size' }],
  ],
  'attribute.verify': () => [
    ['valid', { type: 'attribute.verify', name: 'email', code: MODEL.codes.six }],
    ['malformed', { type: 'attribute.verify', name: 'email', code: MODEL.codes.malformed }],
  ],
  // not a user's doing: what another tab sharing the store reports
  'session.changedElsewhere': () => [
    ['signed in elsewhere', { type: 'session.changedElsewhere', change: 'signedIn' }],
    ['signed out elsewhere', { type: 'session.changedElsewhere', change: 'signedOut' }],
  ],
  'session.signOut': () => [
    ['this device', { type: 'session.signOut' }],
    ['global', { type: 'session.signOut', global: true }],
  ],
};
