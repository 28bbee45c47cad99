// HTTP front of the local pool: AWS JSON 1.1 on POST /, JWKS, health, CORS, and the /_local
// endpoints for tests and demos. Who may call what (Host, Origin) is decided in exposure.ts.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { serveStaticFile } from './static-files.js';
import { injectedError, type Fault, type FaultPlan } from './faults.js';
import { ManualClock, type Clock } from '../clock.js';
import type { HandlerRegistry, PoolContext } from '../context.js';
import { CognitoError, Errors } from './errors.js';
import { PUBLIC_OPERATIONS, type ExposurePolicy } from './exposure.js';
import { currentTotpCode, outboxFilterFrom } from './local-api.js';
import { routeOAuth } from '../oauth/routes.js';
import { receiveImportFile } from './import-upload.js';
import { resetToSeed } from '../pools/reset.js';
import type { SeedDocument } from '../pools/seed.js';
import { isPlainObject, MAX_NESTING, nestsDeeperThan, type JsonObject } from './validation.js';

export interface RequestLogEntry {
  /** The X-Amz-Target header, e.g. "AWSCognitoIdentityProviderService.InitiateAuth". */
  readonly target: string;
  /** Clock time the request arrived. */
  readonly at: number;
  /** "ok" or the exception name. */
  readonly outcome: string;
}

export interface ServerOptions {
  ctx: PoolContext;
  operations: HandlerRegistry;
  requests: RequestLogEntry[];
  log: (line: string) => void;
  enableControlApi: boolean;
  /** Serve /_local/* (outbox, TOTP codes, request log, clock); off: they answer 404. */
  localApi: boolean;
  exposure: ExposurePolicy;
  clock: Clock;
  /** Built web files served on GET (the demo page), when given. */
  staticDir?: string | undefined;
  /** Faults injected on demand (tests, outage rehearsals). */
  faults: FaultPlan;
  /** The seed POST /_local/reset puts back (the demo's "Reset demo data"); none: the route is refused. */
  resetSeed?: SeedDocument | undefined;
}

/**
 * POST /_local/reset must carry this header: a page of another origin cannot add it without a CORS
 * preflight, which /_local/* never grants (on top of the Origin check every /_local route has).
 */
export const RESET_HEADER = 'x-authchart-reset';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const JSON_TYPE = 'application/x-amz-json-1.1';
const MAX_BODY_BYTES = 1024 * 1024;
/** A larger body is read and dropped up to this size (so the client reads its 413); beyond, the connection is cut. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;
/** Media types read as the JSON body; none at all is read as JSON too (hand-written clients). */
const JSON_MEDIA_TYPES = new Set([JSON_TYPE, 'application/x-amz-json-1.0', 'application/json']);
/** POST /_local/clock moves the clock at most 100 years at a time, and never past LAST_CLOCK_MS. */
const MAX_CLOCK_STEP_MS = 100 * 365.25 * 86_400_000;
/** 9999-12-31T23:59:59.999Z. */
const LAST_CLOCK_MS = 253_402_300_799_999;
/** Oldest entries are dropped beyond this, so a long-running pool does not grow without bound. */
const MAX_LOGGED_REQUESTS = 10_000;

const CORS_HEADERS = {
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': [
    'content-type', 'x-amz-target', 'x-amz-user-agent', 'amz-sdk-invocation-id', 'amz-sdk-request', 'cache-control',
    'authorization', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'x-amz-api-version',
  ].join(', '),
  'Access-Control-Expose-Headers': 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date',
  'Access-Control-Max-Age': '600',
};

const bodyTooLarge = () => new CognitoError('SerializationException', 'Request body is larger than 1 MiB.', 413);

/**
 * The request body as text, at most 1 MiB. A larger one is still read to its end (and dropped), so
 * that the client, still sending, gets its 413 answer instead of a connection reset; past
 * DRAIN_LIMIT_BYTES the connection is closed without further reading.
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) {
        req.pause();
        reject(bodyTooLarge());
      } else if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => (size > MAX_BODY_BYTES ? reject(bodyTooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/** Missing, or one of the JSON media types (parameters such as charset are ignored). */
