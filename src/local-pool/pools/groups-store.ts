// User pool groups and their members (tables of migration 8). Every change is one statement, so
// parallel requests cannot lose each other's changes; statements are prepared once by the Store.
import type { Store } from '../store/store.js';

type Row = Record<string, unknown>;

export interface GroupRecord {
  poolId: string;
  name: string;
  description: string | null;
  roleArn: string | null;
  /** null: lower than every number (the group never takes precedence). */
  precedence: number | null;
  createdAt: number;
  updatedAt: number;
}

/** The members UpdateGroup may change: a member left undefined keeps its value. */
export interface GroupChanges {
  description?: string;
  roleArn?: string;
  precedence?: number;
}

const nullableString = (value: unknown): string | null => (value === null ? null : (value as string));

const toGroup = (row: Row): GroupRecord => ({
  poolId: row['pool_id'] as string,
  name: row['name'] as string,
  description: nullableString(row['description']),
  roleArn: nullableString(row['role_arn']),
  precedence: row['precedence'] === null ? null : (row['precedence'] as number),
  createdAt: row['created_at'] as number,
  updatedAt: row['updated_at'] as number,
});

/**
 * The order of a user's groups (AdminListGroupsForUser, cognito:groups): precedence, lowest number
 * first and groups without one last; then the older group; then the name.
 */
const BY_PRECEDENCE = 'g.precedence IS NULL, g.precedence, g.created_at, g.name';

export class GroupStore {
  constructor(private readonly store: Store) {}

  /** false when the pool already has a group of this name. */
  insert(group: GroupRecord): boolean {
    return (
      this.store
        .prepare(
          `INSERT OR IGNORE INTO user_groups (pool_id, name, description, role_arn, precedence, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(group.poolId, group.name, group.description, group.roleArn, group.precedence, group.createdAt, group.updatedAt).changes === 1
    );
  }

  count(poolId: string): number {
    return (this.store.prepare('SELECT count(*) AS n FROM user_groups WHERE pool_id = ?').get(poolId) as Row)['n'] as number;
  }

  /** How many groups the user is a member of. */
  countGroupsOf(poolId: string, userSub: string): number {
    return (this.store.prepare('SELECT count(*) AS n FROM group_members WHERE pool_id = ? AND user_sub = ?').get(poolId, userSub) as Row)['n'] as number;
  }

  isMember(poolId: string, name: string, userSub: string): boolean {
    return this.store.prepare('SELECT 1 FROM group_members WHERE pool_id = ? AND group_name = ? AND user_sub = ?').get(poolId, name, userSub) !== undefined;
  }

  get(poolId: string, name: string): GroupRecord | undefined {
    const row = this.store.prepare('SELECT * FROM user_groups WHERE pool_id = ? AND name = ?').get(poolId, name) as Row | undefined;
    return row && toGroup(row);
  }

  /** Changes the given members in one statement; the group as it is now, or undefined when it is gone. */
  update(poolId: string, name: string, changes: GroupChanges, now: number): GroupRecord | undefined {
    const row = this.store
      .prepare(
        `UPDATE user_groups SET
           description = CASE WHEN @setDescription THEN @description ELSE description END,
           role_arn    = CASE WHEN @setRoleArn THEN @roleArn ELSE role_arn END,
           precedence  = CASE WHEN @setPrecedence THEN @precedence ELSE precedence END,
           updated_at  = @now
         WHERE pool_id = @poolId AND name = @name RETURNING *`,
      )
      .get({
        poolId,
        name,
        now,
        setDescription: changes.description !== undefined ? 1 : 0,
        description: changes.description ?? null,
        setRoleArn: changes.roleArn !== undefined ? 1 : 0,
        roleArn: changes.roleArn ?? null,
        setPrecedence: changes.precedence !== undefined ? 1 : 0,
        precedence: changes.precedence ?? null,
      }) as Row | undefined;
    return row && toGroup(row);
  }

  /** Deletes the group and (by cascade) its memberships; false when there was none. */
  delete(poolId: string, name: string): boolean {
    return this.store.prepare('DELETE FROM user_groups WHERE pool_id = ? AND name = ?').run(poolId, name).changes === 1;
  }

  /** The pool's groups, oldest first. */
  list(poolId: string, offset: number, limit: number): GroupRecord[] {
    return (
      this.store.prepare('SELECT * FROM user_groups WHERE pool_id = ? ORDER BY created_at, name LIMIT ? OFFSET ?').all(poolId, limit, offset) as Row[]
    ).map(toGroup);
  }

  /**
   * Adds the user to the group; a member already is one (nothing changes). false when the group or
   * the user is gone (the foreign keys refuse the row, so a group deleted meanwhile is not re-joined).
   */
  addMember(poolId: string, name: string, userSub: string, now: number): boolean {
    try {
      this.store
        .prepare('INSERT OR IGNORE INTO group_members (pool_id, group_name, user_sub, added_at) VALUES (?, ?, ?, ?)')
        .run(poolId, name, userSub, now);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return false;
      throw error;
    }
  }

  /** Removing a user who is not a member changes nothing. */
  removeMember(poolId: string, name: string, userSub: string): void {
    this.store.prepare('DELETE FROM group_members WHERE pool_id = ? AND group_name = ? AND user_sub = ?').run(poolId, name, userSub);
  }

  /** The user's groups in precedence order (BY_PRECEDENCE). */
  groupsOf(poolId: string, userSub: string, offset = 0, limit = -1): GroupRecord[] {
    return (
      this.store
        .prepare(
          `SELECT g.* FROM group_members m JOIN user_groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
           WHERE m.pool_id = ? AND m.user_sub = ? ORDER BY ${BY_PRECEDENCE} LIMIT ? OFFSET ?`,
        )
        .all(poolId, userSub, limit, offset) as Row[]
    ).map(toGroup);
  }

  /** The subs of the group's members, in the order they joined. */
  memberSubs(poolId: string, name: string, offset: number, limit: number): string[] {
    return (
      this.store
        .prepare('SELECT user_sub FROM group_members WHERE pool_id = ? AND group_name = ? ORDER BY added_at, user_sub LIMIT ? OFFSET ?')
        .all(poolId, name, limit, offset) as Row[]
    ).map((row) => row['user_sub'] as string);
  }
}

const stores = new WeakMap<Store, GroupStore>();

export function groupStoreOf(store: Store): GroupStore {
  let groups = stores.get(store);
  if (!groups) stores.set(store, (groups = new GroupStore(store)));
  return groups;
}
