import { AggregatorRegistry, collectDefaultMetrics, Histogram as PromClientHistogram, Registry as PromClientRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { GEN_AI_DURATION_BUCKETS, METRICS } from '@modelwatch/conventions';
import { Instruments } from '../instruments';
import { parseExposition, type Sample } from '@modelwatch/testkit';
import { formatSnapshots } from './format';
import { mergeSnapshots, monotonicPart } from './merge';
import { snapshotInstruments, type MetricSnapshot } from './snapshot';

const MEMORY_LIMIT = 512 * 1024 * 1024;
const AI_LABELS = ['chat', 'openai', 'gpt-4o-mini', ''] as const;

/** One worker's metrics: `calls` AI calls of 0.5 s (and one of 3 s), one in-flight request, the shared memory limit. */
function workerInstruments(calls: number, traceId = 'a'.repeat(32), runtime?: PromClientRegistry): Instruments {
  const instruments = new Instruments({}, runtime);
  const duration = instruments.aiDuration.series(AI_LABELS);
  for (let i = 0; i < calls; i++) instruments.aiDuration.observe(duration, 0.5, { traceId, spanId: 'b'.repeat(16) });
  instruments.aiDuration.observe(duration, 3);
  instruments.aiTokens.inc(instruments.aiTokens.series(['openai', 'gpt-4o-mini', 'input']), 100 * calls, { traceId, spanId: 'c'.repeat(16) });
  instruments.httpActive.add(instruments.httpActive.series([]), 1);
  instruments.memoryLimit.set(instruments.memoryLimit.series([]), MEMORY_LIMIT);
  return instruments;
}

async function expose(families: readonly MetricSnapshot[], format: 'text' | 'openmetrics'): Promise<string> {
  let out = '';
  for await (const chunk of formatSnapshots(families, format)) out += chunk;
  return out;
}

function sample(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): Sample {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  expect(found, `${name} ${JSON.stringify(labels)}`).toHaveLength(1);
  return found[0]!;
}

/** prom-client JSON without the `exemplar: null` placeholders it writes, for comparison. */
function withoutEmptyExemplars(values: readonly object[]): object[] {
  return values.map((value) => Object.fromEntries(Object.entries(value).filter(([key, v]) => !(key === 'exemplar' && (v === null || v === undefined)))));
}

describe('cluster snapshot', () => {
  it('shapes a histogram exactly as prom-client does (cumulative buckets with le, then _sum and _count)', async () => {
    const instruments = new Instruments();
    const ours = instruments.aiDuration;
    const registry = new PromClientRegistry();
    const theirs = new PromClientHistogram({
      name: METRICS.genAiOperationDuration.name,
      help: METRICS.genAiOperationDuration.help,
      labelNames: METRICS.genAiOperationDuration.labels,
      buckets: [...GEN_AI_DURATION_BUCKETS],
      registers: [registry],
    });
    for (const value of [0.005, 0.5, 0.5, 1.28, 100]) {
      ours.observe(ours.series(AI_LABELS), value);
      theirs.observe({ gen_ai_operation_name: 'chat', gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o-mini', error_type: '' }, value);
    }
    const snapshot = (await snapshotInstruments(instruments)).find((family) => family.name === ours.name);
    const [expected] = await registry.getMetricsAsJSON();
    expect(snapshot).toMatchObject({ name: expected!.name, help: expected!.help, type: 'histogram', aggregator: 'sum' });
    expect(snapshot!.values).toEqual(withoutEmptyExemplars(expected!.values));
  });

  it('marks the memory limit max and everything of ours sum; carries exemplars in prom-client shape', async () => {
    const snapshot = await snapshotInstruments(workerInstruments(2));
    const aggregators = Object.fromEntries(snapshot.map((family) => [family.name, family.aggregator]));
    expect(aggregators).toEqual({
      [METRICS.genAiOperationDuration.name]: 'sum',
      [METRICS.genAiTokens.name]: 'sum',
      [METRICS.httpServerActiveRequests.name]: 'sum',
      [METRICS.processMemoryLimit.name]: 'max',
      // At 0 from the start (see known-series.test.ts).
      [METRICS.instrumentationErrors.name]: 'sum',
      [METRICS.droppedSeries.name]: 'sum',
    });
    const tokens = snapshot.find((family) => family.name === METRICS.genAiTokens.name)!;
    expect(tokens.values).toEqual([
      {
        value: 200,
        labels: { gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o-mini', gen_ai_token_type: 'input' },
        exemplar: { labelSet: { trace_id: 'a'.repeat(32), span_id: 'c'.repeat(16) }, value: 200, timestamp: expect.any(Number) },
      },
    ]);
  });

  it('includes prom-client default metrics with their own aggregators', async () => {
    const runtime = new PromClientRegistry();
    collectDefaultMetrics({ register: runtime });
    const snapshot = await snapshotInstruments(new Instruments({}, runtime));
    const byName = new Map(snapshot.map((family) => [family.name, family]));
    expect(byName.get('process_start_time_seconds')?.aggregator).toBe('omit');
    expect(byName.get('nodejs_version_info')?.aggregator).toBe('first');
    expect(byName.get('process_cpu_seconds_total')?.aggregator).toBe('sum');
    expect(byName.get('nodejs_eventloop_lag_mean_seconds')?.aggregator).toBe('average');
    // The health score takes the worst saturation signal: one stuck worker must show.
    expect(byName.get('nodejs_eventloop_lag_p99_seconds')?.aggregator).toBe('max');
  });
});

describe('mergeSnapshots', () => {
  it('gives the numbers prom-client AggregatorRegistry.aggregate() gives, default metrics included (same aggregators)', async () => {
    const runtimes = [new PromClientRegistry(), new PromClientRegistry()];
    for (const register of runtimes) collectDefaultMetrics({ register });
    const snapshots = [await snapshotInstruments(workerInstruments(2, 'a'.repeat(32), runtimes[0])), await snapshotInstruments(workerInstruments(3, 'd'.repeat(32), runtimes[1]))];
    const expected = await AggregatorRegistry.aggregate(structuredClone(snapshots)).getMetricsAsJSON();
    const merged = mergeSnapshots(snapshots);
    expect(merged.map((family) => family.name)).toEqual(expected.map((family) => family.name));
    for (const family of merged) {
      const theirs = expected.find((f) => f.name === family.name)!;
      expect(family.values.map(({ value, labels, metricName }) => ({ value, labels, metricName })), family.name).toEqual(
        theirs.values.map((value) => ({ value: value.value, labels: value.labels, metricName: (value as { metricName?: string }).metricName })),
      );
    }
  });

  it('sums counters, histograms and in-flight requests, takes the max memory limit, keeps the newest exemplar', async () => {
    const first = await snapshotInstruments(workerInstruments(2, 'a'.repeat(32)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await snapshotInstruments(workerInstruments(3, 'd'.repeat(32)));
    const { samples } = parseExposition(await expose(mergeSnapshots([first, second]), 'openmetrics'));
    const ai = { gen_ai_request_model: 'gpt-4o-mini' };
    expect(sample(samples, 'gen_ai_client_operation_duration_seconds_count', ai).value).toBe(7);
    expect(sample(samples, 'gen_ai_client_operation_duration_seconds_sum', ai).value).toBe(8.5);
    expect(sample(samples, 'gen_ai_client_operation_duration_seconds_bucket', { ...ai, le: '0.32' }).value).toBe(0);
    const halfSecond = sample(samples, 'gen_ai_client_operation_duration_seconds_bucket', { ...ai, le: '0.64' });
    expect(halfSecond.value).toBe(5);
    expect(halfSecond.exemplar?.labels).toEqual({ trace_id: 'd'.repeat(32), span_id: 'b'.repeat(16) });
    expect(sample(samples, 'gen_ai_client_operation_duration_seconds_bucket', { ...ai, le: '5.12' }).value).toBe(7);
    expect(sample(samples, 'gen_ai_client_operation_duration_seconds_bucket', { ...ai, le: '+Inf' }).value).toBe(7);
    expect(sample(samples, 'modelwatch_gen_ai_tokens_total', { gen_ai_token_type: 'input' }).value).toBe(500);
    expect(sample(samples, 'http_server_active_requests').value).toBe(2);
    expect(sample(samples, 'modelwatch_process_memory_limit_bytes').value).toBe(MEMORY_LIMIT);
  });

  it('writes OpenMetrics (family names without _total, exemplars, # EOF) and the text format without exemplars', async () => {
    const merged = mergeSnapshots([await snapshotInstruments(workerInstruments(1))]);
    const openMetrics = await expose(merged, 'openmetrics');
    expect(openMetrics).toContain('# TYPE modelwatch_gen_ai_tokens counter\n');
    expect(openMetrics).toMatch(/^modelwatch_gen_ai_tokens_total\{[^}]+\} 100 # \{trace_id="a{32}",span_id="c{16}"\} 100 \d+\.\d{3}$/m);
    expect(openMetrics.endsWith('# EOF\n')).toBe(true);
    const text = await expose(merged, 'text');
    expect(text).toContain('# TYPE modelwatch_gen_ai_tokens_total counter\n');
    expect(text).not.toContain('trace_id');
    expect(text).not.toContain('# EOF');
  });

  it('applies first, min, max, average and omit like prom-client', () => {
    const family = (aggregator: MetricSnapshot['aggregator'], value: number): MetricSnapshot => ({ name: `g_${aggregator}`, help: 'h', type: 'gauge', aggregator, values: [{ value, labels: { a: 'x' } }] });
    const merged = mergeSnapshots(
      [4, 1, 7].map((value) => (['first', 'min', 'max', 'average', 'omit'] as const).map((aggregator) => family(aggregator, value))),
    );
    expect(Object.fromEntries(merged.map((f) => [f.name, f.values[0]!.value]))).toEqual({ g_first: 4, g_min: 1, g_max: 7, g_average: 4 });
  });

  it('treats label order as irrelevant and keeps label sets that only look alike apart', () => {
    const counter = (labels: Record<string, string>, value: number): MetricSnapshot[] => [{ name: 'c_total', help: 'h', type: 'counter', aggregator: 'sum', values: [{ value, labels }] }];
    const merged = mergeSnapshots([counter({ a: 'x', b: 'y' }, 1), counter({ b: 'y', a: 'x' }, 2), counter({ a: 'x|', b: '' }, 4), counter({ a: 'x', b: '|' }, 8)]);
    expect(merged[0]!.values.map((v) => v.value)).toEqual([3, 4, 8]);
  });

  it('keeps only summed counters and histograms as the part that survives a worker exit', async () => {
    const runtime = new PromClientRegistry();
    collectDefaultMetrics({ register: runtime });
    const kept = monotonicPart(await snapshotInstruments(workerInstruments(1, 'a'.repeat(32), runtime))).map((family) => family.name);
    expect(kept).toContain(METRICS.genAiOperationDuration.name);
    expect(kept).toContain(METRICS.genAiTokens.name);
    expect(kept).toContain('process_cpu_seconds_total');
    expect(kept).not.toContain(METRICS.httpServerActiveRequests.name);
    expect(kept).not.toContain(METRICS.processMemoryLimit.name);
    expect(kept).not.toContain('process_start_time_seconds');
  });
});
