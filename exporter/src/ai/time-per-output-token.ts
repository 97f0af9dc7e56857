/**
 * Seconds per output token of one successful call, or undefined when the call has no such figure.
 *
 * A stream's first chunk comes once the model has read the whole prompt, which time to first chunk
 * already measures: the rest of the call is spread over the tokens after the first, as semconv's
 * `gen_ai.server.time_per_output_token` does (so a stream needs two tokens). A call answered in one
 * piece has only its duration, spread over all its output tokens. A call without output (embeddings)
 * has no figure.
 */
export function timePerOutputToken(durationSeconds: number, timeToFirstChunkSeconds: number | undefined, outputTokens: number): number | undefined {
  if (timeToFirstChunkSeconds === undefined) return outputTokens >= 1 ? durationSeconds / outputTokens : undefined;
  return outputTokens >= 2 ? (durationSeconds - timeToFirstChunkSeconds) / (outputTokens - 1) : undefined;
}
