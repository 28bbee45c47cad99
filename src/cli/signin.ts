// `authchart signin`: signs a user in through the statechart in the terminal, one next step at a time.
import { waitFor } from 'xstate';
import { createAuth } from '../index.node.js';
import type { Auth } from '../runtime/create-auth.js';
import type { PasswordAuthFlow } from '../../machines/signIn.types.js';
import { parseArgs, stringFlag } from './args.js';
import { DEMO_CLIENT_ID, DEMO_USER_POOL_ID } from './demo-ids.js';
import { Prompter } from './prompt.js';

const USAGE = `Usage: authchart signin [--endpoint URL] [--user-pool-id ID] [--client-id ID] [--flow USER_SRP_AUTH|USER_PASSWORD_AUTH] [--username NAME] [--sign-out]

Signs in through the authchart statechart, printing each next step and asking for what it needs.
Defaults: the local pool on http://127.0.0.1:9229 with the demo seed's pool and client.`;

const FLOWS: readonly PasswordAuthFlow[] = ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'];

export async function runSignInCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['sign-out', 'help']);
  if (args.flags['help']) {
    console.log(USAGE);
    return 0;
  }
  const flow = stringFlag(args, 'flow', 'USER_SRP_AUTH') as PasswordAuthFlow;
  if (!FLOWS.includes(flow)) {
    console.error(`Unknown --flow ${flow}. Use one of: ${FLOWS.join(', ')}`);
    return 64;
  }
  const auth = createAuth({
    userPoolId: stringFlag(args, 'user-pool-id', DEMO_USER_POOL_ID)!,
    clientId: stringFlag(args, 'client-id', DEMO_CLIENT_ID)!,
    endpoint: stringFlag(args, 'endpoint', 'http://127.0.0.1:9229')!,
    authFlow: flow,
  });
  const prompter = new Prompter();
  try {
    return await drive(auth, prompter, { username: stringFlag(args, 'username'), signOut: args.flags['sign-out'] === true });
  } finally {
    prompter.dispose();
    auth.stop();
  }
}

async function drive(auth: Auth, prompter: Prompter, options: { username: string | undefined; signOut: boolean }): Promise<number> {
  let presetUsername = options.username;
  let lastError: string | null = null;
  for (;;) {
    const snapshot = await waitFor(auth.actor, (s) => !s.hasTag('busy'));
    const { context } = snapshot;
    const step = snapshot.matches('signedOut')
      ? 'signIn'
      : (Object.values(snapshot.getMeta()).find((m) => m?.route)?.route ?? String(snapshot.value));
    const errorLine = context.error ? `${context.error.code}: ${context.error.message}` : null;
    if (errorLine && errorLine !== lastError) console.log(`  ! ${errorLine}`);
    lastError = errorLine;

    switch (step) {
      case 'signIn': {
        console.log('\nnext step: sign in');
        const username = presetUsername ?? (await prompter.ask('  username: '));
        presetUsername = undefined;
        const password = username === null ? null : await prompter.ask('  password: ', { hidden: true });
        if (username === null || password === null) return end('input ended before sign-in', 1);
        auth.actor.send({ type: 'signIn.submit', username, password });
        break;
      }
      case 'newPassword': {
        const missing = context.newPassword?.missingAttributes ?? [];
        console.log('\nnext step: CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
        if (missing.length > 0) console.log(`  required attributes: ${missing.join(', ')}`);
        const newPassword = await prompter.ask('  new password: ', { hidden: true });
        if (newPassword === null) return end('input ended', 1);
        const attributes: Record<string, string> = {};
        for (const name of missing) {
          const value = await prompter.ask(`  ${name}: `);
          if (value === null) return end('input ended', 1);
          attributes[name] = value;
        }
        auth.actor.send({ type: 'password.submit', newPassword, attributes });
        break;
      }
      case 'confirmSignUp':
        return end('next step: CONFIRM_SIGN_UP — the account is not confirmed yet (sign-up confirmation arrives in a later version).', 2);
      case 'resetPassword':
        return end('next step: RESET_PASSWORD — an administrator asked for a password reset (reset flows arrive in a later version).', 2);
      case 'signedIn': {
        const user = context.user;
        console.log(`\nnext step: DONE — signed in as ${user?.username} (sub ${user?.userId})`);
        for (const [name, value] of Object.entries(user?.attributes ?? {})) console.log(`  ${name}: ${value}`);
        console.log(`  tokens valid until ${new Date(user?.tokensExpireAt ?? 0).toISOString()}`);
        if (!options.signOut) return 0;
        auth.actor.send({ type: 'session.signOut' });
        const out = await waitFor(auth.actor, (s) => s.matches('signedOut'));
        console.log(out.context.error ? `signed out (${out.context.error.message})` : 'signed out (refresh token revoked)');
        return 0;
      }
      case 'sessionExpired':
        return end(`session expired: ${context.error?.message ?? 'start again'}`, 1);
      case 'failed':
        return end(`failed: ${context.error?.code} ${context.error?.message}`, 1);
      default:
        return end(`unexpected state ${JSON.stringify(snapshot.value)}`, 1);
    }
    // Wait for the chart to leave the state we just answered.
    await waitFor(auth.actor, (s) => s.hasTag('busy') || s.context.error !== null || !s.matches('signedOut'));
  }
}

function end(message: string, code: number): number {
  console.log(message);
  return code;
}
