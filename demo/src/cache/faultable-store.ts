import type { CacheStore } from './cache-store';

/**
 * A store that fails every read and write while `isDown()` says so: the
 * `cache_outage` fault, behaving exactly like an unreachable backend.
 */
export function faultableStore(store: CacheStore, isDown: () => boolean): CacheStore {
  const check = () => {
    if (isDown()) throw new Error(`Cache backend ${store.backend} unavailable (injected cache_outage)`);
  };
  return {
    backend: store.backend,
    async get(key) {
      check();
      return store.get(key);
    },
    async set(key, value, ttlSeconds) {
      check();
      return store.set(key, value, ttlSeconds);
    },
    close: () => store.close(),
  };
}