function checkContentType(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  if (type === undefined) return;
  const media = type.split(';')[0]!.trim().toLowerCase();
  if (!JSON_MEDIA_TYPES.has(media)) {
    throw Errors.serialization('The request Content-Type is not supported: send application/x-amz-json-1.1.');
  }
}

function parseJsonObject(text: string): JsonObject {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw Errors.serialization('The request body is not valid JSON.');
  }
  if (!isPlainObject(parsed)) throw Errors.serialization('The request body must be a JSON object.');
  if (nestsDeeperThan(parsed, MAX_NESTING)) throw Errors.serialization(`The request body nests deeper than ${MAX_NESTING} levels.`);
  return parsed;
}

/**
 * A request node's HTTP parser cannot read (headers over its 16 KiB limit, a broken request line, a
 * body framed wrongly) gets Cognito's error shape too, as node's 'clientError' handler; the connection
 * is closed after it, since nothing that follows on it can be framed. As node's own handler does, a
 * connection that has already carried an answer is only closed.
 */
export function answerUnreadableRequest(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable || (socket as Duplex & { bytesWritten?: number }).bytesWritten) {
    socket.destroy();
    return;
  }
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request headers are larger than 16 KiB.']
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'The request did not arrive in time.']
    : [400, 'The request is not valid HTTP/1.1.'];
  const body = JSON.stringify({ __type: 'SerializationException', message });
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      `Content-Type: ${JSON_TYPE}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      `x-amzn-RequestId: ${randomUUID()}`,
      'x-amzn-ErrorType: SerializationException:',
      `x-amzn-ErrorMessage: ${message}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}

/**
 * The request target as a URL. Always read as a path: "//x" would otherwise be taken for a host name
 * (and "//" be no URL at all), an absolute-form target ("http://other/") names no route here.
 */
function requestUrl(target: string | undefined): URL {
  try {
    return new URL(`http://local${target?.startsWith('/') ? '' : '/'}${target ?? ''}`);
  } catch {
    throw new CognitoError('ResourceNotFoundException', 'The request target is not a path.', 404);
  }
}

