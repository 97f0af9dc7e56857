import type { RequestListener } from 'node:http';
import { collectDefaultMetrics, Registry as PromClientRegistry } from 'prom-client';
import { AiRecorder, type AiCallAttributes, type AiCallListener, type AiCallOutcome } from './ai/ai-recorder';
import type { AiCallHandle } from './ai/call-types';
import { AiCallTracker } from './ai/observe-ai-call';
import { AttributedSpend } from './attribution/attributed-spend';
import { attributedSeriesBound, ATTRIBUTION_OPTIONS, resolveAttributionOptions, type AttributionOptions } from './attribution/options';
import { AttributionScope, readAttribution, type Attribution } from './attribution/scope';
import { INSTRUMENTATION_ERROR_REASON, type SemconvMode } from '@modelwatch/conventions';
import { createCacheObserver, type CacheObserver } from './cache/observe-cache';
import { PRICE_BOOK_OPTIONS, PriceBook, type PriceBookOptions } from './cost/price-book';
import { observeDbOperation, type DbOperation } from './db/observe-db';
import { expressMiddleware, type ExpressMiddleware } from './http/express';
import { checkExpressOrder } from './http/express-order';
import { createFastifyPlugin } from './http/fastify';
import { NODE_HTTP_OPTIONS, wrapRequestListener, type NodeHttpOptions } from './http/node-http';
import { HTTP_OPTIONS, type FastifyPluginLike, type HttpOptions } from './http/options';
import { RequestObserver } from './http/request-observer';
import { Instruments, SERIES_CAPS, type SeriesCaps } from './instruments';
import { resolveSemconvMode, SEMCONV_OPTION } from './semconv/mode';
import type { ExpositionFormat } from './metrics/format';
import { boolean, func, objectOf, oneOf, positiveNumber, validateOptions, type Shape } from './options/schema';
import { detectMemoryLimit, type MemoryLimit } from './runtime/memory-limit';
import { resolveServiceInfo, SERVICE_INFO_OPTIONS, type ServiceInfo } from './runtime/service-info';
import { createMetricsHandler, METRICS_HANDLER_OPTIONS, type MetricsHandler, type MetricsHandlerOptions } from './server/metrics-handler';
import { startMetricsServer, type MetricsServer, type MetricsServerOptions } from './server/metrics-server';
import { activeOtelTrace, noTrace, type TraceSource } from './tracing/active-trace';
import { GenAiSpans } from './tracing/ai-span';
import { HttpServerSpans } from './tracing/http-server-span';
import { resolveTracingOptions, TRACING_OPTIONS, type TracingOptions } from './tracing/options';
import { TracerSource } from './tracing/tracer-source';
import { countInstance } from './warnings/instance-count';
import { emitProcessWarning, WARNING_CODE, Warnings, type WarningHandler } from './warnings/warnings';

