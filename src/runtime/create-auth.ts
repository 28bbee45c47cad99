// createAuth(): the chart with its actor slots filled, started as one actor per app (no globals).
import { createActor, waitFor, type Actor, type InspectionEvent, type Observer, type SnapshotFrom } from 'xstate';
import type { AuthMachine } from '../../machines/auth.machine.js';
import type { SignInFlow } from '../../machines/auth.types.js';
import type { PasskeyCeremonies } from '../webauthn/ceremonies.js';
import type { HostedUi, OAuthOptions } from '../oauth/redirect.js';
import { pendingCallbackUrl } from '../oauth/callback.js';
import { lazyChunk } from './lazy-chunk.js';
import { AuthError, fromErrorData } from '../cognito/errors.js';
import type { ClientMetadataOption, UserContextDataProvider } from '../cognito/call-context.js';
import type { CognitoPort } from '../cognito/port.js';
import type { MessageCatalogue } from '../messages.js';
import type { ModPowEngine } from '../cognito/srp.js';
import { lazySrpClient, type SrpClient } from './lazy-srp.js';
import { MemoryStorage, type KeyValueStorage } from '../session/storage.js';
import { isFresh, TokenStore, type StoredTokens } from '../session/tokens.js';
import type { FlowSecrets } from './attempt-secrets.js';
import { redactInspectionEvent } from './redact.js';
import { attachServices, prefetchCognito, prepareTransport, sharedAuthMachine } from './shared-machine.js';
import { SecretVault } from './secret-vault.js';
import type { ActorDeps } from './actors/shared.js';
import { broadcastTabs, untilStored, type TabChannel } from '../session/tabs.js';

export interface AuthClock {
  now(): number;
  setTimeout?(fn: (...args: unknown[]) => void, ms: number): unknown;
  clearTimeout?(id: unknown): void;
}

export interface CreateAuthOptions {
  readonly userPoolId: string;
  readonly clientId: string;
  /** Confidential clients only (server-side use). */
  readonly clientSecret?: string;
  readonly region?: string;
  /** Cognito endpoint override, e.g. the local pool's URL. */
  readonly endpoint?: string;
  /** A Cognito call still unanswered after this long fails (Network, retryable): no state stays busy forever. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /**
   * How Cognito is called: 'sdk' (default) through the AWS SDK v3, loaded on the first call; 'fetch', the lean
   * transport: AWS JSON 1.1 over fetch, no SDK (a bundler that splits dynamic imports never ships the SDK's chunk).
   * Same operations, errors and timeouts either way.
   */
  readonly transport?: 'sdk' | 'fetch';
  /** Bring your own Cognito port (tests, custom transports). Overrides `transport`; `clientMetadata` and `userContextData` are then the port's business. */
  readonly port?: CognitoPort;
  /**
   * ClientMetadata for the pool's Lambda triggers, on every call that takes it (InitiateAuth, RespondToAuthChallenge,
   * GetTokensFromRefreshToken, SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword,
   * UpdateUserAttributes, GetUserAttributeVerificationCode): a map, or a function of the call (its operation name and
   * user name). Cognito neither stores nor encrypts it: no secrets.
   */
  readonly clientMetadata?: ClientMetadataOption;
  /**
   * Threat protection's UserContextData, asked for on every call that takes it (InitiateAuth, RespondToAuthChallenge,
   * SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword): in a browser
   * `advancedSecurityContextData` (Cognito's collection script's EncodedData), on a server `{ IpAddress }` of the request.
   */
  readonly userContextData?: UserContextDataProvider;
  /** Where tokens are kept. Default: memory only. */
  readonly storage?: KeyValueStorage;
  /** Flow for `signIn.submit` without `authFlow`. Default USER_SRP_AUTH. */
  readonly authFlow?: SignInFlow;
  /** The app client's AuthSessionValidity in minutes (3-15, Cognito's default 3). */
  readonly authSessionValidityMinutes?: number;
  /** Modular exponentiation backend for SRP. The Node entry point defaults to OpenSSL. */
  readonly srpEngine?: ModPowEngine;
  readonly clock?: AuthClock;
  /**
   * Where to save a sign-in attempt that waits for the user, so it survives a reload (sessionStorage) or moves to
   * another tab (localStorage), until its Cognito session expires. Saved attempts hold no password, code or secret.
   */
  readonly resume?: KeyValueStorage;
  /**
   * An inspector: `createBrowserInspector()` / `createWebSocketInspector()` from @statelyai/inspect (anything with an
   * `inspect` observer), or an observer function. Passwords, codes, TOTP secrets, Sessions and tokens are redacted
   * from every event and snapshot before the inspector sees them.
   */
  readonly inspect?: { inspect: Observer<InspectionEvent> | ((event: InspectionEvent) => void) } | Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** Issuer shown in authenticator apps for TOTP (default "AWSCognito", as Amplify). */
  readonly totpIssuer?: string;
  /** Account name shown in authenticator apps for TOTP (default: what the user signed in with). */
  readonly totpAccountName?: (loginId: string) => string;
  /** FriendlyDeviceName sent with VerifySoftwareToken. */
  readonly totpDeviceName?: string;
  /**
   * The DeviceName ConfirmDevice gives this browser when the pool tracks devices (default: the user agent, as Cognito's own
   * clients name it). Device secrets are kept in `storage` beside the tokens and outlive sign-out.
   */
  readonly deviceName?: string;
  /** The passkey prompts. Default: the browser's (navigator.credentials through @simplewebauthn/browser). */
  readonly passkeys?: PasskeyCeremonies;
  /** The hosted UI, for redirect sign-in (redirect.start / signInWithRedirect) and its callback. */
  readonly oauth?: OAuthOptions;
  /** Bring your own hosted-UI implementation (tests: createFakeHostedUi from authchart/testing). Overrides `oauth`. */
  readonly hostedUi?: HostedUi;
  /** When stored tokens could not be refreshed (offline at start), the refresh is retried after this long. Default 30 s. */
  readonly refreshRetryMs?: number;
  /** Start the actor at once (default true). */
  readonly autoStart?: boolean;
  /**
   * Tabs sharing the token storage hear of each other's sign-in and sign-out (BroadcastChannel). Default: on in
   * browsers when `storage` is given; `true` forces it on (e.g. Node with a shared store), `false` off.
   */
  readonly tabs?: boolean | TabChannel;
  /** Words for error codes, replacing or translating the English ones (the adapters pass them to selectView). */
  readonly messages?: MessageCatalogue;
}

