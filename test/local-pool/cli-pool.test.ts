// `authchart pool` in-process: progress, summary, one log line per request, clean stop.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPoolCommand } from '../../src/cli/pool.js';

let dir: string;
let output: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'authchart-cli-'));
  output = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output += chunk.toString();
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
  for (let i = 0; i < 200; i++) {
    const match = pattern.exec(output);
    if (match) return match;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never printed ${pattern}:\n${output}`);
}

it('starts, seeds, prints ids and demo users, logs requests without secrets, stops on SIGINT', async () => {
  const dataFile = join(dir, 'nested', 'pool.sqlite');
  const running = runPoolCommand(['--port', '0', '--data', dataFile, '--seed', 'seeds/demo.json', '--local-api']);
  const [, url] = await waitFor(/endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/);
  await waitFor(/\[pool\] ready/);
  expect(existsSync(dataFile)).toBe(true);
  expect(output).toMatch(/\[pool\] opening .*pool\.sqlite and listening on 127\.0\.0\.1:0 … done/);
  expect(output).toMatch(/\[pool\] seeding 7 pools, 20 users from seeds\/demo\.json … done, 34 created, 0 already there/);
  // The seed's "functions" directory, next to it, with the example trigger functions.
  expect(output).toMatch(/functions  seeds\/functions   \(Lambda triggers: .*auto-confirm-domain.*magic-code-create.*question-define.*token-claims/);
  expect(output).toContain('user pool  us-east-1_authchartquestion');
  expect(output).toMatch(/quentin\s+Passw0rd!demo\s+Security question/);
  expect(output).toContain('user pool  us-east-1_authchartmagic');
  expect(output).toMatch(/mandy\s+Passw0rd!demo\s+E-mailed sign-in code/);
  expect(output).toContain('user pool  us-east-1_authchart');
  expect(output).toContain('client     authchartdemoclient0000000');
  expect(output).toContain('MFA        OPTIONAL: SMS, TOTP, e-mail');
  expect(output).toContain('user pool  us-east-1_authchartmfa');
  expect(output).toContain('client     authchartmfaclient00000000');
  expect(output).toContain('MFA        ON (required): TOTP, e-mail');
  expect(output).toMatch(/alice\s+Passw0rd!demo\s+Confirmed user/);
  expect(output).toMatch(/otto\s+Passw0rd!demo\s+MFA required/);
  expect(output).toContain('user pool  us-east-1_authchartemail');
  expect(output).toMatch(/erin@example\.com\s+Passw0rd!demo\s+Signs in with her e-mail address/);
  expect(output).toContain('user pool  us-east-1_authchartpasswordless');
  expect(output).toContain('client     authchartpasswordlessclient');
  expect(output).toMatch(/olive\s+Passw0rd!demo\s+E-mail one-time code/);
  expect(output).toMatch(/paula\s+Passw0rd!demo\s+Passkeys/);
  expect(output).toContain(`outbox     ${url}/_local/outbox?to=<address>`);
  expect((await fetch(`${url}/_local/outbox?to=nobody@example.com`)).status).toBe(200);

  const response = await fetch(url!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: 'authchartdemoclient0000000',
      AuthParameters: { USERNAME: 'alice', PASSWORD: 'Wr0ng!secret-value' },
    }),
  });
  expect(response.status).toBe(400);
  await waitFor(/\[pool\] InitiateAuth -> NotAuthorizedException: Incorrect username or password\. \(\d+ ms\)/);
  expect(output).not.toContain('Wr0ng!secret-value');

  // Codes the pool "sends" are printed once, as an [outbox] line.
  await fetch(url!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'authchartdemoclient0000000', AuthParameters: { USERNAME: 'sam', PASSWORD: 'Passw0rd!demo' } }),
  });
  await waitFor(/\[outbox\] SMS to \+15555550100: Your authentication code is \d{6}\n/);

  process.emit('SIGINT');
  await running;
  expect(output).toMatch(/\[pool\] SIGINT: stopping\n\[pool\] stopped\n$/);
});

it('without --local-api (or --demo) /_local is off and no outbox URL is printed; --allowed-host adds Host names', async () => {
  const running = runPoolCommand(['--port', '0', '--data', ':memory:', '--allowed-host', 'pool.test']);
  const [, url, port] = await waitFor(/endpoint\s+(http:\/\/127\.0\.0\.1:(\d+))/);
  await waitFor(/\[pool\] ready/);
  expect(output).not.toContain('/_local/outbox');
  expect(output).not.toContain('/_local/totp');
  expect(output).toContain('start with --local-api');
  expect((await fetch(`${url}/_local/outbox`)).status).toBe(404);
  const { nodeRequest } = await import('./support.js');
  expect((await nodeRequest(`${url}/health`, { headers: { host: `pool.test:${port}` } })).status).toBe(200);
  expect((await nodeRequest(`${url}/health`, { headers: { host: `other.test:${port}` } })).status).toBe(421);
  process.emit('SIGINT');
  await running;
  await expect(runPoolCommand(['--allowed-host', 'http://x'])).rejects.toThrow(/--allowed-host takes a host name/);
});

it('reports a busy port as a readable error', async () => {
  const first = runPoolCommand(['--port', '0', '--data', ':memory:']);
  const [, port] = await waitFor(/endpoint\s+http:\/\/127\.0\.0\.1:(\d+)/);
  await waitFor(/\[pool\] ready/);
  await expect(runPoolCommand(['--port', port!, '--data', ':memory:'])).rejects.toThrow(`port ${port} on 127.0.0.1 is in use`);
  process.emit('SIGINT');
  await first;
});

it('rejects unknown flags and prints usage for --help', async () => {
  await expect(runPoolCommand(['--bogus'])).rejects.toThrow(/bogus/);
  await runPoolCommand(['--help']);
  expect(output).toContain('authchart pool [options]');
});
