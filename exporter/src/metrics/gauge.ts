import { LabelledMetric, Series } from './labelled-metric';
import type { ByteChunks } from './chunk-writer';
import type { ExpositionFormat } from './format';

export class GaugeSeries extends Series {
  value = 0;
}

export class Gauge extends LabelledMetric<GaugeSeries> {
  protected createSeries(labelValues: readonly string[], isOverflow: boolean): GaugeSeries {
    return new GaugeSeries(labelValues, this.labelNames, isOverflow);
  }

  set(series: GaugeSeries, value: number): void {
    if (!Number.isFinite(value)) return this.hooks.onInvalidValue(this.name);
    series.value = value;
  }

  add(series: GaugeSeries, delta: number): void {
    if (!Number.isFinite(delta)) return this.hooks.onInvalidValue(this.name);
    series.value += delta;
  }

  familyName(): string {
    return this.name;
  }

  writeSeries(series: GaugeSeries, _format: ExpositionFormat, out: ByteChunks): void {
    this.putSample(series, series.value, out);
  }
}
