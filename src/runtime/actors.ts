// The I/O behind the chart's actor slots: Cognito port + token store + SRP + secret vault.
// Every function is the body of one invoked actor; what it returns is free of passwords, codes and tokens.
import { fromPromise } from 'xstate';
import type {
  AssociateSoftwareTokenInput,
  AssociateSoftwareTokenOutput,
  InitiateAuthInput,
  MfaPreference,
  MfaPreferenceUpdate,
  PasswordAuthFlow,
  RefreshResult,
  RespondToAuthChallengeInput,
  SignInResult,
  SignOutResult,
  StoredSessionStatus,
  VerifySoftwareTokenInput,
  VerifySoftwareTokenOutput,
} from '../../machines/signIn.types.js';
import { AuthError, toAuthError } from '../cognito/errors.js';
import type { CognitoAuthResponse, CognitoPort, CognitoTokens, MfaSetting } from '../cognito/port.js';
import type { CognitoSrpClient, PasswordVerifierChallenge, SrpEphemeral } from '../cognito/srp.js';
import { challengeResponses, mfaTypeFromCognito, stepFromError, stepFromResponse, type MfaType } from '../cognito/steps.js';
import { totpSetupFor } from '../session/totp.js';
import { isFresh, toStoredTokens, userFromTokens, type StoredTokens, type TokenStore } from '../session/tokens.js';
import type { AttemptStore } from '../persist/attempts.js';
import { containsRedactedInput } from './redact.js';
import type { SecretVault } from './secret-vault.js';

/**
 * What one sign-in attempt must remember between Cognito calls, outside machine context:
 * the password (to prove it with SRP, and to sign in again for a new MFA code) and the SRP state.
 */
export interface FlowSecrets {
  readonly loginId: string;
  readonly authFlow: PasswordAuthFlow;
  password: string;
  srp?: { readonly ephemeral: SrpEphemeral; readonly challenge: PasswordVerifierChallenge } | undefined;
}

export interface ActorDeps {
  readonly port: CognitoPort;
  readonly tokens: TokenStore;
  readonly srp: CognitoSrpClient;
  readonly vault: SecretVault<FlowSecrets>;
  readonly now: () => number;
  /** The app client's AuthSessionValidity, which the client cannot ask Cognito for. */
  readonly authSessionValidityMs: number;
  /** Issuer shown by authenticator apps for TOTP (otpauth URI). */
  readonly totpIssuer: string;
  /** Account name shown by authenticator apps, from the user's login id. */
  readonly totpAccountName?: (loginId: string) => string;
  /** Name given to the authenticator at VerifySoftwareToken. */
  readonly totpDeviceName?: string;
  /** Where a waiting sign-in attempt is saved for resuming (createAuth's `resume` option). */
  readonly attempts?: AttemptStore;
}

/** A promise actor that refuses input redacted by a persisted snapshot: a restored request is never resent. */
function actor<Output, Input = unknown>(body: (args: { input: Input; signal: AbortSignal }) => Promise<Output>) {
  return fromPromise<Output, Input>(async ({ input, signal }) => {
    if (containsRedactedInput(input)) {
      throw new AuthError('SessionExpired', 'This request was interrupted (the page was left while it ran). Please start again.');
    }
    return body({ input, signal });
  });
}

/** Where a call stands when its answer comes: left (aborted), or overtaken by a sign-out (store generation). */
interface CallGuard {
  readonly signal: AbortSignal;
  readonly generation: number;
}

