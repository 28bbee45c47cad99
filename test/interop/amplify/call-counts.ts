// What Amplify JS v6 (aws-amplify 6.22, @aws-amplify/auth 6.21) sends to Cognito for each MFA flow:
// the operation names (X-Amz-Target without the service prefix), in order, from signIn() to DONE.
// They were observed from Amplify against Cognito, and test/interop/amplify/mfa*.test.ts (and
// test/integration/mfa.pool.test.ts) check them against what the local pool actually receives. A client that replaces Amplify should
// need no more calls than these.

export type CognitoOperation =
  | 'InitiateAuth'
  | 'RespondToAuthChallenge'
  | 'AssociateSoftwareToken'
  | 'VerifySoftwareToken'
  | 'SetUserMFAPreference'
  | 'GetUser';

const I = 'InitiateAuth';
const R = 'RespondToAuthChallenge';

export const AMPLIFY_MFA_CALLS = {
  /** signIn -> CONFIRM_SIGN_IN_WITH_TOTP_CODE -> confirmSignIn(code) -> DONE (3 calls). */
  'SRP + SOFTWARE_TOKEN_MFA': [I, R, R],
  /** ... confirmSignIn(wrong) -> CodeMismatchException -> confirmSignIn(right), same Session (4 calls). */
  'SRP + SOFTWARE_TOKEN_MFA, wrong code then retry': [I, R, R, R],
  /** signIn -> CONFIRM_SIGN_IN_WITH_SMS_CODE -> confirmSignIn(code) -> DONE. */
  'SRP + SMS_MFA': [I, R, R],
  /** signIn -> CONFIRM_SIGN_IN_WITH_EMAIL_CODE -> confirmSignIn(code) -> DONE. */
  'SRP + EMAIL_OTP': [I, R, R],
  /** signIn -> CONTINUE_SIGN_IN_WITH_MFA_SELECTION -> confirmSignIn('TOTP') -> CONFIRM_SIGN_IN_WITH_TOTP_CODE -> code -> DONE. */
  'SRP + SELECT_MFA_TYPE -> TOTP': [I, R, R, R],
  /**
   * Pool offers only TOTP setup: signIn (AssociateSoftwareToken runs inside it) ->
   * CONTINUE_SIGN_IN_WITH_TOTP_SETUP -> confirmSignIn(code) -> DONE (5 calls).
   */
  'SRP + MFA_SETUP (TOTP only)': [I, R, 'AssociateSoftwareToken', 'VerifySoftwareToken', R],
  /** signIn -> CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION -> confirmSignIn('TOTP') (Associate) -> CONTINUE_SIGN_IN_WITH_TOTP_SETUP -> code -> DONE. */
  'SRP + MFA_SETUP selection -> TOTP': [I, R, 'AssociateSoftwareToken', 'VerifySoftwareToken', R],
  /**
   * signIn -> CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION -> confirmSignIn('EMAIL') (no call) ->
   * CONTINUE_SIGN_IN_WITH_EMAIL_SETUP -> confirmSignIn(address) -> CONFIRM_SIGN_IN_WITH_EMAIL_CODE -> code -> DONE (4 calls).
   */
  'SRP + MFA_SETUP selection -> EMAIL -> address -> code': [I, R, R, R],
  /**
   * Temporary password, then e-mail MFA: signIn -> CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED -> new password ->
   * CONFIRM_SIGN_IN_WITH_EMAIL_CODE -> code -> DONE (4 calls).
   */
  'SRP + NEW_PASSWORD_REQUIRED -> EMAIL_OTP': [I, R, R, R],
  /** Signed in (1 call each). */
  setUpTOTP: ['AssociateSoftwareToken'],
  verifyTOTPSetup: ['VerifySoftwareToken'],
  updateMFAPreference: ['SetUserMFAPreference'],
  fetchMFAPreference: ['GetUser'],
} as const satisfies Record<string, readonly CognitoOperation[]>;

export type AmplifyMfaFlow = keyof typeof AMPLIFY_MFA_CALLS;

/**
 * The calls of `calls` that can be matched, in order, within `reference` (all of them when it is a subsequence):
 * a parity test expects this to be the chart's calls whole, so the chart makes no call Amplify does not, in Amplify's order.
 */
export function inOrderWithin(calls: readonly string[], reference: readonly string[]): string[] {
  const matched: string[] = [];
  let at = 0;
  for (const call of calls) {
    const found = reference.indexOf(call, at);
    if (found === -1) break;
    matched.push(call);
    at = found + 1;
  }
  return matched;
}