export interface Auth {
  readonly actor: Actor<AuthMachine>;
  /** The catalogue given to createAuth, for selectView. */
  readonly messages: MessageCatalogue | undefined;
  /**
   * Valid tokens for calling your APIs, refreshed through the chart when stale (or when forced). Waits for a
   * stored session to be restored at start. Null when signed out; rejects with the AuthError (e.g. Network,
   * retryable) when signed in but no fresh token can be had right now.
   */
  getTokens(options?: { forceRefresh?: boolean }): Promise<StoredTokens | null>;
  start(): Auth;
  stop(): void;
}

export function createAuth(options: CreateAuthOptions): Auth {
  const validity = options.authSessionValidityMinutes ?? 3;
  if (!(validity >= 3 && validity <= 15)) throw new RangeError('authSessionValidityMinutes must be between 3 and 15');
  const now = options.clock ? () => options.clock!.now() : () => Date.now();
  if (options.transport !== undefined && options.transport !== 'sdk' && options.transport !== 'fetch') throw new RangeError("transport must be 'sdk' or 'fetch'");
  // The port is made in the chunk that talks to Cognito (cognito-chunk.ts). The SDK transport loads the AWS SDK on its
  // first call, so a caller's own port or the fetch transport never loads it.
  const connection = {
    userPoolId: options.userPoolId,
    clientId: options.clientId,
    transport: options.transport ?? 'sdk',
    ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    ...(options.clientMetadata === undefined ? {} : { clientMetadata: options.clientMetadata }),
    ...(options.userContextData === undefined ? {} : { userContextData: options.userContextData }),
    ...(options.port === undefined ? {} : { port: options.port }),
  } as const;
  const tokenStorage = options.storage ?? new MemoryStorage();
  const tokens = new TokenStore(tokenStorage, options.clientId);
  const srp = lazySrpClient(options.userPoolId, options.srpEngine);
  const vault = new SecretVault<FlowSecrets>();
  const attempts = options.resume ? attemptStoreFor(options.resume, options.clientId) : undefined;
  const hosted = hostedUiFor(options, now);

  const clock = options.clock?.setTimeout && options.clock.clearTimeout ? options.clock : undefined;
  const inspect = inspectorObserver(options.inspect);
  const actor = createActor(sharedAuthMachine(), {
    input: { authFlow: options.authFlow ?? 'USER_SRP_AUTH' },
    ...(inspect ? { inspect: (event: InspectionEvent) => inspect(redactInspectionEvent(event)) } : {}),
    ...(clock ? { clock: clock as never } : {}),
  });
  attachServices(actor.system, {
    deps: {
      tokens,
      srp,
      vault,
      now,
      authSessionValidityMs: validity * 60_000,
      totpIssuer: options.totpIssuer ?? 'AWSCognito',
      ...(options.totpDeviceName ? { totpDeviceName: options.totpDeviceName } : {}),
      ...(options.totpAccountName ? { totpAccountName: options.totpAccountName } : {}),
      ...(attempts ? { attempts } : {}),
      ...(options.passkeys ? { passkeys: options.passkeys } : {}),
      ...(hosted ?? {}),
      ...(options.deviceName === undefined ? {} : { deviceName: options.deviceName }),
    },
    completion: { connection, tokenStorage },
    refreshRetryMs: options.refreshRetryMs ?? 30_000,
  });
  forgetSecretsOutsideSignIn(actor, vault);
  prepareSrpWhenASignInMayCome(actor, srp);
  // The transport's code loads while the sign-in form is on screen, not after the user pressed the button. Not again
  // after a failed attempt: that one loaded it already, or (offline) the next press should try afresh, not share this.
  actor.subscribe((snapshot) => {
    if (snapshot.matches('signedOut') && snapshot.context.error === null) prepareTransport(connection);
  });
  const tabs = tabChannelFor(options);
  if (tabs) followOtherTabs(actor, tabs, tokens);
  if (attempts) {
    // Saves run one after another, in snapshot order.
    let saving: Promise<void> = Promise.resolve();
    actor.subscribe((snapshot) => {
      saving = saving.then(() => attempts.follow(snapshot, now())).catch(() => undefined);
    });
  }

  const auth: Auth = {
    actor,
    messages: options.messages,
    async getTokens({ forceRefresh = false } = {}) {
      // At start the chart may still be restoring (and refreshing) a stored session.
      const ready = await waitFor(actor, (s) => !s.matches('checkingSession') && !s.hasTag('refreshing'));
      if (!ready.matches('signedIn')) return null;
      const stored = await tokens.load();
      if (stored && !forceRefresh && isFresh(stored, now())) return stored;
      // Refreshing goes through the chart, from signedIn.active: wait for another signed-in operation to end.
      // Concurrent callers share one refresh: the chart ignores session.refresh while refreshing.
      await waitFor(actor, (s) => !s.matches('signedIn') || s.can({ type: 'session.refresh' }));
      actor.send({ type: 'session.refresh' });
      const settled = await waitFor(actor, (s) => !s.hasTag('refreshing'));
      if (!settled.matches('signedIn')) return null;
      const refreshed = await tokens.load();
      // A refresh asked for and refused (offline, a wrong secret …) hands out no old token as if it were new.
      const refusedNow = forceRefresh && refreshed?.accessToken === stored?.accessToken && settled.context.error !== null;
      if (refreshed && isFresh(refreshed, now()) && !refusedNow) return refreshed;
      // Still signed in but no fresh token (offline, throttled): say why instead of handing out a dead token.
      const error = settled.context.error;
      throw error ? fromErrorData(error) : new AuthError('TokenExpired', 'The tokens could not be refreshed.');
    },
    start() {
      prefetchCognito();
      actor.start();
      return auth;
    },
    stop() {
      actor.stop();
      tabs?.close();
      vault.clear();
    },
  };
  return options.autoStart === false ? auth : auth.start();
}

