// `authchart signup`: creates an account through the statechart in the terminal (SignUp, the confirmation
// code, then the automatic sign-in), with the same step-by-step driver as `authchart signin`.
import { parseArgs } from 'node:util';
import { CONNECTION_OPTIONS, drive, flowOf, withAuth } from './signin.js';

export const SIGNUP_USAGE = `Usage: authchart signup [--endpoint URL] [--user-pool-id ID] [--client-id ID] [--flow USER_SRP_AUTH|USER_PASSWORD_AUTH] [--attribute NAME=VALUE ...] [--sign-out]

Creates an account through the authchart statechart: asks for a username, a password, an e-mail
address and a name (Enter skips it), then for the confirmation code Cognito sent (or "resend"),
and shows the signed-in user. --attribute gives more attributes (phone_number, custom:...); an
attribute given there is not asked for.
Defaults: the local pool on http://127.0.0.1:9229 ($AUTHCHART_ENDPOINT if set) with the demo seed's pool and client
(the local pool's codes: authchart outbox).`;

export async function runSignUpCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...CONNECTION_OPTIONS,
      attribute: { type: 'string', multiple: true, default: [] },
    },
  });
  if (values.help) {
    console.log(SIGNUP_USAGE);
    return 0;
  }
  const flow = flowOf(values.flow);
  if (!flow) return 64;
  const attributes: Record<string, string> = {};
  for (const pair of values.attribute) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      console.error(`--attribute ${pair}: give NAME=VALUE`);
      return 64;
    }
    attributes[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return withAuth({ userPoolId: values['user-pool-id'], clientId: values['client-id'], endpoint: values.endpoint, authFlow: flow }, (auth, prompter) =>
    drive(auth, prompter, { username: undefined, endpoint: values.endpoint, signOut: values['sign-out'], start: 'signUp', attributes }),
  );
}
