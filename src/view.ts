// What UIs read and send: a small, stable view of the chart, and typed senders.
// UIs switch on `view.route`, never on state names.
import type { ActorRef, SnapshotFrom } from 'xstate';
import type { AuthMachine } from '../machines/auth.machine.js';
import type {
  AttributeCodeDelivery,
  AuthErrorData,
  AuthEvent,
  AuthRoute,
  AuthUser,
  CodeDelivery,
  MfaPreference,
  MfaPreferenceUpdate,
  MfaType,
  FirstFactor,
  PasskeyCredential,
  UserDevice,
  PasswordAuthFlow,
  SignInFlow,
  SignInStepName,
} from '../machines/auth.types.js';
import { CHALLENGES, challengeOfStep, isChallengeStep } from './cognito/steps.js';
import { ENGLISH, messageFor, type MessageCatalogue } from './messages.js';

/** An error as a UI shows it: the chart's code and field, with the catalogue's words. */
export type ViewError = AuthErrorData & { readonly message: string };

export interface ViewOptions {
  /** Replaces or translates the words for error codes (missing entries fall back to English). */
  readonly messages?: MessageCatalogue;
}

interface Common {
  /** A Cognito call is in flight: disable the form, show progress. */
  readonly busy: boolean;
  readonly error: ViewError | null;
  /** flow.cancel is accepted: a sign-in (or a TOTP enrolment) is in progress, even while a request runs. */
  readonly canCancel: boolean;
  /** Amplify's name for this step, when it is one. */
  readonly signInStep: SignInStepName | null;
}

export type AuthView = Common &
  (
    | { readonly route: 'checkingSession' }
    | {
        readonly route: 'signIn';
        readonly username: string | null;
        /** A remembered user's passkey is offered in the username field (autocomplete="username webauthn"). */
        readonly passkeyAutofill: boolean;
      }
    | { readonly route: 'firstFactorSelection'; readonly username: string | null; readonly availableFactors: readonly FirstFactor[] }
    /** The PASSWORD / PASSWORD_SRP first factor was chosen: the password (factor.password). */
    | { readonly route: 'password'; readonly username: string | null; readonly factor: FirstFactor | null }
    | {
        readonly route: 'passkey';
        readonly username: string | null;
        /** The browser's passkey prompt is open (flow.cancel closes it). */
        readonly prompting: boolean;
      }
    /** CUSTOM_CHALLENGE: the app's own challenge; `parameters` are CreateAuthChallenge's public ones. */
    | { readonly route: 'customChallenge'; readonly parameters: Readonly<Record<string, string>> }
    | { readonly route: 'newPassword'; readonly missingAttributes: readonly string[]; readonly userAttributes: Readonly<Record<string, string>> }
    | { readonly route: 'smsCode'; readonly codeDelivery: CodeDelivery | null; readonly canResend: boolean }
    | { readonly route: 'emailCode'; readonly codeDelivery: CodeDelivery | null; readonly canResend: boolean }
    | { readonly route: 'totpCode' }
    | { readonly route: 'mfaSelection'; readonly allowedMfaTypes: readonly MfaType[] }
    | { readonly route: 'mfaSetupSelection'; readonly allowedMfaTypes: readonly MfaType[] }
    | {
        readonly route: 'totpSetup';
        /** Null while AssociateSoftwareToken runs or when it failed (then `canRetry`). */
        readonly totpSetup: { readonly sharedSecret: string; readonly setupUri: string; readonly qrCodeSvg: string } | null;
        readonly canRetry: boolean;
        /** True during sign-in (MFA_SETUP), false when a signed-in user adds TOTP. */
        readonly duringSignIn: boolean;
      }
    | { readonly route: 'emailMfaSetup' }
    | { readonly route: 'signUp'; readonly username: string | null }
    | {
        readonly route: 'confirmSignUp';
        readonly username: string | null;
        /** Where the confirmation code went (null when the step came from a sign-in: ask for a new code). */
        readonly codeDelivery: CodeDelivery | null;
        readonly canResend: boolean;
      }
    | { readonly route: 'resetPassword'; readonly username: string | null; readonly codeDelivery: CodeDelivery | null; readonly canResend: boolean }
    | {
        readonly route: 'signedIn';
        readonly user: AuthUser | null;
        readonly mfaPreference: MfaPreference | null;
        /** From GetUser (attributes.fetch); null until fetched. */
        readonly userAttributes: Readonly<Record<string, string>> | null;
        /** An attribute waiting for its verification code (attribute.verify). */
        readonly attributeDelivery: AttributeCodeDelivery | null;
        readonly refreshing: boolean;
        /** Signed in on tokens that could not be refreshed yet (offline at start); `error` says why; retried. */
        readonly tokensStale: boolean;
        /** The user's passkeys (passkeys.list); null until listed. */
        readonly passkeys: readonly PasskeyCredential[] | null;
        /** Cognito has more passkeys: passkeys.list with this token reads the next page. */
        readonly passkeysNextToken: string | null;
        /** This browser as a device of the user: remembered (may skip MFA), tracked only, or not a device (null). */
        readonly deviceStatus: 'remembered' | 'notRemembered' | null;
        /** The user's devices (devices.list); null until listed. */
        readonly devices: readonly UserDevice[] | null;
        /** Cognito has more devices: devices.list with this token reads the next page. */
        readonly devicesNextToken: string | null;
        /** The customState a hosted-UI sign-in handed back. */
        readonly redirectState: string | null;
      }
    /** On the way to the hosted UI (signInWithRedirect). */
    | { readonly route: 'redirecting' }
    | { readonly route: 'signingOut' }
    | { readonly route: 'sessionExpired' }
    | { readonly route: 'failed' }
  );