/**
 * The saved attempt (persist/attempts.ts), its code loaded with import() as createAuth starts: only apps that pass
 * `resume` load it. Snapshots do not change, so reading one when the code has come is reading it when it was made.
 */
function attemptStoreFor(storage: KeyValueStorage, clientId: string) {
  const store = lazyChunk(() => import('../persist/attempts.js').then((module) => ({ module, store: new module.AttemptStore(storage, clientId) })));
  store().catch(() => undefined);
  return {
    status: async (now: number) => (await store()).store.status(now),
    clear: async () => (await store()).store.clear(),
    follow: async (snapshot: SnapshotFrom<AuthMachine>, now: number) => {
      const { module, store: saved } = await store();
      await saved.follow(module.attemptState(snapshot), now);
    },
  };
}

/** The hosted UI as the actors use it: the app's own, or createAuth's (oauth/redirect.ts, loaded on first use). */
function hostedUiFor(options: CreateAuthOptions, now: () => number): Pick<ActorDeps, 'hostedUi' | 'pendingCallback'> | undefined {
  const own = options.hostedUi;
  if (own) return { hostedUi: () => Promise.resolve(own), pendingCallback: () => own.pendingCallback() };
  const oauth = options.oauth;
  if (!oauth) return undefined;
  const config = {
    oauth,
    userPoolId: options.userPoolId,
    clientId: options.clientId,
    ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    now,
    storage: options.resume ?? options.storage ?? new MemoryStorage(),
  };
  return {
    hostedUi: lazyChunk(() => import('../oauth/redirect.js').then((redirect) => redirect.hostedUi(config))),
    pendingCallback: () => pendingCallbackUrl(oauth),
  };
}

