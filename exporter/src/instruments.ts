import type { Registry as PromClientRegistry } from 'prom-client';
import { DEFAULT_SERIES_CAP, INSTRUMENTATION_ERROR_REASON, METRICS, type InstrumentationErrorReason, type MetricDefinition, type MetricKey, type SemconvMode } from '@modelwatch/conventions';
import { KeptRateLimitHeaders } from './ai/rate-limits';
import { Counter } from './metrics/counter';
import { positiveInteger, type Shape } from './options/schema';
import { Gauge } from './metrics/gauge';
import { Histogram } from './metrics/histogram';
import type { MetricHooks } from './metrics/labelled-metric';
import { MetricRegistry } from './metrics/registry';
import { semconvFamilies } from './semconv/families';

export type SeriesCaps = Partial<Record<MetricKey, number>>;

export const SERIES_CAPS = Object.fromEntries(Object.keys(METRICS).map((key) => [key, positiveInteger])) as Shape<SeriesCaps>;

/**
 * Every metric of the contract, built once per Modelwatch instance and handed
 * to the recorders (no global state: two instances never share series).
 */
export class Instruments {
  readonly registry: MetricRegistry;
  readonly httpDuration: Histogram;
  readonly httpActive: Gauge;
  readonly aiDuration: Histogram;
  readonly aiTimeToFirstChunk: Histogram;
  readonly aiTimePerOutputToken: Histogram;
  readonly aiTokenUsage: Histogram;
  readonly aiTokens: Counter;
  readonly aiCost: Counter;
  readonly aiUnpriced: Counter;
  readonly aiAttributedCost: Counter;
  readonly aiAttributedTokens: Counter;
  readonly aiModelSubstitutions: Counter;
  readonly aiRateLimitRemaining: Gauge;
  readonly aiRateLimitLimit: Gauge;
  readonly aiRateLimitReset: Gauge;
  /** The SDK integrations' rate-limit headers, read into the three gauges above when the metrics are collected. */
  readonly rateLimitHeaders: KeptRateLimitHeaders;
  readonly cacheRequests: Counter;
  readonly cacheDuration: Histogram;
  readonly cacheSavedCost: Counter;
  readonly dbDuration: Histogram;
  readonly memoryLimit: Gauge;
  readonly targetInfo: Gauge;
  readonly instrumentationErrors: Counter;
  readonly droppedSeries: Counter;
  /** Written by the failover receiver (`@modelwatch/exporter/failover`) only. */
  readonly failoverActive: Gauge;
  readonly circuitState: Gauge;

  /**
   * `semconv` chooses the GenAI names the exposition writes; what is recorded is the same in every
   * mode (the v0.1 families are read from the recorded series when written).
   */
  constructor(caps: SeriesCaps = {}, runtime?: PromClientRegistry, semconv: SemconvMode = 'legacy') {
    this.registry = new MetricRegistry(runtime);
    const hooks: MetricHooks = {
      onFold: (metricName) => {
        // The dropped-series counter folding into itself would recurse; it has one series per metric, far below any cap.
        if (metricName !== METRICS.droppedSeries.name) this.droppedSeries.inc(this.droppedSeries.series([metricName]));
      },
      onInvalidValue: (metricName) => this.reportError(invalidValueReason(metricName)),
    };
    // Checked against SERIES_CAPS where the options came in.
    const cap = (key: MetricKey) => ({ cap: caps[key] ?? DEFAULT_SERIES_CAP });
    const histogram = (key: MetricKey) => this.registry.register(new Histogram(METRICS[key] as MetricDefinition, hooks, cap(key)));
    const counter = (key: MetricKey) => this.registry.register(new Counter(METRICS[key] as MetricDefinition, hooks, cap(key)));
    const gauge = (key: MetricKey) => this.registry.register(new Gauge(METRICS[key] as MetricDefinition, hooks, cap(key)));

    this.httpDuration = histogram('httpServerRequestDuration');
    this.httpActive = gauge('httpServerActiveRequests');
    this.aiDuration = histogram('genAiOperationDuration');
    this.aiTimeToFirstChunk = histogram('genAiTimeToFirstChunk');
    this.aiTimePerOutputToken = histogram('genAiTimePerOutputToken');
    this.aiTokenUsage = histogram('genAiTokenUsage');
    this.aiTokens = counter('genAiTokens');
    this.aiCost = counter('genAiCost');
    this.aiUnpriced = counter('genAiUnpricedOperations');
    this.aiAttributedCost = counter('genAiAttributedCost');
    this.aiAttributedTokens = counter('genAiAttributedTokens');
    this.aiModelSubstitutions = counter('genAiModelSubstitutions');
    this.aiRateLimitRemaining = gauge('genAiRateLimitRemaining');
    this.aiRateLimitLimit = gauge('genAiRateLimitLimit');
    this.aiRateLimitReset = gauge('genAiRateLimitReset');
    this.rateLimitHeaders = new KeptRateLimitHeaders(this);
    this.registry.onCollect(() => this.rateLimitHeaders.read());
    this.cacheRequests = counter('cacheRequests');
    this.cacheDuration = histogram('cacheOperationDuration');
    this.cacheSavedCost = counter('cacheSavedCost');
    this.dbDuration = histogram('dbOperationDuration');
    this.memoryLimit = gauge('processMemoryLimit');
    this.targetInfo = gauge('targetInfo');
    this.instrumentationErrors = counter('instrumentationErrors');
    this.droppedSeries = counter('droppedSeries');
    this.failoverActive = gauge('failoverActive');
    this.circuitState = gauge('circuitState');
    this.createKnownSeries();
    const families = semconvFamilies(this, semconv);
    if (families) this.registry.expose(families);
  }

  /**
   * The kit's own health counters exist at 0 from the first scrape for every label
   * value known up front, so an alert on their increase sees 0 rather than no data,
   * and a new user finds them before anything went wrong.
   */
  private createKnownSeries(): void {
    for (const reason of Object.values(INSTRUMENTATION_ERROR_REASON)) this.instrumentationErrors.series([reason]);
    for (const metric of this.registry.list()) {
      if (metric.labelNames.length > 0 && metric !== this.droppedSeries) this.droppedSeries.series([metric.name]);
    }
  }

  /** Counts a failure inside Modelwatch; never throws. */
  reportError(reason: InstrumentationErrorReason): void {
    try {
      this.instrumentationErrors.inc(this.instrumentationErrors.series([reason]));
    } catch {
      // Nothing left to report to; the host app must not see it.
    }
  }
}

/** What a rejected value was, by what its metric measures. */
function invalidValueReason(metricName: string): InstrumentationErrorReason {
  if (metricName.endsWith('_seconds')) return INSTRUMENTATION_ERROR_REASON.invalidDuration;
  if (metricName.includes('token')) return INSTRUMENTATION_ERROR_REASON.invalidTokens;
  return INSTRUMENTATION_ERROR_REASON.invalidValue;
}
