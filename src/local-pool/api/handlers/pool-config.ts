// Pool settings setup scripts and Terraform-style tools write through Cognito's API: the classic hosted
// UI's branding (Set/GetUICustomization), threat protection's risk configuration
// (Set/DescribeRiskConfiguration), log delivery (Set/GetLogDeliveryConfiguration) and the user's auth
// events (AdminListUserAuthEvents and the two feedback operations). Only the branding changes what the
// pool does (the hosted UI's pages show it); docs/local-pool.md says what each of the others keeps.
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import { CognitoError, Errors } from '../errors.js';
import { Rules, Validator, type JsonObject } from '../validation.js';
import { requireClientOfPool } from '../../flows/sign-in.js';
import { oauthStore } from '../../oauth/context.js';
import { requireUser } from '../../pools/users.js';
import { hashFeedbackToken } from '../../pools/auth-events.js';
import { ALL_CLIENTS, poolConfigStoreOf, type AuthEventRecord, type UiCustomizationRecord } from '../../pools/pool-config-store.js';
import { readRiskConfiguration, requireThreatProtection } from '../../pools/risk-configuration.js';
import { checkCss, cssVersion, imageType, logoPath, MAX_CSS, MAX_IMAGE } from '../../pools/ui-customization.js';
import type { PoolRecord } from '../../store/model.js';
import { page, requirePool } from './pools.js';

const epochSeconds = (ms: number): number => Math.floor(ms / 1000);

/** ClientId of the branding and risk operations: ALL (or none) is the pool's own row. */
function readClientTarget(ctx: PoolContext, pool: PoolRecord, clientId: string | undefined): string {
  if (clientId === undefined || clientId === ALL_CLIENTS) return ALL_CLIENTS;
  requireClientOfPool(ctx, pool.id, clientId);
  return clientId;
}

// ---------- UI customization ----------

/** The logo's URL in the pool's answers; `?v=` changes with each SetUICustomization, so no stale copy shows. */
function logoUrl(ctx: PoolContext, record: UiCustomizationRecord): string {
  const origin = ctx.tokens.issuer(record.poolId).slice(0, -(record.poolId.length + 1));
  return `${origin}${logoPath(record.poolId, record.clientId)}?v=${record.updatedAt}`;
}

function describeUi(ctx: PoolContext, record: UiCustomizationRecord): JsonObject {
  return {
    UserPoolId: record.poolId,
    ClientId: record.clientId,
    ...(record.image ? { ImageUrl: logoUrl(ctx, record) } : {}),
    ...(record.css !== undefined ? { CSS: record.css, CSSVersion: record.cssVersion } : {}),
    LastModifiedDate: epochSeconds(record.updatedAt),
    CreationDate: epochSeconds(record.createdAt),
  };
}

/** ImageFile on the wire: the blob in base64. */
function readImage(value: unknown): Buffer | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw Errors.serialization('ImageFile must be a blob (base64)');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) throw Errors.serialization('ImageFile is not valid base64');
  const image = Buffer.from(value, 'base64');
  if (image.length > MAX_IMAGE) {
    throw Errors.invalidParameter(`1 validation error detected: Value at 'imageFile' failed to satisfy constraint: Member must have length less than or equal to ${MAX_IMAGE}`);
  }
  return image.length === 0 ? undefined : image;
}

const setUiCustomization: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const clientId = v.optionalString('ClientId', Rules.clientId);
  const css = v.optionalString('CSS', { max: MAX_CSS });
  v.done();
  const image = readImage(input['ImageFile']);
  if (css !== undefined) checkCss(css);
  const type = image && imageType(image);
  const record = ctx.store.transaction(() => {
    const pool = requirePool(ctx, poolId);
    const target = readClientTarget(ctx, pool, clientId);
    // As Cognito: the pages live on the pool's domain, so there must be one.
    if (oauthStore(ctx).domainsOf(pool.id).length === 0) throw Errors.invalidParameter('There has to be an existing domain associated with this user pool');
    // CSS and logo are set together: what the request leaves out is removed.
    return poolConfigStoreOf(ctx.store).putUiCustomization(
      { poolId: pool.id, clientId: target, css, cssVersion: css === undefined ? undefined : cssVersion(css), image, imageType: type },
      ctx.clock.now(),
    );
  });
  return { UICustomization: describeUi(ctx, record) };
};

const getUiCustomization: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const clientId = v.optionalString('ClientId', Rules.clientId);
  v.done();
  const pool = requirePool(ctx, poolId);
  const target = readClientTarget(ctx, pool, clientId);
  // A client without its own branding shows the pool's (ALL).
  const record = poolConfigStoreOf(ctx.store).effectiveUiCustomization(pool.id, target);
  return { UICustomization: record ? describeUi(ctx, record) : { UserPoolId: pool.id, ClientId: target } };
};

