// Sign-in actors: InitiateAuth with a password (USER_SRP_AUTH / USER_PASSWORD_AUTH, first try or resend) and
// RespondToAuthChallenge for every challenge of the step table.
import type { CustomAuthFlow, InitiateAuthInput, RespondToAuthChallengeInput, SignInFlow, SignInResult } from '../../../machines/auth.types.js';
import { AuthError, toAuthError } from '../../cognito/errors.js';
import type { CognitoAuthResponse } from '../../cognito/port.js';
import {
  challengeRequest,
  customAuthRequest,
  devicePasswordVerifierRequest,
  deviceSrpRequest,
  passwordAuthRequest,
  sessionAuthRequest,
  srpAuthRequest,
  userAuthRequest,
  withChallengeDeviceKey,
  withDeviceKey,
} from '../../cognito/requests.js';
import { deviceVerifierChallenge, isPasswordFactor, stepFromError, stepFromResponse, type FirstFactor } from '../../cognito/steps.js';
import type { CognitoAuthResponse as AuthAnswer, InitiateAuthRequest, RespondToAuthChallengeRequest } from '../../cognito/port.js';
import { nextSecrets, type FlowSecrets, type SecretsEvent } from '../attempt-secrets.js';
import { actor, type ActorDeps, type CallGuard, type SharedHelpers } from './shared.js';

type PasswordInput = Exclude<InitiateAuthInput, { authFlow: 'REFRESH_TOKEN_AUTH' } | { authFlow: 'USER_AUTH' } | { authFlow: CustomAuthFlow }>;
type CustomInput = Extract<InitiateAuthInput, { authFlow: CustomAuthFlow }>;
type UserAuthInput = Extract<InitiateAuthInput, { authFlow: 'USER_AUTH' }>;
type SessionInput = Extract<UserAuthInput, { session: string }>;
type ChoiceInput = Exclude<UserAuthInput, { session: string }>;

/** "Device does not exist.": the pool forgot this device (not some other missing resource, such as the app client). */
const isUnknownDevice = (error: AuthError): boolean => error.code === 'ResourceNotFound' && /device/i.test(error.cognitoMessage ?? error.message);

