// The endpoints of a pool's domain (Cognito's "user pool endpoints"): /oauth2/authorize, the hosted
// UI's pages (/login, /signup, /forgotPassword ...), /oauth2/token, /oauth2/userInfo, /oauth2/revoke,
// /logout, /oauth2/idpresponse; and the pool's OpenID discovery document.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HandlerRegistry, PoolContext } from '../context.js';
import { CognitoError } from '../api/errors.js';
import { checkFormPost } from '../hosted-ui/csrf.js';
import { page, paragraph } from '../hosted-ui/pages.js';
import { currentHostedSession, endHostedSession } from '../hosted-ui/session.js';
import { postChallenge, postLogin, showLogin, type SignInContext } from '../hosted-ui/sign-in.js';
import { postConfirm, postConfirmForgotPassword, postForgotPassword, postResendCode, postSignUp, showForgotPassword, showSignUp } from '../hosted-ui/accounts.js';
import { readAuthorizeRequest, type AuthorizeRequest } from './authorize-request.js';
import { OAuthError } from './client-auth.js';
import { openidConfiguration } from './discovery.js';
import { resolveDomain, type DomainRequest } from './domains.js';
import { finishFederation, startFederation } from './federation.js';
import { grantAuthorization, redirectError } from './grant.js';
import { HttpError, readForm, redirect, sendHtml, sendJson, type HttpContext } from './http.js';
import { revokeEndpoint } from './revoke.js';
import { tokenEndpoint } from './token-endpoint.js';
import { userInfo } from './userinfo.js';
import { ssoSessionReusable } from '../pools/user-sessions.js';
import { sendLogo } from '../hosted-ui/branding.js';
import { sendAsset } from '../hosted-ui/managed-login.js';

export interface OAuthRouteOptions {
  ctx: PoolContext;
  operations: HandlerRegistry;
  cors: (req: IncomingMessage) => Record<string, string>;
}

function errorPage(http: HttpContext, error: string, description: string, status = 400): void {
  sendHtml(http, status, page({ title: 'Something went wrong', error: description }, `<p>Error: <code id="error-code">${error}</code></p>${paragraph('Go back to the app and start the sign-in again.')}`));
}

type Page = (s: SignInContext, fields: URLSearchParams) => Promise<void> | void;

const PAGES: Record<string, { get?: (s: SignInContext) => void; post?: Page }> = {
  '/login': { post: postLogin },
  '/login/challenge': { post: postChallenge },
  '/signup': { get: (s) => showSignUp(s), post: postSignUp },
  '/confirm': { post: postConfirm },
  '/resendcode': { post: postResendCode },
  '/forgotPassword': { get: (s) => showForgotPassword(s), post: postForgotPassword },
  '/confirmForgotPassword': { post: postConfirmForgotPassword },
};

/** The request of a page (its query), or the answer already given when it cannot go on. */
function authorizeRequestOf(ctx: PoolContext, domain: DomainRequest, http: HttpContext, query: URLSearchParams): AuthorizeRequest | undefined {
  const outcome = readAuthorizeRequest(ctx, domain.domain, query);
  if (outcome.kind === 'page') return void errorPage(http, outcome.error, outcome.description);
  if (outcome.kind === 'redirect') return void redirectError(http, outcome, outcome.error, outcome.description);
  return outcome.request;
}

async function authorize(o: OAuthRouteOptions, domain: DomainRequest, http: HttpContext, query: URLSearchParams, fromLoginPage: boolean): Promise<void> {
  const request = authorizeRequestOf(o.ctx, domain, http, query);
  if (!request) return;
  if (request.identityProvider !== undefined) return startFederation(o.ctx, http, domain, request);
  const prompts = (request.prompt ?? '').split(' ');
  const session = prompts.includes('login') || prompts.includes('select_account') ? undefined : currentHostedSession(o.ctx, domain, http);
  // A client's SSO session validity (SetUserPoolClientSessionConfiguration) limits the silent reuse.
  if (session && ssoSessionReusable(o.ctx, request.pool.id, request.client.id, session.authTime)) {
    return grantAuthorization(o.ctx, http, request, { user: session.user, authTime: session.authTime });
  }
  if (prompts.includes('none')) return redirectError(http, request, 'login_required', 'The user is not signed in at the hosted UI (prompt=none).');
  if (!fromLoginPage) return redirect(http, `${domain.base}/login?${query.toString()}`);
  showLogin({ ctx: o.ctx, operations: o.operations, domain, http, request });
}

function logout(o: OAuthRouteOptions, domain: DomainRequest, http: HttpContext, query: URLSearchParams): void {
  const clientId = query.get('client_id');
  const client = clientId ? o.ctx.store.getClient(clientId) : undefined;
  if (!client || client.poolId !== domain.domain.poolId) return errorPage(http, 'invalid_request', clientId ? `No app client ${clientId} in the user pool of this domain.` : 'client_id is required.');
  const logoutUri = query.get('logout_uri');
  const redirectUri = query.get('redirect_uri');
  if (logoutUri === null && redirectUri === null) return errorPage(http, 'invalid_request', 'logout_uri (or redirect_uri and response_type, to sign in again) is required.');
  if (logoutUri !== null && !(client.config.LogoutURLs ?? []).includes(logoutUri)) {
    return errorPage(http, 'redirect_mismatch', `logout_uri ${logoutUri} is not one of the client's sign-out URLs.`);
  }
  const cleared = endHostedSession(o.ctx, domain, http);
  if (logoutUri !== null) return redirect(http, logoutUri, [cleared]);
  // Sign in again: the login page checks the request as /oauth2/authorize does.
  redirect(http, `${domain.base}/login?${query.toString()}`, [cleared]);
}

