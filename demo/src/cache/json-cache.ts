import type { CacheObserver } from '@modelwatch/exporter';
import type { CacheStore } from './cache-store';

export interface LookupOptions<T> {
  /** `gen_ai_provider_name` of the cached AI response: a hit is priced from its `model` and `usage` as saved cost. */
  aiProvider?: string;
  /** Whether a computed value may be stored. @defaultValue always */
  shouldStore?: (value: T) => boolean;
}

export interface Lookup<T> {
  value: T;
  hit: boolean;
}

/** Cache-aside over a {@link CacheStore} for JSON values, recorded through the exporter's cache observer. */
export interface JsonCache {
  readonly name: string;
  lookup<T extends object>(key: string, compute: () => Promise<T>, options?: LookupOptions<T>): Promise<Lookup<T>>;
}

/**
 * One named cache (`cache_name` label). Lookups go through `observeCache(name).wrap`,
 * which counts hits, misses and backend errors, times get and set, and adds the
 * spend a hit avoided; a failing backend means a miss, never a failed request.
 */
export function jsonCache(name: string, store: CacheStore, observer: CacheObserver, ttlSeconds: number): JsonCache {
  return {
    name,
    async lookup<T extends object>(key: string, compute: () => Promise<T>, options: LookupOptions<T> = {}): Promise<Lookup<T>> {
      const storeKey = `${name}:${key}`;
      let hit = true;
      const value = await observer.wrap<T>({
        get: async () => {
          const json = await store.get(storeKey);
          return json === undefined ? undefined : (JSON.parse(json) as T);
        },
        compute: () => {
          hit = false;
          return compute();
        },
        set: async (computed) => {
          if (options.shouldStore && !options.shouldStore(computed)) return;
          await store.set(storeKey, JSON.stringify(computed), ttlSeconds);
        },
        ...(options.aiProvider === undefined ? {} : { aiProvider: options.aiProvider }),
      });
      return { value, hit };
    },
  };
}
