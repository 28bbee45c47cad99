// What one sign-in attempt must remember between Cognito calls, outside machine context: the password (to
// prove it with SRP, and to sign in again for a new MFA code) and the SRP state, as a typed, phased value.
// It changes only through nextSecrets(); the vault swaps the whole value, nothing mutates it in place.
import type { SignInFlow } from '../../machines/auth.types.js';
import type { SrpEphemeral } from '../cognito/srp.js';
import type { SrpChallengeData } from '../cognito/steps.js';

/** started: SRP_A sent; challenged: PASSWORD_VERIFIER received. An ephemeral is used for one proof only. */
export type SrpAttempt =
  | { readonly phase: 'started'; readonly ephemeral: SrpEphemeral }
  | { readonly phase: 'challenged'; readonly ephemeral: SrpEphemeral; readonly challenge: SrpChallengeData };

export interface FlowSecrets {
  readonly loginId: string;
  readonly authFlow: SignInFlow;
  /** USER_AUTH: the password factor this attempt signs in with again (a resend, an auto sign-in). */
  readonly factor?: 'PASSWORD' | 'PASSWORD_SRP';
  readonly password: string;
  readonly srp: SrpAttempt | null;
}

export type SecretsEvent =
  | { readonly type: 'srpStarted'; readonly ephemeral: SrpEphemeral }
  | { readonly type: 'srpChallenged'; readonly challenge: SrpChallengeData }
  | { readonly type: 'srpSpent' }
  /** NEW_PASSWORD_REQUIRED succeeded: a later resend signs in with the new password. */
  | { readonly type: 'passwordChanged'; readonly password: string };

export function nextSecrets(secrets: FlowSecrets, event: SecretsEvent): FlowSecrets {
  switch (event.type) {
    case 'srpStarted':
      return { ...secrets, srp: { phase: 'started', ephemeral: event.ephemeral } };
    case 'srpChallenged':
      return secrets.srp ? { ...secrets, srp: { phase: 'challenged', ephemeral: secrets.srp.ephemeral, challenge: event.challenge } } : secrets;
    case 'srpSpent':
      return { ...secrets, srp: null };
    case 'passwordChanged':
      return { ...secrets, password: event.password };
  }
}
