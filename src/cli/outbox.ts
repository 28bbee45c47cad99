// `authchart outbox`: the SMS and e-mail messages a running local pool "sent" (MFA, sign-up, reset
// and verification codes, invitations with their temporary passwords), read from its
// GET /_local/outbox (the pool must run with --local-api or --demo), as a small table.
import { parseArgs } from 'node:util';
import { defaultEndpoint } from './preflight.js';

export const OUTBOX_USAGE = `authchart outbox [options]

  --endpoint <url>      the running local pool (default $AUTHCHART_ENDPOINT, else http://127.0.0.1:9229)
  --to <address>        only messages to this phone number or e-mail address (any case)
  --recipient <to>      the same as --to
  --username <name>     only messages for this user
  --user-pool-id <id>   only messages of this user pool
  --since <ms>          only messages created at or after this time (ms since the epoch)
  --json                print the messages as JSON instead of a table
  --help`;

interface OutboxRow {
  id: number;
  userPoolId: string;
  username: string;
  medium: string;
  destination: string;
  subject: string | null;
  message: string;
  code: string | null;
  purpose: string;
  createdAt: number;
}

const write = (text: string) => process.stdout.write(text);

function table(rows: OutboxRow[]): string {
  const header = ['time (UTC)', 'medium', 'to', 'user', 'purpose', 'code', 'message'];
  const cells = rows.map((r) => [
    new Date(r.createdAt).toISOString().replace('T', ' ').slice(0, 19),
    r.medium,
    r.destination,
    r.username,
    r.purpose,
    r.code ?? '',
    (r.subject ? `[${r.subject}] ` : '') + r.message.replace(/\s+/g, ' '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}

/** Returns the exit code: 0, or 1 when the pool cannot be reached or refuses the query. */
export async function runOutboxCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      endpoint: { type: 'string', default: defaultEndpoint() },
      to: { type: 'string' },
      recipient: { type: 'string' },
      username: { type: 'string' },
      'user-pool-id': { type: 'string' },
      since: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    write(`${OUTBOX_USAGE}\n`);
    return 0;
  }
  const url = new URL('/_local/outbox', values.endpoint);
  const recipient = values.to ?? values.recipient;
  if (recipient) url.searchParams.set('to', recipient);
  if (values.username) url.searchParams.set('username', values.username);
  if (values['user-pool-id']) url.searchParams.set('userPoolId', values['user-pool-id']);
  if (values.since) url.searchParams.set('since', values.since);

  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`no local pool at ${values.endpoint} (${(error as Error).message}) — start it with npm start (or authchart pool --local-api), or pass --endpoint`);
  }
  const body = (await response.json().catch(() => ({}))) as { messages?: OutboxRow[]; message?: string };
  if (response.status === 404) {
    throw new Error(`${values.endpoint} does not serve /_local/outbox: start the pool with \`authchart pool --local-api\` (or --demo)`);
  }
  if (!response.ok || !Array.isArray(body.messages)) {
    throw new Error(`${values.endpoint} answered ${response.status}: ${body.message ?? 'not a local pool outbox'}`);
  }
  if (values.json) {
    write(`${JSON.stringify(body.messages, null, 2)}\n`);
    return 0;
  }
  write(body.messages.length === 0 ? 'The outbox is empty (for this filter).\n' : `${table(body.messages)}\n`);
  return 0;
}
