import { GEN_AI_DURATION_BUCKETS, GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS, GEN_AI_TOKEN_USAGE_BUCKETS } from './buckets';
import { GEN_AI_OPERATION, LABEL, TOKEN_TYPE, type TokenType } from './labels';
import { METRICS, type MetricDefinition } from './metrics';

/**
 * Which GenAI metric names an exporter writes, and so which ones rules, dashboards and the app read:
 * - `legacy`: the OTel semconv v1.41 names (`gen_ai_client_operation_duration_seconds`, `gen_ai_client_token_usage`)
 *   and `modelwatch_gen_ai_tokens_total`, as before;
 * - `latest`: the GenAI semconv v0.1 names (`semantic-conventions-genai`: `gen_ai_client_inference_*`) instead;
 * - `both`: the two side by side, to move rules and dashboards over while both are filled.
 */
export type SemconvMode = 'legacy' | 'latest' | 'both';

export const SEMCONV_MODES: readonly SemconvMode[] = ['legacy', 'latest', 'both'];

/** The environment variable OpenTelemetry instrumentations read their semconv opt-ins from. */
export const SEMCONV_OPT_IN_ENV = 'OTEL_SEMCONV_STABILITY_OPT_IN';

/**
 * The opt-in token of the latest GenAI conventions, as OpenTelemetry's GenAI instrumentations spell it.
 * `<token>/dup` asks for the old names beside the new ones, as `http/dup` does for HTTP.
 */
export const GEN_AI_SEMCONV_OPT_IN = 'gen_ai_latest_experimental';

/**
 * The mode an `OTEL_SEMCONV_STABILITY_OPT_IN` value asks for: a comma-separated list in which
 * `gen_ai_latest_experimental/dup` means `both` (it wins when both tokens are there, as in
 * OpenTelemetry's own parsers), `gen_ai_latest_experimental` means `latest`, and anything else
 * (other signals' tokens, unknown ones, no value) leaves `legacy`.
 */
export function semconvModeFromOptIn(value: string | undefined): SemconvMode {
  const tokens = (value ?? '').split(',').map((token) => token.trim());
  if (tokens.includes(`${GEN_AI_SEMCONV_OPT_IN}/dup`)) return 'both';
  return tokens.includes(GEN_AI_SEMCONV_OPT_IN) ? 'latest' : 'legacy';
}

/**
 * Operations whose calls are inference: v0.1 records their duration as `gen_ai.client.inference.duration`;
 * `gen_ai.client.operation.duration` keeps the others (embeddings, agents, tools).
 */
export const GEN_AI_INFERENCE_OPERATIONS: readonly string[] = [GEN_AI_OPERATION.chat, GEN_AI_OPERATION.textCompletion, GEN_AI_OPERATION.generateContent];

/** `gen_ai_token_modality` of every usage sample: providers report usage without splitting it by modality. */
export const UNKNOWN_TOKEN_MODALITY = 'unknown';

const INFERENCE_LABELS = [LABEL.genAiOperationName, LABEL.genAiProviderName, LABEL.genAiRequestModel] as const;
/**
 * v0.1 puts `gen_ai_operation_name` on the usage counters too; Modelwatch keeps tokens by provider and
 * model only (`modelwatch_gen_ai_tokens_total`), which these counters are written from.
 */
const USAGE_LABELS = [LABEL.genAiProviderName, LABEL.genAiRequestModel, LABEL.genAiTokenModality] as const;
const USAGE_CLOSED = { [LABEL.genAiTokenModality]: [UNKNOWN_TOKEN_MODALITY] };

function usageCounter(kind: string, help: string): MetricDefinition {
  return { name: `gen_ai_client_inference_usage_${kind}_tokens_total`, type: 'counter', help, labels: USAGE_LABELS, closedLabels: USAGE_CLOSED };
}

/**
 * The GenAI semconv v0.1 metrics, translated to Prometheus names as OpenTelemetry does (dots → underscores,
 * `s` → `_seconds`, `{token}` adds no suffix, counters end in `_total`). Each holds values Modelwatch already
 * records under a legacy name (see SEMCONV_SOURCES), so every value equals its legacy counterpart.
 */
