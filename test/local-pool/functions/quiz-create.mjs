// CreateAuthChallenge of the quiz: the question the user is at (asked again after a wrong answer).
import { record } from './_record.mjs';

const QUESTIONS = [
  { question: 'What is the capital of France?', answer: 'paris' },
  { question: 'What is 2 + 3?', answer: '5' },
];

export const handler = async (event, context) => {
  record(event, context);
  const right = event.request.session.filter((s) => s.challengeName === 'CUSTOM_CHALLENGE' && s.challengeResult).length;
  const { question, answer } = QUESTIONS[right];
  event.response.publicChallengeParameters = { question, round: String(event.request.session.length) };
  event.response.privateChallengeParameters = { answer };
  event.response.challengeMetadata = `QUESTION-${right + 1}`;
  return event;
};
