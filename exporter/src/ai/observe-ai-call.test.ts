import { describe, expect, it } from 'vitest';
import { GEN_AI_TIME_PER_OUTPUT_TOKEN_BUCKETS } from '@modelwatch/conventions';
import { createModelwatch, type ModelwatchOptions } from '../modelwatch';
import { histogramOf, parseExposition, select, seriesOf, valueOf } from '@modelwatch/testkit';

const DURATION = 'gen_ai_client_operation_duration_seconds';
const TTFC = 'gen_ai_client_operation_time_to_first_chunk_seconds';
const PER_TOKEN = 'modelwatch_gen_ai_time_per_output_token_seconds';
const TOKENS = 'modelwatch_gen_ai_tokens_total';
const COST = 'modelwatch_gen_ai_cost_usd_total';
const ERRORS = 'modelwatch_instrumentation_errors_total';

/** A model priced by override so costs are exact: $1 / $2 per 1M input / output tokens, $0.5 cache read, $1.25 cache write. */
const testModel = { provider: 'openai', model: 'test-model', operation: 'chat' };
const options: ModelwatchOptions = {
  defaultMetrics: false,
  prices: { overrides: [{ provider: 'openai', model: 'test-model', inputPerMTok: 1, outputPerMTok: 2, cacheReadPerMTok: 0.5, cacheWritePerMTok: 1.25 }] },
};
const call = { gen_ai_provider_name: 'openai', gen_ai_request_model: 'test-model' };

async function samplesOf(mw: ReturnType<typeof createModelwatch>) {
  return parseExposition(await mw.metrics()).samples;
}
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('observeAiCall', () => {
  it('records a successful call with tokens and cost from its OpenAI usage, and returns its result unchanged', async () => {
    const mw = createModelwatch(options);
    const response = { model: 'test-model', usage: { prompt_tokens: 1000, completion_tokens: 200, prompt_tokens_details: { cached_tokens: 400 } } };
    const result = await mw.observeAiCall(testModel, async () => response);
    expect(result).toBe(response);
    const samples = await samplesOf(mw);
    expect(histogramOf(samples, DURATION, { ...call, error_type: '' }).count).toBe(1);
    expect(valueOf(samples, TOKENS, { ...call, gen_ai_token_type: 'input' })).toBe(1000);
    expect(valueOf(samples, TOKENS, { ...call, gen_ai_token_type: 'output' })).toBe(200);
    expect(valueOf(samples, TOKENS, { ...call, gen_ai_token_type: 'cache_read' })).toBe(400);
    // 600 uncached × $1 + 400 cached × $0.5 + 200 output × $2, per million
    expect(valueOf(samples, COST, { ...call, gen_ai_operation_name: 'chat' })).toBeCloseTo(0.0012, 12);
    expect(histogramOf(samples, 'gen_ai_client_token_usage', { ...call, gen_ai_token_type: 'input' }).buckets.get('1024')).toBe(1);
  });

  it('counts Anthropic cache tokens into input (inclusive rule) and prices cache writes', async () => {
    const mw = createModelwatch({ ...options, prices: { overrides: [{ provider: 'anthropic', model: 'claude-test', inputPerMTok: 1, outputPerMTok: 2, cacheReadPerMTok: 0.5, cacheWritePerMTok: 1.25 }] } });
    mw.observeAiCall({ provider: 'anthropic', model: 'claude-test' }, () => ({
      usage: { input_tokens: 100, output_tokens: 50, cache_read_input_tokens: 800, cache_creation_input_tokens: 100 },
    }));
    const samples = await samplesOf(mw);
    const labels = { gen_ai_provider_name: 'anthropic', gen_ai_request_model: 'claude-test' };
    expect(valueOf(samples, TOKENS, { ...labels, gen_ai_token_type: 'input' })).toBe(1000);
    expect(valueOf(samples, TOKENS, { ...labels, gen_ai_token_type: 'cache_creation' })).toBe(100);
    // 100 × $1 + 800 × $0.5 + 100 × $1.25 + 50 × $2, per million
    expect(valueOf(samples, COST, labels)).toBeCloseTo(0.000725, 12);
  });

  it.each([
    ['a 429 as rate_limited', Object.assign(new Error('Too Many Requests'), { status: 429 }), 'rate_limited'],
    ['a thrown string as _OTHER', 'provider exploded', '_OTHER'],
  ])('records a rejected call with %s and rethrows the same value', async (_, thrown, errorType) => {
    const mw = createModelwatch(options);
    await expect(mw.observeAiCall(testModel, async () => { throw thrown; })).rejects.toBe(thrown);
    const samples = await samplesOf(mw);
    expect(histogramOf(samples, DURATION, { ...call, error_type: errorType }).count).toBe(1);
    expect(select(samples, `${DURATION}_count`, { error_type: '' })).toEqual([]);
  });

  it('records a call that throws synchronously and rethrows it', async () => {
    const mw = createModelwatch(options);
    const error = new TypeError('bad argument');
    expect(() => mw.observeAiCall(testModel, () => { throw error; })).toThrow(error);
    expect(histogramOf(await samplesOf(mw), DURATION, { ...call, error_type: 'TypeError' }).count).toBe(1);
  });

  it('counts an unknown model as unpriced, never as $0', async () => {
    const mw = createModelwatch(options);
    mw.observeAiCall({ provider: 'openai', model: 'my-finetune-v7' }, () => ({ usage: { prompt_tokens: 10, completion_tokens: 5 } }));
    const samples = await samplesOf(mw);
    expect(valueOf(samples, 'modelwatch_gen_ai_unpriced_operations_total', { gen_ai_request_model: 'my-finetune-v7' })).toBe(1);
    expect(select(samples, COST)).toEqual([]);
  });

  it('keeps recording and returns the result when the trace source throws', async () => {
    const mw = createModelwatch({ ...options, exemplars: () => { throw new Error('tracer broken'); } });
    expect(mw.observeAiCall(testModel, () => 'answer')).toBe('answer');
    const samples = await samplesOf(mw);
    expect(histogramOf(samples, DURATION, { ...call, error_type: '' }).count).toBe(1);
    expect(valueOf(samples, ERRORS, { reason: 'internal' })).toBe(1);
  });
});

