// Before a terminal sign-in: is there a pool at the endpoint, and does it have the user pool and app client asked
// for? Without this, a stopped pool shows up as "Cannot reach the sign-in service" and a wrong user pool id as
// "Incorrect username or password" (SRP mixes the pool id into the password proof, so Cognito cannot tell).

/** Where the CLI looks when --endpoint is not given. */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:9229';

/** The default --endpoint: $AUTHCHART_ENDPOINT, else the local pool npm start runs. */
export function defaultEndpoint(): string {
  return process.env['AUTHCHART_ENDPOINT'] || DEFAULT_ENDPOINT;
}

export interface PoolTarget {
  readonly endpoint: string;
  readonly userPoolId: string;
  readonly clientId: string;
}

const TIMEOUT_MS = 5000;

/** null when the target looks right (or is not a local pool, which the CLI cannot inspect); else what is wrong and what to do. */
export async function checkTarget(target: PoolTarget): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(target.endpoint);
  } catch {
    return `--endpoint ${target.endpoint} is not a URL (for example ${DEFAULT_ENDPOINT})`;
  }
  const base = url.href.replace(/\/$/, '');
  let health: Response;
  try {
    health = await fetch(`${base}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    return isLocal(url)
      ? `no local pool at ${base} — start it with npm start (or authchart pool), or pass --endpoint`
      : `nothing answers at ${base} — check --endpoint`;
  }
  // Real Cognito (or a proxy) has no /health: the CLI cannot list its pools without AWS credentials.
  if (!health.ok) return null;
  const pool = await call(base, 'DescribeUserPool', { UserPoolId: target.userPoolId });
  if (pool.__type === 'ResourceNotFoundException') {
    const ids = ((await call(base, 'ListUserPools', { MaxResults: 60 })).UserPools as Array<{ Id: string }> | undefined ?? []).map((p) => p.Id);
    return `no user pool ${target.userPoolId} at ${base} (it has ${ids.length > 0 ? ids.join(', ') : 'none; start it with --seed or npm start'}) — pass --user-pool-id`;
  }
  const client = await call(base, 'DescribeUserPoolClient', { UserPoolId: target.userPoolId, ClientId: target.clientId });
  if (client.__type === 'ResourceNotFoundException') {
    const clients = await call(base, 'ListUserPoolClients', { UserPoolId: target.userPoolId, MaxResults: 60 });
    const ids = ((clients.UserPoolClients as Array<{ ClientId: string }> | undefined) ?? []).map((c) => c.ClientId);
    return `no app client ${target.clientId} in user pool ${target.userPoolId} at ${base} (it has ${ids.length > 0 ? ids.join(', ') : 'none'}) — pass --client-id`;
  }
  return null;
}

function isLocal(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** One call of the pool's JSON 1.1 API; the parsed body (errors carry __type). */
async function call(base: string, operation: string, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(base, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const parsed = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  // Cognito's __type may carry a namespace ("…#ResourceNotFoundException").
  if (typeof parsed['__type'] === 'string') parsed['__type'] = parsed['__type'].split('#').pop();
  return parsed;
}
