// A stand-in upstream OpenID provider on loopback (the oidc-provider package: a real OpenID
// Connect server, not a hand-written one), so that federation ("Continue with Google") runs offline:
// `npm start` runs one for the demo seed's provider, and the tests start their own. Its sign-in page
// takes the users it was given (username + password); consent is granted at once.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';

export interface StandInUser {
  username: string;
  password: string;
  /** The provider's id of the user (the sub claim); default a UUID. */
  sub?: string;
  /** email, email_verified, name, given_name, family_name, picture ... */
  claims?: Record<string, unknown>;
}

export interface StandInClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface StandInOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Shown on its sign-in page ("Google (stand-in)"). */
  name?: string;
  clients: StandInClient[];
  users: StandInUser[];
  log?: (line: string) => void;
}

export interface StandInProvider {
  /** The issuer (http://127.0.0.1:port): oidc_issuer of the pool's identity provider. */
  readonly issuer: string;
  close(): Promise<void>;
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * oidc-provider warns about Node 20 (it prefers 22) and its in-memory storage; both are what a
 * stand-in wants (it runs fine on 20, and keeps nothing across restarts), so those two are not shown.
 */
async function quietly<T>(work: () => T | Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!/Unsupported runtime|in-memory adapter/.test(String(args[0]))) warn(...args);
  };
  try {
    return await work();
  } finally {
    console.warn = warn;
  }
}

async function loadOidcProvider(): Promise<typeof import('oidc-provider')> {
  try {
    return await quietly(() => import('oidc-provider'));
  } catch (error) {
    throw new Error(`the stand-in provider needs the oidc-provider package (npm install -D oidc-provider): ${(error as Error).message}`);
  }
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function loginPage(name: string, uid: string, client: string, error?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(name)}</title>
<style>body{font:15px system-ui,sans-serif;background:#fafafa}main{max-width:340px;margin:48px auto;background:#fff;padding:24px;border:1px solid #ddd;border-radius:8px}
label{display:block;margin-top:12px}input{width:100%;box-sizing:border-box;padding:8px}button{margin-top:16px;width:100%;padding:9px}.error{color:#b91c1c}</style></head>
<body><main><h1>${escape(name)}</h1><p>Sign in to continue to ${escape(client)}.</p>
${error ? `<p class="error" id="error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" type="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">Cancel</button></form>
<p><small>authchart: a stand-in OpenID provider (oidc-provider) on loopback.</small></p></main></body></html>`;
}

export async function startStandInProvider(options: StandInOptions): Promise<StandInProvider> {
  const { default: Provider } = await loadOidcProvider();
  const name = options.name ?? 'Stand-in OpenID provider';
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  const users = options.users.map((u) => ({ ...u, sub: u.sub ?? randomUUID() }));
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  // ES256: a key made in a millisecond (an RSA one takes a few hundred), which npm start waits for.
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'ES256' };
  const provider = await quietly(() => new Provider(issuer, {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'ES256',
    })),
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name', 'picture', 'locale'] },
    // The scopes' claims in the ID token too (Cognito reads the ID token, and the userInfo endpoint).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => false },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, id: string) => {
      const user = users.find((u) => u.sub === id);
      return user ? { accountId: id, claims: () => ({ ...user.claims, sub: id }) } : undefined;
    },
  }));
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const [, , uid, action] = path.split('/');
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    const clientId = String(details.params['client_id'] ?? '');
    if (req.method === 'POST' && action === 'abort') {
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' }, { mergeWithLastSubmission: false });
    }
    if (req.method === 'POST' && action === 'login') {
      const fields = await readForm(req);
      const user = users.find((u) => u.username === fields.get('username'));
      if (!user || user.password !== fields.get('password')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return void res.end(loginPage(name, details.uid, clientId, 'Wrong username or password.'));
      }
      log(`[stand-in] ${user.username} signed in for ${clientId}`);
      return provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
    }
    if (details.prompt.name === 'consent') {
      const { prompt, params, session } = details;
      const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      const grant = details.grantId ? (await provider.Grant.find(details.grantId))! : new provider.Grant({ accountId: session!.accountId, clientId: String(params['client_id']) });
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(name, details.uid, clientId));
  }

  server.on('request', (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!path.startsWith('/interaction/')) return void callback(req, res);
    interaction(req, res, path).catch((error: unknown) => {
      log(`[stand-in] interaction failed: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('The sign-in expired; go back to the app and start again.');
    });
  });
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
