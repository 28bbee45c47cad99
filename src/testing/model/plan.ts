// From a path to what the fake port and the stores must do: every actor run on the path with its outcome, and the
// Cognito replies (or storage conditions) that make the runtime produce it.
import type {
  CodeSentOutput,
  MfaType,
  SignInResult,
  SignOutResult,
  SignUpOutput,
  StoredSessionStatus,
  UpdateAttributesOutput,
  UserProfile,
} from '../../../machines/auth.types.js';
import { AuthError, type AuthErrorCode, type AuthErrorData } from '../../cognito/errors.js';
import type { CognitoPort, CognitoTokens } from '../../cognito/port.js';
import { COGNITO_MFA_NAME } from '../../cognito/steps.js';
import { cognitoAnswerFor, cognitoFailureFor, FAKE_SRP_CHALLENGE } from '../cognito-answers.js';
import { fakeTokens, type FakeScript } from '../fake-port.js';
import type { FakePasskeyReply } from '../fake-passkeys.js';
import type { FakeHostedUiScript } from '../fake-hosted-ui.js';
import { parseEvent } from '../synthetic-events.js';
import { activeInvokes } from './alphabet.js';
import type { ModelEvent, ModelPath } from './types.js';
import { MODEL, T0 } from './values.js';

export type Operation = Exclude<keyof CognitoPort, 'userPoolId' | 'clientId'>;
const OPERATIONS: ReadonlySet<string> = new Set<Operation>([
  'initiateAuth', 'respondToAuthChallenge', 'getTokensFromRefreshToken', 'getUser', 'associateSoftwareToken',
  'verifySoftwareToken', 'setUserMfaPreference', 'revokeToken', 'globalSignOut', 'signUp', 'confirmSignUp',
  'resendConfirmationCode', 'forgotPassword', 'confirmForgotPassword', 'changePassword', 'updateUserAttributes',
  'getUserAttributeVerificationCode', 'verifyUserAttribute', 'deleteUserAttributes', 'deleteUser', 'startWebAuthnRegistration',
  'completeWebAuthnRegistration', 'listWebAuthnCredentials', 'deleteWebAuthnCredential', 'confirmDevice',
  'updateDeviceStatus', 'listDevices', 'forgetDevice',
]);

/** What the token store (and the saved-attempt store) must hold or do for loadStoredSession / sign-out. */
export type StorageSetup =
  | { readonly kind: 'tokens'; readonly fresh: boolean }
  | { readonly kind: 'empty' }
  | { readonly kind: 'attempt'; readonly status: StoredSessionStatus }
  | { readonly kind: 'fail' }
  | { readonly kind: 'hang' };

export type Outcome = { readonly kind: 'done'; readonly output: unknown } | { readonly kind: 'error'; readonly code: AuthErrorCode } | { readonly kind: 'pending' };

/** One actor run on a path: entered at `enteredAt`, settled by the outcome at `settledAt` (or left pending). */
export interface PlannedCall {
  readonly invokeId: string;
  readonly src: string;
  readonly nodeId: string;
  readonly enteredAt: number;
  /** The step whose event the replay applies (user event or timer) that starts this call; 0 = start. */
  readonly trigger: number;
  readonly outcome: Outcome;
  readonly settledAt: number | undefined;
  /** A Cognito call: the operation, the reply, and its position in that operation's queue. */
  readonly port?: { readonly operation: Operation; readonly index: number };
  /** Or a storage condition. */
  readonly storage?: StorageSetup;
  /** Or the browser's passkey prompt (get / create), and its position in that queue. */
  readonly ceremony?: { readonly kind: 'get' | 'create'; readonly index: number };
}

export interface PathPlan {
  readonly calls: readonly PlannedCall[];
  readonly script: FakeScript;
  /** What the scripted hosted UI answers, and the callback each stored-session check finds. */
  readonly hostedUi: FakeHostedUiScript;
  /** What the scripted passkey prompts answer, in order. */
  readonly passkeys: { readonly get: readonly FakePasskeyReply[]; readonly create: readonly FakePasskeyReply[] };
  /** The replies' tokens (never allowed in a snapshot). */
  readonly tokens: readonly CognitoTokens[];
  /** Whether the path needs SRP (a PASSWORD_VERIFIER answer). */
  readonly srp: boolean;
  /** Whether this browser must already be a remembered device of the user (a device proof, remember / forget). */
  readonly device: boolean;
}

