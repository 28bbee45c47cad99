// Session actors: refreshing tokens, signing out (restoring the stored session at start is restore.ts).
import type { RefreshResult, SignInResult, SignOutResult } from '../../../machines/auth.types.js';
import { AuthError, toAuthError } from '../../cognito/errors.js';
import { refreshTokenAuthRequest } from '../../cognito/requests.js';
import { stepFromResponse } from '../../cognito/steps.js';
import { untilStored, withTabLock } from '../../session/tabs.js';
import { endLocally, isFresh, userFromTokens, type StoredTokens } from '../../session/tokens.js';
import { actor, type ActorDeps, type SharedHelpers } from './shared.js';

export function sessionActors(deps: ActorDeps, shared: SharedHelpers) {
  const { port, tokens, now } = deps;

  async function refreshWithInitiateAuth(signal: AbortSignal): Promise<SignInResult> {
    const at = shared.guardFor(signal);
    const stored = await shared.loadRefreshable();
    const claims = userFromTokens(stored);
    try {
      const response = await port.initiateAuth(refreshTokenAuthRequest(stored.refreshToken, claims.username, await shared.deviceKeyFor(claims.username)), signal);
      const step = stepFromResponse(response, claims.username);
      if (step.step !== 'DONE') throw new AuthError('UnexpectedChallenge', 'REFRESH_TOKEN_AUTH answered with a challenge');
      return { step: 'DONE', user: await shared.saveTokens(step.tokens, {}, at, stored) };
    } catch (error) {
      return shared.forgetOnTokenError(error);
    }
  }

  /** A hosted-UI sign-in also ends at /logout, or the hosted UI signs the user straight back in (as Cognito expects). */
  async function endHostedUiSession(authFlowType: string | undefined): Promise<void> {
    const ui = authFlowType === 'HOSTED_UI' ? await deps.hostedUi?.() : undefined;
    const logout = ui?.logoutUrl();
    if (logout) await ui!.navigate(logout);
  }

  async function signOut(kind: 'revokeToken' | 'globalSignOut', signal: AbortSignal, endedLocally?: Promise<StoredTokens | null>): Promise<SignOutResult> {
    // Local state goes first: a sign-out must work offline (createAuth's instances end it when the chart invokes this).
    const stored = endedLocally ? await endedLocally : await endLocally(tokens);
    if (!stored) return { warning: null };
    try {
      if (kind === 'revokeToken') {
        if (stored.refreshToken) await port.revokeToken({ refreshToken: stored.refreshToken }, signal);
      } else {
        let token = stored.accessToken;
        if (!isFresh(stored, now()) && stored.refreshToken) {
          token = (await port.getTokensFromRefreshToken(await shared.refreshRequest({ ...stored, refreshToken: stored.refreshToken }), signal)).accessToken;
        }
        await port.globalSignOut({ accessToken: token }, signal);
      }
      await endHostedUiSession(stored.authFlowType);
      return { warning: null };
    } catch (error) {
      const authError = toAuthError(error);
      // Revocation turned off for the client, or tokens already dead: the user is signed out all the same.
      if (authError.code === 'UnsupportedOperation' || authError.category === 'token') return { warning: null };
      return { warning: new AuthError('SignOutIncomplete', authError.message, { cause: authError }).toJSON() };
    }
  }

  return {
    refreshWithInitiateAuth,

    // One refresh at a time across the tabs sharing the store: a tab that waited for another's refresh uses its tokens.
    getTokensFromRefreshToken: actor<RefreshResult>(async ({ signal, accessTokenAtInvoke }) => {
      const before = accessTokenAtInvoke ? await accessTokenAtInvoke : (await tokens.load())?.accessToken;
      return withTabLock(`authchart.refresh.${port.clientId}`, async (waited) => {
        // The tab that held the lock saved its tokens before letting go; give them the moment they take to
        // arrive here (all of them: the expiry comes last).
        if (waited) {
          await untilStored(async () => {
            const seen = await tokens.load();
            return seen !== null && seen.accessToken !== before && isFresh(seen, now());
          });
        }
        const at = shared.guardFor(signal);
        const stored = await shared.loadRefreshable();
        if (stored.accessToken !== before && isFresh(stored, now())) return { user: userFromTokens(stored) };
        try {
          const refreshed = await port.getTokensFromRefreshToken(await shared.refreshRequest(stored), signal);
          return { user: await shared.saveTokens(refreshed, {}, at, stored) };
        } catch (error) {
          return shared.forgetOnTokenError(error);
        }
      });
    }),

    revokeToken: actor<SignOutResult>(({ signal, endedLocally }) => signOut('revokeToken', signal, endedLocally)),
    globalSignOut: actor<SignOutResult>(({ signal, endedLocally }) => signOut('globalSignOut', signal, endedLocally)),
  };
}
