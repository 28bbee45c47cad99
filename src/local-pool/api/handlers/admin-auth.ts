// Server-side sign-in: AdminInitiateAuth and AdminRespondToAuthChallenge. They run the public
// operations' flows and challenges (auth.ts); what differs is the input (UserPoolId, ContextData),
// the password flow (ADMIN_USER_PASSWORD_AUTH instead of USER_PASSWORD_AUTH), and that they are
// admin operations (exposure.ts keeps browser pages of other origins away).
import type { Handler, HandlerRegistry } from '../../context.js';
import { requireClientOfPool } from '../../flows/sign-in.js';
import { Rules, Validator } from '../validation.js';
import { ADMIN_FLOWS, AUTH_FLOWS, PARAMETER_RULES, answerChallenge, initiateSignIn, readChallengeAnswer, withEmailOtpName } from './auth.js';

const adminInitiateAuth: Handler = async (input, ctx) => {
  const v = new Validator(input);
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const clientId = v.requiredString('ClientId', Rules.clientId);
  const authFlow = v.requiredString('AuthFlow', { oneOf: AUTH_FLOWS });
  const parameters = v.optionalMap('AuthParameters', PARAMETER_RULES) ?? {};
  const clientMetadata = v.optionalMap('ClientMetadata');
  const session = v.optionalString('Session', Rules.session);
  v.optionalAnalyticsMetadata();
  v.optionalContextData();
  v.done();
  return initiateSignIn(ctx, ADMIN_FLOWS, { authFlow, parameters, clientMetadata, session }, () => requireClientOfPool(ctx, poolId, clientId));
};

const adminRespondToAuthChallenge: Handler = async (input, ctx) => {
  const v = new Validator(withEmailOtpName(input));
  const poolId = v.requiredString('UserPoolId', Rules.userPoolId);
  const clientId = v.requiredString('ClientId', Rules.clientId);
  const answer = readChallengeAnswer(v);
  const clientMetadata = v.optionalMap('ClientMetadata');
  v.optionalAnalyticsMetadata();
  v.optionalContextData();
  v.done();
  return answerChallenge(ctx, requireClientOfPool(ctx, poolId, clientId), { ...answer, clientMetadata });
};

export const adminAuthHandlers: HandlerRegistry = {
  AdminInitiateAuth: adminInitiateAuth,
  AdminRespondToAuthChallenge: adminRespondToAuthChallenge,
};