// ---------- risk configuration ----------

const setRiskConfiguration: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const clientId = v.optionalString('ClientId', Rules.clientId);
  const config = readRiskConfiguration(v);
  const now = ctx.clock.now();
  return ctx.store.transaction(() => {
    const pool = requirePool(ctx, poolId);
    const target = readClientTarget(ctx, pool, clientId);
    requireThreatProtection(pool);
    const configs = poolConfigStoreOf(ctx.store);
    // No settings at all: the pool back to the defaults, a client back to the pool's.
    if (Object.keys(config).length === 0) configs.deleteRiskConfiguration(pool.id, target);
    else configs.putRiskConfiguration(pool.id, target, config, now);
    return { RiskConfiguration: describeRisk(ctx, pool, target) };
  });
};

function describeRisk(ctx: PoolContext, pool: PoolRecord, target: string): JsonObject {
  const configs = poolConfigStoreOf(ctx.store);
  const own = configs.getRiskConfiguration(pool.id, target);
  const record = own ?? (target === ALL_CLIENTS ? undefined : configs.getRiskConfiguration(pool.id, ALL_CLIENTS));
  return {
    UserPoolId: pool.id,
    ...(own && target !== ALL_CLIENTS ? { ClientId: target } : {}),
    ...(record?.config ?? {}),
    ...(record ? { LastModifiedDate: epochSeconds(record.updatedAt) } : {}),
  };
}

const describeRiskConfiguration: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const clientId = v.optionalString('ClientId', Rules.clientId);
  v.done();
  const pool = requirePool(ctx, poolId);
  const target = readClientTarget(ctx, pool, clientId);
  requireThreatProtection(pool);
  return { RiskConfiguration: describeRisk(ctx, pool, target) };
};

// ---------- log delivery ----------

const LOG_LEVELS = ['ERROR', 'INFO'];
const EVENT_SOURCES = ['userNotification', 'userAuthEvents'];
const DESTINATIONS = [
  { member: 'CloudWatchLogsConfiguration', arn: 'LogGroupArn' },
  { member: 'S3Configuration', arn: 'BucketArn' },
  { member: 'FirehoseConfiguration', arn: 'StreamArn' },
] as const;
const ARN_RULE = { min: 20, max: 2048, pattern: /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]*:[\w+=/,.@:-]+$/ };

function readLogConfiguration(entry: JsonObject, pool: PoolRecord): JsonObject {
  const v = new Validator(entry);
  const level = v.requiredString('LogLevel', { oneOf: LOG_LEVELS });
  const source = v.requiredString('EventSource', { oneOf: EVENT_SOURCES });
  const destinations: JsonObject = {};
  for (const { member, arn } of DESTINATIONS) {
    const destination = v.optionalObject(member);
    if (!destination) continue;
    const d = new Validator(destination);
    const value = d.optionalString(arn, ARN_RULE);
    d.done();
    destinations[member] = value === undefined ? {} : { [arn]: value };
  }
  v.done();
  const count = Object.keys(destinations).length;
  if (count !== 1) throw Errors.invalidParameter('Each log configuration needs exactly one destination: CloudWatchLogsConfiguration, S3Configuration or FirehoseConfiguration.');
  // Cognito's rules: notification logs are errors only; auth events are INFO and need threat protection (Plus).
  if (source === 'userNotification' && level !== 'ERROR') throw Errors.invalidParameter('userNotification logs can only be delivered at LogLevel ERROR.');
  if (source === 'userAuthEvents') {
    if (level !== 'INFO') throw Errors.invalidParameter('userAuthEvents logs can only be delivered at LogLevel INFO.');
    if (pool.config.UserPoolTier !== 'PLUS') {
      throw new CognitoError('FeatureUnavailableInTierException', 'Exporting user auth events (userAuthEvents) needs the PLUS feature plan.');
    }
  }
  return { LogLevel: level, EventSource: source, ...destinations };
}

const setLogDeliveryConfiguration: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const list = input['LogConfigurations'];
  if (list === undefined || list === null) {
    throw Errors.invalidParameter("1 validation error detected: Value at 'logConfigurations' failed to satisfy constraint: Member must not be null");
  }
  if (!Array.isArray(list)) throw Errors.serialization('LogConfigurations must be a list');
  v.done();
  if (list.length > 2) {
    throw Errors.invalidParameter("1 validation error detected: Value at 'logConfigurations' failed to satisfy constraint: Member must have length less than or equal to 2");
  }
  const entries = list.map((entry, index) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw Errors.serialization(`LogConfigurations.${index + 1} must be a structure`);
    return entry as JsonObject;
  });
  return ctx.store.transaction(() => {
    const pool = requirePool(ctx, poolId);
    const configurations = entries.map((entry) => readLogConfiguration(entry, pool));
    const sources = configurations.map((c) => c['EventSource']);
    if (new Set(sources).size !== sources.length) throw Errors.invalidParameter('Each EventSource can have one log configuration.');
    poolConfigStoreOf(ctx.store).putLogDelivery(pool.id, configurations, ctx.clock.now());
    return { LogDeliveryConfiguration: { UserPoolId: pool.id, LogConfigurations: configurations } };
  });
};

