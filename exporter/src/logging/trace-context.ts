import { context, isSpanContextValid, trace } from '@opentelemetry/api';
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
  const span = trace.getSpan(context.active());
  if (span === undefined) return undefined;
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return undefined;
  return {
    [LOG_FIELD.traceId]: spanContext.traceId,
    [LOG_FIELD.spanId]: spanContext.spanId,
    [LOG_FIELD.traceFlags]: (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0'),
  };
}