/** The device actors' Cognito operations (their slots are named as Amplify's functions). */
const DEVICE_OPERATIONS: Readonly<Record<string, Operation>> = { rememberDevice: 'updateDeviceStatus' };
/** Actors that need a device this browser already remembers. */
const NEEDS_DEVICE: ReadonlySet<string> = new Set(['rememberDevice', 'forgetDevice']);

const errorCode = (error: unknown): AuthErrorCode => ((error as AuthErrorData | undefined)?.code ?? 'Unknown') as AuthErrorCode;
export const never = () => new Promise<never>(() => {});

/** The Cognito reply for an actor outcome, or a storage setup when the actor's outcome comes from the stores. */
function arrange(
  src: string,
  outcome: Outcome,
  tokens: () => CognitoTokens,
  nodeId = '',
): { reply?: unknown; replies?: readonly unknown[]; storage?: StorageSetup; ceremony?: 'get' | 'create'; hosted?: 'start' | 'finish' } {
  if (src === 'respondToAuthChallenge' && nodeId.endsWith('.verifyingDevice') && outcome.kind === 'done') {
    // the device's two rounds: DEVICE_SRP_AUTH answers DEVICE_PASSWORD_VERIFIER, whose answer is the result
    const verifier = { challengeName: 'DEVICE_PASSWORD_VERIFIER', session: 'model-session-device', challengeParameters: { ...FAKE_SRP_CHALLENGE, USERNAME: MODEL.username } };
    return { replies: [verifier, cognitoAnswerFor(outcome.output as SignInResult, tokens)] };
  }
  if (src === 'authorize' || src === 'exchangeAuthorizationCode') {
    // the hosted UI, not Cognito's API: its replies go to the scripted hosted UI
    const hosted = src === 'authorize' ? 'start' : 'finish';
    if (outcome.kind === 'pending') return { hosted, reply: never };
    if (outcome.kind === 'error') return { hosted, reply: new AuthError(outcome.code, `model: ${outcome.code}`) };
    if (hosted === 'start') return { hosted, reply: undefined };
    return { hosted, reply: { tokens: tokens(), customState: (outcome.output as { customState: string | null }).customState } };
  }
  if (src === 'getPasskeyCredential' || src === 'createPasskey') {
    // the browser's prompt, not Cognito: its reply goes to the scripted passkeys
    const ceremony = src === 'getPasskeyCredential' ? 'get' : 'create';
    if (outcome.kind === 'pending') return { ceremony, reply: never };
    if (outcome.kind === 'error') return { ceremony, reply: new AuthError(outcome.code, `model: ${outcome.code}`) };
    return { ceremony, reply: (outcome.output as { credential: string }).credential };
  }
  if (src === 'loadStoredSession') {
    if (outcome.kind === 'pending') return { storage: { kind: 'hang' } };
    if (outcome.kind === 'error') return { storage: { kind: 'fail' } };
    const status = outcome.output as StoredSessionStatus;
    switch (status.status) {
      case 'redirectCallback':
        // the page opened at a callback (the scripted hosted UI reports it); no tokens yet
        return { storage: { kind: 'empty' } };
      case 'fresh':
      case 'stale':
        return { storage: { kind: 'tokens', fresh: status.status === 'fresh' } };
      case 'none':
        return { storage: { kind: 'empty' } };
      default:
        return { storage: { kind: 'attempt', status } };
    }
  }
  if ((src === 'revokeToken' || src === 'globalSignOut') && outcome.kind === 'error') return { storage: { kind: 'fail' } };
  if (outcome.kind === 'pending') return { reply: never };
  if (outcome.kind === 'error') {
    if (outcome.code === 'UnexpectedChallenge' && (src === 'initiateAuth' || src === 'respondToAuthChallenge')) {
      return { reply: { challengeName: 'FUTURE_CHALLENGE', session: 'model-session-x', challengeParameters: {} } };
    }
    return { reply: cognitoFailureFor(outcome.code) };
  }
  const output = outcome.output as Record<string, unknown>;
  switch (src) {
    case 'initiateAuth':
    case 'respondToAuthChallenge': {
      const result = output as unknown as SignInResult;
      // tokens with NewDeviceMetadata
      const issue = result.step === 'DONE' && result.newDevice ? () => ({ ...tokens(), newDevice: { deviceKey: MODEL.deviceKey, deviceGroupKey: MODEL.deviceGroupKey } }) : tokens;
      return { reply: cognitoAnswerFor(result, issue) };
    }
    case 'confirmDevice':
      return { reply: { userConfirmationNecessary: (output as { confirmation: { status: string } }).confirmation.status === 'notRemembered' } };
    case 'listDevices': {
      const page = output as unknown as { page: { devices: ReadonlyArray<Record<string, unknown>>; nextToken: string | null } };
      return {
        reply: {
          devices: page.page.devices.map((d) => ({
            deviceKey: d['id'],
            attributes: d['attributes'],
            name: d['name'],
            createdAt: new Date(d['createdAt'] as number),
            lastModifiedAt: new Date(d['lastModifiedAt'] as number),
            lastAuthenticatedAt: new Date(d['lastAuthenticatedAt'] as number),
          })),
          ...(page.page.nextToken ? { paginationToken: page.page.nextToken } : {}),
        },
      };
    }
    case 'rememberDevice':
    case 'forgetDevice':
      return { reply: undefined };
    case 'getTokensFromRefreshToken':
      return { reply: tokens() };
    case 'associateSoftwareToken':
      return { reply: { secretCode: MODEL.totpSecret, ...(output['session'] ? { session: output['session'] } : {}) } };
    case 'verifySoftwareToken':
      return { reply: { status: 'SUCCESS', ...(output['session'] ? { session: output['session'] } : {}) } };
    case 'getUser': {
      const { attributes, mfaPreference: preference } = output as unknown as UserProfile;
      return {
        reply: {
          username: MODEL.username,
          attributes,
          mfaSettings: preference.enabled.map((t: MfaType) => COGNITO_MFA_NAME[t]),
          ...(preference.preferred ? { preferredMfa: COGNITO_MFA_NAME[preference.preferred] } : {}),
        },
      };
    }
    case 'confirmSignUp': {
      const session = (output as { session?: string | null } | undefined)?.session;
      return { reply: session ? { session } : {} };
    }
    case 'startWebAuthnRegistration':
      return { reply: { credentialCreationOptions: (output as { creationOptions: object }).creationOptions } };
    case 'listWebAuthnCredentials': {
      const page = output as unknown as { credentials: ReadonlyArray<{ createdAt: number } & Record<string, unknown>>; nextToken: string | null };
      return {
        reply: {
          credentials: page.credentials.map((c) => ({ ...c, friendlyName: c['friendlyName'] ?? '', createdAt: new Date(c.createdAt) })),
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
        },
      };
    }
    case 'completeWebAuthnRegistration':
    case 'deleteWebAuthnCredential':
    case 'setUserMfaPreference':
    case 'changePassword':
    case 'verifyUserAttribute':
    case 'deleteUserAttributes':
    case 'deleteUser':
      return { reply: undefined };
    case 'confirmForgotPassword':
      return { reply: undefined };
    case 'signUp': {
      const signUp = output as unknown as SignUpOutput;
      return {
        reply: {
          userConfirmed: signUp.userConfirmed,
          userSub: `sub-${MODEL.username}`,
          ...(signUp.codeDelivery ? { codeDelivery: signUp.codeDelivery } : {}),
          ...(signUp.session ? { session: signUp.session } : {}),
        },
      };
    }
    case 'resendConfirmationCode':
    case 'forgotPassword':
    case 'getUserAttributeVerificationCode': {
      const delivery = (output as unknown as CodeSentOutput).codeDelivery;
      return { reply: delivery ? { codeDelivery: delivery } : {} };
    }
    case 'updateUserAttributes':
      return { reply: { codeDeliveries: (output as unknown as UpdateAttributesOutput).codeDeliveries } };
    case 'revokeToken':
    case 'globalSignOut': {
      const warning = (output as unknown as SignOutResult).warning;
      return { reply: warning ? cognitoFailureFor(warning.code) : undefined };
    }
    default:
      throw new Error(`model: cannot script actor "${src}" on the fake port`);
  }
}

