import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

let registered = false;

/**
 * Registers an OpenTelemetry tracer provider (with the AsyncLocalStorage context
 * manager) once per process, as a real service's bootstrap would: the exporter's
 * spans then carry trace ids, which the logs and the metrics' exemplars pick up.
 * If the host registered its own provider first, that one stays. Spans are not
 * exported anywhere; a real service would add an OTLP exporter here.
 */
export function ensureTracing(): void {
  if (registered) return;
  registered = true;
  new NodeTracerProvider().register();
}
