// Types of the auth statechart: context, events, actor inputs and outputs. The step, result, answer and
// route unions derive from the step table (src/cognito/steps.ts).
// Nothing here may hold a password, code, private SRP value or token.
import type { AuthErrorData, AuthErrorField } from '../src/cognito/errors.js';
import type { RedirectRequest } from '../src/oauth/redirect.js';
import type { PasswordAuthFlow } from '../src/cognito/port.js';
import type {
  ChallengeAnswerOf,
  ChallengeName,
  CHALLENGES,
  CodeDelivery,
  ExceptionStep,
  FirstFactor,
  PasskeyRequest,
  MfaType,
  NewPasswordChallenge,
  SignInStepName,
  StepData,
  StepName,
  StepRoute,
} from '../src/cognito/steps.js';

export type { AuthErrorData, AuthErrorField, CodeDelivery, FirstFactor, MfaType, NewPasswordChallenge, PasskeyRequest, PasswordAuthFlow, SignInStepName, StepName };

/** Custom authentication (Lambda-defined challenges), without or with the password proved by SRP first (Amplify's names). */
export type CustomAuthFlow = 'CUSTOM_WITHOUT_SRP' | 'CUSTOM_WITH_SRP';

/** How `signIn.submit` signs in: with a password (SRP or plain), choice-based (USER_AUTH: passwordless factors too), or custom. */
export type SignInFlow = PasswordAuthFlow | 'USER_AUTH' | CustomAuthFlow;

/** A passkey of the signed-in user (ListWebAuthnCredentials). */
export interface PasskeyCredential {
  readonly credentialId: string;
  readonly friendlyName: string | null;
  readonly relyingPartyId: string;
  readonly authenticatorAttachment: string | null;
  readonly transports: readonly string[];
  /** ms since epoch */
  readonly createdAt: number;
}

/** A device of the signed-in user (ListDevices), as Amplify's fetchDevices describes it. */
export interface UserDevice {
  /** Cognito's device key: an identifier (the secret that proves the device stays in the token storage). */
  readonly id: string;
  readonly name: string | null;
  readonly attributes: Readonly<Record<string, string>>;
  /** This browser. */
  readonly current: boolean;
  /** ms since epoch */
  readonly createdAt: number;
  readonly lastModifiedAt: number;
  readonly lastAuthenticatedAt: number | null;
}

/** What ConfirmDevice answered for this browser's new device. */
export interface DeviceConfirmation {
  readonly status: 'remembered' | 'notRemembered';
}

/** Devices of the signed-in user, a page of them. */
export interface DevicePage {
  readonly devices: readonly UserDevice[];
  readonly nextToken: string | null;
}

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

/** What the user needs to add TOTP to an authenticator app. The secret is shown once, then cleared. */
export interface TotpSetup {
  readonly sharedSecret: string;
  /** otpauth://totp/... for QR codes */
  readonly setupUri: string;
  /** The setup URI as an SVG QR code (made where the step is reached, so the encoder loads only then). */
  readonly qrCodeSvg: string;
}

/** MFA as configured for the signed-in user (GetUser). */
export interface MfaPreference {
  readonly enabled: readonly MfaType[];
  readonly preferred: MfaType | null;
}

export type MfaPreferenceValue = 'ENABLED' | 'DISABLED' | 'PREFERRED' | 'NOT_PREFERRED';
export type MfaPreferenceUpdate = Partial<Readonly<Record<Lowercase<MfaType>, MfaPreferenceValue>>>;

