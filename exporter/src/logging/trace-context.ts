import { context, isSpanContextValid, trace, type Span } from '@opentelemetry/api';
import { LOG_FIELD } from './fields';

export interface TraceFields {
  [LOG_FIELD.traceId]: string;
  [LOG_FIELD.spanId]: string;
  [LOG_FIELD.traceFlags]: string;
}

/**
 * Ids of the active OpenTelemetry span, sampled or not (the ids still tie one
 * request's lines together), or undefined without a valid span. Without an
 * OTel SDK the API's no-op context answers at once.
 */
export function activeTraceFields(): TraceFields | undefined {
  return traceFieldsOf(activeSpan());
}

/** The active OpenTelemetry span, if any: what `activeTraceFields` reads, kept to read its ids later. */
export function activeSpan(): Span | undefined {
  return trace.getSpan(context.active());
}

/** Ids of `span` when its context is valid (what `activeTraceFields` gives while `span` is active). */
export function traceFieldsOf(span: Span | undefined): TraceFields | undefined {
  if (span === undefined) return undefined;
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return undefined;
  return {
    [LOG_FIELD.traceId]: spanContext.traceId,
    [LOG_FIELD.spanId]: spanContext.spanId,
    [LOG_FIELD.traceFlags]: (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0'),
  };
}
