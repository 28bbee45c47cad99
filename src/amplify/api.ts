// Amplify Auth v6's functions over the chart: each sends the chart's events and maps the view it rests at to
// Amplify's output. What the chart does not do yet throws NotSupportedError.
import type { FirstFactor, MfaPreferenceUpdate, MfaType } from '../../machines/auth.types.js';
import type { Auth } from '../runtime/create-auth.js';
import { decodeClaims } from '../session/tokens.js';
import { selectView, type AuthView } from '../view.js';
import { currentAuth } from './configure.js';
import { assertPresent, AuthError, NotSupportedError, SIGN_IN_NOT_STARTED, USER_UNAUTHENTICATED, validation } from './errors.js';
import {
  amplifyUser,
  codeDeliveryDetails,
  signInOutput,
  totpSetupDetails,
  type AuthCodeDeliveryDetails,
  type AuthMFAType,
  type AuthTOTPSetupDetails,
  type AuthUser,
  type ChallengeName,
  type ResetPasswordOutput,
  type SignInOutput,
  type SignInParty,
  type SignUpOutput,
} from './outputs.js';
import { withCallMetadata } from './call-metadata.js';
import { Hub } from './hub.js';
import { leaveUnfinishedFlow, run, runSignedIn, settled } from './run.js';

export type AuthFlowType = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'CUSTOM_WITH_SRP' | 'CUSTOM_WITHOUT_SRP' | 'USER_AUTH';

export interface SignInInput {
  username: string;
  password?: string;
  options?: {
    authFlowType?: AuthFlowType;
    preferredChallenge?: ChallengeName;
    /** ClientMetadata of this sign-in's InitiateAuth and RespondToAuthChallenge calls (not of later ones). */
    clientMetadata?: Record<string, string>;
  };
}

export interface ConfirmSignInInput {
  challengeResponse: string;
  options?: { userAttributes?: Record<string, string>; clientMetadata?: Record<string, string>; friendlyDeviceName?: string };
}

const MFA_TYPES: readonly string[] = ['SMS', 'TOTP', 'EMAIL'];
const FACTORS: readonly string[] = ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];

function partyOf(view: AuthView): SignInParty {
  const { context } = currentAuth().actor.getSnapshot();
  return { username: ('username' in view && view.username) || context.username || '', challengeUsername: context.challengeUsername };
}

/** The output for the step the chart rests at; the passkey step runs the browser's prompt at once, as Amplify does. */
async function signInResult(view: AuthView): Promise<SignInOutput> {
  if (view.route === 'passkey') return signInResult(await run(currentAuth(), { type: 'passkey.start' }));
  const output = signInOutput(view, partyOf(view));
  if (!output) throw SIGN_IN_NOT_STARTED();
  return output;
}

export async function signIn(input: SignInInput): Promise<SignInOutput> {
  const flow = input.options?.authFlowType ?? 'USER_SRP_AUTH';
  assertPresent(input.username, 'EmptySignInUsername', 'username is required to signIn');
  if (flow === 'CUSTOM_WITHOUT_SRP' && input.password) throw validation('CustomAuthSignInPassword', 'A password is not needed when signing in with CUSTOM_WITHOUT_SRP');
  if ((flow === 'USER_SRP_AUTH' || flow === 'USER_PASSWORD_AUTH' || flow === 'CUSTOM_WITH_SRP') && !input.password) {
    throw validation('EmptySignInPassword', 'password is required to signIn');
  }
  const preferred = input.options?.preferredChallenge;
  if (preferred !== undefined && !FACTORS.includes(preferred)) throw validation('InvalidPreferredChallenge', 'The preferred challenge is not enabled in your backend configuration');
  const auth = await settled();
  if (auth.actor.getSnapshot().matches('signedIn')) {
    throw new AuthError({ name: 'UserAlreadyAuthenticatedException', message: 'There is already a signed in user.', recoverySuggestion: 'Call signOut before calling signIn again.', code: 'AlreadySignedIn' });
  }
  await leaveUnfinishedFlow(auth);
  const metadata = input.options?.clientMetadata;
  return withCallMetadata({ InitiateAuth: metadata, RespondToAuthChallenge: metadata }, () => startSignIn(auth, input, flow, preferred));
}