export interface AuthContext {
  /** What the user typed (login id). */
  readonly username: string | null;
  /** Cognito's canonical user name (USERNAME / USER_ID_FOR_SRP), used for every challenge answer. */
  readonly challengeUsername: string | null;
  readonly authFlow: SignInFlow;
  /** USER_AUTH: the first factor asked for at signIn.submit (null: Cognito offers a choice). */
  readonly preferredFactor: FirstFactor | null;
  /** USER_AUTH: the first factor in use (preferred or chosen); an EMAIL_OTP after a password factor is MFA. */
  readonly firstFactor: FirstFactor | null;
  /** CUSTOM_CHALLENGE: the public challenge parameters of the current round (CreateAuthChallenge's). */
  readonly customParameters: Readonly<Record<string, string>> | null;
  /** SELECT_CHALLENGE: the first factors Cognito offers this user (AvailableChallenges). */
  readonly availableFactors: readonly FirstFactor[] | null;
  /** WEB_AUTHN: the request options for the browser's passkey prompt (public: a challenge, no secret). */
  readonly passkeyRequest: PasskeyRequest | null;
  /** The customState a hosted-UI sign-in handed back (not a secret), until the next sign-in. */
  readonly redirectState: string | null;
  /** Passkey autofill is waiting in the browser (conditional mediation) for a remembered username; nothing shown. */
  readonly autofill: boolean;
  /** The user a sign-up made (SignUp's UserSub), while that sign-up flow lasts. */
  readonly signUpUserId: string | null;
  /** The signed-in user's passkeys, once listed; passkeysNextToken when Cognito has more. */
  readonly passkeys: readonly PasskeyCredential[] | null;
  readonly passkeysNextToken: string | null;
  /** Signed in with tokens that carried NewDeviceMetadata: the account region confirms the device first. */
  readonly deviceToConfirm: boolean;
  /**
   * This browser as a device of the user: remembered (it proved itself at sign-in, or ConfirmDevice / ListDevices said so),
   * tracked but not remembered, or not known (null: no device, or not asked yet; devices.list tells).
   */
  readonly deviceStatus: 'remembered' | 'notRemembered' | null;
  /** The user's devices, once listed (fetchDevices); devicesNextToken when Cognito has more. */
  readonly devices: readonly UserDevice[] | null;
  readonly devicesNextToken: string | null;
  /** The Cognito sign-in Session (a single-use, short-lived handle; not a credential). */
  readonly session: string | null;
  /** A resend's PASSWORD_VERIFIER Session, kept apart so a failed resend leaves the code step's Session usable. */
  readonly proofSession: string | null;
  readonly sessionExpiresAt: number | null;
  /** When the runtime stamped the session; with sessionExpiresAt gives the lifetime without reading a clock. */
  readonly sessionIssuedAt: number | null;
  /** Opaque reference to the runtime's in-memory secret vault (password and SRP state of this attempt). */
  readonly secretRef: string | null;
  readonly step: StepName | null;
  readonly newPassword: NewPasswordChallenge | null;
  /** Where the SMS / e-mail code went (masked). */
  readonly codeDelivery: CodeDelivery | null;
  /** MFA types offered by SELECT_MFA_TYPE or MFA_SETUP. */
  readonly allowedMfaTypes: readonly MfaType[] | null;
  /** Signed in on stored tokens that could not be refreshed yet (offline at start): the refresh is retried. */
  readonly tokensStale: boolean;
  /** Sign in by itself once the sign-up is confirmed / the password is reset (the password stays in the runtime's memory). */
  readonly autoSignIn: boolean;
  /** MFA_SETUP offering several types: the one the user chose to set up. */
  readonly setupChoice: 'TOTP' | 'EMAIL' | null;
  /** Only while a TOTP authenticator is being set up. */
  readonly totpSetup: TotpSetup | null;
  readonly mfaPreference: MfaPreference | null;
  /** The signed-in user's attributes as GetUser returned them (fetchUserAttributes), once fetched. */
  readonly userAttributes: Readonly<Record<string, string>> | null;
  /** Where the last attribute verification code went (updateUserAttributes / sendUserAttributeVerificationCode). */
  readonly attributeDelivery: AttributeCodeDelivery | null;
  readonly user: AuthUser | null;
  readonly error: AuthErrorData | null;
}

export interface AuthInput {
  /** Default flow for `signIn.submit` without `authFlow`. */
  readonly authFlow?: SignInFlow;
}

export type SetupMfaType = Extract<MfaType, 'TOTP' | 'EMAIL'>;

// ---------- events ----------

