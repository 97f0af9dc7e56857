import { describe, expect, it } from 'vitest';
import { createModelwatch } from '../modelwatch';
import { histogramOf, parseExposition, valueOf } from '@modelwatch/testkit';

const REQUESTS = 'modelwatch_cache_requests_total';
const SAVED = 'modelwatch_cache_saved_cost_usd_total';
const DURATION = 'modelwatch_cache_operation_duration_seconds';

function setup() {
  const mw = createModelwatch({
    defaultMetrics: false,
    prices: { overrides: [{ provider: 'openai', model: 'test-model', inputPerMTok: 1, outputPerMTok: 2 }] },
  });
  const samples = async () => parseExposition(await mw.metrics()).samples;
  return { mw, samples };
}

describe('observeCache', () => {
  it('counts hits, misses and errors per cache', async () => {
    const { mw, samples } = setup();
    const answers = mw.observeCache('answers');
    answers.hit();
    answers.hit();
    answers.miss();
    answers.error();
    mw.observeCache('sessions').miss();
    const s = await samples();
    expect(valueOf(s, REQUESTS, { cache_name: 'answers', cache_result: 'hit' })).toBe(2);
    expect(valueOf(s, REQUESTS, { cache_name: 'answers', cache_result: 'miss' })).toBe(1);
    expect(valueOf(s, REQUESTS, { cache_name: 'answers', cache_result: 'error' })).toBe(1);
    expect(valueOf(s, REQUESTS, { cache_name: 'sessions', cache_result: 'miss' })).toBe(1);
  });

  it('times an operation and returns its result', async () => {
    const { mw, samples } = setup();
    const value = await mw.observeCache('answers').time('get', async () => 'cached');
    expect(value).toBe('cached');
    expect(histogramOf(await samples(), DURATION, { cache_name: 'answers', cache_operation: 'get' }).count).toBe(1);
  });
});

describe('observeCache().wrap', () => {
  const aiResponse = { model: 'test-model', usage: { prompt_tokens: 1000, completion_tokens: 500 }, choices: [] };

  it('on a miss computes, stores and records a miss with get and set timings', async () => {
    const { mw, samples } = setup();
    const store = new Map<string, typeof aiResponse>();
    const value = await mw.observeCache('answers').wrap({
      get: () => store.get('q'),
      compute: async () => aiResponse,
      set: (v) => store.set('q', v),
      aiProvider: 'openai',
    });
    expect(value).toBe(aiResponse);
    expect(store.get('q')).toBe(aiResponse);
    const s = await samples();
    expect(valueOf(s, REQUESTS, { cache_result: 'miss' })).toBe(1);
    expect(histogramOf(s, DURATION, { cache_operation: 'get' }).count).toBe(1);
    expect(histogramOf(s, DURATION, { cache_operation: 'set' }).count).toBe(1);
    expect(valueOf(s, SAVED, { cache_name: 'answers' })).toBe(0);
  });

  it('on a hit of a cached AI response records the spend it avoided', async () => {
    const { mw, samples } = setup();
    let computed = 0;
    const value = await mw.observeCache('answers').wrap({ get: async () => aiResponse, compute: async () => (computed++, aiResponse), aiProvider: 'openai' });
    expect(value).toBe(aiResponse);
    expect(computed).toBe(0);
    const s = await samples();
    expect(valueOf(s, REQUESTS, { cache_result: 'hit' })).toBe(1);
    // 1000 × $1 + 500 × $2, per million
    expect(valueOf(s, SAVED, { cache_name: 'answers' })).toBeCloseTo(0.002, 12);
  });

  it('uses a savedCostUsd function when given', async () => {
    const { mw, samples } = setup();
    await mw.observeCache('answers').wrap({ get: () => 'text', compute: () => 'text', savedCostUsd: () => 0.5 });
    expect(valueOf(await samples(), SAVED, { cache_name: 'answers' })).toBe(0.5);
  });

  it('keeps serving when the cache is down: a failing get counts an error and falls through to compute', async () => {
    const { mw, samples } = setup();
    const value = await mw.observeCache('answers').wrap({
      get: async () => {
        throw new Error('ECONNREFUSED redis');
      },
      compute: async () => 'fresh',
      set: async () => {
        throw new Error('ECONNREFUSED redis');
      },
    });
    expect(value).toBe('fresh');
    const s = await samples();
    expect(valueOf(s, REQUESTS, { cache_result: 'error' })).toBe(2);
    expect(valueOf(s, REQUESTS, { cache_result: 'miss' })).toBe(1);
  });

  it('passes on the error of compute', async () => {
    const { mw } = setup();
    const failure = new Error('model down');
    await expect(mw.observeCache('answers').wrap({ get: () => undefined, compute: async () => { throw failure; } })).rejects.toBe(failure);
  });
});
