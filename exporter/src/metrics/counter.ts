import { formatExemplar, type Exemplar, type TraceRef } from './exemplar';
import { formatNumber } from './label-values';
import { LabelledMetric, Series } from './labelled-metric';
import type { ExpositionFormat } from './format';
import type { ByteChunks } from './chunk-writer';

export class CounterSeries extends Series {
  value = 0;
  exemplar: Exemplar | undefined;
}

/** A monotonic counter. Its definition's name already ends in `_total`. */
export class Counter extends LabelledMetric<CounterSeries> {
  protected createSeries(labelValues: readonly string[], isOverflow: boolean): CounterSeries {
    return new CounterSeries(labelValues, this.labelNames, isOverflow);
  }

  /** Adds `amount` (default 1); negative or non-finite amounts are dropped and counted. */
  inc(series: CounterSeries, amount = 1, trace?: TraceRef): void {
    if (!this.accepts(amount)) return;
    series.value += amount;
    if (trace) series.exemplar = { traceId: trace.traceId, spanId: trace.spanId, value: amount, timestampMs: Date.now() };
    if (series.isOverflow) this.noteFold();
  }

  /** Metric family name: OpenMetrics drops the `_total` suffix from it. */
  familyName(format: ExpositionFormat): string {
    return format === 'openmetrics' ? this.name.replace(/_total$/, '') : this.name;
  }

  writeSeries(series: CounterSeries, format: ExpositionFormat, out: ByteChunks): void {
    if (format === 'openmetrics' && series.exemplar) {
      out.writeText(`${this.sampleStart(series)}${formatNumber(series.value)}${formatExemplar(series.exemplar)}\n`);
    } else {
      this.putSample(series, series.value, out);
    }
  }
}
