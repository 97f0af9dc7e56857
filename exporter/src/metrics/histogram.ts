import type { MetricDefinition } from '../conventions';
import { formatExemplar, type Exemplar, type TraceRef } from './exemplar';
import { formatNumber } from './label-values';
import { LabelledMetric, Series, type MetricHooks, type SeriesOptions } from './labelled-metric';
import type { ExpositionFormat } from './format';

export class HistogramSeries extends Series {
  /** Per-bucket (not cumulative) counts; the last slot is the +Inf bucket. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  exemplars: (Exemplar | undefined)[] | undefined;

  constructor(labelValues: readonly string[], labelNames: readonly string[], isOverflow: boolean, bucketCount: number) {
    super(labelValues, labelNames, isOverflow);
    this.counts = new Float64Array(bucketCount + 1);
  }
}

export class Histogram extends LabelledMetric<HistogramSeries> {
  readonly bounds: readonly number[];
  /** `le="0.005"` … `le="+Inf"`, formatted once. */
  private readonly leLabels: readonly string[];

  constructor(definition: MetricDefinition, hooks: MetricHooks, options: SeriesOptions) {
    const bounds = definition.buckets ?? [];
    if (bounds.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= (bounds[i - 1] as number)))) {
      throw new Error(`Histogram ${definition.name}: buckets must be finite and strictly increasing, got [${bounds.join(', ')}]`);
    }
    super(definition, hooks, options);
    this.bounds = bounds;
    this.leLabels = [...bounds.map((b) => `le="${formatNumber(b)}"`), 'le="+Inf"'];
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

  formatSeries(series: HistogramSeries, format: ExpositionFormat): string {
    const prefix = series.labelPairs === '' ? '{' : `{${series.labelPairs},`;
    const withExemplars = format === 'openmetrics' && series.exemplars !== undefined;
    let out = '';
    let cumulative = 0;
    for (let i = 0; i < this.leLabels.length; i++) {
      cumulative += series.counts[i]!;
      out += `${this.name}_bucket${prefix}${this.leLabels[i]}} ${cumulative}`;
      const exemplar = withExemplars ? series.exemplars![i] : undefined;
      out += exemplar ? `${formatExemplar(exemplar)}\n` : '\n';
    }
    const labels = series.labelPairs === '' ? '' : `{${series.labelPairs}}`;
    out += `${this.name}_sum${labels} ${formatNumber(series.sum)}\n${this.name}_count${labels} ${series.count}\n`;
    return out;
  }
}
