import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

let provider: NodeTracerProvider | undefined;

/** Whether the standard OpenTelemetry variables name a collector to send spans to. */
export function otlpConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Whether the standard `OTEL_SDK_DISABLED=true` turns the tracer provider off. */
function sdkDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
}

/**
 * Registers an OpenTelemetry tracer provider (with the AsyncLocalStorage context
 * manager) once per process, as a real service's bootstrap would: the exporter's
 * spans then carry trace ids, which the logs and the metrics' exemplars pick up.
 * With `OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._TRACES_ENDPOINT`) set, spans are
 * batched to that collector over OTLP/HTTP — the compose `tracing` profile's
 * path from an exemplar to its trace. If the host registered its own provider
 * first, that one stays. `OTEL_SDK_DISABLED=true` registers none: no spans, and
 * no trace ids on the logs and exemplars.
 */
export function ensureTracing(): void {
  if (provider || sdkDisabled()) return;
  const spanProcessors = otlpConfigured() ? [new BatchSpanProcessor(new OTLPTraceExporter())] : [];
  provider = new NodeTracerProvider({ spanProcessors });
  provider.register();
}

/** Sends the spans still batched (on shutdown, so the last requests' traces are not lost). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}
