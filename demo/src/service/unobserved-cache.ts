import type { CacheAsideOptions, CacheObserver } from '@modelwatch/exporter';

/**
 * The answer caches of the uninstrumented service (the bench baseline): the same
 * cache-aside rules as `observeCache(name).wrap` — a failing get is a miss, a
 * failing set still returns the computed value — with nothing recorded.
 */
export const unobservedCache: CacheObserver = {
  hit: () => undefined,
  miss: () => undefined,
  error: () => undefined,
  time: async (_operation, run) => run(),
  async wrap<T>(options: CacheAsideOptions<T>): Promise<T> {
    let cached: T | undefined | null;
    try {
      cached = await options.get();
    } catch {
      cached = undefined;
    }
    if (cached !== undefined && cached !== null) return cached;
    const value = await options.compute();
    try {
      await options.set?.(value);
    } catch {
      // As the observed cache: a failed store never fails the request.
    }
    return value;
  },
};
