// A scripted, in-memory CognitoPort for unit and model tests: each call takes the next scripted reply.
// It records every call, so tests can assert what was (or was not) sent to "Cognito".
import type { CognitoPort, CognitoTokens } from '../cognito/port.js';
import { PORT_OPERATIONS } from '../cognito/port-methods.js';

type Operation = Exclude<keyof CognitoPort, 'userPoolId' | 'clientId'>;
type Request<Op extends Operation> = Parameters<CognitoPort[Op]>[0];
type Response<Op extends Operation> = Awaited<ReturnType<CognitoPort[Op]>>;

/** A reply: a value, an Error to throw, or a function of the request (which may return a never-settling promise). */
export type FakeReply<Op extends Operation> =
  | Response<Op>
  | Error
  | ((request: Request<Op>, signal: AbortSignal) => Response<Op> | Promise<Response<Op>>);

export type FakeScript = { [Op in Operation]?: Array<FakeReply<Op>> };

export interface FakeCall {
  readonly operation: Operation;
  readonly request: unknown;
  readonly signal: AbortSignal;
}

export interface FakePort extends CognitoPort {
  readonly calls: FakeCall[];
  /** Adds replies at the end of an operation's queue. */
  script(more: FakeScript): void;
  callsOf(operation: Operation): FakeCall[];
}

/** An error shaped like the AWS SDK's service exceptions (name = Cognito exception name). */
export function cognitoError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

const base64url = (value: object | string): string =>
  btoa(typeof value === 'string' ? value : JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

/** Unsigned JWT-shaped tokens with Cognito's claims; enough for the client, which never trusts tokens. */
export function fakeTokens(options: {
  username: string;
  sub?: string;
  nowSeconds?: number;
  expiresInSeconds?: number;
  refreshToken?: string | null;
  attributes?: Record<string, string | boolean>;
}): CognitoTokens {
  const iat = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const exp = iat + (options.expiresInSeconds ?? 3600);
  const sub = options.sub ?? `sub-${options.username}`;
  const header = base64url({ alg: 'none', typ: 'JWT' });
  const jti = Math.random().toString(36).slice(2);
  const id = { sub, 'cognito:username': options.username, token_use: 'id', iat, exp, jti, ...options.attributes };
  const access = { sub, username: options.username, token_use: 'access', scope: 'aws.cognito.signin.user.admin', iat, exp, jti };
  return {
    accessToken: `${header}.${base64url(access)}.fake`,
    idToken: `${header}.${base64url(id)}.fake`,
    ...(options.refreshToken === null ? {} : { refreshToken: options.refreshToken ?? `refresh-${options.username}-${jti}` }),
    expiresIn: exp - iat,
    tokenType: 'Bearer',
  };
}

export function createFakePort(script: FakeScript = {}, ids = { userPoolId: 'us-east-1_fakepool1', clientId: 'fakeclient' }): FakePort {
  const queues = new Map<Operation, unknown[]>();
  const calls: FakeCall[] = [];

  const enqueue = (more: FakeScript) => {
    for (const [operation, replies] of Object.entries(more) as Array<[Operation, unknown[]]>) {
      queues.set(operation, [...(queues.get(operation) ?? []), ...replies]);
    }
  };
  enqueue(script);

  const handle = <Op extends Operation>(operation: Op) =>
    async (request: Request<Op>, signal: AbortSignal): Promise<Response<Op>> => {
      calls.push({ operation, request, signal });
      const queue = queues.get(operation);
      if (!queue || queue.length === 0) throw new Error(`fake Cognito port: no scripted reply left for ${operation}`);
      const reply = queue.shift() as FakeReply<Op>;
      if (reply instanceof Error) throw reply;
      if (typeof reply === 'function') return (reply as (r: Request<Op>, s: AbortSignal) => Response<Op> | Promise<Response<Op>>)(request, signal);
      return reply as Response<Op>;
    };

  const port: Record<string, unknown> = { ...ids, calls, script: enqueue, callsOf: (operation: Operation) => calls.filter((c) => c.operation === operation) };
  for (const operation of PORT_OPERATIONS) port[operation] = handle(operation);
  return port as unknown as FakePort;
}
