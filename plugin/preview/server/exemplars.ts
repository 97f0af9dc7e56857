/**
 * Exemplars of a query with `exemplar: true`, as Grafana's Prometheus backend
 * answers them: it calls Prometheus' `/api/v1/query_exemplars` over the
 * query's range and appends ONE frame to the query's result
 * (grafana/grafana pkg/promlib/querydata/request.go `fetch`, response.go
 * `processExemplars`, exemplar/framer.go `Frames`):
 *
 * - name `exemplar`, the query's refId, meta `custom.resultType: "exemplar"`
 *   (models/result.go `ResultTypeFromFrame`) and `executedQueryString`;
 * - fields `Time`, `Value`, then one string field per label name seen on the
 *   exemplars or their series, sorted by name (exemplar/labels.go `GetNames`);
 *   an exemplar's own label wins over its series' label, a missing one is "";
 * - rows sampled by the default StandardDeviationSampler
 *   (exemplar/sampler_stddev.go): exemplars bucketed by step, in each bucket
 *   the highest value and then only values more than two standard deviations
 *   (of all exemplars) below the last kept one, rows ordered by time;
 * - no frame when there are no exemplars; a failed exemplar query is logged,
 *   not reported (the range query's result stands alone).
 */
import type { FrameField } from '../../src/data/dsQuery';

/** Grafana's frame JSON with a frame name and string columns (the label fields). */
export interface ExemplarFrameJson {
  schema: { name: string; refId: string; meta: Record<string, unknown>; fields: FrameField[] };
  data: { values: Array<Array<number | string>> };
}

interface PromExemplar {
  labels: Record<string, string>;
  value: string;
  timestamp: number;
}
interface PromExemplarSeries {
  seriesLabels: Record<string, string>;
  exemplars: PromExemplar[];
}

interface Sample {
  time: number;
  value: number;
  labels: Record<string, string>;
}

/** The exemplar frame for `expr` over [startS, endS], or undefined when Prometheus has none (or fails). */
export async function exemplarFrame(prometheusUrl: string, expr: string, refId: string, startS: number, endS: number, stepMs: number): Promise<ExemplarFrameJson | undefined> {
  const url = `${prometheusUrl}/api/v1/query_exemplars`;
  let series: PromExemplarSeries[];
  try {
    const response = await fetch(url, { method: 'POST', body: new URLSearchParams({ query: expr, start: String(startS), end: String(endS) }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    const json = (await response.json()) as { status: string; data?: PromExemplarSeries[]; error?: string };
    if (json.status !== 'success' || !Array.isArray(json.data)) throw new Error(json.error ?? `HTTP ${response.status}`);
    series = json.data;
  } catch (error) {
    console.error(`preview server: exemplar query failed (${expr}):`, error instanceof Error ? error.message : error);
    return undefined;
  }
  const names = new Set<string>();
  const all: Sample[] = [];
  for (const s of series) {
    Object.keys(s.seriesLabels).forEach((n) => names.add(n));
    for (const e of s.exemplars) {
      Object.keys(e.labels).forEach((n) => names.add(n));
      all.push({ time: Math.round(e.timestamp * 1000), value: Number(e.value), labels: { ...s.seriesLabels, ...e.labels } });
    }
  }
  const sampled = sampleByStandardDeviation(all, stepMs);
  if (sampled.length === 0) return undefined;
  const labelNames = [...names].sort();
  return {
    schema: {
      name: 'exemplar',
      refId,
      meta: { custom: { resultType: 'exemplar' }, executedQueryString: `Expr: ${expr}\nStep: ${stepMs / 1000}s` },
      fields: [
        { name: 'Time', type: 'time', typeInfo: { frame: 'time.Time' } },
        { name: 'Value', type: 'number', typeInfo: { frame: 'float64' } },
        ...labelNames.map((name) => ({ name, type: 'string', typeInfo: { frame: 'string' } })),
      ],
    },
    data: { values: [sampled.map((s) => s.time), sampled.map((s) => s.value), ...labelNames.map((n) => sampled.map((s) => s.labels[n] ?? ''))] },
  };
}

/** sampler_stddev.go: per step bucket, the maximum and then values more than 2σ below the previous kept one; ordered by time. */
export function sampleByStandardDeviation(samples: readonly Sample[], stepMs: number): Sample[] {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  const buckets = new Map<number, Sample[]>();
  for (const s of samples) {
    // Welford's online mean and variance, as the sampler's updateAggregations.
    count++;
    const delta = s.value - mean;
    mean += delta / count;
    m2 += delta * (s.value - mean);
    const bucket = stepMs > 0 ? Math.floor(s.time / stepMs) * stepMs : s.time;
    buckets.set(bucket, [...(buckets.get(bucket) ?? []), s]);
  }
  const stddev = count < 2 ? 0 : Math.sqrt(m2 / (count - 1));
  const kept: Sample[] = [];
  for (const bucket of buckets.values()) {
    const sorted = [...bucket].sort((a, b) => b.value - a.value);
    const taken: Sample[] = [];
    for (const s of sorted) {
      const previous = taken[taken.length - 1];
      if (!previous || (stddev !== 0 && previous.value - s.value > stddev * 2)) taken.push(s);
    }
    kept.push(...taken);
  }
  return kept.sort((a, b) => a.time - b.time);
}
