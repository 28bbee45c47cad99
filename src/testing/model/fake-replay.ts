// Replay against the runtime with the fake port: createAuth() with the port, the stores and a simulated clock set
// up from the path's plan.
import { SimulatedClock } from 'xstate';
import type { AuthEvent } from '../../../machines/auth.types.js';
import type { ModPowEngine } from '../../cognito/srp.js';
import { AttemptStore } from '../../persist/attempts.js';
import { createAuth, type Auth, type CreateAuthOptions } from '../../runtime/create-auth.js';
import { MemoryStorage, type KeyValueStorage } from '../../session/storage.js';
import { DeviceStore } from '../../session/device-store.js';
import { toStoredTokens, TokenStore } from '../../session/tokens.js';
import { createFakePort, fakeTokens, type FakePort } from '../fake-port.js';
import { describePath } from './describe.js';
import { resumableAttempt } from './outcomes.js';
import { createFakePasskeys, type FakePasskeyReply } from '../fake-passkeys.js';
import { createFakeHostedUi } from '../fake-hosted-ui.js';
import { never, planPath, type Operation, type StorageSetup } from './plan.js';
import { replayPath, type ReplayOptions, type Violation } from './replay.js';
import type { ModelPath, ModelSnapshot } from './types.js';
import { MODEL, T0 } from './values.js';

export interface FakeReplayOptions extends ReplayOptions {
  /** SRP modular exponentiation (the Node entry's OpenSSL engine is faster). */
  readonly srpEngine?: ModPowEngine;
  /** Extra createAuth options (e.g. another port, to see a replay fail). */
  readonly auth?: Partial<CreateAuthOptions>;
  /** Drive your own UI instead of sending events to the actor, and check what it shows at every step. */
  readonly ui?: {
    /** Called with the Auth before it starts: render your UI on it. */
    mount?(auth: Auth): void | Promise<void>;
    /** Perform the user event through the UI (type, click); it must reach the actor before this resolves. */
    send?(event: AuthEvent, step: number): void | Promise<void>;
    /** Assert what the UI shows, at each step the chart rests in (verified to be the step's state). */
    check?(snapshot: ModelSnapshot, step: number): void | Promise<void>;
    unmount?(): void | Promise<void>;
  };
}

export interface ReplayResult {
  readonly steps: number;
  readonly port: FakePort;
  /** Violations that were tolerated. */
  readonly tolerated: readonly Violation[];
}

/** A token store that can be told to fail or hang on its next read. */
export class ScriptedStorage implements KeyValueStorage {
  readonly items = new MemoryStorage();
  reads = 0;
  private readonly next: Array<'fail' | 'hang'> = [];
  arm(mode: 'fail' | 'hang') {
    this.next.push(mode);
  }
  getItem(key: string) {
    this.reads++;
    const mode = this.next.shift();
    if (mode === 'fail') throw new Error('model: the token store is unavailable');
    if (mode === 'hang') return never();
    return this.items.getItem(key);
  }
  setItem(key: string, value: string) {
    this.items.setItem(key, value);
  }
  removeItem(key: string) {
    this.items.removeItem(key);
  }
}

/** A browser the user signed in on before, remembered as a device (its secret is made up: the fake checks no proof). */
export async function rememberModelDevice(storage: KeyValueStorage): Promise<void> {
  await new DeviceStore(storage, MODEL.clientId).save(MODEL.username, { deviceKey: MODEL.deviceKey, deviceGroupKey: MODEL.deviceGroupKey, devicePassword: MODEL.devicePassword });
}

/**
 * Replays a model path against createAuth() with the fake port scripted from the path (scriptFromPath), the
 * token store and the saved-attempt store set up for the path's stored-session outcomes, and a simulated clock
 * for its timers. See replayPath for what is checked.
 */