const getLogDeliveryConfiguration: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  v.done();
  const pool = requirePool(ctx, poolId);
  return { LogDeliveryConfiguration: { UserPoolId: pool.id, LogConfigurations: poolConfigStoreOf(ctx.store).getLogDelivery(pool.id) ?? [] } };
};

// ---------- auth events ----------

function describeEvent(event: AuthEventRecord): JsonObject {
  return {
    EventId: event.eventId,
    EventType: event.eventType,
    CreationDate: epochSeconds(event.createdAt),
    EventResponse: event.eventResponse,
    // No risk is scored: every event is NoRisk, no compromised credentials.
    EventRisk: { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: false },
    ChallengeResponses: [{ ChallengeName: 'Password', ChallengeResponse: event.eventResponse === 'Pass' ? 'Success' : 'Failure' }],
    ...(event.feedbackValue
      ? { EventFeedback: { FeedbackValue: event.feedbackValue, Provider: event.feedbackProvider, FeedbackDate: epochSeconds(event.feedbackAt ?? event.createdAt) } }
      : {}),
  };
}

const adminListUserAuthEvents: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const username = v.requiredString('Username', Rules.username);
  // 0 is the default page of 60, as the model says (an empty page would hand back a NextToken to itself).
  const maxResults = v.optionalInteger('MaxResults', 0, 60) || 60;
  const nextToken = v.optionalString('NextToken', Rules.paginationKey);
  v.done();
  const pool = requirePool(ctx, poolId);
  requireThreatProtection(pool);
  const user = requireUser(ctx.store, pool, username);
  const { items, next } = page((offset, limit) => poolConfigStoreOf(ctx.store).listAuthEvents(pool.id, user.sub, offset, limit), nextToken, maxResults);
  return { AuthEvents: items.map(describeEvent), ...(next ? { NextToken: next } : {}) };
};

const FEEDBACK_VALUES = ['Valid', 'Invalid'];
const EVENT_ID = { min: 1, max: 50, pattern: /^[\w+-]+$/, patternText: '[\\w+-]+' };

function readFeedback(input: JsonObject, withToken: boolean) {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const username = v.requiredString('Username', Rules.username);
  const eventId = v.requiredString('EventId', EVENT_ID);
  const token = withToken ? v.requiredString('FeedbackToken', Rules.token) : undefined;
  const value = v.requiredString('FeedbackValue', { oneOf: FEEDBACK_VALUES }) as 'Valid' | 'Invalid';
  v.done();
  return { poolId, username, eventId, token, value };
}

const eventNotFound = () => new CognitoError('ResourceNotFoundException', 'Auth event not found.');

function giveFeedback(ctx: PoolContext, input: JsonObject, provider: 'Admin' | 'User'): JsonObject {
  const { poolId, username, eventId, token, value } = readFeedback(input, provider === 'User');
  ctx.store.transaction(() => {
    const pool = requirePool(ctx, poolId);
    requireThreatProtection(pool);
    const user = requireUser(ctx.store, pool, username);
    const recorded = poolConfigStoreOf(ctx.store).setFeedback(pool.id, user.sub, eventId, value, provider, ctx.clock.now(), token === undefined ? undefined : hashFeedbackToken(token));
    if (!recorded) throw eventNotFound();
  });
  return {};
}

const adminUpdateAuthEventFeedback: Handler = async (input, ctx) => giveFeedback(ctx, input, 'Admin');
const updateAuthEventFeedback: Handler = async (input, ctx) => giveFeedback(ctx, input, 'User');

export const poolConfigHandlers: HandlerRegistry = {
  SetUICustomization: setUiCustomization,
  GetUICustomization: getUiCustomization,
  SetRiskConfiguration: setRiskConfiguration,
  DescribeRiskConfiguration: describeRiskConfiguration,
  SetLogDeliveryConfiguration: setLogDeliveryConfiguration,
  GetLogDeliveryConfiguration: getLogDeliveryConfiguration,
  AdminListUserAuthEvents: adminListUserAuthEvents,
  AdminUpdateAuthEventFeedback: adminUpdateAuthEventFeedback,
  UpdateAuthEventFeedback: updateAuthEventFeedback,
};
