/**
 * The two calls of Prometheus' HTTP API the report needs, with errors that say
 * what went wrong in the reader's terms (unreachable, not Prometheus, a
 * rejected query) rather than a bare `fetch failed`.
 */

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface RangeSample {
  metric: Record<string, string>;
  values: Array<[number, number]>;
}

export class PrometheusError extends Error {}

/** How long one API call may take. */
const REQUEST_TIMEOUT_MS = 30_000;

export class PrometheusClient {
  constructor(readonly url: string) {}

  /** Instant query at `time` (unix seconds). NaN and infinite values (an empty histogram's quantile) are dropped. */
  async query(expr: string, time: number): Promise<Sample[]> {
    const data = await this.get<{ resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> }>('/api/v1/query', { query: expr, time: String(time) });
    if (data.resultType !== 'vector') throw new PrometheusError(`Prometheus answered ${expr} with a ${data.resultType}, not a vector`);
    return data.result.map((s) => ({ metric: s.metric, value: Number(s.value[1]) })).filter((s) => Number.isFinite(s.value));
  }

  /** Range query, times in unix seconds; non-finite points dropped. */
  async queryRange(expr: string, start: number, end: number, step: number): Promise<RangeSample[]> {
    const data = await this.get<{ result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> }>('/api/v1/query_range', {
      query: expr,
      start: String(start),
      end: String(end),
      step: String(step),
    });
    return data.result
      .map((s) => ({ metric: s.metric, values: s.values.map(([t, v]): [number, number] => [t, Number(v)]).filter(([, v]) => Number.isFinite(v)) }))
      .filter((s) => s.values.length > 0);
  }

  private async get<T>(path: string, params: Record<string, string>): Promise<T> {
    const address = `${this.url.replace(/\/+$/, '')}${path}?${new URLSearchParams(params).toString()}`;
    let response: Response;
    try {
      response = await fetch(address, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
      throw new PrometheusError(`Cannot reach Prometheus at ${this.url}: ${cause}`);
    }
    let body: { status?: string; data?: T; error?: string; errorType?: string };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new PrometheusError(`${this.url} answered ${path} with HTTP ${response.status} and no Prometheus API JSON: is it a Prometheus?`);
    }
    if (body.status !== 'success') throw new PrometheusError(`Prometheus at ${this.url} rejected ${params.query ?? path}: ${body.errorType ?? response.status}: ${body.error ?? ''}`);
    return body.data as T;
  }
}
