// Hosted-UI actors: the browser sent to /oauth2/authorize, and the code it brings back exchanged for tokens (src/oauth).
import type { AuthUser, RedirectInput } from '../../../machines/auth.types.js';
import { AuthError } from '../../cognito/errors.js';
import { actor, type ActorDeps, type SharedHelpers } from './shared.js';

export function redirectActors(deps: ActorDeps, shared: SharedHelpers) {
  const ui = () => {
    if (!deps.hostedUi) throw new AuthError('RedirectNotConfigured', 'createAuth({ oauth }) is not set: no hosted UI to sign in through');
    return deps.hostedUi();
  };
  return {
    authorize: actor<void, RedirectInput>(async ({ input }) => (await ui()).start(input)),
    exchangeAuthorizationCode: actor<{ user: AuthUser; customState: string | null }, { callbackUrl: string }>(async ({ input, signal }) => {
      const at = shared.guardFor(signal);
      const { tokens, customState } = await (await ui()).finish(input.callbackUrl, signal);
      return { user: await shared.saveTokens(tokens, { authFlow: 'HOSTED_UI' }, at), customState };
    }),
  };
}
