// A pool's schema after creation (AddCustomAttributes), the user import file's header (GetCSVHeader)
// and the pool's tags (TagResource, UntagResource, ListTagsForResource).
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import type { PoolConfig } from '../../store/model.js';
import { csvHeader, withCustomAttributes } from '../../pools/schema.js';
import { mergeTags, poolIdOfArn, readTagKeys, readTags } from '../../pools/tags.js';
import { requireNoImportRunning } from '../../pools/user-import.js';
import { Rules, Validator } from '../validation.js';
import { requirePool } from './pools.js';

/**
 * Reads the pool, works out its new settings and writes them in one transaction: the store is
 * synchronous, so nothing else changes the pool between the read and the write.
 */
function changePoolConfig(ctx: PoolContext, poolId: string, change: (config: PoolConfig) => PoolConfig, options: { refuseWhileImporting?: boolean } = {}): void {
  ctx.store.transaction(() => {
    const pool = requirePool(ctx, poolId);
    if (options.refuseWhileImporting) requireNoImportRunning(ctx, pool.id);
    ctx.store.updatePool({ ...pool, config: change(pool.config), updatedAt: ctx.clock.now() });
  });
}

const addCustomAttributes: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  v.done();
  changePoolConfig(ctx, poolId, (config) => ({ ...config, Schema: withCustomAttributes(config.Schema, input['CustomAttributes']) }), { refuseWhileImporting: true });
  return {};
};

/** Only the header: import jobs (CreateUserImportJob ...) are not answered. */
const getCsvHeader: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  v.done();
  return { UserPoolId: poolId, CSVHeader: csvHeader(requirePool(ctx, poolId).config.Schema) };
};

const tagResource: Handler = async (input, ctx) => {
  const poolId = poolIdOfArn(input['ResourceArn'], ctx.region);
  const tags = readTags(input['Tags'], 'tags') ?? {};
  changePoolConfig(ctx, poolId, (config) => ({ ...config, UserPoolTags: mergeTags(config.UserPoolTags, tags) }));
  return {};
};

const untagResource: Handler = async (input, ctx) => {
  const poolId = poolIdOfArn(input['ResourceArn'], ctx.region);
  const keys = new Set(readTagKeys(input['TagKeys']));
  changePoolConfig(ctx, poolId, (config) => ({
    ...config,
    UserPoolTags: Object.fromEntries(Object.entries(config.UserPoolTags).filter(([key]) => !keys.has(key))),
  }));
  return {};
};

const listTagsForResource: Handler = async (input, ctx) => {
  const poolId = poolIdOfArn(input['ResourceArn'], ctx.region);
  return { Tags: requirePool(ctx, poolId).config.UserPoolTags };
};

export const schemaTagHandlers: HandlerRegistry = {
  AddCustomAttributes: addCustomAttributes,
  GetCSVHeader: getCsvHeader,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