async function startSignIn(auth: Auth, input: SignInInput, flow: AuthFlowType, preferred: ChallengeName | undefined): Promise<SignInOutput> {
  const { username } = input;
  const password = input.password;
  if (flow === 'USER_AUTH') {
    return signInResult(
      await run(auth, {
        type: 'signIn.submit',
        username,
        authFlow: 'USER_AUTH',
        ...(preferred ? { preferredFirstFactor: preferred as FirstFactor } : {}),
        ...(password === undefined ? {} : { password }),
      }),
    );
  }
  if (flow === 'CUSTOM_WITHOUT_SRP') return signInResult(await run(auth, { type: 'signIn.submit', username, authFlow: 'CUSTOM_WITHOUT_SRP' }));
  return signInResult(await run(auth, { type: 'signIn.submit', username, password: password!, authFlow: flow }));
}

export async function confirmSignIn(input: ConfirmSignInInput): Promise<SignInOutput> {
  assertPresent(input.challengeResponse, 'EmptyChallengeResponse', 'challengeResponse is required to confirmSignIn');
  return withCallMetadata({ RespondToAuthChallenge: input.options?.clientMetadata }, () => answerSignInStep(input));
}

async function answerSignInStep(input: ConfirmSignInInput): Promise<SignInOutput> {
  const answer = input.challengeResponse;
  const auth = await settled();
  const view = selectView(auth.actor.getSnapshot());
  const attributes = input.options?.userAttributes;
  switch (view.route) {
    case 'newPassword':
      return signInResult(await run(auth, { type: 'password.submit', newPassword: answer, ...(attributes ? { attributes: { ...attributes } } : {}) }));
    case 'smsCode':
    case 'emailCode':
    case 'totpCode':
      return signInResult(await run(auth, { type: 'code.submit', code: answer.replace(/\s/g, '') }));
    case 'totpSetup':
      if (!view.duringSignIn) break;
      return signInResult(await run(auth, { type: 'code.submit', code: answer.replace(/\s/g, '') }));
    case 'mfaSelection':
    case 'mfaSetupSelection':
      if (!MFA_TYPES.includes(answer)) throw validation('IncorrectMFAMethod', 'Incorrect MFA method was chosen. It should be either SMS, TOTP, or EMAIL');
      return signInResult(await run(auth, { type: 'mfa.select', mfaType: answer as MfaType }));
    case 'emailMfaSetup':
      return signInResult(await run(auth, { type: 'email.submit', email: answer }));
    case 'firstFactorSelection':
      return signInResult(await run(auth, { type: 'factor.select', factor: answer as FirstFactor }));
    case 'password':
      return signInResult(await run(auth, { type: 'factor.password', password: answer }));
    case 'customChallenge':
      return signInResult(await run(auth, { type: 'challenge.answer', answer }));
    case 'passkey':
      return signInResult(await run(auth, { type: 'passkey.start' }));
    default:
      break;
  }
  throw SIGN_IN_NOT_STARTED();
}

// ---------- sign-up ----------

export interface SignUpInput {
  username: string;
  password: string;
  options?: {
    userAttributes?: Record<string, string>;
    /** true (or sign-in options): sign in once the account is confirmed; autoSignIn() answers with that sign-in. */
    autoSignIn?: boolean | { authFlowType?: AuthFlowType; clientMetadata?: Record<string, string> };
    validationData?: Record<string, string>;
    clientMetadata?: Record<string, string>;
  };
}

let autoSignInPending = false;
/** The ClientMetadata signUp's autoSignIn options give the sign-in the chart makes once the account is confirmed. */
let autoSignInMetadata: Record<string, string> | undefined;
const autoSignInCalls = () => ({ InitiateAuth: autoSignInMetadata, RespondToAuthChallenge: autoSignInMetadata });

