// An OpenTelemetry SDK MeterProvider whose one reader exports only when the bench calls
// `reader.collect()`, as a Prometheus scrape would: the SDK keeps every point until then.
// Shared by the suites that measure sdk-metrics (ai-calls, memory) or an instrumentation
// recording into it (sdk-overhead). `@opentelemetry/sdk-metrics` loads at the call, so only
// the worker processes measuring it load it (the memory suite reads their heaps).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function pullMeterProvider() {
  const { MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics');
  class PullReader extends MetricReader {
    onShutdown() {
      return Promise.resolve();
    }
    onForceFlush() {
      return Promise.resolve();
    }
  }
  const reader = new PullReader();
  return { meterProvider: new MeterProvider({ readers: [reader] }), reader };
}