export async function replayOnFakePort(path: ModelPath, options: FakeReplayOptions = {}): Promise<ReplayResult> {
  const clock = new SimulatedClock();
  clock.set(T0);
  const plan = planPath(path, clock);
  const port = createFakePort(plan.script, { userPoolId: MODEL.userPoolId, clientId: MODEL.clientId });
  const storage = new ScriptedStorage();
  const resume = new MemoryStorage();
  const tokenStore = new TokenStore(storage.items, MODEL.clientId);
  const attempts = new AttemptStore(resume, MODEL.clientId);
  const issued = [...plan.tokens];

  const prepareStorage = async (setup: StorageSetup) => {
    switch (setup.kind) {
      case 'fail':
      case 'hang':
        storage.arm(setup.kind);
        return;
      case 'empty':
        await tokenStore.clear();
        await attempts.clear();
        return;
      case 'tokens': {
        const now = clock.now();
        const age = setup.fresh ? 0 : 2 * 3_600_000;
        const tokens = fakeTokens({ username: MODEL.username, nowSeconds: Math.floor((now - age) / 1000) });
        issued.push(tokens);
        await tokenStore.save(toStoredTokens(tokens, now, { loginId: MODEL.username }));
        return;
      }
      case 'attempt': {
        // A saved attempt (what another page left behind), re-timed to now; interrupted = saved mid-request.
        await tokenStore.clear();
        const now = clock.now();
        const saved = setup.status.status === 'resumable' ? setup.status.attempt : resumableAttempt;
        const attempt = { ...saved, sessionIssuedAt: now, sessionExpiresAt: now + MODEL.sessionValidityMs };
        await attempts.follow({ kind: 'waiting', attempt }, now);
        if (setup.status.status === 'interrupted') await attempts.follow({ kind: 'inFlight' }, now);
        return;
      }
    }
  };

  // A passkey prompt answers when the path says so: a prompt left open while the user does something else (passkey
  // autofill) must not answer before those steps are replayed. Each answer waits for the step before its own.
  const gates = new Map<number, Array<() => void>>();
  const gated = { get: [] as FakePasskeyReply[], create: [] as FakePasskeyReply[] };
  for (const call of plan.calls) {
    if (!call.ceremony) continue;
    const reply = plan.passkeys[call.ceremony.kind][call.ceremony.index]!;
    if (call.settledAt === undefined) {
      gated[call.ceremony.kind].push(reply);
      continue;
    }
    let release!: () => void;
    const open = new Promise<void>((resolve) => (release = resolve));
    gates.set(call.settledAt - 1, [...(gates.get(call.settledAt - 1) ?? []), release]);
    gated[call.ceremony.kind].push(async (options, signal, mode) => {
      await open;
      if (reply instanceof Error) throw reply;
      return typeof reply === 'function' ? reply(options, signal, mode) : reply;
    });
  }

  if (plan.device) await rememberModelDevice(storage.items);
  const passkeys = createFakePasskeys(gated);
  const ceremoniesOf = (kind: 'get' | 'create') => passkeys.calls.filter((call) => call.kind === kind).length;

  const auth = createAuth({
    userPoolId: MODEL.userPoolId,
    clientId: MODEL.clientId,
    port,
    storage,
    resume,
    clock,
    authSessionValidityMinutes: MODEL.sessionValidityMs / 60_000,
    authFlow: plan.srp ? 'USER_SRP_AUTH' : 'USER_PASSWORD_AUTH',
    passkeys,
    hostedUi: createFakeHostedUi(plan.hostedUi),
    autoStart: false,
    ...(options.srpEngine ? { srpEngine: options.srpEngine } : {}),
    ...options.auth,
  });
  const { tolerated } = await replayPath(
    path,
    {
      auth,
      async before(i) {
        for (const call of plan.calls) if (call.trigger === i && call.storage) await prepareStorage(call.storage);
        if (i === 0) await options.ui?.mount?.(auth);
      },
      ...(options.ui?.send ? { send: (i: number, event: AuthEvent) => options.ui!.send!(event, i) } : {}),
      onStep: async (i: number, snapshot: ModelSnapshot) => {
        if (options.ui?.check && auth.actor.getSnapshot() === snapshot) await options.ui.check(snapshot, i);
        for (const release of gates.get(i) ?? []) release();
      },
      fireTimer: () => clock.increment(MODEL.sessionValidityMs),
      // The calls still running when the replay applies step i have reached the port, the passkey prompt or the store
      // (an actor left before its lazily loaded code ran sends nothing, so the replay must not overtake it).
      callsMade: (i) =>
        plan.calls
          .filter((c) => c.enteredAt < i && (c.settledAt === undefined || c.settledAt >= i))
          .every((c) =>
            c.port
              ? port.callsOf(c.port.operation).length > c.port.index
              : c.ceremony
                ? ceremoniesOf(c.ceremony.kind) > c.ceremony.index
                : c.storage?.kind === 'hang'
                  ? storage.reads > 0
                  : true,
          ),
      secrets: () => [...issued.flatMap((t) => [t.accessToken, t.idToken, t.refreshToken ?? '']), ...(plan.device ? [MODEL.devicePassword] : [])],
      resumeContent: () => resume.getItem(`authchart.${MODEL.clientId}.attempt`),
      async finish() {
        await options.ui?.unmount?.();
        for (const [operation, replies] of Object.entries(plan.script)) {
          const made = port.callsOf(operation as Operation).length;
          if (made !== (replies as unknown[]).length) throw new Error(`${operation}: ${made} call(s), ${(replies as unknown[]).length} scripted\n  path: ${describePath(path)}`);
        }
      },
    },
    options,
  );
  return { steps: path.steps.length, port, tolerated };
}