function tabChannelFor(options: CreateAuthOptions): TabChannel | undefined {
  if (options.tabs === false) return undefined;
  if (typeof options.tabs === 'object') return options.tabs;
  const browser = typeof (globalThis as { document?: unknown }).document !== 'undefined';
  if (options.tabs === true || (browser && options.storage)) return broadcastTabs(`authchart.${options.clientId}`);
  return undefined;
}

/**
 * Tells the other tabs when this one signs in or out, and looks at the shared store again when they do —
 * once the store says so too: a message can arrive before the other tab's writes reach this tab's
 * localStorage. What this tab does because of another's message is not echoed back.
 */
export function followOtherTabs(
  actor: Pick<Actor<AuthMachine>, 'subscribe' | 'send' | 'getSnapshot'>,
  tabs: TabChannel,
  store?: Pick<TokenStore, 'load'>,
): void {
  let adopting = false;
  let last: 'in' | 'out' | null = null;
  tabs.listen(async (change) => {
    if (store) await untilStored(async () => ((await store.load()) !== null) === (change === 'signedIn'));
    const event = { type: 'session.changedElsewhere', change } as const;
    if (!actor.getSnapshot().can(event)) return; // busy signing out or already checking: nothing to adopt
    adopting = true;
    actor.send(event);
  });
  actor.subscribe((snapshot) => {
    const now = snapshot.matches('signedIn') ? 'in' : snapshot.matches('signedOut') ? 'out' : null;
    if (now === null) return;
    if (last !== null && now !== last && !adopting) tabs.post(now === 'in' ? 'signedIn' : 'signedOut');
    last = now;
    adopting = false;
  });
}

function inspectorObserver(option: CreateAuthOptions['inspect']): ((event: InspectionEvent) => void) | undefined {
  if (!option) return undefined;
  const target = typeof option === 'object' && 'inspect' in option ? option.inspect : option;
  return typeof target === 'function' ? target : (event) => target.next?.(event);
}

/**
 * Once the chart leaves the flows that may need the password again (signing in, signing up, resetting the
 * password) — signed in, cancelled, expired, failed — the kept password goes at once, not at its TTL.
 */
export function forgetSecretsOutsideSignIn(actor: Pick<Actor<AuthMachine>, 'subscribe'>, vault: SecretVault<unknown>): void {
  actor.subscribe((snapshot) => {
    const keeps = snapshot.matches('signingIn') || snapshot.matches('signingUp') || snapshot.matches('resettingPassword');
    if (vault.size > 0 && !keeps) vault.clear();
  });
}

/**
 * SRP's next g^a is prepared while the sign-in form (or a code step that can resend, which signs in again) is on
 * screen: not while signed in, so no private SRP value waits in memory for a sign-in that may never come.
 */
export function prepareSrpWhenASignInMayCome(actor: Pick<Actor<AuthMachine>, 'subscribe'>, srp: Pick<SrpClient, 'prepare'>): void {
  actor.subscribe((snapshot) => {
    if (snapshot.matches('signedOut') || snapshot.hasTag('canResend')) srp.prepare();
  });
}
