// The outbox (SQLite, console line, GET /_local/outbox, `authchart outbox`, pool.outbox()) and the
// local-only GET /_local/totp.
import { runOutboxCommand } from '../../src/cli/outbox.js';
import type { OutboxMessage } from '../../src/local-pool/index.js';
import {
  STRONG_PASSWORD,
  createPoolAndClient,
  firstFactor,
  rawCall,
  respond,
  setPoolMfa,
  startPool,
  totpAt,
  type PoolHarness,
  type Setup,
} from './support.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
let h: PoolHarness;
let one: Setup;
let two: Setup;
const lines: string[] = [];
let startedAt: number;

beforeAll(async () => {
  h = await startPool({ log: (line) => lines.push(line) });
  one = await createPoolAndClient(h.sdk, { UsernameConfiguration: { CaseSensitive: false } });
  two = await createPoolAndClient(h.sdk, { UsernameConfiguration: { CaseSensitive: false } });
  for (const setup of [one, two]) await setPoolMfa(h.sdk, setup.poolId, 'OPTIONAL');
  const users = [
    { username: 'sam', password: STRONG_PASSWORD, attributes: { phone_number: '+15555550100' }, mfa: { sms: true } },
    { username: 'emma', password: STRONG_PASSWORD, attributes: { email: 'Emma@Example.com' }, mfa: { email: true } },
    { username: 'tina', password: STRONG_PASSWORD, totpSecret: SECRET, mfa: { totp: true } },
  ];
  h.pool.seed({ pools: [one, two].map((s) => ({ id: s.poolId, name: 'test', users })) });
  startedAt = h.clock.now();
  await firstFactor(h, one, 'sam', STRONG_PASSWORD);
  await firstFactor(h, one, 'emma', STRONG_PASSWORD);
  h.clock.advance(1000);
  await firstFactor(h, two, 'sam', STRONG_PASSWORD);
});
afterAll(() => h.close());

const get = async (query = '') => (await rawCall(`${h.pool.url}/_local/outbox${query}`, { method: 'GET' })) as { status: number; json: { messages: OutboxMessage[] } };

describe('the outbox', () => {
  it('keeps every message, oldest first, unmasked, with its code; pool.outbox() is the same list', async () => {
    const { status, json } = await get();
    expect(status).toBe(200);
    expect(json.messages.map((m) => [m.userPoolId, m.username, m.medium, m.destination])).toEqual([
      [one.poolId, 'sam', 'SMS', '+15555550100'],
      [one.poolId, 'emma', 'EMAIL', 'Emma@Example.com'],
      [two.poolId, 'sam', 'SMS', '+15555550100'],
    ]);
    expect(json.messages[1]).toEqual({
      id: expect.any(Number),
      userPoolId: one.poolId,
      username: 'emma',
      medium: 'EMAIL',
      destination: 'Emma@Example.com',
      subject: 'Your code',
      message: `Your authentication code is ${json.messages[1]!.code}`,
      code: expect.stringMatching(/^\d{8}$/),
      purpose: 'MFA',
      createdAt: startedAt,
    });
    expect(h.pool.outbox()).toEqual(json.messages);
  });

  it('filters by recipient (any case), username, pool and time', async () => {
    expect((await get('?recipient=emma@example.com')).json.messages.map((m) => m.username)).toEqual(['emma']);
    expect((await get('?recipient=%2B15555550100')).json.messages).toHaveLength(2);
    expect((await get(`?username=SAM&userPoolId=${two.poolId}`)).json.messages.map((m) => m.userPoolId)).toEqual([two.poolId]);
    expect((await get(`?since=${startedAt + 1000}`)).json.messages.map((m) => m.userPoolId)).toEqual([two.poolId]);
    expect(h.pool.outbox({ username: 'emma', since: startedAt })).toHaveLength(1);
    const bad = await rawCall(`${h.pool.url}/_local/outbox?since=yesterday`, { method: 'GET' });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ __type: 'InvalidParameterException', message: 'since must be a time in ms since the epoch.' });
  });

  it('prints one line per message on the pool log; codes appear nowhere else in the log', async () => {
    const [sms] = h.pool.outbox({ username: 'sam', userPoolId: one.poolId });
    const [email] = h.pool.outbox({ username: 'emma' });
    expect(lines).toContain(`[outbox] SMS to +15555550100: Your authentication code is ${sms!.code}`);
    expect(lines).toContain(`[outbox] EMAIL to Emma@Example.com [Your code]: Your authentication code is ${email!.code}`);
    const challenge = await firstFactor(h, one, 'sam', STRONG_PASSWORD);
    const code = h.pool.outbox({ username: 'sam' }).at(-1)!.code!;
    await respond(h.sdk, one, 'SMS_MFA', challenge.Session, { USERNAME: 'sam', SMS_MFA_CODE: code === '000000' ? '111111' : '000000' }).catch(() => undefined);
    await respond(h.sdk, one, 'SMS_MFA', challenge.Session, { USERNAME: 'sam', SMS_MFA_CODE: code });
    expect(lines.filter((line) => line === `[outbox] SMS to +15555550100: Your authentication code is ${code}`)).toHaveLength(1);
    expect(lines.filter((line) => line.includes(code) && !line.startsWith('[outbox] '))).toEqual([]);
    expect(lines.some((line) => /^\[pool\] RespondToAuthChallenge -> CodeMismatchException: Invalid code or auth state for the user\./.test(line))).toBe(true);
  });

  it('survives a restart', async () => {
    const before = h.pool.outbox();
    h = await h.restart();
    expect(h.pool.outbox()).toEqual(before);
  });
});

