// The demo page's own words: what each step asks of the user, the names of the factors, and the
// pool's password policy in a sentence. (Error wordings are the library's catalogue, src/messages.ts.)
import type { AuthView, FirstFactor, MfaType } from '../index.js';

export interface StepCopy {
  /** The step's heading. */
  readonly title: string;
  /** One sentence under it, when the heading alone does not say what to do. */
  readonly lead?: string;
}

export const STEP_COPY: Readonly<Record<AuthView['route'], StepCopy>> = {
  checkingSession: { title: 'One moment…', lead: 'Checking whether you are still signed in on this device.' },
  signIn: { title: 'Sign in', lead: 'Pick a demo user below to fill the form, or type your own.' },
  firstFactorSelection: { title: 'Choose how to sign in' },
  password: { title: 'Enter your password' },
  passkey: { title: 'Sign in with your passkey' },
  customChallenge: { title: 'Answer the security question' },
  newPassword: { title: 'Choose a new password', lead: 'You signed in with a temporary password. Choose your own to continue.' },
  smsCode: { title: 'Enter the code we texted you' },
  emailCode: { title: 'Enter the code we e-mailed you' },
  totpCode: { title: 'Enter the code from your authenticator app', lead: 'Open the authenticator app you set up for this account.' },
  mfaSelection: { title: 'Confirm it is you', lead: 'Your account has more than one second step. Choose one.' },
  mfaSetupSelection: { title: 'Set up two-step verification', lead: 'This pool asks every account for a second step at sign-in. Choose how you want to get your codes.' },
  totpSetup: { title: 'Add an authenticator app' },
  emailMfaSetup: { title: 'Get sign-in codes by e-mail', lead: 'We send a code to this address to confirm it, and at every sign-in from now on.' },
  signUp: { title: 'Create an account' },
  confirmSignUp: { title: 'Confirm your account' },
  resetPassword: { title: 'Reset your password' },
  signedIn: { title: 'You are signed in' },
  redirecting: { title: 'Taking you to the sign-in page…' },
  signingOut: { title: 'Signing out…' },
  sessionExpired: { title: 'This sign-in took too long', lead: 'For your security, a sign-in expires after a few minutes. Start again.' },
  failed: { title: 'Something went wrong', lead: 'The sign-in could not continue. Start again.' },
};

export const FACTOR_LABELS: Readonly<Record<FirstFactor, string>> = {
  PASSWORD: 'Password',
  PASSWORD_SRP: 'Password (SRP)',
  EMAIL_OTP: 'A code by e-mail',
  SMS_OTP: 'A code by text message',
  WEB_AUTHN: 'A passkey',
};

export const MFA_LABELS: Readonly<Record<MfaType, string>> = {
  SMS: 'Text message (SMS)',
  TOTP: 'Authenticator app',
  EMAIL: 'E-mail',
};

/** What each second step sends, under the MFA choice buttons. */
export const MFA_HINTS: Readonly<Record<MfaType, string>> = {
  SMS: 'a code to your phone',
  TOTP: 'a code from an app such as Google Authenticator',
  EMAIL: 'a code to your e-mail address',
};

/** Cognito's PasswordPolicy members the sentence reads. */
export interface PasswordPolicy {
  MinimumLength?: number;
  RequireUppercase?: boolean;
  RequireLowercase?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
}

/** "At least 8 characters, with an upper-case letter, a lower-case letter, a number and a symbol." */
export function describePasswordPolicy(policy: PasswordPolicy): string {
  const parts = [
    policy.RequireUppercase && 'an upper-case letter',
    policy.RequireLowercase && 'a lower-case letter',
    policy.RequireNumbers && 'a number',
    policy.RequireSymbols && 'a symbol',
  ].filter((part): part is string => typeof part === 'string');
  const length = `At least ${policy.MinimumLength ?? 8} characters`;
  if (parts.length === 0) return `${length}.`;
  const list = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
  return `${length}, with ${list}.`;
}
