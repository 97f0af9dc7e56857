import { CACHE_DURATION_BUCKETS, DB_DURATION_BUCKETS, GEN_AI_DURATION_BUCKETS, GEN_AI_TIME_PER_OUTPUT_TOKEN_BUCKETS, GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS, GEN_AI_TOKEN_USAGE_BUCKETS, HTTP_DURATION_BUCKETS } from './buckets';
import { ALERT, type AlertName } from './alerts';
import { CACHE_RESULT, CIRCUIT_STATE, LABEL, RATE_LIMIT_TYPE, TOKEN_TYPE, type LabelName } from './labels';

export type MetricType = 'counter' | 'gauge' | 'histogram';

/**
 * One metric of the contract. `closedLabels` maps a label to its complete set of
 * values: those labels keep their value when the metric overflows its series cap;
 * every other label folds into `_other`.
 */
export interface MetricDefinition {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labels: readonly LabelName[];
  readonly buckets?: readonly number[];
  readonly closedLabels?: Partial<Record<LabelName, readonly string[]>>;
}

const AI_MODEL_LABELS = [LABEL.genAiOperationName, LABEL.genAiProviderName, LABEL.genAiRequestModel] as const;
const AI_CALL_LABELS = [...AI_MODEL_LABELS, LABEL.errorType] as const;
const RATE_LIMIT_LABELS = [LABEL.genAiProviderName, LABEL.genAiRequestModel, LABEL.rateLimitType] as const;
const RATE_LIMIT_CLOSED = { [LABEL.rateLimitType]: Object.values(RATE_LIMIT_TYPE) };

