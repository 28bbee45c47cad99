// DefineAuthChallenge of an e-mailed sign-in code (CUSTOM_WITHOUT_SRP: no password at all): one
// CUSTOM_CHALLENGE per try, the right code signs in, three wrong ones end the attempt.
const ATTEMPTS = 3;

export const handler = async (event) => {
  const session = event.request.session;
  const last = session[session.length - 1];
  event.response.issueTokens = false;
  event.response.failAuthentication = false;
  if (last?.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult === true) {
    event.response.issueTokens = true;
  } else if (session.length >= ATTEMPTS) {
    event.response.failAuthentication = true;
  } else {
    event.response.challengeName = 'CUSTOM_CHALLENGE';
  }
  return event;
};
