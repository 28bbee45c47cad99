// Pre token generation V2_0: ID and access token claims (any JSON), scopes. A user named
// "no-admin-scope" loses aws.cognito.signin.user.admin.
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: { claimsToAddOrOverride: { tier: 'gold', plan: { seats: 3, trial: false } }, claimsToSuppress: ['email'] },
      accessTokenGeneration: {
        claimsToAddOrOverride: { tenant: 'acme', features: ['export', 'share'], token_use: 'id' },
        claimsToSuppress: ['jti', 'name'],
        scopesToAdd: ['orders/read', 'orders/write'],
        scopesToSuppress: event.userName === 'no-admin-scope' ? ['aws.cognito.signin.user.admin'] : ['orders/write'],
      },
    },
  };
  return event;
};
