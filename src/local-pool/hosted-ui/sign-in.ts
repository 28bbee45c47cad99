// The hosted UI's sign-in: the password page, then each challenge the pool answers with (MFA codes,
// the choice of factor, MFA setup, a new password), through the pool's own flows and operations
// (passwordSignIn, RespondToAuthChallenge, AssociateSoftwareToken, VerifySoftwareToken): the pages
// add no sign-in rules of their own. A completed sign-in starts the hosted-UI session and sends the
// browser back to the app with a code.
import type { HandlerRegistry, PoolContext } from '../context.js';
import { CognitoError } from '../api/errors.js';
import { passwordSignIn } from '../api/handlers/auth.js';
import { secretHash } from '../crypto/secrets.js';
import type { JsonObject } from '../api/validation.js';
import type { AuthorizeRequest } from '../oauth/authorize-request.js';
import { offersPasswordSignIn } from '../oauth/authorize-request.js';
import { COGNITO_PROVIDER } from '../oauth/client-settings.js';
import type { DomainRequest } from '../oauth/domains.js';
import { grantAuthorization } from '../oauth/grant.js';
import { sendHtml, type HttpContext } from '../oauth/http.js';
import { csrfToken } from './csrf.js';
import { form, input, link, page, paragraph, providerButton, qrCode, escapeHtml } from './pages.js';
import { startHostedSession } from './session.js';
import { brandingOf } from './branding.js';
import { managedLoginBrandingOf } from './managed-login.js';
import { asHostedSignIn } from '../triggers/hosted-sign-in.js';

export interface SignInContext {
  ctx: PoolContext;
  operations: HandlerRegistry;
  domain: DomainRequest;
  http: HttpContext;
  request: AuthorizeRequest;
}

/** `path` under the domain, with the authorize request's parameters (every page carries them on). */
export const pageUrl = (s: Pick<SignInContext, 'domain' | 'request'>, path: string, extra: Record<string, string> = {}): string => {
  const params = new URLSearchParams(s.request.params);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  return `${s.domain.base}${path}?${params.toString()}`;
};

/** The branding of the page's client (or of its pool); on a ManagedLoginVersion 2 domain, the client's managed login style. */
export const pageBranding = (s: Pick<SignInContext, 'ctx' | 'request' | 'domain'>) =>
  s.domain.domain.managedLoginVersion === 2
    ? managedLoginBrandingOf(s.ctx, s.request.pool.id, s.request.client.id)
    : brandingOf(s.ctx, s.request.pool.id, s.request.client.id);

const frame = (s: SignInContext, title: string, messages: { error?: string | undefined; notice?: string | undefined } = {}) => ({
  title,
  appName: s.request.client.name,
  branding: pageBranding(s),
  lang: s.request.lang,
  ...messages,
});

export interface LoginPageOptions {
  username?: string | undefined;
  error?: string | undefined;
  notice?: string | undefined;
  status?: number;
}

export function showLogin(s: SignInContext, options: LoginPageOptions = {}): void {
  const { token, cookies } = csrfToken(s.domain, s.http);
  const providers = (s.request.client.config.SupportedIdentityProviders ?? []).filter((name) => name !== COGNITO_PROVIDER);
  const parts: string[] = [];
  if (offersPasswordSignIn(s.request)) {
    parts.push(
      form({
        action: pageUrl(s, '/login'),
        csrf: token,
        name: 'signin',
        fields:
          input('username', 'Username', { value: options.username ?? s.request.loginHint ?? '', autocomplete: 'username', autofocus: true }) +
          input('password', 'Password', { type: 'password', autocomplete: 'current-password' }),
        submit: 'Sign in',
      }),
    );
    const selfSignUp = !s.request.pool.config.AdminCreateUserConfig.AllowAdminCreateUserOnly;
    parts.push(
      `<div class="links">${link(pageUrl(s, '/forgotPassword'), 'Forgot your password?', 'forgot-password')}${selfSignUp ? link(pageUrl(s, '/signup'), 'Sign up', 'sign-up') : ''}</div>`,
    );
  }
  if (providers.length > 0) {
    if (parts.length > 0) parts.push('<p class="or">or</p>');
    for (const name of providers) parts.push(providerButton(pageUrl(s, '/oauth2/authorize', { identity_provider: name }), name));
  }
  sendHtml(s.http, options.status ?? 200, page(frame(s, 'Sign in', options), parts.join('')), cookies);
}

