/** A Prometheus query of a panel, always through the dashboard's data source variable. */
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { DATASOURCE_REF } from './variables';

export interface QueryOptions {
  /** Legend template, e.g. `{{gen_ai_request_model}}`. @defaultValue `__auto` */
  legend?: string;
  /** One value at the end of the range (stats, bar gauges) instead of a time series. */
  instant?: boolean;
  /** Rows of labels and value (tables) instead of series. */
  table?: boolean;
  /** Buckets for a heatmap panel. */
  heatmap?: boolean;
  /** Show the exemplars of the histogram (trace ids; the data source links them to Tempo). */
  exemplar?: boolean;
}

export function promQuery(expr: string, options: QueryOptions = {}): prometheus.DataqueryBuilder {
  const query = new prometheus.DataqueryBuilder().datasource(DATASOURCE_REF).expr(expr).legendFormat(options.legend ?? '__auto');
  if (options.heatmap) query.format(prometheus.PromQueryFormat.Heatmap);
  if (options.table) query.format(prometheus.PromQueryFormat.Table);
  if (options.exemplar) query.exemplar(true);
  return options.instant ? query.instant() : query.range();
}
