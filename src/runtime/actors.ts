// The I/O behind the chart's actor slots: Cognito port + token store + SRP + secret vault.
// Every function is the body of one invoked actor; what it returns is free of secrets.
import { fromPromise } from 'xstate';
import type {
  InitiateAuthInput,
  PasswordAuthFlow,
  RefreshResult,
  RespondToAuthChallengeInput,
  SignInResult,
  SignOutResult,
  StoredSessionStatus,
} from '../../machines/signIn.types.js';
import { AuthError, toAuthError } from '../cognito/errors.js';
import type { CognitoAuthResponse, CognitoPort, CognitoTokens } from '../cognito/port.js';
import type { CognitoSrpClient, PasswordVerifierChallenge, SrpEphemeral } from '../cognito/srp.js';
import { stepFromError, stepFromResponse } from '../cognito/steps.js';
import { isFresh, toStoredTokens, userFromTokens, type StoredTokens, type TokenStore } from '../session/tokens.js';
import type { SecretVault } from './secret-vault.js';

/** What PASSWORD_VERIFIER needs from InitiateAuth: kept in the vault, referenced from context. */
export interface PendingSrp {
  readonly password: string;
  readonly ephemeral: SrpEphemeral;
  readonly challenge: PasswordVerifierChallenge;
}

export interface ActorDeps {
  readonly port: CognitoPort;
  readonly tokens: TokenStore;
  readonly srp: CognitoSrpClient;
  readonly vault: SecretVault<PendingSrp>;
  readonly now: () => number;
  /** The app client's AuthSessionValidity, which the client cannot ask Cognito for. */
  readonly authSessionValidityMs: number;
}

interface FlowDetails {
  readonly loginId: string;
  readonly authFlow: PasswordAuthFlow;
}