export const LATEST_GEN_AI_METRICS = {
  inferenceDuration: {
    name: 'gen_ai_client_inference_duration_seconds',
    type: 'histogram',
    help: 'Duration of AI inference calls (chat, text_completion, generate_content); error_type is empty on success.',
    labels: METRICS.genAiOperationDuration.labels,
    buckets: GEN_AI_DURATION_BUCKETS,
  },
  inferenceTimeToFirstChunk: {
    name: 'gen_ai_client_inference_time_to_first_chunk_seconds',
    type: 'histogram',
    help: 'Time from the start of a streaming AI inference call to its first chunk.',
    labels: METRICS.genAiTimeToFirstChunk.labels,
    buckets: GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS,
  },
  inferenceInputTokens: {
    name: 'gen_ai_client_inference_operation_input_tokens',
    type: 'histogram',
    help: 'Input tokens per AI inference call, cached input included.',
    labels: INFERENCE_LABELS,
    buckets: GEN_AI_TOKEN_USAGE_BUCKETS,
  },
  inferenceOutputTokens: {
    name: 'gen_ai_client_inference_operation_output_tokens',
    type: 'histogram',
    help: 'Output tokens per AI inference call, reasoning included.',
    labels: INFERENCE_LABELS,
    buckets: GEN_AI_TOKEN_USAGE_BUCKETS,
  },
  usageInputTokens: usageCounter('input', 'Input tokens used by AI calls, cached input included.'),
  usageOutputTokens: usageCounter('output', 'Output tokens used by AI calls, reasoning included.'),
  usageCacheReadInputTokens: usageCounter('cache_read_input', 'Input tokens served from the provider prompt cache (a subset of the input tokens).'),
  /** Modelwatch's `cache_creation` token type, under v0.1's name for it. */
  usageCacheWriteInputTokens: usageCounter('cache_write_input', 'Input tokens written to the provider prompt cache (a subset of the input tokens).'),
  usageReasoningOutputTokens: usageCounter('reasoning_output', 'Output tokens used for reasoning (a subset of the output tokens).'),
} as const satisfies Record<string, MetricDefinition>;

export type LatestGenAiMetricKey = keyof typeof LATEST_GEN_AI_METRICS;

/** v0.1's name for each token type: `cache_creation` is `cache_write` there. */
export const LATEST_TOKEN_KIND: Readonly<Record<TokenType, string>> = {
  [TOKEN_TYPE.input]: 'input',
  [TOKEN_TYPE.output]: 'output',
  [TOKEN_TYPE.cacheRead]: 'cache_read',
  [TOKEN_TYPE.cacheCreation]: 'cache_write',
  [TOKEN_TYPE.reasoning]: 'reasoning',
};

/** The usage counter of each token type. */
export const USAGE_COUNTER_BY_TOKEN_TYPE: Readonly<Record<TokenType, LatestGenAiMetricKey>> = {
  [TOKEN_TYPE.input]: 'usageInputTokens',
  [TOKEN_TYPE.output]: 'usageOutputTokens',
  [TOKEN_TYPE.cacheRead]: 'usageCacheReadInputTokens',
  [TOKEN_TYPE.cacheCreation]: 'usageCacheWriteInputTokens',
  [TOKEN_TYPE.reasoning]: 'usageReasoningOutputTokens',
};

/** The legacy metrics v0.1 replaces: in `latest` mode they are not written (the non-inference part of the duration aside). */
export const LEGACY_GEN_AI_METRICS: readonly MetricDefinition[] = [METRICS.genAiOperationDuration, METRICS.genAiTimeToFirstChunk, METRICS.genAiTokenUsage, METRICS.genAiTokens];

/** Some series of one metric: its name and the matchers that pick them (`selector(metric, scope, matchers)`). */
export interface SeriesSelector {
  readonly metric: string;
  readonly matchers: readonly string[];
}

