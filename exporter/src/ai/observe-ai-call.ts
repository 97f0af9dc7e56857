import { INSTRUMENTATION_ERROR_REASON } from '../conventions';
import type { Instruments } from '../instruments';
import type { TraceRef } from '../metrics/exemplar';
import type { TraceSource } from '../trace/active-trace';
import type { AiCallAttributes, AiRecorder } from './ai-recorder';
import { classifyAiError } from './error-type';
import { responseUsage } from './response-usage';
import { instrumentStream, isAsyncIterable } from './stream';

/** A call in progress, for code that cannot be wrapped in one function. Every method is safe to call more than once: the call is recorded once. */
export interface AiCallHandle {
  /** Marks the arrival of the first streamed chunk; later calls are ignored. */
  firstChunk(): void;
  /** Ends the call as a success; `usage` is the provider's usage object (or a response holding one). */
  end(usage?: unknown): void;
  /** Ends the call as a failure; the error is classified into `error_type`. */
  fail(error: unknown): void;
}

const secondsSince = (startMs: number) => (performance.now() - startMs) / 1000;

/** Starts and ends AI calls against one recorder, with the trace of the caller's context. */
export class AiCallTracker {
  constructor(
    private readonly recorder: AiRecorder,
    private readonly instruments: Instruments,
    private readonly traceSource: TraceSource,
  ) {}

  start(attributes: AiCallAttributes): AiCallHandle {
    const startMs = performance.now();
    let trace: TraceRef | undefined;
    try {
      trace = this.traceSource();
    } catch {
      this.instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
    }
    let timeToFirstChunkSeconds: number | undefined;
    let ended = false;
    const recorder = this.recorder;
    return {
      firstChunk() {
        if (timeToFirstChunkSeconds === undefined && !ended) timeToFirstChunkSeconds = secondsSince(startMs);
      },
      end(usage?: unknown) {
        if (ended) return;
        ended = true;
        recorder.record(attributes, { durationSeconds: secondsSince(startMs), timeToFirstChunkSeconds, usage: usageOf(usage), trace });
      },
      fail(error: unknown) {
        if (ended) return;
        ended = true;
        recorder.record(attributes, { durationSeconds: secondsSince(startMs), timeToFirstChunkSeconds, errorType: classifyAiError(error), trace });
      },
    };
  }

  /**
   * Runs `call` and records it. Works for sync and async functions; when the
   * result is an async iterable (a stream) it is handed back wrapped, and the
   * call ends when the stream does: time to first chunk and usage from the
   * chunks are recorded then. The result and any error reach the caller unchanged.
   */
  observe<T>(attributes: AiCallAttributes, call: () => T): T {
    const handle = this.start(attributes);
    let result: T;
    try {
      result = call();
    } catch (error) {
      handle.fail(error);
      throw error;
    }
    if (isThenable(result)) {
      return result.then(
        (value) => settle(handle, value),
        (error: unknown) => {
          handle.fail(error);
          throw error;
        },
      ) as T;
    }
    return settle(handle, result);
  }
}

function settle<V>(handle: AiCallHandle, value: V): V {
  if (isAsyncIterable(value)) return instrumentStream(value, handle) as V;
  handle.end(value);
  return value;
}

/** The usage object inside a response, the value itself when it is a usage object, undefined for non-objects. */
export function usageOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  return responseUsage(value) ?? value;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
