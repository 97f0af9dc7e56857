import { describe, expect, it } from 'vitest';
import { LABEL, OVERFLOW_LABEL_VALUE, type MetricDefinition } from '@modelwatch/conventions';
import { Counter } from './counter';
import type { MetricHooks } from './labelled-metric';

const definition: MetricDefinition = {
  name: 'test_calls_total',
  type: 'counter',
  help: 'Calls.',
  labels: [LABEL.genAiRequestModel, LABEL.genAiTokenType],
  closedLabels: { [LABEL.genAiTokenType]: ['input', 'output'] },
};

function counterWithCap(cap: number) {
  const events = { folds: 0, invalid: 0 };
  const hooks: MetricHooks = { onFold: () => events.folds++, onInvalidValue: () => events.invalid++ };
  return { counter: new Counter(definition, hooks, { cap }), events };
}

const valuesOf = (counter: Counter) => counter.all().map((s) => [...s.labelValues, s.value]);

describe('label storage', () => {
  it('keeps apart tuples that a joined key would confuse', () => {
    const { counter } = counterWithCap(10);
    counter.inc(counter.series(['x|', 'input']));
    counter.inc(counter.series(['x', '|input']));
    expect(counter.seriesCount).toBe(2);
  });

  it('returns the same series for the same values, through the fast path', () => {
    const { counter } = counterWithCap(10);
    expect(counter.series(['gpt-4o', 'input'])).toBe(counter.series(['gpt-4o', 'input']));
  });

  it('merges raw values that sanitise alike into one series', () => {
    const { counter } = counterWithCap(10);
    counter.inc(counter.series(['a\nb', 'input']));
    counter.inc(counter.series(['a\tb', 'input']));
    expect(valuesOf(counter)).toEqual([['a b', 'input', 2]]);
  });

  it('finds a series by its sanitised values once the raw lookup cache is full', () => {
    // cap 1: the raw cache keeps 4 entries, filled here by unsanitised aliases of one series.
    const { counter } = counterWithCap(1);
    for (const raw of ['a\nb', 'a\tb', 'a\rb', 'a\u0000b', 'a\u0001b', 'a b']) counter.inc(counter.series([raw, 'input']));
    expect(valuesOf(counter)).toEqual([['a b', 'input', 6]]);
  });

  it('formats label pairs when asked, escaped', () => {
    const { counter } = counterWithCap(10);
    expect(counter.series(['say "hi"\\', 'input']).labelPairs).toBe('gen_ai_request_model="say \\"hi\\"\\\\",gen_ai_token_type="input"');
  });
});

describe('cardinality guard', () => {
  it('folds label sets past the cap into _other, keeping closed labels, and counts each folded observation', () => {
    const { counter, events } = counterWithCap(2);
    for (const model of ['m1', 'm2', 'm3', 'm4']) {
      counter.inc(counter.series([model, 'input']));
      counter.inc(counter.series([model, 'output']));
    }
    expect(valuesOf(counter)).toEqual([
      ['m1', 'input', 1],
      ['m1', 'output', 1],
      [OVERFLOW_LABEL_VALUE, 'input', 3],
      [OVERFLOW_LABEL_VALUE, 'output', 3],
    ]);
    expect(events.folds).toBe(6);
  });

  it('folds a series whose closed label has an unknown value, even below the cap', () => {
    const { counter } = counterWithCap(100);
    counter.inc(counter.series(['m1', 'prompt']));
    expect(valuesOf(counter)).toEqual([[OVERFLOW_LABEL_VALUE, OVERFLOW_LABEL_VALUE, 1]]);
  });

  it('tells when it is full, and counts every regular series added or removed', () => {
    const { counter } = counterWithCap(2);
    counter.series(['a', 'input']);
    expect([counter.isFull, counter.changes]).toEqual([false, 1]);
    const b = counter.series(['b', 'input']);
    counter.series(['a', 'input']);
    counter.series(['c', 'input']); // folded: no change
    expect([counter.isFull, counter.changes]).toEqual([true, 2]);
    counter.remove(b);
    expect([counter.isFull, counter.changes]).toEqual([false, 3]);
    counter.series(['d', 'input']);
    expect([counter.isFull, counter.changes]).toEqual([true, 4]);
  });

  it('stays bounded under a million distinct model names', () => {
    const { counter, events } = counterWithCap(50);
    for (let i = 0; i < 1_000_000; i++) counter.inc(counter.series([`model-${i}`, 'input']));
    expect(counter.seriesCount).toBe(51);
    expect(events.folds).toBe(1_000_000 - 50);
    const total = counter.all().reduce((sum, s) => sum + s.value, 0);
    expect(total).toBe(1_000_000);
  });

  it('stores non-primitive label values without pinning them in the lookup cache', () => {
    const { counter } = counterWithCap(10);
    const model = { toString: () => 'from-object' };
    counter.inc(counter.series([model, 'input']));
    counter.inc(counter.series([model, 'input']));
    expect(valuesOf(counter)).toEqual([['from-object', 'input', 2]]);
  });
});

describe('bad values', () => {
  it.each([
    ['a negative amount', -1],
    ['NaN', NaN],
    ['Infinity', Infinity],
  ])('drops %s and reports it', (_, amount) => {
    const { counter, events } = counterWithCap(10);
    const series = counter.series(['m1', 'input']);
    counter.inc(series, amount);
    expect(series.value).toBe(0);
    expect(events.invalid).toBe(1);
  });
});

describe('removing a series', () => {
  it('takes it out of the exposition and frees its place under the cap; the label set comes back from 0', () => {
    const { counter, events } = counterWithCap(2);
    const a = counter.series(['a', 'input']);
    counter.inc(a, 5);
    counter.inc(counter.series(['b', 'input']));
    const walking = counter.all();
    expect(counter.remove(a)).toBe(true);
    // A scrape already walking the series keeps the array it started with.
    expect(walking.map((s) => s.labelValues[0])).toEqual(['a', 'b']);
    expect(valuesOf(counter)).toEqual([['b', 'input', 1]]);
    counter.inc(counter.series(['c', 'input']));
    counter.inc(counter.series(['a', 'input']));
    expect(valuesOf(counter)).toEqual([
      ['b', 'input', 1],
      ['c', 'input', 1],
      [OVERFLOW_LABEL_VALUE, 'input', 1],
    ]);
    expect(events.folds).toBe(1);
  });

  it('refuses an _other series and one it does not hold', () => {
    const { counter } = counterWithCap(1);
    counter.series(['a', 'input']);
    const other = counter.series(['b', 'input']);
    expect(other.isOverflow).toBe(true);
    expect(counter.remove(other)).toBe(false);
    const stranger = counterWithCap(1).counter.series(['a', 'input']);
    expect(counter.remove(stranger)).toBe(false);
    expect(counter.seriesCount).toBe(2);
  });
});