export type AuthEvent =
  /** password: required for the password flows and a preferred PASSWORD / PASSWORD_SRP; optional for USER_AUTH. */
  | { type: 'signIn.submit'; username: string; password?: string; authFlow?: SignInFlow; preferredFirstFactor?: FirstFactor }
  /** First-factor selection: a factor Cognito offered (a password factor may carry the password at once). */
  | { type: 'factor.select'; factor: FirstFactor; password?: string }
  /** The password for the PASSWORD / PASSWORD_SRP first factor (confirmSignInWithPassword). */
  | { type: 'factor.password'; password: string }
  /** The answer to a custom challenge round (confirmSignInWithCustomChallenge). */
  | { type: 'challenge.answer'; answer: string }
  /** Sign in through the hosted UI (signInWithRedirect): directly, or through an external provider by Cognito's name. */
  | ({ type: 'redirect.start' } & RedirectInput)
  /** Hosts that get the callback URL themselves (native apps, a popup): hand it to the chart. */
  | { type: 'redirect.callback'; url: string }
  /** Passkey autofill for a username the app remembered: the browser offers its passkey in the username field. */
  | { type: 'passkey.autofill'; username: string }
  /** Runs the browser's passkey prompt for the WEB_AUTHN step. */
  | { type: 'passkey.start' }
  | { type: 'passkey.register' }
  /** pageSize: 1 to 20 passkeys a page (Cognito's MaxResults); left out, or another value, is Cognito's default. */
  | { type: 'passkeys.list'; nextToken?: string; pageSize?: number }
  | { type: 'passkey.delete'; credentialId: string }
  /** fetchDevices: the user's devices (ListDevices), the first page or the next. */
  | { type: 'devices.list'; nextToken?: string }
  /** rememberDevice: this browser's device is remembered (UpdateDeviceStatus), so it can stand in for MFA. */
  | { type: 'device.remember' }
  /** forgetDevice: this browser's device, or the one named (ForgetDevice). */
  | { type: 'device.forget'; deviceId?: string }
  | { type: 'password.submit'; newPassword: string; attributes?: Readonly<Record<string, string>> }
  | { type: 'code.submit'; code: string }
  | { type: 'code.resend' }
  | { type: 'mfa.select'; mfaType: MfaType }
  | { type: 'email.submit'; email: string }
  | { type: 'mfa.setUpTotp' }
  | { type: 'mfa.updatePreference'; preference: MfaPreferenceUpdate }
  | { type: 'mfa.fetchPreference' }
  | { type: 'signUp.start' }
  | {
      type: 'signUp.submit';
      username: string;
      password: string;
      attributes?: Readonly<Record<string, string>>;
      /** For the PreSignUp function only (e.g. a captcha answer): Cognito does not store it. */
      validationData?: Readonly<Record<string, string>>;
      autoSignIn?: boolean;
      /** The flow of the sign-in once the account is confirmed (and of later sign-ins that name none). */
      authFlow?: PasswordAuthFlow | 'USER_AUTH';
    }
  | { type: 'password.forgot'; username: string }
  | { type: 'password.reset'; code: string; newPassword: string; signIn?: boolean }
  | { type: 'password.change'; oldPassword: string; newPassword: string }
  | { type: 'attributes.fetch' }
  | { type: 'attributes.update'; attributes: Readonly<Record<string, string>> }
  | { type: 'attributes.delete'; names: readonly string[] }
  | { type: 'attribute.sendCode'; name: string }
  | { type: 'attribute.verify'; name: string; code: string }
  | { type: 'account.delete' }
  | { type: 'flow.cancel' }
  | { type: 'flow.restart' }
  | { type: 'flow.retry' }
  | { type: 'session.check' }
  /** Another tab (sharing the token storage) signed in or out; the runtime sends it from the tab channel. */
  | { type: 'session.changedElsewhere'; change: 'signedIn' | 'signedOut' }
  | { type: 'session.refresh' }
  | { type: 'session.signOut'; global?: boolean };

export type AuthEventType = AuthEvent['type'];

// ---------- actors ----------

interface Stamped {
  readonly session: string;
  readonly sessionIssuedAt: number;
  readonly sessionExpiresAt: number;
  /** Canonical user name for the next answer. */
  readonly username: string;
  /** The attempt's entry in the runtime's secret vault (absent once nothing is kept, e.g. after a reload). */
  readonly secretRef: string | null;
}

/** A verification code sent for an attribute (email / phone_number). */
export interface AttributeCodeDelivery extends CodeDelivery {
  readonly attributeName: string;
}

// ---------- account actors (sign-up, reset, the signed-in user's own account) ----------

