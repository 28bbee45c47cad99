// `authchart signin`: signs a user in through the statechart in the terminal, one next step at a time
// (drive() is shared with `authchart signup`).
import { waitFor } from 'xstate';
import { createAuth } from '../index.node.js';
import type { Auth } from '../runtime/create-auth.js';
import type { FirstFactor, SignInFlow } from '../../machines/auth.types.js';
import { FIRST_FACTORS, isFirstFactor, isPasswordFactor } from '../cognito/steps.js';
import { parseArgs } from 'node:util';
import { DEMO_CLIENT_ID, DEMO_USER_POOL_ID } from './demo-ids.js';
import { Prompter } from './prompt.js';
import { checkTarget, defaultEndpoint } from './preflight.js';
import { commands, selectView } from '../view.js';
import { renderUnicodeCompact } from 'uqr';
import type { MfaType } from '../../machines/auth.types.js';

export const SIGNIN_USAGE = `Usage: authchart signin [--endpoint URL] [--user-pool-id ID] [--client-id ID] [--flow USER_SRP_AUTH|USER_PASSWORD_AUTH|USER_AUTH|CUSTOM_WITHOUT_SRP|CUSTOM_WITH_SRP] [--factor PASSWORD|PASSWORD_SRP|EMAIL_OTP|SMS_OTP] [--username NAME] [--forgot-password] [--sign-out]

Signs in through the authchart statechart, printing each next step and asking for what it needs:
the password, MFA codes, a new password; an unconfirmed account's confirmation code (or "resend"),
a password reset's code and new password. --forgot-password starts with a password reset
(ForgotPassword sends a code) instead of the password. --flow USER_AUTH signs in choice-based: with
--factor as the preferred first factor, or without it choosing from what Cognito offers (e-mail or SMS
codes need no password; passkeys need a browser).
Defaults: the local pool on http://127.0.0.1:9229 ($AUTHCHART_ENDPOINT if set) with the demo seed's pool and client.`;

export async function runSignInCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...CONNECTION_OPTIONS,
      username: { type: 'string' },
      'forgot-password': { type: 'boolean', default: false },
      factor: { type: 'string' },
    },
  });
  if (values.help) {
    console.log(SIGNIN_USAGE);
    return 0;
  }
  const flow = flowOf(values.flow);
  if (!flow) return 64;
  if (values.factor !== undefined && (flow !== 'USER_AUTH' || !isFirstFactor(values.factor))) {
    console.error(`--factor takes one of ${FIRST_FACTORS.filter((f) => f !== 'WEB_AUTHN').join(', ')}, with --flow USER_AUTH`);
    return 64;
  }
  const factor = values.factor as FirstFactor | undefined;
  return withAuth(
    { userPoolId: values['user-pool-id'], clientId: values['client-id'], endpoint: values.endpoint, authFlow: flow },
    (auth, prompter) =>
      drive(auth, prompter, {
        username: values.username,
        endpoint: values.endpoint,
        signOut: values['sign-out'],
        start: values['forgot-password'] ? 'forgotPassword' : 'signIn',
        ...(factor ? { factor } : {}),
      }),
  );
}

export const FLOWS: readonly SignInFlow[] = ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'USER_AUTH', 'CUSTOM_WITHOUT_SRP', 'CUSTOM_WITH_SRP'];

