// The demo seed is written for a pool on 127.0.0.1:9229 (the demo client's callback and sign-out URLs,
// the stand-in providers next to it). A pool started on another port (--port 0 in tests, --port 9339
// when 9229 is taken) makes those true again at start: the seed clients' loopback URLs of port 9229
// are also registered on the pool's own port, and each seed identity provider is pointed at the
// stand-in that actually runs for it (which then takes a free port, see stand-ins.ts).
import type { LocalPool, SeedDocument } from '../local-pool/index.js';

/** The port the demo seed's URLs name (the CLI's default). */
export const SEED_PORT = 9229;

async function call(pool: LocalPool, operation: string, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(pool.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${operation}: ${String(answer['__type'])}: ${String(answer['message'])}`);
  return answer;
}

/** The URL on the pool's port when `url` is a loopback URL of the seed's port. */
function onPoolPort(url: string, port: number): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' || !['127.0.0.1', 'localhost'].includes(parsed.hostname) || parsed.port !== String(SEED_PORT)) return undefined;
  parsed.port = String(port);
  return parsed.toString();
}

/** Adds the pool-port twins of the seed clients' 9229 callback and sign-out URLs; the client names that changed. */
export async function registerPoolOrigin(pool: LocalPool, seed: SeedDocument): Promise<string[]> {
  if (pool.port === SEED_PORT) return [];
  const changed: string[] = [];
  for (const seedPool of seed.pools ?? []) {
    for (const seedClient of seedPool.clients ?? []) {
      if (!seedClient.id) continue;
      const described = (await call(pool, 'DescribeUserPoolClient', { UserPoolId: seedPool.id, ClientId: seedClient.id }))['UserPoolClient'] as Record<string, unknown>;
      const withTwins = (member: string) => {
        const urls = (described[member] as string[] | undefined) ?? [];
        const twins = urls.map((url) => onPoolPort(url, pool.port)).filter((url): url is string => url !== undefined && !urls.includes(url));
        return twins.length > 0 ? [...urls, ...new Set(twins)] : undefined;
      };
      const callbacks = withTwins('CallbackURLs');
      const logouts = withTwins('LogoutURLs');
      if (!callbacks && !logouts) continue;
      // UpdateUserPoolClient resets what it is not given: the client as described, with the URLs added.
      const { ClientSecret: _secret, CreationDate: _created, LastModifiedDate: _modified, ...settings } = described;
      await call(pool, 'UpdateUserPoolClient', { ...settings, ...(callbacks ? { CallbackURLs: callbacks } : {}), ...(logouts ? { LogoutURLs: logouts } : {}) });
      changed.push(String(described['ClientName'] ?? seedClient.id));
    }
  }
  return changed;
}

export interface StartedStandIn {
  poolId: string;
  providerName: string;
  issuer: string;
}

/** Points each identity provider at the issuer of its running stand-in, where it names another one. */
export async function pointProvidersAtStandIns(pool: LocalPool, started: readonly StartedStandIn[]): Promise<void> {
  for (const { poolId, providerName, issuer } of started) {
    const provider = (await call(pool, 'DescribeIdentityProvider', { UserPoolId: poolId, ProviderName: providerName }))['IdentityProvider'] as { ProviderDetails?: Record<string, string> };
    if (provider.ProviderDetails?.['oidc_issuer'] === issuer) continue;
    await call(pool, 'UpdateIdentityProvider', { UserPoolId: poolId, ProviderName: providerName, ProviderDetails: { oidc_issuer: issuer } });
  }
}
