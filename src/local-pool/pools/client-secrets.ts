// Client secret rotation: a confidential app client has one or two active secrets (the JSON column
// app_clients.secrets of migration 14), and every check of a client secret accepts any of them.
// app_clients.secret stays the oldest active one: DescribeUserPoolClient shows it, and the pool's own
// pages compute SECRET_HASH with it. Each change is one guarded UPDATE, so two concurrent Adds can
// never leave three secrets, and two Deletes never leave none.
import { safeEqual, secretHash } from '../crypto/secrets.js';
import { CognitoError, Errors } from '../api/errors.js';
import type { ClientConfig, ClientRecord, ClientSecretRecord } from '../store/model.js';
import type { Store } from '../store/store.js';
import { inHostedSignIn } from '../triggers/hosted-sign-in.js';

/** How many secrets a client may have at once (Cognito's limit, for rotation without downtime). */
export const MAX_CLIENT_SECRETS = 2;

export const CLIENT_TOKEN_FLOW = 'ALLOW_CLIENT_TOKEN_AUTH';
/** The one flow Cognito lets stand beside ALLOW_CLIENT_TOKEN_AUTH. */
const REFRESH_FLOW = 'ALLOW_REFRESH_TOKEN_AUTH';

/** ClientSecretId: `<client id>--<creation time>`, epoch milliseconds here. */
export const clientSecretId = (clientId: string, createdAt: number): string => `${clientId}--${createdAt}`;

// Which secret a request proved, per client record it read: where it grants tokens after awaits it
// checks that secret is still active (requireStillProven), as a rotation may have deleted it meanwhile.
const provenWith = new WeakMap<ClientRecord, string>();

/** The active secret `matches` accepts (every one is tried, so the time does not tell which), remembered for `client`. */
function proveWith(client: ClientRecord, matches: (secret: string) => boolean): boolean {
  let proven: string | undefined;
  for (const active of activeSecrets(client)) if (matches(active) && proven === undefined) proven = active;
  if (proven !== undefined) provenWith.set(client, proven);
  return proven !== undefined;
}

/** Whether `given` is one of the client's active secrets (compared in constant time each). */
export const acceptsClientSecret = (client: ClientRecord, given: string): boolean => proveWith(client, (active) => safeEqual(given, active));

/** A SECRET_HASH computed with any active secret of the client. */
export const acceptsSecretHash = (client: ClientRecord, username: string, given: string): boolean =>
  proveWith(client, (active) => safeEqual(given, secretHash(active, username, client.id)));

/**
 * Where a request grants (tokens, a rotated refresh token) after an await: the client as stored now
 * still exists and still has the secret the request proved. Synchronous, to run with the write.
 */
export function requireStillProven(store: Store, client: ClientRecord): void {
  const current = store.getClient(client.id);
  if (!current || current.poolId !== client.poolId) throw Errors.clientNotFound(client.id);
  const secret = provenWith.get(client);
  // A hosted-UI page signs in as the client with the secret it read itself (Cognito's pages need none): a
  // rotation meanwhile must not refuse its user. The app's code exchange proves its own secret later.
  if (secret !== undefined && !inHostedSignIn() && !activeSecrets(current).includes(secret)) throw Errors.secretHashMismatch(client.id);
}

/** A raw ClientSecret member (GetTokensFromRefreshToken, RevokeToken, GetClientToken): required of a client with secrets. */
export function checkClientSecret(client: ClientRecord, given: string | undefined): void {
  if (client.secret === null) return;
  if (given === undefined) throw Errors.secretNotReceived(client.id);
  if (!acceptsClientSecret(client, given)) throw Errors.secretHashMismatch(client.id);
}

/** A record written before migration 11 (or built by hand) may have only `secret`. */
const activeSecrets = (client: ClientRecord): string[] =>
  client.secrets.length > 0 ? client.secrets.map((s) => s.secret) : client.secret === null ? [] : [client.secret];

/**
 * ALLOW_CLIENT_TOKEN_AUTH (GetClientToken) is for machine-to-machine clients only: it needs a secret
 * and is the only authentication flow, ALLOW_REFRESH_TOKEN_AUTH aside.
 */
