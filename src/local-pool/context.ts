// What every operation handler gets: the store and the services around it.
import type { Clock } from './clock.js';
import type { LockoutPolicy } from './flows/lockout.js';
import type { Outbox } from './outbox/outbox.js';
import type { SrpServer } from './crypto/srp-server.js';
import type { Store } from './store/store.js';
import type { TokenService } from './crypto/tokens.js';
import type { JsonObject } from './api/validation.js';
import type { FunctionRunner } from './triggers/runtime.js';

export interface PoolContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly srp: SrpServer;
  readonly tokens: TokenService;
  readonly lockout: LockoutPolicy;
  /** Where SMS and e-mail messages go. */
  readonly outbox: Outbox;
  /** Wrong codes one Session takes; the one that reaches this number ends the Session. */
  readonly mfaCodeAttempts: number;
  readonly region: string;
  /** Per data file; keys the simulated SRP challenge of unknown users so it is stable across restarts. */
  readonly simulationKey: string;
  /** The Lambda functions the pools' triggers call (docs/local-pool.md, "Lambda triggers"). */
  readonly functions: FunctionRunner;
  /** Where the pool's log lines go (already one line each). */
  readonly log: (line: string) => void;
}

/** One Cognito operation: validated JSON in, JSON out, CognitoError for every client-visible failure. */
export type Handler = (input: JsonObject, ctx: PoolContext) => Promise<JsonObject>;

export type HandlerRegistry = Readonly<Record<string, Handler>>;
