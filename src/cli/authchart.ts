// The `authchart` command: local pool, terminal sign-in and sign-up.
import { runOutboxCommand } from './outbox.js';
import { runPoolCommand } from './pool.js';
import { runSignInCommand } from './signin.js';
import { runSignUpCommand } from './signup.js';

const HELP = `authchart — Amazon Cognito sign-in as one XState statechart

Commands:
  authchart pool     [--port 9229] [--data FILE] [--seed FILE]   start the local Cognito-compatible pool
  authchart signin   [--endpoint URL] [--user-pool-id ID] [--client-id ID] [--flow ...] [--forgot-password]   sign in from the terminal
  authchart signup   [--endpoint URL] [--user-pool-id ID] [--client-id ID] [--attribute NAME=VALUE ...]   create an account, confirm it, sign in
  authchart outbox   [--endpoint URL] [--recipient X] [--username U]   the SMS and e-mail codes the pool sent
  authchart help`;

// The SDK warns about Node 20 on every run; the CLI's users cannot act on it mid-sign-in.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'pool':
      await runPoolCommand(rest);
      return 0;
    case 'signin':
      return runSignInCommand(rest);
    case 'signup':
      return runSignUpCommand(rest);
    case 'outbox': return runOutboxCommand(rest);
    case undefined:
    case 'help':
    case '--help':
      console.log(HELP);
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
