import { describe, expect, it } from 'vitest';
import { INSTRUMENTATION_ERROR_REASON, METRICS } from '@modelwatch/conventions';
import { createModelwatch } from './modelwatch';
import { parseExposition, select, valueOf, type Sample } from '@modelwatch/testkit';

// The counters alerts and dashboards read exist at 0 from the first scrape, for every label set known up front:
// an alert on their increase sees 0, not "no data", and a new user finds them before anything happened.
const fresh = () => createModelwatch({ defaultMetrics: false, warn: () => undefined });
const scrape = async (mw: ReturnType<typeof fresh>): Promise<Sample[]> => parseExposition(await mw.metrics()).samples;

describe('series that exist at 0 before anything happened', () => {
  it(`${METRICS.instrumentationErrors.name}: one per reason`, async () => {
    const samples = await scrape(fresh());
    const reasons = Object.values(INSTRUMENTATION_ERROR_REASON);
    expect(select(samples, METRICS.instrumentationErrors.name).map((s) => [s.labels.reason, s.value])).toEqual(reasons.map((reason) => [reason, 0]));
  });

  it(`${METRICS.droppedSeries.name}: one per capped metric`, async () => {
    const samples = await scrape(fresh());
    const capped = Object.values(METRICS).filter((m) => m.labels.length > 0 && m !== METRICS.droppedSeries && m !== METRICS.clusterWorkers);
    const dropped = select(samples, METRICS.droppedSeries.name);
    expect(dropped.map((s) => s.labels.metric_name).sort()).toEqual(capped.map((m) => m.name).sort());
    expect(dropped.every((s) => s.value === 0)).toBe(true);
  });

  it(`${METRICS.genAiUnpricedOperations.name}: per model without a price, from the start of its first call`, async () => {
    const mw = fresh();
    const unpriced = { gen_ai_provider_name: 'openai', gen_ai_request_model: 'in-house-llm-7b' };
    const call = mw.startAiCall({ provider: 'openai', model: 'in-house-llm-7b' });
    mw.startAiCall({ provider: 'openai', model: 'gpt-4o-mini' }).end({ prompt_tokens: 10, completion_tokens: 2 });
    const during = await scrape(mw);
    expect(valueOf(during, METRICS.genAiUnpricedOperations.name, unpriced)).toBe(0);
    // A priced model never gets an unpriced series (nor an unpriced one a cost series reading $0).
    expect(select(during, METRICS.genAiUnpricedOperations.name, { gen_ai_request_model: 'gpt-4o-mini' })).toEqual([]);
    call.end({ prompt_tokens: 10, completion_tokens: 2 });
    expect(valueOf(await scrape(mw), METRICS.genAiUnpricedOperations.name, unpriced)).toBe(1);
  });

  it(`${METRICS.cacheRequests.name}: hit, miss and error of each cache from observeCache()`, async () => {
    const mw = fresh();
    mw.observeCache('answers');
    const samples = await scrape(mw);
    expect(select(samples, METRICS.cacheRequests.name).map((s) => [s.labels.cache_name, s.labels.cache_result, s.value])).toEqual([
      ['answers', 'hit', 0],
      ['answers', 'miss', 0],
      ['answers', 'error', 0],
    ]);
  });

  it(`${METRICS.cacheSavedCost.name}: each cache from observeCache()`, async () => {
    const mw = fresh();
    mw.observeCache('answers');
    expect(valueOf(await scrape(mw), METRICS.cacheSavedCost.name, { cache_name: 'answers' })).toBe(0);
  });

  it(`${METRICS.httpServerActiveRequests.name} and ${METRICS.processMemoryLimit.name}: from the start`, async () => {
    const samples = await scrape(createModelwatch({ defaultMetrics: false, warn: () => undefined, memoryLimitBytes: 1024 }));
    expect(valueOf(samples, METRICS.httpServerActiveRequests.name)).toBe(0);
    expect(valueOf(samples, METRICS.processMemoryLimit.name)).toBe(1024);
  });
});
