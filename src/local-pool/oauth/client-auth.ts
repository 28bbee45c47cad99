// Who calls the token and revocation endpoints: client_secret_basic (Authorization: Basic), or
// client_secret_post (client_id and client_secret in the form), or a public client naming itself.
import type { IncomingMessage } from 'node:http';
import type { PoolContext } from '../context.js';
import { acceptsClientSecret } from '../pools/client-secrets.js';
import type { ClientRecord } from '../store/model.js';
import type { DomainRecord } from './oauth-store.js';

/** An OAuth error answer: the `error` code, the status, and what the pool log says about it. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

/** Form-encoded, then base64 (RFC 6749 2.3.1); a client that sent the raw id and secret is read as well. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function basicCredentials(req: IncomingMessage): { id: string; secret: string } | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  const text = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const colon = text.indexOf(':');
  if (colon < 0) throw new OAuthError('invalid_client', 'The Authorization header is not Basic client_id:client_secret.', 401, { 'WWW-Authenticate': 'Basic' });
  return { id: decodePart(text.slice(0, colon)), secret: decodePart(text.slice(colon + 1)) };
}

/** The calling app client of this domain's pool, authenticated as its secret requires. */
export function authenticateClient(ctx: PoolContext, domain: DomainRecord, req: IncomingMessage, form: URLSearchParams): ClientRecord {
  const basic = basicCredentials(req);
  const formId = form.get('client_id');
  const formSecret = form.get('client_secret');
  if (basic && formSecret !== null) throw new OAuthError('invalid_request', 'Use one client authentication method, not both Basic and client_secret.');
  if (basic && formId !== null && formId !== basic.id) throw new OAuthError('invalid_request', 'client_id differs from the client of the Authorization header.');
  const id = basic?.id ?? formId;
  const unauthorized = (reason: string) => new OAuthError('invalid_client', reason, basic ? 401 : 400, basic ? { 'WWW-Authenticate': 'Basic' } : {});
  if (!id) throw unauthorized('client_id is required.');
  const client = ctx.store.getClient(id);
  if (!client || client.poolId !== domain.poolId) throw unauthorized(`No app client ${id} in the user pool of this domain.`);
  const secret = basic?.secret ?? formSecret;
  if (client.secret === null) {
    if (secret !== null && secret !== '') throw unauthorized(`App client ${id} has no secret.`);
    return client;
  }
  if (secret === null) throw unauthorized(`App client ${id} has a secret: authenticate with client_secret_basic or client_secret_post.`);
  if (!acceptsClientSecret(client, secret)) throw unauthorized(`Wrong client secret for app client ${id}.`);
  return client;
}
