/**
 * Shapes of the Prometheus 2.42 HTTP API answers the helpers return
 * (https://prometheus.io/docs/prometheus/latest/querying/api/), typed as far as
 * tests and the status line read them.
 */

export type Labels = Record<string, string>;

/** One series of an instant vector. */
export interface VectorSample {
  metric: Labels;
  value: [number, string];
}

export interface RangeSeries {
  metric: Labels;
  values: [number, string][];
}

export interface StoredExemplar {
  labels: Labels;
  value: string;
  timestamp: number;
}

export interface ExemplarSeries {
  seriesLabels: Labels;
  exemplars: StoredExemplar[];
}

/** An entry of `/api/v1/targets` → `activeTargets`. */
export interface ActiveTarget {
  discoveredLabels: Labels;
  labels: Labels;
  scrapePool: string;
  scrapeUrl: string;
  globalUrl: string;
  lastError: string;
  lastScrape: string;
  lastScrapeDuration: number;
  health: 'up' | 'down' | 'unknown';
  scrapeInterval: string;
  scrapeTimeout: string;
}

/** An alert of an alerting rule, as `/api/v1/alerts` and `/api/v1/rules` list it. */
export interface PrometheusAlert {
  labels: Labels;
  annotations: Labels;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

interface RuleBase {
  name: string;
  query: string;
  labels?: Labels;
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  evaluationTime: number;
  lastEvaluation: string;
}

export interface AlertingRule extends RuleBase {
  type: 'alerting';
  duration: number;
  annotations: Labels;
  state: 'inactive' | 'pending' | 'firing';
  alerts: PrometheusAlert[];
}

export interface RecordingRule extends RuleBase {
  type: 'recording';
}

export interface RuleGroup {
  name: string;
  file: string;
  interval: number;
  rules: (AlertingRule | RecordingRule)[];
  evaluationTime: number;
  lastEvaluation: string;
}
