import type { MetricDefinition } from '../conventions';
import { formatExemplar, type Exemplar, type TraceRef } from './exemplar';
import { formatNumber } from './label-values';
import { LabelledMetric, Series, type MetricHooks, type SeriesOptions } from './labelled-metric';
import type { ExpositionFormat } from './format';
import type { ByteChunks } from './chunk-writer';

const NEWLINE = Buffer.from('\n');

export class HistogramSeries extends Series {
  /**
   * Per-bucket (not cumulative) counts; the last slot is the +Inf bucket. A plain
   * array: counts stay small integers, which V8 stores unboxed at 4 bytes each
   * (a Float64Array costs ~300 bytes more per series in buffer bookkeeping).
   */
  readonly counts: number[];
  sum = 0;
  count = 0;
  exemplars: (Exemplar | undefined)[] | undefined;

  constructor(labelValues: readonly string[], labelNames: readonly string[], isOverflow: boolean, bucketCount: number) {
    super(labelValues, labelNames, isOverflow);
    this.counts = new Array<number>(bucketCount + 1).fill(0);
  }
}

export class Histogram extends LabelledMetric<HistogramSeries> {
  readonly bounds: readonly number[];
  /** `,le="0.005"} ` … `,le="+Inf"} `, encoded once: what follows a series' label pairs on each bucket line. */
  private readonly bucketTails: readonly Buffer[];
  /** `{le="0.005"} ` …, for a series without labels. */
  private readonly bareBucketTails: readonly Buffer[];
  private readonly bucketName: string;
  private readonly bareBucketHead: Buffer;
  private readonly sumName: string;
  private readonly countName: string;

  constructor(definition: MetricDefinition, hooks: MetricHooks, options: SeriesOptions) {
    const bounds = definition.buckets ?? [];
    if (bounds.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= (bounds[i - 1] as number)))) {
      throw new Error(`Histogram ${definition.name}: buckets must be finite and strictly increasing, got [${bounds.join(', ')}]`);
    }
    super(definition, hooks, options);
    this.bounds = bounds;
    const leLabels = [...bounds.map((b) => `le="${formatNumber(b)}"`), 'le="+Inf"'];
    this.bucketTails = leLabels.map((le) => Buffer.from(`,${le}} `, 'utf8'));
    this.bareBucketTails = leLabels.map((le) => Buffer.from(`{${le}} `, 'utf8'));
    this.bucketName = `${this.name}_bucket`;
    this.bareBucketHead = Buffer.from(this.bucketName, 'utf8');
    this.sumName = `${this.name}_sum`;
    this.countName = `${this.name}_count`;
  }

  protected createSeries(labelValues: readonly string[], isOverflow: boolean): HistogramSeries {
    return new HistogramSeries(labelValues, this.labelNames, isOverflow, this.definition.buckets?.length ?? 0);
  }

  /** Records one value; negative or non-finite values are dropped and counted. */
  observe(series: HistogramSeries, value: number, trace?: TraceRef): void {
    if (!this.accepts(value)) return;
    const bounds = this.bounds;
    let index = 0;
    while (index < bounds.length && value > (bounds[index] as number)) index++;
    series.counts[index]! += 1;
    series.sum += value;
    series.count += 1;
    if (trace) (series.exemplars ??= [])[index] = { traceId: trace.traceId, spanId: trace.spanId, value, timestampMs: Date.now() };
    if (series.isOverflow) this.noteFold();
  }

  familyName(): string {
    return this.name;
  }

  writeSeries(series: HistogramSeries, format: ExpositionFormat, out: ByteChunks): void {
    const hasLabels = series.labelPairs !== '';
    // The start of every bucket line of this series, encoded once and copied per line.
    const head = hasLabels ? Buffer.from(`${this.bucketName}{${series.labelPairs}`, 'utf8') : this.bareBucketHead;
    const tails = hasLabels ? this.bucketTails : this.bareBucketTails;
    const exemplars = format === 'openmetrics' ? series.exemplars : undefined;
    let cumulative = 0;
    for (let i = 0; i < tails.length; i++) {
      cumulative += series.counts[i]!;
      out.writeBytes(head);
      out.writeBytes(tails[i]!);
      out.writeCount(cumulative);
      const exemplar = exemplars?.[i];
      out.writeBytes(exemplar ? Buffer.from(`${formatExemplar(exemplar)}\n`, 'utf8') : NEWLINE);
    }
    const labels = hasLabels ? `{${series.labelPairs}}` : '';
    out.writeText(`${this.sumName}${labels} ${formatNumber(series.sum)}\n${this.countName}${labels} ${series.count}\n`);
  }
}
