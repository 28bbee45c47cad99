// What a hostile page (or a buggy UI) can send: for every event type of the AuthEvent union, its valid payload and
// variants with garbage in it. Shared by test/machine/malformed.test.ts and the property test.
//
//   refuse    a field the event's guard must turn down: missing, the wrong type (numbers, null, arrays, objects,
//             symbols, bigints, functions where strings go), blank, too long (1 MB), not digits, unknown names.
//             The chart must not call Cognito; it stays where it is, at most with an InvalidInput error.
//   tolerate  garbage that does not make the input invalid: extra fields (prototype-pollution keys among them),
//             junk in optional flags, unicode and padding where free text goes. The chart must act exactly as on
//             `canonical`.
import type { AuthContext, AuthEvent, AuthEventType } from '../../machines/auth.types.js';

export interface HostileEvent {
  /** `code.submit code=[]` — one line, without the garbage itself (it can be 1 MB or not printable). */
  readonly label: string;
  readonly event: Readonly<Record<string, unknown>>;
  readonly expect: 'refuse' | 'tolerate';
  /** For `tolerate`: the clean event it must be equivalent to. */
  readonly canonical?: AuthEvent;
}

/** The valid values the variants start from (what the property test counts as secrets, too). */
export const VALID = {
  username: 'malformed-user',
  password: 'Malformed-Passw0rd!',
  newPassword: 'Malformed-N3w-Passw0rd!',
  code: '246813',
  email: 'malformed.user@example.com',
  unicodeUsername: 'ünïcödé-用户-🔐\u202e',
  unicodePassword: 'пароль-🔐-Pässw0rd\u200b',
} as const;

export const MEGABYTE = 1 << 20;
export const HUGE = 'x'.repeat(MEGABYTE);
const HUGE_DIGITS = '1'.repeat(MEGABYTE);
/** A key that must never show up on Object.prototype (or anywhere else). */
export const POLLUTION_MARKER = 'pollutedByHostileInput';

const ABSENT = Symbol('absent');
type Field = readonly [label: string, value: unknown];

/** Own `__proto__` / `constructor` keys, as JSON.parse makes them (an object literal would set the prototype instead). */
const protoKeyed = (value: unknown): Record<string, unknown> =>
  JSON.parse(`{"__proto__":${JSON.stringify(value)},"constructor":{"prototype":${JSON.stringify(value)}}}`) as Record<string, unknown>;
const nested = (depth: number): unknown => (depth === 0 ? 'bottom' : { down: nested(depth - 1) });

/** Fields nobody asked for, on an otherwise valid event. */
function extras(): Record<string, unknown> {
  return {
    ...protoKeyed({ [POLLUTION_MARKER]: true }),
    ...(JSON.parse(`{"prototype":{"${POLLUTION_MARKER}":true}}`) as object),
    toString: 42,
    valueOf: 'not a function',
    hasOwnProperty: 1,
    then: 'not a function',
    // What done / error events carry: a user event must not be able to pose as one.
    output: { step: 'DONE', user: { username: 'intruder', userId: 'intruder', attributes: {}, tokensExpireAt: 0 } },
    error: { code: 'Unknown', category: 'protocol', retryable: false },
    '🔐': VALID.unicodeUsername,
    extra: HUGE,
    deep: nested(200),
  };
}

function notStrings(valid: string): Field[] {
  return [
    ['missing', ABSENT],
    ['undefined', undefined],
    ['null', null],
    ['0', 0],
    ['42', 42],
    ['-1', -1],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['true', true],
    ['false', false],
    ['bigint', 10n],
    ['symbol', Symbol('hostile')],
    ['[]', []],
    ['[valid]', [valid]],
    ['{}', {}],
    ['{toString: valid}', { toString: () => valid }],
    ['String object', new String(valid)],
    ['Date', new Date(0)],
    ['function', () => valid],
    ['__proto__-keyed object', protoKeyed({ [POLLUTION_MARKER]: true })],
  ];
}

