import type { TracerProvider } from '@opentelemetry/api';
import { boolean, objectOf, oneOf, schemaOf, type Shape } from '../options/schema';

/** `createModelwatch({ tracing })`: OpenTelemetry spans through `@opentelemetry/api` (your app picks and registers the SDK). */
export interface TracingOptions {
  /**
   * Where spans go. By default the global provider, looked up at every call, so an SDK
   * registered after `createModelwatch()` is picked up; while none is registered,
   * Modelwatch skips span work entirely.
   * @defaultValue the global tracer provider
   */
  tracerProvider?: TracerProvider;
  /**
   * Record prompts and completions on GenAI spans as `gen_ai.input.messages` /
   * `gen_ai.output.messages` (JSON strings, cut at 16 KiB each). They are whatever the
   * caller or SDK integration hands to `AiCallHandle.setContent`, and may hold personal data.
   * @defaultValue `true` when the environment variable `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`
   * is `true` (the variable OTel's GenAI instrumentations read), otherwise `false`
   */
  captureContent?: boolean;
  /**
   * SERVER spans from the HTTP middleware, made only when no other instrumentation
   * (such as `@opentelemetry/instrumentation-http`) already runs the request in a span.
   * When `instrumentation-http` does, its span gets the route as name and `http.route` instead.
   * @defaultValue true
   */
  httpServerSpans?: boolean;
  /**
   * Also set the deprecated `gen_ai.system` (GenAI semconv v1.36.0 and before) next to
   * `gen_ai.provider.name`, for backends that still key on it.
   *
   * Modelwatch's spans are new, so they follow the latest GenAI conventions, which is what
   * `OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental` asks existing instrumentations
   * to switch to: that variable changes nothing here and is not read.
   * @defaultValue false
   */
  emitLegacyGenAiSystem?: boolean;
}

const TRACER_PROVIDER = schemaOf('a TracerProvider (an object with getTracer())', (v) => typeof (v as Partial<TracerProvider> | null)?.getTracer === 'function');

export const TRACING_OPTIONS = oneOf(
  boolean,
  objectOf<TracingOptions>({ tracerProvider: TRACER_PROVIDER, captureContent: boolean, httpServerSpans: boolean, emitLegacyGenAiSystem: boolean } satisfies Shape<TracingOptions>),
);

/** Tracing settings once defaults are applied. */
export interface ResolvedTracingOptions {
  tracerProvider: TracerProvider | undefined;
  captureContent: boolean;
  httpServerSpans: boolean;
  emitLegacyGenAiSystem: boolean;
}

export const CAPTURE_CONTENT_ENV = 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT';

/** Applies defaults; undefined when tracing is off. */
export function resolveTracingOptions(option: boolean | TracingOptions | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedTracingOptions | undefined {
  if (option === false) return undefined;
  const options = option === true || option === undefined ? {} : option;
  return {
    tracerProvider: options.tracerProvider,
    captureContent: options.captureContent ?? envFlag(env[CAPTURE_CONTENT_ENV]) ?? false,
    httpServerSpans: options.httpServerSpans ?? true,
    emitLegacyGenAiSystem: options.emitLegacyGenAiSystem ?? false,
  };
}

/** `true`/`false` (any case, trimmed); undefined when unset or anything else, so "unset" stays distinct from false. */
function envFlag(value: string | undefined): boolean | undefined {
  const normalized = value?.trim().toLowerCase();
  if (normalized === 'true') return true;
  if (normalized === 'false') return false;
  return undefined;
}