export function checkClientTokenFlow(config: ClientConfig, hasSecret: boolean): void {
  const flows = config.ExplicitAuthFlows;
  if (!flows.includes(CLIENT_TOKEN_FLOW)) return;
  const others = flows.filter((flow) => flow !== CLIENT_TOKEN_FLOW && flow !== REFRESH_FLOW);
  if (others.length > 0) {
    throw Errors.invalidParameter(`${CLIENT_TOKEN_FLOW} cannot be combined with other authentication flows: ${others.join(', ')}.`);
  }
  if (!hasSecret) throw Errors.invalidParameter(`${CLIENT_TOKEN_FLOW} requires an app client with a client secret.`);
}

export const notConfidential = (clientId: string) =>
  Errors.invalidParameter(`App client ${clientId} has no client secret: only a confidential client has secrets to manage.`);

export type AddSecretOutcome = { added: ClientSecretRecord } | { refused: 'no-client' | 'public' | 'limit' | 'duplicate' };
export type DeleteSecretOutcome = { deleted: true } | { refused: 'no-client' | 'public' | 'unknown' | 'last' };

/** The guarded statements on app_clients.secrets; the Store prepares each once. */
export class ClientSecretStore {
  constructor(private readonly store: Store) {}

  /**
   * Appends a secret if the client is confidential, has fewer than MAX_CLIENT_SECRETS and does not
   * have this value or id already: one statement, so concurrent Adds cannot pass the limit.
   */
  add(clientId: string, secret: string, now: number): AddSecretOutcome {
    return this.store.transaction((): AddSecretOutcome => {
      const current = this.store.getClient(clientId);
      if (!current) return { refused: 'no-client' };
      // A second secret made in the same millisecond as the first still gets an id of its own.
      let createdAt = now;
      while (current.secrets.some((s) => s.id === clientSecretId(clientId, createdAt))) createdAt++;
      const added: ClientSecretRecord = { id: clientSecretId(clientId, createdAt), secret, createdAt };
      const changes = this.store
        .prepare(
          `UPDATE app_clients SET secrets = json_insert(secrets, '$[#]', json(?))
            WHERE id = ? AND secrets IS NOT NULL AND json_array_length(secrets) < ?
              AND NOT EXISTS (SELECT 1 FROM json_each(app_clients.secrets)
                               WHERE json_extract(value, '$.secret') = ? OR json_extract(value, '$.id') = ?)`,
        )
        .run(JSON.stringify(added), clientId, MAX_CLIENT_SECRETS, secret, added.id).changes;
      if (changes === 1) return { added };
      if (current.secret === null) return { refused: 'public' };
      if (current.secrets.some((s) => s.secret === secret)) return { refused: 'duplicate' };
      return { refused: 'limit' };
    });
  }

  /** Removes a secret unless it is the client's last; app_clients.secret becomes the oldest one left. */
  delete(clientId: string, secretId: string): DeleteSecretOutcome {
    return this.store.transaction((): DeleteSecretOutcome => {
      const changes = this.store
        .prepare(
          `UPDATE app_clients
              SET secrets = (SELECT json_group_array(json(value)) FROM
                               (SELECT value FROM json_each(app_clients.secrets) WHERE json_extract(value, '$.id') <> ? ORDER BY key)),
                  secret = (SELECT json_extract(value, '$.secret') FROM json_each(app_clients.secrets)
                             WHERE json_extract(value, '$.id') <> ? ORDER BY key LIMIT 1)
            WHERE id = ? AND secrets IS NOT NULL AND json_array_length(secrets) > 1
              AND EXISTS (SELECT 1 FROM json_each(app_clients.secrets) WHERE json_extract(value, '$.id') = ?)`,
        )
        .run(secretId, secretId, clientId, secretId).changes;
      if (changes === 1) return { deleted: true };
      const current = this.store.getClient(clientId);
      if (!current) return { refused: 'no-client' };
      if (current.secret === null) return { refused: 'public' };
      if (!current.secrets.some((s) => s.id === secretId)) return { refused: 'unknown' };
      return { refused: 'last' };
    });
  }
}

const stores = new WeakMap<Store, ClientSecretStore>();

export function clientSecretStoreOf(store: Store): ClientSecretStore {
  let secrets = stores.get(store);
  if (!secrets) stores.set(store, (secrets = new ClientSecretStore(store)));
  return secrets;
}

export const secretLimitExceeded = () =>
  new CognitoError('LimitExceededException', `An app client can have at most ${MAX_CLIENT_SECRETS} client secrets; delete one first.`);
