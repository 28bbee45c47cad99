// The sign-up triggers: PreSignUp (SignUp, AdminCreateUser and a federated user's first sign-in; it
// may confirm the user and verify its address or phone number at once) and PostConfirmation
// (ConfirmSignUp, AdminConfirmSignUp, an auto-confirmed SignUp and a federated user's first sign-in;
// ConfirmForgotPassword).
import type { PoolContext } from '../context.js';
import { Errors } from '../api/errors.js';
import type { PoolRecord, UserRecord } from '../store/model.js';
import { eventAttributes, invokeTrigger, readBoolean, withClientMetadata } from './invoke.js';

export interface PreSignUpInput {
  pool: PoolRecord;
  clientId: string;
  source: 'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser' | 'PreSignUp_ExternalProvider';
  /** The new user's username (the sub in email-as-username pools). */
  userName: string;
  /** The attributes it is created with. */
  attributes: Record<string, string>;
  validationData: Record<string, string> | undefined;
  clientMetadata: Record<string, string> | undefined;
}

export interface PreSignUpDecision {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

const NOTHING: PreSignUpDecision = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };

/**
 * PreSignUp: a function error refuses the sign-up. Its auto-confirm and auto-verify answers count for
 * SignUp and a federated first sign-in (Cognito ignores them for AdminCreateUser; a federated user is
 * EXTERNAL_PROVIDER whatever autoConfirmUser says); auto-verifying an attribute the user does not
 * have is refused.
 */
export async function preSignUp(ctx: PoolContext, input: PreSignUpInput): Promise<PreSignUpDecision> {
  const { sub: _sub, ...userAttributes } = input.attributes;
  const response = await invokeTrigger(ctx, {
    pool: input.pool,
    trigger: 'PreSignUp',
    triggerSource: input.source,
    userName: input.userName,
    clientId: input.clientId,
    request: { userAttributes, validationData: input.validationData ?? null, ...withClientMetadata(input.clientMetadata) },
    response: { ...NOTHING },
  });
  if (!response) return NOTHING;
  const decision: PreSignUpDecision = {
    autoConfirmUser: readBoolean(response, 'autoConfirmUser') ?? false,
    autoVerifyEmail: readBoolean(response, 'autoVerifyEmail') ?? false,
    autoVerifyPhone: readBoolean(response, 'autoVerifyPhone') ?? false,
  };
  if (input.source === 'PreSignUp_AdminCreateUser') return NOTHING;
  if (decision.autoVerifyEmail && !userAttributes['email']) throw Errors.invalidParameter('PreSignUp answered autoVerifyEmail, but the user has no email.');
  if (decision.autoVerifyPhone && !userAttributes['phone_number']) {
    throw Errors.invalidParameter('PreSignUp answered autoVerifyPhone, but the user has no phone_number.');
  }
  return decision;
}

export interface PostConfirmationInput {
  pool: PoolRecord;
  clientId: string;
  user: UserRecord;
  source: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword';
  clientMetadata: Record<string, string> | undefined;
}

/** PostConfirmation, after the confirmation is stored: a function error is answered, the confirmation stays (as in Cognito). */
export async function postConfirmation(ctx: PoolContext, input: PostConfirmationInput): Promise<void> {
  await invokeTrigger(ctx, {
    pool: input.pool,
    trigger: 'PostConfirmation',
    triggerSource: input.source,
    userName: input.user.username,
    clientId: input.clientId,
    request: { userAttributes: eventAttributes(input.user), ...withClientMetadata(input.clientMetadata) },
    response: {},
  });
}