/** signUp's answer; confirmSignUp's has no userId (as Amplify's). */
function signUpResult(view: AuthView, userId?: string): SignUpOutput {
  const id = userId ? { userId } : {};
  if (view.route === 'confirmSignUp') {
    return { isSignUpComplete: false, nextStep: { signUpStep: 'CONFIRM_SIGN_UP', codeDeliveryDetails: codeDeliveryDetails(view.codeDelivery) }, ...id };
  }
  // The chart signed in with the kept password already (the step it reached is autoSignIn()'s answer).
  if (view.route !== 'signIn' && signInOutput(view)) {
    autoSignInPending = true;
    return { isSignUpComplete: true, nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' }, ...id };
  }
  return { isSignUpComplete: true, nextStep: { signUpStep: 'DONE' }, ...id };
}

/** The user the sign-up made: SignUp's UserSub while the flow lasts, else (signed in at once) the user's sub. */
function signedUpUserId(auth: Auth): string | undefined {
  const { context } = auth.actor.getSnapshot();
  return context.signUpUserId ?? (auth.actor.getSnapshot().matches('signedIn') ? context.user?.userId : undefined) ?? undefined;
}

export async function signUp(input: SignUpInput): Promise<SignUpOutput> {
  assertPresent(input.username, 'EmptySignUpUsername', 'username is required to signUp');
  assertPresent(input.password, 'EmptySignUpPassword', 'password is required to signUp');
  const auth = await settled();
  if (auth.actor.getSnapshot().matches('signedIn')) throw new NotSupportedError('signUp', 'sign out first: the chart signs up from the signed-out state');
  await leaveUnfinishedFlow(auth);
  autoSignInPending = false;
  const autoSignInOption = input.options?.autoSignIn;
  autoSignInMetadata = typeof autoSignInOption === 'object' ? autoSignInOption.clientMetadata : undefined;
  // The auto sign-in's flow, as Amplify's autoSignIn takes it (the custom flows keep configure's).
  const flowType = typeof autoSignInOption === 'object' ? autoSignInOption.authFlowType : undefined;
  const authFlow = flowType === 'USER_SRP_AUTH' || flowType === 'USER_PASSWORD_AUTH' || flowType === 'USER_AUTH' ? flowType : undefined;
  await run(auth, { type: 'signUp.start' });
  const attributes = input.options?.userAttributes;
  const signUpCall = { SignUp: input.options?.clientMetadata, ...autoSignInCalls() };
  const view = await withCallMetadata(signUpCall, () => run(auth, {
    type: 'signUp.submit',
    username: input.username,
    password: input.password,
    ...(attributes ? { attributes: { ...attributes } } : {}),
    ...(input.options?.validationData ? { validationData: { ...input.options.validationData } } : {}),
    // Amplify signs in after the confirmation only when asked to
    autoSignIn: Boolean(input.options?.autoSignIn),
    ...(authFlow ? { authFlow } : {}),
  }));
  return signUpResult(view, signedUpUserId(auth));
}

export interface ConfirmSignUpInput {
  username: string;
  confirmationCode: string;
  options?: { clientMetadata?: Record<string, string>; forceAliasCreation?: boolean };
}

/** The chart's sign-up steps need the signUp (or signIn) that asked for them in this app session. */
async function atConfirmSignUp(api: string, username: string) {
  const auth = await settled();
  const view = selectView(auth.actor.getSnapshot());
  if (view.route !== 'confirmSignUp' || (view.username !== null && view.username !== username && auth.actor.getSnapshot().context.username !== username)) {
    throw new NotSupportedError(api, `no sign-up of ${username} waits for its code in this app session (the chart confirms the sign-up it started)`);
  }
  return auth;
}

export async function confirmSignUp(input: ConfirmSignUpInput): Promise<SignUpOutput> {
  assertPresent(input.username, 'EmptyConfirmSignUpUsername', 'username is required to confirmSignUp');
  assertPresent(input.confirmationCode, 'EmptyConfirmSignUpCode', 'code is required to confirmSignUp');
  const auth = await atConfirmSignUp('confirmSignUp', input.username);
  const confirmCall = { ConfirmSignUp: input.options?.clientMetadata, ...autoSignInCalls() };
  return signUpResult(await withCallMetadata(confirmCall, () => run(auth, { type: 'code.submit', code: input.confirmationCode.replace(/\s/g, '') })));
}

export async function resendSignUpCode(input: { username: string; options?: { clientMetadata?: Record<string, string> } }): Promise<AuthCodeDeliveryDetails> {
  assertPresent(input.username, 'EmptyresendSignUpCodeUsername', 'username is required to confirmSignUp');
  const auth = await atConfirmSignUp('resendSignUpCode', input.username);
  const view = await withCallMetadata({ ResendConfirmationCode: input.options?.clientMetadata }, () => run(auth, { type: 'code.resend' }));
  return view.route === 'confirmSignUp' ? codeDeliveryDetails(view.codeDelivery) : {};
}

/** The sign-in the chart made after a confirmed sign-up (it does not wait for this call: it signed in already). */
export async function autoSignIn(): Promise<SignInOutput> {
  const auth = await settled();
  const view = selectView(auth.actor.getSnapshot());
  const output = signInOutput(view, partyOf(view));
  if (!autoSignInPending || !output) {
    throw new AuthError({ name: 'AutoSignInException', message: 'The autoSignIn flow has not started, or has been cancelled/completed.', recoverySuggestion: 'Please try to use the signIn API or log out before starting a new autoSignIn flow.' });
  }
  autoSignInPending = false;
  return output;
}

// ---------- password ----------

export async function resetPassword(input: { username: string; options?: { clientMetadata?: Record<string, string> } }): Promise<ResetPasswordOutput> {
  assertPresent(input.username, 'EmptyResetPasswordUsername', 'username is required to resetPassword');
  const auth = await settled();
  if (auth.actor.getSnapshot().matches('signedIn')) throw new NotSupportedError('resetPassword', 'sign out first: the chart resets a password from the signed-out state');
  await leaveUnfinishedFlow(auth);
  const view = await withCallMetadata({ ForgotPassword: input.options?.clientMetadata }, () => run(auth, { type: 'password.forgot', username: input.username }));
  const delivery = view.route === 'resetPassword' ? view.codeDelivery : null;
  return { isPasswordReset: false, nextStep: { resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE', codeDeliveryDetails: codeDeliveryDetails(delivery) } };
}

export async function confirmResetPassword(input: { username: string; newPassword: string; confirmationCode: string; options?: { clientMetadata?: Record<string, string> } }): Promise<void> {
  assertPresent(input.username, 'EmptyConfirmResetPasswordUsername', 'username is required to confirmResetPassword');
  assertPresent(input.newPassword, 'EmptyConfirmResetPasswordNewPassword', 'newPassword is required to confirmResetPassword');
  assertPresent(input.confirmationCode, 'EmptyConfirmResetPasswordConfirmationCode', 'confirmationCode is required to confirmResetPassword');
  const auth = await settled();
  if (selectView(auth.actor.getSnapshot()).route !== 'resetPassword') {
    throw new NotSupportedError('confirmResetPassword', `no password reset of ${input.username} waits for its code in this app session (the chart confirms the reset it started)`);
  }
  const reset = { type: 'password.reset', code: input.confirmationCode.replace(/\s/g, ''), newPassword: input.newPassword } as const;
  await withCallMetadata({ ConfirmForgotPassword: input.options?.clientMetadata }, () => run(auth, reset));
}

export async function updatePassword(input: { oldPassword: string; newPassword: string }): Promise<void> {
  if (!input.oldPassword || !input.newPassword) throw validation('EmptyUpdatePassword', 'oldPassword and newPassword are required to changePassword');
  await runSignedIn({ type: 'password.change', oldPassword: input.oldPassword, newPassword: input.newPassword });
}

// ---------- session ----------

export async function signOut(input: { global?: boolean } = {}): Promise<void> {
  const auth = await settled();
  const snapshot = auth.actor.getSnapshot();
  if (snapshot.matches('signedIn')) {
    // Amplify's signOut does not fail: the tokens are gone whatever Cognito answers (the chart's warning says if it was told).
    await run(auth, { type: 'session.signOut', ...(input.global ? { global: true } : {}) }).catch(() => undefined);
    return;
  }
  await leaveUnfinishedFlow(auth);
  // Amplify says signedOut on every signOut, signed in or not (the chart's change says it when there was a session).
  Hub.dispatch('auth', { event: 'signedOut' }, 'Auth');
}

export interface JWT {
  payload: Record<string, unknown>;
  toString(): string;
}

export interface AuthSession {
  tokens?: { accessToken: JWT; idToken?: JWT; signInDetails?: { loginId?: string; authFlowType?: string } };
  credentials?: undefined;
  identityId?: undefined;
  userSub?: string;
}

const jwt = (token: string): JWT => ({ payload: { ...decodeClaims(token) }, toString: () => token });

/** Amplify's decodeJWT: the payload and the token; Error('Invalid token') / Error('Invalid token payload') as Amplify's. */
export function decodeJWT(token: string): JWT {
  if (token.split('.').length !== 3) throw new Error('Invalid token');
  try {
    return jwt(token);
  } catch {
    throw new Error('Invalid token payload');
  }
}

/** `clientMetadata`: of the refresh this call makes (GetTokensFromRefreshToken), for PreTokenGeneration. */
export async function fetchAuthSession(options: { forceRefresh?: boolean; clientMetadata?: Record<string, string> } = {}): Promise<AuthSession> {
  const auth = await settled();
  const tokens = await withCallMetadata({ GetTokensFromRefreshToken: options.clientMetadata }, () => auth.getTokens(options.forceRefresh ? { forceRefresh: true } : {}));
  if (!tokens) return {};
  const accessToken = jwt(tokens.accessToken);
  const signInDetails = tokens.loginId ? { loginId: tokens.loginId, ...(tokens.authFlowType ? { authFlowType: tokens.authFlowType } : {}) } : undefined;
  return {
    tokens: { accessToken, idToken: jwt(tokens.idToken), ...(signInDetails ? { signInDetails } : {}) },
    ...(typeof accessToken.payload['sub'] === 'string' ? { userSub: accessToken.payload['sub'] } : {}),
  };
}

export async function getCurrentUser(): Promise<AuthUser> {
  const auth = await settled();
  const { user } = auth.actor.getSnapshot().context;
  if (!auth.actor.getSnapshot().matches('signedIn') || !user) throw USER_UNAUTHENTICATED();
  return amplifyUser(user);
}

// ---------- the signed-in user's account ----------

export async function fetchUserAttributes(): Promise<Record<string, string>> {
  const view = await runSignedIn({ type: 'attributes.fetch' });
  return view.route === 'signedIn' && view.userAttributes ? { ...view.userAttributes } : {};
}

export interface UpdateUserAttributeOutput {
  isUpdated: boolean;
  nextStep: { updateAttributeStep: 'CONFIRM_ATTRIBUTE_WITH_CODE' | 'DONE'; codeDeliveryDetails?: AuthCodeDeliveryDetails };
}

export async function updateUserAttributes(input: { userAttributes: Record<string, string>; options?: { clientMetadata?: Record<string, string> } }): Promise<Record<string, UpdateUserAttributeOutput>> {
  const update = { type: 'attributes.update', attributes: { ...input.userAttributes } } as const;
  const view = await runSignedIn(update, { UpdateUserAttributes: input.options?.clientMetadata });
  const delivery = view.route === 'signedIn' ? view.attributeDelivery : null;
  return Object.fromEntries(
    Object.keys(input.userAttributes).map((key): [string, UpdateUserAttributeOutput] =>
      delivery?.attributeName === key
        ? [key, { isUpdated: false, nextStep: { updateAttributeStep: 'CONFIRM_ATTRIBUTE_WITH_CODE', codeDeliveryDetails: codeDeliveryDetails(delivery) } }]
        : [key, { isUpdated: true, nextStep: { updateAttributeStep: 'DONE' } }],
    ),
  );
}

export async function updateUserAttribute(input: { userAttribute: { attributeKey: string; value: string }; options?: { clientMetadata?: Record<string, string> } }): Promise<UpdateUserAttributeOutput> {
  const { attributeKey, value } = input.userAttribute;
  return (await updateUserAttributes({ userAttributes: { [attributeKey]: value }, ...(input.options ? { options: input.options } : {}) }))[attributeKey]!;
}

export async function confirmUserAttribute(input: { userAttributeKey: string; confirmationCode: string }): Promise<void> {
  assertPresent(input.confirmationCode, 'EmptyConfirmUserAttributeCode', 'confirmation code is required to confirmUserAttribute');
  await runSignedIn({ type: 'attribute.verify', name: input.userAttributeKey, code: input.confirmationCode.replace(/\s/g, '') });
}

export async function sendUserAttributeVerificationCode(input: { userAttributeKey: string; options?: { clientMetadata?: Record<string, string> } }): Promise<AuthCodeDeliveryDetails> {
  const sendCode = { type: 'attribute.sendCode', name: input.userAttributeKey } as const;
  const view = await runSignedIn(sendCode, { GetUserAttributeVerificationCode: input.options?.clientMetadata });
  return codeDeliveryDetails(view.route === 'signedIn' ? view.attributeDelivery : null);
}

/**
 * DeleteUserAttributes, as Amplify's: e.g. `{ userAttributeKeys: ['custom:team'] }`. Like Amplify it checks the
 * sign-in first and leaves to Cognito which names may go (sub, a required one: Cognito's refusal, as Amplify's).
 */
export async function deleteUserAttributes(input: { userAttributeKeys: readonly [string, ...string[]] | readonly string[] }): Promise<void> {
  const keys: unknown = input?.userAttributeKeys;
  try {
    await runSignedIn({ type: 'attributes.delete', names: Array.isArray(keys) ? [...(keys as string[])] : [] });
  } catch (error) {
    // The chart sends no call for these; Amplify's would, and Cognito removes nothing for an empty list.
    if (!(error instanceof AuthError) || error.code !== 'InvalidInput') throw error;
    if (Array.isArray(keys) && keys.length === 0) return;
    throw validation('InvalidParameterException', 'userAttributeKeys must be attribute names of 1 to 32 characters.');
  }
}

export async function deleteUser(): Promise<void> {
  await runSignedIn({ type: 'account.delete' });
}

// ---------- MFA ----------

export async function setUpTOTP(): Promise<AuthTOTPSetupDetails> {
  const view = await runSignedIn({ type: 'mfa.setUpTotp' });
  if (view.route !== 'totpSetup' || !view.totpSetup) throw USER_UNAUTHENTICATED();
  // Amplify's setUpTOTP names the account JSON.stringify(username) (quotes and all); the same URI here.
  return totpSetupDetails(view.totpSetup.sharedSecret, JSON.stringify((await getCurrentUser()).username));
}

export async function verifyTOTPSetup(input: { code: string; options?: { friendlyDeviceName?: string } }): Promise<void> {
  assertPresent(input.code, 'EmptyVerifyTOTPSetupCode', 'code is required to verifyTotpSetup');
  const auth = await settled();
  const view = selectView(auth.actor.getSnapshot());
  if (view.route !== 'totpSetup' || view.duringSignIn) {
    throw new NotSupportedError('verifyTOTPSetup', 'call setUpTOTP first in this app session (the chart verifies the setup it started)');
  }
  await run(auth, { type: 'code.submit', code: input.code.replace(/\s/g, '') });
}

export type MFAPreference = 'ENABLED' | 'DISABLED' | 'PREFERRED' | 'NOT_PREFERRED';

export async function updateMFAPreference(input: { sms?: MFAPreference; totp?: MFAPreference; email?: MFAPreference }): Promise<void> {
  const preference: MfaPreferenceUpdate = {
    ...(input.sms ? { sms: input.sms } : {}),
    ...(input.totp ? { totp: input.totp } : {}),
    ...(input.email ? { email: input.email } : {}),
  };
  await runSignedIn({ type: 'mfa.updatePreference', preference });
}

export async function fetchMFAPreference(): Promise<{ enabled?: AuthMFAType[]; preferred?: AuthMFAType }> {
  const view = await runSignedIn({ type: 'mfa.fetchPreference' });
  const preference = view.route === 'signedIn' ? view.mfaPreference : null;
  return {
    ...(preference?.enabled.length ? { enabled: [...preference.enabled] } : {}),
    ...(preference?.preferred ? { preferred: preference.preferred } : {}),
  };
}

// ---------- passkeys ----------

export async function associateWebAuthnCredential(): Promise<void> {
  await runSignedIn({ type: 'passkey.register' });
}

export interface AuthWebAuthnCredential {
  credentialId: string | undefined;
  friendlyCredentialName: string | undefined;
  relyingPartyId: string | undefined;
  authenticatorAttachment?: string;
  authenticatorTransports: string[] | undefined;
  createdAt: Date | undefined;
}

/** `pageSize` is not passed on: the chart lists Cognito's default page (20). */
export async function listWebAuthnCredentials(input: { pageSize?: number; nextToken?: string } = {}): Promise<{ credentials: AuthWebAuthnCredential[]; nextToken?: string }> {
  // The chart keeps every page read so far (a next page is added to the earlier ones); Amplify answers with the page asked for.
  const readBefore = input.nextToken ? ((await settled()).actor.getSnapshot().context.passkeys?.length ?? 0) : 0;
  const view = await runSignedIn({ type: 'passkeys.list', ...(input.nextToken ? { nextToken: input.nextToken } : {}), ...(input.pageSize ? { pageSize: input.pageSize } : {}) });
  if (view.route !== 'signedIn') return { credentials: [] };
  const page = (view.passkeys ?? []).slice(readBefore);
  const credentials = page.map((c) => ({
    credentialId: c.credentialId,
    friendlyCredentialName: c.friendlyName ?? undefined,
    relyingPartyId: c.relyingPartyId,
    ...(c.authenticatorAttachment ? { authenticatorAttachment: c.authenticatorAttachment } : {}),
    authenticatorTransports: c.transports ? [...c.transports] : undefined,
    createdAt: new Date(c.createdAt),
  }));
  return { credentials, ...(view.passkeysNextToken ? { nextToken: view.passkeysNextToken } : {}) };
}

export async function deleteWebAuthnCredential(input: { credentialId: string }): Promise<void> {
  await runSignedIn({ type: 'passkey.delete', credentialId: input.credentialId });
}

// ---------- remembered devices ----------

/** Amplify's AWSAuthDevice. */
export interface AWSAuthDevice {
  id: string;
  name?: string;
  attributes: Record<string, string>;
  createDate?: Date;
  lastAuthenticatedDate?: Date;
  lastModifiedDate?: Date;
}

/** The user's devices (ListDevices), as Amplify lists them: the first page of up to 60. */
export async function fetchDevices(): Promise<AWSAuthDevice[]> {
  const view = await runSignedIn({ type: 'devices.list' });
  if (view.route !== 'signedIn') return [];
  return (view.devices ?? []).map((device) => ({
    id: device.id,
    ...(device.name ? { name: device.name } : {}),
    attributes: { ...device.attributes },
    ...(device.createdAt ? { createDate: new Date(device.createdAt) } : {}),
    ...(device.lastAuthenticatedAt !== null ? { lastAuthenticatedDate: new Date(device.lastAuthenticatedAt) } : {}),
    ...(device.lastModifiedAt ? { lastModifiedDate: new Date(device.lastModifiedAt) } : {}),
  }));
}

/** This browser's device is remembered (UpdateDeviceStatus), so it may stand in for MFA. */
export async function rememberDevice(): Promise<void> {
  await runSignedIn({ type: 'device.remember' });
}

/** Forgets this browser's device, or the one given (ForgetDevice). */
export async function forgetDevice(input?: { device?: { id: string } }): Promise<void> {
  await runSignedIn({ type: 'device.forget', ...(input?.device?.id ? { deviceId: input.device.id } : {}) });
}

export type AuthProvider = 'Amazon' | 'Apple' | 'Facebook' | 'Google';

export interface SignInWithRedirectInput {
  provider?: AuthProvider | { custom: string };
  customState?: string;
  options?: { lang?: string; loginHint?: string; nonce?: string; preferPrivateSession?: boolean; prompt?: string };
}

/** Amplify's provider names as Cognito's identity-provider names. */
const COGNITO_PROVIDER: Record<AuthProvider, string> = { Amazon: 'LoginWithAmazon', Apple: 'SignInWithApple', Facebook: 'Facebook', Google: 'Google' };

/** Sends the browser to the hosted UI (configure's loginWith.oauth); the callback signs in when the app loads again. */
export async function signInWithRedirect(input: SignInWithRedirectInput = {}): Promise<void> {
  const auth = await settled();
  if (auth.actor.getSnapshot().matches('signedIn')) {
    throw new AuthError({ name: 'UserAlreadyAuthenticatedException', message: 'There is already a signed in user.', recoverySuggestion: 'Call signOut before calling signInWithRedirect again.', code: 'AlreadySignedIn' });
  }
  await leaveUnfinishedFlow(auth);
  const provider = input.provider === undefined ? undefined : typeof input.provider === 'string' ? COGNITO_PROVIDER[input.provider] : input.provider.custom;
  const options = input.options ?? {};
  await run(auth, {
    type: 'redirect.start',
    ...(provider ? { provider } : {}),
    ...(input.customState ? { customState: input.customState } : {}),
    ...(options.loginHint ? { loginHint: options.loginHint } : {}),
    ...(options.lang ? { lang: options.lang } : {}),
    ...(options.prompt ? { prompt: options.prompt } : {}),
  });
}
