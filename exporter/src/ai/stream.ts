import type { StreamHandle } from './call-types';
import { responseUsage } from './response-usage';
import { observeIterator, observeStreamCall, type StreamReader } from './stream-observer';

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/**
 * The stream, unchanged for the caller, whose iteration ends the call:
 * first chunk → time to first chunk; end of stream, early `break` or `return`
 * → success with the usage the chunks carried; an error → failure. Other
 * properties and methods (an SDK stream's `controller`, `toReadableStream`…)
 * pass through to the original object.
 */
export function instrumentStream<S extends AsyncIterable<unknown>>(stream: S, handle: StreamHandle): S {
  return new Proxy(stream, {
    get(target, property) {
      if (property === Symbol.asyncIterator) return () => observeIterator(target[Symbol.asyncIterator](), observeStreamCall(handle, chunkReader(), { see: (chunk) => handle.chunk?.(chunk) }));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The generic reader: every chunk is output, and usage is merged from the chunks that carry some. */
function chunkReader(): StreamReader {
  let usage: Record<string, unknown> | undefined;
  return {
    read(chunk) {
      usage = mergeChunkUsage(usage, chunk);
      return true;
    },
    usage: () => usage,
  };
}

/**
 * Usage spread over stream chunks, merged field by field, latest value wins:
 * OpenAI sends it in the last chunk (with `stream_options.include_usage`),
 * Anthropic sends input counts in `message_start` and output counts in
 * `message_delta`, Gemini repeats cumulative `usageMetadata` on each chunk,
 * the OpenAI Responses API sends it in the `response` of `response.completed`.
 */
export function mergeChunkUsage(accumulated: Record<string, unknown> | undefined, chunk: unknown): Record<string, unknown> | undefined {
  if (typeof chunk !== 'object' || chunk === null) return accumulated;
  const { message, response } = chunk as { message?: unknown; response?: unknown };
  const usage = responseUsage(chunk) ?? nestedUsage(message) ?? nestedUsage(response);
  if (usage === undefined) return accumulated;
  const merged: Record<string, unknown> = accumulated ?? {};
  for (const [field, value] of Object.entries(usage)) {
    if (value !== null && value !== undefined) merged[field] = value;
  }
  return merged;
}

function nestedUsage(value: unknown): object | undefined {
  return typeof value === 'object' && value !== null ? responseUsage(value) : undefined;
}
