// The sign-in triggers around authentication: PreAuthentication (InitiateAuth, before the first
// factor is checked; a function error refuses the sign-in) and PostAuthentication (once the user
// has proven everything the sign-in asks, before the tokens are made).
import type { PoolContext } from '../context.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/model.js';
import { eventAttributes, invokeTrigger, withClientMetadata } from './invoke.js';

export interface PreAuthenticationInput {
  pool: PoolRecord;
  client: ClientRecord;
  /** undefined: no user has this name (only reached with PreventUserExistenceErrors ENABLED). */
  user: UserRecord | undefined;
  typedUsername: string;
  /** InitiateAuth's ClientMetadata, which Cognito passes as validationData. */
  validationData: Record<string, string> | undefined;
}

export async function preAuthentication(ctx: PoolContext, input: PreAuthenticationInput): Promise<void> {
  const { pool, client, user } = input;
  await invokeTrigger(ctx, {
    pool,
    trigger: 'PreAuthentication',
    triggerSource: 'PreAuthentication_Authentication',
    userName: user?.username ?? input.typedUsername,
    clientId: client.id,
    request: {
      userAttributes: user ? eventAttributes(user) : {},
      validationData: input.validationData ?? null,
      ...(client.config.PreventUserExistenceErrors === 'ENABLED' ? { userNotFound: user === undefined } : {}),
    },
    response: {},
  });
}

export interface PostAuthenticationInput {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  /** RespondToAuthChallenge's ClientMetadata (InitiateAuth's is not passed on, as in Cognito). */
  clientMetadata?: Record<string, string> | undefined;
}

export async function postAuthentication(ctx: PoolContext, input: PostAuthenticationInput): Promise<void> {
  await invokeTrigger(ctx, {
    pool: input.pool,
    trigger: 'PostAuthentication',
    triggerSource: 'PostAuthentication_Authentication',
    userName: input.user.username,
    clientId: input.client.id,
    // No device tracking yet: no sign-in is on a new device.
    request: { userAttributes: eventAttributes(input.user), newDeviceUsed: false, ...withClientMetadata(input.clientMetadata) },
    response: {},
  });
}
