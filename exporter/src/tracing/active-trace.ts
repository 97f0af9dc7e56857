import { context, isSpanContextValid, trace, TraceFlags, type Span } from '@opentelemetry/api';
import type { TraceRef } from '../metrics/exemplar';
import { otelApiInUse } from './otel-api-global';

/** Supplies the trace to attach as an exemplar, or undefined for none. */
export type TraceSource = () => TraceRef | undefined;

/**
 * The active OpenTelemetry span, when the app runs an OTel SDK and the span is
 * sampled (an exemplar pointing at a dropped trace would be a dead link).
 * Before anything is registered with the API, there is no span to read.
 */
export const activeOtelTrace: TraceSource = () => {
  if (!otelApiInUse()) return undefined;
  const span = trace.getSpan(context.active());
  return span === undefined ? undefined : sampledTraceOf(span);
};

/** The span's trace when it is valid and sampled; what `activeOtelTrace` gives while `span` is active. */
export function sampledTraceOf(span: Span): TraceRef | undefined {
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext) || (spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

export const noTrace: TraceSource = () => undefined;
