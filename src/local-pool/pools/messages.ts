// What the pool "sends" outside MFA: confirmation codes (sign-up, attribute verification, password
// reset) and AdminCreateUser's invitation. Their default texts, the pool's own templates, which
// attribute a code goes to, and CodeDeliveryDetails with the masked destination.
import { Errors } from '../api/errors.js';
import type { DeliveryMedium, PoolConfig, PoolRecord, UserRecord } from '../store/model.js';
import { hmacSha256 } from '../crypto/secrets.js';
import { verificationTemplate } from './config.js';
import { fillTemplate, maskEmail, maskPhone } from './mfa.js';
import { EMAIL } from './users.js';

// Cognito's default texts (what a pool without its own templates sends).
export const DEFAULT_VERIFICATION_MESSAGE = 'Your verification code is {####}.';
export const DEFAULT_VERIFICATION_SUBJECT = 'Your verification code';
export const DEFAULT_RESET_MESSAGE = 'Your password reset code is {####}.';
export const DEFAULT_RESET_SUBJECT = 'Your password reset code';
export const DEFAULT_INVITE_MESSAGE = 'Your username is {username} and temporary password is {####}.';
export const DEFAULT_INVITE_SUBJECT = 'Your temporary password';

export type DeliveryAttribute = 'email' | 'phone_number';

/** Where a message goes: the attribute, its medium and its (unmasked) value. */
export interface Channel {
  attribute: DeliveryAttribute;
  medium: DeliveryMedium;
  destination: string;
}

export const channelOf = (attribute: DeliveryAttribute, destination: string): Channel => ({
  attribute,
  medium: attribute === 'email' ? 'EMAIL' : 'SMS',
  destination,
});

/** Cognito's CodeDeliveryDetailsType: the destination masked ("a***@e***", "+*******0100"). */
export function codeDeliveryDetails(channel: Channel): { Destination: string; DeliveryMedium: DeliveryMedium; AttributeName: string } {
  return {
    Destination: channel.medium === 'EMAIL' ? maskEmail(channel.destination) : maskPhone(channel.destination),
    DeliveryMedium: channel.medium,
    AttributeName: channel.attribute,
  };
}

export interface Composed {
  subject?: string;
  message: string;
}

export type MessageKind = 'VERIFICATION' | 'RESET' | 'INVITATION';

/**
 * The text of a message, the code (or temporary password) in place of {####} and the username in
 * place of {username}. Sign-up and attribute codes use the pool's VerificationMessageTemplate;
 * password-reset codes the default reset text; invitations the InviteMessageTemplate; a
 * CustomMessage function's text replaces any of them.
 */
export function composeMessage(
  config: PoolConfig,
  kind: MessageKind,
  medium: DeliveryMedium,
  code: string,
  username = '',
  /** A CustomMessage function's text and subject, which replace the pool's. */
  custom: Partial<Composed> = {},
): Composed {
  const sms = medium === 'SMS';
  let message: string;
  let subject: string;
  if (kind === 'VERIFICATION') {
    const template = verificationTemplate(config);
    message = (sms ? template.SmsMessage : template.EmailMessage) ?? DEFAULT_VERIFICATION_MESSAGE;
    subject = template.EmailSubject ?? DEFAULT_VERIFICATION_SUBJECT;
  } else if (kind === 'RESET') {
    message = DEFAULT_RESET_MESSAGE;
    subject = DEFAULT_RESET_SUBJECT;
  } else {
    const invite = config.AdminCreateUserConfig.InviteMessageTemplate;
    message = (sms ? invite?.SMSMessage : invite?.EmailMessage) ?? DEFAULT_INVITE_MESSAGE;
    subject = invite?.EmailSubject ?? DEFAULT_INVITE_SUBJECT;
  }
  message = custom.message ?? message;
  subject = custom.subject ?? subject;
  const text = fillTemplate(message, code).split('{username}').join(username);
  return sms ? { message: text } : { subject, message: text };
}

