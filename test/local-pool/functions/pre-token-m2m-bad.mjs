// Pre token generation V3_0 answering scopesToAdd of the wrong JSON type.
export const handler = async (event) => {
  event.response = { claimsAndScopeOverrideDetails: { accessTokenGeneration: { scopesToAdd: 'audit/read' } } };
  return event;
};