/**
 * One selector for the `suffix` samples (`_count`, `_bucket`, `_sum`; none for a counter) of several metrics
 * of the same labels, such as `callDuration`: the metric itself when there is one, else a `__name__` matcher
 * (`{__name__=~"a_count|b_count"}`). Hand `metric` and `matchers` to `selector`, `rate` or `sumRate`.
 */
export function samplesOf(metrics: readonly string[], suffix = ''): SeriesSelector {
  if (metrics.length === 1) return { metric: `${metrics[0]}${suffix}`, matchers: [] };
  return { metric: '', matchers: [`__name__=~"${metrics.map((metric) => `${metric}${suffix}`).join('|')}"`] };
}

/** Where a reader finds each GenAI measurement, for one mode. */
export interface GenAiMetricNames {
  /**
   * Duration histograms that together hold every AI call (same labels, so one `{__name__=~"a|b"}` query
   * or a sum over both): legacy keeps them in one, v0.1 splits inference from the other operations.
   */
  readonly callDuration: readonly string[];
  /** The duration histogram's series of inference calls. */
  readonly inferenceDuration: SeriesSelector;
  readonly timeToFirstChunk: string;
  /** Per-call token histograms, input and output. */
  readonly tokensPerCall: Readonly<Record<typeof TOKEN_TYPE.input | typeof TOKEN_TYPE.output, SeriesSelector>>;
  /** Token counters by token type (the subsets `cache_read`, `cache_creation` and `reasoning` included). */
  readonly tokens: Readonly<Record<TokenType, SeriesSelector>>;
}

const INFERENCE_MATCHER = `${LABEL.genAiOperationName}=~"${GEN_AI_INFERENCE_OPERATIONS.join('|')}"`;
const tokenTypeMatcher = (type: TokenType) => `${LABEL.genAiTokenType}="${type}"`;
const tokenTypes = Object.values(TOKEN_TYPE);
const perTokenType = (selectorOf: (type: TokenType) => SeriesSelector) => Object.fromEntries(tokenTypes.map((type) => [type, selectorOf(type)])) as Record<TokenType, SeriesSelector>;

const LEGACY_NAMES: GenAiMetricNames = {
  callDuration: [METRICS.genAiOperationDuration.name],
  inferenceDuration: { metric: METRICS.genAiOperationDuration.name, matchers: [INFERENCE_MATCHER] },
  timeToFirstChunk: METRICS.genAiTimeToFirstChunk.name,
  tokensPerCall: {
    input: { metric: METRICS.genAiTokenUsage.name, matchers: [tokenTypeMatcher(TOKEN_TYPE.input)] },
    output: { metric: METRICS.genAiTokenUsage.name, matchers: [tokenTypeMatcher(TOKEN_TYPE.output)] },
  },
  tokens: perTokenType((type) => ({ metric: METRICS.genAiTokens.name, matchers: [tokenTypeMatcher(type)] })),
};

const LATEST_NAMES: GenAiMetricNames = {
  callDuration: [LATEST_GEN_AI_METRICS.inferenceDuration.name, METRICS.genAiOperationDuration.name],
  inferenceDuration: { metric: LATEST_GEN_AI_METRICS.inferenceDuration.name, matchers: [] },
  timeToFirstChunk: LATEST_GEN_AI_METRICS.inferenceTimeToFirstChunk.name,
  tokensPerCall: {
    input: { metric: LATEST_GEN_AI_METRICS.inferenceInputTokens.name, matchers: [] },
    output: { metric: LATEST_GEN_AI_METRICS.inferenceOutputTokens.name, matchers: [] },
  },
  tokens: perTokenType((type) => ({ metric: LATEST_GEN_AI_METRICS[USAGE_COUNTER_BY_TOKEN_TYPE[type]].name, matchers: [] })),
};

/**
 * The GenAI metrics a reader (rules, dashboards, the app) queries when the exporters run in `mode`.
 * `both` reads the legacy names: they hold everything in both modes, and the history from before the
 * switch; once the exporters move to `latest`, the new names already hold the time they ran in `both`.
 */
export function genAiMetricNames(mode: SemconvMode): GenAiMetricNames {
  return mode === 'latest' ? LATEST_NAMES : LEGACY_NAMES;
}
