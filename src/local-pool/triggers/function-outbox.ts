// authchartLocalPool.sendMessage(...) from a running function: the local stand-in for the SES / SNS
// call a real function makes (an e-mailed sign-in code, say), so what it sends lands in the outbox
// like every other message of the pool.
import type { PoolContext } from '../context.js';
import { isPlainObject } from '../api/validation.js';
import { EMAIL } from '../pools/users.js';

const PHONE = /^\+[0-9]{4,15}$/;

/** Stores the message for the user the invocation's event is about; throws (logged by the runner) when it is not one. */
export function deliverFunctionMessage(ctx: PoolContext, event: unknown, message: unknown): void {
  if (!isPlainObject(event) || typeof event['userPoolId'] !== 'string' || typeof event['userName'] !== 'string') {
    throw new Error('the invocation has no user pool');
  }
  if (!isPlainObject(message)) throw new Error('takes { to, message, subject?, code? }');
  const { to, subject, code } = message;
  const text = message['message'];
  if (typeof to !== 'string' || !(EMAIL.test(to) || PHONE.test(to))) throw new Error('"to" must be an e-mail address or a +phone number');
  if (typeof text !== 'string' || text === '' || text.length > 20_000) throw new Error('"message" must be a text of 1 to 20000 characters');
  if (subject !== undefined && (typeof subject !== 'string' || subject.length > 140)) throw new Error('"subject" must be a text of up to 140 characters');
  if (code !== undefined && typeof code !== 'string') throw new Error('"code" must be a string');
  const email = to.includes('@');
  ctx.outbox.send({
    userPoolId: event['userPoolId'],
    username: event['userName'],
    medium: email ? 'EMAIL' : 'SMS',
    destination: to,
    ...(email && subject !== undefined ? { subject } : {}),
    message: text,
    ...(code !== undefined ? { code } : {}),
    purpose: 'LAMBDA',
  });
}