/** Every metric Modelwatch writes. Dashboards, rules and the plugin read names from here. */
export const METRICS = {
  httpServerRequestDuration: {
    name: 'http_server_request_duration_seconds',
    type: 'histogram',
    help: 'Duration of HTTP server requests, by route template.',
    labels: [LABEL.httpRequestMethod, LABEL.httpRoute, LABEL.httpResponseStatusCode],
    buckets: HTTP_DURATION_BUCKETS,
  },
  httpServerActiveRequests: {
    name: 'http_server_active_requests',
    type: 'gauge',
    help: 'Number of HTTP server requests in flight.',
    labels: [],
  },
  genAiOperationDuration: {
    name: 'gen_ai_client_operation_duration_seconds',
    type: 'histogram',
    help: 'Duration of AI model calls; error_type is empty on success.',
    labels: AI_CALL_LABELS,
    buckets: GEN_AI_DURATION_BUCKETS,
  },
  genAiTimeToFirstChunk: {
    name: 'gen_ai_client_operation_time_to_first_chunk_seconds',
    type: 'histogram',
    help: 'Time from the start of a streaming AI call to its first chunk.',
    labels: AI_CALL_LABELS,
    buckets: GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS,
  },
  /**
   * AI latency normalised by output length, one observation per successful call with output:
   * streams (duration − time to first chunk) / (output tokens − 1), other calls duration / output tokens.
   * A call's total duration grows with its output, this does not, so it can carry a latency SLO.
   * Not semconv's `gen_ai.client.operation.time_per_output_chunk`: that is observed once per chunk
   * after the first, and a chunk is not a token (Anthropic sends several tokens per delta, OpenAI about
   * one), so it neither compares across providers nor counts calls, which an SLO's ratio needs.
   * Successful calls only, as semconv's server-side `gen_ai.server.time_per_output_token`, hence no `error_type`.
   */
  genAiTimePerOutputToken: {
    name: 'modelwatch_gen_ai_time_per_output_token_seconds',
    type: 'histogram',
    help: 'Seconds per output token of successful AI calls, once per call: streams (duration - time to first chunk) / (output tokens - 1), others duration / output tokens. Unlike semconv time_per_output_chunk (once per chunk; a chunk is one token from OpenAI, several from Anthropic), it counts calls and compares across providers.',
    labels: AI_MODEL_LABELS,
    buckets: GEN_AI_TIME_PER_OUTPUT_TOKEN_BUCKETS,
  },
  genAiTokenUsage: {
    name: 'gen_ai_client_token_usage',
    type: 'histogram',
    help: 'Tokens per AI call; input includes cached input tokens.',
    labels: [...AI_MODEL_LABELS, LABEL.genAiTokenType],
    buckets: GEN_AI_TOKEN_USAGE_BUCKETS,
    closedLabels: { [LABEL.genAiTokenType]: [TOKEN_TYPE.input, TOKEN_TYPE.output] },
  },
  genAiTokens: {
    name: 'modelwatch_gen_ai_tokens_total',
    type: 'counter',
    help: 'Tokens used by AI calls. cache_read and cache_creation are subsets of input; reasoning is a subset of output.',
    labels: [LABEL.genAiProviderName, LABEL.genAiRequestModel, LABEL.genAiTokenType],
    closedLabels: { [LABEL.genAiTokenType]: Object.values(TOKEN_TYPE) },
  },
  genAiCost: {
    name: 'modelwatch_gen_ai_cost_usd_total',
    type: 'counter',
    help: 'Spend on AI calls in US dollars, from the bundled price table and configured overrides.',
    labels: [LABEL.genAiProviderName, LABEL.genAiRequestModel, LABEL.genAiOperationName],
  },
  genAiUnpricedOperations: {
    name: 'modelwatch_gen_ai_unpriced_operations_total',
    type: 'counter',
    help: 'AI calls whose model has no known price (their cost is not in modelwatch_gen_ai_cost_usd_total).',
    labels: [LABEL.genAiProviderName, LABEL.genAiRequestModel],
  },
  /**
   * Spend by who and what the app made calls for. Bounded by spend, not by arrival: the top tenants keep
   * series of their own, the others fold into `tenant="_other"` (each fold counted in modelwatch_dropped_series_total).
   */
  genAiAttributedCost: {
    name: 'modelwatch_gen_ai_attributed_cost_usd_total',
    type: 'counter',
    help: 'Spend on AI calls in US dollars by tenant and feature, as the app attributed them; tenants outside the top spenders are folded into _other, unattributed calls are _none.',
    labels: [LABEL.tenant, LABEL.feature],
  },
  genAiAttributedTokens: {
    name: 'modelwatch_gen_ai_attributed_tokens_total',
    type: 'counter',
    help: 'Tokens used by AI calls by tenant and feature (input includes cached input; output includes reasoning), folded like the attributed cost.',
    labels: [LABEL.tenant, LABEL.feature, LABEL.genAiTokenType],
    closedLabels: { [LABEL.genAiTokenType]: [TOKEN_TYPE.input, TOKEN_TYPE.output] },
  },
  /** Aliases that resolve to a dated snapshot of the same model (gpt-4o-mini → gpt-4o-mini-2024-07-18) are not substitutions. */
  genAiModelSubstitutions: {
    name: 'modelwatch_gen_ai_model_substitutions_total',
    type: 'counter',
    help: 'AI calls answered by another model than the one requested (provider fallbacks, routers); such calls are priced on the model that answered.',
    labels: [LABEL.genAiProviderName, LABEL.genAiRequestModel, LABEL.genAiResponseModel],
  },
  genAiRateLimitRemaining: {
    name: 'modelwatch_gen_ai_rate_limit_remaining',
    type: 'gauge',
    help: "What is left of the provider's rate limit, from the last response's rate-limit headers.",
    labels: RATE_LIMIT_LABELS,
    closedLabels: RATE_LIMIT_CLOSED,
  },
  genAiRateLimitLimit: {
    name: 'modelwatch_gen_ai_rate_limit_limit',
    type: 'gauge',
    help: "The provider's rate limit per window, from the last response's rate-limit headers.",
    labels: RATE_LIMIT_LABELS,
    closedLabels: RATE_LIMIT_CLOSED,
  },
  /** Absolute, so a query computes the time left (`- time()`) at any instant, however old the last response. */
  genAiRateLimitReset: {
    name: 'modelwatch_gen_ai_rate_limit_reset_timestamp_seconds',
    type: 'gauge',
    help: "Unix time at which the provider's rate limit is back to full, from the last response's rate-limit headers.",
    labels: RATE_LIMIT_LABELS,
    closedLabels: RATE_LIMIT_CLOSED,
  },
  cacheRequests: {
    name: 'modelwatch_cache_requests_total',
    type: 'counter',
    help: 'Cache lookups by result.',
    labels: [LABEL.cacheName, LABEL.cacheResult],
    closedLabels: { [LABEL.cacheResult]: Object.values(CACHE_RESULT) },
  },
  cacheOperationDuration: {
    name: 'modelwatch_cache_operation_duration_seconds',
    type: 'histogram',
    help: 'Duration of cache operations.',
    labels: [LABEL.cacheName, LABEL.cacheOperation],
    buckets: CACHE_DURATION_BUCKETS,
  },
  cacheSavedCost: {
    name: 'modelwatch_cache_saved_cost_usd_total',
    type: 'counter',
    help: 'AI spend avoided by cache hits on cached AI responses, in US dollars.',
    labels: [LABEL.cacheName],
  },
  dbOperationDuration: {
    name: 'db_client_operation_duration_seconds',
    type: 'histogram',
    help: 'Duration of database client operations.',
    labels: [LABEL.dbSystemName, LABEL.dbOperationName],
    buckets: DB_DURATION_BUCKETS,
  },
  /**
   * The service this process is, as the OpenTelemetry Prometheus exporter writes its resource:
   * joined on `job` and `instance`, it puts the version on every series (the deploy-regression rules read it).
   */
  targetInfo: {
    name: 'target_info',
    type: 'gauge',
    help: 'The service this process runs (OpenTelemetry resource attributes service.name and service.version); always 1.',
    labels: [LABEL.serviceName, LABEL.serviceVersion],
  },
  processMemoryLimit: {
    name: 'modelwatch_process_memory_limit_bytes',
    type: 'gauge',
    help: 'Memory the process may use: the configured limit, else the cgroup limit, else total system memory.',
    labels: [],
  },
  instrumentationErrors: {
    name: 'modelwatch_instrumentation_errors_total',
    type: 'counter',
    help: 'Failures inside Modelwatch itself (bad input dropped, unknown usage shapes); the host app was not affected.',
    labels: [LABEL.reason],
  },
  clusterWorkers: {
    name: 'modelwatch_cluster_workers',
    type: 'gauge',
    help: 'Cluster workers by how they answered the primary during this scrape (answered, timed_out, failed).',
    labels: [LABEL.clusterWorkerState],
    closedLabels: { [LABEL.clusterWorkerState]: ['answered', 'timed_out', 'failed'] },
  },
  droppedSeries: {
    name: 'modelwatch_dropped_series_total',
    type: 'counter',
    help: 'Observations folded into the _other series because their metric reached its series cap.',
    labels: [LABEL.metricName],
  },
  /** Written by the failover receiver (`@modelwatch/exporter/failover`), one series per model of its router. */
  failoverActive: {
    name: 'modelwatch_failover_active',
    type: 'gauge',
    help: "1 while the model's calls go to its fallback because an alert on the model fires (or resolved within the hold-down).",
    labels: [LABEL.genAiProviderName, LABEL.genAiRequestModel],
  },
  circuitState: {
    name: 'modelwatch_circuit_state',
    type: 'gauge',
    help: "1 for the state the model's circuit is in (closed, open, half_open), 0 for the others.",
    labels: [LABEL.genAiProviderName, LABEL.genAiRequestModel, LABEL.circuitState],
    closedLabels: { [LABEL.circuitState]: Object.values(CIRCUIT_STATE) },
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRICS;

/**
 * The alerts the failover receiver acts on (see `failoverActive`): a model failing or throttled for a service now,
 * each labelled with its provider and model. Alertmanager sends them to the receiver as well, which moves the model's
 * calls to its fallback. Not the success objective's burn alert: its slow windows remember an outage for hours after
 * the model healed, and the calls would stay on the fallback as long.
 */
export const FAILOVER_ALERTS: readonly AlertName[] = [ALERT.aiErrorRate, ALERT.aiRateLimited, ALERT.aiRateLimitExhaustion];

/** Names of metrics from prom-client's default collectors that the health score, dashboards and alerts read. */
export const RUNTIME_METRIC = {
  cpuSecondsTotal: 'process_cpu_seconds_total',
  residentMemoryBytes: 'process_resident_memory_bytes',
  startTimeSeconds: 'process_start_time_seconds',
  eventLoopLagP99Seconds: 'nodejs_eventloop_lag_p99_seconds',
  heapUsedBytes: 'nodejs_heap_size_used_bytes',
  gcDurationSeconds: 'nodejs_gc_duration_seconds',
} as const;
