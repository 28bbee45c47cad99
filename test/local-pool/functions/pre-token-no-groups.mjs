// Pre token generation V1_0 that answers an empty groupOverrideDetails: the groups (and roles) are suppressed.
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  event.response = { claimsOverrideDetails: { groupOverrideDetails: {} } };
  return event;
};
