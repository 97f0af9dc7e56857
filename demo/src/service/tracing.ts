import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

let provider: NodeTracerProvider | undefined;

/** Whether the standard OpenTelemetry variables name a collector to send spans to. */
export function otlpConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Registers an OpenTelemetry tracer provider (with the AsyncLocalStorage context
 * manager) once per process, as a real service's bootstrap would: the exporter's
 * spans then carry trace ids, which the logs and the metrics' exemplars pick up.
 * With `OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._TRACES_ENDPOINT`) set, spans are
 * batched to that collector over OTLP/HTTP — the compose `tracing` profile's
 * path from an exemplar to its trace. If the host registered its own provider
 * first, that one stays.
 */
export function ensureTracing(): void {
  if (provider) return;
  const spanProcessors = otlpConfigured() ? [new BatchSpanProcessor(new OTLPTraceExporter())] : [];
  provider = new NodeTracerProvider({ spanProcessors });
  provider.register();
}

/** Sends the spans still batched (on shutdown, so the last requests' traces are not lost). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}