describe('GET /_local/totp', () => {
  it("returns the user's current code; explains what is missing otherwise", async () => {
    const ok = await rawCall(`${h.pool.url}/_local/totp?userPoolId=${one.poolId}&username=TINA`, { method: 'GET' });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ userPoolId: one.poolId, username: 'tina', code: totpAt(SECRET, h), secret: 'verified', expiresInSeconds: expect.any(Number) });
    expect(h.pool.totpCode(one.poolId, 'tina')).toBe(totpAt(SECRET, h));
    const call = (query: string) => rawCall(`${h.pool.url}/_local/totp${query}`, { method: 'GET' });
    expect((await call(`?userPoolId=${one.poolId}&username=sam`)).json).toEqual({
      __type: 'SoftwareTokenMFANotFoundException',
      message: 'Software Token MFA does not exist for the user.',
    });
    expect((await call(`?userPoolId=${one.poolId}&username=nobody`)).json).toMatchObject({ __type: 'UserNotFoundException' });
    expect((await call('?username=tina')).status).toBe(400);
  });
});

describe('authchart outbox', () => {
  let output: string;
  beforeEach(() => {
    output = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output += chunk.toString();
      return true;
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('prints a table of what a running pool sent, with the same filters', async () => {
    expect(await runOutboxCommand(['--endpoint', h.pool.url, '--recipient', 'emma@example.com'])).toBe(0);
    const [header, row, ...rest] = output.trimEnd().split('\n');
    expect(header).toMatch(/^time \(UTC\)\s+medium\s+to\s+user\s+purpose\s+code\s+message$/);
    const code = h.pool.outbox({ username: 'emma' })[0]!.code!;
    expect(row).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+EMAIL\\s+Emma@Example\\.com\\s+emma\\s+MFA\\s+${code}\\s+\\[Your code\\] Your authentication code is ${code}$`));
    expect(rest).toEqual([]);

    output = '';
    await runOutboxCommand(['--endpoint', h.pool.url, '--username', 'sam', '--user-pool-id', two.poolId, '--json']);
    expect(JSON.parse(output)).toEqual(h.pool.outbox({ username: 'sam', userPoolId: two.poolId }));

    output = '';
    await runOutboxCommand(['--endpoint', h.pool.url, '--recipient', 'nobody@example.com']);
    expect(output).toBe('The outbox is empty (for this filter).\n');
  });

  it('says when no pool is running there, and prints usage', async () => {
    await expect(runOutboxCommand(['--endpoint', 'http://127.0.0.1:9'])).rejects.toThrow(/no local pool at http:\/\/127\.0\.0\.1:9 .*start it with npm start/);
    await expect(runOutboxCommand(['--bogus'])).rejects.toThrow(/bogus/);
    expect(await runOutboxCommand(['--help'])).toBe(0);
    expect(output).toContain('authchart outbox [options]');
  });
});