async function oauthJson(http: HttpContext, log: (line: string) => void, work: () => Promise<unknown>): Promise<void> {
  try {
    const body = await work();
    if (body === undefined) {
      http.res.writeHead(200, { ...http.cors(), 'Content-Length': '0', 'Cache-Control': 'no-store' });
      return void http.res.end();
    }
    sendJson(http, 200, body);
  } catch (error) {
    if (error instanceof HttpError) return sendJson(http, error.status, { error: 'invalid_request', error_description: error.message });
    if (!(error instanceof OAuthError)) throw error;
    log(`[pool] ${http.req.url?.split('?')[0]} -> ${error.error}: ${error.description}`);
    // As Cognito: the error code, no description (the pool log has it); userInfo's carries it in WWW-Authenticate.
    sendJson(http, error.status, { error: error.error }, error.headers);
  }
}

async function routeDomain(o: OAuthRouteOptions, domain: DomainRequest, http: HttpContext, url: URL): Promise<void> {
  const { ctx } = o;
  const method = http.req.method ?? 'GET';
  const path = domain.path;
  const query = url.searchParams;
  if (path === '/oauth2/token' && method === 'POST') return oauthJson(http, ctx.log, async () => tokenEndpoint(ctx, domain.domain, http.req, await readForm(http.req)));
  if (path === '/oauth2/revoke' && method === 'POST') return oauthJson(http, ctx.log, async () => revokeEndpoint(ctx, domain.domain, http.req, await readForm(http.req)));
  if ((path === '/oauth2/userInfo' || path === '/oauth2/userinfo') && (method === 'GET' || method === 'POST')) return oauthJson(http, ctx.log, () => userInfo(ctx, http.req));
  if (method === 'GET' && path === '/oauth2/authorize') return authorize(o, domain, http, query, false);
  if (method === 'GET' && path === '/login') return authorize(o, domain, http, query, true);
  if (method === 'GET' && path === '/logout') return logout(o, domain, http, query);
  if (method === 'GET' && path === '/oauth2/idpresponse') {
    const failed = await finishFederation(ctx, http, domain, query);
    if (failed) errorPage(http, failed.error, failed.description);
    return;
  }
  if (method === 'GET' && path === '/error') return errorPage(http, query.get('error') ?? 'unknown_error', query.get('error_description') ?? 'The sign-in failed.');
  const handlers = PAGES[path];
  const pageHandler = method === 'GET' ? handlers?.get : method === 'POST' ? handlers?.post : undefined;
  if (!pageHandler) return errorPage(http, 'not_found', `No page ${method} ${path} on this domain.`, 404);
  const fields = method === 'POST' ? await readForm(http.req) : new URLSearchParams();
  if (method === 'POST') checkFormPost(domain, http, fields);
  const request = authorizeRequestOf(ctx, domain, http, query);
  if (!request) return;
  await pageHandler({ ctx, operations: o.operations, domain, http, request }, fields);
}

const DISCOVERY = /^\/([\w-]+_[0-9a-zA-Z]+)\/\.well-known\/openid-configuration$/;
const LOGO = /^\/([\w-]+_[0-9a-zA-Z]+)\/_ui-customization\/([\w+%]+)\/logo$/;
const MANAGED_LOGIN_ASSET = /^\/([\w-]+_[0-9a-zA-Z]+)\/_managed-login\/([0-9a-fA-F-]{36})\/([A-Z_]+)\/([A-Z]+)$/;

/**
 * Answers the request when it is one of a domain's endpoints or the discovery document, and says so;
 * false leaves it to the pool's other routes.
 */
export async function routeOAuth(o: OAuthRouteOptions, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const http: HttpContext = { req, res, cors: () => o.cors(req) };
  const discovery = DISCOVERY.exec(url.pathname);
  if (discovery && req.method === 'GET') {
    sendJson(http, 200, openidConfiguration(o.ctx, discovery[1]!));
    return true;
  }
  const logo = LOGO.exec(url.pathname);
  if (logo && (req.method === 'GET' || req.method === 'HEAD')) {
    sendLogo(o.ctx, http, logo[1]!, logo[2]!);
    return true;
  }
  const asset = MANAGED_LOGIN_ASSET.exec(url.pathname);
  if (asset && (req.method === 'GET' || req.method === 'HEAD')) {
    sendAsset(o.ctx, http, asset[1]!, asset[2]!, asset[3]!, asset[4]!);
    return true;
  }
  let domain: DomainRequest | undefined;
  try {
    domain = resolveDomain(o.ctx, req, url.pathname);
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    errorPage(http, 'not_found', error.message, 404);
    return true;
  }
  if (!domain) return false;
  try {
    await routeDomain(o, domain, http, url);
  } catch (error) {
    if (res.headersSent) throw error;
    if (error instanceof HttpError) {
      o.ctx.log(`[pool] ${req.method} ${url.pathname} -> ${error.status}: ${error.message}`);
      errorPage(http, error.status === 403 ? 'forbidden' : 'invalid_request', error.message, error.status);
      return true;
    }
    throw error;
  }
  return true;
}
