// Cognito's count quotas on resources that the local pool enforces, and the error for one reached.
// The numbers are Cognito's defaults; the list of what is and is not enforced: docs/local-pool.md,
// "Resource quotas". Each check counts and inserts in one transaction.
import { CognitoError } from '../api/errors.js';

export const Quotas = {
  resourceServersPerPool: 25,
  groupsPerPool: 10_000,
  groupsPerUser: 100,
  /** The local pool is one account: every pool it holds counts. */
  customDomainsPerAccount: 4,
} as const;

export const QuotaErrors = {
  resourceServers: () => new CognitoError('LimitExceededException', `A user pool can have at most ${Quotas.resourceServersPerPool} resource servers.`),
  groups: () => new CognitoError('LimitExceededException', `A user pool can have at most ${Quotas.groupsPerPool} groups.`),
  groupsOfUser: () => new CognitoError('LimitExceededException', `A user can be a member of at most ${Quotas.groupsPerUser} groups.`),
  customDomains: () => new CognitoError('LimitExceededException', `An account can have at most ${Quotas.customDomainsPerAccount} custom domains.`),
};
