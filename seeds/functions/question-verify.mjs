// VerifyAuthChallengeResponse of the security question: the same name, ignoring case and spaces.
const normal = (text) => text.trim().replace(/\s+/g, ' ').toLowerCase();

export const handler = async (event) => {
  const expected = normal(event.request.privateChallengeParameters.answer ?? '');
  event.response.answerCorrect = expected !== '' && normal(event.request.challengeAnswer) === expected;
  return event;
};
