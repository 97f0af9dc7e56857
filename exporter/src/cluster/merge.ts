import type { Aggregator } from 'prom-client';
import type { MetricSnapshot, SnapshotExemplar, SnapshotValue } from './snapshot';

interface MergedSample {
  readonly value: SnapshotValue;
  /** Values seen for this sample, for `average`. */
  seen: number;
}

interface MergedFamily {
  readonly family: MetricSnapshot;
  readonly aggregator: Aggregator;
  readonly samples: Map<string, MergedSample>;
}

/**
 * Combines the snapshots of several processes into one, sample by sample (same
 * sample name and label set), with each family's prom-client aggregator: `sum`
 * (the default, also for an unknown one), `first`, `min`, `max`, `average`, or
 * `omit`. Unlike prom-client's `AggregatorRegistry.aggregate()`, the newest
 * exemplar of each sample is kept, so OpenMetrics scrapes of a cluster still
 * link to traces. Families and samples keep first-seen order, so a histogram's
 * buckets, sum and count stay together.
 */
export function mergeSnapshots(parts: readonly (readonly MetricSnapshot[])[]): MetricSnapshot[] {
  const families = new Map<string, MergedFamily>();
  for (const part of parts) {
    for (const family of part) {
      let merged = families.get(family.name);
      if (merged === undefined) {
        const { values: _values, ...head } = family;
        merged = { family: { ...head, values: [] }, aggregator: family.aggregator ?? 'sum', samples: new Map() };
        families.set(family.name, merged);
      }
      if (merged.aggregator === 'omit') continue;
      for (const value of family.values) addSample(merged, value);
    }
  }
  const out: MetricSnapshot[] = [];
  for (const { family, aggregator, samples } of families.values()) {
    if (aggregator === 'omit') continue;
    for (const sample of samples.values()) {
      if (aggregator === 'average') sample.value.value /= sample.seen;
      family.values.push(sample.value);
    }
    out.push(family);
  }
  return out;
}

/**
 * The families that only ever grow (summed counters and histograms). When a
 * worker exits, these are kept so the cluster's totals never go down, which
 * Prometheus would read as a counter reset (and `rate()` as a spike).
 */
export function monotonicPart(snapshot: readonly MetricSnapshot[]): MetricSnapshot[] {
  return snapshot.filter((family) => (family.type === 'counter' || family.type === 'histogram') && (family.aggregator ?? 'sum') === 'sum');
}

function addSample(merged: MergedFamily, value: SnapshotValue): void {
  const key = sampleKey(value);
  const existing = merged.samples.get(key);
  if (existing === undefined) {
    const copy: SnapshotValue = { value: numeric(value.value), labels: value.labels };
    if (value.metricName !== undefined) copy.metricName = value.metricName;
    if (value.exemplar) copy.exemplar = value.exemplar;
    merged.samples.set(key, { value: copy, seen: 1 });
    return;
  }
  existing.seen++;
  const target = existing.value;
  const incoming = numeric(value.value);
  switch (merged.aggregator) {
    case 'first':
      break;
    case 'min':
      target.value = Math.min(target.value, incoming);
      break;
    case 'max':
      target.value = Math.max(target.value, incoming);
      break;
    default:
      // 'sum' and 'average' (divided at the end); an unknown aggregator sums too rather than failing the scrape.
      target.value += incoming;
  }
  target.exemplar = newer(target.exemplar, value.exemplar);
}

/** Sample name plus label set, label order ignored. JSON keeps any two distinct sets apart. */
function sampleKey(value: SnapshotValue): string {
  const names = Object.keys(value.labels).sort();
  return JSON.stringify([value.metricName ?? '', ...names.map((name) => [name, value.labels[name]])]);
}

/** NaN travels through JSON IPC as null. */
function numeric(value: number | null): number {
  return typeof value === 'number' ? value : NaN;
}

function newer(a: SnapshotExemplar | null | undefined, b: SnapshotExemplar | null | undefined): SnapshotExemplar | undefined {
  if (!a) return b ?? undefined;
  if (!b) return a;
  return b.timestamp > a.timestamp ? b : a;
}
