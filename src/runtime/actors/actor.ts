// The wrapper every actor body goes through. Its own module: restoring the session at start (restore.ts, first load)
// uses it without pulling the helpers of the families that talk to Cognito (shared.ts).
import { AuthError } from '../../cognito/errors.js';
import type { StoredTokens } from '../../session/tokens.js';
import { containsRedactedInput } from '../redact.js';

/** What one invoked actor runs: plain functions, so one provided machine can serve every instance (shared-machine.ts). */
export type ActorBody<Output, Input = unknown> = (args: ActorArgs<Input>) => Promise<Output>;

export interface ActorArgs<Input> {
  readonly input: Input;
  readonly signal: AbortSignal;
  /**
   * The stored access token when the chart invoked the actor (a refresh's, see shared-machine.ts): the body may run
   * later, once its code has loaded.
   */
  readonly accessTokenAtInvoke?: Promise<string | undefined>;
  /** A sign-out's: the tokens it ended on the device when invoked, before its code (which tells Cognito) had loaded. */
  readonly endedLocally?: Promise<StoredTokens | null>;
}

/** An actor body that refuses input redacted by a persisted snapshot: a restored request is never resent. */
export function actor<Output, Input = unknown>(body: ActorBody<Output, Input>): ActorBody<Output, Input> {
  return async (args) => {
    if (containsRedactedInput(args.input)) throw new AuthError('SignInInterrupted', 'A request restored from a persisted snapshot is not resent');
    return body(args);
  };
}

