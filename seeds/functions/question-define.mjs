// DefineAuthChallenge of a security question. With CUSTOM_WITH_SRP (InitiateAuth CHALLENGE_NAME=SRP_A)
// the password comes first (PASSWORD_VERIFIER), then the question; without SRP the question alone.
// A right answer signs in; three wrong ones end the attempt.
const ATTEMPTS = 3;

export const handler = async (event) => {
  const session = event.request.session;
  const last = session[session.length - 1];
  const asked = session.filter((round) => round.challengeName === 'CUSTOM_CHALLENGE').length;
  event.response.issueTokens = false;
  event.response.failAuthentication = false;
  if (last?.challengeName === 'SRP_A') {
    event.response.challengeName = 'PASSWORD_VERIFIER';
  } else if (last?.challengeName === 'PASSWORD_VERIFIER' && !last.challengeResult) {
    event.response.failAuthentication = true;
  } else if (last?.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult) {
    event.response.issueTokens = true;
  } else if (asked >= ATTEMPTS) {
    event.response.failAuthentication = true;
  } else {
    event.response.challengeName = 'CUSTOM_CHALLENGE';
  }
  return event;
};