const errorText = (error: unknown): string => (error instanceof CognitoError ? error.message : 'Something went wrong; try again.');

/** SECRET_HASH for clients with a secret: the hosted UI is the client here and knows it. */
function withSecretHash(s: SignInContext, username: string, parameters: Record<string, string>): Record<string, string> {
  const secret = s.request.client.secret;
  return secret === null ? parameters : { ...parameters, SECRET_HASH: secretHash(secret, username, s.request.client.id) };
}

export async function postLogin(s: SignInContext, fields: URLSearchParams): Promise<void> {
  if (!offersPasswordSignIn(s.request)) return showLogin(s, { error: 'This app signs in through an external provider only.', status: 400 });
  const username = fields.get('username')?.trim() ?? '';
  const password = fields.get('password') ?? '';
  if (username === '' || password === '') return showLogin(s, { username, error: 'Enter your username and password.', status: 400 });
  let result: JsonObject;
  try {
    result = await asHostedSignIn(() =>
      passwordSignIn(s.ctx, {
        pool: s.request.pool,
        client: s.request.client,
        parameters: withSecretHash(s, username, { USERNAME: username, PASSWORD: password }),
      }),
    );
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    return showLogin(s, { username, error: error.message, status: 400 });
  }
  return continueSignIn(s, result, username);
}

/** The next page for what the pool answered: a challenge, or the end of the sign-in. */
async function continueSignIn(s: SignInContext, result: JsonObject, username: string): Promise<void> {
  const authentication = result['AuthenticationResult'] as { AccessToken?: string } | undefined;
  if (authentication?.AccessToken) return finishSignIn(s, authentication.AccessToken);
  const challenge = String(result['ChallengeName'] ?? '');
  const parameters = (result['ChallengeParameters'] ?? {}) as Record<string, string>;
  const step: ChallengeStep = {
    challenge,
    session: String(result['Session'] ?? ''),
    username: parameters['USER_ID_FOR_SRP'] ?? parameters['USERNAME'] ?? username,
    parameters,
  };
  return showChallenge(s, step);
}

/**
 * The pool's flows ended in tokens for an API sign-in; the hosted UI gives the app its own (from the
 * code), so that family ends here and the hosted-UI session begins.
 */
async function finishSignIn(s: SignInContext, accessToken: string): Promise<void> {
  const { poolId, claims } = await s.ctx.tokens.verifyAccessToken(accessToken);
  s.ctx.store.revokeFamily(claims.origin_jti, s.ctx.clock.now());
  const user = s.ctx.store.getUserBySub(poolId, claims.sub);
  if (!user) return showLogin(s, { error: 'User does not exist.', status: 400 });
  const authTime = Math.floor(s.ctx.clock.now() / 1000);
  const sessionCookie = startHostedSession(s.ctx, s.domain, user, authTime);
  return grantAuthorization(s.ctx, s.http, s.request, { user, authTime }, [sessionCookie]);
}

// ---------- challenges ----------

interface ChallengeStep {
  challenge: string;
  session: string;
  username: string;
  parameters: Record<string, string>;
}

const CODE_CHALLENGES: Record<string, { response: string; title: string; text: (p: Record<string, string>) => string }> = {
  SMS_MFA: {
    response: 'SMS_MFA_CODE',
    title: 'Enter the code we texted you',
    text: (p) => `We sent a code to ${p['CODE_DELIVERY_DESTINATION'] ?? 'your phone'}.`,
  },
  EMAIL_OTP: {
    response: 'EMAIL_OTP_CODE',
    title: 'Enter the code we e-mailed you',
    text: (p) => `We sent a code to ${p['CODE_DELIVERY_DESTINATION'] ?? 'your e-mail address'}.`,
  },
  SOFTWARE_TOKEN_MFA: {
    response: 'SOFTWARE_TOKEN_MFA_CODE',
    title: 'Enter your authenticator code',
    text: (p) => `Enter the 6-digit code from ${p['FRIENDLY_DEVICE_NAME'] ?? 'your authenticator app'}.`,
  },
};

