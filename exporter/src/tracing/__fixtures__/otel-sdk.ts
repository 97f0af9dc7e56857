import { context, propagation, trace, type Attributes, type SpanKind } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** An OTel SDK registered globally for one test file, as an app would do, with spans kept in memory. */
export interface TestSdk {
  provider: NodeTracerProvider;
  exporter: InMemorySpanExporter;
  /** Finished spans, oldest first. */
  spans(): ReadableSpan[];
  /** Unregisters everything, so the next file starts from the bare API. */
  shutdown(): Promise<void>;
}

/**
 * Registers an SDK: the span processing of `@opentelemetry/sdk-trace-base`
 * (`NodeTracerProvider` is its `BasicTracerProvider` plus `register()`), an
 * `AsyncLocalStorageContextManager` and the default W3C trace-context propagator.
 */
export function registerTestSdk(): TestSdk {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register({ contextManager: new AsyncLocalStorageContextManager() });
  return {
    provider,
    exporter,
    spans: () => exporter.getFinishedSpans(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** The parts of a finished span the tests compare. */
export interface SpanSummary {
  /** Instrumentation scope: `@modelwatch/exporter` for Modelwatch's spans. */
  scope: string;
  name: string;
  kind: SpanKind;
  attributes: Attributes;
  status: { code: number; message?: string };
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
}

export function summarize(span: ReadableSpan): SpanSummary {
  const { traceId, spanId } = span.spanContext();
  return {
    scope: span.instrumentationScope.name,
    name: span.name,
    kind: span.kind,
    attributes: { ...span.attributes },
    status: { ...span.status },
    traceId,
    spanId,
    parentSpanId: span.parentSpanContext?.spanId,
  };
}

/** Waits until `count` spans have finished (servers end theirs after the client got the response). */
export async function waitForSpans(sdk: TestSdk, count: number, timeoutMs = 2000): Promise<ReadableSpan[]> {
  const deadline = Date.now() + timeoutMs;
  while (sdk.spans().length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} finished spans, got ${sdk.spans().length}: ${sdk.spans().map((s) => s.name).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return sdk.spans();
}
