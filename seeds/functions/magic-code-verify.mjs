// VerifyAuthChallengeResponse of the e-mailed sign-in code.
import { timingSafeEqual } from 'node:crypto';

export const handler = async (event) => {
  const expected = Buffer.from(event.request.privateChallengeParameters.code ?? '');
  const given = Buffer.from(event.request.challengeAnswer.trim());
  event.response.answerCorrect = expected.length > 0 && expected.length === given.length && timingSafeEqual(expected, given);
  return event;
};
