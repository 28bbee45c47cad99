// CustomMessage: before the pool "sends" a code or an invitation, the function may write the text.
// It never sees the code: it answers texts with the request's codeParameter ({####}) in them (and
// for invitations usernameParameter, {username}), and the pool puts the code in, as Cognito does.
import type { PoolContext } from '../context.js';
import { Errors } from '../api/errors.js';
import type { DeliveryMedium, PoolRecord, UserStatus } from '../store/model.js';
import { invokeTrigger, readString, withClientMetadata } from './invoke.js';

export const CODE_PARAMETER = '{####}';
export const USERNAME_PARAMETER = '{username}';
export const LINK_PARAMETER = '{##Click Here##}';

export type CustomMessageSource =
  | 'CustomMessage_SignUp'
  | 'CustomMessage_AdminCreateUser'
  | 'CustomMessage_ResendCode'
  | 'CustomMessage_ForgotPassword'
  | 'CustomMessage_UpdateUserAttribute'
  | 'CustomMessage_VerifyUserAttribute'
  | 'CustomMessage_Authentication';

/** What the function wrote; a member left out keeps the pool's own text. */
export interface CustomTexts {
  smsMessage?: string;
  emailMessage?: string;
  emailSubject?: string;
}

export interface CustomMessageInput {
  pool: PoolRecord;
  clientId: string;
  source: CustomMessageSource;
  /** The user the message is for, as it is (or will be) stored. */
  user: { username: string; attributes: Record<string, string>; status?: UserStatus };
  clientMetadata?: Record<string, string> | undefined;
}

/**
 * The function's texts for a message, or undefined when the pool has no CustomMessage function.
 * A text without the code placeholder (and, for invitations, the username placeholder) is refused
 * with InvalidLambdaResponseException: the message would not carry what it is sent for.
 */
export async function customMessageTexts(ctx: PoolContext, input: CustomMessageInput): Promise<CustomTexts | undefined> {
  const invitation = input.source === 'CustomMessage_AdminCreateUser';
  const response = await invokeTrigger(ctx, {
    pool: input.pool,
    trigger: 'CustomMessage',
    triggerSource: input.source,
    userName: input.user.username,
    clientId: input.clientId,
    request: {
      userAttributes: { ...input.user.attributes, ...(input.user.status ? { 'cognito:user_status': input.user.status } : {}) },
      codeParameter: CODE_PARAMETER,
      linkParameter: LINK_PARAMETER,
      usernameParameter: invitation ? USERNAME_PARAMETER : null,
      ...withClientMetadata(input.clientMetadata),
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  });
  if (!response) return undefined;
  const texts: CustomTexts = {};
  for (const member of ['smsMessage', 'emailMessage'] as const) {
    const text = readString(response, member);
    if (text === undefined) continue;
    const missing = !text.includes(CODE_PARAMETER) || (invitation && !text.includes(USERNAME_PARAMETER));
    if (missing) {
      ctx.log(`[lambda] ${input.source}: ${member} lacks ${invitation ? `${CODE_PARAMETER} or ${USERNAME_PARAMETER}` : CODE_PARAMETER}`);
      throw Errors.invalidLambdaResponse();
    }
    texts[member] = text;
  }
  const subject = readString(response, 'emailSubject');
  if (subject !== undefined) texts.emailSubject = subject;
  return texts;
}

/** The function's text for a medium, if it wrote one: { message, subject } before the code goes in. */
export function customText(texts: CustomTexts | undefined, medium: DeliveryMedium): { message?: string; subject?: string } {
  if (!texts) return {};
  if (medium === 'SMS') return texts.smsMessage !== undefined ? { message: texts.smsMessage } : {};
  return {
    ...(texts.emailMessage !== undefined ? { message: texts.emailMessage } : {}),
    ...(texts.emailSubject !== undefined ? { subject: texts.emailSubject } : {}),
  };
}