type Snapshot = SnapshotFrom<AuthMachine>;

/**
 * The deepest active state's meta wins (signedIn.account.settingUpTotp says totpSetup, signedIn says signedIn).
 * A state with no route of its own (the shared resend) shows the step the user is at, by the step table.
 */
function activeMeta(snapshot: Snapshot): { route: AuthRoute; signInStep: SignInStepName | null } {
  let best: { depth: number; route: AuthRoute; signInStep: SignInStepName | null } | null = null;
  for (const [id, meta] of Object.entries(snapshot.getMeta())) {
    if (!meta?.route) continue;
    const depth = id.split('.').length;
    if (!best || depth > best.depth) best = { depth, route: meta.route, signInStep: meta.signInStep ?? null };
  }
  if (best) return best;
  const { step, setupChoice } = snapshot.context;
  // MFA_SETUP's screen is the setup under way (its answer is the e-mail address, or the TOTP confirmation).
  if (step === 'MFA_SETUP' && setupChoice) {
    return setupChoice === 'TOTP'
      ? { route: 'totpSetup', signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP' }
      : { route: 'emailMfaSetup', signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' };
  }
  const entry = isChallengeStep(step) ? CHALLENGES[challengeOfStep(step)] : null;
  return entry?.route ? { route: entry.route, signInStep: entry.signInStep } : { route: 'failed', signInStep: null };
}

export function selectView(snapshot: Snapshot, options: ViewOptions = {}): AuthView {
  const { context } = snapshot;
  const { route, signInStep } = activeMeta(snapshot);
  const common: Common = {
    busy: snapshot.hasTag('busy'),
    error: context.error && { ...context.error, message: messageFor(context.error, options.messages ?? ENGLISH, route) },
    canCancel: snapshot.can({ type: 'flow.cancel' }),
    signInStep,
  };
  switch (route) {
    case 'signIn':
      return { ...common, route, username: context.autofill ? null : context.username, passkeyAutofill: context.autofill, canCancel: common.canCancel && !context.autofill };
    case 'newPassword':
      return {
        ...common,
        route,
        missingAttributes: context.newPassword?.missingAttributes ?? [],
        userAttributes: context.newPassword?.userAttributes ?? {},
      };
    case 'firstFactorSelection':
      return { ...common, route, username: context.username, availableFactors: context.availableFactors ?? [] };
    case 'customChallenge':
      return { ...common, route, parameters: context.customParameters ?? {} };
    case 'password':
      return { ...common, route, username: context.username, factor: context.firstFactor };
    case 'passkey':
      return { ...common, route, username: context.username, prompting: snapshot.matches({ signingIn: { firstFactor: { passkey: 'prompting' } } }) };
    case 'smsCode':
    case 'emailCode': {
      // A first factor's code can always be sent again (a new USER_AUTH); an MFA code needs the kept password.
      const firstFactor = snapshot.matches({ signingIn: 'firstFactor' });
      return { ...common, route, codeDelivery: context.codeDelivery, canResend: snapshot.hasTag('canResend') && (firstFactor || context.secretRef !== null) };
    }
    case 'mfaSelection':
    case 'mfaSetupSelection':
      return { ...common, route, allowedMfaTypes: context.allowedMfaTypes ?? [] };
    case 'totpSetup':
      return {
        ...common,
        route,
        totpSetup: context.totpSetup,
        canRetry: snapshot.can({ type: 'flow.retry' }),
        duringSignIn: snapshot.matches('signingIn'),
      };
    case 'signUp':
      return { ...common, route, username: context.username };
    case 'confirmSignUp':
    case 'resetPassword':
      return {
        ...common,
        route,
        username: context.challengeUsername ?? context.username,
        codeDelivery: context.codeDelivery,
        canResend: snapshot.hasTag('canResend'),
      };
    case 'signedIn':
      return {
        ...common,
        route,
        user: context.user,
        mfaPreference: context.mfaPreference,
        userAttributes: context.userAttributes,
        attributeDelivery: context.attributeDelivery,
        refreshing: snapshot.hasTag('refreshing'),
        tokensStale: context.tokensStale,
        passkeys: context.passkeys,
        passkeysNextToken: context.passkeysNextToken,
        deviceStatus: context.deviceStatus,
        devices: context.devices,
        devicesNextToken: context.devicesNextToken,
        redirectState: context.redirectState,
      };
    default:
      return { ...common, route };
  }
}

/** What commands() needs of the actor: `send`, and (for the promises) `getSnapshot` and `subscribe`. */
export type CommandTarget = Pick<ActorRef<Snapshot, AuthEvent>, 'send'> & Partial<Pick<ActorRef<Snapshot, AuthEvent>, 'getSnapshot' | 'subscribe'>>;

/** The chart waits for the user: no Cognito call, refresh or session check is running. */
export function isResting(snapshot: Snapshot): boolean {
  return !snapshot.matches('checkingSession') && !snapshot.hasTag('busy') && !snapshot.hasTag('refreshing');
}

/**
 * Sends `event` and resolves with the view once the chart next waits for the user (at once when the state ignores
 * the event). While the chart still checks the stored session at start, the event waits for that to end instead of
 * being dropped there. Never rejects: a refusal is the view's `error`.
 */
export function sendAndSettle(target: CommandTarget, event: AuthEvent, options: ViewOptions = {}): Promise<AuthView> {
  const { getSnapshot, subscribe } = target;
  // A bare { send } (a recorder in tests): sent at once, and there is nothing to settle on.
  if (!getSnapshot || !subscribe) {
    target.send(event);
    return new Promise<AuthView>(() => {});
  }
  const until = (ready: (s: Snapshot) => boolean) =>
    new Promise<Snapshot>((resolve) => {
      const now = getSnapshot.call(target);
      if (ready(now) || now.status !== 'active') return resolve(now);
      const done = (s: Snapshot) => {
        queueMicrotask(() => subscription.unsubscribe());
        resolve(s);
      };
      const subscription = subscribe.call(
        target,
        (s: Snapshot) => {
          if (ready(s) || s.status !== 'active') done(s);
        },
        () => done(getSnapshot.call(target)),
        () => done(getSnapshot.call(target)),
      );
    });
  const sendNow = () => {
    target.send(event);
    return until(isResting).then((s) => selectView(s, options));
  };
  // Sent synchronously unless the chart is still checking the session (UIs and tests see the event at once).
  if (!getSnapshot.call(target).matches('checkingSession')) return sendNow();
  return until((s) => !s.matches('checkingSession')).then((ready) => (ready.status === 'active' ? sendNow() : selectView(ready, options)));
}

/**
 * Typed senders; each sends one event and resolves with the view when the chart next waits for the user
 * (see sendAndSettle). The chart ignores events the current state does not accept: then the promise has the
 * current view at once.
 */
export function commands(actor: CommandTarget, options: ViewOptions = {}) {
  const send = (event: AuthEvent): Promise<AuthView> => sendAndSettle(actor, event, options);
  return {
    signIn: (username: string, password: string, authFlow?: PasswordAuthFlow | 'CUSTOM_WITH_SRP') =>
      send({ type: 'signIn.submit', username, password, ...(authFlow ? { authFlow } : {}) }),
    /**
     * Choice-based sign-in (USER_AUTH): with a preferred first factor, or without one to get Cognito's choice.
     * The password is needed for a preferred PASSWORD / PASSWORD_SRP; given without one, it is kept for the choice.
     */
    /** Custom authentication without a password (the app's Lambda challenges decide); CUSTOM_WITH_SRP is signIn(…, 'CUSTOM_WITH_SRP'). */
    signInWithCustomChallenge: (username: string) => send({ type: 'signIn.submit', username, authFlow: 'CUSTOM_WITHOUT_SRP' }),
    signInWithChoice: (username: string, options: { preferredFirstFactor?: FirstFactor; password?: string; authFlow?: Extract<SignInFlow, 'USER_AUTH'> } = {}) =>
      send({
        type: 'signIn.submit',
        username,
        authFlow: 'USER_AUTH',
        ...(options.preferredFirstFactor ? { preferredFirstFactor: options.preferredFirstFactor } : {}),
        ...(options.password === undefined ? {} : { password: options.password }),
      }),
    /** A first factor from the selection; a password factor may carry the password at once. */
    selectFirstFactor: (factor: FirstFactor, password?: string) => send({ type: 'factor.select', factor, ...(password === undefined ? {} : { password }) }),
    /** The password for the chosen PASSWORD / PASSWORD_SRP factor. */
    submitPassword: (password: string) => send({ type: 'factor.password', password }),
    /** The answer to a custom challenge round (confirmSignInWithCustomChallenge). */
    answerChallenge: (answer: string) => send({ type: 'challenge.answer', answer }),
    /** Sign in through the hosted UI, directly or through an external provider by Cognito's name (signInWithRedirect). */
    signInWithRedirect: (options: { provider?: string; customState?: string; scopes?: readonly string[]; loginHint?: string; lang?: string; prompt?: string } = {}) =>
      send({ type: 'redirect.start', ...options }),
    /** For hosts that receive the hosted UI's callback themselves (native apps, a popup). */
    handleRedirectCallback: (url: string) => send({ type: 'redirect.callback', url }),
    /** Opens the browser's passkey prompt at the passkey step. */
    startPasskey: () => send({ type: 'passkey.start' }),
    /** Passkey autofill for a username the app remembered (start it when the sign-in form shows). */
    autofillPasskey: (username: string) => send({ type: 'passkey.autofill', username }),
    registerPasskey: () => send({ type: 'passkey.register' }),
    /** `pageSize`: 1 to 20 passkeys a page (Cognito's MaxResults). */
    listPasskeys: (nextToken?: string, pageSize?: number) => send({ type: 'passkeys.list', ...(nextToken ? { nextToken } : {}), ...(pageSize ? { pageSize } : {}) }),
    deletePasskey: (credentialId: string) => send({ type: 'passkey.delete', credentialId }),
    fetchDevices: (nextToken?: string) => send({ type: 'devices.list', ...(nextToken ? { nextToken } : {}) }),
    rememberDevice: () => send({ type: 'device.remember' }),
    forgetDevice: (deviceId?: string) => send({ type: 'device.forget', ...(deviceId ? { deviceId } : {}) }),
    submitNewPassword: (newPassword: string, attributes?: Record<string, string>) =>
      send({ type: 'password.submit', newPassword, ...(attributes ? { attributes } : {}) }),
    /** Spaces people paste are ignored (here and by the chart). */
    submitCode: (code: string) => send({ type: 'code.submit', code: code.replace(/\s/g, '') }),
    resendCode: () => send({ type: 'code.resend' }),
    selectMfaType: (mfaType: MfaType) => send({ type: 'mfa.select', mfaType }),
    submitEmail: (email: string) => send({ type: 'email.submit', email }),
    retry: () => send({ type: 'flow.retry' }),
    cancel: () => send({ type: 'flow.cancel' }),
    restart: () => send({ type: 'flow.restart' }),
    checkSession: () => send({ type: 'session.check' }),
    refresh: () => send({ type: 'session.refresh' }),
    signOut: (options: { global?: boolean } = {}) => send({ type: 'session.signOut', ...(options.global ? { global: true } : {}) }),
    setUpTotp: () => send({ type: 'mfa.setUpTotp' }),
    updateMfaPreference: (preference: MfaPreferenceUpdate) => send({ type: 'mfa.updatePreference', preference }),
    fetchMfaPreference: () => send({ type: 'mfa.fetchPreference' }),
    /** From sign-in: open the sign-up form. */
    startSignUp: () => send({ type: 'signUp.start' }),
    /** `validationData` goes to the pool's PreSignUp function only (e.g. a captcha answer); Cognito does not store it. */
    signUp: (
      username: string,
      password: string,
      options: { attributes?: Record<string, string>; validationData?: Record<string, string>; autoSignIn?: boolean; authFlow?: PasswordAuthFlow | 'USER_AUTH' } = {},
    ) =>
      send({
        type: 'signUp.submit',
        username,
        password,
        ...(options.attributes ? { attributes: options.attributes } : {}),
        ...(options.validationData ? { validationData: options.validationData } : {}),
        ...(options.authFlow ? { authFlow: options.authFlow } : {}),
        ...(options.autoSignIn === false ? { autoSignIn: false } : {}),
      }),
    /** The sign-up confirmation code (the same event as any code). */
    confirmSignUp: (code: string) => send({ type: 'code.submit', code: code.replace(/\s/g, '') }),
    forgotPassword: (username: string) => send({ type: 'password.forgot', username }),
    resetPassword: (code: string, newPassword: string, options: { signIn?: boolean } = {}) =>
      send({ type: 'password.reset', code: code.replace(/\s/g, ''), newPassword, ...(options.signIn ? { signIn: true } : {}) }),
    changePassword: (oldPassword: string, newPassword: string) => send({ type: 'password.change', oldPassword, newPassword }),
    fetchUserAttributes: () => send({ type: 'attributes.fetch' }),
    updateUserAttributes: (attributes: Record<string, string>) => send({ type: 'attributes.update', attributes }),
    /** DeleteUserAttributes: e.g. `['custom:team', 'nickname']`; an e-mail or phone number takes its verified flag with it. */
    deleteUserAttributes: (names: readonly string[]) => send({ type: 'attributes.delete', names: [...names] }),
    sendAttributeCode: (name: string) => send({ type: 'attribute.sendCode', name }),
    verifyAttribute: (name: string, code: string) => send({ type: 'attribute.verify', name, code: code.replace(/\s/g, '') }),
    deleteUser: () => send({ type: 'account.delete' }),
  };
}

export type AuthCommands = ReturnType<typeof commands>;
