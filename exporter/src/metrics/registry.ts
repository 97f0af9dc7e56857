import { performance } from 'node:perf_hooks';
import type { Registry as PromClientRegistry } from 'prom-client';
import { Counter } from './counter';
import { Gauge } from './gauge';
import { Histogram } from './histogram';
import { escapeHelp } from './label-values';
import type { ExpositionFormat } from './format';
import { formatPromClientMetrics } from './prom-client-format';
import { ByteChunks, ChunkPool, chunkText } from './chunk-writer';

export type AnyMetric = Counter | Gauge | Histogram;

export interface ExpositionOptions {
  /** Yield to the event loop after this many milliseconds of serialising (default 5). */
  sliceMs?: number;
  /** Chunks handed to the consumer are about this many bytes (default 64 KiB). */
  chunkBytes?: number;
  /**
   * Where chunk memory comes from (its size wins over `chunkBytes`). A consumer
   * that hands each chunk back once it has written it (`pool.give`) lets the
   * rest of the scrape reuse that memory.
   */
  pool?: ChunkPool;
}

const DEFAULT_SLICE_MS = 5;
const DEFAULT_CHUNK_BYTES = 64 * 1024;
/**
 * Chunks of `metrics()`'s string: above Node's threshold for external strings (1,031,913 bytes),
 * so each chunk's text is malloc'd memory, which the next scrape's text can reuse when the C
 * allocator kept it. Smaller chunks become V8 heap strings, whose pages are fresh every scrape:
 * on the shared bench host that measured ~7,500 minor page faults per 10k-histogram `metrics()`
 * at 1000, 256 and 64 KiB, where 1 MiB measured 50–9,000 (see the exporter README, Exposition).
 */
const TEXT_CHUNK_BYTES = 1024 * 1024;
/** How many series are written between two looks at the clock. */
const SERIES_PER_CLOCK_CHECK = 32;

/**
 * The metrics of one Modelwatch instance plus prom-client's default collectors,
 * serialised by one writer for both formats. Serialisation is cut into time
 * slices so a scrape of 100k series never blocks the host app for long; each
 * series is written whole within a slice, so a histogram's buckets, sum and
 * count always agree even when observations happen during the scrape.
 */
export class MetricRegistry {
  private readonly metrics: AnyMetric[] = [];
  /** What exposition writes, when not the registered metrics themselves (see `expose`). */
  private exposed: readonly AnyMetric[] | undefined;
  private readonly collectors: (() => void)[] = [];

  constructor(private readonly runtime?: PromClientRegistry) {}

  register<M extends AnyMetric>(metric: M): M {
    if (this.metrics.some((m) => m.name === metric.name)) throw new Error(`Metric ${metric.name} is already registered`);
    this.metrics.push(metric);
    return metric;
  }

  get(name: string): AnyMetric | undefined {
    return this.metrics.find((m) => m.name === name);
  }

  /** The registered metrics: what the app records into. */
  list(): readonly AnyMetric[] {
    return this.metrics;
  }

  /**
   * Writes `families` instead of the registered metrics, which keep recording: how a semconv mode
   * writes recorded series under other names (views read them at exposition), or leaves some out.
   */
  expose(families: readonly AnyMetric[]): void {
    this.exposed = families;
  }

  /**
   * Runs `collect` before every exposition and cluster snapshot: for values that are read when
   * the metrics are, not when they change (the last response's rate-limit headers). Must not throw.
   */
  onCollect(collect: () => void): void {
    this.collectors.push(collect);
  }

  /** The families exposition (and the cluster snapshot) writes, in order, brought up to date by the collectors. */
  exposition(): readonly AnyMetric[] {
    for (const collect of this.collectors) collect();
    return this.exposed ?? this.metrics;
  }

  /** prom-client's default collectors, when enabled; the cluster snapshot reads them. */
  get runtimeRegistry(): PromClientRegistry | undefined {
    return this.runtime;
  }

  /** The whole exposition as UTF-8 chunks, yielding to the event loop between time slices. */
  async *chunks(format: ExpositionFormat, options: ExpositionOptions = {}): AsyncGenerator<Buffer> {
    const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    const out = new ByteChunks(options.pool ?? new ChunkPool(options.chunkBytes ?? DEFAULT_CHUNK_BYTES));
    let sliceStart = performance.now();
    for (const metric of this.exposition()) {
      const series = metric.all();
      if (series.length === 0) continue;
      out.writeText(familyHeader(metric, format));
      for (let i = 0; i < series.length; i++) {
        (metric.writeSeries as (s: unknown, f: ExpositionFormat, o: ByteChunks) => void)(series[i], format, out);
        if (i % SERIES_PER_CLOCK_CHECK !== SERIES_PER_CLOCK_CHECK - 1) continue;
        yield* out.takeFull();
        if (performance.now() - sliceStart >= sliceMs) {
          await yieldToEventLoop();
          sliceStart = performance.now();
        }
      }
    }
    if (this.runtime) out.writeText(formatPromClientMetrics(await this.runtime.getMetricsAsJSON(), format));
    if (format === 'openmetrics') out.writeText('# EOF\n');
    yield* out.end();
  }

  /**
   * The whole exposition as one string: a rope of the chunks' texts (external strings, see
   * TEXT_CHUNK_BYTES). Not one Buffer turned into a string at the end: that copies every byte
   * twice into fresh memory, and at 100k series one 280 MB copy would block the event loop.
   */
  async text(format: ExpositionFormat, options: ExpositionOptions = {}): Promise<string> {
    const pool = new ChunkPool(options.chunkBytes ?? TEXT_CHUNK_BYTES);
    let out = '';
    for await (const chunk of this.chunks(format, { ...options, pool })) {
      out += chunkText(chunk);
      // Copied into the string: the next chunk can reuse its memory.
      pool.give(chunk);
    }
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
