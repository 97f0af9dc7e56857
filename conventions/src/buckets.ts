/** Histogram bucket layouts (upper bounds). Each follows the OTel semconv advice where one exists. */

/** OTel HTTP semconv advice for `http.server.request.duration`. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] as const;

/** OTel GenAI semconv advice for `gen_ai.client.operation.duration` (doubling from 10 ms). */
export const GEN_AI_DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
] as const;

/** Same advice for time to first chunk: streaming starts within the same range. */
export const GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS = GEN_AI_DURATION_BUCKETS;

/**
 * OTel GenAI semconv (v1.41) advice for `gen_ai.server.time_per_output_token`, the
 * server-side figure `modelwatch_gen_ai_time_per_output_token_seconds` measures from the client.
 */
export const GEN_AI_TIME_PER_OUTPUT_TOKEN_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5] as const;

/** OTel GenAI semconv advice for `gen_ai.client.token.usage` (powers of 4). */
export const GEN_AI_TOKEN_USAGE_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
] as const;

/** OTel DB semconv advice for `db.client.operation.duration`. */
export const DB_DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] as const;

/** In-process and network caches: from 100 µs (an LRU) to 1 s (a struggling Redis). */
export const CACHE_DURATION_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] as const;
