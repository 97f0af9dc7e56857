import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LATEST_GEN_AI_METRICS, METRICS, type SemconvMode } from '@modelwatch/conventions';
import { parseExposition, type Sample } from '@modelwatch/testkit';
import { formatSnapshots } from '../cluster/format';
import { mergeSnapshots } from '../cluster/merge';
import { snapshotInstruments } from '../cluster/snapshot';
import { createModelwatch, type Modelwatch } from '../modelwatch';
import { resolveSemconvMode } from './mode';

/**
 * A streamed OpenAI chat with cached and reasoning tokens, an Anthropic chat that wrote its prompt cache,
 * an Anthropic chat that was rate limited, and an OpenAI embeddings call.
 */
function recordCalls(mw: Modelwatch): void {
  mw.recordAiCall(
    { provider: 'openai', model: 'gpt-4o-mini' },
    {
      durationSeconds: 1.2,
      timeToFirstChunkSeconds: 0.3,
      usage: { prompt_tokens: 100, completion_tokens: 20, prompt_tokens_details: { cached_tokens: 40 }, completion_tokens_details: { reasoning_tokens: 8 } },
    },
  );
  mw.recordAiCall(
    { provider: 'anthropic', model: 'claude-sonnet-4-5' },
    { durationSeconds: 0.8, usage: { input_tokens: 50, output_tokens: 10, cache_creation_input_tokens: 30, cache_read_input_tokens: 0 } },
  );
  mw.recordAiCall({ provider: 'anthropic', model: 'claude-sonnet-4-5' }, { durationSeconds: 0.4, errorType: 'rate_limited' });
  mw.recordAiCall({ provider: 'openai', model: 'text-embedding-3-small', operation: 'embeddings' }, { durationSeconds: 0.1, usage: { prompt_tokens: 12, total_tokens: 12 } });
}

async function exposition(mode: SemconvMode | undefined): Promise<string> {
  const mw = createModelwatch({ defaultMetrics: false, semconv: mode, warn: () => undefined });
  recordCalls(mw);
  return mw.metrics();
}

/** The GenAI families written, in order (`# TYPE` lines). */
function genAiFamilies(text: string): string[] {
  return [...parseExposition(text).types].filter(([name]) => /^(gen_ai_|modelwatch_gen_ai_tokens)/.test(name)).map(([name, type]) => `${name} ${type}`);
}

