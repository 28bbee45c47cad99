// DefineAuthChallenge of a two-question quiz (optionally after the password, CUSTOM_WITH_SRP):
// two right answers sign in, a second wrong answer ends the attempt.
import { record } from './_record.mjs';

export const handler = async (event, context) => {
  record(event, context);
  const session = event.request.session;
  const last = session[session.length - 1];
  const custom = session.filter((s) => s.challengeName === 'CUSTOM_CHALLENGE');
  const right = custom.filter((s) => s.challengeResult).length;
  const wrong = custom.length - right;
  event.response.issueTokens = false;
  event.response.failAuthentication = false;
  if (last?.challengeName === 'SRP_A') {
    event.response.challengeName = 'PASSWORD_VERIFIER';
  } else if (last?.challengeName === 'PASSWORD_VERIFIER' && !last.challengeResult) {
    event.response.failAuthentication = true;
  } else if (wrong >= 2) {
    event.response.failAuthentication = true;
  } else if (right >= 2) {
    event.response.issueTokens = true;
  } else {
    event.response.challengeName = 'CUSTOM_CHALLENGE';
  }
  return event;
};
