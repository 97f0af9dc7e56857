/**
 * The one typed Prometheus client of the plugin. It sends every query of a
 * page in one `POST /api/ds/query` (the route Grafana's own panels use, served
 * for Prometheus datasources in every Grafana the plugin supports) and turns
 * the data frames into plain series by refId. Grafana's failure shapes map to
 * the page states: 404 → no datasource, a 502 result → Prometheus unreachable,
 * another result error → query failed.
 */
import { DS_QUERY_PATH, buildDsQueryRequest, seriesOfFrames, type DsQueryResponse, type PromTarget, type Series } from './dsQuery';
import { DataProblem } from './errors';
import type { Transport } from './transport';

export interface TimeRangeMs {
  from: number;
  to: number;
}

export type QueryResults<K extends string> = Record<K, Series[]>;

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
  async query<K extends string>(targets: Record<K, Omit<PromTarget, 'refId'>>, range: TimeRangeMs): Promise<QueryResults<K>> {
    if (!this.datasourceUid) throw new DataProblem('no-datasource', 'No Prometheus datasource is set in the app configuration.');
    const refIds = Object.keys(targets) as K[];
    const body = buildDsQueryRequest(this.datasourceUid, refIds.map((refId) => ({ refId, ...targets[refId] })), range, stepFor(range));
    const response = await this.transport({ url: DS_QUERY_PATH, method: 'POST', data: body, headers: { 'X-Datasource-Uid': this.datasourceUid } });
    const results = (response.data as Partial<DsQueryResponse> | undefined)?.results;
    if (!results) throw requestProblem(response.status, response.data, this.datasourceUid);
    const out = {} as QueryResults<K>;
    for (const refId of refIds) {
      const result = results[refId];
      if (result?.error) {
        const unreachable = result.status === 502 || /connection refused|no such host|dial tcp|i\/o timeout/i.test(result.error);
        throw new DataProblem(unreachable ? 'unreachable' : 'query-failed', result.error);
      }
      out[refId] = seriesOfFrames(result?.frames);
    }
    return out;
  }
}

function requestProblem(status: number, data: unknown, uid: string): DataProblem {
  const message = (data as { message?: string } | undefined)?.message ?? `HTTP ${status}`;
  if (status === 404) return new DataProblem('no-datasource', `Datasource ${uid} was not found (${message}).`);
  if (status === 502 || status === 503 || status === 504) return new DataProblem('unreachable', message);
  return new DataProblem('query-failed', message);
}
