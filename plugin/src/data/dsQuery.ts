/**
 * The wire format of Grafana's `POST /api/ds/query` for a Prometheus
 * datasource: the request Grafana's own panels send, and the data frames it
 * answers with (one frame per series, labels on the value field, values
 * column-major with epoch-ms times). The preview harness produces exactly
 * these shapes, so both sides share these types.
 */

export const DS_QUERY_PATH = '/api/ds/query';

export interface PromTarget {
  refId: string;
  expr: string;
  /** Instant query evaluated at the range's end; otherwise a range query. */
  instant?: boolean;
  /** Also ask for the exemplars of the range (trace ids of individual samples). */
  exemplar?: boolean;
}

export interface DsQueryRequest {
  queries: Array<{
    refId: string;
    datasource: { type: 'prometheus'; uid: string };
    expr: string;
    range: boolean;
    instant: boolean;
    format: 'time_series';
    exemplar: boolean;
    intervalMs: number;
    maxDataPoints: number;
  }>;
  /** Epoch milliseconds as strings, as Grafana's frontend sends them. */
  from: string;
  to: string;
}

export interface FrameField {
  name: string;
  type: 'time' | 'number' | string;
  labels?: Record<string, string>;
  config?: Record<string, unknown>;
  typeInfo?: { frame: string };
}

export interface DataFrameJson {
  schema: { name?: string; refId?: string; meta?: Record<string, unknown>; fields: FrameField[] };
  data: { values: Array<Array<number | string | null>>; entities?: Array<Record<string, number[]> | null> };
}

export interface DsQueryResult {
  status?: number;
  error?: string;
  errorSource?: string;
  frames?: DataFrameJson[];
}

export interface DsQueryResponse {
  results: Record<string, DsQueryResult>;
}

/** One series of a result: its labels and its points (one point for an instant query). */
export interface Series {
  labels: Record<string, string>;
  times: number[];
  values: Array<number | null>;
}

/** Builds the request body; `stepMs` is the range queries' resolution. */
export function buildDsQueryRequest(datasourceUid: string, targets: readonly PromTarget[], range: { from: number; to: number }, stepMs: number): DsQueryRequest {
  return {
    queries: targets.map((target) => ({
      refId: target.refId,
      datasource: { type: 'prometheus', uid: datasourceUid },
      expr: target.expr,
      range: !target.instant,
      instant: Boolean(target.instant),
      format: 'time_series',
      exemplar: Boolean(target.exemplar),
      intervalMs: stepMs,
      maxDataPoints: Math.max(1, Math.ceil((range.to - range.from) / stepMs)),
    })),
    from: String(range.from),
    to: String(range.to),
  };
}

/**
 * Exemplar frames carry `meta.custom.resultType: "exemplar"` (grafana/grafana
 * pkg/promlib/models/result.go `ResultTypeFromFrame`): Time, Value, then one
 * string field per exemplar label (`trace_id`, `span_id`).
 */
export function isExemplarFrame(frame: DataFrameJson): boolean {
  return (frame.schema.meta?.custom as { resultType?: string } | undefined)?.resultType === 'exemplar';
}

/** The series of one result's frames; NaN and ±Inf (sent as null plus `entities`) come back as null. */
export function seriesOfFrames(frames: readonly DataFrameJson[] = []): Series[] {
  const series: Series[] = [];
  for (const frame of frames) {
    if (isExemplarFrame(frame)) continue;
    const [timeField, valueField] = frame.schema.fields;
    if (!timeField || !valueField) continue; // the empty "no data" frame
    const [times = [], values = []] = frame.data.values;
    series.push({ labels: valueField.labels ?? {}, times: times.map(Number), values: values.map((v) => (typeof v === 'number' ? v : null)) });
  }
  return series;
}

/** Latest value of a series, or undefined when it has none. */
export function lastValue(series: Series | undefined): number | undefined {
  if (!series) return undefined;
  for (let i = series.values.length - 1; i >= 0; i--) {
    const value = series.values[i];
    if (value !== null && value !== undefined && Number.isFinite(value)) return value;
  }
  return undefined;
}
