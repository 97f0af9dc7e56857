import type { Registry as PromClientRegistry } from 'prom-client';
import { Counter } from './counter';
import { Gauge } from './gauge';
import { Histogram } from './histogram';
import { escapeHelp } from './label-values';
import type { ExpositionFormat } from './format';
import { formatPromClientMetrics } from './prom-client-format';

export type AnyMetric = Counter | Gauge | Histogram;

export interface ExpositionOptions {
  /** Yield to the event loop after this many milliseconds of serialising (default 8). */
  sliceMs?: number;
  /** Chunks handed to the consumer are at least this many characters (default 64 KiB). */
  chunkChars?: number;
}

const DEFAULT_SLICE_MS = 8;
const DEFAULT_CHUNK_CHARS = 64 * 1024;
/** How many series are written between two looks at the clock. */
const SERIES_PER_CLOCK_CHECK = 64;

/**
 * The metrics of one Modelwatch instance plus prom-client's default collectors,
 * serialised by one writer for both formats. Serialisation is cut into time
 * slices so a scrape of 100k series never blocks the host app for long; each
 * series is written whole within a slice, so a histogram's buckets, sum and
 * count always agree even when observations happen during the scrape.
 */
export class MetricRegistry {
  private readonly metrics: AnyMetric[] = [];

  constructor(private readonly runtime?: PromClientRegistry) {}

  register<M extends AnyMetric>(metric: M): M {
    if (this.metrics.some((m) => m.name === metric.name)) throw new Error(`Metric ${metric.name} is already registered`);
    this.metrics.push(metric);
    return metric;
  }

  get(name: string): AnyMetric | undefined {
    return this.metrics.find((m) => m.name === name);
  }

  list(): readonly AnyMetric[] {
    return this.metrics;
  }

  /** prom-client's default collectors, when enabled; the cluster snapshot reads them. */
  get runtimeRegistry(): PromClientRegistry | undefined {
    return this.runtime;
  }

  /** The whole exposition as chunks, yielding to the event loop between time slices. */
  async *chunks(format: ExpositionFormat, options: ExpositionOptions = {}): AsyncGenerator<string> {
    const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    const chunkChars = options.chunkChars ?? DEFAULT_CHUNK_CHARS;
    let buffer = '';
    let sliceStart = performance.now();
    for (const metric of this.metrics) {
      const series = metric.all();
      if (series.length === 0) continue;
      buffer += familyHeader(metric, format);
      for (let i = 0; i < series.length; i++) {
        buffer += (metric.formatSeries as (s: unknown, f: ExpositionFormat) => string)(series[i], format);
        if (i % SERIES_PER_CLOCK_CHECK !== SERIES_PER_CLOCK_CHECK - 1) continue;
        if (buffer.length >= chunkChars) {
          yield buffer;
          buffer = '';
        }
        if (performance.now() - sliceStart >= sliceMs) {
          await yieldToEventLoop();
          sliceStart = performance.now();
        }
      }
    }
    if (this.runtime) buffer += formatPromClientMetrics(await this.runtime.getMetricsAsJSON(), format);
    if (format === 'openmetrics') buffer += '# EOF\n';
    yield buffer;
  }

  /** The whole exposition as one string. */
  async text(format: ExpositionFormat, options?: ExpositionOptions): Promise<string> {
    let out = '';
    for await (const chunk of this.chunks(format, options)) out += chunk;
    return out;
  }
}

function familyHeader(metric: AnyMetric, format: ExpositionFormat): string {
  const family = metric.familyName(format);
  return `# HELP ${family} ${escapeHelp(metric.definition.help)}\n# TYPE ${family} ${metric.definition.type}\n`;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
