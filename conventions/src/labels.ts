/**
 * Label names of the metric contract. OpenTelemetry attribute names with dots
 * turned into underscores, as the OTel → Prometheus translation does.
 */
export const LABEL = {
  httpRequestMethod: 'http_request_method',
  httpRoute: 'http_route',
  httpResponseStatusCode: 'http_response_status_code',
  genAiOperationName: 'gen_ai_operation_name',
  genAiProviderName: 'gen_ai_provider_name',
  genAiRequestModel: 'gen_ai_request_model',
  /** The model that answered, where it is not the one asked for (fallbacks, routers). */
  genAiResponseModel: 'gen_ai_response_model',
  genAiTokenType: 'gen_ai_token_type',
  /** On the GenAI semconv v0.1 usage counters (see semconv.ts): `unknown`, as providers do not split usage by modality. */
  genAiTokenModality: 'gen_ai_token_modality',
  errorType: 'error_type',
  cacheName: 'cache_name',
  cacheResult: 'cache_result',
  cacheOperation: 'cache_operation',
  dbSystemName: 'db_system_name',
  dbOperationName: 'db_operation_name',
  /** Who an AI call was made for (a user, team or customer), as the app attributes it; top-N by spend, the rest `_other`. */
  tenant: 'tenant',
  /** What an AI call was made for (`support-bot`, `summariser`), as the app attributes it. */
  feature: 'feature',
  /** On the rate-limit gauges: what the limit counts (see RATE_LIMIT_TYPE). */
  rateLimitType: 'limit_type',
  /** On `target_info`: the OpenTelemetry resource attributes `service.name` and `service.version`. */
  serviceName: 'service_name',
  serviceVersion: 'service_version',
  /** On the kit's own health metrics: which metric or which failure. */
  metricName: 'metric_name',
  reason: 'reason',
  /** On `modelwatch_cluster_workers`: how a worker answered the primary's scrape. */
  clusterWorkerState: 'state',
  /** On `modelwatch_circuit_state`: the model's circuit (see CIRCUIT_STATE). */
  circuitState: 'state',
} as const;

export type LabelName = (typeof LABEL)[keyof typeof LABEL];

/** Value every open (free-text) label takes once a metric reached its series cap. */
export const OVERFLOW_LABEL_VALUE = '_other';

/**
 * Labels whose values have no bound but the series cap (model names, route
 * templates): a labelled metric keeps them last in its lookup, so a new value
 * costs an entry, not a new branch.
 */
export const UNBOUNDED_LABELS: ReadonlySet<string> = new Set<LabelName>([LABEL.genAiRequestModel, LABEL.genAiResponseModel, LABEL.httpRoute, LABEL.tenant]);

/** `tenant` and `feature` of AI calls nobody attributed. */
export const UNATTRIBUTED_LABEL_VALUE = '_none';

/** `http_route` of requests that matched no route (404 floods collapse into it). */
export const UNMATCHED_ROUTE = '_unmatched';

/** HTTP methods kept as-is; any other method is recorded as `_OTHER` (OTel HTTP semconv). */
export const HTTP_METHODS = ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'QUERY', 'TRACE'] as const;
export const HTTP_METHOD_OTHER = '_OTHER';
/** `http_response_status_code` of a response whose status is not a valid HTTP code. */
export const HTTP_STATUS_OTHER = '_OTHER';

/**
 * Status recorded for a request the client aborted before a response was sent
 * (nginx's "client closed request"). It is a 4xx, so it never counts against
 * availability, but its duration still counts for latency.
 */
export const ABORTED_STATUS_CODE = '499';

/** `gen_ai_token_type` values. `input`/`output` follow OTel; the rest are Modelwatch subsets. */
export const TOKEN_TYPE = {
  /** All prompt tokens, cached ones included (OTel inclusive rule). */
  input: 'input',
  /** All completion tokens, reasoning included. */
  output: 'output',
  /** Subset of `input`: read from the provider's prompt cache. */
  cacheRead: 'cache_read',
  /** Subset of `input`: written to the provider's prompt cache. */
  cacheCreation: 'cache_creation',
  /** Subset of `output`: reasoning ("thinking") tokens. */
  reasoning: 'reasoning',
} as const;
export type TokenType = (typeof TOKEN_TYPE)[keyof typeof TOKEN_TYPE];

