// PreTokenGeneration: before the pool signs ID and access tokens (sign-in, NEW_PASSWORD_REQUIRED,
// refresh). Version V1_0 answers claimsOverrideDetails (ID token claims, groups); V2_0 and V3_0
// answer claimsAndScopeOverrideDetails (ID and access token claims, access token scopes, groups).
// Only V3_0 is also called for machine tokens (client_credentials, GetClientToken).
import type { PoolContext } from '../context.js';
import { ADMIN_SCOPE, type TokenCustomization } from '../crypto/tokens.js';
import type { JsonObject } from '../api/validation.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/model.js';
import { eventAttributes, hasTrigger, invokeTrigger, readObject, readString, readStringList, readStringMap, withClientMetadata } from './invoke.js';
import { preTokenVersion } from './lambda-config.js';
import { Errors } from '../api/errors.js';
import { inHostedSignIn } from './hosted-sign-in.js';
import { groupStoreOf } from '../pools/groups-store.js';
import { groupClaims } from '../pools/group-claims.js';

export type TokenGenerationSource =
  | 'TokenGeneration_Authentication'
  | 'TokenGeneration_NewPasswordChallenge'
  | 'TokenGeneration_RefreshTokens'
  | 'TokenGeneration_HostedAuth'
  | 'TokenGeneration_AuthenticateDevice';

export interface PreTokenInput {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  source: TokenGenerationSource;
  clientMetadata?: Record<string, string> | undefined;
  /** The scopes the access token is to carry (V2 and V3 requests show them); default aws.cognito.signin.user.admin. */
  scopes?: readonly string[];
}

/**
 * Runs the trigger; undefined when the pool has none. Claims Cognito does not let a function change
 * (sub, iss, token_use, cognito:username ...) are left as they are. The request's groupConfiguration
 * is what the tokens would carry without the function (the user's groups now). Not called for the
 * throw-away tokens of a hosted-UI page's sign-in (hosted-sign-in.ts): only once, with
 * TokenGeneration_HostedAuth.
 */
export async function preTokenGeneration(ctx: PoolContext, input: PreTokenInput): Promise<TokenCustomization | undefined> {
  if (input.source !== 'TokenGeneration_HostedAuth' && inHostedSignIn()) return undefined;
  const { pool, client, user } = input;
  if (!hasTrigger(pool, 'PreTokenGeneration')) return undefined;
  const version = preTokenVersion(pool);
  const v1 = version === 'V1_0';
  const groups = groupClaims(groupStoreOf(ctx.store).groupsOf(pool.id, user.sub));
  const response = await invokeTrigger(ctx, {
    pool,
    trigger: 'PreTokenGeneration',
    triggerSource: input.source,
    userName: user.username,
    clientId: client.id,
    version: v1 ? '1' : version === 'V2_0' ? '2' : '3',
    request: {
      userAttributes: eventAttributes(user),
      groupConfiguration: { groupsToOverride: groups.groups, iamRolesToOverride: groups.roles, preferredRole: groups.preferredRole ?? null },
      ...(v1 ? {} : { scopes: [...(input.scopes ?? [ADMIN_SCOPE])] }),
      ...withClientMetadata(input.clientMetadata),
    },
    response: v1 ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null },
  });
  if (!response) return undefined;
  return v1 ? readV1(response) : readV2(response);
}

export interface MachineTokenInput {
  pool: PoolRecord;
  client: ClientRecord;
  /** The custom scopes granted: request.scopes. */
  scopes: readonly string[];
  clientMetadata?: Record<string, string> | undefined;
}

/**
 * TokenGeneration_ClientCredentials: a V3_0 function only (V1_0 / V2_0 are not called for machine
 * tokens, as in Cognito). There is no user: userName null, no attributes, no groups. Of the answer only
 * accessTokenGeneration counts (there is no ID token, and a machine token carries no groups); it is
 * checked as a user token's answer is.
 */
export async function machineTokenGeneration(ctx: PoolContext, input: MachineTokenInput): Promise<TokenCustomization | undefined> {
  const { pool, client } = input;
  if (!hasTrigger(pool, 'PreTokenGeneration') || preTokenVersion(pool) !== 'V3_0') return undefined;
  const response = await invokeTrigger(ctx, {
    pool,
    trigger: 'PreTokenGeneration',
    triggerSource: 'TokenGeneration_ClientCredentials',
    userName: null,
    clientId: client.id,
    version: '3',
    request: { userAttributes: {}, groupConfiguration: null, scopes: [...input.scopes], ...withClientMetadata(input.clientMetadata) },
    response: { claimsAndScopeOverrideDetails: null },
  });
  if (!response) return undefined;
  const { accessClaims, accessSuppress, scopesToAdd, scopesToSuppress } = readV2(response);
  return { ...emptyCustomization(), accessClaims, accessSuppress, scopesToAdd, scopesToSuppress };
}

function emptyCustomization(): TokenCustomization {
  return { idClaims: {}, idSuppress: [], accessClaims: {}, accessSuppress: [], scopesToAdd: [], scopesToSuppress: [] };
}

function readGroups(details: JsonObject, customization: TokenCustomization): void {
  // Absent or null (typed runtimes serialize a member left unset as null): the groups stay as they are.
  if (!Object.hasOwn(details, 'groupOverrideDetails') || details['groupOverrideDetails'] === null) return;
  // Present, even empty: it replaces the whole group configuration.
  const groups = readObject(details, 'groupOverrideDetails') ?? {};
  customization.groups = {
    groupsToOverride: readStringList(groups, 'groupsToOverride') ?? [],
    iamRolesToOverride: readStringList(groups, 'iamRolesToOverride') ?? [],
    preferredRole: readString(groups, 'preferredRole'),
  };
}

function readV1(response: JsonObject): TokenCustomization {
  const customization = emptyCustomization();
  const details = readObject(response, 'claimsOverrideDetails');
  if (!details) return customization;
  // V1 claims are strings.
  customization.idClaims = readStringMap(details, 'claimsToAddOrOverride') ?? {};
  customization.idSuppress = readStringList(details, 'claimsToSuppress') ?? [];
  readGroups(details, customization);
  return customization;
}

/** V2: claim values may be any JSON (strings, numbers, booleans, lists, objects). */
function readClaims(generation: JsonObject): Record<string, unknown> {
  return readObject(generation, 'claimsToAddOrOverride') ?? {};
}

function readV2(response: JsonObject): TokenCustomization {
  const customization = emptyCustomization();
  const details = readObject(response, 'claimsAndScopeOverrideDetails');
  if (!details) return customization;
  const id = readObject(details, 'idTokenGeneration') ?? {};
  const access = readObject(details, 'accessTokenGeneration') ?? {};
  customization.idClaims = readClaims(id);
  customization.idSuppress = readStringList(id, 'claimsToSuppress') ?? [];
  customization.accessClaims = readClaims(access);
  customization.accessSuppress = readStringList(access, 'claimsToSuppress') ?? [];
  customization.scopesToAdd = readStringList(access, 'scopesToAdd') ?? [];
  customization.scopesToSuppress = readStringList(access, 'scopesToSuppress') ?? [];
  if (customization.scopesToAdd.some((scope) => /\s/.test(scope) || scope === '')) throw Errors.invalidLambdaResponse('Invalid lambda function output : Invalid JSON');
  readGroups(details, customization);
  return customization;
}
