// PreSignUp: a sign-up with an address at a trusted domain is confirmed at once and its address
// counts as verified (no code to type); any other sign-up confirms with the e-mailed code as usual.
// TRUSTED_DOMAINS (comma separated) names the domains; default example.com.
const TRUSTED = (process.env.TRUSTED_DOMAINS ?? 'example.com')
  .split(',')
  .map((domain) => domain.trim().toLowerCase())
  .filter(Boolean);

export const handler = async (event) => {
  // Admin-created users are invited with a temporary password; Cognito ignores the answer for them.
  if (event.triggerSource !== 'PreSignUp_SignUp') return event;
  const domain = (event.request.userAttributes.email ?? '').toLowerCase().split('@')[1];
  if (domain && TRUSTED.includes(domain)) {
    event.response.autoConfirmUser = true;
    event.response.autoVerifyEmail = true;
  }
  return event;
};
