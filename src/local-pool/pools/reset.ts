// Resetting a running pool to its seed (the demo page's "Reset demo data", POST /_local/reset): the
// users of the seed's pools go, with everything that hangs on them (sessions, codes, tokens, devices,
// passkeys) and the pools' outbox, and the seed's users come back as the seed describes them.
// Pools, app clients, domains and signing keys stay: tokens signed before stay verifiable until
// they are refused for their revoked user.
import type { PoolContext } from '../context.js';
import { applySeed, type SeedDocument, type SeedResult } from './seed.js';

export interface ResetResult extends SeedResult {
  /** Users removed (the seed's ones and any added since, e.g. sign-ups). */
  readonly removedUsers: number;
}

/** One transaction: a request either sees the pool before the reset or after it. */
export function resetToSeed(ctx: PoolContext, doc: SeedDocument): ResetResult {
  return ctx.store.transaction(() => {
    let removedUsers = 0;
    for (const seedPool of doc.pools) {
      if (!ctx.store.getPool(seedPool.id)) continue;
      for (const user of ctx.store.listUsers(seedPool.id)) {
        ctx.store.deleteUser(seedPool.id, user.sub);
        removedUsers += 1;
      }
      ctx.store.deleteOutboxMessages(seedPool.id);
    }
    return { ...applySeed(ctx, doc), removedUsers };
  });
}
