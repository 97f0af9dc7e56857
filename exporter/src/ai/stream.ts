import type { AiCallHandle } from './observe-ai-call';
import { responseUsage } from './response-usage';

/** What a stream reports to: the call's handle, and each chunk when something reads them (the call's span). */
export interface StreamHandle extends AiCallHandle {
  chunk?(value: unknown): void;
}

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
      if (property === Symbol.asyncIterator) return () => instrumentIterator(target[Symbol.asyncIterator](), handle);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function instrumentIterator<T>(iterator: AsyncIterator<T>, handle: StreamHandle): AsyncIterableIterator<T> {
  let usage: Record<string, unknown> | undefined;
  return {
    async next(...args: [] | [undefined]) {
      let step: IteratorResult<T>;
      try {
        step = await iterator.next(...args);
      } catch (error) {
        handle.fail(error);
        throw error;
      }
      if (step.done) handle.end(usage);
      else {
        handle.firstChunk();
        handle.chunk?.(step.value);
        usage = mergeChunkUsage(usage, step.value);
      }
      return step;
    },
    async return(value?: unknown) {
      handle.end(usage);
      return iterator.return ? iterator.return(value) : { done: true as const, value: value as T };
    },
    async throw(error?: unknown) {
      handle.fail(error);
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
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