const MFA_NAMES: Record<string, string> = { SMS_MFA: 'Text message (SMS)', SOFTWARE_TOKEN_MFA: 'Authenticator app', EMAIL_OTP: 'E-mail' };

const readList = (text: string | undefined): string[] => {
  try {
    const parsed: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

function showChallenge(s: SignInContext, step: ChallengeStep, messages: { error?: string; status?: number; totp?: { secret: string } | undefined } = {}): void {
  const { token, cookies } = csrfToken(s.domain, s.http);
  const carried = { challenge: step.challenge, session: step.session, username: step.username, parameters: JSON.stringify(step.parameters) };
  const action = pageUrl(s, '/login/challenge');
  const status = messages.status ?? 200;
  const render = (title: string, body: string) => sendHtml(s.http, status, page(frame(s, title, { error: messages.error }), body), cookies);
  const code = CODE_CHALLENGES[step.challenge];
  if (code) {
    return render(
      code.title,
      paragraph(code.text(step.parameters)) +
        form({ action, csrf: token, hidden: carried, name: 'challenge', fields: input('code', 'Code', { autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true }), submit: 'Sign in' }),
    );
  }
  if (step.challenge === 'SELECT_MFA_TYPE') {
    const choices = readList(step.parameters['MFAS_CAN_CHOOSE']);
    return render(
      'Choose how to confirm it is you',
      choices.map((choice) => form({ action, csrf: token, hidden: { ...carried, answer: choice }, fields: '', submit: MFA_NAMES[choice] ?? choice })).join(''),
    );
  }
  if (step.challenge === 'NEW_PASSWORD_REQUIRED') {
    const required = readList(step.parameters['requiredAttributes']).map((name) => name.replace(/^userAttributes\./, ''));
    return render(
      'Change your password',
      paragraph('Your password is temporary: choose a new one.') +
        form({
          action,
          csrf: token,
          hidden: carried,
          name: 'new-password',
          fields: input('new_password', 'New password', { type: 'password', autocomplete: 'new-password', autofocus: true }) +
            required.map((name) => input(`attribute.${name}`, name)).join(''),
          submit: 'Change password and sign in',
        }),
    );
  }
  if (step.challenge === 'MFA_SETUP') {
    const choices = readList(step.parameters['MFAS_CAN_SETUP']);
    if (messages.totp) {
      const uri = `otpauth://totp/${encodeURIComponent(`${s.request.pool.name}:${step.username}`)}?secret=${messages.totp.secret}&issuer=${encodeURIComponent(s.request.pool.name)}`;
      return render(
        'Set up your authenticator app',
        paragraph('Scan the code with your authenticator app (or enter the key), then enter the code it shows.') +
          qrCode(uri) +
          `<p>Key: <code id="totp-secret">${escapeHtml(messages.totp.secret)}</code></p>` +
          form({ action, csrf: token, hidden: { ...carried, setup: 'totp-verify', secret: messages.totp.secret }, name: 'totp-setup', fields: input('code', 'Code', { autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true }), submit: 'Verify and sign in' }),
      );
    }
    const parts = [paragraph('This app asks for a second step at sign-in. Set one up now.')];
    if (choices.includes('SOFTWARE_TOKEN_MFA')) parts.push(form({ action, csrf: token, hidden: { ...carried, setup: 'totp' }, fields: '', submit: 'Use an authenticator app' }));
    if (choices.includes('EMAIL_OTP')) {
      parts.push(form({ action, csrf: token, hidden: { ...carried, setup: 'email' }, name: 'email-setup', fields: input('email', 'E-mail address', { type: 'email', autocomplete: 'email' }), submit: 'Use e-mail codes' }));
    }
    if (parts.length === 1) parts.push(paragraph('No factor this page can set up is offered (SMS needs a verified phone number).'));
    return render('Set up a second step', parts.join(''));
  }
  // What the hosted UI does not show (CUSTOM_CHALLENGE, passkeys, devices): Cognito's hosted UI does not either.
  showLogin(s, { error: `The sign-in asks for ${step.challenge}, which the hosted UI does not offer.`, status: 400 });
}

function readStep(fields: URLSearchParams): ChallengeStep {
  let parameters: Record<string, string> = {};
  try {
    const parsed: unknown = JSON.parse(fields.get('parameters') ?? '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) parameters = parsed as Record<string, string>;
  } catch {
    // shown without them
  }
  return { challenge: fields.get('challenge') ?? '', session: fields.get('session') ?? '', username: fields.get('username') ?? '', parameters };
}

/** Errors after which the Session is gone: the sign-in starts over. */
const endsSession = (error: unknown): boolean =>
  error instanceof CognitoError && error.type === 'NotAuthorizedException';

export async function postChallenge(s: SignInContext, fields: URLSearchParams): Promise<void> {
  const step = readStep(fields);
  const respond = (responses: Record<string, string>, session = step.session) =>
    call(s, 'RespondToAuthChallenge', {
      ClientId: s.request.client.id,
      ChallengeName: step.challenge,
      Session: session,
      ChallengeResponses: withSecretHash(s, step.username, { USERNAME: step.username, ...responses }),
    });
  try {
    const code = CODE_CHALLENGES[step.challenge];
    if (code) return continueSignIn(s, await respond({ [code.response]: (fields.get('code') ?? '').trim() }), step.username);
    if (step.challenge === 'SELECT_MFA_TYPE') return continueSignIn(s, await respond({ ANSWER: fields.get('answer') ?? '' }), step.username);
    if (step.challenge === 'NEW_PASSWORD_REQUIRED') {
      const attributes: Record<string, string> = {};
      for (const [name, value] of fields) if (name.startsWith('attribute.') && value !== '') attributes[`userAttributes.${name.slice('attribute.'.length)}`] = value;
      return continueSignIn(s, await respond({ NEW_PASSWORD: fields.get('new_password') ?? '', ...attributes }), step.username);
    }
    if (step.challenge === 'MFA_SETUP') return await mfaSetup(s, step, fields, respond);
    return showLogin(s, { error: 'Sign in again.', status: 400 });
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    if (endsSession(error)) return showLogin(s, { username: step.username, error: `${error.message} Sign in again.`, status: 400 });
    const secret = fields.get('setup') === 'totp-verify' ? fields.get('secret') : null;
    return showChallenge(s, step, { error: errorText(error), status: 400, ...(secret ? { totp: { secret } } : {}) });
  }
}

async function mfaSetup(
  s: SignInContext,
  step: ChallengeStep,
  fields: URLSearchParams,
  respond: (responses: Record<string, string>, session?: string) => Promise<JsonObject>,
): Promise<void> {
  const setup = fields.get('setup');
  if (setup === 'totp') {
    const associated = await call(s, 'AssociateSoftwareToken', { Session: step.session });
    const next = { ...step, session: String(associated['Session']) };
    return showChallenge(s, next, { totp: { secret: String(associated['SecretCode']) } });
  }
  if (setup === 'totp-verify') {
    const verified = await call(s, 'VerifySoftwareToken', { Session: step.session, UserCode: (fields.get('code') ?? '').trim() });
    return continueSignIn(s, await respond({}, String(verified['Session'])), step.username);
  }
  if (setup === 'email') return continueSignIn(s, await respond({ EMAIL: (fields.get('email') ?? '').trim() }), step.username);
  return showChallenge(s, step, { error: 'Choose a second step.', status: 400 });
}

/** One of the pool's own operations, as the API answers it. */
async function call(s: SignInContext, operation: string, body: JsonObject): Promise<JsonObject> {
  const handler = s.operations[operation];
  if (!handler) throw new CognitoError('InternalErrorException', `The pool has no ${operation}.`, 500);
  return asHostedSignIn(() => handler(body, s.ctx));
}

export { call as callOperation };