const PROM_CLIENT_MISNAMED_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export interface ModelwatchOptions {
  /** Collect prom-client's default process and Node.js metrics (CPU, memory, event-loop lag, GC). @defaultValue true */
  defaultMetrics?: boolean;
  /** Distinct label sets per metric before new ones fold into `_other`. @defaultValue 1000 for each */
  seriesCaps?: SeriesCaps;
  /** Memory limit for `modelwatch_process_memory_limit_bytes`. @defaultValue the cgroup limit, else total system memory */
  memoryLimitBytes?: number;
  /**
   * The service's name and version, written as `target_info{service_name, service_version} 1` (the
   * deploy-regression alerts compare versions by it). @defaultValue from `OTEL_SERVICE_NAME` and
   * `OTEL_RESOURCE_ATTRIBUTES` (`service.name`, `service.version`), as the OpenTelemetry SDK reads them
   */
  service?: ServiceInfo;
  /** Price overrides and extra (custom, fine-tuned) models; bundled prices otherwise. */
  prices?: PriceBookOptions;
  /**
   * Attach the active trace to duration and cost samples (OpenMetrics exemplars).
   * `true` reads the active OpenTelemetry span; a function supplies your own. @defaultValue true
   */
  exemplars?: boolean | TraceSource;
  /** Defaults for every HTTP middleware of this instance. */
  http?: HttpOptions;
  /** Authentication and compression of the metrics endpoint. */
  metricsEndpoint?: MetricsHandlerOptions;
  /**
   * OpenTelemetry spans through `@opentelemetry/api`: a GenAI CLIENT span per AI call
   * (`observeAiCall`, `startAiCall`) and an HTTP SERVER span per request when no other
   * instrumentation made one. They go to the SDK your app registers; with none, nothing
   * is done. `false` turns them off. @defaultValue true
   */
  tracing?: boolean | TracingOptions;
  /**
   * Spend and tokens by tenant and feature (`modelwatch_gen_ai_attributed_*`), from `mw.attribute()`
   * scopes, the HTTP middleware's `attribute` option and the `tenant`/`feature` of each call.
   * Bounded: the top spending tenants keep series of their own, the rest count as `_other`.
   * @defaultValue false
   */
  attribution?: boolean | AttributionOptions;
  /**
   * Where misuse that would leave metrics silently missing is reported, once per code
   * (see the README's troubleshooting section): routes mounted before the Express
   * middleware, a second instance in the process, a client instrumented twice.
   * @defaultValue `process.emitWarning(message, { type: 'ModelwatchWarning', code })`
   */
  warn?: WarningHandler;
  /**
   * Which GenAI metric names `/metrics` writes: `legacy` (OTel semconv v1.41: `gen_ai_client_operation_duration_seconds`,
   * `gen_ai_client_token_usage`, `modelwatch_gen_ai_tokens_total`), `latest` (GenAI semconv v0.1:
   * `gen_ai_client_inference_*`) or `both`. Recording costs the same in every mode.
   * @defaultValue from `OTEL_SEMCONV_STABILITY_OPT_IN` (`gen_ai_latest_experimental`: latest, `gen_ai_latest_experimental/dup`: both), else legacy
   */
  semconv?: SemconvMode;
}

const MODELWATCH_OPTIONS: Shape<ModelwatchOptions> = {
  defaultMetrics: boolean,
  seriesCaps: objectOf(SERIES_CAPS),
  memoryLimitBytes: positiveNumber,
  service: SERVICE_INFO_OPTIONS,
  prices: objectOf(PRICE_BOOK_OPTIONS),
  exemplars: oneOf(boolean, func),
  http: objectOf(HTTP_OPTIONS),
  metricsEndpoint: objectOf(METRICS_HANDLER_OPTIONS),
  tracing: TRACING_OPTIONS,
  attribution: oneOf(boolean, objectOf(ATTRIBUTION_OPTIONS)),
  warn: func,
  semconv: SEMCONV_OPTION,
};

const SECOND_INSTANCE_MESSAGE =
  'A second Modelwatch instance was created in this process. Each instance has metrics of its own: calls recorded ' +
  "through one never show in the other's /metrics. Create one with createModelwatch() in a module of its own and import " +
  'it wherever it is needed. If two instances are intended, pass `warn` to handle this warning.';

/**
 * One instrumented service: its metrics, its middleware and its AI, cache and
 * DB recorders. Create one per process with `createModelwatch()`.
 */
export class Modelwatch {
  /** Handler serving the metrics; mount it on any node:http-compatible server (`app.get('/metrics', mw.metricsHandler)`). */
  readonly metricsHandler: MetricsHandler;
  /** The memory limit in use and where it came from. */
  readonly memoryLimit: MemoryLimit;
  /**
   * The Fastify plugin. Register `modelwatchFastify(mw)` from `@modelwatch/exporter/fastify`
   * instead, which has Fastify's types (this class has none: Fastify is an optional peer).
   */
  readonly fastify: FastifyPluginLike;

  /** @internal the metric objects; exposed for the cluster aggregator and tests. */
  readonly instruments: Instruments;
  /** @internal where the integrations report misuse. */
  readonly warnings: Warnings;
  private readonly requests: RequestObserver;
  private readonly aiRecorder: AiRecorder;
  private readonly aiCalls: AiCallTracker;
  private readonly httpDefaults: HttpOptions;
  /** None when attribution is off. */
  private readonly attribution: AttributionScope | undefined;

