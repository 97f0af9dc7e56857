import type { Aggregator } from 'prom-client';
import { METRICS, RUNTIME_METRIC } from '@modelwatch/conventions';
import type { Instruments } from '../instruments';
import { Counter } from '../metrics/counter';
import type { Exemplar } from '../metrics/exemplar';
import { Histogram } from '../metrics/histogram';
import type { AnyMetric } from '../metrics/registry';

/** An exemplar as prom-client writes it in `getMetricsAsJSON()` (timestamp in seconds). */
export interface SnapshotExemplar {
  labelSet: Record<string, string>;
  value: number;
  timestamp: number;
}

/** One sample, shaped like a prom-client `MetricValueWithName`. */
export interface SnapshotValue {
  value: number;
  labels: Record<string, string | number>;
  /** `<name>_bucket`, `_sum`, `_count` on histogram samples; absent otherwise. */
  metricName?: string;
  exemplar?: SnapshotExemplar | null;
}

/**
 * One metric family, in the JSON shape of prom-client's `registry.getMetricsAsJSON()`
 * (what `AggregatorRegistry.aggregate()` consumes): histogram buckets are
 * cumulative and carry `le` (a number, `'+Inf'` for the last), `_sum` and
 * `_count` are samples with their own `metricName`.
 */
export interface MetricSnapshot {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  aggregator: Aggregator;
  values: SnapshotValue[];
}

/**
 * How workers' values of our metrics combine. Everything sums (requests, tokens,
 * spend, in-flight requests) except the memory limit: workers share the
 * container's limit, so summing it would halve the memory saturation ratio.
 */
const AGGREGATOR_BY_NAME: ReadonlyMap<string, Aggregator> = new Map([[METRICS.processMemoryLimit.name, 'max']]);

/**
 * prom-client's default collectors carry their own aggregators (`omit` for the
 * start time, `first` for the version, `average` for event-loop lag
 * percentiles, `sum` otherwise). One is overridden: the health score's
 * saturation takes the worst of its signals, and an average of p99 lags would
 * hide one stuck worker among healthy ones, so the cluster reports the worst p99.
 */
const RUNTIME_AGGREGATOR_OVERRIDES: ReadonlyMap<string, Aggregator> = new Map([[RUNTIME_METRIC.eventLoopLagP99Seconds, 'max']]);

/**
 * Every metric of one Modelwatch instance, ours and prom-client's default
 * collectors, as prom-client-compatible JSON. Each series is read whole in one
 * synchronous step, so a histogram's buckets, sum and count always agree.
 */
export async function snapshotInstruments(instruments: Instruments): Promise<MetricSnapshot[]> {
  const out: MetricSnapshot[] = [];
  for (const metric of instruments.registry.exposition()) {
    if (metric.all().length > 0) out.push(snapshotMetric(metric));
  }
  const runtime = instruments.registry.runtimeRegistry;
  if (runtime) {
    // prom-client types `type` as a numeric enum; at run time it is the string ('counter', …) this shape declares.
    for (const family of (await runtime.getMetricsAsJSON()) as unknown as MetricSnapshot[]) {
      const override = RUNTIME_AGGREGATOR_OVERRIDES.get(family.name);
      out.push(override === undefined ? family : { ...family, aggregator: override });
    }
  }
  return out;
}

function snapshotMetric(metric: AnyMetric): MetricSnapshot {
  const { name, definition } = metric;
  const family: MetricSnapshot = { name, help: definition.help, type: definition.type, aggregator: AGGREGATOR_BY_NAME.get(name) ?? 'sum', values: [] };
  const labelsOf = (values: readonly string[]) => {
    const labels: Record<string, string> = {};
    for (let i = 0; i < metric.labelNames.length; i++) labels[metric.labelNames[i]!] = values[i] ?? '';
    return labels;
  };
  if (metric instanceof Histogram) {
    const bounds = metric.bounds;
    for (const series of metric.all()) {
      const labels = labelsOf(series.labelValues);
      let cumulative = 0;
      for (let i = 0; i <= bounds.length; i++) {
        cumulative += series.counts[i]!;
        const value: SnapshotValue = { value: cumulative, labels: { ...labels, le: i < bounds.length ? bounds[i]! : '+Inf' }, metricName: `${name}_bucket` };
        const exemplar = series.exemplars?.[i];
        if (exemplar) value.exemplar = toSnapshotExemplar(exemplar);
        family.values.push(value);
      }
      family.values.push({ value: series.sum, labels, metricName: `${name}_sum` }, { value: series.count, labels, metricName: `${name}_count` });
    }
    return family;
  }
  if (metric instanceof Counter) {
    for (const series of metric.all()) {
      const value: SnapshotValue = { value: series.value, labels: labelsOf(series.labelValues) };
      if (series.exemplar) value.exemplar = toSnapshotExemplar(series.exemplar);
      family.values.push(value);
    }
    return family;
  }
  for (const series of metric.all()) family.values.push({ value: series.value, labels: labelsOf(series.labelValues) });
  return family;
}

function toSnapshotExemplar(exemplar: Exemplar): SnapshotExemplar {
  return { labelSet: { trace_id: exemplar.traceId, span_id: exemplar.spanId }, value: exemplar.value, timestamp: exemplar.timestampMs / 1000 };
}