export interface SignUpInput {
  readonly username: string;
  readonly password: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Sent as given: an empty map is still sent (PreSignUp sees `{}`, not null), as Amplify's signUp does. */
  readonly validationData?: Readonly<Record<string, string>>;
  /** Keep the password in the runtime's memory to sign in once the account is confirmed. */
  readonly autoSignIn: boolean;
  readonly authFlow: SignInFlow;
}

export interface SignUpOutput {
  readonly userConfirmed: boolean;
  readonly codeDelivery: CodeDelivery | null;
  /** The kept password's vault entry, when auto sign-in was asked for. */
  readonly secretRef: string | null;
  /** Cognito's sign-up Session (USER_AUTH-capable clients): ConfirmSignUp trades it for a sign-in Session. */
  readonly session: string | null;
  /** The new user's id (SignUp's UserSub). */
  readonly userId?: string;
}

export interface ConfirmSignUpInput {
  readonly username: string;
  readonly session: string | null;
  readonly code: string;
}

export interface CodeSentOutput {
  readonly codeDelivery: CodeDelivery | null;
}

export interface ConfirmForgotPasswordInput {
  readonly username: string;
  readonly code: string;
  readonly newPassword: string;
  /** Sign in with the new password afterwards (kept in the runtime's memory until then). */
  readonly signIn: boolean;
  readonly authFlow: SignInFlow;
}

export interface ChangePasswordInput {
  readonly oldPassword: string;
  readonly newPassword: string;
}

/** GetUser: the attributes and the MFA settings of the signed-in user. */
export interface UserProfile {
  readonly attributes: Readonly<Record<string, string>>;
  readonly mfaPreference: MfaPreference;
}

export interface UpdateAttributesOutput {
  readonly attributes: Readonly<Record<string, string>>;
  /** Attributes Cognito sent a verification code for (the first one is kept in context). */
  readonly codeDeliveries: readonly AttributeCodeDelivery[];
}

/** What every sign-in actor resolves with: the next step (one member per step-table entry), stripped of secrets. */
export type SignInResult =
  | { [C in ChallengeName]: Stamped & { readonly step: (typeof CHALLENGES)[C]['step'] } & StepData<C> }[ChallengeName]
  /** An exception that is a step; the attempt's password stays kept (secretRef) to sign in once it is dealt with. */
  | { readonly step: ExceptionStep; readonly username: string; readonly secretRef?: string | null }
  /** newDevice: Cognito sent NewDeviceMetadata; the runtime keeps it until ConfirmDevice (the chart only knows there is one). */
  | { readonly step: 'DONE'; readonly user: AuthUser; readonly newDevice?: boolean; readonly deviceProved?: boolean };

/** The result of one step. */
export type ResultOf<S extends StepName> = Extract<SignInResult, { readonly step: S }>;

export type InitiateAuthInput =
  | { readonly authFlow: PasswordAuthFlow; readonly username: string; readonly password: string }
  /** Custom authentication; CUSTOM_WITH_SRP proves the password first (given, or kept for a resend). */
  | { readonly authFlow: CustomAuthFlow; readonly username: string; readonly password?: string; readonly secretRef?: string }
  /** Choice-based: with a preferred factor or without (SELECT_CHALLENGE); a password factor needs the password (given or kept). */
  | {
      readonly authFlow: 'USER_AUTH';
      readonly username: string;
      readonly preferred: FirstFactor | null;
      readonly password?: string;
      readonly secretRef?: string;
    }
  /** Sign in again with the credentials kept for this attempt (to get a new MFA code). */
  | { readonly authFlow: PasswordAuthFlow; readonly username: string; readonly secretRef: string }

  | { readonly authFlow: 'REFRESH_TOKEN_AUTH' }
  /** Auto sign-in with the Session ConfirmSignUp answered with (USER_AUTH-capable app clients). */
  | { readonly authFlow: 'USER_AUTH'; readonly username: string; readonly session: string };

interface ChallengeContext {
  readonly session: string;
  readonly username: string;
  readonly loginId: string;
  readonly authFlow: SignInFlow;
  readonly secretRef: string | null;
}

