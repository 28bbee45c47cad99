// Pre token generation V1_0: ID token claims and groups.
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  event.response = {
    claimsOverrideDetails: {
      claimsToAddOrOverride: { tier: 'gold', family_name: 'Overridden', sub: 'not-allowed', 'cognito:username': 'not-allowed' },
      claimsToSuppress: ['email'],
      groupOverrideDetails: {
        groupsToOverride: ['admins', 'readers'],
        iamRolesToOverride: ['arn:aws:iam::123456789012:role/reader'],
        preferredRole: 'arn:aws:iam::123456789012:role/reader',
      },
    },
  };
  return event;
};
