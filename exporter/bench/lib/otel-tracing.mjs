// Preloaded (`node --import`) into the uninstrumented demo for the demo suite's
// OpenTelemetry peer: OpenTelemetry's own tracing of an Express service, set up as its
// docs and the zero-code `auto-instrumentations-node` do — a NodeTracerProvider and the
// HTTP instrumentation, plus the Express one when BENCH_OTEL_EXPRESS=1, registered before
// the service (CommonJS) loads `http` and `express`. No Modelwatch: what a tracer provider
// and its spans cost this service by themselves (HTTP alone: one server span a request,
// the least any tracing does). The one span processor counts ended spans by instrumentation and, at exit,
// writes the counts to the file named by BENCH_SPAN_COUNT_FILE, so the bench can check
// the peer really traced each request (a real service would batch and export them instead).
import { writeFileSync } from 'node:fs';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const ended = {};
const countingProcessor = {
  onStart() {},
  onEnd(span) {
    const scope = (span.instrumentationScope ?? span.instrumentationLibrary).name;
    ended[scope] = (ended[scope] ?? 0) + 1;
  },
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
new NodeTracerProvider({ spanProcessors: [countingProcessor] }).register();
const instrumentations = [new HttpInstrumentation()];
if (process.env.BENCH_OTEL_EXPRESS === '1') instrumentations.push(new ExpressInstrumentation());
registerInstrumentations({ instrumentations });

const countFile = process.env.BENCH_SPAN_COUNT_FILE;
if (countFile) process.on('exit', () => writeFileSync(countFile, JSON.stringify(ended)));
