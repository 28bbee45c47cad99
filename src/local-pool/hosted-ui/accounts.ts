// The hosted UI's sign-up and forgot-password pages, over the pool's own SignUp / ConfirmSignUp /
// ResendConfirmationCode / ForgotPassword / ConfirmForgotPassword. Both end on the sign-in page, the
// user's name filled in (Cognito's hosted UI signs a confirmed user in; here the user signs in once more).
import { CognitoError } from '../api/errors.js';
import { secretHash } from '../crypto/secrets.js';
import { requiredAttributes } from '../pools/config.js';
import type { JsonObject } from '../api/validation.js';
import { sendHtml } from '../oauth/http.js';
import { csrfToken } from './csrf.js';
import { form, input, link, page, paragraph } from './pages.js';
import { callOperation, pageBranding, pageUrl, showLogin, type SignInContext } from './sign-in.js';
import { termsLinksHtml } from './managed-login.js';

const withSecret = (s: SignInContext, username: string): JsonObject =>
  s.request.client.secret === null ? {} : { SecretHash: secretHash(s.request.client.secret, username, s.request.client.id) };

function render(s: SignInContext, title: string, body: string, messages: { error?: string | undefined; notice?: string | undefined; status?: number } = {}): void {
  const frame = { title, appName: s.request.client.name, lang: s.request.lang, branding: pageBranding(s), error: messages.error, notice: messages.notice };
  const back = `<div class="links">${link(pageUrl(s, '/login'), 'Back to sign in', 'back-to-sign-in')}</div>`;
  sendHtml(s.http, messages.status ?? 200, page(frame, body + back));
}

/** The attributes the sign-up form asks for: the pool's required ones, and email when codes go there. */
function signUpAttributes(s: SignInContext): string[] {
  const config = s.request.pool.config;
  const names = new Set(requiredAttributes(config));
  for (const name of [...config.UsernameAttributes, ...config.AutoVerifiedAttributes]) names.add(name);
  return [...names].filter((name) => !(config.UsernameAttributes.length === 1 && config.UsernameAttributes[0] === name));
}

export function showSignUp(s: SignInContext, options: { error?: string; values?: URLSearchParams; status?: number } = {}): void {
  const { token, cookies } = csrfToken(s.domain, s.http);
  const values = options.values ?? new URLSearchParams();
  const usernameLabel = s.request.pool.config.UsernameAttributes.length > 0 ? s.request.pool.config.UsernameAttributes.join(' or ') : 'Username';
  const fields =
    input('username', usernameLabel, { value: values.get('username') ?? '', autocomplete: 'username', autofocus: true }) +
    signUpAttributes(s).map((name) => input(`attribute.${name}`, name, { value: values.get(`attribute.${name}`) ?? '', type: name === 'email' ? 'email' : 'text' })).join('') +
    input('password', 'Password', { type: 'password', autocomplete: 'new-password' });
  const frame = { title: 'Sign up', appName: s.request.client.name, lang: s.request.lang, branding: pageBranding(s), error: options.error };
  const terms = s.domain.domain.managedLoginVersion === 2 ? termsLinksHtml(s.ctx, s.request.pool.id, s.request.client.id, s.request.lang) : '';
  const body = form({ action: pageUrl(s, '/signup'), csrf: token, name: 'signup', fields, submit: 'Sign up' }) + terms +
    `<div class="links">${link(pageUrl(s, '/login'), 'Already have an account? Sign in', 'back-to-sign-in')}</div>`;
  sendHtml(s.http, options.status ?? 200, page(frame, body), cookies);
}

function showConfirm(s: SignInContext, username: string, messages: { error?: string; notice?: string; status?: number } = {}): void {
  const { token } = csrfToken(s.domain, s.http);
  const body = form({
    action: pageUrl(s, '/confirm'),
    csrf: token,
    hidden: { username },
    name: 'confirm',
    fields: input('code', 'Confirmation code', { autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true }),
    submit: 'Confirm account',
  }) + form({ action: pageUrl(s, '/resendcode'), csrf: token, hidden: { username }, fields: '', submit: 'Send a new code' });
  render(s, 'Confirm your account', body, messages);
}

