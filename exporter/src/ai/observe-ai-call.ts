import { performance } from 'node:perf_hooks';
import { context } from '@opentelemetry/api';
import { INSTRUMENTATION_ERROR_REASON } from '@modelwatch/conventions';
import type { Instruments } from '../instruments';
import type { TraceRef } from '../metrics/exemplar';
import type { GenAiSpan, GenAiSpans } from '../tracing/ai-span';
import { activeOtelTrace, sampledTraceOf, type TraceSource } from '../tracing/active-trace';
import type { Attribution } from '../attribution/scope';
import type { AiCallAttributes, AiRecorder } from './ai-recorder';
import { classifyAiError } from './error-type';
import { responseUsage } from './response-usage';
import { servedModelOf } from './served-model';
import type { AiCallContent, AiCallHandle, StreamHandle } from './call-types';
import { instrumentStream, isAsyncIterable } from './stream';

const secondsSince = (startMs: number) => (performance.now() - startMs) / 1000;

/** Starts and ends AI calls against one recorder, with the trace of the caller's context. */
export class AiCallTracker {
  constructor(
    private readonly recorder: AiRecorder,
    private readonly instruments: Instruments,
    private readonly traceSource: TraceSource,
    /** GenAI spans; none when tracing is off. */
    private readonly spans?: GenAiSpans,
  ) {}

  start(attributes: AiCallAttributes): AiCallHandle {
    return this.begin(attributes);
  }

  /**
   * Runs `call` and records it. Works for sync and async functions; when the
   * result is an async iterable (a stream) it is handed back wrapped, and the
   * call ends when the stream does: time to first chunk and usage from the
   * chunks are recorded then. `call` runs with the call's span active and gets
   * the call's handle (for `setContent`). The result and any error reach the
   * caller unchanged.
   */
  observe<T>(attributes: AiCallAttributes, call: (handle: AiCallHandle) => T): T {
    const handle = this.begin(attributes);
    const span = handle.span;
    let result: T;
    try {
      result = span === undefined ? call(handle) : context.with(span.context, call, undefined, handle);
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

  private begin(attributes: AiCallAttributes): TrackedCall {
    const startMs = performance.now();
    this.recorder.announce(attributes.provider, attributes.model);
    const span = this.spans?.start(attributes);
    let trace: TraceRef | undefined;
    try {
      // With a span, the exemplar is the span itself: the trace source reads it as the active span
      // (the default source is given it directly, saving a context switch per call).
      if (span === undefined) trace = this.traceSource();
      else trace = this.traceSource === activeOtelTrace ? sampledTraceOf(span.span) : context.with(span.context, this.traceSource);
    } catch {
      this.instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
    }
    // The scope the call starts in: a stream may end, or a handle be ended, outside it.
    return new TrackedCall(this.recorder, attributes, startMs, trace, span, this.recorder.currentAttribution());
  }
}

/**
 * One call in progress: the handle given out. A class rather than closures, so a
 * call allocates one object whatever the number of methods.
 */
class TrackedCall implements StreamHandle {
  private timeToFirstChunkSeconds: number | undefined;
  /** As the response (or a stream item) named it. */
  private responseModel: string | undefined;
  private ended = false;

  constructor(
    private readonly recorder: AiRecorder,
    private readonly attributes: AiCallAttributes,
    private readonly startMs: number,
    private readonly trace: TraceRef | undefined,
    readonly span: GenAiSpan | undefined,
    private readonly attribution: Attribution | undefined,
  ) {}

  firstChunk(): void {
    if (this.timeToFirstChunkSeconds === undefined && !this.ended) this.timeToFirstChunkSeconds = secondsSince(this.startMs);
  }

  end(value?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    const usage = usageOf(value);
    const { timeToFirstChunkSeconds } = this;
    // `observeAiCall` ends with the whole response; the SDK integrations have read it already.
    const responseModel = this.responseModel ?? (value === usage ? undefined : servedModelOf(value));
    const outcome = { durationSeconds: secondsSince(this.startMs), timeToFirstChunkSeconds, usage, responseModel, trace: this.trace };
    this.recorder.recordIn(this.attributes, outcome, this.attribution);
    this.span?.end({ result: value, usage, timeToFirstChunkSeconds });
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    const errorType = classifyAiError(error);
    const { timeToFirstChunkSeconds } = this;
    this.recorder.recordIn(this.attributes, { durationSeconds: secondsSince(this.startMs), timeToFirstChunkSeconds, errorType, trace: this.trace }, this.attribution);
    this.span?.fail(error, errorType, timeToFirstChunkSeconds);
  }

  run<R>(fn: () => R): R {
    return this.span === undefined ? fn() : context.with(this.span.context, fn);
  }

  readResponse(bodyOrChunk: unknown): void {
    this.responseModel ??= servedModelOf(bodyOrChunk);
    this.span?.chunk(bodyOrChunk, false);
  }

  setContent(content: AiCallContent): void {
    this.span?.setContent(content);
  }

  /** Each stream chunk: only a traced call reads them. */
  chunk(value: unknown): void {
    this.responseModel ??= servedModelOf(value);
    this.span?.chunk(value, true);
  }
}

function settle<V>(handle: StreamHandle, value: V): V {
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
