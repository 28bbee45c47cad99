// PreTokenGeneration: the user's plan (custom:plan, default "free") as a claim of the ID token and,
// with the V2_0 event, of the access token too, plus a "plan/<plan>" scope an API can authorise on.
export const handler = async (event) => {
  const plan = event.request.userAttributes['custom:plan'] ?? 'free';
  if (event.version === '1') {
    // V1_0: only the ID token can be customised.
    event.response.claimsOverrideDetails = { claimsToAddOrOverride: { plan } };
    return event;
  }
  event.response.claimsAndScopeOverrideDetails = {
    idTokenGeneration: { claimsToAddOrOverride: { plan } },
    accessTokenGeneration: { claimsToAddOrOverride: { plan }, scopesToAdd: [`plan/${plan}`] },
  };
  return event;
};
