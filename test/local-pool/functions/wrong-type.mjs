// Answers a PreSignUp flag of the wrong JSON type.
export const handler = async (event) => {
  event.response.autoConfirmUser = 'yes please';
  return event;
};
