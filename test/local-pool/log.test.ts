// The pool's log is read by people (and greps): nothing a client sends may start a line of its own,
// e.g. forge an "[outbox]" line with a code in it.
import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { STRONG_PASSWORD, createPoolAndClient, createUser, firstFactor, nodeRequest, rawCall, startPool, type PoolHarness, type Setup } from './support.js';

let h: PoolHarness;
let setup: Setup;
const calls: string[] = [];
beforeAll(async () => {
  h = await startPool({ log: (line) => calls.push(line) });
  setup = await createPoolAndClient(h.sdk);
});
afterAll(() => h.close());
beforeEach(() => calls.splice(0));

const FORGED = '[outbox] SMS to +15555550100: Your authentication code is 123456';
const TARGET = 'AWSCognitoIdentityProviderService.';

/** Every line the log callback received, split as a terminal or a log file would split it. */
const lines = () => calls.flatMap((call) => call.split(/\r\n|\r|\n|\u2028|\u2029|\u0085/));

function expectNoForgedLine(): void {
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) expect(call).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
  expect(lines().filter((line) => line.startsWith('[outbox]'))).toEqual([]);
}

it.each(['\n', '\r\n', '\r', '\u2028', '\u0085'])('a JSON key with %j before "[outbox] ..." stays inside its [pool] line', async (separator) => {
  const res = await rawCall(h.pool.url, {
    target: `${TARGET}InitiateAuth`,
    body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: setup.clientId, AuthParameters: { [`x${separator}${FORGED}`]: 5 } }),
  });
  expect((res.json as { __type: string }).__type).toBe('SerializationException');
  expectNoForgedLine();
  expect(calls.some((call) => call.startsWith('[pool] InitiateAuth -> SerializationException') && call.includes('\\') && call.includes(FORGED))).toBe(true);
});

it('a value with control characters (an SMS message template) is escaped in the [outbox] line', async () => {
  const pool = await createPoolAndClient(h.sdk, { PoolName: 'sms' });
  await h.sdk.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: pool.poolId,
      MfaConfiguration: 'ON',
      SmsMfaConfiguration: { SmsAuthenticationMessage: `Code {####}\r${FORGED}\u001b[2K` },
    }),
  );
  await createUser(h.sdk, pool.poolId, 'sam', STRONG_PASSWORD, { attributes: { phone_number: '+15555550123' } });
  calls.splice(0);
  await firstFactor(h, pool, 'sam', STRONG_PASSWORD);
  const outbox = lines().filter((line) => line.startsWith('[outbox]'));
  expect(outbox).toHaveLength(1);
  expect(outbox[0]).toMatch(/^\[outbox\] SMS to \+15555550123: Code \d{6}\\r\[outbox\] SMS to .*\\x1b\[2K$/);
  for (const call of calls) expect(call).not.toMatch(/[\r\n\u001b]/);
});

it('a refused request is logged on one line, its Host escaped', async () => {
  await nodeRequest(`${h.pool.url}/_local/outbox`, { headers: { Host: 'evil.example\u0085[outbox] x' } });
  expectNoForgedLine();
  expect(calls.some((call) => call.startsWith('[pool] refused GET /_local/outbox: Host ') && call.includes('evil.example'))).toBe(true);
});
