// The chart's view as Amplify Auth v6's outputs (SignInOutput and the rest).
import type { AuthUser as ChartUser } from '../../machines/auth.types.js';
import type { CodeDelivery } from '../cognito/steps.js';
import type { AuthView } from '../view.js';

export type AuthMFAType = 'SMS' | 'TOTP' | 'EMAIL';
export type AuthDeliveryMedium = 'EMAIL' | 'SMS' | 'PHONE' | 'UNKNOWN';
export type ChallengeName = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';

export interface AuthCodeDeliveryDetails {
  destination?: string;
  deliveryMedium?: AuthDeliveryMedium;
  attributeName?: string;
}

export interface AuthTOTPSetupDetails {
  sharedSecret: string;
  getSetupUri(appName: string, accountName?: string): URL;
}

export type AuthNextSignInStep =
  | { signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE'; additionalInfo?: Record<string, string> }
  | { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION'; allowedMFATypes?: AuthMFAType[] }
  | { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION'; allowedMFATypes?: AuthMFAType[] }
  | { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED'; missingAttributes?: string[] }
  | { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE'; codeDeliveryDetails?: AuthCodeDeliveryDetails }
  | { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE'; codeDeliveryDetails?: AuthCodeDeliveryDetails }
  | { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' }
  | { signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP'; totpSetupDetails: AuthTOTPSetupDetails }
  | { signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' }
  | { signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION'; availableChallenges?: ChallengeName[] }
  | { signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD' }
  | { signInStep: 'CONFIRM_SIGN_UP' }
  | { signInStep: 'RESET_PASSWORD' }
  | { signInStep: 'DONE' };

export interface SignInOutput {
  isSignedIn: boolean;
  nextStep: AuthNextSignInStep;
}

export type AuthNextSignUpStep =
  | { signUpStep: 'DONE' }
  | { signUpStep: 'CONFIRM_SIGN_UP'; codeDeliveryDetails: AuthCodeDeliveryDetails }
  | { signUpStep: 'COMPLETE_AUTO_SIGN_IN'; codeDeliveryDetails?: AuthCodeDeliveryDetails };

export interface SignUpOutput {
  isSignUpComplete: boolean;
  userId?: string;
  nextStep: AuthNextSignUpStep;
}

export interface ResetPasswordOutput {
  isPasswordReset: boolean;
  nextStep: { resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE' | 'DONE'; codeDeliveryDetails: AuthCodeDeliveryDetails; additionalInfo?: Record<string, string> };
}

export interface AuthUser {
  username: string;
  userId: string;
  signInDetails?: { loginId?: string; authFlowType?: string };
}

export function codeDeliveryDetails(delivery: (CodeDelivery & { attributeName?: string }) | null): AuthCodeDeliveryDetails {
  if (!delivery) return {};
  return {
    destination: delivery.destination,
    deliveryMedium: delivery.deliveryMedium,
    ...(delivery.attributeName ? { attributeName: delivery.attributeName } : {}),
  };
}

export function amplifyUser(user: ChartUser): AuthUser {
  return { username: user.username, userId: user.userId, ...(user.signInDetails ? { signInDetails: { ...user.signInDetails } } : {}) };
}

/**
 * TOTP setup details as Amplify hands them out: the secret, and Amplify's otpauth URI (issuer = the app name, the
 * account name defaulting to `defaultAccount`) for any app and account name.
 */
export function totpSetupDetails(sharedSecret: string, defaultAccount: string): AuthTOTPSetupDetails {
  return {
    sharedSecret,
    getSetupUri: (appName, accountName) => new URL(`otpauth://totp/${appName}:${accountName ?? defaultAccount}?secret=${sharedSecret}&issuer=${appName}`),
  };
}

const DONE: SignInOutput = { isSignedIn: true, nextStep: { signInStep: 'DONE' } };
const step = (nextStep: AuthNextSignInStep): SignInOutput => ({ isSignedIn: false, nextStep });

/** Who is signing in: the name typed, and Cognito's USERNAME (Amplify shows it among a custom challenge's parameters). */
export interface SignInParty {
  readonly username: string;
  readonly challengeUsername: string | null;
}

/** The sign-in step a resting view shows, or null when the view is no sign-in step (signed out, failed). */
export function signInOutput(view: AuthView, party: SignInParty = { username: '', challengeUsername: null }): SignInOutput | null {
  switch (view.route) {
    case 'signedIn':
      return DONE;
    case 'customChallenge':
      return step({ signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', additionalInfo: { ...(party.challengeUsername ? { USERNAME: party.challengeUsername } : {}), ...view.parameters } });
    case 'mfaSelection':
      return step({ signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMFATypes: [...view.allowedMfaTypes] });
    case 'mfaSetupSelection':
      return step({ signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION', allowedMFATypes: [...view.allowedMfaTypes] });
    case 'newPassword':
      return step({ signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', missingAttributes: [...view.missingAttributes] });
    case 'smsCode':
      return step({ signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: codeDeliveryDetails(view.codeDelivery) });
    case 'emailCode':
      return step({ signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: codeDeliveryDetails(view.codeDelivery) });
    case 'totpCode':
      return step({ signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' });
    case 'totpSetup':
      return view.totpSetup ? step({ signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP', totpSetupDetails: totpSetupDetails(view.totpSetup.sharedSecret, party.username) }) : null;
    case 'emailMfaSetup':
      return step({ signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' });
    case 'firstFactorSelection':
      return step({ signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', availableChallenges: [...view.availableFactors] });
    case 'password':
      return step({ signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD' });
    case 'confirmSignUp':
      return step({ signInStep: 'CONFIRM_SIGN_UP' });
    case 'resetPassword':
      return step({ signInStep: 'RESET_PASSWORD' });
    default:
      return null;
  }
}