export function createRequestListener(options: ServerOptions): RequestListener {
  const { ctx, operations, requests, log, exposure } = options;

  /**
   * CORS for the origins allowed to call the public API. The /_local endpoints get none: only the
   * pool's own pages (which need no CORS) and non-browser tools may read codes from them.
   */
  function corsHeaders(req: IncomingMessage): Record<string, string> {
    // Nor the import files' upload URL (api/import-upload.ts): a page's PUT is refused at its preflight.
    if ((req.url ?? '').startsWith('/_local') || (req.url ?? '').startsWith('/_import/')) return {};
    const caller = exposure.caller(req);
    if (!caller.corsAllowed) return { Vary: 'Origin' };
    return {
      ...CORS_HEADERS,
      'Access-Control-Allow-Origin': caller.origin!,
      Vary: 'Origin',
      // Chrome's private network access: an allowed page on a public address may call this loopback server.
      ...(req.headers['access-control-request-private-network'] ? { 'Access-Control-Allow-Private-Network': 'true' } : {}),
    };
  }

  function send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...corsHeaders(req),
      'Content-Type': JSON_TYPE,
      'Content-Length': String(Buffer.byteLength(text)),
      'x-amzn-RequestId': randomUUID(),
      ...headers,
    });
    res.end(text);
  }

  /**
   * Cognito's error shape: bare name in __type and in x-amzn-ErrorType (with the trailing colon).
   * After a 413 the connection is closed: the rest of an oversized body is not worth reading.
   */
  function sendError(req: IncomingMessage, res: ServerResponse, error: CognitoError): void {
    send(req, res, error.status, { __type: error.type, message: error.message }, {
      'x-amzn-ErrorType': `${error.type}:`,
      'x-amzn-ErrorMessage': error.message.replace(/[^\x20-\x7e]/g, '?'),
      ...(error.status === 413 ? { Connection: 'close' } : {}),
    });
  }

  async function callOperation(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const entry = { target, at: options.clock.now(), outcome: 'ok' };
    requests.push(entry);
    if (requests.length > MAX_LOGGED_REQUESTS) requests.splice(0, requests.length - MAX_LOGGED_REQUESTS);
    let outcome = 'ok';
    try {
      // IAM-signed in real Cognito: never from a browser page of another origin.
      if (!PUBLIC_OPERATIONS.has(operation)) exposure.checkNotForeignPage(exposure.caller(req), operation || 'This request');
      const body = await readBody(req);
      const handler = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
      if (!handler) throw Errors.unknownOperation(target);
      checkContentType(req);
      const fault = options.faults.take(operation);
      if (fault) {
        outcome = `injected ${fault.fault}`;
        entry.outcome = outcome;
        if (fault.fault === 'drop') return void req.socket.destroy();
        if (fault.fault === '500' || fault.fault === '503' || fault.fault === 'unsupported') throw injectedError(fault.fault);
        if (fault.fault === 'html502') {
          res.writeHead(502, { 'Content-Type': 'text/html', ...corsHeaders(req) });
          return void res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
        }
        if (fault.fault === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        if (fault.fault === 'reset') {
          await handler(parseJsonObject(body), ctx); // it happened...
          res.writeHead(200, { 'Content-Type': JSON_TYPE, ...corsHeaders(req) });
          res.write('{"Authentic'); // ...and the answer breaks off
          return void req.socket.destroy();
        }
      }
      send(req, res, 200, await handler(parseJsonObject(body), ctx));
    } catch (thrown) {
      const error = thrown instanceof CognitoError ? thrown : Errors.internal();
      if (!(thrown instanceof CognitoError)) log(`[pool] internal error in ${operation || target}: ${(thrown as Error)?.stack ?? thrown}`);
      entry.outcome = error.type;
      // Messages never carry passwords, codes, tokens or sessions; only names, ids and reasons.
      outcome = `${error.type}: ${error.message}`;
      sendError(req, res, error);
    }
    log(`[pool] ${operation || target || '(no target)'} -> ${outcome} (${Date.now() - started} ms)`);
  }

  async function advanceClock(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!options.enableControlApi) throw new CognitoError('ForbiddenException', 'The control API is not enabled on this pool.');
    if (!(options.clock instanceof ManualClock)) {
      throw Errors.invalidParameter('This pool runs on the system clock; start it with a ManualClock to move time.');
    }
    const body = parseJsonObject(await readBody(req));
    const advanceMs = body['advanceMs'];
    // Beyond year 9999 dates stop being dates (JWT times, SRP TIMESTAMPs, expiry sums that no longer add up).
    if (typeof advanceMs !== 'number' || !(advanceMs >= 0 && advanceMs <= MAX_CLOCK_STEP_MS) || options.clock.now() + advanceMs > LAST_CLOCK_MS) {
      throw Errors.invalidParameter('advanceMs must be a number of ms from 0 to 3155760000000 (100 years), and the clock stays before the year 10000.');
    }
    options.clock.advance(advanceMs);
    send(req, res, 200, { now: options.clock.now() });
  }

  async function changeFaults(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (!options.enableControlApi) throw new CognitoError('ForbiddenException', 'The control API is not enabled on this pool.');
    if (method === 'DELETE') {
      options.faults.clear();
      return send(req, res, 200, { faults: 0 });
    }
    const body = parseJsonObject(await readBody(req));
    options.faults.add(body as unknown as Fault);
    send(req, res, 200, { ok: true });
  }

  function reset(req: IncomingMessage, res: ServerResponse): void {
    if (!options.resetSeed) throw new CognitoError('ForbiddenException', 'This pool has no seed to reset to (authchart pool --demo has one).', 403);
    if (req.headers[RESET_HEADER] !== 'demo-data') throw new CognitoError('ForbiddenException', `POST /_local/reset needs the header ${RESET_HEADER}: demo-data.`, 403);
    const result = resetToSeed(ctx, options.resetSeed);
    log(`[pool] demo data reset: ${result.removedUsers} users removed, ${result.created.users.length} seeded again`);
    send(req, res, 200, { removedUsers: result.removedUsers, seededUsers: result.created.users.length });
  }

  function totp(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const userPoolId = query.get('userPoolId');
    const username = query.get('username');
    if (!userPoolId || !username) throw Errors.invalidParameter('userPoolId and username are required.');
    const pending = query.get('pending') === '1' || query.get('pending') === 'true';
    send(req, res, 200, currentTotpCode(ctx, userPoolId, username, pending));
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req.url);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    exposure.checkHost(req);
    const caller = exposure.caller(req);
    exposure.checkOrigin(caller);
    if (path.startsWith('/_local/')) {
      if (!options.localApi) {
        throw new CognitoError('ResourceNotFoundException', 'The /_local endpoints are off on this pool: start it with localApi: true (authchart pool --local-api, or --demo).', 404);
      }
      exposure.checkNotForeignPage(caller, path);
    }
    if (path.startsWith('/_import/')) exposure.checkNotForeignPage(caller, '/_import');
    if (method === 'OPTIONS') {
      res.writeHead(204, corsHeaders(req));
      res.end();
      return;
    }
    const upload = /^\/_import\/(import-[0-9a-zA-Z-]{1,48})$/.exec(path);
    if (method === 'PUT' && upload) {
      await receiveImportFile(ctx, req, upload[1]!, url.searchParams.get('token'));
      res.writeHead(200, { 'Content-Length': '0', 'x-amzn-RequestId': randomUUID() });
      return void res.end();
    }
    // A domain's endpoints (hosted UI, OAuth 2.0) and the discovery document: oauth/routes.ts.
    if (await routeOAuth({ ctx, operations, cors: corsHeaders }, req, res, url)) return;
    if (method === 'POST' && path === '/') return callOperation(req, res);
    if (method === 'GET' && path === '/health') return send(req, res, 200, { ok: true });
    if (method === 'GET' && path === '/_local/requests') return send(req, res, 200, { requests });
    if (method === 'POST' && path === '/_local/clock') return advanceClock(req, res);
    if (path === '/_local/faults' && (method === 'POST' || method === 'DELETE')) return changeFaults(req, res, method);
    if (method === 'GET' && path === '/_local/outbox') return send(req, res, 200, { messages: ctx.outbox.list(outboxFilterFrom(url.searchParams)) });
    if (method === 'GET' && path === '/_local/totp') return totp(req, res, url.searchParams);
    if (method === 'POST' && path === '/_local/reset') return reset(req, res);
    const jwks = /^\/([\w-]+_[0-9a-zA-Z]+)\/\.well-known\/jwks\.json$/.exec(path);
    if (method === 'GET' && jwks) {
      const poolId = jwks[1]!;
      if (!ctx.store.getPool(poolId)) throw new CognitoError('ResourceNotFoundException', `User pool ${poolId} does not exist.`, 404);
      return send(req, res, 200, await ctx.tokens.jwks(poolId));
    }
    if (method === 'GET' && options.staticDir && (await serveStaticFile(options.staticDir, path, res))) return;
    throw new CognitoError('ResourceNotFoundException', `No route for ${method} ${path}.`, 404);
  }

  return (req, res) => {
    route(req, res).catch((thrown: unknown) => {
      if (res.headersSent) return;
      if (!(thrown instanceof CognitoError)) log(`[pool] internal error: ${(thrown as Error)?.stack ?? thrown}`);
      // Refused for where it came from (Host, Origin): the page cannot read why, the log says it.
      // An upload URL's query is its token: not logged.
      else if (thrown.type === 'ForbiddenException') log(`[pool] refused ${req.method} ${(req.url ?? '').startsWith('/_import/') ? (req.url ?? '').split('?')[0] : req.url}: ${thrown.message}`);
      sendError(req, res, thrown instanceof CognitoError ? thrown : Errors.internal());
    });
  };
}
