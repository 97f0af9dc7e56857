/**
 * The one typed Prometheus client of the plugin. It sends every query of a
 * page in one `POST /api/ds/query` (the route Grafana's own panels use, served
 * for Prometheus datasources in every Grafana the plugin supports) and turns
 * the data frames into plain series by refId. Grafana's failure shapes map to
 * the page states: 404 → no datasource, a 502 result → Prometheus unreachable,
 * another result error → query failed.
 */
import { FieldType, createDataFrame, type DataFrame } from '@grafana/data';
import { DS_QUERY_PATH, buildDsQueryRequest, isExemplarFrame, seriesOfFrames, type DataFrameJson, type DsQueryResult, type PromTarget, type Series } from './dsQuery';
import { DataProblem } from './errors';
import type { Transport } from './transport';

export interface TimeRangeMs {
  from: number;
  to: number;
}

export type QueryResults<K extends string> = Record<K, Series[]>;
type Targets<K extends string> = Record<K, Omit<PromTarget, 'refId'>>;

/** About 200 points per chart, never finer than Prometheus' 15 s scrape interval. */
export function stepFor(range: TimeRangeMs): number {
  return Math.max(15_000, Math.ceil((range.to - range.from) / 200 / 1000) * 1000);
}

export class PromClient {
  constructor(
    private readonly transport: Transport,
    readonly datasourceUid: string | undefined,
  ) {}

  /** Runs `targets` (keyed by refId) over `range`; throws a {@link DataProblem} when the page cannot show data. */
  async query<K extends string>(targets: Targets<K>, range: TimeRangeMs): Promise<QueryResults<K>> {
    const results = await this.send(targets, range);
    const out = {} as QueryResults<K>;
    for (const refId of Object.keys(targets) as K[]) out[refId] = seriesOfFrames(results[refId]?.frames);
    return out;
  }

  /**
   * The exemplars of `targets` over `range`, one frame named `exemplar` per
   * query: what Grafana's Prometheus data source hands its panels as
   * annotations, and what the time series panel draws as exemplar markers.
   */
  async exemplars<K extends string>(targets: Targets<K>, range: TimeRangeMs): Promise<DataFrame[]> {
    const withExemplars = Object.fromEntries(Object.entries<Omit<PromTarget, 'refId'>>(targets).map(([refId, target]) => [refId, { ...target, exemplar: true }])) as Targets<K>;
    const results = await this.send(withExemplars, range);
    return Object.entries(results).flatMap(([refId, result]) => (result.frames ?? []).filter(isExemplarFrame).map((frame) => exemplarFrame(refId, frame)));
  }

  private async send<K extends string>(targets: Targets<K>, range: TimeRangeMs): Promise<Record<string, DsQueryResult>> {
    if (!this.datasourceUid) throw new DataProblem('no-datasource', 'No Prometheus datasource is set in the app configuration.');
    const refIds = Object.keys(targets) as K[];
    const body = buildDsQueryRequest(this.datasourceUid, refIds.map((refId) => ({ refId, ...targets[refId] })), range, stepFor(range));
    const response = await this.transport({ url: DS_QUERY_PATH, method: 'POST', data: body, headers: { 'X-Datasource-Uid': this.datasourceUid } });
    const results = (response.data as { results?: Record<string, DsQueryResult> } | undefined)?.results;
    if (!results) throw requestProblem(response.status, response.data, this.datasourceUid);
    for (const refId of refIds) {
      const error = results[refId]?.error;
      if (error) {
        const unreachable = results[refId]?.status === 502 || /connection refused|no such host|dial tcp|i\/o timeout/i.test(error);
        throw new DataProblem(unreachable ? 'unreachable' : 'query-failed', error);
      }
    }
    return results;
  }
}

function exemplarFrame(refId: string, frame: DataFrameJson): DataFrame {
  return createDataFrame({
    refId,
    name: 'exemplar',
    meta: { custom: { resultType: 'exemplar' } },
    fields: frame.schema.fields.map((field, i) => ({
      name: field.name,
      type: field.type === 'time' ? FieldType.time : field.type === 'number' ? FieldType.number : FieldType.string,
      values: frame.data.values[i] ?? [],
      labels: field.labels,
    })),
  });
}

function requestProblem(status: number, data: unknown, uid: string): DataProblem {
  const message = (data as { message?: string } | undefined)?.message ?? `HTTP ${status}`;
  if (status === 404) return new DataProblem('no-datasource', `Datasource ${uid} was not found (${message}).`);
  if (status === 502 || status === 503 || status === 504) return new DataProblem('unreachable', message);
  return new DataProblem('query-failed', message);
}
