// Pre token generation V1_0 that answers groupOverrideDetails: null, as typed runtimes serialize a member left unset:
// the groups stay as they are.
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { marker: 'null-groups' }, groupOverrideDetails: null } };
  return event;
};