/** Which steps apply an event the replay must send (user events and timers). */
const appliedByReplay = (event: ModelEvent) => parseEvent(event as never).kind === 'user' || parseEvent(event as never).kind === 'after';

/** Every actor run on the path, with its outcome, and the FakeScript that produces them in order. */
export function planPath(path: ModelPath, clock: { now: () => number } = { now: () => T0 }): PathPlan {
  const steps = path.steps;
  const issued: CognitoTokens[] = [];
  const tokens = () => {
    const t = fakeTokens({ username: MODEL.username, nowSeconds: Math.floor(clock.now() / 1000) });
    issued.push(t);
    return t;
  };
  type Open = { invokeId: string; src: string; nodeId: string; enteredAt: number; trigger: number };
  const open: Open[] = [];
  const settled: Array<Open & { outcome: Outcome; settledAt: number | undefined }> = [];
  let trigger = 0;
  let previous = new Set<string>();
  steps.forEach((step, i) => {
    if (i > 0 && appliedByReplay(step.event)) trigger = i;
    const parsed = parseEvent(step.event as never);
    if (parsed.kind === 'done' || parsed.kind === 'error') {
      const at = open.findIndex((o) => o.invokeId === parsed.invokeId);
      if (at < 0) throw new Error(`model: step ${i} settles "${parsed.invokeId}", which is not running`);
      const [call] = open.splice(at, 1);
      settled.push({ ...call!, settledAt: i, outcome: parsed.kind === 'done' ? { kind: 'done', output: parsed.output } : { kind: 'error', code: errorCode(parsed.error) } });
    }
    const active = activeInvokes(step.state);
    const keys = new Set(active.map((a) => `${a.node.id}#${a.invokeId}`));
    // Calls whose state was left without an outcome (cancel, sign-out, timer): they stay pending.
    for (let k = open.length - 1; k >= 0; k--) {
      const o = open[k]!;
      if (!keys.has(`${o.nodeId}#${o.invokeId}`)) settled.push({ ...open.splice(k, 1)[0]!, settledAt: undefined, outcome: { kind: 'pending' } });
    }
    for (const site of active) {
      const key = `${site.node.id}#${site.invokeId}`;
      if (!previous.has(key) || (parsed.kind !== 'user' && parsed.kind !== 'after' && 'invokeId' in parsed && parsed.invokeId === site.invokeId)) {
        if (!open.some((o) => `${o.nodeId}#${o.invokeId}` === key)) open.push({ invokeId: site.invokeId, src: site.src, nodeId: site.node.id, enteredAt: i, trigger });
      }
    }
    previous = keys;
  });
  for (const o of open.splice(0)) settled.push({ ...o, settledAt: undefined, outcome: { kind: 'pending' } });
  settled.sort((a, b) => a.enteredAt - b.enteredAt);

  const script: Record<string, unknown[]> = {};
  const passkeys = { get: [] as FakePasskeyReply[], create: [] as FakePasskeyReply[] };
  const hostedUi = { start: [] as unknown[], finish: [] as unknown[], callbacks: [] as Array<string | null> };
  const calls: PlannedCall[] = settled.map((call) => {
    const arranged = arrange(call.src, call.outcome, tokens, call.nodeId);
    if (call.src === 'loadStoredSession') {
      const status = call.outcome.kind === 'done' ? (call.outcome.output as StoredSessionStatus) : undefined;
      hostedUi.callbacks.push(status?.status === 'redirectCallback' ? status.callbackUrl : null);
    }
    if (arranged.hosted) {
      hostedUi[arranged.hosted].push(arranged.reply);
      return call;
    }
    if (arranged.storage) return { ...call, storage: arranged.storage };
    if (arranged.ceremony) {
      passkeys[arranged.ceremony].push(arranged.reply as FakePasskeyReply);
      return { ...call, ceremony: { kind: arranged.ceremony, index: passkeys[arranged.ceremony].length - 1 } };
    }
    const operation = DEVICE_OPERATIONS[call.src] ?? (call.src as Operation);
    if (!OPERATIONS.has(operation)) throw new Error(`model: actor "${call.src}" is not a Cognito operation`);
    const queue = (script[operation] ??= []);
    for (const reply of arranged.replies ?? [arranged.reply]) queue.push(reply);
    return { ...call, port: { operation, index: queue.length - 1 } };
  });
  const srp = calls.some((c) => c.outcome.kind === 'done' && (c.outcome.output as { step?: string } | undefined)?.step === 'PASSWORD_VERIFIER');
  const device = calls.some((c) => NEEDS_DEVICE.has(c.src) || c.nodeId.endsWith('.verifyingDevice'));
  return { calls, script: script as FakeScript, passkeys, hostedUi: hostedUi as FakeHostedUiScript, tokens: issued, srp, device };
}

/** The FakeScript that makes the runtime produce the path's actor outcomes (Cognito replies, in call order). */
export function scriptFromPath(path: ModelPath): FakeScript {
  return planPath(path).script;
}