function notObjects(): Field[] {
  return [
    ['missing', ABSENT],
    ['undefined', undefined],
    ['null', null],
    ['0', 0],
    ['42', 42],
    ['true', true],
    ['bigint', 10n],
    ['symbol', Symbol('hostile')],
    ['string', 'PREFERRED'],
    ['function', () => ({})],
  ];
}

const TEXT = (): Field[] => [
  ...notStrings(VALID.username),
  ['empty', ''],
  ['blank', '   '],
  ['unicode blank', '\u3000\u00a0\t\n'],
  ['129 chars', 'u'.repeat(129)],
  ['1 MB', HUGE],
];
const SECRET = (valid: string): Field[] => [...notStrings(valid), ['empty', ''], ['257 chars', 'p'.repeat(257)], ['1 MB', HUGE]];
const CODE = (): Field[] => [
  ...notStrings(VALID.code),
  ['empty', ''],
  ['blank', '   '],
  ['letters', '12ab'],
  ['3 digits', '123'],
  ['11 digits', '12345678901'],
  ['arabic-indic digits', '٢٤٦٨١٣'],
  ['full-width digits', '２４６８１３'],
  ['emoji', '🔢🔢🔢🔢🔢🔢'],
  ['NUL', '24681\u0000'],
  ['negative', '-246813'],
  ['decimal', '2468.13'],
  ['hex', '0x2468'],
  ['exponent', '1e+10'],
  ['1 MB of digits', HUGE_DIGITS],
  ['1 MB', HUGE],
];
const EMAIL = (): Field[] => [
  ...notStrings(VALID.email),
  ['empty', ''],
  ['blank', '   '],
  ['no @', 'not-an-address'],
  ['no dot', 'user@example'],
  ['no local part', '@example.com'],
  ['space', 'a b@example.com'],
  ['two @', 'a@@example.com'],
  ['emoji', '🔐@🔐'],
  ['1 MB', `${HUGE}@example.com`],
];
const FACTOR = (): Field[] => [
  ...notStrings('EMAIL_OTP'),
  ['empty', ''],
  ['lower case', 'email_otp'],
  ['MFA name', 'SOFTWARE_TOKEN_MFA'],
  ['__proto__', '__proto__'],
  ['1 MB', HUGE],
];
const MFA_TYPE = (): Field[] => [
  ...notStrings('TOTP'),
  ['empty', ''],
  ['lower case', 'totp'],
  ['Cognito name', 'SOFTWARE_TOKEN_MFA'],
  ['Cognito SMS name', 'SMS_MFA'],
  ['__proto__', '__proto__'],
  ['constructor', 'constructor'],
  ['toString', 'toString'],
  ['length', 'length'],
  ['padded', ' TOTP'],
  ['1 MB', HUGE],
];
const ATTRIBUTE_NAME = (): Field[] => [
  ...notStrings('email'),
  ['empty', ''],
  ['upper case', 'EMAIL'],
  ['padded', ' email'],
  ['email_verified', 'email_verified'],
  ['custom', 'custom:email'],
  ['__proto__', '__proto__'],
  ['constructor', 'constructor'],
  ['hasOwnProperty', 'hasOwnProperty'],
  ['1 MB', HUGE],
];
const PREFERENCE = (): Field[] => [
  ...notObjects(),
  ['[]', []],
  ['entries array', [['totp', 'PREFERRED']]],
  ['{}', {}],
  ['unknown value', { sms: 'ON' }],
  ['lower-case value', { totp: 'preferred' }],
  ['two preferred', { totp: 'PREFERRED', sms: 'PREFERRED' }],
  ['upper-case key', { TOTP: 'ENABLED' }],
  ['__proto__ key', JSON.parse('{"__proto__":"ENABLED"}')],
  ['constructor key', { constructor: 'ENABLED' }],
  ['unknown key', { totp: 'PREFERRED', push: 'ENABLED' }],
  ['1 MB value', { totp: HUGE }],
  ['null value', { totp: null }],
  ['undefined value', { totp: undefined }],
  ['array value', { totp: ['PREFERRED'] }],
  ['object value', { totp: { value: 'PREFERRED' } }],
  ['Date', new Date(0)],
  ['String object', new String('PREFERRED')],
];
/** Attribute maps (name -> string) with a bad value or name. */
const BAD_ATTRIBUTE_MAPS = (): Field[] => [
  ['[]', []],
  ['entries array', [['email', VALID.email]]],
  ['number value', { email: 42 }],
  ['null value', { email: null }],
  ['1 MB value', { email: HUGE }],
  ['array value', { email: [VALID.email] }],
  ['object value', { email: {} }],
  ['__proto__ object value', protoKeyed({ [POLLUTION_MARKER]: true })],
];
const ATTRIBUTE_NAMES_REFUSED = (): Field[] => [
  ['40-char name', { ['n'.repeat(40)]: 'v' }],
  ['empty name', { '': 'v' }],
];
const NOT_OBJECT_PRIMITIVES = (): Field[] => notObjects().filter(([label]) => !['missing', 'undefined', 'null'].includes(label));

