// The hosted UI's part of a seed pool: its domain, identity providers and resource servers, added when missing (as the
// rest of the seed is). A provider may name a stand-in upstream provider for `authchart pool` to run.
import type { PoolContext } from '../context.js';
import type { PoolRecord } from '../store/model.js';
import { CognitoError } from '../api/errors.js';
import { oauthStore } from './context.js';
import { createProvider } from './identity-providers.js';
import { createDomain } from './domains.js';
import { resourceServerStoreOf } from './resource-server-store.js';
import { createResourceServer } from './resource-servers.js';

export interface SeedStandIn {
  /** Shown on its sign-in page. */
  name?: string;
  /** Its users: username and password, the provider's sub, and the claims it gives. */
  users: Array<{ username: string; password: string; sub?: string; claims?: Record<string, unknown>; description?: string }>;
}

export interface SeedIdentityProvider {
  /** ProviderName (Google, or any name for OIDC). */
  name: string;
  /** ProviderType: OIDC, Google, Facebook, LoginWithAmazon, SignInWithApple. */
  type: string;
  /** ProviderDetails (client_id, client_secret, authorize_scopes, oidc_issuer ...). */
  details: Record<string, string>;
  attributeMapping?: Record<string, string>;
  idpIdentifiers?: string[];
  /**
   * `authchart pool` runs a stand-in OpenID provider (oidc-provider) at details.oidc_issuer (an
   * http://127.0.0.1:PORT URL) with these users, registered for details.client_id / client_secret.
   */
  standIn?: SeedStandIn;
}

export interface SeedResourceServer {
  /** Identifier: the first part of its scopes' names (`<identifier>/<scope>`). */
  identifier: string;
  name: string;
  scopes?: Array<{ name: string; description: string }>;
}

export interface SeedHostedUi {
  /** A prefix domain for the pool's hosted UI (CreateUserPoolDomain). */
  domain?: string;
  identityProviders?: SeedIdentityProvider[];
  /** Created when the pool has no server of the identifier (an existing one is left as it is). */
  resourceServers?: SeedResourceServer[];
}

/**
 * Adds the pool's domain, identity providers and resource servers that are not there yet (before its clients, which
 * name them). `undo` gets a step per thing added, for a seed that fails after this transaction (applySeedInChunks).
 */
export function seedHostedUi(ctx: PoolContext, pool: PoolRecord, seed: SeedHostedUi, where: string, undo: Array<() => void> = []): void {
  const store = oauthStore(ctx);
  try {
    if (seed.domain !== undefined && !store.getDomain(seed.domain)) {
      createDomain(ctx, { UserPoolId: pool.id, Domain: seed.domain });
      const domain = seed.domain;
      undo.push(() => store.deleteDomain(domain));
    }
    for (const provider of seed.identityProviders ?? []) {
      if (store.getProvider(pool.id, provider.name)) continue;
      createProvider(ctx, pool.id, {
        name: provider.name,
        type: provider.type,
        details: provider.details,
        ...(provider.attributeMapping ? { mapping: provider.attributeMapping } : {}),
        ...(provider.idpIdentifiers ? { identifiers: provider.idpIdentifiers } : {}),
      });
      undo.push(() => {
        store.deleteLinksOfProvider(pool.id, provider.name);
        store.deleteProvider(pool.id, provider.name);
      });
    }
    if (seed.resourceServers !== undefined && !Array.isArray(seed.resourceServers)) throw new Error(`seed: ${where}: "resourceServers" must be a list`);
    for (const server of seed.resourceServers ?? []) {
      if (typeof server?.identifier === 'string' && resourceServerStoreOf(ctx.store).get(pool.id, server.identifier)) continue;
      const scopes = Array.isArray(server?.scopes) ? server.scopes.map((scope) => ({ ScopeName: scope?.name, ScopeDescription: scope?.description })) : server?.scopes;
      createResourceServer(ctx, { UserPoolId: pool.id, Identifier: server?.identifier, Name: server?.name, Scopes: scopes });
      undo.push(() => resourceServerStoreOf(ctx.store).delete(pool.id, server.identifier));
    }
  } catch (error) {
    if (error instanceof CognitoError) throw new Error(`seed: ${where}: ${error.message}`);
    throw error;
  }
}