/** The answer the chart hands over for a challenge (PASSWORD_VERIFIER's proof is computed by the runtime). */
export type ChartAnswer<C extends ChallengeName> = C extends 'PASSWORD_VERIFIER'
  ? { readonly secretRef: string }
  : C extends 'DEVICE_SRP_AUTH'
    ? // the device key and its secret are the runtime's (token storage), never the chart's
      unknown
  : C extends 'SELECT_CHALLENGE'
    ? // SRP_A is the runtime's; the password comes with the choice or is the one kept for the attempt
      { readonly factor: FirstFactor; readonly password?: string }
    : ChallengeAnswerOf<C>;

export type RespondToAuthChallengeInput = {
  [C in ChallengeName]: ChallengeContext & { readonly challengeName: C } & ChartAnswer<C>;
}[ChallengeName];

/** AssociateSoftwareToken during sign-in (Session) or for a signed-in user (access token from the store). */
export type AssociateSoftwareTokenInput = { readonly session: string; readonly accountName: string } | { readonly accountName: string };

/** A new Cognito Session handed back by AssociateSoftwareToken / VerifySoftwareToken during sign-in. */
export interface NextSession {
  readonly session?: string;
  readonly sessionIssuedAt?: number;
}

export interface AssociateSoftwareTokenOutput extends NextSession {
  readonly totpSetup: TotpSetup;
}

/** With a Session during sign-in; with the stored access token when signed in. */
export type VerifySoftwareTokenInput = { readonly code: string; readonly session?: string };

export type VerifySoftwareTokenOutput = NextSession;

/**
 * A sign-in attempt saved while it waited for the user (no secrets: no password, code, TOTP secret or vault reference),
 * so it can be resumed after a reload or in another tab until its Cognito session expires.
 */
export interface ResumableAttempt {
  readonly username: string | null;
  readonly challengeUsername: string | null;
  readonly authFlow: SignInFlow;
  readonly firstFactor?: FirstFactor | null;
  readonly availableFactors?: readonly FirstFactor[] | null;
  readonly passkeyRequest?: PasskeyRequest | null;
  readonly customParameters?: Readonly<Record<string, string>> | null;
  readonly session: string;
  readonly sessionIssuedAt: number;
  readonly sessionExpiresAt: number;
  readonly step: StepName;
  readonly newPassword: NewPasswordChallenge | null;
  readonly codeDelivery: CodeDelivery | null;
  readonly allowedMfaTypes: readonly MfaType[] | null;
}

export type StoredSessionStatus =
  | { readonly status: 'fresh'; readonly user: AuthUser }
  /** Tokens whose access token expired; the refresh token may still work. The user is decoded from them. */
  | { readonly status: 'stale'; readonly user: AuthUser }
  | { readonly status: 'none' }
  /** A saved attempt whose Cognito session is still alive: resume at its step. */
  | { readonly status: 'resumable'; readonly attempt: ResumableAttempt }
  /** The page was left while a request was in flight (or the session ran out): its session may be used up. */
  | { readonly status: 'interrupted'; readonly reason: 'inFlight' | 'expired' }
  /** The app was opened at the hosted UI's callback (a code or an error, and a state): exchange it. */
  | { readonly status: 'redirectCallback'; readonly callbackUrl: string };

/** redirect.start: the hosted UI, directly or through an external provider (src/oauth's request). */
export type RedirectInput = RedirectRequest;

export interface RefreshResult {
  readonly user: AuthUser;
}

export interface SignOutResult {
  /** Set when local tokens were cleared but Cognito could not be told (offline). */
  readonly warning: AuthErrorData | null;
}

/** Route names UIs switch on (state meta `route`): the step table's routes plus the screens around them. */
export type AuthRoute =
  | StepRoute
  | 'checkingSession'
  | 'signUp'
  | 'mfaSetupSelection'
  | 'totpSetup'
  | 'emailMfaSetup'
  | 'password'
  | 'redirecting'
  | 'signedIn'
  | 'signingOut'
  | 'sessionExpired'
  | 'failed';

export interface StateMeta {
  readonly route: AuthRoute;
  /** Amplify's nextStep.signInStep that leads here, when there is one. */
  readonly signInStep?: SignInStepName;
}

/** An error the chart raises itself (bad input, a step it cannot take): a code and the field at fault. */
export interface InputErrorParams {
  readonly code: AuthErrorData['code'];
  readonly field?: AuthErrorField;
}
