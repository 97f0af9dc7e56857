import { describe, expect, it, vi } from 'vitest';
import { PriceBook } from '../cost/price-book';
import { Instruments } from '../instruments';
import { CounterSeries } from '../metrics/counter';
import { HistogramSeries } from '../metrics/histogram';
import type { Series } from '../metrics/labelled-metric';
import { AiRecorder, type AiCallAttributes, type AiCallOutcome } from './ai-recorder';

// Every AI metric with a cap of its own, small enough that a few thousand calls fill them at different times.
const caps = {
  genAiOperationDuration: 8,
  genAiTimeToFirstChunk: 3,
  genAiTimePerOutputToken: 5,
  genAiTokenUsage: 12,
  genAiTokens: 30,
  genAiCost: 4,
  genAiUnpricedOperations: 6,
  genAiModelSubstitutions: 5,
};
const overrides = Array.from({ length: 40 }, (_, i) => ({ model: `priced-${i}`, inputPerMTok: 1 + i, outputPerMTok: 2 + i }));

function recorderWith(bindingLimit: number) {
  const instruments = new Instruments(caps);
  const recorder = new AiRecorder(instruments, new PriceBook({ overrides, bundledPrices: false }), undefined, bindingLimit);
  return { instruments, recorder };
}

/** A mix of calls: new names (some that sanitise to one another), names seen again, priced ones, streams, errors, substitutions, calls without usage. */
function* calls(count: number): Generator<[AiCallAttributes, AiCallOutcome]> {
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  // A model that gets series in some metrics only: a stream while the duration histogram has room, then calls without usage.
  yield [{ provider: 'openai', model: 'early' }, { durationSeconds: 1, timeToFirstChunkSeconds: 0.5 }];
  for (let i = 0; i < count; i++) {
    const kind = random();
    const model =
      kind < 0.5 ? `new-${i}` : kind < 0.6 ? `new\u0001${i % 7}` : kind < 0.75 ? `seen-${Math.floor(random() * 12)}` : kind < 0.9 ? `priced-${Math.floor(random() * 40)}` : 'early';
    const usage = random() < 0.85 ? { prompt_tokens: 1 + Math.floor(random() * 5000), completion_tokens: Math.floor(random() * 1000), prompt_tokens_details: { cached_tokens: 3 } } : undefined;
    const outcome: AiCallOutcome = { durationSeconds: random() * 20, usage };
    if (random() < 0.2) outcome.timeToFirstChunkSeconds = random();
    if (random() < 0.1) outcome.errorType = random() < 0.5 ? 'timeout' : 'rate_limited';
    const served = random();
    if (served < 0.05) outcome.responseModel = `served-${Math.floor(random() * 3)}`;
    else if (served < 0.1) outcome.responseModel = model;
    const operation = random() < 0.8 ? 'chat' : 'embeddings';
    yield [{ provider: random() < 0.7 ? 'openai' : 'anthropic', model, operation }, outcome];
  }
}

/** Every AI series and the dropped-series counts, as plain values. */
function stateOf(instruments: Instruments) {
  const { aiDuration, aiTimeToFirstChunk, aiTimePerOutputToken, aiTokenUsage, aiTokens, aiCost, aiUnpriced, aiModelSubstitutions, droppedSeries, instrumentationErrors } = instruments;
  const dump = (series: Series) =>
    series instanceof HistogramSeries
      ? [series.labelValues, series.isOverflow, [...series.counts], series.count, series.sum]
      : [series.labelValues, series.isOverflow, (series as CounterSeries).value];
  return Object.fromEntries(
    [aiDuration, aiTimeToFirstChunk, aiTimePerOutputToken, aiTokenUsage, aiTokens, aiCost, aiUnpriced, aiModelSubstitutions, droppedSeries, instrumentationErrors].map((metric) => [
      metric.name,
      (metric.all() as readonly Series[]).map(dump),
    ]),
  );
}

describe('calls of models not kept, once the AI metrics are full', () => {
  it.each([0, 50])('record exactly what resolving each series would (%i bindings kept)', (bindingLimit) => {
    const reference = recorderWith(Infinity);
    const folding = recorderWith(bindingLimit);
    const lookups = vi.spyOn(folding.instruments.aiDuration, 'series');
    for (const [attributes, outcome] of calls(5000)) {
      reference.recorder.record(attributes, outcome);
      folding.recorder.record(attributes, outcome);
    }
    expect(stateOf(folding.instruments)).toEqual(stateOf(reference.instruments));
    // Most calls were folded without a lookup in the duration histogram (the reference looked up every new binding).
    expect(lookups.mock.calls.length).toBeLessThan(2500);
    const dropped = folding.instruments.droppedSeries.all().reduce((n, s) => n + s.value, 0);
    expect(dropped).toBeGreaterThan(5000);
  });

  it('stop folding a model once a metric it writes to frees a place', () => {
    const { instruments, recorder } = recorderWith(0);
    const usage = { prompt_tokens: 10, completion_tokens: 5 };
    for (let i = 0; i < 20; i++) recorder.record({ provider: 'openai', model: `m-${i}` }, { durationSeconds: 1, usage });
    const kept = instruments.aiDuration.all().find((s) => !s.isOverflow)!;
    expect(instruments.aiDuration.remove(kept)).toBe(true);
    recorder.record({ provider: 'openai', model: 'late' }, { durationSeconds: 1, usage });
    expect(instruments.aiDuration.all().map((s) => s.labelValues[2])).toContain('late');
  });
});
