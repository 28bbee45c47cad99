// PreTokenGeneration (V1_0 event): puts the ClientMetadata it was given into an ID token claim, so a test can read
// what reached the function from the tokens themselves.
export const handler = async (event) => {
  event.response = {
    claimsOverrideDetails: {
      claimsToAddOrOverride: {
        client_metadata: JSON.stringify(event.request.clientMetadata ?? null),
        token_source: event.triggerSource,
      },
    },
  };
  return event;
};
