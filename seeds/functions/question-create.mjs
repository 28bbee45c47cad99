// CreateAuthChallenge of the security question: the answer is the user's custom:first_pet attribute.
// It stays on the server (privateChallengeParameters); the app shows the question.
const ATTEMPTS = 3;

export const handler = async (event) => {
  const asked = event.request.session.filter((round) => round.challengeName === 'CUSTOM_CHALLENGE').length;
  event.response.publicChallengeParameters = {
    question: 'What was the name of your first pet?',
    attemptsLeft: String(ATTEMPTS - asked),
  };
  // A name that is no user (PreventUserExistenceErrors ENABLED) gets the same question, with no right answer.
  const answer = event.request.userNotFound ? '' : (event.request.userAttributes['custom:first_pet'] ?? '');
  event.response.privateChallengeParameters = { answer };
  event.response.challengeMetadata = 'SECURITY_QUESTION';
  return event;
};