/** A stream like the SDKs return: an async iterable object with extra members. */
function fakeStream<T>(chunks: readonly T[], options: { firstChunkDelayMs?: number; failAfter?: number } = {}) {
  return {
    controller: new AbortController(),
    label: 'sdk-stream',
    describe() {
      return `${this.label} of ${chunks.length}`;
    },
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < chunks.length; i++) {
        if (i === 0 && options.firstChunkDelayMs) await delay(options.firstChunkDelayMs);
        if (options.failAfter === i) throw Object.assign(new Error('upstream reset'), { code: 'ECONNRESET' });
        yield chunks[i] as T;
      }
    },
  };
}

const openAiChunks = [
  { choices: [{ delta: { content: 'Hel' } }], usage: null },
  { choices: [{ delta: { content: 'lo' } }], usage: null },
  { choices: [], usage: { prompt_tokens: 12, completion_tokens: 2 } },
];

describe('observeAiCall with streams', () => {
  it('records time to first chunk and the usage of the final chunk when the stream ends', async () => {
    const mw = createModelwatch(options);
    const stream = await mw.observeAiCall(testModel, async () => fakeStream(openAiChunks, { firstChunkDelayMs: 30 }));
    const text: string[] = [];
    for await (const chunk of stream) text.push(chunk.choices[0]?.delta.content ?? '');
    expect(text.join('')).toBe('Hello');
    const samples = await samplesOf(mw);
    const ttfc = histogramOf(samples, TTFC, { ...call, error_type: '' });
    expect(ttfc.count).toBe(1);
    expect(ttfc.buckets.get('0.02')).toBe(0);
    expect(ttfc.sum).toBeGreaterThanOrEqual(0.025);
    expect(valueOf(samples, TOKENS, { ...call, gen_ai_token_type: 'input' })).toBe(12);
    expect(valueOf(samples, TOKENS, { ...call, gen_ai_token_type: 'output' })).toBe(2);
  });

  it('does not record the call before the stream is consumed', async () => {
    const mw = createModelwatch(options);
    await mw.observeAiCall(testModel, async () => fakeStream(openAiChunks));
    expect(select(await samplesOf(mw), `${DURATION}_count`)).toEqual([]);
  });

  it("merges Anthropic's message_start and message_delta usage", async () => {
    const mw = createModelwatch({ ...options, prices: { overrides: [{ provider: 'anthropic', model: 'claude-test', inputPerMTok: 1, outputPerMTok: 2 }] } });
    const events = [
      { type: 'message_start', message: { usage: { input_tokens: 20, output_tokens: 1, cache_read_input_tokens: 30, cache_creation_input_tokens: 0 } } },
      { type: 'content_block_delta', delta: { text: 'Hi' } },
      { type: 'message_delta', usage: { output_tokens: 15 } },
      { type: 'message_stop' },
    ];
    const stream = mw.observeAiCall({ provider: 'anthropic', model: 'claude-test' }, () => fakeStream(events));
    for await (const event of stream) void event;
    const samples = await samplesOf(mw);
    const labels = { gen_ai_provider_name: 'anthropic', gen_ai_request_model: 'claude-test' };
    expect(valueOf(samples, TOKENS, { ...labels, gen_ai_token_type: 'input' })).toBe(50);
    expect(valueOf(samples, TOKENS, { ...labels, gen_ai_token_type: 'output' })).toBe(15);
  });

  it('records a stream abandoned with break once, as a success', async () => {
    const mw = createModelwatch(options);
    const stream = await mw.observeAiCall(testModel, async () => fakeStream(openAiChunks));
    for await (const chunk of stream) {
      void chunk;
      break;
    }
    const samples = await samplesOf(mw);
    expect(histogramOf(samples, DURATION, { ...call, error_type: '' }).count).toBe(1);
    expect(histogramOf(samples, TTFC, { ...call, error_type: '' }).count).toBe(1);
  });

  it('records a stream that fails mid-way as a connection error and passes the error on', async () => {
    const mw = createModelwatch(options);
    const stream = await mw.observeAiCall(testModel, async () => fakeStream(openAiChunks, { failAfter: 1 }));
    await expect(async () => {
      for await (const chunk of stream) void chunk;
    }).rejects.toThrow('upstream reset');
    const samples = await samplesOf(mw);
    expect(histogramOf(samples, DURATION, { ...call, error_type: 'connection_error' }).count).toBe(1);
    expect(select(samples, `${DURATION}_count`, { error_type: '' })).toEqual([]);
  });

  it("keeps the stream object's other members working", async () => {
    const mw = createModelwatch(options);
    const original = fakeStream(openAiChunks);
    const stream = await mw.observeAiCall(testModel, async () => original);
    expect(stream.controller).toBe(original.controller);
    expect(stream.describe()).toBe('sdk-stream of 3');
  });
});

