/**
 * Field names of the log lines Modelwatch writes: snake_case, and the OpenTelemetry
 * attribute name wherever one exists (`gen_ai.*`, `http.*`, `url.*`), so a Loki
 * `| json` stage yields the same names as the metric labels (dots become underscores).
 */
export const LOG_FIELD = {
  /** ISO-8601 time of the entry. */
  timestamp: 'timestamp',
  /** The service (`OTEL_SERVICE_NAME`), as Loki and Grafana expect it. */
  service: 'service',
  /** Active span when the entry was written: W3C hex ids, as Grafana derived fields and the OTel log data model name them. */
  traceId: 'trace_id',
  spanId: 'span_id',
  /** W3C trace flags as two hex digits (`01` = sampled). */
  traceFlags: 'trace_flags',
  /** Set when a Modelwatch format failed on this entry; the entry is still written. */
  logError: 'log_error',
  durationMs: 'duration_ms',

  genAiProviderName: 'gen_ai.provider.name',
  genAiRequestModel: 'gen_ai.request.model',
  genAiOperationName: 'gen_ai.operation.name',
  /** Streaming AI calls only: time to the first chunk. */
  ttftMs: 'ttft_ms',
  /** All input tokens, cached ones included (OTel inclusive rule). */
  tokensInput: 'tokens_input',
  /** All output tokens, reasoning included. */
  tokensOutput: 'tokens_output',
  /** Subset of `tokens_input` read from the provider's prompt cache. */
  tokensCacheRead: 'tokens_cache_read',
  /** Subset of `tokens_input` written to the provider's prompt cache. */
  tokensCacheCreation: 'tokens_cache_creation',
  /** Subset of `tokens_output`. */
  tokensReasoning: 'tokens_reasoning',
  costUsd: 'cost_usd',
  /** `true` when the call had usage but its model has no known price (never logged as a $0 cost). */
  costUnpriced: 'cost_unpriced',
  /** Same values as the `error_type` metric label; absent on success. */
  errorType: 'error_type',

  httpRequestMethod: 'http.request.method',
  /** Same value as the `http_route` metric label: the route template, `_unmatched` when none matched. */
  httpRoute: 'http.route',
  httpResponseStatusCode: 'http.response.status_code',
  /** The request path without its query. */
  urlPath: 'url.path',
  /** The query without its `?`, secret parameters masked. */
  urlQuery: 'url.query',
  userAgent: 'user_agent.original',
  /** `Content-Length` of the request and of the response, when sent. */
  httpRequestBodySize: 'http.request.body.size',
  httpResponseBodySize: 'http.response.body.size',
} as const;

/** Replaces a masked secret. */
export const REDACTED = '[REDACTED]';
/** Replaces what lies beyond the depth, size or length bounds. */
export const TRUNCATED = '[Truncated]';
/** Key added to an object or array entry cut short by the size bound. */
export const TRUNCATED_KEY = '_truncated';
export const CIRCULAR = '[Circular]';
/** A property whose getter threw. */
export const UNREADABLE = '[Unreadable]';

/** Messages of the lines Modelwatch writes itself. */
export const LOG_MESSAGE = {
  aiCall: 'ai call',
  httpRequest: 'http request',
} as const;
