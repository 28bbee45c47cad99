// GetClientToken (a machine-to-machine access token through the API, for ALLOW_CLIENT_TOKEN_AUTH
// clients) and AddUserPoolClientSecret / ListUserPoolClientSecrets / DeleteUserPoolClientSecret
// (up to two active secrets a confidential client, for rotation). The rules are in pools/client-secrets.ts.
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import { CognitoError, Errors } from '../errors.js';
import type { ClientRecord, ClientSecretRecord } from '../../store/model.js';
import { newClientSecret } from '../../crypto/secrets.js';
import { requireClient, requireClientOfPool } from '../../flows/sign-in.js';
import { allowedCustomScopes } from '../../oauth/token-endpoint.js';
import { machineTokenGeneration } from '../../triggers/pre-token.js';
import { ResourceServerRules } from '../../oauth/resource-servers.js';
import {
  CLIENT_TOKEN_FLOW,
  checkClientSecret,
  clientSecretStoreOf,
  notConfidential,
  secretLimitExceeded,
} from '../../pools/client-secrets.js';
import { Rules, Validator, type StringRule } from '../validation.js';

const epochSeconds = (ms: number): number => Math.floor(ms / 1000);

/** ClientSecretIdType: `<client id>--<epoch>`. */
const secretIdRule: StringRule = { min: 1, max: 200, pattern: /^[\w+]+--\d+$/, patternText: '[\\w+]+--\\d+' };
/** A custom scope `<identifier>/<scope>` (ScopeType). */
const scopeRule: StringRule = { min: 1, max: 256, pattern: ResourceServerRules.identifier.pattern, patternText: ResourceServerRules.identifier.patternText };

const describeSecret = (secret: ClientSecretRecord, withValue: boolean) => ({
  ClientSecretId: secret.id,
  ...(withValue ? { ClientSecretValue: secret.secret } : {}),
  ClientSecretCreateDate: epochSeconds(secret.createdAt),
});

/** The custom scopes GetClientToken grants: those asked for, or (none asked) all the client is allowed. */
function clientTokenScopes(ctx: PoolContext, client: ClientRecord, asked: string[] | undefined): string[] {
  const allowed = allowedCustomScopes(ctx, client);
  const scopes = asked === undefined || asked.length === 0 ? allowed : [...new Set(asked)];
  const refused = scopes.find((scope) => !allowed.includes(scope));
  if (refused !== undefined) throw Errors.invalidParameter(`Invalid scope requested: ${refused}`);
  if (scopes.length === 0) throw Errors.invalidParameter(`App client ${client.id} is allowed no custom scope of a resource server in its user pool.`);
  return scopes;
}

function requireClientTokenClient(client: ClientRecord): void {
  if (!client.config.ExplicitAuthFlows.includes(CLIENT_TOKEN_FLOW)) {
    throw Errors.invalidParameter(`${CLIENT_TOKEN_FLOW} flow is not enabled for this client.`);
  }
}

const getClientToken: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const clientId = v.requiredString('ClientId', Rules.clientId);
  const secret = v.requiredString('Secret', Rules.clientSecret);
  const asked = v.optionalStringList('Scopes', scopeRule);
  // For a V3_0 pre token generation function (request.clientMetadata), as aws_client_metadata at the token endpoint.
  const clientMetadata = v.optionalMap('ClientMetadata');
  v.done();
  const { client, pool } = requireClient(ctx, clientId);
  requireClientTokenClient(client);
  checkClientSecret(client, secret);
  const scopes = clientTokenScopes(ctx, client, asked);
  const customization = await machineTokenGeneration(ctx, { pool, client, scopes, clientMetadata });
  const token = await ctx.tokens.mintClientAccessToken(client, scopes, customization);
  // The function and signing are awaits: the client as stored now must still exist, take this secret and allow these scopes.
  const current = ctx.store.getClient(client.id);
  if (!current) throw Errors.clientNotFound(client.id);
  requireClientTokenClient(current);
  checkClientSecret(current, secret);
  clientTokenScopes(ctx, current, scopes);
  return { ClientAuthenticationResult: { AccessToken: token.AccessToken, ExpiresIn: token.ExpiresIn, TokenType: 'Bearer' } };
};

function readPoolClient(v: Validator): { poolId: string; clientId: string } {
  return { poolId: v.requiredString('UserPoolId', Rules.userPoolId), clientId: v.requiredString('ClientId', Rules.clientId) };
}

/** A secret given by the caller is not shown back (ClientSecretValue is only for one Cognito made). */
const addUserPoolClientSecret: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const { poolId, clientId } = readPoolClient(v);
  const given = v.optionalString('ClientSecret', Rules.clientSecret);
  v.done();
  const { client } = requireClientOfPool(ctx, poolId, clientId);
  const outcome = clientSecretStoreOf(ctx.store).add(client.id, given ?? newClientSecret(), ctx.clock.now());
  if ('added' in outcome) return { ClientSecretDescriptor: describeSecret(outcome.added, given === undefined) };
  if (outcome.refused === 'no-client') throw Errors.clientNotFound(client.id);
  if (outcome.refused === 'public') throw notConfidential(client.id);
  if (outcome.refused === 'duplicate') throw Errors.invalidParameter('The client secret is already an active secret of this app client.');
  throw secretLimitExceeded();
};

/** Both secrets at once (there are never more): no NextToken is returned, and no value. */
const listUserPoolClientSecrets: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const { poolId, clientId } = readPoolClient(v);
  v.optionalString('NextToken', { min: 1 });
  v.done();
  const { client } = requireClientOfPool(ctx, poolId, clientId);
  if (client.secret === null) throw notConfidential(client.id);
  return { ClientSecrets: client.secrets.map((secret) => describeSecret(secret, false)) };
};

const deleteUserPoolClientSecret: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const { poolId, clientId } = readPoolClient(v);
  const secretId = v.requiredString('ClientSecretId', secretIdRule);
  v.done();
  const { client } = requireClientOfPool(ctx, poolId, clientId);
  const outcome = clientSecretStoreOf(ctx.store).delete(client.id, secretId);
  if ('deleted' in outcome) return {};
  if (outcome.refused === 'no-client') throw Errors.clientNotFound(client.id);
  if (outcome.refused === 'public') throw notConfidential(client.id);
  if (outcome.refused === 'unknown') throw new CognitoError('ResourceNotFoundException', `Client secret ${secretId} does not exist for app client ${client.id}.`);
  throw Errors.invalidParameter('The last remaining client secret of an app client cannot be deleted.');
};

export const clientSecretHandlers: HandlerRegistry = {
  GetClientToken: getClientToken,
  AddUserPoolClientSecret: addUserPoolClientSecret,
  ListUserPoolClientSecrets: listUserPoolClientSecrets,
  DeleteUserPoolClientSecret: deleteUserPoolClientSecret,
};