  /** Throws a `ModelwatchOptionError` naming the option when one is unknown or of the wrong type. */
  constructor(options: ModelwatchOptions = {}) {
    validateOptions('createModelwatch', MODELWATCH_OPTIONS, options);
    this.warnings = new Warnings(options.warn ?? emitProcessWarning);
    if (countInstance() === 2) this.warnings.once(WARNING_CODE.secondInstance, SECOND_INSTANCE_MESSAGE);
    const runtime = options.defaultMetrics === false ? undefined : new PromClientRegistry();
    if (runtime) {
      collectDefaultMetrics({ register: runtime });
      // Gauges named like counters (promtool rejects them); nodejs_active_handles/requests/resources carry the same data.
      for (const misnamed of PROM_CLIENT_MISNAMED_GAUGES) runtime.removeSingleMetric(misnamed);
    }
    const attribution = options.attribution === undefined || options.attribution === false ? undefined : resolveAttributionOptions(options.attribution === true ? {} : options.attribution);
    this.instruments = new Instruments(attributedCaps(options.seriesCaps, attribution && attributedSeriesBound(attribution)), runtime, resolveSemconvMode(options.semconv));
    const traceSource = options.exemplars === false ? noTrace : typeof options.exemplars === 'function' ? options.exemplars : activeOtelTrace;
    const reportInvalidAttribution = () => this.instruments.reportError(INSTRUMENTATION_ERROR_REASON.invalidAttribution);
    this.attribution = attribution && new AttributionScope(reportInvalidAttribution);
    const spend = attribution && new AttributedSpend(this.instruments, attribution);
    this.aiRecorder = new AiRecorder(this.instruments, new PriceBook(options.prices), spend && this.attribution && { spend, scope: this.attribution });
    const { aiSpans, serverSpans } = createSpanSources(options.tracing, this.instruments);
    this.aiCalls = new AiCallTracker(this.aiRecorder, this.instruments, traceSource, aiSpans);
    this.requests = new RequestObserver(this.instruments, traceSource, serverSpans, this.attribution);
    this.httpDefaults = options.http ?? {};
    const registry = this.instruments.registry;
    const serveMetrics = createMetricsHandler((format, pool) => registry.chunks(format, { pool }), options.metricsEndpoint);
    // A scrape is often the first request an Express app with a misplaced middleware lets through to Modelwatch.
    this.metricsHandler = (request, response) => {
      checkExpressOrder(request);
      serveMetrics(request, response);
    };
    this.fastify = createFastifyPlugin(this.requests, this.metricsHandler, this.httpDefaults) as unknown as FastifyPluginLike;
    this.memoryLimit = detectMemoryLimit(options.memoryLimitBytes);
    const memory = this.instruments.memoryLimit;
    memory.set(memory.series([]), this.memoryLimit.bytes);
    const service = resolveServiceInfo(options.service);
    if (service.name !== undefined || service.version !== undefined) {
      const info = this.instruments.targetInfo;
      info.set(info.series([service.name ?? '', service.version ?? '']), 1);
    }
  }

  /** Express middleware (Express 4 and 5): `app.use(mw.express())` before the routes. */
  express(options: HttpOptions = {}): ExpressMiddleware {
    validateOptions('mw.express', HTTP_OPTIONS, options);
    return expressMiddleware(this.requests, { ...this.httpDefaults, ...options }, this.warnings);
  }

  /** Wraps a node:http listener: `http.createServer(mw.http(listener, { routes: ['/users/:id'] }))`. */
  http(listener: RequestListener, options: NodeHttpOptions = {}): RequestListener {
    validateOptions('mw.http', NODE_HTTP_OPTIONS, options);
    return wrapRequestListener(this.requests, listener, { ...this.httpDefaults, ...options });
  }

