// What a user's groups put in the tokens, and what PreTokenGeneration is shown as groupConfiguration.
import type { GroupRecord } from './groups-store.js';

export interface GroupClaims {
  /** cognito:groups: the names in precedence order. */
  groups: string[];
  /** cognito:roles: each group's role ARN once, in the groups' order. */
  roles: string[];
  /** cognito:preferred_role, when one group (or several with the same role) has the best precedence among those with a role. */
  preferredRole: string | undefined;
}

/** `groups` as groupsOf returns them (precedence order). */
export function groupClaims(groups: readonly GroupRecord[]): GroupClaims {
  const withRole = groups.filter((group) => group.roleArn !== null);
  const roles = [...new Set(withRole.map((group) => group.roleArn!))];
  // groupsOf sorts numbers first, so the best precedence is the first group's; null only when no group with a role has one.
  const best = withRole[0]?.precedence ?? null;
  const bestRoles = new Set(withRole.filter((group) => group.precedence === best).map((group) => group.roleArn!));
  return {
    groups: groups.map((group) => group.name),
    roles,
    preferredRole: bestRoles.size === 1 ? [...bestRoles][0] : undefined,
  };
}