function linesOf(text: string, family: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${family}{`) || line.startsWith(`${family}_`));
}

const LEGACY_FAMILIES = [
  'gen_ai_client_operation_duration_seconds histogram',
  'gen_ai_client_operation_time_to_first_chunk_seconds histogram',
  'gen_ai_client_token_usage histogram',
  'modelwatch_gen_ai_tokens_total counter',
];
const LATEST_FAMILIES = [
  'gen_ai_client_inference_duration_seconds histogram',
  'gen_ai_client_inference_time_to_first_chunk_seconds histogram',
  'gen_ai_client_inference_operation_input_tokens histogram',
  'gen_ai_client_inference_operation_output_tokens histogram',
  'gen_ai_client_inference_usage_input_tokens_total counter',
  'gen_ai_client_inference_usage_output_tokens_total counter',
  'gen_ai_client_inference_usage_cache_read_input_tokens_total counter',
  'gen_ai_client_inference_usage_cache_write_input_tokens_total counter',
  'gen_ai_client_inference_usage_reasoning_output_tokens_total counter',
];

/**
 * Every sample of `family` beside the legacy sample it is read from: `toLegacy` maps its name and labels
 * back to the legacy ones. The two values must be equal.
 */
function pairs(samples: readonly Sample[], family: string, toLegacy: (sample: Sample) => { name: string; labels: Record<string, string> }): [string, number, number | undefined][] {
  return samples
    .filter((s) => s.name === family || s.name.startsWith(`${family}_`))
    .map((s) => {
      const legacy = toLegacy(s);
      const match = samples.find((c) => c.name === legacy.name && sameLabels(c.labels, legacy.labels));
      return [`${s.name}${JSON.stringify(s.labels)}`, s.value, match?.value];
    });
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

const withoutModality = ({ gen_ai_token_modality: _modality, ...labels }: Record<string, string>) => labels;

describe('GenAI semconv modes', () => {
  it('legacy writes the v1.41 names only', async () => {
    expect(genAiFamilies(await exposition('legacy'))).toEqual(LEGACY_FAMILIES);
  });

  it('latest writes the v0.1 names, and the operation duration of non-inference calls only', async () => {
    const text = await exposition('latest');
    expect(genAiFamilies(text)).toEqual(['gen_ai_client_operation_duration_seconds histogram', ...LATEST_FAMILIES]);
    const samples = parseExposition(text).samples;
    expect(samples.filter((s) => s.name === 'gen_ai_client_operation_duration_seconds_count').map((s) => [s.labels, s.value])).toEqual([
      [{ gen_ai_operation_name: 'embeddings', gen_ai_provider_name: 'openai', gen_ai_request_model: 'text-embedding-3-small', error_type: '' }, 1],
    ]);
    expect(samples.filter((s) => s.name === 'gen_ai_client_inference_duration_seconds_count').map((s) => [s.labels, s.value])).toEqual([
      [{ gen_ai_operation_name: 'chat', gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o-mini', error_type: '' }, 1],
      [{ gen_ai_operation_name: 'chat', gen_ai_provider_name: 'anthropic', gen_ai_request_model: 'claude-sonnet-4-5', error_type: '' }, 1],
      [{ gen_ai_operation_name: 'chat', gen_ai_provider_name: 'anthropic', gen_ai_request_model: 'claude-sonnet-4-5', error_type: 'rate_limited' }, 1],
    ]);
    expect(linesOf(text, 'gen_ai_client_inference_duration_seconds').filter((line) => line.includes('gpt-4o-mini') && !line.includes('_bucket'))).toEqual([
      'gen_ai_client_inference_duration_seconds_sum{gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini",error_type=""} 1.2',
      'gen_ai_client_inference_duration_seconds_count{gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini",error_type=""} 1',
    ]);
    expect(linesOf(text, 'gen_ai_client_inference_time_to_first_chunk_seconds').filter((line) => line.includes('le="0.32"') || line.includes('_sum'))).toEqual([
      'gen_ai_client_inference_time_to_first_chunk_seconds_bucket{gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini",error_type="",le="0.32"} 1',
      'gen_ai_client_inference_time_to_first_chunk_seconds_sum{gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini",error_type=""} 0.3',
    ]);
    expect(linesOf(text, 'gen_ai_client_inference_operation_input_tokens').filter((line) => line.includes('_sum'))).toEqual([
      'gen_ai_client_inference_operation_input_tokens_sum{gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini"} 100',
      'gen_ai_client_inference_operation_input_tokens_sum{gen_ai_operation_name="chat",gen_ai_provider_name="anthropic",gen_ai_request_model="claude-sonnet-4-5"} 80',
    ]);
    // The embeddings call's 12 input tokens are counted with the provider's other input tokens: the counters are kept by provider and model.
    expect([...linesOf(text, 'gen_ai_client_inference_usage_cache_write_input_tokens_total'), ...linesOf(text, 'gen_ai_client_inference_usage_input_tokens_total')]).toEqual([
      'gen_ai_client_inference_usage_cache_write_input_tokens_total{gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini",gen_ai_token_modality="unknown"} 0',
      'gen_ai_client_inference_usage_cache_write_input_tokens_total{gen_ai_provider_name="anthropic",gen_ai_request_model="claude-sonnet-4-5",gen_ai_token_modality="unknown"} 30',
      'gen_ai_client_inference_usage_cache_write_input_tokens_total{gen_ai_provider_name="openai",gen_ai_request_model="text-embedding-3-small",gen_ai_token_modality="unknown"} 0',
      'gen_ai_client_inference_usage_input_tokens_total{gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini",gen_ai_token_modality="unknown"} 100',
      'gen_ai_client_inference_usage_input_tokens_total{gen_ai_provider_name="anthropic",gen_ai_request_model="claude-sonnet-4-5",gen_ai_token_modality="unknown"} 80',
      'gen_ai_client_inference_usage_input_tokens_total{gen_ai_provider_name="openai",gen_ai_request_model="text-embedding-3-small",gen_ai_token_modality="unknown"} 12',
    ]);
    expect(linesOf(text, 'gen_ai_client_inference_usage_reasoning_output_tokens_total').filter((line) => line.includes('gpt-4o-mini'))).toEqual([
      'gen_ai_client_inference_usage_reasoning_output_tokens_total{gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini",gen_ai_token_modality="unknown"} 8',
    ]);
  });

  it('both writes the v0.1 families after the legacy ones, each sample equal to the legacy sample it is read from', async () => {
    const text = await exposition('both');
    expect(genAiFamilies(text)).toEqual([...LEGACY_FAMILIES, ...LATEST_FAMILIES]);
    const samples = parseExposition(text).samples;
    const renamed = (from: string, to: string) => (s: Sample) => ({ name: s.name.replace(from, to), labels: s.labels });
    const checks = [
      pairs(samples, LATEST_GEN_AI_METRICS.inferenceDuration.name, renamed('gen_ai_client_inference_duration_seconds', METRICS.genAiOperationDuration.name)),
      pairs(samples, LATEST_GEN_AI_METRICS.inferenceTimeToFirstChunk.name, renamed('gen_ai_client_inference_time_to_first_chunk_seconds', METRICS.genAiTimeToFirstChunk.name)),
      ...(['input', 'output'] as const).map((type) =>
        pairs(samples, `gen_ai_client_inference_operation_${type}_tokens`, (s) => ({
          name: s.name.replace(`gen_ai_client_inference_operation_${type}_tokens`, METRICS.genAiTokenUsage.name),
          labels: { ...s.labels, gen_ai_token_type: type },
        })),
      ),
      ...Object.entries({ input: 'input', output: 'output', cache_read_input: 'cache_read', cache_write_input: 'cache_creation', reasoning_output: 'reasoning' }).map(([kind, type]) =>
        pairs(samples, `gen_ai_client_inference_usage_${kind}_tokens_total`, (s) => ({
          name: METRICS.genAiTokens.name,
          labels: { ...withoutModality(s.labels), gen_ai_token_type: type },
        })),
      ),
    ];
    for (const check of checks) {
      expect(check.length).toBeGreaterThan(0);
      expect(check.filter(([, value, legacy]) => value !== legacy)).toEqual([]);
    }
    // 15 bucket lines (14 bounds and +Inf), sum and count for each of the three inference series.
    expect(checks[0]).toHaveLength(3 * 17);
  });

  it('costs nothing per call: the v0.1 series are the recorded ones, read when written', async () => {
    const mw = createModelwatch({ defaultMetrics: false, semconv: 'both', warn: () => undefined });
    recordCalls(mw);
    const before = mw.instruments.registry.list().map((metric) => metric.seriesCount);
    await mw.metrics();
    recordCalls(mw);
    const samples = parseExposition(await mw.metrics()).samples;
    expect(mw.instruments.registry.list().map((metric) => metric.seriesCount)).toEqual(before);
    const count = (name: string) => samples.find((s) => s.name === name && s.labels.gen_ai_request_model === 'gpt-4o-mini' && s.labels.error_type === '')?.value;
    expect(count('gen_ai_client_inference_duration_seconds_count')).toBe(2);
    expect(count('gen_ai_client_operation_duration_seconds_count')).toBe(2);
  });

  it('merges the v0.1 families of cluster workers like any other', async () => {
    const workers = [1, 2].map(() => createModelwatch({ defaultMetrics: false, semconv: 'latest', warn: () => undefined }));
    workers.forEach(recordCalls);
    const merged = mergeSnapshots(await Promise.all(workers.map((mw) => snapshotInstruments(mw.instruments))));
    let text = '';
    for await (const chunk of formatSnapshots(merged, 'text')) text += chunk;
    expect(genAiFamilies(text)).toEqual(['gen_ai_client_operation_duration_seconds histogram', ...LATEST_FAMILIES]);
    expect(linesOf(text, 'gen_ai_client_inference_usage_cache_write_input_tokens_total').filter((line) => line.includes('anthropic'))).toEqual([
      'gen_ai_client_inference_usage_cache_write_input_tokens_total{gen_ai_provider_name="anthropic",gen_ai_request_model="claude-sonnet-4-5",gen_ai_token_modality="unknown"} 60',
    ]);
    expect(linesOf(text, 'gen_ai_client_inference_duration_seconds').filter((line) => line.includes('gpt-4o-mini') && line.includes('_count'))).toEqual([
      'gen_ai_client_inference_duration_seconds_count{gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini",error_type=""} 2',
    ]);
  });
});

describe('the semconv option', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('defaults to what OTEL_SEMCONV_STABILITY_OPT_IN asks for, else legacy', async () => {
    expect(resolveSemconvMode(undefined, {})).toBe('legacy');
    expect(resolveSemconvMode(undefined, { OTEL_SEMCONV_STABILITY_OPT_IN: 'http,gen_ai_latest_experimental' })).toBe('latest');
    expect(resolveSemconvMode(undefined, { OTEL_SEMCONV_STABILITY_OPT_IN: 'gen_ai_latest_experimental/dup' })).toBe('both');
    expect(resolveSemconvMode('legacy', { OTEL_SEMCONV_STABILITY_OPT_IN: 'gen_ai_latest_experimental' })).toBe('legacy');

    vi.stubEnv('OTEL_SEMCONV_STABILITY_OPT_IN', 'gen_ai_latest_experimental/dup');
    expect(genAiFamilies(await exposition(undefined))).toEqual([...LEGACY_FAMILIES, ...LATEST_FAMILIES]);
    expect(genAiFamilies(await exposition('latest'))).toEqual(['gen_ai_client_operation_duration_seconds histogram', ...LATEST_FAMILIES]);
  });

  it('rejects an unknown mode, naming the ones it accepts', () => {
    expect(() => createModelwatch({ semconv: 'v0.1' as SemconvMode, warn: () => undefined })).toThrow(
      'createModelwatch: option "semconv" must be "legacy", "latest" or "both", got the string "v0.1"',
    );
  });
});

describe('README', () => {
  it('lists every v0.1 metric with its type and labels, in order', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## GenAI semconv v0.1 names'), readme.indexOf('## Traces and exemplars'));
    const rows = [...section.matchAll(/^\| `([a-z_]+)` \| (\w+) \|([^|]*)\|/gm)].map(([, name, type, labels]) => ({
      name,
      type,
      labels: [...labels!.matchAll(/`([a-z_]+)`/g)].map(([, label]) => label),
    }));
    expect(rows).toEqual(Object.values(LATEST_GEN_AI_METRICS).map((m) => ({ name: m.name, type: m.type, labels: [...m.labels] })));
  });
});