export async function postSignUp(s: SignInContext, fields: URLSearchParams): Promise<void> {
  const username = fields.get('username')?.trim() ?? '';
  const attributes = [...fields].filter(([name, value]) => name.startsWith('attribute.') && value !== '').map(([name, value]) => ({ Name: name.slice('attribute.'.length), Value: value }));
  try {
    const answer = await callOperation(s, 'SignUp', {
      ClientId: s.request.client.id,
      Username: username,
      Password: fields.get('password') ?? '',
      UserAttributes: attributes,
      ...withSecret(s, username),
    });
    if (answer['UserConfirmed'] === true) return showLogin(s, { username, notice: 'Your account is ready. Sign in.' });
    const delivery = answer['CodeDeliveryDetails'] as { Destination?: string } | undefined;
    return showConfirm(s, username, { notice: `We sent a confirmation code to ${delivery?.Destination ?? 'you'}.` });
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    return showSignUp(s, { error: error.message, values: fields, status: 400 });
  }
}

export async function postConfirm(s: SignInContext, fields: URLSearchParams): Promise<void> {
  const username = fields.get('username') ?? '';
  try {
    await callOperation(s, 'ConfirmSignUp', { ClientId: s.request.client.id, Username: username, ConfirmationCode: (fields.get('code') ?? '').trim(), ...withSecret(s, username) });
    return showLogin(s, { username, notice: 'Your account is confirmed. Sign in.' });
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    return showConfirm(s, username, { error: error.message, status: 400 });
  }
}

export async function postResendCode(s: SignInContext, fields: URLSearchParams): Promise<void> {
  const username = fields.get('username') ?? '';
  try {
    const answer = await callOperation(s, 'ResendConfirmationCode', { ClientId: s.request.client.id, Username: username, ...withSecret(s, username) });
    const delivery = answer['CodeDeliveryDetails'] as { Destination?: string } | undefined;
    return showConfirm(s, username, { notice: `We sent a new code to ${delivery?.Destination ?? 'you'}.` });
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    return showConfirm(s, username, { error: error.message, status: 400 });
  }
}

export function showForgotPassword(s: SignInContext, messages: { error?: string; status?: number } = {}): void {
  const { token, cookies } = csrfToken(s.domain, s.http);
  const body = paragraph('Enter your username; we send a code to reset your password.') +
    form({ action: pageUrl(s, '/forgotPassword'), csrf: token, name: 'forgot-password', fields: input('username', 'Username', { autocomplete: 'username', autofocus: true }), submit: 'Reset my password' });
  const frame = { title: 'Forgot your password?', appName: s.request.client.name, lang: s.request.lang, branding: pageBranding(s), error: messages.error };
  sendHtml(s.http, messages.status ?? 200, page(frame, body + `<div class="links">${link(pageUrl(s, '/login'), 'Back to sign in', 'back-to-sign-in')}</div>`), cookies);
}

function showConfirmForgotPassword(s: SignInContext, username: string, messages: { error?: string; notice?: string; status?: number } = {}): void {
  const { token } = csrfToken(s.domain, s.http);
  const body = form({
    action: pageUrl(s, '/confirmForgotPassword'),
    csrf: token,
    hidden: { username },
    name: 'confirm-forgot-password',
    fields: input('code', 'Code', { autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true }) + input('password', 'New password', { type: 'password', autocomplete: 'new-password' }),
    submit: 'Change password',
  });
  render(s, 'Reset your password', body, messages);
}

export async function postForgotPassword(s: SignInContext, fields: URLSearchParams): Promise<void> {
  const username = fields.get('username')?.trim() ?? '';
  try {
    const answer = await callOperation(s, 'ForgotPassword', { ClientId: s.request.client.id, Username: username, ...withSecret(s, username) });
    const delivery = answer['CodeDeliveryDetails'] as { Destination?: string } | undefined;
    return showConfirmForgotPassword(s, username, { notice: `We sent a code to ${delivery?.Destination ?? 'you'}.` });
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    return showForgotPassword(s, { error: error.message, status: 400 });
  }
}

export async function postConfirmForgotPassword(s: SignInContext, fields: URLSearchParams): Promise<void> {
  const username = fields.get('username') ?? '';
  try {
    await callOperation(s, 'ConfirmForgotPassword', {
      ClientId: s.request.client.id,
      Username: username,
      ConfirmationCode: (fields.get('code') ?? '').trim(),
      Password: fields.get('password') ?? '',
      ...withSecret(s, username),
    });
    return showLogin(s, { username, notice: 'Your password is changed. Sign in with it.' });
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    return showConfirmForgotPassword(s, username, { error: error.message, status: 400 });
  }
}