/** The flags every command that talks to a pool takes (parseArgs options). */
export const CONNECTION_OPTIONS = {
  endpoint: { type: 'string', default: defaultEndpoint() },
  'user-pool-id': { type: 'string', default: DEMO_USER_POOL_ID },
  'client-id': { type: 'string', default: DEMO_CLIENT_ID },
  flow: { type: 'string', default: 'USER_SRP_AUTH' },
  'sign-out': { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

/** --flow as a sign-in flow, or null after saying what is allowed. */
export function flowOf(value: string): SignInFlow | null {
  if (FLOWS.includes(value as SignInFlow)) return value as SignInFlow;
  console.error(`Unknown --flow ${value}. Use one of: ${FLOWS.join(', ')}`);
  return null;
}

/** Runs `run` with an auth for the pool and a prompter on stdin, and stops both afterwards. */
export async function withAuth(
  config: { userPoolId: string; clientId: string; endpoint: string; authFlow: SignInFlow },
  run: (auth: Auth, prompter: Prompter) => Promise<number>,
): Promise<number> {
  const problem = await checkTarget(config);
  if (problem) {
    console.error(problem);
    return 1;
  }
  const auth = createAuth(config);
  const prompter = new Prompter();
  try {
    return await run(auth, prompter);
  } finally {
    prompter.dispose();
    auth.stop();
  }
}

export interface DriveOptions {
  /** Asked for at sign-in (and for a reset) when not given. */
  readonly username: string | undefined;
  readonly signOut: boolean;
  /** What to do at the first sign-in form: sign in, open the sign-up form, or ask for a password reset code. */
  readonly start: 'signIn' | 'signUp' | 'forgotPassword';
  /** Sign-up attributes given on the command line (--attribute name=value). */
  readonly attributes?: Readonly<Record<string, string>>;
  /** USER_AUTH: the preferred first factor (--factor). */
  readonly factor?: FirstFactor;
  /** Named when the pool stops answering mid-sign-in. */
  readonly endpoint?: string;
}

/** Answers the chart's view, route after route, from the terminal, until signed in (or it cannot go on). */
export async function drive(auth: Auth, prompter: Prompter, options: DriveOptions): Promise<number> {
  const send = commands(auth.actor);
  let started = false;
  let lastError: string | null = null;
  const ask = async (question: string, hidden = false): Promise<string> => {
    const answer = await prompter.ask(question, { hidden });
    if (answer === null) throw new InputEnded();
    return answer;
  };
  try {
    for (;;) {
      const view = selectView(await waitFor(auth.actor, (s) => !s.hasTag('busy')));
      const unreachableHint = view.error?.code === 'Network' && options.endpoint ? ` (${options.endpoint}: is the pool still running? npm start)` : '';
      const errorLine = view.error ? `${view.error.code}: ${view.error.message}${unreachableHint}` : null;
      if (errorLine && errorLine !== lastError) console.log(`  ! ${errorLine}`);
      lastError = errorLine;
      const before = auth.actor.getSnapshot();

      switch (view.route) {
        case 'signIn': {
          if (!started && options.start !== 'signIn') {
            started = true;
            if (options.start === 'signUp') send.startSignUp();
            else {
              console.log('\nnext step: forgot password — a reset code is sent to the account');
              send.forgotPassword(options.username ?? (await ask('  username: ')));
            }
            break;
          }
          started = true;
          console.log('\nnext step: sign in');
          const username = options.username ?? (await ask('  username: '));
          const flowInUse = auth.actor.getSnapshot().context.authFlow;
          if (flowInUse === 'CUSTOM_WITHOUT_SRP') {
            send.signInWithCustomChallenge(username);
          } else if (flowInUse === 'CUSTOM_WITH_SRP') {
            send.signIn(username, await ask('  password: ', true), 'CUSTOM_WITH_SRP');
          } else if (flowInUse === 'USER_AUTH') {
            const password = options.factor && isPasswordFactor(options.factor) ? await ask('  password: ', true) : undefined;
            send.signInWithChoice(username, { ...(options.factor ? { preferredFirstFactor: options.factor } : {}), ...(password === undefined ? {} : { password }) });
          } else {
            send.signIn(username, await ask('  password: ', true));
          }
          break;
        }
        case 'firstFactorSelection': {
          console.log(`\nnext step: ${view.signInStep}`);
          const offered = view.availableFactors.filter((f) => f !== 'WEB_AUTHN');
          if (view.availableFactors.includes('WEB_AUTHN')) console.log('  (a passkey is offered too; it needs a browser)');
          const choice = (await ask(`  choose ${offered.join(' / ')}: `)).trim().toUpperCase();
          send.selectFirstFactor(choice as FirstFactor);
          break;
        }
        case 'customChallenge': {
          console.log(`\nnext step: ${view.signInStep}`);
          for (const [name, value] of Object.entries(view.parameters)) console.log(`  ${name}: ${value}`);
          send.answerChallenge(await ask('  answer: '));
          break;
        }
        case 'password':
          console.log(`\nnext step: ${view.signInStep}`);
          send.submitPassword(await ask('  password: ', true));
          break;
        case 'passkey': {
          console.log('\nnext step: a passkey — it needs a browser; choose another way to sign in');
          const choice = (await ask('  factor (EMAIL_OTP / SMS_OTP / PASSWORD): ')).trim().toUpperCase();
          const password = isFirstFactor(choice) && isPasswordFactor(choice) ? await ask('  password: ', true) : undefined;
          send.selectFirstFactor(choice as FirstFactor, password);
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
        case 'signUp': {
          console.log('\nnext step: sign up');
          const username = await ask('  username: ');
          const password = await ask('  password: ', true);
          const attributes: Record<string, string> = { ...options.attributes };
          if (attributes['email'] === undefined) attributes['email'] = await ask('  email: ');
          if (attributes['name'] === undefined) attributes['name'] = await ask('  name (Enter to skip if the pool does not require it): ');
          for (const [name, value] of Object.entries(attributes)) if (value.trim() === '') delete attributes[name];
          send.signUp(username, password, { attributes });
          break;
        }
        case 'confirmSignUp': {
          const where = view.codeDelivery
            ? `code sent by ${view.codeDelivery.deliveryMedium} to ${view.codeDelivery.destination}`
            : `the account ${view.username ?? ''} is not confirmed yet${view.canResend ? ': type "resend" for a code' : ''}`;
          console.log(`\nnext step: ${view.signInStep} — ${where}`);
          const code = await ask(view.canResend ? '  confirmation code (or "resend"): ' : '  confirmation code: ');
          if (code.trim() === 'resend') send.resendCode();
          else send.confirmSignUp(code);
          break;
        }
        case 'resetPassword': {
          const where = view.codeDelivery
            ? `code sent by ${view.codeDelivery.deliveryMedium} to ${view.codeDelivery.destination}`
            : `the password of ${view.username ?? ''} must be reset${view.canResend ? ': type "resend" for a code' : ''}`;
          console.log(`\nnext step: ${view.signInStep} — ${where}`);
          const code = await ask(view.canResend ? '  code (or "resend"): ' : '  code: ');
          if (code.trim() === 'resend') {
            send.resendCode();
            break;
          }
          send.resetPassword(code, await ask('  new password: ', true), { signIn: true });
          break;
        }
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
        case 'redirecting':
          return end('the hosted UI needs a browser: use the demo page or your app', 1);
        case 'checkingSession':
        case 'signingOut':
          // busy routes: waitFor above does not stop on them
          break;
        default:
          return unreachable(view);
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

/** Every route has its case: a new route is a type error here. */
function unreachable(view: never): number {
  return end(`unexpected route ${(view as { route: string }).route}`, 1);
}

function end(message: string, code: number): number {
  console.log(message);
  return code;
}
