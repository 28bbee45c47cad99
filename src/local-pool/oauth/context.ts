// The OAuth records of a pool's data file, one wrapper per Store (no state of its own besides it).
import type { PoolContext } from '../context.js';
import type { Store } from '../store/store.js';
import { OAuthStore } from './oauth-store.js';

const stores = new WeakMap<Store, OAuthStore>();

export function oauthStoreOf(store: Store): OAuthStore {
  let oauth = stores.get(store);
  if (!oauth) stores.set(store, (oauth = new OAuthStore(store)));
  return oauth;
}

export const oauthStore = (ctx: PoolContext): OAuthStore => oauthStoreOf(ctx.store);