  /**
   * Runs one AI call and records duration, error type, tokens and cost; for a
   * streaming result, also time to first chunk. With tracing, `call` runs inside
   * the call's GenAI span (the SDK's HTTP spans become its children) and gets its
   * handle, e.g. for `handle.setContent()`. Returns exactly what `call` returns.
   */
  observeAiCall<T>(attributes: AiCallAttributes, call: (handle: AiCallHandle) => T): T {
    return this.aiCalls.observe(attributes, call);
  }

  /** Starts an AI call (and its span) to end later with `end(usage)` or `fail(error)`; `handle.run(fn)` runs code inside its span. */
  startAiCall(attributes: AiCallAttributes): AiCallHandle {
    return this.aiCalls.start(attributes);
  }

  /** Records a call you measured yourself. Bad values are dropped and counted, never thrown. */
  recordAiCall(attributes: AiCallAttributes, outcome: AiCallOutcome): void {
    this.aiRecorder.record(attributes, outcome);
  }

  /** Calls `listener` after every recorded AI call, with its tokens and cost (for logs or billing). */
  onAiCall(listener: AiCallListener): void {
    this.aiRecorder.onRecorded(listener);
  }

  /**
   * Runs `fn` with its AI calls attributed to a tenant and/or a feature, through everything it awaits;
   * returns what `fn` returns. Nested scopes override what they set. A tenant or feature that is
   * not a string is counted and ignored. Needs `createModelwatch({ attribution: true })`: without
   * it, `fn` just runs (and a warning says so once).
   */
  attribute<T>(attribution: Attribution, fn: () => T): T {
    if (typeof fn !== 'function') throw new TypeError(`mw.attribute(attribution, fn): fn must be a function, got ${typeof fn}`);
    if (this.attribution === undefined) {
      this.warnings.once(WARNING_CODE.attributionOff, ATTRIBUTION_OFF_MESSAGE);
      return fn();
    }
    const report = () => this.instruments.reportError(INSTRUMENTATION_ERROR_REASON.invalidAttribution);
    const checked = typeof attribution === 'object' && attribution !== null ? readAttribution(attribution, report) : (report(), {});
    return this.attribution.run(checked, fn);
  }

  /** Recorder for one named cache. */
  observeCache(name: string): CacheObserver {
    return createCacheObserver(this.instruments, (provider, model, usage) => this.aiRecorder.costOf(provider, model, usage), name);
  }

  /** Times one database operation. */
  observeDb<T>(operation: DbOperation, run: () => T | Promise<T>): Promise<T> {
    return observeDbOperation(this.instruments, operation, run);
  }

  /** The exposition as a string (`text` or `openmetrics`). */
  metrics(format: ExpositionFormat = 'text'): Promise<string> {
    return this.instruments.registry.text(format);
  }

  /** Serves the metrics on a port of their own. */
  startMetricsServer(options?: MetricsServerOptions): Promise<MetricsServer> {
    return startMetricsServer(this.metricsHandler, options);
  }
}

const ATTRIBUTION_OFF_MESSAGE =
  'mw.attribute() was called, but attribution is off, so the calls inside are not attributed. Turn it on where the ' +
  'instance is created: createModelwatch({ attribution: true }).';

/** The attributed counters' caps: room for every kept tenant by every kept feature, unless the app set its own. */
function attributedCaps(caps: SeriesCaps = {}, bound: number | undefined): SeriesCaps {
  if (bound === undefined) return caps;
  return { genAiAttributedCost: bound, genAiAttributedTokens: 2 * bound, ...caps };
}

/** The span makers tracing asks for; none when it is off. */
function createSpanSources(option: ModelwatchOptions['tracing'], instruments: Instruments): { aiSpans?: GenAiSpans; serverSpans?: HttpServerSpans } {
  const tracing = resolveTracingOptions(option);
  if (tracing === undefined) return {};
  const tracers = new TracerSource(tracing.tracerProvider);
  const reportError = () => instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
  return {
    aiSpans: new GenAiSpans(tracers, tracing, reportError),
    serverSpans: tracing.httpServerSpans ? new HttpServerSpans(tracers, reportError) : undefined,
  };
}

export function createModelwatch(options?: ModelwatchOptions): Modelwatch {
  return new Modelwatch(options);
}