export function createActorLogic(deps: ActorDeps) {
  const { port, tokens, srp, vault, now } = deps;
  const guardFor = (signal: AbortSignal): CallGuard => ({ signal, generation: tokens.generation });

  /** Decodes a Cognito answer into the chart's next step, storing tokens or secrets on the way. */
  async function toResult(
    response: CognitoAuthResponse,
    typedUsername: string,
    secretRef: string | null,
    flow: { loginId: string; authFlow: PasswordAuthFlow },
    at: CallGuard,
  ): Promise<SignInResult> {
    const step = stepFromResponse(response, typedUsername);
    if (step.step === 'DONE') {
      if (secretRef) vault.take(secretRef); // signed in: the password is no longer needed
      return { step: 'DONE', user: await saveTokens(step.tokens, flow, at) };
    }
    const issuedAt = now();
    const kept = secretRef !== null && vault.peek(secretRef) !== undefined;
    if (kept) vault.touch(secretRef, deps.authSessionValidityMs);
    const stamp = {
      session: step.session,
      sessionIssuedAt: issuedAt,
      sessionExpiresAt: issuedAt + deps.authSessionValidityMs,
      username: step.username,
      secretRef: kept ? secretRef : null,
    };
    switch (step.step) {
      case 'PASSWORD_VERIFIER': {
        const secrets = secretRef ? vault.peek(secretRef) : undefined;
        if (!secrets?.srp) throw new AuthError('UnexpectedChallenge', 'Cognito asked for an SRP proof outside USER_SRP_AUTH');
        secrets.srp = { ...secrets.srp, challenge: step.srp };
        return { ...stamp, step: step.step };
      }
      case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED':
        return { ...stamp, step: step.step, challenge: { missingAttributes: step.missingAttributes, userAttributes: step.userAttributes } };
      case 'CONFIRM_SIGN_IN_WITH_SMS_CODE':
      case 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE':
        return { ...stamp, step: step.step, codeDelivery: step.codeDelivery };
      case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
        return { ...stamp, step: step.step };
      case 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION':
      case 'MFA_SETUP':
        return { ...stamp, step: step.step, allowedMfaTypes: step.allowedMfaTypes };
    }
  }

  /** Saves tokens Cognito just issued, unless the call was left or a sign-out came first. */
  async function saveTokens(result: CognitoTokens, flow: { loginId?: string | undefined; authFlow?: string | undefined }, at: CallGuard, previous?: StoredTokens) {
    const stored = toStoredTokens(result, now(), {
      loginId: flow.loginId ?? previous?.loginId,
      authFlowType: flow.authFlow ?? previous?.authFlowType,
      previousRefreshToken: previous?.refreshToken,
    });
    if (at.signal.aborted || !(await tokens.save(stored, at.generation))) {
      throw new AuthError('Aborted', 'Tokens arrived after the request was cancelled or the user signed out; they were not kept.');
    }
    return userFromTokens(stored);
  }

  /** Cognito exceptions that are really next steps become steps (as Amplify does). */
  function stepOrThrow(error: unknown, username: string): SignInResult {
    const authError = toAuthError(error);
    const step = stepFromError(authError);
    if (step) return { step, username };
    throw authError;
  }

  async function loadRefreshable(): Promise<StoredTokens & { refreshToken: string }> {
    const stored = await tokens.load();
    if (!stored?.refreshToken) throw new AuthError('NoStoredSession', 'There is no stored session to refresh.');
    return stored as StoredTokens & { refreshToken: string };
  }

  /** A call Cognito refused for good means the stored session is dead: forget it. */
  async function forgetOnTokenError(error: unknown): Promise<never> {
    const authError = toAuthError(error);
    if (authError.category === 'token') await tokens.clear();
    throw authError;
  }

  /** A valid access token for the signed-in user's own operations, refreshed when stale. */
  async function accessToken(signal: AbortSignal): Promise<string> {
    const at = guardFor(signal);
    const stored = await tokens.load();
    if (!stored) throw new AuthError('NoStoredSession', 'Not signed in.');
    if (isFresh(stored, now()) || !stored.refreshToken) return stored.accessToken;
    const refreshed = await port.getTokensFromRefreshToken({ refreshToken: stored.refreshToken }, signal).catch(forgetOnTokenError);
    await saveTokens(refreshed, {}, at, stored);
    return refreshed.accessToken;
  }

  async function asSignedInUser<T>(signal: AbortSignal, run: (accessToken: string) => Promise<T>): Promise<T> {
    try {
      return await run(await accessToken(signal));
    } catch (error) {
      return forgetOnTokenError(error);
    }
  }

  async function refreshWithInitiateAuth(signal: AbortSignal): Promise<SignInResult> {
    const at = guardFor(signal);
    const stored = await loadRefreshable();
    const claims = userFromTokens(stored);
    try {
      const response = await port.initiateAuth(
        { authFlow: 'REFRESH_TOKEN_AUTH', parameters: { REFRESH_TOKEN: stored.refreshToken }, secretHashUsername: claims.username },
        signal,
      );
      const step = stepFromResponse(response, claims.username);
      if (step.step !== 'DONE') throw new AuthError('UnexpectedChallenge', 'REFRESH_TOKEN_AUTH answered with a challenge');
      return { step: 'DONE', user: await saveTokens(step.tokens, {}, at, stored) };
    } catch (error) {
      return forgetOnTokenError(error);
    }
  }

  async function initiatePasswordAuth(input: Exclude<InitiateAuthInput, { authFlow: 'REFRESH_TOKEN_AUTH' }>, signal: AbortSignal): Promise<SignInResult> {
    const at = guardFor(signal);
    let secretRef: string;
    let secrets: FlowSecrets;
    if ('secretRef' in input) {
      const kept = vault.peek(input.secretRef);
      if (!kept) throw new AuthError('ResendUnavailable', 'A new code needs your password again: please sign in again.');
      secretRef = input.secretRef;
      secrets = kept;
    } else {
      secrets = { loginId: input.username, authFlow: input.authFlow, password: input.password };
      secretRef = vault.put(secrets, deps.authSessionValidityMs);
    }
    const flow = { loginId: secrets.loginId, authFlow: secrets.authFlow };
    try {
      if (secrets.authFlow === 'USER_PASSWORD_AUTH') {
        const response = await port.initiateAuth(
          { authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: secrets.loginId, PASSWORD: secrets.password } },
          signal,
        );
        return await toResult(response, secrets.loginId, secretRef, flow, at);
      }
      const ephemeral = await srp.takeEphemeral();
      secrets.srp = { ephemeral, challenge: { userIdForSrp: '', srpB: '', salt: '', secretBlock: '' } };
      const response = await port.initiateAuth(
        { authFlow: 'USER_SRP_AUTH', parameters: { USERNAME: secrets.loginId, SRP_A: ephemeral.A.toString(16) } },
        signal,
      );
      return await toResult(response, secrets.loginId, secretRef, flow, at);
    } catch (error) {
      // A failed first attempt forgets the password; a failed resend keeps it unless the password itself was refused.
      if (!('secretRef' in input) || toAuthError(error).category === 'credentials') vault.take(secretRef);
      return stepOrThrow(error, secrets.loginId);
    }
  }

  async function respond(input: RespondToAuthChallengeInput, signal: AbortSignal): Promise<SignInResult> {
    const at = guardFor(signal);
    const flow = { loginId: input.loginId, authFlow: input.authFlow };
    let responses: Record<string, string>;
    let challengeName: string = input.challengeName;
    switch (input.challengeName) {
      case 'PASSWORD_VERIFIER': {
        const secrets = vault.peek(input.secretRef);
        if (!secrets?.srp) throw new AuthError('SessionExpired', 'This sign-in attempt has expired. Please start again.');
        const { ephemeral, challenge } = secrets.srp;
        secrets.srp = undefined; // an ephemeral is used once
        const claim = await srp.passwordClaim(ephemeral, challenge, secrets.password, new Date(now()));
        responses = {
          PASSWORD_CLAIM_SECRET_BLOCK: challenge.secretBlock,
          PASSWORD_CLAIM_SIGNATURE: claim.signature,
          TIMESTAMP: claim.timestamp,
        };
        break;
      }
      case 'NEW_PASSWORD_REQUIRED':
        responses = { NEW_PASSWORD: input.newPassword };
        for (const [name, value] of Object.entries(input.attributes)) responses[`userAttributes.${name}`] = value;
        break;
      case 'SMS_MFA':
      case 'EMAIL_OTP':
      case 'SOFTWARE_TOKEN_MFA':
        responses = challengeResponses({ challengeName: input.challengeName, code: input.code });
        break;
      case 'SELECT_MFA_TYPE':
        responses = challengeResponses({ challengeName: 'SELECT_MFA_TYPE', mfaType: input.mfaType });
        break;
      case 'MFA_SETUP':
        responses = challengeResponses(input.email === undefined ? { challengeName: 'MFA_SETUP' } : { challengeName: 'MFA_SETUP', email: input.email });
        challengeName = 'MFA_SETUP';
        break;
    }
    try {
      const response = await port.respondToAuthChallenge({ challengeName, session: input.session, responses: { USERNAME: input.username, ...responses } }, signal);
      if (input.challengeName === 'NEW_PASSWORD_REQUIRED' && input.secretRef) {
        const secrets = vault.peek(input.secretRef);
        if (secrets) secrets.password = input.newPassword; // a later resend signs in with the new password
      }
      return await toResult(response, input.username, input.secretRef, flow, at);
    } catch (error) {
      if (input.challengeName === 'PASSWORD_VERIFIER') return stepOrThrow(error, input.username);
      throw toAuthError(error);
    }
  }

  async function signOut(kind: 'revokeToken' | 'globalSignOut', signal: AbortSignal): Promise<SignOutResult> {
    const stored = await tokens.load();
    // Local state goes first: a sign-out must work offline (ASVS 14.3.1).
    await tokens.clear();
    if (!stored) return { warning: null };
    try {
      if (kind === 'revokeToken') {
        if (stored.refreshToken) await port.revokeToken({ refreshToken: stored.refreshToken }, signal);
      } else {
        let token = stored.accessToken;
        if (!isFresh(stored, now()) && stored.refreshToken) {
          token = (await port.getTokensFromRefreshToken({ refreshToken: stored.refreshToken }, signal)).accessToken;
        }
        await port.globalSignOut({ accessToken: token }, signal);
      }
      return { warning: null };
    } catch (error) {
      const authError = toAuthError(error);
      // Revocation turned off for the client, or tokens already dead: the user is signed out all the same.
      if (authError.code === 'UnsupportedOperation' || authError.category === 'token') return { warning: null };
      return {
        warning: new AuthError(authError.code, `Signed out on this device, but Cognito could not be told: ${authError.message}`).toJSON(),
      };
    }
  }

  return {
    loadStoredSession: actor<StoredSessionStatus>(async () => {
      const stored = await tokens.load();
      if (!stored) return deps.attempts ? deps.attempts.status(now()) : { status: 'none' };
      await deps.attempts?.clear(); // signed in: an older attempt is moot
      if (isFresh(stored, now())) return { status: 'fresh', user: userFromTokens(stored) };
      if (stored.refreshToken) return { status: 'stale' };
      await tokens.clear();
      return { status: 'none' };
    }),

    initiateAuth: actor<SignInResult, InitiateAuthInput>(async ({ input, signal }) =>
      input.authFlow === 'REFRESH_TOKEN_AUTH' ? refreshWithInitiateAuth(signal) : initiatePasswordAuth(input, signal),
    ),

    respondToAuthChallenge: actor<SignInResult, RespondToAuthChallengeInput>(({ input, signal }) => respond(input, signal)),

    associateSoftwareToken: actor<AssociateSoftwareTokenOutput, AssociateSoftwareTokenInput>(async ({ input, signal }) => {
      const associate = async (auth: { session: string } | { accessToken: string }) => {
        const output = await port.associateSoftwareToken(auth, signal);
        return {
          ...(output.session ? { session: output.session, sessionIssuedAt: now() } : {}),
          totpSetup: totpSetupFor(output.secretCode, { issuer: deps.totpIssuer, accountName: deps.totpAccountName?.(input.accountName) ?? input.accountName }),
        };
      };
      if ('session' in input) return associate({ session: input.session }).catch((e: unknown) => Promise.reject(toAuthError(e)));
      return asSignedInUser(signal, (accessToken) => associate({ accessToken }));
    }),

    verifySoftwareToken: actor<VerifySoftwareTokenOutput, VerifySoftwareTokenInput>(async ({ input, signal }) => {
      const verify = async (auth: { session: string } | { accessToken: string }) => {
        const output = await port.verifySoftwareToken(
          { ...auth, userCode: input.code, ...(deps.totpDeviceName ? { friendlyDeviceName: deps.totpDeviceName } : {}) },
          signal,
        );
        if (output.status !== 'SUCCESS') throw new AuthError('CodeMismatch', 'The code did not match. Check the time on your device and try again.');
        return output.session ? { session: output.session, sessionIssuedAt: now() } : {};
      };
      if (input.session !== undefined) return verify({ session: input.session }).catch((e: unknown) => Promise.reject(toAuthError(e)));
      return asSignedInUser(signal, (accessToken) => verify({ accessToken }));
    }),

    getUser: actor<MfaPreference>(({ signal }) =>
      asSignedInUser(signal, async (accessToken) => {
        const user = await port.getUser({ accessToken }, signal);
        return {
          enabled: user.mfaSettings.map(mfaTypeFromCognito).filter((t): t is MfaType => t !== undefined),
          preferred: (user.preferredMfa && mfaTypeFromCognito(user.preferredMfa)) || null,
        };
      }),
    ),

    setUserMfaPreference: actor<MfaPreferenceUpdate, MfaPreferenceUpdate>(({ input, signal }) =>
      asSignedInUser(signal, async (accessToken) => {
        const setting = (value: MfaPreferenceUpdate[keyof MfaPreferenceUpdate]): MfaSetting | undefined =>
          value === undefined ? undefined : { enabled: value !== 'DISABLED', preferred: value === 'PREFERRED' };
        const sms = setting(input.sms);
        const totp = setting(input.totp);
        const email = setting(input.email);
        await port.setUserMfaPreference({ accessToken, ...(sms ? { sms } : {}), ...(totp ? { totp } : {}), ...(email ? { email } : {}) }, signal);
        return input; // the chart applies it to what it knows, without another call
      }),
    ),

    getTokensFromRefreshToken: actor<RefreshResult>(async ({ signal }) => {
      const at = guardFor(signal);
      const stored = await loadRefreshable();
      try {
        const refreshed = await port.getTokensFromRefreshToken({ refreshToken: stored.refreshToken }, signal);
        return { user: await saveTokens(refreshed, {}, at, stored) };
      } catch (error) {
        return forgetOnTokenError(error);
      }
    }),

    revokeToken: actor<SignOutResult>(({ signal }) => signOut('revokeToken', signal)),
    globalSignOut: actor<SignOutResult>(({ signal }) => signOut('globalSignOut', signal)),
  };
}