function withField(base: Readonly<Record<string, unknown>>, key: string, value: unknown): Record<string, unknown> {
  const event: Record<string, unknown> = { ...base };
  if (value === ABSENT) delete event[key];
  else event[key] = value;
  return event;
}

interface Spec {
  readonly valid: AuthEvent;
  /** Per field, the values its guard must refuse. */
  readonly refuse?: Readonly<Record<string, readonly Field[]>>;
  /** Garbage that leaves the event valid, with the clean event it stands for (default: the valid one). */
  readonly tolerate?: ReadonlyArray<readonly [label: string, event: Record<string, unknown>, canonical?: AuthEvent]>;
}

/** Every event type of the union (a new one fails to compile until it is listed here). */
const SPECS: { readonly [T in AuthEventType]: (context: AuthContext) => Spec } = {
  'signIn.submit': () => {
    const valid = { type: 'signIn.submit', username: VALID.username, password: VALID.password } as const;
    return {
      valid,
      refuse: {
        username: TEXT(),
        password: SECRET(VALID.password),
        authFlow: [
          ...notStrings('USER_SRP_AUTH').filter(([label]) => label !== 'missing' && label !== 'undefined'),
          ['empty', ''],
          ['lower case', 'user_srp_auth'],
          ['refresh flow', 'REFRESH_TOKEN_AUTH'],
          ['custom flow', 'CUSTOM_AUTH'],
          ['__proto__', '__proto__'],
          ['1 MB', HUGE],
        ],
      },
      tolerate: [
        ['unicode credentials', { ...valid, username: VALID.unicodeUsername, password: VALID.unicodePassword }, { ...valid, username: VALID.unicodeUsername, password: VALID.unicodePassword }],
        ['padded username', { ...valid, username: `  ${VALID.username}\t` }, { ...valid, username: `  ${VALID.username}\t` }],
        ['blank password (spaces are a password)', { ...valid, password: '   ' }, { ...valid, password: '   ' }],
      ],
    };
  },
  'password.submit': (context) => {
    const missing = context.newPassword?.missingAttributes ?? [];
    const attributes = Object.fromEntries(missing.map((name) => [name, `Malformed ${name}`]));
    const valid = { type: 'password.submit', newPassword: VALID.newPassword, attributes } as const;
    const first = missing[0];
    const protoAttributes = { ...valid, attributes: { ...attributes, ...(JSON.parse('{"__proto__":"x","constructor":"y"}') as object) } };
    return {
      valid,
      refuse: {
        newPassword: SECRET(VALID.newPassword),
        attributes: [
          ...NOT_OBJECT_PRIMITIVES(),
          ...BAD_ATTRIBUTE_MAPS(),
          ...(first === undefined
            ? []
            : ([
                ['missing', ABSENT],
                ['null', null],
                ['{} (a required attribute left out)', {}],
                ['required attribute blank', { ...attributes, [first]: '   ' }],
              ] as const)),
        ],
      },
      tolerate: [
        ['string values under __proto__ / constructor keys', protoAttributes, protoAttributes as unknown as AuthEvent],
        ...(first === undefined ? [['attributes null', { ...valid, attributes: null }, { type: 'password.submit', newPassword: VALID.newPassword }] as const] : []),
      ],
    };
  },
  'code.submit': () => ({
    valid: { type: 'code.submit', code: VALID.code },
    refuse: { code: CODE() },
    tolerate: [['code with spaces', { type: 'code.submit', code: ' 246 813 ' }]],
  }),
  'code.resend': () => ({ valid: { type: 'code.resend' } }),
  'mfa.select': (context) => {
    const offered = context.allowedMfaTypes ?? [];
    return { valid: { type: 'mfa.select', mfaType: offered.find((t) => t !== 'SMS') ?? offered[0] ?? 'TOTP' }, refuse: { mfaType: MFA_TYPE() } };
  },
  'email.submit': () => ({
    valid: { type: 'email.submit', email: VALID.email },
    refuse: { email: EMAIL() },
    tolerate: [['padded address', { type: 'email.submit', email: `  ${VALID.email} ` }]],
  }),
  'mfa.setUpTotp': () => ({ valid: { type: 'mfa.setUpTotp' } }),
  'mfa.updatePreference': () => ({ valid: { type: 'mfa.updatePreference', preference: { totp: 'PREFERRED' } }, refuse: { preference: PREFERENCE() } }),
  'mfa.fetchPreference': () => ({ valid: { type: 'mfa.fetchPreference' } }),
  'signUp.start': () => ({ valid: { type: 'signUp.start' } }),
  'signUp.submit': () => {
    const valid = { type: 'signUp.submit', username: VALID.username, password: VALID.password, attributes: { email: VALID.email } } as const;
    return {
      valid,
      refuse: {
        username: TEXT(),
        password: SECRET(VALID.password),
        attributes: [['null', null], ...NOT_OBJECT_PRIMITIVES(), ...BAD_ATTRIBUTE_MAPS(), ...ATTRIBUTE_NAMES_REFUSED()],
        validationData: [['null', null], ...NOT_OBJECT_PRIMITIVES(), ...BAD_ATTRIBUTE_MAPS(), ...ATTRIBUTE_NAMES_REFUSED()],
        authFlow: [['null', null], ['a custom flow', 'CUSTOM_WITHOUT_SRP'], ['lower case', 'user_srp_auth'], ['a refresh', 'REFRESH_TOKEN_AUTH'], ['1', 1], ['{}', {}]],
      },
      // Only `autoSignIn: false` turns auto sign-in off.
      tolerate: ([['"false"', 'false'], ['0', 0], ['null', null], ['"yes"', 'yes']] as const).map(
        ([label, value]) => [`autoSignIn ${label}`, { ...valid, autoSignIn: value }] as const,
      ),
    };
  },
  'password.forgot': () => ({
    valid: { type: 'password.forgot', username: VALID.username },
    refuse: { username: TEXT() },
    tolerate: [['unicode username', { type: 'password.forgot', username: VALID.unicodeUsername }, { type: 'password.forgot', username: VALID.unicodeUsername }]],
  }),
  'password.reset': () => {
    const valid = { type: 'password.reset', code: VALID.code, newPassword: VALID.newPassword } as const;
    return {
      valid,
      refuse: { code: CODE(), newPassword: SECRET(VALID.newPassword) },
      // Only `signIn: true` signs in afterwards.
      tolerate: ([['"true"', 'true'], ['1', 1], ['{}', {}]] as const).map(([label, value]) => [`signIn ${label}`, { ...valid, signIn: value }] as const),
    };
  },
  'password.change': () => ({
    valid: { type: 'password.change', oldPassword: VALID.password, newPassword: VALID.newPassword },
    refuse: { oldPassword: SECRET(VALID.password), newPassword: SECRET(VALID.newPassword) },
  }),
  'attributes.fetch': () => ({ valid: { type: 'attributes.fetch' } }),
  'attributes.update': () => ({
    valid: { type: 'attributes.update', attributes: { name: 'Malformed' } },
    refuse: { attributes: [...notObjects(), ['{}', {}], ...BAD_ATTRIBUTE_MAPS(), ...ATTRIBUTE_NAMES_REFUSED()] },
  }),
  'attributes.delete': () => ({
    valid: { type: 'attributes.delete', names: ['custom:team', 'nickname'] },
    refuse: {
      names: [
        ...notObjects(),
        ['[]', []],
        ['{}', {}],
        ['a name, not a list', ['custom:team'][0]],
        ['empty name', ['']],
        ['blank name', [' ']],
        // Cognito's limit counts the prefix: custom:+26 characters is one too many
        ['33-char name', [`custom:${'n'.repeat(26)}`]],
        ['1 MB name', [HUGE]],
        ['number in the list', ['nickname', 42]],
        ['null in the list', [null]],
      ],
    },
  }),
  'attribute.sendCode': () => ({ valid: { type: 'attribute.sendCode', name: 'email' }, refuse: { name: ATTRIBUTE_NAME() } }),
  'attribute.verify': () => ({ valid: { type: 'attribute.verify', name: 'email', code: VALID.code }, refuse: { name: ATTRIBUTE_NAME(), code: CODE() } }),
  'account.delete': () => ({ valid: { type: 'account.delete' } }),
  'factor.select': (context) => {
    // a passwordless factor the step offers (at the passkey step: another one than the passkey)
    const offered = (context.availableFactors ?? []).find((f) => f === 'EMAIL_OTP' || f === 'SMS_OTP') ?? 'EMAIL_OTP';
    return { valid: { type: 'factor.select', factor: offered }, refuse: { factor: FACTOR(), password: [['1 MB', HUGE], ['number', 42], ['empty', '']] } };
  },
  'factor.password': () => ({ valid: { type: 'factor.password', password: VALID.password }, refuse: { password: SECRET(VALID.password) } }),
  'passkey.start': () => ({ valid: { type: 'passkey.start' } }),
  'redirect.start': () => ({
    valid: { type: 'redirect.start', provider: 'Google' },
    refuse: { provider: [...notStrings('Google').filter(([label]) => label !== 'missing' && label !== 'undefined'), ['empty', ''], ['41 chars', 'p'.repeat(41)]], scopes: [['string', 'openid'], ['a space', ['open id']], ['a number', [42]]] },
  }),
  'redirect.callback': () => ({
    valid: { type: 'redirect.callback', url: 'https://app.example/callback?code=abc&state=xyz' },
    refuse: { url: [...notStrings('https://app.example/callback?code=abc&state=xyz'), ['no state', 'https://app.example/callback?code=abc'], ['not a URL', 'code=abc&state=xyz'], ['1 MB', HUGE]] },
  }),
  'passkey.autofill': () => ({ valid: { type: 'passkey.autofill', username: VALID.username }, refuse: { username: TEXT() } }),
  'challenge.answer': () => ({
    valid: { type: 'challenge.answer', answer: 'blue' },
    refuse: { answer: [...notStrings('blue'), ['empty', ''], ['1 MB', HUGE]] },
    tolerate: [['padded', { type: 'challenge.answer', answer: ' blue ' }, { type: 'challenge.answer', answer: ' blue ' }]],
  }),
  'passkey.register': () => ({ valid: { type: 'passkey.register' } }),
  'passkeys.list': () => ({
    valid: { type: 'passkeys.list' },
    // a token that is not a non-empty string reads the first page, as no token does
    tolerate: [
      ...([['number', 42], ['empty', ''], ['object', {}]] as const).map(([label, value]) => [`nextToken=${label}`, { type: 'passkeys.list', nextToken: value }] as const),
      // a page size Cognito does not take is left out (Cognito's default page)
      ...([['0', 0], ['21', 21], ['1.5', 1.5], ['"5"', '5'], ['NaN', NaN]] as const).map(([label, value]) => [`pageSize=${label}`, { type: 'passkeys.list', pageSize: value }] as const),
    ],
  }),
  'passkey.delete': () => ({
    valid: { type: 'passkey.delete', credentialId: 'credential-1' },
    refuse: { credentialId: [...notStrings('credential-1'), ['empty', ''], ['1 MB', HUGE]] },
  }),
  'devices.list': () => ({
    valid: { type: 'devices.list' },
    // as passkeys.list: a token that is not a non-empty string reads the first page
    tolerate: ([['number', 42], ['empty', ''], ['object', {}]] as const).map(([label, value]) => [`nextToken=${label}`, { type: 'devices.list', nextToken: value }] as const),
  }),
  'device.remember': () => ({ valid: { type: 'device.remember' } }),
  'device.forget': () => ({
    valid: { type: 'device.forget', deviceId: 'us-east-1_0f1e2d3c-aaaa-bbbb-cccc-123456789abc' },
    refuse: { deviceId: [...notStrings('us-east-1_0f1e2d3c-aaaa-bbbb-cccc-123456789abc').filter(([label]) => label !== 'undefined' && label !== 'missing'), ['empty', ''], ['1 MB', HUGE], ['not a key', 'abc']] },
  }),
  'flow.cancel': () => ({ valid: { type: 'flow.cancel' } }),
  'flow.restart': () => ({ valid: { type: 'flow.restart' } }),
  'flow.retry': () => ({ valid: { type: 'flow.retry' } }),
  'session.check': () => ({ valid: { type: 'session.check' } }),
  'session.refresh': () => ({ valid: { type: 'session.refresh' } }),
  // The chart looks at the shared token store again whatever `change` says: the store decides, not the message.
  'session.changedElsewhere': () => {
    const valid = { type: 'session.changedElsewhere', change: 'signedIn' } as const;
    const junk: Field[] = [...notStrings('signedIn'), ['unknown', 'maybe'], ['1 MB', HUGE]];
    return { valid, tolerate: junk.map(([label, value]) => [`change=${label}`, withField(valid, 'change', value)] as const) };
  },
  // Only `global: true` signs out everywhere.
  'session.signOut': () => ({
    valid: { type: 'session.signOut' },
    tolerate: ([['"true"', 'true'], ['1', 1], ['{}', {}], ['[true]', [true]]] as const).map(
      ([label, value]) => [`global ${label}`, { type: 'session.signOut', global: value }] as const,
    ),
  }),
};

export const AUTH_EVENT_TYPES = Object.keys(SPECS) as AuthEventType[];

/** The valid event of a type, for this context. */
export const validEvent = (type: AuthEventType, context: AuthContext): AuthEvent => SPECS[type](context).valid;

/** Every hostile variant of an event type, for this context (some payloads depend on the step, e.g. missing attributes). */
export function hostileEvents(type: AuthEventType, context: AuthContext): HostileEvent[] {
  const spec = SPECS[type](context);
  const out: HostileEvent[] = [];
  for (const [field, values] of Object.entries(spec.refuse ?? {})) {
    for (const [label, value] of values) out.push({ label: `${type} ${field}=${label}`, event: withField(spec.valid, field, value), expect: 'refuse' });
  }
  out.push({ label: `${type} + extra fields (__proto__, constructor, 1 MB, output, error ...)`, event: { ...spec.valid, ...extras() }, expect: 'tolerate', canonical: spec.valid });
  for (const [label, event, canonical] of spec.tolerate ?? []) out.push({ label: `${type} ${label}`, event, expect: 'tolerate', canonical: canonical ?? spec.valid });
  return out;
}