export function createActorLogic(deps: ActorDeps) {
  const { port, tokens, srp, vault, now } = deps;

  /** Decodes a Cognito answer into the chart's next step, storing tokens or secrets on the way. */
  async function toResult(response: CognitoAuthResponse, typedUsername: string, flow: FlowDetails, password?: string, ephemeral?: SrpEphemeral): Promise<SignInResult> {
    const step = stepFromResponse(response, typedUsername);
    if (step.step === 'DONE') return { step: 'DONE', user: await saveTokens(step.tokens, flow) };

    const issuedAt = now();
    const stamp = { session: step.session, sessionIssuedAt: issuedAt, sessionExpiresAt: issuedAt + deps.authSessionValidityMs, username: step.username };
    if (step.step === 'PASSWORD_VERIFIER') {
      if (password === undefined || ephemeral === undefined) {
        throw new AuthError('UnexpectedChallenge', 'Cognito asked for an SRP proof outside USER_SRP_AUTH');
      }
      const secretRef = vault.put({ password, ephemeral, challenge: step.srp }, deps.authSessionValidityMs);
      return { ...stamp, step: 'PASSWORD_VERIFIER', secretRef };
    }
    return {
      ...stamp,
      step: step.step,
      challenge: { missingAttributes: step.missingAttributes, userAttributes: step.userAttributes },
    };
  }

  async function saveTokens(result: CognitoTokens, flow: { loginId?: string | undefined; authFlow?: string | undefined }, previous?: StoredTokens) {
    const stored = toStoredTokens(result, now(), {
      loginId: flow.loginId ?? previous?.loginId,
      authFlowType: flow.authFlow ?? previous?.authFlowType,
      previousRefreshToken: previous?.refreshToken,
    });
    await tokens.save(stored);
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

  /** A refresh that Cognito refused for good means the stored session is dead: forget it. */
  async function forgetOnTokenError(error: unknown): Promise<never> {
    const authError = toAuthError(error);
    if (authError.category === 'token' || authError.code === 'NotAuthorized') await tokens.clear();
    throw authError;
  }

  async function refreshWithInitiateAuth(signal: AbortSignal): Promise<SignInResult> {
    const stored = await loadRefreshable();
    const claims = userFromTokens(stored);
    try {
      const response = await port.initiateAuth(
        { authFlow: 'REFRESH_TOKEN_AUTH', parameters: { REFRESH_TOKEN: stored.refreshToken }, secretHashUsername: claims.username },
        signal,
      );
      const step = stepFromResponse(response, claims.username);
      if (step.step !== 'DONE') throw new AuthError('UnexpectedChallenge', 'REFRESH_TOKEN_AUTH answered with a challenge');
      return { step: 'DONE', user: await saveTokens(step.tokens, {}, stored) };
    } catch (error) {
      return forgetOnTokenError(error);
    }
  }

  async function initiatePasswordAuth(input: Extract<InitiateAuthInput, { authFlow: PasswordAuthFlow }>, signal: AbortSignal): Promise<SignInResult> {
    const flow = { loginId: input.username, authFlow: input.authFlow };
    try {
      if (input.authFlow === 'USER_PASSWORD_AUTH') {
        const response = await port.initiateAuth(
          { authFlow: 'USER_PASSWORD_AUTH', parameters: { USERNAME: input.username, PASSWORD: input.password } },
          signal,
        );
        return await toResult(response, input.username, flow);
      }
      const ephemeral = await srp.takeEphemeral();
      const response = await port.initiateAuth(
        { authFlow: 'USER_SRP_AUTH', parameters: { USERNAME: input.username, SRP_A: ephemeral.A.toString(16) } },
        signal,
      );
      return await toResult(response, input.username, flow, input.password, ephemeral);
    } catch (error) {
      return stepOrThrow(error, input.username);
    }
  }

  async function respond(input: RespondToAuthChallengeInput, signal: AbortSignal): Promise<SignInResult> {
    if (input.challengeName === 'PASSWORD_VERIFIER') {
      const pending = vault.take(input.secretRef);
      if (!pending) throw new AuthError('SessionExpired', 'This sign-in attempt has expired. Please start again.');
      const claim = await srp.passwordClaim(pending.ephemeral, pending.challenge, pending.password, new Date(now()));
      try {
        const response = await port.respondToAuthChallenge(
          {
            challengeName: 'PASSWORD_VERIFIER',
            session: input.session,
            responses: {
              USERNAME: input.username,
              PASSWORD_CLAIM_SECRET_BLOCK: pending.challenge.secretBlock,
              PASSWORD_CLAIM_SIGNATURE: claim.signature,
              TIMESTAMP: claim.timestamp,
            },
          },
          signal,
        );
        return await toResult(response, input.username, { loginId: input.loginId, authFlow: 'USER_SRP_AUTH' });
      } catch (error) {
        return stepOrThrow(error, input.username);
      }
    }

    const responses: Record<string, string> = { USERNAME: input.username, NEW_PASSWORD: input.newPassword };
    for (const [name, value] of Object.entries(input.attributes)) responses[`userAttributes.${name}`] = value;
    const response = await port
      .respondToAuthChallenge({ challengeName: 'NEW_PASSWORD_REQUIRED', session: input.session, responses }, signal)
      .catch((error: unknown) => Promise.reject(toAuthError(error)));
    return toResult(response, input.username, { loginId: input.loginId, authFlow: input.authFlow });
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
        let accessToken = stored.accessToken;
        if (!isFresh(stored, now()) && stored.refreshToken) {
          accessToken = (await port.getTokensFromRefreshToken({ refreshToken: stored.refreshToken }, signal)).accessToken;
        }
        await port.globalSignOut({ accessToken }, signal);
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
    loadStoredSession: fromPromise<StoredSessionStatus>(async () => {
      const stored = await tokens.load();
      if (!stored) return { status: 'none' };
      if (isFresh(stored, now())) return { status: 'fresh', user: userFromTokens(stored) };
      if (stored.refreshToken) return { status: 'stale' };
      await tokens.clear();
      return { status: 'none' };
    }),

    initiateAuth: fromPromise<SignInResult, InitiateAuthInput>(async ({ input, signal }) =>
      input.authFlow === 'REFRESH_TOKEN_AUTH' ? refreshWithInitiateAuth(signal) : initiatePasswordAuth(input, signal),
    ),

    respondToAuthChallenge: fromPromise<SignInResult, RespondToAuthChallengeInput>(({ input, signal }) => respond(input, signal)),

    getTokensFromRefreshToken: fromPromise<RefreshResult>(async ({ signal }) => {
      const stored = await loadRefreshable();
      try {
        const refreshed = await port.getTokensFromRefreshToken({ refreshToken: stored.refreshToken }, signal);
        return { user: await saveTokens(refreshed, {}, stored) };
      } catch (error) {
        return forgetOnTokenError(error);
      }
    }),

    revokeToken: fromPromise<SignOutResult>(({ signal }) => signOut('revokeToken', signal)),
    globalSignOut: fromPromise<SignOutResult>(({ signal }) => signOut('globalSignOut', signal)),
  };
}
