/*
 * OpenTelemetry semantic-convention names used on Modelwatch's spans, copied
 * here rather than imported: the package depends on `@opentelemetry/api` only,
 * and the GenAI names are unstable (OTel JS contrib copies unstable names into
 * its packages for the same reason). Checked against
 * `@opentelemetry/semantic-conventions` 1.45.0 (`/incubating` for GenAI), whose
 * GenAI names now live in the open-telemetry/semantic-conventions-genai
 * repository; the metric contract uses the same v1.41 names.
 */

// ---- Stable (HTTP, URL, server, user agent, error) ----

/** HTTP request method, `_OTHER` when not a known method. */
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method' as const;
/** The method as received, set only when `http.request.method` is `_OTHER`. */
export const ATTR_HTTP_REQUEST_METHOD_ORIGINAL = 'http.request.method_original' as const;
/** The matched route template (`/users/:id`), never the raw path. */
export const ATTR_HTTP_ROUTE = 'http.route' as const;
/** HTTP response status code, only when one was sent. */
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code' as const;
/** Path of the request URL, without the query string. */
export const ATTR_URL_PATH = 'url.path' as const;
/** `http` or `https`. */
export const ATTR_URL_SCHEME = 'url.scheme' as const;
/** Host name of the server (HTTP server spans: from the Host header; GenAI spans: the model endpoint). */
export const ATTR_SERVER_ADDRESS = 'server.address' as const;
/** Port of the server. */
export const ATTR_SERVER_PORT = 'server.port' as const;
/** The User-Agent header as sent. */
export const ATTR_USER_AGENT_ORIGINAL = 'user_agent.original' as const;
/** Class of error the operation ended with; absent on success. */
export const ATTR_ERROR_TYPE = 'error.type' as const;

// ---- GenAI (development status) ----

/**
 * The operation: `chat`, `text_completion`, `embeddings`, `generate_content`…
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name' as const;

/**
 * The provider as the instrumentation knows it: `openai`, `anthropic`, `gcp.gemini`…
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name' as const;

/**
 * Deprecated name of `gen_ai.provider.name` (GenAI semconv v1.36.0 and before).
 * Emitted only with `tracing: { emitLegacyGenAiSystem: true }`.
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 * @deprecated Replaced by `gen_ai.provider.name`.
 */
export const ATTR_GEN_AI_SYSTEM = 'gen_ai.system' as const;

/**
 * The model asked for.
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model' as const;

/**
 * Maximum number of tokens the model may generate.
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens' as const;

/**
 * Sampling temperature.
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature' as const;

/**
 * Nucleus sampling (top_p).
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_REQUEST_TOP_P = 'gen_ai.request.top_p' as const;

/**
 * Top-k sampling.
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_REQUEST_TOP_K = 'gen_ai.request.top_k' as const;

/**
 * Frequency penalty.
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY = 'gen_ai.request.frequency_penalty' as const;

/**
 * Presence penalty.
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY = 'gen_ai.request.presence_penalty' as const;

/**
 * Sequences that stop generation.
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_REQUEST_STOP_SEQUENCES = 'gen_ai.request.stop_sequences' as const;

/**
 * Seed, for providers that make generation reproducible with one.
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_REQUEST_SEED = 'gen_ai.request.seed' as const;

/**
 * Whether the request was made in streaming mode.
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_REQUEST_STREAM = 'gen_ai.request.stream' as const;

/**
 * The model that answered (often a dated snapshot of the one asked for).
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model' as const;

/**
 * The provider's id of the completion.
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id' as const;

/**
 * Why the model stopped, one entry per generation (`string[]`).
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons' as const;

/**
 * Seconds from the request to the first chunk of a streamed response.
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk' as const;

/**
 * Input (prompt) tokens, cached ones included.
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens' as const;

/**
 * Output (completion) tokens.
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens' as const;

/**
 * Input tokens served from a provider-managed cache (included in `gen_ai.usage.input_tokens`).
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens' as const;

/**
 * Input tokens written to a provider-managed cache (included in `gen_ai.usage.input_tokens`).
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation.input_tokens' as const;

/**
 * Reasoning ("thinking") tokens (included in `gen_ai.usage.output_tokens`).
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.usage.reasoning.output_tokens' as const;

/**
 * The messages sent to the model, as a JSON string (opt-in: may hold personal data).
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages' as const;

/**
 * The messages the model returned, as a JSON string (opt-in: may hold personal data).
 *
 * @experimental This attribute is experimental and is subject to breaking changes in minor releases of `@opentelemetry/semantic-conventions`.
 */
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages' as const;
