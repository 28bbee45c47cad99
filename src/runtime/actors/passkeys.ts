// Passkey actors: the browser's prompts (src/webauthn) and Cognito's WebAuthn operations for the signed-in user.
import type { PasskeyCredential, PasskeyRequest } from '../../../machines/auth.types.js';
import { AuthError } from '../../cognito/errors.js';
import { browserPasskeys } from '../../webauthn/passkeys.js';
import { actor, type ActorDeps, type SharedHelpers } from './shared.js';

type Page = { credentials: readonly PasskeyCredential[]; nextToken: string | null; page: 'first' | 'next' };

export function passkeyActors(deps: ActorDeps, shared: SharedHelpers) {
  const { port } = deps;
  const ceremonies = deps.passkeys ?? browserPasskeys();

  return {
    getPasskeyCredential: actor<{ credential: string }, { request: PasskeyRequest; conditional?: boolean }>(async ({ input, signal }) => {
      if (!input.request.challenge) throw new AuthError('UnexpectedResponse', 'WEB_AUTHN without request options');
      return { credential: await ceremonies.get(input.request, signal, { conditional: input.conditional === true }) };
    }),

    startWebAuthnRegistration: actor<{ creationOptions: Readonly<Record<string, unknown>> }>(({ signal }) =>
      shared.asSignedInUser(signal, async (accessToken) => ({
        creationOptions: (await port.startWebAuthnRegistration({ accessToken }, signal)).credentialCreationOptions,
      })),
    ),

    createPasskey: actor<{ credential: string }, { creationOptions: Readonly<Record<string, unknown>> }>(async ({ input, signal }) => ({
      credential: await ceremonies.create(input.creationOptions, signal),
    })),

    completeWebAuthnRegistration: actor<void, { credential: string }>(({ input, signal }) =>
      shared.asSignedInUser(signal, (accessToken) =>
        port.completeWebAuthnRegistration({ accessToken, credential: JSON.parse(input.credential) as Record<string, unknown> }, signal),
      ),
    ),

    listWebAuthnCredentials: actor<Page, { nextToken: string | null; pageSize: number | null }>(({ input, signal }) =>
      shared.asSignedInUser(signal, async (accessToken) => {
        const page = { ...(input.nextToken ? { nextToken: input.nextToken } : {}), ...(input.pageSize ? { maxResults: input.pageSize } : {}) };
        const output = await port.listWebAuthnCredentials({ accessToken, ...page }, signal);
        return {
          credentials: output.credentials.map((c) => ({
            credentialId: c.credentialId,
            friendlyName: c.friendlyName || null,
            relyingPartyId: c.relyingPartyId,
            authenticatorAttachment: c.authenticatorAttachment ?? null,
            transports: c.transports ?? [],
            createdAt: c.createdAt.getTime(),
          })),
          nextToken: output.nextToken ?? null,
          page: input.nextToken ? 'next' : 'first',
        };
      }),
    ),

    deleteWebAuthnCredential: actor<{ credentialId: string }, { credentialId: string }>(({ input, signal }) =>
      shared.asSignedInUser(signal, async (accessToken) => {
        await port.deleteWebAuthnCredential({ accessToken, credentialId: input.credentialId }, signal);
        return { credentialId: input.credentialId };
      }),
    ),
  };
}