describe('time per output token', () => {
  /** Calls whose time per output token was recorded. */
  const timedCalls = (samples: Awaited<ReturnType<typeof samplesOf>>) => select(samples, `${PER_TOKEN}_count`).reduce((sum, s) => sum + s.value, 0);

  it('records a call answered in one piece as its duration over its output tokens, in semconv’s buckets, without error_type', async () => {
    const mw = createModelwatch(options);
    mw.recordAiCall(testModel, { durationSeconds: 2, usage: { prompt_tokens: 10, completion_tokens: 80 } });
    const samples = await samplesOf(mw);
    expect(seriesOf(samples, PER_TOKEN)).toEqual([{ ...call, gen_ai_operation_name: 'chat' }]);
    const perToken = histogramOf(samples, PER_TOKEN, call);
    expect(perToken.count).toBe(1);
    expect(perToken.sum).toBeCloseTo(0.025, 12);
    expect([...perToken.buckets.keys()]).toEqual([...GEN_AI_TIME_PER_OUTPUT_TOKEN_BUCKETS.map(String), '+Inf']);
    expect(perToken.buckets.get('0.01')).toBe(0);
    expect(perToken.buckets.get('0.025')).toBe(1);
  });

  it('leaves the time to first chunk out of a stream: the rest over the tokens after the first', async () => {
    const mw = createModelwatch(options);
    const stream = await mw.observeAiCall(testModel, async () => fakeStream(openAiChunks, { firstChunkDelayMs: 30 }));
    for await (const chunk of stream) void chunk;
    const samples = await samplesOf(mw);
    const duration = histogramOf(samples, DURATION, { ...call, error_type: '' }).sum;
    const firstChunk = histogramOf(samples, TTFC, { ...call, error_type: '' }).sum;
    expect(firstChunk).toBeGreaterThanOrEqual(0.025);
    // Two output tokens: one after the first.
    const perToken = histogramOf(samples, PER_TOKEN, call);
    expect(perToken.count).toBe(1);
    expect(perToken.sum).toBeCloseTo(duration - firstChunk, 12);
  });

  it.each([
    ['a failed call, even with usage', { durationSeconds: 1, errorType: 'timeout', usage: { prompt_tokens: 10, completion_tokens: 50 } }],
    ['a call without usage', { durationSeconds: 1 }],
    ['a call whose usage cannot be read', { durationSeconds: 1, usage: { words: 12 } }],
    ['a call without output tokens', { durationSeconds: 1, usage: { prompt_tokens: 42, total_tokens: 42 } }],
    ['a stream of one output token', { durationSeconds: 1, timeToFirstChunkSeconds: 0.5, usage: { prompt_tokens: 10, completion_tokens: 1 } }],
  ])('is not recorded for %s', async (_, outcome) => {
    const mw = createModelwatch(options);
    mw.recordAiCall(testModel, outcome);
    const samples = await samplesOf(mw);
    expect(select(samples, `${DURATION}_count`).map((s) => s.value)).toEqual([1]);
    expect(timedCalls(samples)).toBe(0);
  });

  it.each([
    ['a NaN duration', { durationSeconds: NaN }],
    ['a negative time to first chunk', { durationSeconds: 1, timeToFirstChunkSeconds: -0.5 }],
    ['a time to first chunk after the end of the call', { durationSeconds: 1, timeToFirstChunkSeconds: 1.5 }],
  ])('derives nothing from %s, which is counted once', async (_, times) => {
    const mw = createModelwatch(options);
    mw.recordAiCall(testModel, { ...times, usage: { prompt_tokens: 10, completion_tokens: 50 } });
    const samples = await samplesOf(mw);
    expect(valueOf(samples, ERRORS, { reason: 'invalid_duration' })).toBe(1);
    expect(timedCalls(samples)).toBe(0);
  });

  it('carries the trace of the call as an exemplar', async () => {
    const trace = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
    const mw = createModelwatch({ ...options, exemplars: () => trace });
    await mw.observeAiCall(testModel, async () => ({ usage: { prompt_tokens: 10, completion_tokens: 80 } }));
    const samples = parseExposition(await mw.metrics('openmetrics')).samples;
    const withExemplar = select(samples, `${PER_TOKEN}_bucket`).filter((bucket) => bucket.exemplar !== undefined);
    expect(withExemplar.map((bucket) => bucket.exemplar?.labels)).toEqual([{ trace_id: trace.traceId, span_id: trace.spanId }]);
    expect(withExemplar[0]?.exemplar?.value).toBe(valueOf(samples, `${PER_TOKEN}_sum`));
  });
});

