// Pre token generation V3_0 for machine tokens: claims of any JSON (one from clientMetadata), claims
// Cognito keeps fixed (sub, client_id, token_use, scope, iss, exp), a claim both added and suppressed,
// `version` suppressed, a scope added and one suppressed; ID token and group answers, which a machine
// token has no use for. Records every event.
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  const metadata = event.request.clientMetadata ?? {};
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: { claimsToAddOrOverride: { id_only: 'yes' } },
      accessTokenGeneration: {
        claimsToAddOrOverride: {
          tenant: metadata.tenant ?? 'none',
          limits: { calls: 100, burst: [1, 2] },
          sub: 'someone-else',
          client_id: 'another-client',
          token_use: 'id',
          scope: 'admin/everything',
          iss: 'https://evil.example.com',
          exp: 1,
          temporary: 'gone',
        },
        claimsToSuppress: ['temporary', 'version', 'jti', 'auth_time'],
        scopesToAdd: ['audit/read'],
        scopesToSuppress: ['inventory/write'],
      },
      groupOverrideDetails: { groupsToOverride: ['admins'], iamRolesToOverride: [], preferredRole: null },
    },
  };
  return event;
};
