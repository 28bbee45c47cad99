// What every actor family shares: dependencies, the actor wrapper, token saving and the signed-in user's access token.
import type { AuthUser } from '../../../machines/auth.types.js';
import { AuthError, toAuthError } from '../../cognito/errors.js';
export { actor, type ActorBody } from './actor.js';
import type { CognitoPort, CognitoTokens } from '../../cognito/port.js';
import type { SrpClient } from '../lazy-srp.js';
import type { AttemptStore } from '../../persist/attempts.js';
import { isFresh, toStoredTokens, userFromTokens, type StoredTokens, type TokenStore } from '../../session/tokens.js';
import type { FlowSecrets } from '../attempt-secrets.js';
import type { SecretVault } from '../secret-vault.js';
import type { PasskeyCeremonies } from '../../webauthn/ceremonies.js';
import type { HostedUi } from '../../oauth/redirect.js';
import type { DeviceStore } from '../../session/device-store.js';

export interface ActorDeps {
  readonly port: CognitoPort;
  readonly tokens: TokenStore;
  readonly srp: SrpClient;
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
  readonly attempts?: Pick<AttemptStore, 'status' | 'clear'>;
  /** The passkey prompts (default: the browser's, through @simplewebauthn/browser). */
  readonly passkeys?: PasskeyCeremonies;
  /** The hosted UI (createAuth's `oauth` option), for redirect sign-in: made (and its code loaded) on first use. */
  readonly hostedUi?: () => Promise<HostedUi>;
  /** The hosted-UI callback the app was opened at, if any: checked at start, without loading the hosted UI. */
  readonly pendingCallback?: () => string | null;
  /** Remembered devices (their secrets, in the token storage): without it no DEVICE_KEY is sent and no device confirmed. */
  readonly devices?: DeviceStore;
  /** ConfirmDevice's DeviceName. */
  readonly deviceName?: string;
}

/** Where a call stands when its answer comes: left (aborted), or overtaken by a sign-out (store generation). */
export interface CallGuard {
  readonly signal: AbortSignal;
  readonly generation: number;
}

export function sharedHelpers(deps: ActorDeps) {
  const { port, tokens, now } = deps;
  const guardFor = (signal: AbortSignal): CallGuard => ({ signal, generation: tokens.generation });

  /** Saves tokens Cognito just issued, unless the call was left or a sign-out came first. */
  async function saveTokens(
    result: CognitoTokens,
    flow: { loginId?: string | undefined; authFlow?: string | undefined },
    at: CallGuard,
    previous?: StoredTokens,
  ): Promise<AuthUser> {
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

  /** A call Cognito refused for good means the stored session is dead: forget it. */
  async function forgetOnTokenError(error: unknown): Promise<never> {
    const authError = toAuthError(error);
    if (authError.category === 'token') await tokens.clear();
    throw authError;
  }

  async function loadRefreshable(): Promise<StoredTokens & { refreshToken: string }> {
    const stored = await tokens.load();
    if (!stored?.refreshToken) throw new AuthError('NoStoredSession', 'There is no stored session to refresh.');
    return stored as StoredTokens & { refreshToken: string };
  }

  /** The canonical user name of stored tokens (the device store's key). */
  const usernameOf = (stored: StoredTokens): string => userFromTokens(stored).username;

  /** A refresh token issued to a remembered device is only good with that device's key (as Cognito's clients send it). */
  async function deviceKeyFor(username: string): Promise<string | undefined> {
    return (await deps.devices?.load(username))?.deviceKey;
  }

  async function refreshRequest(stored: StoredTokens & { refreshToken: string }): Promise<{ refreshToken: string; deviceKey?: string }> {
    const deviceKey = await deviceKeyFor(usernameOf(stored));
    return { refreshToken: stored.refreshToken, ...(deviceKey === undefined ? {} : { deviceKey }) };
  }

  /** A valid access token for the signed-in user's own operations, refreshed when stale. */
  async function accessToken(signal: AbortSignal): Promise<string> {
    const at = guardFor(signal);
    const stored = await tokens.load();
    if (!stored) throw new AuthError('NoStoredSession', 'Not signed in.');
    if (isFresh(stored, now()) || !stored.refreshToken) return stored.accessToken;
    const refreshable = stored as StoredTokens & { refreshToken: string };
    const refreshed = await port.getTokensFromRefreshToken(await refreshRequest(refreshable), signal).catch(forgetOnTokenError);
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

  return { guardFor, saveTokens, forgetOnTokenError, loadRefreshable, asSignedInUser, deviceKeyFor, refreshRequest, usernameOf };
}

export type SharedHelpers = ReturnType<typeof sharedHelpers>;