export function signInActors(deps: ActorDeps, shared: SharedHelpers) {
  const { port, srp, vault, now, devices } = deps;

  /** The device remembered here for what the user typed (or its canonical name), if any. */
  const storedDevice = async (...names: string[]) => {
    for (const name of names) {
      const device = devices ? await devices.loadFor(name) : null;
      if (device) return device;
    }
    return null;
  };

  /**
   * A first factor carries the remembered device's key. Cognito answers a key it no longer knows with
   * ResourceNotFoundException ("Device does not exist."): the key is forgotten and the same call repeated once without it.
   */
  async function sendWithDevice(loginId: string, send: (deviceKey: string | undefined) => Promise<AuthAnswer>): Promise<AuthAnswer> {
    const device = await storedDevice(loginId);
    if (!device) return send(undefined);
    try {
      return await send(device.deviceKey);
    } catch (error) {
      const authError = toAuthError(error);
      if (!isUnknownDevice(authError)) throw authError;
      await devices!.forget(device.username, device.deviceKey);
      return send(undefined);
    }
  }
  const initiate = (loginId: string, request: InitiateAuthRequest, signal: AbortSignal) =>
    sendWithDevice(loginId, (deviceKey) => port.initiateAuth(withDeviceKey(request, deviceKey), signal));
  const answerWithDevice = (loginId: string, request: RespondToAuthChallengeRequest, signal: AbortSignal) =>
    sendWithDevice(loginId, (deviceKey) => port.respondToAuthChallenge(withChallengeDeviceKey(request, deviceKey), signal));

  /** The one way an attempt's secrets change. */
  const advance = (ref: string, event: SecretsEvent): FlowSecrets | undefined => {
    const secrets = vault.peek(ref);
    if (!secrets) return undefined;
    const next = nextSecrets(secrets, event);
    vault.replace(ref, next);
    return next;
  };

  /** Decodes a Cognito answer into the chart's next step (through the step table), storing tokens or secrets on the way. */
  async function toResult(
    response: CognitoAuthResponse,
    typedUsername: string,
    secretRef: string | null,
    flow: { loginId: string; authFlow: SignInFlow },
    at: CallGuard,
  ): Promise<SignInResult> {
    const step = stepFromResponse(response, typedUsername);
    if (step.step === 'DONE') {
      if (secretRef) vault.take(secretRef); // signed in: the password is no longer needed
      const user = await shared.saveTokens(step.tokens, flow, at);
      const metadata = step.tokens.newDevice;
      if (!metadata || !devices) return { step: 'DONE', user };
      // the chart confirms it next (signedIn.account.confirmingDevice); the keys never reach its context
      devices.offer({ username: user.username, loginId: flow.loginId, metadata });
      return { step: 'DONE', user, newDevice: true };
    }
    const issuedAt = now();
    const kept = secretRef !== null && vault.peek(secretRef) !== undefined;
    if (kept) vault.touch(secretRef, deps.authSessionValidityMs);
    const stamp = {
      session: step.session,
      sessionIssuedAt: issuedAt,
      sessionExpiresAt: issuedAt + deps.authSessionValidityMs,
      secretRef: kept ? secretRef : null,
    };
    if (step.step === 'PASSWORD_VERIFIER') {
      const { srp: challenge, ...data } = step;
      if (!secretRef || vault.peek(secretRef)?.srp?.phase !== 'started') {
        throw new AuthError('UnexpectedChallenge', 'Cognito asked for an SRP proof outside USER_SRP_AUTH');
      }
      advance(secretRef, { type: 'srpChallenged', challenge });
      return { ...data, ...stamp };
    }
    return { ...step, ...stamp } as SignInResult;
  }

  /**
   * Cognito exceptions that are really next steps become steps (as Amplify does). The attempt's password
   * stays kept, so that confirming the account or resetting the password can sign in without asking again.
   */
  function stepOrThrow(error: unknown, username: string, secretRef: string | null): SignInResult {
    const authError = toAuthError(error);
    const step = stepFromError(authError);
    if (step) return { step, username, secretRef: secretRef && vault.peek(secretRef) ? secretRef : null };
    throw authError;
  }

  async function initiatePasswordAuth(input: PasswordInput, signal: AbortSignal): Promise<SignInResult> {
    const at = shared.guardFor(signal);
    let secretRef: string;
    let secrets: FlowSecrets;
    if ('secretRef' in input) {
      const kept = vault.peek(input.secretRef);
      if (!kept) throw new AuthError('ResendUnavailable', 'The kept password is gone (reload, expiry or sign-out)');
      secretRef = input.secretRef;
      secrets = kept;
    } else {
      secrets = { loginId: input.username, authFlow: input.authFlow, password: input.password, srp: null };
      secretRef = vault.put(secrets, deps.authSessionValidityMs);
    }
    const flow = { loginId: secrets.loginId, authFlow: secrets.authFlow };
    try {
      if (secrets.authFlow === 'USER_PASSWORD_AUTH') {
        const response = await initiate(secrets.loginId, passwordAuthRequest(secrets.loginId, secrets.password), signal);
        return await toResult(response, secrets.loginId, secretRef, flow, at);
      }
      const ephemeral = await srp.takeEphemeral();
      advance(secretRef, { type: 'srpStarted', ephemeral });
      const response = await initiate(secrets.loginId, srpAuthRequest(secrets.loginId, ephemeral.A), signal);
      return await toResult(response, secrets.loginId, secretRef, flow, at);
    } catch (error) {
      // A failed first attempt forgets the password; a failed resend keeps it unless the password itself was
      // refused; an exception that is a step keeps it for that step.
      const authError = toAuthError(error);
      if (stepFromError(authError)) return stepOrThrow(authError, secrets.loginId, secretRef);
      if (!('secretRef' in input) || authError.category === 'credentials') vault.take(secretRef);
      throw authError;
    }
  }

  /**
   * USER_AUTH: with a preferred factor or none (SELECT_CHALLENGE). A password factor sends its proof at once (PASSWORD,
   * or SRP_A with the ephemeral precomputed); a password given without one is kept for the selection. A resend or an
   * auto sign-in uses the kept password with its factor (PASSWORD_SRP when none was chosen).
   */
  async function initiateUserAuth(input: ChoiceInput, signal: AbortSignal): Promise<SignInResult> {
    const at = shared.guardFor(signal);
    let secretRef: string | null = null;
    let secrets: FlowSecrets | undefined;
    if (input.secretRef !== undefined) {
      secrets = vault.peek(input.secretRef);
      if (!secrets) throw new AuthError('ResendUnavailable', 'The kept password is gone (reload, expiry or sign-out)');
      secretRef = input.secretRef;
    } else if (input.password !== undefined) {
      const factor = input.preferred !== null && isPasswordFactor(input.preferred) ? input.preferred : undefined;
      secrets = { loginId: input.username, authFlow: 'USER_AUTH', password: input.password, srp: null, ...(factor ? { factor } : {}) };
      secretRef = vault.put(secrets, deps.authSessionValidityMs);
    }
    const loginId = secrets?.loginId ?? input.username;
    const preferred: FirstFactor | null = input.secretRef !== undefined && (input.preferred === null || !isPasswordFactor(input.preferred))
      ? (secrets?.factor ?? 'PASSWORD_SRP')
      : input.preferred;
    const flow = { loginId, authFlow: 'USER_AUTH' as const };
    try {
      let request;
      if (preferred !== null && isPasswordFactor(preferred)) {
        if (!secrets || !secretRef) throw new AuthError('InvalidInput', 'A password factor needs the password', { field: 'password' });
        if (preferred === 'PASSWORD') {
          request = userAuthRequest(loginId, 'PASSWORD', { password: secrets.password });
        } else {
          const ephemeral = await srp.takeEphemeral();
          advance(secretRef, { type: 'srpStarted', ephemeral });
          request = userAuthRequest(loginId, 'PASSWORD_SRP', { srpA: ephemeral.A });
        }
      } else {
        request = userAuthRequest(loginId, preferred);
      }
      const response = await initiate(loginId, request, signal);
      return await toResult(response, loginId, secretRef, flow, at);
    } catch (error) {
      const authError = toAuthError(error);
      if (stepFromError(authError)) return stepOrThrow(authError, loginId, secretRef);
      if (secretRef && (input.secretRef === undefined || authError.category === 'credentials')) vault.take(secretRef);
      throw authError;
    }
  }

  /** SELECT_CHALLENGE with a password factor: the password (given now, or kept from signIn.submit) and, for SRP, SRP_A. */
  async function passwordChoice(input: Extract<RespondToAuthChallengeInput, { challengeName: 'SELECT_CHALLENGE' }>, factor: 'PASSWORD' | 'PASSWORD_SRP') {
    const kept = input.secretRef ? vault.peek(input.secretRef) : undefined;
    const password = input.password ?? kept?.password;
    if (password === undefined) throw new AuthError('InvalidInput', 'The password factor needs the password', { field: 'password' });
    const secrets: FlowSecrets = { loginId: input.loginId, authFlow: 'USER_AUTH', password, srp: null, factor };
    let secretRef: string;
    if (input.secretRef && kept) {
      vault.replace(input.secretRef, secrets);
      secretRef = input.secretRef;
    } else {
      secretRef = vault.put(secrets, deps.authSessionValidityMs);
    }
    if (factor === 'PASSWORD') return { secretRef, answer: { factor, password } };
    const ephemeral = await srp.takeEphemeral();
    advance(secretRef, { type: 'srpStarted', ephemeral });
    return { secretRef, answer: { factor, srpA: ephemeral.A.toString(16) } };
  }

  /** The SRP proof for PASSWORD_VERIFIER, from the attempt's challenged phase; the ephemeral is spent here. */
  async function passwordClaim(secretRef: string) {
    const secrets = vault.peek(secretRef);
    if (secrets?.srp?.phase !== 'challenged') throw new AuthError('SessionExpired', 'No SRP challenge is kept for this attempt');
    const { ephemeral, challenge } = secrets.srp;
    advance(secretRef, { type: 'srpSpent' });
    const claim = await srp.passwordClaim(ephemeral, challenge, secrets.password, new Date(now()));
    return { secretBlock: challenge.secretBlock, signature: claim.signature, timestamp: claim.timestamp };
  }

  /**
   * DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER: the remembered device proves its secret by SRP. Both rounds run
   * here, so the device's private SRP value never leaves this function. A device whose proof Cognito refuses is
   * forgotten: the next sign-in goes through MFA and remembers the browser again.
   */
  async function proveDevice(input: Extract<RespondToAuthChallengeInput, { challengeName: 'DEVICE_SRP_AUTH' }>, signal: AbortSignal): Promise<SignInResult> {
    const at = shared.guardFor(signal);
    const flow = { loginId: input.loginId, authFlow: input.authFlow };
    const device = await storedDevice(input.username, input.loginId);
    if (!device) throw new AuthError('UnexpectedChallenge', 'Cognito asked for a device proof and no device is remembered here', { cognitoName: 'DEVICE_SRP_AUTH' });
    try {
      const ephemeral = await srp.takeEphemeral();
      const started = await port.respondToAuthChallenge(deviceSrpRequest(input.session, input.username, device.deviceKey, ephemeral.A), signal);
      if (started.challengeName !== 'DEVICE_PASSWORD_VERIFIER' || !started.session) {
        throw new AuthError('UnexpectedChallenge', `DEVICE_SRP_AUTH answered with ${started.challengeName ?? 'no challenge'}`, { cognitoName: started.challengeName ?? '' });
      }
      const challenge = deviceVerifierChallenge(started.challengeParameters);
      const claim = await srp.deviceClaim(ephemeral, challenge, device, new Date(now()));
      const username = started.challengeParameters['USERNAME'] ?? input.username;
      const response = await port.respondToAuthChallenge(
        devicePasswordVerifierRequest(started.session, username, device.deviceKey, { secretBlock: challenge.secretBlock, ...claim }),
        signal,
      );
      const result = await toResult(response, username, input.secretRef, flow, at);
      return result.step === 'DONE' ? { ...result, deviceProved: true } : result;
    } catch (error) {
      const authError = toAuthError(error);
      if (authError.category === 'credentials' || isUnknownDevice(authError)) await devices?.forget(device.username, device.deviceKey);
      throw authError;
    }
  }

  async function respond(input: RespondToAuthChallengeInput, signal: AbortSignal): Promise<SignInResult> {
    if (input.challengeName === 'DEVICE_SRP_AUTH') return proveDevice(input, signal);
    const at = shared.guardFor(signal);
    const flow = { loginId: input.loginId, authFlow: input.authFlow };
    const { session, username } = input;
    let secretRef = input.secretRef;
    let request;
    switch (input.challengeName) {
      case 'PASSWORD_VERIFIER':
        request = challengeRequest('PASSWORD_VERIFIER', session, username, await passwordClaim(input.secretRef));
        break;
      case 'NEW_PASSWORD_REQUIRED':
        request = challengeRequest(input.challengeName, session, username, { newPassword: input.newPassword, attributes: input.attributes });
        break;
      case 'SELECT_MFA_TYPE':
        request = challengeRequest(input.challengeName, session, username, { mfaType: input.mfaType });
        break;
      case 'MFA_SETUP':
        request = challengeRequest(input.challengeName, session, username, input.email === undefined ? {} : { email: input.email });
        break;
      case 'SELECT_CHALLENGE': {
        if (isPasswordFactor(input.factor)) {
          const choice = await passwordChoice(input, input.factor);
          secretRef = choice.secretRef;
          request = challengeRequest(input.challengeName, session, username, choice.answer);
        } else {
          request = challengeRequest(input.challengeName, session, username, { factor: input.factor });
        }
        break;
      }
      case 'WEB_AUTHN':
        if (!input.credential) throw new AuthError('InvalidInput', 'No passkey credential to answer with', { field: 'passkey' });
        request = challengeRequest(input.challengeName, session, username, { credential: input.credential });
        break;
      case 'SMS_MFA':
      case 'SMS_OTP':
      case 'EMAIL_OTP':
      case 'SOFTWARE_TOKEN_MFA':
        request = challengeRequest(input.challengeName, session, username, { code: input.code });
        break;
      case 'CUSTOM_CHALLENGE':
        request = challengeRequest(input.challengeName, session, username, { answer: input.answer });
        break;
    }
    try {
      // the password proof is where Cognito checks a remembered device's key (the user is known by then)
      const response = input.challengeName === 'PASSWORD_VERIFIER' ? await answerWithDevice(input.loginId, request, signal) : await port.respondToAuthChallenge(request, signal);
      if (input.challengeName === 'NEW_PASSWORD_REQUIRED' && input.secretRef) {
        advance(input.secretRef, { type: 'passwordChanged', password: input.newPassword });
      }
      return await toResult(response, input.username, secretRef, flow, at);
    } catch (error) {
      if (input.challengeName === 'PASSWORD_VERIFIER') return stepOrThrow(error, input.username, input.secretRef);
      throw toAuthError(error);
    }
  }

  /** InitiateAuth USER_AUTH with the Session ConfirmSignUp gave: the new account signs in without its password. */
  async function initiateWithSession(input: SessionInput, signal: AbortSignal): Promise<SignInResult> {
    const at = shared.guardFor(signal);
    try {
      const response = await port.initiateAuth(sessionAuthRequest(input.username, input.session), signal);
      return await toResult(response, input.username, null, { loginId: input.username, authFlow: 'USER_AUTH' }, at);
    } catch (error) {
      throw toAuthError(error);
    }
  }

  /**
   * CUSTOM_AUTH: without SRP the custom rounds start at once; with SRP the password is proved first (kept in the vault
   * for the PASSWORD_VERIFIER, and for signing in again).
   */
  async function initiateCustomAuth(input: CustomInput, signal: AbortSignal): Promise<SignInResult> {
    const at = shared.guardFor(signal);
    const flow = { loginId: input.username, authFlow: input.authFlow };
    let secretRef: string | null = null;
    if (input.authFlow === 'CUSTOM_WITH_SRP') {
      if (input.secretRef !== undefined) {
        if (!vault.peek(input.secretRef)) throw new AuthError('ResendUnavailable', 'The kept password is gone (reload, expiry or sign-out)');
        secretRef = input.secretRef;
      } else {
        if (input.password === undefined) throw new AuthError('InvalidInput', 'CUSTOM_WITH_SRP needs the password', { field: 'password' });
        secretRef = vault.put({ loginId: input.username, authFlow: input.authFlow, password: input.password, srp: null }, deps.authSessionValidityMs);
      }
    }
    try {
      let request;
      if (secretRef) {
        const ephemeral = await srp.takeEphemeral();
        advance(secretRef, { type: 'srpStarted', ephemeral });
        request = customAuthRequest(input.username, ephemeral.A);
      } else {
        request = customAuthRequest(input.username);
      }
      const response = await initiate(input.username, request, signal);
      return await toResult(response, input.username, secretRef, flow, at);
    } catch (error) {
      const authError = toAuthError(error);
      if (stepFromError(authError)) return stepOrThrow(authError, input.username, secretRef);
      if (secretRef && input.secretRef === undefined) vault.take(secretRef);
      throw authError;
    }
  }

  return {
    initiatePasswordAuth,
    initiateWithSession,
    initiateUserAuth,
    initiateCustomAuth,
    respondToAuthChallenge: actor<SignInResult, RespondToAuthChallengeInput>(({ input, signal }) => respond(input, signal)),
  };
}
