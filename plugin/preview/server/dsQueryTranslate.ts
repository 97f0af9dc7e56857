/**
 * `POST /api/ds/query` as Grafana answers it for a Prometheus datasource,
 * computed from a real Prometheus: one frame per series with the labels on
 * the value field, column-major values with epoch-ms times, NaN/±Inf as null
 * plus `entities`, one empty frame for no data, and per-result errors
 * (`"<errorType>: <msg>"`, errorSource, status; 502 when Prometheus cannot be
 * reached) that turn the whole answer into HTTP 400. A query with
 * `exemplar: true` also gets Grafana's exemplar frame (exemplars.ts).
 */
import type { DataFrameJson, DsQueryRequest, DsQueryResponse, DsQueryResult } from '../../src/data/dsQuery';
import { exemplarFrame } from './exemplars';

type PromSample = [number, string];
interface PromSeries {
  metric: Record<string, string>;
  value?: PromSample;
  values?: PromSample[];
}
interface PromApiResponse {
  status: 'success' | 'error';
  data?: { resultType: 'matrix' | 'vector' | 'scalar' | 'string'; result: PromSeries[] | PromSample };
  errorType?: string;
  error?: string;
}

export interface Answer {
  status: number;
  body: unknown;
}

/** Runs every query of the request against `prometheusUrl`; `datasourceUid` is the only datasource this "Grafana" knows. */
export async function answerDsQuery(request: Partial<DsQueryRequest>, prometheusUrl: string, datasourceUid: string): Promise<Answer> {
  const queries = request.queries ?? [];
  if (queries.length === 0) return { status: 400, body: { message: 'No queries found in query', messageId: 'query.noQueries' } };
  if (queries.some((q) => q.datasource?.uid !== datasourceUid)) return { status: 404, body: { message: 'Data source not found' } };
  const from = toMs(request.from);
  const to = toMs(request.to);
  const entries = await Promise.all(
    queries.map(async (q): Promise<[string, DsQueryResult]> => {
      const refId = q.refId || 'A';
      const instant = q.instant === true && q.range !== true;
      const stepS = Math.max(1, Math.round((q.intervalMs || 1000) / 1000));
      // Grafana aligns a range query's start and end to its step (the exemplar query uses the same range).
      const start = Math.floor(from / 1000 / stepS) * stepS;
      const end = Math.floor(to / 1000 / stepS) * stepS;
      const params = instant ? new URLSearchParams({ query: q.expr, time: String(to / 1000) }) : new URLSearchParams({ query: q.expr, start: String(start), end: String(end), step: String(stepS) });
      const url = `${prometheusUrl}/api/v1/${instant ? 'query' : 'query_range'}`;
      const [result, exemplars] = await Promise.all([
        runOne(url, params, refId, q.expr, stepS * 1000),
        (q as { exemplar?: boolean }).exemplar === true ? exemplarFrame(prometheusUrl, q.expr, refId, start, end, stepS * 1000) : undefined,
      ]);
      // The shared wire type has no frame name nor string columns; the exemplar frame has both.
      if (exemplars && !result.error) result.frames = [...(result.frames ?? []), exemplars as unknown as DataFrameJson];
      return [refId, result];
    }),
  );
  const results = Object.fromEntries(entries);
  const failed = entries.some(([, r]) => r.error);
  const body: DsQueryResponse = { results };
  return { status: failed ? 400 : 200, body };
}

async function runOne(url: string, params: URLSearchParams, refId: string, expr: string, stepMs: number): Promise<DsQueryResult> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body: params, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    // Grafana's wording for a refused connection (the app recognises it); any other failure is told to the log only.
    if (cause?.code !== 'ECONNREFUSED') console.error(`preview server: POST ${url}:`, error);
    return { error: `Post "${url}": dial tcp: ${cause?.code === 'ECONNREFUSED' ? 'connect: connection refused' : 'request failed'}`, errorSource: 'downstream', status: 502, frames: [] };
  }
  const json = (await response.json().catch(() => ({ status: 'error', errorType: 'bad_response', error: `HTTP ${response.status}` }))) as PromApiResponse;
  if (json.status !== 'success' || !json.data) {
    return { error: `${json.errorType ?? 'error'}: ${json.error ?? 'unknown error'}`, errorSource: 'downstream', status: response.status, frames: [] };
  }
  const executed = `Expr: ${expr}\nStep: ${stepMs / 1000}s`;
  const frames = framesOf(json.data.resultType, json.data.result, refId, stepMs);
  if (frames.length === 0) return { status: 200, frames: [{ schema: { refId, meta: { typeVersion: [0, 0], executedQueryString: executed }, fields: [] }, data: { values: [] } }] };
  const first = frames[0];
  if (first?.schema.meta) first.schema.meta.executedQueryString = executed;
  return { status: 200, frames };
}

function framesOf(resultType: string, result: PromSeries[] | PromSample, refId: string, stepMs: number): DataFrameJson[] {
  if (resultType === 'scalar') return [frame(refId, 'numeric-multi', 'scalar', {}, [result as PromSample], stepMs)];
  const series = result as PromSeries[];
  const type = resultType === 'matrix' ? 'timeseries-multi' : 'numeric-multi';
  return series.map((s) => frame(refId, type, resultType, s.metric, s.values ?? (s.value ? [s.value] : []), stepMs));
}

function frame(refId: string, type: string, resultType: string, labels: Record<string, string>, samples: PromSample[], stepMs: number): DataFrameJson {
  const times = samples.map(([t]) => Math.round(t * 1000));
  const values: Array<number | null> = [];
  const special: Record<string, number[]> = {};
  samples.forEach(([, raw], i) => {
    const value = Number(raw);
    if (Number.isFinite(value)) {
      values.push(value);
      return;
    }
    values.push(null);
    const kind = Number.isNaN(value) ? 'NaN' : value > 0 ? 'Inf' : 'NegInf';
    (special[kind] ??= []).push(i);
  });
  const name = labels.__name__ ?? 'Value';
  const display = `${labels.__name__ ?? ''}{${Object.entries(labels)
    .filter(([k]) => k !== '__name__')
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;
  return {
    schema: {
      refId,
      meta: { type, typeVersion: [0, 1], custom: { resultType } },
      fields: [
        { name: 'Time', type: 'time', typeInfo: { frame: 'time.Time' }, config: { interval: stepMs } },
        { name, type: 'number', typeInfo: { frame: 'float64' }, labels, config: { displayNameFromDS: display } },
      ],
    },
    data: { values: [times, values], ...(Object.keys(special).length > 0 ? { entities: [null, special] } : {}) },
  };
}

/** Epoch ms (number or string) or `now`/`now-1h`. */
export function toMs(value: string | undefined): number {
  if (!value || value === 'now') return Date.now();
  if (/^\d+$/.test(value)) return Number(value);
  const match = /^now-(\d+)([smhd])$/.exec(value);
  if (!match) return Date.now();
  const unit = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Date.now() - Number(match[1]) * unit;
}
