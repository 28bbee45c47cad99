// Types of the sign-in statechart: context, events, actor inputs and outputs.
// Nothing here may hold a password, code, private SRP value or token.
import type { AuthErrorData } from '../src/cognito/errors.js';
import type { PasswordAuthFlow } from '../src/cognito/port.js';
import type { SignInStepName } from '../src/cognito/steps.js';

export type { AuthErrorData, PasswordAuthFlow, SignInStepName };

/** Who is signed in, from the (decoded, not verified) ID token. */
export interface AuthUser {
  readonly username: string;
  readonly userId: string;
  /** Non-sensitive ID token claims such as email or name. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly signInDetails?: { readonly loginId: string; readonly authFlowType: string };
  /** When the access token expires (ms since epoch). */
  readonly tokensExpireAt: number;
}

/** Step data for NEW_PASSWORD_REQUIRED. */
export interface NewPasswordChallenge {
  readonly missingAttributes: readonly string[];
  readonly userAttributes: Readonly<Record<string, string>>;
}

export interface SignInContext {
  /** What the user typed (login id). */
  readonly username: string | null;
  /** Cognito's canonical user name (USERNAME / USER_ID_FOR_SRP), used for every challenge answer. */
  readonly challengeUsername: string | null;
  readonly authFlow: PasswordAuthFlow;
  /** The Cognito sign-in Session (a single-use, short-lived handle; not a credential). */
  readonly session: string | null;
  readonly sessionExpiresAt: number | null;
  /** When the runtime stamped the session; with sessionExpiresAt gives the lifetime without reading a clock. */
  readonly sessionIssuedAt: number | null;
  /** Opaque reference to the runtime's in-memory secret vault (SRP state for PASSWORD_VERIFIER). */
  readonly secretRef: string | null;
  readonly step: SignInResult['step'] | null;
  readonly newPassword: NewPasswordChallenge | null;
  readonly user: AuthUser | null;
  readonly error: AuthErrorData | null;
}

export interface SignInInput {
  /** Default flow for `signIn.submit` without `authFlow`. */
  readonly authFlow?: PasswordAuthFlow;
}

// ---------- events ----------

export type SignInEvent =
  | { type: 'signIn.submit'; username: string; password: string; authFlow?: PasswordAuthFlow }
  | { type: 'password.submit'; newPassword: string; attributes?: Readonly<Record<string, string>> }
  | { type: 'flow.cancel' }
  | { type: 'flow.restart' }
  | { type: 'session.check' }
  | { type: 'session.refresh' }
  | { type: 'session.signOut'; global?: boolean };

export type SignInEventType = SignInEvent['type'];

// ---------- actors ----------

interface Stamped {
  readonly session: string;
  readonly sessionIssuedAt: number;
  readonly sessionExpiresAt: number;
  /** Canonical user name for the next answer. */
  readonly username: string;
}

/** What every sign-in actor resolves with: the next step, already stripped of secrets. */
export type SignInResult =
  | (Stamped & { readonly step: 'PASSWORD_VERIFIER'; readonly secretRef: string })
  | (Stamped & { readonly step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED'; readonly challenge: NewPasswordChallenge })
  | { readonly step: 'CONFIRM_SIGN_UP'; readonly username: string }
  | { readonly step: 'RESET_PASSWORD'; readonly username: string }
  | { readonly step: 'DONE'; readonly user: AuthUser };

export type InitiateAuthInput =
  | { readonly authFlow: PasswordAuthFlow; readonly username: string; readonly password: string }
  | { readonly authFlow: 'REFRESH_TOKEN_AUTH' };

export type RespondToAuthChallengeInput =
  | {
      readonly challengeName: 'PASSWORD_VERIFIER';
      readonly session: string;
      readonly username: string;
      readonly loginId: string;
      readonly secretRef: string;
    }
  | {
      readonly challengeName: 'NEW_PASSWORD_REQUIRED';
      readonly session: string;
      readonly username: string;
      readonly loginId: string;
      readonly authFlow: PasswordAuthFlow;
      readonly newPassword: string;
      readonly attributes: Readonly<Record<string, string>>;
    };

export type StoredSessionStatus =
  | { readonly status: 'fresh'; readonly user: AuthUser }
  | { readonly status: 'stale' }
  | { readonly status: 'none' };

export interface RefreshResult {
  readonly user: AuthUser;
}

export interface SignOutResult {
  /** Set when local tokens were cleared but Cognito could not be told (offline). */
  readonly warning: AuthErrorData | null;
}

/** Route names UIs switch on (state meta `route`). */
export type SignInRoute =
  | 'checkingSession'
  | 'signIn'
  | 'newPassword'
  | 'confirmSignUp'
  | 'resetPassword'
  | 'signedIn'
  | 'signingOut'
  | 'sessionExpired'
  | 'failed';

export interface StateMeta {
  readonly route: SignInRoute;
  /** Amplify's nextStep.signInStep that leads here, when there is one. */
  readonly signInStep?: SignInStepName;
}
