// `authchart pool` runs the stand-in upstream providers a seed asks for (identityProviders[].standIn),
// each at its provider's oidc_issuer (on a free port instead when the pool is not on the seed's port,
// the provider then pointed there: pool-origin.ts), registered for the pool's /oauth2/idpresponse as
// it is reached (127.0.0.1 and localhost, path and Host forms). oidc-provider is loaded only when one
// is asked for.
import type { LocalPool, SeedDocument } from '../local-pool/index.js';
import { SEED_PORT, type StartedStandIn } from './pool-origin.js';
import type { StandInProvider } from './stand-in-provider.js';

export interface RunningStandIns {
  /** Summary lines (what runs where, and its users). */
  lines: string[];
  /** Where each runs, for its identity provider. */
  started: StartedStandIn[];
  close(): Promise<void>;
}

/** The idpresponse URLs of a domain on this pool, every way a browser may reach it. */
function idpResponseUrls(pool: LocalPool, domain: string): string[] {
  const hosts = [`127.0.0.1:${pool.port}`, `localhost:${pool.port}`, new URL(pool.url).host];
  return [...new Set([
    ...hosts.map((host) => `http://${host}/_domain/${domain}/oauth2/idpresponse`),
    `http://${domain}.auth.localhost:${pool.port}/oauth2/idpresponse`,
  ])];
}

export const seedHasStandIns = (seed: SeedDocument | undefined): boolean =>
  (seed?.pools ?? []).some((p) => (p.identityProviders ?? []).some((idp) => idp.standIn !== undefined));

export async function startSeedStandIns(pool: LocalPool, seed: SeedDocument | undefined, warn: (line: string) => void): Promise<RunningStandIns> {
  const wanted = (seed?.pools ?? []).flatMap((p) => (p.identityProviders ?? []).filter((idp) => idp.standIn).map((idp) => ({ pool: p, idp })));
  const running: StandInProvider[] = [];
  const lines: string[] = [];
  const started: StartedStandIn[] = [];
  if (wanted.length === 0) return { lines, started, close: async () => {} };
  let startStandInProvider: typeof import('./stand-in-provider.js').startStandInProvider;
  try {
    ({ startStandInProvider } = await import('./stand-in-provider.js'));
  } catch (error) {
    warn(`no stand-in providers: ${(error as Error).message}`);
    return { lines, started, close: async () => {} };
  }
  for (const { pool: seedPool, idp } of wanted) {
    const issuer = new URL(idp.details['oidc_issuer'] ?? '');
    if (!seedPool.domain) {
      warn(`stand-in for ${idp.name} not started: pool ${seedPool.id} has no domain`);
      continue;
    }
    try {
      const provider = await startStandInProvider({
        host: issuer.hostname.replace(/^\[|\]$/g, ''),
        port: pool.port === SEED_PORT ? Number(issuer.port) : 0,
        name: idp.standIn!.name ?? `${idp.name} (stand-in)`,
        clients: [{ clientId: idp.details['client_id'] ?? '', clientSecret: idp.details['client_secret'] ?? '', redirectUris: idpResponseUrls(pool, seedPool.domain) }],
        users: idp.standIn!.users,
      });
      running.push(provider);
      started.push({ poolId: seedPool.id, providerName: idp.name, issuer: provider.issuer });
      lines.push(`  stand-in   ${idp.name} at ${provider.issuer}   (oidc-provider; "Continue with ${idp.name}" signs in there)`);
      for (const user of idp.standIn!.users) lines.push(`    ${user.username.padEnd(10)} ${user.password.padEnd(16)} ${user.description ?? ''}`);
    } catch (error) {
      warn(`stand-in for ${idp.name} not started at ${issuer.origin}: ${(error as Error).message}`);
    }
  }
  return { lines, started, close: async () => void (await Promise.all(running.map((p) => p.close()))) };
}
