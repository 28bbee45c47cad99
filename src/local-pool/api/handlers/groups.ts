// User pool groups through Cognito's admin API: the groups themselves and who is in them. What
// membership puts in the tokens is pools/group-claims.ts.
import type { Handler, HandlerRegistry, PoolContext } from '../../context.js';
import { CognitoError } from '../errors.js';
import { groupStoreOf, type GroupChanges, type GroupRecord } from '../../pools/groups-store.js';
import { describeUser, requireUser } from '../../pools/users.js';
import type { PoolRecord, UserRecord } from '../../store/model.js';
import { Rules, Validator, type JsonObject } from '../validation.js';
import { GroupRules, readGroupSettings, readNewGroup } from '../../pools/groups.js';
import { QuotaErrors, Quotas } from '../../pools/quotas.js';
import { page, requirePool } from './pools.js';

/** Limit (QueryLimitType) of Cognito's model: at most 60. */
const MAX_PAGE = 60;

const GroupErrors = {
  exists: (name: string) => new CognitoError('GroupExistsException', `A group with the name ${name} already exists.`),
  notFound: () => new CognitoError('ResourceNotFoundException', 'Group not found.'),
};

/** GroupType; dates in seconds, as the pool's other admin shapes. */
function describeGroup(group: GroupRecord): JsonObject {
  return {
    GroupName: group.name,
    UserPoolId: group.poolId,
    ...(group.description !== null ? { Description: group.description } : {}),
    ...(group.roleArn !== null ? { RoleArn: group.roleArn } : {}),
    ...(group.precedence !== null ? { Precedence: group.precedence } : {}),
    LastModifiedDate: Math.floor(group.updatedAt / 1000),
    CreationDate: Math.floor(group.createdAt / 1000),
  };
}

function requireGroup(ctx: PoolContext, pool: PoolRecord, name: string): GroupRecord {
  const group = groupStoreOf(ctx.store).get(pool.id, name);
  if (!group) throw GroupErrors.notFound();
  return group;
}

/** UserPoolId + GroupName, checked as the request's other members are. */
function groupTarget(v: Validator): { poolId: string; groupName: string } {
  return { poolId: v.requiredString('UserPoolId', Rules.userPoolId), groupName: v.requiredString('GroupName', GroupRules.name) };
}

/** Limit (0 means the default, as ListUsers takes it) and NextToken. */
function paging(v: Validator): { limit: number; token: string | undefined } {
  const limit = v.optionalInteger('Limit', 0, MAX_PAGE) ?? MAX_PAGE;
  const token = v.optionalString('NextToken', Rules.paginationKey);
  return { limit: limit || MAX_PAGE, token };
}

const createGroup: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const group = readNewGroup(v, poolId, ctx.clock.now());
  v.done();
  const groups = groupStoreOf(ctx.store);
  ctx.store.transaction(() => {
    requirePool(ctx, poolId);
    if (groups.get(poolId, group.name)) throw GroupErrors.exists(group.name);
    if (groups.count(poolId) >= Quotas.groupsPerPool) throw QuotaErrors.groups();
    groups.insert(group);
  });
  return { Group: describeGroup(group) };
};

const getGroup: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const { poolId, groupName } = groupTarget(v);
  v.done();
  return { Group: describeGroup(requireGroup(ctx, requirePool(ctx, poolId), groupName)) };
};

/** Members left out keep their values ("updates any of the properties"). */
const updateGroup: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const { poolId, groupName } = groupTarget(v);
  const { description, roleArn, precedence } = readGroupSettings(v);
  v.done();
  const pool = requirePool(ctx, poolId);
  const changes: GroupChanges = {
    ...(description !== undefined ? { description } : {}),
    ...(roleArn !== undefined ? { roleArn } : {}),
    ...(precedence !== undefined ? { precedence } : {}),
  };
  const updated = groupStoreOf(ctx.store).update(pool.id, groupName, changes, ctx.clock.now());
  if (!updated) throw GroupErrors.notFound();
  return { Group: describeGroup(updated) };
};

