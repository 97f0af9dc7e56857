import { performance } from 'node:perf_hooks';
import { CACHE_RESULT, INSTRUMENTATION_ERROR_REASON, type CacheResult } from '@modelwatch/conventions';
import { timedOperation } from '../metrics/timed-operation';
import type { Instruments } from '../instruments';

export interface CacheAsideOptions<T> {
  /** Reads the cache; `undefined` or `null` is a miss. A throw counts as an error and falls through to `compute`. */
  get: () => T | undefined | null | Promise<T | undefined | null>;
  /** Produces the value on a miss (an AI call, usually). Its errors reach the caller. */
  compute: () => T | Promise<T>;
  /** Stores the computed value. A throw counts as an error; the computed value is still returned. */
  set?: (value: T) => unknown;
  /**
   * Spend a hit avoided, in USD. By default, a cached AI response (an object
   * with `model` and `usage`, as the OpenAI and Anthropic SDKs return) is
   * priced from its usage with `aiProvider`.
   */
  savedCostUsd?: (value: T) => number | undefined;
  /** `gen_ai_provider_name` of cached AI responses, for the default saved-cost pricing. */
  aiProvider?: string;
}

export interface CacheObserver {
  /** Counts a hit; `savedCostUsd` is the AI spend it avoided, if any. */
  hit(savedCostUsd?: number): void;
  miss(): void;
  error(): void;
  /** Times one cache operation (`get`, `set`, `delete`…) and returns its result. */
  time<T>(operation: string, run: () => T | Promise<T>): Promise<T>;
  /** Cache-aside in one call: get, else compute and set; records result, durations and saved cost. */
  wrap<T>(options: CacheAsideOptions<T>): Promise<T>;
}

/** Prices a cached AI response from its own usage and model. */
export type ResponsePricer = (provider: string, model: string, usage: unknown) => number | undefined;

/** The operations `wrap` times (`cache_operation` label values). */
const CACHE_OPERATION = { get: 'get', set: 'set' } as const;

export function createCacheObserver(instruments: Instruments, priceResponse: ResponsePricer, name: string): CacheObserver {
  const { cacheRequests, cacheDuration, cacheSavedCost } = instruments;
  const resultSeries = (result: CacheResult) => cacheRequests.series([name, result]);
  const hitSeries = resultSeries(CACHE_RESULT.hit);
  const missSeries = resultSeries(CACHE_RESULT.miss);
  const errorSeries = resultSeries(CACHE_RESULT.error);
  const savedSeries = cacheSavedCost.series([name]);
  const getSeries = cacheDuration.series([name, CACHE_OPERATION.get]);
  const setSeries = cacheDuration.series([name, CACHE_OPERATION.set]);

  const observer: CacheObserver = {
    hit(savedCostUsd) {
      cacheRequests.inc(hitSeries);
      if (savedCostUsd !== undefined && savedCostUsd !== 0) cacheSavedCost.inc(savedSeries, savedCostUsd);
    },
    miss: () => cacheRequests.inc(missSeries),
    error: () => cacheRequests.inc(errorSeries),
    time: (operation, run) => timedOperation(cacheDuration, cacheDuration.series([name, operation]), run),
    async wrap<T>(options: CacheAsideOptions<T>): Promise<T> {
      // The get is timed here rather than through `time`: one promise fewer on every lookup.
      let cached: T | undefined | null;
      let failed = false;
      const startMs = performance.now();
      try {
        cached = await options.get();
      } catch {
        failed = true;
      }
      cacheDuration.observe(getSeries, (performance.now() - startMs) / 1000);
      if (failed) {
        observer.error();
      } else if (cached !== undefined && cached !== null) {
        observer.hit(savedCost(cached, options));
        return cached;
      }
      observer.miss();
      const value = await options.compute();
      if (options.set) {
        const set = options.set;
        try {
          await timedOperation(cacheDuration, setSeries, () => set(value));
        } catch {
          observer.error();
        }
      }
      return value;
    },
  };

  function savedCost<T>(value: T, options: CacheAsideOptions<T>): number | undefined {
    try {
      if (options.savedCostUsd) return options.savedCostUsd(value);
      if (options.aiProvider === undefined || typeof value !== 'object' || value === null) return undefined;
      const response = value as { model?: unknown; usage?: unknown };
      return typeof response.model === 'string' ? priceResponse(options.aiProvider, response.model, response.usage) : undefined;
    } catch {
      instruments.reportError(INSTRUMENTATION_ERROR_REASON.priceLookup);
      return undefined;
    }
  }

  return observer;
}
