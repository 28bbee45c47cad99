// A new group's members as CreateGroup (and a seed file) gives them, checked against Cognito's model.
import { Rules, type StringRule, type Validator } from '../api/validation.js';
import type { GroupRecord } from './groups-store.js';

/** Member constraints of Cognito's model (GroupNameType, DescriptionType, ArnType). */
export const GroupRules = {
  name: { min: 1, max: 128, pattern: Rules.username.pattern, patternText: Rules.username.patternText },
  description: { max: 2048 },
  roleArn: {
    min: 20,
    max: 2048,
    pattern: /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/,
    patternText: 'arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?',
  },
} satisfies Record<string, StringRule>;

/** PrecedenceType: 0 to 2^31-1. */
export const MAX_PRECEDENCE = 2 ** 31 - 1;

/** Description, RoleArn and Precedence (each optional) as the validator reads them. */
export function readGroupSettings(v: Validator): { description: string | undefined; roleArn: string | undefined; precedence: number | undefined } {
  return {
    description: v.optionalString('Description', GroupRules.description),
    roleArn: v.optionalString('RoleArn', GroupRules.roleArn),
    precedence: v.optionalInteger('Precedence', 0, MAX_PRECEDENCE),
  };
}

/** A new group's GroupName and settings, for `poolId`, created `now` (v.done() is the caller's). */
export function readNewGroup(v: Validator, poolId: string, now: number): GroupRecord {
  const name = v.requiredString('GroupName', GroupRules.name);
  const { description, roleArn, precedence } = readGroupSettings(v);
  return { poolId, name, description: description ?? null, roleArn: roleArn ?? null, precedence: precedence ?? null, createdAt: now, updatedAt: now };
}
