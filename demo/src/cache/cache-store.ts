/**
 * A string key-value store with expiry: the answer cache's backend. Values are
 * JSON strings so the in-memory and Redis backends behave the same.
 * `get` and `set` may throw when the backend is down; callers count that as a
 * cache error and carry on without the cache.
 */
export interface CacheStore {
  /** `memory` or `redis`: shown by `/readyz` and the startup log. */
  readonly backend: string;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  close(): Promise<void>;
}