describe('onAiCall', () => {
  it('hands each recorded call to listeners with its tokens and cost, and survives a throwing listener', async () => {
    const mw = createModelwatch(options);
    const seen: unknown[] = [];
    mw.onAiCall(() => {
      throw new Error('listener bug');
    });
    mw.onAiCall((summary) => seen.push(summary));
    mw.recordAiCall(testModel, { durationSeconds: 0.5, usage: { prompt_tokens: 1000, completion_tokens: 500 } });
    mw.recordAiCall(testModel, { durationSeconds: 0.1, errorType: 'rate_limited' });
    expect(seen).toEqual([
      expect.objectContaining({ provider: 'openai', model: 'test-model', operation: 'chat', errorType: undefined, costUsd: 0.002, usage: { input: 1000, output: 500, cacheRead: 0, cacheCreation: 0, reasoning: 0 } }),
      expect.objectContaining({ errorType: 'rate_limited', usage: undefined, costUsd: undefined }),
    ]);
    expect(valueOf(await samplesOf(mw), ERRORS, { reason: 'internal' })).toBe(2);
  });
});

describe('startAiCall', () => {
  it('records a call once however often it is ended or failed', async () => {
    const mw = createModelwatch(options);
    const handle = mw.startAiCall(testModel);
    handle.firstChunk();
    handle.end({ prompt_tokens: 5, completion_tokens: 1 });
    handle.end({ prompt_tokens: 5, completion_tokens: 1 });
    handle.fail(new Error('late'));
    const samples = await samplesOf(mw);
    expect(select(samples, `${DURATION}_count`).map((s) => [s.labels.error_type, s.value])).toEqual([['', 1]]);
    expect(valueOf(samples, TOKENS, { ...call, gen_ai_token_type: 'input' })).toBe(5);
  });
});