/** Members leave with the group; tokens already issued keep the claim until they are refreshed. */
const deleteGroup: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const { poolId, groupName } = groupTarget(v);
  v.done();
  const pool = requirePool(ctx, poolId);
  if (!groupStoreOf(ctx.store).delete(pool.id, groupName)) throw GroupErrors.notFound();
  return {};
};

const listGroups: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const { limit, token } = paging(v);
  v.done();
  const pool = requirePool(ctx, poolId);
  const { items, next } = page((offset, count) => groupStoreOf(ctx.store).list(pool.id, offset, count), token, limit);
  return { Groups: items.map(describeGroup), ...(next ? { NextToken: next } : {}) };
};

/** A membership operation's pool, user and group, checked in that order. */
function membershipTarget(input: JsonObject, ctx: PoolContext): { pool: PoolRecord; user: UserRecord; groupName: string } {
  const v = new Validator(input);
  const { poolId, groupName } = groupTarget(v);
  const username = v.requiredString('Username', Rules.username);
  v.done();
  const pool = requirePool(ctx, poolId);
  const user = requireUser(ctx.store, pool, username);
  requireGroup(ctx, pool, groupName);
  return { pool, user, groupName };
}

/** A member already is one: nothing changes, no error (also for a user at the group quota). */
const adminAddUserToGroup: Handler = async (input, ctx) => {
  const { pool, user, groupName } = membershipTarget(input, ctx);
  const groups = groupStoreOf(ctx.store);
  // No await since the checks: both still exist (addMember's foreign keys hold that anyway).
  const added = ctx.store.transaction(() => {
    if (groups.isMember(pool.id, groupName, user.sub)) return true;
    if (groups.countGroupsOf(pool.id, user.sub) >= Quotas.groupsPerUser) throw QuotaErrors.groupsOfUser();
    return groups.addMember(pool.id, groupName, user.sub, ctx.clock.now());
  });
  if (!added) throw GroupErrors.notFound();
  return {};
};

/** Removing a user who is not a member is no error. */
const adminRemoveUserFromGroup: Handler = async (input, ctx) => {
  const { pool, user, groupName } = membershipTarget(input, ctx);
  groupStoreOf(ctx.store).removeMember(pool.id, groupName, user.sub);
  return {};
};

/** The user's groups in the order of the cognito:groups claim. */
const adminListGroupsForUser: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const username = v.requiredString('Username', Rules.username);
  const { limit, token } = paging(v);
  v.done();
  const pool = requirePool(ctx, poolId);
  const user = requireUser(ctx.store, pool, username);
  const { items, next } = page((offset, count) => groupStoreOf(ctx.store).groupsOf(pool.id, user.sub, offset, count), token, limit);
  return { Groups: items.map(describeGroup), ...(next ? { NextToken: next } : {}) };
};

/** Members in the order they joined, as UserType. */
const listUsersInGroup: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const { poolId, groupName } = groupTarget(v);
  const { limit, token } = paging(v);
  v.done();
  const pool = requirePool(ctx, poolId);
  requireGroup(ctx, pool, groupName);
  const { items, next } = page((offset, count) => groupStoreOf(ctx.store).memberSubs(pool.id, groupName, offset, count), token, limit);
  const users = items.flatMap((sub) => {
    const user = ctx.store.getUserBySub(pool.id, sub);
    return user ? [describeUser(user)] : [];
  });
  return { Users: users, ...(next ? { NextToken: next } : {}) };
};

export const groupHandlers: HandlerRegistry = {
  CreateGroup: createGroup,
  GetGroup: getGroup,
  UpdateGroup: updateGroup,
  DeleteGroup: deleteGroup,
  ListGroups: listGroups,
  AdminAddUserToGroup: adminAddUserToGroup,
  AdminRemoveUserFromGroup: adminRemoveUserFromGroup,
  AdminListGroupsForUser: adminListGroupsForUser,
  ListUsersInGroup: listUsersInGroup,
};
