import {
  GEN_AI_INFERENCE_OPERATIONS,
  LABEL,
  LATEST_GEN_AI_METRICS,
  METRICS,
  TOKEN_TYPE,
  UNKNOWN_TOKEN_MODALITY,
  USAGE_COUNTER_BY_TOKEN_TYPE,
  type LabelName,
  type SemconvMode,
  type TokenType,
} from '@modelwatch/conventions';
import type { Instruments } from '../instruments';
import type { LabelledMetric, Series } from '../metrics/labelled-metric';
import type { AnyMetric } from '../metrics/registry';
import { CounterView, HistogramView, type Relabel } from './views';

const INFERENCE = new Set(GEN_AI_INFERENCE_OPERATIONS);

/** Where `label` sits among a recorded metric's labels (its views read values by position). */
function indexOf(metric: LabelledMetric<Series>, label: LabelName): number {
  const index = metric.labelNames.indexOf(label);
  if (index < 0) throw new Error(`${metric.name} has no ${label} label`);
  return index;
}

/**
 * The GenAI semconv v0.1 families, read at exposition from what the legacy metrics recorded:
 * - `gen_ai_client_inference_duration_seconds`: the duration histogram's series of inference operations;
 * - `gen_ai_client_inference_time_to_first_chunk_seconds`: the time-to-first-chunk series (only streams have one);
 * - `gen_ai_client_inference_operation_{input,output}_tokens`: the token histogram's inference series of that type;
 * - `gen_ai_client_inference_usage_<kind>_tokens_total`: `modelwatch_gen_ai_tokens_total`'s series of that
 *   token type (`cache_creation` is `cache_write`), with `gen_ai_token_modality="unknown"`.
 */
function latestFamilies(instruments: Instruments): AnyMetric[] {
  const { aiDuration, aiTimeToFirstChunk, aiTokenUsage, aiTokens } = instruments;
  const durationOperation = indexOf(aiDuration, LABEL.genAiOperationName);
  const usageOperation = indexOf(aiTokenUsage, LABEL.genAiOperationName);
  const usageType = indexOf(aiTokenUsage, LABEL.genAiTokenType);
  const tokensProvider = indexOf(aiTokens, LABEL.genAiProviderName);
  const tokensModel = indexOf(aiTokens, LABEL.genAiRequestModel);
  const tokensType = indexOf(aiTokens, LABEL.genAiTokenType);

  const tokensPerCall = (type: TokenType): Relabel => (values) =>
    INFERENCE.has(values[usageOperation]!) && values[usageType] === type ? values.filter((_, i) => i !== usageType) : undefined;
  const usage = (type: TokenType): Relabel => (values) => (values[tokensType] === type ? [values[tokensProvider]!, values[tokensModel]!, UNKNOWN_TOKEN_MODALITY] : undefined);

  return [
    new HistogramView(LATEST_GEN_AI_METRICS.inferenceDuration, aiDuration, (values) => (INFERENCE.has(values[durationOperation]!) ? values : undefined)),
    new HistogramView(LATEST_GEN_AI_METRICS.inferenceTimeToFirstChunk, aiTimeToFirstChunk, (values) => values),
    new HistogramView(LATEST_GEN_AI_METRICS.inferenceInputTokens, aiTokenUsage, tokensPerCall(TOKEN_TYPE.input)),
    new HistogramView(LATEST_GEN_AI_METRICS.inferenceOutputTokens, aiTokenUsage, tokensPerCall(TOKEN_TYPE.output)),
    ...Object.values(TOKEN_TYPE).map((type) => new CounterView(LATEST_GEN_AI_METRICS[USAGE_COUNTER_BY_TOKEN_TYPE[type]], aiTokens, usage(type))),
  ];
}

/**
 * What the exposition writes in `mode`, in place of the registered metrics; undefined in `legacy`,
 * which writes them as they are. `both` adds the v0.1 families after the legacy AI ones. `latest`
 * writes them instead: of the legacy duration histogram only the non-inference operations remain
 * (embeddings, agents, tools: v0.1 keeps `gen_ai.client.operation.duration` for them), and the time to
 * first chunk, the token histogram and `modelwatch_gen_ai_tokens_total` are left out. A folded `_other`
 * duration series has lost its operation, so it stays with the non-inference durations.
 */
export function semconvFamilies(instruments: Instruments, mode: SemconvMode): AnyMetric[] | undefined {
  if (mode === 'legacy') return undefined;
  const recorded = instruments.registry.list();
  const { aiDuration, aiTimeToFirstChunk, aiTokenUsage, aiTokens } = instruments;
  const latest = latestFamilies(instruments);
  // The new families go where the last legacy AI family they are read from is written.
  const anchor = recorded.indexOf(aiTokens);
  if (mode === 'both') return [...recorded.slice(0, anchor + 1), ...latest, ...recorded.slice(anchor + 1)];

  const operation = indexOf(aiDuration, LABEL.genAiOperationName);
  const otherOperations = new HistogramView(METRICS.genAiOperationDuration, aiDuration, (values) => (INFERENCE.has(values[operation]!) ? undefined : values));
  const replaced = new Set<AnyMetric>([aiTimeToFirstChunk, aiTokenUsage, aiTokens]);
  return recorded.flatMap((metric) => {
    if (metric === aiDuration) return [otherOperations];
    if (metric === aiTokens) return latest;
    return replaced.has(metric) ? [] : [metric];
  });
}
