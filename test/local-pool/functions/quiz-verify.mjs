// VerifyAuthChallengeResponse of the quiz (a name that is no user never answers right).
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  const given = event.request.challengeAnswer.trim().toLowerCase();
  event.response.answerCorrect = !event.request.userNotFound && given === event.request.privateChallengeParameters.answer;
  return event;
};