describe('recordAiCall with bad input', () => {
  it.each([
    ['a negative duration', { durationSeconds: -1 }, 'invalid_duration'],
    ['a NaN duration', { durationSeconds: NaN }, 'invalid_duration'],
    ['an infinite duration', { durationSeconds: Infinity }, 'invalid_duration'],
    ['negative tokens', { durationSeconds: 1, usage: { prompt_tokens: -5, completion_tokens: 1 } }, 'invalid_tokens'],
    ['NaN tokens', { durationSeconds: 1, usage: { prompt_tokens: NaN, completion_tokens: 1 } }, 'invalid_tokens'],
    ['a usage object of unknown shape', { durationSeconds: 1, usage: { words: 12 } }, 'unknown_usage_shape'],
    ['a usage that is a string', { durationSeconds: 1, usage: 'lots' }, 'unknown_usage_shape'],
  ])('drops %s and counts it', async (_, outcome, reason) => {
    const mw = createModelwatch(options);
    expect(() => mw.recordAiCall(testModel, outcome)).not.toThrow();
    const samples = await samplesOf(mw);
    expect(valueOf(samples, ERRORS, { reason })).toBe(1);
    expect(select(samples, TOKENS)).toEqual([]);
  });

  it('cuts a 10 kB model name to the label length cap', async () => {
    const mw = createModelwatch(options);
    mw.recordAiCall({ provider: 'openai', model: 'm'.repeat(10_000) }, { durationSeconds: 1 });
    const [series] = select(await samplesOf(mw), `${DURATION}_count`);
    expect(series?.labels.gen_ai_request_model).toHaveLength(128);
  });

  it('keeps series bounded under 20k distinct model names', async () => {
    const mw = createModelwatch({
      ...options,
      seriesCaps: { genAiOperationDuration: 10, genAiTimePerOutputToken: 5, genAiTokens: 50, genAiTokenUsage: 20, genAiUnpricedOperations: 10 },
    });
    for (let i = 0; i < 20_000; i++) mw.recordAiCall({ provider: 'openai', model: `model-${i}` }, { durationSeconds: 0.1, usage: { prompt_tokens: 1, completion_tokens: 1 } });
    const samples = await samplesOf(mw);
    const series = select(samples, `${DURATION}_count`);
    expect(series).toHaveLength(11);
    expect(series.reduce((sum, s) => sum + s.value, 0)).toBe(20_000);
    expect(valueOf(samples, 'modelwatch_gen_ai_tokens_total', { gen_ai_request_model: '_other', gen_ai_token_type: 'input' })).toBe(20_000 - 10);
    expect(valueOf(samples, 'modelwatch_dropped_series_total', { metric_name: DURATION })).toBe(20_000 - 10);
    expect(seriesOf(samples, PER_TOKEN)).toHaveLength(6);
    const folded = { gen_ai_operation_name: '_other', gen_ai_provider_name: '_other', gen_ai_request_model: '_other' };
    expect(histogramOf(samples, PER_TOKEN, folded).count).toBe(20_000 - 5);
    expect(valueOf(samples, 'modelwatch_dropped_series_total', { metric_name: PER_TOKEN })).toBe(20_000 - 5);
  });
});
