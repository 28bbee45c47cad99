// The `authchart` command: local pool, terminal sign-in and sign-up. Each command is imported when it runs, so
// `authchart pool` does not load the sign-in's SDK, xstate and QR code (nor a sign-in the pool's SQLite).
import { packageVersion } from './package-root.js';

const HELP = `authchart — Amazon Cognito sign-in as one XState statechart

Commands:
  authchart pool     [--port 9229] [--data FILE] [--seed FILE]   start the local Cognito-compatible pool
  authchart signin   [--endpoint URL] [--user-pool-id ID] [--client-id ID] [--flow ...] [--forgot-password]   sign in from the terminal
  authchart signup   [--endpoint URL] [--user-pool-id ID] [--client-id ID] [--attribute NAME=VALUE ...]   create an account, confirm it, sign in
  authchart outbox   [--endpoint URL] [--recipient X] [--username U]   the SMS and e-mail codes the pool sent
  authchart --version
  authchart help                 (each command: authchart <command> --help)

Environment: AUTHCHART_ENDPOINT is the default --endpoint, AUTHCHART_PORT the default pool --port.`;

/** node:util parseArgs refusing a flag or value: the command's usage follows the message. */
function isUsageError(error: unknown): error is Error {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).code!.startsWith('ERR_PARSE_ARGS');
}

async function usageOf(command: string): Promise<string> {
  switch (command) {
    case 'pool':
      return (await import('./pool.js')).POOL_USAGE;
    case 'signin':
      return (await import('./signin.js')).SIGNIN_USAGE;
    case 'signup':
      return (await import('./signup.js')).SIGNUP_USAGE;
    case 'outbox':
      return (await import('./outbox.js')).OUTBOX_USAGE;
    default:
      return HELP;
  }
}

// The SDK warns about Node 20 on every run; the CLI's users cannot act on it mid-sign-in.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    return await run(command, rest);
  } catch (error) {
    if (!isUsageError(error) || command === undefined) throw error;
    console.error(`authchart ${command}: ${error.message}\n\n${await usageOf(command)}`);
    return 64;
  }
}

async function run(command: string | undefined, rest: string[]): Promise<number> {
  switch (command) {
    case 'pool':
      await (await import('./pool.js')).runPoolCommand(rest);
      return 0;
    case 'signin':
      return (await import('./signin.js')).runSignInCommand(rest);
    case 'signup':
      return (await import('./signup.js')).runSignUpCommand(rest);
    case 'outbox':
      return (await import('./outbox.js')).runOutboxCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return 0;
    case '--version':
    case '-v':
      console.log(packageVersion());
      return 0;
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 64;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
