import { describe, expect, it } from 'vitest';
import { GEN_AI_DURATION_BUCKETS, GEN_AI_TIME_PER_OUTPUT_TOKEN_BUCKETS, GEN_AI_TOKEN_USAGE_BUCKETS, HTTP_DURATION_BUCKETS } from '@modelwatch/conventions';
import { Histogram } from './histogram';

const hooks = { onFold: () => undefined, onInvalidValue: () => undefined };

function histogram(buckets: readonly number[]) {
  return new Histogram({ name: 'test_seconds', type: 'histogram', help: 'Test.', labels: [], buckets }, hooks, { cap: 10 });
}

/** The bucket a value belongs in, by definition: the first bound ≥ value, else +Inf. */
function expectedIndex(bounds: readonly number[], value: number): number {
  const index = bounds.findIndex((bound) => value <= bound);
  return index === -1 ? bounds.length : index;
}

/** Each bound, the floats next to it, the space between, zero (and -0), tiny and huge values. */
function probes(bounds: readonly number[]): number[] {
  const values = [0, -0, Number.MIN_VALUE, 1e-300, 1e-9, 1e300, Number.MAX_VALUE];
  for (const bound of bounds) values.push(bound, bound * (1 - 1e-15), bound * (1 + 1e-15), bound * (1 - 1e-11), bound * (1 + 1e-11), bound / 3, bound * 1.5, bound * 3);
  for (let i = 0; i < 2000; i++) values.push(Math.random() * (bounds.at(-1) as number) * 2);
  return values;
}

describe('histogram bucket of a value', () => {
  it.each([
    ['GenAI duration (doubling)', GEN_AI_DURATION_BUCKETS],
    ['GenAI token usage (powers of 4)', GEN_AI_TOKEN_USAGE_BUCKETS],
    ['time per output token (irregular)', GEN_AI_TIME_PER_OUTPUT_TOKEN_BUCKETS],
    ['HTTP duration (irregular)', HTTP_DURATION_BUCKETS],
    ['doubling from a bound that is no power of two', [0.3, 0.6, 1.2, 2.4, 4.8, 9.6]],
    // Taken as doubling (within 1e-9 of it): values between a bound and the power of two next to it.
    ['doubling but for rounding', [1, 1.9999999999, 4, 8.0000000001, 16, 32]],
  ])('is the first bound at or above the value: %s', (_, bounds) => {
    const metric = histogram(bounds);
    const series = metric.series([]);
    for (const value of probes(bounds)) {
      const before = [...series.counts];
      metric.observe(series, value);
      const changed = series.counts.findIndex((count, i) => count !== before[i]);
      expect({ value, bucket: changed }).toEqual({ value, bucket: expectedIndex(bounds, value) });
    }
  });
});
