import { ProxyTracerProvider, trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { otelApiInUse } from './otel-api-global';

/** Instrumentation scope of every Modelwatch span. */
export const TRACER_NAME = '@modelwatch/exporter';

/** What the API's proxy provider delegates to while no SDK is registered (the API keeps one shared instance). */
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();

/**
 * The tracer to make spans with, or undefined while only the API's no-op provider
 * is there: then Modelwatch skips span work altogether (no span objects, no
 * context switches). Looked up per call, so an SDK registered later is picked up;
 * the tracer is cached per provider.
 */
export class TracerSource {
  private provider: TracerProvider | undefined;
  private tracer: Tracer | undefined;

  constructor(private readonly configured: TracerProvider | undefined) {}

  current(): Tracer | undefined {
    if (this.configured === undefined && !otelApiInUse()) return undefined;
    let provider = this.configured ?? trace.getTracerProvider();
    if (provider instanceof ProxyTracerProvider) {
      provider = provider.getDelegate();
      if (provider === NOOP_TRACER_PROVIDER) return undefined;
    }
    if (provider !== this.provider) {
      this.tracer = provider.getTracer(TRACER_NAME);
      this.provider = provider;
    }
    return this.tracer;
  }
}
