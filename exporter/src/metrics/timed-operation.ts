import { performance } from 'node:perf_hooks';
import type { Histogram, HistogramSeries } from './histogram';

/**
 * Runs `run` and observes its duration in seconds into `series`, whether it returns,
 * resolves, throws or rejects; a throw becomes a rejection, as from an `async` function.
 * A `.then` on the result rather than an `async` function with `await`: one promise a
 * call instead of two, each of which runs every AsyncLocalStorage hook of the process.
 */
export function timedOperation<T>(histogram: Histogram, series: HistogramSeries, run: () => T | Promise<T>): Promise<T> {
  const startMs = performance.now();
  const record = () => {
    histogram.observe(series, (performance.now() - startMs) / 1000);
  };
  let result: T | Promise<T>;
  try {
    result = run();
  } catch (error) {
    record();
    return Promise.reject(error);
  }
  return Promise.resolve(result).then(
    (value) => {
      record();
      return value;
    },
    (error: unknown) => {
      record();
      throw error;
    },
  );
}