/** `gen_ai_operation_name` values from the OTel GenAI semconv. */
export const GEN_AI_OPERATION = {
  chat: 'chat',
  textCompletion: 'text_completion',
  embeddings: 'embeddings',
  generateContent: 'generate_content',
  createAgent: 'create_agent',
  invokeAgent: 'invoke_agent',
  executeTool: 'execute_tool',
} as const;

/** Well-known `gen_ai_provider_name` values from the OTel GenAI semconv. */
export const GEN_AI_PROVIDER = {
  openai: 'openai',
  anthropic: 'anthropic',
  gcpGemini: 'gcp.gemini',
  gcpVertexAi: 'gcp.vertex_ai',
  gcpGenAi: 'gcp.gen_ai',
  awsBedrock: 'aws.bedrock',
  azureAiOpenai: 'azure.ai.openai',
  azureAiInference: 'azure.ai.inference',
  mistralAi: 'mistral_ai',
  groq: 'groq',
  deepseek: 'deepseek',
  xAi: 'x_ai',
  cohere: 'cohere',
  perplexity: 'perplexity',
} as const;

/**
 * `error_type` values for AI calls that alerting relies on. Anything else is
 * the exception's class name (bounded by the series cap).
 */
export const AI_ERROR_TYPE = {
  rateLimited: 'rate_limited',
  timeout: 'timeout',
  serverError: 'server_error',
  clientError: 'client_error',
  connectionError: 'connection_error',
  canceled: 'canceled',
  /** The thrown value was not an Error (a string, a number, undefined…). */
  other: '_OTHER',
} as const;

/** `limit_type` values: what a provider's rate limit counts, from its response headers. */
export const RATE_LIMIT_TYPE = {
  requests: 'requests',
  /** All tokens (OpenAI; Anthropic's combined limit). */
  tokens: 'tokens',
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
} as const;
export type RateLimitType = (typeof RATE_LIMIT_TYPE)[keyof typeof RATE_LIMIT_TYPE];

export const CACHE_RESULT = { hit: 'hit', miss: 'miss', error: 'error' } as const;
export type CacheResult = (typeof CACHE_RESULT)[keyof typeof CACHE_RESULT];

/** Reasons counted in `modelwatch_instrumentation_errors_total`. */
export const INSTRUMENTATION_ERROR_REASON = {
  invalidDuration: 'invalid_duration',
  invalidTokens: 'invalid_tokens',
  /** A negative or non-finite cost, count or gauge value. */
  invalidValue: 'invalid_value',
  unknownUsageShape: 'unknown_usage_shape',
  invalidLabelValue: 'invalid_label_value',
  priceLookup: 'price_lookup',
  /** The app's tenant/feature function threw or returned something other than a string. */
  invalidAttribution: 'invalid_attribution',
  /** A provider's rate-limit header held a value that is not a count or a reset time. */
  invalidRateLimitHeader: 'invalid_rate_limit_header',
  /** A failover webhook call refused: a wrong token (401) or a payload that is not Alertmanager's (400). */
  invalidFailoverWebhook: 'invalid_failover_webhook',
  /** A failover alert named a provider/model the app's router does not know. */
  unknownFailoverModel: 'unknown_failover_model',
  internal: 'internal',
} as const;
/**
 * A model's circuit in the failover receiver: `closed` (calls go to it), `open` (its alert fires; calls go to its
 * fallback, a trial call now and then), `half_open` (the alert resolved; still on the fallback until the hold-down ends).
 */
export const CIRCUIT_STATE = { closed: 'closed', open: 'open', halfOpen: 'half_open' } as const;
export type CircuitState = (typeof CIRCUIT_STATE)[keyof typeof CIRCUIT_STATE];

export type InstrumentationErrorReason = (typeof INSTRUMENTATION_ERROR_REASON)[keyof typeof INSTRUMENTATION_ERROR_REASON];
