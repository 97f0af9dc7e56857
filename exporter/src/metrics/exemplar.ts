/** Trace a sample came from; OpenMetrics prints it as an exemplar so Grafana can jump to the trace. */
export interface TraceRef {
  readonly traceId: string;
  readonly spanId: string;
}

export interface Exemplar extends TraceRef {
  readonly value: number;
  /** Milliseconds since the epoch. */
  readonly timestampMs: number;
}

/** ` # {trace_id="…",span_id="…"} value timestamp` (OpenMetrics exemplar suffix). */
export function formatExemplar(exemplar: Exemplar): string {
  return ` # {trace_id="${exemplar.traceId}",span_id="${exemplar.spanId}"} ${exemplar.value} ${(exemplar.timestampMs / 1000).toFixed(3)}`;
}
