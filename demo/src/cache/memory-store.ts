import { LRUCache } from 'lru-cache';
import type { CacheStore } from './cache-store';

export interface MemoryStoreOptions {
  /** Most entries kept; the least recently used go first. @defaultValue 10000 */
  maxEntries?: number;
  /** Most bytes of values kept (UTF-16 length × 2). @defaultValue 64 MiB */
  maxBytes?: number;
}

/** In-process LRU with per-entry TTL: the default cache, bounded in entries and bytes. */
export function memoryStore(options: MemoryStoreOptions = {}): CacheStore {
  const lru = new LRUCache<string, string>({
    max: options.maxEntries ?? 10_000,
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (value, key) => (value.length + key.length) * 2,
    // Expired entries are dropped on read; no timer keeps the process alive.
    ttlAutopurge: false,
  });
  return {
    backend: 'memory',
    get: async (key) => lru.get(key),
    set: async (key, value, ttlSeconds) => {
      lru.set(key, value, { ttl: ttlSeconds * 1000 });
    },
    close: async () => lru.clear(),
  };
}
