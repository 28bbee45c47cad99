// `authchart signin`: signs a user in through the statechart in the terminal, one next step at a time.
import { waitFor } from 'xstate';
import { createAuth } from '../index.node.js';
import type { Auth } from '../runtime/create-auth.js';
import type { PasswordAuthFlow } from '../../machines/auth.types.js';
import { parseArgs } from 'node:util';
import { DEMO_CLIENT_ID, DEMO_USER_POOL_ID } from './demo-ids.js';
import { Prompter } from './prompt.js';
import { commands, selectView } from '../view.js';
import { renderUnicodeCompact } from 'uqr';
import type { MfaType } from '../../machines/auth.types.js';

const USAGE = `Usage: authchart signin [--endpoint URL] [--user-pool-id ID] [--client-id ID] [--flow USER_SRP_AUTH|USER_PASSWORD_AUTH] [--username NAME] [--sign-out]

Signs in through the authchart statechart, printing each next step and asking for what it needs.
Defaults: the local pool on http://127.0.0.1:9229 with the demo seed's pool and client.`;

const FLOWS: readonly PasswordAuthFlow[] = ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'];

export async function runSignInCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      endpoint: { type: 'string', default: 'http://127.0.0.1:9229' },
      'user-pool-id': { type: 'string', default: DEMO_USER_POOL_ID },
      'client-id': { type: 'string', default: DEMO_CLIENT_ID },
      flow: { type: 'string', default: 'USER_SRP_AUTH' },
      username: { type: 'string' },
      'sign-out': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const flow = values.flow as PasswordAuthFlow;
  if (!FLOWS.includes(flow)) {
    console.error(`Unknown --flow ${flow}. Use one of: ${FLOWS.join(', ')}`);
    return 64;
  }
  const auth = createAuth({ userPoolId: values['user-pool-id'], clientId: values['client-id'], endpoint: values.endpoint, authFlow: flow });
  const prompter = new Prompter();
  try {
    return await drive(auth, prompter, { username: values.username, signOut: values['sign-out'] });
  } finally {
    prompter.dispose();
    auth.stop();
  }
}

async function drive(auth: Auth, prompter: Prompter, options: { username: string | undefined; signOut: boolean }): Promise<number> {
  const send = commands(auth.actor);
  let lastError: string | null = null;
  const ask = async (question: string, hidden = false): Promise<string> => {
    const answer = await prompter.ask(question, { hidden });
    if (answer === null) throw new InputEnded();
    return answer;
  };
  try {
    for (;;) {
      const view = selectView(await waitFor(auth.actor, (s) => !s.hasTag('busy')));
      const errorLine = view.error ? `${view.error.code}: ${view.error.message}` : null;
      if (errorLine && errorLine !== lastError) console.log(`  ! ${errorLine}`);
      lastError = errorLine;
      const before = auth.actor.getSnapshot();

      switch (view.route) {
        case 'signIn': {
          console.log('\nnext step: sign in');
          const username = options.username ?? (await ask('  username: '));
          send.signIn(username, await ask('  password: ', true));
          break;
        }
        case 'newPassword': {
          console.log(`\nnext step: ${view.signInStep}`);
          if (view.missingAttributes.length > 0) console.log(`  required attributes: ${view.missingAttributes.join(', ')}`);
          const newPassword = await ask('  new password: ', true);
          const attributes: Record<string, string> = {};
          for (const name of view.missingAttributes) attributes[name] = await ask(`  ${name}: `);
          send.submitNewPassword(newPassword, attributes);
          break;
        }
        case 'smsCode':
        case 'emailCode': {
          console.log(`\nnext step: ${view.signInStep} — code sent by ${view.codeDelivery?.deliveryMedium} to ${view.codeDelivery?.destination}`);
          const code = await ask(view.canResend ? '  code (or "resend"): ' : '  code: ');
          if (code.trim() === 'resend') send.resendCode();
          else send.submitCode(code);
          break;
        }
        case 'totpCode':
          console.log(`\nnext step: ${view.signInStep}`);
          send.submitCode(await ask('  code from your authenticator app: '));
          break;
        case 'mfaSelection':
        case 'mfaSetupSelection': {
          console.log(`\nnext step: ${view.signInStep}`);
          const choice = (await ask(`  choose ${view.allowedMfaTypes.join(' / ')}: `)).trim().toUpperCase();
          send.selectMfaType(choice as MfaType);
          break;
        }
        case 'totpSetup': {
          if (!view.totpSetup) {
            if (!view.canRetry) return end('TOTP setup is not possible right now', 1);
            if ((await ask('  try again? [y/n] ')).trim().toLowerCase() !== 'y') return end('cancelled', 1);
            send.retry();
            break;
          }
          console.log(`\nnext step: ${view.signInStep ?? 'set up TOTP'} — add this key to your authenticator app`);
          console.log(renderUnicodeCompact(view.totpSetup.setupUri));
          console.log(`  secret: ${view.totpSetup.sharedSecret}\n  uri:    ${view.totpSetup.setupUri}`);
          send.submitCode(await ask('  code from your authenticator app: '));
          break;
        }
        case 'emailMfaSetup':
          console.log(`\nnext step: ${view.signInStep}`);
          send.submitEmail(await ask('  e-mail address for MFA codes: '));
          break;
        case 'confirmSignUp':
          return end('next step: CONFIRM_SIGN_UP — the account is not confirmed yet (sign-up confirmation arrives in a later version).', 2);
        case 'resetPassword':
          return end('next step: RESET_PASSWORD — an administrator asked for a password reset (reset flows arrive in a later version).', 2);
        case 'signedIn': {
          const user = view.user;
          console.log(`\nnext step: DONE — signed in as ${user?.username} (sub ${user?.userId})`);
          for (const [name, value] of Object.entries(user?.attributes ?? {})) console.log(`  ${name}: ${value}`);
          console.log(`  tokens valid until ${new Date(user?.tokensExpireAt ?? 0).toISOString()}`);
          if (!options.signOut) return 0;
          send.signOut();
          const out = await waitFor(auth.actor, (s) => s.matches('signedOut'));
          const warning = selectView(out).error;
          console.log(warning ? `signed out (${warning.message})` : 'signed out (refresh token revoked)');
          return 0;
        }
        case 'sessionExpired':
          return end(`session expired: ${view.error?.message ?? 'start again'}`, 1);
        case 'failed':
          return end(`failed: ${view.error?.code} ${view.error?.message}`, 1);
        default:
          return end(`unexpected route ${view.route}`, 1);
      }
      // Wait until the chart has taken the answer (it moved, became busy, or refused the input).
      await waitFor(auth.actor, (s) => s !== before);
    }
  } catch (error) {
    if (error instanceof InputEnded) return end('input ended before sign-in finished', 1);
    throw error;
  }
}

class InputEnded extends Error {}

function end(message: string, code: number): number {
  console.log(message);
  return code;
}