const hasValue = (user: UserRecord, attribute: DeliveryAttribute): boolean => Boolean(user.attributes[attribute]);
const isVerified = (user: UserRecord, attribute: DeliveryAttribute): boolean =>
  hasValue(user, attribute) && user.attributes[`${attribute}_verified`] === 'true';

/**
 * Where a sign-up code goes: an auto-verified attribute the user has, the phone number before the
 * address (Cognito verifies one, and prefers SMS). undefined when the pool verifies nothing the user has.
 */
export function signUpChannel(pool: PoolRecord, user: UserRecord): Channel | undefined {
  const auto = pool.config.AutoVerifiedAttributes;
  for (const attribute of ['phone_number', 'email'] as const) {
    if (auto.includes(attribute) && hasValue(user, attribute)) return channelOf(attribute, user.attributes[attribute]!);
  }
  return undefined;
}

/** The recovery order: AccountRecoverySetting, or Cognito's legacy rule (verified phone, then verified email). */
function recoveryOrder(config: PoolConfig): Array<DeliveryAttribute | 'admin_only'> {
  const mechanisms = config.AccountRecoverySetting?.RecoveryMechanisms;
  if (!mechanisms) return ['phone_number', 'email'];
  return mechanisms.map((m) => (m.Name === 'admin_only' ? 'admin_only' : m.Name === 'verified_email' ? 'email' : 'phone_number'));
}

/**
 * Where a password-reset code goes (ForgotPassword, AdminResetUserPassword): the first recovery
 * mechanism the user has verified. Throws "Contact administrator ..." for admin_only pools and
 * "Cannot reset password ..." when the user has nothing verified.
 */
export function recoveryChannel(pool: PoolRecord, user: UserRecord): Channel {
  const order = recoveryOrder(pool.config);
  if (order[0] === 'admin_only') throw Errors.adminOnlyRecovery();
  for (const attribute of order) {
    if (attribute !== 'admin_only' && isVerified(user, attribute)) return channelOf(attribute, user.attributes[attribute]!);
  }
  throw Errors.noRecoveryChannel();
}

/** The medium an unknown user's simulated answer claims: what a real user of this pool would most likely get. */
function simulatedAttribute(pool: PoolRecord, purpose: 'SIGN_UP' | 'RECOVERY', typedName: string): DeliveryAttribute {
  if (pool.config.UsernameAttributes.length > 0) return EMAIL.test(typedName) ? 'email' : 'phone_number';
  if (purpose === 'SIGN_UP') return pool.config.AutoVerifiedAttributes.includes('phone_number') ? 'phone_number' : 'email';
  const first = recoveryOrder(pool.config).find((m) => m !== 'admin_only');
  return first === 'phone_number' && pool.config.AutoVerifiedAttributes.includes('phone_number') ? 'phone_number' : 'email';
}

/**
 * A plausible CodeDeliveryDetails for a user that does not exist (PreventUserExistenceErrors
 * ENABLED): the typed address or phone number masked when it is one, else a masked destination
 * derived from the pool's simulation key and the name, so asking twice gives the same answer.
 */
export function simulatedDeliveryDetails(
  simulationKey: string,
  pool: PoolRecord,
  typedName: string,
  purpose: 'SIGN_UP' | 'RECOVERY',
): ReturnType<typeof codeDeliveryDetails> {
  const attribute = simulatedAttribute(pool, purpose, typedName);
  const bytes = hmacSha256(simulationKey, `${pool.id}/${typedName.toLowerCase()}/${attribute}`);
  const letter = (i: number) => String.fromCharCode(97 + (bytes[i]! % 26));
  let destination: string;
  if (attribute === 'email') {
    destination = EMAIL.test(typedName) ? typedName : `${letter(0)}x@${letter(1)}x.com`;
  } else {
    destination = /^\+\d{5,15}$/.test(typedName) ? typedName : `+1555${[2, 3, 4, 5, 6, 7, 8].map((i) => bytes[i]! % 10).join('')}`;
  }
  return codeDeliveryDetails(channelOf(attribute, destination));
}
